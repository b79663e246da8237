import { describe, expect, it } from 'vitest';
import { TRANSFER_PROGRESS_INTERVAL_MS, transferProgress } from '../../src/client/transfer-progress.js';
import type { StatusEvent } from '../../src/progress/events.js';
import { INITIAL_PROGRESS_STATE, reduce, summarize } from '../../src/progress/model.js';

describe('transferProgress', () => {
  it('reports a counter at most every interval, then its final count as the total, and completes the step', () => {
    let t = 1000;
    const events: StatusEvent[] = [];
    const step = transferProgress('[kiln] receiving the tar tarball into out.tar', (e) => events.push(e), () => t);
    const received = step.counter('received', 'received');
    for (let i = 0; i < 100; i++) received.add(1000); // one burst: one report
    expect(events.map((e) => e.statuses.map((s) => s.current))).toEqual([[1000]]);
    t += TRANSFER_PROGRESS_INTERVAL_MS;
    received.add(500);
    expect(events.at(-1)?.statuses).toEqual([{ id: 'received', vertex: events[0]!.vertexes[0]!.digest, name: 'received', current: 100_500, total: 0, timestamp: t, started: 1000 }]);
    t += 10;
    received.done();
    step.done();
    expect(events.at(-2)?.statuses[0]).toMatchObject({ current: 100_500, total: 100_500, completed: t });
    expect(events.at(-1)?.vertexes[0]).toMatchObject({ name: '[kiln] receiving the tar tarball into out.tar', started: 1000, completed: t });
    // The step is kiln's own note: not counted among the build's steps.
    const state = events.reduce((s, e) => reduce(s, e), INITIAL_PROGRESS_STATE);
    expect([...state.steps.values()].map((v) => v.name)).toEqual(['[kiln] receiving the tar tarball into out.tar']);
    expect(summarize(state)).toMatchObject({ steps: 0 });
  });

  it('a display that throws or rejects does not stop the transfer', () => {
    const step = transferProgress('x', () => Promise.reject(new Error('display gone')));
    const c = step.counter('received', 'received');
    expect(() => (c.add(1), c.done(), step.done())).not.toThrow();
    const throwing = transferProgress('y', () => {
      throw new Error('display gone');
    });
    expect(() => throwing.counter('a', 'a').add(1)).not.toThrow();
  });
});
