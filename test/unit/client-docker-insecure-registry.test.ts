import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonInfo } from '../../src/client/client.js';
import { dockerInsecurePushNotes, dockerTreatsAsInsecure, httpsProxyFor, probeVerifiedHttps, type DockerRegistryConfig } from '../../src/client/docker-insecure-registry.js';
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

  it('refuses, before building, a push to a registry Docker requires verified HTTPS for and that does not answer so', async () => {
    const err = await dockerInsecurePushNotes({ socketPath }, ['registry.example.com/app:1', '127.0.0.1:5000/app:1'], 'dockerd 20.10.24', async () => ({ verified: false, reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: 'unsupported',
      message: 'registry.insecure=true cannot be applied by dockerd 20.10.24: kiln pushes through Docker, which reaches registry.example.com only over HTTPS with a verified certificate, and registry.example.com did not answer so (DEPTH_ZERO_SELF_SIGNED_CERT)',
    });
    expect((err as { hint?: string }).hint).toContain('Add "registry.example.com" to "insecure-registries" in dockerd\'s daemon.json');
  });

  it('takes, with a note, a push to a registry kiln cannot reach from here (a name only the daemon resolves, a proxy): Docker may', async () => {
    const plan = await planExport({ type: 'image', names: ['registry.invalid:5000/app:1', '127.0.0.1:5000/app:1'], push: true, insecure: true }, classic, `docker://unix://${socketPath}`);
    expect(plan.exporter).toEqual({ type: 'moby', attrs: {} });
    expect(plan.notes).toEqual([
      '[kiln] registry.insecure=true: kiln could not ask registry.invalid:5000 whether it answers over verified HTTPS (ENOTFOUND); Docker (dockerd 20.10.24 (embedded BuildKit v0.8)) pushes the image from its own host and reaches registry.invalid:5000 only so — if it serves plain HTTP or a self-signed certificate, the push fails after the build (add it to "insecure-registries" in dockerd\'s daemon.json)',
    ]);
  });

  it('takes a push to a registry answering over verified HTTPS, with a note that the option is not needed there', async () => {
    const asked: string[] = [];
    const notes = await dockerInsecurePushNotes({ socketPath }, ['registry.example.com/app:1', '127.0.0.1:5000/app:1'], 'dockerd 20.10.24', async (r) => {
      asked.push(r);
      return { verified: true };
    });
    expect(asked).toEqual(['registry.example.com']);
    expect(notes).toEqual(['[kiln] registry.insecure=true is not needed for registry.example.com: it answers over HTTPS with a verified certificate, as Docker (dockerd 20.10.24), which pushes the image, requires']);
  });

  it('takes it for a registry Docker already reaches insecurely, and without a push', async () => {
    const plan = await planExport({ type: 'image', names: ['127.0.0.1:5000/app:1', 'registry.lan:5000/app:1'], push: true, insecure: true }, classic, `docker://unix://${socketPath}`);
    expect(plan.exporter).toEqual({ type: 'moby', attrs: {} });
    expect(plan.notes).toBeUndefined();
    const stored = await planExport({ type: 'image', names: ['203.0.113.7:5000/app:1'], push: false, insecure: true }, classic, `docker://unix://${socketPath}`);
    expect(stored.exporter.type).toBe('moby');
  });
});

describe('httpsProxyFor', () => {
  it('names the HTTPS proxy Docker would use for the registry, unless NO_PROXY lists it', () => {
    expect(httpsProxyFor('registry.example.com', {})).toBeUndefined();
    expect(httpsProxyFor('registry.example.com', { HTTPS_PROXY: 'http://proxy:3128' })).toBe('http://proxy:3128');
    expect(httpsProxyFor('registry.example.com:5000', { https_proxy: 'http://proxy:3128' })).toBe('http://proxy:3128');
    expect(httpsProxyFor('registry.example.com:5000', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost,.example.com' })).toBeUndefined();
    expect(httpsProxyFor('registry.example.com', { HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'registry.example.com' })).toBeUndefined();
    expect(httpsProxyFor('registry.example.com', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*' })).toBeUndefined();
    expect(httpsProxyFor('notexample.com', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'example.com' })).toBe('http://proxy:3128');
    // Go's reading, as Docker's: an empty HTTPS_PROXY does not hide https_proxy; loopback is never proxied; NO_PROXY
    // entries with a port or a CIDR.
    expect(httpsProxyFor('registry.example.com', { HTTPS_PROXY: '', https_proxy: 'http://proxy:3128' })).toBe('http://proxy:3128');
    expect(httpsProxyFor('127.0.0.1:5000', { HTTPS_PROXY: 'http://proxy:3128' })).toBeUndefined();
    expect(httpsProxyFor('localhost:5000', { HTTPS_PROXY: 'http://proxy:3128' })).toBeUndefined();
    expect(httpsProxyFor('[::1]:5000', { HTTPS_PROXY: 'http://proxy:3128' })).toBeUndefined();
    expect(httpsProxyFor('registry.example.com:5000', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'registry.example.com:5000' })).toBeUndefined();
    expect(httpsProxyFor('registry.example.com', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'registry.example.com:5000' })).toBe('http://proxy:3128');
    expect(httpsProxyFor('10.1.2.3:5000', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '10.0.0.0/8' })).toBeUndefined();
  });
});

describe('probeVerifiedHttps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-probe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a port nothing listens on is unknown, not refused', async () => {
    const srv = createServer();
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((ok) => srv.close(ok));
    expect(await probeVerifiedHttps(`127.0.0.1:${port}`)).toEqual({ verified: 'unknown', reason: 'ECONNREFUSED' });
  });

  it('a registry with a self-signed certificate, or serving plain HTTP, does not answer over verified HTTPS', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', 'key.pem', '-out', 'cert.pem'], { cwd: dir, stdio: 'ignore' });
    const tls = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
    const plain = createServer((_req, res) => res.end('{}'));
    await Promise.all([tls, plain].map((srv) => new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok))));
    try {
      const selfSigned = await probeVerifiedHttps(`127.0.0.1:${(tls.address() as AddressInfo).port}`);
      expect(selfSigned).toEqual({ verified: false, reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      const http = await probeVerifiedHttps(`127.0.0.1:${(plain.address() as AddressInfo).port}`);
      expect(http.verified).toBe(false);
      // Behind a proxy kiln's request would not go where Docker's goes: not asked, not refused.
      const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
      process.env.HTTPS_PROXY = 'http://proxy.invalid:3128';
      delete process.env.NO_PROXY;
      delete process.env.no_proxy;
      try {
        expect((await probeVerifiedHttps('registry.example.com')).verified).toBe('unknown');
        // Loopback is never proxied (Go's rule, so Docker's too): the local registry is still asked.
        expect((await probeVerifiedHttps(`127.0.0.1:${(tls.address() as AddressInfo).port}`)).verified).toBe(false);
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    } finally {
      tls.closeAllConnections();
      plain.closeAllConnections();
      await Promise.all([tls, plain].map((srv) => new Promise((ok) => srv.close(ok))));
    }
  });
});
