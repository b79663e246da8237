/**
 * Path relations behind kiln's overlap rule: which image paths contain or touch each other, and whether a command's
 * text names a path. The compiler and the Dockerfile writer use them to decide which steps may be built apart.
 *
 * Internal module.
 */
import { posix } from 'node:path';

/** Whether `a` and `b` are the same path or one contains the other (both absolute and normalised). */
export function overlaps(a: string, b: string): boolean {
  return a === b || a === '/' || b === '/' || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** The directories above `p`, nearest first, `/` excluded (`/a/b/c` → `/a/b`, `/a`). */
export function ancestors(p: string): string[] {
  const out: string[] = [];
  let cur = posix.dirname(p);
  while (cur !== '/' && cur !== '.') {
    out.push(cur);
    cur = posix.dirname(cur);
  }
  return out;
}

/** `text` as a regular expression (JavaScript's, or grep -E's) that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `script` names `path` or something below it (`/opt/app`, `/opt/app/x`, `"/opt/app"`, `--dir=/opt/app`). */
export function mentions(script: string, path: string): boolean {
  return new RegExp(`(^|[\\s'"=:;(|&<>])${escapeRegExp(path)}(?=$|[/\\s'"=:;)|&<>])`).test(script);
}

/** Whether `script` names `path` itself, not only something below it (`ls /opt` names `/opt`; `/opt/x` does not). */
export function mentionsExactly(script: string, path: string): boolean {
  return new RegExp(`(^|[\\s'"=:;(|&<>])${escapeRegExp(path)}/?(?=$|[\\s'"=:;)|&<>])`).test(script);
}
