/**
 * A small protobuf wire-format writer and reader, written for the canonical encoding BuildKit's Go
 * client produces (gogo-protobuf with stable marshalling). It knows nothing about schemas: the
 * message codecs in `pb-encode.ts` / `pb-decode.ts` decide which fields to write and when.
 *
 * Internal module: not exported from the package.
 */

/** Protobuf wire types used by the LLB messages. */
export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const decoder = new TextDecoder('utf-8');

/**
 * Compares two strings by the bytes of their UTF-8 encodings (Go's `sort.Strings` order). This equals
 * code-point order, which differs from JavaScript's UTF-16 code-unit order only when a surrogate
 * (astral character) meets a BMP character at or above U+E000.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates (astral code points) above U+E000..U+FFFF.
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

function hasSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/**
 * Sorts keys in Go byte order (returns a new array). Without astral characters that is JavaScript's
 * own (much faster) string order, which is used then.
 */
export function sortedKeys(keys: Iterable<string>): string[] {
  const list = Array.from(keys);
  if (list.length < 2) return list;
  return list.some(hasSurrogate) ? list.sort(compareUtf8) : list.sort();
}

const TWO_POW_32 = 0x1_0000_0000;

// Buffer#utf8Write skips the argument handling of Buffer#write (a large share of the cost for the
// short strings ops are made of); fall back to write() where it does not exist.
type Utf8Writer = (this: Buffer, s: string, offset: number) => number;
const rawUtf8Write = (Buffer.prototype as unknown as { utf8Write?: Utf8Writer }).utf8Write;
function utf8Write(buf: Buffer, s: string, offset: number): number {
  return rawUtf8Write !== undefined ? rawUtf8Write.call(buf, s, offset) : buf.write(s, offset);
}
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Growable protobuf writer over a Node Buffer. Length-delimited sub-messages are written in place:
 * `begin` reserves one byte for the length and `end` patches it, moving the body when the length
 * needs more bytes.
 *
 * A writer can produce many messages into one buffer (`startMessage` / `takeMessage`), handing out
 * views of it: much cheaper than a fresh allocation for each of the thousands of small ops a
 * marshal produces. Positions in marks are relative to the current message's start, so the buffer
 * can be replaced while a message is being written.
 */
export class ProtoWriter {
  private buf: Buffer;
  /** Start of the current message. */
  private base = 0;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(16, initialSize));
  }

  /** Bytes written to the current message so far. */
  get length(): number {
    return this.pos - this.base;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const used = this.pos - this.base;
    let size = Math.max(this.buf.length, 64);
    while (size < (used + extra) * 2) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, this.base, this.pos);
    // Earlier messages keep the old buffer (their views still point into it).
    this.buf = next;
    this.base = 0;
    this.pos = used;
  }

  /** Writes an unsigned varint; `n` must be a non-negative safe integer. */
  uvarint(n: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    if (n < 0x80) {
      buf[pos++] = n;
    } else if (n < TWO_POW_32) {
      let v = n >>> 0;
      while (v >= 0x80) {
        buf[pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[pos++] = v;
    } else {
      let v = n;
      while (v >= 0x80) {
        buf[pos++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      buf[pos++] = v;
    }
    this.pos = pos;
  }

  /**
   * Writes a signed 64-bit varint (int64/int32 on the wire). Negative values become 10-byte
   * two's-complement varints, exactly as Go writes them.
   */
  int64(v: number | bigint): void {
    if (typeof v === 'bigint') {
      // Timestamps: unset (-1) and ordinary nanosecond values fit the fast number paths.
      if (v === -1n) v = -1;
      else if (v >= 0n && v <= MAX_SAFE_BIG) v = Number(v);
    }
    if (typeof v === 'number') {
      if (v >= 0) {
        this.uvarint(v);
        return;
      }
      if (v === -1) {
        this.ensure(10);
        const buf = this.buf;
        let pos = this.pos;
        for (let i = 0; i < 9; i++) buf[pos++] = 0xff;
        buf[pos++] = 0x01;
        this.pos = pos;
        return;
      }
      v = BigInt(v);
    }
    let u = BigInt.asUintN(64, v);
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (u >= 0x80n) {
      buf[pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    buf[pos++] = Number(u);
    this.pos = pos;
  }

  /** Writes a field key. */
  tag(field: number, wireType: number): void {
    this.uvarint(field * 8 + wireType);
  }

  /** Writes raw bytes with no prefix. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Writes a length-prefixed UTF-8 string body (no key). */
  stringBody(s: string): void {
    const n = s.length;
    if (n < 16) {
      // Short strings: copy in JS while checking they are ASCII (no native call).
      this.ensure(n + 1);
      const buf = this.buf;
      const start = this.pos;
      let pos = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos++] = c;
      }
      if (i === n) {
        buf[start] = n;
        this.pos = pos;
        return;
      }
    }
    if (n < 43) {
      // At most 126 UTF-8 bytes: the length fits one byte, write the body right after it.
      this.ensure(1 + n * 3);
      const start = this.pos;
      const written = utf8Write(this.buf, s, start + 1);
      this.buf[start] = written;
      this.pos = start + 1 + written;
      return;
    }
    const len = Buffer.byteLength(s);
    this.uvarint(len);
    this.ensure(len);
    utf8Write(this.buf, s, this.pos);
    this.pos += len;
  }

  /** Writes a string field, even when it is empty. */
  string(field: number, s: string): void {
    this.tag(field, WIRE_LEN);
    this.stringBody(s);
  }

  /** Writes a string field unless it is empty (proto3 default). */
  stringOpt(field: number, s: string): void {
    if (s !== '') this.string(field, s);
  }

  /** Writes each string of a repeated field. */
  strings(field: number, list: readonly string[]): void {
    for (const s of list) this.string(field, s);
  }

  /** Writes a bytes field, even when it is empty. */
  bytes(field: number, b: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.uvarint(b.length);
    this.raw(b);
  }

  /** Writes a bytes field unless it is empty. */
  bytesOpt(field: number, b: Uint8Array): void {
    if (b.length > 0) this.bytes(field, b);
  }

  /** Writes a varint field (uint32/enum/int64) unless it is zero. */
  int64Opt(field: number, v: number | bigint): void {
    if (v === 0 || v === 0n) return;
    this.tag(field, WIRE_VARINT);
    this.int64(v);
  }

  /** Writes a varint field even when it is zero (oneof members). */
  int64Always(field: number, v: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.int64(v);
  }

  /** Writes a bool field unless it is false. */
  boolOpt(field: number, b: boolean): void {
    if (!b) return;
    this.tag(field, WIRE_VARINT);
    this.uvarint(1);
  }

  /** Writes a bool field even when it is false (map values). */
  boolAlways(field: number, b: boolean): void {
    this.tag(field, WIRE_VARINT);
    this.uvarint(b ? 1 : 0);
  }

  /** Starts a length-delimited sub-message; pass the returned mark to `end`. */
  begin(field: number): number {
    this.tag(field, WIRE_LEN);
    this.ensure(1);
    this.buf[this.pos++] = 0;
    return this.pos - this.base;
  }

  /** Ends the sub-message started at `mark`, writing its length. */
  end(mark: number): void {
    const at = this.base + mark;
    const len = this.pos - at;
    if (len < 0x80) {
      this.buf[at - 1] = len;
      return;
    }
    let extra = 0;
    for (let v = len; v >= 0x80; v = Math.floor(v / 0x80)) extra++;
    this.ensure(extra);
    const buf = this.buf;
    const body = this.base + mark; // ensure() may have moved the message
    buf.copyWithin(body + extra, body, this.pos);
    let pos = body - 1;
    let v = len;
    while (v >= 0x80) {
      buf[pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buf[pos] = v;
    this.pos += extra;
  }

  /** The bytes written, as a view of the writer's buffer; the writer must not be used afterwards. */
  finish(): Uint8Array {
    return this.buf.subarray(this.base, this.pos);
  }

  /** Starts a new message after the previous ones in the same buffer. */
  startMessage(): void {
    // Keep messages 8-byte aligned.
    this.base = (this.pos + 7) & ~7;
    if (this.base > this.buf.length) this.base = this.buf.length;
    this.pos = this.base;
  }

  /**
   * Ends the current message and returns a view of it. The buffer is never written there again, so
   * the view stays valid; a large buffer is replaced by a fresh one when it fills up.
   */
  takeMessage(): Uint8Array {
    return this.buf.subarray(this.base, this.pos);
  }
}

/** Thrown (as a plain Error) for malformed input; decode.ts turns it into a KilnError. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/** Sequential protobuf reader over a byte range. */
export class ProtoReader {
  pos: number;
  private readonly buf: Uint8Array;
  private readonly limit: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.limit = end;
  }

  /** True when every byte has been consumed. */
  done(): boolean {
    return this.pos >= this.limit;
  }

  private byte(): number {
    if (this.pos >= this.limit) throw new WireError(`unexpected end of message at byte ${this.pos}`);
    return this.buf[this.pos++] as number;
  }

  /** Reads an unsigned varint as a bigint (up to 64 bits). */
  private uvarintBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new WireError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Reads a varint that must fit a non-negative safe integer (lengths, keys, uint32, enums, bools). */
  uvarint(): number {
    const start = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
    }
    this.pos = start;
    const big = this.uvarintBig();
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new WireError(`varint value ${big} at byte ${start} is too large for this field`);
    }
    return Number(big);
  }

  /** Reads a uint32 field value (truncated to 32 bits like Go). */
  uint32(): number {
    return Number(this.uvarintBig() & 0xffffffffn);
  }

  /** Reads an int32 field value (sign-extended on the wire). */
  int32(): number {
    const v = this.uvarintBig();
    return Number(BigInt.asIntN(32, v));
  }

  /** Reads an int64 value: a number when it is a safe integer, else a bigint. */
  int64(): number | bigint {
    const start = this.pos;
    // Fast path: small non-negative values.
    const b0 = this.byte();
    if (b0 < 0x80) return b0;
    this.pos = start;
    const v = BigInt.asIntN(64, this.uvarintBig());
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** Reads an int64 value that must be a safe integer (indexes). */
  int64Safe(what: string): number {
    const v = this.int64();
    if (typeof v === 'bigint') throw new WireError(`${what} value ${v} is out of range`);
    return v;
  }

  /** Reads an int64 value as a bigint (timestamps in nanoseconds). */
  int64Big(): bigint {
    return BigInt.asIntN(64, this.uvarintBig());
  }

  /** Reads a bool field value. */
  bool(): boolean {
    return this.uvarintBig() !== 0n;
  }

  /** Reads a key; returns `[field, wireType]`. */
  key(): [number, number] {
    const k = this.uvarint();
    const field = Math.floor(k / 8);
    if (field === 0) throw new WireError(`invalid field number 0 at byte ${this.pos}`);
    return [field, k & 7];
  }

  /** Reads a length-delimited value's bounds and skips over it. */
  private span(): [number, number] {
    const len = this.uvarint();
    const start = this.pos;
    const end = start + len;
    if (end > this.limit) throw new WireError(`length ${len} at byte ${start} runs past the end of the message`);
    this.pos = end;
    return [start, end];
  }

  /** Reads a bytes value (a copy, so callers may keep it). */
  bytes(): Uint8Array {
    const [start, end] = this.span();
    return this.buf.slice(start, end);
  }

  /** Reads a bytes value without copying. */
  bytesView(): Uint8Array {
    const [start, end] = this.span();
    return this.buf.subarray(start, end);
  }

  /** Reads a string value. */
  string(): string {
    const [start, end] = this.span();
    const buf = this.buf;
    let ascii = true;
    for (let i = start; i < end; i++) {
      if ((buf[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii && end - start < 64) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(buf[i] as number);
      return s;
    }
    return decoder.decode(buf.subarray(start, end));
  }

  /** Returns a reader over a length-delimited sub-message. */
  message(): ProtoReader {
    const [start, end] = this.span();
    return new ProtoReader(this.buf, start, end);
  }

  /** Skips a value of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.uvarintBig();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.span();
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        throw new WireError(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.limit) throw new WireError(`unexpected end of message at byte ${this.pos}`);
    this.pos += n;
  }

  /** Checks the wire type of a known field. */
  expect(field: number, wireType: number, expected: number): void {
    if (wireType !== expected) {
      throw new WireError(`field ${field} has wire type ${wireType}, expected ${expected} (byte ${this.pos})`);
    }
  }
}
