import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ignoreFilePatterns, type ReadDirectory } from '../../src/image/ignore-files.js';
import type { IgnoreFileRef } from '../../src/image/steps.js';

// rsync's nested .gitignore, as Image.rsync reads it.
const gitignore: IgnoreFileRef = { path: '.gitignore', syntax: 'git', optional: true, nested: true };

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-ignore-files-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(posix.dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** The patterns of `f` with the directories the search read (relative to the source, sorted). */
function search(f: IgnoreFileRef, exclude: readonly string[] = []): { patterns: string[] | undefined; read: string[] } {
  const read: string[] = [];
  const readDir: ReadDirectory = (d): readonly Dirent[] => {
    read.push(relative(dir, d) || '.');
    return readdirSync(d, { withFileTypes: true });
  };
  const patterns = ignoreFilePatterns(f, dir, dir, exclude, readDir);
  return { patterns, read: read.sort() };
}

describe('nested ignore files', () => {
  it('are not searched for in a directory the root .gitignore leaves out (node_modules/), only in the others', () => {
    write('.gitignore', 'node_modules/\n*.log\n');
    write('node_modules/pkg/.gitignore', 'never-read\n');
    mkdirSync(join(dir, 'node_modules', 'pkg', 'deep', 'deeper'), { recursive: true });
    write('app/.gitignore', 'secret.txt\n');
    mkdirSync(join(dir, 'app', 'lib'), { recursive: true });
    const { patterns, read } = search(gitignore);
    expect(patterns).toEqual(['**/node_modules', '**/*.log', 'app/**/secret.txt']);
    // Before, node_modules and everything below it were read too (and never-read was an exclude).
    expect(read).toEqual(['.', 'app', 'app/lib']);
  });

  it('are not searched for in a directory the source excludes, or one a .gitignore above it leaves out', () => {
    write('build/.gitignore', 'never-read\n');
    write('app/.gitignore', '/cache\n');
    write('app/cache/.gitignore', 'never-read either\n');
    write('app/src/.gitignore', '*.tmp\n');
    write('other/cache/.gitignore', 'x\n');
    const { patterns, read } = search(gitignore, ['build']);
    expect(patterns).toEqual(['app/cache', 'app/src/**/*.tmp', 'other/cache/**/x']);
    expect(read).toEqual(['.', 'app', 'app/src', 'other', 'other/cache']);
  });

  it('are still searched for in an excluded directory a ! pattern could re-include something in', () => {
    write('.gitignore', 'vendor/\n!vendor/keep/\n');
    write('vendor/keep/.gitignore', 'tmp\n');
    const { patterns, read } = search(gitignore);
    expect(patterns).toEqual(['**/vendor', '!vendor/keep', 'vendor/keep/**/tmp']);
    expect(read).toEqual(['.', 'vendor', 'vendor/keep']);
  });

  it('are skipped in directories named by a **/name exclude, and found everywhere when nothing is excluded', () => {
    write('.venv/lib/.gitignore', 'never-read\n');
    write('a/b/.gitignore', 'one\n');
    write('a/.gitignore', 'two\n');
    expect(search(gitignore, ['**/.venv'])).toEqual({ patterns: ['a/**/two', 'a/b/**/one'], read: ['.', 'a', 'a/b'] });
    expect(search(gitignore).patterns).toEqual(['.venv/lib/**/never-read', 'a/**/two', 'a/b/**/one']);
  });
});
