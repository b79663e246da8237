/**
 * The client's half of BuildKit's `local` cache backend (`--cache-to type=local,dest=DIR`,
 * `--cache-from type=local,src=DIR`). The daemon reads and writes the cache blobs through the session's Content
 * service, one store per directory with the id `local:<dir>`; the client
 * - gives an import the `digest` the daemon requires, found in `<src>/index.json` under the entry's `tag`
 *   (default `latest`) — an import whose directory holds no cache yet is dropped with a note, so a first CI run
 *   still builds;
 * - after an export, records the manifest the daemon reports (`cache.manifest` in the exporter response) in
 *   `<dest>/index.json` under the `tag`.
 * Directories are resolved to absolute paths, and those are what the daemon is sent.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { KilnError } from '../errors.js';
import { isSha256Digest } from '../sha256-digest.js';
import { DirectoryContentStore, type ContentStore } from '../session/content-store.js';
import { makeDestinationDirectory } from '../session/destination-directory.js';
import type { CacheEntry } from './build.js';
import { buildkitRange } from './buildkit-range.js';
import type { DaemonInfo } from './client.js';
import { putOciIndexTag, readOciIndexTag, type OciDescriptor } from './oci-index.js';

/** The exporter response key under which the daemon reports the exported cache manifest (a JSON descriptor). */
export const CACHE_MANIFEST_KEY = 'cache.manifest';

/**
 * The media type of a cache stored as an OCI image manifest (`image-manifest=true`, the default of BuildKit v0.21+'s
 * `local` and `registry` cache exports) rather than as an OCI index.
 */
const IMAGE_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/**
 * Whether a daemon can import a cache stored as an image manifest: BuildKit v0.12+ can; older ones (dockerd 20.10's
 * v0.8 has no version to report) take such a manifest for an image with inline cache, find none, and build without
 * the cache, saying nothing. Which BuildKit the daemon runs is judged by {@link buildkitRange}'s one rule (its version,
 * a dockerd's release, its Info call and LLB caps); a daemon that may run v0.12 or later counts as able.
 */
export function readsImageManifestCache(info: Pick<DaemonInfo, 'kind' | 'version' | 'buildkitVersion' | 'llbCaps'>): boolean {
  const range = buildkitRange(info);
  return range.max === undefined || range.max >= 12;
}

/** What {@link prepareLocalCache} may ask about the daemon (only when an import needs it). */
export interface LocalCacheDaemon {
  /** See {@link readsImageManifestCache}. */
  readsImageManifestCache(): Promise<boolean>;
}

/** The store id the daemon uses for a local cache directory. */
export function localCacheStoreId(dir: string): string {
  return `local:${dir}`;
}

/** One `local` cache export recorded in its directory's `index.json`. */
export interface LocalCacheExport {
  readonly dest: string;
  readonly tag: string;
  /** Digest of the cache manifest (an OCI index of the cache's layers and config). */
  readonly digest: string;
}

/** What a build needs for its `local` cache entries. */
export interface LocalCacheSetup {
  /** The cache imports to send: local entries with absolute `src` and their `digest`; others unchanged. */
  readonly imports: readonly CacheEntry[];
  /** The cache exports to send: local entries with absolute `dest`; others unchanged. */
  readonly exports: readonly CacheEntry[];
  /**
   * The directories' stores by store id (`local:<dir>`), empty when no local entry remains: the build serves them in
   * its one Content service, beside any OCI layout's.
   */
  readonly stores: ReadonlyMap<string, ContentStore>;
  /** Why an import was dropped (its directory holds no cache yet), for the user to see. */
  readonly notes: readonly string[];
  /** After a successful build: records the exported manifest in each export directory's `index.json`. */
  finish(exporterResponse: Readonly<Record<string, string>>): Promise<LocalCacheExport[]>;
  /** Removes the data of unfinished writes. Call once the build is over, whatever its outcome. */
  close(): Promise<void>;
}


function dirAttr(entry: CacheEntry, key: 'src' | 'dest', cwd: string): string {
  const value = entry.attrs[key];
  if (value === undefined || value === '') {
    throw new KilnError('invalid_argument', `a type=local cache ${key === 'src' ? 'import' : 'export'} needs ${key}=DIR`, {
      hint: key === 'src' ? 'Use --cache-from type=local,src=DIR.' : 'Use --cache-to type=local,dest=DIR.',
    });
  }
  return resolve(cwd, value);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Prepares the `local` entries of a build's cache imports and exports (entries of other types pass through).
 *
 * @param cwd what relative `src`/`dest` directories are relative to (default: the current directory)
 * @param daemon asked whether the daemon reads image-manifest caches, when an import's entry is one
 */
export async function prepareLocalCache(
  imports: readonly CacheEntry[],
  exports: readonly CacheEntry[],
  cwd = process.cwd(),
  daemon?: LocalCacheDaemon,
): Promise<LocalCacheSetup> {
  const stores = new Map<string, DirectoryContentStore>();
  const exportTags: { dest: string; tag: string }[] = [];
  const outExports: CacheEntry[] = [];
  for (const entry of exports) {
    if (entry.type !== 'local') {
      outExports.push(entry);
      continue;
    }
    const dest = dirAttr(entry, 'dest', cwd);
    await makeDestinationDirectory(dest, dest, 'the cache export');
    stores.set(dest, new DirectoryContentStore(dest, { writable: true }));
    exportTags.push({ dest, tag: entry.attrs['tag'] ?? 'latest' });
    outExports.push({ type: 'local', attrs: { ...entry.attrs, dest } });
  }

  const notes: string[] = [];
  const outImports: CacheEntry[] = [];
  for (const entry of imports) {
    if (entry.type !== 'local') {
      outImports.push(entry);
      continue;
    }
    const src = dirAttr(entry, 'src', cwd);
    const tag = entry.attrs['tag'] ?? 'latest';
    let digest = entry.attrs['digest'];
    if (digest !== undefined && !isSha256Digest(digest)) {
      throw new KilnError('invalid_argument', `--cache-from type=local digest=${digest} is not a sha256:<64 hex> digest`, {
        hint: 'Leave digest= out to use the entry tagged in the directory\'s index.json.',
      });
    }
    if (!(await isDirectory(src))) {
      notes.push(`no cache to import from ${src}: the directory does not exist (yet)`);
      continue;
    }
    if (digest === undefined) {
      const found = await readOciIndexTag(src, tag);
      if (found === undefined) {
        notes.push(`no cache to import from ${src}: ${join(src, 'index.json')} has no entry tagged ${JSON.stringify(tag)}`);
        continue;
      }
      if (found.mediaType === IMAGE_MANIFEST_MEDIA_TYPE && daemon !== undefined && !(await daemon.readsImageManifestCache())) {
        notes.push(
          `not importing the cache in ${src}: it is stored as an image manifest (image-manifest=true, the default of BuildKit v0.21+), ` +
            "which this daemon's BuildKit (before v0.12) cannot read: export the cache with image-manifest=false for it",
        );
        continue;
      }
      digest = found.digest;
    }
    if (!stores.has(src)) stores.set(src, new DirectoryContentStore(src, { writable: false }));
    outImports.push({ type: 'local', attrs: { ...entry.attrs, src, digest } });
  }

  const byId = new Map([...stores].map(([dir, store]) => [localCacheStoreId(dir), store]));
  return {
    imports: outImports,
    exports: outExports,
    stores: byId,
    notes,
    async finish(exporterResponse) {
      const raw = exporterResponse[CACHE_MANIFEST_KEY];
      if (exportTags.length === 0 || raw === undefined || raw === '') return [];
      let desc: OciDescriptor;
      try {
        desc = JSON.parse(raw) as OciDescriptor;
      } catch (err) {
        throw new KilnError('protocol', `the daemon's ${CACHE_MANIFEST_KEY} is not a JSON descriptor: ${(err as Error).message}`);
      }
      if (typeof desc !== 'object' || desc === null || typeof desc.digest !== 'string' || typeof desc.size !== 'number') {
        throw new KilnError('protocol', `the daemon's ${CACHE_MANIFEST_KEY} is not a descriptor with digest and size: ${raw}`);
      }
      const done: LocalCacheExport[] = [];
      for (const { dest, tag } of exportTags) {
        await putOciIndexTag(dest, tag, desc);
        done.push({ dest, tag, digest: desc.digest });
      }
      return done;
    },
    async close() {
      await Promise.all([...stores.values()].map((s) => s.dispose()));
    },
  };
}
