/**
 * The exporter response as `docker buildx build --metadata-file` writes it at the top level of its file: each value,
 * when it is base64 of a JSON object or a non-empty JSON array (`containerimage.descriptor`), decoded into that
 * JSON; any other value (`containerimage.digest`, `image.name`) as the daemon sent it. Scripts written for buildx
 * read `."containerimage.digest"` there.
 */
export function exporterMetadata(response: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(response)) out[key] = decoded(key, value);
  return out;
}

function decoded(key: string, value: string): unknown {
  const text = key === 'result.json' ? value : base64Text(value);
  if (text === undefined) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return value;
  }
  if (Array.isArray(parsed)) return parsed.length > 0 ? parsed : value;
  if (parsed !== null && typeof parsed === 'object' && Object.keys(parsed).length > 0) return parsed;
  return value;
}

/** The text `value` encodes in standard base64, or undefined when it is not base64. */
function base64Text(value: string): string | undefined {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('utf8');
}
