import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { expandHomePath } from '../../src/home-path.js';

describe('expandHomePath', () => {
  it('reads a leading ~ or ~/ as HOME, else the user’s home directory', () => {
    expect(expandHomePath('~/out', { HOME: '/home/u' })).toBe('/home/u/out');
    expect(expandHomePath('~', { HOME: '/home/u' })).toBe('/home/u');
    expect(expandHomePath('~/out', {})).toBe(`${homedir()}/out`);
    expect(expandHomePath('~/out', { HOME: '' })).toBe(`${homedir()}/out`);
  });

  it('leaves every other path as it is', () => {
    for (const p of ['out', './~/out', '/abs/~/out', '~user/out', '~out', '-', '']) expect(expandHomePath(p, { HOME: '/home/u' })).toBe(p);
  });
});
