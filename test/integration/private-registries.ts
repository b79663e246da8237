/**
 * Registries an integration test starts for itself, as users meet them and the environment's two do not cover:
 * Docker Hub's token flow (a registry answering `Bearer realm=…,service=…`, and a token service signing JWTs
 * for the scopes asked, after a Basic login or an OAuth password / refresh-token grant), and https with the
 * user's own CA on an address the daemon does not treat as insecure. Each runs Debian's `docker-registry` on a
 * free port; the token service runs in the test process. `stop()` ends them and removes their files.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRegistry {
  /** `host:port` as images name it. */
  readonly address: string;
  readonly username: string;
  readonly password: string;
  /** How the token service was asked, one line per request ("GET basic ok", "POST password ok" …); token registry only. */
  readonly tokenRequests: readonly string[];
  /** A Bearer token for `scope` (`repository:name:pull`) straight from the token service; token registry only. */
  token(scope: string): Promise<string>;
  stop(): Promise<void>;
}

const USERNAME = 'kiln-private';
const PASSWORD = 'kiln-private-S3cret';

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** Starts `docker-registry` on a free port of `host`; `http` is added to its `http` settings, `auth` is its `auth`. */
async function startRegistry(dir: string, host: string, http: string, auth: string): Promise<{ address: string; child: ChildProcess }> {
  const port = await freePort(host);
  const address = `${host}:${port}`;
  writeFileSync(
    join(dir, 'registry.yml'),
    `version: 0.1\nlog: { level: warn }\nstorage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }\n` +
      `http: { addr: "${address}", secret: kiln-test${http === '' ? '' : `, ${http}`} }\nauth: ${auth}\n`,
  );
  const child = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await listening(host, port)) return { address, child };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error(`docker-registry did not listen on ${address}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A registry on 127.0.0.1 that wants a Bearer token from a token service (the Docker Hub flow). */
export async function startTokenRegistry(): Promise<PrivateRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-token-registry-'));
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=kiln token issuer', '-keyout', 'issuer.key', '-out', 'issuer.pem']);
  const key = readFileSync(join(dir, 'issuer.key'), 'utf8');
  const x5c = new X509Certificate(readFileSync(join(dir, 'issuer.pem'))).raw.toString('base64');
  const requests: string[] = [];
  const refresh = `refresh-${randomUUID()}`;
  const sign = (service: string, scopes: readonly string[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes
      .filter((s) => s !== '')
      .map((s) => {
        const parts = s.split(':');
        return { type: parts[0], name: parts.slice(1, -1).join(':'), actions: (parts.at(-1) ?? '').split(',') };
      });
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const body = `${enc({ alg: 'RS256', typ: 'JWT', x5c: [x5c] })}.${enc({ iss: 'kiln-test-issuer', sub: USERNAME, aud: service, exp: now + 600, nbf: now - 60, iat: now, jti: randomUUID(), access })}`;
    return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
  };
  const tokens: Server = createHttpServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://token');
      let service = url.searchParams.get('service') ?? '';
      let scopes = url.searchParams.getAll('scope');
      let how: string;
      let ok = false;
      if (req.method === 'POST') {
        const form = new URLSearchParams(data);
        service = form.get('service') ?? service;
        scopes = (form.get('scope') ?? '').split(' ');
        how = `POST ${form.get('grant_type') ?? ''}`;
        ok = form.get('grant_type') === 'password' ? form.get('username') === USERNAME && form.get('password') === PASSWORD : form.get('refresh_token') === refresh;
      } else {
        const basic = /^Basic (.*)$/.exec(req.headers.authorization ?? '');
        how = basic === null ? 'GET anonymous' : 'GET basic';
        ok = basic !== null && Buffer.from(basic[1] ?? '', 'base64').toString() === `${USERNAME}:${PASSWORD}`;
      }
      requests.push(`${how} ${ok ? 'ok' : 'refused'}`);
      if (!ok) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        return;
      }
      const token = sign(service, scopes);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ token, access_token: token, expires_in: 600, issued_at: new Date().toISOString(), ...(req.method === 'POST' ? { refresh_token: refresh } : {}) }),
      );
    });
  });
  await new Promise<void>((resolve) => tokens.listen(0, '127.0.0.1', resolve));
  const realm = `http://127.0.0.1:${(tokens.address() as AddressInfo).port}/token`;
  const { address, child } = await startRegistry(
    dir,
    '127.0.0.1',
    '',
    `{ token: { realm: "${realm}", service: kiln-test-registry, issuer: kiln-test-issuer, rootcertbundle: ${join(dir, 'issuer.pem')} } }`,
  );
  return {
    address,
    username: USERNAME,
    password: PASSWORD,
    tokenRequests: requests,
    token: async (scope) => sign('kiln-test-registry', [scope]),
    async stop() {
      await stopChild(child);
      await new Promise<void>((resolve) => tokens.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A registry with a Basic login serving https with a certificate from a throwaway CA, on `host` (an address of
 * this machine the daemon does not treat as an insecure registry, e.g. the test bridge's gateway).
 */
export async function startTlsRegistry(host: string): Promise<PrivateRegistry & { readonly caFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-tls-registry-'));
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=kiln test registry CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${host}`, '-keyout', 'server.key', '-out', 'server.csr']);
  writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=IP:${host}\n`);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.pem']);
  writeFileSync(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', USERNAME, PASSWORD]));
  const { address, child } = await startRegistry(
    dir,
    host,
    `tls: { certificate: ${join(dir, 'server.pem')}, key: ${join(dir, 'server.key')} }`,
    `{ htpasswd: { realm: kiln-test, path: ${join(dir, 'htpasswd')} } }`,
  );
  return {
    address,
    username: USERNAME,
    password: PASSWORD,
    caFile: join(dir, 'ca.pem'),
    tokenRequests: [],
    token: () => Promise.reject(new Error('not a token registry')),
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
