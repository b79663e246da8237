/**
 * Waiting for a stream's end of life. A helper command's stream (command-stream.ts) emits `close` only once its
 * process has exited, so waiting for it is how closing a connection leaves no process behind.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Resolves once `stream` has emitted `close` (at once if it already has). Never rejects. */
export function streamClosed(stream: Duplex | Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    if (stream.closed) resolve();
    else stream.once('close', () => resolve());
  });
}
