/**
 * Lock files for any definition: listing the base images a definition builds from (per platform), resolving them to
 * digests through the gateway, and pinning them back from a lock — per platform, for definitions however they were
 * made (kiln's builder, marshal(), raw bytes).
 */
import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/client/build.js';
import { applyDefinitionPolicies } from '../../src/client/definition-policies.js';
import { resolveImageDigests } from '../../src/client/image-lock.js';
import { KilnError } from '../../src/errors.js';
import { ImageLock } from '../../src/image/lock-file.js';
import { listImageSources, pinImagesPerPlatform } from '../../src/llb/image-sources.js';
import { copy, decodeDefinition, image, marshal, rewriteDefinition, type Definition } from '../../src/llb/index.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;

function identifiers(def: Definition | Uint8Array): string[] {
  return decodeDefinition(def)
    .ops.map((o) => (o.op.op?.type === 'source' ? o.op.op.source.identifier : undefined))
    .filter((x): x is string => x !== undefined)
    .sort();
}

/** python on amd64 with busybox copied in from arm64, plus an image already pinned by digest. */
function sample(): Definition {
  const py = image('python:3.11-slim', { platform: 'linux/amd64' }).run(['sh', '-c', 'true']).root();
  return marshal(
    py
      .file(copy(image('busybox', { platform: 'linux/arm64' }), '/bin/busybox', '/bb'))
      .file(copy(image(`alpine@${C}`), '/etc/alpine-release', '/alpine')),
  );
}

/** A gateway that answers ResolveImageConfig from a table and records what it was asked. */
function fakeGateway(digests: Record<string, string>): { gateway: Gateway; asked: { ref: string; platform: string; mode: string | undefined; logName: string | undefined }[] } {
  const asked: { ref: string; platform: string; mode: string | undefined; logName: string | undefined }[] = [];
  const gateway: Gateway = {
    llbCaps: new Set(),
    frontendCaps: new Set(),
    workers: [{ id: 'w', labels: {}, platforms: [{ os: 'linux', architecture: 'amd64' }] }],
    signal: new AbortController().signal,
    solve: () => Promise.reject(new Error('not used')),
    readFile: () => Promise.reject(new Error('not used')),
    statFile: () => Promise.reject(new Error('not used')),
    runProcess: () => Promise.reject(new Error('not used')),
    failedStep: () => Promise.reject(new Error('not used')),
    resolveImageConfig: async (ref, options = {}) => {
      const platform = `${options.platform?.os}/${options.platform?.architecture}`;
      asked.push({ ref, platform, mode: options.resolveMode, logName: options.logName });
      return { digest: digests[`${ref} ${platform}`] ?? '', config: new Uint8Array(Buffer.from('{}')) };
    },
  };
  return { gateway, asked };
}

describe('listImageSources', () => {
  it('lists each image once per platform, normalised, with the digest it is already pinned to', () => {
    expect(listImageSources(sample())).toEqual([
      { ref: 'docker.io/library/alpine', digest: C, platform: 'linux/amd64' },
      { ref: 'docker.io/library/busybox:latest', digest: undefined, platform: 'linux/arm64' },
      { ref: 'docker.io/library/python:3.11-slim', digest: undefined, platform: 'linux/amd64' },
    ]);
    // Bytes work as well as Definition objects.
    expect(listImageSources(sample().toBytes())).toEqual(listImageSources(sample()));
  });
});

describe('pinImagesPerPlatform', () => {
  it('pins by reference and platform only, and re-digests everything depending on a pinned source', () => {
    const def = sample();
    const lock = ImageLock.empty().with('python:3.11-slim', 'linux/amd64', A).with('busybox', 'linux/amd64', B);
    const { definition, pinned } = pinImagesPerPlatform(def, lock);
    // busybox is locked for amd64 only; the definition uses it on arm64, so it stays a tag.
    expect(pinned).toEqual([{ ref: 'docker.io/library/python:3.11-slim', platform: 'linux/amd64', digest: A }]);
    expect(identifiers(definition)).toEqual([
      `docker-image://docker.io/library/alpine@${C}`,
      'docker-image://docker.io/library/busybox:latest',
      `docker-image://docker.io/library/python:3.11-slim@${A}`,
    ]);
    expect(definition.digest()).not.toBe(def.digest());
    const decoded = decodeDefinition(definition);
    const digests = new Set(decoded.ops.map((o) => o.digest));
    for (const o of decoded.ops) for (const i of o.op.inputs) expect(digests.has(i.digest)).toBe(true);
  });

  it('looks sources without a platform up under the default platform, and leaves them alone without one', () => {
    const def = rewriteDefinition(marshal(image('busybox').run(['true']).root()), (op) => (op.op?.type === 'source' ? { ...op, platform: undefined } : op));
    const lock = ImageLock.empty().with('busybox', 'linux/arm64', B);
    expect(pinImagesPerPlatform(def, lock).definition).toBe(def);
    const { pinned } = pinImagesPerPlatform(def, lock, { defaultPlatform: 'linux/arm64' });
    expect(pinned).toEqual([{ ref: 'docker.io/library/busybox:latest', platform: 'linux/arm64', digest: B }]);
  });

  it('refuses a lookup that answers something other than a digest', () => {
    const err = (() => {
      try {
        pinImagesPerPlatform(sample(), { get: () => 'latest' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as Error).message).toContain('not a sha256:<64 hex> digest');
  });
});

describe('applyDefinitionPolicies with image pins', () => {
  it('pins raw definition bytes, and hands back the very same bytes when nothing is pinned', () => {
    const bytes = sample().toBytes();
    const none = applyDefinitionPolicies(bytes, { imagePins: ImageLock.empty() });
    expect(none.definition).toBe(bytes);
    const some = applyDefinitionPolicies(bytes, { imagePins: ImageLock.empty().with('busybox', 'linux/arm64', B) });
    expect(some.pinned).toEqual([{ ref: 'docker.io/library/busybox:latest', platform: 'linux/arm64', digest: B }]);
    const sent = some.definition instanceof Uint8Array ? some.definition : some.definition.toBytes();
    expect(identifiers(sent)).toContain(`docker-image://docker.io/library/busybox:latest@${B}`);
  });
});

describe('resolveImageDigests', () => {
  it('asks the registry (resolve mode pull) once per unpinned image and platform, and records what it answered', async () => {
    const { gateway, asked } = fakeGateway({
      'docker.io/library/python:3.11-slim linux/amd64': A,
      'docker.io/library/busybox:latest linux/arm64': B,
    });
    const found = await resolveImageDigests(gateway, sample());
    expect(found).toEqual([
      { ref: 'docker.io/library/busybox:latest', platform: 'linux/arm64', digest: B, locked: false },
      { ref: 'docker.io/library/python:3.11-slim', platform: 'linux/amd64', digest: A, locked: false },
    ]);
    expect(asked.map((a) => [a.ref, a.platform, a.mode])).toEqual([
      ['docker.io/library/busybox:latest', 'linux/arm64', 'pull'],
      ['docker.io/library/python:3.11-slim', 'linux/amd64', 'pull'],
    ]);
    expect(asked[0]!.logName).toContain('docker.io/library/busybox:latest');
    // The alpine source already carries a digest: nothing to resolve or record.
    const lock = found.reduce((l, f) => (f.digest === undefined ? l : l.with(f.ref, f.platform, f.digest)), ImageLock.empty());
    expect(JSON.parse(lock.toText())).toEqual({
      version: 1,
      images: {
        'docker.io/library/busybox:latest': { 'linux/arm64': B },
        'docker.io/library/python:3.11-slim': { 'linux/amd64': A },
      },
    });
  });

  it('takes pinned images from the lock without asking, and reports a missing digest as undefined', async () => {
    const { gateway, asked } = fakeGateway({});
    const found = await resolveImageDigests(gateway, sample(), { pins: ImageLock.empty().with('python:3.11-slim', 'linux/amd64', A), resolveMode: 'default' });
    expect(found).toEqual([
      { ref: 'docker.io/library/busybox:latest', platform: 'linux/arm64', digest: undefined, locked: false },
      { ref: 'docker.io/library/python:3.11-slim', platform: 'linux/amd64', digest: A, locked: true },
    ]);
    expect(asked.map((a) => [a.ref, a.mode])).toEqual([['docker.io/library/busybox:latest', 'default']]);
  });
});
