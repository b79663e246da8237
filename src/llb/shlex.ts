/**
 * Splits a command line into argv words with the same rules as the shlex splitter BuildKit's Go
 * client uses for `llb.Shlex`: whitespace separates words; single quotes keep everything literally;
 * double quotes keep everything except that a backslash makes the next character literal; outside
 * quotes a backslash makes the next character literal; `#` at the start of a word starts a comment
 * that runs to the end of the line. No variable expansion, no globbing, no operators: the words go
 * to the process as they are (use `['sh', '-c', '…']` for shell features).
 */
import { invalidArgument } from '../errors.js';

/** Why a command line could not be split. */
export class ShlexError extends Error {
  override readonly name = 'ShlexError';
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const HASH = 0x23;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === LF;
}

/** The code point at `i` as a string, and how many UTF-16 units it takes. */
function runeAt(line: string, i: number): string {
  const cp = line.codePointAt(i) as number;
  return cp > 0xffff ? line.slice(i, i + 2) : line.charAt(i);
}

/**
 * Splits `line` into words; throws `ShlexError` for an unclosed quote or a trailing backslash.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const first = line.charCodeAt(i);
    if (isSpace(first)) {
      i++;
      continue;
    }
    if (first === HASH) {
      // A comment runs to the end of the line.
      const nl = line.indexOf('\n', i);
      if (nl === -1) break;
      i = nl + 1;
      continue;
    }
    let word = '';
    let seg = i; // start of the literal run not yet appended to `word`
    let quote = 0; // 0, DQUOTE or SQUOTE
    while (i < n) {
      const c = line.charCodeAt(i);
      if (quote === 0) {
        if (isSpace(c)) break;
        if (c === DQUOTE || c === SQUOTE) {
          word += line.slice(seg, i);
          quote = c;
          seg = ++i;
        } else if (c === BACKSLASH) {
          word += line.slice(seg, i);
          if (i + 1 >= n) throw new ShlexError('it ends with a backslash that escapes nothing');
          const r = runeAt(line, i + 1);
          word += r;
          i += 1 + r.length;
          seg = i;
        } else {
          i++;
        }
      } else if (c === quote) {
        word += line.slice(seg, i);
        quote = 0;
        seg = ++i;
      } else if (quote === DQUOTE && c === BACKSLASH) {
        word += line.slice(seg, i);
        if (i + 1 >= n) throw new ShlexError('it ends with a backslash that escapes nothing');
        const r = runeAt(line, i + 1);
        word += r;
        i += 1 + r.length;
        seg = i;
      } else {
        i++;
      }
    }
    if (quote === DQUOTE) throw new ShlexError('a double quote (") is not closed');
    if (quote === SQUOTE) throw new ShlexError("a single quote (') is not closed");
    words.push(word + line.slice(seg, i));
  }
  return words.slice();
}

/**
 * Splits a command line into argv words the way `run("…")` does (BuildKit's shlex rules).
 *
 * @example
 * splitShellWords(`sh -c 'echo hi > /out'`) // ['sh', '-c', 'echo hi > /out']
 */
export function splitShellWords(line: string): string[] {
  if (typeof line !== 'string') invalidArgument('splitShellWords takes a string', splitShellWords);
  try {
    return splitWords(line);
  } catch (err) {
    if (err instanceof ShlexError) invalidArgument(`${JSON.stringify(line)} cannot be split into words: ${err.message}`, splitShellWords);
    throw err;
  }
}
