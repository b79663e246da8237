/**
 * `exitOnBrokenPipe`: when the reader of kiln's output goes away (EPIPE) or its terminal is closed (EIO), kiln ends
 * with status 141 as a tool killed by SIGPIPE does — at once when nothing needs undoing, else after telling the
 * command (which may set its own status) and giving it time to clean up. Other stream errors are not swallowed.
 */
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BROKEN_PIPE_EVENT, exitOnBrokenPipe } from '../../src/cli/broken-pipe.js';
import { EXIT } from '../../src/cli/report-error.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

let exits: (number | string | null | undefined)[] = [];
const savedExitCode = process.exitCode;

beforeEach(() => {
  exits = [];
  vi.useFakeTimers();
  // Recorded, not done: the test runner must live on.
  vi.spyOn(process, 'exit').mockImplementation(((code?: number | string | null) => {
    exits.push(code);
  }) as typeof process.exit);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  process.removeAllListeners(BROKEN_PIPE_EVENT);
  process.exitCode = savedExitCode;
});

describe('exitOnBrokenPipe', () => {
  it('exits 141 at once when no command listens (kiln info | head)', () => {
    const out = new PassThrough();
    exitOnBrokenPipe([out]);
    out.emit('error', errno('EPIPE'));
    expect(exits[0]).toBe(EXIT.brokenPipe);
  });

  it('exits 141 when the terminal was closed (EIO), as for a pipe', () => {
    const out = new PassThrough();
    exitOnBrokenPipe([out]);
    out.emit('error', errno('EIO'));
    expect(exits[0]).toBe(EXIT.brokenPipe);
  });

  it('tells a running command once, waits for it to clean up, and exits with the status it set', () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    exitOnBrokenPipe([stdout, stderr]);
    const told = vi.fn(() => {
      process.exitCode = EXIT.brokenPipe;
    });
    process.on(BROKEN_PIPE_EVENT as 'SIGPIPE', told);
    stdout.emit('error', errno('EPIPE'));
    // Every later write fails the same way while the command cleans up: it is told once.
    stderr.emit('error', errno('EPIPE'));
    stdout.emit('error', errno('EIO'));
    expect(told).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(9_999);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(exits).toEqual([EXIT.brokenPipe]);
  });

  it('exits with a status the command already set, not 141', () => {
    const out = new PassThrough();
    exitOnBrokenPipe([out]);
    process.exitCode = 1;
    out.emit('error', errno('EPIPE'));
    expect(exits).toEqual([1]);
  });

  it('does not swallow other stream errors', () => {
    const out = new PassThrough();
    exitOnBrokenPipe([out]);
    expect(() => out.emit('error', errno('ENOSPC'))).toThrow('write ENOSPC');
    expect(exits).toEqual([]);
  });
});
