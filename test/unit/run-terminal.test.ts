/** `kiln run -it`'s raw mode: restored on every way out, including an error thrown while it is on. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { enterRawMode, type TerminalInput } from '../../src/cli/run-terminal.js';

/** A terminal input that records its raw-mode changes. */
function fakeTerminal(): { input: TerminalInput; modes: boolean[] } {
  const modes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode(mode: boolean) {
      modes.push(mode);
      input.isRaw = mode;
      return input;
    },
  });
  return { input, modes };
}

describe('enterRawMode', () => {
  it('raw while the command runs; an error on the way out still restores it, once', () => {
    const { input, modes } = fakeTerminal();
    const run = (): void => {
      const restore = enterRawMode(input);
      try {
        expect(input.isRaw).toBe(true);
        throw new Error('the daemon went away');
      } finally {
        restore();
        restore();
      }
    };
    expect(run).toThrow('the daemon went away');
    expect(modes).toEqual([true, false]);
  });

  it('kiln exiting while raw (a crash) restores the terminal', () => {
    const { input, modes } = fakeTerminal();
    enterRawMode(input);
    process.emit('exit', 1);
    expect(modes).toEqual([true, false]);
  });

  it('not a terminal: nothing to do', () => {
    const input = new PassThrough();
    enterRawMode(input)();
    expect((input as TerminalInput).isRaw).toBeUndefined();
  });
});
