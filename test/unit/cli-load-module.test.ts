import { describe, expect, it } from 'vitest';
import { pickExport } from '../../src/cli/load-module.js';
import { KilnError } from '../../src/errors.js';
import { Image } from '../../src/image/index.js';

const isImage = (v: unknown): v is Image => v instanceof Image;

describe('pickExport', () => {
  it('takes the default export, else the only Image export, else the named one', () => {
    const a = Image.fromRegistry('busybox:latest');
    const b = a.env({ B: '1' });
    expect(pickExport({ default: a, b }, { path: 'i.ts' }, isImage, 'Image')).toBe(a);
    expect(pickExport({ other: 1, b }, { path: 'i.ts' }, isImage, 'Image')).toBe(b);
    expect(pickExport({ a, b }, { path: 'i.ts', exportName: 'b' }, isImage, 'Image')).toBe(b);
    expect(() => pickExport({ a, b }, { path: 'i.ts' }, isImage, 'Image')).toThrow('module i.ts exports several Images: a, b');
  });

  it('says when the exported Image comes from another copy of kiln (a global CLI on a project with its own kiln)', () => {
    // What an Image built with a different installation of kiln looks like to this one: same shape, another class.
    class Image {
      definition(): void {}
    }
    let err: unknown;
    try {
      pickExport({ default: new Image() }, { path: 'image.ts' }, isImage, 'Image');
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe('module image.ts exports default, an Image from another copy of kiln than the one running this command');
    expect((err as KilnError).hint).toContain('npx kiln');
  });

  it('lists what the module exports when none is an Image', () => {
    expect(() => pickExport({ config: {}, n: 1 }, { path: 'image.ts' }, isImage, 'Image')).toThrow('module image.ts exports no Image');
  });

  it('says an export is a function or a promise, and to export its result', () => {
    const pending = Promise.resolve(1);
    let err: unknown;
    try {
      pickExport({ default: () => 1, later: pending, n: 1 }, { path: 'image.ts' }, isImage, 'Image');
    } catch (e) {
      err = e;
    }
    expect((err as KilnError).hint).toContain('Exports found: default (a function), later (a promise), n (a number).');
    expect((err as KilnError).hint).toContain('export default await makeImage()');
  });
});
