/**
 * Multi-platform images (`buildImage({ platforms })`, `kiln build --platform a,b`) on the real daemon: one directory
 * per platform from the local exporter, an image index in an OCI tarball and in the registry, and the outputs that
 * hold one platform per image refused before anything is built. The images start from scratch, so a platform the
 * daemon cannot run (arm64 here) still builds: nothing runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { buildImage } from '../../src/image/build-image.js';
import { Image } from '../../src/image/image.js';
import { ImageLock } from '../../src/image/lock-file.js';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
let info: DaemonInfo;
let work: string;
let context: string;
const stamp = `${process.pid}-${Date.now()}`;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  info = await client.info();
  work = mkdtempSync(join(tmpdir(), 'kiln-multi-'));
  context = join(work, 'ctx');
  mkdirSync(context);
  writeFileSync(join(context, 'hello.txt'), 'hello from every platform\n');
});

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

const PLATFORMS = ['linux/amd64', 'linux/arm64'];

function app(): Image {
  return Image.scratch().env({ GREETING: 'hi' }).workdir('/app').addLocalFile('hello.txt', '/app/hello.txt').cmd(['/app/run']);
}

/** The images of an OCI layout's index (following a nested index), as { platform, config }. */
function ociImages(dir: string): { platform: string; config: { architecture: string; os: string; config: { Env?: string[]; WorkingDir?: string } } }[] {
  const blob = (digest: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'blobs', ...digest.split(':')), 'utf8')) as Record<string, unknown>;
  const out: ReturnType<typeof ociImages> = [];
  const walk = (index: Record<string, unknown>): void => {
    for (const m of index['manifests'] as { mediaType: string; digest: string; platform?: { os: string; architecture: string } }[]) {
      if (m.mediaType.endsWith('image.index.v1+json') || m.mediaType.endsWith('manifest.list.v2+json')) walk(blob(m.digest));
      else if (m.platform !== undefined) {
        const manifest = blob(m.digest) as { config: { digest: string } };
        out.push({ platform: `${m.platform.os}/${m.platform.architecture}`, config: blob(manifest.config.digest) as ReturnType<typeof ociImages>[number]['config'] });
      }
    }
  };
  walk(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Record<string, unknown>);
  return out.sort((a, b) => a.platform.localeCompare(b.platform));
}

describe('multi-platform images', () => {
  it('writes one directory per platform (type=local, type=tar), and each platform\'s steps are named with it', async () => {
    const dest = join(work, 'local-out');
    const built = await buildImage(client, app(), { platforms: PLATFORMS, context, output: `type=local,dest=${dest}` });
    expect(readdirSync(dest).sort()).toEqual(['linux_amd64', 'linux_arm64']);
    for (const p of ['linux_amd64', 'linux_arm64']) expect(readFileSync(join(dest, p, 'app/hello.txt'), 'utf8')).toBe('hello from every platform\n');
    expect(built.platforms?.map((p) => [p.platform, p.config.architecture])).toEqual([
      ['linux/amd64', 'amd64'],
      ['linux/arm64', 'arm64'],
    ]);
    expect(built.config.architecture).toBe('amd64');
    const tar = join(work, 'multi-fs.tar');
    await buildImage(client, app(), { platforms: PLATFORMS, context, output: `type=tar,dest=${tar}` });
    const entries = execFileSync('tar', ['-tf', tar]).toString().split('\n');
    expect(entries).toContain('linux_amd64/app/hello.txt');
    expect(entries).toContain('linux_arm64/app/hello.txt');
    const names = [...built.outcome.progress.steps.values()].map((s) => s.name);
    expect(names.some((n) => n.startsWith('[linux/arm64] '))).toBe(true);
    expect(names.some((n) => n.startsWith('[linux/amd64] '))).toBe(true);
  });

  it('writes an image index with one image per platform (type=oci), where the daemon has the oci exporter', async () => {
    if (info.kind === 'dockerd' && info.imageStore !== 'containerd') return; // no oci exporter: client-export.test.ts
    const dest = join(work, 'multi.tar');
    const built = await buildImage(client, app(), { platforms: PLATFORMS, context, output: `type=oci,dest=${dest}` });
    expect(built.digest).toMatch(/^sha256:/);
    const dir = join(work, 'multi-oci');
    mkdirSync(dir);
    execFileSync('tar', ['-xf', dest, '-C', dir]);
    const images = ociImages(dir);
    expect(images.map((i) => [i.platform, i.config.architecture, i.config.os])).toEqual([
      ['linux/amd64', 'amd64', 'linux'],
      ['linux/arm64', 'arm64', 'linux'],
    ]);
    for (const i of images) {
      expect(i.config.config.Env).toContain('GREETING=hi');
      expect(i.config.config.WorkingDir).toBe('/app');
    }
  });

  it('pushes an image index (kiln build --platform a,b --push) from a buildkitd and a containerd-store dockerd, and loads one there; refuses the classic store before building', async () => {
    const repo = `kiln-multi/app`;
    const name = `${env.registry.address}/${repo}:${stamp}`;
    const dir = join(work, 'cli');
    mkdirSync(dir);
    writeFileSync(join(dir, 'hello.txt'), 'hello from every platform\n');
    writeFileSync(
      join(dir, 'image.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:1.35').env({ GREETING: 'hi' }).addLocalFile('hello.txt', '/app/hello.txt');\n`,
    );
    const args = ['build', 'image.ts', '--platform', 'linux/amd64,linux/arm64', '--progress', 'plain'];
    const runsBoth = async (ref: string): Promise<void> => {
      // Docker runs the platform it is asked for from the index (arm64 under QEMU).
      for (const [platform, arch] of [['linux/amd64', 'x86_64'], ['linux/arm64', 'aarch64']] as const) {
        const run = await dockerCli(['run', '--rm', '--network', 'none', '--platform', platform, ref, 'sh', '-c', 'uname -m; cat /app/hello.txt; echo $GREETING']);
        expect(run.stdout).toBe(`${arch}\nhello from every platform\nhi\n`);
      }
    };
    const loadable = Image.fromRegistry('busybox:1.35').env({ GREETING: 'hi' }).addLocalFile('hello.txt', '/app/hello.txt');
    const loadName = `kiln-multi/load:${stamp}`;
    if (info.kind === 'dockerd' && info.imageStore !== 'containerd') {
      // Loading or pushing goes through the classic image store: one platform per image, and no oci exporter.
      const res = await runKiln([...args, '--push', '-t', name], { cwd: dir });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("cannot export a multi-platform image (linux/amd64, linux/arm64) to dockerd's classic image store");
      expect(res.stderr).toContain('-o type=local,dest=DIR');
      expect(res.stderr).toContain('containerd image store');
      expect(res.stderr).not.toContain('type=oci');
      expect(res.stderr).not.toMatch(/\[linux\/arm64\]/); // nothing was built
      const err = await buildImage(client, app(), { platforms: PLATFORMS, context, tags: [loadName] }).catch((e: unknown) => e);
      expect(KilnError.is(err, 'unsupported')).toBe(true);
      return;
    }
    const res = await runKiln(info.kind === 'dockerd' ? [...args, '--push', '-t', name] : [...args, '--output', `type=image,name=${name},push=true,registry.insecure=true`], { cwd: dir });
    expect(res.stderr).toContain('[linux/arm64]');
    expect(res.code).toBe(0);
    const index = await fetch(`${env.registry.url}/v2/${repo}/manifests/${stamp}`, {
      headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' },
    });
    expect(index.status).toBe(200);
    const body = (await index.json()) as { manifests: { platform: { os: string; architecture: string } }[] };
    expect(body.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(PLATFORMS);
    expect(res.stdout.trim()).toBe(index.headers.get('docker-content-digest'));
    await runsBoth(name);
    if (info.kind === 'dockerd') {
      // The containerd image store keeps every platform of a loaded image.
      const built = await buildImage(client, loadable, { platforms: PLATFORMS, context, tags: [loadName] });
      expect(built.imageId).toBe((await dockerCli(['image', 'inspect', '-f', '{{.Id}}', loadName])).stdout.trim());
      await runsBoth(loadName);
      await dockerCli(['rmi', '-f', loadName, name]);
      return;
    }
    // A load into Docker from a buildkitd is a docker tarball: one platform per image.
    const err = await buildImage(client, loadable, { platforms: PLATFORMS, context, tags: [loadName] }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    expect((err as Error).message).toContain('a docker image tarball');
    expect((err as KilnError).hint).toContain('-o type=oci,dest=app.tar');
  });

  it('runs each platform\'s steps on its own base: arm64 under QEMU emulation (busybox:1.35 is an index)', async () => {
    const dest = join(work, 'arch-out');
    const built = await buildImage(client, Image.fromRegistry('busybox:1.35').runCommands('uname -m > /arch'), { platforms: PLATFORMS, output: `type=local,dest=${dest}` });
    expect(readFileSync(join(dest, 'linux_amd64/arch'), 'utf8')).toBe('x86_64\n');
    expect(readFileSync(join(dest, 'linux_arm64/arch'), 'utf8')).toBe('aarch64\n');
    // The base was resolved once per platform; the digest is the index's (the lock pins it for each platform, and
    // the daemon picks the platform's image from it).
    const bases = built.bases.filter((b) => b.ref === 'docker.io/library/busybox:1.35');
    expect(bases.map((b) => b.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    const index = env.baseImages.find((b) => b.name === 'busybox:1.35')!.digest;
    for (const b of bases) expect([undefined, index]).toContain(b.digest);
    expect(built.platforms?.map((p) => p.config.architecture)).toEqual(['amd64', 'arm64']);
    const names = [...built.outcome.progress.steps.values()].map((s) => s.name);
    for (const p of PLATFORMS) expect(names).toContain(`[${p} internal] load metadata for busybox:1.35`);
  });

  it('builds for the one platform a list names (platforms: [p], or the same platform twice), not the daemon\'s', async () => {
    const image = Image.fromRegistry('busybox:1.35').runCommands('uname -m > /arch');
    for (const platforms of [['linux/arm64'], ['linux/arm64', 'linux/arm64'], ['linux/arm64/v8', 'linux/arm64']]) {
      const dest = join(work, `one-${platforms.length}-${platforms[0]!.replaceAll('/', '_')}`);
      const built = await buildImage(client, image, { platforms, output: `type=local,dest=${dest}` });
      expect(readFileSync(join(dest, 'arch'), 'utf8')).toBe('aarch64\n');
      expect(built.config.architecture).toBe('arm64');
      expect(built.platforms).toBeUndefined();
    }
    const dir = join(work, 'cli-one');
    mkdirSync(dir);
    writeFileSync(join(dir, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:1.35').runCommands('uname -m > /arch');\n`);
    const res = await runKiln(['build', 'image.ts', '--platform', 'linux/arm64,linux/arm64', '--progress', 'quiet', '--output', 'type=local,dest=out'], { cwd: dir });
    expect(res.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'arch'), 'utf8')).toBe('aarch64\n');
    // Locked for two platforms: one base image, pinned twice.
    const locked = await runKiln(['build', 'image.ts', '--lock', '--platform', PLATFORMS.join(','), '--progress', 'quiet', '--output', 'type=local,dest=out2'], { cwd: dir });
    expect(locked.code).toBe(0);
    expect(locked.stderr).toContain(`locked 1 base image (2 platform pins) in ${join(dir, 'kiln.lock.json')}`);
  });

  it('refuses a base image that has no image for a platform asked for, instead of labelling its amd64 image arm64', async () => {
    // python:3.11-slim is amd64 only here: the daemon hands out that image for any platform.
    const py = Image.fromRegistry('python:3.11-slim').runCommands('python3 -c "import platform; print(platform.machine())" > /arch');
    for (const options of [{ platforms: PLATFORMS }, { platform: 'linux/arm64' }]) {
      const dest = join(work, `wrong-arch-${'platform' in options ? 'one' : 'multi'}`);
      const err = await buildImage(client, py, { ...options, output: `type=local,dest=${dest}` }).catch((e: unknown) => e);
      expect(KilnError.is(err, 'unsupported')).toBe(true);
      expect((err as KilnError).message).toBe('the base image python:3.11-slim has no linux/arm64 image: the registry gave its linux/amd64 image for it');
      expect((err as KilnError).hint).toContain('--platform linux/amd64');
      expect(() => readdirSync(dest)).toThrow(); // nothing was exported
    }
    // An index without the platform: the daemon finds nothing, and the hint says what to look for.
    const missing = await buildImage(client, Image.fromRegistry('busybox:1.35').env({ A: '1' }), { platforms: ['linux/amd64', 'linux/s390x'], output: `type=local,dest=${join(work, 'no-s390x')}` }).catch((e: unknown) => e);
    expect(KilnError.is(missing)).toBe(true);
    expect((missing as KilnError).hint).toContain('has an image for linux/s390x');
    // Its own platform builds; so does a build naming no platform (the image the daemon resolves, as before).
    const dest = join(work, 'right-arch');
    await buildImage(client, py, { platform: 'linux/amd64', output: `type=local,dest=${dest}` });
    expect(readFileSync(join(dest, 'arch'), 'utf8')).toBe('x86_64\n');
  });

  it('with a frozen lock pinning one platform, names every platform it lacks and how to lock them all, before building', async () => {
    const index = env.baseImages.find((b) => b.name === 'busybox:1.35')!.digest;
    const lock = ImageLock.empty().with('docker.io/library/busybox:1.35', 'linux/amd64', index);
    const image = Image.fromRegistry('busybox:1.35').runCommands('uname -m > /arch');
    const events: string[] = [];
    const err = await buildImage(client, image, {
      platforms: [...PLATFORMS, 'linux/s390x'],
      lock,
      frozenLock: true,
      output: `type=local,dest=${join(work, 'frozen')}`,
      onStatus: (e) => events.push(...e.vertexes.map((v) => v.name)),
    }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe('the lock does not pin docker.io/library/busybox:1.35 for linux/arm64 and linux/s390x, and a frozen lock allows no unpinned base');
    expect((err as KilnError).hint).toContain('kiln build --lock --platform linux/amd64,linux/arm64,linux/s390x');
    expect(events).toEqual([]); // nothing was asked of the daemon
  });

  it('refuses a platform the daemon cannot run when the image runs commands, naming it', async () => {
    const offered = new Set(info.workers.flatMap((w) => w.platforms.map((p) => `${p.os}/${p.architecture}${p.variant === undefined ? '' : `/${p.variant}`}`)));
    const foreign = ['linux/loong64', 'linux/mips64le', 'linux/arm/v7', 'linux/arm/v6'].find((p) => !offered.has(p));
    expect(foreign, `every candidate platform is offered by ${[...offered].join(', ')}`).toBeDefined();
    const err = await buildImage(client, Image.fromRegistry('busybox:1.35').runCommands('true'), { platforms: ['linux/amd64', foreign!], output: `type=local,dest=${join(work, 'never')}` }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    expect((err as Error).message).toContain(`cannot build for ${foreign}: `);
  });

  it('rejects platform together with platforms, and an empty list, at the call site', async () => {
    // @ts-expect-error platform and platforms together (refused at run time too, for callers without types)
    await expect(buildImage(client, app(), { platform: 'linux/amd64', platforms: PLATFORMS })).rejects.toThrow(/both platform and platforms/);
    await expect(buildImage(client, app(), { platforms: [] })).rejects.toThrow(/at least one platform/);
  });
});
