/** One measured figure, printed as a JSON line that `bench/run.ts` collects (plus a human-readable line). */
export interface BenchFigure {
  readonly name: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly [extra: string]: unknown;
}

/** Prints a figure: one JSON line for the runner and one line for people. */
export function report(figure: BenchFigure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
  const rounded = Math.abs(figure.value) >= 100 ? figure.value.toFixed(0) : figure.value.toFixed(3);
  process.stderr.write(`  ${figure.name} ${figure.metric}: ${rounded} ${figure.unit}\n`);
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median and range of a non-empty list of round figures: how much the rounds varied is part of the result. */
export function spread(values: readonly number[]): { median: number; min: number; max: number } {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The order of two sides in round `round` (from 0): `a` first on even rounds, `b` first on odd ones. A fixed order
 * lets whatever one side leaves behind (the daemon still committing or deleting after a build, a cache just
 * written, load that grows over the run) fall on the other side every round.
 */
export function inTurn<T>(round: number, a: T, b: T): readonly [T, T] {
  return round % 2 === 0 ? [a, b] : [b, a];
}
