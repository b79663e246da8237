/**
 * Hearing one AbortSignal's abort in many places at once — every build of a service given the same shutdown signal —
 * through a single listener on it: Node warns of a possible memory leak (MaxListenersExceededWarning) past ten
 * listeners on one signal, although each build removes its own when it ends.
 *
 * Internal module.
 */

interface Fanout {
  readonly listeners: Set<() => void>;
  readonly fire: () => void;
}

const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Calls `listener` once when `signal` aborts (not if it has aborted already: check `signal.aborted` first). Returns
 * the function that stops listening; the signal itself is left with no listener of kiln's once none is left.
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let fanout = fanouts.get(signal);
  if (fanout === undefined) {
    const listeners = new Set<() => void>();
    const fire = (): void => {
      fanouts.delete(signal);
      for (const l of [...listeners]) l();
      listeners.clear();
    };
    fanout = { listeners, fire };
    fanouts.set(signal, fanout);
    signal.addEventListener('abort', fire, { once: true });
  }
  // Its own function each time: the same listener added twice is two subscriptions, as addEventListener would not have it.
  const once = (): void => listener();
  const current = fanout;
  current.listeners.add(once);
  return () => {
    if (!current.listeners.delete(once) || current.listeners.size > 0) return;
    if (fanouts.get(signal) === current) fanouts.delete(signal);
    signal.removeEventListener('abort', current.fire);
  };
}

/** A signal that aborts when any of `signals` does, with its reason, heard through {@link onAbort}. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Stops listening to the sources (call when the work it guards is done). */
  readonly dispose: () => void;
}

/**
 * One piece of work's own signal, aborted by any of `signals` (a caller's signal shared by many builds, a client's
 * close): what the work hands to Node's HTTP requests — one listener each — lands on this signal, and each shared
 * source keeps a single listener however many pieces of work use it at once.
 */
export function linkSignals(signals: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const stops: (() => void)[] = [];
  for (const s of signals) {
    if (s === undefined) continue;
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    stops.push(onAbort(s, () => controller.abort(s.reason)));
  }
  const dispose = (): void => {
    for (const stop of stops.splice(0)) stop();
  };
  if (controller.signal.aborted) dispose();
  return { signal: controller.signal, dispose };
}
