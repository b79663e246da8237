import { describe, expect, it } from 'vitest';
import { createWatchLoop, type WatchTimers } from '../../src/image/watch-loop.js';

/** Timers that fire only when the test says so. */
function manualTimers(): WatchTimers & { fire(): void; readonly armed: number } {
  let next = 1;
  const pending = new Map<number, () => void>();
  return {
    set: (fn) => {
      const id = next++;
      pending.set(id, fn);
      return id;
    },
    clear: (h) => {
      pending.delete(h as number);
    },
    fire() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
    get armed() {
      return pending.size;
    },
  };
}

/** A build the test finishes by hand. */
function manualBuilds() {
  const runs: { changed: readonly string[]; signal: AbortSignal; finish: () => void }[] = [];
  const run = (changed: readonly string[], signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      runs.push({ changed, signal, finish: resolve });
    });
  return { runs, run };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('watch loop', () => {
  it('builds at once on start, then once per burst of changes after the quiet time', async () => {
    const timers = manualTimers();
    const { runs, run } = manualBuilds();
    const loop = createWatchLoop({ run, timers });
    loop.start();
    await settle();
    expect(runs.map((r) => r.changed)).toEqual([[]]);
    runs[0]!.finish();
    await settle();
    expect(loop.state).toBe('idle');
    // An editor's save: several events for the same file, and another file.
    loop.changed(['/c/app.py']);
    loop.changed(['/c/app.py', '/c/util.py']);
    loop.changed(['/c/app.py']);
    expect(loop.state).toBe('waiting');
    expect(timers.armed).toBe(1);
    expect(runs).toHaveLength(1);
    timers.fire();
    await settle();
    expect(runs.map((r) => r.changed)).toEqual([[], ['/c/app.py', '/c/util.py']]);
    runs[1]!.finish();
    await settle();
    expect(loop.state).toBe('idle');
    await loop.stop();
  });

  it('cancels the running build on a change and builds again with everything that changed, never two at once', async () => {
    const timers = manualTimers();
    const { runs, run } = manualBuilds();
    const cancelled: (readonly string[])[] = [];
    const loop = createWatchLoop({ run, timers, onCancel: (c) => cancelled.push(c) });
    loop.start();
    await settle();
    loop.changed(['/c/a']);
    expect(runs[0]!.signal.aborted).toBe(true);
    expect(cancelled).toEqual([['/c/a']]);
    expect(loop.state).toBe('cancelling');
    // More changes while the cancelled build winds down: no new build yet.
    loop.changed(['/c/b']);
    expect(runs).toHaveLength(1);
    await settle();
    expect(loop.state).toBe('waiting');
    timers.fire();
    await settle();
    expect(runs.map((r) => r.changed)).toEqual([[], ['/c/a', '/c/b']]);
    expect(runs[1]!.signal.aborted).toBe(false);
    runs[1]!.finish();
    await settle();
    expect(loop.state).toBe('idle');
  });

  it('goes on after a build that fails', async () => {
    const timers = manualTimers();
    let calls = 0;
    const loop = createWatchLoop({
      run: () => {
        calls++;
        return Promise.reject(new Error('step failed'));
      },
      timers,
    });
    loop.start();
    await settle();
    expect(loop.state).toBe('idle');
    loop.changed(['/c/fix']);
    timers.fire();
    await settle();
    expect(calls).toBe(2);
  });

  it('stop cancels the running build, clears a pending one and ignores later changes', async () => {
    const timers = manualTimers();
    const { runs, run } = manualBuilds();
    const loop = createWatchLoop({ run, timers });
    loop.start();
    await settle();
    await loop.stop();
    expect(runs[0]!.signal.aborted).toBe(true);
    expect(loop.state).toBe('stopped');
    loop.changed(['/c/late']);
    expect(timers.armed).toBe(0);
    expect(runs).toHaveLength(1);
  });
});
