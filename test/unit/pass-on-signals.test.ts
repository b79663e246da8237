/**
 * SIGQUIT, SIGUSR1 and SIGUSR2 to kiln while a command runs go to the command each time (docker run's signal proxy),
 * only where the daemon can signal, and stop going once the command has ended.
 */
import { describe, expect, it } from 'vitest';
import { PASSED_SIGNALS, passOnSignals } from '../../src/cli/forward-stop-signals.js';
import type { ProcessSignal, RunningProcess } from '../../src/client/process-control.js';

function command(canSignal: boolean): { command: RunningProcess; sent: ProcessSignal[] } {
  const sent: ProcessSignal[] = [];
  const running: RunningProcess = {
    canSignal,
    stopSignal: undefined,
    resize: () => {},
    signal: (name) => {
      sent.push(name);
      return true;
    },
    stop: () => true,
  };
  return { command: running, sent };
}

const listeners = (): number[] => PASSED_SIGNALS.map((s) => process.listenerCount(s));

describe('passOnSignals', () => {
  it('passes each SIGQUIT, SIGUSR1 and SIGUSR2 on, every time, until the command has ended', () => {
    const before = listeners();
    const { command: c, sent } = command(true);
    const stop = passOnSignals(c);
    process.emit('SIGUSR1', 'SIGUSR1');
    process.emit('SIGUSR1', 'SIGUSR1');
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGQUIT', 'SIGQUIT');
    expect(sent).toEqual(['USR1', 'USR1', 'USR2', 'QUIT']);
    stop();
    expect(listeners()).toEqual(before);
  });

  it('takes none where the daemon cannot signal (BuildKit v0.8): Node\'s handling stays', () => {
    const before = listeners();
    const stop = passOnSignals(command(false).command);
    expect(listeners()).toEqual(before);
    stop();
  });
});
