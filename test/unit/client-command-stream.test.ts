/**
 * `openCommandStream`: a connection helper's stdio (ssh … buildctl dial-stdio, docker exec …) as one stream, and what a
 * user is told when the helper cannot be started or exits with a failure: its stderr, and what to do for ssh that
 * cannot log in, a program missing at the other end, or anything else.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { commandLine, openCommandStream } from '../../src/client/command-stream.js';
import type { HelperCommand } from '../../src/client/connection-helper.js';
import { KilnError } from '../../src/errors.js';

function helper(command: string, args: string[], remoteProgram = 'buildctl'): HelperCommand {
  return { command, args, remoteProgram, where: 'on build-host', localProgram: `${command} (the test's)` };
}

/** The error the stream ends with (after reading all it gives), or undefined when it ends cleanly, with what it read. */
function drain(stream: Duplex): Promise<{ data: string; error: unknown }> {
  return new Promise((resolve) => {
    let data = '';
    stream.on('data', (c: Buffer) => {
      data += c.toString('utf8');
    });
    stream.on('end', () => resolve({ data, error: undefined }));
    stream.on('error', (error) => resolve({ data, error }));
  });
}

async function failure(h: HelperCommand): Promise<KilnError> {
  const { error } = await drain(await openCommandStream(h));
  if (!KilnError.is(error, 'helper_failed')) throw new Error(`expected helper_failed, got ${String(error)}`);
  return error;
}

let bin = '';
const savedPath = process.env['PATH'];

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'kiln-command-stream-'));
  // A stand-in for ssh that cannot connect, as OpenSSH says and exits.
  writeFileSync(join(bin, 'ssh'), '#!/bin/sh\necho "ssh: connect to host build-host port 22: Connection refused" >&2\nexit 255\n');
  chmodSync(join(bin, 'ssh'), 0o755);
});

afterAll(() => {
  rmSync(bin, { recursive: true, force: true });
});

afterEach(() => {
  process.env['PATH'] = savedPath;
  vi.useRealTimers();
});

describe('openCommandStream', () => {
  it('carries bytes both ways and ends when the command exits 0', async () => {
    const stream = await openCommandStream(helper('cat', []));
    const read = drain(stream);
    stream.end('hello over stdio\n');
    expect(await read).toEqual({ data: 'hello over stdio\n', error: undefined });
  });

  it('says a helper that is not installed is not, and how to get it', async () => {
    const err = await openCommandStream(helper('kiln-no-such-helper', ['dial-stdio'])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KilnError);
    const e = err as KilnError;
    expect(e.code).toBe('helper_failed');
    expect(e.message).toBe('cannot run kiln-no-such-helper: it is not installed (not found on PATH)');
    expect(e.hint).toBe('Install kiln-no-such-helper (the test\'s) on this machine, or put it on the PATH kiln runs with.');
    expect(e.details['command']).toBe('kiln-no-such-helper dial-stdio');
  });

  it('says a helper that cannot be run for another reason cannot, and to try it by hand', async () => {
    const err = await openCommandStream(helper(bin, ['x'])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'helper_failed')).toBe(true);
    const e = err as KilnError;
    expect(e.message).toMatch(new RegExp(`^cannot run ${bin}: .*EACCES`));
    expect(e.hint).toBe(`Check that ${bin} x runs from this shell.`);
  });

  it('fails with ssh\'s own words when ssh cannot connect, and says what ssh needs', async () => {
    process.env['PATH'] = `${bin}:${savedPath ?? ''}`;
    const err = await failure(helper('ssh', ['-o', 'BatchMode=yes', 'build-host', '--', 'buildctl', 'dial-stdio']));
    expect(err.message).toBe('ssh exited 255: ssh: connect to host build-host port 22: Connection refused');
    expect(err.hint).toMatch(/^ssh could not connect or log in: check that `ssh -o BatchMode=yes build-host -- buildctl dial-stdio` works/);
    expect(err.details).toEqual({
      command: 'ssh -o BatchMode=yes build-host -- buildctl dial-stdio',
      exitCode: 255,
      stderr: 'ssh: connect to host build-host port 22: Connection refused',
    });
  });

  it('says to install buildctl, or the docker CLI, where the program is missing (status 127)', async () => {
    const buildctl = await failure(helper('sh', ['-c', 'echo "sh: 1: buildctl: not found" >&2; exit 127']));
    expect(buildctl.message).toBe('sh exited 127: sh: 1: buildctl: not found');
    expect(buildctl.hint).toMatch(/^Install buildctl \(from BuildKit's release archive\) on build-host/);
    const docker = await failure(helper('sh', ['-c', 'exit 127'], 'docker'));
    expect(docker.message).toBe('sh exited 127');
    expect(docker.hint).toMatch(/^Install the docker CLI on build-host \(it runs `docker system dial-stdio` there/);
  });

  it('says to try the command by hand for any other failure, keeping the end of a long stderr', async () => {
    const err = await failure(helper('sh', ['-c', 'head -c 6000 /dev/zero | tr "\\0" x >&2; echo " the reason" >&2; exit 3']));
    expect(err.message).toMatch(/^sh exited 3: x+ the reason$/);
    expect((err.details['stderr'] as string).length).toBe(4096 - 1);
    expect(err.hint).toBe(`Try the command by hand to see what fails: sh -c 'head -c 6000 /dev/zero | tr "\\0" x >&2; echo " the reason" >&2; exit 3'`);
  });

  it('fails naming the signal when the helper is killed', async () => {
    const err = await failure(helper('sh', ['-c', 'kill -TERM $$']));
    expect(err.message).toBe('sh was killed by SIGTERM');
    expect(err.details['signal']).toBe('SIGTERM');
  });

  it('kills the helper when the stream is destroyed, without a failure of its own', async () => {
    const stream = await openCommandStream(helper('sleep', ['60']));
    const closed = new Promise<unknown>((resolve) => stream.once('close', () => resolve(stream.errored)));
    stream.destroy();
    expect(await closed).toBeNull();
  });

  it('closes the stream only once the destroyed helper has exited, with SIGKILL for one that ignores SIGTERM', async () => {
    for (const script of ['echo $$; exec sleep 60', 'trap "" TERM; echo $$; while :; do sleep 0.1; done']) {
      const stream = await openCommandStream(helper('sh', ['-c', script]));
      const pid = Number(await new Promise<string>((resolve) => stream.once('data', (c: Buffer) => resolve(c.toString('utf8')))));
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
      stream.destroy();
      await closed;
      // Exited and reaped: no such process any more.
      expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }) as Error);
    }
  });

  it('hands the caller a cancel that kills the helper while it starts', async () => {
    const stream = await openCommandStream(helper('sleep', ['60']), (cancel) => cancel());
    const { error } = await drain(stream);
    expect(KilnError.is(error, 'helper_failed') && error.message).toBe('sleep was killed by SIGTERM');
  });

  it('stands in for a socket: an idle timeout that traffic restarts, and no-op socket options', async () => {
    // What `http` sees of it: the socket methods it calls.
    const stream = (await openCommandStream(helper('cat', []))) as Duplex & {
      setTimeout(ms: number, onTimeout?: () => void): Duplex;
      setNoDelay(): Duplex;
      setKeepAlive(): Duplex;
    };
    vi.useFakeTimers();
    expect(stream.setNoDelay()).toBe(stream);
    expect(stream.setKeepAlive()).toBe(stream);
    const timedOut = vi.fn();
    stream.setTimeout(1_000, timedOut);
    vi.advanceTimersByTime(600);
    stream.write('x');
    vi.advanceTimersByTime(600);
    expect(timedOut).not.toHaveBeenCalled();
    vi.advanceTimersByTime(400);
    expect(timedOut).toHaveBeenCalledTimes(1);
    // 0 turns it off.
    stream.setTimeout(0);
    vi.advanceTimersByTime(5_000);
    expect(timedOut).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
    stream.destroy();
  });
});

describe('commandLine', () => {
  it('quotes what a shell would split', () => {
    expect(commandLine(helper('ssh', ['-p', '2222', 'me@host', 'buildctl --addr unix:///run/b k.sock dial-stdio']))).toBe(
      "ssh -p 2222 me@host 'buildctl --addr unix:///run/b k.sock dial-stdio'",
    );
  });
});
