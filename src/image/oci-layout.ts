/**
 * An OCI image layout directory on this machine as a base image (`Image.fromOciLayout(dir)`, a Dockerfile context
 * `oci-layout://DIR[:TAG|@DIGEST]`): what `kiln build -o type=oci` (unpacked), `skopeo copy … oci:DIR:TAG` or an
 * air-gapped bundle leaves.
 *
 * Everything is read here, offline, when the image is compiled: `index.json` picks the entry (by tag, by digest, or
 * the only one), an image index in it picks the manifest of the build's platform, and the manifest's config blob gives
 * the image config (Env, WorkingDir, User, Cmd…). The definition then names the manifest by digest, so it does not
 * depend on anything but the layout's contents and path. The daemon reads the blobs through the session's Content
 * service, from the store `oci:<store id>` (a read-only store over the directory; see `content-store.ts`).
 *
 * Every file read is a blob named by a checked digest under `blobs/`, or `index.json`; a blob whose real path leaves
 * the layout's `blobs` directory is refused.
 *
 * Internal module.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { KilnError, invalidArgument } from '../errors.js';
import { formatPlatform, normalizePlatform, type Platform, type PlatformInput } from '../llb/index.js';
import { type ImageConfig, parseImageConfig } from './oci-config.js';
import { captureStepSource } from './step-source.js';
import type { Base } from './steps.js';
import { nonEmpty, show, type Site } from './validate.js';
import { isRecord } from '../json-record.js';
import { localFileExists, readLocalBytes } from './local-reads.js';
import { expandHomePath } from '../home-path.js';

/** The annotation naming an entry of a layout's index (`skopeo copy … oci:DIR:TAG`, BuildKit's oci exporter). */
const REF_NAME = 'org.opencontainers.image.ref.name';
/** The annotation containerd (and BuildKit's oci exporter) puts the full image name in. */
const IMAGE_NAME = 'io.containerd.image.name';
const INDEX_TYPES: ReadonlySet<string> = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const MANIFEST_TYPES: ReadonlySet<string> = new Set(['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json']);
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Larger than any index, manifest or config a real image has: such a file is not one. */
const MAX_JSON_BYTES = 16 << 20;

/** Which image of a layout (at most one of `tag` and `digest`). */
export interface OciLayoutSelector {
  /** The entry of `index.json` with this tag (`org.opencontainers.image.ref.name`). */
  readonly tag?: string | undefined;
  /** A manifest or image index of the layout, by digest. */
  readonly digest?: string | undefined;
}

/** A layout image resolved for one platform. */
export interface ResolvedOciLayout {
  /** The layout directory (absolute, symlinks resolved). */
  readonly dir: string;
  /** The store id the source op names; the session serves the layout as `oci:<storeId>`. */
  readonly storeId: string;
  /** The image manifest's digest. */
  readonly manifestDigest: string;
  readonly config: ImageConfig;
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly platform: Platform | undefined;
  readonly annotations: Readonly<Record<string, string>>;
}

function fail(message: string, hint: string): never {
  throw new KilnError('invalid_argument', message, { hint });
}

/** How a layout is shown in messages: `DIR`, `DIR:TAG` or `DIR@DIGEST`. */
export function showOciLayout(dir: string, selector: OciLayoutSelector): string {
  return `${dir}${selector.tag !== undefined ? `:${selector.tag}` : selector.digest !== undefined ? `@${selector.digest}` : ''}`;
}

/**
 * The name a Dockerfile's `FROM` gives a layout, for buildx's `--build-context NAME=oci-layout://DIR`: `oci-` and the
 * directory's name, as a lowercase reference.
 */
export function ociContextName(dir: string): string {
  const base = dir.split(/[\\/]/).filter((p) => p !== '').pop() ?? 'layout';
  const name = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `oci-${name === '' ? 'layout' : name}`;
}

/** The store id of a layout directory: the same directory always gets the same id (so the definition is stable). */
export function ociLayoutStoreId(dir: string): string {
  return `kiln-${createHash('sha256').update(dir).digest('hex').slice(0, 24)}`;
}

/** The layout directory, absolute with symlinks resolved; refused when it is missing or has no `index.json`. */
export function ociLayoutDir(path: string, cwd?: string): string {
  // Where fromDockerfile's path is: from the current directory (the build context, while kiln build loads a module),
  // `~/` from home; unlike a file the image copies, a layout may lie outside the context (it is not sent with it).
  const abs = resolve(cwd ?? process.cwd(), expandHomePath(path));
  // A watch (kiln build --watch) builds again when the layout's index changes, or appears.
  localFileExists(join(abs, 'index.json'));
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    const relative = cwd === undefined && !isAbsolute(expandHomePath(path));
    return fail(
      `the OCI layout ${abs} does not exist`,
      `Give the directory an OCI layout was written to (it holds index.json, oci-layout and blobs/), e.g. by skopeo copy docker://IMAGE oci:DIR:TAG.${relative ? ' A relative path is relative to the build context (kiln build --context DIR; default the current directory), not to the module.' : ''}`,
    );
  }
  if (!statSync(real).isDirectory()) {
    fail(`the OCI layout ${abs} is a file, not a directory`, 'Unpack an OCI layout tarball first (mkdir DIR && tar -xf FILE -C DIR) and give the directory.');
  }
  try {
    if (!statSync(join(real, 'index.json')).isFile()) throw new Error('not a file');
  } catch {
    fail(`${abs} is not an OCI layout: it has no index.json`, 'Give the directory an OCI layout was written to (index.json, oci-layout and blobs/ are at its top).');
  }
  return real;
}

/** `path` parsed as a JSON object; `read` is how its bytes are read (`readLocalBytes` for a file a watch follows). */
function readJson(path: string, what: string, read: (path: string) => Buffer = readFileSync): Record<string, unknown> {
  let bytes: Buffer;
  try {
    if (statSync(path).size > MAX_JSON_BYTES) fail(`${what} (${path}) is larger than ${MAX_JSON_BYTES} bytes, which no image index, manifest or config is`, 'Check that the layout is an OCI image layout.');
    bytes = read(path);
  } catch (err) {
    if (err instanceof KilnError) throw err;
    throw new KilnError('io', `cannot read ${what} (${path}): ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return fail(`${what} (${path}) is not JSON: ${(err as Error).message}`, 'Write the layout again (skopeo copy, kiln build -o type=oci); it is damaged.');
  }
  if (!isRecord(raw)) fail(`${what} (${path}) is not a JSON object`, 'Write the layout again; it is damaged.');
  return raw;
}

/** A blob's path after checking the digest's form and that, symlinks resolved, it stays in the layout's blobs. */
function blobPath(dir: string, digest: string, what: string): string {
  if (!DIGEST.test(digest)) fail(`${what} names the blob ${JSON.stringify(digest)}, which is not a sha256:<64 hex> digest`, 'Write the layout again; kiln reads sha256 layouts only.');
  const path = join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return fail(`the OCI layout ${dir} lacks the blob ${digest} (${what})`, 'The layout is incomplete: write it again (skopeo copy, kiln build -o type=oci).');
  }
  if (!real.startsWith(join(dir, 'blobs') + sep)) fail(`the blob ${digest} of the OCI layout ${dir} resolves to ${real}, outside its blobs directory`, 'Replace the link with the blob itself.');
  return real;
}

function readBlobJson(dir: string, digest: string, what: string): Record<string, unknown> {
  const path = blobPath(dir, digest, what);
  const raw = readJson(path, what);
  const actual = `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  if (actual !== digest) fail(`the blob ${digest} of the OCI layout ${dir} holds content of digest ${actual}`, 'The layout is damaged: write it again.');
  return raw;
}

function descriptors(raw: Record<string, unknown>, what: string): Descriptor[] {
  const list = raw['manifests'];
  if (!Array.isArray(list)) fail(`${what} has no "manifests" list`, 'Check that the layout is an OCI image layout.');
  return list.filter(isRecord).map((d) => {
    const platform = isRecord(d['platform']) && typeof d['platform']['os'] === 'string' && typeof d['platform']['architecture'] === 'string'
      ? { os: d['platform']['os'], architecture: d['platform']['architecture'], ...(typeof d['platform']['variant'] === 'string' && d['platform']['variant'] !== '' ? { variant: d['platform']['variant'] } : {}) }
      : undefined;
    const annotations = isRecord(d['annotations']) ? Object.fromEntries(Object.entries(d['annotations']).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
    return { mediaType: typeof d['mediaType'] === 'string' ? d['mediaType'] : '', digest: typeof d['digest'] === 'string' ? d['digest'] : '', platform, annotations };
  });
}

/** The tag an index entry is known by, or undefined. */
function tagOf(d: Descriptor): string | undefined {
  return d.annotations[REF_NAME] ?? d.annotations[IMAGE_NAME];
}

function hasTag(d: Descriptor, tag: string): boolean {
  const name = d.annotations[IMAGE_NAME];
  return d.annotations[REF_NAME] === tag || name === tag || (name !== undefined && name.endsWith(`:${tag}`) && !tag.includes('/'));
}

/**
 * The entries of `index.json` the selector picks (several only when they share a tag, e.g. one per platform).
 * Refused: a tag the layout lacks, a digest it has no blob of, and several images with no tag given.
 */
export function selectOciLayoutEntries(dir: string, selector: OciLayoutSelector): readonly Descriptor[] {
  // Only index.json is followed by a watch: every blob is named by digest from it, so a layout written again changes it.
  const entries = descriptors(readJson(join(dir, 'index.json'), `the index of the OCI layout ${dir}`, readLocalBytes), `${join(dir, 'index.json')}`);
  const tags = [...new Set(entries.map(tagOf).filter((t): t is string => t !== undefined))];
  const known = tags.length === 0 ? 'it has no tagged entries' : `its tags: ${tags.join(', ')}`;
  if (selector.digest !== undefined) {
    const listed = entries.filter((d) => d.digest === selector.digest);
    if (listed.length > 0) return listed.slice(0, 1);
    const path = blobPath(dir, selector.digest, `the digest ${selector.digest} given for ${dir}`);
    const raw = readJson(path, `the blob ${selector.digest}`);
    const mediaType = typeof raw['mediaType'] === 'string' ? raw['mediaType'] : Array.isArray(raw['manifests']) ? [...INDEX_TYPES][0] as string : [...MANIFEST_TYPES][0] as string;
    return [{ mediaType, digest: selector.digest, platform: undefined, annotations: {} }];
  }
  if (entries.length === 0) fail(`the OCI layout ${dir} holds no images (its index.json lists no manifests)`, 'Write an image into it first (skopeo copy docker://IMAGE oci:DIR:TAG).');
  if (selector.tag !== undefined) {
    const tag = selector.tag;
    const found = entries.filter((d) => hasTag(d, tag));
    if (found.length === 0) fail(`the OCI layout ${dir} has no image tagged ${JSON.stringify(tag)} (${known})`, `Give one of its tags (${dir}:TAG) or a digest (${dir}@sha256:…).`);
    return found;
  }
  if (entries.length === 1) return entries;
  const distinct = new Set(entries.map((d) => tagOf(d) ?? d.digest));
  if (distinct.size === 1) return entries;
  return fail(
    `the OCI layout ${dir} holds ${entries.length} images and no tag was given (${known})`,
    `Name one: a tag (${dir}:TAG, { tag }) or a digest (${dir}@sha256:…, { digest }).`,
  );
}

function samePlatform(a: Platform, b: Platform): boolean {
  return formatPlatform(normalizePlatform(a)) === formatPlatform(normalizePlatform(b));
}

/** An attestation manifest (BuildKit's provenance/SBOM, `unknown/unknown`) is no image to build on. */
function isAttestation(d: Descriptor): boolean {
  return d.annotations['vnd.docker.reference.type'] === 'attestation-manifest' || (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown');
}

/**
 * The image of the layout for `platform`: the manifest (following image indexes) and its config. Refused when the
 * layout has no image for the platform, naming the platforms it has.
 */
export function resolveOciLayout(dir: string, selector: OciLayoutSelector, platform: Platform): ResolvedOciLayout {
  const shown = showOciLayout(dir, selector);
  const manifests: { digest: string; platform: Platform | undefined }[] = [];
  const visit = (list: readonly Descriptor[], depth: number): void => {
    for (const d of list) {
      if (isAttestation(d)) continue;
      const what = `${d.digest} in the OCI layout ${dir}`;
      if (INDEX_TYPES.has(d.mediaType)) {
        if (depth > 4) fail(`the image indexes of ${shown} nest deeper than 4 levels`, 'Write the layout again; it is not an image layout kiln can read.');
        visit(descriptors(readBlobJson(dir, d.digest, `the image index ${what}`), `the image index ${what}`), depth + 1);
      } else if (MANIFEST_TYPES.has(d.mediaType) || d.mediaType === '') {
        manifests.push({ digest: d.digest, platform: d.platform });
      }
    }
  };
  visit(selectOciLayoutEntries(dir, selector), 0);
  const read = (digest: string): { manifest: Record<string, unknown>; config: ImageConfig } => {
    const manifest = readBlobJson(dir, digest, `the manifest ${digest} of ${shown}`);
    const cfg = manifest['config'];
    if (!isRecord(cfg) || typeof cfg['digest'] !== 'string') fail(`the manifest ${digest} of ${shown} names no config`, 'Write the layout again; it is damaged.');
    const configDigest = cfg['digest'];
    const bytes = readFileSync(blobPath(dir, configDigest, `the config of ${shown}`));
    return { manifest, config: parseImageConfig(bytes, shown) };
  };
  const platformOf = (c: ImageConfig): Platform => ({ os: c.os, architecture: c.architecture, ...(c.variant === undefined ? {} : { variant: c.variant }) });
  const candidates = manifests.filter((m) => m.platform === undefined || samePlatform(m.platform, platform));
  for (const m of candidates) {
    const { config } = read(m.digest);
    if (samePlatform(platformOf(config), platform)) return { dir, storeId: ociLayoutStoreId(dir), manifestDigest: m.digest, config };
  }
  const has = [...new Set(manifests.map((m) => formatPlatform(normalizePlatform(m.platform ?? platformOf(read(m.digest).config)))))];
  return fail(
    `${shown} has no image for ${formatPlatform(platform)} (it has ${has.length === 0 ? 'no images' : has.join(', ')})`,
    `Build for a platform it has (--platform ${has[0] ?? 'linux/amd64'}), or write the ${formatPlatform(platform)} image into the layout (skopeo copy --override-arch, kiln build --platform … -o type=oci).`,
  );
}

/** The base of an image read from an OCI layout. */
export type OciLayoutBase = Extract<Base, { kind: 'oci-layout' }>;

/**
 * The base `Image.fromOciLayout(dir, options)` (or an `oci-layout://` context) stands for, checked now against the
 * layout on disk: the directory and its `index.json` exist, and the tag or digest (or the only image) is there; with
 * `platform`, that its image is too. `what` names the argument in messages.
 */
export function ociLayoutBase(
  dir: string,
  options: { readonly tag?: unknown; readonly digest?: unknown; readonly platform?: unknown },
  what: string,
  site: Site,
  cwd?: string,
): OciLayoutBase {
  const tag = options.tag === undefined ? undefined : nonEmpty(options.tag, `${what} tag`, site, 'pass a tag of the layout, such as "latest"');
  const digest = options.digest === undefined ? undefined : nonEmpty(options.digest, `${what} digest`, site, 'pass "sha256:<64 hex>"');
  if (digest !== undefined && !DIGEST.test(digest)) invalidArgument(`${what} digest ${show(digest)} must be "sha256:<64 lowercase hex>"`, site);
  if (tag !== undefined && digest !== undefined) invalidArgument(`${what}: give a tag or a digest, not both (got ${show(tag)} and ${show(digest)})`, site);
  if (tag !== undefined && /[\s@]/.test(tag)) invalidArgument(`${what} tag ${show(tag)} must not contain whitespace or "@"`, site);
  const platform = options.platform === undefined ? undefined : normalizePlatform(options.platform as PlatformInput, `${what} platform`, site);
  try {
    const real = ociLayoutDir(dir, cwd);
    const selector = { tag, digest };
    selectOciLayoutEntries(real, selector);
    if (platform !== undefined) resolveOciLayout(real, selector, platform);
    return { kind: 'oci-layout', dir: real, tag, digest, platform, source: captureStepSource() };
  } catch (err) {
    if (!KilnError.is(err, 'invalid_argument')) throw err;
    return invalidArgument(`${what}: ${err.message}`, site, err.hint === undefined ? {} : { hint: err.hint });
  }
}

/**
 * `DIR`, `DIR:TAG` or `DIR@sha256:…` as buildx's `oci-layout://` value takes it: the tag is what follows the last ":"
 * after the last "/" (so `C:\layout` and `./a:b/layout` stay paths).
 */
export function splitOciLayoutValue(value: string): { readonly dir: string; readonly tag: string | undefined; readonly digest: string | undefined } {
  const at = value.lastIndexOf('@');
  if (at > 0 && /^sha256:/.test(value.slice(at + 1))) return { dir: value.slice(0, at), tag: undefined, digest: value.slice(at + 1) };
  const slash = Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\'));
  const colon = value.lastIndexOf(':');
  if (colon > slash && colon > 1) return { dir: value.slice(0, colon), tag: value.slice(colon + 1), digest: undefined };
  return { dir: value, tag: undefined, digest: undefined };
}
