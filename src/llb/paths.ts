/**
 * POSIX path helpers with Go's `path.Clean` / `path.Join` semantics (Node's `path.posix.normalize`
 * keeps trailing slashes and differs on empty paths, which would change op bytes).
 *
 * Internal module.
 */

/** Go's `path.Clean`. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.charCodeAt(0) === 0x2f;
  // Fast path: already clean absolute paths are common.
  if (rooted && isClean(p)) return p;
  const out: string[] = [];
  let dotdot = 0; // leading ".." elements kept in a relative path
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > dotdot) out.pop();
      else if (!rooted) {
        out.push('..');
        dotdot++;
      }
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

function isClean(p: string): boolean {
  if (p.length > 1 && p.charCodeAt(p.length - 1) === 0x2f) return false;
  let start = 1;
  for (let i = 1; i <= p.length; i++) {
    if (i === p.length || p.charCodeAt(i) === 0x2f) {
      const len = i - start;
      if (len === 0 && p.length > 1) return false;
      if (len === 1 && p.charCodeAt(start) === 0x2e) return false;
      if (len === 2 && p.charCodeAt(start) === 0x2e && p.charCodeAt(start + 1) === 0x2e) return false;
      start = i + 1;
    }
  }
  return true;
}

/** Go's `path.Join`: joins the non-empty elements with "/" and cleans the result. */
export function joinPath(...elems: string[]): string {
  const parts = elems.filter((e) => e !== '');
  if (parts.length === 0) return '';
  return cleanPath(parts.join('/'));
}

/** Resolves `p` against directory `dir` (absolute paths are kept, relative ones joined). */
export function resolvePath(dir: string, p: string): string {
  const c = cleanPath(p);
  return c.charCodeAt(0) === 0x2f ? c : joinPath('/', dir, c);
}

/**
 * A working directory set with `dir`/`cwd`, as Go's `llb.Dir` sets it: an absolute path is kept exactly as written
 * (`/app/` stays `/app/`, and goes into the exec op's `cwd` like that), a relative one is joined onto `dir` and
 * cleaned.
 */
export function applyDir(dir: string, p: string): string {
  return p.charCodeAt(0) === 0x2f ? p : joinPath('/', dir, p);
}

/**
 * Resolves a file-op path like BuildKit's client: clean it, join it onto `dir` when relative and,
 * with `keepSlash`, keep a trailing "/" or "/." of the original (a copy destination "into" a dir).
 */
export function normalizeFilePath(dir: string, p: string, keepSlash: boolean): string {
  let out = resolvePath(dir, p);
  if (keepSlash) {
    if (p.endsWith('/') && !out.endsWith('/')) out += '/';
    else if (p.endsWith('/.')) {
      if (out !== '/') out += '/';
      out += '.';
    }
  }
  return out;
}
