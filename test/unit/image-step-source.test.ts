import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { withoutShownLogTail } from '../../src/cli/shown-failure.js';
import { KilnError } from '../../src/errors.js';
import { compileImage } from '../../src/image/compile.js';
import { withFailedStepSource } from '../../src/image/failed-step-source.js';
import { Image } from '../../src/image/index.js';
import { imageFromGitDockerfile } from '../../src/image/image.js';
import { resolveStepSource, sourceSnippet, userFrame } from '../../src/image/step-source.js';
import { EMPTY_STATUS_EVENT, INITIAL_PROGRESS_STATE, reduce, type StatusEvent } from '../../src/progress/index.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const T0 = 1_717_171_717_000;

/** The digest of the op the compiled image names `name` (the step's progress name). */
function opNamed(img: Image, name: string): string {
  const compiled = compileImage(img);
  const hit = [...compiled.definition.metadata].find(([, m]) => m.description.get('llb.customname') === name);
  if (hit === undefined) throw new Error(`no op named ${name}`);
  return hit[0];
}

/** The error the client makes of a failed step (see client/build.ts buildError). */
function stepFailure(name: string, vertex: string): KilnError {
  return new KilnError('build_failed', `step "${name}" failed: exit code: 3\nlast 1 line of its output:\n0.100 boom`, {
    details: { step: name, vertex, stepError: 'exit code: 3', exitCode: 3, logTail: ['0.100 boom'] },
    hint: 'Fix the failing step (its output shows what went wrong) and build again.',
  });
}

describe('where a failed step was written', () => {
  it('names the line of the module that called the Image method, with the line marked >>>', () => {
    const base = Image.fromRegistry('busybox:latest');
    const lineOfCall = Number(new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
    const img = base.runCommands('exit 3');
    const compiled = compileImage(img);
    const vertex = opNamed(img, 'exit 3');
    const err = withFailedStepSource(stepFailure('exit 3', vertex), [compiled]);
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    const e = err as KilnError;
    expect(e.details.source?.line).toBe(lineOfCall);
    expect(e.details.source?.file).toContain('image-step-source.test.ts');
    expect(e.details.exitCode).toBe(3);
    // The location sits between the failure's line and the output, as buildx prints a Dockerfile's.
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('step "exit 3" failed: exit code: 3');
    expect(lines[1]).toMatch(/image-step-source\.test\.ts:\d+$/);
    expect(lines).toContain(`  ${String(lineOfCall).padStart(3)} | >>>     const img = base.runCommands('exit 3');`.slice(1));
    expect(lines.slice(-2)).toEqual(['last 1 line of its output:', '0.100 boom']);
  });

  it("dockerfileCommands([...]) written as a literal: names the failing element's line, not the call's", () => {
    const lineOfCall = Number(new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
    const img = Image.fromRegistry('busybox:latest').dockerfileCommands([
      'ENV A=1',
      'RUN echo one',
      'RUN echo three && exit 3',
      'RUN echo after',
    ]);
    const vertex = opNamed(img, 'echo three && exit 3');
    const e = withFailedStepSource(stepFailure('echo three && exit 3', vertex), [compileImage(img)]) as KilnError;
    expect(e.details.source).toMatchObject({ line: lineOfCall + 3, endLine: lineOfCall + 3 });
    expect(e.message).toContain(`${lineOfCall + 3} | >>>       'RUN echo three && exit 3',`);
    // A list built elsewhere: the call's line.
    const list = ['RUN echo one', 'RUN exit 4'];
    const lineOfOther = Number(new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
    const other = Image.fromRegistry('busybox:latest').dockerfileCommands(list);
    const o = withFailedStepSource(stepFailure('exit 4', opNamed(other, 'exit 4')), [compileImage(other)]) as KilnError;
    expect(o.details.source).toMatchObject({ line: lineOfOther, endLine: lineOfOther });
  });

  it('names a Dockerfile instruction by its lines, continuation lines included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-step-source-'));
    const text = ['FROM busybox:latest', 'ENV A=1', 'RUN echo one', 'WORKDIR /app', 'RUN echo two', '# comment', 'RUN echo line7 >&2 && \\', '    exit 5', 'RUN echo after', ''].join('\n');
    writeFileSync(join(dir, 'Dockerfile'), text);
    const img = Image.fromDockerfile(join(dir, 'Dockerfile'));
    const compiled = compileImage(img);
    const vertex = opNamed(img, 'echo line7 >&2 && exit 5');
    const e = withFailedStepSource(stepFailure('echo line7 >&2 && exit 5', vertex), [compiled]) as KilnError;
    expect(e.details.source).toMatchObject({ file: join(dir, 'Dockerfile'), line: 7, endLine: 8 });
    expect(e.message.split('\n').slice(1, 7)).toEqual([
      `${join(dir, 'Dockerfile')}:7`,
      '--------------------',
      '   6 |     # comment',
      '   7 | >>> RUN echo line7 >&2 && \\',
      '   8 | >>>     exit 5',
      '   9 |     RUN echo after',
    ]);
  });

  it('does not change the definition: the same image written on another line has the same bytes and digest', () => {
    const a = Image.fromRegistry('busybox:latest').runCommands('echo same').workdir('/app');
    const b = Image.fromRegistry('busybox:latest')
      .runCommands('echo same')
      .workdir('/app');
    expect(b.digest()).toBe(a.digest());
    expect(Buffer.from(b.definition().toBytes()).equals(Buffer.from(a.definition().toBytes()))).toBe(true);
  });

  it("names a git repository's Dockerfile (kiln build <git-url>) by its path in the repository and its lines", () => {
    const text = ['FROM busybox:latest AS base', 'COPY app.txt /alt.txt', 'FROM base AS final', 'RUN false', ''].join('\n');
    const img = imageFromGitDockerfile(text, { remote: 'https://git.example.com/org/repo.git', ref: 'v1', subdir: 'app' }, { file: 'docker/Dockerfile.alt' });
    const compiled = compileImage(img);
    const e = withFailedStepSource(stepFailure('false', opNamed(img, 'false')), [compiled]) as KilnError;
    expect(e.details.source).toMatchObject({ file: 'app/docker/Dockerfile.alt', line: 4, endLine: 4 });
    expect(e.message.split('\n').slice(0, 3)).toEqual(['step "false" failed: exit code: 3', 'app/docker/Dockerfile.alt:4', '--------------------']);
    expect(compiled.baseSources.get('docker.io/library/busybox:latest')).toMatchObject({ kind: 'dockerfile', file: 'app/docker/Dockerfile.alt', line: 1 });
  });

  it('gives a base image no step: a failure to load it names no line', () => {
    const img = Image.fromRegistry('busybox:latest').runCommands('true');
    const compiled = compileImage(img);
    const load = opNamed(img, 'load docker.io/library/busybox:latest');
    expect(compiled.sources.has(load)).toBe(false);
    const err = stepFailure('load docker.io/library/busybox:latest', load);
    expect(withFailedStepSource(err, [compiled])).toBe(err);
  });

  it('finds the step by its name when the definition was rewritten on the way (a pinned base changes every digest)', () => {
    const img = Image.fromRegistry('busybox:latest').runCommands('exit 3');
    const e = withFailedStepSource(stepFailure('exit 3', 'sha256:rewritten'), [compileImage(img)]) as KilnError;
    expect(e.details.source?.file).toContain('image-step-source.test.ts');
  });

  it('keeps the location when the CLI drops the output the progress display already printed', () => {
    const img = Image.fromRegistry('busybox:latest').runCommands('exit 3');
    const vertex = opNamed(img, 'exit 3');
    const events: StatusEvent[] = [
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: vertex, inputs: [], name: 'exit 3', cached: false, started: T0 }] },
      { ...EMPTY_STATUS_EVENT, logs: [{ vertex, stream: 1, data: new TextEncoder().encode('boom\n'), timestamp: T0 + 100 }] },
      { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: vertex, inputs: [], name: 'exit 3', cached: false, started: T0, completed: T0 + 200, error: 'exit code: 3' }] },
    ];
    const shown = events.reduce((s, ev) => reduce(s, ev), INITIAL_PROGRESS_STATE);
    const e = withoutShownLogTail(withFailedStepSource(stepFailure('exit 3', vertex), [compileImage(img)]), shown) as KilnError;
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('step "exit 3" failed: exit code: 3');
    expect(lines[1]).toMatch(/image-step-source\.test\.ts:\d+$/);
    expect(lines.some((l) => l.includes(">>>     const img = Image.fromRegistry('busybox:latest').runCommands('exit 3');"))).toBe(true);
    expect(e.message).not.toContain('boom');
  });

  it('names where a base image was named: the fromRegistry call, a Dockerfile FROM line; the digest does not change with it', () => {
    const lineOfCall = Number(new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
    const img = Image.fromRegistry('127.0.0.1:5000/nosuch/image:1').runCommands('true');
    const ref = '127.0.0.1:5000/nosuch/image:1';
    const source = compileImage(img).baseSources.get(ref);
    expect(source === undefined ? undefined : resolveStepSource(source)).toMatchObject({ line: lineOfCall, file: expect.stringContaining('image-step-source.test.ts') });
    const again = Image.fromRegistry('127.0.0.1:5000/nosuch/image:1')
      .runCommands('true');
    expect(again.digest()).toBe(img.digest());
    const dir = mkdtempSync(join(tmpdir(), 'kiln-step-source-'));
    writeFileSync(join(dir, 'Dockerfile'), ['FROM busybox:latest AS one', 'RUN true', '', `FROM ${ref}`, 'RUN echo two', ''].join('\n'));
    const fromFile = compileImage(Image.fromDockerfile(join(dir, 'Dockerfile'))).baseSources.get(ref);
    expect(fromFile === undefined ? undefined : resolveStepSource(fromFile)).toMatchObject({ file: join(dir, 'Dockerfile'), line: 4, endLine: 4 });
  });

  it('a failed "load metadata" step made of a base image error that carries its place says it once, after its first line', () => {
    const loc = { file: 'image.ts', line: 3, endLine: 3, snippet: ["   3 | >>> export default Image.fromRegistry('x:1')"] };
    const name = '[internal] load metadata for x:1';
    const err = new KilnError('build_failed', `step "${name}" failed: x:1: not found`, {
      details: { step: name, vertex: 'sha256:resolve', stepError: 'x:1: not found', source: loc },
      hint: 'Check that x:1 exists',
    });
    const e = withFailedStepSource(err, []) as KilnError;
    expect(e.message.split('\n')).toEqual([`step "${name}" failed: x:1: not found`, 'image.ts:3', '--------------------', loc.snippet[0], '--------------------']);
    expect(e.details.source).toEqual(loc);
    expect(withFailedStepSource(e, [])).toBe(e);
  });

  it('leaves other errors as they are', () => {
    const err = new KilnError('cancelled', 'the build was cancelled', { details: { step: 'x', vertex: 'sha256:x' } });
    expect(withFailedStepSource(err, [])).toBe(err);
  });
});

describe('stack frames and snippets', () => {
  it('skips kiln\'s own frames and Node\'s', () => {
    const stack = ['Error', '    at Image.#add (/k/src/image/image.ts:1550:5)', '    at node:internal/x:1:1', '    at Object.<anonymous> (/home/u/image.ts:12:4)'].join('\n');
    expect(userFrame(stack, '/k/src/')).toEqual({ file: '/home/u/image.ts', line: 12, column: 4 });
    expect(userFrame('    at file:///home/u/my%20img.ts:3:1', '/k/src/')).toEqual({ file: '/home/u/my img.ts', line: 3, column: 1 });
    expect(userFrame('    at Image.#add (/k/src/image/image.ts:1:1)', '/k/src/')).toBeUndefined();
  });

  it("skips installed packages' frames: kiln's CLI made the image, its argument parser is no file of the user's", () => {
    const cli = ['Error', '    at Image.#add (/k/src/image/image.ts:1550:5)', '    at Command.action (/k/src/cli/commands/build.ts:340:19)', '    at Command._parseCommand (/p/node_modules/commander/lib/command.js:1122:11)'];
    expect(userFrame(cli.join('\n'), '/k/src/')).toBeUndefined();
    expect(userFrame([...cli.slice(0, 2), '    at build (C:\\proj\\node_modules\\x\\i.js:1:1)', '    at main (/home/u/image.ts:7:1)'].join('\n'), '/k/src/')).toEqual({ file: '/home/u/image.ts', line: 7, column: 1 });
  });

  it('shows two lines around a single line, one around several, cut at the file\'s ends', () => {
    const text = 'a\nb\nc\nd\ne\n';
    expect(sourceSnippet(text, 1, 1)).toEqual(['   1 | >>> a', '   2 |     b', '   3 |     c']);
    expect(sourceSnippet(text, 4, 5)).toEqual(['   3 |     c', '   4 | >>> d', '   5 | >>> e']);
    expect(sourceSnippet(text, 9, 9)).toEqual([]);
  });

  it('a step keeps the text of its stack, not the images before it: an image built in a loop holds no earlier one', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let img = Image.fromRegistry('busybox:latest').runCommands('echo 0');
    const first = new WeakRef(img);
    for (let i = 1; i < 20; i++) img = img.runCommands(`echo ${i}`);
    // A WeakRef's target lives to the end of the job that made it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(first.deref()).toBeUndefined();
    expect(compileImage(img).plan).toHaveLength(20);
  });

  it('resolves a recorded stack to this file', () => {
    const loc = resolveStepSource({ kind: 'stack', stack: `Error\n    at x (${THIS_FILE}:2:1)` });
    expect(loc).toMatchObject({ line: 2, endLine: 2 });
    expect(loc?.snippet[1]).toBe('   2 | >>> import { tmpdir } from \'node:os\';');
  });
});
