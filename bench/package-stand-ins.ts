/**
 * Local stand-ins for the package sources images install from, so benchmarks and integration tests never reach
 * PyPI or Debian's mirror: tiny pure-Python wheels served from a PEP 503 "simple" index, and tiny Debian packages
 * served from a flat apt repository (`deb [trusted=yes] http://host:port/ ./`). Both servers listen on an address
 * build steps can reach (the build bridge's gateway, 10.213.0.1 in the test environment).
 *
 * Lives in bench/ because `npm run bench` compiles only src/ and bench/; tests import it from here too.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, gzipSync } from 'node:zlib';

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** A zip archive of `files` (stored, no compression). */
export function zip(files: readonly (readonly [name: string, content: string])[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of files) {
    const data = Buffer.from(content, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    // Version 2.0, no flags, stored, fixed 1980-01-01 timestamp.
    const common = Buffer.concat([u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(data.length), u32(data.length), u16(nameBytes.length)]);
    const local = Buffer.concat([u32(0x04034b50), common, u16(0), nameBytes, data]);
    central.push(Buffer.concat([u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u16(0), u32(0o100644 << 16), u32(offset), nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(files.length), u16(files.length), u32(dir.length), u32(offset), u16(0)]);
  return Buffer.concat([...locals, dir, end]);
}

/** Contents of a wheel beyond its files: console scripts and dependencies (written into its metadata). */
export interface WheelMetadata {
  /** `entry_points.txt` console scripts: command → `module:function`. */
  readonly consoleScripts?: Readonly<Record<string, string>>;
  /** `Requires-Dist` lines. */
  readonly requires?: readonly string[];
}

/** A pure-Python wheel `<name>-<version>-py3-none-any.whl` of `files` (paths inside site-packages → content). */
export function wheel(name: string, version: string, files: Readonly<Record<string, string>>, meta: WheelMetadata = {}): { readonly filename: string; readonly bytes: Buffer } {
  const dist = `${name}-${version}.dist-info`;
  const metadata = [`Metadata-Version: 2.1`, `Name: ${name.replace(/_/g, '-')}`, `Version: ${version}`, ...(meta.requires ?? []).map((r) => `Requires-Dist: ${r}`)];
  const entries: [string, string][] = [
    ...Object.entries(files),
    [`${dist}/METADATA`, `${metadata.join('\n')}\n`],
    [`${dist}/WHEEL`, 'Wheel-Version: 1.0\nGenerator: kiln-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n'],
  ];
  const scripts = Object.entries(meta.consoleScripts ?? {});
  if (scripts.length > 0) entries.push([`${dist}/entry_points.txt`, `[console_scripts]\n${scripts.map(([cmd, target]) => `${cmd} = ${target}`).join('\n')}\n`]);
  const record = entries.map(([p, c]) => {
    const digest = createHash('sha256').update(c).digest('base64url');
    return `${p},sha256=${digest},${Buffer.byteLength(c)}`;
  });
  entries.push([`${dist}/RECORD`, `${record.join('\n')}\n${dist}/RECORD,,\n`]);
  return { filename: `${name}-${version}-py3-none-any.whl`, bytes: zip(entries) };
}

/**
 * A wheel `<name>-<version>-py3-none-any.whl` with one package `<name>` whose `GREETING` is `greeting`, plus
 * `modules` more modules of about 2 KB each (`<name>/m<i>.py`), for installs with some real work in them.
 */
export function demoWheel(name: string, version: string, greeting: string, modules = 0): { readonly filename: string; readonly bytes: Buffer } {
  const body = Array.from({ length: 40 }, (_, i) => `def f${i}(x):\n    return x * ${i} + len(${JSON.stringify(name)})\n`).join('');
  const files: Record<string, string> = { [`${name}/__init__.py`]: `GREETING = ${JSON.stringify(greeting)}\n` };
  for (let i = 0; i < modules; i++) files[`${name}/m${i}.py`] = `VERSION = ${JSON.stringify(version)}\n${body}`;
  return wheel(name, version, files);
}

/** A running package index. */
export interface PackageIndex {
  /** `http://<host>:<port>/simple` */
  readonly url: string;
  readonly host: string;
  close(): Promise<void>;
}

/**
 * Serves wheels from a PEP 503 simple index on `host` (an address build steps can reach). With `authorized`, a private
 * index: every request whose `Authorization` header it refuses gets 401 with a Basic challenge, as a private index does.
 */
export async function servePackageIndex(
  host: string,
  wheels: readonly { readonly project: string; readonly filename: string; readonly bytes: Buffer }[],
  authorized?: (authorization: string | undefined) => boolean,
): Promise<PackageIndex> {
  const server: Server = createServer((req, res) => {
    if (authorized !== undefined && !authorized(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="private index"', 'Content-Type': 'text/plain' });
      res.end('401 Unauthorized\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const project = /^\/simple\/([^/]+)\/?$/.exec(path)?.[1];
    if (project !== undefined) {
      const links = wheels.filter((w) => w.project === project).map((w) => `<a href="/files/${w.filename}">${w.filename}</a><br>`);
      // Caching headers like PyPI's: project pages for 10 minutes, files for good (pip's HTTP cache honours them).
      res.writeHead(links.length === 0 ? 404 : 200, { 'Content-Type': 'text/html', 'Cache-Control': 'max-age=600, public' });
      res.end(`<!DOCTYPE html><html><body>${links.join('\n')}</body></html>\n`);
      return;
    }
    const file = wheels.find((w) => path === `/files/${w.filename}`);
    if (file !== undefined) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.bytes.length), 'Cache-Control': 'max-age=365000000, immutable, public' });
      res.end(file.bytes);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/simple`,
    host,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Debian packages and a flat apt repository

/** One tar entry: a directory (no content) or a regular file. */
interface TarEntry {
  readonly path: string;
  readonly content?: Buffer;
  readonly mode?: number;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

/** A ustar archive (root-owned entries, fixed time 2020-01-01) of `entries`, in order. */
export function tar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const dir = e.content === undefined;
    const name = dir && !e.path.endsWith('/') ? `${e.path}/` : e.path;
    if (Buffer.byteLength(name) > 100) throw new Error(`tar: path too long for this writer: ${name}`);
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write(octal(e.mode ?? (dir ? 0o755 : 0o644), 8), 100, 8, 'ascii');
    h.write(octal(0, 8), 108, 8, 'ascii');
    h.write(octal(0, 8), 116, 8, 'ascii');
    h.write(octal(e.content?.length ?? 0, 12), 124, 12, 'ascii');
    h.write(octal(1577836800, 12), 136, 12, 'ascii');
    h.write('        ', 148, 8, 'ascii');
    h.write(dir ? '5' : '0', 156, 1, 'ascii');
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    h.write('root', 265, 32, 'ascii');
    h.write('root', 297, 32, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    blocks.push(h);
    if (e.content !== undefined) {
      blocks.push(e.content);
      const pad = (512 - (e.content.length % 512)) % 512;
      if (pad > 0) blocks.push(Buffer.alloc(pad));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** An `ar` archive (the container format of .deb files). */
function ar(members: readonly (readonly [name: string, data: Buffer])[]): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n', 'ascii')];
  for (const [name, data] of members) {
    const field = (s: string, width: number): string => s.padEnd(width, ' ');
    const header = `${field(name, 16)}${field('1577836800', 12)}${field('0', 6)}${field('0', 6)}${field('100644', 8)}${field(String(data.length), 10)}\x60\n`;
    parts.push(Buffer.from(header, 'ascii'), data);
    if (data.length % 2 === 1) parts.push(Buffer.from('\n', 'ascii'));
  }
  return Buffer.concat(parts);
}

/** A Debian package ready to serve. */
export interface DebPackage {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly bytes: Buffer;
  /** The control paragraph (without the repository fields). */
  readonly control: string;
}

/**
 * A `Architecture: all` Debian package `name` that installs `files` (absolute paths → content; parent directories
 * are added; files in a `bin/` or `sbin/` directory are executable). `depends` becomes its `Depends:` field.
 */
export function demoDeb(name: string, version: string, files: Readonly<Record<string, string>>, depends: readonly string[] = []): DebPackage {
  const dirs = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) dirs.add(`./${parts.slice(0, i).join('/')}`);
  }
  const data = tar([
    { path: './' },
    ...[...dirs].sort().map((d) => ({ path: d })),
    ...Object.entries(files).map(([p, c]) => ({ path: `.${p}`, content: Buffer.from(c, 'utf8'), mode: /\/s?bin\//.test(p) ? 0o755 : 0o644 })),
  ]);
  const size = Math.max(1, Math.ceil(Object.values(files).reduce((n, c) => n + Buffer.byteLength(c), 0) / 1024));
  const control = [
    `Package: ${name}`,
    `Version: ${version}`,
    'Architecture: all',
    'Maintainer: kiln tests <tests@kiln.invalid>',
    `Installed-Size: ${size}`,
    ...(depends.length > 0 ? [`Depends: ${depends.join(', ')}`] : []),
    'Section: misc',
    'Priority: optional',
    `Description: kiln stand-in package ${name}`,
    '',
  ].join('\n');
  const controlTar = tar([{ path: './' }, { path: './control', content: Buffer.from(control, 'utf8') }]);
  const bytes = ar([
    ['debian-binary', Buffer.from('2.0\n', 'ascii')],
    ['control.tar.gz', gzipSync(controlTar)],
    ['data.tar.gz', gzipSync(data)],
  ]);
  return { name, version, filename: `${name}_${version}_all.deb`, bytes, control };
}

/** A running flat apt repository. */
export interface AptRepository {
  /** `http://<host>:<port>/` */
  readonly url: string;
  /** The sources.list line for it: `deb [trusted=yes] <url> ./`. */
  readonly sourcesLine: string;
  close(): Promise<void>;
}

/** Options of {@link serveAptRepository}. */
export interface AptRepositoryOptions {
  /** A private repository: requests whose `Authorization` header this refuses get 401 (HTTP Basic). */
  readonly authorized?: (authorization: string | undefined) => boolean;
  /** Signs the Release file: returns its clear-signed form, served as `InRelease` (e.g. `gpg --clearsign`). */
  readonly clearSign?: (release: Buffer) => Buffer;
}

/**
 * Serves `packages` as a flat apt repository (Release, Packages, Packages.gz, the .deb files; InRelease when
 * `clearSign` is given) on `host`.
 */
export async function serveAptRepository(host: string, packages: readonly DebPackage[], options: AptRepositoryOptions = {}): Promise<AptRepository> {
  const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
  const index = Buffer.from(
    packages
      .map((p) => `${p.control.trimEnd()}\nFilename: ./${p.filename}\nSize: ${p.bytes.length}\nMD5sum: ${md5(p.bytes)}\nSHA256: ${sha256(p.bytes)}\n`)
      .join('\n'),
    'utf8',
  );
  const indexGz = gzipSync(index);
  const release = Buffer.from(
    [
      'Origin: kiln',
      'Label: kiln stand-in',
      'Suite: stable',
      'Codename: kiln',
      'Date: Wed, 01 Jan 2020 00:00:00 UTC',
      'Architectures: all amd64 arm64',
      'MD5Sum:',
      ` ${md5(index)} ${index.length} Packages`,
      ` ${md5(indexGz)} ${indexGz.length} Packages.gz`,
      'SHA256:',
      ` ${sha256(index)} ${index.length} Packages`,
      ` ${sha256(indexGz)} ${indexGz.length} Packages.gz`,
      '',
    ].join('\n'),
    'utf8',
  );
  const files = new Map<string, Buffer>([
    ['/Release', release],
    ['/Packages', index],
    ['/Packages.gz', indexGz],
    ...packages.map((p) => [`/${p.filename}`, p.bytes] as const),
    ...(options.clearSign === undefined ? [] : [['/InRelease', options.clearSign(release)] as const]),
  ]);
  const server: Server = createServer((req, res) => {
    if (options.authorized !== undefined && !options.authorized(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="kiln apt"' }).end('401 Unauthorized\n');
      return;
    }
    const path = ((req.url ?? '/').split('?')[0] ?? '/').replace(/^\/\.\//, '/').replace(/\/{2,}/g, '/');
    // apt escapes a version's "+" (`kiln-hello_1.0%2bx_all.deb`).
    const body = files.get(path) ?? files.get(decodeURIComponent(path));
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}/`;
  return {
    url,
    sourcesLine: `deb [trusted=yes] ${url} ./`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
