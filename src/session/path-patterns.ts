import { posix } from 'node:path';
import { invalidArgument } from '../errors.js';

/**
 * `.dockerignore`-style path patterns, with the semantics Docker and BuildKit use:
 * - `*` any run of characters except `/`, `?` one such character, `[...]` a character class, `\` escapes;
 * - `**` any number of path segments, including none (`**\/*.go`, `a/**`, `a/**\/b`);
 * - a pattern matching a directory also matches everything below it;
 * - `!pattern` re-includes; later patterns win;
 * - patterns are cleaned (`./a//b/` → `a/b`) and a leading `/` is ignored.
 */
export interface PathPattern {
  readonly text: string;
  readonly exclusion: boolean;
  readonly regex: RegExp;
  /** Path segments of the cleaned pattern (for "could this match inside that directory?"). */
  readonly segments: readonly string[];
}

/** Cleans a pattern or path like Go's filepath.Clean, minus any leading `/`; `.` for empty. */
export function cleanPath(p: string): string {
  const c = posix.normalize(p).replace(/^\/+/, '').replace(/\/+$/, '');
  return c === '' ? '.' : c;
}

function toRegex(pattern: string, original: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        while (pattern[i + 1] === '*') i++;
        if (i + 1 >= pattern.length) {
          re += '.*';
        } else if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\') {
      i++;
      if (i >= pattern.length) invalidArgument(`pattern "${original}" ends with a lone backslash`, compilePatterns);
      re += escapeRegex(pattern[i]!);
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) invalidArgument(`pattern "${original}" has an unclosed [ ]`, compilePatterns);
      re += `[${pattern.slice(i + 1, end)}]`;
      i = end;
    } else {
      re += escapeRegex(ch);
    }
  }
  return new RegExp(`${re}$`, 's');
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles patterns; blank patterns and bare `!` are rejected with the offending text. */
export function compilePatterns(patterns: readonly string[]): PathPattern[] {
  const out: PathPattern[] = [];
  for (const raw of patterns) {
    let text = raw.trim();
    const exclusion = text.startsWith('!');
    if (exclusion) text = text.slice(1).trim();
    if (text === '') invalidArgument(`pattern ${JSON.stringify(raw)} is empty; remove it or give a path`, compilePatterns);
    const cleaned = cleanPath(text);
    out.push({ text: cleaned, exclusion, regex: toRegex(cleaned, raw), segments: cleaned.split('/') });
  }
  return out;
}

/** Parses `.dockerignore` text: one pattern per line, `#` comments and blank lines skipped. */
export function parseIgnoreFile(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    out.push(line);
  }
  return out;
}

/**
 * Matches relative, `/`-separated, clean paths against patterns: true when the last pattern that matches the path
 * or one of its parent directories is not an exclusion.
 */
export class PatternMatcher {
  readonly patterns: readonly PathPattern[];
  readonly hasExclusions: boolean;

  constructor(patterns: readonly string[]) {
    this.patterns = compilePatterns(patterns);
    this.hasExclusions = this.patterns.some((p) => p.exclusion);
  }

  /** Whether the path (or a parent directory of it) is matched. */
  matches(path: string): boolean {
    let matched = false;
    const parents = parentPaths(path);
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let hit = p.regex.test(path);
      if (!hit) for (const parent of parents) if (p.regex.test(parent)) {
        hit = true;
        break;
      }
      if (hit) matched = !p.exclusion;
    }
    return matched;
  }

  /**
   * Whether some exclusion pattern could re-include a path inside `dir` (so an excluded directory must still be
   * walked). Conservative: true unless every exclusion pattern clearly points elsewhere.
   */
  mayReincludeInside(dir: string): boolean {
    if (!this.hasExclusions) return false;
    const dirSegs = dir.split('/');
    for (const p of this.patterns) {
      if (!p.exclusion) continue;
      if (couldMatchBelow(p.segments, dirSegs)) return true;
    }
    return false;
  }
}

/** `a/b/c` → [`a`, `a/b`]. */
function parentPaths(path: string): string[] {
  const out: string[] = [];
  let i = path.indexOf('/');
  while (i >= 0) {
    out.push(path.slice(0, i));
    i = path.indexOf('/', i + 1);
  }
  return out;
}

/** Could a pattern with these segments match a path strictly below `dirSegs`? */
function couldMatchBelow(patSegs: readonly string[], dirSegs: readonly string[]): boolean {
  for (let i = 0; i < dirSegs.length; i++) {
    const ps = patSegs[i];
    if (ps === undefined) return false;
    if (ps.includes('**')) return true;
    const seg = compileSegment(ps);
    if (!seg.test(dirSegs[i]!)) return false;
  }
  return patSegs.length > dirSegs.length;
}

const segmentCache = new Map<string, RegExp>();
function compileSegment(seg: string): RegExp {
  let re = segmentCache.get(seg);
  if (re === undefined) {
    re = toRegex(seg, seg);
    segmentCache.set(seg, re);
  }
  return re;
}

/**
 * Include patterns (fsutil's `IncludePatterns`): a path is included when it, or a parent directory, matches; a
 * directory is also walked when an include pattern could match below it.
 */
export class IncludeMatcher {
  readonly #matcher: PatternMatcher;
  readonly #segments: readonly (readonly string[])[];

  constructor(patterns: readonly string[]) {
    this.#matcher = new PatternMatcher(patterns);
    this.#segments = this.#matcher.patterns.filter((p) => !p.exclusion).map((p) => p.segments);
  }

  included(path: string): boolean {
    return this.#matcher.matches(path);
  }

  /** Whether something below `dir` may be included. */
  mayIncludeBelow(dir: string): boolean {
    const dirSegs = dir.split('/');
    return this.#segments.some((segs) => couldMatchBelow(segs, dirSegs));
  }
}
