/**
 * `kiln build URL#REF[:SUBDIR]` as a user runs it (spawned CLI, real daemon): the daemon clones the repository from
 * the local git host (see git-http-server.ts), kiln reads the Dockerfile in it and builds with the repository as the
 * context; the image `docker run` shows holds the files of that ref. A repository the daemon cannot reach, a ref it
 * does not have and a missing Dockerfile each fail naming the repository and the ref. The tree stays on the daemon:
 * only the Dockerfile comes to kiln. And a Dockerfile's `ADD <git repository> dest`, cloned by the daemon.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitIn, publishRepository, serveFiles, serverBase } from './git-http-server.js';
import { KILN_INDEX_URL, runKiln, type CliRun } from './kiln-cli.js';
import { dockerCli, removeImages } from './test-env.js';

const stamp = `${Date.now()}`;
const TOKEN = `token-${stamp}`;
const created: string[] = [];
let work: string;
let server: Server;
let base: string;
/** The paths the git host was asked for, and what it does on each request (see the moving-branch test). */
const requests: string[] = [];
let onRequest: (path: string) => void = () => undefined;

const kiln = (args: readonly string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliRun> => runKiln(args, { cwd: work, env: extraEnv });
const runImage = async (tag: string, ...cmd: string[]): Promise<string> => (await dockerCli(['run', '--rm', '--network', 'none', tag, ...cmd])).stdout;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiln-git-context-it-'));
  const repo = join(work, 'repo');
  mkdirSync(join(repo, 'app', 'docker'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  // v1: a root Dockerfile copying the whole context, and one in app/ (its -f variant in app/docker/).
  writeFileSync(join(repo, 'Dockerfile'), 'FROM busybox:latest\nCOPY . /ctx/\nCMD ["cat", "/ctx/version.txt"]\n');
  writeFileSync(join(repo, 'version.txt'), `v1 ${stamp}\n`);
  writeFileSync(join(repo, 'app', 'Dockerfile'), 'FROM busybox:latest\nARG GREETING=hi\nCOPY *.txt /app/\nRUN echo "$GREETING" > /app/greeting\nCMD ["cat", "/app/app.txt"]\n');
  writeFileSync(join(repo, 'app', 'docker', 'Dockerfile.alt'), 'FROM busybox:latest AS base\nCOPY app.txt /alt.txt\nFROM base AS final\nRUN false\n');
  writeFileSync(join(repo, 'app', 'app.txt'), `app v1 ${stamp}\n`);
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-qm', 'v1');
  gitIn(repo, 'tag', 'v1');
  // main moves on: a ref that is not v1 must not be what is built.
  writeFileSync(join(repo, 'version.txt'), `v2 ${stamp}\n`);
  writeFileSync(join(repo, 'app', 'app.txt'), `app v2 ${stamp}\n`);
  gitIn(repo, 'commit', '-qam', 'v2');
  mkdirSync(join(work, 'srv'));
  publishRepository(repo, join(work, 'srv', 'repo.git'));
  // links.git: symbolic links to a directory of this machine outside the clone, as a repository can hold them.
  const outside = join(work, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), `secret ${stamp}\n`);
  writeFileSync(join(outside, 'Dockerfile'), 'FROM busybox:latest\nCOPY . /ctx/\nCMD ["cat", "/ctx/secret.txt"]\n');
  const links = join(work, 'links');
  mkdirSync(join(links, 'app'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', links]);
  symlinkSync(outside, join(links, 'escape'));
  symlinkSync(join(outside, 'Dockerfile'), join(links, 'app', 'Dockerfile'));
  writeFileSync(join(links, 'app', 'app.txt'), 'app\n');
  gitIn(links, 'add', '.');
  gitIn(links, 'commit', '-qm', 'links');
  publishRepository(links, join(work, 'srv', 'links.git'));
  // default.git: the default branch is main, and a master left behind holds an older tree; trunk.git has only trunk.
  const stale = join(work, 'stale');
  execFileSync('git', ['init', '-q', '-b', 'master', stale]);
  writeFileSync(join(stale, 'Dockerfile'), 'FROM busybox:latest\nCOPY . /ctx/\nCMD ["cat", "/ctx/branch.txt"]\n');
  writeFileSync(join(stale, 'branch.txt'), `stale master ${stamp}\n`);
  gitIn(stale, 'add', '.');
  gitIn(stale, 'commit', '-qm', 'master');
  gitIn(stale, 'checkout', '-qb', 'main');
  writeFileSync(join(stale, 'branch.txt'), `main ${stamp}\n`);
  gitIn(stale, 'commit', '-qam', 'main');
  publishRepository(stale, join(work, 'srv', 'default.git'));
  const trunk = join(work, 'trunk');
  execFileSync('git', ['init', '-q', '-b', 'trunk', trunk]);
  writeFileSync(join(trunk, 'Dockerfile'), 'FROM busybox:latest\nCOPY . /ctx/\nCMD ["cat", "/ctx/branch.txt"]\n');
  writeFileSync(join(trunk, 'branch.txt'), `trunk ${stamp}\n`);
  gitIn(trunk, 'add', '.');
  gitIn(trunk, 'commit', '-qm', 'trunk');
  publishRepository(trunk, join(work, 'srv', 'trunk.git'));
  // moving.git: main at commit A, and commit B (on next) that main moves to while a build fetches it.
  const moving = join(work, 'moving');
  execFileSync('git', ['init', '-q', '-b', 'main', moving]);
  for (const commit of ['B', 'A']) {
    writeFileSync(join(moving, 'Dockerfile'), `FROM busybox:latest\nCOPY . /ctx/\nRUN echo "Dockerfile of ${commit}" > /dockerfile\n`);
    writeFileSync(join(moving, 'commit.txt'), `context of ${commit} ${stamp}\n`);
    gitIn(moving, 'add', '.');
    gitIn(moving, 'commit', '-qm', commit);
    if (commit === 'B') gitIn(moving, 'branch', 'next');
  }
  publishRepository(moving, join(work, 'srv', 'moving.git'));
  server = await serveFiles(join(work, 'srv'), TOKEN, (path) => {
    requests.push(path);
    onRequest(path);
  });
  base = serverBase(server);
});

afterAll(async () => {
  await removeImages(created);
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe('kiln build of a git repository', () => {
  it('builds the Dockerfile at a tag, with the repository at that tag as the context; a branch builds its head', async () => {
    const tag = `kiln-git-context/root:${stamp}`;
    created.push(tag);
    const r = await kiln(['build', `${base}/repo.git#v1`, '-t', tag, '--progress', 'plain']);
    expect(r.stderr).toContain(`git://127.0.0.1`);
    expect(r.code).toBe(0);
    expect(await runImage(tag)).toBe(`v1 ${stamp}\n`);
    // No .git: the clone is the checked-out tree, as docker build's.
    expect(await runImage(tag, 'ls', '-a', '/ctx')).not.toContain('.git');
    const head = `kiln-git-context/head:${stamp}`;
    created.push(head);
    // A branch by name.
    expect((await kiln(['build', `${base}/repo.git#main`, '-t', head, '-q'])).code).toBe(0);
    expect(await runImage(head)).toBe(`v2 ${stamp}\n`);
  });

  it("without a ref, the remote's default branch (its HEAD) is built, on every daemon: not a stale master, and a repository without one", async () => {
    const main = `kiln-git-context/default:${stamp}`;
    const trunk = `kiln-git-context/trunk:${stamp}`;
    created.push(main, trunk);
    const r = await kiln(['build', `${base}/default.git`, '-t', main, '-q']);
    expect(r.code).toBe(0);
    expect(await runImage(main)).toBe(`main ${stamp}\n`);
    const t = await kiln(['build', `${base}/trunk.git`, '-t', trunk, '-q']);
    expect(t.code).toBe(0);
    expect(await runImage(trunk)).toBe(`trunk ${stamp}\n`);
  });

  it('asks the remote once: the Dockerfile and the context come from the commit fetched, though the branch moves during the build', async () => {
    const bare = join(work, 'srv', 'moving.git');
    const seen = requests.length;
    // As the daemon downloads main's objects, main moves on to a commit with another Dockerfile and context.
    onRequest = (path) => {
      if (!path.startsWith('/moving.git/objects/')) return;
      onRequest = () => undefined;
      gitIn(bare, 'update-ref', 'refs/heads/main', gitIn(bare, 'rev-parse', 'next'));
      gitIn(bare, 'update-server-info');
    };
    const tag = `kiln-git-context/moving:${stamp}`;
    created.push(tag);
    const r = await kiln(['build', `${base}/moving.git#main`, '-t', tag, '-q']);
    expect(r.code).toBe(0);
    expect(await runImage(tag, 'cat', '/dockerfile', '/ctx/commit.txt')).toBe(`Dockerfile of A\ncontext of A ${stamp}\n`);
    // The git host's access log: the refs are listed, then the objects downloaded; nothing is asked after them.
    const log = requests.slice(seen).filter((p) => p.startsWith('/moving.git/'));
    const firstObject = log.findIndex((p) => p.startsWith('/moving.git/objects/'));
    expect(firstObject).toBeGreaterThan(0);
    expect(log.slice(firstObject).filter((p) => !p.startsWith('/moving.git/objects/'))).toEqual([]);
  });

  it('a subdirectory is the context: its Dockerfile, -f relative to it, --build-arg and --target', async () => {
    const tag = `kiln-git-context/sub:${stamp}`;
    created.push(tag);
    const r = await kiln(['build', `${base}/repo.git#v1:app`, '-t', tag, '--build-arg', `GREETING=hello ${stamp}`, '-q']);
    expect(r.code).toBe(0);
    expect(await runImage(tag)).toBe(`app v1 ${stamp}\n`);
    expect(await runImage(tag, 'cat', '/app/greeting')).toBe(`hello ${stamp}\n`);
    // Only the subdirectory was sent: version.txt (repository root) is not in COPY *.txt's matches.
    expect(await runImage(tag, 'ls', '/app')).toBe('app.txt\ngreeting\n');
    const alt = `kiln-git-context/alt:${stamp}`;
    created.push(alt);
    const a = await kiln(['build', `${base}/repo.git#v1:app`, '-f', 'docker/Dockerfile.alt', '--target', 'base', '-t', alt, '-q']);
    expect(a.code).toBe(0);
    expect(await runImage(alt, 'cat', '/alt.txt')).toBe(`app v1 ${stamp}\n`);
  });

  it("a failed step names its line of the repository's Dockerfile, by its path in the repository", async () => {
    const r = await kiln(['build', `${base}/repo.git#v1:app`, '-f', 'docker/Dockerfile.alt', '-q']);
    expect(r.code).toBe(1);
    const err = r.stderr.slice(r.stderr.indexOf('error: '));
    expect(err.split('\n').slice(1, 7)).toEqual([
      'app/docker/Dockerfile.alt:4',
      '--------------------',
      '   2 |     COPY app.txt /alt.txt',
      '   3 |     FROM base AS final',
      '   4 | >>> RUN false',
      '--------------------',
    ]);
    expect(r.stderr).not.toContain('node_modules');
  });

  it('a ref the repository does not have fails naming the repository and the ref', async () => {
    const r = await kiln(['build', `${base}/repo.git#no-such-${stamp}`, '--progress', 'plain']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: cannot fetch the git repository ${base}/repo.git at ref no-such-${stamp}:`);
  });

  it('a repository the daemon cannot reach fails naming it, and what a private one needs', async () => {
    const r = await kiln(['build', `${base}/private/repo.git#v1`, '--progress', 'plain']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: cannot fetch the git repository ${base}/private/repo.git at ref v1:`);
    expect(r.stderr).toContain('--secret id=GIT_AUTH_TOKEN');
  });

  it('a private repository over https takes GIT_AUTH_TOKEN from --secret', async () => {
    const tag = `kiln-git-context/private:${stamp}`;
    created.push(tag);
    const r = await kiln(['build', `${base}/private/repo.git#v1`, '--secret', 'id=GIT_AUTH_TOKEN,env=GIT_AUTH_TOKEN', '-t', tag, '-q'], { GIT_AUTH_TOKEN: TOKEN });
    expect(r.code).toBe(0);
    expect(await runImage(tag)).toBe(`v1 ${stamp}\n`);
  });

  it('a subdirectory or Dockerfile that is a symbolic link out of the repository is resolved inside the clone: missing there, never read from this machine', async () => {
    created.push(`kiln-git-context/escape:${stamp}`, `kiln-git-context/escape-file:${stamp}`);
    const dir = await kiln(['build', `${base}/links.git#main:escape`, '-t', `kiln-git-context/escape:${stamp}`, '-q']);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toContain(`error: the git repository ${base}/links.git at ref main has no directory escape`);
    const file = await kiln(['build', `${base}/links.git#main:app`, '-t', `kiln-git-context/escape-file:${stamp}`, '-q']);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain(`error: the git repository ${base}/links.git at ref main, subdirectory app has no Dockerfile Dockerfile`);
    expect((await dockerCli(['image', 'ls', '-q', `kiln-git-context/escape*:${stamp}`])).stdout.trim()).toBe('');
  });

  it('a missing Dockerfile or subdirectory fails naming the repository, the ref and the path', async () => {
    const noFile = await kiln(['build', `${base}/repo.git#v1:app`, '-f', 'Dockerfile.missing', '-q']);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain(`error: the git repository ${base}/repo.git at ref v1, subdirectory app has no Dockerfile Dockerfile.missing`);
    const noDir = await kiln(['build', `${base}/repo.git#v1:nowhere`, '-q']);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toContain(`error: the git repository ${base}/repo.git at ref v1 has no directory nowhere`);
  });
});

describe('Dockerfile ADD of a git repository', () => {
  it('the daemon clones it: the tree at the ref (a subdirectory with #REF:DIR, .git with --keep-git-dir), a private one with GIT_AUTH_TOKEN', async () => {
    const project = join(work, 'add-git');
    mkdirSync(project);
    writeFileSync(
      join(project, 'Dockerfile'),
      `FROM busybox:latest\nADD ${base}/repo.git#v1 /src\nADD ${base}/repo.git#v1:app /app/\nADD --keep-git-dir=true ${base}/private/repo.git#main /priv\n`,
    );
    writeFileSync(join(project, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n\nexport default Image.fromDockerfile('Dockerfile');\n`);
    const tag = `kiln-git-context/add:${stamp}`;
    created.push(tag);
    const r = await runKiln(['build', 'image.ts', '-t', tag, '--secret', 'id=GIT_AUTH_TOKEN,env=GIT_AUTH_TOKEN', '--progress', 'plain'], { cwd: project, env: { GIT_AUTH_TOKEN: TOKEN } });
    expect(r.stderr).toContain(`git://127.0.0.1`);
    expect(r.code).toBe(0);
    expect(await runImage(tag, 'cat', '/src/version.txt', '/app/app.txt', '/priv/version.txt')).toBe(`v1 ${stamp}\napp v1 ${stamp}\nv2 ${stamp}\n`);
    expect(await runImage(tag, 'ls', '-a', '/src', '/app')).toBe('/app:\n.\n..\nDockerfile\napp.txt\ndocker\n\n/src:\n.\n..\nDockerfile\napp\nversion.txt\n');
    expect(await runImage(tag, 'ls', '/priv/.git/HEAD')).toBe('/priv/.git/HEAD\n');
  });

  it("a token scoped to the repository's host (GIT_AUTH_TOKEN.<host>) is served, for ADD and for kiln build <git-url>, and never shown", async () => {
    const project = join(work, 'add-git-scoped');
    mkdirSync(project);
    writeFileSync(join(project, 'Dockerfile'), `FROM busybox:latest\nADD ${base}/private/repo.git#v1:app /app/\n`);
    writeFileSync(join(project, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n\nexport default Image.fromDockerfile('Dockerfile');\n`);
    const secret = ['--secret', `id=GIT_AUTH_TOKEN.${new URL(base).host},env=SCOPED`];
    const tag = `kiln-git-context/add-scoped:${stamp}`;
    created.push(tag, `kiln-git-context/scoped:${stamp}`);
    const add = await runKiln(['build', 'image.ts', '-t', tag, ...secret, '--progress', 'plain', '--no-cache'], { cwd: project, env: { SCOPED: TOKEN } });
    expect(add.stderr).not.toContain(TOKEN);
    expect(add.code).toBe(0);
    expect(await runImage(tag, 'cat', '/app/app.txt')).toBe(`app v1 ${stamp}\n`);
    const context = await kiln(['build', `${base}/private/repo.git#v1`, ...secret, '-t', `kiln-git-context/scoped:${stamp}`, '--progress', 'plain'], { SCOPED: TOKEN });
    expect(context.stderr).not.toContain(TOKEN);
    expect(context.code).toBe(0);
    expect(await runImage(`kiln-git-context/scoped:${stamp}`)).toBe(`v1 ${stamp}\n`);
  });

  it("without a ref, the remote's default branch, with and without --keep-git-dir", async () => {
    const project = join(work, 'add-git-default');
    mkdirSync(project);
    writeFileSync(join(project, 'Dockerfile'), `FROM busybox:latest\nADD ${base}/default.git /main\nADD --keep-git-dir=true ${base}/default.git /kept\nADD ${base}/trunk.git /trunk\n`);
    writeFileSync(join(project, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n\nexport default Image.fromDockerfile('Dockerfile');\n`);
    const tag = `kiln-git-context/add-default:${stamp}`;
    created.push(tag);
    const r = await runKiln(['build', 'image.ts', '-t', tag, '-q'], { cwd: project });
    expect(r.code).toBe(0);
    expect(await runImage(tag, 'cat', '/main/branch.txt', '/kept/branch.txt', '/trunk/branch.txt')).toBe(`main ${stamp}\nmain ${stamp}\ntrunk ${stamp}\n`);
    expect(await runImage(tag, 'cat', '/kept/.git/HEAD')).toBe(`${gitIn(join(work, 'srv', 'default.git'), 'rev-parse', 'main')}\n`);
  });

  it('a private repository without GIT_AUTH_TOKEN fails naming it', async () => {
    const project = join(work, 'add-git-private');
    mkdirSync(project);
    writeFileSync(join(project, 'Dockerfile'), `FROM busybox:latest\nADD ${base}/private/repo.git#v1 /src\n`);
    writeFileSync(join(project, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n\nexport default Image.fromDockerfile('Dockerfile');\n`);
    const r = await runKiln(['build', 'image.ts', '--progress', 'plain'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${base}/private/repo.git`);
  });
});
