/**
 * The exporter response the daemon attaches to a byte export (`tar`, `oci`, `docker` over `FileSend/DiffCopy`) as
 * `exporter-md-*` headers.
 *
 * Internal module.
 */

const METADATA_PREFIX = 'exporter-md-';

/** A header value as grpc-js hands it out (`Metadata.getMap()` or `Metadata.toJSON()`). */
export type HeaderValue = string | Uint8Array;

/**
 * Extracts the exporter response the daemon attaches to a byte export as `exporter-md-<key>` headers (for
 * `oci`/`docker`: `containerimage.digest`, `image.name`, `containerimage.descriptor`...). Header names are matched
 * case-insensitively; a key with several values gets them joined with `,` like the Go client does.
 */
export function parseExporterMetadata(
  headers: Readonly<Record<string, HeaderValue | readonly HeaderValue[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [rawKey, value] of Object.entries(headers)) {
    const key = rawKey.toLowerCase();
    if (!key.startsWith(METADATA_PREFIX) || value === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]) as readonly HeaderValue[];
    const text = values.map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8')));
    const name = key.slice(METADATA_PREFIX.length);
    if (name === '') continue;
    out[name] = out[name] === undefined ? text.join(',') : `${out[name]},${text.join(',')}`;
  }
  return out;
}
