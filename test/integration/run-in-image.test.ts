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
import { image as llbImage, marshal } from '../../src/llb/index.js';
import { KILN_INDEX_URL, runKiln, runKilnSignalledOnOutput } from './kiln-cli.js';
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

  it('an abort with abortMode release stops the command on the daemon at once (the container is released) and rejects as cancelled', async () => {
    const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}`;
    const controller = new AbortController();
    const out = new PassThrough();
    out.on('data', () => controller.abort(new Error('stop')));
    const run = runInImage(client, image, {
      args: ['sh', '-c', `echo running; exec sleep ${marker}`],
      stdout: out,
      stderr: new PassThrough(),
      signal: controller.signal,
      abortMode: 'release',
    });
    const err = await run.catch((e: unknown) => e);
    expect(KilnError.is(err, 'cancelled')).toBe(true);
    expect(await processGoneWithin(`sleep ${marker}`, Date.now(), STEP_GONE_MS)).toBe(true);
    // The client is still usable: the build ended cleanly.
    const again = await runInImage(client, image, { args: ['true'], stdout: new PassThrough(), stderr: new PassThrough() });
    expect(again.exitCode).toBe(0);
  });
  it(
    env.engine === 'debian'
      ? 'BuildKit v0.8 cannot signal: stop() sends nothing and says so (the caller aborts instead)'
      : 'stop() passes TERM to the command and, when it has not exited after stopTimeout, kills it (exit 137, as docker stop)',
    async () => {
      const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}2`;
      const controller = new AbortController();
      const out = collector();
      let stopped: boolean | undefined;
      let killed = 0;
      // A command that hears TERM and goes on: only the kill ends it.
      const script = `trap 'echo got-term' TERM; echo running; sleep ${marker} & while :; do wait; done`;
      const run = runInImage(client, image, {
        args: ['sh', '-c', script],
        stopTimeout: 2,
        stdout: out.stream,
        stderr: new PassThrough(),
        signal: controller.signal,
        onCommandStart: (command) => {
          out.stream.once('data', () => {
            stopped = command.stop('TERM', () => killed++);
            if (!stopped) controller.abort(new Error('cannot signal'));
          });
        },
      });
      const result = await run.catch((e: unknown) => e);
      if (env.engine === 'debian') {
        expect(stopped).toBe(false);
        expect(KilnError.is(result, 'cancelled')).toBe(true);
      } else {
        expect(stopped).toBe(true);
        expect((result as { exitCode: number }).exitCode).toBe(137);
        expect(out.text()).toBe('running\ngot-term\n');
      }
      expect(killed).toBe(env.engine === 'debian' ? 0 : 1);
      expect(await processGoneWithin(`sleep ${marker}`, Date.now(), STEP_GONE_MS)).toBe(true);
    },
  );

  // A command that reports which stop signal reached it, then exits; TERM it hears and goes on (only KILL ends it).
  const stopScript = (marker: string): string =>
    `trap 'echo got-usr1; exit 3' USR1; trap 'echo got-quit; exit 4' QUIT; trap 'echo got-term' TERM; echo running; sleep ${marker} & while :; do wait; done`;
  const withStopSignal = Image.fromRegistry('busybox:latest').stopSignal('SIGUSR1');

  it(
    env.engine === 'debian'
      ? 'BuildKit v0.8 cannot signal: an abort releases the container at once, and a stopSignal is refused as unsupported'
      : "an abort stops the command as docker stop does: the image's STOPSIGNAL first (stopSignal wins over it), then rejects as cancelled",
    async () => {
      const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}4`;
      const controller = new AbortController();
      const out = collector();
      out.stream.once('data', () => controller.abort(new Error('stop')));
      const err = await runInImage(client, withStopSignal, { args: ['sh', '-c', stopScript(marker)], stdout: out.stream, stderr: new PassThrough(), signal: controller.signal }).catch(
        (e: unknown) => e,
      );
      expect(KilnError.is(err, 'cancelled')).toBe(true);
      expect(out.text()).toBe(env.engine === 'debian' ? 'running\n' : 'running\ngot-usr1\n');
      expect(await processGoneWithin(`sleep ${marker}`, Date.now(), STEP_GONE_MS)).toBe(true);
      // stopSignal (docker run --stop-signal) over the image's; stop() sends it.
      const given = collector();
      let stopped: boolean | undefined;
      const result = await runInImage(client, withStopSignal, {
        args: ['sh', '-c', stopScript(`${marker}5`)],
        stopSignal: 'SIGQUIT',
        stdout: given.stream,
        stderr: new PassThrough(),
        onCommandStart: (command) => {
          given.stream.once('data', () => {
            stopped = command.stop();
          });
        },
      }).catch((e: unknown) => e);
      if (env.engine === 'debian') {
        expect(KilnError.is(result, 'unsupported')).toBe(true);
        expect((result as KilnError).message).toContain('gateway.exec.signals');
        expect(stopped).toBeUndefined();
      } else {
        expect(stopped).toBe(true);
        expect((result as { exitCode: number }).exitCode).toBe(4);
        expect(given.text()).toBe('running\ngot-quit\n');
      }
    },
  );

  it(
    env.engine === 'debian'
      ? 'gateway.runProcess: BuildKit v0.8 cannot signal, so an abort releases the container at once'
      : "gateway.runProcess: an abort stops the command as docker stop does (TERM, then the release); abortMode 'release' releases it at once",
    async () => {
      const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}6`;
      const script = (m: string): string => `trap 'echo got-term; exit 3' TERM; echo running; sleep ${m} & while :; do wait; done`;
      const outputs: Record<string, string> = {};
      const errors: Record<string, unknown> = {};
      await client.build({}, async (gw) => {
        const ref = await gw.solve(marshal(llbImage('docker.io/library/busybox:latest'), { caps: gw.llbCaps }));
        for (const mode of ['stop', 'release'] as const) {
          const controller = new AbortController();
          const out = collector();
          out.stream.once('data', () => controller.abort(new Error('stop')));
          const spec = { args: ['sh', '-c', script(`${marker}${mode === 'stop' ? 1 : 2}`)], env: ['PATH=/bin'], cwd: '/', user: '', tty: false };
          errors[mode] = await gw
            .runProcess(ref, spec, { stdout: out.stream, stderr: new PassThrough() }, controller.signal, undefined, mode === 'stop' ? {} : { abortMode: 'release' })
            .catch((e: unknown) => e);
          outputs[mode] = out.text();
        }
        return {};
      });
      expect(KilnError.is(errors['stop'], 'cancelled')).toBe(true);
      expect(KilnError.is(errors['release'], 'cancelled')).toBe(true);
      expect(outputs).toEqual({ stop: env.engine === 'debian' ? 'running\n' : 'running\ngot-term\n', release: 'running\n' });
      const since = Date.now();
      expect(await processGoneWithin(`sleep ${marker}1`, since, STEP_GONE_MS)).toBe(true);
      expect(await processGoneWithin(`sleep ${marker}2`, since, STEP_GONE_MS)).toBe(true);
    },
  );

  it('a command that cannot start exits as under docker run: 127 not found, 126 not executable; the command\'s own exit 1 stays 1', async () => {
    const codes = Image.fromRegistry('busybox:latest').runCommands('echo echo hi > /not-executable');
    const cases: [readonly string[], number][] = [
      [['no-such-command'], 127],
      [['/no/such/file'], 127],
      [['/not-executable'], 126],
      [['/etc'], 126],
      [['sh', '-c', 'exit 1'], 1],
    ];
    for (const [args, code] of cases) {
      const result = await runInImage(client, codes, { args, stdout: new PassThrough(), stderr: new PassThrough() });
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: code });
    }
  });

  it('rejects a stopTimeout that is not whole seconds or -1', async () => {
    const err = await runInImage(client, image, { args: ['true'], stopTimeout: 1.5 }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
  });

  it('rejects a stopSignal that is not a Linux signal, saying what one looks like', async () => {
    const err = await runInImage(client, image, { args: ['true'], stopSignal: 'SIGRTMIN+16' }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toContain('"SIGRTMIN+16" is not a Linux signal; use a name such as SIGTERM, SIGQUIT or SIGRTMIN+3');
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

  it(
    env.engine === 'debian'
      ? 'BuildKit v0.8 cannot signal: SIGTERM stops the command at once, with no grace period (exit 143)'
      : 'SIGTERM goes to the command; one that has not exited after --stop-timeout is killed: a line on stderr, exit 137',
    async () => {
      writeFileSync(join(dir, 'sleeper.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest');\n`);
      const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}3`;
      const script = `trap 'echo got-term' TERM; echo running; sleep ${marker} & while :; do wait; done`;
      const { r, sent } = await runKilnSignalledOnOutput(['run', '--stop-timeout', '2', 'sleeper.ts', '--progress', 'quiet', '--', 'sh', '-c', script], { cwd: dir });
      if (env.engine === 'debian') {
        expect(r.stdout).toBe('running\n');
        expect(r.code).toBe(143);
        expect(r.stderr).toContain('the run was cancelled (SIGTERM)');
        expect(r.stderr).not.toContain('SIGKILL');
      } else {
        expect(r.stdout).toBe('running\ngot-term\n');
        expect(r.stderr).toBe('kiln: the command did not exit within 2s of SIGTERM: killed it (SIGKILL)\n');
        expect(r.code).toBe(137);
      }
      expect(await processGoneWithin(`sleep ${marker}`, sent, STEP_GONE_MS)).toBe(true);
    },
  );

  it(
    env.engine === 'debian'
      ? 'BuildKit v0.8 cannot signal: SIGTERM to a command reading a pipe that stays open stops it at once (exit 143)'
      : 'a command that SIGTERM ended while its stdin pipe stays open (BuildKit v0.13 says so only once stdin ends) exits with its own code, and is not said to be killed',
    async () => {
      writeFileSync(join(dir, 'sleeper.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest');\n`);
      const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}7`;
      const script = `trap 'echo got-term; exit 9' TERM; echo running; sleep ${marker} & wait`;
      const { r, sent } = await runKilnSignalledOnOutput(['run', '--stop-timeout', '2', 'sleeper.ts', '--progress', 'quiet', '--', 'sh', '-c', script], {
        cwd: dir,
        // A pipe whose writer stays: never closed by the test.
        holdStdin: true,
      });
      if (env.engine === 'debian') {
        expect(r.stdout).toBe('running\n');
        expect(r.code).toBe(143);
        expect(r.stderr).toContain('the run was cancelled (SIGTERM)');
      } else {
        expect(r.stdout).toBe('running\ngot-term\n');
        expect(r.stderr).toBe('');
        expect(r.code).toBe(9);
      }
      expect(await processGoneWithin(`sleep ${marker}`, sent, STEP_GONE_MS)).toBe(true);
    },
  );

  it(
    env.engine === 'debian'
      ? '--stop-signal on BuildKit v0.8 is refused before the command runs, naming the missing capability'
      : '--stop-signal: SIGTERM to kiln sends the command that signal instead (docker run --stop-signal); it exits with its code',
    async () => {
      writeFileSync(join(dir, 'sleeper.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest');\n`);
      const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}6`;
      const script = `trap 'echo got-quit; exit 4' QUIT; trap 'echo got-term' TERM; echo running; sleep ${marker} & while :; do wait; done`;
      const r = await runKiln(['run', '--stop-signal', 'QUIT', 'sleeper.ts', '--progress', 'quiet', '--', 'sh', '-c', script], {
        cwd: dir,
        onSpawn: (child) => {
          child.stdout?.once('data', () => child.kill('SIGTERM'));
        },
      });
      if (env.engine === 'debian') {
        expect(r.stdout).toBe('');
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('gateway.exec.signals');
      } else {
        expect(r.stdout).toBe('running\ngot-quit\n');
        expect(r.stderr).toBe('');
        expect(r.code).toBe(4);
      }
      expect(await processGoneWithin(`sleep ${marker}`, Date.now(), STEP_GONE_MS)).toBe(true);
      const bad = await runKiln(['run', '--stop-signal', 'SIGNOPE', 'sleeper.ts', '--', 'true'], { cwd: dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('"SIGNOPE" is not a Linux signal');
    },
  );

  it(
    env.engine === 'debian'
      ? 'an image whose STOPSIGNAL is a real-time signal (SIGRTMIN+3, as systemd images): SIGTERM to kiln stops the command at once on BuildKit v0.8'
      : 'an image whose STOPSIGNAL is a real-time signal (SIGRTMIN+3, as systemd images): SIGTERM to kiln sends the command that signal',
    async () => {
      writeFileSync(join(dir, 'rt-stop.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest').stopSignal('SIGRTMIN+3');\n`);
      const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}7`;
      // Trapped by number: SIGRTMIN+3 is 37 on Linux.
      const script = `trap 'echo got-37; exit 5' 37; trap 'echo got-term' TERM; echo running; sleep ${marker} & while :; do wait; done`;
      const r = await runKiln(['run', 'rt-stop.ts', '--progress', 'quiet', '--', 'sh', '-c', script], {
        cwd: dir,
        onSpawn: (child) => {
          child.stdout?.once('data', () => child.kill('SIGTERM'));
        },
      });
      if (env.engine === 'debian') {
        expect(r.stdout).toBe('running\n');
        expect(r.code).toBe(143);
      } else {
        expect(r.stdout).toBe('running\ngot-37\n');
        expect(r.stderr).toBe('');
        expect(r.code).toBe(5);
      }
      expect(await processGoneWithin(`sleep ${marker}`, Date.now(), STEP_GONE_MS)).toBe(true);
    },
  );

  it(
    env.engine === 'debian'
      ? 'SIGUSR1/SIGUSR2/SIGQUIT cannot reach the command on BuildKit v0.8; SIGTERM stops it at once'
      : 'SIGUSR1, SIGUSR2 and SIGQUIT to kiln reach the command each time, as docker run\'s signal proxy passes them; none of them stops it',
    async () => {
      writeFileSync(join(dir, 'passed.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest');\n`);
      const marker = `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}8`;
      const script = `trap 'echo got-usr1' USR1; trap 'echo got-usr2' USR2; trap 'echo got-quit; exit 3' QUIT; echo running; sleep ${marker} & while :; do wait; done`;
      // Each signal once the command has answered the one before.
      const next: Record<string, NodeJS.Signals> =
        env.engine === 'debian'
          ? { 'running\n': 'SIGTERM' }
          : { 'running\n': 'SIGUSR1', 'running\ngot-usr1\n': 'SIGUSR1', 'running\ngot-usr1\ngot-usr1\n': 'SIGUSR2', 'running\ngot-usr1\ngot-usr1\ngot-usr2\n': 'SIGQUIT' };
      const r = await runKiln(['run', 'passed.ts', '--progress', 'quiet', '--', 'sh', '-c', script], {
        cwd: dir,
        onSpawn: (child) => {
          let out = '';
          child.stdout?.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const signal = next[out];
            if (signal !== undefined) child.kill(signal);
          });
        },
      });
      if (env.engine === 'debian') {
        expect(r.stdout).toBe('running\n');
        expect(r.code).toBe(143);
      } else {
        expect(r.stdout).toBe('running\ngot-usr1\ngot-usr1\ngot-usr2\ngot-quit\n');
        expect(r.stderr).toBe('');
        expect(r.code).toBe(3);
      }
      expect(await processGoneWithin(`sleep ${marker}`, Date.now(), STEP_GONE_MS)).toBe(true);
    },
  );

  it('--stop-timeout takes whole seconds or -1', async () => {
    const r = await runKiln(['run', '--stop-timeout', '2s', 'sleeper.ts', '--', 'true'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"2s" is not a number of seconds');
  });

  it('a command that cannot start exits 127 (not found), as under docker run, and says why on stderr', async () => {
    writeFileSync(join(dir, 'sleeper.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest');\n`);
    const r = await runKiln(['run', 'sleeper.ts', '--progress', 'quiet', '--', 'no-such-command'], { cwd: dir });
    expect(r.code).toBe(127);
    // Why, in the daemon's words (runc's).
    expect(r.stderr).toContain('no-such-command');
  });
});
