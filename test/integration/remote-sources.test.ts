/**
 * Sources the daemon fetches itself: git repositories (`git()`), downloads (`http()`) and Dockerfile
 * `ADD https://…`. A git repository made here is served over HTTP by a server on 127.0.0.1 (the daemon's BuildKit
 * runs in the host's network namespace; build steps never reach it), once openly and once behind a token, as a
 * private repository on a git host is.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';
import { type State, git, http, marshal } from '../../src/llb/index.js';
import type { SessionService } from '../../src/session/session-server.js';
import { secretsService } from '../../src/session/secrets-service.js';
import { gitIn, publishRepository, serveFiles, serverBase } from './git-http-server.js';
import { testEnv } from './test-env.js';

const env = testEnv();
const stamp = Date.now();
const TOKEN = `token-${stamp}`;
let client: Client;
let work: string;
let server: Server;
let base: string;
let commit: string;

async function readFrom(state: State, path: string, services: SessionService[] = []): Promise<string> {
  let text = '';
  await client.build({ sessionServices: services }, async (gw) => {
    const ref = await gw.solve(marshal(state, { caps: gw.llbCaps }));
    text = Buffer.from(await gw.readFile(ref, path)).toString();
    return {};
  });
  return text;
}

async function failure(state: State, services: SessionService[] = []): Promise<KilnError> {
  const err = await readFrom(state, '/x', services).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KilnError);
  return err as KilnError;
}

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  work = mkdtempSync(join(tmpdir(), 'kiln-remote-it-'));
  const repo = join(work, 'repo');
  const git_ = (...args: string[]): string => gitIn(repo, ...args);
  mkdirSync(join(repo, 'sub'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'a.txt'), `hello ${stamp}\n`);
  writeFileSync(join(repo, 'sub', 'b.txt'), 'inner\n');
  git_('add', '.');
  git_('commit', '-qm', 'one');
  git_('tag', 'v1');
  commit = git_('rev-parse', 'HEAD');
  mkdirSync(join(work, 'srv'));
  publishRepository(repo, join(work, 'srv', 'repo.git'));
  writeFileSync(join(work, 'srv', 'tool.sh'), `#!/bin/sh\necho tool ${stamp}\n`);
  writeFileSync(join(work, 'srv', 'my tool.sh'), `spaced ${stamp}\n`);
  server = await serveFiles(join(work, 'srv'), TOKEN);
  base = serverBase(server);
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('git sources', () => {
  it('clones a branch, a tag or a commit, or without a ref the default branch (main: BuildKit v0.8 would look for master); keepGitDir keeps .git', async () => {
    expect(await readFrom(git(`${base}/repo.git`, 'main'), '/a.txt')).toBe(`hello ${stamp}\n`);
    expect(await readFrom(git(`${base}/repo.git`), '/a.txt')).toBe(`hello ${stamp}\n`);
    expect(await readFrom(git(`${base}/repo.git`, 'v1'), '/sub/b.txt')).toBe('inner\n');
    expect(await readFrom(git(`${base}/repo.git`, commit), '/a.txt')).toBe(`hello ${stamp}\n`);
    expect((await readFrom(git(`${base}/repo.git`, 'main', { keepGitDir: true }), '/.git/HEAD')).trim()).toBe(commit);
  });

  it('a ref the repository does not have fails the step, naming the ref', async () => {
    const err = await failure(git(`${base}/repo.git`, `no-such-ref-${stamp}`));
    expect(err.code).toBe('build_failed');
    expect(err.message).toContain(`no-such-ref-${stamp}`);
  });

  it('a private repository over https takes its token from the GIT_AUTH_TOKEN secret (or another one named)', async () => {
    const url = `${base}/private/repo.git`;
    const denied = await failure(git(url, 'main'));
    expect(denied.code).toBe('build_failed');
    expect(denied.message).toContain(url);
    expect(await readFrom(git(url, 'main'), '/a.txt', [secretsService([{ id: 'GIT_AUTH_TOKEN', value: TOKEN }])])).toBe(`hello ${stamp}\n`);
    expect(await readFrom(git(url, 'v1', { authTokenSecret: 'DEPLOY_TOKEN' }), '/a.txt', [secretsService([{ id: 'DEPLOY_TOKEN', value: TOKEN }])])).toBe(
      `hello ${stamp}\n`,
    );
  });
});

describe('http sources and Dockerfile ADD of a URL', () => {
  const sum = (): string => `sha256:${createHash('sha256').update(readFileSync(join(work, 'srv', 'tool.sh'))).digest('hex')}`;

  it('downloads a file checked against its checksum; a wrong one fails naming both digests', async () => {
    expect(await readFrom(http(`${base}/tool.sh`, { checksum: sum() }), '/tool.sh')).toBe(`#!/bin/sh\necho tool ${stamp}\n`);
    const wrong = `sha256:${'0'.repeat(64)}`;
    const err = await failure(http(`${base}/tool.sh?${stamp}`, { checksum: wrong }));
    expect(err.code).toBe('build_failed');
    expect(err.message).toContain(wrong);
    expect(err.message).toContain(sum());
  });

  it('ADD --checksum --chmod https://… into a directory puts the downloaded file there, runnable', async () => {
    const img = Image.fromRegistry('busybox:latest').dockerfileCommands([
      `ADD --checksum=${sum()} --chmod=755 ${base}/tool.sh /opt/bin/`,
      `RUN /opt/bin/tool.sh > /out.txt && stat -c %a /opt/bin/tool.sh >> /out.txt`,
    ]);
    const dest = mkdtempSync(join(work, 'out-'));
    await buildImage(client, img, { context: work, output: `type=local,dest=${dest}` });
    expect(readFileSync(join(dest, 'out.txt'), 'utf8')).toBe(`tool ${stamp}\n755\n`);
  });

  it('ADD names a download after its decoded path, as docker build does (my%20tool.sh → "my tool.sh"), mode 600', async () => {
    const img = Image.fromRegistry('busybox:latest').dockerfileCommands([
      `ADD ${base}/my%20tool.sh?v=${stamp} /opt/`,
      `RUN cat "/opt/my tool.sh" > /out.txt && stat -c %a "/opt/my tool.sh" >> /out.txt && ls /opt >> /out.txt`,
    ]);
    const dest = mkdtempSync(join(work, 'out-'));
    await buildImage(client, img, { context: work, output: `type=local,dest=${dest}` });
    expect(readFileSync(join(dest, 'out.txt'), 'utf8')).toBe(`spaced ${stamp}\n600\nmy tool.sh\n`);
  });

  it('ADD with a checksum the file does not have fails the build', async () => {
    const img = Image.fromRegistry('busybox:latest').dockerfileCommands([`ADD --checksum=sha256:${'1'.repeat(64)} ${base}/tool.sh?bad=${stamp} /tool.sh`]);
    const err = await buildImage(client, img, { context: work }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    expect((err as KilnError).message).toContain(`sha256:${'1'.repeat(64)}`);
  });
});
