import { describe, expect, it } from 'vitest';
import { withoutShownLogTail } from '../../src/cli/shown-failure.js';
import { KilnError } from '../../src/errors.js';
import { EMPTY_STATUS_EVENT, INITIAL_PROGRESS_STATE, type ProgressState, reduce, type StatusEvent } from '../../src/progress/index.js';

const T0 = 1_717_171_717_000;
const enc = new TextEncoder();
const NAME = '/bin/sh -c make test';

function failedState(output: string): ProgressState {
  const events: StatusEvent[] = [
    { ...EMPTY_STATUS_EVENT, vertexes: [{ digest: 'sha256:t', inputs: [], name: NAME, cached: false, started: T0 }] },
    ...(output === '' ? [] : [{ ...EMPTY_STATUS_EVENT, logs: [{ vertex: 'sha256:t', stream: 1 as const, data: enc.encode(output), timestamp: T0 + 100 }] }]),
    {
      ...EMPTY_STATUS_EVENT,
      vertexes: [{ digest: 'sha256:t', inputs: [], name: NAME, cached: false, started: T0, completed: T0 + 200, error: 'exit code: 2' }],
    },
  ];
  return events.reduce((s, e) => reduce(s, e), INITIAL_PROGRESS_STATE);
}

/** The error the client makes of a failed step: its message ends with the last lines of the step's output. */
function stepFailure(vertex = 'sha256:t'): KilnError {
  return new KilnError('build_failed', `step "${NAME}" failed: exit code: 2\nlast 1 line of its output:\n0.100 FAIL: case 7`, {
    details: { step: NAME, vertex, stepError: 'exit code: 2', exitCode: 2, logTail: ['0.100 FAIL: case 7'] },
    hint: 'Fix the failing step (its output shows what went wrong) and build again.',
  });
}

describe('the CLI error after a failed step whose output the progress display printed', () => {
  it('names the step and its error without repeating the output; code, hint and details stay', () => {
    const err = withoutShownLogTail(stepFailure(), failedState('FAIL: case 7\n'));
    expect(err).toBeInstanceOf(KilnError);
    const k = err as KilnError;
    expect(k.message).toBe(`step "${NAME}" failed: exit code: 2`);
    expect(k.code).toBe('build_failed');
    expect(k.hint).toBe('Fix the failing step (its output shows what went wrong) and build again.');
    expect(k.details.logTail).toEqual(['0.100 FAIL: case 7']);
    expect(k.details.exitCode).toBe(2);
  });

  it('keeps the tail when the display printed no output for that step (none, or another step failed)', () => {
    const original = stepFailure();
    expect(withoutShownLogTail(original, failedState(''))).toBe(original);
    const other = stepFailure('sha256:other');
    expect(withoutShownLogTail(other, failedState('FAIL: case 7\n'))).toBe(other);
    expect(withoutShownLogTail(original, INITIAL_PROGRESS_STATE)).toBe(original);
  });

  it('leaves other errors alone', () => {
    const cancelled = new KilnError('cancelled', 'the build was cancelled (SIGINT)');
    expect(withoutShownLogTail(cancelled, failedState('x\n'))).toBe(cancelled);
    const plain = new Error('boom');
    expect(withoutShownLogTail(plain, failedState('x\n'))).toBe(plain);
  });
});
