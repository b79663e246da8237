/**
 * Hand codec for `BytesMessage{#1 data bytes}`, the envelope of every session tunnel chunk and of FileSend's
 * raw-bytes mode. It sits on the hottest path of file transfer, so it avoids any reflection.
 */

/** Encodes `{data}`; empty data encodes to zero bytes as proto3 requires. */
export function encodeBytesMessage(data: Uint8Array): Buffer {
  return encodeBytesMessageFrom([data]);
}

/** Encodes `{data}` where `data` is the concatenation of `chunks`, copying each chunk once. */
export function encodeBytesMessageFrom(chunks: readonly Uint8Array[]): Buffer {
  let length = 0;
  for (const c of chunks) length += c.length;
  if (length === 0) return Buffer.alloc(0);
  let headerLength = 2;
  for (let n = length; n > 0x7f; n >>>= 7) headerLength++;
  const out = Buffer.allocUnsafe(headerLength + length);
  out[0] = 0x0a;
  let i = 1;
  let n = length;
  while (n > 0x7f) {
    out[i++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[i++] = n;
  for (const c of chunks) {
    out.set(c, i);
    i += c.length;
  }
  return out;
}

/** Decodes a BytesMessage, skipping unknown fields; returns the (last) `data` field or an empty buffer. */
export function decodeBytesMessage(buf: Buffer): Buffer {
  let pos = 0;
  let out: Buffer = Buffer.alloc(0);
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 2) {
      const [len, afterLen] = readVarint(buf, pos);
      const end = afterLen + len;
      if (end > buf.length) throw new RangeError('BytesMessage: truncated length-delimited field');
      if (field === 1) out = buf.subarray(afterLen, end);
      pos = end;
    } else if (wire === 0) {
      pos = readVarint(buf, pos)[1];
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new RangeError(`BytesMessage: unsupported wire type ${wire}`);
    }
  }
  return out;
}

function readVarint(buf: Buffer, start: number): [number, number] {
  let result = 0;
  let shift = 0;
  let pos = start;
  for (;;) {
    if (pos >= buf.length) throw new RangeError('BytesMessage: truncated varint');
    const b = buf[pos++]!;
    if (shift < 28) result |= (b & 0x7f) << shift;
    else result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
    if (shift > 63) throw new RangeError('BytesMessage: varint too long');
  }
}
