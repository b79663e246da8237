import { describe, expect, it } from 'vitest';
import { debugRequested } from '../../src/cli/debug-flag.js';

describe('debugRequested (whether main.ts turns source maps on before the CLI loads)', () => {
  it('finds --debug before or after the command, as commander takes it', () => {
    expect(debugRequested(['--debug', 'build', 'image.ts'])).toBe(true);
    expect(debugRequested(['build', 'image.ts', '--debug'])).toBe(true);
    expect(debugRequested(['--addr', 'unix:///run/buildkit.sock', 'llb', '--debug', 'image.ts'])).toBe(true);
  });

  it('is false without it, and for a --debug after `--` (an argument, not an option)', () => {
    expect(debugRequested([])).toBe(false);
    expect(debugRequested(['--version'])).toBe(false);
    expect(debugRequested(['build', 'image.ts', '--progress', 'plain'])).toBe(false);
    expect(debugRequested(['build', '--', '--debug'])).toBe(false);
    expect(debugRequested(['build', '--debugger'])).toBe(false);
  });
});
