/** Reading parsed JSON (or other untyped values) safely: an object with string keys, a string field. */

/** Whether `value` is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a string, else `''`. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
