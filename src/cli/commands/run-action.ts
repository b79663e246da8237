import { KilnError } from '../../errors.js';
import { lockFilePath, readImageLock } from '../../image/lock-file.js';
import { runInImage } from '../../image/run-in-image.js';
import { createProgressRenderer, isProgressMode, resolveProgressMode } from '../../progress/create-renderer.js';
import { createProgressDisplay } from '../../progress/progress-display.js';
import { CommandExit } from '../command-exit.js';
import { connectFromOptions, type CliIO, type GlobalOptions } from '../context.js';
import { loadImage } from '../load-image.js';
import { contextDir, parseModuleRef } from '../load-module.js';
import { attachTerminal, stdinNotATerminal, terminalSize, type TerminalAttachment, type TerminalInput } from '../run-terminal.js';
import { stopOnSignals } from '../stop-signals.js';
import { forwardStopSignals, killedAfterStopTimeout, passOnSignals } from '../forward-stop-signals.js';
import type { RunningProcess } from '../../client/process-control.js';
import type { RunFlags } from './run.js';

/** `--env KEY=VALUE` flags as variables; `--env KEY` alone takes KEY from kiln's environment, as docker run does. */
function parseEnvFlags(flags: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq === -1 ? flag : flag.slice(0, eq);
    if (name === '') throw new KilnError('invalid_argument', `--env ${flag} names no variable; write --env KEY=VALUE`);
    if (eq === -1) {
      const value = env[name];
      if (value !== undefined) out[name] = value;
    } else {
      out[name] = flag.slice(eq + 1);
    }
  }
  return out;
}

/** What `kiln run <module> [-- command…]` does once its arguments are parsed. */
export async function runRun(io: CliIO, globals: () => GlobalOptions, moduleArg: string, command: readonly string[], flags: RunFlags): Promise<void> {
  const context = contextDir(io, flags.context);
  const progress = flags.progress ?? 'auto';
  if (!isProgressMode(progress)) throw new KilnError('invalid_argument', `--progress ${progress} is not a progress mode`);
  const env = parseEnvFlags(flags.env ?? [], io.env);
  const ref = parseModuleRef(moduleArg);
  const image = await loadImage(ref, io.cwd, context);
  const lock = await readImageLock(lockFilePath(io.cwd, ref.path));
  const input: TerminalInput | undefined = io.stdin;
  const inputIsTerminal = input?.isTTY === true;
  if (flags.tty === true && !inputIsTerminal) {
    throw stdinNotATerminal('-t', 'the command', 'stdin that is not a terminal is forwarded as it is');
  }
  // A terminal is forwarded only with -i: without it the command would wait for input nobody means to give.
  const stdin = input !== undefined && (!inputIsTerminal || flags.interactive === true) ? input : undefined;
  const tty = flags.tty === true ? (terminalSize(io.stdout) ?? true) : false;
  const stopped = stopOnSignals('run');
  let terminal: TerminalAttachment | undefined;
  const stopTimeout = flags.stopTimeout;
  /**
   * Stop signals passed on to the command: the first of each run goes to it, as `docker stop` (killed if it has not
   * exited once --stop-timeout has passed); the next one stops it. SIGQUIT, SIGUSR1 and SIGUSR2 go to it each time.
   */
  let stopPassing = (): void => {};
  const forwardSignals = (command: RunningProcess): void => {
    stopPassing = passOnSignals(command);
    forwardStopSignals(stopped, command, {
      stopTimeoutSeconds: stopTimeout,
      // In raw mode the terminal no longer turns \n into \r\n.
      onKill: (signal, seconds, sent) => io.stderr.write(`${killedAfterStopTimeout(signal, seconds, sent)}${terminal?.raw === true ? '\r\n' : '\n'}`),
    });
  };
  try {
    const client = await connectFromOptions(globals(), io, stopped.signal);
    const display = createProgressDisplay(createProgressRenderer(resolveProgressMode(progress, io.stderr, io.env), { stream: io.stderr, env: io.env }));
    try {
      const result = await runInImage(client, image, {
        ...(command.length === 0 ? {} : { args: command }),
        env,
        ...(flags.workdir === undefined ? {} : { cwd: flags.workdir }),
        ...(flags.user === undefined ? {} : { user: flags.user }),
        stdin,
        stdout: io.stdout,
        stderr: io.stderr,
        tty,
        ...(stopTimeout === undefined ? {} : { stopTimeout }),
        ...(flags.stopSignal === undefined ? {} : { stopSignal: flags.stopSignal }),
        signal: stopped.signal,
        // The first stop signal went to the command (its grace period runs); the abort is the second: at once.
        abortMode: 'release',
        onCommandStart: async (command) => {
          await display.finish();
          forwardSignals(command);
          if (tty === false) return;
          terminal = attachTerminal(stdin, io.stdout, command);
        },
        build: {
          context,
          onStatus: display.onStatus,
          ...(flags.platform === undefined ? {} : { platform: flags.platform }),
          ...(flags.secret === undefined ? {} : { secrets: flags.secret }),
          ...(flags.cache === false ? { forceBuild: true } : {}),
          ...(lock === undefined ? {} : { lock }),
        },
      });
      if (result.exitCode !== 0) throw new CommandExit(result.exitCode);
    } finally {
      await display.finish();
      await client.close();
    }
  } catch (err) {
    throw stopped.cancelledBy(err);
  } finally {
    terminal?.detach();
    stopPassing();
    stopped.forward(undefined);
    stopped.stop();
    // Stop reading a pipe nobody forwards any more: it would keep kiln running.
    stdin?.destroy();
  }
}
