/**
 * Registry credentials and build secrets on the real daemon: a base image is pulled from the htpasswd registry
 * with credentials kiln answers on the session (and refused without them), an image is pushed there with the
 * credentials of a Docker config, and a secret read during a build appears nowhere a user could find it: not in
 * the image, the exported cache (registry and local, `mode=max`) or the daemon's build history.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../src/client/build.js';
import { validateCacheOptions } from '../../src/client/cache-options.js';
import { Client, isClassicDockerd, type DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { serverStreamCall } from '../../src/client/grpc-call.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';
import { image, marshal, mkfile, scratch } from '../../src/llb/index.js';
import { serializeEvent, type StatusEvent } from '../../src/progress/events.js';
import { ControlService } from '../../src/proto/services.js';
import { authService } from '../../src/session/auth-service.js';
import { secretsService } from '../../src/session/secrets-service.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
const auth = env.authRegistry;
// A number (the marker test below does arithmetic on it), distinct across the concurrent passes of `npm test`.
const stamp = Date.now() * 1000 + (process.pid % 1000);
const privateBase = `${auth.address}/kiln-private/base:${stamp}`;
let client: Client;
let info: DaemonInfo;
let work: string;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  info = await client.info();
  work = mkdtempSync(join(tmpdir(), 'kiln-auth-'));
  // Put a base image into the registry that needs a login (through the Docker CLI, as a user would).
  const config = join(work, 'docker-login');
  await dockerCli(['--config', config, 'login', '-u', auth.username, '--password-stdin', auth.address], { input: auth.password });
  await dockerCli(['pull', 'busybox:latest']);
  await dockerCli(['tag', 'busybox:latest', privateBase]);
  await dockerCli(['--config', config, 'push', privateBase]);
  await dockerCli(['rmi', privateBase]);
});

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('registry credentials', () => {
  const readsBase = () => image(privateBase, { resolveMode: 'pull' }).run(['sh', '-c', 'echo pulled > /pulled']).root();

  it('pulls a private base image with the credentials kiln answers on the session', async () => {
    const shared: string[] = [];
    const svc = authService({
      configDir: false,
      credentials: { [auth.address]: { username: auth.username, password: auth.password } },
      onCredentialsShared: (host) => shared.push(host),
    });
    await client.build({ sessionServices: [svc] }, async (gw) => {
      const ref = await gw.solve(marshal(readsBase(), { caps: gw.llbCaps }));
      expect(Buffer.from(await gw.readFile(ref, '/pulled')).toString()).toBe('pulled\n');
      return {};
    });
    expect(shared).toContain(auth.address);
  });

  it('buildImage serves the Docker config\'s credentials without being asked (as the CLI and docker build do)', async () => {
    const before = process.env['DOCKER_CONFIG'];
    process.env['DOCKER_CONFIG'] = join(work, 'docker-login');
    try {
      const built = await buildImage(client, Image.fromRegistry(privateBase).runCommands(`echo ${stamp} > /from-private-base`));
      expect(built.outcome.progress.steps.size).toBeGreaterThan(0);
      expect(built.bases.map((b) => b.ref)).toContain(privateBase);
    } finally {
      if (before === undefined) delete process.env['DOCKER_CONFIG'];
      else process.env['DOCKER_CONFIG'] = before;
    }
  });

  it('pulls with fromRegistry(ref, { secret: { username, password } }), and the BuiltImage logged shows no password', async () => {
    const before = process.env['DOCKER_CONFIG'];
    process.env['DOCKER_CONFIG'] = join(work, 'no-docker-config');
    try {
      const built = await buildImage(
        client,
        Image.fromRegistry(privateBase, { secret: { username: auth.username, password: auth.password } }).runCommands(`echo ${stamp} > /from-literal-secret`),
      );
      expect(built.bases.map((b) => b.ref)).toContain(privateBase);
      expect(inspect(built, { depth: Infinity })).not.toContain(auth.password);
      expect(JSON.stringify(built)).not.toContain(auth.password);
    } finally {
      if (before === undefined) delete process.env['DOCKER_CONFIG'];
      else process.env['DOCKER_CONFIG'] = before;
    }
  });

  it('fails clearly without credentials', async () => {
    const err = await client
      .build({ sessionServices: [authService({ configDir: false })] }, async (gw) => ({ ref: await gw.solve(marshal(readsBase(), { caps: gw.llbCaps })) }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(KilnError);
    expect((err as Error).message).toMatch(/401|unauthorized|authorization/i);
  });

  it('pushes with the credentials of a Docker config', async () => {
    const configDir = join(work, 'docker-config');
    rmSync(configDir, { recursive: true, force: true });
    await dockerCli(['--config', configDir, 'login', '-u', auth.username, '--password-stdin', auth.address], { input: auth.password });
    const name = `${auth.address}/kiln-private/pushed:${stamp}`;
    const plan = await planExport(parseOutputSpec(`type=image,name=${name},push=true,registry.insecure=true`), info, client.address.text, {
      docker: { socketPath: env.dockerSocket },
      env: { ...process.env, DOCKER_CONFIG: configDir },
    });
    const outcome = await client.build(
      { exporter: plan.exporter, sessionServices: [...plan.sessionServices, authService({ configDir })] },
      async (gw) => ({
        ref: await gw.solve(marshal(scratch().file(mkfile('/hello', 'pushed')), { caps: gw.llbCaps })),
        metadata: { 'containerimage.config': JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }) },
      }),
    );
    const result = await plan.finish(outcome.exporterResponse);
    expect(result.pushed).toBe(true);
    const res = await fetch(`${auth.url}/v2/kiln-private/pushed/tags/list`, {
      headers: { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` },
    });
    expect(((await res.json()) as { tags: string[] }).tags).toContain(String(stamp));
  });
});

describe('build secrets', () => {
  const SECRET = `s3cr3t-${stamp}-kiln-value`;

  it('a secret read during the build appears in no layer, definition, log or error', async () => {
    const secretFile = join(work, 'token');
    writeFileSync(secretFile, SECRET);
    const captured: string[] = [];
    const name = `kiln-secret/test:${stamp}`;
    const state = image('docker.io/library/debian:bookworm-slim')
      .run(['sh', '-c', `test -s /run/secrets/token && sha256sum /run/secrets/token | cut -c1-16 > /token-hash && echo "run ${stamp}: token length $(wc -c < /run/secrets/token)"`], {
        secrets: [{ id: 'token', path: '/run/secrets/token' }],
        customName: 'use the token',
      })
      .root();
    const def = marshal(state);
    expect(Buffer.from(def.toBytes()).includes(Buffer.from(SECRET))).toBe(false);
    const plan = await planExport(parseOutputSpec(`type=docker,name=${name}`), info, client.address.text, { docker: { socketPath: env.dockerSocket } });
    const outcome = await client.build(
      {
        exporter: plan.exporter,
        sessionServices: [...plan.sessionServices, secretsService([{ id: 'token', file: secretFile }])],
        onStatus: (e: StatusEvent) => {
          captured.push(serializeEvent(e), ...e.logs.map((l) => Buffer.from(l.data).toString('utf8')));
        },
      },
      async (gw) => ({
        ref: await gw.solve(marshal(state, { caps: gw.llbCaps })),
        metadata: { 'containerimage.config': JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/usr/bin:/bin'] } }) },
      }),
    );
    await plan.finish(outcome.exporterResponse);
    expect(captured.join('\n')).toContain(`token length ${SECRET.length}`);
    const run = await dockerCli(['run', '--rm', '--network', 'none', name, 'sh', '-c', 'cat /token-hash; ls /run/secrets 2>&1 || true']);
    expect(run.stdout).toMatch(/^[0-9a-f]{16}\n/);
    // Every byte of the exported image.
    const tar = join(work, 'image.tar');
    await dockerCli(['save', '-o', tar, name]);
    expect(readFileSync(tar).includes(Buffer.from(SECRET))).toBe(false);
    expect(captured.join('\n')).not.toContain(SECRET);

    // A failing step that prints around the secret: the error the user sees does not contain it either.
    const failing = image('docker.io/library/debian:bookworm-slim')
      .run(['sh', '-c', `echo "checking token ${stamp}"; exit 4`], { secrets: [{ id: 'token', path: '/run/secrets/token' }] })
      .root();
    const err = await client
      .build({ sessionServices: [secretsService([{ id: 'token', file: secretFile }])] }, async (gw) => ({ ref: await gw.solve(marshal(failing, { caps: gw.llbCaps })) }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    expect(JSON.stringify({ message: (err as Error).message, details: (err as KilnError).details })).not.toContain(SECRET);
    await dockerCli(['rmi', name], { allowFailure: true });
  });

  it('tells the daemon an unknown secret is missing, so a required one fails the step', async () => {
    const state = image('docker.io/library/debian:bookworm-slim').run(['true'], { secrets: [{ id: 'absent', path: '/run/secrets/absent' }] }).root();
    const err = await client
      .build({ sessionServices: [secretsService([])] }, async (gw) => ({ ref: await gw.solve(marshal(state, { caps: gw.llbCaps })) }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(KilnError);
    expect((err as Error).message).toMatch(/absent/);
    const optional = image('docker.io/library/debian:bookworm-slim').run(['true'], { secrets: [{ id: 'absent', path: '/run/secrets/absent', optional: true }] }).root();
    await client.build({ sessionServices: [secretsService([])] }, async (gw) => ({ ref: await gw.solve(marshal(optional, { caps: gw.llbCaps })) }));
  });
});

/** One stored artefact: where it came from, and its bytes (a gzip layer also decompressed, so files in it are read). */
interface Artefact {
  readonly name: string;
  readonly bytes: Buffer;
}

const isGzip = (b: Buffer): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
const withContents = (name: string, bytes: Buffer): Artefact[] => (isGzip(bytes) ? [{ name, bytes }, { name: `${name} (decompressed)`, bytes: gunzipSync(bytes) }] : [{ name, bytes }]);

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
}

/** Every manifest, config and layer of `repo:reference` in the registry that needs a login, as a client pulling it sees them. */
async function registryArtefacts(auth: { url: string; username: string; password: string }, repo: string, reference: string): Promise<Artefact[]> {
  const headers = { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
  const get = async (path: string, accept?: string): Promise<Buffer> => {
    const res = await fetch(`${auth.url}/v2/${repo}/${path}`, { headers: accept === undefined ? headers : { ...headers, Accept: accept } });
    if (!res.ok) throw new Error(`GET ${repo}/${path}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const out: Artefact[] = [];
  const manifest = async (ref: string): Promise<void> => {
    const bytes = await get(`manifests/${ref}`, MANIFEST_TYPES.join(', '));
    out.push({ name: `${repo} manifest ${ref}`, bytes });
    const doc = JSON.parse(bytes.toString('utf8')) as { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
    for (const d of doc.manifests ?? []) {
      if (MANIFEST_TYPES.includes(d.mediaType)) await manifest(d.digest);
      else out.push(...withContents(`${repo} blob ${d.digest}`, await get(`blobs/${d.digest}`)));
    }
    for (const d of [...(doc.config === undefined ? [] : [doc.config]), ...(doc.layers ?? [])]) out.push(...withContents(`${repo} blob ${d.digest}`, await get(`blobs/${d.digest}`)));
  };
  await manifest(reference);
  return out;
}

/** Every file under `dir` (a local cache directory). */
function directoryArtefacts(dir: string): Artefact[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((rel) => join(dir, rel))
    .filter((path) => statSync(path).isFile())
    .flatMap((path) => withContents(path, readFileSync(path)));
}

describe('what a build that reads a secret leaves behind', () => {
  const SECRET = `cache-s3cr3t-${stamp}-value`;
  const marker = String(stamp + 1);

  it('no exported cache (registry and local, mode=max, or inline) and no build history record holds the secret or the registry password', async () => {
    const before = process.env['DOCKER_CONFIG'];
    process.env['DOCKER_CONFIG'] = join(work, 'docker-login');
    const cacheDir = join(work, 'local-cache');
    const repo = 'kiln-private/cached';
    try {
      // The secret is read three ways (a variable, a file written and removed in the same step, a Dockerfile
      // secret mount); the base comes from the registry that needs a login, with credentials given in code.
      const img = Image.fromRegistry(privateBase, { secret: { username: auth.username, password: auth.password } })
        .runCommands(`printf %s "$CACHE_TOKEN" > /tmp/token-copy && wc -c < /tmp/token-copy > /token-length && rm /tmp/token-copy && echo $((${stamp} + 1)) > /marker`, {
          secrets: ['CACHE_TOKEN'],
        })
        .dockerfileCommands(['RUN --mount=type=secret,id=CACHE_TOKEN wc -c < /run/secrets/CACHE_TOKEN > /token-length-2']);
      // dockerd's classic image store exports only inline cache (it travels in the pushed image); other daemons
      // export every intermediate layer to a cache image and to a local directory.
      const inlineOnly = isClassicDockerd(info);
      const cacheExports: CacheEntry[] = inlineOnly
        ? [{ type: 'inline', attrs: {} }]
        : [
            { type: 'registry', attrs: { ref: `${auth.address}/${repo}:cache-${stamp}`, mode: 'max', 'registry.insecure': 'true' } },
            { type: 'local', attrs: { dest: cacheDir, mode: 'max' } },
          ];
      const built = await buildImage(client, img, {
        output: `type=image,name=${auth.address}/${repo}:${stamp},push=true,registry.insecure=true`,
        secrets: [{ id: 'CACHE_TOKEN', value: SECRET }],
        cacheExports: validateCacheOptions('export', cacheExports, info),
      });
      expect(built.exported?.pushed).toBe(true);

      const artefacts = await registryArtefacts(auth, repo, String(stamp));
      if (inlineOnly) {
        expect(artefacts.some((a) => a.bytes.includes('moby.buildkit.cache.v0'))).toBe(true);
      } else {
        const cache = [...(await registryArtefacts(auth, repo, `cache-${stamp}`)), ...directoryArtefacts(cacheDir)];
        // The step's layer is there, unpacked: the scan reads files, not only compressed bytes.
        expect(cache.filter((a) => a.bytes.includes(`${marker}\n`)).map((a) => a.name)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^kiln-private\/cached blob .*\(decompressed\)$/), expect.stringMatching(/local-cache.*\(decompressed\)$/)]),
        );
        artefacts.push(...cache);
      }
      expect(artefacts.filter((a) => a.bytes.includes(`${marker}\n`)).length).toBeGreaterThan(0);

      // BuildKit v0.11+ keeps a record of every build (what `docker buildx history` shows): attrs and exporter
      // response. dockerd 20.10 keeps none.
      if (info.buildkitVersion !== undefined) {
        const events: unknown[] = [];
        const call = serverStreamCall(client.grpc, ControlService.ListenBuildHistory, { Ref: built.outcome.ref, EarlyExit: true }, {});
        call.on('data', (e: unknown) => events.push(e));
        await new Promise<void>((resolve, reject) => {
          call.on('end', resolve);
          call.on('error', reject);
        });
        const record = JSON.stringify(events);
        expect(record).toContain(built.outcome.ref);
        artefacts.push({ name: 'build history record', bytes: Buffer.from(record) });
      }

      const basic = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      for (const needle of [SECRET, auth.password, basic, work]) {
        expect(artefacts.filter((a) => a.bytes.includes(needle)).map((a) => a.name)).toEqual([]);
      }
    } finally {
      if (before === undefined) delete process.env['DOCKER_CONFIG'];
      else process.env['DOCKER_CONFIG'] = before;
    }
  });
});
