/**
 * Where a file export (`-o type=tar|docker|oci,dest=…`) lands, beyond the cases export-bytes.test.ts covers: a
 * destination kiln cannot create or write is refused before the build with the reason (never a hang), a device is
 * written in place, and a destination that changed during the build is left alone, with the staging copy removed.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareLocalCache } from '../../src/client/local-cache.js';
import { KilnError } from '../../src/errors.js';
import { checkFileDestination, prepareLanding } from '../../src/session/export-landing.js';
import { createLocalExportStaging } from '../../src/session/local-export-receiver.js';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-export-landing-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<KilnError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof KilnError)) throw new Error(`expected a KilnError, got ${String(err)}`);
  return err;
}

describe('a file export destination kiln cannot use', () => {
  it('under a directory that holds no new entries (/proc) is refused at once, not a hang at full CPU', async () => {
    const err = await failure(checkFileDestination('/proc/kiln-no-such-dir/image.tar'));
    expect([err.code, err.message]).toEqual(['io', 'cannot write the export to /proc/kiln-no-such-dir/image.tar: cannot create the directory /proc/kiln-no-such-dir (ENOENT)']);
    expect(err.hint).toBe('Choose a destination in a directory you can write to.');
    const local = await failure(createLocalExportStaging('/proc/kiln-no-such-dir/out'));
    // Not "the directory /proc does not exist".
    expect([local.code, local.message]).toEqual(['io', 'cannot write the export to /proc/kiln-no-such-dir/out: cannot create the directory /proc/kiln-no-such-dir (ENOENT)']);
    expect(local.hint).toBe(err.hint);
  });

  it('under a file: a file export, a local export and a local cache export say it in the same words, with the same hint', async () => {
    await writeFile(join(dir, 'afile'), 'keep me');
    const file = await failure(checkFileDestination(join(dir, 'afile', 'image.tar')));
    const local = await failure(createLocalExportStaging(join(dir, 'afile', 'out')));
    const cache = await failure(prepareLocalCache([], [{ type: 'local', attrs: { dest: join(dir, 'afile', 'cache') } }], dir));
    expect([file, local, cache].map((e) => [e.code, e.message, e.details])).toEqual([
      ['io', `cannot write the export to ${join(dir, 'afile', 'image.tar')}: a parent of it is a file, not a directory`, { path: join(dir, 'afile', 'image.tar') }],
      ['io', `cannot write the export to ${join(dir, 'afile', 'out')}: a parent of it is a file, not a directory`, { path: join(dir, 'afile', 'out') }],
      ['io', `cannot write the cache export to ${join(dir, 'afile', 'cache')}: a parent of it is a file, not a directory`, { path: join(dir, 'afile', 'cache') }],
    ]);
    expect(new Set([file.hint, local.hint, cache.hint])).toEqual(new Set(['Choose a destination whose parents are directories (or do not exist yet), or move the file away.']));
    // A cache export's directory that is itself a file.
    const itself = await failure(prepareLocalCache([], [{ type: 'local', attrs: { dest: join(dir, 'afile') } }], dir));
    expect([itself.message, itself.hint]).toEqual([
      `cannot write the cache export to ${join(dir, 'afile')}: it is a file, not a directory`,
      'Choose a destination whose parents are directories (or do not exist yet) and that is a directory, or move the file away.',
    ]);
    expect(await readFile(join(dir, 'afile'), 'utf8')).toBe('keep me');
  });

  it('of a local cache export under /proc is refused with the directory it could not create', async () => {
    const err = await failure(prepareLocalCache([], [{ type: 'local', attrs: { dest: '/proc/kiln-no-such-dir/cache' } }]));
    expect([err.message, err.hint]).toEqual([
      'cannot write the cache export to /proc/kiln-no-such-dir/cache: cannot create the directory /proc/kiln-no-such-dir/cache (ENOENT)',
      'Choose a destination in a directory you can write to.',
    ]);
  });

  it('in a directory where no file can be made is refused before the build, naming it', async () => {
    const err = await failure(checkFileDestination('/proc/self/image.tar'));
    expect(err.message).toBe('cannot write the export to /proc/self/image.tar: /proc/self is not a writable directory (ENOENT)');
    expect(err.hint).toBe('Choose a destination in a directory you can write to.');
  });
});

describe('a file export landing', () => {
  it('writes a device in place, making nothing beside it', async () => {
    const landing = await prepareLanding('/dev/null');
    expect(landing).toMatchObject({ staging: '/dev/null', openFlags: 'w', mode: 0o666 });
    await writeFile(landing.staging, 'bytes', { flag: landing.openFlags });
    await landing.commit();
    await landing.abort();
    expect((await readdir('/dev')).filter((n) => n.includes('kiln'))).toEqual([]);
  });

  it('leaves a destination that became a directory during the build alone, and removes the staging copy', async () => {
    const dest = join(dir, 'out.tar');
    const landing = await prepareLanding(dest);
    await writeFile(landing.staging, 'tarball', { flag: landing.openFlags });
    await mkdir(dest);
    await writeFile(join(dest, 'keep.txt'), 'mine');
    const err = await failure(landing.commit());
    expect([err.code, err.message]).toEqual(['io', `the export destination ${dest} became a directory during the build; the export was not written`]);
    expect((await readdir(dir)).sort()).toEqual(['out.tar']);
    expect(await readdir(dest)).toEqual(['keep.txt']);
  });

  it('says the directory is gone when it was removed during the build', async () => {
    const dest = join(dir, 'sub', 'out.tar');
    const landing = await prepareLanding(dest);
    await writeFile(landing.staging, 'tarball', { flag: landing.openFlags });
    await rm(join(dir, 'sub'), { recursive: true });
    const err = await failure(landing.commit());
    expect(err.message).toBe(`cannot write the export to ${dest}: the directory ${join(dir, 'sub')} does not exist`);
  });

  it('removes the staging copy of a failed build, once; a commit after it writes nothing', async () => {
    await writeFile(join(dir, 'out.tar'), 'previous');
    const landing = await prepareLanding(join(dir, 'out.tar'));
    await writeFile(landing.staging, 'half a tarball', { flag: landing.openFlags });
    await landing.abort();
    await landing.abort();
    await landing.commit();
    expect(await readdir(dir)).toEqual(['out.tar']);
    expect(await readFile(join(dir, 'out.tar'), 'utf8')).toBe('previous');
  });
});
