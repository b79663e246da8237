/**
 * Small constructors of steps and bases shared by the `Image` methods and the Dockerfile reader.
 *
 * Internal module.
 */
import { posix } from 'node:path';
import { invalidArgument } from '../errors.js';
import { resolveHostPath } from '../host-path.js';
import { type ImageReference, parseImageRef } from '../llb/index.js';
import { escapePattern } from '../session/ignore-patterns.js';
import { captureStepSource } from './step-source.js';
import type { Base, CopySource, CopyStep, LocalRef, RegistrySecret } from './steps.js';
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
 * A local source for a path (relative to `base`) with wildcards in any element, not only the last, as BuildKit
 * matches each element: the directory before the first such element is sent, only what the rest of the pattern
 * matches in it (and everything below a matched directory), and the copy matches the pattern there.
 */
export function wildcardSource(base: string, relative: string): { local: LocalRef; path: string } {
  const { dir, pattern } = wildcardSplit(relative);
  return { local: { root: resolveHostPath(base, dir.join('/')), include: [pattern], exclude: [], ignoreFiles: [] }, path: `/${pattern}` };
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
