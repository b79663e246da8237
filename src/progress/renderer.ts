import type { ProgressState } from './model.js';

/**
 * Turns successive progress states into output. `update` is called after every reduced event and
 * `done` once at the end (also after a failure); after `done` the renderer ignores further calls.
 * A renderer writes to its own sink; `drained` lets the driver respect that sink's backpressure.
 */
export interface ProgressRenderer {
  update(state: ProgressState): void;
  done(state: ProgressState): void;
  /** Resolves once the sink can take more output (immediately when it is not full). */
  drained?(): Promise<void>;
}

/** The output styles `createProgressRenderer` knows. */
export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'rawjson', 'quiet'] as const;

/** `auto` picks `tty` on a terminal and `plain` elsewhere. */
export type ProgressMode = (typeof PROGRESS_MODES)[number];
