import type { ProgressSink } from './sink.js';

/** A sink that keeps everything written to it in memory (tests, replays, snapshots). */
export class StringSink implements ProgressSink {
  #text = '';
  readonly isTTY: boolean;
  readonly columns: number | undefined;
  readonly rows: number | undefined;

  constructor(options: { isTTY?: boolean; columns?: number; rows?: number } = {}) {
    this.isTTY = options.isTTY ?? false;
    this.columns = options.columns;
    this.rows = options.rows;
  }

  write(chunk: string): boolean {
    this.#text += chunk;
    return true;
  }

  /** Everything written so far. */
  get text(): string {
    return this.#text;
  }

  /** Returns what was written since the last call and forgets it. */
  take(): string {
    const out = this.#text;
    this.#text = '';
    return out;
  }
}
