/**
 * The block the CLI prints for a failure (`formatError`) and its exit status (`exitCodeFor`): without `--debug` one
 * message, its hint and where to find more; with `--debug` the stacks — kiln's, the daemon's and each cause's.
 */
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor, formatError } from '../../src/cli/report-error.js';
import { KilnError } from '../../src/errors.js';

describe('formatError without --debug', () => {
  it('prints the message, the hint and where to find more', () => {
    const err = new KilnError('build_failed', 'step "make" failed', { hint: 'Fix the step.' });
    expect(formatError(err, false)).toBe('error: step "make" failed\nhint: Fix the step.\n(run with --debug for details)\n');
  });

  it('prints a cancelled build as one line: there is nothing more to find', () => {
    expect(formatError(new KilnError('cancelled', 'build cancelled (SIGINT)'), false)).toBe('error: build cancelled (SIGINT)\n');
  });

  it('prints an error that is not kiln\'s by its message, and anything else as text', () => {
    expect(formatError(new TypeError('x is not a function'), false)).toBe('error: x is not a function\n(run with --debug for details)\n');
    expect(formatError('a thrown string', false)).toBe('error: a thrown string\n(run with --debug for details)\n');
  });
});

describe('formatError with --debug', () => {
  it('adds kiln\'s stack, the daemon\'s stack and every cause\'s, and no pointer to --debug', () => {
    const root = new Error('connect ECONNREFUSED /run/buildkit.sock');
    const middle = new Error('14 UNAVAILABLE: No connection established', { cause: root });
    const err = new KilnError('unavailable', 'cannot connect to the BuildKit daemon', {
      cause: middle,
      hint: 'Start the daemon.',
      details: { stacks: ['goroutine 1 [running]:', 'main.main()'] },
    });
    const text = formatError(err, true);
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['error: cannot connect to the BuildKit daemon', 'hint: Start the daemon.']);
    expect(text).toContain(`\n\n${err.stack ?? ''}\n`);
    expect(text).toContain('\n\ndaemon stack:\ngoroutine 1 [running]:\nmain.main()\n');
    expect(text).toContain(`\n\ncaused by: ${middle.stack ?? ''}\n`);
    expect(text).toContain(`\n\ncaused by: ${root.stack ?? ''}\n`);
    expect(text.indexOf('14 UNAVAILABLE')).toBeLessThan(text.indexOf('ECONNREFUSED'));
    expect(text).not.toContain('--debug');
  });

  it('leaves out an empty daemon stack and a cause that is not an Error', () => {
    const err = new KilnError('protocol', 'the daemon ended the call', { cause: { code: 13 }, details: { stacks: [] } });
    expect(formatError(err, true)).toBe(`error: the daemon ended the call\n\n${err.stack ?? ''}\n`);
  });

  it('adds the stack of an error that is not kiln\'s', () => {
    const err = new RangeError('Invalid array length');
    expect(formatError(err, true)).toBe(`error: Invalid array length\n\n${err.stack ?? ''}\n`);
  });
});

describe('exitCodeFor', () => {
  it('is 2 for a usage problem, 1 for any other failure', () => {
    expect(exitCodeFor(new KilnError('invalid_argument', 'unknown flag'))).toBe(EXIT.usage);
    expect(exitCodeFor(new KilnError('build_failed', 'step failed'))).toBe(EXIT.failed);
    expect(exitCodeFor(new Error('bug'))).toBe(EXIT.failed);
  });

  it('is 128 + the signal that cancelled the build, as a shell reports a process it killed', () => {
    const cancelled = (signal?: string): KilnError => new KilnError('cancelled', 'cancelled', signal === undefined ? {} : { details: { signal } });
    expect(exitCodeFor(cancelled('SIGINT'))).toBe(130);
    expect(exitCodeFor(cancelled())).toBe(130);
    expect(exitCodeFor(cancelled('SIGTERM'))).toBe(143);
    expect(exitCodeFor(cancelled('SIGHUP'))).toBe(129);
    expect(exitCodeFor(cancelled('SIGPIPE'))).toBe(141);
  });
});
