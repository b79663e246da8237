/**
 * Reproducibility helpers through the CLI, on the real daemon:
 * - `kiln build --lock` records the registry digest of each base image in `kiln.lock.json` beside the module; later
 *   builds use that digest even after the tag moved to another image, `--lock` again moves the pin, and
 *   `--frozen-lock` refuses a base the lock does not pin.
 * - `SOURCE_DATE_EPOCH` makes the layers of local files independent of when the files were touched, and sets the
 *   image's creation time. It is part of every step that adds local files: the cache of those steps (and of every
 *   step after them) holds while it stays the same, and not when it moves (README, "Making hits likely").
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KILN_INDEX_URL, type CliRun, type RunKilnOptions, runKiln } from './kiln-cli.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
const stamp = `${process.pid}-${Date.now()}`;
const base = `${env.registry.address}/kiln-lock/base:${stamp}`;
const created: string[] = [];
let work: string;

/** Pushes a busybox-based image whose /v says `version` under the tag `base`. */
async function pushBase(version: string): Promise<void> {
  const dir = join(work, `base-${version}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), `FROM busybox:latest\nRUN echo ${version}-${stamp} > /v\n`);
  await dockerCli(['build', '-q', '-t', base, dir], { env: { DOCKER_BUILDKIT: '1' } });
  await dockerCli(['push', base]);
}

async function seen(tag: string): Promise<string> {
  created.push(tag);
  return (await dockerCli(['run', '--rm', '--network', 'none', tag, 'cat', '/seen'])).stdout.trim();
}

const kiln = (args: readonly string[], options: RunKilnOptions): Promise<CliRun> => runKiln(args, { ...options });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiln-lock-it-'));
  writeFileSync(
    join(work, 'image.ts'),
    `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
      `export default Image.fromRegistry(${JSON.stringify(base)}).runCommands('cat /v > /seen');\n` +
      `export const other = Image.fromRegistry('busybox:latest').runCommands('echo other > /seen');\n` +
      `export const files = Image.fromRegistry('busybox:latest').addLocalDir('ctx', '/app');\n` +
      `export const filesThenRun = Image.fromRegistry('busybox:latest').addLocalDir('ctx', '/app').runCommands('echo ${stamp} && ls -R /app > /list');\n`,
  );
  mkdirSync(join(work, 'ctx', 'sub'), { recursive: true });
  writeFileSync(join(work, 'ctx', 'a.txt'), 'alpha\n');
  writeFileSync(join(work, 'ctx', 'sub', 'b.txt'), 'beta\n');
});

afterAll(async () => {
  if (created.length > 0) await dockerCli(['rmi', '-f', ...created, base], { allowFailure: true });
  rmSync(work, { recursive: true, force: true });
});

describe('kiln build --lock', () => {
  it('pins the base to the digest it had, until --lock moves the pin', async () => {
    await pushBase('one');
    const lockPath = join(work, 'kiln.lock.json');

    const first = await kiln(['build', 'image.ts', '--lock', '-t', `kiln-lock/app:${stamp}-1`, '--progress', 'plain'], { cwd: work });
    expect(first.stderr).toContain(`locked 1 base image in ${lockPath}`);
    expect(first.code).toBe(0);
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { version: number; images: Record<string, Record<string, string>> };
    expect(lock.version).toBe(1);
    const pinnedOne = lock.images[base]?.['linux/amd64'];
    expect(pinnedOne).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await seen(`kiln-lock/app:${stamp}-1`)).toBe(`one-${stamp}`);

    // The tag now points at another image; a build honouring the lock still starts from the first one.
    await pushBase('two');
    const second = await kiln(['build', 'image.ts', '-t', `kiln-lock/app:${stamp}-2`, '--progress', 'plain'], { cwd: work });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`using lock file ${lockPath} (1 base image pin)`);
    expect(await seen(`kiln-lock/app:${stamp}-2`)).toBe(`one-${stamp}`);

    // --lock resolves again and moves the pin.
    const third = await kiln(['build', 'image.ts', '--lock', '-t', `kiln-lock/app:${stamp}-3`, '--progress', 'quiet'], { cwd: work });
    expect(third.code).toBe(0);
    const moved = (JSON.parse(readFileSync(lockPath, 'utf8')) as typeof lock).images[base]?.['linux/amd64'];
    expect(moved).toMatch(/^sha256:/);
    expect(moved).not.toBe(pinnedOne);
    expect(await seen(`kiln-lock/app:${stamp}-3`)).toBe(`two-${stamp}`);

    // A frozen lock refuses a base it does not pin, before building, naming it.
    const frozen = await kiln(['build', 'image.ts:other', '--frozen-lock', '--progress', 'quiet'], { cwd: work });
    expect(frozen.code).not.toBe(0);
    expect(frozen.stderr).toContain('docker.io/library/busybox:latest');
    expect(frozen.stderr).toContain('--lock');
  });

  it('explains a malformed lock file, naming it', async () => {
    const dir = join(work, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kiln.lock.json'), '{"version":1,"images":{"busybox":{"linux/amd64":"latest"}}}');
    writeFileSync(join(dir, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest');\n`);
    const r = await kiln(['build', 'image.ts'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`lock file ${join(dir, 'kiln.lock.json')}`);
    expect(r.stderr).toContain('not a sha256');
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  const layers = async (tag: string): Promise<{ layers: string[]; created: string }> => {
    created.push(tag);
    const out = (await dockerCli(['image', 'inspect', '-f', '{{json .RootFS.Layers}} {{.Created}}', tag])).stdout.trim();
    const [json, when] = out.split(' ');
    return { layers: JSON.parse(json!) as string[], created: when! };
  };
  const touch = (seconds: number): void => {
    for (const f of ['a.txt', 'sub/b.txt', 'sub', '.']) utimesSync(join(work, 'ctx', f), seconds, seconds);
  };

  it('gives local-file layers the same digest however the files were touched, and sets Created', async () => {
    const epoch = { SOURCE_DATE_EPOCH: '1700000000' };
    touch(1_600_000_000);
    const a = await kiln(['build', 'image.ts:files', '--no-cache', '-t', `kiln-sde/app:${stamp}-a`, '--progress', 'quiet'], { cwd: work, env: epoch });
    expect(a.code).toBe(0);
    touch(1_650_000_000);
    const b = await kiln(['build', 'image.ts:files', '--no-cache', '-t', `kiln-sde/app:${stamp}-b`, '--progress', 'quiet'], { cwd: work, env: epoch });
    expect(b.code).toBe(0);
    const la = await layers(`kiln-sde/app:${stamp}-a`);
    const lb = await layers(`kiln-sde/app:${stamp}-b`);
    expect(lb.layers).toEqual(la.layers);
    expect(la.created).toBe('2023-11-14T22:13:20Z');

    // Without it the same two builds differ: the layer carries the files' own times.
    touch(1_600_000_000);
    const c = await kiln(['build', 'image.ts:files', '--no-cache', '-t', `kiln-sde/app:${stamp}-c`, '--progress', 'quiet'], { cwd: work, env: { SOURCE_DATE_EPOCH: '' } });
    touch(1_650_000_000);
    const d = await kiln(['build', 'image.ts:files', '--no-cache', '-t', `kiln-sde/app:${stamp}-d`, '--progress', 'quiet'], { cwd: work, env: { SOURCE_DATE_EPOCH: '' } });
    expect([c.code, d.code]).toEqual([0, 0]);
    expect((await layers(`kiln-sde/app:${stamp}-c`)).layers).not.toEqual((await layers(`kiln-sde/app:${stamp}-d`)).layers);
  });

  it('keeps the steps after local files cached while it stays the same, and rebuilds them when it moves', async () => {
    /** Whether the copy of ctx and the run step after it were CACHED in a `--progress plain` log. */
    const cached = (log: string): { copy: boolean; run: boolean } => {
      const vertex = (name: string): string => new RegExp(`^#(\\d+) ${name}`, 'm').exec(log)?.[1] ?? 'none';
      const hit = (n: string): boolean => log.split('\n').includes(`#${n} CACHED`);
      return { copy: hit(vertex('copy ctx')), run: hit(vertex(`echo ${stamp}`)) };
    };
    const build = async (epoch: string): Promise<{ copy: boolean; run: boolean }> => {
      const r = await kiln(['build', 'image.ts:filesThenRun', '--progress', 'plain'], { cwd: work, env: { SOURCE_DATE_EPOCH: epoch } });
      expect(r.code).toBe(0);
      return cached(r.stderr);
    };
    // Epochs no earlier build used (the daemon's cache outlives test runs).
    const epoch = 1_700_000_000 + (Date.now() % 100_000_000);
    touch(1_600_000_000);
    expect(await build(`${epoch}`)).toEqual({ copy: false, run: false });
    // Another checkout of the same files (other file times), same epoch: nothing is rebuilt.
    touch(1_650_000_000);
    expect(await build(`${epoch}`)).toEqual({ copy: true, run: true });
    // The next commit's epoch with the same files: the copy carries the new time, so it and every later step rebuild.
    expect(await build(`${epoch + 1}`)).toEqual({ copy: false, run: false });
  });

  it('refuses a SOURCE_DATE_EPOCH that is not a Unix time', async () => {
    const r = await kiln(['build', 'image.ts:files', '--progress', 'quiet'], { cwd: work, env: { SOURCE_DATE_EPOCH: 'yesterday' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SOURCE_DATE_EPOCH="yesterday"');
  });
});
