/**
 * Dockerfile `ADD <git repository> dest` (BuildKit's Dockerfile frontend 1.5+): the daemon clones the repository and
 * its checked-out tree goes to dest, `#REF:SUBDIR` taking one directory of it (copied from the clone: BuildKit v0.8's
 * git source has no subdirectory), `--keep-git-dir` keeping `.git`. Over https the clone may read GIT_AUTH_TOKEN,
 * over ssh it needs the default ssh agent. And `kiln build <git-url>`'s Dockerfile, whose context is the daemon's
 * clone: COPY, wildcards and bind mounts read from it, never from this machine.
 */
import { describe, expect, it } from 'vitest';
import { Image, compileImage } from '../../src/image/index.js';
import { imageFromGitDockerfile } from '../../src/image/image.js';
import { execs, fileActions, ops, sources } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

const base = (): Image => Image.fromRegistry('debian:bookworm-slim');

/** The copies of the compiled image: source path, destination, and whether a directory's contents are copied. */
function copies(img: Image): { src: string; dest: string; contents: boolean; wildcard: boolean }[] {
  return fileActions(compileImage(img).definition).flatMap((f) =>
    f.actions.flatMap((a) =>
      a.action?.type === 'copy' ? [{ src: a.action.copy.src, dest: a.action.copy.dest, contents: a.action.copy.dirCopyContents, wildcard: a.action.copy.allowWildcard }] : [],
    ),
  );
}

const gitSources = (img: Image): { identifier: string; attrs: Record<string, string> }[] => sources(compileImage(img).definition).filter((s) => s.identifier.startsWith('git://'));

describe('Dockerfile ADD of a git repository', () => {
  it('clones it at the ref on the daemon and copies the tree into dest; the session may serve GIT_AUTH_TOKEN', () => {
    const img = base().dockerfileCommands(['ADD https://git.example.com/org/repo.git#v1.2 /src']);
    expect(gitSources(img)).toEqual([
      {
        identifier: 'git://git.example.com/org/repo.git#v1.2',
        attrs: { 'git.fullurl': 'https://git.example.com/org/repo.git', 'git.authtokensecret': 'GIT_AUTH_TOKEN', 'git.authheadersecret': 'GIT_AUTH_HEADER' },
      },
    ]);
    expect(copies(img)).toEqual([{ src: '/', dest: '/src', contents: true, wildcard: false }]);
    const c = compileImage(img);
    // And those scoped to the repository's host, which the daemon asks for first (a token kept to its host).
    expect(c.sourceSecrets).toEqual(['GIT_AUTH_TOKEN.git.example.com', 'GIT_AUTH_TOKEN', 'GIT_AUTH_HEADER.git.example.com', 'GIT_AUTH_HEADER']);
    // Not a secret the build must be given: a public repository needs none.
    expect(c.secrets).toEqual([]);
    expect(c.requiredSecrets).toEqual([]);
  });

  it('#REF:SUBDIR copies that directory of the clone; --keep-git-dir keeps .git; the default branch without a ref', () => {
    const img = base().dockerfileCommands(['ADD --keep-git-dir=true https://git.example.com/org/repo.git#main:tools/bin /opt/tools/', 'ADD https://git.example.com/org/other.git /other']);
    expect(gitSources(img).map((s) => [s.identifier, s.attrs['git.keepgitdir']])).toEqual([
      ['git://git.example.com/org/repo.git#main', 'true'],
      ['git://git.example.com/org/other.git', undefined],
    ]);
    expect(copies(img)).toEqual([
      { src: '/tools/bin', dest: '/opt/tools/', contents: true, wildcard: false },
      { src: '/', dest: '/other', contents: true, wildcard: false },
    ]);
  });

  it("a host's scoped secret names the host as BuildKit reads it: with the port written, without the user", () => {
    const img = base().dockerfileCommands([
      'ADD http://127.0.0.1:8080/org/repo.git#v1 /a',
      'ADD https://user:p%40ss@git.example.com:443/org/other.git /b',
      'ADD https://git.example.com/org/third.git /c',
    ]);
    expect(compileImage(img).sourceSecrets.filter((s) => s.startsWith('GIT_AUTH_TOKEN'))).toEqual([
      'GIT_AUTH_TOKEN.127.0.0.1:8080',
      'GIT_AUTH_TOKEN',
      'GIT_AUTH_TOKEN.git.example.com:443',
      'GIT_AUTH_TOKEN.git.example.com',
    ]);
  });

  it('over ssh (git@host:path) the daemon uses the default ssh agent, which the build must forward', () => {
    const img = base().dockerfileCommands(['ADD git@github.com:org/private.git#v2 /src']);
    expect(gitSources(img)).toEqual([
      expect.objectContaining({ identifier: 'git://github.com/org/private.git#v2', attrs: expect.objectContaining({ 'git.fullurl': 'git@github.com:org/private.git', 'git.mountsshsock': 'default' }) }),
    ]);
    const c = compileImage(img);
    expect(c.requiredSshIds).toEqual(['default']);
    expect(c.sourceSecrets).toEqual([]);
  });

  it('writes it back as ADD URL#REF:SUBDIR (with --keep-git-dir) in toDockerfile', () => {
    const img = base().dockerfileCommands(['ADD --keep-git-dir https://git.example.com/org/repo.git#main:tools /opt/tools/', 'ADD git@github.com:org/private.git /src']);
    const text = img.toDockerfile();
    expect(text).toContain('ADD --keep-git-dir=true https://git.example.com/org/repo.git#main:tools /opt/tools/');
    expect(text).toContain('ADD git@github.com:org/private.git /src');
    expect(gitSources(Image.fromRegistry('debian:bookworm-slim').dockerfileCommands(text.split('\n').filter((l) => l.startsWith('ADD '))))).toEqual(gitSources(img));
  });

  it.each([
    ['ADD --keep-git-dir=true https://example.com/a.txt /a', '--keep-git-dir applies only to a git repository source'],
    ['ADD --keep-git-dir=yes https://example.com/r.git /a', '--keep-git-dir is true or false, got "yes"'],
    [`ADD --checksum=sha256:${'ab'.repeat(32)} https://example.com/r.git#main /src`, '--checksum with a git repository (the commit to check out) is not supported by kiln; pin the commit in the ref'],
    ['ADD https://example.com/r.git#main:../x /src', 'the subdirectory "../x" must stay inside the repository'],
    ['COPY https://example.com/r.git /src', 'COPY of a git repository (https://example.com/r.git) is not supported; use ADD, which clones it'],
  ])('refuses %s', (line, message) => {
    const err = thrown(() => compileImage(base().dockerfileCommands([line])));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(message);
  });
});

describe("kiln build <git-url>: the Dockerfile's context is the daemon's clone", () => {
  const ctx = { remote: 'https://git.example.com/org/repo.git', ref: 'v1', subdir: 'app' };

  it('COPY sources, wildcards and bind mounts come from the clone (its subdirectory), nothing from this machine', () => {
    const img = imageFromGitDockerfile(
      'FROM busybox:latest\nCOPY . /ctx/\nCOPY *.txt /txt/\nRUN --mount=type=bind,source=scripts,target=/s sh /s/run.sh\n',
      ctx,
    );
    const c = compileImage(img);
    expect(c.locals).toEqual([]);
    expect(gitSources(img).map((s) => s.identifier)).toEqual(['git://git.example.com/org/repo.git#v1']);
    const all = copies(img);
    // The context: the subdirectory of the clone, copied out of it.
    expect(all).toContainEqual({ src: '/app', dest: '/', contents: true, wildcard: false });
    expect(all).toContainEqual({ src: '/', dest: '/ctx/', contents: true, wildcard: false });
    expect(all).toContainEqual({ src: '/*.txt', dest: '/txt/', contents: true, wildcard: true });
    const run = execs(c.definition).find((e) => e.args.join(' ').includes('/s/run.sh'));
    expect(run?.exec.mounts.find((m) => m.dest === '/s')?.selector).toBe('/scripts');
  });

  it('the context is cloned at the commit the Dockerfile was read from; the step is still named by the ref', () => {
    const commit = 'c0ffee'.padEnd(40, '0');
    const img = imageFromGitDockerfile('FROM busybox:latest\nCOPY . /ctx/\n', { ...ctx, ref: 'main', commit });
    expect(gitSources(img).map((s) => s.identifier)).toEqual([`git://git.example.com/org/repo.git#${commit}`]);
    expect(ops(compileImage(img).definition).map((o) => o.name)).toContain('git context https://git.example.com/org/repo.git#main:app');
    // Without a commit (the daemon's clone did not say), the ref as given.
    expect(gitSources(imageFromGitDockerfile('FROM busybox:latest\nCOPY . /ctx/\n', { ...ctx, ref: 'main' })).map((s) => s.identifier)).toEqual(['git://git.example.com/org/repo.git#main']);
  });

  it('build args and --target apply', () => {
    const img = imageFromGitDockerfile('FROM busybox:latest AS base\nARG F=a.txt\nCOPY $F /f\nFROM base AS final\nRUN false\n', ctx, { buildArgs: { F: 'b.txt' }, target: 'base' });
    expect(copies(img)).toContainEqual({ src: '/b.txt', dest: '/f', contents: true, wildcard: false });
    expect(execs(compileImage(img).definition)).toEqual([]);
  });
});
