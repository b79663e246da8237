import { describe, expect, it } from 'vitest';
import { writtenBy } from '../../src/image/watch-image.js';

describe('what a watch does not take for the user’s change', () => {
  const written = ['/ctx/out', '/ctx/meta.json'];
  it('the output directory, what lands in it, and the temporary siblings kiln renames into place', () => {
    expect(writtenBy(written, '/ctx/out')).toBe(true);
    expect(writtenBy(written, '/ctx/out/etc/os-release')).toBe(true);
    expect(writtenBy(written, '/ctx/.out.kiln-tmp-1a2b3c')).toBe(true);
    expect(writtenBy(written, '/ctx/.out.kiln-tmp-1a2b3c/ctx/main.txt')).toBe(true);
    expect(writtenBy(written, '/ctx/.kiln-probe-1a2b')).toBe(true);
    expect(writtenBy(written, '/ctx/meta.json.1a2b3c4d.tmp')).toBe(true);
  });
  it('not files that merely share a name prefix, nor the same name elsewhere', () => {
    expect(writtenBy(written, '/ctx/outline.py')).toBe(false);
    expect(writtenBy(written, '/ctx/out.py')).toBe(false);
    expect(writtenBy(written, '/ctx/app/out')).toBe(false);
    expect(writtenBy(written, '/ctx/meta.json.bak')).toBe(false);
    expect(writtenBy(written, '/ctx/src/.out.kiln-tmp-1a2b3c')).toBe(false);
  });
});
