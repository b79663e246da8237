import { chmod, link, lutimes, mkdir, open, symlink, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { KilnError } from '../errors.js';
import { isDirMode, isRegularMode, isSymlinkMode, PacketType, posixPermFromGo, type FsStat, type Packet } from './fsutil-wire.js';

/** The two directions of a packet stream, as the FileSend handler sees them. */
export interface PacketChannel {
  /** Sends a packet; resolves when the stream accepts more (backpressure). */
  send(packet: Packet): Promise<void>;
}

/** What the receiver reports when it skips something it cannot create (devices, sockets). */
export type SkipReporter = (path: string, why: string) => void;

interface OpenFile {
  readonly path: string;
  readonly fh: FileHandle;
  readonly stat: FsStat;
  written: bigint;
}

const CLEAN_SEGMENT = /^(?!\.{1,2}$)[^/\0]+$/;

function nsToDate(ns: bigint): Date {
  return new Date(Number(ns / 1_000_000n));
}

/**
 * The fsutil receiver for the `local` exporter: the daemon streams entries and file data; kiln writes them under
 * `root` (a fresh staging directory). Everything the daemon sends is checked so that a misbehaving daemon cannot
 * write outside `root`: paths must be clean and relative, come in walk order under directories this stream created
 * (never through a symlink), hardlinks may only point at regular files received earlier, file data must have been
 * requested and may not exceed the announced size.
 */
export class LocalReceiver {
  readonly #root: string;
  readonly #channel: PacketChannel;
  readonly #onSkip: SkipReporter;
  readonly #dirs = new Set<string>(['']);
  readonly #regular = new Set<string>();
  readonly #seen = new Set<string>();
  readonly #dirTimes: [string, bigint][] = [];
  readonly #open = new Map<number, OpenFile>();
  readonly #pending = new Map<number, Promise<void>>();
  readonly #lastInDir = new Map<string, string>();
  #nextId = 0;
  #statsDone = false;
  #finSent = false;
  #closed = false;

  constructor(root: string, channel: PacketChannel, onSkip: SkipReporter = () => {}) {
    this.#root = root;
    this.#channel = channel;
    this.#onSkip = onSkip;
  }

  /** True once every entry was received, every file written and FIN sent. */
  get complete(): boolean {
    return this.#finSent;
  }

  #bad(why: string): never {
    throw new KilnError('protocol', `the daemon sent an unsafe or malformed export: ${why}`, {
      hint: 'Nothing was written to the destination. This points at a daemon bug or a tampered connection.',
    });
  }

  /** Handles one packet from the daemon. */
  async handle(p: Packet): Promise<void> {
    switch (p.type) {
      case PacketType.STAT:
        if (p.stat === undefined) {
          this.#statsDone = true;
          await this.#maybeFinish();
        } else {
          await this.#entry(p.stat);
        }
        return;
      case PacketType.DATA:
        await this.#data(p.id ?? 0, p.data);
        return;
      case PacketType.FIN:
        return;
      case PacketType.ERR:
        throw new KilnError('build_failed', `the daemon aborted the export: ${Buffer.from(p.data ?? []).toString('utf8')}`);
      default:
        this.#bad(`unexpected packet type ${p.type}`);
    }
  }

  async #entry(stat: FsStat): Promise<void> {
    if (this.#statsDone) this.#bad(`entry "${stat.path}" after the end of the entry list`);
    const id = this.#nextId++;
    const path = stat.path;
    const segments = path.split('/');
    if (path === '' || !segments.every((s) => CLEAN_SEGMENT.test(s))) this.#bad(`path ${JSON.stringify(path)} is not a clean relative path`);
    if (this.#seen.has(path)) this.#bad(`path "${path}" appears twice`);
    const parent = segments.slice(0, -1).join('/');
    if (!this.#dirs.has(parent)) this.#bad(`"${path}" arrived before its parent directory (or its parent is not a directory)`);
    const name = segments[segments.length - 1]!;
    const previous = this.#lastInDir.get(parent);
    if (previous !== undefined && Buffer.compare(Buffer.from(previous), Buffer.from(name)) >= 0) {
      this.#bad(`"${path}" is out of order (after "${previous}" in the same directory)`);
    }
    this.#lastInDir.set(parent, name);
    this.#seen.add(path);
    const abs = join(this.#root, ...segments);
    const perm = posixPermFromGo(stat.mode);
    if (isDirMode(stat.mode)) {
      await mkdir(abs, { mode: 0o700 });
      this.#dirs.add(path);
      this.#dirTimes.push([abs, stat.modTime]);
      await chmod(abs, perm);
      return;
    }
    if (isSymlinkMode(stat.mode)) {
      await symlink(stat.linkname, abs);
      await lutimes(abs, nsToDate(stat.modTime), nsToDate(stat.modTime)).catch(() => {});
      return;
    }
    if (!isRegularMode(stat.mode)) {
      this.#onSkip(path, 'devices, fifos and sockets are not recreated by the local exporter');
      return;
    }
    if (stat.linkname !== '') {
      if (!this.#regular.has(stat.linkname)) this.#bad(`hardlink "${path}" points at "${stat.linkname}", which is not a file received earlier`);
      await link(join(this.#root, ...stat.linkname.split('/')), abs);
      return;
    }
    const fh = await open(abs, 'wx', 0o600);
    this.#regular.add(path);
    this.#open.set(id, { path: abs, fh, stat, written: 0n });
    await this.#channel.send({ type: PacketType.REQ, id });
  }

  async #data(id: number, data: Uint8Array | undefined): Promise<void> {
    const f = this.#open.get(id);
    if (f === undefined) this.#bad(`data for file #${id}, which was not requested or is already complete`);
    const previous = this.#pending.get(id) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (data === undefined || data.length === 0) {
        this.#open.delete(id);
        await f.fh.close();
        await chmod(f.path, posixPermFromGo(f.stat.mode));
        await utimes(f.path, nsToDate(f.stat.modTime), nsToDate(f.stat.modTime));
        return;
      }
      f.written += BigInt(data.length);
      if (f.written > f.stat.size) this.#bad(`file "${f.stat.path}" got more data than its announced ${f.stat.size} bytes`);
      await f.fh.write(data);
    });
    this.#pending.set(id, next);
    await next;
    if (this.#pending.get(id) === next) this.#pending.delete(id);
    await this.#maybeFinish();
  }

  async #maybeFinish(): Promise<void> {
    if (!this.#statsDone || this.#open.size > 0 || this.#finSent) return;
    this.#finSent = true;
    // Directory times last, deepest first, so writing their contents does not change them again.
    for (const [abs, ns] of [...this.#dirTimes].reverse()) await utimes(abs, nsToDate(ns), nsToDate(ns));
    await this.#channel.send({ type: PacketType.FIN });
  }

  /** Closes any file still open (after a failure). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const f of this.#open.values()) await f.fh.close().catch(() => {});
    this.#open.clear();
  }
}
