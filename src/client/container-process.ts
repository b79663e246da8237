/**
 * One process in a gateway container, over the `LLBBridge.ExecProcess` stream: the `Init` message, then the daemon's
 * `Started`, output chunks (`File` fd 1 and 2), `Exit` (the exit code) and `Done` (every output closed); stdin goes
 * the other way as `File` fd 0 chunks and an EOF. Backpressure both ways: a stdout or stderr that is full pauses the
 * stream (the daemon then holds the process's output), a stream that is full pauses stdin.
 *
 * Internal module: the gRPC stream is given as an {@link ExecChannel}, so that tests can drive the protocol in memory.
 */
import type { Readable } from 'node:stream';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import type { moby } from '../proto/generated.js';
import type { ProcessExit, ProcessIO, ProcessSpec } from './process-spec.js';
import type { ProcessControl } from './process-control.js';
import { grpcCode } from './grpc-errors.js';

export type { ProcessExit, ProcessIO, ProcessSpec } from './process-spec.js';

/** An ExecProcess message, as kiln writes it and as it reads it. */
export type ExecMessageShape = moby.buildkit.v1.frontend.ExecMessage.$Properties;

/** The bidi stream a process runs over (a grpc-js `ClientDuplexStream` fits). */
export interface ExecChannel {
  write(message: ExecMessageShape): boolean;
  end(): void;
  cancel(): void;
  pause(): unknown;
  resume(): unknown;
  on(event: 'data', listener: (message: ExecMessageShape) => void): unknown;
  on(event: 'end' | 'drain', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: 'data', listener: (message: ExecMessageShape) => void): unknown;
  removeListener(event: 'end' | 'drain', listener: () => void): unknown;
  removeListener(event: 'error', listener: (err: Error) => void): unknown;
}

/** Largest chunk of stdin sent in one message (the daemon accepts 4 MiB messages). */
const STDIN_CHUNK = 256 * 1024;

/**
 * Runs the process `processId` in container `containerId` over `channel` and resolves with its exit once the daemon
 * says it is done (its output delivered to `io`). Rejects with a `protocol` KilnError when the daemon ends the stream
 * before the process exited, `cancelled` when `signal` aborts (the stream is cancelled; releasing the container, which
 * stops the process, is the caller's). The channel is ended or cancelled when this settles.
 *
 * `control`, when given, is attached once the daemon says `Started`: its size (a `Resize` message) goes out before any
 * stdin, its later resizes and signals (`Signal` messages) as they come, until the process exits.
 */
export function runContainerProcess(
  channel: ExecChannel,
  containerId: string,
  processId: string,
  spec: ProcessSpec,
  io: ProcessIO,
  signal?: AbortSignal,
  control?: ProcessControl,
): Promise<ProcessExit> {
  return new Promise<ProcessExit>((resolve, reject) => {
    let settled = false;
    let started = false;
    let exit: ProcessExit | undefined;
    /** Outputs that are full: the stream stays paused until each has drained. */
    let fullOutputs = 0;
    let stopStdin: () => void = () => {};
    /** Whether fd 0's EOF was sent (a daemon holds `Done` back until its stdin is closed, with a tty at least). */
    let stdinClosed = false;

    const cleanup = (): void => {
      channel.removeListener('data', onData);
      channel.removeListener('end', onEnd);
      channel.removeListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      stopStdin();
      control?.detach();
    };
    const succeed = (value: ProcessExit): void => {
      if (settled) return;
      settled = true;
      cleanup();
      channel.end();
      resolve(value);
    };
    const fail = (err: KilnError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      channel.cancel();
      // A stream cancelled by kiln reports CANCELLED: nobody listens any more, and an unheard 'error' would throw.
      channel.on('error', () => {});
      reject(err);
    };

    const startStdin = (stdin: Readable): void => {
      let waitingForDrain = false;
      const onDrain = (): void => {
        waitingForDrain = false;
        stdin.resume();
      };
      const send = (data: Buffer): boolean => channel.write({ ProcessID: processId, File: { Fd: 0, Data: data } });
      const onStdinData = (chunk: Buffer | string): void => {
        if (settled || exit !== undefined) return;
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        let ok = true;
        for (let at = 0; at < bytes.length; at += STDIN_CHUNK) ok = send(bytes.subarray(at, at + STDIN_CHUNK)) && ok;
        if (!ok && !waitingForDrain) {
          waitingForDrain = true;
          stdin.pause();
          channel.on('drain', onDrain);
        }
      };
      const onStdinEnd = (): void => {
        if (settled || exit !== undefined || stdinClosed) return;
        stdinClosed = true;
        channel.write({ ProcessID: processId, File: { Fd: 0, EOF: true } });
      };
      const onStdinError = (err: Error): void => {
        fail(new KilnError('io', `reading the command's stdin failed: ${err.message}`, { cause: err }));
      };
      stdin.on('data', onStdinData);
      stdin.once('end', onStdinEnd);
      stdin.once('error', onStdinError);
      stopStdin = () => {
        stdin.removeListener('data', onStdinData);
        stdin.removeListener('end', onStdinEnd);
        stdin.removeListener('error', onStdinError);
        channel.removeListener('drain', onDrain);
        // Left flowing, a terminal or pipe would keep reading (and the process alive) for nobody.
        stdin.pause();
      };
    };

    /** Stops forwarding stdin and sends its end (once, to a started process that has stdin). */
    const closeStdin = (): void => {
      stopStdin();
      if (started && io.stdin !== undefined && !stdinClosed) {
        stdinClosed = true;
        channel.write({ ProcessID: processId, File: { Fd: 0, EOF: true } });
      }
    };

    const onData = (message: ExecMessageShape): void => {
      if (settled || message.ProcessID !== processId) return;
      if (message.Started != null) {
        if (started) return;
        started = true;
        control?.attach({
          resize: (size) => {
            if (!settled && exit === undefined) channel.write({ ProcessID: processId, Resize: { Cols: size.columns, Rows: size.rows } });
          },
          signal: (name) => {
            if (settled || exit !== undefined) return;
            channel.write({ ProcessID: processId, Signal: { Name: name } });
            // A killed process reads nothing more; and BuildKit (v0.13 at least, until moby/buildkit#6815) reports the
            // exit of a process without a terminal only once its stdin has ended: a pipe left open would hide it.
            if (name === 'KILL') closeStdin();
          },
        });
        if (io.stdin !== undefined) startStdin(io.stdin);
        return;
      }
      if (message.File != null) {
        const fd = message.File.Fd ?? 0;
        const data = message.File.Data;
        if (data == null || data.length === 0) return;
        const out = fd === 1 ? io.stdout : fd === 2 ? io.stderr : undefined;
        if (out === undefined) {
          fail(new KilnError('protocol', `the daemon sent output for file descriptor ${fd}, which kiln did not open`));
          return;
        }
        if (!out.write(data)) {
          fullOutputs++;
          if (fullOutputs === 1) channel.pause();
          out.once('drain', () => {
            fullOutputs--;
            if (fullOutputs === 0 && !settled) channel.resume();
          });
        }
        return;
      }
      if (message.Exit != null) {
        const text = message.Exit.Error?.message ?? '';
        exit = { exitCode: message.Exit.Code ?? 0, ...(text === '' ? {} : { daemonError: text }) };
        // The process is gone: nothing more to send it (and a stop that killed it is told so). Its stdin is closed, or
        // BuildKit (v0.13 with a tty) would wait for that before saying Done (a terminal as stdin never ends by itself).
        control?.detach(exit.exitCode);
        closeStdin();
        return;
      }
      if (message.Done != null) {
        if (exit === undefined) {
          fail(new KilnError('protocol', 'the daemon said the command was done without saying how it exited'));
          return;
        }
        succeed(exit);
      }
    };
    const onEnd = (): void => {
      // Exited, and the stream ended before the daemon's Done: the output so far is all there is.
      if (exit !== undefined) succeed(exit);
      else fail(new KilnError('protocol', `the daemon ended the process stream before the command ${started ? 'exited' : 'started'}`));
    };
    const onError = (err: Error): void => {
      if (exit !== undefined) {
        succeed(exit);
        return;
      }
      const kind = grpcCode(err) === GrpcStatus.UNAVAILABLE ? 'unavailable' : 'build_failed';
      fail(new KilnError(kind, `the daemon could not run the command ${JSON.stringify(spec.args.join(' '))}: ${err.message}`, { cause: err }));
    };
    const onAbort = (): void => {
      fail(new KilnError('cancelled', 'the command was cancelled', { cause: signal?.reason }));
    };

    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    channel.on('data', onData);
    channel.on('end', onEnd);
    channel.on('error', onError);
    channel.write({
      ProcessID: processId,
      Init: {
        ContainerID: containerId,
        Meta: { args: [...spec.args], env: [...spec.env], cwd: spec.cwd, user: spec.user },
        Fds: io.stdin === undefined ? [1, 2] : [0, 1, 2],
        Tty: spec.tty,
      },
    });
  });
}
