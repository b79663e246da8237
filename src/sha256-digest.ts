/**
 * The one digest form kiln pins, locks and reads back: `sha256:` and 64 lowercase hex digits (OCI's canonical
 * sha256 digest; `sha256:ABC…` is refused, as go-digest, which BuildKit and containerd parse digests with, refuses it).
 *
 * Internal module.
 */
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Whether `value` is a sha256 digest in its canonical form (see the module doc). */
export function isSha256Digest(value: string): boolean {
  return SHA256_DIGEST.test(value);
}
