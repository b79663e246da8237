/**
 * Hand codec for fsutil's wire messages (`fsutil.types.Packet`, `Stat`), used by file sync in both directions.
 * 64-bit fields (sizes, nanosecond mtimes, device numbers) are bigints: mtimes in ns exceed 2^53.
 */

/** Packet types. STAT is 0, so a stat packet's type is left off the wire. */
export const PacketType = { STAT: 0, REQ: 1, DATA: 2, FIN: 3, ERR: 4 } as const;
export type PacketTypeValue = (typeof PacketType)[keyof typeof PacketType];

/** One file entry as fsutil describes it. `mode` is a Go `os.FileMode`, not a POSIX st_mode. */
export interface FsStat {
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: bigint;
  readonly modTime: bigint;
  readonly linkname: string;
  readonly devmajor: bigint;
  readonly devminor: bigint;
  readonly xattrs?: ReadonlyMap<string, Uint8Array>;
}

/** One message of a DiffCopy stream. A STAT packet without `stat` ends the list of entries. */
export interface Packet {
  readonly type: PacketTypeValue;
  readonly stat?: FsStat;
  readonly id?: number;
  readonly data?: Uint8Array;
}

// Go os.FileMode bits.
export const GoMode = {
  dir: 0x80000000,
  append: 1 << 30,
  exclusive: 1 << 29,
  temporary: 1 << 28,
  symlink: 1 << 27,
  device: 1 << 26,
  namedPipe: 1 << 25,
  socket: 1 << 24,
  setuid: 1 << 23,
  setgid: 1 << 22,
  charDevice: 1 << 21,
  sticky: 1 << 20,
  irregular: 1 << 19,
} as const;

const TYPE_BITS = GoMode.dir | GoMode.symlink | GoMode.namedPipe | GoMode.socket | GoMode.device | GoMode.charDevice | GoMode.irregular;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFIFO = 0o010000;
const S_IFBLK = 0o060000;
const S_IFCHR = 0o020000;
const S_IFSOCK = 0o140000;

/** POSIX `st_mode` → Go `os.FileMode`. */
export function goModeFromPosix(stMode: number): number {
  let mode = stMode & 0o777;
  switch (stMode & S_IFMT) {
    case S_IFDIR:
      mode |= GoMode.dir;
      break;
    case S_IFLNK:
      mode |= GoMode.symlink;
      break;
    case S_IFIFO:
      mode |= GoMode.namedPipe;
      break;
    case S_IFBLK:
      mode |= GoMode.device;
      break;
    case S_IFCHR:
      mode |= GoMode.device | GoMode.charDevice;
      break;
    case S_IFSOCK:
      mode |= GoMode.socket;
      break;
    default:
      break;
  }
  if (stMode & 0o4000) mode |= GoMode.setuid;
  if (stMode & 0o2000) mode |= GoMode.setgid;
  if (stMode & 0o1000) mode |= GoMode.sticky;
  return mode >>> 0;
}

/** Go `os.FileMode` → POSIX permission bits including setuid/setgid/sticky (no file type). */
export function posixPermFromGo(mode: number): number {
  let perm = mode & 0o777;
  if (mode & GoMode.setuid) perm |= 0o4000;
  if (mode & GoMode.setgid) perm |= 0o2000;
  if (mode & GoMode.sticky) perm |= 0o1000;
  return perm;
}

/** True for a regular file (no type bits set). */
export function isRegularMode(mode: number): boolean {
  return ((mode >>> 0) & TYPE_BITS) >>> 0 === 0;
}
export function isDirMode(mode: number): boolean {
  return ((mode >>> 0) & GoMode.dir) !== 0;
}
export function isSymlinkMode(mode: number): boolean {
  return (mode & GoMode.symlink) !== 0;
}

// ---- encoding ----

class Writer {
  private chunks: Buffer[] = [];
  private cur = Buffer.allocUnsafe(256);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    this.chunks.push(this.cur.subarray(0, this.pos));
    this.cur = Buffer.allocUnsafe(Math.max(256, n));
    this.pos = 0;
  }
  varint(v: number | bigint): void {
    let n = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (n > 0x7fn) {
      this.cur[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.cur[this.pos++] = Number(n);
  }
  smallVarint(v: number): void {
    this.ensure(5);
    let n = v >>> 0;
    while (n > 0x7f) {
      this.cur[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.cur[this.pos++] = n;
  }
  tag(field: number, wire: number): void {
    this.smallVarint((field << 3) | wire);
  }
  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.smallVarint(data.length);
    this.ensure(data.length);
    this.cur.set(data, this.pos);
    this.pos += data.length;
  }
  string(field: number, s: string): void {
    if (s === '') return;
    this.bytes(field, Buffer.from(s, 'utf8'));
  }
  uint(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, 0);
    this.smallVarint(v);
  }
  int64(field: number, v: bigint): void {
    if (v === 0n) return;
    this.tag(field, 0);
    this.varint(v);
  }
  finish(): Buffer {
    this.chunks.push(this.cur.subarray(0, this.pos));
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
}

/** Encodes a Stat message. */
export function encodeStat(stat: FsStat): Buffer {
  const w = new Writer();
  w.string(1, stat.path);
  w.uint(2, stat.mode >>> 0);
  w.uint(3, stat.uid);
  w.uint(4, stat.gid);
  w.int64(5, stat.size);
  w.int64(6, stat.modTime);
  w.string(7, stat.linkname);
  w.int64(8, stat.devmajor);
  w.int64(9, stat.devminor);
  if (stat.xattrs !== undefined) {
    for (const key of [...stat.xattrs.keys()].sort()) {
      const entry = new Writer();
      entry.bytes(1, Buffer.from(key, 'utf8'));
      entry.bytes(2, stat.xattrs.get(key)!);
      w.bytes(10, entry.finish());
    }
  }
  return w.finish();
}

/** Encodes a Packet. A STAT packet with no stat encodes to zero bytes (the end-of-entries marker). */
export function encodePacket(p: Packet): Buffer {
  const w = new Writer();
  w.uint(1, p.type);
  if (p.stat !== undefined) w.bytes(2, encodeStat(p.stat));
  if (p.id !== undefined) w.uint(3, p.id);
  if (p.data !== undefined && p.data.length > 0) w.bytes(4, p.data);
  return w.finish();
}

// ---- decoding ----

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('fsutil packet: truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new RangeError('fsutil packet: varint too long');
    }
  }
  uint32(): number {
    return Number(BigInt.asUintN(32, this.varint()));
  }
  int64(): bigint {
    return BigInt.asIntN(64, this.varint());
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    const end = this.pos + len;
    if (end > this.buf.length) throw new RangeError('fsutil packet: truncated field');
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new RangeError(`fsutil packet: unsupported wire type ${wire}`);
  }
}

const utf8 = new TextDecoder('utf-8');

/** Decodes a Stat message. */
export function decodeStat(buf: Uint8Array): FsStat {
  const r = new Reader(buf);
  let path = '';
  let mode = 0;
  let uid = 0;
  let gid = 0;
  let size = 0n;
  let modTime = 0n;
  let linkname = '';
  let devmajor = 0n;
  let devminor = 0n;
  let xattrs: Map<string, Uint8Array> | undefined;
  while (!r.done) {
    const key = Number(r.varint());
    const field = key >>> 3;
    const wire = key & 7;
    switch (field) {
      case 1:
        path = utf8.decode(r.bytes());
        break;
      case 2:
        mode = r.uint32();
        break;
      case 3:
        uid = r.uint32();
        break;
      case 4:
        gid = r.uint32();
        break;
      case 5:
        size = r.int64();
        break;
      case 6:
        modTime = r.int64();
        break;
      case 7:
        linkname = utf8.decode(r.bytes());
        break;
      case 8:
        devmajor = r.int64();
        break;
      case 9:
        devminor = r.int64();
        break;
      case 10: {
        const entry = new Reader(r.bytes());
        let k = '';
        let v: Uint8Array = new Uint8Array();
        while (!entry.done) {
          const ek = Number(entry.varint());
          if (ek >>> 3 === 1) k = utf8.decode(entry.bytes());
          else if (ek >>> 3 === 2) v = entry.bytes();
          else entry.skip(ek & 7);
        }
        (xattrs ??= new Map()).set(k, v);
        break;
      }
      default:
        r.skip(wire);
    }
  }
  const stat: FsStat = { path, mode, uid, gid, size, modTime, linkname, devmajor, devminor };
  return xattrs === undefined ? stat : { ...stat, xattrs };
}

/** Decodes a Packet. */
export function decodePacket(buf: Uint8Array): Packet {
  const r = new Reader(buf);
  let type = 0;
  let stat: FsStat | undefined;
  let id: number | undefined;
  let data: Uint8Array | undefined;
  while (!r.done) {
    const key = Number(r.varint());
    switch (key >>> 3) {
      case 1:
        type = r.uint32();
        break;
      case 2:
        stat = decodeStat(r.bytes());
        break;
      case 3:
        id = r.uint32();
        break;
      case 4:
        data = r.bytes();
        break;
      default:
        r.skip(key & 7);
    }
  }
  if (type > 4) throw new RangeError(`fsutil packet: unknown packet type ${type}`);
  const out: { type: PacketTypeValue; stat?: FsStat; id?: number; data?: Uint8Array } = { type: type as PacketTypeValue };
  if (stat !== undefined) out.stat = stat;
  if (id !== undefined) out.id = id;
  if (data !== undefined) out.data = data;
  return out;
}
