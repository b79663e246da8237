/**
 * Where progress output goes: anything with a Node-style `write` (process.stderr, a file stream, a
 * test buffer). `write` returning false means "buffer full": kiln then waits for `drain` (or
 * `close`) before feeding more events, when the sink can tell it.
 */
export interface ProgressSink {
  write(chunk: string): boolean;
  once?(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener?(event: 'drain' | 'close', listener: () => void): unknown;
  /** True for a terminal; enables the live view in `auto` mode and colours. */
  readonly isTTY?: boolean | undefined;
  /** Terminal width in characters. */
  readonly columns?: number | undefined;
  /** Terminal height in lines. */
  readonly rows?: number | undefined;
}

/** Wraps a sink to remember whether it asked us to slow down. */
export class SinkWriter {
  readonly sink: ProgressSink;
  #blocked = false;

  constructor(sink: ProgressSink) {
    this.sink = sink;
  }

  /** Writes `text` (nothing for an empty string). */
  write(text: string): void {
    if (text === '') return;
    if (!this.sink.write(text)) this.#blocked = true;
  }

  /** True when the last writes filled the sink's buffer and no `drain` has been seen since. */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Resolves at once unless the sink is full; then when it drains (or closes). */
  drained(): Promise<void> {
    if (!this.#blocked) return Promise.resolve();
    const sink = this.sink;
    if (typeof sink.once !== 'function') {
      this.#blocked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const settle = (): void => {
        sink.removeListener?.('drain', settle);
        sink.removeListener?.('close', settle);
        this.#blocked = false;
        resolve();
      };
      sink.once?.('drain', settle);
      sink.once?.('close', settle);
    });
  }
}
