import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import {
  createProgressRenderer,
  EMPTY_STATUS_EVENT,
  formatSummaryLine,
  parseRecording,
  PlainRenderer,
  type ProgressMode,
  type ProgressRenderer,
  type ProgressSink,
  ProgressWriter,
  QuietRenderer,
  RawJsonRenderer,
  renderRecording,
  resolveProgressMode,
  type StatusEvent,
  StringSink,
  TtyRenderer,
} from '../../src/progress/index.js';

const FIXTURES = new URL('../fixtures/progress/', import.meta.url);

function recording(name: string): StatusEvent[] {
  return parseRecording(readFileSync(new URL(`${name}.jsonl`, FIXTURES), 'utf8'));
}

async function* stream(events: StatusEvent[]): AsyncGenerator<StatusEvent> {
  for (const event of events) yield event;
}

describe('createProgressRenderer: mode selection', () => {
  it('auto picks the live view on a terminal and plain text otherwise', () => {
    const tty = new StringSink({ isTTY: true });
    const pipe = new StringSink({ isTTY: false });
    expect(createProgressRenderer('auto', { stream: tty, env: { TERM: 'xterm-256color' } })).toBeInstanceOf(TtyRenderer);
    expect(createProgressRenderer('auto', { stream: tty, env: { TERM: 'dumb' } })).toBeInstanceOf(PlainRenderer);
    expect(createProgressRenderer('auto', { stream: tty, env: {} })).toBeInstanceOf(TtyRenderer);
    expect(createProgressRenderer('auto', { stream: pipe, env: { TERM: 'xterm' } })).toBeInstanceOf(PlainRenderer);
    expect(resolveProgressMode('auto', pipe, {})).toBe('plain');
    expect(resolveProgressMode('rawjson', tty, {})).toBe('rawjson');
  });

  it('honours an explicit mode whatever the stream', () => {
    const pipe = new StringSink();
    expect(createProgressRenderer('tty', { stream: pipe, env: {} })).toBeInstanceOf(TtyRenderer);
    expect(createProgressRenderer('plain', { stream: new StringSink({ isTTY: true }), env: {} })).toBeInstanceOf(PlainRenderer);
    expect(createProgressRenderer('rawjson', { stream: pipe })).toBeInstanceOf(RawJsonRenderer);
    expect(createProgressRenderer('quiet', { stream: pipe })).toBeInstanceOf(QuietRenderer);
  });

  it('rejects an unknown mode naming the valid ones', () => {
    let caught: unknown;
    try {
      createProgressRenderer('fancy' as ProgressMode, { stream: new StringSink() });
    } catch (err) {
      caught = err;
    }
    expect(KilnError.is(caught, 'invalid_argument')).toBe(true);
    expect((caught as Error).message).toContain('"fancy"');
    expect((caught as Error).message).toContain('auto, tty, plain, rawjson, quiet');
  });

  it('rejects a missing stream and a bad terminal size', () => {
    expect(() => createProgressRenderer('plain', {} as { stream: ProgressSink })).toThrow(/options\.stream/);
    expect(() => createProgressRenderer('tty', { stream: new StringSink(), columns: 0 })).toThrow(/options\.columns must be a positive integer/);
  });

  it('accepts process.stderr as a sink', () => {
    const sink: ProgressSink = process.stderr;
    expect(typeof sink.write).toBe('function');
  });
});

describe('rawjson', () => {
  it('writes each event as one line that parseRecording reads back unchanged', async () => {
    const events = recording('parallel-logs');
    const sink = new StringSink();
    await new ProgressWriter({ renderer: createProgressRenderer('rawjson', { stream: sink }) }).run(stream(events));
    const lines = sink.text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(events.length + 1);
    expect(parseRecording(sink.text)).toEqual(events);
    // Byte-exact: the recording format is stable.
    expect(sink.text).toBe(readFileSync(new URL('parallel-logs.jsonl', FIXTURES), 'utf8'));
  });
});

describe('quiet', () => {
  it('prints nothing for a successful build', () => {
    expect(renderRecording(recording('cached-build'), 'quiet')).toBe('');
    expect(renderRecording(recording('canceled'), 'quiet')).toBe('');
  });

  it('prints the complete output of the failed step at the end', () => {
    expect(renderRecording(recording('failing-step'), 'quiet')).toBe(
      [
        '------',
        ' > /bin/sh -c make test:',
        '#2 0.160 go test ./...',
        '#2 1.180 ok  \texample.com/app/api\t0.412s',
        '#2 1.180 --- FAIL: TestParse (0.00s)',
        '#2 1.270     parse_test.go:31: got "a", want "b"',
        '#2 1.270 FAIL',
        '#2 1.270 FAIL\texample.com/app/parse\t0.009s',
        '#2 1.282 FAIL',
        '#2 1.290 make: *** [Makefile:4: test] Error 1',
        '------',
        '',
      ].join('\n'),
    );
  });
});

/** A sink that reports "full" after every write until the test drains it. */
class SlowSink extends EventEmitter implements ProgressSink {
  text = '';
  writes = 0;

  write(chunk: string): boolean {
    this.text += chunk;
    this.writes++;
    return false;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ProgressWriter', () => {
  it('drives a renderer to the end and returns the final state and summary', async () => {
    const sink = new StringSink();
    const writer = new ProgressWriter({ renderer: createProgressRenderer('plain', { stream: sink }) });
    const { state, summary } = await writer.run(stream(recording('cached-build')));
    expect(writer.state).toBe(state);
    expect(sink.text).toBe(renderRecording(recording('cached-build')));
    expect(summary).toEqual({ steps: 7, cached: 2, errors: 0, canceled: 0, running: 0, durationMs: 2750 });
    expect(formatSummaryLine(summary)).toBe('7 steps, 2 cached, done in 2.8s');
  });

  it('waits for the sink to drain before taking the next event', async () => {
    const events = recording('cached-build').slice(0, 4);
    let pulled = 0;
    async function* counted(): AsyncGenerator<StatusEvent> {
      for (const event of events) {
        pulled++;
        yield event;
      }
    }
    const sink = new SlowSink();
    const writer = new ProgressWriter({ renderer: createProgressRenderer('rawjson', { stream: sink }) });
    const done = writer.run(counted());
    await tick();
    expect(pulled).toBe(1);
    expect(sink.listenerCount('drain')).toBe(1);
    await tick();
    expect(pulled).toBe(1); // still blocked
    sink.emit('drain');
    await tick();
    expect(pulled).toBe(2);
    expect(sink.listenerCount('drain')).toBe(1);
    for (let i = 0; i < 3; i++) {
      sink.emit('drain');
      await tick();
    }
    const result = await done;
    expect(pulled).toBe(4);
    expect(result.state.revision).toBe(4);
    expect(sink.listenerCount('drain')).toBe(0);
    expect(sink.listenerCount('close')).toBe(0);
  });

  it('finishes the renderer and re-throws when the stream fails', async () => {
    const failure = new Error('status stream broke');
    async function* broken(): AsyncGenerator<StatusEvent> {
      yield* recording('failing-step');
      throw failure;
    }
    const sink = new StringSink();
    const writer = new ProgressWriter({ renderer: createProgressRenderer('quiet', { stream: sink }) });
    await expect(writer.run(broken())).rejects.toBe(failure);
    expect(sink.text).toContain(' > /bin/sh -c make test:');
    expect(writer.state.revision).toBe(recording('failing-step').length);
  });

  it('passes its clock to the reducer as the local receive time', async () => {
    let t = 5_000;
    const seen: ProgressRenderer = { update: () => undefined, done: () => undefined };
    const writer = new ProgressWriter({ renderer: seen, now: () => (t += 10) });
    const { state } = await writer.run([
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 'a', inputs: [], name: 'a', cached: false, started: 4_000 }] },
    ]);
    expect(state.now).toBe(5_010);
    expect(state.clockOffset).toBe(1_010);
  });

  it('rejects a renderer without update/done and a non-iterable stream', async () => {
    expect(() => new ProgressWriter({ renderer: {} as ProgressRenderer })).toThrow(/options\.renderer must have update/);
    const writer = new ProgressWriter({ renderer: new QuietRenderer(new StringSink()) });
    await expect(writer.run(42 as unknown as StatusEvent[])).rejects.toThrow(/events must be an \(async\) iterable/);
  });
});
