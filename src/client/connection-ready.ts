import { connectivityState as State, type Client as GrpcClient } from '@grpc/grpc-js';

/**
 * Waits, at most `maxMs`, for the connection to the daemon to be usable before a build makes its first calls.
 *
 * After the daemon went away and came back (a restart), grpc-js keeps the connection in reconnect backoff for a
 * while: calls made then fail at once with the failure of the last attempt, although the daemon answers again. This
 * waits for the next attempt instead. It returns as soon as the connection is ready, when an attempt it saw start
 * has failed (nothing answers: the calls then fail as they would have, naming the reason), when `signal` aborts, or
 * after `maxMs`. It never throws; the calls that follow report what is wrong.
 */
export async function connectionReady(grpc: GrpcClient, maxMs: number, signal: AbortSignal): Promise<void> {
  let channel: ReturnType<GrpcClient['getChannel']>;
  try {
    channel = grpc.getChannel();
  } catch {
    return;
  }
  const deadline = Date.now() + maxMs;
  let attempted = false;
  for (;;) {
    let state: State;
    try {
      // `true`: an idle connection starts connecting.
      state = channel.getConnectivityState(true);
    } catch {
      return;
    }
    if (state === State.READY || state === State.SHUTDOWN) return;
    if (state === State.CONNECTING) attempted = true;
    else if (state === State.TRANSIENT_FAILURE && attempted) return;
    if (signal.aborted || Date.now() >= deadline) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      try {
        channel.watchConnectivityState(state, deadline, done);
      } catch {
        done();
      }
    });
  }
}
