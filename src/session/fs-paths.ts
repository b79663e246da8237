/**
 * Slash-separated relative path helpers shared by the file-transfer code (walk, sender, receivers, patterns).
 * Paths on the fsutil wire are always `/`-separated, relative and clean, whatever the host OS.
 */

/**
 * Lexically cleans a `/`-separated path the way Go's `path.Clean` does: collapses repeated slashes, removes `.`
 * segments, resolves `..` against earlier segments (a rooted path cannot climb above `/`), drops a trailing slash,
 * and turns the empty result into `.`.
 */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.charCodeAt(0) === 47; // '/'
  const out: string[] = [];
  let leadingUps = 0;
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0) out.pop();
      else if (!rooted) leadingUps++;
      continue;
    }
    out.push(seg);
  }
  const body = [...Array<string>(leadingUps).fill('..'), ...out].join('/');
  if (rooted) return '/' + body;
  return body === '' ? '.' : body;
}

/**
 * True when `p` is a non-empty, clean, relative path that stays inside its root: no leading or trailing slash, no
 * empty, `.` or `..` segment, no NUL byte. This is the only shape the fsutil receiver accepts for entry paths.
 */
export function isCleanRelativePath(p: string): boolean {
  if (p.length === 0 || p.includes('\0')) return false;
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') return false;
  }
  return true;
}

/** The parent of a clean relative path (`''` for a top-level entry). */
export function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** The last segment of a clean relative path. */
export function baseOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

/** Joins a relative parent (`''` = the root) and a child name. */
export function joinRelative(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}
