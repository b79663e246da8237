/** Small helpers turning Node filesystem errors into kiln's `io` errors, shared by the file-transfer code. */
import { dirname, resolve } from 'node:path';
import { KilnError } from '../errors.js';

/** The `code` of a Node system error (`ENOENT`, `EACCES`...), if there is one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when the error says the path (or one of its parents) no longer exists. */
export function isGone(err: unknown): boolean {
  const code = errnoOf(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * An `io` KilnError for a failed filesystem operation: `"<what> <path> (<errno>)"`, with the path in `details` and a
 * hint for permission problems.
 */
export function ioError(what: string, path: string, cause: unknown): KilnError {
  const code = errnoOf(cause);
  const message = `${what} ${path}${code === undefined ? '' : ` (${code})`}`;
  if (code === 'EACCES' || code === 'EPERM') {
    return new KilnError('io', message, {
      cause,
      details: { path },
      hint: 'Make it readable, or exclude it (for example in .dockerignore).',
    });
  }
  return new KilnError('io', message, { cause, details: { path } });
}

/**
 * The `io` KilnError for a failed write — a lock file, `--metadata-file`, an export — in one shape everywhere:
 * `"<what> <path>: <what is wrong with it>"` for the causes a user can act on (its directory does not exist, a parent
 * of it is a file, it is a directory), else `"<what> <path> (<errno>)"`, with the path in `details` and a hint saying
 * what to do (create the directory; name a file; permissions, a read-only filesystem, a full disk).
 *
 * `path` is the path the user gave (or a file inside it), never the temporary file kiln writes beside it.
 */
export function writeError(what: string, path: string, cause: unknown): KilnError {
  const code = errnoOf(cause);
  const dir = dirname(resolve(path));
  const why =
    code === 'ENOENT'
      ? `: the directory ${dir} does not exist`
      : code === 'ENOTDIR'
        ? ': a parent of it is a file, not a directory'
        : code === 'EISDIR'
          ? ': it is a directory'
          : code !== undefined
            ? ` (${code})`
            : `: ${cause instanceof Error ? cause.message : String(cause)}`;
  const hint =
    code === 'ENOENT'
      ? `Create ${dir} first, or choose a path in a directory that exists.`
      : code === 'EISDIR'
        ? 'Name a file, not a directory.'
        : writeHint(cause);
  return new KilnError('io', `${what} ${path}${why}`, { cause, details: { path }, ...(hint === undefined ? {} : { hint }) });
}

/** What to do about a failed write, by its errno (permissions, a read-only filesystem, a full disk); else undefined. */
export function writeHint(cause: unknown): string | undefined {
  return WRITE_HINTS[errnoOf(cause) ?? ''];
}

const WRITE_HINTS: Readonly<Record<string, string>> = {
  EACCES: 'kiln may not write there: choose a destination you can write to, or change its permissions.',
  EPERM: 'kiln may not write there: choose a destination you can write to, or change its permissions.',
  EROFS: 'That filesystem is read-only: choose a destination on a writable one.',
  ENOSPC: 'The disk of the destination is full: free space or choose a destination on another disk.',
  EDQUOT: 'Your disk quota there is used up: free space or choose a destination elsewhere.',
};
