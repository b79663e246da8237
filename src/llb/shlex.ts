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

const enum St {
  Start,
  Word,
  Escape,
  EscapeQuoted,
  Double,
  Single,
  Comment,
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/**
 * Splits `line` into words; throws `ShlexError` for an unclosed quote or a trailing backslash.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let state = St.Start;
  let word = '';
  let inWord = false;
  for (const c of line) {
    switch (state) {
      case St.Start:
        if (isSpace(c)) break;
        if (c === '#') {
          state = St.Comment;
          break;
        }
        inWord = true;
        if (c === '"') state = St.Double;
        else if (c === "'") state = St.Single;
        else if (c === '\\') state = St.Escape;
        else {
          word += c;
          state = St.Word;
        }
        break;
      case St.Word:
        if (isSpace(c)) {
          words.push(word);
          word = '';
          inWord = false;
          state = St.Start;
        } else if (c === '"') state = St.Double;
        else if (c === "'") state = St.Single;
        else if (c === '\\') state = St.Escape;
        else word += c;
        break;
      case St.Escape:
        word += c;
        state = St.Word;
        break;
      case St.EscapeQuoted:
        word += c;
        state = St.Double;
        break;
      case St.Double:
        if (c === '"') state = St.Word;
        else if (c === '\\') state = St.EscapeQuoted;
        else word += c;
        break;
      case St.Single:
        if (c === "'") state = St.Word;
        else word += c;
        break;
      case St.Comment:
        if (c === '\n') state = St.Start;
        break;
    }
  }
  switch (state) {
    case St.Escape:
    case St.EscapeQuoted:
      throw new ShlexError('it ends with a backslash that escapes nothing');
    case St.Double:
      throw new ShlexError('a double quote (") is not closed');
    case St.Single:
      throw new ShlexError("a single quote (') is not closed");
    default:
      if (inWord) words.push(word);
  }
  return words;
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
