/**
 * Argument checks shared by the LLB builders. Every check takes the public function the user called
 * (`site`) so the error's stack starts at the user's line.
 *
 * Internal module.
 */
import { invalidArgument } from '../errors.js';

/** The public API function a check reports against. */
export type CallSite = Function;

/** Human rendering of a value inside an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is a string. */
export function checkString(value: unknown, name: string, site: CallSite): string {
  if (typeof value !== 'string') invalidArgument(`${name} must be a string, got ${show(value)}`, site);
  return value;
}

/** Throws unless `value` is a non-empty string. */
export function checkNonEmpty(value: unknown, name: string, site: CallSite, fix = ''): string {
  const s = checkString(value, name, site);
  if (s === '') invalidArgument(`${name} must not be empty${fix === '' ? '' : `; ${fix}`}`, site);
  return s;
}

/** Throws when `s` contains a NUL character (it cannot reach a process or a path). */
export function checkNoNul(s: string, name: string, site: CallSite): string {
  if (s.includes('\0')) invalidArgument(`${name} must not contain a NUL character, got ${show(s)}`, site);
  return s;
}

/** Throws unless `value` is a boolean (or undefined → `fallback`). */
export function checkBool(value: unknown, name: string, site: CallSite, fallback = false): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalidArgument(`${name} must be true or false, got ${show(value)}`, site);
  return value;
}

/** Throws unless `value` is an absolute POSIX path. */
export function checkAbsolutePath(value: unknown, name: string, site: CallSite): string {
  const s = checkNonEmpty(value, name, site, 'pass an absolute path such as "/app"');
  checkNoNul(s, name, site);
  if (!s.startsWith('/')) {
    invalidArgument(`${name} must be an absolute path, got ${show(s)}; write it as "/${s.replace(/^\.?\/*/, '')}"`, site);
  }
  return s;
}

/** Throws unless `value` is one of `allowed`. */
export function checkEnum<T extends string>(value: unknown, allowed: readonly T[], name: string, site: CallSite): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalidArgument(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${show(value)}`, site);
  }
  return value as T;
}

/** Throws unless `value` is an integer in `[min, max]`. */
export function checkInt(value: unknown, name: string, site: CallSite, min: number, max: number, fix = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalidArgument(
      `${name} must be an integer from ${min} to ${max}, got ${show(value)}${fix === '' ? '' : `; ${fix}`}`,
      site,
    );
  }
  return value;
}

/** Largest uid/gid the protocol carries (uint32). */
export const MAX_ID = 0xffff_ffff;

/** Throws unless `value` is a valid numeric uid/gid. */
export function checkId(value: unknown, name: string, site: CallSite): number {
  if (typeof value === 'number' && Number.isInteger(value) && value < 0) {
    invalidArgument(`${name} must not be negative, got ${value}; uids and gids are 0 or more (0 is root)`, site);
  }
  return checkInt(value, name, site, 0, MAX_ID);
}

/** Throws unless `value` is a file mode `0..0o7777`; `maxBits` narrows it (e.g. 0o777). */
export function checkMode(value: unknown, name: string, site: CallSite, maxBits = 0o7777): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o7777) {
    invalidArgument(`${name} must be a file mode from 0 to 0o7777 (e.g. 0o644), got ${showMode(value)}`, site);
  }
  if ((value & ~maxBits) !== 0) {
    invalidArgument(
      `${name} ${showMode(value)} sets setuid/setgid/sticky bits, which BuildKit does not apply here; pass permission bits 0..0o${maxBits.toString(8)} and set special bits with a run step (chmod)`,
      site,
    );
  }
  return value;
}

function showMode(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? `0o${value.toString(8)}` : show(value);
}

/** A shared empty list (never mutated). */
export const NONE: readonly never[] = Object.freeze([]);

/** Throws unless `value` is an array of strings (undefined or empty → the shared empty list). */
export function checkStringList(value: unknown, name: string, site: CallSite): readonly string[] {
  if (value === undefined) return NONE;
  if (!Array.isArray(value)) invalidArgument(`${name} must be an array of strings, got ${show(value)}`, site);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') invalidArgument(`${name}[${i}] must be a string, got ${show(value[i])}`, site);
  }
  return value.length === 0 ? NONE : (value.slice() as readonly string[]);
}

/** Throws unless `value` is undefined or a plain object. */
export function checkOptions(value: unknown, name: string, site: CallSite): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(`${name} must be an options object, got ${show(value)}`, site);
  }
}

/** Checks an environment variable name. */
export function checkEnvName(value: unknown, name: string, site: CallSite): string {
  const s = checkString(value, name, site);
  if (s === '') invalidArgument(`${name} must not be empty; pass a variable name such as "PATH"`, site);
  if (s.includes('=')) {
    invalidArgument(`${name} ${show(s)} must not contain "="; pass the name and the value separately`, site);
  }
  checkNoNul(s, name, site);
  return s;
}

/**
 * A timestamp as the protocol carries it: bigint nanoseconds since the Unix epoch. Accepts a `Date`
 * or a bigint count of nanoseconds.
 */
export function toNanos(value: unknown, name: string, site: CallSite): bigint {
  if (typeof value === 'bigint') {
    if (value < -(2n ** 63n) || value >= 2n ** 63n) {
      invalidArgument(`${name} ${value}n does not fit a signed 64-bit count of nanoseconds`, site);
    }
    return value;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) invalidArgument(`${name} is an invalid Date`, site);
    return BigInt(ms) * 1_000_000n;
  }
  return invalidArgument(
    `${name} must be a Date or a bigint count of nanoseconds since 1970 (e.g. 1700000000000000000n), got ${show(value)}`,
    site,
  );
}
