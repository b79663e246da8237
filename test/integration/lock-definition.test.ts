/**
 * Lock files for plain LLB definitions on the real daemon: `Client.resolveImageDigests` records the registry digest a
 * base image's tag points at; after the tag moves to another image (in the registry and in Docker's store), a build
 * given the lock as `imagePins` still starts from the recorded image, and one without it from the new one — checked
 * by running the results.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { ImageLock, readImageLock, writeImageLock } from '../../src/image/lock-file.js';
import { image, marshal } from '../../src/llb/index.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
const stamp = `${process.pid}-${Date.now()}`;
const repo = 'kiln-lock-def/base';
const base = `${env.registry.address}/${repo}:${stamp}`;
const created: string[] = [];
let client: Client;
let work: string;

/** Builds and pushes a busybox-based image whose /v says `version`, under the tag `base`. */
async function pushBase(version: string): Promise<void> {
  const dir = join(work, `base-${version}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), `FROM busybox:latest\nRUN echo ${version}-${stamp} > /v\n`);
  await dockerCli(['build', '-q', '-t', base, dir], { env: { DOCKER_BUILDKIT: '1' } });
  await dockerCli(['push', base]);
}

/** The manifest digest the registry serves for the tag now. */
async function registryDigest(): Promise<string> {
  const res = await fetch(`${env.registry.url}/v2/${repo}/manifests/${stamp}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  return String(res.headers.get('docker-content-digest'));
}

/** Builds the definition into Docker as `name` and returns what its /seen says. */
async function buildAndRun(name: string, pins: ImageLock | undefined): Promise<string> {
  const def = marshal(image(base).run(['sh', '-c', 'cat /v > /seen'], { network: 'none' }).root());
  created.push(name);
  await client.build({ exporter: { type: 'moby', attrs: { name: `docker.io/${name}` } }, ...(pins === undefined ? {} : { imagePins: pins }) }, async (gw) => ({
    ref: await gw.solve(def),
  }));
  return (await dockerCli(['run', '--rm', '--network', 'none', name, 'cat', '/seen'])).stdout.trim();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiln-lock-def-'));
  client = await Client.connect({ address: env.buildkitHost });
});

afterAll(async () => {
  await client?.close();
  await dockerCli(['rmi', '-f', ...created, base], { allowFailure: true });
  rmSync(work, { recursive: true, force: true });
});

describe('lock files for any definition', () => {
  it('records the digest a tag points at, and a build honouring the lock keeps using it after the tag moved', async () => {
    await pushBase('one');
    const def = marshal(image(base).run(['sh', '-c', 'cat /v > /seen'], { network: 'none' }).root());
    const found = await client.resolveImageDigests(def);
    const one = await registryDigest();
    expect(found).toEqual([{ ref: base, platform: 'linux/amd64', digest: one, locked: false }]);

    const lockPath = join(work, 'kiln.lock.json');
    await writeImageLock(lockPath, found.reduce((l, f) => (f.digest === undefined ? l : l.with(f.ref, f.platform, f.digest)), ImageLock.empty()));
    const lock = await readImageLock(lockPath);
    expect(lock?.get(base, 'linux/amd64')).toBe(one);

    // The tag moves to another image, in the registry and in Docker's own store.
    await pushBase('two');
    expect(await registryDigest()).not.toBe(one);

    expect(await buildAndRun(`kiln-lock-def/app:${stamp}-locked`, lock)).toBe(`one-${stamp}`);
    expect(await buildAndRun(`kiln-lock-def/app:${stamp}-floating`, undefined)).toBe(`two-${stamp}`);

    // Asked again with the lock, nothing is resolved: the recorded digest is reported as locked.
    expect(await client.resolveImageDigests(def, { pins: lock! })).toEqual([{ ref: base, platform: 'linux/amd64', digest: one, locked: true }]);
  });
});
