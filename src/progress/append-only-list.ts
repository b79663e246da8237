/**
 * An immutable list that only grows. Appending returns a new list; older lists keep seeing exactly
 * the items they had. Successive versions share one backing array, so appending to the newest
 * version costs O(1) amortised (the progress model appends log lines on every chunk, and copying a
 * long log on each chunk would be quadratic). Appending to an older version copies its prefix first.
 */
export class AppendOnlyList<T> implements Iterable<T> {
  /** Items `first` … `length - 1` (and possibly more, appended to newer versions): `#items[i - first]` is item `i`. */
  readonly #items: T[];
  /** Number of items ever appended to this version (indexes stay absolute after {@link keepLast}). */
  readonly length: number;
  /** Index of the oldest item still held: 0 unless {@link keepLast} let older ones go. */
  readonly first: number;

  private constructor(items: T[], length: number, first = 0) {
    this.#items = items;
    this.length = length;
    this.first = first;
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
    if (!Number.isInteger(i) || i < this.first || i >= this.length) return undefined;
    return this.#items[i - this.first];
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.at(-1);
  }

  /** A new list with `items` added at the end (or this list when nothing is added). */
  append(...items: T[]): AppendOnlyList<T> {
    if (items.length === 0) return this;
    const held = this.length - this.first;
    let backing = this.#items;
    if (backing.length !== held) backing = backing.slice(0, held);
    for (const item of items) backing.push(item);
    return new AppendOnlyList(backing, this.length + items.length, this.first);
  }

  /**
   * A new list that holds only the last `count` items (indexes unchanged: `length` stays, `first` moves up), so
   * memory can be bounded; older versions keep theirs. This list when it holds no more than that.
   */
  keepLast(count: number): AppendOnlyList<T> {
    const keep = Math.max(0, Math.trunc(count));
    const held = this.length - this.first;
    if (held <= keep) return this;
    return new AppendOnlyList(this.#items.slice(held - keep, held), this.length, this.length - keep);
  }

  /**
   * A plain array copy of the items in [start, end), with the usual `Array.prototype.slice` rules on absolute
   * indexes; items before {@link first} are no longer held and are left out.
   */
  slice(start = 0, end: number = this.length): T[] {
    const s = Math.max(this.first, clampIndex(start, this.length));
    const e = clampIndex(end, this.length);
    return this.#items.slice(s - this.first, Math.max(s, e) - this.first);
  }

  /** A plain array copy of every item held. */
  toArray(): T[] {
    return this.#items.slice(0, this.length - this.first);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length - this.first; i++) yield this.#items[i] as T;
  }
}

function clampIndex(index: number, length: number): number {
  const i = Math.trunc(index);
  if (i < 0) return Math.max(0, length + i);
  return Math.min(i, length);
}
