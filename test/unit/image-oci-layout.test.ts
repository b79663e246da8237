/**
 * Images from an OCI layout directory (`Image.fromOciLayout(dir)`, a Dockerfile context `oci-layout://DIR[:TAG|@DIGEST]`),
 * compiled offline: the manifest is picked from `index.json` (by tag, by digest, the only image; the build's platform
 * from an image index), the definition names it by digest with the layout's store, and the image config is the
 * layout's. A missing directory, a directory without `index.json`, a tag the layout lacks, several images and no tag,
 * a platform it has no image for, and a daemon without `source.ocilayout` are refused, naming what to do.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { CAPS_BUILDKIT_V0_8, ALL_CAPS } from '../../src/llb/index.js';
import { Image, compileImage } from '../../src/image/index.js';
import { buildContextFlags } from '../../src/image/image.js';
import { recordLocalReads } from '../../src/image/local-reads.js';
import { splitOciLayoutValue } from '../../src/image/oci-layout.js';
import { inDirectory } from '../../src/cli/load-module.js';
import { runCli } from '../../src/cli/program.js';
import { sources } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'kiln-oci-layout-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** Writes a JSON blob into the layout; returns its descriptor. */
function blob(dir: string, value: unknown, mediaType: string): { mediaType: string; digest: string; size: number } {
  const bytes = Buffer.from(JSON.stringify(value));
  const hex = createHash('sha256').update(bytes).digest('hex');
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

/** An image manifest (one fake layer) of a config for `arch`, with `env` and `cmd`. */
function manifest(dir: string, arch: string, env: string[], cmd: string[]): { mediaType: string; digest: string; size: number } {
  const layer = blob(dir, { layer: arch }, 'application/vnd.oci.image.layer.v1.tar+gzip');
  const config = blob(dir, { architecture: arch, os: 'linux', config: { Env: env, Cmd: cmd, WorkingDir: '/srv', User: 'app' }, rootfs: { type: 'layers', diff_ids: [layer.digest] } }, 'application/vnd.oci.image.config.v1+json');
  return blob(dir, { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }, OCI_MANIFEST);
}

function layout(name: string, entries: readonly unknown[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries }));
  return dir;
}

const tagged = (d: object, tag: string): object => ({ ...d, annotations: { 'org.opencontainers.image.ref.name': tag } });

// One image, tagged 1.0.
const single = join(root, 'single');
const singleManifest = manifest(single, 'amd64', ['PATH=/usr/bin:/bin', 'APP=one'], ['app', 'serve']);
layout('single', [tagged(singleManifest, '1.0')]);

// Two platforms under one index, tagged latest; and a second, untagged image beside it.
const multi = join(root, 'multi');
const amd = manifest(multi, 'amd64', ['PATH=/bin', 'ARCH=amd'], ['amd']);
const arm = manifest(multi, 'arm64', ['PATH=/bin', 'ARCH=arm'], ['arm']);
const multiIndex = blob(multi, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...amd, platform: { os: 'linux', architecture: 'amd64' } }, { ...arm, platform: { os: 'linux', architecture: 'arm64' } }] }, OCI_INDEX);
const other = manifest(multi, 'amd64', ['PATH=/bin', 'ARCH=other'], ['other']);
layout('multi', [tagged(multiIndex, 'latest'), tagged(other, 'other')]);

const ociSources = (img: Image, platform = 'linux/amd64'): { identifier: string; attrs: Record<string, string> }[] =>
  sources(compileImage(img, { platform }).definition).filter((s) => s.identifier.startsWith('oci-layout://'));

describe('Image.fromOciLayout', () => {
  it('names the manifest by digest with the layout as its store, and takes the image config from the layout', () => {
    const img = Image.fromOciLayout(single).runCommands('echo hi');
    const compiled = compileImage(img);
    const [src] = ociSources(img);
    expect(src?.identifier).toMatch(new RegExp(`^oci-layout://kiln.local/oci-layout/kiln-[0-9a-f]{24}@${singleManifest.digest}$`));
    expect(src?.attrs['oci.store']).toMatch(/^kiln-[0-9a-f]{24}$/);
    expect(compiled.ociLayouts).toEqual([{ storeId: src?.attrs['oci.store'], path: single }]);
    expect(compiled.config.config).toMatchObject({ Env: ['PATH=/usr/bin:/bin', 'APP=one'], Cmd: ['app', 'serve'], WorkingDir: '/srv', User: 'app' });
    expect(compiled.baseImages).toEqual([]);
  });

  it('compiles to the same definition every time, offline, and reads nothing into the layout', () => {
    const before = readdirSync(single, { recursive: true }).sort();
    const a = Image.fromOciLayout(single, { tag: '1.0' }).env({ X: '1' }).definition();
    const b = Image.fromOciLayout(`${single}/`, { tag: '1.0' }).env({ X: '1' }).definition();
    expect(b.digest).toBe(a.digest);
    expect(readdirSync(single, { recursive: true }).sort()).toEqual(before);
  });

  it("picks the build platform's manifest from an image index, or the platform given", () => {
    const img = Image.fromOciLayout(multi, { tag: 'latest' });
    expect(ociSources(img, 'linux/amd64')[0]?.identifier).toContain(`@${amd.digest}`);
    expect(ociSources(img, 'linux/arm64')[0]?.identifier).toContain(`@${arm.digest}`);
    expect(compileImage(img, { platform: 'linux/arm64' }).config.config.Cmd).toEqual(['arm']);
    expect(ociSources(Image.fromOciLayout(multi, { tag: 'latest', platform: 'linux/arm64' }), 'linux/amd64')[0]?.identifier).toContain(`@${arm.digest}`);
    expect(ociSources(Image.fromOciLayout(multi, { digest: other.digest }))[0]?.identifier).toContain(`@${other.digest}`);
    expect(ociSources(Image.fromOciLayout(multi, { digest: arm.digest }), 'linux/arm64')[0]?.identifier).toContain(`@${arm.digest}`);
  });

  it.each([
    [() => Image.fromOciLayout(join(root, 'missing')), `fromOciLayout: the OCI layout ${join(root, 'missing')} does not exist`, 'index.json'],
    [() => Image.fromOciLayout(join(root, 'multi', 'blobs')), `fromOciLayout: ${join(root, 'multi', 'blobs')} is not an OCI layout: it has no index.json`, 'index.json'],
    [() => Image.fromOciLayout(single, { tag: '2.0' }), `fromOciLayout: the OCI layout ${single} has no image tagged "2.0" (its tags: 1.0)`, `${single}:TAG`],
    [() => Image.fromOciLayout(multi), `fromOciLayout: the OCI layout ${multi} holds 2 images and no tag was given (its tags: latest, other)`, 'a tag'],
    [() => Image.fromOciLayout(multi, { tag: 'latest', platform: 'linux/s390x' }), `fromOciLayout: ${multi}:latest has no image for linux/s390x (it has linux/amd64, linux/arm64)`, '--platform linux/amd64'],
    [() => Image.fromOciLayout(single, { digest: `sha256:${'1'.repeat(64)}` }), `fromOciLayout: the OCI layout ${single} lacks the blob sha256:${'1'.repeat(64)}`, 'incomplete'],
    [() => Image.fromOciLayout(single, { tag: '1.0', digest: singleManifest.digest }), 'fromOciLayout: give a tag or a digest, not both', undefined],
    [() => Image.fromOciLayout(single, { digest: 'sha256:abc' }), 'fromOciLayout digest "sha256:abc" must be "sha256:<64 lowercase hex>"', undefined],
  ])('refuses %#', (call, message, hint) => {
    const err = thrown(call);
    expect(err.code).toBe('invalid_argument');
    expect(err.message.startsWith(message)).toBe(true);
    if (hint !== undefined) expect(err.hint).toContain(hint);
  });

  it('refuses a build platform the layout has no image for when compiled, naming the platforms it has', () => {
    const err = thrown(() => compileImage(Image.fromOciLayout(single), { platform: 'linux/arm64' }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe(`${single} has no image for linux/arm64 (it has linux/amd64)`);
  });

  it('is refused on a daemon without source.ocilayout, naming the cap and the way out', () => {
    const err = thrown(() => compileImage(Image.fromOciLayout(single), { caps: CAPS_BUILDKIT_V0_8, daemon: 'dockerd 20.10 (BuildKit v0.8)' }));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe(`the base image is the OCI layout ${single}, which needs LLB capability "source.ocilayout" (BuildKit v0.11+); dockerd 20.10 (BuildKit v0.8) does not support it`);
    expect(err.hint).toContain('Image.fromRegistry');
    expect(err.details['cap']).toBe('source.ocilayout');
    expect(() => compileImage(Image.fromOciLayout(single), { caps: ALL_CAPS })).not.toThrow();
  });

  it('toDockerfile writes a FROM of a named context and the buildx flag that gives it', () => {
    const text = Image.fromOciLayout(single, { tag: '1.0' }).runCommands('echo hi').toDockerfile();
    expect(text).toContain('FROM oci-single');
    expect(text).toContain(`# kiln: oci-single is the OCI layout ${single}:1.0: docker buildx build --build-context oci-single=oci-layout://${single}:1.0 (BuildKit v0.11+)`);
  });
});

describe('oci-layout:// contexts', () => {
  it('splits DIR[:TAG|@DIGEST] as buildx does', () => {
    expect(splitOciLayoutValue('/a/b:1.0')).toEqual({ dir: '/a/b', tag: '1.0', digest: undefined });
    expect(splitOciLayoutValue(`./a:x/b@sha256:${'a'.repeat(64)}`)).toEqual({ dir: './a:x/b', tag: undefined, digest: `sha256:${'a'.repeat(64)}` });
    expect(splitOciLayoutValue('./a:x/b')).toEqual({ dir: './a:x/b', tag: undefined, digest: undefined });
  });

  it('a Dockerfile FROM of the context builds on the layout image, with its config', () => {
    const file = join(root, 'Dockerfile');
    writeFileSync(file, 'FROM base\nRUN echo "$APP"\n');
    const img = Image.fromDockerfile(file, { context: root, contexts: { base: `oci-layout://${single}:1.0` } });
    const compiled = compileImage(img, { context: root });
    expect(sources(compiled.definition).map((s) => s.identifier)).toContainEqual(expect.stringContaining(`@${singleManifest.digest}`));
    expect(compiled.config.config.Cmd).toEqual(['app', 'serve']);
    const viaImage = Image.fromDockerfile(file, { context: root, contexts: { base: Image.fromOciLayout(single) } });
    expect(compileImage(viaImage, { context: root }).ociLayouts).toEqual(compiled.ociLayouts);
  });

  it('--build-context NAME=oci-layout://DIR is relative to the current directory, and refused naming the flag', () => {
    expect(buildContextFlags(['base=oci-layout://single:1.0'], buildContextFlags, root).get('base')?.kind).toBe('image');
    const err = thrown(() => buildContextFlags(['base=oci-layout://single:9'], buildContextFlags, root));
    expect(err.message).toBe(`--build-context "base=oci-layout://single:9": the OCI layout ${single} has no image tagged "9" (its tags: 1.0)`);
    expect(readFileSync(join(single, 'index.json'), 'utf8')).toContain('1.0');
  });
});

// An image whose config has ONBUILD triggers.
const triggered = join(root, 'triggered');
const triggeredLayer = blob(triggered, { layer: 'onbuild' }, 'application/vnd.oci.image.layer.v1.tar+gzip');
const triggeredConfig = blob(triggered, { architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], OnBuild: ['RUN echo onbuild-ran > /onbuild.txt'] }, rootfs: { type: 'layers', diff_ids: [triggeredLayer.digest] } }, 'application/vnd.oci.image.config.v1+json');
layout('triggered', [tagged(blob(triggered, { schemaVersion: 2, mediaType: OCI_MANIFEST, config: triggeredConfig, layers: [triggeredLayer] }, OCI_MANIFEST), '1')]);

describe('OCI layouts: ONBUILD, watching, relative paths, module builds', () => {
  it('a Dockerfile FROM an oci-layout:// context whose image has ONBUILD triggers is refused, as FROM a registry image is; fromOciLayout, COPY --from and a stage the context replaces are not', () => {
    const file = join(root, 'Dockerfile.onbuild');
    writeFileSync(file, 'FROM base\nRUN true\n');
    const err = thrown(() => compileImage(Image.fromDockerfile(file, { context: root, contexts: { base: `oci-layout://${triggered}:1` } }), { context: root }));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe(`the base image of the context oci-layout://${triggered}:1 has ONBUILD triggers (RUN echo onbuild-ran > /onbuild.txt), which docker build runs after FROM and kiln does not`);
    expect(err.hint).toContain('Write the triggers\' instructions into the Dockerfile right after FROM');
    expect(err.details['baseImage']).toBe(`oci-layout://${triggered}:1`);
    // As fromRegistry: no FROM, no triggers.
    expect(() => compileImage(Image.fromOciLayout(triggered).runCommands('true'))).not.toThrow();
    // Only FROM runs triggers: a COPY --from the context does not.
    writeFileSync(file, `FROM scratch\nCOPY --from=base /bin/sh /sh\n`);
    expect(() => compileImage(Image.fromDockerfile(file, { context: root, contexts: { base: `oci-layout://${triggered}:1` } }), { context: root })).not.toThrow();
    // Nor does a stage the context replaces (its instructions do not run, as with BuildKit's frontend), a registry
    // image's context included.
    writeFileSync(file, 'FROM busybox AS base\nRUN false\nFROM base\nRUN true\n');
    expect(() => compileImage(Image.fromDockerfile(file, { context: root, contexts: { base: `oci-layout://${triggered}:1` } }), { context: root })).not.toThrow();
    const baseConfigs = new Map([['docker.io/library/busybox:latest', { architecture: 'amd64', os: 'linux', config: { OnBuild: ['RUN echo onbuild-ran'] } }]]);
    expect(() => compileImage(Image.fromDockerfile(file, { context: root, contexts: { base: 'docker-image://busybox:latest' } }), { context: root, baseConfigs })).not.toThrow();
    writeFileSync(file, 'FROM base\nRUN true\n');
    expect(thrown(() => compileImage(Image.fromDockerfile(file, { context: root, contexts: { base: 'docker-image://busybox:latest' } }), { context: root, baseConfigs })).code).toBe('unsupported');
  });

  it('a watch follows the index.json of every layout the image and its Dockerfile contexts use, and no blob', async () => {
    const file = join(root, 'Dockerfile.watch');
    writeFileSync(file, 'FROM base\nCOPY --from=other /x /x\n');
    const { files } = await recordLocalReads(() => {
      const img = Image.fromDockerfile(file, { context: root, contexts: { base: `oci-layout://${single}:1.0`, other: Image.fromOciLayout(multi, { tag: 'latest' }) } });
      return compileImage(img, { context: root });
    });
    expect(files.filter((f) => f.startsWith(`${single}/`) || f.startsWith(`${multi}/`)).sort()).toEqual([join(multi, 'index.json'), join(single, 'index.json')]);
    // A layout not there yet: its index.json is followed, so writing it rebuilds.
    const later = join(root, 'later');
    const missing = await recordLocalReads(() => thrown(() => Image.fromOciLayout(later)));
    expect(missing.files).toContain(join(later, 'index.json'));
  });

  it('a relative layout path is relative to the current directory, which kiln build makes the build context while the module runs (as fromDockerfile\'s path), not the module\'s directory', async () => {
    const context = join(root, 'ctx');
    mkdirSync(join(context, 'vendor'), { recursive: true });
    mkdirSync(join(root, 'modules'), { recursive: true });
    const copy = join(context, 'vendor', 'base');
    writeFileSync(join(root, 'modules', 'image.ts'), '');
    // The same layout, copied into the context.
    for (const entry of readdirSync(single, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const rel = join(entry.parentPath, entry.name).slice(single.length + 1);
      mkdirSync(join(copy, rel, '..'), { recursive: true });
      writeFileSync(join(copy, rel), readFileSync(join(single, rel)));
    }
    const [fromLayout, fromContext] = await inDirectory(context, () => [
      Image.fromOciLayout('vendor/base', { tag: '1.0' }),
      Image.fromDockerfile(join(root, 'Dockerfile'), { context: root, contexts: { base: 'oci-layout://./vendor/base:1.0' } }),
    ]);
    expect(compileImage(fromLayout as Image).ociLayouts.map((l) => l.path)).toEqual([copy]);
    expect(compileImage(fromContext as Image, { context: root }).ociLayouts.map((l) => l.path)).toEqual([copy]);
    // Looked for in the current directory, and the hint says where relative paths start.
    const err = await inDirectory(join(root, 'modules'), () => thrown(() => Image.fromOciLayout('vendor/base')));
    expect(err.message).toBe(`fromOciLayout: the OCI layout ${join(root, 'modules', 'vendor', 'base')} does not exist`);
    expect(err.hint).toContain('A relative path is relative to the build context (kiln build --context DIR; default the current directory), not to the module.');
    // `~/` is the home directory, as in every other local path.
    const home = process.env['HOME'];
    process.env['HOME'] = context;
    try {
      expect(compileImage(Image.fromOciLayout('~/vendor/base')).ociLayouts.map((l) => l.path)).toEqual([copy]);
    } finally {
      process.env['HOME'] = home;
    }
  });

  it('kiln build of a module refuses --build-context NAME=oci-layout://DIR, pointing at fromOciLayout and fromDockerfile\'s contexts', async () => {
    const stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (c: Buffer) => err.push(c));
    const code = await runCli(['build', 'image.ts', '--build-context', 'base=oci-layout://./vendor/base:1.0'], { stdout: new PassThrough(), stderr, env: {}, cwd: root });
    expect(code).toBe(2);
    const text = Buffer.concat(err).toString('utf8');
    expect(text).toContain('no --build-context');
    expect(text).toContain("Image.fromOciLayout('DIR', { tag: 'TAG' })");
    expect(text).toContain('oci-layout://DIR[:TAG]');
  });
});
