/**
 * The HTTP requests kiln itself makes, on a machine whose environment names an HTTP proxy: Docker API requests to a
 * `tcp://` Docker host (through HTTP_PROXY, as the docker CLI's), and `kiln doctor --registry`'s probes of a registry
 * and its login (https over a CONNECT tunnel, http as an absolute-URI request). The proxy
 * (test/fixtures/forward-proxy.ts) alone resolves the names used here: the environment's Docker API (its socket served
 * on TCP by the test), its anonymous registry and its registry that demands a login.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorCheck } from '../../src/client/doctor.js';
import { serveForwardProxy, type ForwardProxy } from '../fixtures/forward-proxy.js';
import { runKiln } from './kiln-cli.js';
import { testEnv } from './test-env.js';

const env = testEnv();
const DOCKER_NAME = 'docker.kiln.test';
const REGISTRY_NAME = 'registry.kiln.test';
const AUTH_REGISTRY_NAME = 'registry-auth.kiln.test';
const registryPort = Number(env.registry.address.split(':')[1]);
const authPort = Number(env.authRegistry.address.split(':')[1]);
let dir: string;
let proxy: ForwardProxy;
let proxyUrl: string;
/** The environment's Docker API socket, served on 127.0.0.1:dockerPort. */
let dockerTcp: Server;
let dockerPort: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-http-behind-proxy-'));
  dockerTcp = createServer((client) => {
    const upstream = connect(env.dockerSocket);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => dockerTcp.listen(0, '127.0.0.1', resolve));
  dockerPort = (dockerTcp.address() as AddressInfo).port;
  proxy = await serveForwardProxy(
    '127.0.0.1',
    new Map([
      [DOCKER_NAME, { host: '127.0.0.1', port: dockerPort }],
      [REGISTRY_NAME, { host: '127.0.0.1', port: registryPort }],
      [AUTH_REGISTRY_NAME, { host: '127.0.0.1', port: authPort }],
    ]),
  );
  proxyUrl = proxy.url.replace('http://', 'http://corp-user:hunter2@');
});

afterAll(async () => {
  await proxy.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => dockerTcp.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** An environment with only the proxy variables given (none inherited from the machine running the tests). */
function proxyEnv(vars: Record<string, string>): Record<string, string | undefined> {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'grpc_proxy', 'no_grpc_proxy', 'ALL_PROXY', 'all_proxy', 'DOCKER_HOST', 'DOCKER_CONTEXT']) {
    delete clean[name];
  }
  return { ...clean, ...vars };
}

async function doctorCheck(name: string, vars: Record<string, string>, registries: readonly string[] = []): Promise<DoctorCheck> {
  const report = await runDoctor({ address: 'unix:///nonexistent/kiln-doctor.sock', registries, env: proxyEnv(vars) });
  const check = report.checks.find((c) => c.name === name);
  if (check === undefined) throw new Error(`no ${name} check in ${JSON.stringify(report.checks)}`);
  return check;
}

describe('the Docker API on a tcp:// Docker host behind an HTTP proxy', () => {
  it('is asked through the proxy HTTP_PROXY names (an absolute-URI request), as the docker CLI asks it', async () => {
    const before = proxy.requests.length;
    const check = await doctorCheck('docker api', { DOCKER_HOST: `tcp://${DOCKER_NAME}:2375`, HTTP_PROXY: proxyUrl });
    expect(check.status).toBe('ok');
    expect(check.detail).toMatch(new RegExp(`^tcp://${DOCKER_NAME}:2375: Docker \\d`));
    expect(proxy.requests.slice(before)).toEqual([`GET http://${DOCKER_NAME}:2375/version`]);
  });

  it('is asked directly on a host NO_PROXY lists, and HTTPS_PROXY alone is not used (the API is plain http)', async () => {
    const before = proxy.requests.length;
    // The name resolves only at the proxy: asked directly, it does not resolve at all.
    const exempt = await doctorCheck('docker api', { DOCKER_HOST: `tcp://${DOCKER_NAME}:2375`, HTTP_PROXY: proxyUrl, NO_PROXY: '.kiln.test' });
    expect(exempt.detail).not.toContain('proxy');
    expect(exempt.detail).toMatch(/ENOTFOUND|EAI_AGAIN/);
    const httpsOnly = await doctorCheck('docker api', { DOCKER_HOST: `tcp://${DOCKER_NAME}:2375`, HTTPS_PROXY: proxyUrl });
    expect(httpsOnly.detail).not.toContain('proxy');
    expect(proxy.requests.slice(before)).toEqual([]);
  });

  it('names a proxy that is not there, its password redacted', async () => {
    const r = await runKiln(['doctor'], { cwd: dir, env: proxyEnv({ DOCKER_HOST: `tcp://${DOCKER_NAME}:2375`, HTTP_PROXY: 'http://corp-user:hunter2@127.0.0.1:9', BUILDKIT_HOST: 'unix:///nonexistent/kiln.sock' }) });
    expect(r.stdout + r.stderr).toContain(`the proxy http://corp-user:***@127.0.0.1:9 (from HTTP_PROXY) could not be reached: ECONNREFUSED`);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });
});

describe('kiln doctor --registry behind an HTTP proxy', () => {
  it('probes a registry through the proxy: https over a CONNECT tunnel, then http as an absolute-URI request', async () => {
    const before = proxy.requests.length;
    const registry = `${REGISTRY_NAME}:${registryPort}`;
    const check = await doctorCheck(`registry ${registry}`, { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl }, [registry]);
    expect(check).toMatchObject({
      status: 'ok',
      detail: `http://${registry}/v2/ answers (anonymous access) (through the proxy http://corp-user:***@${proxy.url.slice('http://'.length)} from HTTP_PROXY)`,
    });
    expect(proxy.requests.slice(before)).toEqual([`CONNECT ${registry}`, `GET http://${registry}/v2/`]);
  });

  it("reaches a registry that wants a login through the proxy, and never sends the Docker config's password over plain http", async () => {
    const registry = `${AUTH_REGISTRY_NAME}:${authPort}`;
    const config = join(dir, 'docker-config');
    mkdirSync(config, { recursive: true });
    const auth = Buffer.from(`${env.authRegistry.username}:${env.authRegistry.password}`).toString('base64');
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [registry]: { auth } } }));
    const before = proxy.requests.length;
    const check = await doctorCheck(`registry ${registry}`, { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, DOCKER_CONFIG: config }, [registry]);
    expect(check.status).toBe('warn');
    expect(check.detail).toContain(`http://${registry}/v2/ answers and needs a login; the Docker config's credentials for ${registry} were not tried: they would go unencrypted over plain http`);
    expect(check.detail).toContain('(through the proxy http://corp-user:***@');
    expect(proxy.requests.slice(before)).toEqual([`CONNECT ${registry}`, `GET http://${registry}/v2/`]);
  });

  it('names a proxy that is not there, its password redacted, with the NO_PROXY entry that bypasses it', async () => {
    const registry = `${REGISTRY_NAME}:${registryPort}`;
    const check = await doctorCheck(`registry ${registry}`, { HTTPS_PROXY: 'http://corp-user:hunter2@127.0.0.1:9' }, [registry]);
    expect(check.status).toBe('fail');
    expect(check.detail).toBe(`https://${registry}/v2/: the proxy http://corp-user:***@127.0.0.1:9 (from HTTPS_PROXY) could not be reached: ECONNREFUSED`);
    expect(check.fix).toContain(`NO_PROXY=${REGISTRY_NAME}`);
    expect(JSON.stringify(check)).not.toContain('hunter2');
  });
});
