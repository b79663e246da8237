/**
 * Byte counts of a transfer kiln itself does during a build (a tarball export received over the session, the same
 * tarball sent on into Docker's image load), shown by every renderer as a step with counters, the way the daemon's
 * own transfers are: without it an export of gigabytes showed a frozen "exporting" line for minutes.
 */
import { NOTE_VERTEX_PREFIX, type StatusEvent, type StatusUpdate } from '../progress/events.js';
import { newIdentifier } from './ids.js';

/** At most one update per counter this often (a transfer of gigabytes comes in tens of thousands of chunks). */
export const TRANSFER_PROGRESS_INTERVAL_MS = 250;

/** One counter of a {@link TransferProgress}. */
export interface TransferCounter {
  /** Counts `bytes` more; reports them when the last report is old enough. */
  add(bytes: number): void;
  /** Reports the final count as the total, done. */
  done(): void;
}

/** A step of kiln's own with byte counters. */
export interface TransferProgress {
  /** A counter (`received`, `sent to Docker`) under the step. */
  counter(id: string, name: string): TransferCounter;
  /** Completes the step (after its counters are done). */
  done(): void;
}

/** Where progress events go: a build's `onStatus`. Its promise, if any, is not awaited (transfers do not wait for a display). */
export type StatusSink = (event: StatusEvent) => unknown;

/**
 * A step named `name` that starts with the first bytes counted and reports each counter at most every
 * {@link TRANSFER_PROGRESS_INTERVAL_MS}. Totals are unknown (0) until a counter is done.
 */
export function transferProgress(name: string, sink: StatusSink, now: () => number = Date.now): TransferProgress {
  const vertex = `${NOTE_VERTEX_PREFIX}${newIdentifier()}`;
  let started: number | undefined;
  let completed: number | undefined;
  const send = (statuses: readonly StatusUpdate[]): void => {
    const event: StatusEvent = {
      vertexes: [{ digest: vertex, inputs: [], name, cached: false, ...(started === undefined ? {} : { started }), ...(completed === undefined ? {} : { completed }) }],
      statuses,
      logs: [],
      warnings: [],
    };
    try {
      Promise.resolve(sink(event)).catch(() => undefined);
    } catch {
      // A display that fails is the display's business; the transfer goes on.
    }
  };
  const start = (t: number): void => {
    if (started === undefined) started = t;
  };
  return {
    counter(id, counterName) {
      let current = 0;
      let counterStarted: number | undefined;
      let reported = -Infinity;
      let finished = false;
      const status = (t: number, last: boolean): StatusUpdate => ({
        id,
        vertex,
        name: counterName,
        current,
        total: last ? current : 0,
        timestamp: t,
        ...(counterStarted === undefined ? {} : { started: counterStarted }),
        ...(last ? { completed: t } : {}),
      });
      return {
        add(bytes) {
          if (finished || bytes <= 0) return;
          current += bytes;
          const t = now();
          start(t);
          counterStarted ??= t;
          if (t - reported < TRANSFER_PROGRESS_INTERVAL_MS) return;
          reported = t;
          send([status(t, false)]);
        },
        done() {
          if (finished) return;
          finished = true;
          const t = now();
          start(t);
          counterStarted ??= t;
          send([status(t, true)]);
        },
      };
    },
    done() {
      if (completed !== undefined) return;
      const t = now();
      start(t);
      completed = t;
      send([]);
    },
  };
}
