/**
 * The kiln CLI as a user runs it (spawned `node bin/kiln.js` of kiln compiled as it is published, real daemon): every output type of `kiln build`, the
 * progress modes, `--metadata-file`, the environment variables the Docker/BuildKit tools honour, the daemon commands
 * (`info`, `workers`, `du`, `prune`, `doctor`) and `--help`/`--version`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KILN_BIN, KILN_INDEX_URL, runKiln, type CliRun } from './kiln-cli.js';
import { parseRecording } from '../../src/progress/index.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const stamp = `${process.pid}-${Date.now()}`;
const created: string[] = [];
let work: string;
const kiln = (args: readonly string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliRun> => runKiln(args, { cwd: work, env: extraEnv });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kiln-cli-cmds-'));
  writeFileSync(
    join(work, 'image.ts'),
    `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
      `export default Image.fromRegistry('busybox:latest')\n` +
      `  .env({ STAMP: ${JSON.stringify(stamp)} })\n` +
      `  .runCommands('mkdir -p /out && echo "hello ${stamp}" > /out/hello.txt && echo "step log ${stamp}"')\n` +
      `  .cmd(['cat', '/out/hello.txt']);\n` +
      `export const secret = Image.fromRegistry('busybox:latest').runCommands('echo ${stamp} >/dev/null; sha256sum /run/secrets/token | cut -c1-16 > /token-hash', { secrets: [{ id: 'token', path: '/run/secrets/token' }] });\n` +
      // The same step for the ~ test, apart (a secret is not part of the cache key: one step would hand the other test
      // the hash of this one's token).
      `export const secretHome = Image.fromRegistry('busybox:latest').runCommands('echo ${stamp}-home >/dev/null; sha256sum /run/secrets/token | cut -c1-16 > /token-hash', { secrets: [{ id: 'token', path: '/run/secrets/token' }] });\n`,
  );
});

afterAll(async () => {
  await removeImages(created);
  rmSync(work, { recursive: true, force: true });
});

describe('kiln build outputs', () => {
  it('--load puts the image into Docker under its tag and prints the image id', async () => {
    const tag = `kiln-cli/outputs:${stamp}-load`;
    created.push(tag);
    const r = await kiln(['build', 'image.ts', '--load', '-t', tag, '--progress', 'quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.stderr).toContain(`named docker.io/${tag}`);
    expect((await dockerCli(['run', '--rm', '--network', 'none', tag])).stdout).toBe(`hello ${stamp}\n`);
  });

  it('an export it cannot write (a full disk: /dev/full) says so once with the destination and exits 1, without blaming a registry', async () => {
    const r = await kiln(['build', 'image.ts', '-o', 'type=tar,dest=/dev/full', '--progress', 'quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: cannot write the export to /dev/full (ENOSPC)\nhint: The disk of the destination is full');
    expect(r.stderr.match(/error:/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/registry|exporting to client/);
  });

  it('buildx spellings: -q prints only the image id on stdout, --iidfile writes the ID Docker shows', async () => {
    const tag = `kiln-cli/outputs:${stamp}-quiet`;
    created.push(tag);
    const iid = join(work, 'iid');
    writeFileSync(iid, 'stale');
    const r = await kiln(['build', 'image.ts', '-t', tag, '-q', '--iidfile', iid]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(r.stderr).not.toMatch(/steps?, \d+ cached|#\d+ /);
    const shown = (await dockerCli(['image', 'inspect', '--format', '{{.Id}}', tag])).stdout.trim();
    expect(readFileSync(iid, 'utf8')).toBe(shown);

    // `--iidfile /dev/stdout` and the like: a destination that is not a regular file is written to, never removed
    // first (as root the removal of a stale ID took /dev/stdout with it). A named pipe stands in for the device.
    const fifo = join(work, 'iid.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = new Promise<string>((resolve, reject) => execFile('cat', [fifo], (err, out) => (err === null ? resolve(out) : reject(err))));
    const piped = await kiln(['build', 'image.ts', '-t', tag, '-q', '--iidfile', fifo]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(await reader).toBe(shown);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('--push sends the image to the registry', async () => {
    const name = `${env.registry.address}/kiln-cli/pushed:${stamp}`;
    created.push(name);
    const r = await kiln(['build', 'image.ts', '--push', '-t', name, '--progress', 'quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`pushed ${name}`);
    const res = await fetch(`${env.registry.url}/v2/kiln-cli/pushed/tags/list`);
    expect(((await res.json()) as { tags: string[] }).tags).toContain(stamp);

    // buildx's spelling: the output names the registry, -t the image.
    const other = `${env.registry.address}/kiln-cli/pushed:${stamp}-registry`;
    created.push(other);
    const viaOutput = await kiln(['build', 'image.ts', '-t', other, '-o', 'type=registry', '--progress', 'quiet']);
    expect(viaOutput.code).toBe(0);
    expect(viaOutput.stderr).toContain(`pushed ${other}`);
    const again = await fetch(`${env.registry.url}/v2/kiln-cli/pushed/tags/list`);
    expect(((await again.json()) as { tags: string[] }).tags).toContain(`${stamp}-registry`);
  });

  it('--output type=local writes the filesystem into a directory', async () => {
    const dest = join(work, 'rootfs');
    const r = await kiln(['build', 'image.ts', '--output', `type=local,dest=${dest}`, '--progress', 'quiet']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dest, 'out', 'hello.txt'), 'utf8')).toBe(`hello ${stamp}\n`);
    expect(existsSync(join(dest, 'bin', 'busybox'))).toBe(true);
    expect(r.stderr).toContain(`wrote ${dest}`);
    expect(readdirSync(work).filter((n) => n.includes('kiln-tmp'))).toEqual([]);
  });

  it('--output type=local into a directory with content writes into it and keeps the user\'s files (dest=.)', async () => {
    const project = join(work, 'project-dest');
    mkdirSync(join(project, 'out'), { recursive: true });
    writeFileSync(join(project, 'image.ts'), readFileSync(join(work, 'image.ts')));
    writeFileSync(join(project, 'NOTES.md'), 'my notes\n');
    writeFileSync(join(project, 'out', 'mine.txt'), 'mine\n');
    writeFileSync(join(project, 'out', 'hello.txt'), 'replaced by the export\n');
    const r = await runKiln(['build', 'image.ts', '--output', 'type=local,dest=.', '--progress', 'quiet'], { cwd: project });
    expect(r.code).toBe(0);
    expect(readFileSync(join(project, 'NOTES.md'), 'utf8')).toBe('my notes\n');
    expect(readFileSync(join(project, 'image.ts'), 'utf8')).toContain('busybox');
    expect(readFileSync(join(project, 'out', 'mine.txt'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(project, 'out', 'hello.txt'), 'utf8')).toBe(`hello ${stamp}\n`);
    expect(existsSync(join(project, 'bin', 'busybox'))).toBe(true);
    expect(readdirSync(work).filter((n) => n.includes('kiln-tmp'))).toEqual([]);
  });

  it('--output type=tar to an existing directory is refused before building, and the directory is untouched', async () => {
    const dir = join(work, 'tardir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'keep.txt'), 'keep\n');
    const r = await kiln(['build', 'image.ts', '--output', `type=tar,dest=${dir}`, '--progress', 'plain']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: the export destination ${dir} is a directory; this export writes one file`);
    expect(r.stderr).not.toMatch(/#\d+ /); // nothing was built
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });

  it('an export destination where no file can be made is refused before building, even for root (/proc, /sys)', async () => {
    const tar = await kiln(['build', 'image.ts', '--output', 'type=tar,dest=/proc/kiln-cli.tar', '--progress', 'plain']);
    expect(tar.code).toBe(1);
    expect(tar.stderr).toMatch(/^error: cannot write the export to \/proc\/kiln-cli\.tar: \/proc is not a writable directory/m);
    expect(tar.stderr).toMatch(/^hint: Choose a destination in a directory you can write to/m);
    expect(tar.stderr).not.toMatch(/#\d+ /); // nothing was built
    const dir = await kiln(['build', 'image.ts', '--output', 'type=local,dest=/sys/kiln-cli', '--progress', 'plain']);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toMatch(/^error: cannot create a staging directory for the export in \/sys/m);
    expect(dir.stderr).toMatch(/^hint: kiln may not write there/m);
    expect(dir.stderr).not.toContain('.dockerignore');
    expect(dir.stderr).not.toMatch(/#\d+ /);
  });

  it('--output type=tar writes a tarball to a file, and to stdout with dest=-', async () => {
    const file = join(work, 'fs.tar');
    const r = await kiln(['build', 'image.ts', '--output', `type=tar,dest=${file}`, '--progress', 'quiet']);
    expect(r.code).toBe(0);
    expect(execFileSync('tar', ['-xOf', file, 'out/hello.txt']).toString()).toBe(`hello ${stamp}\n`);

    const piped = execFileSync('sh', ['-c', `node "$KILN" build image.ts --output type=tar,dest=- --progress quiet | tar -xOf - out/hello.txt`], {
      cwd: work,
      env: { ...process.env, KILN: KILN_BIN, BUILDKIT_HOST: env.buildkitHost, DOCKER_HOST: env.dockerHost },
    });
    expect(piped.toString()).toBe(`hello ${stamp}\n`);

    // buildx's spelling: a tarball output without dest= goes to stdout.
    const bare = execFileSync('sh', ['-c', `node "$KILN" build image.ts -o type=tar --progress quiet | tar -xOf - out/hello.txt`], {
      cwd: work,
      env: { ...process.env, KILN: KILN_BIN, BUILDKIT_HOST: env.buildkitHost, DOCKER_HOST: env.dockerHost },
    });
    expect(bare.toString()).toBe(`hello ${stamp}\n`);
  });

  it('--output type=tar|docker,dest=<a device or named pipe> writes into it and leaves it a pipe (dest=/dev/null as root replaced /dev/null)', async () => {
    for (const type of ['tar', 'docker']) {
      const fifo = join(work, `out-${type}.fifo`);
      execFileSync('mkfifo', [fifo]);
      // What `tar` finds in the archive read from the pipe: the file itself (tar) or the image's manifest (docker).
      const member = type === 'tar' ? 'out/hello.txt' : 'manifest.json';
      const reader = new Promise<string>((resolve, reject) => {
        // Through cat: GNU tar reading a pipe by name stops at the pipe's short reads ("Unaligned block").
        execFile('sh', ['-c', 'cat "$1" | tar -xOf - "$2"', 'sh', fifo, member], (err, stdout) => (err === null ? resolve(stdout) : reject(err)));
      });
      const r = await kiln(['build', 'image.ts', '--output', `type=${type},dest=${fifo}${type === 'docker' ? `,name=kiln-cli/outputs:${stamp}-fifo` : ''}`, '--progress', 'quiet']);
      expect(r.code, r.stderr).toBe(0);
      const read = await reader;
      if (type === 'tar') expect(read).toBe(`hello ${stamp}\n`);
      else expect(read).toContain(`kiln-cli/outputs:${stamp}-fifo`);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(readdirSync(work).filter((f) => f.includes('kiln-tmp') || f.includes('kiln-probe'))).toEqual([]);
    }
  });

  it('--output type=docker,dest=FILE writes an archive `docker load` accepts', async () => {
    const file = join(work, 'image.tar');
    const tag = `kiln-cli/outputs:${stamp}-tar`;
    const r = await kiln(['build', 'image.ts', '--output', `type=docker,dest=${file},name=${tag}`, '--progress', 'quiet']);
    expect(r.code).toBe(0);
    await dockerCli(['rmi', '-f', tag], { allowFailure: true });
    created.push(tag);
    const loaded = await dockerCli(['load', '-i', file]);
    expect(loaded.stdout).toContain(tag);
    expect((await dockerCli(['run', '--rm', '--network', 'none', tag])).stdout).toBe(`hello ${stamp}\n`);
  });

  it('-t alone loads the image into the local Docker under that tag, and says so', async () => {
    const tag = `kiln-cli/outputs:${stamp}-t-only`;
    created.push(tag);
    await dockerCli(['rmi', '-f', tag], { allowFailure: true });
    const r = await kiln(['build', 'image.ts', '-t', tag, '--progress', 'quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`named docker.io/${tag}\n`);
    expect((await dockerCli(['run', '--rm', '--network', 'none', tag])).stdout).toBe(`hello ${stamp}\n`);
  });

  it('--output type=docker,dest=FILE without name= names the archive\'s image after -t', async () => {
    const file = join(work, 'image-tagged.tar');
    const tag = `kiln-cli/outputs:${stamp}-tar-t`;
    const r = await kiln(['build', 'image.ts', '--output', `type=docker,dest=${file}`, '-t', tag, '--progress', 'quiet']);
    expect(r.code).toBe(0);
    await dockerCli(['rmi', '-f', tag], { allowFailure: true });
    created.push(tag);
    expect((await dockerCli(['load', '-i', file])).stdout).toContain(`Loaded image: ${tag}`);
  });

  it('--output type=oci on classic dockerd explains what to use instead (buildkitd and containerd-store dockerd write it)', async () => {
    const r = await kiln(['build', 'image.ts', '--output', `type=oci,dest=${join(work, 'oci.tar')}`, '--progress', 'quiet']);
    if (env.buildkitHostSource === 'environment' && env.engine === 'debian') {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('oci exporter is not available');
      expect(r.stderr).toContain('type=docker');
      expect(existsSync(join(work, 'oci.tar'))).toBe(false);
    } else {
      expect(r.code).toBe(0);
      expect(execFileSync('tar', ['-tf', join(work, 'oci.tar')]).toString()).toContain('index.json');
    }
  });

  it('--metadata-file records digest, tags, exporter response and timing', async () => {
    const tag = `kiln-cli/outputs:${stamp}-meta`;
    created.push(tag);
    const file = join(work, 'meta.json');
    const r = await kiln(['build', 'image.ts', '--load', '-t', tag, '--metadata-file', file, '--progress', 'quiet']);
    expect(r.code).toBe(0);
    const meta = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(meta['digest']).toBe(r.stdout.trim());
    expect(meta['tags']).toEqual([`docker.io/${tag}`]);
    expect(meta['exporterResponse']).toHaveProperty('containerimage.digest');
    // Where buildx writes it, for scripts that read ."containerimage.digest".
    expect(meta['containerimage.digest']).toBe((meta['exporterResponse'] as Record<string, unknown>)['containerimage.digest']);
    expect(meta['definitionDigest']).toMatch(/^sha256:/);
    expect(typeof meta['durationMs']).toBe('number');
    expect(meta['steps']).toBeGreaterThan(0);
  });

  it('a path given as --flag=~/… or inside -o, --cache-from/--cache-to and --secret is in the home directory, as a shell reads ~ (no directory named ~)', async () => {
    const home = join(work, 'home');
    mkdirSync(home);
    writeFileSync(join(home, 'token'), `home-token-${stamp}`);
    const tag = `kiln-cli/outputs:${stamp}-home`;
    created.push(tag);
    const first = await kiln(
      ['build', 'image.ts:secretHome', '--load', '-t', tag, '--iidfile=~/iid', '--metadata-file=~/meta.json', '--secret', 'id=token,src=~/token', '--progress', 'quiet'],
      { HOME: home },
    );
    expect(first.stderr).toBe(`named docker.io/${tag}\n`);
    expect(first.code).toBe(0);
    expect(readFileSync(join(home, 'iid'), 'utf8')).toBe(first.stdout.trim());
    expect((JSON.parse(readFileSync(join(home, 'meta.json'), 'utf8')) as Record<string, unknown>)['digest']).toBe(first.stdout.trim());
    const tokenHash = execFileSync('sh', ['-c', 'printf %s "$V" | sha256sum | cut -c1-16'], { env: { ...process.env, V: `home-token-${stamp}` } }).toString();
    expect((await dockerCli(['run', '--rm', '--network', 'none', tag, 'cat', '/token-hash'])).stdout).toBe(tokenHash);
    // (A local cache export is refused by dockerd 20.10; its import is looked for where the export would have gone.)
    const second = await kiln(['build', 'image.ts', '--output=type=local,dest=~/rootfs', '--cache-from', 'type=local,src=~/cache', '--progress', 'plain'], { HOME: home });
    expect(second.code).toBe(0);
    expect(readFileSync(join(home, 'rootfs', 'out', 'hello.txt'), 'utf8')).toBe(`hello ${stamp}\n`);
    expect(second.stderr).toContain(`wrote ${home}/rootfs`);
    expect(second.stderr).toContain(`no cache to import from ${home}/cache: the directory does not exist (yet)`);
    expect(existsSync(join(work, '~'))).toBe(false);
  });

  it('--secret serves a build secret from an environment variable; the value stays out of the output', async () => {
    const tag = `kiln-cli/outputs:${stamp}-secret`;
    created.push(tag);
    const value = `cli-secret-${stamp}`;
    const r = await kiln(['build', 'image.ts:secret', '--load', '-t', tag, '--secret', 'id=token,env=KILN_TEST_TOKEN', '--progress', 'plain'], { KILN_TEST_TOKEN: value });
    expect(r.code).toBe(0);
    const expected = execFileSync('sh', ['-c', 'printf %s "$V" | sha256sum | cut -c1-16'], { env: { ...process.env, V: value } }).toString();
    expect((await dockerCli(['run', '--rm', '--network', 'none', tag, 'cat', '/token-hash'])).stdout).toBe(expected);
    expect(r.stdout + r.stderr).not.toContain(value);
  });

  it('--no-cache runs every step again', async () => {
    // Built here, not by the tests before it, so that the cache this test reads is its own.
    expect((await kiln(['build', 'image.ts', '--progress', 'plain'])).code).toBe(0);
    const warm = await kiln(['build', 'image.ts', '--progress', 'plain']);
    expect(warm.stderr).toMatch(/#\d+ CACHED/);
    const cold = await kiln(['build', 'image.ts', '--no-cache', '--progress', 'plain']);
    expect(cold.code).toBe(0);
    expect(cold.stderr).toContain(`step log ${stamp}`);
    expect(cold.stderr).not.toMatch(/#\d+ CACHED/);
  });
});

describe('kiln build: the build context and the image\'s own name', () => {
  it('--context is where the module runs: its local paths, rsync and Python sources are found there, and the digest is the same as building from inside it', async () => {
    const project = join(work, 'ctx-project');
    mkdirSync(join(project, 'data', 'sub'), { recursive: true });
    mkdirSync(join(project, 'mypkg'), { recursive: true });
    writeFileSync(join(project, 'data', 'sub', 'd.txt'), 'data\n');
    // rsync's default excludes apply at any depth, and a .gitignore applies below its own directory.
    mkdirSync(join(project, 'data', 'sub', '.git'), { recursive: true });
    mkdirSync(join(project, 'data', 'nested', '.venv'), { recursive: true });
    writeFileSync(join(project, 'data', 'sub', '.git', 'HEAD'), 'ref\n');
    writeFileSync(join(project, 'data', 'nested', '.venv', 'y'), 'y\n');
    writeFileSync(join(project, 'data', 'nested', '.gitignore'), 'ignored.txt\n');
    writeFileSync(join(project, 'data', 'nested', 'ignored.txt'), 'no\n');
    writeFileSync(join(project, 'data', 'nested', 'kept.txt'), 'yes\n');
    writeFileSync(join(project, 'mypkg', '__init__.py'), 'X = 1\n');
    writeFileSync(join(project, 'helper.py'), 'Y = 2\n');
    writeFileSync(
      join(project, 'image.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
        `export default Image.fromRegistry('busybox:latest')\n` +
        `  .rsync('.', '/app')\n` + // rsync's ".": the context's contents
        `  .rsync('./data/', '/data-contents')\n` + // trailing "/": the contents
        `  .rsync('./data', '/data-dir')\n` + // the directory itself
        `  .syncPackage('./mypkg')\n` +
        `  .addLocalPythonSource('helper');\n`,
    );
    const out = join(work, 'ctx-out');
    const r = await kiln(['build', 'ctx-project/image.ts', '--context', 'ctx-project', '--output', `type=local,dest=${out}`, '--progress', 'quiet']);
    expect(r.stderr).toBe(`wrote ${out}\n`);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'app', 'data', 'sub', 'd.txt'), 'utf8')).toBe('data\n');
    expect(existsSync(join(out, 'app', 'image.ts'))).toBe(true);
    expect(existsSync(join(out, 'app', 'ctx-project'))).toBe(false);
    expect(readFileSync(join(out, 'data-contents', 'sub', 'd.txt'), 'utf8')).toBe('data\n');
    expect(readFileSync(join(out, 'data-dir', 'data', 'sub', 'd.txt'), 'utf8')).toBe('data\n');
    expect(readdirSync(join(out, 'data-dir', 'data', 'sub')).sort()).toEqual(['d.txt']);
    expect(readdirSync(join(out, 'data-dir', 'data', 'nested')).sort()).toEqual(['.gitignore', 'kept.txt']);
    expect(readFileSync(join(out, 'opt', 'python-source', 'mypkg', '__init__.py'), 'utf8')).toBe('X = 1\n');
    expect(readFileSync(join(out, 'opt', 'python-source', 'helper.py'), 'utf8')).toBe('Y = 2\n');
    const fromOutside = await kiln(['llb', 'ctx-project/image.ts', '--context', 'ctx-project', '--digest']);
    const fromInside = await runKiln(['llb', 'image.ts', '--digest'], { cwd: project });
    expect(fromOutside.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(fromOutside.stdout).toBe(fromInside.stdout);
    const dockerfile = await kiln(['dockerfile', 'ctx-project/image.ts', '--context', 'ctx-project']);
    expect(dockerfile.code).toBe(0);
    expect(dockerfile.stdout).toContain('\nCOPY . /app\n');
    expect(dockerfile.stdout).toContain('\nCOPY data /data-contents\n');
    expect(dockerfile.stdout).toContain('\nCOPY data /data-dir/data\n');
    // No .gitignore/.ktignore in the project: nothing about them to put in .dockerignore.
    expect(dockerfile.stdout).not.toContain('.ktignore');
    const missing = await kiln(['build', 'ctx-project/image.ts', '--context', 'no-such-dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--context no-such-dir does not exist');
  });

  it('a Chutes image is named username/name:tag in Docker when no -t is given', async () => {
    const name = `chute-${stamp}`;
    const ref = `kiln-cli/${name}:1.0`;
    created.push(ref);
    writeFileSync(
      join(work, 'chute.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
        `export default new Image({ username: 'kiln-cli', name: ${JSON.stringify(name)}, tag: '1.0' }).fromBase('busybox:latest').runCommands('echo ${stamp} > /stamp');\n`,
    );
    const r = await kiln(['build', 'chute.ts', '--progress', 'plain']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`naming the image ${ref}`);
    expect(r.stderr).toContain(`named docker.io/${ref}`);
    expect((await dockerCli(['run', '--rm', '--network', 'none', ref, 'cat', '/stamp'])).stdout).toBe(`${stamp}\n`);
  });
});

describe('kiln llb', () => {
  it('--resolve prints the definition kiln build sends (base env resolved, same digest); offline it lacks the base env', async () => {
    const meta = join(work, 'llb-meta.json');
    const built = await kiln(['build', 'image.ts', '--metadata-file', meta, '--progress', 'quiet']);
    expect(built.code).toBe(0);
    const sent = (JSON.parse(readFileSync(meta, 'utf8')) as { definitionDigest: string }).definitionDigest;
    type Entry = { Digest: string; Op: { Op: { exec?: { meta: { env?: string[] } } } | null } };
    const entries = (text: string): Entry[] => text.trim().split('\n').map((l) => JSON.parse(l) as Entry);
    const resolved = await kiln(['llb', 'image.ts', '--resolve', '--json']);
    expect(resolved.code).toBe(0);
    const ops = entries(resolved.stdout);
    // dump-llb's last entry is the head: its input is the op producing the result.
    expect(ops[ops.length - 2]?.Digest).toBe(sent);
    const run = ops.find((e) => e.Op.Op?.exec !== undefined);
    expect(run?.Op.Op?.exec?.meta.env?.some((e) => e.startsWith('PATH='))).toBe(true);
    const offline = entries((await kiln(['llb', 'image.ts', '--json'])).stdout);
    expect(offline.find((e) => e.Op.Op?.exec !== undefined)?.Op.Op?.exec?.meta.env ?? []).not.toContainEqual(expect.stringMatching(/^PATH=/));
    expect(offline[offline.length - 2]?.Digest).not.toBe(sent);
    const misuse = await kiln(['llb', 'image.ts', '--platform', 'linux/arm64']);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain('--platform needs --resolve');
    expect((await kiln(['llb', 'image.ts', '--platform', 'linux/arm64', '--digest'])).stderr).toContain('--platform needs --resolve');
    const several = await kiln(['llb', 'image.ts', '--resolve', '--platform', 'linux/amd64,linux/arm64']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain("kiln llb prints one platform's definition, and --platform linux/amd64,linux/arm64 names several");
  });

  it('--resolve names the local sources for another client (buildctl --local NAME=DIR); --config prints the image config LLB does not carry', async () => {
    mkdirSync(join(work, 'llb app'), { recursive: true });
    writeFileSync(join(work, 'llb app', 'f.txt'), 'f\n');
    writeFileSync(
      join(work, 'llb-local.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
        `export default Image.fromRegistry('busybox:latest').addLocalDir('llb app', { remotePath: '/app' }).workdir('/app').env({ STAMP: ${JSON.stringify(stamp)} }).cmd(['cat', 'f.txt']);\n`,
    );
    const resolved = await kiln(['llb', 'llb-local.ts', '--resolve', '--json']);
    expect(resolved.code).toBe(0);
    const name = /"identifier":"local:\/\/([^"]+)"/.exec(resolved.stdout)?.[1];
    expect(resolved.stderr).toContain(`kiln llb: local sources (buildctl: --local '${name}=${join(work, 'llb app')}')`);
    const config = await kiln(['llb', 'llb-local.ts', '--resolve', '--config']);
    expect(config.code).toBe(0);
    const parsed = JSON.parse(config.stdout) as { config: { Env: string[]; WorkingDir: string; Cmd: string[] } };
    expect(parsed.config).toMatchObject({ WorkingDir: '/app', Cmd: ['cat', 'f.txt'] });
    expect(parsed.config.Env).toContain(`STAMP=${stamp}`);
    expect((await kiln(['llb', 'llb-local.ts', '--config'])).stderr).toContain('--config needs --resolve');
    // File times from SOURCE_DATE_EPOCH are nanoseconds past 2^53: printed as JSON numbers, as dump-llb prints them.
    for (const args of [['llb', 'llb-local.ts', '--json'], ['llb', 'llb-local.ts', '--resolve', '--json']]) {
      const dated = await kiln(args, { SOURCE_DATE_EPOCH: '1700000000' });
      expect(dated.stderr).not.toContain('error');
      expect(dated.code).toBe(0);
      expect(dated.stdout).toContain('"timestamp":1700000000000000000');
    }
  });
});

describe('kiln build progress', () => {
  it('plain prints numbered steps, their logs and DONE/CACHED lines', async () => {
    const r = await kiln(['build', 'image.ts', '--no-cache', '--progress', 'plain']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^#\d+ \[internal\] load metadata for/m);
    expect(r.stderr).toMatch(new RegExp(`^#\\d+ \\d+\\.\\d+ step log ${stamp}$`, 'm'));
    expect(r.stderr).toMatch(/^#\d+ DONE \d+\.\d+s$/m);
  });

  it('rawjson: stderr is only status objects, one per line, as buildx prints them (RFC 3339 times); the digest is on stdout', async () => {
    const r = await kiln(['build', 'image.ts', '--no-cache', '--progress', 'rawjson', '-o', `type=docker,dest=${join(work, 'rawjson.tar')}`]);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    const parsed = lines.map((l) => JSON.parse(l) as { vertexes?: { name?: string; started?: unknown }[] });
    const run = parsed.flatMap((p) => p.vertexes ?? []).find((v) => v.name?.includes('step log') === true && v.started !== undefined);
    expect(run?.started).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(parseRecording(r.stderr).length).toBe(lines.length);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it('a cache import whose ref does not exist yet (a pipeline\'s first run) does not make a successful build "failed"', async () => {
    const missing = `--cache-from=type=registry,ref=${env.registry.address}/kiln-cli/no-cache-yet:${stamp}`;
    const r = await kiln(['build', 'image.ts', '--progress', 'plain', missing]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^#\d+ ERROR: .*not found/m);
    expect(r.stderr).toMatch(/^\d+ steps, \d+ cached, done in \d/m);
    expect(r.stderr).not.toMatch(/failed after|^------$/m);
  });

  it('a failed step: its output once (the ------ block), then the error naming the step and exit code, exit 1', async () => {
    writeFileSync(
      join(work, 'failing.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
        `export default Image.fromRegistry('busybox:latest').runCommands('echo ${stamp}; for i in $(seq 1 30); do echo "case $i failed"; done; exit 3');\n`,
    );
    for (const mode of ['plain', 'quiet', 'tty']) {
      const r = await kiln(['build', 'failing.ts', '--progress', mode]);
      expect(r.code).toBe(1);
      const lines = r.stderr.split('\n');
      expect(lines.filter((l) => l.endsWith(' case 30 failed'))).toHaveLength(mode === 'plain' ? 2 : 1);
      // (the live view's last frame ends by showing the cursor again, on the line the block starts)
      expect(r.stderr).toMatch(/(^|\u001b\[\?25h)------\n > .*case \$i failed.*:\n(#\d+ \d+\.\d+ .*\n)+------\n/m);
      expect(r.stderr).toMatch(/^error: step ".*" failed: .*exit code: 3\n/m);
      expect(r.stderr).not.toContain('of its output');
    }
    // rawjson has no failure block: there the error carries the tail, as a JSON line like every line of stderr.
    const raw = await kiln(['build', 'failing.ts', '--progress', 'rawjson']);
    expect(raw.code).toBe(1);
    const rawLines = raw.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parseRecording(raw.stderr)).toHaveLength(rawLines.length);
    expect(rawLines.at(-1)).toMatchObject({
      kiln: 'error',
      error: { code: 'build_failed', message: expect.stringMatching(/^last 20 lines of its output:$/m), details: { exitCode: 3 } },
    });
    expect(raw.stderr).not.toMatch(/^error: |--debug for details/m);
  });

  it('quiet prints only the summary; BUILDKIT_PROGRESS picks the mode when --progress is absent', async () => {
    const quiet = await kiln(['build', 'image.ts', '--progress', 'quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/^#\d+ /m);
    const viaEnv = await kiln(['build', 'image.ts'], { BUILDKIT_PROGRESS: 'plain' });
    expect(viaEnv.stderr).toMatch(/^#\d+ /m);
  });

  it('tty draws a live view, in colour with FORCE_COLOR unless NO_COLOR is set; auto falls back to plain without a terminal', async () => {
    const colour = await kiln(['build', 'image.ts', '--progress', 'tty'], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(colour.code).toBe(0);
    expect(colour.stderr).toContain('[+] Building');
    expect(colour.stderr).toMatch(/\u001b\[[0-9;]*m/);
    const plainColours = await kiln(['build', 'image.ts', '--progress', 'tty'], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(plainColours.stderr).toContain('[+] Building');
    expect(plainColours.stderr).not.toMatch(/\u001b\[[0-9;]*m/);
    const auto = await kiln(['build', 'image.ts', '--progress', 'auto']);
    expect(auto.stderr).toMatch(/^#\d+ /m);
  });
});

describe('environment', () => {
  it('DOCKER_CONFIG supplies the credentials for a push to a registry that needs a login; a private base\'s secret those for its pull', async () => {
    const auth = env.authRegistry;
    const config = join(work, 'docker-config');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [auth.address]: { auth: Buffer.from(`${auth.username}:${auth.password}`).toString('base64') } } }));
    const name = `${auth.address}/kiln-cli/private:${stamp}`;
    created.push(name);
    const denied = await kiln(['build', 'image.ts', '--push', '-t', name, '--progress', 'quiet'], { DOCKER_CONFIG: join(work, 'empty-config') });
    expect(denied.code).toBe(1);
    // The steps built; the push is what failed, and the hint says where to look (not "fix the failing step").
    expect(denied.stderr).toMatch(/^hint: .*registry.*docker login/m);
    expect(denied.stderr).not.toContain('Fix the failing step');
    // On dockerd (which names the image, then pushes it) no name given only for the push is left behind. (The
    // buildkitd stand-in is dockerd's BuildKit, whose image exporter stores into Docker itself.)
    if (env.buildkitHostSource === 'environment') {
      expect((await dockerCli(['image', 'inspect', name], { allowFailure: true })).code).not.toBe(0);
      // A name the user already had goes back to the image it named. (Pulled first: a fresh dockerd holds no
      // busybox until some build or test pulls it, and this test must not depend on another having done so.)
      await dockerCli(['pull', 'busybox:latest']);
      await dockerCli(['tag', 'busybox:latest', name]);
      const idOf = async (ref: string): Promise<string> => (await dockerCli(['image', 'inspect', '-f', '{{.Id}}', ref])).stdout.trim();
      const again = await kiln(['build', 'image.ts', '--push', '-t', name, '--progress', 'quiet'], { DOCKER_CONFIG: join(work, 'empty-config') });
      expect(again.code).toBe(1);
      expect(await idOf(name)).toBe(await idOf('busybox:latest'));
    }
    const r = await kiln(['build', 'image.ts', '--push', '-t', name, '--progress', 'quiet'], { DOCKER_CONFIG: config });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`pushed ${name}`);

    // That image as a private base: its secret (Modal's from_registry secret) supplies the login, with no Docker
    // config credentials at all.
    writeFileSync(
      join(work, 'private.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
        `export default Image.fromRegistry(${JSON.stringify(name)}, { secret: { usernameEnv: 'PRIV_USER', passwordEnv: 'PRIV_PASSWORD' } }).runCommands('cp /out/hello.txt /copied');\n`,
    );
    const empty = { DOCKER_CONFIG: join(work, 'empty-config') };
    const unset = await kiln(['build', 'private.ts', '--progress', 'quiet'], empty);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain(`the credentials for ${name} come from $PRIV_USER and $PRIV_PASSWORD, which are not both set`);
    const dest = join(work, 'private-rootfs');
    const built = await kiln(['build', 'private.ts', '--output', `type=local,dest=${dest}`, '--progress', 'quiet'], { ...empty, PRIV_USER: auth.username, PRIV_PASSWORD: auth.password });
    expect(built.stderr).toContain(`wrote ${dest}`);
    expect(built.code).toBe(0);
    expect(readFileSync(join(dest, 'copied'), 'utf8')).toBe(`hello ${stamp}\n`);
  });

  it('BUILDKIT_HOST chooses the daemon and --addr overrides it', async () => {
    const info = await kiln(['info', '--json'], { BUILDKIT_HOST: env.buildkitHost });
    expect(info.code).toBe(0);
    const parsed = JSON.parse(info.stdout) as { address: string; addressSource: string };
    expect(parsed.addressSource).toBe('BUILDKIT_HOST');
    const overridden = await kiln(['--addr', 'unix:///nonexistent/kiln.sock', 'info'], { BUILDKIT_HOST: env.buildkitHost });
    expect(overridden.code).toBe(1);
    expect(overridden.stderr).toContain('unix:///nonexistent/kiln.sock');
  });
});

describe('daemon commands', () => {
  it('info, workers and du describe the daemon and its cache', async () => {
    const info = await kiln(['info']);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/^Daemon: +\S/m);
    expect(info.stdout).toMatch(/^LLB caps \(\d+\):/m);
    // Which image store a dockerd uses decides the exporters and cache backends: kiln info says it (a buildkitd has none).
    const store = env.buildkitHostSource === 'environment' ? (env.engine === 'modern' ? 'containerd' : 'graphdriver') : undefined;
    expect((JSON.parse((await kiln(['info', '--json'])).stdout) as { imageStore?: string }).imageStore).toBe(store);
    if (store !== undefined) expect(info.stdout).toMatch(store === 'containerd' ? /^Images: +Docker's containerd image store/m : /^Images: +Docker's classic image store/m);
    expect(info.stdout).not.toMatch(/(linux\/amd64), \1[,)]/);
    const workers = await kiln(['workers']);
    expect(workers.stdout).toMatch(/^ID +PLATFORMS/m);
    expect(workers.stdout).toContain('linux/amd64');
    const du = await kiln(['du', '--verbose']);
    expect(du.code).toBe(0);
    expect(du.stdout).toMatch(/^Records: +\d+/m);
    expect(du.stdout).toMatch(/^Total: +\S+/m);
  });

  it('prune honours --keep-storage and --keep-duration, and rejects malformed values', async () => {
    const r = await kiln(['prune', '--keep-storage', '1000GB', '--keep-duration', '24h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Removed \d+ records?, reclaimed \S+/m);
    const bad = await kiln(['prune', '--keep-storage', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"lots" is not a size');
  });

  it('doctor reports each check and exits 0 when nothing fails, 1 with the fix when something does', async () => {
    const ok = await kiln(['doctor', '--registry', env.registry.address]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok +daemon: /m);
    expect(ok.stdout).toMatch(new RegExp(`^ok +registry ${env.registry.address.replace('.', '\\.')}: `, 'm'));
    expect(ok.stdout).toContain('Ready to build');
    const json = JSON.parse((await kiln(['doctor', '--json'])).stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(json.ok).toBe(true);
    expect(json.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['address', 'daemon', 'entitlement network.host', 'docker config', 'docker api']));

    const broken = await kiln(['doctor', '--registry', '127.0.0.1:1'], { DOCKER_CONFIG: join(work, 'broken-config') });
    mkdirSync(join(work, 'broken-config'), { recursive: true });
    writeFileSync(join(work, 'broken-config', 'config.json'), '{ not json');
    const worse = await kiln(['doctor'], { DOCKER_CONFIG: join(work, 'broken-config') });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^FAIL +registry 127\.0\.0\.1:1: /m);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/^FAIL +docker config: /m);
    expect(worse.stdout).toContain('fix:');
  });

  it('doctor checks a registry that needs a login against the Docker config\'s credentials for it', async () => {
    const auth = env.authRegistry;
    const config = (name: string, user?: string, password?: string): string => {
      const dir = join(work, `doctor-config-${name}`);
      mkdirSync(dir, { recursive: true });
      const auths = user === undefined ? {} : { [auth.address]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } };
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths }));
      return dir;
    };
    const line = (r: CliRun): string => r.stdout.split('\n').find((l) => l.includes(`registry ${auth.address}:`)) ?? '';
    const none = await kiln(['doctor', '--registry', auth.address], { DOCKER_CONFIG: config('none') });
    expect(line(none)).toMatch(/^warn .*needs a login, and the Docker config has no credentials for /);
    const wrong = await kiln(['doctor', '--registry', auth.address], { DOCKER_CONFIG: config('wrong', auth.username, 'wrong') });
    expect(wrong.code).toBe(1);
    expect(line(wrong)).toMatch(/^FAIL .*refuses the Docker config's credentials/);
    const good = await kiln(['doctor', '--registry', auth.address], { DOCKER_CONFIG: config('good', auth.username, auth.password) });
    expect(line(good)).toMatch(/^ok .*the Docker config's credentials are accepted$/);
  });

  it('doctor says where the address came from, and checks the Docker API of the dockerd it builds on', async () => {
    const dead = 'unix:///tmp/kiln-no-daemon-here.sock';
    const fromEnv = await kiln(['doctor'], { BUILDKIT_HOST: dead });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stdout).toMatch(/^ok +address: unix:\/\/\/tmp\/kiln-no-daemon-here\.sock \(chosen by BUILDKIT_HOST\)$/m);
    expect(fromEnv.stdout).toMatch(/^FAIL +daemon: .*\(chosen from BUILDKIT_HOST\)/m);
    expect(fromEnv.stdout).not.toContain('chosen from --addr');
    if (env.dockerHost.startsWith('unix://')) {
      // Building on that dockerd: --load and pushes go to its own API, whatever DOCKER_HOST says.
      const r = await kiln(['doctor', '--addr', `docker://${env.dockerHost}`], { BUILDKIT_HOST: undefined, DOCKER_HOST: 'unix:///tmp/kiln-no-docker-here.sock' });
      expect(r.stdout).toMatch(/^ok +address: docker:\/\/unix:\/\/.* \(chosen by --addr\)$/m);
      expect(r.stdout).toMatch(new RegExp(`^ok +docker api: ${env.dockerHost.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Docker `, 'm'));
    }
  });

  it('every command has --help with examples, and --version prints the version', async () => {
    // Nine processes that need nothing from each other or the daemon: run side by side.
    const commands = ['build', 'llb', 'dockerfile', 'info', 'workers', 'du', 'prune', 'doctor'];
    const [v, ...helps] = await Promise.all([kiln(['--version']), ...commands.map((cmd) => kiln([cmd, '--help']))]);
    for (const [i, cmd] of commands.entries()) {
      const r = helps[i];
      expect(r?.code, cmd).toBe(0);
      expect(r?.stdout, cmd).toContain(`Usage: kiln ${cmd}`);
      expect(r?.stdout, cmd).toContain('Examples:');
    }
    if (v === undefined) throw new Error('no --version run');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('kiln module loading', () => {
  it('a .ts file reached by an import() of a computed path is loaded by Node, not compiled by kiln: exits 2 saying so, on any Node', async () => {
    // Node 20 (and 22 before 22.18) refuses the .ts extension; a later Node strips its types and refuses the enum.
    const project = mkdtempSync(join(tmpdir(), 'kiln-cli-node-ts-'));
    try {
      mkdirSync(join(project, 'plugins'));
      writeFileSync(join(project, 'plugins', 'gpu.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n\nenum Kind { Gpu = 'gpu' }\nexport const image = Image.fromRegistry('busybox:latest').env({ KIND: Kind.Gpu });\n`);
      writeFileSync(join(project, 'image.ts'), "const name: string = ['plugins', 'gpu.ts'].join('/');\nconst plugin = (await import(new URL(name, import.meta.url).href)) as { image: unknown };\nexport default plugin.image;\n");
      const r = await runKiln(['dockerfile', 'image.ts'], { cwd: project });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: module image\.ts failed to load: /);
      expect(r.stderr).toContain('hint: Node loaded that file itself: kiln compiles a .ts module and the files it imports with literal paths');
      expect(r.stderr).toContain(`Node ${process.version} `);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
