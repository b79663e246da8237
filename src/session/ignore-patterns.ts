// `.dockerignore` / include-pattern matching with the semantics of Docker's `moby/patternmatcher` (what BuildKit's
// fsutil applies to local sources), re-implemented from its documented behaviour:
//
// - Patterns are cleaned like Go's `filepath.Clean` (`./a/` → `a`); a leading `/` is dropped so `/a` means `a`.
// - `*` matches any run of characters except `/`, `?` one character except `/`, `[...]` a character class (`[^...]`
//   negates, `a-z` ranges, `\` escapes), `\c` the character `c`, and `**` any number of path segments (including
//   none): `**/*.go` matches `a.go` and `x/y/a.go`; a trailing `**` (`dir/**`) matches everything below `dir`.
// - A path matches a pattern when the pattern matches the path itself or any of its parent directories, so `dir`
//   and `dir/` exclude everything below `dir`.
// - Patterns starting with `!` are exceptions. The last pattern that matches decides, so later rules win:
//   `*.md` then `!README.md` keeps `README.md`.
//
// Two documented quirks of Docker's matcher are kept because they decide what ends up in a build context: a
// pattern that is a plain prefix ending in `**` (`abc**`) is a string-prefix test, and one starting with `**`
// followed only by literal text (`**foo`) is a string-suffix test (`**foo` matches `barfoo`).
import { invalidArgument } from '../errors.js';
import { cleanPath } from './fs-paths.js';

// ---------------------------------------------------------------------------------------------------------------
// Parsing .dockerignore files

/**
 * Reads the patterns of a `.dockerignore` file the way Docker does: a UTF-8 BOM is dropped, lines whose first
 * character is `#` are comments, surrounding whitespace is trimmed, blank lines are skipped, each pattern is
 * cleaned, and a leading `/` is removed (also after a `!`). Returns the patterns in file order.
 */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push(invert ? `!${pattern}` : pattern);
  }
  return out;
}

/**
 * A pattern matching exactly the file name `name` (no `/`): `\` escapes the characters patterns give a meaning to
 * (`*`, `?`, `[`, `]`, `\`) and a leading `!`, so `data[1].csv` names that file, not `data1.csv`.
 */
export function escapePattern(name: string): string {
  return name.replace(/[*?[\]\\]/g, '\\$&').replace(/^!/, '\\!');
}

/** The literal path a pattern without wildcards stands for (its `\` escapes removed), or undefined for a real pattern. */
export function literalOfPattern(pattern: string): string | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[++i];
      if (next === undefined) return undefined;
      out += next;
    } else if (ch === '*' || ch === '?' || ch === '[' || (i === 0 && ch === '!')) return undefined;
    else out += ch;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Pattern compilation

type Token =
  | { readonly kind: 'literal'; readonly ch: string }
  /** An escaped character (`\c`): literal, but it makes the pattern a regular-expression match, as in Docker. */
  | { readonly kind: 'escaped'; readonly ch: string }
  | { readonly kind: 'star' }
  | { readonly kind: 'globstar'; readonly atEnd: boolean }
  | { readonly kind: 'any' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly (readonly [number, number])[] }
  | { readonly kind: 'closeBracket' };

class PatternSyntaxError extends Error {}

function tokenize(pattern: string): Token[] {
  const chars = Array.from(pattern);
  const tokens: Token[] = [];
  let i = 0;
  const next = (): string => {
    const c = chars[i];
    if (c === undefined) throw new PatternSyntaxError('unterminated character class');
    i++;
    return c;
  };
  const classChar = (): number => {
    let c = next();
    if (c === '-' || c === ']') throw new PatternSyntaxError(`unexpected "${c}" in a character class`);
    if (c === '\\') c = next();
    return c.codePointAt(0) ?? 0;
  };
  while (i < chars.length) {
    const c = chars[i++] as string;
    if (c === '*') {
      if (chars[i] === '*') {
        i++;
        if (chars[i] === '/') i++;
        tokens.push({ kind: 'globstar', atEnd: i >= chars.length });
      } else {
        tokens.push({ kind: 'star' });
      }
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
    } else if (c === '\\') {
      if (i >= chars.length) throw new PatternSyntaxError('a trailing "\\" escapes nothing');
      tokens.push({ kind: 'escaped', ch: chars[i++] as string });
    } else if (c === '[') {
      let negated = false;
      if (chars[i] === '^') {
        negated = true;
        i++;
      }
      const ranges: [number, number][] = [];
      for (;;) {
        if (i >= chars.length) throw new PatternSyntaxError('unterminated character class');
        if (chars[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar();
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          hi = classChar();
        }
        if (hi < lo) throw new PatternSyntaxError('a character range is reversed');
        ranges.push([lo, hi]);
      }
      tokens.push({ kind: 'class', negated, ranges });
    } else if (c === ']') {
      tokens.push({ kind: 'closeBracket' });
    } else {
      tokens.push({ kind: 'literal', ch: c });
    }
  }
  return tokens;
}

function escapeCodePoint(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Regular-expression source (for the `u` flag) of a token list; `/` is the path separator. */
function tokensToRegExpSource(tokens: readonly Token[]): string {
  let re = '';
  for (const t of tokens) {
    switch (t.kind) {
      case 'literal':
      case 'escaped':
        re += escapeLiteral(t.ch);
        break;
      case 'closeBracket':
        re += '\\]';
        break;
      case 'star':
        re += '[^/]*';
        break;
      case 'any':
        re += '[^/]';
        break;
      case 'globstar':
        // Go's `.` does not match a newline; neither does this.
        re += t.atEnd ? '[^\\n]*' : '(?:[^\\n]*/)?';
        break;
      case 'class': {
        const body = t.ranges
          .map(([lo, hi]) => (lo === hi ? escapeCodePoint(lo) : `${escapeCodePoint(lo)}-${escapeCodePoint(hi)}`))
          .join('');
        re += `[${t.negated ? '^' : ''}${body}]`;
        break;
      }
    }
  }
  return re;
}

/** One compiled pattern of a {@link PathMatcher}. */
export interface CompiledPattern {
  /** The pattern as given. */
  readonly source: string;
  /** The cleaned pattern without its `!`. */
  readonly pattern: string;
  /** True for `!` exceptions. */
  readonly exclusion: boolean;
  /** Whether the pattern matches exactly this clean relative path (parents are not considered). */
  test(path: string): boolean;
  /**
   * Whether the pattern could match some path strictly inside directory `dir` (or `dir` itself or an ancestor,
   * which also covers everything inside). Conservative: `true` when unsure.
   */
  couldMatchBelow(dir: string): boolean;
}

function segmentsOf(tokens: readonly Token[]): RegExp[] | undefined {
  const segments: RegExp[] = [];
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'globstar') return undefined;
    if (t.kind === 'literal' && t.ch === '/') {
      segments.push(new RegExp(`^${tokensToRegExpSource(current)}$`, 'u'));
      current = [];
      continue;
    }
    // A separator hidden in an escape or a class can cross segments: give up on the precise answer.
    if (t.kind === 'escaped' && t.ch === '/') return undefined;
    if (t.kind === 'class' && t.ranges.some(([lo, hi]) => lo <= 47 && hi >= 47)) return undefined;
    if (t.kind === 'class' && t.negated) return undefined;
    current.push(t);
  }
  segments.push(new RegExp(`^${tokensToRegExpSource(current)}$`, 'u'));
  return segments;
}

/**
 * For a pattern `**` + `/` + X where X matches within one path segment (no `/`, `**`, escaped `/`, negated class or
 * class holding `/`): the expression source of X, which then matches a path exactly when it matches its last
 * segment. `undefined` for any other pattern.
 */
function basenameSource(tokens: readonly Token[]): string | undefined {
  const first = tokens[0];
  if (first === undefined || first.kind !== 'globstar' || first.atEnd || tokens.length < 2) return undefined;
  const rest = tokens.slice(1);
  for (const t of rest) {
    if (t.kind === 'globstar') return undefined;
    if ((t.kind === 'literal' || t.kind === 'escaped') && t.ch === '/') return undefined;
    if (t.kind === 'class' && (t.negated || t.ranges.some(([lo, hi]) => lo <= 47 && hi >= 47))) return undefined;
  }
  return tokensToRegExpSource(rest);
}

/** For `**` + `/*` + literal text (`**` + `/*.pyc`): that text; `undefined` for any other pattern. */
function starSuffix(tokens: readonly Token[]): string | undefined {
  if (tokens.length < 3 || tokens[0]?.kind !== 'globstar' || tokens[1]?.kind !== 'star') return undefined;
  let suffix = '';
  for (const t of tokens.slice(2)) {
    if (t.kind !== 'literal' && t.kind !== 'escaped') return undefined;
    if (t.ch === '/') return undefined;
    suffix += t.ch;
  }
  return suffix;
}

function compilePattern(source: string, callSite: Function): CompiledPattern | undefined {
  let p = source.trim();
  if (p === '') return undefined;
  let exclusion = false;
  if (p.startsWith('!')) {
    exclusion = true;
    p = p.slice(1).trim();
    if (p === '') {
      invalidArgument(`illegal exclusion pattern "${source}": "!" must be followed by a pattern`, callSite);
    }
  }
  p = cleanPath(p);
  if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
  let tokens: Token[];
  try {
    tokens = tokenize(p);
  } catch (err) {
    if (!(err instanceof PatternSyntaxError)) throw err;
    return invalidArgument(`invalid pattern "${source}": ${err.message}`, callSite, {
      hint: 'Escape a literal "[", "]" or "\\" with a backslash.',
    });
  }

  // Classify like Docker: exact string, string prefix (`abc**`), string suffix (`**abc`), or regular expression.
  let kind = 'exact' as 'exact' | 'prefix' | 'suffix' | 'regexp';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'literal') continue;
    if (t.kind === 'globstar') {
      kind = t.atEnd && kind === 'exact' ? 'prefix' : 'regexp';
      if (i === 0) kind = 'suffix';
    } else {
      kind = 'regexp';
    }
  }

  let test: (path: string) => boolean;
  switch (kind) {
    case 'exact': {
      test = (path) => path === p;
      break;
    }
    case 'prefix': {
      const prefix = p.slice(0, -2);
      test = (path) => path.startsWith(prefix);
      break;
    }
    case 'suffix': {
      const suffix = p.slice(2);
      const bare = suffix.startsWith('/') ? suffix.slice(1) : undefined;
      test = (path) => path.endsWith(suffix) || path === bare;
      break;
    }
    case 'regexp': {
      const re = new RegExp(`^${tokensToRegExpSource(tokens)}$`, 'u');
      const base = basenameSource(tokens);
      if (base === undefined) {
        test = (path) => re.test(path);
        break;
      }
      // `**/X` with X one segment (`**/*.pyc`, `**/*~`): the whole-path expression backtracks at every `/` of a
      // long path, once per pattern and entry; matching the last segment alone gives the same answer. A newline
      // before the last `/` is the exception (`**` does not cross one), left to the whole-path expression.
      const suffix = starSuffix(tokens);
      if (suffix !== undefined) {
        // `**/*.pyc`: a last segment ending in the suffix is a path ending in it (the suffix holds no `/`).
        test = (path) => {
          if (!path.endsWith(suffix)) return false;
          const slash = path.lastIndexOf('/');
          return slash < 0 || path.lastIndexOf('\n', slash) < 0;
        };
        break;
      }
      const baseRe = new RegExp(`^${base}$`, 'u');
      test = (path) => {
        const slash = path.lastIndexOf('/');
        if (slash < 0) return baseRe.test(path);
        if (path.lastIndexOf('\n', slash) >= 0) return re.test(path);
        return baseRe.test(path.slice(slash + 1));
      };
      break;
    }
  }

  const segments = segmentsOf(tokens);
  const couldMatchBelow = (dir: string): boolean => {
    if (segments === undefined) return true;
    const dirSegments = dir.split('/');
    for (let j = 0; j < dirSegments.length; j++) {
      const seg = segments[j];
      if (seg === undefined) return true; // the pattern names an ancestor of dir: everything below matches
      if (!seg.test(dirSegments[j] as string)) return false;
    }
    return true;
  };

  return { source, pattern: p, exclusion, test, couldMatchBelow };
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

/**
 * The result of matching one path, kept by a tree walk for the path's children so each child costs one test per
 * pattern instead of one per pattern and ancestor.
 */
export interface MatchState {
  /** Whether the path matches (after exceptions). */
  readonly matched: boolean;
  /** For each pattern: whether it matches the path or one of its ancestors. */
  readonly perPattern: readonly boolean[];
}

/** An ordered list of patterns with Docker's last-match-wins semantics. */
export interface PathMatcher {
  readonly patterns: readonly CompiledPattern[];
  /** True when at least one pattern is a `!` exception. */
  readonly hasExclusions: boolean;
  /** Whether the clean relative `path` matches (it or a parent matches a pattern, and no later exception undoes it). */
  matches(path: string): boolean;
  /** Like {@link matches}, reusing the state of the path's parent directory (omit it for a top-level path). */
  evaluate(path: string, parent?: MatchState): MatchState;
  /** The state of the clean relative `path`, evaluated from its top directory down (undefined for `.`). */
  stateOf(path: string): MatchState | undefined;
  /**
   * Whether some non-exception pattern could match a path strictly inside `dir` (pass `dir`'s own state when
   * known). An include filter uses this to decide whether a directory that is not included must still be walked.
   */
  couldMatchBelow(dir: string, dirState?: MatchState): boolean;
  /**
   * Whether some `!` exception could re-include a path strictly inside `dir`. An exclude filter walks an excluded
   * directory only when this is true.
   */
  couldReincludeBelow(dir: string, dirState?: MatchState): boolean;
}

function normalizeQuery(path: string): string {
  let p = cleanPath(path);
  while (p.startsWith('/')) p = p.slice(1);
  return p === '' ? '.' : p;
}

class Matcher implements PathMatcher {
  readonly patterns: readonly CompiledPattern[];
  readonly hasExclusions: boolean;

  constructor(patterns: readonly CompiledPattern[]) {
    this.patterns = patterns;
    this.hasExclusions = patterns.some((p) => p.exclusion);
  }

  matches(path: string): boolean {
    return this.stateOf(path)?.matched ?? false;
  }

  stateOf(path: string): MatchState | undefined {
    const p = normalizeQuery(path);
    if (p === '.') return undefined;
    let state: MatchState | undefined;
    let prefix = '';
    for (const seg of p.split('/')) {
      prefix = prefix === '' ? seg : `${prefix}/${seg}`;
      state = this.evaluate(prefix, state);
    }
    return state;
  }

  evaluate(path: string, parent?: MatchState): MatchState {
    const perPattern: boolean[] = new Array<boolean>(this.patterns.length);
    let matched = false;
    for (let i = 0; i < this.patterns.length; i++) {
      const pattern = this.patterns[i] as CompiledPattern;
      const hit = (parent?.perPattern[i] ?? false) || pattern.test(path);
      perPattern[i] = hit;
      if (hit) matched = !pattern.exclusion;
    }
    return { matched, perPattern };
  }

  couldMatchBelow(dir: string, dirState?: MatchState): boolean {
    return this.#couldMatchBelow(dir, dirState, false);
  }

  couldReincludeBelow(dir: string, dirState?: MatchState): boolean {
    return this.#couldMatchBelow(dir, dirState, true);
  }

  #couldMatchBelow(dir: string, dirState: MatchState | undefined, exclusions: boolean): boolean {
    for (let i = 0; i < this.patterns.length; i++) {
      const pattern = this.patterns[i] as CompiledPattern;
      if (pattern.exclusion !== exclusions) continue;
      if (dirState?.perPattern[i] === true) return true;
      if (pattern.couldMatchBelow(dir)) return true;
    }
    return false;
  }
}

/**
 * Compiles patterns (in `.dockerignore` syntax, `!` exceptions included) into a {@link PathMatcher}. Blank patterns
 * are ignored. Throws an `invalid_argument` KilnError naming the first malformed pattern.
 */
export function createMatcher(patterns: readonly string[]): PathMatcher {
  const compiled: CompiledPattern[] = [];
  for (const source of patterns) {
    if (typeof source !== 'string') invalidArgument(`patterns must be strings, got ${typeof source}`, createMatcher);
    const c = compilePattern(source, createMatcher);
    if (c !== undefined) compiled.push(c);
  }
  return new Matcher(compiled);
}

// ---------------------------------------------------------------------------------------------------------------
// Include + exclude, as fsutil applies them during a walk

/** Include and exclude patterns of one local directory. */
export interface PathFilterOptions {
  /** Only paths matching these (or below a match) are sent; empty or absent = everything. */
  readonly include?: readonly string[];
  /** Paths matching these are not sent (`!` exceptions re-include). */
  readonly exclude?: readonly string[];
}

/** What a walk remembers about a directory to decide about its children. */
export interface FilterState {
  readonly include: MatchState | undefined;
  readonly exclude: MatchState | undefined;
}

/** The filter's verdict on one path. */
export interface FilterDecision {
  /** Send this entry. */
  readonly emit: boolean;
  /** For a directory: read it, because it or something inside may be sent. */
  readonly descend: boolean;
  /** State to pass when deciding about this directory's children. */
  readonly state: FilterState;
}

/** Decides, entry by entry during a walk, what fsutil's include/exclude rules send and which directories to read. */
export interface PathFilter {
  /** True when there are neither include nor exclude patterns. */
  readonly isEmpty: boolean;
  /** Decides about `path` (clean, relative), given the state of its parent directory (omit at the top level). */
  decide(path: string, isDir: boolean, parent?: FilterState): FilterDecision;
}

/**
 * Builds the include/exclude filter of a local directory. An entry is sent when it is included (it or a parent
 * matches an include pattern, or there are none) and not excluded. A directory is read when it is sent, or when an
 * include pattern could match inside it, or when an exception could re-include something inside it; an entry found
 * that way is sent after its missing parent directories.
 */
export function createPathFilter(options: PathFilterOptions): PathFilter {
  const include = options.include !== undefined && options.include.length > 0 ? createMatcher(options.include) : undefined;
  const exclude = options.exclude !== undefined && options.exclude.length > 0 ? createMatcher(options.exclude) : undefined;
  return {
    isEmpty: include === undefined && exclude === undefined,
    decide(path: string, isDir: boolean, parent?: FilterState): FilterDecision {
      const inc = include?.evaluate(path, parent?.include);
      const exc = exclude?.evaluate(path, parent?.exclude);
      const included = inc === undefined || inc.matched;
      const excluded = exc !== undefined && exc.matched;
      let descend = false;
      if (isDir) {
        const mayInclude = included || (include !== undefined && include.couldMatchBelow(path, inc));
        const mayNotExclude = !excluded || (exclude !== undefined && exclude.couldReincludeBelow(path, exc));
        descend = mayInclude && mayNotExclude;
      }
      return { emit: included && !excluded, descend, state: { include: inc, exclude: exc } };
    },
  };
}
