/**
 * The files a pip requirements file needs besides itself: those its `-r`/`--requirement` and `-c`/`--constraint`
 * lines name (relative to the file that names them, as pip reads them), followed through the files they name in
 * turn. `pipInstallFromRequirements` mounts them all for its step, so a `requirements-gpu.txt` that starts with
 * `-r base.txt` or `-c constraints.txt` installs as it does with `pip install -r` on this machine.
 *
 * Internal module.
 */
import { posix } from 'node:path';
import { escapePattern } from '../session/ignore-patterns.js';
import type { LocalRef } from './steps.js';

/** The options that name another requirements or constraints file. */
const FILE_OPTIONS = ['-r', '--requirement', '-c', '--constraint'];

/** Paths named by `-r`/`-c` options in a requirements file's text (as written: relative paths are to its directory). */
export function referencedRequirementFiles(text: string): string[] {
  const out: string[] = [];
  // pip joins lines ending in a backslash, then drops comments: '#' at the start or after whitespace.
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const words = line.split(/\s+/).filter((w) => w !== '');
    const [first, second] = words;
    if (first === undefined) continue;
    let path: string | undefined;
    if (FILE_OPTIONS.includes(first)) path = second;
    else {
      const long = /^(--requirement|--constraint)=(.+)$/.exec(first);
      const short = /^-[rc](.+)$/.exec(first);
      path = long?.[2] ?? short?.[1];
    }
    // URLs are fetched by pip itself.
    if (path !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) out.push(path);
  }
  return out;
}

/**
 * `file` (a local path as the user gave it) and every local file it names, transitively, as one local source: the
 * deepest directory holding them all, including only those files. `read` returns a file's text, or undefined when
 * it cannot be read (a missing file is left for pip to report). Returns the source and `file`'s path inside it.
 */
export function requirementsSource(file: string, read: (path: string) => string | undefined): { local: LocalRef; file: string } {
  const files = [posix.normalize(file)];
  for (let i = 0; i < files.length; i++) {
    const current = files[i] as string;
    const text = read(current);
    if (text === undefined) continue;
    for (const ref of referencedRequirementFiles(text)) {
      // An absolute path inside a relative file's tree (or the reverse) cannot share its mount: pip reports it.
      if (ref.startsWith('/') !== file.startsWith('/')) continue;
      const path = posix.normalize(ref.startsWith('/') ? ref : posix.join(posix.dirname(current), ref));
      if (!files.includes(path)) files.push(path);
    }
  }
  const root = commonDirectory(files);
  const rel = (p: string): string => posix.relative(root, p);
  return { local: { root, include: files.map((f) => escapePattern(rel(f))), exclude: [], ignoreFiles: [] }, file: rel(files[0] as string) };
}

/** The deepest directory holding every path (all relative, or all absolute; relative ones may start with `..`). */
function commonDirectory(paths: readonly string[]): string {
  // Relative paths are placed under a made-up directory deep enough for their `..` segments.
  const depth = Math.max(0, ...paths.map((p) => p.split('/').filter((s) => s === '..').length));
  const base = `/${Array.from({ length: depth + 1 }, (_, i) => `d${i}`).join('/')}`;
  const relative = !(paths[0] ?? '').startsWith('/');
  const dirs = paths.map((p) => posix.dirname(relative ? posix.join(base, p) : p).split('/').filter((s) => s !== ''));
  let common = dirs[0] ?? [];
  for (const d of dirs) {
    let n = 0;
    while (n < common.length && n < d.length && common[n] === d[n]) n++;
    common = common.slice(0, n);
  }
  const root = `/${common.join('/')}`;
  return relative ? posix.relative(base, root) || '.' : root;
}
