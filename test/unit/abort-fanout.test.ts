import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from '../../src/abort-fanout.js';

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
