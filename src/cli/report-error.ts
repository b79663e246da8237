import { KilnError } from '../errors.js';

/**
 * Exit codes of the kiln CLI. The last four are 128 + the signal, as a shell reports a process that signal killed:
 * `hangup` (SIGHUP, the terminal was closed), `interrupted` (SIGINT), `brokenPipe` (SIGPIPE, a writer whose reader
 * went away), `terminated` (SIGTERM).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, hangup: 129, interrupted: 130, brokenPipe: 141, terminated: 143 } as const;

/**
 * The exit code for an error: usage problems → 2, cancellation → 130 (143 when SIGTERM cancelled it, 129 SIGHUP, 141
 * when the output's reader went away: as a shell reports a process killed by that signal), everything else → 1.
 */
export function exitCodeFor(err: unknown): number {
  if (KilnError.is(err, 'invalid_argument')) return EXIT.usage;
  if (KilnError.is(err, 'cancelled')) {
    const signal = err.details['signal'];
    if (signal === 'SIGTERM') return EXIT.terminated;
    if (signal === 'SIGHUP') return EXIT.hangup;
    if (signal === 'SIGPIPE') return EXIT.brokenPipe;
    return EXIT.interrupted;
  }
  return EXIT.failed;
}

/**
 * One readable block for an error: what failed (with the failing step and its output when the daemon said),
 * then a hint. Stack traces only with `--debug`.
 */
export function formatError(err: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (err instanceof KilnError) {
    lines.push(`error: ${err.message}`);
    if (err.hint !== undefined) lines.push(`hint: ${err.hint}`);
    if (debug) {
      if (err.stack !== undefined) lines.push('', err.stack);
      const stacks = err.details['stacks'];
      if (Array.isArray(stacks) && stacks.length > 0) lines.push('', 'daemon stack:', ...stacks.map(String));
      let cause: unknown = err.cause;
      while (cause instanceof Error) {
        lines.push('', `caused by: ${cause.stack ?? cause.message}`);
        cause = cause.cause;
      }
    }
  } else if (err instanceof Error) {
    lines.push(`error: ${err.message}`);
    if (debug && err.stack !== undefined) lines.push('', err.stack);
  } else {
    lines.push(`error: ${String(err)}`);
  }
  // A build the user stopped has nothing more to show.
  if (!debug && !KilnError.is(err, 'cancelled')) lines.push('(run with --debug for details)');
  return lines.join('\n') + '\n';
}
