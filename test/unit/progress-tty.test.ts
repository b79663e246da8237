import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createProgressRenderer,
  EMPTY_STATUS_EVENT,
  INITIAL_PROGRESS_STATE,
  parseRecording,
  type ProgressState,
  type ProgressTimers,
  reduce,
  rowsAfterResize,
  type StatusEvent,
  StringSink,
  TtyRenderer,
  type TtyRendererOptions,
} from '../../src/progress/index.js';
import { displayWidth, stripAnsi } from '../../src/progress/terminal-text.js';

const FIXTURES = new URL('../fixtures/progress/', import.meta.url);
const T0 = 1_717_171_717_000;
const HIDE_CURSOR = '\u001b[?25l';
const enc = new TextEncoder();

function recording(name: string): StatusEvent[] {
  return parseRecording(readFileSync(new URL(`${name}.jsonl`, FIXTURES), 'utf8'));
}

/** A clock and timers that only move when the test says so. */
class FakeClock implements ProgressTimers {
  t: number;
  #seq = 0;
  readonly pending = new Map<number, { due: number; fn: () => void }>();

  constructor(start: number) {
    this.t = start;
  }

  now = (): number => this.t;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#seq;
    this.pending.set(id, { due: this.t + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.pending) if (entry[1].due <= end && (next === undefined || entry[1].due < next[1].due)) next = entry;
      if (next === undefined) break;
      this.pending.delete(next[0]);
      this.t = next[1].due;
      next[1].fn();
    }
    this.t = end;
  }
}

/** Splits tty output into frames of plain lines (escape sequences removed). */
function frames(output: string): string[][] {
  return output
    .split(HIDE_CURSOR)
    .slice(1)
    .map((f) => stripAnsi(f).replace(/\r/g, '').split('\n').slice(0, -1));
}

interface Harness {
  sink: StringSink;
  clock: FakeClock;
  renderer: TtyRenderer;
  /** Reduces events with the fake clock as the local time, calling update after each. */
  feed(events: StatusEvent[], stepMs?: number): ProgressState;
  state: ProgressState;
}

function harness(options: TtyRendererOptions = {}, start = T0): Harness {
  const sink = new StringSink({ isTTY: true });
  const clock = new FakeClock(start);
  const renderer = new TtyRenderer(sink, { columns: 100, now: clock.now, timers: clock, ...options });
  const h: Harness = {
    sink,
    clock,
    renderer,
    state: INITIAL_PROGRESS_STATE,
    feed(events, stepMs = 0) {
      for (const event of events) {
        if (stepMs > 0) clock.advance(stepMs);
        h.state = reduce(h.state, event, clock.now());
        renderer.update(h.state);
      }
      return h.state;
    },
  };
  return h;
}

describe('tty view: frames', () => {
  it("times the build from the first start it is told of, not from an earlier start BuildKit replays for a step shared with an earlier build", () => {
    const h = harness();
    const state = h.feed(
      [
        { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 'a', inputs: [], name: '[internal] load metadata for busybox', cached: false, started: T0, completed: T0 + 100 }] },
        // Shared with a build that ran 45 s ago: BuildKit reports that run's times.
        { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 'b', inputs: ['a'], name: 'load build context', cached: true, started: T0 - 45_000, completed: T0 - 44_900 }] },
        { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 'c', inputs: ['b'], name: 'copy /src /app', cached: false, started: T0 + 200, completed: T0 + 500 }] },
      ],
      250,
    );
    h.renderer.done(state);
    expect(frames(h.sink.text).at(-1)?.[0]).toBe('[+] Building 0.5s (3/3) FINISHED');
  });

  it('ends with a final frame listing every step with markers and timers', () => {
    const h = harness({}, T0 + 3);
    const state = h.feed(recording('cached-build'));
    h.renderer.done(state);
    const last = frames(h.sink.text).at(-1);
    expect(last).toEqual([
      '[+] Building 2.8s (7/7) FINISHED',
      ' => [internal] load metadata for docker.io/library/debian:bookworm-slim                        0.8s',
      ' => CACHED docker-image://docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139 0.0s',
      ' => CACHED /bin/sh -c apt-get update && apt-get install -y --no-install-recommends build-essen 0.0s',
      ' => local://context                                                                            0.2s',
      ' => => transferring context: 4.21kB                                                            0.2s',
      ' => copy /src /app                                                                             0.1s',
      ' => /bin/sh -c make -C /app                                                                    1.3s',
      ' => exporting to image                                                                         0.3s',
      ' => => exporting layers                                                                        0.3s',
      ' => => writing image sha256:5b2c6a8e0a0f4c1d8d6e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1  0.0s',
      ' => => naming to docker.io/library/hello:latest                                                0.0s',
    ]);
  });

  it('redraws in place: cursor up over the previous frame, erase each line, clear below', () => {
    const h = harness();
    const events = recording('cached-build');
    h.feed(events.slice(0, 2), 200);
    const [first, second] = h.sink.text.split(HIDE_CURSOR).slice(1);
    const firstLines = (first ?? '').split('\n').length - 1;
    expect(first?.startsWith('\r')).toBe(true);
    expect(second?.startsWith(`\u001b[${firstLines}A\r`)).toBe(true);
    for (const line of (second ?? '').split('\n').slice(0, -1)) expect(line.endsWith('\u001b[K')).toBe(true);
    expect(second?.endsWith('\u001b[J\u001b[?25h')).toBe(true);
  });

  it('shows the latest output lines of running steps only, and sub-status byte progress', () => {
    const h = harness({ columns: 80 }, T0);
    const state = h.feed(recording('parallel-logs').slice(0, 12));
    h.clock.advance(100); // the trailing redraw
    expect(state.revision).toBe(12);
    const live = frames(h.sink.text).at(-1) ?? [];
    expect(live[0]).toMatch(/^\[\+\] Building \d+\.\ds \(2\/5\)$/);
    const npm = live.findIndex((l) => l.startsWith(' => /bin/sh -c npm ci --omit=dev'));
    const cargo = live.findIndex((l) => l.startsWith(' => /bin/sh -c cargo build --release'));
    expect(live.slice(npm + 1, cargo)).toEqual([
      ' => => # npm WARN deprecated inflight@1.0.6: This module is not supported',
      ' => => # npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longe',
      ' => => # added 212 packages, and audited 213 packages in 5s',
    ]);
    // The last 6 lines of cargo's output, nothing under finished steps.
    expect(live.slice(cargo + 1)).toEqual([
      ' => => #    Compiling proc-macro2 v1.0.86',
      ' => => #    Compiling unicode-ident v1.0.12',
      ' => => #    Compiling cfg-if v1.0.0',
      ' => => #    Compiling memchr v2.7.4',
      ' => => #    Compiling serde v1.0.204',
      ' => => #    Compiling quote v1.0.36',
    ]);
    expect(live[1]).toMatch(/^ => \[internal\] load metadata for docker\.io\/library\/debian:bookworm-slim +0\.6s$/);

    const pull = harness({ columns: 80 });
    pull.feed(recording('image-pull').slice(0, 15));
    pull.clock.advance(100);
    const frame = frames(pull.sink.text).at(-1) ?? [];
    expect(frame.at(-1)).toMatch(/^ => => sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66 10\.91MB \/ 29\.13MB \d\.\ds$/);
  });

  it('collapses a progress group into one line', () => {
    const h = harness();
    h.renderer.done(h.feed(recording('progress-group')));
    const last = frames(h.sink.text).at(-1) ?? [];
    expect(last.filter((l) => l.includes('copy'))).toEqual([
      ' => copy --link /src /app                                                                      0.4s',
    ]);
    expect(last.some((l) => l.includes('merge'))).toBe(false);
    expect(last).toContain(' => WARN: configure: no C++ compiler found, C++ bindings disabled                              1.2s');
  });

  it('makes log lines safe: keeps what follows a carriage return, drops escapes, expands tabs', () => {
    const h = harness({ columns: 60 });
    h.feed([
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 'a', inputs: [], name: '/bin/sh -c curl -o x', cached: false, started: T0 }] },
      {
        ...EMPTY_STATUS_EVENT,
        logs: [{ vertex: 'a', stream: 2, data: enc.encode('  0%\r 45%\r\u001b[32m 99%\u001b[0m\r\n\tdone\n'), timestamp: T0 + 5 }],
      },
    ]);
    h.clock.advance(100);
    const live = frames(h.sink.text).at(-1) ?? [];
    expect(live.slice(2)).toEqual([' => => #  99%', ' => => #         done']);
  });
});

describe('tty view: terminal size', () => {
  it('truncates every line to the terminal width and keeps the timers', () => {
    for (const columns of [40, 24, 12]) {
      const h = harness({ columns });
      h.renderer.done(h.feed(recording('image-pull')));
      const output = frames(h.sink.text).flat();
      for (const line of output) expect(displayWidth(line)).toBeLessThanOrEqual(columns - 1);
      if (columns === 40) {
        expect(frames(h.sink.text).at(-1)).toContain(' => /bin/sh -c apt-get update      3.2s');
        expect(frames(h.sink.text).at(-1)).toContain(' => => sha256:09 29.13MB / 29.13MB 2.4s');
        expect(frames(h.sink.text).at(-1)).toContain(' => docker-image://docker.io/libra 3.8s');
      }
    }
  });

  it('counts wide characters as two columns', () => {
    const h = harness({ columns: 30 });
    h.feed([
      {
        ...EMPTY_STATUS_EVENT,
        vertexes: [{ digest: 'a', inputs: [], name: '/bin/sh -c echo 构建镜像构建镜像构建镜像', cached: false, started: T0, completed: T0 + 100 }],
      },
    ]);
    const line = (frames(h.sink.text).at(-1) ?? [])[1] ?? '';
    expect(displayWidth(line)).toBe(29);
    expect(line).toBe(' => /bin/sh -c echo 构建 0.1s');
  });

  it('keeps live frames within the terminal height, dropping log tails and finished steps first', () => {
    const h = harness({ columns: 80, rows: 8 });
    h.feed(recording('parallel-logs').slice(0, 12));
    h.clock.advance(100);
    const live = frames(h.sink.text).at(-1) ?? [];
    expect(live.length).toBeLessThanOrEqual(7);
    expect(live.some((l) => l.startsWith(' => /bin/sh -c npm ci'))).toBe(true);
    expect(live.some((l) => l.startsWith(' => /bin/sh -c cargo build'))).toBe(true);
  });
});

describe('tty view: colour', () => {
  const events = recording('failing-step');

  function render(stream: StringSink, env: Record<string, string>): string {
    const renderer = createProgressRenderer('tty', { stream, env, columns: 100, timers: new FakeClock(T0) });
    let state = INITIAL_PROGRESS_STATE;
    for (const event of events) {
      state = reduce(state, event);
      renderer.update(state);
    }
    renderer.done(state);
    return stream.text;
  }

  it('colours finished steps on a terminal: blue done, red error, yellow canceled', () => {
    const out = render(new StringSink({ isTTY: true }), { TERM: 'xterm-256color' });
    expect(out).toContain('\u001b[34m => CACHED docker-image://');
    expect(out).toContain('\u001b[31m => ERROR /bin/sh -c make test');
    expect(out).toContain('\u001b[33m => CANCELED /bin/sh -c apt-get update');
  });

  it('uses no colour when NO_COLOR is set or the stream is not a terminal', () => {
    for (const [stream, env] of [
      [new StringSink({ isTTY: true }), { TERM: 'xterm', NO_COLOR: '1' }],
      [new StringSink({ isTTY: false }), { TERM: 'xterm' }],
    ] as const) {
      const out = render(stream, env);
      expect(out).toContain(' => ERROR /bin/sh -c make test');
      expect(out).not.toMatch(/\u001b\[(3\d|2)m/);
    }
  });
});

describe('tty view: redraw rate', () => {
  const events = recording('cached-build');

  it('redraws at most every 100 ms, with a trailing redraw of the latest state', () => {
    const h = harness();
    h.feed(events.slice(0, 2)); // t=0: first frame; second update within 100 ms is deferred
    h.feed(events.slice(2, 5), 10);
    expect(frames(h.sink.text)).toHaveLength(1);
    h.clock.advance(69); // t=99
    expect(frames(h.sink.text)).toHaveLength(1);
    h.clock.advance(1); // t=100: trailing redraw with everything so far
    const all = frames(h.sink.text);
    expect(all).toHaveLength(2);
    // Steps announced so far: 6, of which 3 finished (exporting is announced when it starts).
    expect(all[1]?.[0]).toMatch(/\(3\/6\)$/);
  });

  it('keeps redrawing every 150 ms while a step runs, so timers move, and stops when done', () => {
    const h = harness();
    h.feed(events.slice(0, 1));
    h.clock.advance(200);
    h.feed(events.slice(1, 2)); // the metadata step starts running
    h.clock.advance(150);
    h.clock.advance(150);
    const all = frames(h.sink.text);
    expect(all).toHaveLength(4);
    expect(all.slice(1).map((f) => f[1]?.slice(-4))).toEqual(['0.0s', '0.1s', '0.3s']);
    h.renderer.done(h.state);
    expect(h.clock.pending.size).toBe(0);
    const count = frames(h.sink.text).length;
    h.renderer.update(h.state);
    h.clock.advance(1000);
    expect(frames(h.sink.text)).toHaveLength(count);
  });
});

describe('tty view: a terminal made narrower', () => {
  it('moves up over the old frame as the terminal re-wrapped it, so no part of it stays above the new one', () => {
    const clock = new FakeClock(T0);
    const sink = { isTTY: true, columns: 100, text: '', write(chunk: string): boolean { this.text += chunk; return true; } };
    const renderer = new TtyRenderer(sink, { now: clock.now, timers: clock });
    let state = INITIAL_PROGRESS_STATE;
    for (const event of [
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 'a', inputs: [], name: 'apt-get install -y build-essential', cached: false, started: T0 }] },
      { ...EMPTY_STATUS_EVENT, logs: [{ vertex: 'a', stream: 1 as const, data: enc.encode('Unpacking gcc\n'), timestamp: T0 + 100 }] },
    ]) state = reduce(state, event, clock.now());
    renderer.update(state);
    // Header and log line are short; the step line is padded to 99 columns, which a 40-column terminal wraps onto 3 rows.
    expect(frames(sink.text).at(-1)).toHaveLength(3);
    sink.text = '';
    sink.columns = 40;
    clock.advance(1000);
    expect(sink.text.startsWith(`${HIDE_CURSOR}\u001b[5A\r`)).toBe(true);
    // Drawn for 40 columns, the next frame is three lines on three rows again.
    sink.text = '';
    clock.advance(1000);
    expect(sink.text.startsWith(`${HIDE_CURSOR}\u001b[3A\r`)).toBe(true);
    renderer.done(state);
  });

  it('counts rows only when the terminal got narrower', () => {
    expect(rowsAfterResize({ widths: [20, 99, 99, 0], columns: 100 }, 100)).toBe(4);
    expect(rowsAfterResize({ widths: [20, 99, 99, 0], columns: 100 }, 120)).toBe(4);
    expect(rowsAfterResize({ widths: [20, 99, 99, 0], columns: 100 }, 50)).toBe(1 + 2 + 2 + 1);
    expect(rowsAfterResize({ widths: [], columns: 0 }, 80)).toBe(0);
  });
});

describe('tty view: failures', () => {
  it('prints every output line of a failed step after the final frame, never clipped', () => {
    const h = harness();
    const lines = Array.from({ length: 40 }, (_, i) => `FAIL: case ${i}`);
    const state = h.feed([
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 't', inputs: [], name: '/bin/sh -c make test', cached: false, started: T0 }] },
      { ...EMPTY_STATUS_EVENT, logs: [{ vertex: 't', stream: 1, data: enc.encode(`${lines.join('\n')}\n`), timestamp: T0 + 1500 }] },
      {
        ...EMPTY_STATUS_EVENT,
        vertexes: [
          { digest: 't', inputs: [], name: '/bin/sh -c make test', cached: false, started: T0, completed: T0 + 2000, error: 'exit code: 2' },
        ],
      },
    ]);
    h.renderer.done(state);
    const tail = h.sink.text.slice(h.sink.text.lastIndexOf('\u001b[?25h') + '\u001b[?25h'.length);
    expect(tail).toBe(['------', ' > /bin/sh -c make test:', ...lines.map((l) => `#1 1.500 ${l}`), '------', ''].join('\n'));
  });

  it('writes the failed output as the terminal showed it: a \\r progress bar keeps its #N prefix, colours are closed, no cursor moves', () => {
    const h = harness();
    const name = '/bin/sh -c printf "\u001b[31mred\nnext"';
    const output = [
      'downloading 10%\rdownloading 55%\rdownloading 100%',
      '\u001b[31mFAILED\u001b[0m test_one',
      '\u001b[1;33mwarning without a reset',
      'before\u001b[2J\u001b[Hafter\u001b]0;a title\u0007 \u0008end\r',
    ];
    const state = h.feed([
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 't', inputs: [], name, cached: false, started: T0 }] },
      { ...EMPTY_STATUS_EVENT, logs: [{ vertex: 't', stream: 1, data: enc.encode(`${output.join('\n')}\n`), timestamp: T0 + 1500 }] },
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 't', inputs: [], name, cached: false, started: T0, completed: T0 + 2000, error: 'exit code: 1' }] },
    ]);
    h.renderer.done(state);
    const tail = h.sink.text.slice(h.sink.text.lastIndexOf('\u001b[?25h') + '\u001b[?25h'.length);
    expect(tail).toBe(
      [
        '------',
        ' > /bin/sh -c printf "red next":',
        '#1 1.500 downloading 100%',
        '#1 1.500 \u001b[31mFAILED\u001b[0m test_one\u001b[0m',
        '#1 1.500 \u001b[1;33mwarning without a reset\u001b[0m',
        '#1 1.500 beforeafter end',
        '------',
        '',
      ].join('\n'),
    );
  });

  it('quiet mode cleans the failure block the same way on a terminal, and leaves it as sent elsewhere', () => {
    const events: StatusEvent[] = [
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 't', inputs: [], name: 'make', cached: false, started: T0 }] },
      { ...EMPTY_STATUS_EVENT, logs: [{ vertex: 't', stream: 1, data: enc.encode('10%\r100%\n\u001b[31mred\n'), timestamp: T0 + 500 }] },
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 't', inputs: [], name: 'make', cached: false, started: T0, completed: T0 + 600, error: 'exit code: 1' }] },
    ];
    const state = events.reduce((s, e) => reduce(s, e), INITIAL_PROGRESS_STATE);
    const onTerminal = new StringSink({ isTTY: true });
    createProgressRenderer('quiet', { stream: onTerminal }).done(state);
    expect(onTerminal.text).toBe('------\n > make:\n#1 0.500 100%\n#1 0.500 \u001b[31mred\u001b[0m\n------\n');
    const toFile = new StringSink();
    createProgressRenderer('quiet', { stream: toFile }).done(state);
    expect(toFile.text).toBe('------\n > make:\n#1 0.500 10%\r100%\n#1 0.500 \u001b[31mred\n------\n');
  });
});
