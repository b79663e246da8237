/**
 * Progress events for things kiln itself has to say during a build (a lock file in use, a cache directory with
 * nothing to import), shown by every renderer the way the daemon's steps are: a step named after the message, done
 * at once, with optional warnings under it.
 */
import { NOTE_VERTEX_PREFIX, type StatusEvent } from '../progress/events.js';
import { newIdentifier } from './ids.js';

/**
 * A finished step called `name`, with one warning per entry of `warnings`.
 */
export function progressNote(name: string, warnings: readonly string[] = [], now = Date.now()): StatusEvent {
  const vertex = `${NOTE_VERTEX_PREFIX}${newIdentifier()}`;
  return {
    vertexes: [{ digest: vertex, inputs: [], name, cached: false, started: now, completed: now }],
    statuses: [],
    logs: [],
    warnings: warnings.map((short) => ({ vertex, level: 1, short, detail: [], url: '' })),
  };
}
