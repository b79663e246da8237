/**
 * Small constructors of steps and bases shared by the `Image` methods and the Dockerfile reader.
 *
 * Internal module.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { invalidArgument } from '../errors.js';
import { resolveHostPath } from '../host-path.js';
import { type ImageReference, parseImageRef } from '../llb/index.js';
import { createMatcher, escapePattern } from '../session/ignore-patterns.js';
import { captureStepSource } from './step-source.js';
import type { Base, CopySource, CopyStep, FollowedLink, LocalRef, RegistrySecret } from './steps.js';
import * as v from './validate.js';

/** A local file as a local source: its directory, including only the file (its name escaped: include is a pattern). */
export function localFile(path: string): { local: LocalRef; file: string } {
  // "." (a Dockerfile's `COPY . /app/` in a context that is the working directory) is the whole directory: an include
  // pattern "." would match nothing in it, and the copy would be empty.
  if (posix.normalize(path) === '.') return { local: { root: '.', include: [], exclude: [], ignoreFiles: [] }, file: '.' };
  const root = posix.dirname(path);
  const file = posix.basename(path);
  return { local: { root, include: [escapePattern(file)], exclude: [], ignoreFiles: [] }, file };
}

/**
 * A local file to copy, as a local source and the path in it: {@link localFile}, except that a symbolic link whose
 * chain of relative targets leaves the file's directory is sent from the directory that holds the link and every
 * target (`pkg/m.txt -> ../real.txt` from `.`, as `pkg/m.txt`). The copy follows the link, as `COPY` does, and finds
 * its target in what was sent; sent from `pkg` alone, the target was outside and the copy failed with "not found".
 * Links that stay in the directory (and absolute targets) leave the source as {@link localFile} makes it.
 */
export function localFileSource(path: string): { local: LocalRef; path: string } {
  const { local, file } = localFile(path);
  if (file === '.') return { local, path: '/' };
  const dir = posix.dirname(path);
  const { root, target } = linkRoot(path, dir);
  if (root === dir) return { local, path: `/${file}` };
  const inside = posix.relative(root, path);
  return { local: { root, include: [escapePattern(inside)], exclude: [], ignoreFiles: [], followedLink: { link: path, target } }, path: `/${inside}` };
}

/**
 * The deepest directory that holds `dir` and, when `path` is a symbolic link, every relative target along its chain
 * (an absolute target, a missing or unreadable link ends the chain: the build says what is wrong with it).
 */
function linkRoot(path: string, dir: string): { root: string; target: string } {
  let root = dir;
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    let target: string;
    try {
      if (!lstatSync(onDisk(current)).isSymbolicLink()) break;
      target = readlinkSync(onDisk(current), 'utf8').split('\\').join('/');
    } catch {
      break;
    }
    if (posix.isAbsolute(target)) break;
    current = posix.join(posix.dirname(current), target);
    root = commonDirectory(root, posix.dirname(current));
  }
  return { root, target: current };
}

/** The deepest directory that holds both `a` and `b` (POSIX paths, both relative to one place or both absolute). */
function commonDirectory(a: string, b: string): string {
  const parts = (p: string): string[] => (posix.normalize(p) === '.' ? [] : posix.normalize(p).replace(/\/$/, '').split('/'));
  const ups = (p: readonly string[]): number => {
    let n = 0;
    while (p[n] === '..') n++;
    return n;
  };
  const x = parts(a);
  const y = parts(b);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  const shared = x.slice(0, n);
  // "../.." holds ".." and "../x"; a shared prefix that climbs less than either path does not hold it.
  const up = Math.max(ups(x), ups(y));
  if (ups(shared) < up) return Array<string>(up).fill('..').join('/');
  if (shared.length === 1 && shared[0] === '') return '/';
  return shared.length === 0 ? '.' : shared.join('/');
}

/**
 * A local source for a path (relative to `base`) with wildcards in any element, not only the last, as BuildKit
 * matches each element: the directory before the first such element is sent, only what the rest of the pattern
 * matches in it (and everything below a matched directory), and the copy matches the pattern there.
 */
export function wildcardSource(base: string, relative: string): { local: LocalRef; path: string } {
  const { dir, pattern } = wildcardSplit(relative);
  const from = resolveHostPath(base, dir.join('/'));
  // A match that is a symbolic link to a file outside the directory (`pkg/* ` matching `pkg/out -> ../plain.txt`):
  // the copy follows it, as COPY does, so its target must be sent too (see localFileSource). Patterns of one element.
  let root = from;
  let followed: FollowedLink | undefined;
  if (!pattern.includes('/')) {
    let matches: (name: string) => boolean = () => false;
    try {
      const compiled = createMatcher([pattern]).patterns[0];
      matches = (name) => compiled?.test(name) ?? false;
    } catch {
      // not a pattern the matcher takes: the build reports it
    }
    let names: string[] = [];
    try {
      names = readdirSync(onDisk(from), { withFileTypes: true }).filter((d) => d.isSymbolicLink() && matches(d.name)).map((d) => d.name);
    } catch {
      // a missing directory fails the build, as it did
    }
    for (const name of names.sort()) {
      const link = linkRoot(posix.join(from, name), from);
      const wider = commonDirectory(root, link.root);
      // The link that widened the source last reaches farthest: the one an error about the root names.
      if (wider !== root) followed = { link: posix.join(from, name), target: link.target };
      root = wider;
    }
  }
  if (root === from) return { local: { root: from, include: [pattern], exclude: [], ignoreFiles: [] }, path: `/${pattern}` };
  const prefix = posix.relative(root, from);
  const within = prefix.split('/').map(escapePattern).join('/');
  return { local: { root, include: [`${within}/${pattern}`], exclude: [], ignoreFiles: [], ...(followed === undefined ? {} : { followedLink: followed }) }, path: `/${prefix}/${pattern}` };
}

/** A relative path with wildcards split at its first wildcard element: the directory elements before it, the pattern. */
export function wildcardSplit(relative: string): { dir: string[]; pattern: string } {
  const elements = relative.split('/');
  const at = elements.findIndex((e) => /[*?[]/.test(e));
  return { dir: elements.slice(0, at), pattern: elements.slice(at).join('/') };
}

/** A registry base image, the reference normalised (`python:3.11` → `docker.io/library/python:3.11`). */
export function registryBase(ref: string, secret: RegistrySecret | undefined, site: v.Site): Extract<Base, { kind: 'registry' }> {
  return parsedRegistryBase(ref, secret, site).base;
}

/** {@link registryBase}, with the reference's parts for a caller that looks at them (its domain, its path). */
export function parsedRegistryBase(
  ref: string,
  secret: RegistrySecret | undefined,
  site: v.Site,
): { readonly base: Extract<Base, { kind: 'registry' }>; readonly parsed: ImageReference } {
  if (typeof ref !== 'string') invalidArgument(`image reference must be a string, got ${v.show(ref)}`, site);
  // parseImageRef refuses whitespace, suggesting the trimmed reference when that one is valid.
  const parsed = parseImageRef(ref, site);
  return { base: { kind: 'registry', ref: parsed.normalized, secret, source: captureStepSource() }, parsed };
}

/** A file step. */
export function copyStep(
  name: string,
  from: CopySource,
  dest: string,
  contents: boolean,
  o: Pick<CopyStep, 'owner' | 'mode' | 'link' | 'force'>,
  origin: string,
  extra: Partial<Pick<CopyStep, 'wildcard' | 'unpack' | 'vars'>> = {},
): CopyStep {
  return { kind: 'copy', name, from, dest, contents, ...o, origin, wildcard: extra.wildcard ?? false, unpack: extra.unpack ?? false, ...(extra.vars === true ? { vars: true } : {}) };
}

/** Resolves `p` against the process's current directory, for checks made when a method is called. */
export function onDisk(p: string): string {
  return resolveHostPath(process.cwd().split('\\').join('/'), p);
}

/** `docker.io/library/python:3.11` → `python:3.11`, `docker.io/org/x:1` → `org/x:1`. */
export function shortRef(ref: string): string {
  if (ref.startsWith('docker.io/library/')) return ref.slice('docker.io/library/'.length);
  if (ref.startsWith('docker.io/')) return ref.slice('docker.io/'.length);
  return ref;
}
