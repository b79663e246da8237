/**
 * The JSON lines `kiln build --progress rawjson` writes for itself (`jsonError`, `jsonEventLine`): a KilnError's code,
 * message, hint and details; stacks only with `--debug`; anything else thrown is `internal`; one line each.
 */
import { describe, expect, it } from 'vitest';
import { jsonError, jsonEventLine } from '../../src/cli/json-report.js';
import { KilnError } from '../../src/errors.js';
import { parseRecording } from '../../src/progress/index.js';

describe('jsonError', () => {
  it('carries a KilnError\'s code, message, hint and details, without the daemon\'s stacks', () => {
    const err = new KilnError('build_failed', 'step "make" failed\nlast 1 line of its output:\nboom', {
      hint: 'Fix the step.',
      details: { step: 'make', exitCode: 2, stacks: ['goroutine 1'] },
    });
    expect(jsonError(err, false)).toEqual({ code: 'build_failed', message: 'step "make" failed\nlast 1 line of its output:\nboom', hint: 'Fix the step.', details: { step: 'make', exitCode: 2 } });
  });

  it('adds the stacks with --debug', () => {
    const err = new KilnError('protocol', 'broken stream', { details: { stacks: ['goroutine 1'] } });
    expect(jsonError(err, true)).toEqual({ code: 'protocol', message: 'broken stream', details: { stacks: ['goroutine 1'] }, stack: err.stack });
  });

  it('reports anything else thrown as internal, without a hint', () => {
    expect(jsonError(new TypeError('x is not a function'), false)).toEqual({ code: 'internal', message: 'x is not a function', details: {} });
    expect(jsonError('a thrown string', false)).toEqual({ code: 'internal', message: 'a thrown string', details: {} });
  });
});

describe('jsonEventLine', () => {
  it('is one line of JSON that a status-stream reader takes for an empty status', () => {
    const line = jsonEventLine({ kiln: 'build-failed', build: 3, durationMs: 412, error: jsonError(new KilnError('build_failed', 'a\nb', { details: { size: 5n } }), false) });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ kiln: 'build-failed', build: 3, durationMs: 412, error: { code: 'build_failed', message: 'a\nb', details: { size: '5' } } });
    expect(parseRecording(line)).toEqual([{ vertexes: [], statuses: [], logs: [], warnings: [] }]);
  });
});
