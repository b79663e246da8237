/**
 * Where a file kiln writes for the user (an export tarball, a lock file, `--metadata-file`) really goes, and what of
 * the file it replaces carries over — so that writing beside the destination and renaming onto it behaves like a
 * shell redirection or `buildctl`'s `os.Create` would: through symbolic links, keeping the replaced file's mode and
 * (as root) its owner.
 *
 * Internal module.
 */
import type { Stats } from 'node:fs';
import { chmod, chown, lstat, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Where `path` leads. */
export interface FileTarget {
  /** The absolute path to write: `path` itself, or what the symbolic link(s) there point to. */
  readonly target: string;
  /** What is at `target` now (following links), or undefined when nothing is. */
  readonly existing: Stats | undefined;
}

/** Links followed before giving up, as the kernel's own limit (ELOOP). */
const MAX_LINKS = 40;

/**
 * Resolves `path` (relative to the working directory) to the file a write there should replace. A symbolic link is
 * followed to its target even when that does not exist yet (a dangling link): like `>` in a shell, the file is
 * created where the link points and the link stays, instead of being replaced by a regular file.
 */
export async function resolveFileTarget(path: string): Promise<FileTarget> {
  const abs = resolve(path);
  const existing = await stat(abs).catch(() => undefined);
  if (existing !== undefined) return { target: await realpath(abs).catch(() => abs), existing };
  let p = abs;
  for (let i = 0; i < MAX_LINKS; i++) {
    const st = await lstat(p).catch(() => undefined);
    if (st === undefined || !st.isSymbolicLink()) break;
    p = resolve(dirname(p), await readlink(p));
  }
  return { target: p, existing: undefined };
}

/**
 * Gives the freshly written `file` the permission bits of the regular file it is about to replace, and — when kiln
 * runs as root — its owner and group, so a private (0600) tarball or lock file stays private and a user's file
 * rewritten with `sudo` stays theirs. Best effort for the owner: a filesystem that refuses chown keeps kiln's.
 */
export async function carryOver(file: string, replaced: Stats | undefined): Promise<void> {
  if (replaced === undefined || !replaced.isFile()) return;
  if (process.getuid?.() === 0) await chown(file, replaced.uid, replaced.gid).catch(() => {});
  await chmod(file, replaced.mode & 0o7777);
}
