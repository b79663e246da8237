/**
 * `local` cache directories on real daemons. Runner A builds a step whose output is random bytes; its cache ends up
 * in a directory (an OCI layout): on a standalone buildkitd through `--cache-to type=local`, on dockerd 20.10 (which
 * cannot export local cache) by writing the layout BuildKit's local exporter produces from A's inline-cache image in
 * the registry. Runner B, a separate daemon that never ran the step, builds with `--cache-from type=local,src=DIR`:
 * the step is CACHED and the image holds A's random bytes, so the layer came out of the directory, served by kiln's
 * Content service on B's session.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { buildImage, Image } from '../../src/image/index.js';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();

interface Runner {
  readonly buildkitHost: string;
  readonly dockerHost: string;
}

function runnerFromEnvFile(file: string): Runner {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { buildkitHost: string; dockerHost: string };
  return { buildkitHost: raw.buildkitHost, dockerHost: raw.dockerHost };
}

const A: Runner = runnerFromEnvFile(env.envFile);
const B: Runner = runnerFromEnvFile(process.env['KILN_TEST_ENV_B'] ?? env.envFile.replace(/\/[^/]+\/env\.json$/, '/b/env.json'));

/** The Docker CLI against runner B's dockerd. */
function dockerB(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(env.dockerCliPath, ['-H', B.dockerHost, ...args], {
      env: { ...process.env, DOCKER_CONFIG: join(env.stateDir, 'docker-config'), DOCKER_HOST: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`docker -H ${B.dockerHost} ${args.join(' ')}: ${err}`))));
  });
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function registryGet(repo: string, path: string, accept?: string): Promise<Buffer> {
  return (await registryGetTyped(repo, path, accept)).body;
}

async function registryGetTyped(repo: string, path: string, accept?: string): Promise<{ body: Buffer; contentType: string }> {
  const res = await fetch(`${env.registry.url}/v2/${repo}/${path}`, accept === undefined ? {} : { headers: { Accept: accept } });
  if (!res.ok) throw new Error(`GET ${repo}/${path}: HTTP ${res.status}`);
  return { body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? '' };
}

interface Layout {
  put(data: Buffer): string;
  tag(desc: { mediaType: string; digest: string; size: number }, tag: string): void;
}

function layout(dir: string): Layout {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  return {
    put(data) {
      const digest = sha256(data);
      writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
      return digest;
    },
    tag(desc, tag) {
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': tag } }] }));
    },
  };
}

const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

interface PushedImage {
  /** The manifest's media type: Docker's, or OCI's (the `image` exporter's default from BuildKit v0.31 on). */
  readonly mediaType: string;
  readonly manifest: Buffer;
  readonly parsed: { config: { digest: string }; layers: { mediaType: string; digest: string; size: number }[] };
  readonly config: Buffer;
  readonly layers: Buffer[];
}

async function fetchImage(repo: string, tag: string): Promise<PushedImage> {
  // A registry answers an OCI manifest only to a client that accepts OCI manifests.
  const { body: manifest, contentType } = await registryGetTyped(repo, `manifests/${tag}`, `${MANIFEST_V2}, ${OCI_MANIFEST}`);
  const parsed = JSON.parse(manifest.toString('utf8')) as PushedImage['parsed'];
  const config = await registryGet(repo, `blobs/${parsed.config.digest}`);
  const layers = await Promise.all(parsed.layers.map((l) => registryGet(repo, `blobs/${l.digest}`)));
  return { mediaType: contentType === OCI_MANIFEST ? OCI_MANIFEST : MANIFEST_V2, manifest, parsed, config, layers };
}

/**
 * The layout BuildKit's `local` cache exporter writes, from an image carrying inline cache: every layer blob, a cache
 * config (`application/vnd.buildkit.cacheconfig.v0`: the layer chain plus the image's cache records) and an OCI index
 * listing them, tagged in index.json.
 */
function writeCacheLayout(dir: string, image: PushedImage, tag: string): void {
  const out = layout(dir);
  const cfg = JSON.parse(image.config.toString('utf8')) as { rootfs: { diff_ids: string[] }; 'moby.buildkit.cache.v0': string };
  const records = JSON.parse(Buffer.from(cfg['moby.buildkit.cache.v0'], 'base64').toString('utf8')) as unknown;
  image.layers.forEach((l) => out.put(l));
  const cacheConfig = Buffer.from(JSON.stringify({ layers: image.parsed.layers.map((l, i) => ({ blob: l.digest, parent: i - 1 })), records }));
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        ...image.parsed.layers.map((l, i) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: { 'containerd.io/uncompressed': cfg.rootfs.diff_ids[i] } })),
        { mediaType: 'application/vnd.buildkit.cacheconfig.v0', digest: out.put(cacheConfig), size: cacheConfig.length },
      ],
    }),
  );
  out.tag({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: out.put(index), size: index.length }, tag);
}

/**
 * The same cache stored as BuildKit v0.21+ stores it by default (`image-manifest=true`): an OCI image manifest whose
 * config is the cache config and whose layers are the cache's layers.
 */
function writeImageManifestCacheLayout(dir: string, image: PushedImage, tag: string): void {
  const out = layout(dir);
  const cfg = JSON.parse(image.config.toString('utf8')) as { rootfs: { diff_ids: string[] }; 'moby.buildkit.cache.v0': string };
  const records = JSON.parse(Buffer.from(cfg['moby.buildkit.cache.v0'], 'base64').toString('utf8')) as unknown;
  image.layers.forEach((l) => out.put(l));
  const cacheConfig = Buffer.from(JSON.stringify({ layers: image.parsed.layers.map((l, i) => ({ blob: l.digest, parent: i - 1 })), records }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.buildkit.cacheconfig.v0', digest: out.put(cacheConfig), size: cacheConfig.length },
      layers: image.parsed.layers.map((l, i) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: { 'containerd.io/uncompressed': cfg.rootfs.diff_ids[i] } })),
    }),
  );
  out.tag({ mediaType: OCI_MANIFEST, digest: out.put(manifest), size: manifest.length }, tag);
}

/** An image with inline cache saved as an OCI layout (what `skopeo copy docker://… oci:DIR:TAG` produces). */
function writeImageLayout(dir: string, image: PushedImage, tag: string): void {
  const out = layout(dir);
  out.put(image.config);
  image.layers.forEach((l) => out.put(l));
  out.tag({ mediaType: image.mediaType, digest: out.put(image.manifest), size: image.manifest.length }, tag);
}

let a: Client;
let infoA: DaemonInfo;
let work: string;
const tagsA: string[] = [];
const tagsB: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiln-cache-local-'));
  a = await Client.connect({ address: A.buildkitHost });
  infoA = await a.info();
});

afterAll(async () => {
  await a?.close();
  await removeImages(tagsA);
  if (tagsB.length > 0) await dockerB(['rmi', '-f', ...tagsB]).catch(() => '');
  rmSync(work, { recursive: true, force: true });
});

/** A module whose image writes 16 random bytes in a step unique to `run`. */
function writeModule(run: string): string {
  const file = join(work, `image-${run}.ts`);
  writeFileSync(
    file,
    `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
      `export default Image.fromRegistry('busybox:latest').runCommands('echo ${run} > /run && head -c 16 /dev/urandom | od -x > /rand');\n`,
  );
  return file;
}

/** Runner A builds the module's image, exports its cache and returns the random bytes its step wrote. */
async function buildOnA(run: string, cacheDir: string, flavour: 'cache' | 'image' | 'image-manifest-cache'): Promise<string> {
  const repo = `kiln-cache-local/app`;
  const ref = `${env.registry.address}/${repo}:${run}`;
  const image = Image.fromRegistry('busybox:latest').runCommands(`echo ${run} > /run && head -c 16 /dev/urandom | od -x > /rand`);
  tagsA.push(ref);
  // buildkitd and dockerd with the containerd image store export cache directories themselves.
  if ((infoA.kind === 'buildkitd' || infoA.imageStore === 'containerd') && flavour === 'cache') {
    await buildImage(a, image, {
      exporter: { type: 'image', attrs: { name: ref, push: 'true', 'registry.insecure': 'true' } },
      cacheExports: [{ type: 'local', attrs: { dest: cacheDir, mode: 'max' } }],
    });
    await dockerCli(['pull', ref]);
  } else {
    await buildImage(a, image, {
      exporter: infoA.kind === 'dockerd' ? { type: 'moby', attrs: { name: ref } } : { type: 'image', attrs: { name: ref, push: 'true', 'registry.insecure': 'true' } },
      cacheExports: [{ type: 'inline', attrs: {} }],
    });
    if (infoA.kind === 'dockerd') await dockerCli(['push', ref]);
    else await dockerCli(['pull', ref]);
    const pushed = await fetchImage(repo, run);
    if (flavour === 'cache') writeCacheLayout(cacheDir, pushed, 'latest');
    else if (flavour === 'image-manifest-cache') writeImageManifestCacheLayout(cacheDir, pushed, 'latest');
    else writeImageLayout(cacheDir, pushed, 'latest');
  }
  return (await dockerCli(['run', '--rm', '--network', 'none', ref, 'cat', '/rand'])).stdout;
}

describe('local cache directories', () => {
  it('runner B imports a cache directory through kiln build: the step is CACHED and holds runner A\'s bytes', async () => {
    expect(B.buildkitHost).not.toBe(A.buildkitHost);
    const run = `${process.pid}-${Date.now()}`;
    const cacheDir = join(work, `cache-${run}`);
    const randA = await buildOnA(run, cacheDir, 'cache');

    // The base in B's image store, as on a runner that pulled it: dockerd 20.10's BuildKit keys a base it has only in
    // its build cache by the manifest digest, which A's cache (base in A's image store) does not carry.
    await dockerB(['pull', 'busybox:latest']);
    const tagB = `kiln-cache-local/b:${run}`;
    tagsB.push(tagB);
    const module = writeModule(run);
    const r = await runKiln(['build', module, '--cache-from', `type=local,src=${cacheDir}`, '-t', tagB, '--progress', 'plain'], {
      cwd: work,
      env: { BUILDKIT_HOST: B.buildkitHost, DOCKER_HOST: B.dockerHost },
    });
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(0);
    const step = new RegExp(`^#(\\d+) echo ${run}`, 'm').exec(r.stderr);
    expect(step).not.toBeNull();
    expect(r.stderr).toContain(`#${step![1]} CACHED`);
    expect(await dockerB(['run', '--rm', '--network', 'none', tagB, 'cat', '/rand'])).toBe(randA);
  });

  it('an image with inline cache saved as an OCI layout works as a cache directory too', async () => {
    const run = `${process.pid}-${Date.now()}-img`;
    const cacheDir = join(work, `image-layout-${run}`);
    const randA = await buildOnA(run, cacheDir, 'image');
    const b = await Client.connect({ address: B.buildkitHost });
    const tagB = `kiln-cache-local/b:${run}`;
    tagsB.push(tagB);
    try {
      const built = await buildImage(b, Image.fromRegistry('busybox:latest').runCommands(`echo ${run} > /run && head -c 16 /dev/urandom | od -x > /rand`), {
        exporter: { type: 'moby', attrs: { name: `docker.io/${tagB}` } },
        cacheImports: [{ type: 'local', attrs: { src: cacheDir } }],
      });
      const ours = [...built.outcome.progress.steps.values()].filter((s) => s.name.includes(`echo ${run}`));
      expect(ours.map((s) => s.cached)).toEqual([true]);
    } finally {
      await b.close();
    }
    expect(await dockerB(['run', '--rm', '--network', 'none', tagB, 'cat', '/rand'])).toBe(randA);
  });

  it('builds without the cache when the directory holds none yet, saying so', async () => {
    const run = `${process.pid}-${Date.now()}-empty`;
    const module = writeModule(run);
    const empty = join(work, `empty-${run}`);
    mkdirSync(empty);
    const r = await runKiln(['build', module, '--cache-from', `type=local,src=${empty}`, '--progress', 'plain'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`WARN: no cache to import from ${empty}: ${join(empty, 'index.json')} has no entry tagged "latest"`);
  });

  it('a cache directory in the image-manifest format (BuildKit v0.21+\'s default) is imported where BuildKit can read it, and otherwise not, saying why', async () => {
    const run = `${process.pid}-${Date.now()}-im`;
    const cacheDir = join(work, `image-manifest-${run}`);
    await buildOnA(run, cacheDir, 'image-manifest-cache');
    const module = writeModule(`${run}-other`);
    const r = await runKiln(['build', module, '--cache-from', `type=local,src=${cacheDir}`, '--progress', 'plain'], { cwd: work });
    expect(r.code).toBe(0);
    const why = `not importing the cache in ${cacheDir}: it is stored as an image manifest (image-manifest=true, the default of BuildKit v0.21+)`;
    if (infoA.buildkitVersion === undefined) {
      // dockerd 20.10's BuildKit v0.8 would take the manifest for an image with inline cache, find none, and say nothing.
      expect(r.stderr).toContain(`WARN: ${why}, which this daemon's BuildKit (before v0.12) cannot read: export the cache with image-manifest=false for it`);
      expect(r.stderr).not.toContain('importing cache manifest');
    } else {
      expect(r.stderr).not.toContain(why);
      expect(r.stderr).toContain('importing cache manifest');
    }
  });

  it('refuses a local cache export on dockerd with the classic image store before building, and takes it elsewhere', async () => {
    const module = writeModule(`${process.pid}-${Date.now()}-export`);
    const dest = join(work, 'export-here');
    const r = await runKiln(['build', module, '--cache-to', `type=local,dest=${dest}`, '--progress', 'quiet'], { cwd: work });
    if (infoA.kind === 'dockerd' && infoA.imageStore === 'graphdriver') {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('can export only inline cache, not type=local');
    } else {
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`exported cache to ${dest} \\(tag latest, sha256:[0-9a-f]{64}\\)`));
      expect(JSON.parse(readFileSync(join(dest, 'index.json'), 'utf8'))).toMatchObject({ schemaVersion: 2 });
    }
  });
});
