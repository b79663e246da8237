/**
 * `kiln build --on-failure`: the failed step opened for the user. `shell` gets the user's terminal when kiln's stdin
 * and stdout are both one (a tty shell, as `kiln run -it`: raw mode, resizes), else reads a pipe; `exec` runs its
 * command without a terminal, as `docker exec` without `-t` (its output stays byte for byte what the command wrote,
 * for a file or a pipe), reading stdin only when it is not a terminal; `--on-failure-tty` gives either one the user's
 * terminal, as `docker exec -it` (kiln's stdin must be one). While the command runs, the first stop signal kiln
 * receives goes to it where the daemon can signal (forward-stop-signals.ts), killed if it has not exited
 * `--on-failure-stop-timeout` seconds later; the next one cancels the build. With
 * `--progress rawjson` every line of stderr stays JSON: what kiln says is a `failed-step` event (or
 * `failed-step-killed`) and the command's stderr comes as `failed-step-stderr` events.
 */
import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type { FailedStep, FailedStepState } from '../client/failed-step-types.js';
import { KilnError } from '../errors.js';
import type { CliIO } from './context.js';
import { println } from './context.js';
import { jsonError, jsonEventLine } from './json-report.js';
import { forwardStopSignals, killedAfterStopTimeout, passOnSignals } from './forward-stop-signals.js';
import { attachTerminal, isInteractiveTerminal, terminalSize, type TerminalAttachment, type TerminalInput } from './run-terminal.js';
import type { SignalStop, StopReason } from './stop-signals.js';
import type { ProcessSignal } from '../client/process-control.js';

/** What `--on-failure` and `--on-failure-state` ask for. */
export interface OnFailureRequest {
  readonly mode: 'shell' | 'exec';
  readonly args: readonly string[];
  readonly state: FailedStepState;
  /** `--on-failure-tty`: the command gets the user's terminal (stdin is one: checked before the build). */
  readonly tty?: boolean | undefined;
  /** `--on-failure-stop-timeout`: seconds the command has to exit after a passed stop signal (default 10; -1 never). */
  readonly stopTimeout?: number | undefined;
  /** `--on-failure-stop-signal`: what a passed stop signal is sent as (default: the signal kiln got). */
  readonly stopSignal?: ProcessSignal | undefined;
}

/** How the build that failed was run. */
export interface OpenFailedStepContext {
  /** `--progress rawjson`: stderr carries JSON lines only. */
  readonly json: boolean;
  /** The build is for several platforms: the message says which one's step is opened. */
  readonly multiPlatform: boolean;
  readonly signal: AbortSignal;
  readonly debug: boolean;
  /** Where the command's run takes the first stop signal kiln receives (`stopOnSignals`' forward): passed to it. */
  readonly signals?: Pick<SignalStop, 'forward'> | undefined;
}

/** Opens `failed` as `request` says, and returns once the command ended (or could not start). Rejects only when cancelled. */
export async function openFailedStep(io: CliIO, failed: FailedStep, request: OnFailureRequest, context: OpenFailedStepContext): Promise<void> {
  const { mode, args, state } = request;
  const said = (opened: boolean, error?: unknown): void => {
    if (context.json) {
      io.stderr.write(
        jsonEventLine({
          kiln: 'failed-step',
          opened,
          args: [...args],
          state,
          cwd: failed.command?.cwd ?? null,
          platform: failed.platform ?? null,
          ...(error === undefined ? {} : { error: jsonError(error, context.debug) }),
        }),
      );
      return;
    }
    if (error !== undefined) {
      const hint = error instanceof KilnError && error.hint !== undefined ? `\n  hint: ${error.hint}` : '';
      println(io.stderr, `kiln: --on-failure=${mode}: ${error instanceof Error ? error.message : String(error)}${hint}`);
      return;
    }
    const what = mode === 'shell' ? 'opening /bin/sh' : `running ${args.join(' ')}`;
    const where = state === 'initial' ? 'as it was before its command ran' : 'as its command left it';
    const platform = context.multiPlatform && failed.platform !== undefined ? ` for ${failed.platform} (the first platform whose step failed; the other platforms are not opened)` : '';
    println(io.stderr, `[kiln] ${what} in the failed step${platform}, ${where} (${failed.command?.cwd ?? '/'}); the build fails afterwards`);
  };
  if (!failed.canRun) {
    said(false, failed.unavailable ?? new KilnError('unsupported', 'the failed step cannot be opened'));
    return;
  }
  const input: TerminalInput | undefined = io.stdin;
  // --on-failure-tty: a terminal as docker exec -it gives (stdout may be a file); kiln's stdin is one (checked before).
  const terminal = request.tty === true ? input !== undefined : mode === 'shell' && isInteractiveTerminal(input, io.stdout);
  // The shell reads what is typed or piped; a command reads only a pipe or a file (a terminal would wait for input),
  // unless it was given the terminal.
  const stdin = input !== undefined && (mode === 'shell' || terminal || input.isTTY !== true) ? input : undefined;
  const stderr = context.json ? stderrAsEvents(io.stderr) : io.stderr;
  let attached: TerminalAttachment | undefined;
  let stopForwarding = (): void => {};
  let stopPassing = (): void => {};
  const killed = (signal: StopReason, seconds: number, sent: ProcessSignal): void => {
    if (context.json) io.stderr.write(jsonEventLine({ kiln: 'failed-step-killed', signal, sent: `SIG${sent}`, stopTimeout: seconds }));
    else io.stderr.write(`${killedAfterStopTimeout(signal, seconds, sent)}${attached?.raw === true ? '\r\n' : '\n'}`);
  };
  said(true);
  try {
    await failed.run({
      args,
      state,
      stdin,
      stdout: io.stdout,
      stderr,
      tty: terminal ? (terminalSize(io.stdout) ?? true) : false,
      ...(request.stopTimeout === undefined ? {} : { stopTimeout: request.stopTimeout }),
      ...(request.stopSignal === undefined ? {} : { stopSignal: request.stopSignal }),
      signal: context.signal,
      // The first stop signal went to the command (its grace period runs); the abort is the second: at once.
      abortMode: 'release',
      onCommandStart: (command) => {
        if (context.signals !== undefined) {
          stopForwarding = forwardStopSignals(context.signals, command, { stopTimeoutSeconds: request.stopTimeout, onKill: killed });
          stopPassing = passOnSignals(command);
        }
        if (terminal) attached = attachTerminal(input, io.stdout, command);
      },
    });
  } catch (err) {
    // Could not open it (the daemon refused the container): said, and the build's failure is still the error.
    if (KilnError.is(err, 'cancelled')) throw err;
    said(false, err);
  } finally {
    stopForwarding();
    stopPassing();
    attached?.detach();
    // Stop reading a pipe or terminal nobody forwards any more: it would keep kiln running.
    stdin?.destroy();
  }
}

/** A stream whose text goes to `out` as `failed-step-stderr` JSON lines (one per chunk, UTF-8 kept whole). */
function stderrAsEvents(out: Writable): Writable {
  const decoder = new StringDecoder('utf8');
  const emit = (data: string, done: (err?: Error | null) => void): void => {
    if (data === '') done();
    else out.write(jsonEventLine({ kiln: 'failed-step-stderr', data }), (err) => done(err));
  };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      emit(decoder.write(chunk), done);
    },
    final(done) {
      emit(decoder.end(), done);
    },
  });
}
