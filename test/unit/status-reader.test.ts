/**
 * Reading the rest of a build's status stream after Solve returned, against daemons that do not end it: one that
 * goes quiet, and one that keeps trickling messages forever (each soon after the last, so it is never quiet).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readStatus, type StatusSource } from '../../src/client/status-reader.js';

/** A status stream sending `count` messages (`Infinity`: forever) `everyMs` apart, then nothing until cancelled. */
function stream(count: number, everyMs: number): StatusSource<number> & { cancelled: () => boolean } {
  let cancelled = false;
  let wake: (() => void) | undefined;
  return {
    cancelled: () => cancelled,
    cancel() {
      cancelled = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < count; i++) {
        await sleep(everyMs);
        if (cancelled) throw new Error('cancelled');
        yield i;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      throw new Error('cancelled');
    },
  };
}

describe('StatusReader.drain', () => {
  it('gives up on a daemon that never stops sending, and hands nothing to the consumer afterwards', async () => {
    const source = stream(Infinity, 2);
    const seen: number[] = [];
    const reader = readStatus(source, (n) => seen.push(n));
    const result = await reader.drain(60_000, new AbortController().signal, 100);
    const count = seen.length;
    expect(result).toBe('endless');
    expect(count).toBeGreaterThan(0);
    expect(source.cancelled()).toBe(true);
    expect(reader.complete).toBe(false);
    await sleep(20);
    expect(seen.length).toBe(count);
  });

  it('still reports a daemon that stops sending without closing the stream as silent', async () => {
    const source = stream(3, 1);
    const seen: number[] = [];
    const reader = readStatus(source, (n) => seen.push(n));
    expect(await reader.drain(200, new AbortController().signal, 60_000)).toBe('silent');
    expect(seen).toEqual([0, 1, 2]);
    expect(source.cancelled()).toBe(true);
  });

  it('does not count the consumer\'s time against the daemon', async () => {
    const source = stream(5, 1);
    const seen: number[] = [];
    const reader = readStatus(source, async (n) => {
      seen.push(n);
      await sleep(300);
    });
    // The consumer takes 1.5 s in all; the daemon is waited for a few ms, then the 250 ms of silence: within 1 s.
    expect(await reader.drain(250, new AbortController().signal, 1000)).toBe('silent');
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});
