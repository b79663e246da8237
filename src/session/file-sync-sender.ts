/**
 * The fsutil **sender** side of DiffCopy: what kiln runs when the daemon calls `FileSync/DiffCopy` to snapshot a
 * local directory. Entries are walked and sent lazily (with backpressure), then the terminator; meanwhile the
 * daemon's REQs are answered with the file contents in 32 KiB DATA chunks, a few files at a time.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, read, readSync } from 'node:fs';
import { join } from 'node:path';
import { KilnError } from '../errors.js';
import { ioError } from './fs-errors.js';
import { walkDirectory } from './fs-walk.js';
import { OfferedFiles } from './offered-files.js';
import {
  dataPacket,
  errPacket,
  finPacket,
  PacketType,
  statPacket,
  terminatorPacket,
} from './fsutil-packet.js';
import type { PacketStream } from './packet-stream.js';

/** Files up to this size are read synchronously (one read); larger ones in the thread pool. */
const SYNC_READ_MAX = 64 * 1024;

function readInPool(fd: number, buf: Buffer, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buf, 0, length, null, (err, n) => (err === null ? resolve(n) : reject(err)));
  });
}

/** A local directory offered to the daemon, with the filters the LLB asked for. */
export interface LocalDirSpec {
  /** The directory on disk. */
  readonly path: string;
  /** fsutil include patterns (`local.includepattern`). */
  readonly includePatterns?: readonly string[];
  /** fsutil exclude patterns (`local.excludepatterns`), `.dockerignore` syntax. */
  readonly excludePatterns?: readonly string[];
  /** Symlinks to resolve into extra include patterns (`local.followpaths`). */
  readonly followPaths?: readonly string[];
  /** Also apply `<path>/.dockerignore` (before `excludePatterns`). */
  readonly dockerignore?: boolean;
}

/** What one DiffCopy transfer did, as counted by the sender. */
export interface DiffCopyCounters {
  /** Entries (directories, files, links...) described to the daemon. */
  readonly entriesSent: number;
  /** Files whose content the daemon asked for. */
  readonly filesRequested: number;
  /** Files whose content was sent completely. */
  readonly filesSent: number;
  /** Content bytes sent. */
  readonly bytesSent: number;
}

/** Options of {@link serveDiffCopy}. */
export interface ServeDiffCopyOptions {
  /** Cancels the transfer: the daemon gets an error and the promise rejects with a `cancelled` KilnError. */
  readonly signal?: AbortSignal;
  /** Files read and sent at the same time (default 8; Go uses 4, but our large files are read in the thread pool). */
  readonly concurrency?: number;
  /** DATA chunk size in bytes (default 32 KiB, like Go; at most 1 MiB). */
  readonly chunkSize?: number;
  /** Called whenever the counters change in a way worth showing (a file finished, all entries sent). */
  readonly onProgress?: (counters: DiffCopyCounters) => void;
  /** Called with the relative path of every file the daemon asks for. */
  readonly onFileRequested?: (path: string) => void;
  /** Called for entries that cannot be sent and are left out (sockets, names that are not valid UTF-8). */
  readonly onSkip?: (path: string, reason: string) => void;
}

/**
 * While a file is read, it is checked for a writer every this many bytes (one fstat): a multi-GB checkpoint still
 * being saved fails the build within a few MiB, not after the whole file went to the daemon.
 */
const RECHECK_BYTES = 16 * 1024 * 1024;

const DEFAULT_CHUNK = 32 * 1024;
const MAX_CHUNK = 1024 * 1024;

/** The `io` error for a file whose content changed while it was read (its size or mtime moved). */
function changedWhileSent(path: string, sizeBefore: number, sizeAfter: number): KilnError {
  const how = sizeBefore === sizeAfter ? 'it was written to' : `its size went from ${sizeBefore} to ${sizeAfter} bytes`;
  return new KilnError('io', `${path} changed while it was being sent to the daemon (${how}); the build stopped rather than copy a torn file`, {
    details: { path },
    hint: 'Build again once nothing writes to it any more (a checkpoint or log still being saved), or leave it out of the context (.dockerignore, ignore).',
  });
}

/** The `io` error for a file that ended before the size it stats as, and did not change while it was read. */
function endedEarly(path: string, read: number, size: number): KilnError {
  return new KilnError(
    'io',
    `${path} ended after ${read} of its ${size} bytes (its size and modification time did not change); the build stopped rather than copy a file that may be cut short`,
    {
      details: { path },
      hint: 'Its file system reports a size the file does not hold (sysfs, some FUSE or network mounts), or another machine cut it short. Copy its content to a regular file (cat reads to its end) and build with that, or leave it out of the context (.dockerignore, ignore).',
    },
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Serves one `FileSync/DiffCopy` call for `dir` over `stream` and resolves with the transfer's counters once the
 * daemon has sent FIN and kiln has answered it (the stream is then ended).
 *
 * Fails (after sending ERR to the daemon and aborting the stream) with: `not_found` when the directory does not
 * exist, `io` when an entry or a requested file cannot be read, changed while it was read, or ended before the size it stats as (named in the message), `protocol` when the daemon
 * requests an id that is not an offered file or requests one twice, or reports an error itself, and `cancelled`
 * when `signal` fires or the daemon closes the stream before FIN.
 */
export function serveDiffCopy(
  stream: PacketStream,
  dir: LocalDirSpec,
  options: ServeDiffCopyOptions = {},
): Promise<DiffCopyCounters> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const chunkSize = Math.min(MAX_CHUNK, Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK)));
  const { signal, onProgress, onFileRequested, onSkip } = options;

  let entriesSent = 0;
  let filesRequested = 0;
  let filesSent = 0;
  let bytesSent = 0;
  const snapshot = (): DiffCopyCounters => ({ entriesSent, filesRequested, filesSent, bytesSent });
  const progress = (): void => onProgress?.(snapshot());

  /**
   * Every entry described, packed (a name and its directory's id each): a regular file can be requested once, its
   * relative path rebuilt then. The directory's resolved path is kept once (`rootPrefix`), and the queue holds only
   * the ids requested: a context of 200,000 small files (a node_modules) is all offered before the daemon asks for
   * anything, and on a first send it asks for all of them at once.
   */
  const offered = new OfferedFiles();
  let rootPrefix = '';
  /** Ids of requested files waiting for a worker. */
  const queue: number[] = [];
  let wakeWorkers: (() => void)[] = [];
  let settled = false;
  const walkStop = new AbortController();

  let resolveDone!: (c: DiffCopyCounters) => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<DiffCopyCounters>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });

  const wakeAll = (): void => {
    const w = wakeWorkers;
    wakeWorkers = [];
    for (const f of w) f();
  };

  const cleanup = (): void => {
    signal?.removeEventListener('abort', onAbort);
    walkStop.abort();
    queue.length = 0;
    wakeAll();
  };

  const fail = (err: unknown, tellPeer = true): void => {
    if (settled) return;
    settled = true;
    const error = err instanceof Error ? err : new KilnError('internal', messageOf(err), { cause: err });
    cleanup();
    if (tellPeer) stream.write(errPacket(error.message)).catch(() => {});
    stream.abort(error);
    rejectDone(error);
  };

  const succeed = (): void => {
    if (settled) return;
    settled = true;
    cleanup();
    resolveDone(snapshot());
  };

  function onAbort(): void {
    fail(new KilnError('cancelled', `sending ${dir.path} to the daemon was cancelled`, { cause: signal?.reason }));
  }
  if (signal?.aborted === true) {
    onAbort();
    return done;
  }
  signal?.addEventListener('abort', onAbort, { once: true });

  // Walk and describe every entry, then the terminator.
  const walk = async (): Promise<void> => {
    const entries = walkDirectory(dir.path, {
      ...(dir.includePatterns !== undefined ? { includePatterns: dir.includePatterns } : {}),
      ...(dir.excludePatterns !== undefined ? { excludePatterns: dir.excludePatterns } : {}),
      ...(dir.followPaths !== undefined ? { followPaths: dir.followPaths } : {}),
      ...(dir.dockerignore !== undefined ? { dockerignore: dir.dockerignore } : {}),
      ...(onSkip !== undefined ? { onSkip } : {}),
      signal: walkStop.signal,
      entries: offered,
    });
    for await (const entry of entries) {
      if (settled) return;
      // The walk's absolute path is the resolved root, a separator, then the relative path (same length on Windows).
      if (rootPrefix === '') rootPrefix = entry.absolutePath.slice(0, entry.absolutePath.length - entry.stat.path.length);
      await stream.write(statPacket(entry.stat));
      entriesSent++;
    }
    if (settled) return;
    await stream.write(terminatorPacket());
    progress();
  };

  /** `buf` is the worker's read buffer (`chunkSize` bytes): `stream.write` encodes a packet before it returns. */
  const sendFile = async (id: number, buf: Buffer): Promise<void> => {
    const abs = join(rootPrefix, offered.pathOf(id));
    // Synchronous open/fstat, and synchronous reads for small files: each takes microseconds, while a thread-pool
    // round trip costs more than the read itself on a context of small files. Larger files are read in the thread
    // pool, several at a time, so a disk that is not in the page cache is read in parallel and the event loop never
    // waits on it (the daemon health-checks the session every second).
    let fd: number;
    try {
      // O_NONBLOCK: if the file was swapped for a FIFO since the walk, opening must not hang.
      fd = openSync(abs, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
    } catch (err) {
      throw ioError('cannot read', abs, err);
    }
    try {
      const st = fstatSync(fd, { bigint: true });
      if (!st.isFile()) {
        throw new KilnError('io', `cannot read ${abs}: it is no longer a regular file`, { details: { path: abs } });
      }
      // The file is read to its end, as Docker's sender (fsutil) does, but it must still be the same file when that
      // is read: a file written meanwhile (a checkpoint being saved, a log) would otherwise reach the image torn — half
      // old, half new, or cut short — with nothing telling the user. Its size is only a guide: files of procfs, and of
      // some FUSE mounts, say 0 bytes and hold more. Reading past the size it had when opened is checked once: if the
      // size has moved, a writer is growing it (and could keep kiln reading for ever), so the send fails there.
      const size = Number(st.size);
      let sent = 0;
      let checkedPastSize = false;
      let nextCheck = RECHECK_BYTES;
      for (;;) {
        if (settled) return;
        let n: number;
        try {
          n =
            size <= SYNC_READ_MAX && sent < SYNC_READ_MAX
              ? readSync(fd, buf, 0, chunkSize, null)
              : await readInPool(fd, buf, chunkSize);
        } catch (err) {
          throw ioError('cannot read', abs, err);
        }
        if (n === 0) break;
        await stream.write(dataPacket(id, buf.subarray(0, n)));
        bytesSent += n;
        sent += n;
        if (sent > size && !checkedPastSize) {
          checkedPastSize = true;
          const now = fstatSync(fd, { bigint: true });
          if (now.size !== st.size) throw changedWhileSent(abs, size, Number(now.size));
        } else if (sent >= nextCheck && sent < size) {
          // A large file: a write since it was opened moved its size or mtime (compared as at the end, below).
          nextCheck = sent + RECHECK_BYTES;
          const now = fstatSync(fd, { bigint: true });
          if (now.size !== st.size || now.mtimeNs !== st.mtimeNs) throw changedWhileSent(abs, size, Number(now.size));
        }
        // A short read that ends where its size says is the end of a regular file: no read is spent to learn it.
        if (sent === size && n < chunkSize) break;
      }
      if (settled) return;
      // A write moves the size or the mtime. The ctime is not compared: it also moves when nothing in the content
      // did (a hard link made or removed, chmod/chown, an xattr, and the file renamed or replaced by rename: an
      // atomic save of a new version, whose old one kiln has just read whole), and a writer that restores the mtime
      // restores that of another version, not the same one.
      const after = fstatSync(fd, { bigint: true });
      if (after.size !== st.size || after.mtimeNs !== st.mtimeNs) {
        throw changedWhileSent(abs, size, Number(after.size));
      }
      // Unchanged, yet shorter than its size: a file system reporting sizes it does not hold (sysfs, some FUSE and
      // network mounts), or a file cut short by another machine whose new size this one has not seen yet.
      if (sent < size) throw endedEarly(abs, sent, size);
    } finally {
      try {
        closeSync(fd);
      } catch {
        // nothing to do: the content was read
      }
    }
    if (settled) return;
    await stream.write(dataPacket(id));
    filesSent++;
    progress();
  };

  const worker = async (): Promise<void> => {
    const buf = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      if (settled) return;
      const id = queue.shift();
      if (id === undefined) {
        await new Promise<void>((resolve) => wakeWorkers.push(resolve));
        continue;
      }
      await sendFile(id, buf);
    }
  };

  // Answer the daemon: REQ → queue the file, FIN → reply FIN and finish, ERR → abort.
  const read = async (): Promise<void> => {
    for await (const p of stream) {
      if (settled) return;
      switch (p.type) {
        case PacketType.REQ: {
          if (!offered.request(p.id)) {
            throw new KilnError(
              'protocol',
              `the daemon requested file id ${p.id}, which is not a file offered in this transfer or was already requested`,
            );
          }
          filesRequested++;
          onFileRequested?.(offered.pathOf(p.id));
          queue.push(p.id);
          const w = wakeWorkers.shift();
          w?.();
          break;
        }
        case PacketType.FIN:
          await stream.write(finPacket());
          await stream.end();
          succeed();
          return;
        case PacketType.ERR:
          fail(
            new KilnError('protocol', `the daemon aborted the transfer of ${dir.path}: ${Buffer.from(p.data).toString('utf8')}`),
            false,
          );
          return;
        default:
          // Go ignores anything else a receiver sends; so do we.
          break;
      }
    }
    if (!settled) {
      fail(new KilnError('cancelled', `the daemon closed the transfer of ${dir.path} before it finished`), false);
    }
  };

  walk().catch((err: unknown) => fail(err));
  for (let i = 0; i < concurrency; i++) worker().catch((err: unknown) => fail(err));
  read().catch((err: unknown) => fail(err, !KilnError.is(err, 'cancelled')));
  return done;
}
