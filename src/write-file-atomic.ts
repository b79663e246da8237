/**
 * Small files kiln writes for the user (lock files, `--metadata-file`, a local cache's `index.json`): written beside
 * their destination, flushed to disk and renamed into place, so a reader — or the user after a crash, a power cut or
 * Ctrl-C — sees the old file or the whole new one, never half.
 *
 * Internal module.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { KilnError } from './errors.js';
import { carryOver, resolveFileTarget } from './file-target.js';
import { writeError } from './session/fs-errors.js';

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
  const failed = (err: unknown): KilnError => writeError(`cannot write ${what}`, path, err);
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
