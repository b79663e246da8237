/**
 * What stops a running command early: Ctrl-C (SIGINT), SIGTERM (`timeout`, CI cancellation, `docker stop`), SIGHUP (the
 * terminal was closed) and a lost output (see broken-pipe.ts). The first one asks the command to stop and clean up.
 * A second Ctrl-C ends kiln at once, as the user who presses Ctrl-C twice expects — after removing, synchronously, the
 * temporary files and directories of exports still being written (staging-paths.ts): the first Ctrl-C's cleanup is
 * asynchronous and would be cut short, leaving a `.kiln-tmp-*` behind. A repeated
 * SIGTERM or SIGHUP is not a person insisting (a closed terminal sends SIGHUP twice: the kernel to the foreground job
 * and the shell to its jobs; a CI runner signals every process of the job) and leaves the cleanup to finish.
 */
import { KilnError } from '../errors.js';
import { removeStagingPathsNow } from '../session/staging-paths.js';
import { BROKEN_PIPE_EVENT } from './broken-pipe.js';

/** The signals a command stops on; a lost output is reported as SIGPIPE. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const satisfies readonly NodeJS.Signals[];

/** What stopped the command. */
export type StopReason = (typeof STOP_SIGNALS)[number] | 'SIGPIPE';

/**
 * Calls `onStop` for each stop signal and lost output until the returned function is called. A signal `consume`
 * takes (returns true for: `kiln run` passed it to its command) is not a stop and does not count as a first Ctrl-C.
 */
export function onStopSignals(onStop: (reason: StopReason) => void, consume?: (signal: StopReason) => boolean): () => void {
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (consume?.(signal as StopReason) === true) return;
    if (signal === 'SIGINT' && interrupted) {
      endNow();
      return;
    }
    if (signal === 'SIGINT') interrupted = true;
    onStop(signal as StopReason);
  };
  const onBrokenPipe = (): void => onStop('SIGPIPE');
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  process.on(BROKEN_PIPE_EVENT as 'SIGPIPE', onBrokenPipe);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    process.off(BROKEN_PIPE_EVENT as 'SIGPIPE', onBrokenPipe);
  };
}

/** A command's cancellation by the stop signals: see {@link stopOnSignals}. */
export interface SignalStop {
  /** Aborted by the first stop signal. */
  readonly signal: AbortSignal;
  /** The first stop signal received, if any. */
  readonly reason: () => StopReason | undefined;
  /** A `cancelled` error after a stop signal, said as "the WHAT was cancelled (SIGNAL)"; any other error as it is. */
  readonly cancelledBy: (err: unknown) => unknown;
  /** Stops listening. */
  readonly stop: () => void;
  /** While set, a stop signal it returns true for is passed on (to a running command) instead of stopping. */
  readonly forward: (consume: ((signal: StopReason) => boolean) | undefined) => void;
}

/** Aborts a command (`what`: `build`, `run`) on the first stop signal and names the signal in its cancellation. */
export function stopOnSignals(what: string): SignalStop {
  const controller = new AbortController();
  let stoppedBy: StopReason | undefined;
  let consume: ((signal: StopReason) => boolean) | undefined;
  const stop = onStopSignals(
    (reason) => {
      stoppedBy ??= reason;
      controller.abort();
    },
    (signal) => consume?.(signal) === true,
  );
  const cancelledBy = (err: unknown): unknown =>
    stoppedBy !== undefined && KilnError.is(err, 'cancelled')
      ? new KilnError('cancelled', `the ${what} was cancelled (${stoppedBy})`, { cause: err, details: { signal: stoppedBy } })
      : err;
  return {
    signal: controller.signal,
    reason: () => stoppedBy,
    cancelledBy,
    stop,
    forward: (fn) => {
      consume = fn;
    },
  };
}

/**
 * Ends kiln at once on a second Ctrl-C, as the signal's default action does (the shell sees a process killed by
 * SIGINT; the daemon cancels the build when the connection drops), once what exports were writing is removed.
 */
function endNow(): never {
  removeStagingPathsNow();
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, 'SIGINT');
  // The signal is delivered on return to the event loop at the latest; nothing else runs before it.
  process.exit(130);
}
