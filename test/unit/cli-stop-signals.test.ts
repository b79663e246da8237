/**
 * How kiln build hears that it must stop: the first Ctrl-C, SIGTERM, SIGHUP or lost output asks it to clean up; a second
 * Ctrl-C removes the exports' temporary files and ends kiln at once; repeated SIGHUP/SIGTERM (a closed terminal sends two) do not cut
 * the cleanup short. The listeners are called directly: no real signal is sent to the test process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BROKEN_PIPE_EVENT, isLostOutput } from '../../src/cli/broken-pipe.js';
import { EXIT, exitCodeFor } from '../../src/cli/report-error.js';
import { onStopSignals, STOP_SIGNALS, type StopReason } from '../../src/cli/stop-signals.js';
import { KilnError } from '../../src/errors.js';

type Listener = (signal: NodeJS.Signals) => void;

/** The listeners `onStopSignals` added for `event` (those present before are not kiln's). */
function added(event: string, before: readonly unknown[]): Listener[] {
  return process.listeners(event as NodeJS.Signals).filter((l) => !before.includes(l)) as Listener[];
}

function snapshot(): Map<string, unknown[]> {
  return new Map([...STOP_SIGNALS, BROKEN_PIPE_EVENT].map((e) => [e, [...process.listeners(e as NodeJS.Signals)]]));
}

describe('onStopSignals', () => {
  it('reports the first Ctrl-C and keeps catching Ctrl-C: a second one removes what exports were writing, then ends kiln', () => {
    const before = snapshot();
    const seen: StopReason[] = [];
    const stop = onStopSignals((r) => seen.push(r));
    try {
      const [sigint] = added('SIGINT', before.get('SIGINT')!);
      expect(sigint).toBeDefined();
      sigint!('SIGINT');
      expect(seen).toEqual(['SIGINT']);
      // Still there: the second Ctrl-C ends the process (not called here; cli-basics sends it to a real kiln).
      expect(added('SIGINT', before.get('SIGINT')!)).toEqual([sigint]);
      // A closed terminal or a lost output during the cleanup is still heard.
      expect(added('SIGHUP', before.get('SIGHUP')!)).toHaveLength(1);
      expect(added(BROKEN_PIPE_EVENT, before.get(BROKEN_PIPE_EVENT)!)).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it('keeps catching SIGHUP and SIGTERM after the first: a closed terminal sends SIGHUP twice', () => {
    const before = snapshot();
    const seen: StopReason[] = [];
    const stop = onStopSignals((r) => seen.push(r));
    try {
      const [sighup] = added('SIGHUP', before.get('SIGHUP')!);
      sighup!('SIGHUP');
      sighup!('SIGHUP');
      added('SIGTERM', before.get('SIGTERM')!)[0]!('SIGTERM');
      added(BROKEN_PIPE_EVENT, before.get(BROKEN_PIPE_EVENT)!)[0]!('SIGPIPE');
      expect(seen).toEqual(['SIGHUP', 'SIGHUP', 'SIGTERM', 'SIGPIPE']);
      expect(added('SIGHUP', before.get('SIGHUP')!)).toHaveLength(1);
      expect(added('SIGTERM', before.get('SIGTERM')!)).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it('leaves no listener behind once the command ends', () => {
    const before = snapshot();
    onStopSignals(() => undefined)();
    expect(snapshot()).toEqual(before);
  });
});

describe('exit codes of a stopped build', () => {
  it.each([
    ['SIGINT', EXIT.interrupted, 130],
    ['SIGTERM', EXIT.terminated, 143],
    ['SIGHUP', EXIT.hangup, 129],
    ['SIGPIPE', EXIT.brokenPipe, 141],
  ] as const)('%s → %i (128 + the signal, as a shell reports it)', (signal, code, number) => {
    expect(code).toBe(number);
    expect(exitCodeFor(new KilnError('cancelled', `the build was cancelled (${signal})`, { details: { signal } }))).toBe(number);
  });
});

describe('isLostOutput', () => {
  const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`write ${code}`), { code });

  it('is a pipe whose reader went away (EPIPE) or a terminal that was closed (EIO)', () => {
    expect(isLostOutput(error('EPIPE'))).toBe(true);
    expect(isLostOutput(error('EIO'))).toBe(true);
  });

  it('is not another write error (a full disk stays an error)', () => {
    expect(isLostOutput(error('ENOSPC'))).toBe(false);
    expect(isLostOutput(error('EBADF'))).toBe(false);
  });
});

describe('a second Ctrl-C (real signals to a real process)', () => {
  it('removes the staging directory of an export the first one did not get to, and ends the process as SIGINT does', async () => {
    const dest = mkdtempSync(join(tmpdir(), 'kiln-second-int-'));
    try {
      writeFileSync(join(dest, 'mine.txt'), 'kept');
      const script = fileURLToPath(new URL('../fixtures/stop-signals/slow-cleanup.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', script, dest], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
      const wait = (pattern: RegExp): Promise<void> =>
        new Promise((resolve) => {
          const check = (): void => {
            if (pattern.test(stdout)) resolve();
          };
          child.stdout.on('data', (c: Buffer) => {
            stdout += c.toString();
            check();
          });
          check();
        });
      await wait(/^ready /m);
      const staging = /^ready (.*)$/m.exec(stdout)?.[1] ?? '';
      expect(existsSync(staging)).toBe(true);
      child.kill('SIGINT');
      await wait(/^cleaning up$/m);
      child.kill('SIGINT');
      expect(await ended).toEqual({ code: null, signal: 'SIGINT' });
      expect(readdirSync(dest)).toEqual(['mine.txt']);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  });
});
