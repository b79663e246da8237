import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/write-file-atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic (lock files, --metadata-file)', () => {
  it('replaces the file whole and leaves nothing else beside it', async () => {
    const path = join(dir, 'meta.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, '{"digest":"sha256:1"}\n', 'metadata file');
    expect(readFileSync(path, 'utf8')).toBe('{"digest":"sha256:1"}\n');
    expect(readdirSync(dir)).toEqual(['meta.json']);
  });

  it('a destination it cannot write is an io error naming what and where; the old file stays, no temporary is left', async () => {
    const sub = join(dir, 'taken');
    mkdirSync(join(sub, 'meta.json'), { recursive: true }); // a directory where the file should go: rename fails
    const err = await writeFileAtomic(join(sub, 'meta.json'), '{}', 'metadata file').catch((e: unknown) => e);
    expect(KilnError.is(err, 'io')).toBe(true);
    expect((err as Error).message).toContain(`cannot write metadata file ${join(sub, 'meta.json')}`);
    expect(readdirSync(sub)).toEqual(['meta.json']);
    const missing = await writeFileAtomic(join(dir, 'no-such-dir', 'kiln.lock'), '{}', 'lock file').catch((e: unknown) => e);
    expect(KilnError.is(missing, 'io')).toBe(true);
    expect((missing as Error).message).toContain('cannot write lock file');
  });
});
