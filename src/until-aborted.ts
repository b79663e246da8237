/**
 * Waiting on something shared under one caller's AbortSignal: the caller stops waiting when its signal aborts, the
 * shared work goes on for the others.
 *
 * Internal module.
 */

import { onAbort } from './abort-fanout.js';

/** `promise`, or a rejection with `cancelled()` as soon as `signal` aborts (at once if it already has). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, cancelled: () => Error): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(cancelled()));
    promise.then(resolve, reject).finally(stop);
  });
}
