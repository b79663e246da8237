import { formatElapsed } from './format.js';
import type { ProgressSummary } from './model.js';
import type { ProgressSink } from './sink.js';

/** How a build ended, for the summary line. */
export type BuildOutcome = 'success' | 'failed' | 'canceled';

/** Options of `formatSummaryLine`. */
export interface SummaryLineOptions {
  /**
   * Overrides the outcome read from the summary (failed if a step failed, canceled if a step was
   * canceled, else success) — e.g. `failed` when the solve itself returned an error.
   */
  outcome?: BuildOutcome | undefined;
}

/** The outcome a summary implies on its own. */
export function summaryOutcome(summary: ProgressSummary): BuildOutcome {
  if (summary.errors > 0) return 'failed';
  if (summary.canceled > 0) return 'canceled';
  return 'success';
}

/**
 * One closing line: `7 steps, 3 cached, done in 12.3s`; on failure
 * `7 steps, 3 cached, 1 failed after 12.3s`; when canceled `7 steps, 3 cached, canceled after 4.0s`.
 */
export function formatSummaryLine(summary: ProgressSummary, options: SummaryLineOptions = {}): string {
  const outcome = options.outcome ?? summaryOutcome(summary);
  const head = `${summary.steps} ${summary.steps === 1 ? 'step' : 'steps'}, ${summary.cached} cached`;
  const took = formatElapsed(summary.durationMs);
  if (outcome === 'success') return `${head}, done in ${took}`;
  if (outcome === 'canceled') return `${head}, canceled after ${took}`;
  if (summary.errors > 0) return `${head}, ${summary.errors} failed after ${took}`;
  return `${head}, failed after ${took}`;
}

/** Writes `formatSummaryLine(summary, options)` and a newline to `sink`; returns what `write` returned. */
export function printSummaryLine(sink: ProgressSink, summary: ProgressSummary, options: SummaryLineOptions = {}): boolean {
  return sink.write(`${formatSummaryLine(summary, options)}\n`);
}
