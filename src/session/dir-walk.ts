import type { BigIntStats } from 'node:fs';
import { lstat, opendir, readFile, readlink, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { KilnError } from '../errors.js';
import { goModeFromPosix, isRegularMode, type FsStat } from './fsutil-wire.js';
import { IncludeMatcher, PatternMatcher, parseIgnoreFile } from './path-patterns.js';

/** What to send of a directory. */
export interface WalkOptions {
  /** Only these paths (and what is below matching directories) are sent. */
  readonly include?: readonly string[];
  /** `.dockerignore`-style exclusions (`!` re-includes). */
  readonly exclude?: readonly string[];
  /** Symlinks whose targets are also sent (the targets are added to the include patterns). */
  readonly followPaths?: readonly string[];
  /** Read `.dockerignore` at the root and add its patterns to `exclude` (default false). */
  readonly useDockerignore?: boolean;
}

/** One entry of the walk. */
export interface WalkEntry {
  readonly stat: FsStat;
  /** Absolute path on disk. */
  readonly absPath: string;
  /** A regular file whose content the receiver may request (not a hardlink to an earlier entry). */
  readonly requestable: boolean;
}

const YIELD_EVERY = 256;

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function ioError(path: string, cause: unknown): KilnError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'it does not exist' : String((cause as Error)?.message ?? cause);
  return new KilnError('io', `cannot read ${path} for the build context: ${why}`, {
    cause,
    hint: 'Fix the file permissions, or exclude the path (.dockerignore or the exclude option).',
  });
}

function toStat(rel: string, st: BigIntStats, linkname: string): FsStat {
  const mode = goModeFromPosix(Number(st.mode));
  const isDir = (Number(st.mode) & 0o170000) === 0o040000;
  const rdev = st.rdev;
  const isDev = (Number(st.mode) & 0o170000) === 0o060000 || (Number(st.mode) & 0o170000) === 0o020000;
  return {
    path: rel,
    mode,
    uid: 0,
    gid: 0,
    size: isDir ? 0n : st.size,
    modTime: st.mtimeNs,
    linkname,
    devmajor: isDev ? (rdev >> 8n) & 0xfffn : 0n,
    devminor: isDev ? (rdev & 0xffn) | ((rdev >> 12n) & 0xfff00n) : 0n,
  };
}

/**
 * Walks `root` lazily in the order fsutil's receiver validates: depth-first, parents before children, names within
 * a directory in byte-wise order. Applies include/exclude/followPaths; emits the parent directories of an included
 * entry even when they are themselves excluded. Symlinks are sent as links (never followed); a file seen again
 * through another hard link is sent as a link to its first path. uid/gid are reset to 0 like BuildKit's clients.
 * Yields to the event loop regularly so the session keeps answering health checks.
 */
export async function* walkDirectory(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  let rootStat: BigIntStats;
  try {
    rootStat = await lstat(root, { bigint: true });
  } catch (cause) {
    throw ioError(root, cause);
  }
  if (!rootStat.isDirectory()) {
    throw new KilnError('invalid_argument', `${root} is not a directory; a local source must be a directory`);
  }
  const exclude = [...(options.exclude ?? [])];
  if (options.useDockerignore === true) {
    try {
      exclude.push(...parseIgnoreFile(await readFile(join(root, '.dockerignore'), 'utf8')));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(join(root, '.dockerignore'), cause);
    }
  }
  const include = [...(options.include ?? [])];
  for (const fp of options.followPaths ?? []) {
    include.push(fp);
    try {
      const target = await realpath(join(root, fp));
      const rel = relative(root, target);
      if (!rel.startsWith('..') && rel !== '') include.push(rel.split(sep).join('/'));
    } catch {
      // A follow path that does not resolve adds nothing.
    }
  }
  const excluder = exclude.length > 0 ? new PatternMatcher(exclude) : undefined;
  const includer = include.length > 0 ? new IncludeMatcher(include) : undefined;
  const seenInodes = new Map<string, string>();
  let counter = 0;

  // Directories entered but not yet emitted (excluded or not yet included): emitted lazily before a child.
  const pending: { rel: string; abs: string; stat: BigIntStats }[] = [];

  async function* walk(dirAbs: string, dirRel: string): AsyncGenerator<WalkEntry> {
    let names: string[];
    try {
      const dir = await opendir(dirAbs, { bufferSize: 256 });
      names = [];
      for await (const d of dir) names.push(d.name);
    } catch (cause) {
      throw ioError(dirAbs, cause);
    }
    names.sort(byteCompare);
    for (const name of names) {
      if (++counter % YIELD_EVERY === 0) await yieldToLoop();
      const rel = dirRel === '' ? name : `${dirRel}/${name}`;
      const abs = join(dirAbs, name);
      let st: BigIntStats;
      try {
        st = await lstat(abs, { bigint: true });
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue; // vanished while walking
        throw ioError(abs, cause);
      }
      const isDir = st.isDirectory();
      const included = includer === undefined || includer.included(rel);
      const excluded = excluder !== undefined && excluder.matches(rel);
      if (isDir) {
        const descend =
          (!excluded || excluder!.mayReincludeInside(rel)) && (included || includer!.mayIncludeBelow(rel));
        if (!descend) continue;
        if (included && !excluded) {
          yield* flushPending();
          yield { stat: toStat(rel, st, ''), absPath: abs, requestable: false };
          yield* walk(abs, rel);
        } else {
          pending.push({ rel, abs, stat: st });
          yield* walk(abs, rel);
          if (pending.length > 0 && pending[pending.length - 1]!.rel === rel) pending.pop();
        }
        continue;
      }
      if (!included || excluded) continue;
      yield* flushPending();
      let linkname = '';
      let requestable = false;
      if (st.isSymbolicLink()) {
        try {
          linkname = await readlink(abs);
        } catch (cause) {
          throw ioError(abs, cause);
        }
      }
      const stat = toStat(rel, st, linkname);
      if (isRegularMode(stat.mode)) {
        if (st.nlink > 1n) {
          const key = `${st.dev}:${st.ino}`;
          const first = seenInodes.get(key);
          if (first !== undefined) {
            yield { stat: { ...stat, size: 0n, linkname: first }, absPath: abs, requestable: false };
            continue;
          }
          seenInodes.set(key, rel);
        }
        requestable = true;
      }
      yield { stat, absPath: abs, requestable };
    }
  }

  function* flushPending(): Generator<WalkEntry> {
    for (const p of pending) yield { stat: toStat(p.rel, p.stat, ''), absPath: p.abs, requestable: false };
    pending.length = 0;
  }

  yield* walk(root, '');
}
