/**
 * `runDoctor` without a BuildKit daemon: where the address came from (--addr, BUILDKIT_HOST, DOCKER_HOST), which Docker
 * API it checks (the dockerd of a docker:// address, not DOCKER_HOST or /var/run/docker.sock), and what it says when
 * an address is invalid or TLS options cannot apply. A stand-in Docker API on a unix socket answers /version only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorCheck, type DoctorOptions } from '../../src/client/doctor.js';

let dir = '';
let socket = '';
let missing = '';
let server: Server;
let base: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-doctor-'));
  socket = join(dir, 'docker.sock');
  missing = join(dir, 'nothing-here.sock');
  // No Docker config and no credential helpers: the checks under test do not depend on this machine's.
  base = { DOCKER_CONFIG: join(dir, 'docker-config'), PATH: '' };
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/version') res.end(JSON.stringify({ Version: '99.1.0' }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: 'page not found' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function checks(options: DoctorOptions): Promise<Map<string, DoctorCheck>> {
  const report = await runDoctor({ addressSource: '--addr', ...options });
  return new Map(report.checks.map((c) => [c.name, c]));
}

describe('runDoctor', () => {
  it('reports the socket of a docker://unix:// address, not DOCKER_HOST or /var/run/docker.sock, and --addr as the source', async () => {
    const c = await checks({ address: `docker://unix://${socket}`, env: { ...base, DOCKER_HOST: `unix://${missing}` } });
    expect(c.get('address')).toEqual({ name: 'address', status: 'ok', detail: `docker://unix://${socket} (chosen by --addr)` });
    const api = c.get('docker api');
    expect(api?.status).toBe('ok');
    expect(api?.detail).toBe(`unix://${socket}: Docker 99.1.0 (the dockerd kiln builds on, chosen by --addr; --load and pushes go through it)`);
    expect(c.get('daemon')?.detail).toContain(`docker://unix://${socket} (chosen from --addr)`);
  });

  it('names BUILDKIT_HOST and DOCKER_HOST as the source when the address comes from them', async () => {
    const fromBuildkitHost = await checks({ env: { ...base, BUILDKIT_HOST: `docker://unix://${socket}`, DOCKER_HOST: `unix://${missing}` } });
    expect(fromBuildkitHost.get('address')?.detail).toBe(`docker://unix://${socket} (chosen by BUILDKIT_HOST)`);
    expect(fromBuildkitHost.get('docker api')?.detail).toMatch(new RegExp(`^unix://${socket.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Docker 99\\.1\\.0 \\(the dockerd kiln builds on, chosen by BUILDKIT_HOST;`));
    expect(fromBuildkitHost.get('daemon')?.detail).toContain('(chosen from BUILDKIT_HOST)');
    // An explicit address wins over BUILDKIT_HOST, and is reported as such.
    const explicit = await checks({ address: `docker://unix://${socket}`, env: { ...base, BUILDKIT_HOST: 'tcp://127.0.0.1:1' } });
    expect(explicit.get('address')?.detail).toBe(`docker://unix://${socket} (chosen by --addr)`);
  });

  it('a docker:// daemon whose API does not answer fails the docker api check with a fix that does not point at DOCKER_HOST', async () => {
    const c = await checks({ address: `docker://unix://${missing}`, env: { ...base, DOCKER_HOST: `unix://${socket}` } });
    const api = c.get('docker api');
    expect(api?.status).toBe('fail');
    expect(api?.detail).toContain(`unix://${missing} (the dockerd kiln builds on, chosen by --addr) does not answer`);
    expect(api?.fix).toContain('change --addr');
    expect(api?.fix).toContain('DOCKER_HOST counts only for a docker:// address that names no socket');
  });

  it('says which variable holds an invalid address', async () => {
    const bad = await checks({ env: { ...base, BUILDKIT_HOST: 'buildkitd:1234' } });
    expect(bad.get('address')?.status).toBe('fail');
    expect(bad.get('address')?.detail).toMatch(/^BUILDKIT_HOST: daemon address "buildkitd:1234" is invalid: unknown scheme/);
    expect(bad.get('address')?.fix).toBe('Fix BUILDKIT_HOST, or unset it to let kiln pick the daemon (the buildkitd socket, then Docker).');
    const flag = await checks({ address: 'http://x:1', env: base });
    expect(flag.get('address')?.detail).toMatch(/^--addr: daemon address "http:\/\/x:1" is invalid/);
  });

  it('notes a current buildx builder that no longer exists, passed over as docker buildx build does', async () => {
    const config = join(dir, 'docker-config-gone-builder');
    mkdirSync(join(config, 'buildx'), { recursive: true });
    // What buildx leaves after the builder's instance file is gone: buildx/current still names it for this Docker.
    writeFileSync(join(config, 'buildx', 'current'), JSON.stringify({ Key: `unix://${socket}`, Name: 'oldbuilder', Global: false }));
    const c = await checks({ env: { ...base, DOCKER_CONFIG: config, DOCKER_HOST: `unix://${socket}` } });
    expect(c.get('address')?.status).toBe('ok');
    expect(c.get('address')?.detail).toMatch(/^(docker:\/\/unix:\/\/.*\(chosen by Docker daemon \(DOCKER_HOST\)|unix:\/\/\/run\/buildkit\/buildkitd\.sock \(chosen by default buildkitd socket); /);
    expect(c.get('address')?.detail).toContain(
      `; buildx builder "oldbuilder" (the current buildx builder (${join(config, 'buildx', 'current')})) no longer exists (no ${join(config, 'buildx', 'instances', 'oldbuilder')}): docker buildx build then uses the current docker context's Docker, and kiln goes on as if no builder were chosen)`,
    );
  });

  it('warns that TLS options do nothing for an address other than tcp://', async () => {
    const c = await checks({ address: `docker://unix://${socket}`, env: base, tls: { caCert: join(dir, 'ca.pem') } });
    const address = c.get('address');
    expect(address?.status).toBe('warn');
    expect(address?.detail).toBe(`docker://unix://${socket} (chosen by --addr); the TLS options are not used: they apply to tcp:// addresses only`);
  });
});
