import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { parseExporterMetadata } from '../../src/session/exporter-metadata.js';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-bytes-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseExporterMetadata', () => {
  it('keeps exporter-md-* headers, case-insensitively, and strips the prefix', () => {
    expect(
      parseExporterMetadata({
        'exporter-md-containerimage.digest': 'sha256:abc',
        'Exporter-MD-image.name': ['docker.io/library/app:1', 'docker.io/library/app:latest'],
        'exporter-md-containerimage.descriptor': Buffer.from('eyJ9'),
        'content-type': 'application/grpc',
        'exporter-md-': 'ignored',
        'x-other': undefined,
      }),
    ).toEqual({
      'containerimage.digest': 'sha256:abc',
      'image.name': 'docker.io/library/app:1,docker.io/library/app:latest',
      'containerimage.descriptor': 'eyJ9',
    });
  });

  it('returns an empty record for the tar exporter (no metadata)', () => {
    expect(parseExporterMetadata({ 'content-type': 'application/grpc' })).toEqual({});
  });
});

describe('a file export destination (checked before the build)', () => {
  it('refuses a directory, keeping what is in it', async () => {
    const { checkFileDestination, prepareLanding } = await import('../../src/session/export-landing.js');
    await mkdir(join(dir, 'tardir'));
    await writeFile(join(dir, 'tardir', 'keep.txt'), 'mine');
    const err = await checkFileDestination(join(dir, 'tardir')).catch((e: unknown) => e);
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe(`the export destination ${join(dir, 'tardir')} is a directory; this export writes one file`);
    expect((err as KilnError).hint).toBe(`Give a file path, for example ${join(dir, 'tardir', 'image.tar')}.`);
    await expect(prepareLanding(join(dir, 'tardir'))).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await readdir(join(dir, 'tardir'))).toEqual(['keep.txt']);
  });

  it('names a parent that is a file, and lands a file atomically otherwise', async () => {
    const { checkFileDestination, prepareLanding } = await import('../../src/session/export-landing.js');
    await writeFile(join(dir, 'afile'), 'x');
    await expect(checkFileDestination(join(dir, 'afile', 'out.tar'))).rejects.toMatchObject({
      code: 'io',
      message: `cannot write the export to ${join(dir, 'afile', 'out.tar')}: a parent of it is a file, not a directory`,
    });
    await writeFile(join(dir, 'out.tar'), 'old');
    const landing = await prepareLanding(join(dir, 'out.tar'));
    await writeFile(landing.staging, 'new');
    await landing.commit();
    expect(await readFile(join(dir, 'out.tar'), 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual(['afile', 'out.tar']);
  });

  it('writes through a dangling link (creating the file it points to) and keeps a replaced file\'s mode', async () => {
    const { prepareLanding } = await import('../../src/session/export-landing.js');
    await mkdir(join(dir, 'real'));
    await symlink(join('real', 'app.tar'), join(dir, 'app.tar'));
    const first = await prepareLanding(join(dir, 'app.tar'));
    await writeFile(first.staging, 'first', { flag: first.openFlags, mode: first.mode });
    await first.commit();
    expect((await lstat(join(dir, 'app.tar'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'real', 'app.tar'), 'utf8')).toBe('first');
    // A tarball the user made private stays private, while it is written too.
    await chmod(join(dir, 'real', 'app.tar'), 0o600);
    const second = await prepareLanding(join(dir, 'app.tar'));
    expect(second.mode).toBe(0o600);
    await writeFile(second.staging, 'second', { flag: second.openFlags, mode: second.mode });
    expect((await stat(second.staging)).mode & 0o777).toBe(0o600);
    await second.commit();
    expect(await readFile(join(dir, 'real', 'app.tar'), 'utf8')).toBe('second');
    expect((await stat(join(dir, 'real', 'app.tar'))).mode & 0o7777).toBe(0o600);
    expect((await lstat(join(dir, 'app.tar'))).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['app.tar', 'real']);
    expect(await readdir(join(dir, 'real'))).toEqual(['app.tar']);
  });
});
