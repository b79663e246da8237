/**
 * A lazy walk of a local directory producing fsutil entries in the exact order BuildKit's receiver validates:
 * depth-first pre-order, names within a directory in UTF-8 byte order, include/exclude/followpaths applied, and
 * missing parent directories of an included entry sent just before it.
 */
import { lstatSync, readdirSync, readlinkSync, type BigIntStats, type Dirent } from 'node:fs';
import { lstat, readFile, readdir, readlink, realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { KilnError } from '../errors.js';
import { errnoOf, ioError, isGone } from './fs-errors.js';
import { baseOf, cleanPath, joinRelative, parentOf } from './fs-paths.js';
import { createStat, goModeFromPosix, type Stat } from './fsutil-packet.js';
import { OfferedFiles } from './offered-files.js';
import { createMatcher, createPathFilter, parseDockerignore, type FilterState, type PathFilter } from './ignore-patterns.js';

/** Options of {@link walkDirectory}. */
export interface WalkOptions {
  /** fsutil include patterns: only matching paths (and everything below a matching directory) are sent. */
  readonly includePatterns?: readonly string[];
  /** fsutil exclude patterns (`.dockerignore` syntax, `!` exceptions allowed). */
  readonly excludePatterns?: readonly string[];
  /** Paths whose symlinks are resolved (inside the root) into extra include patterns, like fsutil's FollowPaths. */
  readonly followPaths?: readonly string[];
  /**
   * Read `<root>/.dockerignore` (when present) and apply its patterns before `excludePatterns`, so explicit
   * exclude patterns win over the file.
   */
  readonly dockerignore?: boolean;
  /** Stops the walk; the generator then throws a `cancelled` KilnError. */
  readonly signal?: AbortSignal;
  /** Told about entries that cannot be sent and are left out (sockets, names that are not valid UTF-8). */
  readonly onSkip?: (path: string, reason: string) => void;
  /**
   * The OS the files are on (default `process.platform`). On `win32`, which has no exec bits (Node reports files
   * and directories as 0666, read-only ones as 0444), permissions are sent as buildx sends them from Windows:
   * x added for everyone and write kept for the owner only (0755; 0555 read-only), and symlink targets with `/`.
   */
  readonly platform?: NodeJS.Platform;
  /**
   * Where each entry is recorded as it is yielded (its id is its position in the walk), e.g. the sender's
   * {@link OfferedFiles}, which serves the daemon's requests by id. A later link of a hard-linked file names the
   * first path through it. Default: a list of the walk's own.
   */
  readonly entries?: OfferedFiles;
}

/** One entry of the walk. */
export interface WalkEntry {
  /** The fsutil description of the entry (path relative to the root, Go file mode, nanosecond mtime...). */
  readonly stat: Stat;
  /** Where the entry is on disk, for reading a file's content. */
  readonly absolutePath: string;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFBLK = 0o060000;
const S_IFCHR = 0o020000;
const S_IFSOCK = 0o140000;
const MAX_SAFE_INODE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Entries handled between explicit yields to the event loop. The walk uses synchronous lstat/readdir/readlink: on a
 * local disk one takes a few microseconds, while a thread-pool round trip per entry made a 10,000-file walk five
 * times slower. 256 entries keep each stretch to a millisecond or two, far below the daemon's one-second health
 * checks.
 */
const YIELD_EVERY = 256;

interface Frame {
  readonly rel: string;
  /** `abs` followed by the path separator: a child's absolute path is this plus its name. */
  readonly absPrefix: string;
  readonly abs: string;
  readonly names: DirNames;
  index: number;
  emitted: boolean;
  readonly st: BigIntStats | undefined;
  readonly state: FilterState | undefined;
}

/** What the directory entry said an entry is (filesystems that do not say leave it unknown). */
const KIND_UNKNOWN = 0;
const KIND_DIR = 1;
const KIND_OTHER = 2;
/**
 * Added to a kind: the name is not valid UTF-8 (its string has replacement characters), so it cannot be sent. The
 * kind is kept so the patterns can still leave it out without a report.
 */
const INVALID_NAME = 4;

/**
 * A directory's names in UTF-8 byte order, and per name what the directory entry said it is. Two arrays rather than
 * an object (and a `Buffer` of the raw name) per entry: the names of every directory on the walk's stack stay alive
 * while what is under them is walked, and on a 200,000-file context those objects filled the young generation.
 */
interface DirNames {
  readonly names: readonly string[];
  readonly kinds: Uint8Array;
}

const NO_NAMES: DirNames = { names: [], kinds: new Uint8Array(0) };

function direntKind(d: Dirent<string> | Dirent<Buffer>): number {
  if (d.isDirectory()) return KIND_DIR;
  if (d.isFile() || d.isSymbolicLink() || d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice()) {
    return KIND_OTHER;
  }
  return KIND_UNKNOWN;
}

/**
 * Orders strings as their UTF-8 encodings are ordered (code point order). JavaScript's `<` compares UTF-16 code
 * units, which puts a character above U+FFFF (a surrogate pair, 0xD800-0xDFFF) before one in U+E000-U+FFFF; only
 * that case needs the units remapped.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

function readDirNames(abs: string): DirNames {
  const entries = readdirSync(abs, { withFileTypes: true });
  // A name that is not valid UTF-8 comes back with U+FFFD in place of its bad bytes; a valid name may also hold
  // U+FFFD. Only then is the directory read again as bytes to tell them apart.
  for (const d of entries) if (d.name.includes('\uFFFD')) return readDirNamesAsBytes(abs);
  entries.sort((a, b) => compareUtf8(a.name, b.name));
  const names: string[] = new Array<string>(entries.length);
  const kinds = new Uint8Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const d = entries[i] as Dirent<string>;
    names[i] = d.name;
    kinds[i] = direntKind(d);
  }
  return { names, kinds };
}

function readDirNamesAsBytes(abs: string): DirNames {
  const entries = readdirSync(abs, { encoding: 'buffer', withFileTypes: true });
  entries.sort((a, b) => Buffer.compare(a.name, b.name));
  const names: string[] = new Array<string>(entries.length);
  const kinds = new Uint8Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const d = entries[i] as Dirent<Buffer>;
    const name = d.name.toString('utf8');
    names[i] = name;
    kinds[i] = direntKind(d) | (Buffer.from(name, 'utf8').equals(d.name) ? 0 : INVALID_NAME);
  }
  return { names, kinds };
}

/**
 * Resolves fsutil "follow paths" inside `root`: every symlink met along each path (wildcards allowed in the last
 * segment of a step) is recorded together with what it points to, recursively, clamped to the root. The result is
 * sorted, with paths below another one dropped; `undefined` when nothing was found or the root itself is named
 * (then follow paths add no include pattern, like fsutil).
 */
export async function resolveFollowPaths(root: string, paths: readonly string[]): Promise<string[] | undefined> {
  const resolved = new Set<string>();

  const containsWildcards = (name: string): boolean => {
    for (let i = 0; i < name.length; i++) {
      const ch = name[i];
      if (ch === '\\') i++;
      else if (ch === '*' || ch === '?' || ch === '[') return true;
    }
    return false;
  };

  const readSymlink = async (p: string, allowWildcard: boolean): Promise<string[] | undefined> => {
    const base = baseOf(p);
    if (allowWildcard && containsWildcards(base)) {
      let names: string[];
      try {
        names = await readdir(join(root, parentOf(p)));
      } catch (err) {
        if (isGone(err)) return undefined;
        throw ioError('cannot read directory', join(root, parentOf(p)), err);
      }
      let test: (n: string) => boolean;
      try {
        const pattern = createMatcher([base]).patterns[0];
        test = (n) => pattern?.test(n) ?? false;
      } catch {
        test = () => false;
      }
      const out: string[] = [];
      for (const n of names.sort()) {
        if (!test(n)) continue;
        out.push(...((await readSymlink(joinRelative(parentOf(p), n), false)) ?? []));
      }
      return out.length > 0 ? out : undefined;
    }
    const abs = join(root, p);
    let st;
    try {
      st = await lstat(abs);
    } catch (err) {
      if (isGone(err)) return undefined;
      throw ioError('cannot stat', abs, err);
    }
    if (!st.isSymbolicLink()) return undefined;
    const target = cleanPath(await readlink(abs));
    // Relative targets are taken from the link's directory; both kinds are clamped to the root.
    return [target.startsWith('/') ? target : cleanPath(`/${joinRelative(parentOf(p), target)}`)];
  };

  const follow = async (input: string): Promise<void> => {
    let rest = cleanPath(`/${input}`).slice(1); // clamp: a follow path cannot leave the root
    let current = '';
    for (;;) {
      const slash = rest.indexOf('/');
      const head = slash < 0 ? rest : rest.slice(0, slash);
      rest = slash < 0 ? '' : rest.slice(slash + 1);
      current = current === '' ? head : `${current}/${head}`;
      if (current === '') current = '.';
      const targets = current === '.' ? undefined : await readSymlink(current, true);
      if ((rest === '' || targets !== undefined) && resolved.has(current)) return;
      if (targets !== undefined) {
        resolved.add(current);
        for (const t of targets) await follow(rest === '' ? t : `${t}/${rest}`);
        return;
      }
      if (rest === '') {
        resolved.add(current);
        return;
      }
      if (current === '.') current = '';
    }
  };

  for (const p of paths) await follow(p);
  const sorted = [...resolved].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const out: string[] = [];
  let last: string | undefined;
  for (const p of sorted) {
    if (p === '.') return undefined;
    if (last !== undefined && p.startsWith(`${last}/`)) continue;
    out.push(p);
    last = p;
  }
  return out.length > 0 ? out : undefined;
}

async function readDockerignore(root: string): Promise<string[]> {
  const file = join(root, '.dockerignore');
  try {
    return parseDockerignore(await readFile(file, 'utf8'));
  } catch (err) {
    if (isGone(err)) return [];
    throw ioError('cannot read', file, err);
  }
}

async function resolveRoot(root: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(resolve(root));
  } catch (err) {
    if (isGone(err)) {
      throw new KilnError('not_found', `local directory ${root} does not exist`, { cause: err, details: { path: root } });
    }
    throw ioError('cannot open local directory', root, err);
  }
  const st = await lstat(real).catch((err: unknown) => {
    throw ioError('cannot stat local directory', root, err);
  });
  if (!st.isDirectory()) {
    throw new KilnError('io', `local directory ${root} is not a directory`, { details: { path: root } });
  }
  return real;
}

/** fsutil's permissions for a file on Windows: every x bit set, write for the owner only (0666 → 0755, 0444 → 0555). */
export function windowsGoMode(goMode: number): number {
  const perm = ((goMode & 0o777) | 0o111) & 0o755;
  return ((goMode & ~0o777) | perm) >>> 0;
}

/**
 * Walks `root` lazily (an async generator: nothing is read ahead of the consumer), yielding one {@link WalkEntry}
 * per entry to send, in fsutil's order. Symlinks are reported as links (never followed); the root itself is resolved
 * if it is a symlink. Stats are filled like buildx does: Go file mode, size for non-directories (link length for
 * symlinks), symlink target in `linkname`, nanosecond mtime, device numbers, uid/gid reset to 0, and a later path
 * of a multiply-linked regular file sent as a hardlink (`linkname` = the first path sent, size 0). Sockets are
 * skipped (reported through `onSkip`). Entries that vanish during the walk are skipped; an unreadable directory
 * that must be sent throws an `io` KilnError naming it.
 */
export async function* walkDirectory(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry, void, undefined> {
  const { signal, onSkip } = options;
  const rootPath = await resolveRoot(root);

  const exclude = [...(options.dockerignore === true ? await readDockerignore(rootPath) : []), ...(options.excludePatterns ?? [])];
  const include = [...(options.includePatterns ?? [])];
  if (options.followPaths !== undefined && options.followPaths.length > 0) {
    const targets = await resolveFollowPaths(rootPath, options.followPaths);
    for (const t of targets ?? []) if (!include.includes(t)) include.push(t);
  }
  const filter: PathFilter = createPathFilter({ include, exclude });

  const entries = options.entries ?? new OfferedFiles();
  /**
   * Regular files with more than one link seen so far, by device and inode: the id of the first path sent (its path
   * is rebuilt from `entries` when a second one is met). In a pnpm node_modules every file is such a link (into the
   * store, outside the context); a string key and path per file were ~200 bytes each.
   */
  const hardlinks = new Map<number, Map<number | bigint, number>>();
  const firstLinkOf = (st: BigIntStats, id: number): number | undefined => {
    const dev = Number(st.dev);
    // Inode numbers past 2^53 (overlayfs with xino sets high bits) stay bigints: a Map compares those by value.
    const ino = st.ino <= MAX_SAFE_INODE ? Number(st.ino) : st.ino;
    let inodes = hardlinks.get(dev);
    if (inodes === undefined) {
      inodes = new Map();
      hardlinks.set(dev, inodes);
    }
    const first = inodes.get(ino);
    if (first === undefined) inodes.set(ino, id);
    return first;
  };
  const windows = (options.platform ?? process.platform) === 'win32';
  const makeStat = (rel: string, abs: string, st: BigIntStats): Stat => {
    const fmt = Number(st.mode) & S_IFMT;
    const mode = windows ? windowsGoMode(goModeFromPosix(Number(st.mode))) : goModeFromPosix(Number(st.mode));
    let size = fmt === S_IFDIR ? 0n : st.size;
    let linkname = '';
    let devmajor = 0n;
    let devminor = 0n;
    const id = entries.add(rel, fmt === S_IFDIR, fmt === S_IFREG);
    if (fmt === S_IFLNK) {
      try {
        linkname = readlinkSync(abs);
        if (windows) linkname = linkname.split('\\').join('/');
      } catch (err) {
        throw ioError('cannot read symlink', abs, err);
      }
    } else if (fmt === S_IFREG && st.nlink > 1n) {
      const first = firstLinkOf(st, id);
      if (first !== undefined) {
        linkname = entries.pathOf(first);
        size = 0n;
      }
    } else if (fmt === S_IFBLK || fmt === S_IFCHR) {
      devmajor = (st.rdev >> 8n) & 0xfffn;
      devminor = (st.rdev & 0xffn) | ((st.rdev >> 12n) & 0xfff00n);
    }
    return createStat({ path: rel, mode, size, modTime: st.mtimeNs, linkname, devmajor, devminor });
  };

  const openDir = (abs: string, mustRead: boolean): DirNames | undefined => {
    try {
      return readDirNames(abs);
    } catch (err) {
      if (isGone(err)) return undefined;
      // fsutil ignores a permission error on a directory it only looks into for re-included entries.
      if (!mustRead && (errnoOf(err) === 'EACCES' || errnoOf(err) === 'EPERM')) return undefined;
      throw ioError('cannot read directory', abs, err);
    }
  };

  const rootNames = openDir(rootPath, true);
  const withSep = (abs: string): string => (abs.endsWith(sep) ? abs : abs + sep);
  const stack: Frame[] = [
    {
      rel: '',
      absPrefix: withSep(rootPath),
      abs: rootPath,
      names: rootNames ?? NO_NAMES,
      index: 0,
      emitted: true,
      st: undefined,
      state: undefined,
    },
  ];
  let processed = 0;

  while (stack.length > 0) {
    if (signal?.aborted === true) throw new KilnError('cancelled', 'the directory walk was cancelled', { cause: signal.reason });
    const frame = stack[stack.length - 1] as Frame;
    const at = frame.index++;
    const name = frame.names.names[at];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    const kindAndValidity = frame.names.kinds[at] as number;
    const kind = kindAndValidity & ~INVALID_NAME;
    if (++processed % YIELD_EVERY === 0) await yieldToEventLoop();

    const rel = joinRelative(frame.rel, name);
    const abs = frame.absPrefix + name;
    let isDir = kind === KIND_DIR ? true : kind === KIND_OTHER ? false : undefined;
    let decision = isDir === undefined ? undefined : filter.decide(rel, isDir, frame.state);
    if (decision !== undefined && !decision.emit && !decision.descend) continue;
    // Reported only when the patterns may want it (an ignored one is not news); the lossy name shows where it is.
    if ((kindAndValidity & INVALID_NAME) !== 0) {
      onSkip?.(rel, 'its name is not valid UTF-8');
      continue;
    }

    let st: BigIntStats;
    try {
      st = lstatSync(abs, { bigint: true });
    } catch (err) {
      if (isGone(err)) continue;
      if (decision !== undefined && !decision.emit) continue;
      throw ioError('cannot stat', abs, err);
    }
    const fmt = Number(st.mode) & S_IFMT;
    if (isDir !== (fmt === S_IFDIR) || decision === undefined) {
      isDir = fmt === S_IFDIR;
      decision = filter.decide(rel, isDir, frame.state);
      if (!decision.emit && !decision.descend) continue;
    }

    if (decision.emit && fmt === S_IFSOCK) {
      onSkip?.(rel, 'sockets cannot be sent');
      continue;
    }

    if (decision.emit) {
      // Parents skipped by the filter but holding this re-included entry go first, outermost first.
      for (const f of stack) {
        if (f.emitted || f.st === undefined) continue;
        yield { stat: makeStat(f.rel, f.abs, f.st), absolutePath: f.abs };
        f.emitted = true;
      }
      yield { stat: makeStat(rel, abs, st), absolutePath: abs };
    }

    if (isDir && decision.descend) {
      const names = openDir(abs, decision.emit);
      if (names !== undefined && names.names.length > 0) {
        stack.push({ rel, absPrefix: withSep(abs), abs, names, index: 0, emitted: decision.emit, st, state: decision.state });
      }
    }
  }
}
