/**
 * `type=local` cache directories written by BuildKit v0.21+, which stores cache as an OCI image manifest by default
 * (`image-manifest=true`, cache/remotecache/local/local.go), imported on a daemon whose BuildKit cannot read that
 * format (before v0.12: it takes the manifest for an image with inline cache and builds without the cache, silently).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareLocalCache, readsImageManifestCache } from '../../src/client/local-cache.js';

const root = mkdtempSync(join(tmpdir(), 'kiln-cache-format-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DIGEST = 'sha256:' + '5a'.repeat(32);
const IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';

/** A cache directory whose index.json tags `latest` with a manifest of `mediaType`, as BuildKit's exporter leaves it. */
function cacheDir(name: string, mediaType: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: [{ mediaType, digest: DIGEST, size: 900, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] }),
  );
  return dir;
}

/** A daemon that reads (or not) image-manifest caches, counting how often kiln asked. */
function daemon(reads: boolean): { asked: number; readsImageManifestCache(): Promise<boolean> } {
  const d = {
    asked: 0,
    async readsImageManifestCache() {
      d.asked++;
      return reads;
    },
  };
  return d;
}

describe('local cache imports in the image-manifest format', () => {
  it('on a daemon that cannot read the format, the import is not sent and a note says why and what to do', async () => {
    const dir = cacheDir('im-old', IMAGE_MANIFEST);
    const old = daemon(false);
    const setup = await prepareLocalCache([{ type: 'local', attrs: { src: dir } }], [], root, old);
    expect(setup.imports).toEqual([]);
    expect(setup.notes).toEqual([
      `not importing the cache in ${dir}: it is stored as an image manifest (image-manifest=true, the default of BuildKit v0.21+), which this daemon's BuildKit (before v0.12) cannot read: export the cache with image-manifest=false for it`,
    ]);
    expect(old.asked).toBe(1);
    await setup.close();
  });

  it('on a daemon that reads it, the import is sent with the tagged digest', async () => {
    const dir = cacheDir('im-new', IMAGE_MANIFEST);
    const setup = await prepareLocalCache([{ type: 'local', attrs: { src: dir } }], [], root, daemon(true));
    expect(setup.imports).toEqual([{ type: 'local', attrs: { src: dir, digest: DIGEST } }]);
    expect(setup.notes).toEqual([]);
    await setup.close();
  });

  it('a cache in the index format (image-manifest=false, the default before BuildKit v0.21) does not ask the daemon', async () => {
    const dir = cacheDir('index', INDEX);
    const old = daemon(false);
    const setup = await prepareLocalCache([{ type: 'local', attrs: { src: dir } }], [], root, old);
    expect(setup.imports).toEqual([{ type: 'local', attrs: { src: dir, digest: DIGEST } }]);
    expect(old.asked).toBe(0);
    await setup.close();
  });
});

describe('readsImageManifestCache', () => {
  const none: ReadonlySet<string> = new Set();
  it.each<[string, string, string | undefined, boolean]>([
    ['dockerd', '20.10.24', undefined, false], // no Info call: BuildKit v0.8
    ['buildkitd', '', undefined, false], // no Info call, no caps of v0.11+: before v0.11
    ['buildkitd', '', 'v0.11.6', false],
    ['buildkitd', '', 'v0.12.0', true],
    ['buildkitd', '', 'v0.13.2', true],
    ['buildkitd', '', 'v0.32.2', true],
    ['dockerd', '26.1.5', 'v0.0.0+unknown', true], // a distribution's dockerd: its release embeds v0.13
    ['dockerd', '23.0.6', 'v0.0.0+unknown', false], // … v0.10
    ['buildkitd', '', 'v0.0.0+unknown', true], // a dev build answering Info: v0.11 or later, the daemon decides
    ['buildkitd', '', '', true], // Info with an empty version: likewise
  ])('%s %s reporting %s → %s', (kind, version, buildkitVersion, expected) => {
    expect(readsImageManifestCache({ kind: kind as 'dockerd' | 'buildkitd', version, llbCaps: none, ...(buildkitVersion === undefined ? {} : { buildkitVersion }) })).toBe(expected);
  });
});
