/**
 * What stops a running command early: Ctrl-C (SIGINT), SIGTERM (`timeout`, CI cancellation, `docker stop`), SIGHUP (the
 * terminal was closed) and a lost output (see broken-pipe.ts). The first one asks the command to stop and clean up.
 * A second Ctrl-C is not caught, so it ends kiln at once, as the user who presses Ctrl-C twice expects; a repeated
 * SIGTERM or SIGHUP is not a person insisting (a closed terminal sends SIGHUP twice: the kernel to the foreground job
 * and the shell to its jobs; a CI runner signals every process of the job) and leaves the cleanup to finish.
 */
import { BROKEN_PIPE_EVENT } from './broken-pipe.js';

/** The signals a command stops on; a lost output is reported as SIGPIPE. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const satisfies readonly NodeJS.Signals[];

/** What stopped the command. */
export type StopReason = (typeof STOP_SIGNALS)[number] | 'SIGPIPE';

/** Calls `onStop` for each stop signal and lost output until the returned function is called. */
export function onStopSignals(onStop: (reason: StopReason) => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    // The next Ctrl-C gets Node's default action: kiln ends at once (the daemon cancels the build when the connection drops).
    process.off('SIGINT', onSignal);
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
