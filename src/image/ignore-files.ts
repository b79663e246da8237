/**
 * Reading the ignore files of a local source (`.dockerignore`, `.gitignore`, rsync's `.ktignore`) into exclude
 * patterns relative to the source's root: the compiler sends them to the daemon, `toDockerfile()` prints them as
 * `.dockerignore` lines.
 *
 * Internal module.
 */
import { type Dirent, existsSync, readFileSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { KilnError } from '../errors.js';
import { errnoOf, ioError } from '../session/fs-errors.js';
import { gitignoreToPatterns, parseDockerignore, scopePatterns } from './ignore-patterns.js';
import type { IgnoreFileRef } from './steps.js';

/**
 * The exclude patterns of ignore file `f` of the source at `root` (absolute), relative to `root`; with `nested`, also
 * those of the files of that name below it, each for its own directory. `undefined` when a required file is missing.
 */
export function ignoreFilePatterns(f: IgnoreFileRef, root: string, context: string, exclude: readonly string[]): string[] | undefined {
  const file = f.path.startsWith('/') ? f.path : posix.join(context, f.path);
  const files = f.nested === true ? [file, ...nestedFiles(root, posix.basename(file), skippedDirectories(exclude))] : [file];
  const out: string[] = [];
  for (const one of files) {
    if (!existsSync(one)) {
      if (f.optional) continue;
      return undefined;
    }
    const text = readIgnoreFile(one, f.path);
    const patterns = f.syntax === 'git' ? gitignoreToPatterns(text) : parseDockerignore(text);
    const dir = posix.dirname(one);
    const sub = dir === root || !dir.startsWith(`${root}/`) ? '' : posix.relative(root, dir);
    out.push(...scopePatterns(patterns, sub));
  }
  return out;
}

/** Directory names an exclude list leaves out at any depth (patterns "**" + "/name"): not searched for ignore files. */
function skippedDirectories(exclude: readonly string[]): Set<string> {
  return new Set(exclude.flatMap((p) => (/^\*\*\/[^*?[\]/!]+$/.test(p) ? [p.slice(3)] : [])));
}

/** Files named `name` below `root` (not `root` itself), skipping directories named in `skip` and symlinks. */
function nestedFiles(root: string, name: string, skip: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const walk = (dir: string, top: boolean): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && !skip.has(e.name)) walk(posix.join(dir, e.name), false);
      else if (!top && e.isFile() && e.name === name) found.push(posix.join(dir, e.name));
    }
  };
  walk(root, true);
  return found.sort();
}

/** The text of ignore file `file` (given as `given`): a directory, or a file that cannot be read, is a KilnError naming it. */
function readIgnoreFile(file: string, given: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'EISDIR') {
      throw new KilnError('invalid_argument', `the ignore file ${given} is a directory (${file})`, {
        hint: 'Pass the path of the ignore file itself (such as "src/.dockerignore"), or true for the directory\'s own.',
        details: { path: file },
      });
    }
    throw ioError('cannot read the ignore file', file, err);
  }
}
