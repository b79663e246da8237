/**
 * An immutable list that only grows. Appending returns a new list; older lists keep seeing exactly
 * the items they had. Successive versions share one backing array, so appending to the newest
 * version costs O(1) amortised (the progress model appends log lines on every chunk, and copying a
 * long log on each chunk would be quadratic). Appending to an older version copies its prefix first.
 */
export class AppendOnlyList<T> implements Iterable<T> {
  readonly #items: T[];
  /** Number of items in this version. */
  readonly length: number;

  private constructor(items: T[], length: number) {
    this.#items = items;
    this.length = length;
  }

  /** A list with no items. */
  static empty<T>(): AppendOnlyList<T> {
    return new AppendOnlyList<T>([], 0);
  }

  /** A list holding a copy of `items`. */
  static of<T>(items: Iterable<T>): AppendOnlyList<T> {
    const copy = [...items];
    return new AppendOnlyList(copy, copy.length);
  }

  /** The item at `index` (negative counts from the end), or undefined when out of range. */
  at(index: number): T | undefined {
    const i = index < 0 ? this.length + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    return this.#items[i];
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.at(-1);
  }

  /** A new list with `items` added at the end (or this list when nothing is added). */
  append(...items: T[]): AppendOnlyList<T> {
    if (items.length === 0) return this;
    let backing = this.#items;
    if (backing.length !== this.length) backing = backing.slice(0, this.length);
    for (const item of items) backing.push(item);
    return new AppendOnlyList(backing, this.length + items.length);
  }

  /** A plain array copy of the items in [start, end), with the usual `Array.prototype.slice` rules. */
  slice(start = 0, end: number = this.length): T[] {
    const s = clampIndex(start, this.length);
    const e = clampIndex(end, this.length);
    return this.#items.slice(s, Math.max(s, e));
  }

  /** A plain array copy of every item. */
  toArray(): T[] {
    return this.#items.slice(0, this.length);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.#items[i] as T;
  }
}

function clampIndex(index: number, length: number): number {
  const i = Math.trunc(index);
  if (i < 0) return Math.max(0, length + i);
  return Math.min(i, length);
}
