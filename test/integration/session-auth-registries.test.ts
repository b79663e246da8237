/**
 * Private registries as users meet them, on the real daemon, with registries the test starts: one with Docker
 * Hub's token flow (Bearer realm/service/scope, a token service signing JWTs) and one serving https from the
 * user's own CA. With the Docker config's login, a base image is pulled and the result pushed through the token
 * flow; a wrong password fails naming the registry and never showing the password; a registry whose CA the daemon
 * does not trust fails with a hint that says so.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';
import { startTlsRegistry, startTokenRegistry, type PrivateRegistry } from './private-registries.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
const stamp = Date.now();
let client: Client;
let work: string;
let tokenRegistry: PrivateRegistry;
let tlsRegistry: PrivateRegistry;

/** A Docker config directory whose `auths` holds `password` for `registry` under `key` (default: its address). */
function dockerConfig(name: string, registry: PrivateRegistry, password: string, key = registry.address): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [key]: { auth: Buffer.from(`${registry.username}:${password}`).toString('base64') } } }));
  return dir;
}

/** Runs `fn` with DOCKER_CONFIG set, as the CLI and buildImage read it. */
async function withDockerConfig<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env['DOCKER_CONFIG'];
  process.env['DOCKER_CONFIG'] = dir;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env['DOCKER_CONFIG'];
    else process.env['DOCKER_CONFIG'] = before;
  }
}

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiln-registries-'));
  client = await Client.connect({ address: env.buildkitHost });
  [tokenRegistry, tlsRegistry] = await Promise.all([startTokenRegistry(), startTlsRegistry(env.bridge.gateway)]);
  // Put a base image into the token registry through the Docker CLI, as a user would.
  const login = join(work, 'docker-login');
  await dockerCli(['--config', login, 'login', '-u', tokenRegistry.username, '--password-stdin', tokenRegistry.address], { input: tokenRegistry.password });
  await dockerCli(['pull', 'busybox:latest']);
  await dockerCli(['tag', 'busybox:latest', `${tokenRegistry.address}/team/base:1`]);
  await dockerCli(['--config', login, 'push', `${tokenRegistry.address}/team/base:1`]);
  await dockerCli(['rmi', `${tokenRegistry.address}/team/base:1`]);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await tokenRegistry?.stop();
  await tlsRegistry?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('a registry with token authentication (the Docker Hub flow)', () => {
  it('pulls the base and pushes the image with the Docker config login, keyed as docker login writes it or as a URL', async () => {
    const base = `${tokenRegistry.address}/team/base:1`;
    const pushed = `${tokenRegistry.address}/team/app:${stamp}`;
    const img = Image.fromRegistry(base).runCommands(`echo ${stamp} > /built`);
    const built = await withDockerConfig(dockerConfig('token-login', tokenRegistry, tokenRegistry.password, `http://${tokenRegistry.address}/v1/`), () =>
      buildImage(client, img, { output: `type=image,name=${pushed},push=true,registry.insecure=true` }),
    );
    expect(built.exported?.pushed).toBe(true);
    const res = await fetch(`http://${tokenRegistry.address}/v2/team/app/tags/list`, {
      headers: { authorization: `Bearer ${await tokenRegistry.token('repository:team/app:pull')}` },
    });
    expect(((await res.json()) as { tags: string[] }).tags).toContain(String(stamp));
    // The daemon fetched its tokens with the login kiln gave it, and was never refused.
    expect(tokenRegistry.tokenRequests.length).toBeGreaterThan(0);
    expect(tokenRegistry.tokenRequests.filter((r) => r.endsWith('refused'))).toEqual([]);
  });

  it('pulls the base with only a registrytoken in the Docker config: the daemon uses it as is, asking the token service nothing', async () => {
    const base = `${tokenRegistry.address}/team/base:1`;
    const dir = join(work, 'registry-token');
    mkdirSync(dir, { recursive: true });
    const token = await tokenRegistry.token('repository:team/base:pull');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [tokenRegistry.address]: { registrytoken: token } } }));
    const asked = tokenRegistry.tokenRequests.length;
    const built = await withDockerConfig(dir, () => buildImage(client, Image.fromRegistry(base).runCommands(`echo token-${stamp} > /built`)));
    expect(built.exported).toBeUndefined();
    // Without kiln vouching for the token, the daemon would ask the token service anonymously and be refused.
    expect(tokenRegistry.tokenRequests.slice(asked)).toEqual([]);
  });

  it('fails a wrong password naming the registry, and shows the password nowhere', async () => {
    const wrong = `wrong-pw-${stamp}`;
    const base = `${tokenRegistry.address}/team/base:1`;
    const err = await withDockerConfig(dockerConfig('token-wrong', tokenRegistry, wrong), () =>
      failure(buildImage(client, Image.fromRegistry(base).runCommands(`echo wrong-${stamp} > /built`))),
    );
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    const k = err as KilnError;
    expect(k.message).toContain(`load metadata for ${base}`);
    expect(k.message).toMatch(/401/);
    // kiln did send the config's login: the hint says the registry refused it, not "make sure credentials are available".
    expect(k.hint).toContain(
      `kiln gave the daemon credentials for ${tokenRegistry.address} (the Docker config's, or fromRegistry(ref, { secret })): a 401 Unauthorized means the registry refused them; docker login ${tokenRegistry.address} again with a valid user and password or token.`,
    );
    expect(k.hint).not.toContain('credentials are available');
    const shown = `${k.message}\n${k.hint}\n${JSON.stringify(k.details)}`;
    expect(shown).not.toContain(wrong);
    expect(shown).not.toContain(Buffer.from(`${tokenRegistry.username}:${wrong}`).toString('base64'));
  });
});

describe('a registry serving https from a CA the daemon does not trust', () => {
  it('fails the base image with the certificate error and a hint naming the certificate and kiln doctor', async () => {
    const base = `${tlsRegistry.address}/team/base:1`;
    const err = await withDockerConfig(dockerConfig('tls-login', tlsRegistry, tlsRegistry.password), () =>
      failure(buildImage(client, Image.fromRegistry(base).runCommands('true'))),
    );
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    const k = err as KilnError;
    expect(k.message).toMatch(/x509|certificate/);
    expect(k.hint).toBe(
      `Check that ${base} exists (name, tag), that the daemon can reach ${tlsRegistry.address} and trusts its certificate, and for a private registry that credentials are available: ` +
        `docker login ${tlsRegistry.address}, or fromRegistry(ref, { secret }). kiln doctor --registry ${tlsRegistry.address} checks the connection, certificate and login.`,
    );
    expect(`${k.message}\n${k.hint}`).not.toContain(tlsRegistry.password);
  });
});
