import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule, pickExport } from '../../src/cli/load-module.js';
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

describe('loadModule', () => {
  it('a module that throws something other than an Error says what it threw, never [object Object] or a bare undefined', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-load-module-'));
    try {
      const cases: readonly (readonly [string, string])[] = [
        ['throw { reason: "no GPU" };', 'module m.mjs failed to load: { reason: \'no GPU\' } (thrown instead of an Error)'],
        ['throw undefined;', 'module m.mjs failed to load: undefined (thrown instead of an Error)'],
        ['await Promise.reject(null);', 'module m.mjs failed to load: null (thrown instead of an Error)'],
        ['throw new Error();', 'module m.mjs failed to load: Error (with no message)'],
        ['throw "no GPU";', 'module m.mjs failed to load: no GPU'],
      ];
      for (const [i, [body, message]] of cases.entries()) {
        writeFileSync(join(dir, `m${i}.mjs`), `${body}\nexport {};\n`);
        const err = await loadModule({ path: `m${i}.mjs` }, dir).catch((e: unknown) => e);
        expect(KilnError.is(err, 'invalid_argument')).toBe(true);
        expect((err as KilnError).message).toBe(message.replace('m.mjs', `m${i}.mjs`));
        expect((err as KilnError).hint).toContain('Fix the error in the module');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
