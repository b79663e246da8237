/**
 * Reading the ignore files of a local source (`.dockerignore`, `.gitignore`, rsync's `.ktignore`) into exclude
 * patterns relative to the source's root: the compiler sends them to the daemon, `toDockerfile()` prints them as
 * `.dockerignore` lines.
 *
 * Internal module.
 */
import { type Dirent, readdirSync } from 'node:fs';
import { localFileExists, readLocalText } from './local-reads.js';
import { posix } from 'node:path';
import { KilnError } from '../errors.js';
import { resolveHostPath } from '../host-path.js';
import { errnoOf, ioError } from '../session/fs-errors.js';
import { createMatcher, type MatchState, type PathMatcher } from '../session/ignore-patterns.js';
import { gitignoreToPatterns, parseDockerignore, scopePatterns } from './ignore-patterns.js';
import type { IgnoreFileRef } from './steps.js';

/** How the nested search reads a directory (injectable for tests); Node's `readdirSync` by default. */
export type ReadDirectory = (dir: string) => readonly Dirent[];

const readDirectory: ReadDirectory = (dir) => readdirSync(dir, { withFileTypes: true });

/**
 * The exclude patterns of ignore file `f` of the source at `root` (absolute), relative to `root`; with `nested`, also
 * those of the files of that name below it, each for its own directory. `undefined` when a required file is missing.
 *
 * The search for nested files does not enter a directory the rules already leave out (the source's `exclude`, the
 * patterns of `f` itself and of the files of that name above it) unless a `!` pattern could re-include something
 * inside it: the rule the context walk uses, so `node_modules/` in a `.gitignore` keeps the search out of it, as git
 * does not read a `.gitignore` in an ignored directory either.
 */
export function ignoreFilePatterns(
  f: IgnoreFileRef,
  root: string,
  context: string,
  exclude: readonly string[],
  readDir: ReadDirectory = readDirectory,
): string[] | undefined {
  const file = resolveHostPath(context, f.path);
  const patternsOf = (one: string): string[] => {
    const text = readIgnoreFile(one, f.path);
    const patterns = f.syntax === 'git' ? gitignoreToPatterns(text) : parseDockerignore(text);
    const dir = posix.dirname(one);
    const sub = dir === root || !dir.startsWith(`${root}/`) ? '' : posix.relative(root, dir);
    return scopePatterns(patterns, sub);
  };
  if (!localFileExists(file) && !f.optional) return undefined;
  const out = localFileExists(file) ? patternsOf(file) : [];
  if (f.nested !== true) return out;
  for (const one of nestedFiles(root, posix.basename(file), skippedDirectories(exclude), [...exclude, ...out], patternsOf, readDir)) {
    out.push(...one.patterns);
  }
  return out;
}

/** Directory names an exclude list leaves out at any depth (patterns "**" + "/name"): not searched for ignore files. */
function skippedDirectories(exclude: readonly string[]): Set<string> {
  return new Set(exclude.flatMap((p) => (/^\*\*\/[^*?[\]/!]+$/.test(p) ? [p.slice(3)] : [])));
}

/** The exclude rules in force in one directory of the search, and the directory's state under them. */
interface Rules {
  readonly matcher: PathMatcher | undefined;
  readonly state: MatchState | undefined;
}

/** The matcher of `patterns`, or undefined (no pruning) when there are none or one is malformed (the build reports it). */
function matcherOf(patterns: readonly string[]): PathMatcher | undefined {
  if (patterns.length === 0) return undefined;
  try {
    return createMatcher(patterns);
  } catch (err) {
    if (err instanceof KilnError) return undefined;
    throw err;
  }
}

/**
 * Files named `name` below `root` (not `root` itself) with their patterns, sorted by path; skips symlinks, directories
 * named in `skip`, and directories that `patterns` (plus those of the files found above them) exclude with no `!`
 * pattern that could reach inside.
 */
function nestedFiles(
  root: string,
  name: string,
  skip: ReadonlySet<string>,
  patterns: readonly string[],
  patternsOf: (file: string) => string[],
  readDir: ReadDirectory,
): { readonly file: string; readonly patterns: readonly string[] }[] {
  const found: { file: string; patterns: readonly string[] }[] = [];
  const walk = (dir: string, rel: string, inherited: readonly string[], rules: Rules): void => {
    let entries: readonly Dirent[];
    try {
      entries = readDir(dir);
    } catch {
      return;
    }
    let here = inherited;
    let current = rules;
    // This directory's own file first: its patterns decide about the directories next to it.
    if (rel !== '.' && entries.some((e) => e.isFile() && e.name === name)) {
      const file = posix.join(dir, name);
      const own = localFileExists(file) ? patternsOf(file) : [];
      found.push({ file, patterns: own });
      if (own.length > 0) {
        here = [...inherited, ...own];
        const matcher = matcherOf(here);
        current = { matcher, state: matcher?.stateOf(rel) };
      }
    }
    for (const e of entries) {
      if (!e.isDirectory() || skip.has(e.name)) continue;
      const childRel = rel === '.' ? e.name : `${rel}/${e.name}`;
      const matcher = current.matcher;
      const state = matcher?.evaluate(childRel, current.state);
      if (matcher !== undefined && state?.matched === true && !matcher.couldReincludeBelow(childRel, state)) continue;
      walk(posix.join(dir, e.name), childRel, here, { matcher, state });
    }
  };
  const matcher = matcherOf(patterns);
  walk(root, '.', patterns, { matcher, state: undefined });
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The text of ignore file `file` (given as `given`): a directory, or a file that cannot be read, is a KilnError naming it. */
function readIgnoreFile(file: string, given: string): string {
  try {
    return readLocalText(file);
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
