/**
 * Exclude patterns for local sources, from the three syntaxes users bring: `.dockerignore` (which is what the
 * daemon's file transfer understands natively), `.gitignore` (converted), and rsync `--exclude`/`--include`
 * options (Kubetorch's `filter_options`, converted).
 *
 * Internal module.
 */
import { posix } from 'node:path';

/** Parses `.dockerignore` text into patterns (the same reader the file transfer uses). */
export { parseDockerignore } from '../session/ignore-patterns.js';

/**
 * Converts `.gitignore` text into `.dockerignore`-style patterns. Unanchored patterns (no "/" except a trailing
 * one) match at any depth (`**` prefix); a leading "/" anchors to the directory; "dir/" patterns lose the
 * directory-only restriction (the transfer cannot express it), which can only exclude more, never less.
 */
export function gitignoreToPatterns(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('\\#')) line = line.slice(1);
    // "\!" stays escaped: the same escape in a pattern, so "\!x" names the file "!x" and is no negation.
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    }
    // An escaped space becomes a one-space class: patterns are trimmed (as Docker's are), "[ ]" survives that.
    line = line.replace(/\\(\s)/g, '[$1]');
    let p = line.endsWith('/') ? line.replace(/\/+$/, '') : line;
    if (p === '') continue;
    const anchored = p.includes('/');
    p = p.replace(/^\/+/, '');
    if (p === '') continue;
    if (!anchored && !p.startsWith('**/')) p = `**/${p}`;
    out.push(negate ? `!${p}` : p);
  }
  return out;
}

/** Why an rsync filter string could not be used. */
export class RsyncFilterError extends Error {}

/**
 * Converts rsync filter options (`--exclude='*.log' --include='keep.log' --exclude='temp/'`) into patterns.
 * rsync uses the first matching rule, `.dockerignore` the last, so the rules are reversed. A rule not starting with
 * "/" matches at any depth, also one with a "/" inside (rsync matches it against the end of the path).
 */
export function rsyncFilterToPatterns(words: readonly string[]): string[] {
  const rules: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    let kind: 'exclude' | 'include';
    let value: string | undefined;
    const m = /^--(exclude|include)(?:=(.*))?$/.exec(w);
    if (m !== null) {
      kind = m[1] as 'exclude' | 'include';
      value = m[2] ?? words[++i];
    } else if (w === '-f' || w === '--filter') {
      const rule = words[++i] ?? '';
      const fm = /^([-+])\s+(.*)$/.exec(rule);
      if (fm === null) throw new RsyncFilterError(`filter rule ${JSON.stringify(rule)} is not "- pattern" or "+ pattern"`);
      kind = fm[1] === '-' ? 'exclude' : 'include';
      value = fm[2];
    } else {
      throw new RsyncFilterError(`${JSON.stringify(w)} is not supported; use --exclude=PATTERN or --include=PATTERN`);
    }
    if (value === undefined || value === '') throw new RsyncFilterError(`${w} needs a pattern`);
    let p = value.replace(/\/+$/, '');
    // Only a leading "/" anchors a rule; any other is matched against the end of the path, at any depth
    // ("build/cache" also leaves out "pkg/build/cache"), unlike a .gitignore line with a "/" in it.
    const anchored = p.startsWith('/');
    p = p.replace(/^\/+/, '');
    if (p === '') continue;
    if (!anchored && !p.startsWith('**/')) p = `**/${p}`;
    rules.push(kind === 'exclude' ? p : `!${p}`);
  }
  return rules.reverse();
}

/** Prefixes patterns read from an ignore file in `subdir` (relative to the local root) so they stay scoped to it. */
export function scopePatterns(patterns: readonly string[], subdir: string): string[] {
  if (subdir === '' || subdir === '.') return [...patterns];
  return patterns.map((p) => (p.startsWith('!') ? `!${posix.join(subdir, p.slice(1))}` : posix.join(subdir, p)));
}
