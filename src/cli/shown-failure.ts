import { KilnError } from '../errors.js';
import { withSourceBlock } from '../image/failed-step-source.js';
import { failedSteps, stepLogLines } from '../progress/failure-logs.js';
import type { ProgressState } from '../progress/model.js';

/**
 * The error to report once the progress display has printed the failed step's output (its `------` block, as buildx
 * prints it): the same error without the last lines of that output in its message, so they are shown once. The
 * details (`logTail` included) stay for tooling. Any other error, or one whose step's output the display did not
 * print, is returned as it is.
 */
export function withoutShownLogTail(err: unknown, shown: ProgressState): unknown {
  if (!KilnError.is(err)) return err;
  const { step, vertex, stepError, logTail } = err.details;
  if (typeof step !== 'string' || typeof vertex !== 'string' || typeof stepError !== 'string') return err;
  if (logTail === undefined || logTail.length === 0) return err;
  const printed = failedSteps(shown).some((s) => s.digest === vertex && stepLogLines(s).length > 0);
  if (!printed) return err;
  const head = `step "${step}" failed: ${stepError}`;
  // Where the step was written stays: the display printed its output, not its place in the user's files.
  const source = err.details.source;
  const message = source === undefined ? head : withSourceBlock(head, head, source);
  return new KilnError(err.code, message, { cause: err.cause ?? err, details: err.details, hint: err.hint });
}
