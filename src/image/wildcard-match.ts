import { readdirSync } from 'node:fs';
import { type FilterState, createPathFilter } from '../session/ignore-patterns.js';

/**
 * Whether the include pattern `pattern` (fsutil syntax, relative to `dir`) matches at least one path in `dir` that
 * `exclude` leaves in: what the file sync would send for it. Only the directories the pattern could reach are read;
 * unreadable ones count as holding nothing.
 */
export function wildcardMatchesSomething(dir: string, pattern: string, exclude: readonly string[]): boolean {
  const filter = createPathFilter({ include: [pattern], exclude });
  const walk = (rel: string, state: FilterState | undefined): boolean => {
    let entries;
    try {
      entries = readdirSync(rel === '' ? dir : `${dir}/${rel}`, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      const decision = filter.decide(path, e.isDirectory(), state);
      if (decision.emit) return true;
      if (decision.descend && walk(path, decision.state)) return true;
    }
    return false;
  };
  return walk('', undefined);
}
