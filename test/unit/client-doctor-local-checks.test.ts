/**
 * `runDoctor`'s checks of this machine, with no daemon: the Docker config (credential helpers missing from PATH, a
 * config.json that cannot be read) and registries served by stand-ins on 127.0.0.1 (anonymous access, a login without
 * credentials, credentials from a helper, a Bearer challenge without a token service, nothing there), each reported
 * as it finishes.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorCheck } from '../../src/client/doctor.js';

let dir = '';
let bin = '';
const servers: Server[] = [];

/** A registry stand-in answering /v2/ with `status` (and `challenge` on 401); its host:port. */
async function registry(status: number, challenge?: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.statusCode = status;
    if (challenge !== undefined) res.setHeader('www-authenticate', challenge);
    res.end('{}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A Docker config directory holding `config`. */
function dockerConfig(name: string, config: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'config.json'), config);
  return d;
}

async function check(name: string, env: Record<string, string>, registries: string[] = []): Promise<DoctorCheck | undefined> {
  const report = await runDoctor({ address: `unix://${join(dir, 'no-daemon.sock')}`, registries, env: { PATH: bin, DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}`, ...env } });
  return report.checks.find((c) => c.name === name);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-doctor-local-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'docker-credential-pass'), '#!/bin/sh\nexit 1\n');
  chmodSync(join(bin, 'docker-credential-pass'), 0o755);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  rmSync(dir, { recursive: true, force: true });
});

describe('the docker config check', () => {
  it('names the credential helpers that are not on PATH', async () => {
    const config = dockerConfig('helpers', JSON.stringify({ credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud', 'ghcr.io': 'pass' }, auths: { 'a.example': {} } }));
    expect(await check('docker config', { DOCKER_CONFIG: config })).toEqual({
      name: 'docker config',
      status: 'warn',
      detail: `${join(config, 'config.json')}: 1 stored login, helpers desktop, gcloud, pass; not on PATH: docker-credential-desktop, docker-credential-gcloud`,
      fix: 'Install the credential helper, or remove it from config.json; registries it serves will be used anonymously.',
    });
  });

  it('is fine with helpers on PATH, and counts the logins', async () => {
    const config = dockerConfig('present', JSON.stringify({ credHelpers: { 'ghcr.io': 'pass' }, auths: { 'a.example': {}, 'b.example': {} } }));
    expect(await check('docker config', { DOCKER_CONFIG: config })).toEqual({
      name: 'docker config',
      status: 'ok',
      detail: `${join(config, 'config.json')}: 2 stored logins, helpers pass`,
    });
  });

  it('fails a config.json that cannot be read, and a registry that needs a login says to fix it first', async () => {
    const config = dockerConfig('broken', '{"auths": ');
    const host = await registry(401, 'Basic realm="kiln-test"');
    const report = await runDoctor({ address: `unix://${join(dir, 'no-daemon.sock')}`, registries: [host], env: { PATH: bin, DOCKER_CONFIG: config } });
    const byName = new Map(report.checks.map((c) => [c.name, c]));
    expect(byName.get('docker config')?.status).toBe('fail');
    expect(byName.get('docker config')?.detail).toContain(join(config, 'config.json'));
    expect(byName.get(`registry ${host}`)).toEqual({
      name: `registry ${host}`,
      status: 'warn',
      detail: `http://${host}/v2/ answers and needs a login; the Docker config cannot be read (see "docker config")`,
      fix: 'Fix the Docker config, then docker login.',
    });
    expect(report.ok).toBe(false);
  });
});

describe('the registry check', () => {
  it('is fine with a registry open to anyone', async () => {
    const host = await registry(200);
    expect(await check(`registry ${host}`, { DOCKER_CONFIG: dockerConfig('none', '{}') }, [host])).toEqual({
      name: `registry ${host}`,
      status: 'ok',
      detail: `http://${host}/v2/ answers (anonymous access)`,
    });
  });

  it('says to docker login when a registry wants a login the config does not have', async () => {
    const host = await registry(401, 'Basic realm="kiln-test"');
    const c = await check(`registry ${host}`, { DOCKER_CONFIG: dockerConfig('none', '{}') }, [host]);
    expect(c?.status).toBe('warn');
    expect(c?.detail).toBe(`http://${host}/v2/ answers and needs a login, and the Docker config has no credentials for ${host}: pulls and pushes there fail with 401`);
    expect(c?.fix).toBe(`docker login ${host} (or, in code, authService({ credentials }))`);
  });

  it('leaves credentials a helper holds untried', async () => {
    const host = await registry(401, 'Basic realm="kiln-test"');
    const config = dockerConfig('helper-for-host', JSON.stringify({ credHelpers: { [host]: 'pass' } }));
    const c = await check(`registry ${host}`, { DOCKER_CONFIG: config }, [host]);
    expect(c?.status).toBe('ok');
    expect(c?.detail).toMatch(new RegExp(`^http://${host.replace(/\./g, '\\.')}/v2/ answers and needs a login; credentials come from docker-credential-pass \\(.*\\), not tried here$`));
  });

  it('says a Bearer challenge without a token service is the problem, not the stored credentials', async () => {
    const host = await registry(401, 'Bearer service="registry"');
    const config = dockerConfig('stored', JSON.stringify({ auths: { [host]: { auth: Buffer.from('me:pw').toString('base64') } } }));
    const c = await check(`registry ${host}`, { DOCKER_CONFIG: config }, [host]);
    // Not "it refuses the Docker config's credentials … docker login again": they were never sent.
    expect(c).toEqual({
      name: `registry ${host}`,
      status: 'warn',
      detail: `http://${host}/v2/ answers and needs a login; the Docker config's credentials for ${host} were not tried: its Bearer challenge names no token service (realm)`,
      fix: `Check the token authentication of ${host}: its WWW-Authenticate header must name a realm; pulls and pushes that need a login fail without one.`,
    });
  });

  it('fails stored credentials the registry refuses, and says to log in again', async () => {
    const host = await registry(401, 'Basic realm="kiln-test"');
    const config = dockerConfig('refused', JSON.stringify({ auths: { [host]: { auth: Buffer.from('me:wrong').toString('base64') } } }));
    const c = await check(`registry ${host}`, { DOCKER_CONFIG: config }, [host]);
    expect(c?.status).toBe('fail');
    expect(c?.detail).toBe(`http://${host}/v2/ answers and needs a login, and it refuses the Docker config's credentials for ${host}`);
    expect(c?.fix).toBe(`docker login ${host} again with a valid user and password or token.`);
  });

  it('fails an address with no registry API, naming what each scheme got', async () => {
    const host = await registry(404);
    const c = await check(`registry ${host}`, { DOCKER_CONFIG: dockerConfig('none', '{}') }, [host]);
    expect(c?.status).toBe('fail');
    expect(c?.detail).toMatch(new RegExp(`^no registry API at ${host.replace(/\./g, '\\.')} \\(http: HTTP 404; https: `));
    expect(c?.fix).toBe(`Check the address and that the registry runs; the daemon must reach ${host} too.`);
  });
});

describe('runDoctor', () => {
  it('reports each check as it finishes, in the order of the report', async () => {
    const seen: string[] = [];
    const report = await runDoctor({ address: `unix://${join(dir, 'no-daemon.sock')}`, env: { PATH: bin, DOCKER_CONFIG: dockerConfig('none', '{}') }, onCheck: (c) => seen.push(c.name) });
    expect(seen).toEqual(report.checks.map((c) => c.name));
    expect(seen).toContain('daemon');
  });
});
