import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KilnError } from '../errors.js';
import { carryOver, resolveFileTarget } from '../file-target.js';
import { errnoOf, writeError, writeHint } from './fs-errors.js';
import { makeDestinationDirectory } from './destination-directory.js';
import { trackStagingPath } from './staging-paths.js';

/**
 * A place to write a file export (a tarball) next to its destination, renamed over it atomically on success. A failed or cancelled
 * export removes the staging copy and leaves whatever was at the destination untouched.
 *
 * A destination that is neither a regular file nor a directory — a device such as `/dev/null`, a named pipe, a socket
 * — is written to directly: renaming a file onto it would replace the device itself (as root, `/dev/null` would become
 * a regular file for every program on the machine). A symbolic link is written through: the file it points to is
 * replaced (or created, for a dangling link), the link stays. A replaced file keeps its mode (and, as root, owner).
 */
export interface Landing {
  /** Where to write: a file beside the destination, or the destination itself when it is a device or pipe. */
  readonly staging: string;
  /** The flags to open `staging` with: `wx` for a new staging file, `w` for a device or pipe written directly. */
  readonly openFlags: 'wx' | 'w';
  /**
   * The mode to open `staging` with: the permission bits of the file being replaced (so a private tarball is never
   * readable by others, not even while it is written), else 0o666 (less the umask).
   */
  readonly mode: number;
  /** Moves the staging copy to the destination, replacing the file that was there. */
  commit(): Promise<void>;
  /** Removes the staging copy. */
  abort(): Promise<void>;
}

function suffix(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Where a file export at `dest` goes: the path itself, or the file a symbolic link there points to; `direct` when that
 * exists and is neither a regular file nor a directory (a device, pipe or socket, written to as it is). A directory is
 * refused: an export never replaces one.
 */
async function fileDestination(dest: string): Promise<{ target: string; direct: boolean; existing: Stats | undefined }> {
  const { target, existing } = await resolveFileTarget(dest);
  if (existing?.isDirectory() === true) {
    throw new KilnError('invalid_argument', `the export destination ${dest} is a directory; this export writes one file`, {
      details: { path: dest },
      hint: `Give a file path, for example ${join(dest, 'image.tar')}.`,
    });
  }
  return { target, direct: existing !== undefined && !existing.isFile(), existing };
}

/**
 * Checks, before anything is built, that a file export can land at `dest`: it must not be a directory (an export
 * never replaces one), and its parent must exist or be creatable, and be writable. Creates the parent directory.
 */
export async function checkFileDestination(dest: string): Promise<void> {
  await checkedDestination(dest);
}

/** {@link checkFileDestination}, returning where the export goes (resolved once, for {@link prepareLanding}). */
async function checkedDestination(dest: string): Promise<{ target: string; direct: boolean; existing: Stats | undefined }> {
  const destination = await fileDestination(dest);
  const { target, direct } = destination;
  // A device or pipe is written as it is: nothing is made beside it (as root, a probe file would land in /dev).
  if (direct) return destination;
  const parent = dirname(target);
  await makeDestinationDirectory(parent, dest, 'the export');
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
  return destination;
}

/**
 * Prepares a landing for the file `dest`, checked by {@link checkFileDestination} (so before the build when the
 * landing is prepared then).
 */
export async function prepareLanding(dest: string): Promise<Landing> {
  const { target, direct, existing } = await checkedDestination(dest);
  if (direct) {
    // Written in place: there is nothing to move, and nothing to take back from a device once written.
    return { staging: target, openFlags: 'w', mode: 0o666, commit: async () => {}, abort: async () => {} };
  }
  const parent = dirname(target);
  const staging = join(parent, `.${basename(target)}.kiln-tmp-${suffix()}`);
  // Removed at once if kiln must end before the file lands or is removed (a second Ctrl-C).
  const untrack = trackStagingPath(staging);
  let settled = false;
  return {
    staging,
    openFlags: 'wx',
    mode: existing === undefined ? 0o666 : existing.mode & 0o777,
    async commit() {
      if (settled) return;
      settled = true;
      try {
        if ((await stat(target)).isDirectory()) {
          await rm(staging, { force: true });
          untrack();
          throw new KilnError('io', `the export destination ${target} became a directory during the build; the export was not written`, { details: { path: target } });
        }
      } catch (err) {
        if (KilnError.is(err)) throw err;
      }
      try {
        await carryOver(staging, existing);
        // rename(2) replaces an existing file atomically: readers see the old file or the new one, never a mix.
        await rename(staging, target);
      } catch (cause) {
        await rm(staging, { recursive: true, force: true });
        throw writeError('cannot write the export to', dest, cause);
      } finally {
        untrack();
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      await rm(staging, { recursive: true, force: true });
      untrack();
    },
  };
}
