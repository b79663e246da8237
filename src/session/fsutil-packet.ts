/**
 * Protobuf codec for fsutil's DiffCopy messages (`fsutil.types.Packet` and `fsutil.types.Stat`), written by hand
 * from the field table in the protocol brief so the hot path (32 KiB DATA packets) needs one allocation and no
 * reflection. Encoding follows proto3: zero scalars, empty strings/bytes and an absent `stat` are left off the wire,
 * so a STAT packet without `stat` (the end-of-entries terminator) encodes to zero bytes.
 *
 * Also converts between Go's `os.FileMode` (what `Stat.mode` carries) and POSIX `st_mode`.
 */
import { KilnError } from '../errors.js';

// ---------------------------------------------------------------------------------------------------------------
// Message shapes

/** Packet kinds. STAT is 0, so a STAT packet carries no `type` field on the wire. */
export const PacketType = {
  /** One entry of the walk (or, without `stat`, the end of the entries). */
  STAT: 0,
  /** The receiver asks for the content of the file with this id. */
  REQ: 1,
  /** A chunk of a file's content; an empty chunk ends that file. */
  DATA: 2,
  /** Orderly shutdown: the receiver is done; the sender answers with FIN too. */
  FIN: 3,
  /** The peer failed; `data` holds its message. */
  ERR: 4,
} as const;

/** One of the known packet kinds (see {@link PacketType}). */
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

/**
 * One filesystem entry as fsutil describes it. `mode` is a Go `os.FileMode` (see {@link GoFileMode}), not a POSIX
 * `st_mode`. The 64-bit fields are bigints because nanosecond mtimes exceed 2^53.
 */
export interface Stat {
  /** Relative, `/`-separated, clean path. */
  readonly path: string;
  /** Go `os.FileMode`: permission bits plus type and special flags. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Size in bytes for files and symlinks (length of the target); 0 for directories and hardlinks. */
  readonly size: bigint;
  /** Modification time in nanoseconds since the Unix epoch. */
  readonly modTime: bigint;
  /** Symlink target, or for a hardlink the path of the earlier entry it links to. */
  readonly linkname: string;
  readonly devmajor: bigint;
  readonly devminor: bigint;
  /** Extended attributes (name → raw value). */
  readonly xattrs: ReadonlyMap<string, Uint8Array>;
}

/**
 * One DiffCopy message. `id` is 0 and `data` empty when absent on the wire; `stat` is present only on STAT packets
 * that describe an entry. `type` is kept as a number so packet kinds added by a future peer can be ignored like Go
 * does, rather than failing the decode.
 */
export interface Packet {
  readonly type: PacketType | number;
  readonly stat?: Stat;
  readonly id: number;
  readonly data: Uint8Array;
}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_XATTRS: ReadonlyMap<string, Uint8Array> = new Map();

/** Builds a {@link Stat}, filling every field the caller leaves out with its proto3 default. */
export function createStat(fields: Partial<Stat> & { readonly path: string }): Stat {
  return {
    path: fields.path,
    mode: fields.mode ?? 0,
    uid: fields.uid ?? 0,
    gid: fields.gid ?? 0,
    size: fields.size ?? 0n,
    modTime: fields.modTime ?? 0n,
    linkname: fields.linkname ?? '',
    devmajor: fields.devmajor ?? 0n,
    devminor: fields.devminor ?? 0n,
    xattrs: fields.xattrs ?? EMPTY_XATTRS,
  };
}

/** A STAT packet describing one entry. */
export function statPacket(stat: Stat): Packet {
  return { type: PacketType.STAT, stat, id: 0, data: EMPTY_BYTES };
}

/** The end-of-entries packet: type STAT with no `stat` field, zero bytes on the wire. */
export function terminatorPacket(): Packet {
  return { type: PacketType.STAT, id: 0, data: EMPTY_BYTES };
}

/** A request for the content of entry number `id`. */
export function reqPacket(id: number): Packet {
  return { type: PacketType.REQ, id, data: EMPTY_BYTES };
}

/** A chunk of file `id`; omit `data` (or pass an empty array) for the end-of-file marker. */
export function dataPacket(id: number, data: Uint8Array = EMPTY_BYTES): Packet {
  return { type: PacketType.DATA, id, data };
}

/** The FIN packet. */
export function finPacket(): Packet {
  return { type: PacketType.FIN, id: 0, data: EMPTY_BYTES };
}

/** An ERR packet carrying `message` (UTF-8). */
export function errPacket(message: string): Packet {
  return { type: PacketType.ERR, id: 0, data: Buffer.from(message, 'utf8') };
}

/** True for the end-of-entries packet (a STAT packet without `stat`). */
export function isTerminator(p: Packet): boolean {
  return p.type === PacketType.STAT && p.stat === undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Go os.FileMode <-> POSIX st_mode

/** Bits of Go's `os.FileMode` that fsutil puts in `Stat.mode`. */
export const GoFileMode = {
  dir: 0x8000_0000,
  append: 0x4000_0000,
  exclusive: 0x2000_0000,
  temporary: 0x1000_0000,
  symlink: 0x0800_0000,
  device: 0x0400_0000,
  namedPipe: 0x0200_0000,
  socket: 0x0100_0000,
  setuid: 0x0080_0000,
  setgid: 0x0040_0000,
  charDevice: 0x0020_0000,
  sticky: 0x0010_0000,
  irregular: 0x0008_0000,
  /** The nine rwx permission bits. */
  perm: 0o777,
} as const;

/** Every type bit (Go's `os.ModeType`); an entry with none of them is a regular file. */
export const GO_MODE_TYPE_MASK =
  GoFileMode.dir |
  GoFileMode.symlink |
  GoFileMode.namedPipe |
  GoFileMode.socket |
  GoFileMode.device |
  GoFileMode.charDevice |
  GoFileMode.irregular;

const S_IFMT = 0o170000;
const S_IFSOCK = 0o140000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFBLK = 0o060000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;
const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;

/**
 * Converts a POSIX `st_mode` (as from `lstat`) to a Go `os.FileMode`: the file type becomes the Dir / Symlink /
 * NamedPipe / Device (+CharDevice) / Socket flag, and setuid, setgid and sticky move to their Go bit positions.
 */
export function goModeFromPosix(stMode: number): number {
  let mode = stMode & 0o777;
  switch (stMode & S_IFMT) {
    case S_IFDIR:
      mode += GoFileMode.dir;
      break;
    case S_IFLNK:
      mode += GoFileMode.symlink;
      break;
    case S_IFIFO:
      mode += GoFileMode.namedPipe;
      break;
    case S_IFBLK:
      mode += GoFileMode.device;
      break;
    case S_IFCHR:
      mode += GoFileMode.device + GoFileMode.charDevice;
      break;
    case S_IFSOCK:
      mode += GoFileMode.socket;
      break;
    default:
      break;
  }
  if (stMode & S_ISUID) mode += GoFileMode.setuid;
  if (stMode & S_ISGID) mode += GoFileMode.setgid;
  if (stMode & S_ISVTX) mode += GoFileMode.sticky;
  return mode;
}

/**
 * Converts a Go `os.FileMode` to a POSIX `st_mode` (type bits included). Regular files get `S_IFREG`; a mode with
 * Device but not CharDevice is a block device.
 */
export function posixModeFromGo(goMode: number): number {
  let mode = posixPermissionsFromGo(goMode);
  if (goMode & GoFileMode.dir) mode |= S_IFDIR;
  else if (goMode & GoFileMode.symlink) mode |= S_IFLNK;
  else if (goMode & GoFileMode.namedPipe) mode |= S_IFIFO;
  else if (goMode & GoFileMode.socket) mode |= S_IFSOCK;
  else if (goMode & GoFileMode.device) mode |= goMode & GoFileMode.charDevice ? S_IFCHR : S_IFBLK;
  else if ((goMode & GO_MODE_TYPE_MASK) === 0) mode |= S_IFREG;
  return mode;
}

/** The `chmod` argument for a Go mode: rwx bits plus setuid/setgid/sticky (0o7777 at most). */
export function posixPermissionsFromGo(goMode: number): number {
  let mode = goMode & 0o777;
  if (goMode & GoFileMode.setuid) mode |= S_ISUID;
  if (goMode & GoFileMode.setgid) mode |= S_ISGID;
  if (goMode & GoFileMode.sticky) mode |= S_ISVTX;
  return mode;
}

/** True when a Go mode is a regular file (no type bit set): the only kind whose content can be requested. */
export function isRegularGoMode(goMode: number): boolean {
  return (goMode & GO_MODE_TYPE_MASK) === 0;
}

/** True when a Go mode is a directory. */
export function isDirGoMode(goMode: number): boolean {
  return (goMode & GoFileMode.dir) !== 0;
}

/** True when a Go mode is a symbolic link. */
export function isSymlinkGoMode(goMode: number): boolean {
  return (goMode & GoFileMode.symlink) !== 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const TWO_POW_32 = 0x1_0000_0000;

function varintSize(v: number): number {
  // v is a non-negative integer below 2^53.
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function bigVarintSize(v: bigint): number {
  let u = BigInt.asUintN(64, v);
  if (u <= 0x1f_ffff_ffff_ffffn) return varintSize(Number(u));
  let n = 1;
  while (u >= 128n) {
    u >>= 7n;
    n++;
  }
  return n;
}

class Writer {
  readonly buf: Buffer;
  pos: number;

  /** `headroom` bytes are left (unwritten) in front of the message, for a framing prefix. */
  constructor(size: number, headroom = 0) {
    this.buf = Buffer.allocUnsafe(headroom + size);
    this.pos = headroom;
  }

  varint(v: number): void {
    const buf = this.buf;
    while (v >= 128) {
      buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    buf[this.pos++] = v;
  }

  bigVarint(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    if (u <= 0x1f_ffff_ffff_ffffn) {
      this.varint(Number(u));
      return;
    }
    while (u >= 128n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  string(field: number, s: string, byteLength: number): void {
    this.tag(field, WIRE_LEN);
    this.varint(byteLength);
    this.pos += this.buf.write(s, this.pos, byteLength, 'utf8');
  }
}

interface StatLayout {
  readonly size: number;
  readonly pathLen: number;
  readonly linkLen: number;
  readonly xattrs: readonly (readonly [key: string, keyLen: number, value: Uint8Array, entryLen: number])[];
}

function lenFieldSize(fieldTagSize: number, len: number): number {
  return fieldTagSize + varintSize(len) + len;
}

function checkUint32(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= TWO_POW_32) {
    throw new KilnError('internal', `fsutil ${field} must be an unsigned 32-bit integer, got ${value}`);
  }
}

function layoutStat(s: Stat): StatLayout {
  checkUint32(s.mode, 'Stat.mode');
  checkUint32(s.uid, 'Stat.uid');
  checkUint32(s.gid, 'Stat.gid');
  let size = 0;
  const pathLen = Buffer.byteLength(s.path, 'utf8');
  if (pathLen > 0) size += lenFieldSize(1, pathLen);
  if (s.mode !== 0) size += 1 + varintSize(s.mode);
  if (s.uid !== 0) size += 1 + varintSize(s.uid);
  if (s.gid !== 0) size += 1 + varintSize(s.gid);
  if (s.size !== 0n) size += 1 + bigVarintSize(s.size);
  if (s.modTime !== 0n) size += 1 + bigVarintSize(s.modTime);
  const linkLen = Buffer.byteLength(s.linkname, 'utf8');
  if (linkLen > 0) size += lenFieldSize(1, linkLen);
  if (s.devmajor !== 0n) size += 1 + bigVarintSize(s.devmajor);
  if (s.devminor !== 0n) size += 1 + bigVarintSize(s.devminor);
  const xattrs: [string, number, Uint8Array, number][] = [];
  if (s.xattrs.size > 0) {
    // Map entries are written in byte order of their keys so the encoding is deterministic (as Go's is).
    const keys = [...s.xattrs.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const key of keys) {
      const value = s.xattrs.get(key) ?? EMPTY_BYTES;
      const keyLen = Buffer.byteLength(key, 'utf8');
      const entryLen = lenFieldSize(1, keyLen) + lenFieldSize(1, value.length);
      xattrs.push([key, keyLen, value, entryLen]);
      size += lenFieldSize(1, entryLen);
    }
  }
  return { size, pathLen, linkLen, xattrs };
}

function writeStat(w: Writer, s: Stat, layout: StatLayout): void {
  if (layout.pathLen > 0) w.string(1, s.path, layout.pathLen);
  if (s.mode !== 0) {
    w.tag(2, WIRE_VARINT);
    w.varint(s.mode);
  }
  if (s.uid !== 0) {
    w.tag(3, WIRE_VARINT);
    w.varint(s.uid);
  }
  if (s.gid !== 0) {
    w.tag(4, WIRE_VARINT);
    w.varint(s.gid);
  }
  if (s.size !== 0n) {
    w.tag(5, WIRE_VARINT);
    w.bigVarint(s.size);
  }
  if (s.modTime !== 0n) {
    w.tag(6, WIRE_VARINT);
    w.bigVarint(s.modTime);
  }
  if (layout.linkLen > 0) w.string(7, s.linkname, layout.linkLen);
  if (s.devmajor !== 0n) {
    w.tag(8, WIRE_VARINT);
    w.bigVarint(s.devmajor);
  }
  if (s.devminor !== 0n) {
    w.tag(9, WIRE_VARINT);
    w.bigVarint(s.devminor);
  }
  for (const [key, keyLen, value, entryLen] of layout.xattrs) {
    w.tag(10, WIRE_LEN);
    w.varint(entryLen);
    w.string(1, key, keyLen);
    w.bytes(2, value);
  }
}

/** Encodes a {@link Stat} message. */
export function encodeStat(stat: Stat): Buffer {
  const layout = layoutStat(stat);
  const w = new Writer(layout.size);
  writeStat(w, stat, layout);
  return w.buf;
}

/**
 * Encodes a {@link Packet}. Proto3 rules apply: `type` 0, `id` 0 and empty `data` are omitted, and `stat` is written
 * only when present (an empty-but-present Stat is 2 bytes, not the terminator). With `headroom`, the returned buffer
 * starts with that many unwritten bytes (room for a gRPC frame prefix, saving a copy of every DATA chunk).
 */
export function encodePacket(packet: Packet, headroom = 0): Buffer {
  const { type, stat, id, data } = packet;
  checkUint32(type, 'Packet.type');
  checkUint32(id, 'Packet.ID');
  let size = 0;
  if (type !== 0) size += 1 + varintSize(type);
  let layout: StatLayout | undefined;
  if (stat !== undefined) {
    layout = layoutStat(stat);
    size += lenFieldSize(1, layout.size);
  }
  if (id !== 0) size += 1 + varintSize(id);
  if (data.length > 0) size += lenFieldSize(1, data.length);
  const w = new Writer(size, headroom);
  if (type !== 0) {
    w.tag(1, WIRE_VARINT);
    w.varint(type);
  }
  if (stat !== undefined && layout !== undefined) {
    w.tag(2, WIRE_LEN);
    w.varint(layout.size);
    writeStat(w, stat, layout);
  }
  if (id !== 0) {
    w.tag(3, WIRE_VARINT);
    w.varint(id);
  }
  if (data.length > 0) w.bytes(4, data);
  return w.buf;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

function malformed(what: string): KilnError {
  return new KilnError('protocol', `malformed fsutil message: ${what}`);
}

class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, start: number, end: number) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Reads a varint and keeps its low 32 bits as an unsigned number (proto uint32 / enum semantics). */
  uint32(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw malformed('truncated varint');
      const b = this.buf[this.pos++] ?? 0;
      if (i < 5) result += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return result % TWO_POW_32;
    }
    throw malformed('varint longer than 10 bytes');
  }

  /** Reads a varint as a signed 64-bit integer (proto int64 semantics). */
  int64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw malformed('truncated varint');
      const b = this.buf[this.pos++] ?? 0;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) return BigInt.asIntN(64, result);
    }
    throw malformed('varint longer than 10 bytes');
  }

  /** Reads a length prefix and returns the [start, end) range of the delimited bytes. */
  delimited(): [number, number] {
    const len = this.uint32();
    const start = this.pos;
    if (len > this.end - start) throw malformed('length-delimited field runs past the end of the message');
    this.pos = start + len;
    return [start, start + len];
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.int64();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.delimited();
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        throw malformed(`unsupported wire type ${wire}`);
    }
  }

  advance(n: number): void {
    if (this.end - this.pos < n) throw malformed('truncated fixed-width field');
    this.pos += n;
  }
}

function expectWire(actual: number, expected: number, field: string): void {
  if (actual !== expected) throw malformed(`field ${field} has wire type ${actual}, expected ${expected}`);
}

interface MutableStat {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: bigint;
  modTime: bigint;
  linkname: string;
  devmajor: bigint;
  devminor: bigint;
  xattrs: Map<string, Uint8Array> | undefined;
}

function emptyMutableStat(): MutableStat {
  return { path: '', mode: 0, uid: 0, gid: 0, size: 0n, modTime: 0n, linkname: '', devmajor: 0n, devminor: 0n, xattrs: undefined };
}

function readXattrEntry(buf: Buffer, start: number, end: number, into: Map<string, Uint8Array>): void {
  const r = new Reader(buf, start, end);
  let key = '';
  let value: Uint8Array = EMPTY_BYTES;
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      expectWire(wire, WIRE_LEN, 'Stat.xattrs.key');
      const [s, e] = r.delimited();
      key = buf.toString('utf8', s, e);
    } else if (field === 2) {
      expectWire(wire, WIRE_LEN, 'Stat.xattrs.value');
      const [s, e] = r.delimited();
      value = buf.subarray(s, e);
    } else {
      r.skip(wire);
    }
  }
  into.set(key, value);
}

function readStatInto(buf: Buffer, start: number, end: number, s: MutableStat): void {
  const r = new Reader(buf, start, end);
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    switch (field) {
      case 1: {
        expectWire(wire, WIRE_LEN, 'Stat.path');
        const [a, b] = r.delimited();
        s.path = buf.toString('utf8', a, b);
        break;
      }
      case 2:
        expectWire(wire, WIRE_VARINT, 'Stat.mode');
        s.mode = r.uint32();
        break;
      case 3:
        expectWire(wire, WIRE_VARINT, 'Stat.uid');
        s.uid = r.uint32();
        break;
      case 4:
        expectWire(wire, WIRE_VARINT, 'Stat.gid');
        s.gid = r.uint32();
        break;
      case 5:
        expectWire(wire, WIRE_VARINT, 'Stat.size');
        s.size = r.int64();
        break;
      case 6:
        expectWire(wire, WIRE_VARINT, 'Stat.modTime');
        s.modTime = r.int64();
        break;
      case 7: {
        expectWire(wire, WIRE_LEN, 'Stat.linkname');
        const [a, b] = r.delimited();
        s.linkname = buf.toString('utf8', a, b);
        break;
      }
      case 8:
        expectWire(wire, WIRE_VARINT, 'Stat.devmajor');
        s.devmajor = r.int64();
        break;
      case 9:
        expectWire(wire, WIRE_VARINT, 'Stat.devminor');
        s.devminor = r.int64();
        break;
      case 10: {
        expectWire(wire, WIRE_LEN, 'Stat.xattrs');
        const [a, b] = r.delimited();
        s.xattrs ??= new Map();
        readXattrEntry(buf, a, b, s.xattrs);
        break;
      }
      default:
        r.skip(wire);
    }
  }
}

function freezeStat(s: MutableStat): Stat {
  return {
    path: s.path,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    modTime: s.modTime,
    linkname: s.linkname,
    devmajor: s.devmajor,
    devminor: s.devminor,
    xattrs: s.xattrs ?? EMPTY_XATTRS,
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes a {@link Stat} message. Throws a `protocol` KilnError on malformed input. */
export function decodeStat(bytes: Uint8Array): Stat {
  const buf = asBuffer(bytes);
  const s = emptyMutableStat();
  readStatInto(buf, 0, buf.length, s);
  return freezeStat(s);
}

/**
 * Decodes a {@link Packet}. Unknown fields are skipped; a repeated `stat` field is merged as proto3 requires.
 * `data` and xattr values share memory with `bytes` (no copy). Throws a `protocol` KilnError on malformed input.
 */
export function decodePacket(bytes: Uint8Array): Packet {
  const buf = asBuffer(bytes);
  const r = new Reader(buf, 0, buf.length);
  let type = 0;
  let stat: MutableStat | undefined;
  let id = 0;
  let data: Uint8Array = EMPTY_BYTES;
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    switch (field) {
      case 1:
        expectWire(wire, WIRE_VARINT, 'Packet.type');
        type = r.uint32();
        break;
      case 2: {
        expectWire(wire, WIRE_LEN, 'Packet.stat');
        const [a, b] = r.delimited();
        stat ??= emptyMutableStat();
        readStatInto(buf, a, b, stat);
        break;
      }
      case 3:
        expectWire(wire, WIRE_VARINT, 'Packet.ID');
        id = r.uint32();
        break;
      case 4: {
        expectWire(wire, WIRE_LEN, 'Packet.data');
        const [a, b] = r.delimited();
        data = buf.subarray(a, b);
        break;
      }
      default:
        if (field === 0) throw malformed('field number 0');
        r.skip(wire);
    }
  }
  return stat === undefined ? { type, id, data } : { type, stat: freezeStat(stat), id, data };
}
