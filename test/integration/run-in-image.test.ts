/**
 * `runInImage` and `kiln run`: a command run in the built image on the daemon itself (gateway containers), as a CI
 * machine with a BuildKit daemon and no Docker runs its image. Checked as a user sees it: the command's output, its
 * exit code, its stdin, and a cancelled command's process gone from the daemon's machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image } from '../../src/image/index.js';
import { runInImage } from '../../src/image/run-in-image.js';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { processGoneWithin, STEP_GONE_MS, testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
let dir = '';

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  dir = mkdtempSync(join(tmpdir(), 'kiln-run-it-'));
});

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

const image = Image.fromRegistry('busybox:latest').env({ GREETING: 'hello world' }).workdir('/srv/app').runCommands('echo built > /srv/app/made').user('nobody');

/** A stream that keeps what is written to it. */
function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

describe('runInImage', () => {
  it('runs the command in the built image with its env, working directory and user, and returns its exit code', async () => {
    const out = collector();
    const err = collector();
    const result = await runInImage(client, image, {
      args: ['sh', '-c', 'echo "$GREETING|$EXTRA|$(pwd)|$(id -un)|$(cat made)"; echo to-stderr >&2; exit 3'],
      env: { EXTRA: 'given' },
      stdout: out.stream,
      stderr: err.stream,
    });
    expect(result.exitCode).toBe(3);
    expect(out.text()).toBe('hello world|given|/srv/app|nobody|built\n');
    expect(err.text()).toBe('to-stderr\n');
    // Nothing was exported.
    expect(result.built.names).toEqual([]);
    expect(result.built.digest).toBeUndefined();
  });

  it('pipes stdin to the command, and without a command runs the image\'s entrypoint and cmd', async () => {
    const out = collector();
    const piped = await runInImage(client, image, {
      args: ['sh', '-c', 'wc -c; exit 0'],
      stdin: Readable.from([Buffer.alloc(300_000, 'x'), Buffer.from('end\n')]),
      stdout: out.stream,
      stderr: new PassThrough(),
    });
    expect(piped.exitCode).toBe(0);
    expect(out.text().trim()).toBe('300004');
    const fromCmd = collector();
    const byDefault = await runInImage(client, image.user('root').cmd(['sh', '-c', 'echo "cmd as $(id -un)"']), { stdout: fromCmd.stream, stderr: new PassThrough() });
    expect(byDefault.exitCode).toBe(0);
    expect(fromCmd.text()).toBe('cmd as root\n');
  });

  it('an abort while the command runs stops it on the daemon (the container is released) and rejects as cancelled', async () => {
    const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}`;
    const controller = new AbortController();
    const out = new PassThrough();
    out.on('data', () => controller.abort(new Error('stop')));
    const run = runInImage(client, image, { args: ['sh', '-c', `echo running; exec sleep ${marker}`], stdout: out, stderr: new PassThrough(), signal: controller.signal });
    const err = await run.catch((e: unknown) => e);
    expect(KilnError.is(err, 'cancelled')).toBe(true);
    expect(await processGoneWithin(`sleep ${marker}`, Date.now(), STEP_GONE_MS)).toBe(true);
    // The client is still usable: the build ended cleanly.
    const again = await runInImage(client, image, { args: ['true'], stdout: new PassThrough(), stderr: new PassThrough() });
    expect(again.exitCode).toBe(0);
  });
});

describe('kiln run', () => {
  it('exits with the command\'s exit code, prints its output, and forwards piped stdin', async () => {
    writeFileSync(
      join(dir, 'image.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
        "export default Image.fromRegistry('busybox:latest').env({ GREETING: 'hi' }).workdir('/srv').user('nobody');\n",
    );
    const r = await runKiln(['run', 'image.ts', '--progress', 'quiet', '-e', 'EXTRA=1', '--', 'sh', '-c', 'echo "$GREETING $EXTRA $(id -un) $(pwd)"; tr a-z A-Z; exit 7'], {
      cwd: dir,
      stdin: 'piped in\n',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hi 1 nobody /srv\nPIPED IN\n');
    expect(r.code).toBe(7);
  });

  it('Ctrl-C (twice where the first reaches the command) stops the command on the daemon and exits 130', async () => {
    writeFileSync(join(dir, 'sleeper.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest');\n`);
    const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}1`;
    let sent = 0;
    // The shell's INT trap shows the first Ctrl-C reached it (BuildKit v0.10+ forwards it); only then is the second
    // sent — two signals sent back to back may reach kiln as one.
    const script = `trap 'echo got-int' INT; echo running; sleep ${marker} & wait; wait`;
    const r = await runKiln(['run', 'sleeper.ts', '--progress', 'quiet', '--', 'sh', '-c', script], {
      cwd: dir,
      onSpawn: (child) => {
        let saw = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          saw += chunk.toString();
          if (saw === 'running\n') {
            sent = Date.now();
            child.kill('SIGINT');
          }
          if (saw === 'running\ngot-int\n') child.kill('SIGINT');
        });
      },
    });
    if (env.engine !== 'debian') expect(r.stdout).toBe('running\ngot-int\n');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('the run was cancelled (SIGINT)');
    expect(await processGoneWithin(`sleep ${marker}`, sent, STEP_GONE_MS)).toBe(true);
  });
});
