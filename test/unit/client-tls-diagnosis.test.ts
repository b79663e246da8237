/**
 * `diagnoseTls` and `diagnosePlainToTls` against TLS servers of the test's own (certificates made with openssl): what a
 * user is told when a TLS connection to a daemon fails — a certificate for another name, from a CA not given, expired,
 * no client certificate for a daemon that requires one, a port that does not speak TLS — and
 * that a plain address pointed at a TLS port is recognised. Nothing is said when the handshake is fine or the
 * failure is not about TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateProblem, diagnosePlainToTls, diagnoseTls } from '../../src/client/tls-diagnosis.js';

let dir = '';
const servers: TcpServer[] = [];
const file = (name: string): string => join(dir, name);

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA, and a server certificate for localhost (and 127.0.0.1) it signs, valid from `start` to `end` when given. */
function issue(ca: string, name: string, dates?: { start: string; end: string }): void {
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  if (dates === undefined) {
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', 'san.cnf', '-out', `${name}.pem`]);
    return;
  }
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.pem`, '-startdate', dates.start, '-enddate', dates.end, '-notext']);
}

async function listen(server: TcpServer): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A TLS server speaking h2 (as buildkitd does) that answers a client's first bytes, as an HTTP/2 server's SETTINGS would. */
function tlsServer(options: TlsOptions): Promise<number> {
  const server = createTlsServer({ ALPNProtocols: ['h2'], ...options }, (socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.write(Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])));
  });
  server.on('tlsClientError', () => undefined);
  return listen(server);
}

let trusted = 0;
let expired = 0;
let mutual = 0;
let plainTalker = 0;
let hangUp = 0;
let silent = 0;
let closedPort = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-tls-diagnosis-'));
  writeFileSync(file('san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  writeFileSync(file('ca.cnf'), '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\npolicy=p\ndefault_md=sha256\n[p]\ncommonName=supplied\n');
  writeFileSync(file('index.txt'), '');
  writeFileSync(file('serial'), '01\n');
  for (const ca of ['ca', 'other-ca']) openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=kiln test ${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.pem`]);
  issue('ca', 'server');
  issue('ca', 'expired', { start: '20200101000000Z', end: '20200102000000Z' });
  issue('ca', 'client');
  const read = (name: string): Buffer => readFileSync(file(name));
  trusted = await tlsServer({ key: read('server.key'), cert: read('server.pem') });
  expired = await tlsServer({ key: read('expired.key'), cert: read('expired.pem') });
  mutual = await tlsServer({ key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true });
  // A plain server that answers anything with text (a gRPC server without TLS answers a TLS hello so), one that hangs
  // up at once, one that says nothing; and a port nothing listens on.
  plainTalker = await listen(createTcpServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
  hangUp = await listen(createTcpServer((s) => s.destroy()));
  silent = await listen(createTcpServer((s) => s.on('error', () => undefined)));
  const gone = createTcpServer();
  closedPort = await listen(gone);
  await new Promise<void>((resolve) => gone.close(() => resolve()));
  servers.pop();
});

afterAll(async () => {
  for (const s of servers) {
    s.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('diagnoseTls', () => {
  it('says nothing when the handshake succeeds, by name or by IP', async () => {
    expect(await diagnoseTls('127.0.0.1', trusted, { caCert: file('ca.pem'), serverName: 'localhost' })).toBeUndefined();
    expect(await diagnoseTls('127.0.0.1', trusted, { caCert: file('ca.pem') })).toBeUndefined();
  });

  it('names the names the certificate holds when it is for another', async () => {
    expect(await diagnoseTls('127.0.0.1', trusted, { caCert: file('ca.pem'), serverName: 'buildkitd.example' })).toEqual({
      why: "the daemon's certificate is not for buildkitd.example (it names DNS:localhost, IP Address:127.0.0.1)",
      hint: 'Give a name the certificate holds as the server name (tls.serverName; kiln --tlsservername), or connect by that name.',
    });
  });

  it('asks for the CA when none was given, and says the one given did not sign it', async () => {
    const none = await diagnoseTls('127.0.0.1', trusted, { serverName: 'localhost' });
    expect(none?.why).toBe("the daemon's certificate is not signed by a CA kiln trusts (UNABLE_TO_VERIFY_LEAF_SIGNATURE)");
    expect(none?.hint).toBe('Give the CA that signed the daemon certificate (tls.caCert; kiln --tlscacert).');
    const wrong = await diagnoseTls('127.0.0.1', trusted, { caCert: file('other-ca.pem'), serverName: 'localhost' });
    expect(wrong?.hint).toBe(`Give the CA that signed the daemon certificate (tls.caCert; kiln --tlscacert); ${file('other-ca.pem')} did not.`);
  });

  it('says an expired certificate is not valid now', async () => {
    expect(await diagnoseTls('127.0.0.1', expired, { caCert: file('ca.pem'), serverName: 'localhost' })).toEqual({
      why: "the daemon's certificate is not valid now (CERT_HAS_EXPIRED)",
      hint: "Renew the daemon's certificate (or check this machine's clock).",
    });
  });

  it('says the daemon refused the client certificate when none was given, and nothing once one it trusts is', async () => {
    const none = await diagnoseTls('127.0.0.1', mutual, { caCert: file('ca.pem'), serverName: 'localhost' });
    expect(none?.why).toMatch(/^the daemon refused kiln's client certificate \(none was given\) \(ERR_SSL_/);
    expect(none?.hint).toMatch(/tls\.cert and tls\.key; kiln --tlscert and --tlskey/);
    expect(await diagnoseTls('127.0.0.1', mutual, { caCert: file('ca.pem'), serverName: 'localhost', cert: file('client.pem'), key: file('client.key') })).toBeUndefined();
  });

  it('says the port does not speak TLS, whether it answers in plain text or hangs up', async () => {
    expect(await diagnoseTls('127.0.0.1', plainTalker, { serverName: 'localhost' })).toEqual({
      why: 'the daemon does not speak TLS on that port',
      hint: 'Drop the TLS options for this address, or use the port where the daemon serves TLS.',
    });
    expect((await diagnoseTls('127.0.0.1', hangUp, { serverName: 'localhost' }))?.why).toBe(
      'the daemon closed the connection during the TLS handshake (it may not serve TLS on that port)',
    );
  });

  it('says nothing when the failure is not about TLS: nothing listening, no answer, a TLS file it cannot read', async () => {
    expect(await diagnoseTls('127.0.0.1', closedPort, {})).toBeUndefined();
    expect(await diagnoseTls('127.0.0.1', silent, {}, 50)).toBeUndefined();
    expect(await diagnoseTls('127.0.0.1', trusted, { caCert: file('no-such-ca.pem') })).toBeUndefined();
  });
});

describe('diagnosePlainToTls', () => {
  it('recognises a TLS port, with or without client certificates required, and names the flags', async () => {
    for (const port of [trusted, mutual]) {
      const found = await diagnosePlainToTls('127.0.0.1', port);
      expect(found?.why).toBe('the daemon serves TLS on that port, and kiln connected without TLS');
      expect(found?.hint).toMatch(/^Pass --tlscacert .* and --tlscert\/--tlskey if the daemon checks client certificates/);
    }
  });

  it('says nothing for a port that is not TLS or has nothing on it', async () => {
    expect(await diagnosePlainToTls('127.0.0.1', plainTalker)).toBeUndefined();
    expect(await diagnosePlainToTls('127.0.0.1', hangUp)).toBeUndefined();
    expect(await diagnosePlainToTls('127.0.0.1', closedPort)).toBeUndefined();
    expect(await diagnosePlainToTls('127.0.0.1', silent, 50)).toBeUndefined();
  });
});

describe('certificateProblem', () => {
  it('sorts Node\'s verification codes into what the user can act on', () => {
    expect(certificateProblem('SELF_SIGNED_CERT_IN_CHAIN')).toBe('untrusted');
    expect(certificateProblem('CERT_NOT_YET_VALID')).toBe('expired');
    expect(certificateProblem('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('wrong-name');
    expect(certificateProblem('ECONNRESET')).toBeUndefined();
  });
});
