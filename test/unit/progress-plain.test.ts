import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_STATUS_EVENT,
  INITIAL_PROGRESS_STATE,
  type LogChunk,
  PlainRenderer,
  type ProgressState,
  reduce,
  renderRecording,
  type StatusEvent,
  StringSink,
  type VertexUpdate,
} from '../../src/progress/index.js';

const FIXTURES = new URL('../fixtures/progress/', import.meta.url);

function plain(name: string): string {
  return renderRecording(readFileSync(new URL(`${name}.jsonl`, FIXTURES), 'utf8'), 'plain');
}

describe('plain output (buildx-compatible goldens)', () => {
  it('a successful build with cached steps, a context transfer and an export', () => {
    expect(plain('cached-build')).toBe(
      [
      '#1 [internal] load metadata for docker.io/library/debian:bookworm-slim',
      '#1 DONE 0.8s',
      '',
      '#2 docker-image://docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf',
      '#2 CACHED',
      '',
      '#3 /bin/sh -c apt-get update && apt-get install -y --no-install-recommends build-essential',
      '#3 CACHED',
      '',
      '#4 local://context',
      '#4 transferring context:',
      '#4 transferring context: 4.21kB 0.2s done',
      '#4 DONE 0.2s',
      '',
      '#5 copy /src /app',
      '#5 DONE 0.1s',
      '',
      '#6 /bin/sh -c make -C /app',
      '#6 0.105 make: Entering directory \'/app\'',
      '#6 0.116 cc -O2 -Wall -o hello hello.c',
      '#6 1.213 make: Leaving directory \'/app\'',
      '#6 DONE 1.3s',
      '',
      '#7 exporting to image',
      '#7 exporting layers',
      '#7 exporting layers 0.3s done',
      '#7 writing image sha256:5b2c6a8e0a0f4c1d8d6e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1 done',
      '#7 naming to docker.io/library/hello:latest done',
      '#7 DONE 0.3s',
      ].join('\n') + '\n',
    );
  });

  it('two steps logging in parallel: output is grouped, and a step that waited too long takes over with "#N ..." and a re-printed header', () => {
    expect(plain('parallel-logs')).toBe(
      [
      '#1 [internal] load metadata for docker.io/library/debian:bookworm-slim',
      '#1 DONE 0.6s',
      '',
      '#2 docker-image://docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf',
      '#2 CACHED',
      '',
      '#3 /bin/sh -c npm ci --omit=dev',
      '#3 1.200 npm WARN deprecated inflight@1.0.6: This module is not supported',
      '#3 1.200 npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported',
      '#3 4.300 ',
      '#3 4.300 added 212 packages, and audited 213 packages in 5s',
      '#3 ...',
      '',
      '#4 /bin/sh -c cargo build --release',
      '#4 0.298    Compiling libc v0.2.155',
      '#4 1.598    Compiling proc-macro2 v1.0.86',
      '#4 2.898    Compiling unicode-ident v1.0.12',
      '#4 4.198    Compiling cfg-if v1.0.0',
      '#4 5.498    Compiling memchr v2.7.4',
      '#4 6.798    Compiling serde v1.0.204',
      '#4 8.098    Compiling quote v1.0.36',
      '#4 9.398    Compiling syn v2.0.72',
      '#4 10.70    Compiling tokio v1.39.2',
      '#4 12.00    Compiling serde_json v1.0.120',
      '#4 13.30    Compiling regex-syntax v0.8.4',
      '#4 14.60    Compiling aho-corasick v1.1.3',
      '#4 15.90    Compiling regex-automata v0.4.7',
      '#4 ...',
      '',
      '#3 /bin/sh -c npm ci --omit=dev',
      '#3 15.95 found 0 vulnerabilities ✓ café',
      '#3 DONE 17.5s',
      '',
      '#4 /bin/sh -c cargo build --release',
      '#4 17.20    Compiling regex v1.10.5',
      '#4 18.50    Compiling hyper v1.4.1',
      '#4 19.80    Compiling kiln-demo v0.1.0 (/src)',
      '#4 21.20     Finished `release` profile [optimized] target(s) in 21.37s',
      '#4 DONE 21.3s',
      '',
      '#5 exporting to image',
      '#5 exporting layers',
      '#5 exporting layers 0.8s done',
      '#5 DONE 0.8s',
      ].join('\n') + '\n',
    );
  });

  it('a failing step: its error, the canceled sibling, then the failure block with its last lines', () => {
    expect(plain('failing-step')).toBe(
      [
      '#1 docker-image://docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf',
      '#1 CACHED',
      '',
      '#2 /bin/sh -c make test',
      '#2 0.160 go test ./...',
      '#2 1.180 ok  \texample.com/app/api\t0.412s',
      '#2 1.180 --- FAIL: TestParse (0.00s)',
      '#2 1.270     parse_test.go:31: got "a", want "b"',
      '#2 1.270 FAIL',
      '#2 1.270 FAIL\texample.com/app/parse\t0.009s',
      '#2 1.282 FAIL',
      '#2 1.290 make: *** [Makefile:4: test] Error 1',
      '#2 ERROR: process "/bin/sh -c make test" did not complete successfully: exit code: 2',
      '',
      '#3 /bin/sh -c apt-get update && apt-get install -y curl',
      '#3 0.375 Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]',
      '#3 CANCELED',
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
      ].join('\n') + '\n',
    );
  });

  it('a canceled step, ending its unfinished output line first', () => {
    expect(plain('canceled')).toBe(
      [
      '#1 docker-image://docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf',
      '#1 CACHED',
      '',
      '#2 /bin/sh -c ./long-running-job.sh',
      '#2 0.508 step 1/3: warming up',
      '#2 4.198 step 2/3: crunching numbers',
      '#2 CANCELED',
      ].join('\n') + '\n',
    );
  });

  it('status lines with byte progress, repeated only every 5 % (or 5 s) until done', () => {
    expect(plain('image-pull')).toBe(
      [
      '#1 [internal] load metadata for docker.io/library/debian:bookworm-slim',
      '#1 DONE 1.2s',
      '',
      '#2 docker-image://docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf',
      '#2 resolve docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf',
      '#2 resolve docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf done',
      '#2 sha256:4a7e2f6c5d9e0c1f8a3b6d2e9f0a1c4b7d8e5f2a3c6b9d0e1f4a7c8b5d2e9f01 453B / 453B done',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 0B / 29.13MB',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 2.42MB / 29.13MB 0.2s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 4.85MB / 29.13MB 0.4s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 7.27MB / 29.13MB 0.6s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 9.70MB / 29.13MB 0.8s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 12.12MB / 29.13MB 1.0s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 14.55MB / 29.13MB 1.2s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 16.97MB / 29.13MB 1.4s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 19.40MB / 29.13MB 1.6s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 21.82MB / 29.13MB 1.8s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 24.25MB / 29.13MB 2.0s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 26.67MB / 29.13MB 2.2s',
      '#2 sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 29.13MB / 29.13MB 2.4s done',
      '#2 extracting sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae',
      '#2 extracting sha256:09f376ebb190216b0459f470e71bec7b5dfa611d66bf008492b40dcc5f1d8eae 1.2s done',
      '#2 extracting sha256:4a7e2f6c5d9e0c1f8a3b6d2e9f0a1c4b7d8e5f2a3c6b9d0e1f4a7c8b5d2e9f01 done',
      '#2 DONE 3.8s',
      '',
      '#3 /bin/sh -c apt-get update',
      '#3 0.430 Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]',
      '#3 0.430 Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]',
      '#3 0.700 Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]',
      '#3 0.700 Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8788 kB]',
      '#3 2.782 Fetched 9311 kB in 2s (4655 kB/s)',
      '#3 2.782 Reading package lists...',
      '#3 DONE 3.2s',
      ].join('\n') + '\n',
    );
  });

  it('a progress group as one step, and a warning', () => {
    expect(plain('progress-group')).toBe(
      [
      '#1 docker-image://docker.io/library/debian:bookworm-slim@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf',
      '#1 CACHED',
      '',
      '#2 copy --link /src /app',
      '#2 DONE 0.4s',
      '',
      '#3 /bin/sh -c ./configure',
      '#3 WARN: configure: no C++ compiler found, C++ bindings disabled',
      '#3 0.270 checking for gcc... gcc',
      '#3 0.270 checking whether the C compiler works... yes',
      '#3 DONE 1.2s',
      ].join('\n') + '\n',
    );
  });
});

const T0 = 1_717_171_717_000;
const enc = new TextEncoder();

function ev(part: Partial<StatusEvent>): StatusEvent {
  return { ...EMPTY_STATUS_EVENT, ...part };
}

function vtx(digest: string, name: string, extra: Partial<VertexUpdate> = {}): VertexUpdate {
  return { digest, inputs: [], name, cached: false, ...extra };
}

function log(vertex: string, text: string, at: number): LogChunk {
  return { vertex, stream: 1, data: enc.encode(text), timestamp: T0 + at };
}

/** Feeds events one by one and returns what each update printed. */
function printSteps(events: StatusEvent[]): { chunks: string[]; final: string } {
  const sink = new StringSink();
  const renderer = new PlainRenderer(sink);
  let state: ProgressState = INITIAL_PROGRESS_STATE;
  const chunks: string[] = [];
  for (const event of events) {
    state = reduce(state, event);
    renderer.update(state);
    chunks.push(sink.take());
  }
  renderer.done(state);
  return { chunks, final: sink.take() };
}

describe('plain output: unfinished lines and interleaving', () => {
  const a = vtx('a', '/bin/sh -c ./download.sh');
  const b = vtx('b', '/bin/sh -c ./build.sh');

  it('prints an unfinished line as it arrives and finishes it on the same line', () => {
    const { chunks } = printSteps([
      ev({ vertexes: [{ ...a, started: T0 }] }),
      ev({ logs: [log('a', 'Downloading... ', 100)] }),
      ev({ logs: [log('a', '50%... ', 200)] }),
      ev({ logs: [log('a', '100%\n', 300)] }),
      ev({ vertexes: [{ ...a, started: T0, completed: T0 + 400 }] }),
    ]);
    expect(chunks).toEqual([
      '#1 /bin/sh -c ./download.sh\n',
      '#1 0.100 Downloading... ',
      '50%... ',
      '100%\n',
      '#1 DONE 0.4s\n',
    ]);
  });

  it('ends an unfinished line when another step takes the screen, and re-prints it whole later', () => {
    const { chunks, final } = printSteps([
      ev({ vertexes: [{ ...a, started: T0 }] }),
      ev({ logs: [log('a', 'Downloading... ', 100)] }),
      ev({ vertexes: [{ ...b, started: T0 + 200 }] }),
      ev({ logs: [log('b', 'compiling\n', 300)] }),
      // b has waited more than 10 s: it gets the screen.
      ev({ logs: [log('b', 'linking\n', 10_500)] }),
      ev({ logs: [log('a', 'done\n', 10_600)] }),
      ev({ vertexes: [{ ...b, started: T0 + 200, completed: T0 + 10_700 }] }),
      ev({ vertexes: [{ ...a, started: T0, completed: T0 + 10_800 }] }),
    ]);
    expect(chunks.join('') + final).toBe(
      [
        '#1 /bin/sh -c ./download.sh',
        '#1 0.100 Downloading... ',
        '#1 ...',
        '',
        '#2 /bin/sh -c ./build.sh',
        '#2 0.100 compiling',
        '#2 10.30 linking',
        // a's new output, held back too long relative to b's share of the screen, takes over…
        '#2 ...',
        '',
        '#1 /bin/sh -c ./download.sh',
        '#1 0.100 Downloading... done',
        // …and b's completion brings b back.
        '#1 ...',
        '',
        '#2 /bin/sh -c ./build.sh',
        '#2 DONE 10.5s',
        '',
        '#1 /bin/sh -c ./download.sh',
        '#1 DONE 10.8s',
        '',
      ].join('\n'),
    );
  });

  it('prints the header of a running step as soon as the previous step finishes', () => {
    const { chunks } = printSteps([
      ev({ vertexes: [{ ...a, started: T0 }, { ...b, started: T0 + 1 }] }),
      ev({ vertexes: [{ ...a, started: T0, completed: T0 + 50 }] }),
    ]);
    expect(chunks).toEqual(['#1 /bin/sh -c ./download.sh\n', '#1 DONE 0.1s\n\n#2 /bin/sh -c ./build.sh\n']);
  });

  it('prints everything still pending when the stream ends, even for steps that never finished', () => {
    const { final } = printSteps([
      ev({ vertexes: [{ ...a, started: T0 }, { ...b, started: T0 + 1 }] }),
      ev({ logs: [log('b', 'still going', 50)] }),
    ]);
    expect(final).toBe('#1 ...\n\n#2 /bin/sh -c ./build.sh\n#2 0.049 still going\n');
  });

  it('a failed step with no output (a missing cache import) gets its ERROR line and no empty ------ block', () => {
    const { chunks, final } = printSteps([
      ev({ vertexes: [{ ...a, name: 'importing cache manifest from r/c:missing', started: T0, completed: T0 + 3, error: 'r/c:missing: not found' }] }),
      ev({ vertexes: [{ ...b, started: T0 + 4, completed: T0 + 60 }] }),
    ]);
    const all = chunks.join('') + final;
    expect(all).toContain('#1 ERROR: r/c:missing: not found\n');
    expect(all).toContain('#2 DONE');
    expect(all).not.toContain('------');
  });
});

describe('plain output: more output between two renders than the model holds', () => {
  it('says how many lines it could not show, then goes on', () => {
    const a = vtx('a', '/bin/sh -c ./chatty');
    const sink = new StringSink();
    const renderer = new PlainRenderer(sink);
    let state = reduce(INITIAL_PROGRESS_STATE, ev({ vertexes: [{ ...a, started: T0 }] }));
    renderer.update(state);
    const chunk = `${'x'.repeat(1023)}\n`.repeat(1024);
    for (let i = 0; i < 12; i++) state = reduce(state, ev({ logs: [log('a', chunk, i)] }));
    renderer.update(state);
    const out = sink.take().split('\n');
    expect(out[1]).toBe(`#1 [kiln: ${state.steps.get('a')!.logs.first} lines of output not shown: more arrived at once than kiln holds]`);
    expect(out.length - 3).toBe(12 * 1024 - state.steps.get('a')!.logs.first);
  });
});
