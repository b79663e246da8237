/**
 * The public face of a failed step (see failed-step.ts for how kiln reads it from the daemon's error): kept apart so
 * that the shipped declarations of these types name nothing of gRPC or the generated protobuf types.
 */
import type { Readable, Writable } from 'node:stream';
import type { KilnError } from '../errors.js';
import type { ProcessExit } from './process-spec.js';
import type { AbortMode, ProcessSignal, RunningProcess, TerminalSize } from './process-control.js';

/**
 * Which filesystems of a failed step a command runs on: `'failed'`, as its command left them (what it wrote until it
 * failed included), or `'initial'`, as they were before it ran (buildx's word, from its debugger's `rollback --init`).
 */
export type FailedStepState = 'failed' | 'initial';

/** The states {@link FailedStepRunOptions.state} takes. */
export const FAILED_STEP_STATES: readonly FailedStepState[] = ['failed', 'initial'];

/** How to run a command in a failed step: {@link FailedStep.run}'s options. */
export interface FailedStepRunOptions {
  /** The command (argv). Default: `['/bin/sh']`. */
  readonly args?: readonly string[] | undefined;
  /** Variables set on top of the step's own environment (a variable given here wins). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Working directory (default: the step's). */
  readonly cwd?: string | undefined;
  /** User: `name`, `uid` or `uid:gid` (default: the step's). */
  readonly user?: string | undefined;
  /** The step's filesystems as its command left them (`'failed'`, the default) or as they were before it ran (`'initial'`). */
  readonly state?: FailedStepState | undefined;
  /** Sent to the command's stdin, then end of file; without it the command has no stdin. */
  readonly stdin?: Readable | undefined;
  /** Where the command's stdout goes (default: this process's stdout). */
  readonly stdout?: Writable | undefined;
  /** Where the command's stderr goes (default: this process's stderr); with a tty, none: all output is on stdout. */
  readonly stderr?: Writable | undefined;
  /**
   * Give the command a terminal (`docker exec -t`): `true`, or its size in cells. Its stdout and stderr then arrive
   * together on `stdout`; later sizes go through {@link RunningProcess.resize} ({@link onCommandStart}).
   */
  readonly tty?: boolean | TerminalSize | undefined;
  /**
   * Seconds the command has to exit after {@link RunningProcess.stop} (or an abort) before it is killed (`docker stop
   * -t`): default 10; 0 kills at once, -1 never. Only where the daemon can signal (BuildKit v0.10+).
   */
  readonly stopTimeout?: number | undefined;
  /** Called just before the command starts, with the command to resize its terminal and send it signals while it runs. */
  readonly onCommandStart?: ((process: RunningProcess) => unknown) | undefined;
  /**
   * Stops the command and rejects as `cancelled` once its container is released. See {@link abortMode} for how a
   * running command is stopped.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * What an abort of {@link signal} does to a running command: `'stop'` (default) as `docker stop` — the stop signal,
   * then `KILL` if it has not exited after {@link stopTimeout} — where the daemon can signal (BuildKit v0.10+), then
   * the container is released; `'release'` releases the container at once (its processes are killed), as an abort
   * always does on BuildKit v0.8 and before the command has started.
   */
  readonly abortMode?: AbortMode | undefined;
  /**
   * The signal {@link RunningProcess.stop} and an abort send first: `SIGQUIT`, `QUIT` or `3`; default `TERM`. A
   * daemon that cannot signal fails the run as `unsupported` before the command starts.
   */
  readonly stopSignal?: ProcessSignal | string | undefined;
}

/** The command of a failed step, as the daemon ran it. */
export interface FailedStepCommand {
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly user: string;
}

/**
 * A step that failed, handed to `buildImage`'s `onStepFailure` while the build still holds it. {@link run} starts a
 * container on the step's filesystems as they were when its command failed (what it wrote until then included; or, with
 * `state: 'initial'`, before it ran) with the step's env, working directory and user, and releases it when the command
 * ends; nothing it writes is kept.
 */
export interface FailedStep {
  /** Whether the daemon reported the step so that it can be opened; when false, {@link run} rejects with {@link unavailable}. */
  readonly canRun: boolean;
  /** The failed command, when the daemon reported it. */
  readonly command?: FailedStepCommand | undefined;
  /** Where the step's filesystems are mounted, `/` first (empty when not reported). */
  readonly mounts: readonly string[];
  /** The platform the step ran for (`linux/arm64`), when the daemon reported it: in a multi-platform build, which one failed. */
  readonly platform?: string | undefined;
  /** Why the step cannot be opened (an `unsupported` error to show), when {@link canRun} is false. */
  readonly unavailable?: KilnError | undefined;
  /** Runs a command in the failed step and resolves with its exit once it has ended (a non-zero exit is a result). */
  run(options?: FailedStepRunOptions): Promise<ProcessExit>;
}
