/**
 * `kiln build --on-failure`'s side of a failed step (the daemon's side is failed-step.test.ts): what the user is told —
 * which platform's step is opened in a multi-platform build — and, with `--progress rawjson`, stderr kept to JSON lines
 * (kiln's `failed-step` event, the command's stderr as `failed-step-stderr` events, a step that cannot be opened).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FailedStep, FailedStepRunOptions } from '../../src/client/failed-step-types.js';
import type { ProcessSignal, RunningProcess } from '../../src/client/process-control.js';
import type { StopReason } from '../../src/cli/stop-signals.js';
import { KilnError } from '../../src/errors.js';
import { openFailedStep } from '../../src/cli/open-failed-step.js';

function io(): { io: { stdout: PassThrough; stderr: PassThrough; env: Record<string, string>; cwd: string }; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, env: {}, cwd: '/' }, out: () => out, err: () => err };
}

/** A step whose command prints `out` and `err` (a multi-byte character split across two writes on stderr). */
function step(seen: FailedStepRunOptions[]): FailedStep {
  return {
    canRun: true,
    mounts: ['/'],
    platform: 'linux/arm64',
    command: { args: ['sh', '-c', 'make'], env: [], cwd: '/src', user: '' },
    async run(options = {}) {
      seen.push(options);
      options.stdout?.write('out\n');
      const e = Buffer.from('é-err\n');
      await new Promise<void>((resolve) => options.stderr?.write(e.subarray(0, 1), () => resolve()));
      await new Promise<void>((resolve) => options.stderr?.end(e.subarray(1), () => resolve()));
      return { exitCode: 2 };
    },
  };
}

const signal = new AbortController().signal;

describe('openFailedStep', () => {
  it('a multi-platform build: the message names the platform opened and that the others are not', async () => {
    const t = io();
    const seen: FailedStepRunOptions[] = [];
    await openFailedStep(t.io, step(seen), { mode: 'shell', args: ['/bin/sh'], state: 'failed' }, { json: false, multiPlatform: true, signal, debug: false });
    expect(t.err()).toContain('[kiln] opening /bin/sh in the failed step for linux/arm64 (the first platform whose step failed; the other platforms are not opened), as its command left it (/src)');
    // No terminal here (stdin absent, stdout a pipe): piped, as before.
    expect(seen[0]?.tty).toBe(false);
    expect(seen[0]?.state).toBe('failed');
    // Its abort is kiln's second stop signal (the first went to the command): the container is released at once.
    expect(seen[0]?.abortMode).toBe('release');
  });

  it('rawjson: kiln\'s line and the command\'s stderr are JSON events on stderr; its stdout stays stdout', async () => {
    const t = io();
    await openFailedStep(t.io, step([]), { mode: 'exec', args: ['make'], state: 'initial' }, { json: true, multiPlatform: false, signal, debug: false });
    const events = t.err().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
    expect(events).toEqual([
      { kiln: 'failed-step', opened: true, args: ['make'], state: 'initial', cwd: '/src', platform: 'linux/arm64' },
      { kiln: 'failed-step-stderr', data: 'é-err\n' },
    ]);
    expect(t.out()).toBe('out\n');
  });

  it('rawjson: a step that cannot be opened is a failed-step event with the error', async () => {
    const t = io();
    const unavailable = new KilnError('unsupported', 'dockerd 20.10.24 does not report the failed step: kiln cannot open it', { hint: 'Use buildkitd.' });
    await openFailedStep(t.io, { canRun: false, mounts: [], unavailable, run: () => Promise.reject(unavailable) }, { mode: 'shell', args: ['/bin/sh'], state: 'failed' }, { json: true, multiPlatform: false, signal, debug: false });
    expect(t.err().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown)).toEqual([
      { kiln: 'failed-step', opened: false, args: ['/bin/sh'], state: 'failed', cwd: null, platform: null, error: { code: 'unsupported', message: unavailable.message, hint: 'Use buildkitd.', details: {} } },
    ]);
  });

  /** A step whose command, once started, lets the test act (`during`) before it exits; what it was told is recorded. */
  function runningStep(
    canSignal: boolean,
    during: (p: RunningProcess) => void,
    seen: FailedStepRunOptions[] = [],
    stopSignal?: ProcessSignal,
  ): { step: FailedStep; stops: { name: ProcessSignal }[] } {
    const stops: { name: ProcessSignal }[] = [];
    const proc: RunningProcess = {
      canSignal,
      stopSignal,
      resize: () => {},
      signal: () => canSignal,
      stop: (name = 'TERM', onKill) => {
        if (!canSignal) return false;
        stops.push({ name });
        // The process has not exited in time: killed at once here.
        onKill?.();
        return true;
      },
    };
    const step: FailedStep = {
      canRun: true,
      mounts: ['/'],
      command: { args: ['make'], env: [], cwd: '/src', user: '' },
      async run(options = {}) {
        seen.push(options);
        await options.onCommandStart?.(proc);
        during(proc);
        return { exitCode: 0 };
      },
    };
    return { step, stops };
  }

  /** The stop signals' side: what the command's run takes for itself (stop-signals.ts's `forward`). */
  function signalsHolder(): { forward: (c: ((s: StopReason) => boolean) | undefined) => void; deliver: (s: StopReason) => boolean; forwarding: () => boolean } {
    let consume: ((s: StopReason) => boolean) | undefined;
    return { forward: (c) => (consume = c), deliver: (s) => consume?.(s) === true, forwarding: () => consume !== undefined };
  }

  it('while the command runs the first stop signal goes to it (SIGKILL after the timeout, said on stderr), the second stops kiln; after it, none is taken', async () => {
    const t = io();
    const signals = signalsHolder();
    const taken: boolean[] = [];
    const { step, stops } = runningStep(true, () => {
      taken.push(signals.deliver('SIGTERM'), signals.deliver('SIGINT'));
    });
    await openFailedStep(t.io, step, { mode: 'shell', args: ['/bin/sh'], state: 'failed' }, { json: false, multiPlatform: false, signal, debug: false, signals });
    expect(taken).toEqual([true, false]);
    expect(stops).toEqual([{ name: 'TERM' }]);
    expect(t.err()).toContain('kiln: the command did not exit within 10s of SIGTERM: killed it (SIGKILL)\n');
    expect(signals.forwarding()).toBe(false);
  });

  it('rawjson: the kill is a failed-step-killed event', async () => {
    const t = io();
    const signals = signalsHolder();
    const { step } = runningStep(true, () => signals.deliver('SIGINT'));
    await openFailedStep(t.io, step, { mode: 'exec', args: ['make'], state: 'failed' }, { json: true, multiPlatform: false, signal, debug: false, signals });
    const events = t.err().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.at(-1)).toEqual({ kiln: 'failed-step-killed', signal: 'SIGINT', sent: 'SIGINT', stopTimeout: 10 });
  });

  it("rawjson: where the command's stop signal stands in for the one kiln got, failed-step-killed says which it was sent", async () => {
    const t = io();
    const signals = signalsHolder();
    const { step, stops } = runningStep(true, () => signals.deliver('SIGTERM'), [], 'QUIT');
    await openFailedStep(t.io, step, { mode: 'exec', args: ['make'], state: 'failed' }, { json: true, multiPlatform: false, signal, debug: false, signals });
    expect(stops).toEqual([{ name: 'QUIT' }]);
    const events = t.err().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.at(-1)).toEqual({ kiln: 'failed-step-killed', signal: 'SIGTERM', sent: 'SIGQUIT', stopTimeout: 10 });
    // The plain line says the same.
    const plain = io();
    const again = signalsHolder();
    await openFailedStep(plain.io, runningStep(true, () => again.deliver('SIGTERM'), [], 'QUIT').step, { mode: 'exec', args: ['make'], state: 'failed' }, { json: false, multiPlatform: false, signal, debug: false, signals: again });
    expect(plain.err()).toContain('kiln: the command did not exit within 10s of SIGQUIT (for SIGTERM): killed it (SIGKILL)\n');
  });

  it('--on-failure-stop-timeout: the command\'s run gets it, and the kill line and the failed-step-killed event say it', async () => {
    for (const json of [false, true]) {
      const t = io();
      const signals = signalsHolder();
      const seen: FailedStepRunOptions[] = [];
      const { step } = runningStep(true, () => signals.deliver('SIGHUP'), seen);
      await openFailedStep(t.io, step, { mode: 'exec', args: ['make'], state: 'failed', stopTimeout: 3 }, { json, multiPlatform: false, signal, debug: false, signals });
      expect(seen[0]?.stopTimeout).toBe(3);
      if (json) expect(JSON.parse(t.err().trim().split('\n').at(-1) ?? '')).toEqual({ kiln: 'failed-step-killed', signal: 'SIGHUP', sent: 'SIGHUP', stopTimeout: 3 });
      else expect(t.err()).toContain('kiln: the command did not exit within 3s of SIGHUP: killed it (SIGKILL)\n');
    }
  });

  it('--on-failure-stop-signal: the command\'s run gets it as its stop signal', async () => {
    const seen: FailedStepRunOptions[] = [];
    const { step } = runningStep(true, () => {}, seen);
    await openFailedStep(io().io, step, { mode: 'shell', args: ['/bin/sh'], state: 'failed', stopSignal: 'QUIT' }, { json: false, multiPlatform: false, signal, debug: false });
    expect(seen[0]?.stopSignal).toBe('QUIT');
    await openFailedStep(io().io, step, { mode: 'shell', args: ['/bin/sh'], state: 'failed' }, { json: false, multiPlatform: false, signal, debug: false });
    expect(seen[1]?.stopSignal).toBeUndefined();
  });

  it('a daemon that cannot signal (BuildKit v0.8): no signal is taken, the first one stops kiln', async () => {
    const t = io();
    const signals = signalsHolder();
    let taken: boolean | undefined;
    const { step } = runningStep(false, () => (taken = signals.deliver('SIGINT')));
    await openFailedStep(t.io, step, { mode: 'shell', args: ['/bin/sh'], state: 'failed' }, { json: false, multiPlatform: false, signal, debug: false, signals });
    expect(taken).toBe(false);
  });

  it('--on-failure-tty: exec gets a terminal of the user\'s size and the terminal as stdin, put in raw mode and restored; without it, neither', async () => {
    const raw: boolean[] = [];
    const terminalIn = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode: (mode: boolean) => raw.push(mode) });
    const t = io();
    const out = Object.assign(t.io.stdout, { isTTY: true, columns: 120, rows: 40 });
    const seen: FailedStepRunOptions[] = [];
    const { step } = runningStep(true, () => {}, seen);
    await openFailedStep({ ...t.io, stdout: out, stdin: terminalIn }, step, { mode: 'exec', args: ['python3'], state: 'failed', tty: true }, { json: false, multiPlatform: false, signal, debug: false });
    expect(seen[0]?.tty).toEqual({ columns: 120, rows: 40 });
    expect(seen[0]?.stdin).toBe(terminalIn);
    expect(raw).toEqual([true, false]);
    const plainIn = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode: () => {} });
    await openFailedStep({ ...t.io, stdout: out, stdin: plainIn }, step, { mode: 'exec', args: ['python3'], state: 'failed' }, { json: false, multiPlatform: false, signal, debug: false });
    expect(seen[1]?.tty).toBe(false);
    expect(seen[1]?.stdin).toBeUndefined();
  });
});

