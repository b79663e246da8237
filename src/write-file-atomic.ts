/**
 * Small files kiln writes for the user (lock files, `--metadata-file`): written beside their destination and renamed
 * into place, so a reader — or the user after a crash or Ctrl-C — sees the old file or the whole new one, never half.
 *
 * Internal module.
 */
import { randomBytes } from 'node:crypto';
import { realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { KilnError } from './errors.js';

/**
 * Writes `text` to `path` atomically. A failure is a KilnError `io` naming `what` and the path; the temporary file is
 * removed.
 *
 * A destination that is not a regular file (`/dev/stdout`, a pipe such as `>(jq .)`, a terminal) is written to as it
 * is: renaming a file onto it would replace the device or the link to it (as root, `/dev/stdout` itself) instead of
 * writing there. A symbolic link to a regular file keeps being a link: the file it points to is replaced.
 */
export async function writeFileAtomic(path: string, text: string, what: string): Promise<void> {
  const failed = (err: unknown): KilnError => new KilnError('io', `cannot write ${what} ${path}: ${(err as Error).message}`, { cause: err });
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined && !existing.isFile()) {
    await writeFile(path, text).catch((err: unknown) => {
      throw failed(err);
    });
    return;
  }
  const target = existing === undefined ? path : await realpath(path).catch(() => path);
  const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw failed(err);
  }
}
