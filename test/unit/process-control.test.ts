/** `RunningProcess.stop`: docker stop's grace period — the signal, then KILL if the process has not exited in time. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProcessControl, parseProcessSignal, type ProcessControlSink, type ProcessSignal } from '../../src/client/process-control.js';

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
  it('sends TERM, then KILL once the stop timeout has passed (10 s by default), telling the caller once the kill\'s exit (137) is reported', () => {
    const { control, sent } = startedControl(true);
    const onKill = vi.fn();
    expect(control.stop(undefined, onKill)).toBe(true);
    expect(sent).toEqual(['TERM']);
    vi.advanceTimersByTime(9_999);
    expect(sent).toEqual(['TERM']);
    expect(onKill).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['TERM', 'KILL']);
    expect(onKill).not.toHaveBeenCalled();
    control.detach(137);
    expect(onKill).toHaveBeenCalledTimes(1);
    control.detach();
    expect(onKill).toHaveBeenCalledTimes(1);
  });

  it('a process that had exited before the KILL (its exit held back by the daemon until its stdin ended) is not said to be killed', () => {
    const { control, sent } = startedControl(true, 2);
    const onKill = vi.fn();
    control.stop('TERM', onKill);
    vi.advanceTimersByTime(2_000);
    expect(sent).toEqual(['TERM', 'KILL']);
    // The trap's `exit 9`, reported only now.
    control.detach(9);
    expect(onKill).not.toHaveBeenCalled();
    // No exit reported at all (the stream failed): nothing said either.
    const lost = startedControl(true, 0);
    const lostKill = vi.fn();
    lost.control.stop('INT', lostKill);
    vi.advanceTimersByTime(0);
    lost.control.detach();
    expect(lostKill).not.toHaveBeenCalled();
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

describe('the stop signal (docker run --stop-signal, an image\'s STOPSIGNAL)', () => {
  it('stop() without a signal sends the stop signal, then KILL; a signal given to stop() wins', () => {
    const sent: ProcessSignal[] = [];
    const control = new ProcessControl(true, undefined, 1, 'QUIT');
    control.attach({ resize: () => {}, signal: (name) => sent.push(name) });
    expect(control.stopSignal).toBe('QUIT');
    expect(control.running).toBe(true);
    expect(control.stop()).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual(['QUIT', 'KILL']);
    control.detach();
    expect(control.running).toBe(false);
    const given = startedControl(true, 1);
    expect(given.control.stopSignal).toBeUndefined();
    given.control.stop('INT');
    expect(given.sent).toEqual(['INT']);
  });

  it('parses a signal as docker does: SIGQUIT, QUIT, quit, its number; anything else is none', () => {
    expect(['SIGQUIT', 'QUIT', 'quit', ' 3 ', 'SigQuit'].map(parseProcessSignal)).toEqual(['QUIT', 'QUIT', 'QUIT', 'QUIT', 'QUIT']);
    expect(['15', '9', '10', '28', 'SIGWINCH', 'USR2'].map(parseProcessSignal)).toEqual(['TERM', 'KILL', 'USR1', 'WINCH', 'WINCH', 'USR2']);
    // Every signal BuildKit knows by name (moby's signal map), by Linux's numbers: real-time ones are 34-64.
    expect(['SIGRTMIN+3', '37', 'RTMIN', '34', 'RTMAX-14', '50', 'sigrtmax', '64', 'SIGSYS', '31', '17', 'CLD', 'IOT', 'POLL', 'SIGPWR'].map(parseProcessSignal)).toEqual(
      ['RTMIN+3', 'RTMIN+3', 'RTMIN', 'RTMIN', 'RTMAX-14', 'RTMAX-14', 'RTMAX', 'RTMAX', 'SYS', 'SYS', 'CHLD', 'CHLD', 'ABRT', 'IO', 'PWR'],
    );
    expect(['', 'SIG', 'SIGRTMIN+16', 'RTMAX-15', '0', '32', '33', '65', 'TERMINATE', '3.0'].map(parseProcessSignal)).toEqual(Array(10).fill(undefined));
  });
});
