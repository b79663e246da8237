import { EventEmitter } from 'node:events';
import { type FSWatcher, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource, sourceSends, type WatchDirectory, watchSources } from '../../src/image/source-watcher.js';

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

describe('directories that cannot be watched (past the inotify limit)', () => {
  /** A tree of `n` directories, and an fs.watch that has `limit` watches to give, then fails with ENOSPC. */
  function setUp(n: number, limit: number) {
    const root = mkdtempSync(join(tmpdir(), 'kiln-watch-limit-'));
    for (let i = 0; i < n; i++) mkdirSync(join(root, `d${i}`));
    let given = 0;
    const watchDirectory: WatchDirectory = () => {
      if (given >= limit) throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
      given++;
      return Object.assign(new EventEmitter(), { close: () => undefined }) as unknown as FSWatcher;
    };
    const errors: { code: unknown; directories: number }[] = [];
    const onError = (err: unknown, directories: number): void => void errors.push({ code: (err as NodeJS.ErrnoException).code, directories });
    return { root, watchDirectory, errors, onError, done: () => rmSync(root, { recursive: true, force: true }) };
  }

  it('is told once, with how many directories failed, not once per directory', () => {
    const t = setUp(40, 10);
    try {
      const w = watchSources({ sources: [{ path: t.root, include: [], exclude: [] }], files: [] }, () => undefined, t.onError, t.watchDirectory);
      expect(w.directories).toBe(10);
      // The root and its 40 directories: 41 to watch, 10 watches.
      expect(t.errors).toEqual([{ code: 'ENOSPC', directories: 31 }]);
      // The next build's update: told once again.
      w.update({ sources: [{ path: t.root, include: [], exclude: [] }], files: [] });
      expect(t.errors).toHaveLength(2);
      w.close();
    } finally {
      t.done();
    }
  });
});

describe('files that came and went between two looks', () => {
  /** A watched directory holding main.txt, with the listener fs.watch was given, to send events by hand. */
  function setUp() {
    const root = mkdtempSync(join(tmpdir(), 'kiln-watch-transient-'));
    writeFileSync(join(root, 'main.txt'), 'v1\n');
    const listeners = new Map<string, (event: string, name: string | Buffer | null) => void>();
    const watchDirectory: WatchDirectory = (dir, listener) => {
      listeners.set(dir, listener);
      return Object.assign(new EventEmitter(), { close: () => undefined }) as unknown as FSWatcher;
    };
    const changes: string[] = [];
    const created: string[] = [];
    const w = watchSources(
      { sources: [{ path: root, include: [], exclude: [] }], files: [] },
      (paths, isNew) => {
        changes.push(...paths);
        if (isNew) created.push(...paths);
      },
      undefined,
      watchDirectory,
    );
    const event = (name: string): void => listeners.get(root)?.('rename', name);
    return { root, changes, created, event, done: () => (w.close(), rmSync(root, { recursive: true, force: true })) };
  }

  it("sed -i's temporary file, gone by the time its event is read, is no change; the file it replaced is", () => {
    const t = setUp();
    try {
      // sed -i writes sedAbC123 and renames it over main.txt: both names have events, read after the rename.
      writeFileSync(join(t.root, 'main.txt'), 'v2\n');
      t.event('sedAbC123');
      t.event('main.txt');
      expect(t.changes).toEqual([join(t.root, 'main.txt')]);
    } finally {
      t.done();
    }
  });

  it('a file created is a change, and so is its removal, and the removal of a file that was there', () => {
    const t = setUp();
    try {
      writeFileSync(join(t.root, 'new.txt'), 'n\n');
      t.event('new.txt');
      rmSync(join(t.root, 'new.txt'));
      t.event('new.txt');
      rmSync(join(t.root, 'main.txt'));
      t.event('main.txt');
      expect(t.changes).toEqual([join(t.root, 'new.txt'), join(t.root, 'new.txt'), join(t.root, 'main.txt')]);
      // Its creation is said as such (a watch leaves out what was created and is gone again by the next build).
      expect(t.created).toEqual([join(t.root, 'new.txt')]);
    } finally {
      t.done();
    }
  });
});
