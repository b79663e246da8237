/**
 * Work queued per key: each piece runs after the pieces queued before it under the same key, and pieces under
 * different keys run at once. kiln uses it where builds of one process share something outside the process (a name
 * in Docker, an export destination) and must take turns.
 *
 * Internal module.
 */
import { KilnError } from './errors.js';
import { untilAborted } from './until-aborted.js';

export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /**
   * Runs `work` when the pieces queued before it under `key` are done. An aborted `signal` ends the wait (the piece
   * rejects `cancelled` and gives up its turn; the pieces after it still run in order).
   */
  async run<T>(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    let release = (): void => {};
    const turn = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => turn);
    this.#tails.set(key, tail);
    const done = (): void => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
    try {
      await untilAborted(before, signal, () => cancelled(signal));
    } catch (err) {
      void before.then(done);
      throw err;
    }
    try {
      if (signal?.aborted === true) throw cancelled(signal);
      return await work();
    } finally {
      done();
    }
  }

  /**
   * Waits for a turn under every key of `keys` and holds it until the returned function is called (for a turn that
   * starts and ends in different places).
   */
  hold(keys: readonly string[], signal?: AbortSignal): Promise<() => void> {
    return new Promise<() => void>((resolveHold, rejectHold) => {
      let release = (): void => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      this.runAll(
        keys,
        async () => {
          resolveHold(release);
          await held;
        },
        signal,
      ).catch(rejectHold);
    });
  }

  /** `run` under every key of `keys` (taken in sorted order, so overlapping sets cannot wait on each other). */
  runAll<T>(keys: readonly string[], work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const step = (i: number): Promise<T> => (i === sorted.length ? work() : this.run(sorted[i] as string, () => step(i + 1), signal));
    return step(0);
  }
}

function cancelled(signal: AbortSignal | undefined): KilnError {
  return new KilnError('cancelled', 'cancelled while waiting for another build of this process', { cause: signal?.reason });
}
