import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkSignals, onAbort } from '../../src/abort-fanout.js';

describe('onAbort: many listeners on one signal through one', () => {
  it('fifty listeners put one listener on the signal, each is called once on abort, and none is left after', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 50; i++) onAbort(controller.signal, () => calls.push(i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(calls).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('the signal is left with no listener once every one has stopped, and a stopped one is not called', () => {
    const controller = new AbortController();
    let called = 0;
    const stops = [1, 2, 3].map(() => onAbort(controller.signal, () => called++));
    stops[0]!();
    stops[0]!();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    stops[1]!();
    stops[2]!();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const stop = onAbort(controller.signal, () => (called += 10));
    controller.abort();
    stop();
    expect(called).toBe(10);
  });

  it('the same function given twice is called twice', () => {
    const controller = new AbortController();
    let called = 0;
    const listener = (): void => {
      called++;
    };
    onAbort(controller.signal, listener);
    onAbort(controller.signal, listener);
    controller.abort();
    expect(called).toBe(2);
  });
});

describe('linkSignals: one signal of its own for a piece of work, aborted by any source', () => {
  it('aborts with the reason of the source that aborted, hearing each source through one listener, and leaves none once disposed', () => {
    const shared = new AbortController();
    const close = new AbortController();
    const links = Array.from({ length: 15 }, () => linkSignals([shared.signal, close.signal, undefined]));
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    close.abort(new Error('closed'));
    expect(links.map((l) => [l.signal.aborted, (l.signal.reason as Error).message])).toEqual(Array.from({ length: 15 }, () => [true, 'closed']));
    for (const l of links) l.dispose();
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(close.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted from the start when a source already is, with its reason', () => {
    const done = new AbortController();
    done.abort(new Error('too late'));
    const other = new AbortController();
    const link = linkSignals([other.signal, done.signal]);
    expect((link.signal.reason as Error).message).toBe('too late');
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    link.dispose();
  });
});
