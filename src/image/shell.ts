/**
 * Quoting for the shell scripts kiln generates (run with `/bin/sh -c`).
 *
 * Internal module.
 */

const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

/** Quotes one word for a POSIX shell; safe words stay bare. */
export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Quotes one word but keeps `$VAR` / `${VAR}` expansion working (double quotes), for arguments that refer to
 * build secrets or variables, e.g. `https://token:${TOKEN}@pypi.example.com/simple`.
 */
export function shellQuoteExpanding(word: string): string {
  if (!word.includes('$')) return shellQuote(word);
  return `"${word.replace(/["\\`]/g, (c) => `\\${c}`)}"`;
}

/** Joins words into a command line, quoting each (`$` references keep expanding). */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuoteExpanding).join(' ');
}
