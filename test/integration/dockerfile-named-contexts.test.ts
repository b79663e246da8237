/**
 * Named build contexts on the real daemon, as a buildx user passes them: `kiln build URL --build-context NAME=VALUE`
 * (spawned CLI) and `Image.fromDockerfile(path, { contexts })` (library). One Dockerfile uses every kind: a stage
 * replaced by a local directory beside the current one (its .dockerignore applies; the stage's own base and RUN never
 * run), `FROM alpine` replaced by `docker-image://busybox:latest` (alpine is never pulled), `COPY --from` a git
 * repository at a tag and an http file (served on 127.0.0.1, which the daemon reaches), and from the library a kiln
 * Image mounted with `RUN --mount=from=`. `docker run` shows what each gave.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { Image, buildImage } from '../../src/image/index.js';
import { gitIn, publishRepository, serveFiles, serverBase } from './git-http-server.js';
import { runKiln } from './kiln-cli.js';
import { dockerCli, testEnv } from './test-env.js';

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
  writeFileSync(join(work, 'srv', 'notes.txt'), `http ${stamp}\n`);
  server = await serveFiles(join(work, 'srv'), 'unused');
  base = serverBase(server);
});

afterAll(async () => {
  await client?.close();
  if (created.length > 0) await dockerCli(['rmi', '-f', ...created], { allowFailure: true });
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

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
});
