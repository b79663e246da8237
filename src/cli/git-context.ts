import { posix } from 'node:path';
import { KilnError } from '../errors.js';
import { gitUrlProblem, isGitRepositoryUrl, splitGitUrl } from '../llb/git-remote.js';

/** A `kiln build` argument that names a git repository as the build context: `URL[#REF[:SUBDIR]]`. */
export interface GitContext {
  /** The argument as given (what errors name). */
  readonly text: string;
  /** The repository, without the fragment: what the daemon clones. */
  readonly remote: string;
  /** Branch, tag or commit; `''` for the repository's default branch. */
  readonly ref: string;
  /** The directory inside the repository that is the context (`''` for its root), without leading or trailing "/". */
  readonly subdir: string;
}

/**
 * Whether `text` names a git repository the way `docker build` / `docker buildx build` recognise one for the context
 * argument: a `git://`, `ssh://` or `git@host:path` address, `github.com/…`, or an http(s) URL whose path ends in
 * `.git` (before a `#fragment`). A local path never does.
 */
export function isGitContext(text: string): boolean {
  return isGitRepositoryUrl(text, { githubShorthand: true });
}

/**
 * Splits a git context argument into repository, ref and subdirectory, as BuildKit reads the fragment: everything
 * after the first "#" is the ref, and after the first ":" in it the subdirectory. `undefined` when `text` is not a
 * git repository (see {@link isGitContext}).
 */
export function parseGitContext(text: string): GitContext | undefined {
  if (!isGitContext(text)) return undefined;
  const problem = gitUrlProblem('git context', text);
  if (problem !== undefined) throw new KilnError('invalid_argument', problem);
  const { remote, ref, subdir: rawSubdir } = splitGitUrl(text);
  const subdir = posix.normalize(`/${rawSubdir}`).replace(/^\/+|\/+$/g, '');
  return { text, remote, ref, subdir };
}

/** How errors name a git context: the repository and the ref (or its default branch), and the subdirectory. */
export function describeGitContext(ctx: GitContext): string {
  return `${ctx.remote} at ${ctx.ref === '' ? 'its default branch' : `ref ${ctx.ref}`}${ctx.subdir === '' ? '' : `, subdirectory ${ctx.subdir}`}`;
}

/**
 * The Dockerfile of a git context as a path inside the context directory: `-f` is relative to the subdirectory, as
 * with `docker build URL#REF:SUBDIR -f PATH`; default `Dockerfile`. Refuses a path that leaves the context.
 */
export function gitContextDockerfile(file: string | undefined): string {
  if (file === undefined) return 'Dockerfile';
  const path = posix.normalize(file.split('\\').join('/'));
  if (file === '' || posix.isAbsolute(path) || path === '..' || path.startsWith('../')) {
    throw new KilnError('invalid_argument', `-f ${file}: with a git repository as the context, the Dockerfile is a path inside it (relative to the subdirectory)`, {
      hint: 'Name it relative to the repository (or to the #REF:SUBDIR directory), e.g. -f docker/Dockerfile.',
    });
  }
  return path;
}
