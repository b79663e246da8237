import { describe, expect, it } from 'vitest';
import { decodeBytesMessage, encodeBytesMessage, encodeBytesMessageFrom } from '../../src/session/bytes-message.js';

describe('BytesMessage codec', () => {
  it('encodes the concatenation of chunks as one data field, like encoding the joined bytes', () => {
    const chunks = [Buffer.from('abc'), Buffer.alloc(0), Buffer.alloc(200, 7), Buffer.from('z')];
    const joined = Buffer.concat(chunks);
    const encoded = encodeBytesMessageFrom(chunks);
    expect(encoded.equals(encodeBytesMessage(joined))).toBe(true);
    // field 1, wire type 2, length 204 as a two-byte varint
    expect([...encoded.subarray(0, 3)]).toEqual([0x0a, 0xcc, 0x01]);
    expect(decodeBytesMessage(encoded).equals(joined)).toBe(true);
  });

  it('encodes nothing for empty data (proto3 default)', () => {
    expect(encodeBytesMessageFrom([]).length).toBe(0);
    expect(encodeBytesMessageFrom([Buffer.alloc(0)]).length).toBe(0);
    expect(decodeBytesMessage(Buffer.alloc(0)).length).toBe(0);
  });
});
