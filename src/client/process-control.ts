/**
 * What a caller tells a command while it runs in a gateway container: its terminal's size (a `Resize` message on the
 * `ExecProcess` stream; the container's process sees SIGWINCH) and signals (a `Signal` message, BuildKit v0.10+: the
 * frontend capability `gateway.exec.signals`; BuildKit v0.8 — dockerd 20.10 — ignores the message, so kiln does not
 * send it there and says so through {@link RunningProcess.canSignal}).
 */
import { KilnError } from '../errors.js';

/** The frontend capability of the `Signal` message (BuildKit v0.10+). */
export const GATEWAY_EXEC_SIGNALS_CAP = 'gateway.exec.signals';

/** A terminal's size in character cells. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/**
 * The signals kiln sends to a command, by their names without `SIG` (as the daemon takes them): every Linux signal
 * BuildKit knows by name, real-time ones included (`RTMIN+3` is what systemd images stop with).
 */
export const PROCESS_SIGNALS = [
  'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT',
  'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'PWR', 'SYS',
  'RTMIN', 'RTMIN+1', 'RTMIN+2', 'RTMIN+3', 'RTMIN+4', 'RTMIN+5', 'RTMIN+6', 'RTMIN+7', 'RTMIN+8', 'RTMIN+9', 'RTMIN+10',
  'RTMIN+11', 'RTMIN+12', 'RTMIN+13', 'RTMIN+14', 'RTMIN+15', 'RTMAX-14', 'RTMAX-13', 'RTMAX-12', 'RTMAX-11', 'RTMAX-10',
  'RTMAX-9', 'RTMAX-8', 'RTMAX-7', 'RTMAX-6', 'RTMAX-5', 'RTMAX-4', 'RTMAX-3', 'RTMAX-2', 'RTMAX-1', 'RTMAX',
] as const;

/** A signal {@link RunningProcess.signal} sends. */
export type ProcessSignal = (typeof PROCESS_SIGNALS)[number];

/** Other names of three of them. */
const SIGNAL_ALIASES: Readonly<Record<string, ProcessSignal>> = { CLD: 'CHLD', IOT: 'ABRT', POLL: 'IO' };

/**
 * Linux's number of each of {@link PROCESS_SIGNALS} (`docker run --stop-signal 3` is QUIT): 1–31 in order, then the
 * real-time signals 34 (`RTMIN`) to 64 (`RTMAX`); 32 and 33 are the C library's own.
 */
function signalNumber(name: ProcessSignal): number {
  const at = PROCESS_SIGNALS.indexOf(name);
  return at < 31 ? at + 1 : at + 3;
}

const SIGNALS_BY_NUMBER: ReadonlyMap<number, ProcessSignal> = new Map(PROCESS_SIGNALS.map((n) => [signalNumber(n), n]));

/**
 * A signal as docker takes it (`--stop-signal`, an image's `StopSignal`): `SIGQUIT`, `QUIT`, `quit`, `SIGRTMIN+3` or
 * its number (`3`); `undefined` when it is none of {@link PROCESS_SIGNALS}.
 */
export function parseProcessSignal(value: string): ProcessSignal | undefined {
  const text = value.trim().toUpperCase();
  if (/^\d+$/.test(text)) return SIGNALS_BY_NUMBER.get(Number(text));
  const name = text.startsWith('SIG') ? text.slice(3) : text;
  return (PROCESS_SIGNALS as readonly string[]).includes(name) ? (name as ProcessSignal) : SIGNAL_ALIASES[name];
}

/** What a value that {@link parseProcessSignal} refuses is told, after the value itself. */
export const NOT_A_PROCESS_SIGNAL = 'is not a Linux signal; use a name such as SIGTERM, SIGQUIT or SIGRTMIN+3 (SIG is optional), or its number (1-31, 34-64)';

/**
 * What an abort of a running command's `signal` does to it: `'stop'` stops it as `docker stop` does (its stop signal,
 * then `KILL` once the stop timeout has passed) where the daemon can signal, and its container is released once it has
 * exited; `'release'` releases the container at once, which kills its processes (what every abort does on BuildKit
 * v0.8, and before the command has started).
 */
export type AbortMode = 'stop' | 'release';

/** How a running command is stopped: the options `runInImage` and `FailedStep.run` share. */
export interface StopOptions {
  /** Seconds the command has to exit after the stop signal before it is killed: default 10; 0 kills at once, -1 never. */
  readonly stopTimeout?: number | undefined;
  /** The signal a stop sends first: `SIGQUIT`, `QUIT` or `3` (see {@link parseProcessSignal}). */
  readonly stopSignal?: ProcessSignal | string | undefined;
  /** What an abort of the run's `signal` does to a running command (default `'stop'`). */
  readonly abortMode?: AbortMode | undefined;
}

/** {@link StopOptions} as checked by {@link readStopOptions}. */
export interface CheckedStopOptions {
  readonly stopTimeout: number | undefined;
  readonly stopSignal: ProcessSignal | undefined;
  readonly abortMode: AbortMode;
}

/** What an `abortMode` option that is not one is told. */
export const ABORT_MODE_RULE = "options.abortMode must be 'stop' or 'release'";

/** Whether `value` is an {@link AbortMode}. */
export function isAbortMode(value: unknown): value is AbortMode {
  return value === 'stop' || value === 'release';
}

/**
 * Checks the stop options of a run; `fail` throws the argument error for a wrong one (at the caller's call site). An
 * absent `abortMode` is `'stop'`.
 */
export function readStopOptions(options: StopOptions, fail: (message: string) => never): CheckedStopOptions {
  const stopTimeout = options.stopTimeout;
  if (stopTimeout !== undefined && !(Number.isInteger(stopTimeout) && stopTimeout >= -1)) {
    fail('options.stopTimeout must be a whole number of seconds: 0 or more, or -1 to never kill the command');
  }
  const given = options.stopSignal;
  const stopSignal = given === undefined ? undefined : typeof given === 'string' ? parseProcessSignal(given) : undefined;
  if (given !== undefined && stopSignal === undefined) fail(`options.stopSignal ${JSON.stringify(given)} ${NOT_A_PROCESS_SIGNAL}`);
  const abortMode = options.abortMode ?? 'stop';
  if (!isAbortMode(abortMode)) fail(ABORT_MODE_RULE);
  return { stopTimeout, stopSignal, abortMode };
}

/**
 * The refusal of a stop signal asked for on a daemon that cannot signal a process (BuildKit before v0.10): the command
 * could never receive it there, and a stop would kill it without the shutdown the signal asks for.
 */
export function stopSignalUnsupported(stopSignal: ProcessSignal): KilnError {
  return new KilnError('unsupported', `the daemon cannot send the command a stop signal (SIG${stopSignal}): it lacks the frontend capability "${GATEWAY_EXEC_SIGNALS_CAP}" (BuildKit v0.10+)`, {
    hint: 'Drop the stop signal (stopping the command there releases its container, which kills it), or use a daemon with BuildKit v0.10 or later (dockerd 23+).',
    details: { missingCap: GATEWAY_EXEC_SIGNALS_CAP },
  });
}

/** The command while it runs in its container. */
export interface RunningProcess {
  /**
   * Whether {@link RunningProcess.signal} reaches the process: the daemon has the capability `gateway.exec.signals`
   * (BuildKit v0.10+; not dockerd 20.10's BuildKit v0.8, where stopping the command means releasing its container).
   */
  readonly canSignal: boolean;
  /** Tells the command's terminal its new size (the process sees SIGWINCH); nothing without a tty or once it ended. */
  resize(size: TerminalSize): void;
  /**
   * The signal {@link stop} sends when given none (`docker run --stop-signal`): `runInImage`'s `stopSignal`, else the
   * image's `StopSignal` (Dockerfile `STOPSIGNAL`); `undefined` when neither names one (`stop()` then sends `TERM`).
   */
  readonly stopSignal: ProcessSignal | undefined;
  /** Sends `name` to the process; false, sending nothing, when the daemon cannot ({@link canSignal}) or it has ended. */
  signal(name: ProcessSignal): boolean;
  /**
   * Stops the process as `docker stop` does: sends `name` (default {@link stopSignal}, else `TERM`), and `KILL` if it has not exited once the
   * stop timeout has passed (`runInImage`'s `stopTimeout`: 10 s unless set; -1, never). The process then ends with 137
   * (128 + 9), as in Docker, and `onKill` is called as the daemon reports that exit. It is not called when the process
   * turns out to have exited before the `KILL` (its own exit code is reported): BuildKit (v0.13 at least, until
   * moby/buildkit#6815) reports the exit of a process without a terminal reading an open pipe only once that pipe
   * ends, which the `KILL` does, so a process the stop signal ended may be seen gone only then. False, sending
   * nothing, when {@link signal} would be.
   */
  stop(name?: ProcessSignal, onKill?: () => void): boolean;
}

/** What a `tty` option must be, for the error when it is not ({@link isTtyOption}). */
export const TTY_OPTION_RULE = 'options.tty must be true, false or { columns, rows } with whole numbers from 1 to 65535';

/** Whether `value` is a `tty` option (`runInImage`'s, `FailedStep.run`'s): absent, a boolean, or a terminal size. */
export function isTtyOption(value: unknown): value is boolean | TerminalSize | undefined {
  return value === undefined || typeof value === 'boolean' || (typeof value === 'object' && value !== null && validSize(value as TerminalSize));
}

/** How long a stopped process has to exit before it is killed, by default: Docker's 10 s. */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 10;

/** The exit code the daemon reports for a process that `KILL` ended (128 + 9). */
export const KILLED_EXIT_CODE = 137;

/** Where a started process's control messages go (the `ExecProcess` stream). */
export interface ProcessControlSink {
  resize(size: TerminalSize): void;
  signal(name: ProcessSignal): void;
}

/**
 * A {@link RunningProcess} given to the caller before the process starts: a resize asked for before the daemon said
 * `Started` is kept (the last one) and sent first, before any stdin, so the command's first look at its terminal
 * already sees it; signals are sent only to a started process (one asked for earlier is sent on start).
 *
 * Internal: the caller sees it as a {@link RunningProcess}.
 */
export class ProcessControl implements RunningProcess {
  readonly canSignal: boolean;
  readonly stopSignal: ProcessSignal | undefined;
  #sink: ProcessControlSink | undefined;
  #ended = false;
  #pendingSize: TerminalSize | undefined;
  readonly #pendingSignals: ProcessSignal[] = [];
  readonly #stopTimeoutMs: number;
  #killTimer: NodeJS.Timeout | undefined;
  /** The `onKill` of a stop whose `KILL` went out: called if the exit then reported is the kill's. */
  #killed: (() => void) | undefined;

  /** `stopTimeoutSeconds`: see {@link RunningProcess.stop} (a negative value never kills). */
  constructor(canSignal: boolean, initialSize?: TerminalSize, stopTimeoutSeconds: number = DEFAULT_STOP_TIMEOUT_SECONDS, stopSignal?: ProcessSignal) {
    this.canSignal = canSignal;
    this.stopSignal = stopSignal;
    this.#stopTimeoutMs = stopTimeoutSeconds < 0 ? -1 : stopTimeoutSeconds * 1000;
    if (initialSize !== undefined) this.resize(initialSize);
  }

  resize(size: TerminalSize): void {
    if (this.#ended || !validSize(size)) return;
    if (this.#sink === undefined) this.#pendingSize = { columns: size.columns, rows: size.rows };
    else this.#sink.resize(size);
  }

  signal(name: ProcessSignal): boolean {
    if (!this.canSignal || this.#ended || !(PROCESS_SIGNALS as readonly string[]).includes(name)) return false;
    if (this.#sink === undefined) this.#pendingSignals.push(name);
    else this.#sink.signal(name);
    return true;
  }

  /** Whether the process has started and not ended: a signal sent now reaches it. */
  get running(): boolean {
    return this.#sink !== undefined && !this.#ended;
  }

  stop(name: ProcessSignal = this.stopSignal ?? 'TERM', onKill?: () => void): boolean {
    if (!this.signal(name)) return false;
    // A second stop while the first waits changes nothing: the process is killed when the first one's time is up.
    if (this.#killTimer !== undefined || this.#stopTimeoutMs < 0 || name === 'KILL') return true;
    this.#killTimer = setTimeout(() => {
      this.#killTimer = undefined;
      if (this.#ended) return;
      // Said once the exit is reported: a process that had exited already (its exit held back by the daemon until its
      // stdin ended, which the KILL does) was not killed, and is not said to have been.
      this.#killed = onKill ?? (() => {});
      this.signal('KILL');
    }, this.#stopTimeoutMs);
    // The grace period does not keep this process alive on its own: the running command does.
    this.#killTimer.unref();
    return true;
  }

  /** The process started: what was asked for so far goes out now (the size first), the rest as it comes. */
  attach(sink: ProcessControlSink): void {
    if (this.#ended || this.#sink !== undefined) return;
    this.#sink = sink;
    const size = this.#pendingSize;
    this.#pendingSize = undefined;
    if (size !== undefined) sink.resize(size);
    for (const name of this.#pendingSignals.splice(0)) sink.signal(name);
  }

  /**
   * The process ended (or never will start): nothing more is sent. `exitCode`, when the daemon reported the exit: a
   * `KILL` from {@link stop} that ended it (137) is told to its `onKill`.
   */
  detach(exitCode?: number): void {
    const killed = this.#killed;
    this.#killed = undefined;
    if (killed !== undefined && exitCode === KILLED_EXIT_CODE) killed();
    this.#ended = true;
    clearTimeout(this.#killTimer);
    this.#killTimer = undefined;
    this.#sink = undefined;
    this.#pendingSignals.length = 0;
  }
}

/** A size the daemon can take: whole numbers of cells, 1 to 65535 (a terminal's size is 16-bit). */
export function validSize(size: TerminalSize): boolean {
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 0xffff;
  return ok(size.columns) && ok(size.rows);
}
