/**
 * The files a pip requirements file needs besides itself: those its `-r`/`--requirement` and `-c`/`--constraint`
 * lines name (relative to the file that names them, as pip reads them), followed through the files they name in
 * turn. `pipInstallFromRequirements` mounts them all for its step, so a `requirements-gpu.txt` that starts with
 * `-r base.txt` or `-c constraints.txt` installs as it does with `pip install -r` on this machine.
 *
 * Internal module.
 */
import { posix } from 'node:path';
import { hostRoot, isHostAbsolute, normalizeHostAbsolute, resolveHostPath } from '../host-path.js';
import { climbsOut } from './context-relative.js';
import { escapePattern } from '../session/ignore-patterns.js';
import type { LocalRef, NamedFile } from './steps.js';

/** The options that name another requirements or constraints file. */
const FILE_OPTIONS = ['-r', '--requirement', '-c', '--constraint'];

/** A `-r`/`-c` option of a requirements file: the path it names (as written) and where it is. */
interface RequirementReference {
  readonly path: string;
  /** 1-based line the option is on (the first line, when it is continued with a backslash). */
  readonly line: number;
  /** The option as written (`-r ../base.txt`). */
  readonly text: string;
}

/** The `-r`/`-c` options in a requirements file's text (as written: relative paths are to its directory). */
function requirementReferences(text: string): RequirementReference[] {
  const out: RequirementReference[] = [];
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    // pip joins lines ending in a backslash, then drops comments: '#' at the start or after whitespace.
    let raw = physical[i] as string;
    while (raw.endsWith('\\') && i + 1 < physical.length) raw = `${raw.slice(0, -1)} ${physical[++i] as string}`;
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const words = line.split(/\s+/).filter((w) => w !== '');
    const [first, second] = words;
    if (first === undefined) continue;
    let path: string | undefined;
    let shown = first;
    if (FILE_OPTIONS.includes(first)) {
      path = second;
      shown = `${first} ${second ?? ''}`;
    } else {
      const long = /^(--requirement|--constraint)=(.+)$/.exec(first);
      const short = /^-[rc](.+)$/.exec(first);
      path = long?.[2] ?? short?.[1];
    }
    // URLs are fetched by pip itself.
    if (path !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) out.push({ path, line: start + 1, text: shown });
  }
  return out;
}

/**
 * `file` (a local path as the user gave it) and every local file it names, transitively, as one local source: the
 * deepest directory holding them all, including only those files. `read` returns a file's text, or undefined when
 * it cannot be read (a missing file is left for pip to report). Returns the source and `file`'s path inside it.
 */
export function requirementsSource(file: string, read: (path: string) => string | undefined): { local: LocalRef; file: string } {
  const files = [isHostAbsolute(file) ? normalizeHostAbsolute(file) : posix.normalize(file)];
  const namedBy: NamedFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const current = files[i] as string;
    const text = read(current);
    if (text === undefined) continue;
    for (const ref of requirementReferences(text)) {
      // pip reads a relative path against the naming file's directory. An absolute path named by a relative file, or
      // one on another drive or share (Windows), cannot share its mount: pip reports it.
      const path = resolveHostPath(posix.dirname(current), ref.path);
      if (isHostAbsolute(path) !== isHostAbsolute(file) || hostRoot(path) !== hostRoot(file)) continue;
      if (!files.includes(path)) {
        files.push(path);
        namedBy.push({ path, by: current, line: ref.line, text: ref.text });
      }
    }
  }
  const root = commonDirectory(files);
  const rel = (p: string): string => posix.relative(root, p);
  return {
    local: { root, include: files.map((f) => escapePattern(rel(f))), exclude: [], ignoreFiles: [], ...(namedBy.length === 0 ? {} : { namedBy }) },
    file: rel(files[0] as string),
  };
}

/**
 * The deepest directory holding every path (all relative, or all absolute under one root: `/`, on Windows a drive
 * `C:/` or a share `//server/share/`; relative ones may start with `..`).
 */
function commonDirectory(paths: readonly string[]): string {
  // Relative paths are placed under a made-up directory deep enough for their `..` segments.
  const depth = Math.max(0, ...paths.map((p) => p.split('/').filter((s) => s === '..').length));
  const base = `/${Array.from({ length: depth + 1 }, (_, i) => `d${i}`).join('/')}`;
  const first = paths[0] ?? '';
  const relative = !isHostAbsolute(first);
  const root = relative ? '/' : hostRoot(first);
  const dirs = paths.map((p) => posix.dirname(relative ? posix.join(base, p) : `/${p.slice(root.length)}`).split('/').filter((s) => s !== ''));
  let common = dirs[0] ?? [];
  for (const d of dirs) {
    let n = 0;
    while (n < common.length && n < d.length && common[n] === d[n]) n++;
    common = common.slice(0, n);
  }
  const dir = `${root}${common.join('/')}`;
  return relative ? posix.relative(base, dir) || '.' : dir;
}

/**
 * Why `local` cannot be sent from `context` when a file it holds because another named it is outside the context:
 * the line that names it, and the files that led there (`reqs/gpu.txt line 2: -r ../../base.txt (base.txt is named
 * by …)`); undefined when no such file is outside.
 */
export function namedOutsideContext(local: LocalRef, context: string): string | undefined {
  const named = local.namedBy ?? [];
  const outside = named.find((n) => {
    return climbsOut(posix.relative(context, resolveHostPath(context, n.path)));
  });
  if (outside === undefined) return undefined;
  const chain: string[] = [];
  for (let n: NamedFile | undefined = named.find((m) => m.path === outside.by); n !== undefined; n = named.find((m) => m.path === n?.by)) {
    chain.push(`${n.path} is named by ${n.by} line ${n.line}: ${n.text}`);
    if (chain.length > named.length) break;
  }
  return `${outside.by} line ${outside.line}: ${outside.text} is outside the build context ${context}${chain.length === 0 ? '' : ` (${chain.join('; ')})`}`;
}
