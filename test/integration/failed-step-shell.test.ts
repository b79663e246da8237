/**
 * Looking inside a failed step: `onStepFailure` and `kiln build --on-failure`. A step writes /tmp/evidence and exits 3;
 * a command run in the failed step sees the file (the step's filesystem as its command left it), the build still fails,
 * and the container is released (a process left running in it is gone). dockerd 20.10 does not report the failed
 * step: there kiln says so and the build fails as before.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import type { FailedStep } from '../../src/client/failed-step-types.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { processGoneWithin, testEnv } from './test-env.js';

const env = testEnv();
/** dockerd 20.10 (BuildKit v0.8) sends build errors as text only; dockerd 26.1 and the buildkitd stand-in report the step. */
const reportsStep = env.engine === 'modern';
let client: Client;
let dir = '';

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  dir = mkdtempSync(join(tmpdir(), 'kiln-failed-step-it-'));
});

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A unique marker, so that no cached result stands in for the failing step. */
const marker = (): string => `${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
const failing = (mark: string): Image => Image.fromRegistry('busybox:latest').workdir('/srv').env({ STEP_VAR: 'set' }).runCommands(`echo evidence-${mark} > /tmp/evidence; exit 3`);

describe('a failed step', () => {
  it('onStepFailure runs a command in the step as its command left it, then the build fails and the container is released', async () => {
    const mark = marker();
    const sleeper = `${5000 + Math.floor(Math.random() * 4000)}.${process.pid}7`;
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    let seen: FailedStep | undefined;
    let exitCode: number | undefined;
    const err = await buildImage(client, failing(mark), {
      onStepFailure: async (failed) => {
        seen = failed;
        if (!failed.canRun) return;
        const exit = await failed.run({
          args: ['sh'],
          // A process left running: releasing the container stops it.
          stdin: Readable.from([`sleep ${sleeper} </dev/null >/dev/null 2>&1 &\ncat /tmp/evidence; echo "$STEP_VAR $(pwd)"; exit 5\n`]),
          stdout: out,
          stderr: new PassThrough(),
        });
        exitCode = exit.exitCode;
      },
    }).catch((e: unknown) => e);
    const ended = Date.now();
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    expect((err as KilnError).details['exitCode']).toBe(3);
    expect(seen).toBeDefined();
    if (reportsStep) {
      expect(seen?.canRun).toBe(true);
      expect(seen?.command?.cwd).toBe('/srv');
      expect(exitCode).toBe(5);
      expect(Buffer.concat(chunks).toString()).toBe(`evidence-${mark}\nset /srv\n`);
      expect(await processGoneWithin(`sleep ${sleeper}`, ended, 15_000)).toBe(true);
    } else {
      expect(seen?.canRun).toBe(false);
      expect(KilnError.is(seen?.unavailable, 'unsupported')).toBe(true);
      expect(seen?.unavailable?.message).toContain('does not report the failed step');
    }
  });

  it('kiln build --on-failure=exec -- cat /tmp/evidence prints what the step wrote, and exits as the failed build does', async () => {
    const mark = marker();
    writeFileSync(join(dir, 'failing.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest').runCommands('echo evidence-${mark} > /tmp/evidence; exit 3');\n`);
    const r = await runKiln(['build', 'failing.ts', '--progress', 'quiet', '--on-failure=exec', '--', 'cat', '/tmp/evidence'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`step "echo evidence-${mark} > /tmp/evidence; exit 3" failed`);
    if (reportsStep) {
      expect(r.stdout).toBe(`evidence-${mark}\n`);
      expect(r.stderr).toContain('[kiln] running cat /tmp/evidence in the failed step');
    } else {
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('kiln: --on-failure=exec: dockerd 20.10');
      expect(r.stderr).toContain('does not report the failed step');
    }
  });

  it('kiln build --on-failure=shell reads the commands piped to it', async () => {
    const mark = marker();
    writeFileSync(join(dir, 'failing-shell.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest').runCommands('echo evidence-${mark} > /tmp/evidence; exit 3');\n`);
    const r = await runKiln(['build', 'failing-shell.ts', '--progress', 'quiet', '--on-failure=shell'], { cwd: dir, stdin: 'cat /tmp/evidence\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(reportsStep ? `evidence-${mark}\n` : '');
  });
});
