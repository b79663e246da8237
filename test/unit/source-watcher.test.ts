import { describe, expect, it } from 'vitest';
import { compileSource, sourceSends } from '../../src/image/source-watcher.js';

describe('which changes concern a watched source', () => {
  it('a file the file sync sends does; one its exclude patterns (a .dockerignore) leave out does not', () => {
    const s = compileSource({ path: '/ctx/app', include: [], exclude: ['*.log', 'node_modules', '!keep.log'] });
    expect(sourceSends(s, '/ctx/app/main.py', false)).toBe(true);
    expect(sourceSends(s, '/ctx/app/pkg/util.py', false)).toBe(true);
    expect(sourceSends(s, '/ctx/app/notes.log', false)).toBe(false);
    expect(sourceSends(s, '/ctx/app/keep.log', false)).toBe(true);
    expect(sourceSends(s, '/ctx/app/node_modules/x/index.js', false)).toBe(false);
    expect(sourceSends(s, '/ctx/app/node_modules', true)).toBe(false);
  });

  it('only the included files of an addLocalFile-style source, and nothing outside it', () => {
    const s = compileSource({ path: '/ctx', include: ['requirements.txt'], exclude: [] });
    expect(sourceSends(s, '/ctx/requirements.txt', false)).toBe(true);
    expect(sourceSends(s, '/ctx/app.py', false)).toBe(false);
    expect(sourceSends(s, '/ctx/sub', true)).toBe(false);
    expect(sourceSends(s, '/elsewhere/requirements.txt', false)).toBe(false);
    expect(sourceSends(s, '/ctx', true)).toBe(false);
  });
});
