/**
 * Supply-chain attestations (`buildImage({ attestations })`, `kiln build --provenance/--sbom/--attest`) on the real
 * daemon: BuildKit v0.11+ puts an attestation manifest (platform unknown/unknown) beside the image in its index, in an
 * OCI tarball and in the registry; BuildKit v0.8 (dockerd 20.10), which would ignore the request, is refused before
 * anything is built. The SBOM comes from a stand-in scanner image this test builds and pushes: it follows BuildKit's
 * scanner protocol (the built image mounted at $BUILDKIT_SCAN_SOURCE, in-toto statements written to
 * $BUILDKIT_SCAN_DESTINATION).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { buildImage } from '../../src/image/build-image.js';
import { Image } from '../../src/image/image.js';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
let info: DaemonInfo;
let work: string;
const stamp = `${process.pid}-${Date.now()}`;

const SLSA = 'https://slsa.dev/provenance/v0.2';
const SPDX = 'https://spdx.dev/Document';

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  info = await client.info();
  work = mkdtempSync(join(tmpdir(), 'kiln-attest-'));
});

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

/** BuildKit before v0.11 (dockerd 20.10): no attestations. */
const attests = (): boolean => info.llbCaps.has('exporter.image.attestations');

const app = (): Image => Image.fromRegistry('busybox:1.35').runCommands(`echo attested-${stamp} > /hi`);

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly platform?: { readonly os: string; readonly architecture: string };
  readonly annotations?: Readonly<Record<string, string>>;
}
interface Statement {
  readonly _type: string;
  readonly predicateType: string;
  readonly subject: readonly { readonly name: string; readonly digest: Readonly<Record<string, string>> }[];
  readonly predicate: Record<string, unknown>;
}

/** The image index and what its attestation manifests hold, read with `blob` (an OCI layout's, or the registry's). */
async function attested(index: { manifests: readonly Descriptor[] }, blob: (digest: string) => Promise<Uint8Array>): Promise<{ image: Descriptor; statements: Statement[] }> {
  const json = async <T>(digest: string): Promise<T> => JSON.parse(Buffer.from(await blob(digest)).toString('utf8')) as T;
  const images = index.manifests.filter((m) => m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest');
  const attestations = index.manifests.filter((m) => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest');
  expect(images.map((m) => `${m.platform?.os}/${m.platform?.architecture}`)).toEqual(['linux/amd64']);
  expect(attestations.map((m) => [m.platform, m.annotations?.['vnd.docker.reference.digest']])).toEqual([[{ os: 'unknown', architecture: 'unknown' }, images[0]!.digest]]);
  const manifest = await json<{ layers: Descriptor[] }>(attestations[0]!.digest);
  const statements: Statement[] = [];
  for (const layer of manifest.layers) {
    expect(layer.mediaType).toBe('application/vnd.in-toto+json');
    const s = await json<Statement>(layer.digest);
    expect(layer.annotations?.['in-toto.io/predicate-type']).toBe(s.predicateType);
    statements.push(s);
  }
  return { image: images[0]!, statements };
}

/** The image index of an OCI tarball (following the nested index the oci exporter writes). */
async function ociAttested(tar: string): Promise<Awaited<ReturnType<typeof attested>>> {
  const dir = `${tar}.d`;
  mkdirSync(dir);
  execFileSync('tar', ['-xf', tar, '-C', dir]);
  const blob = async (digest: string): Promise<Uint8Array> => readFileSync(join(dir, 'blobs', ...digest.split(':')));
  let index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  while (index.manifests.length === 1 && index.manifests[0]!.mediaType.endsWith('image.index.v1+json')) index = JSON.parse(Buffer.from(await blob(index.manifests[0]!.digest)).toString('utf8')) as typeof index;
  return attested(index, blob);
}

const byType = (statements: readonly Statement[], type: string): Statement => {
  const found = statements.filter((s) => s.predicateType === type);
  expect(found.map((s) => s._type)).toEqual(['https://in-toto.io/Statement/v0.1']);
  return found[0]!;
};

describe('attestations', () => {
  it('refuses them on a daemon that would ignore them (BuildKit before v0.11), naming it and what to do, before building', async () => {
    if (attests()) return; // made below
    const events: string[] = [];
    const err = await buildImage(client, app(), { output: `type=local,dest=${join(work, 'never')}`, attestations: { provenance: true }, onStatus: (e) => events.push(...e.vertexes.map((v) => v.name)) }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    expect((err as KilnError).message).toBe(`cannot attest the image (provenance (mode=min)): ${info.description} makes no attestations (dockerd 20.10 embeds BuildKit v0.8; it lacks the exporter.image.attestations capability of BuildKit v0.11+), and would build the image without them`);
    expect((err as KilnError).hint).toContain('BuildKit v0.11 or later');
    expect(events).toEqual([]);
    const dir = join(work, 'cli-old');
    mkdirSync(dir);
    writeFileSync(join(dir, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:1.35').runCommands('echo hi > /hi');\n`);
    for (const flags of [['--provenance=mode=max'], ['--sbom=true'], ['--attest', 'type=sbom,generator=127.0.0.1:5000/scanner:1']]) {
      const res = await runKiln(['build', 'image.ts', ...flags, '-o', 'type=local,dest=out', '--progress', 'plain'], { cwd: dir });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('makes no attestations');
      expect(res.stderr).toContain('hint: Build on a daemon with BuildKit v0.11 or later');
      expect(res.stderr).not.toContain('echo hi'); // nothing was built
    }
    // Turning them off asks for what every build does.
    const ok = await runKiln(['build', 'image.ts', '--provenance=false', '--sbom=false', '-o', 'type=local,dest=out', '--progress', 'quiet'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'hi'), 'utf8')).toBe('hi\n');
  });

  it('writes SLSA provenance beside the image in an OCI tarball: mode=min without the build\'s steps, mode=max with its LLB', async () => {
    if (!attests()) return; // refused above
    const min = join(work, 'min.tar');
    const built = await buildImage(client, app(), { output: `type=oci,dest=${min}`, attestations: { provenance: true } });
    const minimal = await ociAttested(min);
    const pMin = byType(minimal.statements, SLSA).predicate as { materials: { uri: string }[]; buildConfig?: unknown; metadata: { completeness: { materials: boolean } } };
    expect(minimal.statements.map((s) => s.predicateType)).toEqual([SLSA]);
    // The base image is a material in both modes; the steps (the LLB) only in max.
    expect(pMin.materials.map((m) => m.uri)).toContain('pkg:docker/busybox@1.35?platform=linux%2Famd64');
    expect(pMin.buildConfig).toBeUndefined();
    expect(built.digest).toMatch(/^sha256:/);
    const max = join(work, 'max.tar');
    await buildImage(client, app(), { output: `type=oci,dest=${max}`, attestations: { provenance: 'max' } });
    const full = byType((await ociAttested(max)).statements, SLSA).predicate as { materials: { uri: string }[]; buildConfig?: { llbDefinition: { op: { Op: { exec?: { meta: { args: string[] } } } | null } }[] } };
    expect(full.materials.map((m) => m.uri)).toContain('pkg:docker/busybox@1.35?platform=linux%2Famd64');
    const runs = full.buildConfig?.llbDefinition.flatMap((s) => (s.op.Op?.exec === undefined ? [] : [s.op.Op.exec.meta.args.join(' ')]));
    expect(runs?.some((a) => a.includes(`echo attested-${stamp} > /hi`))).toBe(true);
  });

  it('pushes the attestation manifest with the image (kiln build --push / -o type=image,push=true --provenance)', async () => {
    if (!attests()) return;
    const dir = join(work, 'cli-push');
    mkdirSync(dir);
    writeFileSync(join(dir, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:1.35').runCommands('echo pushed-${stamp} > /hi');\n`);
    const repo = 'kiln-attest/app';
    const name = `${env.registry.address}/${repo}:${stamp}`;
    const push = info.kind === 'dockerd' ? ['--push', '-t', name] : ['-o', `type=image,name=${name},push=true,registry.insecure=true`];
    const res = await runKiln(['build', 'image.ts', ...push, '--attest', 'type=provenance,mode=max', '--progress', 'plain'], { cwd: dir });
    expect(res.stderr).toContain('pushed-');
    expect(res.code).toBe(0);
    const get = async (path: string, accept: string): Promise<Response> => {
      const r = await fetch(`${env.registry.url}/v2/${repo}/${path}`, { headers: { Accept: accept } });
      expect(r.status).toBe(200);
      return r;
    };
    const indexRes = await get(`manifests/${stamp}`, 'application/vnd.oci.image.index.v1+json');
    expect(res.stdout.trim()).toBe(indexRes.headers.get('docker-content-digest'));
    const { statements } = await attested((await indexRes.json()) as { manifests: Descriptor[] }, async (digest) => {
      const m = await fetch(`${env.registry.url}/v2/${repo}/manifests/${digest}`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
      return new Uint8Array(await (m.status === 200 ? m : await get(`blobs/${digest}`, '*/*')).arrayBuffer());
    });
    expect(byType(statements, SLSA).predicate['buildConfig']).toBeDefined();
  });

  it('loads an attested image into Docker with the containerd image store (kiln build --load --provenance=true), with no note', async () => {
    if (!attests()) return;
    const dir = join(work, 'cli-load');
    mkdirSync(dir);
    writeFileSync(join(dir, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:1.35').runCommands('echo loaded-${stamp} > /hi');\n`);
    const name = `kiln-attest/load:${stamp}`;
    const res = await runKiln(['build', 'image.ts', '--load', '-t', name, '--provenance=true', '--progress', 'plain'], { cwd: dir });
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain('drops its attestations');
    const run = await dockerCli(['run', '--rm', '--network', 'none', name, 'cat', '/hi']);
    expect(run.stdout).toBe(`loaded-${stamp}\n`);
    await dockerCli(['rmi', '-f', name]);
  });

  it('makes an SBOM with the scanner image named (generator=), run on the built image, beside the provenance', async () => {
    if (!attests()) return;
    // A scanner that follows BuildKit's protocol: it reads the image at $BUILDKIT_SCAN_SOURCE and writes in-toto
    // statements (an SPDX document) into $BUILDKIT_SCAN_DESTINATION.
    const ctx = join(work, 'scanner');
    mkdirSync(ctx);
    writeFileSync(
      join(ctx, 'scan.sh'),
      [
        'set -eu',
        'hi=$(cat "$BUILDKIT_SCAN_SOURCE/hi")',
        'cat > "$BUILDKIT_SCAN_DESTINATION/sbom.spdx.json" <<EOF',
        `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"${SPDX}","subject":[],"predicate":{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"kiln-stand-in-scan","comment":"scanned $hi from $BUILDKIT_SCAN_SOURCE","packages":[]}}`,
        'EOF',
        '',
      ].join('\n'),
    );
    const scanner = `${env.registry.address}/kiln-attest/scanner:${stamp}`;
    await buildImage(client, Image.fromRegistry('busybox:1.35').addLocalFile('scan.sh', '/scan.sh').entrypoint(['sh', '/scan.sh']), {
      context: ctx,
      output: `type=image,name=${scanner},push=true,registry.insecure=true`,
    });
    const tar = join(work, 'sbom.tar');
    await buildImage(client, app(), { output: `type=oci,dest=${tar}`, attestations: { provenance: true, sbom: { generator: scanner } } });
    const { statements } = await ociAttested(tar);
    expect(statements.map((s) => s.predicateType).sort()).toEqual([SLSA, SPDX].sort());
    const sbom = byType(statements, SPDX);
    expect(sbom.predicate['comment']).toBe(`scanned attested-${stamp} from /run/src/core/sbom`);
  });
});
