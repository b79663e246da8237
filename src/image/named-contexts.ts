/**
 * Named build contexts for a Dockerfile (`fromDockerfile(path, { contexts })`, `kiln build URL --build-context`), read
 * as `docker buildx build --build-context NAME=VALUE` gives them to BuildKit's Dockerfile frontend: a context named
 * like a stage replaces that stage, and one named like an image that `FROM`, `COPY --from` or `RUN --mount=from=`
 * uses replaces that image. Names are compared as Docker references in their short form (`alpine`,
 * `docker.io/library/alpine` and `alpine:latest` are one name; `alpine:3.19` another).
 *
 * Internal module.
 */
import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { KilnError, invalidArgument } from '../errors.js';
import { formatPlatform, normalizePlatform, parseImageRef } from '../llb/index.js';
import { gitUrlProblem, isGitRepositoryUrl, splitGitUrl } from '../llb/git-remote.js';
import type { Image } from './image.js';
import { resolveHostPath } from '../host-path.js';
import { copyStep, onDisk } from './step-builders.js';
import { ociLayoutBase, splitOciLayoutValue } from './oci-layout.js';
import type { Base, CopyStep, Step } from './steps.js';
import * as v from './validate.js';

/**
 * What a named context is: a kiln `Image` (used as it is: its steps, its config), or a string as buildx takes it —
 * `docker-image://REF` (an image of a registry), a git repository URL (`https://host/o/r.git#REF[:DIR]`,
 * `git@host:o/r.git`), an `http(s)://` URL (downloaded, a file named `context`, as BuildKit gives it), an OCI layout
 * directory on this machine (`oci-layout://DIR[:TAG|@sha256:…]`, relative to the current directory), or a local
 * directory (relative to the build context; its `.dockerignore` applies).
 */
export type BuildContextValue = string | Image;

/** One value of a named context, as the Dockerfile reader uses it. */
export type ContextValue =
  /** An image of a registry: a `FROM` of it is a `FROM` of `ref`. */
  | { readonly kind: 'registry'; readonly ref: string; readonly shown: string }
  /** Anything else, as an image whose root is the context's contents; `localDir` for a local directory. */
  | {
      readonly kind: 'image';
      readonly image: Image;
      readonly shown: string;
      readonly localDir?: string;
      /** For `oci-layout://`: the layout's base, which a `FROM` starts from as it does from a registry's image. */
      readonly ociLayout?: Extract<Base, { kind: 'oci-layout' }>;
    };

/** A named context as the Dockerfile reader uses it. */
export type NamedContext =
  | ContextValue
  /**
   * Given per platform (`NAME::OS/ARCH[/VARIANT]`, BuildKit's `context:NAME::PLATFORM`): the value for the build's
   * platform (keys normalised, `linux/arm64`), else `plain` (the context given without a platform), else nothing
   * replaces what the Dockerfile names.
   */
  | { readonly kind: 'per-platform'; readonly name: string; readonly byPlatform: ReadonlyMap<string, ContextValue>; readonly plain: ContextValue | undefined };

/** How named contexts create images (supplied by `image.ts`, which owns the `Image` constructor). */
export interface NamedContextHooks {
  fresh(base: Base): Image;
  append(image: Image, step: Step): Image;
  isImage(value: unknown): value is Image;
}

/** The names a Dockerfile reserves: BuildKit never looks these up as contexts. */
const RESERVED: ReadonlySet<string> = new Set(['scratch', 'context']);

/**
 * A name as BuildKit's frontend compares context names: the Docker reference in its short form, `:latest` dropped
 * (`docker.io/library/alpine:latest` → `alpine`, `ghcr.io/o/r:1` stays); `undefined` for text that is no reference.
 */
export function contextName(name: string): string | undefined {
  let parsed;
  try {
    parsed = parseImageRef(name);
  } catch {
    return undefined;
  }
  const path = parsed.domain === 'docker.io' ? (/^library\/[^/]+$/.test(parsed.path) ? parsed.path.slice('library/'.length) : parsed.path) : `${parsed.domain}/${parsed.path}`;
  const full = `${path}${parsed.tag === undefined ? '' : `:${parsed.tag}`}${parsed.digest === undefined ? '' : `@${parsed.digest}`}`;
  return full.endsWith(':latest') ? full.slice(0, -':latest'.length) : full;
}

/** The named context a stage name, `FROM` reference or `--from=` value stands for, if any. */
export function lookupContext<C extends NamedContext>(contexts: ReadonlyMap<string, C>, name: string): C | undefined {
  if (contexts.size === 0 || RESERVED.has(name.toLowerCase())) return undefined;
  const key = contextName(name);
  return key === undefined ? undefined : contexts.get(key);
}

const NO_OPTIONS: Pick<CopyStep, 'owner' | 'mode' | 'link' | 'force'> = { owner: undefined, mode: undefined, link: undefined, force: 'none' };

/**
 * Named contexts checked and made into what the reader uses. `what(name)` names an entry in messages (`contexts["x"]`,
 * `--build-context x=…`). A relative local directory stays relative to the build context, or is resolved against
 * `localBase` when given (the CLI's directory for `--build-context`).
 */
export function namedContexts(
  input: unknown,
  what: (name: string) => string,
  site: v.Site,
  hooks: NamedContextHooks,
  localBase?: string,
): ReadonlyMap<string, NamedContext> {
  const out = new Map<string, NamedContext>();
  if (input === undefined) return out;
  if (typeof input !== 'object' || input === null || Array.isArray(input) || hooks.isImage(input)) {
    invalidArgument(`contexts must be an object of context names to values, e.g. { base: 'docker-image://alpine:3.19', src: '../lib' }, got ${v.show(input)}`, site);
  }
  const plain = new Map<string, ContextValue>();
  const perPlatform = new Map<string, Map<string, ContextValue>>();
  for (const [given, value] of Object.entries(input as Record<string, unknown>)) {
    // NAME::PLATFORM: the context for builds for that platform only.
    const sep = given.indexOf('::');
    const name = sep === -1 ? given : given.slice(0, sep);
    const key = contextName(name);
    if (key === undefined) {
      invalidArgument(`${what(given)}: ${v.show(name)} is not a valid context name; a name is a stage name or an image reference as FROM writes it (lowercase), such as "base" or "alpine:3.19"`, site);
    }
    if (RESERVED.has(key)) {
      invalidArgument(`${what(given)}: the name ${v.show(name)} is reserved in a Dockerfile (FROM scratch is the empty image, "context" the build context) and cannot be replaced; name the context after a stage or an image the Dockerfile uses`, site);
    }
    const platform = sep === -1 ? undefined : contextPlatform(given.slice(sep + 2), what(given), site);
    const shownKey = platform === undefined ? key : `${key}::${platform}`;
    const byPlatform = platform === undefined ? undefined : (perPlatform.get(key) ?? new Map<string, ContextValue>());
    if (platform === undefined ? plain.has(key) : byPlatform?.has(platform) === true) {
      invalidArgument(`${what(given)}: the context ${v.show(shownKey)} was given twice (${v.show(given)} is the same name); give it once`, site);
    }
    const parsed = namedContext(value, what(given), site, hooks, localBase);
    if (byPlatform === undefined || platform === undefined) plain.set(key, parsed);
    else perPlatform.set(key, byPlatform.set(platform, parsed));
  }
  for (const key of new Set([...plain.keys(), ...perPlatform.keys()])) {
    const byPlatform = perPlatform.get(key);
    const value = plain.get(key);
    out.set(key, byPlatform === undefined ? (value as ContextValue) : { kind: 'per-platform', name: key, byPlatform, plain: value });
  }
  return out;
}

/**
 * The platform of a `NAME::PLATFORM` context key, normalised as BuildKit's frontend writes the key it looks up
 * (`linux/aarch64` and `linux/arm64/v8` are `linux/arm64`).
 */
function contextPlatform(text: string, what: string, site: v.Site): string {
  if (text === '') {
    invalidArgument(`${what}: no platform after "::"; write NAME::OS/ARCH[/VARIANT], such as base::linux/arm64`, site);
  }
  try {
    return formatPlatform(normalizePlatform(text, 'platform', site));
  } catch (err) {
    const reason = err instanceof KilnError ? err.message : String(err);
    return invalidArgument(`${what}: ${v.show(text)} is not a platform (${reason}); write NAME::OS/ARCH[/VARIANT], such as base::linux/arm64 or base::linux/arm/v7`, site);
  }
}

function namedContext(value: unknown, what: string, site: v.Site, hooks: NamedContextHooks, localBase: string | undefined): ContextValue {
  if (hooks.isImage(value)) return { kind: 'image', image: value, shown: 'an Image' };
  if (typeof value !== 'string' || value.trim() === '') {
    return invalidArgument(`${what} must be an Image, a local directory, docker-image://REF, oci-layout://DIR, a git repository URL or an https:// URL, got ${v.show(value)}`, site);
  }
  const bad = (reason: string, hint?: string): never => invalidArgument(`${what}: ${v.show(value)} ${reason}`, site, hint === undefined ? {} : { hint });
  if (value.startsWith('docker-image://')) {
    const ref = value.slice('docker-image://'.length);
    try {
      return { kind: 'registry', ref: parseImageRef(ref).normalized, shown: value };
    } catch (err) {
      return bad(`is not an image reference: ${(err as Error).message}`);
    }
  }
  if (value.startsWith('target:')) {
    return bad('names a Bake target, which only docker buildx bake resolves', 'Build that image in kiln and pass it: contexts: { name: Image.fromDockerfile(path, { target: "stage" }) } (a module).');
  }
  if (value.startsWith('oci-layout://')) {
    // As buildx reads it: oci-layout://DIR[:TAG|@sha256:…], a relative DIR from the current directory.
    const parts = splitOciLayoutValue(value.slice('oci-layout://'.length));
    if (parts.dir === '') bad('names no directory', 'Write oci-layout://DIR, oci-layout://DIR:TAG or oci-layout://DIR@sha256:….');
    const base = ociLayoutBase(parts.dir, { tag: parts.tag, digest: parts.digest }, what, site, localBase);
    return { kind: 'image', image: hooks.fresh(base), shown: value, ociLayout: base };
  }
  if (isGitRepositoryUrl(value)) {
    const problem = gitUrlProblem('the git repository', value);
    if (problem !== undefined) bad(`is not a git repository to clone: ${problem}`);
    const parts = splitGitUrl(value);
    const step = copyStep(`context ${value}`, { kind: 'git', remote: parts.remote, ref: parts.ref, keepGitDir: false, path: posix.join('/', parts.subdir) }, '/', true, NO_OPTIONS, 'dockerfile');
    return { kind: 'image', image: hooks.append(hooks.fresh({ kind: 'scratch' }), step), shown: value };
  }
  if (/^https?:\/\//i.test(value)) {
    if (!URL.canParse(value)) bad('is not a valid URL');
    // BuildKit's frontend gives an http context as the downloaded file, named "context" (not unpacked).
    const step = copyStep(`context ${value}`, { kind: 'http', url: value, checksum: undefined, path: '/context' }, '/context', false, NO_OPTIONS, 'dockerfile');
    return { kind: 'image', image: hooks.append(hooks.fresh({ kind: 'scratch' }), step), shown: value };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return bad('has a scheme kiln does not take for a context', 'A context is a local directory, docker-image://REF, oci-layout://DIR[:TAG], a git repository URL (https://host/o/r.git#REF) or an http(s):// URL.');
  }
  // `--build-context src=../lib` names a directory beside the current one, as buildx reads it.
  const home = value === '~' || value.startsWith('~/');
  const dir = localBase === undefined || home ? v.localPath(value, what, site) : v.localPath(resolveHostPath(localBase, value), what, site);
  let isDir: boolean;
  try {
    isDir = statSync(onDisk(dir)).isDirectory();
  } catch {
    return bad('is not a directory here', 'A local context is a directory, relative to the build context (kiln build --context, default the current directory).');
  }
  if (!isDir) bad('is a file, not a directory', 'A local context is a directory; for one file, give its directory and COPY --from=NAME the file.');
  // As BuildKit's frontend reads a local named context: the .dockerignore at its root filters it (read when compiled,
  // as addLocalDir's { dockerignore: true }).
  const ignoreFiles = [{ path: posix.join(dir, '.dockerignore'), syntax: 'docker' as const, optional: true }];
  const step = copyStep(`context ${value}`, { kind: 'local', local: { root: dir, include: [], exclude: [], ignoreFiles }, path: '/' }, '/', true, NO_OPTIONS, 'dockerfile');
  return { kind: 'image', image: hooks.append(hooks.fresh({ kind: 'scratch' }), step), shown: value, localDir: dir };
}

/**
 * The build context a git repository's build needs for these named contexts: the deepest directory holding every
 * local one (all absolute), else `fallback`.
 */
export function contextHolding(contexts: ReadonlyMap<string, NamedContext>, fallback: string): string {
  const values = [...contexts.values()].flatMap((c) => (c.kind === 'per-platform' ? [...c.byPlatform.values(), ...(c.plain === undefined ? [] : [c.plain])] : [c]));
  const dirs = values.flatMap((c) => (c.kind === 'image' && c.localDir !== undefined ? [c.localDir] : []));
  if (dirs.length === 0) return fallback;
  let common = (dirs[0] as string).split('/');
  for (const d of dirs.slice(1)) {
    const parts = d.split('/');
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  const joined = common.join('/');
  return joined === '' ? '/' : joined;
}
