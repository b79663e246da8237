import { describe, expect, it } from 'vitest';
import { isSha256Digest } from '../../src/sha256-digest.js';

describe('isSha256Digest', () => {
  const hex = 'a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4';
  it('takes sha256: and 64 lowercase hex digits, and nothing else', () => {
    expect(isSha256Digest(`sha256:${hex}`)).toBe(true);
    for (const v of [hex, `sha256:${hex.toUpperCase()}`, `sha256:${hex.slice(1)}`, `sha256:${hex}0`, `sha512:${hex}${hex}`, ` sha256:${hex}`, `sha256:${hex}\n`, '']) {
      expect(isSha256Digest(v), JSON.stringify(v)).toBe(false);
    }
  });
});
