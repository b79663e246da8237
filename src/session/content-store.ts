/**
 * A content-addressed blob store in a directory, laid out like an OCI image layout (`<root>/blobs/sha256/<hex>`),
 * which is what BuildKit's `local` cache backend reads and writes through the session's containerd Content service
 * (see `content-service.ts`).
 *
 * Writes follow containerd's ingest model: a write is identified by a client-chosen `ref`, appends at the current
 * offset, can be resumed (another stream with the same ref continues where the last one stopped) and is committed
 * under its digest once the data is complete; only then does the blob appear under `blobs/`. One writer per ref at
 * a time. Partial data lives in `<root>/ingest/` and is removed by {@link DirectoryContentStore.dispose} when the
 * build ends.
 *
 * Nothing here is keyed by a path the daemon chooses: blob paths are derived from validated digests only, ingest
 * files from a hash of the ref, and a blob whose real path leaves the store (a symlink pointing elsewhere) is
 * refused.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, open as openFile, readdir, realpath, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { makeDirectory } from '../make-directory.js';

/** Why a store operation failed; the Content service maps each reason to its gRPC status code. */
export type ContentStoreErrorReason =
  | 'not_found'
  | 'already_exists'
  | 'invalid_argument'
  | 'failed_precondition'
  | 'unavailable'
  | 'out_of_range'
  | 'permission_denied';

/** A failed store operation, with the reason the daemon is told. */
export class ContentStoreError extends Error {
  override readonly name = 'ContentStoreError';
  readonly reason: ContentStoreErrorReason;

  constructor(reason: ContentStoreErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** A committed blob. */
export interface ContentInfo {
  readonly digest: string;
  readonly size: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly labels: Readonly<Record<string, string>>;
}

/** An unfinished write. */
export interface WriteStatus {
  readonly ref: string;
  readonly offset: number;
  /** Expected total size, 0 when unknown. */
  readonly total: number;
  /** Expected digest, "" when unknown. */
  readonly expected: string;
  readonly startedAt: Date;
  readonly updatedAt: Date;
}

/** One piece of a blob as read: `data` starts at `offset` bytes into the blob. */
export interface ContentChunk {
  readonly offset: number;
  readonly data: Buffer;
}

/** An open write (holds the ref's lock until {@link ContentWriter.close}). */
export interface ContentWriter {
  status(): WriteStatus;
  /** The sha256 digest of what has been written so far. */
  digest(): string;
  /** Updates what the write is expected to produce (0 / "" leave the current expectation). */
  expect(total: number, expected: string): void;
  /**
   * Writes `data` at `offset`: it must be the current offset, or 0 to start over (the data written so far is
   * dropped). Returns the new offset.
   */
  write(offset: number, data: Uint8Array): Promise<number>;
  /**
   * Commits the data as a blob. `total` (when > 0) and `expected` (when set) must match what was written.
   * @returns the blob's digest
   * @throws ContentStoreError `already_exists` when the blob was already there (the write is then discarded)
   */
  commit(total: number, expected: string, labels?: Readonly<Record<string, string>>): Promise<string>;
  /** Releases the ref's lock; an uncommitted write stays resumable. */
  close(): void;
}

/** What the Content service needs from a store. */
export interface ContentStore {
  /** Whether writes, deletes and label updates are allowed. */
  readonly writable: boolean;
  info(digest: string): Promise<ContentInfo>;
  /** Replaces the labels (`paths` empty or containing `labels`) or sets/removes single `labels.<key>` entries. */
  update(digest: string, labels: Readonly<Record<string, string>>, paths: readonly string[]): Promise<ContentInfo>;
  list(): Promise<ContentInfo[]>;
  delete(digest: string): Promise<void>;
  /** Reads `size` bytes (0 = to the end) from `offset`, in chunks of at most `chunkSize` bytes. */
  read(digest: string, offset: number, size: number, chunkSize?: number): AsyncIterable<ContentChunk>;
  /** Opens (or resumes) the write named `ref`. */
  openWriter(ref: string, total: number, expected: string): Promise<ContentWriter>;
  writeStatus(ref: string): WriteStatus;
  listWriteStatuses(): WriteStatus[];
  abort(ref: string): Promise<void>;
}

const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/** Default size of the chunks {@link ContentStore.read} yields (well below the 4 MiB gRPC message limit). */
export const CONTENT_READ_CHUNK = 1 << 20;

/** Checks a digest's form; the only way a daemon-supplied value reaches a path. */
export function checkDigest(digest: string): string {
  if (!DIGEST.test(digest)) {
    throw new ContentStoreError('invalid_argument', `${JSON.stringify(digest)} is not a sha256:<64 hex> (or sha512:<128 hex>) digest`);
  }
  return digest;
}

interface Ingest {
  readonly ref: string;
  readonly path: string;
  hash: Hash;
  offset: number;
  total: number;
  expected: string;
  readonly startedAt: Date;
  updatedAt: Date;
  locked: boolean;
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException | null)?.code ?? '');
}

/**
 * A {@link ContentStore} in a directory (`blobs/<alg>/<hex>`), created on first write. Blob labels (which the cache
 * backends do not rely on) are kept in memory for the life of the store, not written to disk.
 */
export class DirectoryContentStore implements ContentStore {
  readonly root: string;
  readonly writable: boolean;
  readonly #ingests = new Map<string, Ingest>();
  readonly #labels = new Map<string, Record<string, string>>();
  #realRoot: string | undefined;

  /**
   * @param root the store's directory (need not exist yet for a writable store)
   * @param options `writable: false` refuses writes, deletes and label changes with `permission_denied`
   */
  constructor(root: string, options: { readonly writable: boolean }) {
    this.root = root;
    this.writable = options.writable;
  }

  #blobPath(digest: string): string {
    const [alg, hex] = checkDigest(digest).split(':') as [string, string];
    return join(this.root, 'blobs', alg, hex);
  }

  #requireWritable(what: string): void {
    if (!this.writable) throw new ContentStoreError('permission_denied', `the store at ${this.root} is read-only here (a cache import source): cannot ${what}`);
  }

  /** The blob's path after checking that, symlinks resolved, it stays inside the store. */
  async #existingBlob(digest: string): Promise<string> {
    const path = this.#blobPath(digest);
    let real: string;
    try {
      real = await realpath(path);
      this.#realRoot ??= await realpath(this.root);
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new ContentStoreError('not_found', `content ${digest} not found in ${this.root}`);
      throw err;
    }
    if (!real.startsWith(this.#realRoot + sep)) {
      throw new ContentStoreError('permission_denied', `blob ${digest} in ${this.root} resolves to ${real}, outside the store`);
    }
    return real;
  }

  async info(digest: string): Promise<ContentInfo> {
    const path = await this.#existingBlob(digest);
    const st = await stat(path);
    if (!st.isFile()) throw new ContentStoreError('not_found', `content ${digest} in ${this.root} is not a regular file`);
    return { digest, size: st.size, createdAt: st.birthtime.getTime() > 0 ? st.birthtime : st.mtime, updatedAt: st.mtime, labels: { ...(this.#labels.get(digest) ?? {}) } };
  }

  async update(digest: string, labels: Readonly<Record<string, string>>, paths: readonly string[]): Promise<ContentInfo> {
    const current = await this.info(digest);
    const next: Record<string, string> = { ...current.labels };
    if (paths.length === 0 || paths.includes('labels')) {
      for (const k of Object.keys(next)) delete next[k];
      Object.assign(next, labels);
    } else {
      for (const p of paths) {
        if (!p.startsWith('labels.')) throw new ContentStoreError('invalid_argument', `cannot update field ${JSON.stringify(p)}: only labels can change`);
        const key = p.slice('labels.'.length);
        const value = labels[key];
        if (value === undefined || value === '') delete next[key];
        else next[key] = value;
      }
    }
    this.#labels.set(digest, next);
    return { ...current, labels: { ...next } };
  }

  async list(): Promise<ContentInfo[]> {
    const out: ContentInfo[] = [];
    for (const alg of ['sha256', 'sha512']) {
      let names: string[];
      try {
        names = await readdir(join(this.root, 'blobs', alg));
      } catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR')) continue;
        throw err;
      }
      for (const name of names.sort()) {
        const digest = `${alg}:${name}`;
        if (!DIGEST.test(digest)) continue;
        try {
          out.push(await this.info(digest));
        } catch (err) {
          if (!(err instanceof ContentStoreError)) throw err;
        }
      }
    }
    return out;
  }

  async delete(digest: string): Promise<void> {
    this.#requireWritable(`delete ${digest}`);
    await this.#existingBlob(digest);
    await rm(this.#blobPath(digest), { force: true });
    this.#labels.delete(digest);
  }

  async *read(digest: string, offset: number, size: number, chunkSize = CONTENT_READ_CHUNK): AsyncIterable<ContentChunk> {
    if (offset < 0 || size < 0) throw new ContentStoreError('invalid_argument', `cannot read ${digest} at offset ${offset} size ${size}: negative`);
    const path = await this.#existingBlob(digest);
    const fh = await openFile(path, fsConstants.O_RDONLY);
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new ContentStoreError('not_found', `content ${digest} in ${this.root} is not a regular file`);
      const total = st.size;
      if (offset > total) throw new ContentStoreError('out_of_range', `cannot read ${digest} at offset ${offset}: it holds ${total} bytes`);
      const end = size === 0 || offset + size > total ? total : offset + size;
      let at = offset;
      while (at < end) {
        const want = Math.min(chunkSize, end - at);
        const buf = Buffer.allocUnsafe(want);
        const { bytesRead } = await fh.read(buf, 0, want, at);
        if (bytesRead === 0) throw new ContentStoreError('failed_precondition', `${digest} in ${this.root} shrank while being read`);
        yield { offset: at, data: bytesRead === want ? buf : buf.subarray(0, bytesRead) };
        at += bytesRead;
      }
    } finally {
      await fh.close();
    }
  }

  async openWriter(ref: string, total: number, expected: string): Promise<ContentWriter> {
    if (ref === '') throw new ContentStoreError('invalid_argument', 'a write needs a reference');
    this.#requireWritable(`write ${ref}`);
    if (expected !== '') {
      if (!checkDigest(expected).startsWith('sha256:')) throw new ContentStoreError('invalid_argument', `cannot write ${expected}: this store writes sha256 content only`);
      if (await this.#exists(expected)) throw new ContentStoreError('already_exists', `content ${expected} already exists`);
    }
    let ingest = this.#ingests.get(ref);
    if (ingest?.locked === true) throw new ContentStoreError('unavailable', `ref ${ref} is locked by another write`);
    if (ingest === undefined) {
      const dir = join(this.root, 'ingest');
      await makeDirectory(dir);
      // Named for this store's write only: another build (or kiln process) exporting cache into the same directory
      // may be writing the same ref (refs are derived from the digest) and must not truncate or append to this file.
      // O_EXCL: nothing already there — a file or a link — is written into.
      const path = join(dir, `${createHash('sha256').update(ref).digest('hex')}-${randomBytes(6).toString('hex')}.partial`);
      await (await openFile(path, 'wx')).close();
      const now = new Date();
      ingest = { ref, path, hash: createHash('sha256'), offset: 0, total, expected, startedAt: now, updatedAt: now, locked: false };
      this.#ingests.set(ref, ingest);
    }
    if (total > 0) ingest.total = total;
    if (expected !== '') ingest.expected = expected;
    ingest.locked = true;
    return this.#writer(ingest);
  }

  async #exists(digest: string): Promise<boolean> {
    try {
      await this.info(digest);
      return true;
    } catch (err) {
      if (err instanceof ContentStoreError && err.reason === 'not_found') return false;
      throw err;
    }
  }

  #writer(ingest: Ingest): ContentWriter {
    const store = this;
    let open = true;
    let handle: Promise<FileHandle> | undefined;
    const live = (): Ingest => {
      if (!open || store.#ingests.get(ingest.ref) !== ingest) throw new ContentStoreError('not_found', `write ${ingest.ref} was aborted or committed`);
      return ingest;
    };
    const release = async (): Promise<void> => {
      const h = handle;
      handle = undefined;
      if (h !== undefined) await (await h).close();
    };
    return {
      status: () => statusOf(live()),
      digest: () => `sha256:${live().hash.copy().digest('hex')}`,
      expect(total, expected) {
        const w = live();
        if (total > 0) w.total = total;
        if (expected !== '') w.expected = checkDigest(expected);
      },
      async write(offset, data) {
        const w = live();
        if (offset !== 0 && offset !== w.offset) {
          throw new ContentStoreError('out_of_range', `write of ${ingest.ref} at offset ${offset} must continue at the current offset ${w.offset}`);
        }
        handle ??= openFile(w.path, 'a');
        const fh = await handle;
        if (offset === 0 && w.offset > 0) {
          await fh.truncate(0);
          w.hash = createHash('sha256');
          w.offset = 0;
        }
        if (data.length > 0) {
          await fh.write(data);
          w.hash.update(data);
          w.offset += data.length;
        }
        w.updatedAt = new Date();
        return w.offset;
      },
      async commit(total, expected, labels) {
        const w = live();
        if (total > 0) w.total = total;
        if (expected !== '') w.expected = checkDigest(expected);
        if (w.total > 0 && w.offset !== w.total) {
          throw new ContentStoreError('failed_precondition', `cannot commit ${w.ref}: ${w.offset} bytes written, ${w.total} expected`);
        }
        const digest = `sha256:${w.hash.copy().digest('hex')}`;
        if (w.expected !== '' && w.expected !== digest) {
          throw new ContentStoreError('failed_precondition', `cannot commit ${w.ref}: the data's digest is ${digest}, ${w.expected} expected`);
        }
        store.#ingests.delete(w.ref);
        open = false;
        await release();
        if (await store.#exists(digest)) {
          await rm(w.path, { force: true });
          throw new ContentStoreError('already_exists', `content ${digest} already exists`);
        }
        const target = store.#blobPath(digest);
        await makeDirectory(join(target, '..'));
        await chmod(w.path, 0o444);
        await rename(w.path, target);
        if (labels !== undefined && Object.keys(labels).length > 0) store.#labels.set(digest, { ...labels });
        return digest;
      },
      close() {
        if (!open) return;
        open = false;
        ingest.locked = false;
        release().catch(() => {});
      },
    };
  }

  writeStatus(ref: string): WriteStatus {
    const ingest = this.#ingests.get(ref);
    if (ingest === undefined) throw new ContentStoreError('not_found', `no write in progress for ref ${ref}`);
    return statusOf(ingest);
  }

  listWriteStatuses(): WriteStatus[] {
    return [...this.#ingests.values()].map(statusOf);
  }

  async abort(ref: string): Promise<void> {
    const ingest = this.#ingests.get(ref);
    if (ingest === undefined) throw new ContentStoreError('not_found', `no write in progress for ref ${ref}`);
    this.#ingests.delete(ref);
    await rm(ingest.path, { force: true });
  }

  /** Removes the data of every unfinished write, and the ingest directory when that leaves it empty. */
  async dispose(): Promise<void> {
    const ingests = [...this.#ingests.values()];
    this.#ingests.clear();
    await Promise.all(ingests.map((i) => rm(i.path, { force: true })));
    try {
      await rmdir(join(this.root, 'ingest'));
    } catch {
      // Not there, or someone else's partial data is in it.
    }
  }
}

function statusOf(i: Ingest): WriteStatus {
  return { ref: i.ref, offset: i.offset, total: i.total, expected: i.expected, startedAt: i.startedAt, updatedAt: i.updatedAt };
}
