/**
 * `toStatusEvent`: a daemon's `StatusResponse` as kiln's progress event — every field a renderer shows (step names,
 * cached, times, errors, progress groups, pull/push counters, log streams, warnings) carried over, and what the daemon
 * leaves out left out (not turned into zeros a renderer would show as "finished at 1970").
 */
import { describe, expect, it } from 'vitest';
import { timestampToMs, toStatusEvent } from '../../src/client/status-mapper.js';
import { moby } from '../../src/proto/generated.js';

const T = { seconds: 1_717_171_717, nanos: 250_000_000 };
const MS = 1_717_171_717_250;

describe('timestampToMs', () => {
  it('is epoch milliseconds with the sub-millisecond fraction, undefined when absent', () => {
    expect(timestampToMs(T)).toBe(MS);
    expect(timestampToMs({ seconds: 1, nanos: 1_500 })).toBe(1000.0015);
    expect(timestampToMs({})).toBe(0);
    expect(timestampToMs(null)).toBeUndefined();
    expect(timestampToMs(undefined)).toBeUndefined();
  });
});

describe('toStatusEvent', () => {
  it('carries every field the daemon sent', () => {
    const msg = moby.buildkit.v1.StatusResponse.fromObject({
      vertexes: [
        {
          digest: 'sha256:v',
          inputs: ['sha256:a'],
          name: '[2/3] RUN make',
          cached: true,
          started: T,
          completed: T,
          error: 'exit code: 2',
          progressGroup: { id: 'g1', name: 'pull busybox', weak: true },
        },
      ],
      statuses: [{ ID: 'sha256:layer', vertex: 'sha256:v', name: 'extracting', current: 10, total: 20, timestamp: T, started: T, completed: T }],
      logs: [
        { vertex: 'sha256:v', stream: 2, msg: Buffer.from('oops\n'), timestamp: T },
        { vertex: 'sha256:v', stream: 1, msg: Buffer.from('ok\n'), timestamp: T },
      ],
      warnings: [{ vertex: 'sha256:v', level: 1, short: Buffer.from('JSONArgsRecommended'), detail: [Buffer.from('use JSON'), Buffer.from('for CMD')], url: 'https://docs/x' }],
    });
    const event = toStatusEvent(msg);
    expect(event.vertexes).toEqual([
      {
        digest: 'sha256:v',
        inputs: ['sha256:a'],
        name: '[2/3] RUN make',
        cached: true,
        started: MS,
        completed: MS,
        error: 'exit code: 2',
        progressGroup: { id: 'g1', name: 'pull busybox', weak: true },
      },
    ]);
    expect(event.statuses).toEqual([{ id: 'sha256:layer', vertex: 'sha256:v', name: 'extracting', current: 10, total: 20, timestamp: MS, started: MS, completed: MS }]);
    expect(event.logs.map((l) => [l.stream, Buffer.from(l.data).toString(), l.timestamp])).toEqual([
      [2, 'oops\n', MS],
      [1, 'ok\n', MS],
    ]);
    expect(event.warnings).toEqual([{ vertex: 'sha256:v', level: 1, short: 'JSONArgsRecommended', detail: ['use JSON', 'for CMD'], url: 'https://docs/x' }]);
  });

  it('leaves out the times, error and group the daemon did not send', () => {
    const event = toStatusEvent(
      moby.buildkit.v1.StatusResponse.fromObject({
        vertexes: [{ digest: 'sha256:v', name: 'load' }],
        statuses: [{ ID: 'resolve', vertex: 'sha256:v' }],
        logs: [{ vertex: 'sha256:v', stream: 3 }],
        warnings: [{}],
      }),
    );
    expect(event.vertexes).toEqual([{ digest: 'sha256:v', inputs: [], name: 'load', cached: false }]);
    expect(event.statuses).toEqual([{ id: 'resolve', vertex: 'sha256:v', name: '', current: 0, total: 0 }]);
    // A stream other than stderr is shown as stdout; a log without a time sorts first.
    expect(event.logs.map((l) => [l.stream, l.data.length, l.timestamp])).toEqual([[1, 0, 0]]);
    expect(event.warnings).toEqual([{ vertex: '', level: 0, short: '', detail: [], url: '' }]);
  });

  it('is empty for an empty message', () => {
    expect(toStatusEvent(moby.buildkit.v1.StatusResponse.create())).toEqual({ vertexes: [], statuses: [], logs: [], warnings: [] });
  });
});
