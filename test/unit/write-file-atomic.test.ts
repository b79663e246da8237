import { execFileSync } from 'node:child_process';
import { chmodSync, createReadStream, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('says what is wrong with the path itself, never the temporary file beside it, and what to do', async () => {
    const missingDir = join(dir, 'nowhere');
    const missing = await writeFileAtomic(join(missingDir, 'meta.json'), '{}', 'metadata file').catch((e: unknown) => e);
    expect(KilnError.is(missing, 'io')).toBe(true);
    expect((missing as KilnError).message).toBe(`cannot write metadata file ${join(missingDir, 'meta.json')}: the directory ${missingDir} does not exist`);
    expect((missing as KilnError).hint).toBe(`Create ${missingDir} first, or choose a path in a directory that exists.`);
    expect((missing as KilnError).details.path).toBe(join(missingDir, 'meta.json'));
    mkdirSync(join(dir, 'a-dir'));
    const isDir = await writeFileAtomic(join(dir, 'a-dir'), '{}', 'metadata file').catch((e: unknown) => e);
    expect((isDir as KilnError).message).toBe(`cannot write metadata file ${join(dir, 'a-dir')}: it is a directory`);
    // A full disk: /dev/full answers every write with ENOSPC.
    const full = await writeFileAtomic('/dev/full', '{}', 'image ID file').catch((e: unknown) => e);
    expect(KilnError.is(full, 'io')).toBe(true);
    expect((full as KilnError).message).toBe('cannot write image ID file /dev/full (ENOSPC)');
    expect((full as KilnError).hint).toMatch(/disk of the destination is full/);
    for (const e of [missing, isDir, full]) expect((e as Error).message).not.toMatch(/\.tmp|undefined/);
  });

  it('a destination that is not a regular file (/dev/stdout, a pipe) is written to, not replaced by a renamed file', async () => {
    // `--metadata-file /dev/stdout`: /dev/stdout is a link to the process's fd 1. Here a link to /dev/null stands in
    // for it (renaming onto the real one, as root, would replace /dev/stdout for the whole machine).
    const sub = join(dir, 'devices');
    mkdirSync(sub);
    const stdout = join(sub, 'stdout');
    symlinkSync('/dev/null', stdout);
    await writeFileAtomic(stdout, '{"digest":"sha256:1"}\n', 'metadata file');
    expect(lstatSync(stdout).isSymbolicLink()).toBe(true);
    expect(readlinkSync(stdout)).toBe('/dev/null');
    expect(readdirSync(sub)).toEqual(['stdout']);
    // A pipe (`--metadata-file >(jq .)`): the reader gets the JSON.
    const fifo = join(sub, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<string>((resolve, reject) => {
      createReadStream(fifo)
        .on('data', (c) => chunks.push(Buffer.from(c)))
        .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        .on('error', reject);
    });
    await writeFileAtomic(fifo, '{"digest":"sha256:2"}\n', 'metadata file');
    expect(await read).toBe('{"digest":"sha256:2"}\n');
    expect(readdirSync(sub).sort()).toEqual(['pipe', 'stdout']);
  });

  it('a link to a regular file stays a link: the file it points to is replaced', async () => {
    const sub = join(dir, 'linked');
    mkdirSync(join(sub, 'real'), { recursive: true });
    writeFileSync(join(sub, 'real', 'kiln.lock'), 'old');
    symlinkSync(join('real', 'kiln.lock'), join(sub, 'kiln.lock'));
    await writeFileAtomic(join(sub, 'kiln.lock'), 'new', 'lock file');
    expect(lstatSync(join(sub, 'kiln.lock')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(sub, 'real', 'kiln.lock'), 'utf8')).toBe('new');
    expect(readdirSync(join(sub, 'real'))).toEqual(['kiln.lock']);
  });

  it('a dangling link stays a link: the file is created where it points, as a shell redirection would', async () => {
    const sub = join(dir, 'dangling');
    mkdirSync(join(sub, 'real'), { recursive: true });
    symlinkSync(join('real', 'meta.json'), join(sub, 'meta.json'));
    await writeFileAtomic(join(sub, 'meta.json'), '{}\n', 'metadata file');
    expect(lstatSync(join(sub, 'meta.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(sub, 'real', 'meta.json'), 'utf8')).toBe('{}\n');
    expect(readdirSync(join(sub, 'real'))).toEqual(['meta.json']);
  });

  it('a replaced file keeps its mode: a private (0600) file stays private', async () => {
    const path = join(dir, 'private.json');
    writeFileSync(path, 'old', { mode: 0o600 });
    chmodSync(path, 0o600);
    await writeFileAtomic(path, 'new', 'metadata file');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o7777).toBe(0o600);
  });
});
