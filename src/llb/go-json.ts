/**
 * JSON text exactly as Go's `encoding/json` (Go 1.19, HTML escaping on) writes it, for the places
 * where BuildKit stores JSON inside LLB (local source pattern lists) and for `dump-llb` output.
 *
 * Internal module.
 */
import { sortedKeys } from './wire.js';

const HEX = '0123456789abcdef';

/** Quotes a string the way Go's `json.Marshal` does. */
export function goJsonQuote(s: string): string {
  let out = '"';
  let start = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      if (c === 0x0a) esc = '\\n';
      else if (c === 0x0d) esc = '\\r';
      else if (c === 0x09) esc = '\\t';
      else esc = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c === 0x3c) esc = '\\u003c';
    else if (c === 0x3e) esc = '\\u003e';
    else if (c === 0x26) esc = '\\u0026';
    else if (c === 0x2028) esc = '\\u2028';
    else if (c === 0x2029) esc = '\\u2029';
    else if (c >= 0xd800 && c <= 0xdfff) {
      const paired =
        c <= 0xdbff && i + 1 < n && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (paired) {
        i++;
        continue;
      }
      // A lone surrogate reaches the wire as U+FFFD; Go writes that character as is.
      esc = '\ufffd';
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** Go's `json.Marshal` of a list of strings (compact). */
export function goJsonStringList(list: readonly string[]): string {
  return `[${list.map(goJsonQuote).join(',')}]`;
}

/** Objects the serializer treats as Go maps (keys sorted by UTF-8 bytes) rather than structs. */
const mapObjects = new WeakSet<object>();

/** Marks a plain object as a Go map for {@link goJsonStringify}; returns it. */
export function asGoMap<T extends object>(obj: T): T {
  mapObjects.add(obj);
  return obj;
}

/**
 * Serialises a JSON-like value (strings, numbers, bigints, booleans, null, arrays, plain objects) the
 * way Go's encoder would: struct objects keep their key order, objects marked with {@link asGoMap}
 * get sorted keys, and strings use Go's escaping.
 */
export function goJsonStringify(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return goJsonQuote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(goJsonStringify).join(',')}]`;
      const obj = value as Record<string, unknown>;
      let keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
      if (mapObjects.has(obj)) keys = sortedKeys(keys);
      return `{${keys.map((k) => `${goJsonQuote(k)}:${goJsonStringify(obj[k])}`).join(',')}}`;
    }
    default:
      return 'null';
  }
}
