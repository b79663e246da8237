import { invalidArgument } from '../errors.js';
import type { StatusEvent } from './events.js';
import { INITIAL_PROGRESS_STATE, type ProgressState, type ProgressSummary, reduce, summarize } from './model.js';
import type { ProgressRenderer } from './renderer.js';

/** Options of `ProgressWriter`. */
export interface ProgressWriterOptions {
  /** Receives every state; see `createProgressRenderer`. */
  renderer: ProgressRenderer;
  /** Local clock passed to `reduce` for each event (default `Date.now`); the live view's clock. */
  now?: (() => number) | undefined;
  /** State to continue from (default: the initial state). */
  initialState?: ProgressState | undefined;
}

/** The outcome of `ProgressWriter.run`. */
export interface ProgressResult {
  readonly state: ProgressState;
  readonly summary: ProgressSummary;
}

/**
 * Drives a renderer from a status stream: reduces each event, hands the new state to the
 * renderer, and waits whenever the renderer's sink is full before taking the next event (so a slow
 * terminal or pipe slows the consumer down instead of buffering without bound). When the stream
 * ends — or throws — the renderer is finished with `done`; a stream error is then re-thrown.
 */
export class ProgressWriter {
  readonly #renderer: ProgressRenderer;
  readonly #now: () => number;
  #state: ProgressState;

  constructor(options: ProgressWriterOptions) {
    const renderer = (options as Partial<ProgressWriterOptions> | undefined)?.renderer;
    if (renderer === undefined || typeof renderer.update !== 'function' || typeof renderer.done !== 'function') {
      invalidArgument(
        'new ProgressWriter(options): options.renderer must have update(state) and done(state); create one with createProgressRenderer(mode, { stream })',
        ProgressWriter,
      );
    }
    this.#renderer = renderer;
    this.#now = options.now ?? Date.now;
    this.#state = options.initialState ?? INITIAL_PROGRESS_STATE;
  }

  /** The latest state (the initial one before any event). */
  get state(): ProgressState {
    return this.#state;
  }

  /** Consumes `events` to the end and returns the final state and its summary. */
  async run(events: AsyncIterable<StatusEvent> | Iterable<StatusEvent>): Promise<ProgressResult> {
    const iterable = events as Partial<AsyncIterable<StatusEvent> & Iterable<StatusEvent>> | null | undefined;
    if (
      iterable === null ||
      iterable === undefined ||
      (typeof iterable[Symbol.asyncIterator] !== 'function' && typeof iterable[Symbol.iterator] !== 'function')
    ) {
      invalidArgument(
        'ProgressWriter.run(events): events must be an (async) iterable of StatusEvent, e.g. the mapped Control.Status stream',
        this.run,
      );
    }
    const renderer = this.#renderer;
    try {
      for await (const event of events) {
        this.#state = reduce(this.#state, event, this.#now());
        renderer.update(this.#state);
        await renderer.drained?.();
      }
    } catch (err) {
      renderer.done(this.#state);
      await renderer.drained?.();
      throw err;
    }
    renderer.done(this.#state);
    await renderer.drained?.();
    return { state: this.#state, summary: summarize(this.#state) };
  }
}
