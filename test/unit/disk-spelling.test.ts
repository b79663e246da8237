/**
 * How a local path the image names is spelled on disk: macOS finds a file under any letter case and Unicode form,
 * the daemon only under the name kiln sends. The listings stand in for a macOS directory (no macOS here).
 */
import { describe, expect, it } from 'vitest';
import { describeMisspelling, listingOnce, spellingIn, spellingOnDisk } from '../../src/image/disk-spelling.js';

const nfc = 'café.txt'.normalize('NFC');
const nfd = 'café.txt'.normalize('NFD');

describe('spellingIn', () => {
  it('prefers the exact name, then the same name in another Unicode form, then another letter case', () => {
    expect(spellingIn('README.md', ['README.md', 'Readme.md'])).toEqual({ onDisk: 'README.md', difference: 'exact' });
    expect(spellingIn(nfc, [nfd, 'other'])).toEqual({ onDisk: nfd, difference: 'unicode' });
    expect(spellingIn(nfd, [nfc])).toEqual({ onDisk: nfc, difference: 'unicode' });
    expect(spellingIn('README.md', ['Readme.md', 'x'])).toEqual({ onDisk: 'Readme.md', difference: 'case' });
    expect(spellingIn('CAFÉ.TXT'.normalize('NFC'), [nfd])).toEqual({ onDisk: nfd, difference: 'case' });
  });

  it('finds nothing when no entry is the name, or when two differ only in case (a case-sensitive volume)', () => {
    expect(spellingIn('missing.txt', ['a', 'b'])).toBeUndefined();
    expect(spellingIn('README.md', ['Readme.md', 'readme.md'])).toBeUndefined();
  });
});

describe('spellingOnDisk', () => {
  const tree: Record<string, readonly string[]> = { '/ctx': ['Docs', nfd], '/ctx/Docs': ['Readme.md'] };
  const list = (dir: string): readonly string[] | undefined => tree[dir];

  it('walks each element and gives the path as the disk spells it', () => {
    expect(spellingOnDisk('/ctx', 'docs/README.md', list)).toEqual({
      found: true,
      onDisk: 'Docs/Readme.md',
      misspelled: [
        { given: 'docs', onDisk: 'Docs', difference: 'case' },
        { given: 'README.md', onDisk: 'Readme.md', difference: 'case' },
      ],
    });
    expect(spellingOnDisk('/ctx', nfc, list)).toEqual({ found: true, onDisk: nfd, misspelled: [{ given: nfc, onDisk: nfd, difference: 'unicode' }] });
    expect(spellingOnDisk('/ctx', 'Docs/Readme.md', list)).toEqual({ found: true, onDisk: 'Docs/Readme.md', misspelled: [] });
  });

  it('says not found for a name no spelling matches, or a directory it cannot list', () => {
    expect(spellingOnDisk('/ctx', 'Docs/missing.md', list).found).toBe(false);
    expect(spellingOnDisk('/elsewhere', 'a', list).found).toBe(false);
  });
});

describe('listingOnce', () => {
  it('lists each directory once however many files of it the image copies (10,000 in one directory)', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => `f${i}.txt`);
    const listed: string[] = [];
    const list = listingOnce((dir) => {
      listed.push(dir);
      return dir === '/ctx' ? ['data', 'locked'] : dir === '/ctx/data' ? big : undefined;
    });
    const results = big.map((name) => spellingOnDisk('/ctx', `data/${name}`, list));
    expect(results.every((r) => r.found && r.misspelled.length === 0)).toBe(true);
    expect(spellingOnDisk('/ctx', 'data/F1.TXT', list)).toEqual({ found: true, onDisk: 'data/f1.txt', misspelled: [{ given: 'F1.TXT', onDisk: 'f1.txt', difference: 'case' }] });
    expect(spellingOnDisk('/ctx', 'locked/x', list).found).toBe(false);
    expect(spellingOnDisk('/ctx', 'locked/y', list).found).toBe(false);
    expect(listed).toEqual(['/ctx', '/ctx/data', '/ctx/locked']);
  });
});

describe('describeMisspelling', () => {
  it('says which difference it is', () => {
    expect(describeMisspelling({ given: 'README.md', onDisk: 'Readme.md', difference: 'case' })).toBe('letter case');
    expect(describeMisspelling({ given: nfc, onDisk: nfd, difference: 'unicode' })).toBe('Unicode NFD on disk, accents as separate combining characters; NFC in the image');
    expect(describeMisspelling({ given: nfd, onDisk: nfc, difference: 'unicode' })).toBe('Unicode NFC on disk; NFD in the image');
  });
});
