/**
 * Registry credentials and build secrets on the real daemon: a base image is pulled from the htpasswd registry
 * with credentials kiln answers on the session (and refused without them), an image is pushed there with the
 * credentials of a Docker config, and a secret read during a build appears nowhere a user could find it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';
import { image, marshal, mkfile, scratch } from '../../src/llb/index.js';
import { serializeEvent, type StatusEvent } from '../../src/progress/events.js';
import { authService } from '../../src/session/auth-service.js';
import { secretsService } from '../../src/session/secrets-service.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
const auth = env.authRegistry;
const stamp = Date.now();
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
