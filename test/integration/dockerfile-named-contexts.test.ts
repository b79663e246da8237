/**
 * Named build contexts on the real daemon, as a buildx user passes them: `kiln build URL --build-context NAME=VALUE`
 * (spawned CLI) and `Image.fromDockerfile(path, { contexts })` (library). One Dockerfile uses every kind: a stage
 * replaced by a local directory beside the current one (its .dockerignore applies; the stage's own base and RUN never
 * run), `FROM alpine` replaced by `docker-image://busybox:latest` (alpine is never pulled), `COPY --from` a git
 * repository at a tag and an http file (served on 127.0.0.1, which the daemon reaches), and from the library a kiln
 * Image mounted with `RUN --mount=from=`. `docker run` shows what each gave.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { Image, buildImage } from '../../src/image/index.js';
import { gitIn, publishRepository, serveFiles, serverBase } from './git-http-server.js';
import { runKiln } from './kiln-cli.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const stamp = `${process.pid}-${Date.now()}`;
const created: string[] = [];
let work: string;
let server: Server;
let base: string;
let client: Client;

// The stage `build` would fail, and alpine is not in the test environment: both must be replaced.
const DOCKERFILE = [
  'FROM alpine AS build',
  'RUN exit 3',
  'FROM alpine',
  'COPY --from=build / /from-local/',
  'COPY --from=tools /tool.txt /from-git.txt',
  'COPY --from=notes /context /from-http.txt',
  'CMD ["cat", "/from-local/a.txt", "/from-git.txt", "/from-http.txt"]',
  '',
].join('\n');

// Neither `base` nor `src` exists: each platform's context gives them. RUN shows which base each platform ran on (arm64
// under the QEMU emulation the environment installs; busybox:1.35 is the only base it has an arm64 image of).
const PLATFORM_DOCKERFILE = ['FROM base', 'COPY --from=src /which.txt /which.txt', 'RUN uname -m > /arch && busybox | head -1 | cut -d" " -f2 > /version', ''].join('\n');

const runImage = async (tag: string, ...cmd: string[]): Promise<string> => (await dockerCli(['run', '--rm', '--network', 'none', tag, ...cmd])).stdout;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  work = mkdtempSync(join(tmpdir(), 'kiln-named-contexts-it-'));
  mkdirSync(join(work, 'lib'));
  writeFileSync(join(work, 'lib', 'a.txt'), `local ${stamp}\n`);
  writeFileSync(join(work, 'lib', 'debug.log'), 'left out\n');
  writeFileSync(join(work, 'lib', '.dockerignore'), '*.log\n');
  mkdirSync(join(work, 'app'));
  // The repository whose Dockerfile the CLI builds, and the one a context names at a tag.
  const repo = join(work, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'Dockerfile'), DOCKERFILE);
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-qm', 'dockerfile');
  const tools = join(work, 'tools');
  execFileSync('git', ['init', '-q', '-b', 'main', tools]);
  writeFileSync(join(tools, 'tool.txt'), `git v1 ${stamp}\n`);
  gitIn(tools, 'add', '.');
  gitIn(tools, 'commit', '-qm', 'v1');
  gitIn(tools, 'tag', 'v1');
  writeFileSync(join(tools, 'tool.txt'), `git v2 ${stamp}\n`);
  gitIn(tools, 'commit', '-qam', 'v2');
  mkdirSync(join(work, 'srv'));
  publishRepository(repo, join(work, 'srv', 'repo.git'));
  publishRepository(tools, join(work, 'srv', 'tools.git'));
  // Per platform: a repository whose Dockerfile's FROM and COPY --from each platform's context replaces.
  const plat = join(work, 'plat');
  execFileSync('git', ['init', '-q', '-b', 'main', plat]);
  writeFileSync(join(plat, 'Dockerfile'), PLATFORM_DOCKERFILE);
  gitIn(plat, 'add', '.');
  gitIn(plat, 'commit', '-qm', 'dockerfile');
  publishRepository(plat, join(work, 'srv', 'plat.git'));
  for (const arch of ['amd64', 'arm64']) {
    mkdirSync(join(work, `src-${arch}`));
    writeFileSync(join(work, `src-${arch}`, 'which.txt'), `${arch} context ${stamp}\n`);
  }
  writeFileSync(join(work, 'srv', 'notes.txt'), `http ${stamp}\n`);
  server = await serveFiles(join(work, 'srv'), 'unused');
  LATEST_BUSYBOX = (await dockerCli(['run', '--rm', '--network', 'none', 'busybox:latest', 'sh', '-c', 'busybox | head -1 | cut -d" " -f2'])).stdout.trim().replace(/\.\d+$/, '');
  base = serverBase(server);
});

afterAll(async () => {
  await client?.close();
  await removeImages(created);
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

/** What the per-platform build wrote for each platform (type=local: one directory per platform). */
function perPlatformOutput(dest: string): Record<string, string[]> {
  const read = (p: string, f: string): string => readFileSync(join(dest, p, f), 'utf8').trim();
  return Object.fromEntries(['linux_amd64', 'linux_arm64'].map((p) => [p, [read(p, 'arch'), read(p, 'version').replace(/\.\d+$/, ''), read(p, 'which.txt')]]));
}

const PER_PLATFORM_EXPECTED = (): Record<string, string[]> => ({
  linux_amd64: ['x86_64', LATEST_BUSYBOX, `amd64 context ${stamp}`],
  linux_arm64: ['aarch64', 'v1.35', `arm64 context ${stamp}`],
});
/** busybox:latest's version, major.minor (the test environment's mirror decides it). */
let LATEST_BUSYBOX = '';

const expected = (): string => `local ${stamp}\ngit v1 ${stamp}\nhttp ${stamp}\n`;

describe('named build contexts', () => {
  it('kiln build URL --build-context: a local directory beside the current one, docker-image://, a git repository at a tag, an http file', async () => {
    const tag = `kiln-named-contexts/cli:${stamp}`;
    created.push(tag);
    const r = await runKiln(
      [
        'build',
        `${base}/repo.git#main`,
        '--build-context', 'build=../lib',
        '--build-context', 'docker.io/library/alpine:latest=docker-image://busybox:latest',
        '--build-context', `tools=${base}/tools.git#v1`,
        '--build-context', `notes=${base}/notes.txt`,
        '-t', tag,
        '--progress', 'plain',
      ],
      { cwd: join(work, 'app') },
    );
    expect(r.stderr).not.toContain('exit 3');
    expect(r.code).toBe(0);
    expect(await runImage(tag)).toBe(expected());
    // The directory's .dockerignore applied; busybox, not alpine, is the base.
    expect(await runImage(tag, 'ls', '-a', '/from-local')).not.toContain('debug.log');
    expect(await runImage(tag, 'busybox', 'echo', 'busybox')).toBe('busybox\n');
    // A bad value is refused before anything is built, naming the flag and the value.
    const bad = await runKiln(['build', `${base}/repo.git#main`, '--build-context', 'build=../missing'], { cwd: join(work, 'app') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--build-context "build=../missing": "../missing" is not a directory here');
  });

  it('Image.fromDockerfile(path, { contexts }): the same kinds, and a kiln Image mounted with RUN --mount=from=', async () => {
    writeFileSync(join(work, 'Dockerfile'), `${DOCKERFILE}RUN --mount=from=kiln-made,target=/mnt cp /mnt/made.txt /from-image.txt\n`);
    const made = Image.fromRegistry('busybox:latest').runCommands(`echo image ${stamp} > /made.txt`);
    const image = Image.fromDockerfile(join(work, 'Dockerfile'), {
      contexts: { build: join(work, 'lib'), alpine: 'docker-image://busybox:latest', tools: `${base}/tools.git#v1`, notes: `${base}/notes.txt`, 'kiln-made': made },
    });
    const tag = `kiln-named-contexts/library:${stamp}`;
    created.push(tag);
    await buildImage(client, image, { tags: [tag], context: work });
    expect(await runImage(tag)).toBe(expected());
    expect(await runImage(tag, 'cat', '/from-image.txt')).toBe(`image ${stamp}\n`);
    expect(await runImage(tag, 'ls', '-a', '/from-local')).not.toContain('debug.log');
  });

  it('kiln build URL --build-context NAME::PLATFORM=VALUE: each platform of a two-platform build takes its own base and files', async () => {
    const dest = join(work, 'cli-per-platform');
    const r = await runKiln(
      [
        'build',
        `${base}/plat.git#main`,
        '--platform', 'linux/amd64,linux/arm64',
        '--build-context', 'base::linux/amd64=docker-image://busybox:latest',
        '--build-context', 'base::linux/arm64=docker-image://busybox:1.35',
        '--build-context', 'src::linux/amd64=../src-amd64',
        '--build-context', 'src::linux/arm64=../src-arm64',
        '--output', `type=local,dest=${dest}`,
        '--progress', 'plain',
      ],
      { cwd: join(work, 'app') },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(perPlatformOutput(dest)).toEqual(PER_PLATFORM_EXPECTED());
    // A platform that is no platform is refused before anything is built, naming the flag.
    const bad = await runKiln(['build', `${base}/plat.git#main`, '--build-context', 'base::linux=docker-image://busybox:latest'], { cwd: join(work, 'app') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--build-context "base::linux=docker-image://busybox:latest": "linux" is not a platform');
  });

  it('Image.fromDockerfile(path, { contexts: { \'NAME::PLATFORM\': … } }): the same, with a kiln Image for one platform and a plain fallback', async () => {
    writeFileSync(join(work, 'Dockerfile.plat'), PLATFORM_DOCKERFILE);
    const armSrc = Image.fromRegistry('busybox:1.35').runCommands(`echo arm64 context ${stamp} > /which.txt`);
    const image = Image.fromDockerfile(join(work, 'Dockerfile.plat'), {
      contexts: { 'base::linux/arm64': 'docker-image://busybox:1.35', base: 'docker-image://busybox:latest', 'src::linux/arm64': armSrc, src: join(work, 'src-amd64') },
    });
    const dest = join(work, 'library-per-platform');
    const built = await buildImage(client, image, { platforms: ['linux/amd64', 'linux/arm64'], context: work, output: `type=local,dest=${dest}` });
    expect(perPlatformOutput(dest)).toEqual(PER_PLATFORM_EXPECTED());
    // Each platform resolved its own base only: busybox:latest has no arm64 image.
    expect(built.bases.map((b) => `${b.platform} ${b.ref}`).sort()).toEqual(['linux/amd64 docker.io/library/busybox:latest', 'linux/arm64 docker.io/library/busybox:1.35']);
  });

  it('a stage replaced for one platform only: a stage built FROM it sees the context\'s config there, the written stage\'s values elsewhere', async () => {
    // What docker buildx build --build-context base::linux/arm64=docker-image://busybox:1.35 gives (BuildKit v0.13's
    // frontend, run on dockerd 26.1): on arm64 neither the ARG value nor the ENV of the replaced stage reaches `b`.
    writeFileSync(
      join(work, 'Dockerfile.inherit'),
      [
        'FROM busybox:latest AS base',
        'ARG GREETING=written-arg',
        'ENV WHO=written-env',
        'FROM base AS b',
        'RUN echo "GREETING=[$GREETING] WHO=[$WHO]" > /out',
        'ENV SEEN=${WHO}:${GREETING}',
        'WORKDIR /w-${WHO}',
        'RUN echo "SEEN=[$SEEN] PWD=[$PWD]" >> /out',
        '',
      ].join('\n'),
    );
    const image = Image.fromDockerfile(join(work, 'Dockerfile.inherit'), { contexts: { 'base::linux/arm64': 'docker-image://busybox:1.35' } });
    const dest = join(work, 'inherit-per-platform');
    await buildImage(client, image, { platforms: ['linux/amd64', 'linux/arm64'], context: work, output: `type=local,dest=${dest}` });
    const out = (p: string): string => readFileSync(join(dest, p, 'out'), 'utf8');
    expect(out('linux_amd64')).toBe('GREETING=[written-arg] WHO=[written-env]\nSEEN=[written-env:written-arg] PWD=[/w-written-env]\n');
    expect(out('linux_arm64')).toBe('GREETING=[] WHO=[]\nSEEN=[:] PWD=[/w-]\n');
  });

  it('toDockerfile() of contexts given per platform: docker build --platform P of it gives each platform what kiln\'s build gives', async () => {
    writeFileSync(
      join(work, 'Dockerfile.todockerfile'),
      [
        'FROM busybox:latest AS base',
        'ARG GREETING=written-arg',
        'ENV WHO=written-env',
        'FROM base AS b',
        'COPY --from=src /which.txt /which.txt',
        'RUN echo "GREETING=[$GREETING] WHO=[$WHO] $(uname -m)" > /out',
        '',
      ].join('\n'),
    );
    const image = Image.fromDockerfile(join(work, 'Dockerfile.todockerfile'), {
      contexts: { 'base::linux/arm64': 'docker-image://busybox:1.35', 'src::linux/arm64': join(work, 'src-arm64'), src: join(work, 'src-amd64') },
    });
    const kilnOut = join(work, 'todockerfile-kiln');
    await buildImage(client, image, { platforms: ['linux/amd64', 'linux/arm64'], context: work, output: `type=local,dest=${kilnOut}` });
    writeFileSync(join(work, 'Dockerfile.generated'), image.toDockerfile({ context: work }));
    const files = (dir: string): string[] => ['out', 'which.txt'].map((f) => readFileSync(join(dir, f), 'utf8'));
    for (const [platform, dir] of [['linux/amd64', 'linux_amd64'], ['linux/arm64', 'linux_arm64']] as const) {
      const dockerOut = join(work, `todockerfile-docker-${dir}`);
      await dockerCli(['build', '-q', '--platform', platform, '-f', join(work, 'Dockerfile.generated'), '-o', `type=local,dest=${dockerOut}`, work], { env: { DOCKER_BUILDKIT: '1' } });
      expect(files(dockerOut)).toEqual(files(join(kilnOut, dir)));
    }
    expect(files(join(kilnOut, 'linux_arm64'))).toEqual(['GREETING=[] WHO=[] aarch64\n', `arm64 context ${stamp}\n`]);
    expect(files(join(kilnOut, 'linux_amd64'))).toEqual(['GREETING=[written-arg] WHO=[written-env] x86_64\n', `amd64 context ${stamp}\n`]);
  });

  it('a kiln Image as the context of FROM and COPY --from is built in the same solve: its steps once, cached with the rest', async () => {
    writeFileSync(join(work, 'Dockerfile.image'), 'FROM base\nCOPY --from=base /made.txt /copy.txt\nRUN cat /made.txt /copy.txt > /both.txt\n');
    const made = (): Image => Image.fromRegistry('busybox:latest').env({ MADE_BY: 'kiln' }).runCommands(`echo made ${stamp} > /made.txt`);
    const image = (): Image => Image.fromDockerfile(join(work, 'Dockerfile.image'), { contexts: { base: made() } });
    const tag = `kiln-named-contexts/image:${stamp}`;
    created.push(tag);
    const first = await buildImage(client, image(), { tags: [tag], context: work });
    const runs = (b: typeof first): { name: string; cached: boolean }[] =>
      [...b.outcome.progress.steps.values()].flatMap((st) => (st.kind === 'vertex' && /^RUN |echo made|cat \/made/.test(st.name) ? [{ name: st.name, cached: st.cached }] : []));
    expect(runs(first).filter((st) => st.name.includes('echo made'))).toHaveLength(1);
    expect(await runImage(tag, 'cat', '/both.txt')).toBe(`made ${stamp}\nmade ${stamp}\n`);
    expect(await runImage(tag, 'sh', '-c', 'echo $MADE_BY')).toBe('kiln\n');
    // Built again from new Image objects: every step, the context's too, comes from the cache.
    const again = await buildImage(client, image(), { context: work });
    expect(runs(again).length).toBeGreaterThanOrEqual(2);
    expect(runs(again).every((st) => st.cached)).toBe(true);
  });
});
