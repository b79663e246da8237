/**
 * Image options of an output on the real daemon: applied to the image pushed (by the daemon's exporter, or — on a
 * dockerd with the containerd image store — by its exporter then Docker's push), or refused before anything is built.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, isClassicDockerd, type DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import type { StatusEvent } from '../../src/progress/events.js';
import { marshal, mkdir, scratch } from '../../src/llb/index.js';
import { testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
let info: DaemonInfo;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  info = await client.info();
});

afterAll(async () => {
  await client?.close();
});

const stamp = `${process.pid}-${Date.now()}`;
const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

/** Plans `spec`, builds a one-file image and pushes it: the plan's refusal, if any, comes before the build. */
async function push(spec: string, content = `options ${stamp}\n`): Promise<void> {
  const plan = await planExport(parseOutputSpec(spec), info, client.address.text, { docker: { socketPath: env.dockerSocket } });
  try {
    const state = scratch().file(mkdir('/app', { parents: true }).mkfile('/app/hello.txt', content));
    const outcome = await client.build({ exporter: plan.exporter, sessionServices: plan.sessionServices }, async (gw) => ({
      ref: await gw.solve(marshal(state, { caps: gw.llbCaps })),
      metadata: { 'containerimage.config': JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }) },
    }));
    await plan.finish(outcome.exporterResponse);
  } catch (err) {
    await plan.abort();
    throw err;
  }
}

async function manifest(repo: string, tag: string): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const res = await fetch(`${env.registry.url}/v2/${repo}/manifests/${tag}`, { headers: { Accept: ACCEPT } });
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined };
}

describe('output image options', () => {
  it('pushes zstd layers, OCI media types and the annotation asked for, or refuses them before building on a dockerd whose exporter drops them', async () => {
    const repo = 'kiln-export/options';
    const tag = `zstd-${stamp}`;
    const spec = `type=image,name=${env.registry.address}/${repo}:${tag},push=true,registry.insecure=true,compression=zstd,force-compression=true,oci-mediatypes=true,annotation.org.kiln.test=${stamp}`;
    if (isClassicDockerd(info)) {
      const err = await push(spec).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(KilnError.is(err, 'unsupported')).toBe(true);
      expect((err as KilnError).message).toContain(`is not applied to an image stored by ${info.description}: its exporter reads only the image's names`);
      expect((await manifest(repo, tag)).status).toBe(404);
      return;
    }
    await push(spec);
    const { status, body } = await manifest(repo, tag);
    expect(status).toBe(200);
    expect(body?.['mediaType']).toBe('application/vnd.oci.image.manifest.v1+json');
    const layers = body?.['layers'] as { mediaType: string }[];
    expect(layers.length).toBeGreaterThan(0);
    for (const layer of layers) expect(layer.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
    expect(body?.['annotations']).toMatchObject({ 'org.kiln.test': String(stamp) });
  });

  it('pushes with the options asking for what the daemon does anyway (unpack=true, gzip, Docker media types) on every daemon, the classic image store included', async () => {
    const repo = 'kiln-export/options';
    const tag = `defaults-${stamp}`;
    // Its own layer: without force-compression, BuildKit reuses a blob the zstd push above stored for the same files.
    await push(`type=image,name=${env.registry.address}/${repo}:${tag},push=true,unpack=true,compression=gzip,oci-mediatypes=false`, `defaults ${stamp}\n`);
    const { status, body } = await manifest(repo, tag);
    expect(status).toBe(200);
    expect(body?.['mediaType']).toBe('application/vnd.docker.distribution.manifest.v2+json');
    const layers = body?.['layers'] as { mediaType: string }[];
    expect(layers.length).toBeGreaterThan(0);
    for (const layer of layers) expect(layer.mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
  });

  it("applies registry.insecure=true by Docker's own configuration on dockerd: a registry Docker requires verified HTTPS for and that answers plain HTTP is refused before building; one kiln cannot reach is noted, not refused", async () => {
    // dockerd reaches the test registry (127.0.0.0/8) insecurely by default: the push above went through. A plain-HTTP
    // server on the bridge's address is outside 127.0.0.0/8: Docker would push to it over verified HTTPS only.
    const plain = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((ok) => plain.listen(0, env.bridge.gateway, ok));
    const registry = `${env.bridge.gateway}:${(plain.address() as AddressInfo).port}`;
    try {
      const planned = planExport(parseOutputSpec(`type=image,name=${registry}/kiln-export/options:${stamp},push=true,registry.insecure=true`), info, client.address.text, { docker: { socketPath: env.dockerSocket } });
      if (info.kind === 'buildkitd') {
        // buildkitd pushes itself, with the option.
        const plan = await planned;
        expect(plan.exporter.attrs).toMatchObject({ 'registry.insecure': 'true', push: 'true' });
        expect(plan.notes).toBeUndefined();
        return;
      }
      const err = await planned.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KilnError);
      expect(err).toMatchObject({ code: 'unsupported' });
      expect((err as KilnError).message).toContain(`registry.insecure=true cannot be applied by ${info.description}: kiln pushes through Docker, which reaches ${registry} only over HTTPS with a verified certificate, and ${registry} did not answer so (`);
      // A name that does not resolve here may resolve on the daemon's host (or be reached through its proxy).
      const unreached = await planExport(parseOutputSpec(`type=image,name=kiln-secure.invalid:5000/kiln-export/options:${stamp},push=true,registry.insecure=true`), info, client.address.text, { docker: { socketPath: env.dockerSocket } });
      expect(unreached.notes).toEqual([expect.stringContaining('[kiln] registry.insecure=true: kiln could not ask kiln-secure.invalid:5000 whether it answers over verified HTTPS (ENOTFOUND)')]);
      const local = await planExport(parseOutputSpec(`type=image,name=${env.registry.address}/kiln-export/options:${stamp},push=true,registry.insecure=true`), info, client.address.text, { docker: { socketPath: env.dockerSocket } });
      expect(local.notes).toBeUndefined();
    } finally {
      plain.closeAllConnections();
      await new Promise((ok) => plain.close(ok));
    }
  });

  it("buildImage passes the output's [kiln] notes to onStatus before building (zstd without force-compression keeps the base's gzip layers)", async () => {
    const output = `type=image,name=${env.registry.address}/kiln-export/options:notes-${stamp},push=true,compression=zstd`;
    const image = Image.fromRegistry('busybox:latest').runCommands([`echo notes ${stamp} > /notes`]);
    const seen: string[] = [];
    const onStatus = (e: StatusEvent): void => {
      for (const v of e.vertexes) seen.push(v.name);
    };
    if (isClassicDockerd(info)) {
      // dockerd's classic store cannot apply compression=: refused before building (the first test).
      await expect(buildImage(client, image, { output, onStatus })).rejects.toMatchObject({ code: 'unsupported' });
      return;
    }
    await buildImage(client, image, { output, onStatus });
    expect(seen).toContainEqual(expect.stringContaining('[kiln] compression=zstd applies to the layers this build makes; layers of a base image stay as the registry served them'));
  });

  it('refuses an option it does not know on every daemon, before building, where BuildKit would ignore it', async () => {
    const tag = `typo-${stamp}`;
    const err = await push(`type=image,name=${env.registry.address}/kiln-export/options:${tag},push=true,compresion=zstd`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe('output type=image does not take compresion=zstd: kiln does not know this option, and BuildKit would ignore it');
    expect((await manifest('kiln-export/options', tag)).status).toBe(404);
  });
});

describe('a daemon that does not say which BuildKit it runs', () => {
  it('the buildkitd stand-in (v0.0.0+unknown) gets the options its LLB caps show it has without a word, and the later ones with a note that the daemon decides', async () => {
    const standIn = await Client.connect({ address: env.buildkitdStandIn.unix });
    try {
      const daemon = await standIn.info();
      const name = `${env.registry.address}/kiln-export/options:standin-${stamp}`;
      if (daemon.buildkitVersion === undefined) {
        // dockerd 20.10's BuildKit v0.8 reached as a buildkitd (kiln sees its moby worker): refused as on dockerd itself.
        const err = await planExport(parseOutputSpec(`type=image,name=${name},annotation.a=b`), daemon, standIn.address.text).then(() => undefined, (e: unknown) => e);
        expect(KilnError.is(err, 'unsupported')).toBe(true);
        return;
      }
      expect(daemon.buildkitVersion).toBe('v0.0.0+unknown');
      const plain = await planExport(parseOutputSpec(`type=image,name=${name},compression-level=3,annotation.a=b`), daemon, standIn.address.text);
      expect(plain.notes).toBeUndefined();
      const later = await planExport(parseOutputSpec(`type=image,name=${name},oci-artifact=true`), daemon, standIn.address.text);
      expect(later.exporter.attrs).toMatchObject({ 'oci-artifact': 'true' });
      expect(later.notes).toEqual([
        '[kiln] oci-artifact= needs BuildKit v0.19 or later, and buildkitd v0.0.0+unknown does not say whether it runs one (it reports v0.0.0+unknown for its BuildKit; its LLB caps show v0.11 or later): kiln passes oci-artifact= on, and the daemon applies it or ignores it',
      ]);
    } finally {
      await standIn.close();
    }
  });
});

describe('push-by-digest on a standalone buildkitd', () => {
  it('pushes the repository given without a tag by digest alone (the GitHub Actions multi-platform recipe), and refuses a tagged name before building', async () => {
    const standIn = await Client.connect({ address: env.buildkitdStandIn.unix });
    try {
      const standInInfo = await standIn.info();
      const repo = `kiln-export/by-digest-${stamp}`;
      const spec = `type=image,name=${env.registry.address}/${repo},push=true,push-by-digest=true,name-canonical=true`;
      const plan = () => planExport(parseOutputSpec(spec), standInInfo, standIn.address.text, { docker: { socketPath: env.dockerSocket } });
      if (standInInfo.kind !== 'buildkitd') {
        // The stand-in is dockerd's own BuildKit here: Docker pushes by name, so the option is refused.
        const err = await plan().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(KilnError.is(err, 'unsupported')).toBe(true);
        return;
      }
      const tagged = await planExport(parseOutputSpec(`${spec.replace(repo, `${repo}:1`)}`), standInInfo, standIn.address.text).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(KilnError.is(tagged, 'invalid_argument')).toBe(true);
      expect((tagged as KilnError).message).toBe(`push-by-digest=true pushes the image by its digest alone, and ${env.registry.address}/${repo}:1 has a tag or digest`);
      const p = await plan();
      expect(p.exporter.attrs).toMatchObject({ name: `${env.registry.address}/${repo}`, 'push-by-digest': 'true', push: 'true' });
      const state = scratch().file(mkdir('/app', { parents: true }).mkfile('/app/hello.txt', `by digest ${stamp}\n`));
      const outcome = await standIn.build({ exporter: p.exporter, sessionServices: p.sessionServices }, async (gw) => ({
        ref: await gw.solve(marshal(state, { caps: gw.llbCaps })),
        metadata: { 'containerimage.config': JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }) },
      }));
      const result = await p.finish(outcome.exporterResponse);
      expect(result.pushed).toBe(true);
      expect(result.names).toEqual([`${env.registry.address}/${repo}`]);
      const digest = outcome.exporterResponse['containerimage.digest']!;
      expect((await manifest(repo, digest)).status).toBe(200);
      // By digest alone: no tag was pushed.
      expect((await manifest(repo, 'latest')).status).toBe(404);
    } finally {
      await standIn.close();
    }
  });
});
