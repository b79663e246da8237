/**
 * A stop signal passed on to a command running on the daemon (`kiln run`, `kiln build --on-failure`), as `docker stop`
 * does: the first SIGINT, SIGTERM or SIGHUP kiln receives while the command runs goes to the command's process, which
 * is killed (SIGKILL) if it has not exited once the stop timeout has passed; the next one stops the command as any stop
 * signal stops kiln (its container released, exit 130/143/129). Only a command the `KILL` ended is said to be killed:
 * one that the stop signal ended, whose exit BuildKit v0.13 holds back while its stdin pipe stays open, is not (see
 * {@link RunningProcess.stop}). Only where the daemon can signal a process
 * (`gateway.exec.signals`, BuildKit v0.10+): on BuildKit v0.8 the first signal stops the command at once.
 */
import { DEFAULT_STOP_TIMEOUT_SECONDS, type ProcessSignal, type RunningProcess } from '../client/process-control.js';
import type { SignalStop, StopReason } from './stop-signals.js';

/** The stop signals kiln passes on to a running command, by the daemon's name for them. */
export const FORWARDED_SIGNALS: Partial<Record<StopReason, ProcessSignal>> = { SIGINT: 'INT', SIGTERM: 'TERM', SIGHUP: 'HUP' };

/** What {@link forwardStopSignals} needs besides the command. */
export interface ForwardStopSignalsOptions {
  /**
   * The command's stop timeout in seconds, as its run was given it (`runInImage`'s and `FailedStep.run`'s
   * `stopTimeout`), for the message when it is killed (default: Docker's 10).
   */
  readonly stopTimeoutSeconds?: number | undefined;
  /**
   * Called once the command was killed for not exiting in time (the daemon reported the kill's exit), with the signal
   * kiln received and the one it sent the command for it (its stop signal — `--stop-signal`, the image's STOPSIGNAL —
   * else the same signal).
   */
  readonly onKill: (signal: StopReason, stopTimeoutSeconds: number, sent: ProcessSignal) => void;
}

/**
 * While `command` runs, the first stop signal `stopped` receives goes to it (see the file's comment); the returned
 * function ends that (later signals stop kiln as before). Does nothing where the daemon cannot signal the process.
 */
export function forwardStopSignals(stopped: Pick<SignalStop, 'forward'>, command: RunningProcess, options: ForwardStopSignalsOptions): () => void {
  if (!command.canSignal) return () => {};
  let forwarded = false;
  const timeout = options.stopTimeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS;
  stopped.forward((signal) => {
    const name = FORWARDED_SIGNALS[signal];
    if (name === undefined || forwarded) return false;
    forwarded = true;
    // The command's stop signal stands for every stop signal kiln gets; without one, the one kiln got goes on.
    const sent = command.stopSignal ?? name;
    return command.stop(sent, () => options.onKill(signal, timeout, sent));
  });
  return () => stopped.forward(undefined);
}

/**
 * The line kiln prints when a command was killed for not exiting within `seconds` of the stop signal kiln passed on
 * for `signal` (`sent`, when it is another: `SIGQUIT (for SIGTERM)`).
 */
export function killedAfterStopTimeout(signal: StopReason, seconds: number, sent?: ProcessSignal): string {
  const said = sent === undefined || `SIG${sent}` === signal ? signal : `SIG${sent} (for ${signal})`;
  return `kiln: the command did not exit within ${seconds}s of ${said}: killed it (SIGKILL)`;
}

/**
 * Signals that are not stops, passed on to a running command each time kiln gets one, as docker run's signal proxy
 * passes them: SIGQUIT (Ctrl-\ when the command has no terminal), SIGUSR1 and SIGUSR2 (a reload, a log reopen, a
 * thread dump). Only where the daemon can signal; elsewhere kiln keeps Node's handling of them.
 */
export const PASSED_SIGNALS = ['SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const satisfies readonly NodeJS.Signals[];

/** While `command` runs, each of {@link PASSED_SIGNALS} kiln gets goes to it; the returned function ends that. */
export function passOnSignals(command: RunningProcess): () => void {
  if (!command.canSignal) return () => {};
  const handlers = PASSED_SIGNALS.map((name) => {
    const handler = (): void => {
      command.signal(name.slice(3) as ProcessSignal);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return () => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
}
