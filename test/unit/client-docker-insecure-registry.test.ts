import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonInfo } from '../../src/client/client.js';
import { dockerTreatsAsInsecure, type DockerRegistryConfig } from '../../src/client/docker-insecure-registry.js';
import { planExport } from '../../src/client/export-plan.js';

/** What dockerd 20.10 and 26.1 answer by default, with one registry listed in insecure-registries. */
const config: DockerRegistryConfig = {
  InsecureRegistryCIDRs: ['127.0.0.0/8', '10.20.0.0/16'],
  IndexConfigs: { 'docker.io': { Secure: true }, 'registry.lan:5000': { Secure: false } },
};
const resolve = async (host: string): Promise<readonly string[]> => ({ 'localhost': ['127.0.0.1'], 'build.lan': ['10.20.3.4'], 'registry.example.com': ['203.0.113.7'] })[host] ?? [];

describe('dockerTreatsAsInsecure', () => {
  it.each([
    ['127.0.0.1:5000', true],
    ['localhost:5000', true],
    ['registry.lan:5000', true],
    ['build.lan', true],
    ['10.20.9.9:443', true],
    ['docker.io', false],
    ['registry.example.com', false],
    ['203.0.113.7:5000', false],
    ['unresolvable.invalid:5000', false],
  ])('%s: %s, as Docker decides it', async (registry, insecure) => {
    expect(await dockerTreatsAsInsecure(registry, config, resolve)).toBe(insecure);
  });
});

describe('planExport with registry.insecure=true on dockerd', () => {
  const base = { workers: [], llbCaps: new Set<string>(), frontendCaps: new Set<string>() };
  const classic: DaemonInfo = { ...base, kind: 'dockerd', version: '20.10.24', imageStore: 'graphdriver', description: 'dockerd 20.10.24 (embedded BuildKit v0.8)' };
  const dir = mkdtempSync(join(tmpdir(), 'kiln-insecure-'));
  const socketPath = join(dir, 'docker.sock');
  let server: Server;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(req.url === '/info' ? JSON.stringify({ RegistryConfig: config }) : '{}');
    });
    await new Promise<void>((ok) => server.listen(socketPath, ok));
  });

  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a push to a registry Docker reaches over verified HTTPS, with a note that the option is not applied there (not needed for a trusted certificate)', async () => {
    const plan = await planExport({ type: 'image', names: ['203.0.113.7:5000/app:1', '127.0.0.1:5000/app:1'], push: true, insecure: true }, classic, `docker://unix://${socketPath}`);
    expect(plan.exporter).toEqual({ type: 'moby', attrs: {} });
    expect(plan.notes).toEqual([
      '[kiln] registry.insecure=true is not applied by dockerd 20.10.24 (embedded BuildKit v0.8): kiln pushes through Docker, which reaches 203.0.113.7:5000 over HTTPS with a verified certificate (not needed for a registry with a trusted certificate; for plain HTTP or a self-signed certificate add "203.0.113.7:5000" to "insecure-registries" in dockerd\'s daemon.json, or build on a standalone buildkitd)',
    ]);
  });

  it('takes it for a registry Docker already reaches insecurely, and without a push', async () => {
    const plan = await planExport({ type: 'image', names: ['127.0.0.1:5000/app:1', 'registry.lan:5000/app:1'], push: true, insecure: true }, classic, `docker://unix://${socketPath}`);
    expect(plan.exporter).toEqual({ type: 'moby', attrs: {} });
    expect(plan.notes).toBeUndefined();
    const stored = await planExport({ type: 'image', names: ['203.0.113.7:5000/app:1'], push: false, insecure: true }, classic, `docker://unix://${socketPath}`);
    expect(stored.exporter.type).toBe('moby');
  });
});
