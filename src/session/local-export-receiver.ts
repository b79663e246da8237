/**
 * The fsutil **receiver** for BuildKit's `local` exporter: the daemon calls `FileSend/DiffCopy` and streams the
 * result's entries and file contents; kiln writes them into a staging directory and lands it once everything arrived
 * (a new directory in one rename; into an existing directory entry by entry, keeping what is there and the directory
 * itself).
 *
 * The daemon is not trusted with the local filesystem. Every entry is checked before anything is created: paths
 * must be clean and relative (no `..`, no leading `/`), arrive in fsutil's walk order, and live in a directory this
 * stream created itself (never under a symlink or a file); duplicates are refused; hardlinks may only point at a
 * regular file received earlier in the same stream; file data must have been requested and must match the size
 * the entry announced. A violation aborts the export with a `protocol` KilnError, removes the staging directory and
 * leaves the previous destination untouched.
 */
import { execFile } from 'node:child_process';
import { chmodSync, closeSync, constants as fsConstants, fchmodSync, futimesSync, linkSync, lutimesSync, mkdirSync, openSync, symlinkSync, utimesSync, writeSync } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, realpath, rename, rm, rmdir, utimes, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KilnError, toError } from '../errors.js';
import { windowsCaseKey, windowsNameProblem } from './windows-names.js';
import { KeyedQueue } from '../keyed-queue.js';
import { errnoOf, writeError, isGone } from './fs-errors.js';
import { trackStagingPath } from './staging-paths.js';
import { baseOf, isCleanRelativePath, parentOf } from './fs-paths.js';
import { WalkOrderValidator } from './fsutil-order.js';
import {
  errPacket,
  finPacket,
  GoFileMode,
  isDirGoMode,
  isRegularGoMode,
  isSymlinkGoMode,
  PacketType,
  posixPermissionsFromGo,
  reqPacket,
  type Stat,
} from './fsutil-packet.js';
import type { PacketStream } from './packet-stream.js';
import { makeDestinationDirectory } from './destination-directory.js';
import { utimeSeconds } from './utime-seconds.js';

// Exports of this process into one directory take turns landing (the directory is shared, whichever build or client).
const landings = new KeyedQueue();

/** Something the export could not reproduce exactly and left out (a device node, a FIFO without `mkfifo`). */
export interface LocalExportWarning {
  /** The entry's path relative to the destination. */
  readonly path: string;
  readonly message: string;
}

/** What a local export wrote. */
export interface LocalExportCounters {
  /** Entries received (directories, files, links...). */
  readonly entries: number;
  /** Regular files whose content was written (hardlinks not counted). */
  readonly files: number;
  /** Content bytes written. */
  readonly bytes: number;
}

/** Options of {@link LocalExportStaging.receive} and {@link receiveLocalExport}. */
export interface ReceiveLocalExportOptions {
  /** Cancels the export: the daemon gets an error, the promise rejects with a `cancelled` KilnError. */
  readonly signal?: AbortSignal;
  /** Told about entries left out (device nodes; FIFOs when `mkfifo` is unavailable). */
  readonly onWarning?: (warning: LocalExportWarning) => void;
  /** File requests kept outstanding at once, which bounds open files (default 64). */
  readonly maxOutstandingRequests?: number;
  /** Called after every completed file. */
  readonly onProgress?: (counters: LocalExportCounters) => void;
  /**
   * The OS whose disk the export is written to (default `process.platform`). On `win32` a name Windows cannot hold
   * as sent (`a\\b`, `a:b`, `con`, `x.`, names differing only in case) fails the export before anything lands.
   */
  readonly platform?: NodeJS.Platform;
}

/** Options of {@link createLocalExportStaging}. */
export interface LocalExportStagingOptions {
  /** Told when the previous destination, already replaced, could not be removed completely. */
  readonly onWarning?: (warning: LocalExportWarning) => void;
}

/**
 * A staging directory for a `local` export (beside a new destination, inside an existing one). Several streams may be received into it at once
 * (multi-platform results arrive as one stream per platform, each holding one top-level directory); `commit` then
 * swaps the whole staging directory in, and `abort` removes it.
 */
export interface LocalExportStaging {
  /** The directory that `commit` replaces (symlinks at the destination resolved). */
  readonly destination: string;
  /** The staging directory itself. */
  readonly path: string;
  /**
   * Receives one DiffCopy stream into the staging directory. Top-level names are shared: a stream may not create a
   * top-level entry another stream already created. Rejects (after telling the daemon) on any violation.
   */
  receive(stream: PacketStream, options?: ReceiveLocalExportOptions): Promise<LocalExportCounters>;
  /**
   * Lands the staging directory: a missing destination is created by renaming it there; into an existing directory
   * the export's entries are moved one by one (same names replaced, directories merged, everything else there kept,
   * as BuildKit's own client does; the directory itself is never replaced).
   */
  commit(): Promise<void>;
  /** Stops receives still running, waits for them and removes the staging directory. Safe to call twice. */
  abort(): Promise<void>;
}

const DEFAULT_OUTSTANDING = 64;

function suffix(): string {
  return randomBytes(6).toString('hex');
}

function violation(message: string, path?: string): KilnError {
  return new KilnError('protocol', `local export rejected: ${message}`, {
    ...(path !== undefined ? { details: { path } } : {}),
    hint: 'The daemon sent something kiln will not write; the destination was left as it was.',
  });
}

async function makeTreeWritable(p: string): Promise<void> {
  let st;
  try {
    st = await lstat(p);
  } catch {
    return;
  }
  if (!st.isDirectory()) return;
  await chmod(p, (st.mode & 0o7777) | 0o700).catch(() => {});
  const names = await readdir(p).catch(() => [] as string[]);
  for (const n of names) await makeTreeWritable(join(p, n));
}

/** Removes a tree, first making directories writable if that is what stops the removal (read-only exports). */
async function removeTree(p: string): Promise<void> {
  try {
    await rm(p, { recursive: true, force: true });
  } catch (err) {
    const code = errnoOf(err);
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'ENOTEMPTY') throw err;
    await makeTreeWritable(p);
    await rm(p, { recursive: true, force: true });
  }
}

function mkfifo(path: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile('mkfifo', ['-m', '600', '--', path], (err) => (err === null ? resolvePromise() : reject(err)));
  });
}

type EntryKind = 'dir' | 'file' | 'hardlink' | 'symlink' | 'fifo' | 'skipped';

/** The chain a file starts with: nothing to wait for. */
const SETTLED: Promise<void> = Promise.resolve();

/**
 * A regular file of the export, from its entry until it is written. The daemon describes every entry before most
 * files are asked for, so on an export of 200,000 small files nearly all of these exist at once: each holds only
 * what it needs (its absolute path is made when the file is written, its buffer list when data arrives).
 */
interface IncomingFile {
  readonly path: string;
  readonly stat: Stat;
  /** Bytes received so far (checked against the announced size as they arrive). */
  written: bigint;
  fh: FileHandle | undefined;
  requested: boolean;
  /** Its creation on the chain, once begun. */
  created: Promise<void> | undefined;
  /** The data of a small file, held until it is complete. */
  buffered: Uint8Array[] | undefined;
  /**
   * The file's writes, one after the other: creating it, each chunk, closing it and setting its mode and time. The
   * read loop does not wait for them (but for {@link MAX_QUEUED_BYTES}), so many files are written at once while
   * the daemon keeps sending.
   */
  chain: Promise<void>;
}

/**
 * Files up to this size are held in memory until complete and then written with synchronous calls (open, write,
 * mode, time, close: a few microseconds each), not through libuv's thread pool — four threads by default, which the
 * thousands of small files of a root filesystem otherwise queue on. At most #limit such files are held at once.
 */
const SMALL_FILE_BYTES = 64 * 1024;

/** Received file data not yet written before the read loop waits for the disk (bounds memory). */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

interface SharedStaging {
  readonly root: string;
  /**
   * Where entry `path` lands (the destination as given, joined with it): what a failed write names, since the staging
   * directory the file is written in is never seen by the user and is removed when the export fails.
   */
  shown(path: string): string;
  /** Top-level names created so far, by any stream. */
  readonly topLevel: Set<string>;
  isClosed(): boolean;
}

/** One DiffCopy stream being received into a staging directory. */
class StreamReceiver {
  readonly #shared: SharedStaging;
  readonly #stream: PacketStream;
  readonly #onWarning: ReceiveLocalExportOptions['onWarning'];
  readonly #onProgress: ReceiveLocalExportOptions['onProgress'];
  readonly #limit: number;
  /** On Windows: each path received so far by its case-insensitive key, to refuse names differing only in case. */
  readonly #windowsNames: Map<string, string> | undefined;
  readonly #validator = new WalkOrderValidator();
  readonly #kinds = new Map<string, EntryKind>();
  /** Directories created, in order: their mode and time are set once everything inside exists. */
  readonly #dirs: Stat[] = [];
  readonly #files = new Map<number, IncomingFile>();
  readonly #pending: number[] = [];
  #outstanding = 0;
  /** Bytes received and not yet written. */
  #queued = 0;
  /**
   * The regular files of this stream by path until each is written (a hardlink names its target by path, and one to
   * a file not yet written must wait for its creation); a written file is linked to directly.
   */
  readonly #regular = new Map<string, IncomingFile>();
  /** Every file's write chain still running (waited for on failure before closing files). */
  readonly #chains = new Set<Promise<void>>();
  /** Files with an open handle (closed when finished, or all at once when the export fails). */
  readonly #opened = new Set<IncomingFile>();
  #finishing = false;
  #pumping = false;
  #nextId = 0;
  #statsDone = false;
  #finSent = false;
  #failure: Error | undefined;
  #entries = 0;
  #filesDone = 0;
  #bytes = 0;

  constructor(shared: SharedStaging, stream: PacketStream, options: ReceiveLocalExportOptions) {
    this.#shared = shared;
    this.#stream = stream;
    this.#onWarning = options.onWarning;
    this.#onProgress = options.onProgress;
    this.#limit = Math.max(1, Math.floor(options.maxOutstandingRequests ?? DEFAULT_OUTSTANDING));
    this.#windowsNames = (options.platform ?? process.platform) === 'win32' ? new Map() : undefined;
  }

  /** Refuses, on Windows, a name its disk cannot hold as sent, or one that differs only in case from an earlier one. */
  #checkWindowsName(path: string): void {
    if (this.#windowsNames === undefined) return;
    const hint = 'Export with type=tar (or to a Linux or WSL disk) to keep the names as they are in the image, or rename the file in the image.';
    const problem = windowsNameProblem(baseOf(path));
    if (problem !== undefined) {
      throw new KilnError('io', `cannot export ${JSON.stringify(path)} to a Windows disk: its name ${problem}; nothing was changed`, { hint, details: { path } });
    }
    const key = windowsCaseKey(path);
    const earlier = this.#windowsNames.get(key);
    if (earlier !== undefined) {
      throw new KilnError('io', `cannot export ${JSON.stringify(path)} to a Windows disk: it differs only in letter case from ${JSON.stringify(earlier)}, which Windows takes for the same file; nothing was changed`, { hint, details: { path } });
    }
    this.#windowsNames.set(key, path);
  }

  #counters(): LocalExportCounters {
    return { entries: this.#entries, files: this.#filesDone, bytes: this.#bytes };
  }

  /** Records the first failure, tells the daemon and tears the stream down so the read loop stops. */
  fail(err: Error, tellPeer = true): void {
    if (this.#failure !== undefined || this.#finSent) return;
    this.#failure = err;
    if (tellPeer) this.#stream.write(errPacket(err.message)).catch(() => {});
    this.#stream.abort(err);
  }

  async run(): Promise<LocalExportCounters> {
    try {
      for await (const p of this.#stream) {
        if (this.#failure !== undefined) break;
        if (this.#finSent) {
          // Everything is written; only the daemon's FIN (or the end of the stream) is expected now.
          if (p.type === PacketType.FIN) break;
          continue;
        }
        switch (p.type) {
          case PacketType.STAT:
            if (this.#statsDone) throw violation('the daemon sent entries after the end of the entry list');
            if (p.stat === undefined) this.#statsDone = true;
            else await this.#onStat(p.stat);
            break;
          case PacketType.DATA:
            await this.#onData(p.id, p.data);
            break;
          case PacketType.FIN:
            throw violation('the daemon finished before sending every requested file');
          case PacketType.ERR:
            this.fail(
              new KilnError('protocol', `the daemon aborted the local export: ${Buffer.from(p.data).toString('utf8')}`),
              false,
            );
            break;
          case PacketType.REQ:
            throw violation('the daemon requested a file, but in a local export it is the one sending files');
          default:
            break;
        }
        await this.#maybeFinish();
      }
      if (this.#failure !== undefined) throw this.#failure;
      if (!this.#finSent) {
        throw new KilnError('cancelled', 'the daemon closed the local export stream before sending everything');
      }
    } catch (err) {
      // After our FIN the export is complete: a later cancellation or reset of the stream is not a failure.
      if (!this.#finSent || this.#failure !== undefined) {
        const error = this.#failure ?? toError(err);
        this.fail(error, !KilnError.is(error, 'cancelled'));
        await this.#closeFiles();
        throw error;
      }
    }
    await this.#stream.end().catch(() => {});
    return this.#counters();
  }

  async #closeFiles(): Promise<void> {
    await Promise.allSettled([...this.#chains]);
    for (const f of this.#opened) {
      const fh = f.fh;
      f.fh = undefined;
      await fh?.close().catch(() => {});
    }
    this.#opened.clear();
  }

  #checkContainment(path: string): void {
    if (path === '') throw violation('an entry has an empty path', path);
    if (path.startsWith('/')) throw violation(`entry ${JSON.stringify(path)} is an absolute path`, path);
    if (path.split('/').includes('..')) {
      throw violation(`entry ${JSON.stringify(path)} points outside the destination`, path);
    }
    if (!isCleanRelativePath(path)) throw violation(`entry ${JSON.stringify(path)} is not a clean relative path`, path);
    const parent = parentOf(path);
    if (parent !== '') {
      const kind = this.#kinds.get(parent);
      if (kind === 'symlink') {
        throw violation(`entry ${JSON.stringify(path)} would be written through the symlink ${JSON.stringify(parent)}`, path);
      }
      if (kind === undefined) {
        throw violation(`entry ${JSON.stringify(path)} is inside ${JSON.stringify(parent)}, which this export did not create`, path);
      }
      if (kind !== 'dir') {
        throw violation(`entry ${JSON.stringify(path)} is inside ${JSON.stringify(parent)}, which is not a directory`, path);
      }
    }
    if (this.#kinds.has(path)) throw violation(`entry ${JSON.stringify(path)} was sent twice`, path);
    if (parent === '' && this.#shared.topLevel.has(path)) {
      throw violation(`top-level entry ${JSON.stringify(path)} was already written by another export stream`, path);
    }
  }

  /** Where entry `path` is written in the staging directory. */
  #abs(path: string): string {
    return join(this.#shared.root, path);
  }

  async #onStat(stat: Stat): Promise<void> {
    const id = this.#nextId++;
    const path = stat.path;
    this.#checkContainment(path);
    this.#checkWindowsName(path);
    const isDir = isDirGoMode(stat.mode);
    try {
      this.#validator.check(path, isDir);
    } catch (err) {
      throw violation(err instanceof Error ? err.message : String(err), path);
    }
    if (this.#shared.isClosed()) throw new KilnError('cancelled', 'the local export was cancelled');
    if (parentOf(path) === '') this.#shared.topLevel.add(path);
    this.#entries++;

    const abs = this.#abs(path);
    const mtime = utimeSeconds(stat.modTime);
    try {
      if (isDir) {
        // Created owner-writable; the real mode (maybe read-only) is applied once everything inside exists.
        mkdirSync(abs, { mode: 0o700 });
        this.#kinds.set(path, 'dir');
        this.#dirs.push(stat);
      } else if (isSymlinkGoMode(stat.mode)) {
        if (stat.linkname === '' || stat.linkname.includes('\0')) {
          throw violation(`symlink ${JSON.stringify(path)} has no valid target`, path);
        }
        symlinkSync(stat.linkname, abs);
        this.#kinds.set(path, 'symlink');
        // Link times are cosmetic, and not every platform can set them.
        try {
          lutimesSync(abs, mtime, mtime);
        } catch {
          // kept with the time it was made
        }
      } else if (stat.mode & GoFileMode.namedPipe) {
        try {
          await mkfifo(abs);
        } catch (err) {
          this.#kinds.set(path, 'skipped');
          this.#onWarning?.({ path, message: `FIFO not created (mkfifo failed: ${err instanceof Error ? err.message : String(err)})` });
          return;
        }
        this.#kinds.set(path, 'fifo');
        await chmod(abs, posixPermissionsFromGo(stat.mode));
        await utimes(abs, mtime, mtime);
      } else if (!isRegularGoMode(stat.mode)) {
        this.#kinds.set(path, 'skipped');
        const what = stat.mode & GoFileMode.device ? 'device node' : stat.mode & GoFileMode.socket ? 'socket' : 'special file';
        this.#onWarning?.({ path, message: `${what} not created (kiln does not create device nodes or sockets)` });
      } else if (stat.linkname !== '') {
        const target = stat.linkname;
        const targetKind = isCleanRelativePath(target) ? this.#kinds.get(target) : undefined;
        if (targetKind !== 'file' && targetKind !== 'hardlink') {
          throw violation(
            `hardlink ${JSON.stringify(path)} points at ${JSON.stringify(target)}, which is not a regular file received earlier in this export`,
            path,
          );
        }
        const targetFile = this.#regular.get(target);
        if (targetFile !== undefined) await this.#create(targetFile, false);
        linkSync(join(this.#shared.root, target), abs);
        this.#kinds.set(path, 'hardlink');
      } else {
        // Created (and later written) on the file's own chain; its directory exists already.
        const file: IncomingFile = { path, stat, written: 0n, fh: undefined, requested: false, created: undefined, buffered: undefined, chain: SETTLED };
        this.#kinds.set(path, 'file');
        this.#files.set(id, file);
        // Created when it is requested (its handle then stays open for the data), or earlier when a hardlink to it
        // arrives first.
        this.#regular.set(path, file);
        this.#pending.push(id);
        this.#pump();
      }
    } catch (err) {
      if (KilnError.is(err)) throw err;
      throw writeError('cannot create', this.#shared.shown(path), err);
    }
  }

  /** Sends REQs for pending files while fewer than the limit are outstanding. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    const run = async (): Promise<void> => {
      try {
        while (this.#failure === undefined && this.#pending.length > 0 && this.#outstanding < this.#limit) {
          const id = this.#pending.shift() as number;
          const file = this.#files.get(id);
          if (file === undefined) continue;
          file.requested = true;
          this.#outstanding++;
          // A small file is written in one go when complete (#writeSmall); a larger one gets its handle now.
          if (file.stat.size > SMALL_FILE_BYTES) void this.#create(file, true);
          await this.#stream.write(reqPacket(id));
        }
      } finally {
        this.#pumping = false;
      }
    };
    run().catch((err: unknown) => this.fail(toError(err), false));
  }

  /**
   * Appends `work` to the file's chain. A failure fails the export; the chain stays settled so later links run
   * (they find the export failed and do nothing harmful: the staging directory is removed).
   */
  #then(file: IncomingFile, work: () => Promise<void>): void {
    const next = file.chain.then(async () => {
      if (this.#failure === undefined) await work();
    });
    const tracked = next.catch((err: unknown) => this.fail(toError(err)));
    this.#chains.add(tracked);
    void tracked.then(() => this.#chains.delete(tracked));
    file.chain = tracked;
  }

  /** Writes a complete small file at once (see {@link SMALL_FILE_BYTES}): created unless a hardlink to it made it. */
  #writeSmall(file: IncomingFile): void {
    const flags = fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW | (file.created === undefined ? fsConstants.O_CREAT | fsConstants.O_EXCL : 0);
    let fd: number;
    try {
      fd = openSync(this.#abs(file.path), flags, 0o600);
    } catch (err) {
      throw writeError('cannot create', this.#shared.shown(file.path), err);
    }
    // A hardlink to it arriving later links to it as it is.
    file.created ??= Promise.resolve();
    try {
      for (const chunk of file.buffered ?? []) {
        let offset = 0;
        while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
        this.#bytes += chunk.length;
      }
      file.buffered = undefined;
      fchmodSync(fd, posixPermissionsFromGo(file.stat.mode));
      const mtime = utimeSeconds(file.stat.modTime);
      futimesSync(fd, mtime, mtime);
    } catch (err) {
      throw writeError('cannot write', this.#shared.shown(file.path), err);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Creates the (empty) file on its chain, once: exclusively, never through a symlink. `keepOpen`: the handle stays
   * open for the data that follows (only requested files, so at most #limit are open).
   */
  #create(file: IncomingFile, keepOpen: boolean): Promise<void> {
    if (file.created === undefined) {
      this.#then(file, async () => {
        let fh: FileHandle;
        try {
          fh = await open(this.#abs(file.path), fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600);
        } catch (err) {
          throw writeError('cannot create', this.#shared.shown(file.path), err);
        }
        if (keepOpen) {
          file.fh = fh;
          this.#opened.add(file);
        } else {
          await fh.close();
        }
      });
      file.created = file.chain;
    }
    return file.created;
  }

  async #onData(id: number, data: Uint8Array): Promise<void> {
    const file = this.#files.get(id);
    if (file === undefined || !file.requested) {
      throw violation(`the daemon sent data for file id ${id}, which kiln did not request`);
    }
    if (data.length === 0) {
      this.#finishFile(id, file);
      return;
    }
    const total = file.written + BigInt(data.length);
    if (total > file.stat.size) {
      throw violation(
        `the daemon sent more data for ${JSON.stringify(file.path)} than the ${file.stat.size} bytes its entry announced`,
        file.path,
      );
    }
    file.written = total;
    if (file.stat.size <= SMALL_FILE_BYTES) {
      (file.buffered ??= []).push(data);
      return;
    }
    this.#queued += data.length;
    this.#then(file, async () => {
      try {
        let fh = file.fh;
        if (fh === undefined) {
          fh = file.fh = await open(this.#abs(file.path), fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW);
          this.#opened.add(file);
        }
        let offset = 0;
        while (offset < data.length) {
          const { bytesWritten } = await fh.write(data, offset, data.length - offset);
          offset += bytesWritten;
        }
      } catch (err) {
        throw writeError('cannot write', this.#shared.shown(file.path), err);
      } finally {
        this.#queued -= data.length;
      }
      this.#bytes += data.length;
    });
    // The disk is behind the daemon: read on once this file's writes so far are done.
    if (this.#queued > MAX_QUEUED_BYTES) await file.chain;
  }

  #finishFile(id: number, file: IncomingFile): void {
    this.#files.delete(id);
    if (file.written !== file.stat.size) {
      throw violation(
        `the daemon sent ${file.written} bytes for ${JSON.stringify(file.path)}, but its entry announced ${file.stat.size}`,
        file.path,
      );
    }
    if (file.stat.size <= SMALL_FILE_BYTES) {
      this.#writeSmall(file);
      this.#regular.delete(file.path);
      this.#outstanding--;
      this.#filesDone++;
      this.#onProgress?.(this.#counters());
      this.#pump();
      return;
    }
    this.#then(file, async () => {
      const fh = file.fh;
      file.fh = undefined;
      this.#opened.delete(file);
      const mode = posixPermissionsFromGo(file.stat.mode);
      const mtime = utimeSeconds(file.stat.modTime);
      try {
        // Through the open handle where there is one (no path lookups); its times are set after its last write.
        if (fh !== undefined) {
          await fh.chmod(mode);
          await fh.utimes(mtime, mtime);
        } else {
          const abs = this.#abs(file.path);
          await chmod(abs, mode);
          await utimes(abs, mtime, mtime);
        }
      } catch (err) {
        await fh?.close().catch(() => {});
        throw writeError('cannot set the mode or time of', this.#shared.shown(file.path), err);
      }
      try {
        await fh?.close();
      } catch (err) {
        throw writeError('cannot write', this.#shared.shown(file.path), err);
      }
      this.#filesDone++;
      this.#onProgress?.(this.#counters());
    });
    // The file counts against the limit of files in progress until it is written; then the next ones are asked for.
    void file.chain.then(() => {
      this.#regular.delete(file.path);
      this.#outstanding--;
      if (this.#failure !== undefined) return;
      this.#pump();
      this.#maybeFinish().catch((err: unknown) => this.fail(toError(err)));
    });
  }

  async #maybeFinish(): Promise<void> {
    if (this.#finSent || this.#finishing || this.#failure !== undefined || !this.#statsDone) return;
    if (this.#pending.length > 0 || this.#outstanding > 0) return;
    this.#finishing = true;
    // Directories last, innermost first, so creating their contents did not disturb their mtimes and a read-only
    // directory does not block its own children.
    for (let i = this.#dirs.length - 1; i >= 0; i--) {
      const stat = this.#dirs[i] as Stat;
      const path = stat.path;
      const abs = this.#abs(path);
      try {
        chmodSync(abs, posixPermissionsFromGo(stat.mode));
        const mtime = utimeSeconds(stat.modTime);
        utimesSync(abs, mtime, mtime);
      } catch (err) {
        throw writeError('cannot set the mode or time of', this.#shared.shown(path), err);
      }
    }
    await this.#stream.write(finPacket());
    this.#finSent = true;
  }
}

/**
 * Moves every entry of the directory `from` into the directory `into`: entries `into` lacks are renamed in, a
 * directory present on both sides is merged recursively (taking the export's mode and time; `into` itself keeps its
 * own mode), anything else at the
 * same name is replaced (a symlink at the destination is replaced, never followed). Entries only `into` has stay.
 */
async function mergeInto(from: string, into: string, top = true): Promise<void> {
  const fromStat = await lstat(from);
  // Entries are renamed out of `from` and into `into`: both must be writable, whatever modes the export gave them.
  await chmod(from, 0o700);
  const intoMode = (await lstat(into)).mode & 0o7777;
  if ((intoMode & 0o700) !== 0o700) await chmod(into, intoMode | 0o700);
  try {
    await moveEntries(from, into);
  } catch (err) {
    // The destination keeps its own mode even when the move stops half-way.
    if (top) await chmod(into, intoMode).catch(() => {});
    throw err;
  }
  if (top) {
    if ((intoMode & 0o700) !== 0o700) await chmod(into, intoMode); // the destination itself keeps its own mode
  } else {
    await chmod(into, fromStat.mode & 0o7777);
    await utimes(into, fromStat.atime, fromStat.mtime);
  }
}

async function moveEntries(from: string, into: string): Promise<void> {
  for (const entry of await readdir(from)) {
    const source = join(from, entry);
    const dest = join(into, entry);
    const sourceIsDir = (await lstat(source)).isDirectory();
    let destStat;
    try {
      destStat = await lstat(dest);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
    if (destStat !== undefined && sourceIsDir && destStat.isDirectory()) {
      await mergeInto(source, dest, false);
      await rmdir(source);
      continue;
    }
    // rename(2) replaces a file or link in one step, but cannot put a directory over one. (A directory of the
    // user's in the way of a file was refused by findDirectoryConflicts before anything moved.)
    if (destStat !== undefined && sourceIsDir) await removeTree(dest);
    await rename(source, dest);
  }
}

/**
 * Paths (relative to `into`) where the export has something other than a directory and `into` has a directory:
 * landing there would delete a whole tree of the user's, so the export is refused instead.
 */
async function findDirectoryConflicts(from: string, into: string, prefix = ''): Promise<string[]> {
  const conflicts: string[] = [];
  for (const entry of await readdir(from)) {
    let destStat;
    try {
      destStat = await lstat(join(into, entry));
    } catch (err) {
      if (!isGone(err)) throw err;
      continue;
    }
    if (!destStat.isDirectory()) continue;
    if ((await lstat(join(from, entry))).isDirectory()) conflicts.push(...(await findDirectoryConflicts(join(from, entry), join(into, entry), `${prefix}${entry}/`)));
    else conflicts.push(`${prefix}${entry}`);
  }
  return conflicts;
}

async function resolveDestination(destDir: string): Promise<{ target: string; existingMode: number | undefined }> {
  const abs = resolve(destDir);
  let target = abs;
  let st;
  try {
    st = await lstat(abs);
    if (st.isSymbolicLink()) {
      target = await realpath(abs);
      st = await lstat(target);
    }
  } catch (err) {
    if (!isGone(err)) throw writeError('cannot use the export destination', destDir, err);
    if (target !== abs) {
      throw new KilnError('io', `the export destination ${destDir} is a symlink to a missing directory`, {
        details: { path: destDir },
      });
    }
    return { target, existingMode: undefined };
  }
  if (!st.isDirectory()) {
    throw new KilnError('io', `the export destination ${destDir} exists and is not a directory`, {
      details: { path: destDir },
      hint: 'Choose a directory (new, or existing: the export is written into it) or remove the file.',
    });
  }
  return { target, existingMode: st.mode & 0o7777 };
}

/**
 * Creates the staging directory of an export to `destDir`. For a destination that does not exist yet it goes beside
 * it (`.<name>.kiln-tmp-<random>` in the same parent, created if missing), and lands in one rename. For an existing
 * directory it goes inside it (`.kiln-tmp-<random>`), and its entries are moved in: the directory itself stays —
 * its owner, mode, ACLs, a filesystem mounted there — and its parent need not be writable. Fails with an `io`
 * KilnError when the destination exists and is not a directory, or the staging directory cannot be made.
 */
export async function createLocalExportStaging(
  destDir: string,
  options: LocalExportStagingOptions = {},
): Promise<LocalExportStaging> {
  const { target, existingMode } = await resolveDestination(destDir);
  const parent = dirname(target);
  const name = basename(target);
  const inside = existingMode !== undefined;
  if (!inside) await makeDestinationDirectory(parent, destDir, 'the export');
  let stagingPath = '';
  for (let attempt = 0; ; attempt++) {
    stagingPath = inside ? join(target, `.kiln-tmp-${suffix()}`) : join(parent, `.${name}.kiln-tmp-${suffix()}`);
    try {
      await mkdir(stagingPath, { mode: 0o777 });
      break;
    } catch (err) {
      if (errnoOf(err) === 'EEXIST' && attempt < 5) continue;
      throw writeError('cannot create a staging directory for the export in', inside ? target : parent, err);
    }
  }
  // Removed at once if kiln must end before this export lands or is removed (a second Ctrl-C).
  const untrack = trackStagingPath(stagingPath);

  let closed = false;
  let committed = false;
  const active = new Set<{ receiver: StreamReceiver; done: Promise<unknown> }>();
  const shared: SharedStaging = { root: stagingPath, shown: (path) => join(destDir, path), topLevel: new Set(), isClosed: () => closed };

  /** Moves the staged export into `target`; `retry` when another process landed there between our look and rename. */
  const land = async (retry: boolean): Promise<void> => {
    let existingMode: number | undefined;
    try {
      ({ existingMode } = await resolveDestination(target));
    } catch (err) {
      await removeTree(stagingPath).catch(() => {});
      throw KilnError.is(err) ? err : writeError('cannot prepare', stagingPath, err);
    }
    if (existingMode !== undefined) {
      // Never delete what the user has there, nor the directory itself: write the export into it (like BuildKit's
      // own client), entry by entry, only now that all of it has arrived.
      let conflicts: string[];
      try {
        conflicts = await findDirectoryConflicts(stagingPath, target);
      } catch (err) {
        await removeTree(stagingPath).catch(() => {});
        throw writeError('cannot compare the export with what is in', target, err);
      }
      if (conflicts.length > 0) {
        await removeTree(stagingPath).catch(() => {});
        throw new KilnError('io', `cannot write the export into ${target}: it has ${conflicts.length === 1 ? 'a directory' : 'directories'} where the export has a file or link (${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ', …' : ''}); nothing was changed`, {
          details: { path: target, conflicts },
          hint: 'Export into a new or empty directory, or move those directories away.',
        });
      }
      try {
        await mergeInto(stagingPath, target);
      } catch (err) {
        await removeTree(stagingPath).catch(() => {});
        throw writeError('cannot move the export into', target, err);
      }
      committed = true;
      await removeTree(stagingPath).catch((err: unknown) => {
        options.onWarning?.({ path: stagingPath, message: `the staging directory could not be removed completely: ${String(err)}` });
      });
      return;
    }
    try {
      await rename(stagingPath, target);
    } catch (err) {
      // Another process's export landed there since we looked: write ours into it, as into any directory.
      const code = errnoOf(err);
      if (!retry && (code === 'ENOTEMPTY' || code === 'EEXIST')) return land(true);
      await removeTree(stagingPath).catch(() => {});
      throw writeError('cannot move the export into', target, err);
    }
    committed = true;
  };

  return {
    destination: target,
    path: stagingPath,

    async receive(stream: PacketStream, receiveOptions: ReceiveLocalExportOptions = {}): Promise<LocalExportCounters> {
      if (closed) {
        const err = new KilnError('internal', 'this local export staging directory was already committed or aborted');
        stream.abort(err);
        throw err;
      }
      const receiver = new StreamReceiver(shared, stream, receiveOptions);
      const { signal } = receiveOptions;
      const onAbort = (): void => {
        receiver.fail(new KilnError('cancelled', 'the local export was cancelled', { cause: signal?.reason }));
      };
      if (signal?.aborted === true) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = receiver.run();
      const entry = { receiver, done: done.catch(() => {}) };
      active.add(entry);
      try {
        return await done;
      } finally {
        active.delete(entry);
        signal?.removeEventListener('abort', onAbort);
      }
    },

    async commit(): Promise<void> {
      if (committed) return;
      if (closed) throw new KilnError('internal', 'this local export was aborted; there is nothing to commit');
      if (active.size > 0) throw new KilnError('internal', 'cannot commit a local export while streams are still being received');
      closed = true;
      // Exports of this process into one directory land one after the other, each seeing what the last one left.
      try {
        await landings.run(target, () => land(false));
      } finally {
        untrack();
      }
    },

    async abort(): Promise<void> {
      if (committed) return;
      closed = true;
      const running = [...active];
      for (const { receiver } of running) receiver.fail(new KilnError('cancelled', 'the local export was aborted'));
      await Promise.all(running.map((e) => e.done));
      await removeTree(stagingPath);
      untrack();
    },
  };
}

/**
 * Receives a `local` export from one DiffCopy stream into `destDir`, atomically: the content is written into a
 * staging directory (beside a new `destDir`, inside an existing one) and landed only when the daemon has sent everything. On any failure (a
 * containment violation, an I/O error, cancellation) the staging directory is removed, the previous content of
 * `destDir` is left untouched, and the promise rejects with a KilnError. For multi-platform exports (one stream per
 * platform into the same directory) use {@link createLocalExportStaging} and call `receive` once per stream.
 */
export async function receiveLocalExport(
  stream: PacketStream,
  destDir: string,
  options: ReceiveLocalExportOptions = {},
): Promise<LocalExportCounters> {
  let staging: LocalExportStaging;
  try {
    staging = await createLocalExportStaging(destDir, options.onWarning !== undefined ? { onWarning: options.onWarning } : {});
  } catch (err) {
    const error = toError(err);
    stream.write(errPacket(error.message)).catch(() => {});
    stream.abort(error);
    throw error;
  }
  try {
    const counters = await staging.receive(stream, options);
    await staging.commit();
    return counters;
  } catch (err) {
    await staging.abort().catch(() => {});
    throw err;
  }
}
