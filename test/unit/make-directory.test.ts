/**
 * `makeDirectory` (`mkdir -p`): creates what is missing, fails as Node's recursive mkdir does when a file is in the
 * way — and returns an error, where Node's spins forever, for a directory that cannot hold new entries (/proc).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/make-directory.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-make-directory-'));
  writeFileSync(join(dir, 'afile'), 'x');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('makeDirectory', () => {
  it('creates a directory and its missing parents, with the mode given, and accepts one that exists', async () => {
    await makeDirectory(join(dir, 'a', 'b', 'c'), 0o700);
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700);
    await makeDirectory(join(dir, 'a', 'b'));
    await makeDirectory(dir);
  });

  it('creates relative paths', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await makeDirectory(join('rel', 'x'));
    } finally {
      process.chdir(cwd);
    }
    expect(statSync(join(dir, 'rel', 'x')).isDirectory()).toBe(true);
  });

  it('fails EEXIST when the path is a file, ENOTDIR when a parent is', async () => {
    await expect(makeDirectory(join(dir, 'afile'))).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(makeDirectory(join(dir, 'afile', 'x', 'y'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('fails ENOENT under /proc, where Node\'s recursive mkdir never returns', async () => {
    await expect(makeDirectory('/proc/kiln-no-such-dir/out')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
