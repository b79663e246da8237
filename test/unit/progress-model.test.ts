import { describe, expect, it } from 'vitest';
import {
  AppendOnlyList,
  EMPTY_STATUS_EVENT,
  INITIAL_PROGRESS_STATE,
  isCompleted,
  isStarted,
  type LogChunk,
  numberedSteps,
  type ProgressState,
  reduce,
  reduceAll,
  type StatusEvent,
  type StepState,
  summarize,
  type VertexUpdate,
} from '../../src/progress/index.js';
import { progressNote } from '../../src/client/progress-note.js';
import { stepLogLines } from '../../src/progress/failure-logs.js';
import { STEP_LOG_HELD_CHARS } from '../../src/progress/model.js';

const T0 = 1_717_171_717_000;
const IMG = 'docker-image://docker.io/library/debian:bookworm-slim';
const enc = new TextEncoder();

function ev(part: Partial<StatusEvent>): StatusEvent {
  return { ...EMPTY_STATUS_EVENT, ...part };
}

function vtx(digest: string, name: string, extra: Partial<VertexUpdate> = {}): VertexUpdate {
  return { digest, inputs: [], name, cached: false, ...extra };
}

function log(vertex: string, data: string | number[], at: number, stream: 1 | 2 = 1): LogChunk {
  return { vertex, stream, data: typeof data === 'string' ? enc.encode(data) : Uint8Array.from(data), timestamp: T0 + at };
}

function step(state: ProgressState, key: string): StepState {
  const s = state.steps.get(key);
  if (s === undefined) throw new Error(`no step ${key}`);
  return s;
}

function texts(s: StepState): string[] {
  return s.logs.toArray().map((l) => l.text);
}

describe('reduce: vertexes', () => {
  it('keeps a step\'s name when a later update for it comes without one', () => {
    const s = reduceAll([
      ev({ vertexes: [vtx('a', '[1/2] RUN make', { started: T0 })] }),
      ev({ vertexes: [vtx('a', '', { started: T0, completed: T0 + 5 })] }),
    ]);
    expect(step(s, 'a').name).toBe('[1/2] RUN make');
    expect(isCompleted(step(s, 'a'))).toBe(true);
  });

  it('numbers steps in the order they first start, not the order they are announced', () => {
    const s = reduceAll([
      ev({ vertexes: [vtx('a', 'first announced'), vtx('b', 'second announced'), vtx('c', 'never runs')] }),
      ev({ vertexes: [vtx('b', 'second announced', { started: T0 + 1 })] }),
      ev({ vertexes: [vtx('a', 'first announced', { started: T0 + 2 })] }),
    ]);
    expect(s.order).toEqual(['b', 'a']);
    expect(step(s, 'b').index).toBe(1);
    expect(step(s, 'a').index).toBe(2);
    expect(step(s, 'c').index).toBe(0);
    expect(summarize(s).steps).toBe(2);
  });

  it('keeps one interval per start and sums them when a vertex runs several times', () => {
    const s = reduceAll([
      ev({ vertexes: [vtx('a', '/bin/sh -c make', { started: T0 })] }),
      ev({ vertexes: [vtx('a', '/bin/sh -c make', { started: T0, completed: T0 + 1000 })] }),
      ev({ vertexes: [vtx('a', '/bin/sh -c make', { started: T0 + 5000 })] }),
    ]);
    const a = step(s, 'a');
    expect(a.runs).toEqual([
      { start: T0, end: T0 + 1000 },
      { start: T0 + 5000, end: undefined },
    ]);
    expect(isStarted(a)).toBe(true);
    expect(isCompleted(a)).toBe(false);
    const done = reduce(s, ev({ vertexes: [vtx('a', '/bin/sh -c make', { started: T0 + 5000, completed: T0 + 5500 })] }));
    expect(isCompleted(step(done, 'a'))).toBe(true);
    expect(step(done, 'a').intervals).toEqual([
      { start: T0, end: T0 + 1000 },
      { start: T0 + 5000, end: T0 + 5500 },
    ]);
  });

  it('merges overlapping runs', () => {
    const s = reduceAll([
      ev({ vertexes: [vtx('a', 'x', { started: T0, completed: T0 + 1000 })] }),
      ev({ vertexes: [vtx('a', 'x', { started: T0 + 500, completed: T0 + 2000 })] }),
    ]);
    expect(step(s, 'a').runs).toHaveLength(2);
    expect(step(s, 'a').intervals).toEqual([{ start: T0, end: T0 + 2000 }]);
  });

  it('ignores a re-sent announcement (no start) of a vertex that already started', () => {
    const s = reduceAll([
      ev({ vertexes: [vtx('a', IMG, { started: T0, completed: T0, cached: true })] }),
      ev({ vertexes: [vtx('a', IMG)] }),
    ]);
    expect(step(s, 'a').cached).toBe(true);
    expect(isCompleted(step(s, 'a'))).toBe(true);
  });

  it('tracks cached, failed and canceled steps', () => {
    const s = reduceAll([
      ev({
        vertexes: [
          vtx('c', IMG, { started: T0, completed: T0, cached: true }),
          vtx('e', '/bin/sh -c make test', {
            started: T0,
            completed: T0 + 10,
            error: 'process "/bin/sh -c make test" did not complete successfully: exit code: 2',
          }),
          vtx('x', '/bin/sh -c sleep 30', { started: T0, completed: T0 + 20, error: 'failed to solve: context canceled' }),
        ],
      }),
    ]);
    expect(step(s, 'c').cached).toBe(true);
    expect(step(s, 'e').canceled).toBe(false);
    expect(step(s, 'e').error).toContain('exit code: 2');
    expect(step(s, 'x').canceled).toBe(true);
    expect(summarize(s)).toEqual({ steps: 3, cached: 1, errors: 1, canceled: 1, running: 0, durationMs: 20 });
    // kiln's own notes (a lock file in use, entries left out of the context) are shown like steps, not counted.
    const noted = reduce(s, progressNote('[kiln] using lock file kiln.lock.json', [], T0 + 20));
    expect(summarize(noted).steps).toBe(3);
  });

  it('shows a completion that arrives without a start as a zero-length run', () => {
    const s = reduceAll([ev({ vertexes: [vtx('a', 'x', { completed: T0 + 5, error: 'failed to compute cache key' })] })]);
    expect(step(s, 'a').index).toBe(1);
    expect(step(s, 'a').intervals).toEqual([{ start: T0 + 5, end: T0 + 5 }]);
    expect(summarize(s).errors).toBe(1);
  });

  it('does not count a change-free re-send as activity', () => {
    const v = vtx('a', 'x', { started: T0 });
    const s1 = reduceAll([ev({ vertexes: [v] })]);
    const s2 = reduce(s1, ev({ vertexes: [v] }));
    expect(step(s2, 'a').revision).toBe(step(s1, 'a').revision);
    expect(step(s2, 'a').activity).toBe(step(s1, 'a').activity);
  });
});

describe('reduce: sub-statuses', () => {
  it('updates a status in place by (vertex, id) and orders statuses by first start', () => {
    const layer = 'sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae';
    const s = reduceAll([
      ev({ vertexes: [vtx('img', IMG, { started: T0 })] }),
      ev({
        statuses: [
          { id: 'waiting', vertex: 'img', name: '', current: 0, total: 0 },
          { id: layer, vertex: 'img', name: '', current: 0, total: 29_126_484, timestamp: T0 + 1, started: T0 + 1 },
        ],
      }),
      ev({ statuses: [{ id: layer, vertex: 'img', name: '', current: 1_000_000, total: 29_126_484, timestamp: T0 + 100, started: T0 + 1 }] }),
      ev({ statuses: [{ id: 'resolve', vertex: 'img', name: '', current: 0, total: 0, timestamp: T0 + 2, started: T0 + 2 }] }),
      ev({ statuses: [{ id: layer, vertex: 'other', name: '', current: 5, total: 10, timestamp: T0 + 3, started: T0 + 3 }] }),
    ]);
    const img = step(s, 'img');
    expect(img.statuses.map((x) => x.id)).toEqual([layer, 'resolve', 'waiting']);
    expect(img.statuses[0]?.current).toBe(1_000_000);
    // Same id on another vertex is another status.
    expect(step(s, 'other').statuses.map((x) => x.current)).toEqual([5]);
  });

  it('moves a waiting status among the started ones when it starts', () => {
    const s = reduceAll([
      ev({ vertexes: [vtx('v', 'exporting to image', { started: T0 })] }),
      ev({
        statuses: [
          { id: 'a', vertex: 'v', name: '', current: 0, total: 0, started: T0 },
          { id: 'b', vertex: 'v', name: '', current: 0, total: 0 },
          { id: 'c', vertex: 'v', name: '', current: 0, total: 0 },
        ],
      }),
      ev({ statuses: [{ id: 'c', vertex: 'v', name: '', current: 0, total: 0, started: T0 + 5 }] }),
    ]);
    expect(step(s, 'v').statuses.map((x) => x.id)).toEqual(['a', 'c', 'b']);
  });
});

describe('reduce: logs', () => {
  const start = ev({ vertexes: [vtx('r', '/bin/sh -c apt-get update', { started: T0 })] });

  it('splits chunks into lines across chunk boundaries and keeps the unfinished line apart', () => {
    const s = reduceAll([start, ev({ logs: [log('r', 'Get:1 http://deb.deb', 100)] }), ev({ logs: [log('r', 'ian.org bookworm\nGet:2 ', 200)] })]);
    const r = step(s, 'r');
    expect(texts(r)).toEqual(['Get:1 http://deb.debian.org bookworm']);
    expect(r.partialLog?.text).toBe('Get:2 ');
    // A line keeps the time of the chunk that began it.
    expect(r.logs.at(0)?.elapsedMs).toBe(100);
    expect(r.partialLog?.elapsedMs).toBe(200);
    const s2 = reduce(s, ev({ logs: [log('r', 'InRelease\n\nReading package lists...\n', 300)] }));
    expect(texts(step(s2, 'r'))).toEqual([
      'Get:1 http://deb.debian.org bookworm',
      'Get:2 InRelease',
      '',
      'Reading package lists...',
    ]);
    expect(step(s2, 'r').partialLog).toBeUndefined();
  });

  it('decodes UTF-8 characters split across chunks', () => {
    // "café ✓ 🐳\n": é = c3 a9, ✓ = e2 9c 93, 🐳 = f0 9f 90 b3 — cut inside each of them.
    const bytes = [...enc.encode('café ✓ 🐳\n')];
    const cuts = [4, 8, 9, 13];
    const chunks: LogChunk[] = [];
    let from = 0;
    for (const [i, cut] of [...cuts, bytes.length].entries()) {
      chunks.push(log('r', bytes.slice(from, cut), 10 + i));
      from = cut;
    }
    const s = reduceAll([start, ...chunks.map((c) => ev({ logs: [c] }))]);
    expect(texts(step(s, 'r'))).toEqual(['café ✓ 🐳']);
    // While a character is incomplete, only whole characters are visible.
    const partial = reduceAll([start, ev({ logs: [chunks[0] as LogChunk] })]);
    expect(step(partial, 'r').partialLog?.text).toBe('caf');
    expect(step(partial, 'r').pendingBytes).toEqual(Uint8Array.from([0xc3]));
  });

  it('replaces invalid bytes instead of failing', () => {
    const s = reduceAll([start, ev({ logs: [log('r', [0x61, 0xff, 0x62, 0x0a], 5)] })]);
    expect(texts(step(s, 'r'))).toEqual(['a\ufffdb']);
  });

  it('keeps carriage returns and every line (logs are never clipped)', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `line ${i}\r\n`).join('');
    const s = reduceAll([start, ev({ logs: [log('r', many, 5)] })]);
    const r = step(s, 'r');
    expect(r.logs.length).toBe(5000);
    expect(r.logs.at(4999)?.text).toBe('line 4999\r');
  });

  it('measures log times from the latest start of the step', () => {
    const s = reduceAll([
      start,
      ev({ vertexes: [vtx('r', '/bin/sh -c apt-get update', { started: T0, completed: T0 + 1000 })] }),
      ev({ vertexes: [vtx('r', '/bin/sh -c apt-get update', { started: T0 + 60_000 })] }),
      ev({ logs: [log('r', 'again\n', 60_250)] }),
    ]);
    expect(step(s, 'r').logs.at(0)?.elapsedMs).toBe(250);
  });

  it('records output for a vertex it has not seen under a placeholder step', () => {
    const s = reduceAll([ev({ logs: [log('sha256:unknown', 'hello\n', 1)] })]);
    const p = step(s, 'sha256:unknown');
    expect(p.name).toBe('sha256:unknown');
    expect(p.index).toBe(1);
    expect(texts(p)).toEqual(['hello']);
  });
});

describe('reduce: warnings and progress groups', () => {
  it('keeps warnings per step and for the whole build', () => {
    const w = { vertex: 'r', level: 1, short: 'no C++ compiler found', detail: ['install g++'], url: 'https://example.com' };
    const s = reduceAll([ev({ vertexes: [vtx('r', './configure', { started: T0 })] }), ev({ warnings: [w] })]);
    expect(step(s, 'r').warnings.toArray()).toEqual([w]);
    expect(s.warnings.toArray()).toEqual([w]);
  });

  it('shows a progress group as one step, hidden until a non-weak member starts', () => {
    const group = { id: 'pg1', name: 'copy --link /src /app', weak: false };
    const copy = vtx('copy', 'copy /src /app', { progressGroup: { ...group, weak: true } });
    const merge = vtx('merge', 'merge', { progressGroup: group });
    const s1 = reduceAll([ev({ vertexes: [copy, merge] }), ev({ vertexes: [{ ...copy, started: T0, completed: T0 + 300 }] })]);
    expect(step(s1, 'group:pg1').hidden).toBe(true);
    expect(s1.order).toEqual([]);
    const s2 = reduceAll([ev({ vertexes: [{ ...merge, started: T0 + 310, completed: T0 + 400, cached: true }] })], s1);
    const g = step(s2, 'group:pg1');
    expect(g.hidden).toBe(false);
    expect(g.index).toBe(1);
    expect(g.name).toBe('copy --link /src /app');
    expect(g.cached).toBe(false); // only cached when every member is
    expect(g.intervals).toEqual([
      { start: T0, end: T0 + 300 },
      { start: T0 + 310, end: T0 + 400 },
    ]);
    expect(s2.vertexSteps.get('copy')).toBe('group:pg1');
    // Output of a member goes to the group.
    const s3 = reduce(s2, ev({ logs: [log('copy', 'copied 3 files\n', 320)] }));
    expect(texts(step(s3, 'group:pg1'))).toEqual(['copied 3 files']);
    expect(s3.steps.has('copy')).toBe(false);
  });
});

describe('reduce: purity and time', () => {
  it('never changes the state it was given', () => {
    const s1 = reduceAll([
      ev({ vertexes: [vtx('r', 'x', { started: T0 })] }),
      ev({ logs: [log('r', 'one\ntw', 10)] }),
    ]);
    const before = { logs: step(s1, 'r').logs.length, partial: step(s1, 'r').partialLog?.text, size: s1.steps.size };
    const s2 = reduce(s1, ev({ logs: [log('r', 'o\nthree\n', 20)] }));
    reduce(s1, ev({ logs: [log('r', 'X\n', 30)] })); // branching from an old state must not leak into s2
    expect({ logs: step(s1, 'r').logs.length, partial: step(s1, 'r').partialLog?.text, size: s1.steps.size }).toEqual(before);
    expect(texts(step(s2, 'r'))).toEqual(['one', 'two', 'three']);
    expect(INITIAL_PROGRESS_STATE.steps.size).toBe(0);
  });

  it('tracks the latest event time, the local receive time and the clock offset', () => {
    const s = reduceAll([ev({ vertexes: [vtx('r', 'x', { started: T0 + 1000 })] })]);
    expect(s.eventTime).toBe(T0 + 1000);
    expect(s.clockOffset).toBe(0);
    const local = reduce(INITIAL_PROGRESS_STATE, ev({ vertexes: [vtx('r', 'x', { started: T0 + 1000 })] }), T0 + 1250);
    expect(local.now).toBe(T0 + 1250);
    expect(local.clockOffset).toBe(250);
    expect(local.startedAt).toBe(T0 + 1000);
    expect(numberedSteps(local).map((x) => x.name)).toEqual(['x']);
  });

  it('summarizes the duration from the first start to the latest event', () => {
    const s = reduceAll([
      ev({ vertexes: [vtx('a', 'a', { started: T0 + 100, completed: T0 + 900 })] }),
      ev({ vertexes: [vtx('b', 'b', { started: T0 + 950 })] }),
      ev({ logs: [log('b', 'x\n', 12_400)] }),
    ]);
    expect(summarize(s)).toEqual({ steps: 2, cached: 0, errors: 0, canceled: 0, running: 1, durationMs: 12_300 });
  });
});

describe('AppendOnlyList', () => {
  it('shares storage between versions without letting a version see later items', () => {
    const a = AppendOnlyList.of([1, 2]);
    const b = a.append(3);
    const c = a.append(9, 10); // branch from the older version
    expect(a.toArray()).toEqual([1, 2]);
    expect(b.toArray()).toEqual([1, 2, 3]);
    expect(c.toArray()).toEqual([1, 2, 9, 10]);
    expect([...b]).toEqual([1, 2, 3]);
    expect(b.at(-1)).toBe(3);
    expect(a.at(2)).toBeUndefined();
    expect(c.slice(-2)).toEqual([9, 10]);
    expect(b.append()).toBe(b);
  });
});

describe('a step printing without end', () => {
  it('AppendOnlyList.keepLast lets the oldest items go, indexes unchanged, older versions untouched', () => {
    const all = AppendOnlyList.of([0, 1, 2, 3, 4, 5]);
    const tail = all.keepLast(2);
    expect([tail.length, tail.first]).toEqual([6, 4]);
    expect([tail.at(3), tail.at(4), tail.at(-1)]).toEqual([undefined, 4, 5]);
    expect(tail.slice(0)).toEqual([4, 5]);
    expect(tail.slice(-3)).toEqual([4, 5]);
    expect([...tail.append(6, 7)]).toEqual([4, 5, 6, 7]);
    expect(tail.append(6).at(6)).toBe(6);
    expect([...all]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(all.keepLast(10)).toBe(all);
  });

  it('holds at most about STEP_LOG_HELD_CHARS of its output: the newest lines, and the failure block says how many went', () => {
    const line = `${'x'.repeat(1023)}\n`;
    const chunk = line.repeat(1024); // 1 MiB
    let s = reduceAll([ev({ vertexes: [vtx('a', '/bin/sh -c ./chatty', { started: T0 })] })]);
    for (let i = 0; i < 20; i++) s = reduce(s, ev({ logs: [log('a', chunk, i)] }));
    s = reduce(s, ev({ logs: [log('a', 'the last line\n', 30)] }));
    s = reduce(s, ev({ vertexes: [vtx('a', '/bin/sh -c ./chatty', { started: T0, completed: T0 + 40, error: 'exit code: 1' })] }));
    const a = step(s, 'a');
    expect(a.logs.length).toBe(20 * 1024 + 1);
    expect(a.logChars).toBeLessThanOrEqual(2 * STEP_LOG_HELD_CHARS);
    expect(a.logs.first).toBeGreaterThan(0);
    expect(a.logs.at(-1)?.text).toBe('the last line');
    const lines = stepLogLines(a);
    expect(lines[0]).toBe(`#1 [kiln: ${a.logs.first} earlier lines not kept]`);
    expect(lines.at(-1)).toMatch(/ the last line$/);
    expect(stepLogLines(a, 3)).toHaveLength(3);
  });
});
