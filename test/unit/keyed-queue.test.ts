/**
 * KeyedQueue: the turns builds of one process take where they share something outside it (a Docker name, an export
 * directory).
 */
import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/keyed-queue.js';

/** A promise with its resolve function. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('KeyedQueue', () => {
  it('runs pieces under one key one after the other, in the order queued; other keys at once', async () => {
    const q = new KeyedQueue();
    const order: string[] = [];
    const first = gate();
    const a = q.run('k', async () => {
      order.push('a start');
      await first.promise;
      order.push('a end');
    });
    const b = q.run('k', async () => void order.push('b'));
    const other = q.run('other', async () => void order.push('other'));
    await other;
    expect(order).toEqual(['a start', 'other']);
    first.open();
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'other', 'a end', 'b']);
  });

  it('a piece that throws gives up its turn', async () => {
    const q = new KeyedQueue();
    await expect(q.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(q.run('k', async () => 'next')).resolves.toBe('next');
  });

  it('an aborted wait rejects cancelled without running, and the pieces after it still run in order', async () => {
    const q = new KeyedQueue();
    const first = gate();
    const ran: string[] = [];
    const a = q.run('k', async () => {
      await first.promise;
      ran.push('a');
    });
    const ac = new AbortController();
    const b = q.run('k', async () => void ran.push('b'), ac.signal);
    const c = q.run('k', async () => void ran.push('c'));
    ac.abort(new Error('superseded'));
    await expect(b).rejects.toMatchObject({ code: 'cancelled', cause: { message: 'superseded' } });
    expect(ran).toEqual([]);
    first.open();
    await Promise.all([a, c]);
    expect(ran).toEqual(['a', 'c']);
  });

  it('hold keeps the turn until it is let go', async () => {
    const q = new KeyedQueue();
    const ran: string[] = [];
    const release = await q.hold(['k']);
    const next = q.run('k', async () => void ran.push('next'));
    await new Promise((r) => setImmediate(r));
    expect(ran).toEqual([]);
    release();
    await next;
    expect(ran).toEqual(['next']);
  });

  it('runAll takes several keys in sorted order, so overlapping sets do not wait on each other forever', async () => {
    const q = new KeyedQueue();
    const ran: string[] = [];
    await Promise.all([q.runAll(['x', 'y'], async () => void ran.push('xy')), q.runAll(['y', 'x'], async () => void ran.push('yx'))]);
    expect(ran.sort()).toEqual(['xy', 'yx']);
  });
});
