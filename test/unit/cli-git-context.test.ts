/**
 * `kiln build URL[#REF[:SUBDIR]]`: which arguments are git repositories (as `docker build` / `docker buildx build`
 * tell a git context from a path), how the fragment splits into ref and subdirectory (as BuildKit reads it), and the
 * `-f` a repository's Dockerfile takes. Refusals happen before anything is fetched.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { gitContextDockerfile, isGitContext, parseGitContext } from '../../src/cli/git-context.js';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';
import { KilnError } from '../../src/errors.js';
import { Image } from '../../src/image/index.js';
import { formatGitUrl, splitGitUrl } from '../../src/llb/git-remote.js';

async function run(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  const err: Buffer[] = [];
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(args, { stdout: new PassThrough(), stderr, env: {}, cwd: process.cwd() });
  return { code, stderr: Buffer.concat(err).toString('utf8') };
}

describe('git contexts', () => {
  it.each([
    'https://github.com/org/repo.git',
    'https://github.com/org/repo.git#v1.2:docker',
    'http://127.0.0.1:8080/repo.git#main',
    'git://example.com/repo',
    'ssh://git@example.com/org/repo.git',
    'git@github.com:org/repo.git#main:sub',
    'github.com/org/repo',
  ])('%s is a git repository', (text) => {
    expect(isGitContext(text)).toBe(true);
  });

  it.each(['image.ts', 'image.ts:gpu', './repo.git', 'https://example.com/context.tar.gz', 'https://example.com/repo', 'C:\\work\\image.ts'])(
    '%s is not',
    (text) => {
      expect(isGitContext(text)).toBe(false);
      expect(parseGitContext(text)).toBeUndefined();
    },
  );

  it('splits the fragment as BuildKit does: the ref before the first ":", the subdirectory after it', () => {
    expect(parseGitContext('https://h/r.git')).toEqual({ text: 'https://h/r.git', remote: 'https://h/r.git', ref: '', subdir: '' });
    expect(parseGitContext('https://h/r.git#v1')).toMatchObject({ remote: 'https://h/r.git', ref: 'v1', subdir: '' });
    expect(parseGitContext('https://h/r.git#v1:docker/app/')).toMatchObject({ ref: 'v1', subdir: 'docker/app' });
    expect(parseGitContext('https://h/r.git#:sub')).toMatchObject({ ref: '', subdir: 'sub' });
    expect(parseGitContext('git@h:org/r.git#feature/x:sub')).toMatchObject({ remote: 'git@h:org/r.git', ref: 'feature/x', subdir: 'sub' });
  });

  it('refuses a subdirectory that leaves the repository', () => {
    expect(() => parseGitContext('https://h/r.git#v1:../etc')).toThrow(KilnError);
  });

  it("refuses what a Dockerfile's ADD of the same URL refuses, in the same words", () => {
    const refused = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        if (KilnError.is(err, 'invalid_argument')) return err.message;
        throw err;
      }
      throw new Error('not refused');
    };
    const cases = [
      ['https://h/r.git#v1#v2', 'https://h/r.git#v1#v2: the ref "v1#v2" must not contain "#" (write URL#REF:SUBDIR)'],
      ['https://h/r.git#v1:a/../../etc', 'https://h/r.git#v1:a/../../etc: the subdirectory "a/../../etc" must stay inside the repository (no "..")'],
      ['https://h/r.git#v 1', '"https://h/r.git#v 1" must not contain whitespace'],
    ];
    for (const [url, problem] of cases) {
      expect(refused(() => parseGitContext(url as string))).toBe(`git context ${problem as string}`);
      expect(refused(() => Image.fromRegistry('busybox:latest').dockerfileCommands([`ADD ${JSON.stringify([url, '/src'])}`]))).toContain(`the git repository ${problem as string}`);
    }
  });

  it('-f is relative to the subdirectory and must stay inside it; the default is Dockerfile', () => {
    expect(gitContextDockerfile(undefined)).toBe('Dockerfile');
    expect(gitContextDockerfile('./docker/Dockerfile.prod')).toBe('docker/Dockerfile.prod');
    for (const bad of ['/etc/Dockerfile', '../Dockerfile', '']) expect(() => gitContextDockerfile(bad)).toThrow(/a path inside it/);
  });

  it('kiln build of a git repository takes -f, --build-arg and --target, but not --context; a module still refuses -f', async () => {
    const withContext = await run(['build', 'https://h.invalid/r.git', '--context', '.']);
    expect(withContext.code).toBe(2);
    expect(withContext.stderr).toContain('the git repository https://h.invalid/r.git is the build context');
    const outside = await run(['build', 'https://h.invalid/r.git#main:sub', '-f', '../Dockerfile', '--build-arg', 'A=1', '--target', 't']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('-f ../Dockerfile: with a git repository as the context');
    const module = await run(['build', 'image.ts', '-f', 'Dockerfile']);
    expect(module.code).toBe(2);
    expect(module.stderr).toContain('no --file');
  });
});

describe('a git URL written back from its parts (a generated ADD line, a step name)', () => {
  it.each(['https://h/r.git', 'https://h/r.git#main', 'https://h/r.git#main:sub/dir', 'https://h/r.git#:sub', 'git@h:o/r.git#v1:a'])('%s', (url) => {
    expect(formatGitUrl(splitGitUrl(url))).toBe(url);
  });
});
