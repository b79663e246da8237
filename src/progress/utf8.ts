/**
 * Splits `bytes` into the longest prefix that does not stop inside a UTF-8 encoded character and
 * the remaining 0–3 bytes of an unfinished character. Log chunks from the daemon are cut at
 * arbitrary byte offsets, so the tail is kept and prefixed to the next chunk before decoding.
 */
export function splitIncompleteUtf8(bytes: Uint8Array): { complete: Uint8Array; rest: Uint8Array } {
  const len = bytes.length;
  for (let back = 1; back <= Math.min(3, len); back++) {
    const b = bytes[len - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = b >= 0xf0 && b <= 0xf7 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc0 && b <= 0xdf ? 2 : 1;
    if (needed > back) return { complete: bytes.subarray(0, len - back), rest: bytes.slice(len - back) };
    break;
  }
  return { complete: bytes, rest: new Uint8Array(0) };
}

/** Joins two byte arrays (returning one of them unchanged when the other is empty). */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
