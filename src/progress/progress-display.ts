import type { StatusEvent } from './events.js';
import { INITIAL_PROGRESS_STATE, reduce, summarize, type ProgressState, type ProgressSummary } from './model.js';
import type { ProgressRenderer } from './renderer.js';

/**
 * Connects a renderer to a build's status callback: `onStatus` reduces and renders each event and resolves once the
 * renderer's sink has room again (the client waits for it before reading more, which gives end-to-end backpressure);
 * `finish` renders the final frame.
 */
export interface ProgressDisplay {
  readonly onStatus: (event: StatusEvent) => Promise<void>;
  /** The latest state. */
  readonly state: () => ProgressState;
  /** Renders the final frame and returns the summary. Safe to call once. */
  finish(): Promise<ProgressSummary>;
}

/** Creates a {@link ProgressDisplay} over a renderer. */
export function createProgressDisplay(renderer: ProgressRenderer, now: () => number = Date.now): ProgressDisplay {
  let state = INITIAL_PROGRESS_STATE;
  let finished = false;
  return {
    async onStatus(event) {
      state = reduce(state, event, now());
      if (finished) return;
      renderer.update(state);
      await renderer.drained?.();
    },
    state: () => state,
    async finish() {
      if (!finished) {
        finished = true;
        renderer.done(state);
        await renderer.drained?.();
      }
      return summarize(state);
    },
  };
}
