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
