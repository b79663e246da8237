/**
 * Resolving the base images of a definition to manifest digests through the daemon (`ResolveImageConfig` on the
 * gateway, so the daemon's registry mirrors and the session's credentials apply) — what a lock file records so that
 * later builds, here or on another machine, start from the same bases and hit the same cache.
 */
import { listImageSources, type ImagePinLookup } from '../llb/image-sources.js';
import { formatPlatform, normalizePlatform, type PlatformInput } from '../llb/platform.js';
import type { Gateway } from './build.js';
import { definitionBytes, type DefinitionSource } from './definition-source.js';

/** One base image of a definition and the digest it resolved (or was already pinned) to. */
export interface ResolvedImageDigest {
  /** Normalised reference, e.g. `docker.io/library/python:3.11-slim`. */
  readonly ref: string;
  /** `os/arch[/variant]`. */
  readonly platform: string;
  /**
   * Manifest digest; `undefined` when the daemon reported none (dockerd answers with an empty digest for an image
   * it took from its own store in resolve mode `default`/`local`).
   */
  readonly digest: string | undefined;
  /** True when the digest came from `pins` rather than from the daemon. */
  readonly locked: boolean;
}

/** Options of {@link resolveImageDigests}. */
export interface ResolveImageDigestsOptions {
  /** Digests already recorded (a lock); those images are not asked about again. */
  readonly pins?: ImagePinLookup | undefined;
  /**
   * How the daemon resolves (default `pull`: ask the registry, which always yields the manifest digest; `default`
   * lets dockerd answer from its image store without one).
   */
  readonly resolveMode?: 'default' | 'pull' | 'local' | undefined;
  /** Platform for sources that name none (default: the daemon's first worker platform, else linux/amd64). */
  readonly defaultPlatform?: PlatformInput | undefined;
}

/**
 * Resolves every `docker-image://` source of `definition` that is not pinned by a digest yet, once per reference and
 * platform, in reference order. Call it inside a gateway build ({@link Client.build}); {@link Client.resolveImageDigests}
 * does that for you.
 *
 * @example
 * let digests: ResolvedImageDigest[] = [];
 * await client.build({}, async (gw) => {
 *   digests = await resolveImageDigests(gw, def);
 *   return {};
 * });
 */
export async function resolveImageDigests(gateway: Gateway, definition: DefinitionSource, options: ResolveImageDigestsOptions = {}): Promise<ResolvedImageDigest[]> {
  const worker = gateway.workers[0]?.platforms[0];
  const fallback = formatPlatform(normalizePlatform(options.defaultPlatform ?? (worker === undefined ? 'linux/amd64' : worker), 'defaultPlatform', resolveImageDigests));
  const wanted = new Map<string, { ref: string; platform: string }>();
  for (const use of listImageSources(definitionBytes(definition))) {
    if (use.digest !== undefined) continue;
    const platform = use.platform ?? fallback;
    wanted.set(`${use.ref}\0${platform}`, { ref: use.ref, platform });
  }
  return Promise.all(
    [...wanted.values()].map(async ({ ref, platform }): Promise<ResolvedImageDigest> => {
      const pinned = options.pins?.get(ref, platform);
      if (pinned !== undefined) return { ref, platform, digest: pinned, locked: true };
      const p = normalizePlatform(platform);
      const res = await gateway.resolveImageConfig(ref, {
        platform: { os: p.os, architecture: p.architecture, ...(p.variant === undefined ? {} : { variant: p.variant }) },
        resolveMode: options.resolveMode ?? 'pull',
        logName: `[internal] resolve ${ref} for the lock (${platform})`,
      });
      return { ref, platform, digest: res.digest === '' ? undefined : res.digest, locked: false };
    }),
  );
}
