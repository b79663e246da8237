import { createHash } from 'node:crypto';

/** RFC 4122's name-space ID for ISO OIDs (Python's `uuid.NAMESPACE_OID`), the one Chutes names images in. */
const NAMESPACE_OID = '6ba7b812-9dad-11d1-80b4-00c04fd430c8';

/**
 * Chutes' `Image.uid`: the name-based (version 5, SHA-1) UUID of `username/name:tag`, lower-cased, in the OID name
 * space. Chutes keys an image by it on its servers (`/images/{uid}`), so it follows the image's identity, not its
 * contents: the same for every definition with that name and tag.
 */
export function chutesUid(username: string, name: string, tag: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(NAMESPACE_OID.split('-').join(''), 'hex'))
    .update(`${username}/${name}:${tag}`.toLowerCase(), 'utf8')
    .digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
