/**
 * Looking inside a failed step: `onStepFailure` and `kiln build --on-failure`. A step writes /tmp/evidence and exits 3;
 * a command run in the failed step sees the file (the step's filesystem as its command left it), the build still fails,
 * and the container is released (a process left running in it is gone); opened in its initial state, the file is not
 * there yet. At a terminal the shell gets a tty of the user's; with `--progress rawjson` every line of stderr stays JSON.
 * dockerd 20.10 does not report the failed step: there kiln says so and the build fails as before.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import type { FailedStep } from '../../src/client/failed-step-types.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import { KILN_BIN, KILN_INDEX_URL, runKiln, runKilnSignalledOnOutput, type CliRun } from './kiln-cli.js';
import { quote, terminal } from './pty-terminal.js';
import { processGoneWithin, STEP_GONE_MS, testEnv } from './test-env.js';

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
/** A module (in the test's directory) whose step writes /tmp/evidence and exits 3. */
const failingModule = (file: string, mark: string): void =>
  writeFileSync(join(dir, file), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest').runCommands('echo evidence-${mark} > /tmp/evidence; exit 3');\n`);
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

  it(
    reportsStep
      ? "an abort of run()'s signal stops the command as docker stop does (TERM; abortMode 'release': at once), and run() rejects as cancelled"
      : 'dockerd 20.10 does not report the step: there is nothing to run, or abort',
    async () => {
      const mark = marker();
      const sleeper = `${5000 + Math.floor(Math.random() * 4000)}.${process.pid}8`;
      const outputs: Record<string, string> = {};
      const errors: Record<string, unknown> = {};
      let seen: FailedStep | undefined;
      const err = await buildImage(client, failing(mark), {
        onStepFailure: async (failed) => {
          seen = failed;
          if (!failed.canRun) return;
          for (const mode of ['stop', 'release'] as const) {
            const controller = new AbortController();
            const out = new PassThrough();
            const chunks: Buffer[] = [];
            out.on('data', (c: Buffer) => chunks.push(c));
            out.once('data', () => controller.abort(new Error('stop')));
            errors[mode] = await failed
              .run({
                args: ['sh', '-c', `trap 'echo got-term; exit 3' TERM; echo running; sleep ${sleeper}${mode === 'stop' ? 1 : 2} & while :; do wait; done`],
                stdout: out,
                stderr: new PassThrough(),
                signal: controller.signal,
                ...(mode === 'stop' ? {} : { abortMode: 'release' as const }),
              })
              .catch((e: unknown) => e);
            outputs[mode] = Buffer.concat(chunks).toString();
          }
        },
      }).catch((e: unknown) => e);
      const ended = Date.now();
      // The build fails as it would have.
      expect(KilnError.is(err, 'build_failed')).toBe(true);
      expect(seen?.canRun).toBe(reportsStep);
      if (!reportsStep) return;
      expect(KilnError.is(errors['stop'], 'cancelled')).toBe(true);
      expect(KilnError.is(errors['release'], 'cancelled')).toBe(true);
      expect(outputs).toEqual({ stop: 'running\ngot-term\n', release: 'running\n' });
      expect(await processGoneWithin(`sleep ${sleeper}1`, ended, STEP_GONE_MS)).toBe(true);
      expect(await processGoneWithin(`sleep ${sleeper}2`, ended, STEP_GONE_MS)).toBe(true);
    },
  );

  it('kiln build --on-failure=exec -- cat /tmp/evidence prints what the step wrote, and exits as the failed build does', async () => {
    const mark = marker();
    failingModule('failing.ts', mark);
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
    failingModule('failing-shell.ts', mark);
    const r = await runKiln(['build', 'failing-shell.ts', '--progress', 'quiet', '--on-failure=shell'], { cwd: dir, stdin: 'cat /tmp/evidence\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(reportsStep ? `evidence-${mark}\n` : '');
  });

  it("state 'initial' opens the step before its command ran: the file it wrote is not there; the failed state has it", async () => {
    const mark = marker();
    const seen: string[] = [];
    const look = async (failed: FailedStep, state: 'failed' | 'initial'): Promise<void> => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await failed.run({ state, args: ['sh', '-c', 'cat /tmp/evidence 2>/dev/null || echo no-evidence'], stdout: out, stderr: new PassThrough() });
      seen.push(`${state}: ${Buffer.concat(chunks).toString()}`);
    };
    const err = await buildImage(client, failing(mark), {
      onStepFailure: async (failed) => {
        if (!failed.canRun) return;
        await look(failed, 'initial');
        await look(failed, 'failed');
      },
    }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    expect(seen).toEqual(reportsStep ? ['initial: no-evidence\n', `failed: evidence-${mark}\n`] : []);
    // The same from the command line.
    failingModule('failing-initial.ts', mark);
    const r = await runKiln(['build', 'failing-initial.ts', '--progress', 'quiet', '--on-failure=exec', '--on-failure-state=initial', '--', 'sh', '-c', 'cat /tmp/evidence 2>/dev/null || echo no-evidence'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(reportsStep ? 'no-evidence\n' : '');
    if (reportsStep) expect(r.stderr).toContain('in the failed step, as it was before its command ran (/)');
  });

  it('kiln build --on-failure=shell at a terminal: a tty shell of the user\'s size, its exit, the user\'s terminal restored', async () => {
    const mark = marker();
    failingModule('failing-tty.ts', mark);
    const kiln = `node ${quote(KILN_BIN)} build failing-tty.ts --progress quiet --on-failure=shell`;
    const t = terminal(`stty cols 100 rows 30; echo "before=$(stty -g)"; ${kiln}; echo "kiln-exit=$?"; echo "after=$(stty -g)"`, dir);
    if (reportsStep) {
      await t.waitFor(/opening \/bin\/sh in the failed step/);
      // Typed at the shell's prompt, once it is shown, as a user does: it answers as a shell on a terminal does. (Typed
      // before it, `stty size` could run before runc applied the terminal's size, which it does only once the process
      // has started, and read 0 0: busybox's stty then fails with a stale errno, "No child processes".)
      await t.waitFor(/\/ # /);
      t.type('tty; stty size; cat /tmp/evidence; exit 7\r');
    }
    await t.waitFor(/after=\S+/);
    expect(await t.exited).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('kiln-exit=1');
    expect(screen.match(/after=(\S+)/)?.[1]).toBe(screen.match(/before=(\S+)/)?.[1]);
    if (reportsStep) {
      expect(screen).toMatch(/\/dev\/pts\/\d+\r?\r\n30 100\r?\r\nevidence-\S+\r?\r\n/);
      expect(screen).toContain(`evidence-${mark}`);
    } else {
      expect(screen).toContain('does not report the failed step');
    }
  });

  it('kiln build --progress rawjson --on-failure=exec: every line of stderr is JSON, the command\'s stderr in failed-step-stderr events', async () => {
    const mark = marker();
    failingModule('failing-json.ts', mark);
    const r = await runKiln(['build', 'failing-json.ts', '--progress', 'rawjson', '--on-failure=exec', '--', 'sh', '-c', 'cat /tmp/evidence; echo to-stderr >&2'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const kilnEvents = events.filter((e) => typeof e['kiln'] === 'string');
    expect(kilnEvents.at(-1)?.['kiln']).toBe('error');
    const opened = kilnEvents.find((e) => e['kiln'] === 'failed-step');
    if (reportsStep) {
      expect(r.stdout).toBe(`evidence-${mark}\n`);
      expect(opened).toMatchObject({ opened: true, args: ['sh', '-c', 'cat /tmp/evidence; echo to-stderr >&2'], state: 'failed', cwd: '/', platform: 'linux/amd64' });
      expect(kilnEvents.filter((e) => e['kiln'] === 'failed-step-stderr').map((e) => e['data']).join('')).toBe('to-stderr\n');
    } else {
      expect(r.stdout).toBe('');
      expect(opened).toMatchObject({ opened: false, error: { code: 'unsupported' } });
    }
  });

  const sleeperMark = (n: number): string => `${4000 + Math.floor(Math.random() * 5000)}.${process.pid}${n}`;

  /**
   * `kiln build FILE --on-failure=shell` with `script` on a stdin the test holds open: SIGINT to kiln once the shell
   * printed `ready`, then `next` once it printed `got-int` too. Kiln's result, and when the SIGINT went.
   */
  const interruptedShell = async (file: string, script: string, next: (child: ChildProcess) => void): Promise<{ r: CliRun; sent: number }> => {
    let sent = 0;
    const r = await runKiln(['build', file, '--progress', 'quiet', '--on-failure=shell'], {
      cwd: dir,
      stdin: script,
      holdStdin: true,
      onSpawn: (child) => {
        let saw = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          saw += chunk.toString();
          if (saw === 'ready\n') {
            sent = Date.now();
            child.kill('SIGINT');
          }
          if (saw === 'ready\ngot-int\n') next(child);
        });
      },
    });
    return { r, sent };
  };

  it('--on-failure=shell reading a pipe: the first Ctrl-C goes to the shell (its trap runs, its output is kept), then the build fails as it would have', async () => {
    const mark = marker();
    failingModule('failing-int.ts', mark);
    const sleeper = sleeperMark(4);
    // The pipe stays open (a script still writing): the trap's exit ends the shell; the pipe is closed once it said so.
    const { r, sent } = await interruptedShell('failing-int.ts', `trap 'echo got-int; exit 9' INT; echo ready; sleep ${sleeper} & wait\n`, (child) => child.stdin?.end());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`step "echo evidence-${mark} > /tmp/evidence; exit 3" failed`);
    expect(r.stderr).not.toContain('cancelled');
    if (reportsStep) {
      expect(r.stdout).toBe('ready\ngot-int\n');
      expect(await processGoneWithin(`sleep ${sleeper}`, sent, STEP_GONE_MS)).toBe(true);
    } else {
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('does not report the failed step');
    }
  });

  it('--on-failure=shell reading a pipe: a second Ctrl-C stops the shell, releases its container and cancels the build (130)', async () => {
    const mark = marker();
    failingModule('failing-int2.ts', mark);
    const sleeper = sleeperMark(5);
    // The second only once the first reached the shell: two sent back to back may reach kiln as one.
    const { r, sent } = await interruptedShell('failing-int2.ts', `trap 'echo got-int' INT; echo ready; sleep ${sleeper} & wait; wait\n`, (child) => child.kill('SIGINT'));
    if (reportsStep) {
      expect(r.stdout).toBe('ready\ngot-int\n');
      expect(r.code).toBe(130);
      expect(r.stderr).toContain('the build was cancelled (SIGINT)');
      expect(await processGoneWithin(`sleep ${sleeper}`, sent, STEP_GONE_MS)).toBe(true);
    } else {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('does not report the failed step');
    }
  });

  it('--on-failure=shell reading a pipe that stays open: a shell that traps SIGTERM and goes on is killed after 10 s, said on stderr, and kiln ends', async () => {
    const mark = marker();
    failingModule('failing-term.ts', mark);
    const sleeper = sleeperMark(6);
    const { r, sent } = await runKilnSignalledOnOutput(['build', 'failing-term.ts', '--progress', 'quiet', '--on-failure=shell'], {
      cwd: dir,
      stdin: `trap 'echo got-term' TERM; echo ready; sleep ${sleeper} & while :; do wait; done\n`,
      // Never closed by the test: the daemon must still say the killed shell is gone.
      holdStdin: true,
    });
    expect(r.code).toBe(1);
    if (reportsStep) {
      expect(r.stdout).toBe('ready\ngot-term\n');
      expect(r.stderr).toContain('kiln: the command did not exit within 10s of SIGTERM: killed it (SIGKILL)\n');
      expect(r.stderr).toContain(`step "echo evidence-${mark} > /tmp/evidence; exit 3" failed`);
      expect(await processGoneWithin(`sleep ${sleeper}`, sent, STEP_GONE_MS)).toBe(true);
    } else {
      expect(r.stderr).toContain('does not report the failed step');
    }
  });

  it('--on-failure=shell reading a pipe that stays open: a shell that SIGTERM ended is seen gone at the stop timeout (BuildKit v0.13), and not said to be killed', async () => {
    const mark = marker();
    failingModule('failing-term-exit.ts', mark);
    const sleeper = sleeperMark(7);
    const { r, sent } = await runKilnSignalledOnOutput(['build', 'failing-term-exit.ts', '--progress', 'quiet', '--on-failure=shell'], {
      cwd: dir,
      stdin: `trap 'echo got-term; exit 9' TERM; echo ready; sleep ${sleeper} & wait\n`,
      // Never closed by the test: the daemon reports the shell's exit only once kiln ends its stdin.
      holdStdin: true,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`step "echo evidence-${mark} > /tmp/evidence; exit 3" failed`);
    expect(r.stderr).not.toContain('did not exit');
    expect(r.stderr).not.toContain('SIGKILL');
    expect(r.stderr).not.toContain('cancelled');
    if (reportsStep) {
      expect(r.stdout).toBe('ready\ngot-term\n');
      expect(await processGoneWithin(`sleep ${sleeper}`, sent, STEP_GONE_MS)).toBe(true);
    } else {
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('does not report the failed step');
    }
  });

  it('--on-failure-stop-timeout 1 --progress rawjson: a shell that traps SIGTERM and goes on is killed a second later, a failed-step-killed event with stopTimeout 1', async () => {
    const mark = marker();
    failingModule('failing-term-timeout.ts', mark);
    const sleeper = sleeperMark(8);
    const { r, sent } = await runKilnSignalledOnOutput(['build', 'failing-term-timeout.ts', '--progress', 'rawjson', '--on-failure=shell', '--on-failure-stop-timeout', '1'], {
      cwd: dir,
      stdin: `trap 'echo got-term' TERM; echo ready; sleep ${sleeper} & while :; do wait; done\n`,
      holdStdin: true,
    });
    expect(r.code).toBe(1);
    const events = r.stderr.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const killed = events.filter((e) => e['kiln'] === 'failed-step-killed');
    if (reportsStep) {
      expect(r.stdout).toBe('ready\ngot-term\n');
      expect(killed).toEqual([{ kiln: 'failed-step-killed', signal: 'SIGTERM', sent: 'SIGTERM', stopTimeout: 1 }]);
      expect(await processGoneWithin(`sleep ${sleeper}`, sent, STEP_GONE_MS)).toBe(true);
    } else {
      expect(killed).toEqual([]);
      expect(events.find((e) => e['kiln'] === 'failed-step')).toMatchObject({ opened: false, error: { code: 'unsupported' } });
    }
  });

  it('--on-failure-stop-signal QUIT: SIGTERM to kiln reaches the failed step\'s shell as SIGQUIT, as kiln run --stop-signal', async () => {
    const mark = marker();
    failingModule('failing-quit.ts', mark);
    const sleeper = sleeperMark(10);
    // A stop timeout of 1 s: BuildKit v0.13 reports the exit of a shell whose stdin pipe stays open only once kiln's
    // KILL has closed it (moby/buildkit#6815, the test above), which would otherwise take the default 10 s.
    const { r, sent } = await runKilnSignalledOnOutput(['build', 'failing-quit.ts', '--progress', 'quiet', '--on-failure=shell', '--on-failure-stop-signal', 'QUIT', '--on-failure-stop-timeout', '1'], {
      cwd: dir,
      stdin: `trap 'echo got-quit; exit 4' QUIT; trap 'echo got-term' TERM; echo ready; sleep ${sleeper} & while :; do wait; done\n`,
      holdStdin: true,
    });
    expect(r.code).toBe(1);
    if (reportsStep) {
      expect(r.stdout).toBe('ready\ngot-quit\n');
      expect(await processGoneWithin(`sleep ${sleeper}`, sent, STEP_GONE_MS)).toBe(true);
    } else {
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('does not report the failed step');
    }
  });

  it('--on-failure=exec --on-failure-tty at a terminal, SIGHUP to kiln (the terminal closed): the command gets SIGHUP, kiln exits 1 as the build failed, the terminal is restored, no container is left', async () => {
    const mark = marker();
    failingModule('failing-hup.ts', mark);
    const sleeper = sleeperMark(9);
    const script = `trap 'echo got-hup; exit 4' HUP; echo ready; sleep ${sleeper} & wait`;
    const kiln = `node ${quote(KILN_BIN)} build failing-hup.ts --progress quiet --on-failure=exec --on-failure-tty -- sh -c ${quote(script)}`;
    // kiln in the terminal's foreground, with its process ID said first (exec keeps it).
    const t = terminal(`echo "before=$(stty -g)"; sh -c ${quote(`echo kiln-pid=$$; exec ${kiln}`)}; echo "kiln-exit=$?"; echo "after=$(stty -g)"`, dir);
    const pid = Number((await t.waitFor(/kiln-pid=(\d+)/))[1]);
    let sent = 0;
    if (/ready/.test((await t.waitFor(/\bready\r?\n|kiln-exit=\d+/))[0])) {
      sent = Date.now();
      process.kill(pid, 'SIGHUP');
    }
    await t.waitFor(/after=\S+/);
    expect(await t.exited).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('kiln-exit=1');
    expect(screen.match(/after=(\S+)/)?.[1]).toBe(screen.match(/before=(\S+)/)?.[1]);
    expect(screen).not.toContain('cancelled');
    if (reportsStep) {
      expect(sent).toBeGreaterThan(0);
      expect(screen).toMatch(/ready\r?\r\ngot-hup\r?\r\n/);
      expect(screen).toContain(`step "echo evidence-${mark} > /tmp/evidence; exit 3" failed`);
      expect(screen).not.toContain('SIGKILL');
      expect(await processGoneWithin(`sleep ${sleeper}`, sent, STEP_GONE_MS)).toBe(true);
    } else {
      expect(screen).toContain('does not report the failed step');
    }
  });

  it('a multi-platform build whose linux/arm64 step fails (under QEMU): --on-failure opens that platform\'s container, and the messages name the platform', async () => {
    const mark = marker();
    writeFileSync(
      join(dir, 'failing-arm64.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:1.35').runCommands('echo evidence-${mark}-$(uname -m) > /tmp/evidence; [ "$(uname -m)" != aarch64 ]');\n`,
    );
    const r = await runKiln(['build', 'failing-arm64.ts', '--progress', 'quiet', '--platform', 'linux/amd64,linux/arm64', '--on-failure=exec', '--', 'sh', '-c', 'uname -m; cat /tmp/evidence'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`step "[linux/arm64] echo evidence-${mark}-$(uname -m) > /tmp/evidence;`);
    if (reportsStep) {
      expect(r.stdout).toBe(`aarch64\nevidence-${mark}-aarch64\n`);
      expect(r.stderr).toContain('[kiln] running sh -c uname -m; cat /tmp/evidence in the failed step for linux/arm64 (the first platform whose step failed; the other platforms are not opened)');
    } else {
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('does not report the failed step');
    }
  });

  it('--on-failure=exec --on-failure-tty at a terminal: the command gets a tty of the user\'s size and reads what is typed', async () => {
    const mark = marker();
    failingModule('failing-exec-tty.ts', mark);
    // The command reads a line before it asks for its terminal's size: runc sizes the container's terminal only once the
    // command has started, so one that asks in its first instants can read 0×0 (busybox's stty then fails with a stale
    // errno, "No child processes"), whatever the client does; a user typing at it meets the size they have.
    const kiln = `node ${quote(KILN_BIN)} build failing-exec-tty.ts --progress quiet --on-failure=exec --on-failure-tty -- sh -c ${quote('echo waiting-for-a-line; read x; tty; stty size; echo "got=$x"; exit 6')}`;
    const t = terminal(`stty cols 90 rows 20; echo "before=$(stty -g)"; ${kiln}; echo "kiln-exit=$?"; echo "after=$(stty -g)"`, dir);
    // Typed once the command runs (a kiln that gave it no terminal ends without reading it).
    if (reportsStep && /waiting-for-a-line/.test((await t.waitFor(/waiting-for-a-line|kiln-exit=\d+/))[0])) t.type('typed-line\r');
    await t.waitFor(/after=\S+/);
    expect(await t.exited).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('kiln-exit=1');
    expect(screen.match(/after=(\S+)/)?.[1]).toBe(screen.match(/before=(\S+)/)?.[1]);
    if (reportsStep) {
      expect(screen).toMatch(/running sh -c .* in the failed step/);
      expect(screen).toMatch(/\/dev\/pts\/\d+\r?\r\n20 90\r?\r\n/);
      expect(screen).toContain('got=typed-line');
    } else {
      expect(screen).toContain('does not report the failed step');
    }
  });

  it('--progress tty and plain at a terminal: the display has ended before the command\'s output, and nothing of it comes after', async () => {
    for (const progress of ['tty', 'plain']) {
      const mark = marker();
      failingModule(`failing-progress-${progress}.ts`, mark);
      const kiln = `node ${quote(KILN_BIN)} build failing-progress-${progress}.ts --progress ${progress} --on-failure=exec -- sh -c ${quote('echo out-one; sleep 1; echo out-two')}`;
      const t = terminal(`${kiln}; echo "kiln-exit=$?"`, dir);
      await t.waitFor(/kiln-exit=\d+/);
      expect(await t.exited).toBe(0);
      const screen = t.screen();
      expect(screen).toContain('kiln-exit=1');
      if (!reportsStep) {
        expect(screen).toContain('does not report the failed step');
        continue;
      }
      // The display's last frame or line comes before kiln says what it runs; after it, the command's output, then the build's error.
      const opened = screen.indexOf('[kiln] running sh -c');
      expect(opened).toBeGreaterThan(0);
      expect(screen.slice(0, opened)).toContain(progress === 'tty' ? '[+] Building' : '#1 ');
      const after = screen.slice(opened);
      expect(after).toMatch(/^\[kiln\] running [^\n]*\r?\nout-one\r?\nout-two\r?\nerror: step "echo evidence-/);
      // No frame redrawn, no cursor hidden or moved, no progress line.
      expect(after).not.toMatch(/\[\+\] Building|\x1b\[\?25l|\x1b\[\d+A|^#\d+ /m);
    }
  });
});
