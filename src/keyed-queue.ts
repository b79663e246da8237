/**
 * Work queued per key: each piece runs after the pieces queued before it under the same key, and pieces under
 * different keys run at once. kiln uses it where builds of one process share something outside the process (a name
 * in Docker, an export destination) and must take turns.
 *
 * Internal module.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    let release = (): void => {};
    const turn = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => turn);
    this.#tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** `run` under every key of `keys` (taken in sorted order, so overlapping sets cannot wait on each other). */
  runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const step = (i: number): Promise<T> => (i === sorted.length ? work() : this.run(sorted[i] as string, () => step(i + 1)));
    return step(0);
  }
}
