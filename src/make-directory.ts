import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errnoOf, isGone } from './session/fs-errors.js';

/**
 * `mkdir -p`: creates `path` and its missing parents (with `mode`, less the umask), and succeeds when `path` is already
 * a directory. It fails as Node's `mkdir(path, { recursive: true })` does — ENOTDIR when a parent is a file, EEXIST
 * when `path` is one — except where that never returns: a directory that holds no new entries and answers ENOENT for
 * them (anything under /proc or /sys on Linux) makes Node's recursive mkdir take the ENOENT for a missing parent,
 * find the parent there, and try again forever at full CPU. Here a directory is created only below one known to exist,
 * so its ENOENT is the answer.
 */
export async function makeDirectory(path: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    const found = await stat(at).catch((err: unknown) => {
      if (!isGone(err) || dirname(at) === at) throw err;
      return undefined;
    });
    if (found === undefined) {
      missing.push(at);
      at = dirname(at);
      continue;
    }
    // A file where a directory should be: mkdir says so (EEXIST for `path` itself, ENOTDIR below it).
    if (!found.isDirectory()) await mkdir(missing[missing.length - 1] ?? at);
    break;
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir, mode === undefined ? undefined : { mode });
    } catch (err) {
      // Made meanwhile by someone else: fine when it is a directory.
      if (errnoOf(err) !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw err;
    }
  }
}
