/**
 * Reads a build's status stream (`Control.Status`) one message at a time, handing each to a consumer whose promise is
 * awaited before the next message is read: a slow consumer slows the stream (gRPC flow control holds the rest on the
 * daemon's side) instead of losing messages or buffering them without bound.
 */

/** How a {@link StatusReader.drain} ended. */
export type DrainResult =
  /** The daemon closed the stream: everything it sent was handled. */
  | 'ended'
  /** The daemon sent nothing for the idle time while the reader waited for it, and never closed the stream. */
  | 'silent'
  /** The daemon kept sending, without closing the stream, for longer in all than the reader would wait for it. */
  | 'endless'
  /** The signal aborted first. */
  | 'aborted';

/** A running reader of one status stream. */
export interface StatusReader {
  /** True once the daemon closed the stream normally (not cancelled, not failed) and every message was handled. */
  readonly complete: boolean;
  /**
   * Reads on until the daemon closes the stream: time spent in the consumer never counts. Gives up, and stops the
   * reader, when the daemon sends nothing for `idleMs` while the reader is waiting for it (`silent`), when the
   * reader has waited for the daemon `maxWaitMs` in all (`endless`: a daemon trickling messages forever), or when
   * `signal` aborts. Resolves once the reader no longer calls the consumer — for `ended`, `silent` and `endless`
   * once it has stopped altogether.
   */
  drain(idleMs: number, signal: AbortSignal, maxWaitMs?: number): Promise<DrainResult>;
  /**
   * Resolves when the stream ends by itself or within `ms`, whichever is first; the reader keeps running either
   * way. For the last messages of a cancelled build, which must not hold up the cancellation.
   */
  settle(ms: number): Promise<void>;
  /**
   * Stops reading: no message is handed to the consumer after this call (one it is handling already is not waited
   * for) and the stream is cancelled.
   */
  stop(): void;
}

/** What {@link readStatus} reads: a grpc-js server stream (an object-mode Readable) and the means to cancel it. */
export interface StatusSource<T> extends AsyncIterable<T> {
  cancel(): void;
}

/**
 * Starts reading `source`, handing every message to `consume` in order. A consumer that throws or rejects ends the
 * reading: handle its errors inside `consume` to keep reading.
 */
export function readStatus<T>(source: StatusSource<T>, consume: (message: T) => unknown): StatusReader {
  let stopped = false;
  let complete = false;
  /** The reader is waiting for the daemon's next message (not for the consumer). */
  let waiting = false;
  /** Set while a drain runs: called whenever the reader starts or stops waiting for the daemon. */
  let onWaitingChange: (() => void) | undefined;
  const setWaiting = (value: boolean): void => {
    waiting = value;
    onWaitingChange?.();
  };

  const iterator = source[Symbol.asyncIterator]();
  const ended = (async () => {
    try {
      for (;;) {
        setWaiting(true);
        const next = await iterator.next();
        setWaiting(false);
        if (stopped) break;
        if (next.done === true) {
          complete = true;
          break;
        }
        await consume(next.value);
        if (stopped) break;
      }
    } catch {
      // The stream failed or was cancelled (by us, or with the daemon's connection): what arrived was handled.
    } finally {
      setWaiting(false);
    }
  })();

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    source.cancel();
  };

  return {
    get complete() {
      return complete;
    },
    stop,
    async settle(ms) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
      clearTimeout(timer);
    },
    drain(idleMs, signal, maxWaitMs = Infinity) {
      return new Promise<DrainResult>((resolve) => {
        let idle: NodeJS.Timeout | undefined;
        let settled = false;
        /** Time spent waiting for the daemon in this drain, up to the current wait. */
        let waited = 0;
        let waitingSince: number | undefined;
        const finish = (result: DrainResult): void => {
          if (settled) return;
          settled = true;
          clearTimeout(idle);
          onWaitingChange = undefined;
          signal.removeEventListener('abort', onAbort);
          if (result === 'ended') {
            resolve(result);
            return;
          }
          stop();
          // Silent, endless: the reader is waiting for the daemon, and the cancel ends that wait at once. Aborted: the
          // consumer may be busy; nothing more is handed to it, and it is not waited for.
          if (result === 'aborted') resolve(result);
          else void ended.then(() => resolve(result));
        };
        const onAbort = (): void => finish('aborted');
        onWaitingChange = () => {
          clearTimeout(idle);
          const now = Date.now();
          if (waitingSince !== undefined) waited += now - waitingSince;
          waitingSince = waiting ? now : undefined;
          if (!waiting) return;
          const left = maxWaitMs - waited;
          if (left <= 0) finish('endless');
          else if (left < idleMs) idle = setTimeout(() => finish('endless'), left);
          else idle = setTimeout(() => finish('silent'), idleMs);
        };
        if (signal.aborted) {
          finish('aborted');
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
        void ended.then(() => finish('ended'));
        onWaitingChange();
      });
    },
  };
}
