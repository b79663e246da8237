/**
 * Entries of a build's local directories that file sync cannot send (sockets, names that are not valid UTF-8) are
 * left out of the build; the user hears about them once the build is over, as a kiln note with one warning per entry.
 */
import { join, relative } from 'node:path';
import { progressNote } from '../client/progress-note.js';
import type { StatusEvent } from '../progress/events.js';

/** At most this many entries are named in the note; the rest are counted. */
const NAMED_AT_MOST = 20;

export interface ContextSkipNotes {
  /** Records an entry left out of the directory `name` (a file-sync `onSkip`); an entry is recorded once. */
  readonly skipped: (name: string, path: string, reason: string) => void;
  /** The note naming what was left out, or undefined when nothing was. */
  readonly note: () => StatusEvent | undefined;
}

/** `dirs` gives each local directory's absolute path by name; entries are shown relative to `context`. */
export function contextSkipNotes(dirs: readonly { readonly name: string; readonly path: string }[], context: string): ContextSkipNotes {
  const pathOf = new Map(dirs.map((d) => [d.name, d.path]));
  const left = new Map<string, string>();
  return {
    skipped(name, path, reason) {
      const shown = relative(context, join(pathOf.get(name) ?? context, path)) || '.';
      if (!left.has(shown)) left.set(shown, reason);
    },
    note() {
      if (left.size === 0) return undefined;
      const entries = [...left].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const warnings = entries.slice(0, NAMED_AT_MOST).map(([path, reason]) => `${path}: ${reason}`);
      if (entries.length > NAMED_AT_MOST) warnings.push(`… and ${entries.length - NAMED_AT_MOST} more`);
      const what = entries.length === 1 ? '1 entry was' : `${entries.length} entries were`;
      return progressNote(`[kiln] ${what} left out of the build context (file sync cannot send ${entries.length === 1 ? 'it' : 'them'})`, warnings);
    },
  };
}
