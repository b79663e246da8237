/**
 * The `index.json` of an OCI image layout directory, as the `local` cache backend uses it: each exported cache is a
 * manifest entry tagged with the annotation `org.opencontainers.image.ref.name` (default tag `latest`), and an
 * import finds the digest to ask the daemon for by that tag.
 *
 * Updates take `index.json.lock` (created exclusively, removed afterwards — the file BuildKit's Go client also locks)
 * and replace the index atomically (writeFileAtomic: a reader never sees half a file; an `index.json` that is a
 * symbolic link stays one).
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KilnError } from '../errors.js';
import { isSha256Digest } from '../sha256-digest.js';
import { writeFileAtomic } from '../write-file-atomic.js';
import { makeDirectory } from '../make-directory.js';
import { isRecord } from '../json-record.js';

/** The annotation naming a manifest of an OCI layout. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/** An OCI content descriptor. */
export interface OciDescriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [extra: string]: unknown;
}

const INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** A lock file older than this is taken to be left over from a crashed writer. */
const STALE_LOCK_MS = 60_000;
const LOCK_WAIT_MS = 10_000;

async function readIndex(dir: string): Promise<Record<string, unknown> | undefined> {
  const path = join(dir, 'index.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KilnError('io', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (text.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new KilnError('invalid_argument', `${path} is not JSON (${(err as Error).message})`, {
      hint: 'It should be an OCI image index. Delete the directory to start the cache afresh.',
    });
  }
  if (!isRecord(raw) || (raw['manifests'] !== undefined && !Array.isArray(raw['manifests']))) {
    throw new KilnError('invalid_argument', `${path} is not an OCI image index (no "manifests" list)`, {
      hint: 'Delete the directory to start the cache afresh.',
    });
  }
  return raw;
}

/**
 * The descriptor tagged `tag` in `<dir>/index.json`; `undefined` when the file or the tag is missing.
 * @throws KilnError `invalid_argument` when the file is not an OCI index
 */
export async function readOciIndexTag(dir: string, tag: string): Promise<OciDescriptor | undefined> {
  const index = await readIndex(dir);
  for (const m of (index?.['manifests'] as unknown[] | undefined) ?? []) {
    if (!isRecord(m) || !isRecord(m['annotations'])) continue;
    if (m['annotations'][REF_NAME_ANNOTATION] !== tag) continue;
    if (typeof m['digest'] !== 'string' || !isSha256Digest(m['digest'])) {
      throw new KilnError('invalid_argument', `${join(dir, 'index.json')} tags ${JSON.stringify(tag)} with ${JSON.stringify(m['digest'])}, not a sha256 digest`);
    }
    return m as unknown as OciDescriptor;
  }
  return undefined;
}

async function takeLock(path: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await (await open(path, 'wx')).close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new KilnError('io', `cannot create ${path}: ${(err as Error).message}`, { cause: err });
    }
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_LOCK_MS) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new KilnError('io', `${path} is held by another build`, {
        hint: 'Wait for the other build that exports cache into this directory to finish, or remove the lock file if none is running.',
      });
    }
    await sleep(50);
  }
}

/**
 * Records `desc` in `<dir>/index.json` under `tag`, replacing the entry that had the tag before; other entries and
 * fields are kept. Creates the file (and the directory) when missing.
 */
export async function putOciIndexTag(dir: string, tag: string, desc: OciDescriptor): Promise<void> {
  if (!isSha256Digest(desc.digest)) throw new KilnError('protocol', `the daemon reported cache manifest ${JSON.stringify(desc.digest)}, not a sha256 digest`);
  await makeDirectory(dir);
  const path = join(dir, 'index.json');
  const lock = `${path}.lock`;
  await takeLock(lock);
  try {
    const index = (await readIndex(dir)) ?? { schemaVersion: 2, mediaType: INDEX_MEDIA_TYPE };
    const kept = ((index['manifests'] as unknown[] | undefined) ?? []).filter((m) => !(isRecord(m) && isRecord(m['annotations']) && m['annotations'][REF_NAME_ANNOTATION] === tag));
    const entry = { ...desc, annotations: { ...(desc.annotations ?? {}), [REF_NAME_ANNOTATION]: tag } };
    const next = { ...index, schemaVersion: index['schemaVersion'] ?? 2, manifests: [...kept, entry] };
    await writeFileAtomic(path, `${JSON.stringify(next)}\n`, 'the cache index');
  } catch (err) {
    if (KilnError.is(err)) throw err;
    throw new KilnError('io', `cannot update ${path}: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(lock, { force: true });
  }
}
