import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A random 25-character base36 identifier, the shape BuildKit's own clients use for build refs and session ids
 * (no colons: the daemon treats `a:b` session ids specially).
 */
export function newIdentifier(): string {
  const bytes = randomBytes(25);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 36];
  return out;
}
