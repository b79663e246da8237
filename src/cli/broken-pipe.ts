/**
 * A reader of kiln's output that stops early (`kiln info | head`, `kiln build … 2>&1 | head -1`) closes the pipe, and a
 * terminal that was closed fails every later write with EIO. kiln then ends as a Unix tool killed by SIGPIPE does
 * (status 141) — but a command that has something to undo (a build: cancel it on the daemon, remove a half-written
 * export) is told first, as on SIGTERM, and ends once it has.
 */
import { EXIT } from './report-error.js';

/** The process event a command listens to (as to SIGINT/SIGTERM) to hear that its output's reader went away. */
export const BROKEN_PIPE_EVENT = 'kiln:broken-pipe';

/** How long a command that was told may take to clean up before kiln exits anyway. */
const CLEANUP_MS = 10_000;

/**
 * Whether a write error means nobody reads kiln's output any more: EPIPE (the pipe's reader exited) or EIO (the
 * terminal was closed: after SIGHUP every write to it fails so).
 */
export function isLostOutput(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EPIPE' || err.code === 'EIO';
}

/** Handles a lost output (see {@link isLostOutput}) on `streams` for the life of the process; other stream errors are thrown as before. */
export function exitOnBrokenPipe(streams: readonly NodeJS.WritableStream[]): void {
  let seen = false;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (!isLostOutput(err)) throw err;
    // Every write after the first fails the same way while the command cleans up.
    if (seen) return;
    seen = true;
    if (process.listenerCount(BROKEN_PIPE_EVENT) === 0) {
      process.exit(process.exitCode ?? EXIT.brokenPipe);
    }
    process.emit(BROKEN_PIPE_EVENT as 'SIGPIPE', 'SIGPIPE');
    setTimeout(() => process.exit(process.exitCode ?? EXIT.brokenPipe), CLEANUP_MS).unref();
  };
  for (const stream of streams) stream.on('error', onError);
}
