/**
 * The rebuild loop of a watch (`kiln build --watch`, {@link watchImage}): changes are gathered for a quiet moment
 * (an editor's save is several events), then one build runs with the paths that changed. A change while a build runs
 * cancels it and, once it has stopped, starts over after a quiet moment with everything that changed since the last
 * build began: the running build's result would be stale, and its finished steps stay in the daemon's cache, so the
 * new build continues from them. Never two builds at once.
 *
 * Pure: time comes from the injected timer functions, so the state machine is tested without waiting.
 */

/** Timer functions (setTimeout/clearTimeout by default; fakes in tests). */
export interface WatchTimers {
  readonly set: (fn: () => void, ms: number) => unknown;
  readonly clear: (handle: unknown) => void;
}

/** Options of {@link createWatchLoop}. */
export interface WatchLoopOptions {
  /** Runs one build for `changed` (empty for the first build); must stop soon after `signal` aborts. */
  readonly run: (changed: readonly string[], signal: AbortSignal) => Promise<void>;
  /** How long the changes must be quiet before a build starts (default 100 ms). */
  readonly debounceMs?: number | undefined;
  readonly timers?: WatchTimers | undefined;
  /** Told when a change cancels the running build (the paths that cancelled it). */
  readonly onCancel?: ((changed: readonly string[]) => void) | undefined;
}

/** A running watch loop. */
export interface WatchLoop {
  /** What the loop is doing now. */
  readonly state: 'idle' | 'waiting' | 'building' | 'cancelling' | 'stopped';
  /** Starts the first build now (no quiet moment). */
  start(): void;
  /** Paths that changed (absolute or as the watcher reports them); duplicates are merged. */
  changed(paths: readonly string[]): void;
  /** Cancels a running build and ends the loop; resolves once no build runs. */
  stop(): Promise<void>;
}

const DEFAULT_TIMERS: WatchTimers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/** The rebuild loop; nothing runs until {@link WatchLoop.start} or a change. */
export function createWatchLoop(options: WatchLoopOptions): WatchLoop {
  const debounceMs = options.debounceMs ?? 100;
  const timers = options.timers ?? DEFAULT_TIMERS;
  let state: WatchLoop['state'] = 'idle';
  let pending = new Set<string>();
  let timer: unknown;
  let running: { controller: AbortController; done: Promise<void> } | undefined;

  const runNow = (): void => {
    timer = undefined;
    const changed = [...pending];
    pending = new Set();
    const controller = new AbortController();
    state = 'building';
    // run reports its own failures; one that escapes must not stop the loop.
    const done = Promise.resolve()
      .then(() => options.run(changed, controller.signal))
      .catch(() => undefined)
      .then(() => {
        running = undefined;
        if (state === 'stopped') return;
        if (pending.size > 0) wait();
        else state = 'idle';
      });
    running = { controller, done };
  };
  const wait = (): void => {
    if (timer !== undefined) timers.clear(timer);
    state = 'waiting';
    timer = timers.set(runNow, debounceMs);
  };

  return {
    get state() {
      return state;
    },
    start() {
      if (state !== 'idle') return;
      runNow();
    },
    changed(paths) {
      if (state === 'stopped' || paths.length === 0) return;
      for (const p of paths) pending.add(p);
      if (state === 'building' && running !== undefined) {
        state = 'cancelling';
        options.onCancel?.(paths);
        running.controller.abort();
        return;
      }
      // Cancelling: the build's end schedules the next one. Idle or waiting: (re)start the quiet moment.
      if (state === 'idle' || state === 'waiting') wait();
    },
    async stop() {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      state = 'stopped';
      running?.controller.abort();
      await running?.done;
    },
  };
}
