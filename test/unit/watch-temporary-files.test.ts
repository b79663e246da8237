import { describe, expect, it } from 'vitest';
import { withoutTemporaryFiles } from '../../src/image/watch-image.js';

describe('the changed paths a watch names for a build', () => {
  const there = new Set(['/ctx/app/main.txt', '/ctx/app/new.txt']);
  const exists = (p: string): boolean => there.has(p);

  it("leave out a file created and gone again before the build (sed -i's sedXXXXXX seen while it existed)", () => {
    const created = new Set(['/ctx/app/sedAbC123', '/ctx/app/new.txt']);
    expect(withoutTemporaryFiles(['/ctx/app/sedAbC123', '/ctx/app/main.txt', '/ctx/app/new.txt'], created, exists)).toEqual(['/ctx/app/main.txt', '/ctx/app/new.txt']);
  });

  it('keep a removed file that was there before (a deletion is a change)', () => {
    expect(withoutTemporaryFiles(['/ctx/app/old.txt', '/ctx/app/main.txt'], new Set(), exists)).toEqual(['/ctx/app/old.txt', '/ctx/app/main.txt']);
  });

  it('keep everything when nothing else is left (the build still runs and says why)', () => {
    expect(withoutTemporaryFiles(['/ctx/app/sedAbC123'], new Set(['/ctx/app/sedAbC123']), exists)).toEqual(['/ctx/app/sedAbC123']);
  });
});
