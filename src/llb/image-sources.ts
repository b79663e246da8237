/**
 * The `docker-image://` sources of a marshalled definition, per platform: listing them (what a lock file must
 * record) and pinning them to manifest digests from a lookup such as a lock file (so a later build starts from
 * exactly the recorded bases, whatever the tags point at by then).
 *
 * Unlike `pinImageSources` (one digest per reference), pins here are looked up per platform, the way lock files
 * store them: the same tag names a different manifest on amd64 and arm64.
 */
import { invalidArgument } from '../errors.js';
import { isSha256Digest } from '../sha256-digest.js';
import { decodeDefinition } from './decode.js';
import { type Definition, makeDefinition } from './definition.js';
import { parseImageRef } from './image-ref.js';
import { formatPlatform } from './platform.js';
import type { PbPlatform } from './pb.js';
import { rewriteDefinition } from './rewrite.js';

const PREFIX = 'docker-image://';

/** One image a definition builds from, on one platform. */
export interface ImageSourceUse {
  /** Normalised reference without any digest, e.g. `docker.io/library/busybox:latest`. */
  readonly ref: string;
  /** The digest the source already pins (`name@sha256:…`), if any. */
  readonly digest: string | undefined;
  /** `os/arch[/variant]` of the source op; `undefined` when the op names no platform (the daemon's default applies). */
  readonly platform: string | undefined;
}

/** Looks up the digest pinned for a normalised reference on a platform (`ImageLock#get` fits). */
export interface ImagePinLookup {
  get(ref: string, platform: string): string | undefined;
}

/** A source that {@link pinImagesPerPlatform} pinned. */
export interface PinnedImageSource {
  readonly ref: string;
  readonly platform: string;
  readonly digest: string;
}

function platformText(p: PbPlatform | undefined): string | undefined {
  if (p === undefined || p.os === '' || p.architecture === '') return undefined;
  return formatPlatform({ os: p.os, architecture: p.architecture, ...(p.variant === '' ? {} : { variant: p.variant }) });
}

function splitRef(identifier: string): { ref: string; digest: string | undefined } | undefined {
  if (!identifier.startsWith(PREFIX)) return undefined;
  const parsed = parseImageRef(identifier.slice(PREFIX.length));
  const name = `${parsed.domain}/${parsed.path}`;
  return { ref: parsed.tag === undefined ? name : `${name}:${parsed.tag}`, digest: parsed.digest };
}

/** A {@link Definition} for bytes (ops, digests and metadata kept; source maps are not carried by Definition). */
export function definitionFromBytes(bytes: Uint8Array): Definition {
  const decoded = decodeDefinition(bytes);
  return makeDefinition(
    decoded.ops.map((o) => o.bytes),
    decoded.ops.map((o) => o.digest),
    decoded.metadata,
    decoded.head,
  );
}

/**
 * Every `docker-image://` source of `def`, once per (reference, digest, platform), sorted by reference then
 * platform.
 *
 * @example
 * listImageSources(marshal(image('python:3.11-slim').run('true').root()))
 * // [{ ref: 'docker.io/library/python:3.11-slim', digest: undefined, platform: 'linux/amd64' }]
 */
export function listImageSources(def: Definition | Uint8Array): ImageSourceUse[] {
  const seen = new Map<string, ImageSourceUse>();
  for (const entry of decodeDefinition(def).ops) {
    if (entry.op.op?.type !== 'source') continue;
    const split = splitRef(entry.op.op.source.identifier);
    if (split === undefined) continue;
    const use: ImageSourceUse = { ...split, platform: platformText(entry.op.platform) };
    seen.set(`${use.ref}\0${use.digest ?? ''}\0${use.platform ?? ''}`, use);
  }
  return [...seen.values()].sort((a, b) => cmp(a.ref, b.ref) || cmp(a.platform ?? '', b.platform ?? '') || cmp(a.digest ?? '', b.digest ?? ''));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Pins every `docker-image://` source that has no digest yet to the digest `pins` records for its reference and
 * platform (`name:tag@sha256:…`; the tag stays for readability, the digest decides). Sources without a platform are
 * looked up under `defaultPlatform` (the daemon's), and left alone when it is not given. Every op depending on a
 * pinned source gets a new digest; metadata moves along.
 *
 * @returns the pinned definition (the same object when nothing was pinned) and what was pinned
 */
export function pinImagesPerPlatform(
  def: Definition,
  pins: ImagePinLookup,
  options: { readonly defaultPlatform?: string } = {},
): { readonly definition: Definition; readonly pinned: readonly PinnedImageSource[] } {
  const pinned = new Map<string, PinnedImageSource>();
  const definition = rewriteDefinition(def, (op) => {
    if (op.op?.type !== 'source') return op;
    const split = splitRef(op.op.source.identifier);
    if (split === undefined || split.digest !== undefined) return op;
    const platform = platformText(op.platform) ?? options.defaultPlatform;
    if (platform === undefined) return op;
    const digest = pins.get(split.ref, platform);
    if (digest === undefined) return op;
    if (!isSha256Digest(digest)) invalidArgument(`the pin of ${split.ref} on ${platform} is ${JSON.stringify(digest)}, not a sha256:<64 hex> digest`, pinImagesPerPlatform);
    pinned.set(`${split.ref}\0${platform}`, { ref: split.ref, platform, digest });
    return { ...op, op: { type: 'source', source: { ...op.op.source, identifier: `${PREFIX}${split.ref}@${digest}` } } };
  });
  return { definition, pinned: [...pinned.values()].sort((a, b) => cmp(a.ref, b.ref) || cmp(a.platform, b.platform)) };
}
