/**
 * A failed build names where the failing step was written, on the real daemon: the line of the user's image.ts that
 * added it, or the Dockerfile's lines (dockerd 20.10 sends no structured error: kiln finds the step from the status
 * stream's failed vertex and its own record of which step made each op).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
let project = '';

const MODULE = [
  `import { Image } from '${KILN_INDEX_URL}';`,
  '',
  "const base = Image.fromRegistry('busybox:latest');",
  '',
  'export default base',
  "  .runCommands('echo first')",
  "  .runCommands('echo to-stderr >&2; exit 3');",
  '',
].join('\n');

// The failing instruction is the third line of a literal array written over several lines.
const COMMANDS_MODULE = [
  `import { Image } from '${KILN_INDEX_URL}';`,
  '',
  "export default Image.fromRegistry('busybox:latest').dockerfileCommands([",
  "  'ENV A=1',",
  "  'RUN echo one',",
  "  'RUN echo commands-three >&2 && exit 4',",
  "  'RUN echo after',",
  ']);',
  '',
].join('\n');

const DOCKERFILE = ['FROM busybox:latest', 'ENV A=1', 'RUN echo one', 'WORKDIR /app', 'RUN echo two', '# comment', 'RUN echo line7 >&2 && \\', '    exit 5', 'RUN echo after', ''].join('\n');

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  project = mkdtempSync(join(tmpdir(), 'kiln-failed-step-'));
  writeFileSync(join(project, 'image.ts'), MODULE);
  writeFileSync(join(project, 'commands.ts'), COMMANDS_MODULE);
  writeFileSync(join(project, 'Dockerfile'), DOCKERFILE);
});

afterAll(async () => {
  await client?.close();
  rmSync(project, { recursive: true, force: true });
});

describe('a failed step names where it was written', () => {
  it('kiln build --progress plain: the step output, then the error with image.ts:7 and the line marked >>>', async () => {
    const r = await runKiln(['build', 'image.ts', '--progress', 'plain', '--no-cache'], { cwd: project });
    expect(r.code).toBe(1);
    const err = r.stderr.slice(r.stderr.indexOf('error: '));
    const lines = err.split('\n');
    // The daemon's own words differ (BuildKit v0.8: 'executor failed running […]', v0.13: 'process "…" did not complete successfully').
    expect(lines[0]).toMatch(/^error: step "echo to-stderr >&2; exit 3" failed: .*exit code: 3$/);
    expect(lines.slice(1, 8)).toEqual([
      'image.ts:7',
      '--------------------',
      '   5 |     export default base',
      "   6 |       .runCommands('echo first')",
      "   7 | >>>   .runCommands('echo to-stderr >&2; exit 3');",
      '--------------------',
      'hint: Fix the failing step (its output shows what went wrong) and build again.',
    ]);
    // The output was shown once, in the failure block before the error.
    expect(r.stderr).toMatch(/------\n > echo to-stderr >&2; exit 3:\n#\d+ [\d.]+ to-stderr\n------\n/);
  });

  it("kiln build of dockerfileCommands([...]): the error names the failing element's line of the literal array, not the call's", async () => {
    const r = await runKiln(['build', 'commands.ts', '--progress', 'plain', '--no-cache'], { cwd: project });
    expect(r.code).toBe(1);
    const lines = r.stderr.slice(r.stderr.indexOf('error: ')).split('\n');
    expect(lines[0]).toMatch(/^error: step "echo commands-three >&2 && exit 4" failed: .*exit code: 4$/);
    expect(lines.slice(1, 9)).toEqual([
      'commands.ts:6',
      '--------------------',
      "   4 |       'ENV A=1',",
      "   5 |       'RUN echo one',",
      "   6 | >>>   'RUN echo commands-three >&2 && exit 4',",
      "   7 |       'RUN echo after',",
      '   8 |     ]);',
      '--------------------',
    ]);
  });

  it('buildImage of a Dockerfile: the error carries the Dockerfile lines of the failed RUN, its exit code and output', async () => {
    const image = Image.fromDockerfile(join(project, 'Dockerfile'));
    const err = await buildImage(client, image, { context: project, output: `type=local,dest=${join(project, 'out')}` }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    const e = err as KilnError;
    expect(e.details.exitCode).toBe(5);
    expect(e.details.logTail).toEqual([expect.stringMatching(/ line7$/)]);
    expect(e.details.source).toMatchObject({ file: join(project, 'Dockerfile'), line: 7, endLine: 8 });
    expect(e.message).toContain(['   7 | >>> RUN echo line7 >&2 && \\', '   8 | >>>     exit 5'].join('\n'));
  });

  it('buildImage of a base image the registry does not have: the error names the fromRegistry line', async () => {
    const ref = `${env.registry.address}/kiln-it-no-such-base/image:1`;
    const lineOfCall = Number(new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
    const image = Image.fromRegistry(ref).runCommands('true');
    const err = await buildImage(client, image, { context: project }).catch((e: unknown) => e);
    expect(KilnError.is(err)).toBe(true);
    const e = err as KilnError;
    expect(e.details.baseImage).toBe(ref);
    expect(e.details.source).toMatchObject({ file: expect.stringContaining('failed-step-source.test.ts'), line: lineOfCall });
    const lines = e.message.split('\n');
    expect(lines[0]).toContain(`load metadata for ${ref}`);
    expect(lines[1]).toMatch(new RegExp(`failed-step-source\\.test\\.ts:${lineOfCall}$`));
    expect(lines.filter((l) => l.includes('>>>'))).toEqual([expect.stringContaining(`Image.fromRegistry(ref).runCommands('true');`)]);
  });

  it('a missing local file names the Dockerfile COPY line, or the addLocalFile call, before anything is built', async () => {
    writeFileSync(join(project, 'Dockerfile.copy'), ['FROM busybox:latest', 'RUN echo one', 'COPY missing.txt /x', ''].join('\n'));
    const fromFile = await buildImage(client, Image.fromDockerfile(join(project, 'Dockerfile.copy')), { context: project }).catch((e: unknown) => e);
    expect(KilnError.is(fromFile, 'not_found')).toBe(true);
    expect((fromFile as KilnError).details.source).toMatchObject({ file: join(project, 'Dockerfile.copy'), line: 3, endLine: 3 });
    expect((fromFile as KilnError).message).toContain('   3 | >>> COPY missing.txt /x');
    const lineOfCall = Number(new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
    const image = Image.fromRegistry('busybox:latest').addLocalFile('missing.txt', '/x');
    const inCode = await buildImage(client, image, { context: project }).catch((e: unknown) => e);
    expect(KilnError.is(inCode, 'not_found')).toBe(true);
    expect((inCode as KilnError).details.source).toMatchObject({ file: expect.stringContaining('failed-step-source.test.ts'), line: lineOfCall });
  });

  it('kiln build --progress plain of a missing base: the error names the image.ts line of fromRegistry', async () => {
    const ref = `${env.registry.address}/kiln-it-no-such-base/image:2`;
    writeFileSync(join(project, 'base.ts'), [`import { Image } from '${KILN_INDEX_URL}';`, '', `export default Image.fromRegistry('${ref}')`, "  .runCommands('true');", ''].join('\n'));
    const r = await runKiln(['build', 'base.ts', '--progress', 'plain'], { cwd: project });
    expect(r.code).toBe(1);
    const err = r.stderr.slice(r.stderr.indexOf('error: '));
    expect(err.split('\n').slice(1, 4)).toEqual(['base.ts:3', '--------------------', '   1 |     import { Image } from \'' + KILN_INDEX_URL + "';"]);
    expect(err).toContain(`   3 | >>> export default Image.fromRegistry('${ref}')`);
  });
});
