/** `RunningProcess.stop`: docker stop's grace period — the signal, then KILL if the process has not exited in time. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProcessControl, type ProcessControlSink, type ProcessSignal } from '../../src/client/process-control.js';

/** A started process's control stream that records the signals sent on it. */
function startedControl(canSignal: boolean, stopTimeoutSeconds?: number): { control: ProcessControl; sent: ProcessSignal[] } {
  const sent: ProcessSignal[] = [];
  const sink: ProcessControlSink = { resize: () => {}, signal: (name) => sent.push(name) };
  const control = new ProcessControl(canSignal, undefined, stopTimeoutSeconds);
  control.attach(sink);
  return { control, sent };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ProcessControl.stop', () => {
  it('sends TERM, then KILL once the stop timeout has passed (10 s by default), telling the caller as it kills', () => {
    const { control, sent } = startedControl(true);
    const onKill = vi.fn();
    expect(control.stop(undefined, onKill)).toBe(true);
    expect(sent).toEqual(['TERM']);
    vi.advanceTimersByTime(9_999);
    expect(sent).toEqual(['TERM']);
    expect(onKill).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['TERM', 'KILL']);
    expect(onKill).toHaveBeenCalledTimes(1);
  });

  it('a process that exits within the grace period is not killed; a second stop does not start a second grace period', () => {
    const { control, sent } = startedControl(true, 2);
    const onKill = vi.fn();
    expect(control.stop('INT', onKill)).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(control.stop('INT', onKill)).toBe(true);
    control.detach();
    vi.advanceTimersByTime(60_000);
    expect(sent).toEqual(['INT', 'INT']);
    expect(onKill).not.toHaveBeenCalled();
  });

  it('stop timeout 0 kills at once (on the next turn), -1 never', () => {
    const now = startedControl(true, 0);
    now.control.stop('TERM');
    vi.advanceTimersByTime(0);
    expect(now.sent).toEqual(['TERM', 'KILL']);
    const never = startedControl(true, -1);
    never.control.stop('HUP');
    vi.advanceTimersByTime(24 * 3_600_000);
    expect(never.sent).toEqual(['HUP']);
  });

  it('a daemon that cannot signal (BuildKit v0.8): stop sends nothing, arms nothing and says so', () => {
    const { control, sent } = startedControl(false, 1);
    const onKill = vi.fn();
    expect(control.stop('TERM', onKill)).toBe(false);
    vi.advanceTimersByTime(5_000);
    expect(sent).toEqual([]);
    expect(onKill).not.toHaveBeenCalled();
  });

  it('stop before the process started: the signal goes out on start, and the grace period counts from the stop', () => {
    const sent: ProcessSignal[] = [];
    const control = new ProcessControl(true, undefined, 1);
    expect(control.stop('TERM')).toBe(true);
    control.attach({ resize: () => {}, signal: (name) => sent.push(name) });
    expect(sent).toEqual(['TERM']);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual(['TERM', 'KILL']);
  });
});
