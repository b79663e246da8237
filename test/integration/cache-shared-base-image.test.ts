/**
 * Registry cache shared between two CI runners, and where runner B keeps the base image. A build step's cache key
 * starts from the key of its base image, and which key BuildKit gives a base image depends on the runner's state:
 * dockerd 20.10's BuildKit v0.8 keys an image it finds in Docker's image store by its layers, and one it finds only
 * in its own build cache by its manifest digest first — and, having found a record under that first key, looks no
 * further. Runner A (base in its image store, as after a `docker pull`) exports the layers key, so on v0.8 runner B
 * hits A's cache when the base is in B's image store or nowhere on B, and rebuilds when the base is only in B's build
 * cache: `docker build --cache-from` does the same. BuildKit v0.13 (dockerd 26.1) hits in all three states.
 *
 * Each run uses a base image of its own (pushed by A at the start), so no earlier build on either runner decides
 * which keys exist; the three states of B are set in order: never seen, in the build cache only, pulled. Both runners
 * run the same engine (cache-runners.ts): v0.8 does not hit cache that v0.13 exported, whatever the state.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { cacheRunners } from './cache-runners.js';
import { KILN_INDEX_URL, runKiln, type CliRun } from './kiln-cli.js';
import { testEnv } from './test-env.js';

const env = testEnv();

const { A, B } = cacheRunners(env);

const run = `${process.pid}-${Date.now()}`;
const base = `${env.registry.address}/kiln-cache-base/base:${run}`;
const app = `${env.registry.address}/kiln-cache-base/app`;
const tagsA: string[] = [];
const tagsB: string[] = [];
let work: string;
let infoB: DaemonInfo;

/** The Docker CLI against runner A's or B's dockerd, BuildKit enabled for `docker build`; rejects on failure. */
function docker(on: 'A' | 'B', args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, DOCKER_CONFIG: join(env.stateDir, 'docker-config'), DOCKER_BUILDKIT: '1' };
    delete childEnv['DOCKER_HOST'];
    delete childEnv['DOCKER_CONTEXT'];
    const host = on === 'A' ? A.dockerHost : B.dockerHost;
    const child = spawn(env.dockerCliPath, ['-H', host, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`docker -H ${host} ${args.join(' ')}: ${stderr}`))));
  });
}

/** `kiln <args>` on runner A or B. */
function kiln(on: 'A' | 'B', args: readonly string[]): Promise<CliRun> {
  const r = on === 'A' ? A : B;
  return runKiln(args, { cwd: work, env: { BUILDKIT_HOST: r.buildkitHost, DOCKER_HOST: r.dockerHost } });
}

/** A module building `step` on `from`. */
function writeModule(name: string, from: string, step: string): string {
  const file = join(work, `${name}.ts`);
  writeFileSync(file, `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry(${JSON.stringify(from)}).runCommands(${JSON.stringify(step)});\n`);
  return file;
}

/** A build of `step` that left no error; its plain progress. */
function succeeded(r: CliRun): string {
  expect(r.stderr).not.toContain('error:');
  expect(r.code).toBe(0);
  return r.stderr;
}

/** What the image's step wrote to /rand (16 random bytes: a step that ran again writes others). */
async function randOf(on: 'A' | 'B', ref: string): Promise<string> {
  return (await docker(on, ['run', '--rm', '--network', 'none', ref, 'cat', '/rand'])).stdout;
}

const STEP = (name: string): string => `echo ${name}-${run} > /run && head -c 16 /dev/urandom | od -x > /rand`;

/**
 * Runner A builds a step writing random bytes on the base with inline cache and pushes it; runner B builds the same
 * step importing A's image as cache. Whether B's image holds A's bytes: the step was a cache hit, not run again (a hit
 * from a registry shows as CACHED on BuildKit v0.8, as the layer's download on v0.13).
 */
async function sharedHit(name: string): Promise<boolean> {
  const ref = `${app}:${name}-${run}`;
  const refB = `kiln-cache-base/b:${name}-${run}`;
  tagsA.push(ref);
  tagsB.push(refB);
  succeeded(await kiln('A', ['build', writeModule(`app-${name}`, base, STEP(name)), '--cache-to', 'type=inline', '--push', '-t', ref, '--progress', 'plain']));
  succeeded(await kiln('B', ['build', writeModule(`app-${name}-b`, base, STEP(name)), '--cache-from', `type=registry,ref=${ref}`, '-t', refB, '--progress', 'plain']));
  return (await randOf('B', refB)) === (await randOf('A', ref));
}

/** The same with `docker build`: A builds and pushes with inline cache, B builds with `--cache-from`. */
async function dockerSharedHit(name: string): Promise<boolean> {
  const dir = join(work, `df-${name}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${base}\nRUN ${STEP(`docker-${name}`)}\n`);
  const ref = `${app}:docker-${name}-${run}`;
  const refB = `kiln-cache-base/b:docker-${name}-${run}`;
  tagsA.push(ref);
  tagsB.push(refB);
  await docker('A', ['build', '--build-arg', 'BUILDKIT_INLINE_CACHE=1', '-t', ref, dir]);
  await docker('A', ['push', ref]);
  await docker('B', ['build', '--cache-from', ref, '-t', refB, dir]);
  return (await randOf('B', refB)) === (await randOf('A', ref));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiln-cache-base-'));
  const b = await Client.connect({ address: B.buildkitHost });
  try {
    infoB = await b.info();
  } finally {
    await b.close();
  }
  // A base image nobody has built on: runner A builds and pushes it, so it is in A's image store (as after a pull).
  tagsA.push(base);
  succeeded(await kiln('A', ['build', writeModule('base', 'busybox:latest', `echo ${run} > /base-id`), '--push', '-t', base, '--progress', 'plain']));
});

afterAll(async () => {
  if (tagsA.length > 0) await docker('A', ['rmi', '-f', ...tagsA]).catch(() => undefined);
  if (tagsB.length > 0) await docker('B', ['rmi', '-f', ...tagsB]).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

describe('registry cache shared between runners, by where runner B keeps the base image', () => {
  it('the base nowhere on runner B: the step is CACHED', async () => {
    expect(B.dockerHost).not.toBe(A.dockerHost);
    expect(await sharedHit('fresh')).toBe(true);
  });

  it('the base in runner B\'s build cache but not its image store: CACHED from BuildKit v0.13; v0.8 (dockerd 20.10) rebuilds, as docker build does', async () => {
    // B builds on the base without the cache: BuildKit pulls it into its own cache, not into Docker's image store.
    const warm = await kiln('B', ['build', writeModule('warm-b', base, `echo warm-${run}`), '--progress', 'plain']);
    succeeded(warm);
    await expect(docker('B', ['image', 'inspect', base])).rejects.toThrow();

    const kilnHit = await sharedHit('build-cache');
    const dockerHit = await dockerSharedHit('build-cache');
    if (infoB.kind === 'dockerd' && infoB.buildkitVersion === undefined) {
      expect({ kilnHit, dockerHit }).toEqual({ kilnHit: false, dockerHit: false });
    } else {
      expect({ kilnHit, dockerHit }).toEqual({ kilnHit: true, dockerHit: true });
    }
  });

  it('the base pulled into runner B\'s image store (what to do on dockerd 20.10): CACHED', async () => {
    tagsB.push(base);
    await docker('B', ['pull', base]);
    expect(await sharedHit('pulled')).toBe(true);
  });
});
