/**
 * A connection made of a command's stdio: kiln writes to its stdin and reads its stdout, as buildctl's and the docker
 * CLI's connection helpers do with `buildctl dial-stdio` and `docker system dial-stdio`. The process lives as long as
 * the stream: destroying the stream kills it, and the stream's `close` event comes once the process has exited, so
 * whoever waits for it (closing a client) leaves no process behind. Its stderr is kept, and when it exits with a failure the stream fails
 * with a `helper_failed` error that carries it (`ssh: connect to host … Connection refused`, `buildctl: command not
 * found`) and says what to do.
 */
import { spawn } from 'node:child_process';
import { Duplex, type DuplexOptions } from 'node:stream';
import { KilnError } from '../errors.js';
import type { HelperCommand } from './connection-helper.js';
import { shellQuote } from './ssh-target.js';

/** The most of the command's stderr kept for the error (its last bytes: the reason is usually at the end). */
const STDERR_KEPT = 4096;

/** How long a command has to exit after SIGTERM when its stream is destroyed before it gets SIGKILL. */
const KILL_AFTER_MS = 2000;

/**
 * Starts the command and resolves with its stdio as one duplex stream once it runs; a command that cannot be started
 * rejects with `helper_failed`. `onStart` gets the cancel function for while the promise is pending (kills the process).
 */
export function openCommandStream(helper: HelperCommand, onStart: (cancel: () => void) => void = () => {}): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    const child = spawn(helper.command, [...helper.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    onStart(() => child.kill());
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-STDERR_KEPT);
    });
    child.once('error', (err: NodeJS.ErrnoException) => reject(startFailure(helper, err)));
    child.once('spawn', () => {
      // The exit status decides how the stream ends: its readable side ends (or fails, with the command's stderr) only
      // once the process is gone — 'close' comes after the exit and after stdio closed. A failing command must not
      // surface as a bare end of stream or as a "premature close" of its stdin, which can both come first.
      child.stdin.on('error', () => undefined);
      const duplex = new CommandStream({
        read() {
          child.stdout.resume();
        },
        write(chunk: Buffer, _encoding, callback) {
          duplex.active();
          if (!child.stdin.writable) {
            callback();
            return;
          }
          child.stdin.write(chunk, () => callback());
        },
        final(callback) {
          child.stdin.end();
          callback();
        },
        destroy(err, callback) {
          // 'close' only once the process is gone: SIGTERM, then SIGKILL for a command that ignores it.
          if (child.exitCode !== null || child.signalCode !== null) {
            callback(err);
            return;
          }
          const force = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
          child.once('exit', () => {
            clearTimeout(force);
            callback(err);
          });
          child.kill();
        },
      });
      child.stdout.on('data', (c: Buffer) => {
        duplex.active();
        if (!duplex.push(c)) child.stdout.pause();
      });
      child.once('close', (code, signal) => {
        if (code !== 0 && code !== null) duplex.destroy(exitFailure(helper, code, stderr));
        else if (signal !== null && !duplex.destroyed) duplex.destroy(exitFailure(helper, signal, stderr));
        else duplex.push(null);
      });
      resolve(duplex);
    });
  });
}

/**
 * The command's stdio as a stream that can stand in for a socket: `http` (the Docker API over ssh) calls a socket's
 * `setTimeout`, `setNoDelay` and `setKeepAlive`. The timeout is an idle timeout, as a socket's is.
 */
class CommandStream extends Duplex {
  #timer: NodeJS.Timeout | undefined;
  #idleMs = 0;
  #lastActive = Date.now();

  constructor(options: DuplexOptions) {
    super(options);
    this.once('close', () => {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
    });
  }

  /** Bytes went one way or the other: the idle timeout starts again. */
  active(): void {
    this.#lastActive = Date.now();
  }

  setTimeout(ms: number, onTimeout?: () => void): this {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#idleMs = ms;
    if (onTimeout !== undefined) this.once('timeout', onTimeout);
    if (ms > 0) this.#arm(ms);
    return this;
  }

  #arm(delay: number): void {
    this.#timer = setTimeout(() => {
      const idle = Date.now() - this.#lastActive;
      if (idle >= this.#idleMs) this.emit('timeout');
      else this.#arm(this.#idleMs - idle);
    }, delay);
    this.#timer.unref();
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }
}

/** The command line as a user would type it (to try it by hand). */
export function commandLine(helper: HelperCommand): string {
  return [helper.command, ...helper.args].map(shellQuote).join(' ');
}

function startFailure(helper: HelperCommand, err: NodeJS.ErrnoException): KilnError {
  const missing = err.code === 'ENOENT';
  return new KilnError('helper_failed', `cannot run ${helper.command}: ${missing ? 'it is not installed (not found on PATH)' : err.message}`, {
    cause: err,
    hint: missing ? `Install ${helper.localProgram} on this machine, or put it on the PATH kiln runs with.` : `Check that ${commandLine(helper)} runs from this shell.`,
    details: { command: commandLine(helper) },
  });
}

/**
 * The error for a command that exited with a failure. ssh exits 255 when it cannot connect or log in; a shell (and
 * `docker exec`, `podman exec`, `kubectl exec`) 127 when the program to run is not there.
 */
function exitFailure(helper: HelperCommand, status: number | NodeJS.Signals, stderr: string): KilnError {
  const said = stderr.trim();
  const how = typeof status === 'number' ? `exited ${status}` : `was killed by ${status}`;
  const line = commandLine(helper);
  let hint: string;
  if (status === 127) {
    hint =
      helper.remoteProgram === 'docker'
        ? `Install the docker CLI ${helper.where} (it runs \`docker system dial-stdio\` there, on the PATH of a non-interactive ssh session), or forward the Docker socket and use that.`
        : `Install buildctl (from BuildKit's release archive) ${helper.where}, on the PATH a non-interactive command gets there: kiln runs \`buildctl dial-stdio\` next to the daemon.`;
  } else if (status === 255 && helper.command === 'ssh') {
    hint = `ssh could not connect or log in: check that \`${line}\` works from this shell without asking anything (a key in ssh-agent or named in ~/.ssh/config, the host key in known_hosts).`;
  } else {
    hint = `Try the command by hand to see what fails: ${line}`;
  }
  return new KilnError('helper_failed', `${helper.command} ${how}${said === '' ? '' : `: ${said}`}`, {
    hint,
    details: { command: line, ...(typeof status === 'number' ? { exitCode: status } : { signal: status }), stderr: said },
  });
}
