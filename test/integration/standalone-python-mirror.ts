/**
 * A local stand-in for python-build-standalone's GitHub releases, for `withPython` tests on a machine without
 * internet: an HTTP server on the daemon's bridge that serves one "install_only" archive at `<tag>/<file>`, the
 * layout of the real releases. The archive is Debian's CPython from the python:3.11-slim stand-in, laid out the same
 * way (bin/python3.X, bin/pip3.X, the standard library under lib/) and relocatable like the real one, with the one
 * shared library it needs beyond libc bundled; it reports Debian's version whatever version it is served as. It is
 * not the release's archive, so its SHA-256 (`sha256`) is not the one kiln checks downloads against: a build that
 * takes it gives that checksum (`standaloneSha256`, or KILN_PYTHON_INSTALL_SHA256), as for a mirror of one's own builds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standaloneBuild } from '../../src/image/installers.js';
import { dockerCli, testEnv } from './test-env.js';

export interface StandalonePythonMirror {
  /** The mirror's base URL, for `standaloneMirror` or `KILN_PYTHON_INSTALL_MIRROR`. */
  readonly url: string;
  /** The one path it serves (`<prefix>/<tag>/cpython-<full>+<tag>-x86_64-unknown-linux-gnu-<kind>.tar.gz`, the archive kiln asks for). */
  readonly path: string;
  /** The SHA-256 of the archive it serves (hex). */
  readonly sha256: string;
  /** Every path requested so far. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves CPython `full` (e.g. "3.11.5") as release `tag` carries it. */
export async function serveStandalonePython(full: string, tag: string): Promise<StandalonePythonMirror> {
  const env = testEnv();
  const minor = full.split('.').slice(0, 2).join('.');
  const file = `cpython-${full}+${tag}-x86_64-unknown-linux-gnu-${standaloneBuild(full)?.kind ?? 'install_only'}.tar.gz`;
  const archive = await standaloneArchive(minor);
  const prefix = `/mirror-${Math.random().toString(36).slice(2, 8)}-${full}`;
  const path = `${prefix}/${tag}/${file}`;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === path) res.end(archive);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, env.bridge.gateway, resolve));
  return {
    url: `http://${env.bridge.gateway}:${(server.address() as AddressInfo).port}${prefix}/`,
    path,
    sha256: createHash('sha256').update(archive).digest('hex'),
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The archive of CPython `minor` laid out as python-build-standalone's are, made with `docker run` of the
 * python:3.11-slim stand-in (10-15 s) the first time, then kept under the OS temp directory: its content depends only
 * on `minor`, the base image (its ID) and the script, which name the cached file, so the tests and passes that serve it
 * make it once.
 */
async function standaloneArchive(minor: string): Promise<Buffer> {
  const script = [
    'mkdir -p /tmp/p/python/bin /tmp/p/python/lib/python3/dist-packages',
    // The real build needs nothing from the system; Debian's needs libexpat, so it goes along in lib/ and the
    // interpreter is started through a wrapper that points the loader there.
    `cp /usr/bin/python3.11 /tmp/p/python/bin/.python${minor}-real`,
    'cp -L /usr/lib/x86_64-linux-gnu/libexpat.so.1 /tmp/p/python/lib/',
    `printf '#!/bin/sh\\nD="$(dirname "$(readlink -f "$0")")"\\nLD_LIBRARY_PATH="$D/../lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$D/.python${minor}-real" "$@"\\n' > /tmp/p/python/bin/python${minor}`,
    `chmod 755 /tmp/p/python/bin/python${minor}`,
    'cp -a /usr/lib/python3.11 /tmp/p/python/lib/',
    'cp -a /usr/lib/python3/dist-packages/pip /tmp/p/python/lib/python3/dist-packages/',
    `printf '#!/bin/sh\\nexec "$(dirname "$(readlink -f "$0")")/python${minor}" -m pip "$@"\\n' > /tmp/p/python/bin/pip${minor}`,
    `chmod 755 /tmp/p/python/bin/pip${minor}`,
    // No bytecode: 22 of the tree's 51 MB are __pycache__ directories, which every test that serves the archive would
    // otherwise download, unpack, store as a layer and (on dockerd 26.1, or a buildkitd loading into Docker) export
    // and load again. The interpreter writes what it needs when it runs.
    'find /tmp/p -name __pycache__ -prune -exec rm -rf {} +',
    // gzip's fastest level: the archive is made on every run of a cold cache; how small it is matters to no one.
    "tar -C /tmp/p -I 'gzip -1' -cf /out/python.tar.gz python",
  ].join('\n');
  // The stand-in is in the registry mirror; a daemon that has not used it yet (a fresh dockerd 26.1, a test run alone)
  // pulls it first.
  const inspect = async (): Promise<{ code: number | null; stdout: string }> => dockerCli(['image', 'inspect', '-f', '{{.Id}}', 'python:3.11-slim'], { allowFailure: true });
  let found = await inspect();
  if (found.code !== 0) {
    await dockerCli(['pull', '-q', 'python:3.11-slim']);
    found = await inspect();
  }
  const imageId = found.stdout.trim();
  const key = createHash('sha256').update(`${imageId}\0${minor}\0${script}`).digest('hex').slice(0, 16);
  const cached = join(tmpdir(), `kiln-it-standalone-python-${key}.tar.gz`);
  if (existsSync(cached)) return readFileSync(cached);
  const out = mkdtempSync(join(tmpdir(), 'kiln-standalone-'));
  try {
    await dockerCli(['run', '--rm', '--network', 'none', '-v', `${out}:/out`, 'python:3.11-slim', 'sh', '-ec', script]);
    // Renamed into place: a concurrent run finds the whole file or none.
    renameSync(join(out, 'python.tar.gz'), cached);
    return readFileSync(cached);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
