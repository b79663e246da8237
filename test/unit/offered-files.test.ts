import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { OfferedFiles } from '../../src/session/offered-files.js';

describe('OfferedFiles', () => {
  it('gives each entry the next id and rebuilds its path from its directories', () => {
    const offered = new OfferedFiles();
    const entries: [string, 'dir' | 'file' | 'link'][] = [
      ['a', 'dir'],
      ['a/b', 'dir'],
      ['a/b/c.txt', 'file'],
      ['a/d', 'link'],
      ['a/e.txt', 'file'],
      ['z', 'file'],
      ['ü', 'dir'],
      ['ü/日本語.txt', 'file'],
      ['ü/😀', 'dir'],
      ['ü/😀/x', 'file'],
    ];
    const ids = entries.map(([p, kind]) => offered.add(p, kind === 'dir', kind === 'file'));
    expect(ids).toEqual([...entries.keys()]);
    expect(offered.size).toBe(entries.length);
    expect(ids.map((id) => offered.pathOf(id))).toEqual(entries.map(([p]) => p));
  });

  it('lets each regular file be requested once, and nothing else', () => {
    const offered = new OfferedFiles();
    offered.add('dir', true, false);
    offered.add('dir/file', false, true);
    offered.add('dir/link', false, false);
    expect(offered.request(0)).toBe(false);
    expect(offered.request(2)).toBe(false);
    expect(offered.request(1)).toBe(true);
    expect(offered.request(1)).toBe(false);
    expect(offered.request(3)).toBe(false);
    expect(offered.request(-1)).toBe(false);
    expect(offered.request(0.5)).toBe(false);
    expect(offered.pathOf(1)).toBe('dir/file');
  });

  it('keeps every path of a context larger than one storage block', () => {
    const offered = new OfferedFiles();
    const paths: string[] = [];
    for (let d = 0; d < 100; d++) {
      const dir = `node_modules/package-${d}`;
      if (d === 0) paths.push('node_modules');
      paths.push(dir);
      for (let f = 0; f < 400; f++) paths.push(`${dir}/${'é'.repeat(f % 7)}file-${String(f).padStart(4, '0')}-${'x'.repeat(f % 120)}.js`);
    }
    for (const p of paths) offered.add(p, !p.endsWith('.js'), p.endsWith('.js'));
    expect(offered.size).toBe(paths.length);
    for (let id = 0; id < paths.length; id += 97) expect(offered.pathOf(id)).toBe(paths[id]);
    expect(offered.pathOf(paths.length - 1)).toBe(paths.at(-1));
    expect(offered.request(paths.length - 1)).toBe(true);
  });

  it('rejects an entry whose directory was not described just before its contents', () => {
    const offered = new OfferedFiles();
    offered.add('a', true, false);
    offered.add('b', false, true);
    expect(() => offered.add('a/x', false, true)).toThrow(KilnError);
  });
});
