/**
 * Small files kiln writes for the user (lock files, `--metadata-file`): written beside their destination and renamed
 * into place, so a reader — or the user after a crash or Ctrl-C — sees the old file or the whole new one, never half.
 *
 * Internal module.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { KilnError } from './errors.js';

/**
 * Writes `text` to `path` atomically. A failure is a KilnError `io` naming `what` and the path; the temporary file is
 * removed.
 */
export async function writeFileAtomic(path: string, text: string, what: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new KilnError('io', `cannot write ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}
