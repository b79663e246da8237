/**
 * `runDoctor --registry` on a registry serving https with a certificate from the user's own CA (one this machine
 * does not trust): it says the certificate is the problem (not the address), what the daemon needs to trust it,
 * and sends no credentials to a server it could not verify.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/client/doctor.js';

let dir = '';
let server: Server;
let registry = '';
const authorizations: (string | undefined)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-doctor-tls-'));
  const openssl = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=kiln test registry CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr']);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.pem']);
  server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (req, res) => {
    authorizations.push(req.headers.authorization);
    res.statusCode = 401;
    res.setHeader('www-authenticate', 'Basic realm="kiln-test"');
    res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('runDoctor registry check over https with a private CA', () => {
  it('names the untrusted certificate and where the daemon takes the CA from, and sends no credentials', async () => {
    const config = join(dir, 'docker-config');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [registry]: { auth: Buffer.from('user:S3CR3T-tls-password').toString('base64') } } }));
    const report = await runDoctor({ address: 'unix:///nonexistent/kiln-doctor.sock', registries: [registry], env: { DOCKER_CONFIG: config, PATH: '' } });
    const check = report.checks.find((c) => c.name === `registry ${registry}`);
    expect(check).toEqual({
      name: `registry ${registry}`,
      status: 'warn',
      detail: `https://${registry}/v2/ serves a certificate signed by a CA this machine does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE); pulls and pushes fail unless the daemon trusts that CA`,
      fix:
        `Give the daemon the registry's CA: dockerd reads /etc/docker/certs.d/${registry}/ca.crt (dockerd 20.10 looks at that directory when it starts: restart it); ` +
        `buildkitd reads [registry."${registry}"] ca = ["/path/to/ca.pem"] in buildkitd.toml. Run kiln doctor with NODE_EXTRA_CA_CERTS=/path/to/ca.pem to check the login too.`,
    });
    expect(authorizations.filter((a) => a !== undefined)).toEqual([]);
  });
});
