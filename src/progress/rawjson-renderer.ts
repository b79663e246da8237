import { serializeEvent } from './events.js';
import type { ProgressState } from './model.js';
import type { ProgressRenderer } from './renderer.js';
import { type ProgressSink, SinkWriter } from './sink.js';

/**
 * Machine-readable output: each status event as one JSON line in the recording format
 * (`parseRecording` reads it back). It writes `state.lastEvent`, so call `update` after every
 * `reduce` (as `ProgressWriter` does); a state seen twice is written once.
 */
export class RawJsonRenderer implements ProgressRenderer {
  readonly #out: SinkWriter;
  #lastRevision = 0;
  #finished = false;

  constructor(sink: ProgressSink | SinkWriter) {
    this.#out = sink instanceof SinkWriter ? sink : new SinkWriter(sink);
  }

  update(state: ProgressState): void {
    if (this.#finished) return;
    this.#emit(state);
  }

  done(state: ProgressState): void {
    if (this.#finished) return;
    this.#emit(state);
    this.#finished = true;
  }

  drained(): Promise<void> {
    return this.#out.drained();
  }

  #emit(state: ProgressState): void {
    if (state.lastEvent === undefined || state.revision === this.#lastRevision) return;
    this.#lastRevision = state.revision;
    this.#out.write(`${serializeEvent(state.lastEvent)}\n`);
  }
}
