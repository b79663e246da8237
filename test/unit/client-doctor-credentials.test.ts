/**
 * `runDoctor --registry` never sends the Docker config's credentials where anyone on the path could read them: to a
 * registry reached over plain http on another machine (the https attempt failed), or to a Bearer token service
 * named by an http:// realm on another machine. Over http to this machine (127.0.0.0/8, as dockerd allows) they are
 * still tried. Stand-in registries record every Authorization header they receive.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorCheck } from '../../src/client/doctor.js';

const USER = 'doctor-user';
const PASSWORD = 'S3CR3T-doctor-password';
let dir = '';
let server: Server;
let port = 0;
let challenge = '';
const seen: { url: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-doctor-creds-'));
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    if (req.headers.authorization === expected) {
      res.end('{}');
      return;
    }
    res.statusCode = 401;
    res.setHeader('www-authenticate', challenge);
    res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
  });
  // On every address: 127.0.0.1 is this machine as far as kiln can tell, 0.0.0.0 (which Linux connects to this
  // machine too) is not, so it stands for a registry elsewhere.
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
});

/** The registry check of `registry` with a Docker config holding the password for `registry`. */
async function registryCheck(registry: string): Promise<DoctorCheck> {
  const config = join(dir, registry.replace(/[^a-z0-9]/gi, '-'));
  mkdirSync(config, { recursive: true });
  writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } }));
  const report = await runDoctor({ address: 'unix:///nonexistent/kiln-doctor.sock', registries: [registry], env: { DOCKER_CONFIG: config, PATH: '' } });
  const check = report.checks.find((c) => c.name === `registry ${registry}`);
  if (check === undefined) throw new Error(`no check for ${registry}`);
  return check;
}

describe('runDoctor registry login check', () => {
  it('does not send credentials to a registry on another machine that answers only over plain http', async () => {
    challenge = `Basic realm="registry"`;
    const check = await registryCheck(`0.0.0.0:${port}`);
    expect(check.status).toBe('warn');
    expect(check.detail).toBe(
      `http://0.0.0.0:${port}/v2/ answers and needs a login; the Docker config's credentials for 0.0.0.0:${port} were not tried: they would go unencrypted over plain http to 0.0.0.0:${port}`,
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.map((r) => r.authorization)).toEqual(seen.map(() => undefined));
  });

  it('does not send credentials to a token service on another machine named by an http:// realm', async () => {
    challenge = `Bearer realm="http://0.0.0.0:${port}/token",service="registry"`;
    const check = await registryCheck(`127.0.0.1:${port}`);
    expect(check.status).toBe('warn');
    expect(check.detail).toContain(`were not tried: they would go unencrypted over plain http to 0.0.0.0:${port}`);
    expect(seen.map((r) => r.url)).toEqual(['/v2/']);
    expect(seen[0]?.authorization).toBeUndefined();
  });

  it('still tries them over http on this machine, as dockerd reaches 127.0.0.0/8 registries', async () => {
    challenge = `Basic realm="registry"`;
    const check = await registryCheck(`127.0.0.1:${port}`);
    expect(check).toMatchObject({ status: 'ok', detail: `http://127.0.0.1:${port}/v2/ answers and needs a login; the Docker config's credentials are accepted` });
    expect(seen.filter((r) => r.authorization !== undefined)).toHaveLength(1);
  });
});
