import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { KilnError } from '../errors.js';
import { errnoOf, writeHint } from './fs-errors.js';

/**
 * A place to write a file export (a tarball) next to its destination, renamed over it atomically on success. A failed or cancelled
 * export removes the staging copy and leaves whatever was at the destination untouched.
 */
export interface Landing {
  /** Where to write (a file beside the destination). */
  readonly staging: string;
  /** Moves the staging copy to the destination, replacing the file that was there. */
  commit(): Promise<void>;
  /** Removes the staging copy. */
  abort(): Promise<void>;
}

function suffix(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Checks, before anything is built, that a file export can land at `dest`: it must not be a directory (an export
 * never replaces one), and its parent must exist or be creatable, and be writable. Creates the parent directory.
 */
export async function checkFileDestination(dest: string): Promise<void> {
  const target = resolve(dest);
  const parent = dirname(target);
  try {
    if ((await stat(target)).isDirectory()) {
      throw new KilnError('invalid_argument', `the export destination ${dest} is a directory; this export writes one file`, {
        details: { path: dest },
        hint: `Give a file path, for example ${join(dest, 'image.tar')}.`,
      });
    }
  } catch (err) {
    if (KilnError.is(err)) throw err;
  }
  try {
    await mkdir(parent, { recursive: true });
  } catch (cause) {
    const code = errnoOf(cause);
    const blocked = code === 'EEXIST' || code === 'ENOTDIR';
    throw new KilnError('io', blocked ? `cannot write the export to ${dest}: a parent of it is a file, not a directory` : `cannot create ${parent} for the export${code === undefined ? '' : ` (${code})`}`, {
      cause,
      details: { path: dest },
      hint: 'Check the destination path and its permissions.',
    });
  }
  // A file actually created and removed, not access(W_OK): root passes that check on a read-only filesystem and in
  // directories such as /proc where no file can be made, and would find out only after the build.
  const probe = join(parent, `.kiln-probe-${suffix()}`);
  try {
    await (await open(probe, 'wx', 0o600)).close();
    await rm(probe, { force: true });
  } catch (cause) {
    await rm(probe, { force: true }).catch(() => {});
    throw new KilnError('io', `cannot write the export to ${dest}: ${parent} is not a writable directory${errnoOf(cause) === undefined ? '' : ` (${errnoOf(cause)})`}`, {
      cause,
      details: { path: dest },
      hint: writeHint(cause) ?? 'Choose a destination in a directory you can write to.',
    });
  }
}

/**
 * Prepares a landing for the file `dest`, checked by {@link checkFileDestination} (so before the build when the
 * landing is prepared then).
 */
export async function prepareLanding(dest: string): Promise<Landing> {
  await checkFileDestination(dest);
  const target = resolve(dest);
  const parent = dirname(target);
  const staging = join(parent, `.${basename(target)}.kiln-tmp-${suffix()}`);
  let settled = false;
  return {
    staging,
    async commit() {
      if (settled) return;
      settled = true;
      try {
        if ((await stat(target)).isDirectory()) {
          await rm(staging, { force: true });
          throw new KilnError('io', `the export destination ${target} became a directory during the build; the export was not written`, { details: { path: target } });
        }
      } catch (err) {
        if (KilnError.is(err)) throw err;
      }
      try {
        // rename(2) replaces an existing file atomically: readers see the old file or the new one, never a mix.
        await rename(staging, target);
      } catch (cause) {
        await rm(staging, { recursive: true, force: true });
        throw new KilnError('io', `cannot move the export into ${target}`, { cause });
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      await rm(staging, { recursive: true, force: true });
    },
  };
}
