/**
 * How a local path the image names is spelled on disk. macOS file systems find a file under any letter case
 * (case-insensitive APFS/HFS+, the default) and any Unicode normalisation form (a name typed in NFC, `é` as one code
 * point, finds a file whose name is stored in NFD, `e` + a combining accent, as HFS+ stored every name and files
 * copied from it keep); the daemon matches the names kiln sends exactly, as Linux does. A name that the local file
 * system finds under another spelling is then sent under that spelling, and the daemon does not find it.
 */
import { readdirSync } from 'node:fs';
import { posix } from 'node:path';

/** How one name differs from the entry a directory lists for it. */
export type SpellingDifference = 'unicode' | 'case';

/** One path element spelled otherwise on disk. */
export interface Misspelling {
  /** The element as the image names it. */
  readonly given: string;
  /** The element as the directory lists it. */
  readonly onDisk: string;
  readonly difference: SpellingDifference;
}

/** Lists the names in a directory; undefined when it cannot be listed. */
export type ListDirectory = (dir: string) => readonly string[] | undefined;

function listDirectory(dir: string): readonly string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * A `ListDirectory` that lists each directory once (readdir by default): the check looks up every file an image copies,
 * often many in one large directory, and listing it again for each took 15 ms a file in a directory of 10,000.
 */
export function listingOnce(list: ListDirectory = listDirectory): ListDirectory {
  const listed = new Map<string, readonly string[] | undefined>();
  return (dir) => {
    if (listed.has(dir)) return listed.get(dir);
    const entries = list(dir);
    listed.set(dir, entries);
    return entries;
  };
}

/** The names of a listing, to find a name spelled exactly without going through a large directory each time. */
const entrySets = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * The entry of `entries` that `name` stands for: the same name (`exact`), the same once both are NFC (`unicode`),
 * the same ignoring letter case too (`case`), or none.
 */
export function spellingIn(name: string, entries: readonly string[]): { readonly onDisk: string; readonly difference: SpellingDifference | 'exact' } | undefined {
  let names = entrySets.get(entries);
  if (names === undefined) entrySets.set(entries, (names = new Set(entries)));
  if (names.has(name)) return { onDisk: name, difference: 'exact' };
  const nfc = name.normalize('NFC');
  const unicode = entries.find((e) => e.normalize('NFC') === nfc);
  if (unicode !== undefined) return { onDisk: unicode, difference: 'unicode' };
  const folded = nfc.toLowerCase();
  const matches = entries.filter((e) => e.normalize('NFC').toLowerCase() === folded);
  // Two entries differing only in case (a case-sensitive volume) leave no single one it stands for.
  return matches.length === 1 ? { onDisk: matches[0] as string, difference: 'case' } : undefined;
}

/**
 * The elements of `rel` (relative to `root`, `/`-separated) that the directories on the way list under another
 * spelling, and the path as spelled on disk; `found: false` when an element is not there in any spelling.
 */
export function spellingOnDisk(root: string, rel: string, list: ListDirectory = listDirectory): { readonly found: boolean; readonly onDisk: string; readonly misspelled: readonly Misspelling[] } {
  const misspelled: Misspelling[] = [];
  const onDisk: string[] = [];
  let dir = root;
  for (const element of rel.split('/').filter((e) => e !== '' && e !== '.')) {
    const entries = list(dir);
    const match = entries === undefined ? undefined : spellingIn(element, entries);
    if (match === undefined) return { found: false, onDisk: posix.join(...onDisk, element), misspelled };
    if (match.difference !== 'exact') misspelled.push({ given: element, onDisk: match.onDisk, difference: match.difference });
    onDisk.push(match.onDisk);
    dir = posix.join(dir, match.onDisk);
  }
  return { found: true, onDisk: onDisk.length === 0 ? '.' : posix.join(...onDisk), misspelled };
}

/** Why a name differs from the directory's entry: `letter case`, `Unicode NFD on disk (accents as combining characters), NFC in the image`. */
export function describeMisspelling(m: Misspelling): string {
  if (m.difference === 'case') return 'letter case';
  const form = (name: string): string => (name === name.normalize('NFC') ? 'NFC' : name === name.normalize('NFD') ? 'NFD' : 'mixed');
  const disk = form(m.onDisk);
  return `Unicode ${disk} on disk${disk === 'NFD' ? ', accents as separate combining characters' : ''}; ${form(m.given)} in the image`;
}
