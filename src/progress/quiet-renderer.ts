import { formatFailureLogs } from './failure-logs.js';
import type { ProgressState } from './model.js';
import type { ProgressRenderer } from './renderer.js';
import { type ProgressSink, SinkWriter } from './sink.js';
import { terminalLine, terminalName } from './terminal-text.js';

/** Silent while the build runs; at the end prints the complete output of each failed step, if any. */
export class QuietRenderer implements ProgressRenderer {
  readonly #out: SinkWriter;
  #finished = false;

  constructor(sink: ProgressSink | SinkWriter) {
    this.#out = sink instanceof SinkWriter ? sink : new SinkWriter(sink);
  }

  update(_state: ProgressState): void {
    // Nothing while running, by design.
  }

  done(state: ProgressState): void {
    if (this.#finished) return;
    this.#finished = true;
    // On a terminal, the output as the terminal would have shown it, and nothing in it that moves the cursor or spills colour.
    const style = this.#out.sink.isTTY === true ? { name: terminalName, text: terminalLine } : {};
    this.#out.write(formatFailureLogs(state, undefined, style));
  }

  drained(): Promise<void> {
    return this.#out.drained();
  }
}
