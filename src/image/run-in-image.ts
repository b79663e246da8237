/**
 * `runInImage`: builds an `Image` on the daemon (no export) and runs one command in a container made from the result,
 * through the gateway's interactive containers: what `docker run` does with an image, for a machine that has a
 * BuildKit daemon and no Docker. The image config applies as in `docker run`: its Env, WorkingDir and User, and
 * Entrypoint + Cmd when no command is given.
 */
import type { Readable, Writable } from 'node:stream';
import { mergeEnv, type ProcessExit } from '../client/process-spec.js';
import {
  GATEWAY_EXEC_SIGNALS_CAP,
  ProcessControl,
  TTY_OPTION_RULE,
  isTtyOption,
  parseProcessSignal,
  readStopOptions,
  stopSignalUnsupported,
  type AbortMode,
  type ProcessSignal,
  type RunningProcess,
  type TerminalSize,
} from '../client/process-control.js';
import type { Client } from '../client/client.js';
import { KilnError, invalidArgument } from '../errors.js';
import { commandNotRunExitCode, ROOT_USER } from './command-not-run.js';
import { resolveImageUser } from './image-user.js';
import { buildImageWith, type BuildImageCommonOptions, type BuiltImage } from './build-image.js';
import type { Image } from './image.js';
import type { PlatformInput } from '../llb/platform.js';

/** How the image is built before the command runs: {@link buildImage}'s options, without an export. */
export type RunInImageBuildOptions = Omit<BuildImageCommonOptions, 'signal' | 'tags' | 'docker' | 'attestations' | 'cacheExports'> & {
  /** Platform to build and run (default: the daemon's). */
  readonly platform?: PlatformInput | undefined;
};

/** Options of {@link runInImage}. */
export interface RunInImageOptions {
  /** The command (argv). Default: the image's Entrypoint followed by its Cmd, as `docker run` without a command. */
  readonly args?: readonly string[] | undefined;
  /** Variables set for the command on top of the image config's Env (a variable given here wins). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Working directory (default: the image config's WorkingDir, else `/`). */
  readonly cwd?: string | undefined;
  /** User to run as: `name`, `uid` or `uid:gid` (default: the image config's User, else root). */
  readonly user?: string | undefined;
  /** Sent to the command's stdin, then end of file; without it the command has no stdin. */
  readonly stdin?: Readable | undefined;
  /** Where the command's stdout goes (default: this process's stdout); a full stream pauses the command's output. */
  readonly stdout?: Writable | undefined;
  /** Where the command's stderr goes (default: this process's stderr); with a tty, none: all output is on stdout. */
  readonly stderr?: Writable | undefined;
  /**
   * Give the command a terminal (`docker run -t`): `true`, or its size in cells (what `stty size` then prints in the
   * container). Its stdout and stderr then arrive together on `stdout`, with the terminal's line endings (`\r\n`).
   * Later sizes go through {@link RunningProcess.resize}.
   */
  readonly tty?: boolean | TerminalSize | undefined;
  /**
   * Seconds the command has to exit after {@link RunningProcess.stop} before it is killed (`docker run --stop-timeout`):
   * default 10; 0 kills at once, -1 never. Only where the daemon can signal (BuildKit v0.10+).
   */
  readonly stopTimeout?: number | undefined;
  /**
   * The signal {@link RunningProcess.stop} (and an abort, see {@link abortMode}) sends first (`docker run
   * --stop-signal`): `SIGQUIT`, `QUIT`, `3`, `SIGRTMIN+3`. Default: the image's `StopSignal` (Dockerfile `STOPSIGNAL`), else `TERM`.
   * A daemon that cannot signal (BuildKit v0.8) fails the run as `unsupported` before the command starts.
   */
  readonly stopSignal?: ProcessSignal | string | undefined;
  /**
   * Stops the build, or the command, and rejects as `cancelled` once the container is released. See
   * {@link abortMode} for how a running command is stopped.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * What an abort of {@link signal} does to a running command: `'stop'` (default) as `docker stop` — the stop signal,
   * then `KILL` if it has not exited after {@link stopTimeout} — where the daemon can signal (BuildKit v0.10+), then
   * the container is released; `'release'` releases the container at once (its processes are killed), as an abort
   * always does on BuildKit v0.8 and before the command has started.
   */
  readonly abortMode?: AbortMode | undefined;
  /** How the image is built. */
  readonly build?: RunInImageBuildOptions | undefined;
  /**
   * Called once the image is built, just before the command starts (e.g. to end a progress display), with the command
   * to resize its terminal and send it signals while it runs.
   */
  readonly onCommandStart?: ((process: RunningProcess) => unknown) | undefined;
}

/** What {@link runInImage} reports. */
export interface RunInImageResult extends ProcessExit {
  /** The build the command ran in (config, compilation, progress); nothing was exported. */
  readonly built: BuiltImage;
}

/**
 * Builds `image` and runs a command in it on the daemon; resolves with the command's exit code once it has ended and
 * its output was written (a non-zero exit is a result, not an error). The container's filesystem is a writable copy
 * of the image that is discarded afterwards. Fails as `build_failed` when the build fails, `unsupported` on a daemon
 * without interactive containers (capability `gateway.exec`, BuildKit v0.8+), `cancelled` on `signal`.
 *
 * @example
 * const { exitCode } = await runInImage(client, image, { args: ['python', '-c', 'import torch'] });
 */
export async function runInImage(client: Client, image: Image, options: RunInImageOptions = {}): Promise<RunInImageResult> {
  if (options.args !== undefined && (!Array.isArray(options.args) || options.args.some((a) => typeof a !== 'string'))) {
    throw invalidArgument('options.args must be an array of strings (the command and its arguments)', runInImage);
  }
  for (const key of Object.keys(options.env ?? {})) {
    if (key === '' || key.includes('=')) throw invalidArgument(`options.env has the name ${JSON.stringify(key)}: a variable name is not empty and has no "="`, runInImage);
  }
  const tty = options.tty;
  if (!isTtyOption(tty)) throw invalidArgument(TTY_OPTION_RULE, runInImage);
  const { stopTimeout, stopSignal, abortMode } = readStopOptions(options, (message) => {
    throw invalidArgument(message, runInImage);
  });
  const signal = options.signal;
  if (signal?.aborted === true) throw new KilnError('cancelled', 'the run was cancelled', { cause: signal.reason });
  // The build hears of a cancellation only once the container is released: cancelling the build first would drop the
  // gateway before the release, and BuildKit v0.8 keeps an unreleased container (and its process) running.
  const buildStop = new AbortController();
  let inCommand = false;
  const onAbort = (): void => {
    if (!inCommand) buildStop.abort(signal?.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let exit: ProcessExit | undefined;
  try {
    const built = await buildImageWith(
      client,
      image,
      { ...(options.build ?? {}), tags: [], signal: buildStop.signal },
      async (gw, ref, compiled) => {
        const config = compiled.config.config ?? {};
        const args = options.args !== undefined && options.args.length > 0 ? options.args : [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
        if (args.length === 0) {
          throw new KilnError('invalid_argument', 'no command to run: none was given, and the image has no Entrypoint or Cmd', {
            hint: 'Give one (kiln run image.ts -- sh -c "…"), or set the image\'s command (.cmd([…]) or .entrypoint([…])).',
          });
        }
        const canSignal = gw.frontendCaps.has(GATEWAY_EXEC_SIGNALS_CAP);
        if (stopSignal !== undefined && !canSignal) throw stopSignalUnsupported(stopSignal);
        inCommand = true;
        // The image's STOPSIGNAL (any Linux signal: SIGRTMIN+3 too); one that is none leaves stop() at TERM.
        const imageStopSignal = config.StopSignal === undefined ? undefined : parseProcessSignal(config.StopSignal);
        const control = new ProcessControl(canSignal, typeof tty === 'object' ? tty : undefined, stopTimeout, stopSignal ?? imageStopSignal);
        try {
          await options.onCommandStart?.(control);
          const spec = {
            args,
            env: mergeEnv(config.Env ?? [], options.env ?? {}),
            cwd: options.cwd ?? (config.WorkingDir === undefined || config.WorkingDir === '' ? '/' : config.WorkingDir),
            user: options.user ?? config.User ?? '',
            tty: tty !== undefined && tty !== false,
          };
          // An abort stops the running command as abortMode says (gateway-container.ts), and rejects once its
          // container is released.
          exit = await gw.runProcess(ref, spec, { stdin: options.stdin, stdout: options.stdout ?? process.stdout, stderr: options.stderr ?? process.stderr }, signal, control, { abortMode });
          // The daemon says 1 for a command it could not start too: docker run's 127 / 126 where that is what happened.
          if (exit.exitCode === 1) {
            const inImage = async <T>(look: () => Promise<T>): Promise<T | undefined> =>
              look().catch((err: unknown) => {
                if (KilnError.is(err, 'not_found')) return undefined;
                throw err;
              });
            const readText = (path: string): Promise<string | undefined> =>
              // A file the daemon cannot read (none there) is an empty one: a name then resolves to no one.
              gw.readFile(ref, path).then(
                (data) => new TextDecoder().decode(data),
                () => undefined,
              );
            const user = await resolveImageUser(spec.user, readText);
            const notRun = await commandNotRunExitCode(args[0] ?? '', spec.env, spec.cwd, (path) => inImage(() => gw.statFile(ref, path)), user ?? ROOT_USER);
            if (notRun !== undefined) exit = { ...exit, exitCode: notRun };
            // An abort while kiln looked: the run was cancelled all the same.
            if (aborted(signal)) throw new KilnError('cancelled', 'the run was cancelled', { cause: signal?.reason });
          }
        } catch (err) {
          // Released by now: the build may go (and reports the cancellation).
          if (aborted(signal)) buildStop.abort(signal?.reason);
          throw err;
        } finally {
          inCommand = false;
        }
      },
    );
    if (exit === undefined) throw new KilnError('internal', 'the build ended without running the command');
    return { ...exit, built };
  } catch (err) {
    if (aborted(signal) && KilnError.is(err, 'cancelled')) throw new KilnError('cancelled', 'the run was cancelled', { cause: signal?.reason });
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Whether `signal` has aborted (a function: TypeScript would keep the narrowing of an earlier check). */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
