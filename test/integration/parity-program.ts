/**
 * A seeded generator of random but valid Image programs that need no network, for comparing kiln's build with
 * `docker build` of `toDockerfile()` (image-dockerfile-parity.test.ts). A program is a small context directory (odd
 * names, modes, a symlink) and an Image built from the environment's local base images with config steps, run
 * steps (files, symlinks, hardlinks, modes, owners, reading env), local files and directories, `copyFrom` between
 * branches that share a base, Dockerfile commands and forced steps. The same seed gives the same program.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Image } from '../../src/image/index.js';

/** Deterministic random numbers from a seed (mulberry32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A generated program: its steps as source-like lines (for the failure message) and the image. */
export interface ParityProgram {
  readonly seed: number;
  readonly lines: readonly string[];
  readonly image: Image;
  /** The program reads the build secret {@link NetworkStandIns.secretId} (both builds are given it). */
  readonly readsSecret: boolean;
}

/**
 * The test environment's stand-ins for what network steps reach, all on the build bridge's gateway: a PEP 503 index
 * of local wheels (projects {@link INDEX_PROJECTS}), the apt mirror the Debian bases are configured with, and the uv
 * stand-in image. Without them the generator writes no network steps.
 */
export interface NetworkStandIns {
  readonly indexUrl: string;
  readonly indexHost: string;
  readonly uvImage: string;
  readonly secretId: string;
}

/** The wheels the index serves: project, importable name, versions. */
export const INDEX_PROJECTS = [
  { project: 'kiln-par-a', module: 'kiln_par_a', versions: ['1.0', '2.0'] },
  { project: 'kiln-par-b', module: 'kiln_par_b', versions: ['0.3'] },
] as const;

/** One file of the context directory. */
interface ContextFile {
  readonly path: string;
  readonly mode: number;
}

/** Context file names a Dockerfile would read as something else unless written with care. */
// A non-ASCII name is only inside the directories: `COPY ünï.txt /d/` of one such file fails with "not found" in
// `docker build` on dockerd 26.1 with the environment's Docker 20.10 CLI (dockerd 20.10 copies it; kiln copies it on both).
const ODD_NAMES = ['plain.txt', 'with space.txt', 'br[1].txt', 'star*.txt', '-dash.txt', '.hidden', 'run.sh', 'q?.txt'];
/** Users and owners by name exist in the base they are used with (the busybox stand-in has only root and nobody). */
const USERS = ['root', 'nobody', '1000', '1000:1000', '33:33', 'nobody:nogroup'];
const DEBIAN_USERS = ['daemon', 'bin', 'www-data', 'daemon:bin'];
const OWNERS = ['1:1', '1234:5678', 'nobody', 'nobody:nogroup'];
const DEBIAN_OWNERS = ['daemon', 'bin:daemon', 'www-data:33'];
const VARS = ['A', 'B', 'C_1'];
const ENV_VALUES = ['x y', '$A/bin', '${B}-z', '\\$A', 'p:$PATH', 'lit', '${C_1:-dflt}', 'a"q"b', '$NOPE.x'];

/** Where pip puts packages in the environment's python:3.11-slim stand-in (Debian's python3.11, as root). */
const SITE_PACKAGES = '/usr/local/lib/python3.11/dist-packages';

/** The filter `rsync` gives a directory (its default excludes), standing in its entry of the per-directory filters. */
const RSYNC_FILTER: string[] = [];

/** Writes the context files the seed chooses into `dir` and returns them. */
function writeContext(rng: Rng, dir: string): { files: ContextFile[]; dirs: string[]; links: string[] } {
  const links: string[] = [];
  const files: ContextFile[] = [];
  for (const name of ODD_NAMES) {
    if (!rng.chance(0.6) && name !== 'plain.txt') continue;
    const mode = rng.pick([0o644, 0o600, 0o755, 0o640]);
    writeFileSync(join(dir, name), `${name} ${rng.int(1000)}\n`);
    chmodSync(join(dir, name), mode);
    files.push({ path: name, mode });
  }
  const dirs: string[] = [];
  for (const d of ['pkg', 'odd dir']) {
    if (d !== 'pkg' && !rng.chance(0.5)) continue;
    mkdirSync(join(dir, d, 'sub', 'deep'), { recursive: true });
    const entries: Record<string, number> = { 'a.log': 0o644, 'keep.log': 0o600, 'm.txt': 0o755, '.dot': 0o644, 'sub/b.tmp': 0o644, 'sub/c.txt': 0o640, 'sub/deep/d.txt': 0o644, 'sub/x[2].txt': 0o644, 'sub/ünï.txt': 0o644 };
    for (const [p, mode] of Object.entries(entries)) {
      if (!rng.chance(0.8)) continue;
      writeFileSync(join(dir, d, p), `${d}/${p} ${rng.int(1000)}\n`);
      chmodSync(join(dir, d, p), mode);
    }
    if (existsSync(join(dir, d, 'm.txt')) && rng.chance(0.6)) {
      symlinkSync('m.txt', join(dir, d, 'link-to-m'));
      links.push(`${d}/link-to-m`);
    }
    // Links that leave their directory: to a file beside it, or to the top of the context (plain.txt, which no
    // filter names; .dockerignore, where a filter goes, would leave a target out of every COPY). An added
    // directory keeps them as links; an added file is the file they name.
    if (existsSync(join(dir, d, 'm.txt')) && rng.chance(0.5)) {
      symlinkSync('../m.txt', join(dir, d, 'sub', 'up'));
      links.push(`${d}/sub/up`);
    }
    if (rng.chance(0.5)) {
      symlinkSync('../plain.txt', join(dir, d, 'out'));
      links.push(`${d}/out`);
    }
    if (rng.chance(0.4)) {
      symlinkSync('../../plain.txt', join(dir, d, 'sub', 'far'));
      links.push(`${d}/sub/far`);
    }
    // A link down into a subdirectory (given as the source, it is the file it names), and a link to a directory
    // (a wildcard element matching it goes through it, as a COPY source it is the directory).
    if (existsSync(join(dir, d, 'sub', 'c.txt')) && rng.chance(0.4)) {
      symlinkSync('sub/c.txt', join(dir, d, 'into'));
      links.push(`${d}/into`);
    }
    if (rng.chance(0.3)) symlinkSync('sub', join(dir, d, 'sublink'));
    if (rng.chance(0.4)) chmodSync(join(dir, d, 'sub'), 0o750);
    dirs.push(d);
  }
  // A directory named through a link at the top of the context: added, copied and matched through it. (No link to a
  // file at the top: a wildcard element before the last matching one fails docker build's file sender, see README.)
  if (rng.chance(0.5)) {
    symlinkSync('pkg', join(dir, 'linkdir'));
    dirs.push('linkdir');
  }
  return { files, dirs, links };
}

/** The directory a context directory is (a linked one is the one it names): its files, one filter (see 'dir'). */
function realDir(d: string): string {
  return d === 'linkdir' ? 'pkg' : d;
}

/**
 * Wildcard sources for copyFile / add: patterns of several path elements, classes, `?`, `**` (one element in COPY,
 * as `*`), patterns matching directories and files together. A pattern of several elements matches no link itself
 * (docker's file sender does not send the target of a link matched below the first wildcard element; kiln does the
 * same, so both builds fail with "not found"), and an element before the last never matches a link to a file.
 */
function wildcardSource(rng: Rng, d: string, files: readonly ContextFile[]): string {
  return rng.pick([
    '*.txt',
    `${d}/sub/*.txt`,
    `${d}/*`,
    `${d}/**`,
    `${d}/s*`,
    '*/sub/*.txt',
    '*/m.txt',
    `${d}/s*/*.txt`,
    `${d}/s*/deep/*`,
    `[lop]*/sub/[bc].*`,
    `${d}/[ak]*.log`,
    `${d}/m.tx?`,
    `${d}/sub/?.t*`,
    rng.pick(files).path,
    d,
  ]);
}

/**
 * Whether the COPY pattern `pattern` matches something in `dir`, element by element as COPY matches (`*`, `?`,
 * classes; `**` as `*`), through links: copyFile refuses a pattern that matches nothing, where COPY copies nothing.
 */
function matchesSomething(dir: string, pattern: string): boolean {
  const element = (e: string): RegExp =>
    new RegExp(`^${e.replace(/\[!/g, '[^').replace(/[.+^${}()|\\]/g, (c) => (c === '^' ? c : `\\${c}`)).replace(/\*+/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  const walk = (at: string, rest: readonly string[]): boolean => {
    const [first, ...more] = rest;
    if (first === undefined) return true;
    let names: string[];
    try {
      if (!statSync(at).isDirectory()) return false;
      names = readdirSync(at);
    } catch {
      return false;
    }
    const re = element(first);
    return names.some((n) => re.test(n) && walk(join(at, n), more));
  };
  return walk(dir, pattern.split('/'));
}

/** Generates the program for `seed`, writing its context into `contextDir` (an empty directory). */
export function generateProgram(seed: number, contextDir: string, bases: readonly string[], net?: NetworkStandIns): ParityProgram {
  const rng = new Rng(seed);
  let readsSecret = false;
  const { files, dirs, links } = writeContext(rng, contextDir);
  const base = rng.pick(bases);
  const lines: string[] = [`Image.fromRegistry(${JSON.stringify(base)})`];
  let image = Image.fromRegistry(base);
  const users = base.startsWith('debian') ? [...USERS, ...DEBIAN_USERS] : USERS;
  const owners = base.startsWith('debian') ? [...OWNERS, ...DEBIAN_OWNERS] : OWNERS;
  let user = 'root';
  const dirIgnore = new Map<string, string[]>();
  let n = 0;
  const steps = 5 + rng.int(8);
  const add = (line: string, next: Image): void => {
    lines.push(`  .${line}`);
    image = next;
  };
  const s = (x: unknown): string => JSON.stringify(x);

  const python = base.startsWith('python');
  const apt = python || base.startsWith('debian');
  const pipOptions = (): Record<string, unknown> => (net === undefined ? {} : { indexUrl: net.indexUrl, extraOptions: ['--trusted-host', net.indexHost] });
  const requirement = (): string => {
    const p = rng.pick(INDEX_PROJECTS);
    const v = rng.pick(p.versions);
    return rng.pick([p.project, `${p.project}==${v}`, `${p.project}<=${v}`, `${p.module}>=0.1`]);
  };
  const kinds = ['env', 'setEnvVars', 'workdir', 'user', 'run', 'run', 'run', 'file', 'file', 'dir', 'copyFrom', 'config', 'dockerfile', 'force', 'copyFile', 'symlinkFile', 'shell', 'rsync'];
  if (net !== undefined) kinds.push('secretRun');
  if (net !== undefined && apt) kinds.push('apt', 'apt');
  if (net !== undefined && python) kinds.push('pip', 'pip', 'uv', 'copyPip');

  for (let i = 0; i < steps; i++) {
    n += 1;
    const kind = rng.pick(kinds);
    switch (kind) {
      case 'pip': {
        // Two requirements name two projects: two pins of one project (kiln-par-a==1.0 kiln-par-a==2.0) fail pip in both builds.
        const reqs = [requirement(), ...(rng.chance(0.4) ? [requirement()] : [])];
        if (reqs.length === 2 && reqs.every((r) => r.startsWith('kiln-par-a') || r.startsWith('kiln_par_a'))) reqs.pop();
        const opts = pipOptions();
        if (rng.chance(0.3)) opts['extraOptions'] = [...(opts['extraOptions'] as string[]), '--no-compile'];
        add(`pipInstall(${s(reqs)}, ${s(opts)})`, image.pipInstall(reqs, opts));
        break;
      }
      case 'uv': {
        if (net === undefined) break;
        const reqs = [requirement()];
        const opts = { ...pipOptions(), uvImage: net.uvImage };
        add(`uvPipInstall(${s(reqs)}, ${s(opts)})`, image.uvPipInstall(reqs, opts));
        break;
      }
      case 'apt': {
        // The Debian bases' apt mirror stand-in serves the real archive's `hello`; removing it takes the program back.
        if (rng.chance(0.7)) add(`aptInstall(["hello"])`, image.aptInstall(['hello']));
        else add(`aptInstall(["hello"]).aptRemove(["hello"])`, image.aptInstall(['hello']).aptRemove(['hello']));
        break;
      }
      case 'secretRun': {
        // A step that reads a build secret: what it writes from it is compared, the secret itself is nowhere in either image.
        if (net === undefined) break;
        readsSecret = true;
        const root = user === 'root' || user === '0';
        const dir = root ? `/sec${n}` : `/tmp/sec${n}`;
        const cmd = `mkdir -p ${dir} && printf %s "$${net.secretId}" | wc -c > ${dir}/len && printf %s "$${net.secretId}" | sha256sum > ${dir}/sum && ls /run/secrets > ${dir}/ls`;
        add(`runCommands(${s(cmd)}, ${s({ secrets: [net.secretId] })})`, image.runCommands(cmd, { secrets: [net.secretId] }));
        break;
      }
      case 'rsync': {
        // Kubetorch's rsync: "pkg" is the directory itself, "pkg/" (or contents: true) what it holds. Its filter
        // (*.pyc, __pycache__, .venv, .git) goes to .dockerignore, which every COPY of the directory shares (see 'dir').
        const d = rng.pick(dirs);
        const known = dirIgnore.get(realDir(d));
        if (known !== undefined && known !== RSYNC_FILTER) break;
        dirIgnore.set(realDir(d), RSYNC_FILTER);
        const src = rng.pick([d, `${d}/`, `./${d}`]);
        const dest = rng.pick(['/rs', `/rs${n}/`, 'rel-rs', '']) || undefined;
        const opts: Record<string, unknown> = {};
        if (rng.chance(0.3)) opts['contents'] = true;
        if (rng.chance(0.2)) opts['owner'] = rng.pick(owners);
        const has = Object.keys(opts).length > 0;
        add(`rsync(${s(src)}${dest === undefined ? (has ? ', undefined' : '') : `, ${s(dest)}`}${has ? `, ${s(opts)}` : ''})`, image.rsync(src, dest, has ? opts : undefined));
        break;
      }
      case 'copyPip': {
        // A branch that pip-installs, its site-packages copied here.
        const p = rng.pick(INDEX_PROJECTS);
        const reqs = [`${p.project}==${rng.pick(p.versions)}`];
        const branch = Image.fromRegistry(base).pipInstall(reqs, pipOptions());
        const src = rng.pick([`${SITE_PACKAGES}/${p.module}`, SITE_PACKAGES]);
        const dest = rng.pick(['/from-pip/', `/from-pip${n}`]);
        lines.push(`  // branch = Image.fromRegistry(${s(base)}).pipInstall(${s(reqs)}, ${s(pipOptions())})`);
        add(`copyFrom(branch, ${s(src)}, ${s(dest)})`, image.copyFrom(branch, src, dest));
        break;
      }
      case 'env': {
        const vars = { [rng.pick(VARS)]: rng.pick(ENV_VALUES) };
        add(`env(${s(vars)})`, image.env(vars));
        break;
      }
      case 'setEnvVars': {
        const vars: Record<string, string> = {};
        for (let k = 0; k < 1 + rng.int(3); k++) vars[rng.pick(VARS)] = rng.pick(ENV_VALUES);
        add(`setEnvVars(${s(vars)})`, image.setEnvVars(vars));
        break;
      }
      case 'workdir': {
        const path = rng.pick(['/w', 'sub', 'a/b', '/srv/app', '/srv/app/x y', 'nest/ed/']);
        add(`workdir(${s(path)})`, image.workdir(path));
        break;
      }
      case 'user': {
        user = rng.pick(users);
        add(`user(${s(user)})`, image.user(user));
        break;
      }
      case 'run': {
        const root = user === 'root' || user === '0';
        const asRoot = !root && rng.chance(0.5);
        const dir = root || asRoot ? `/g${n}` : `/tmp/g${n}`;
        const parts = [`mkdir -p ${dir}`, `echo "$A|$B|\${C_1:-}" > ${dir}/env`, `pwd > ${dir}/pwd`, `id -u > ${dir}/uid`];
        if (rng.chance(0.6)) parts.push(`echo data > ${dir}/f`, `chmod ${rng.pick(['600', '755', '4755', '640', '1777'])} ${dir}/f`);
        if (rng.chance(0.5)) parts.push(`ln -s f ${dir}/sym`, `ln -s /etc/passwd ${dir}/abs`);
        if (rng.chance(0.5)) parts.push(`echo hl > ${dir}/h1`, `ln ${dir}/h1 ${dir}/h2`);
        if ((root || asRoot) && rng.chance(0.5)) parts.push(`echo own > ${dir}/owned`, `chown ${rng.pick(owners)} ${dir}/owned`);
        if ((root || asRoot) && rng.chance(0.3)) parts.push('touch rel-file');
        const opts: Record<string, unknown> = {};
        if (asRoot) opts['user'] = 'root';
        if (rng.chance(0.2) && (root || asRoot)) opts['cwd'] = '/tmp';
        if (rng.chance(0.25) && (root || asRoot) && !parts.includes('touch rel-file')) opts['outputs'] = [dir];
        if (rng.chance(0.15)) opts['env'] = { B: 'step-b' };
        const cmd = parts.join(' && ');
        add(`runCommands(${s(cmd)}${Object.keys(opts).length > 0 ? `, ${s(opts)}` : ''})`, Object.keys(opts).length > 0 ? image.runCommands(cmd, opts) : image.runCommands(cmd));
        break;
      }
      case 'file': {
        const f = rng.pick(files);
        const dest = rng.pick(['/d/', `/d/renamed-${n}`, './', 'rel/', '/d/x y/']);
        const opts: Record<string, unknown> = {};
        if (rng.chance(0.3)) opts['mode'] = rng.pick([0o600, 0o755, 0o711]);
        if (rng.chance(0.3)) opts['owner'] = rng.pick(owners);
        const has = Object.keys(opts).length > 0;
        add(`addLocalFile(${s(f.path)}, ${s(dest)}${has ? `, ${s(opts)}` : ''})`, has ? image.addLocalFile(f.path, dest, opts) : image.addLocalFile(f.path, dest));
        break;
      }
      case 'dir': {
        const d = rng.pick(dirs);
        const opts: Record<string, unknown> = { remotePath: rng.pick(['/app', `/app${n}/`, 'relapp', '/opt/x y']) };
        // One filter per directory and program: .dockerignore, where toDockerfile() puts a COPY's filter, applies
        // to every COPY, so the same directory copied with two filters has no Dockerfile (toDockerfile() says so).
        let ignore = dirIgnore.get(realDir(d));
        if (ignore === RSYNC_FILTER) break;
        if (ignore === undefined) {
          ignore = rng.chance(0.6) ? rng.pick([['*.log'], ['**/*.tmp'], ['*.log', '!keep.log'], ['sub/deep'], ['.dot', 'sub/*.txt'], ['**/x[[]2].txt']]) : [];
          dirIgnore.set(realDir(d), ignore);
        }
        if (ignore.length > 0) opts['ignore'] = ignore;
        if (rng.chance(0.3)) opts['contents'] = false;
        if (rng.chance(0.2)) opts['owner'] = rng.pick(owners);
        if (rng.chance(0.2)) opts['mode'] = rng.pick([0o755, 0o700]);
        add(`addLocalDir(${s(d)}, ${s(opts)})`, image.addLocalDir(d, opts));
        break;
      }
      case 'copyFrom': {
        // A branch that shares the program's base: files made there, copied here.
        const cmd = `mkdir -p /art/in && echo art${n} > /art/in/x && chmod 700 /art/in && ln -s x /art/in/y && chown 1:1 /art/in/x`;
        const branch = Image.fromRegistry(base).runCommands(cmd);
        const src = rng.pick(['/art', '/art/in/x', '/art/in']);
        const dest = rng.pick(['/from/', `/from${n}/y/`, 'rel-from/']);
        const opts: Record<string, unknown> = {};
        if (rng.chance(0.3)) opts['contents'] = false;
        if (rng.chance(0.2)) opts['owner'] = rng.pick(owners);
        lines.push(`  // branch = Image.fromRegistry(${s(base)}).runCommands(${s(cmd)})`);
        add(`copyFrom(branch, ${s(src)}, ${s(dest)}, ${s(opts)})`, image.copyFrom(branch, src, dest, opts));
        break;
      }
      case 'config': {
        const which = rng.pick(['entrypoint', 'cmd', 'labels', 'expose']);
        if (which === 'entrypoint') add(`entrypoint(["sh", "-c", "echo $A"])`, image.entrypoint(['sh', '-c', 'echo $A']));
        else if (which === 'cmd') add(`cmd(["a b", "$B"])`, image.cmd(['a b', '$B']));
        else if (which === 'labels') {
          const labels = { [`l.${n}`]: rng.pick(ENV_VALUES), 'two words': 'x  y' };
          add(`labels(${s(labels)})`, image.labels(labels));
        } else {
          const port = rng.pick([8080, '53/udp', '9000/tcp']);
          add(`expose(${s(port)})`, image.expose(port));
        }
        break;
      }
      case 'dockerfile': {
        const cmds = rng.pick([
          ['ENV D=$A E=${B:-none}'],
          ['ARG X=argx', 'RUN echo "$X $A" > /tmp/df-x'],
          ['LABEL df.label="$A"', 'WORKDIR df'],
          ['COPY plain.txt /df/'],
          ['USER root', 'RUN mkdir -p /df && touch /df/t'],
          // A wildcard that matches nothing copies nothing (copyFile refuses one, see README).
          ['COPY nothing-here* /df-none/', 'COPY plain.txt no-such-[xy] /df-some/'],
        ]);
        add(`dockerfileCommands(${s(cmds)})`, image.dockerfileCommands(cmds));
        if (cmds[0] === 'USER root') user = 'root';
        break;
      }
      case 'copyFile': {
        // Chutes' copy_file / add: Dockerfile COPY / ADD semantics, wildcards included.
        // A directory copied unfiltered here is never copied with a filter (see 'dir'): .dockerignore would filter both.
        // A pattern whose first element is a wildcard reaches every directory (through linkdir too).
        const d = rng.pick(dirs);
        const src = wildcardSource(rng, d, files);
        if (/[*?[]/.test(src) && !existsSync(join(contextDir, src)) && !matchesSomething(contextDir, src)) break;
        const reached = /^[*[][^/]*\//.test(src) ? dirs : src.startsWith(`${d}/`) || src === d ? [d] : [];
        if (reached.some((x) => (dirIgnore.get(realDir(x)) ?? []).length > 0)) break;
        for (const x of reached) dirIgnore.set(realDir(x), []);
        const dest = rng.pick(['/cf/', `/cf${n}/`, 'relcf/']);
        const method = rng.pick(['copyFile', 'add'] as const);
        add(`${method}(${s(src)}, ${s(dest)})`, method === 'add' ? image.add(src, dest) : image.copyFile(src, dest));
        break;
      }
      case 'symlinkFile': {
        // A symbolic link in the context, named as the file to add: both follow it.
        if (links.length === 0) break;
        const link = rng.pick(links);
        const dest = rng.pick(['/sl/', `/sl/named-${n}`]);
        add(`addLocalFile(${s(link)}, ${s(dest)})`, image.addLocalFile(link, dest));
        break;
      }
      case 'shell': {
        add('shell(["/bin/sh", "-ec"])', image.shell(['/bin/sh', '-ec']));
        break;
      }
      case 'force': {
        add('forceBuild()', image.forceBuild());
        break;
      }
    }
  }
  return { seed, lines, image, readsSecret };
}
