/**
 * Small files kiln writes for the user (lock files, `--metadata-file`, a local cache's `index.json`): written beside
 * their destination, flushed to disk and renamed into place, so a reader — or the user after a crash, a power cut or
 * Ctrl-C — sees the old file or the whole new one, never half.
 *
 * Internal module.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KilnError } from './errors.js';
import { carryOver, resolveFileTarget } from './file-target.js';
import { errnoOf, writeHint } from './session/fs-errors.js';

/**
 * Writes `text` to `path` atomically. A failure is a KilnError `io` naming `what` and the path; the temporary file is
 * removed.
 *
 * A destination that is not a regular file (`/dev/stdout`, a pipe such as `>(jq .)`, a terminal) is written to as it
 * is: renaming a file onto it would replace the device or the link to it (as root, `/dev/stdout` itself) instead of
 * writing there. A symbolic link keeps being a link: the file it points to is replaced (or created, when it is
 * dangling). A replaced file keeps its mode (a private 0600 file stays private) and, as root, its owner.
 */
export async function writeFileAtomic(path: string, text: string, what: string): Promise<void> {
  const failed = (err: unknown): KilnError => writeFileError(what, path, err);
  const { target, existing } = await resolveFileTarget(path);
  if (existing !== undefined && !existing.isFile()) {
    await writeFile(path, text).catch((err: unknown) => {
      throw failed(err);
    });
    return;
  }
  const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'wx', existing === undefined ? 0o666 : existing.mode & 0o777);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await carryOver(tmp, existing);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw failed(err);
  }
}

/**
 * The `io` error for a file that could not be written: what is wrong with `path` itself (never the name of the
 * temporary file written beside it), and what to do.
 */
function writeFileError(what: string, path: string, err: unknown): KilnError {
  const code = errnoOf(err);
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
            : `: ${err instanceof Error ? err.message : String(err)}`;
  const hint =
    code === 'ENOENT'
      ? `Create ${dir} first, or choose a path in a directory that exists.`
      : code === 'EISDIR'
        ? 'Name a file, not a directory.'
        : writeHint(err);
  return new KilnError('io', `cannot write ${what} ${path}${why}`, { cause: err, details: { path }, ...(hint === undefined ? {} : { hint }) });
}
