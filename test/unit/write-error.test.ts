import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { writeError } from '../../src/session/fs-errors.js';
import { writeFileAtomic } from '../../src/write-file-atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-write-error-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: operation failed, open '/somewhere/.x.kiln-tmp-1234'`), { code });
}

describe('writeError: one message shape for every failed write (lock file, --metadata-file, export)', () => {
  it('names the path the user gave and what is wrong with it, with a hint, for ENOENT, EISDIR, EACCES and ENOSPC', () => {
    const path = join(dir, 'missing', 'out.tar');
    for (const what of ['cannot write the export to', 'cannot write lock file']) {
      const missing = writeError(what, path, errno('ENOENT'));
      expect(KilnError.is(missing, 'io')).toBe(true);
      expect(missing.message).toBe(`${what} ${path}: the directory ${join(dir, 'missing')} does not exist`);
      expect(missing.hint).toBe(`Create ${join(dir, 'missing')} first, or choose a path in a directory that exists.`);
      expect(missing.details.path).toBe(path);
      const isDir = writeError(what, dir, errno('EISDIR'));
      expect(isDir.message).toBe(`${what} ${dir}: it is a directory`);
      expect(isDir.hint).toBe('Name a file, not a directory.');
      const denied = writeError(what, path, errno('EACCES'));
      expect(denied.message).toBe(`${what} ${path} (EACCES)`);
      expect(denied.hint).toMatch(/^kiln may not write there/);
      const full = writeError(what, path, errno('ENOSPC'));
      expect(full.message).toBe(`${what} ${path} (ENOSPC)`);
      expect(full.hint).toMatch(/^The disk of the destination is full/);
      for (const e of [missing, isDir, denied, full]) expect(e.message).not.toMatch(/kiln-tmp|\.tmp|undefined/);
    }
  });

  it('writeFileAtomic (lock files, --metadata-file) says exactly what writeError says for the same errno', async () => {
    const missing = join(dir, 'nowhere', 'kiln.lock');
    const gotMissing = await writeFileAtomic(missing, '{}', 'lock file').catch((e: unknown) => e);
    expect((gotMissing as KilnError).message).toBe(writeError('cannot write lock file', missing, errno('ENOENT')).message);
    mkdirSync(join(dir, 'a-dir'));
    const gotDir = await writeFileAtomic(join(dir, 'a-dir'), '{}', 'metadata file').catch((e: unknown) => e);
    expect((gotDir as KilnError).message).toBe(writeError('cannot write metadata file', join(dir, 'a-dir'), errno('EISDIR')).message);
    const gotFull = await writeFileAtomic('/dev/full', '{}', 'image ID file').catch((e: unknown) => e);
    expect((gotFull as KilnError).message).toBe(writeError('cannot write image ID file', '/dev/full', errno('ENOSPC')).message);
    expect((gotFull as KilnError).hint).toBe(writeError('cannot write image ID file', '/dev/full', errno('ENOSPC')).hint);
  });
});
