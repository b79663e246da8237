import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { KilnError } from '../errors.js';

/**
 * A place to write an export next to its destination, swapped in atomically on success. A failed or cancelled
 * export removes the staging copy and leaves whatever was at the destination untouched.
 */
export interface Landing {
  /** Where to write (a directory or a file, beside the destination). */
  readonly staging: string;
  /** Moves the staging copy to the destination, replacing what was there. */
  commit(): Promise<void>;
  /** Removes the staging copy. */
  abort(): Promise<void>;
}

function suffix(): string {
  return randomBytes(6).toString('hex');
}

/** Prepares a landing for `dest` (a directory or file path). The parent directory is created if needed. */
export async function prepareLanding(dest: string): Promise<Landing> {
  const target = resolve(dest);
  const parent = dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (cause) {
    throw new KilnError('io', `cannot create ${parent} for the export`, { cause, hint: 'Check the destination path and its permissions.' });
  }
  const staging = join(parent, `.${basename(target)}.kiln-tmp-${suffix()}`);
  let settled = false;
  return {
    staging,
    async commit() {
      if (settled) return;
      settled = true;
      let old: string | undefined;
      try {
        await stat(target);
        old = join(parent, `.${basename(target)}.kiln-old-${suffix()}`);
        await rename(target, old);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          await rm(staging, { recursive: true, force: true });
          throw new KilnError('io', `cannot replace ${target}`, { cause: err });
        }
      }
      try {
        await rename(staging, target);
      } catch (cause) {
        if (old !== undefined) await rename(old, target).catch(() => {});
        await rm(staging, { recursive: true, force: true });
        throw new KilnError('io', `cannot move the export into ${target}`, { cause });
      }
      if (old !== undefined) await rm(old, { recursive: true, force: true });
    },
    async abort() {
      if (settled) return;
      settled = true;
      await rm(staging, { recursive: true, force: true });
    },
  };
}
