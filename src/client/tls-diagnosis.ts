/**
 * Why a TLS connection to a daemon failed, in terms a user can act on. grpc-js reports a failed TLS dial only as
 * text; when a TLS connection could not be made kiln performs one handshake of its own with the same settings and
 * reads Node's stable error codes: wrong name, untrusted or expired certificate, client certificate refused, or a
 * daemon that does not speak TLS at all.
 *
 * Internal module.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsFiles } from './address.js';

export interface TlsDiagnosis {
  /** What went wrong, for the error message. */
  readonly why: string;
  /** What to do about it. */
  readonly hint: string;
}

/** The HTTP/2 client connection preface followed by an empty SETTINGS frame. */
const HTTP2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const CLIENT_REFUSED = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
]);
/**
 * What a certificate-verification error code of Node's TLS (the `code` of a failed handshake, or of a failed
 * `fetch`'s cause) says about the server's certificate; undefined for codes that are not about it.
 */
export function certificateProblem(code: string): 'untrusted' | 'expired' | 'wrong-name' | undefined {
  if (UNTRUSTED.has(code)) return 'untrusted';
  if (EXPIRED.has(code)) return 'expired';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'wrong-name';
  return undefined;
}

const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST']);

function classify(err: NodeJS.ErrnoException & { cert?: PeerCertificate }, tls: TlsFiles, name: string): TlsDiagnosis | undefined {
  const code = err.code ?? '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = err.cert?.subjectaltname ?? err.cert?.subject?.CN ?? 'other names';
    return {
      why: `the daemon's certificate is not for ${name} (it names ${names})`,
      hint: 'Give a name the certificate holds as the server name (tls.serverName; kiln --tlsservername), or connect by that name.',
    };
  }
  if (UNTRUSTED.has(code)) {
    return {
      why: `the daemon's certificate is not signed by a CA kiln trusts (${code})`,
      hint:
        tls.caCert === undefined
          ? 'Give the CA that signed the daemon certificate (tls.caCert; kiln --tlscacert).'
          : `Give the CA that signed the daemon certificate (tls.caCert; kiln --tlscacert); ${tls.caCert} did not.`,
    };
  }
  if (EXPIRED.has(code)) {
    return { why: `the daemon's certificate is not valid now (${code})`, hint: "Renew the daemon's certificate (or check this machine's clock)." };
  }
  if (CLIENT_REFUSED.has(code)) {
    return {
      why: `the daemon refused kiln's client certificate${tls.cert === undefined ? ' (none was given)' : ''} (${code})`,
      hint: 'Give a client certificate and key signed by the CA the daemon trusts, its buildkitd --tlscacert (tls.cert and tls.key; kiln --tlscert and --tlskey).',
    };
  }
  if (NOT_TLS.has(code)) {
    return { why: 'the daemon does not speak TLS on that port', hint: 'Drop the TLS options for this address, or use the port where the daemon serves TLS.' };
  }
  return undefined;
}

/**
 * Opens one TLS connection with `options` and lets `watch` settle the answer from its events; the socket is closed
 * once it does, and the answer is undefined when nothing settles it within `timeoutMs`.
 */
function probe(
  options: ConnectionOptions,
  timeoutMs: number,
  watch: (socket: TLSSocket, done: (result: TlsDiagnosis | undefined) => void) => void,
): Promise<TlsDiagnosis | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect(options);
    const done = (result: TlsDiagnosis | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    watch(socket, done);
  });
}

/** One TLS handshake to `host:port` with `tls`; undefined when it succeeds or fails for a reason not about TLS. */
export function diagnoseTls(host: string, port: number, tls: TlsFiles, timeoutMs = 3000): Promise<TlsDiagnosis | undefined> {
  const name = tls.serverName ?? host;
  let files: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  try {
    files = {
      ...(tls.caCert === undefined ? {} : { ca: readFileSync(tls.caCert) }),
      ...(tls.cert === undefined ? {} : { cert: readFileSync(tls.cert) }),
      ...(tls.key === undefined ? {} : { key: readFileSync(tls.key) }),
    };
  } catch {
    return Promise.resolve(undefined);
  }
  // SNI carries host names only; an IP is checked against the certificate without it.
  return probe({ host, port, ...(isIP(name) === 0 ? { servername: name } : {}), ALPNProtocols: ['h2'], ...files }, timeoutMs, (socket, done) => {
    let secured = false;
    const hungUp: TlsDiagnosis = {
      why: 'the daemon closed the connection during the TLS handshake (it may not serve TLS on that port)',
      hint: 'Drop the TLS options for this address, or use the port where the daemon serves TLS.',
    };
    socket.on('error', (err: NodeJS.ErrnoException & { cert?: PeerCertificate }) => {
      const known = classify(err, tls, name);
      done(known ?? (!secured && err.code === 'ECONNRESET' ? hungUp : undefined));
    });
    // With TLS 1.3 the server judges the client certificate after the client has finished the handshake, so the
    // handshake alone proves nothing: speak first (the HTTP/2 preface and an empty SETTINGS frame) and wait for the
    // server's answer (its SETTINGS: accepted) or its alert (refused).
    socket.on('secureConnect', () => {
      secured = true;
      socket.write(HTTP2_PREFACE);
    });
    socket.on('data', () => done(undefined));
    socket.on('close', () => done(secured ? undefined : hungUp));
  });
}

/**
 * For a plain `tcp://` address that failed: whether the daemon there serves TLS (one handshake that does not check
 * the certificate; a completed handshake or a TLS alert says so). Undefined when it does not, or nothing answers.
 */
export function diagnosePlainToTls(host: string, port: number, timeoutMs = 3000): Promise<TlsDiagnosis | undefined> {
  const found: TlsDiagnosis = {
    why: 'the daemon serves TLS on that port, and kiln connected without TLS',
    hint:
      'Pass --tlscacert with the CA of the daemon certificate, and --tlscert/--tlskey if the daemon checks client certificates ' +
      '(in code: the tls option of Client.connect), as with buildctl.',
  };
  // Only "is this TLS?" is asked here: the certificate is not checked, and nothing is sent after the handshake.
  return probe({ host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'] }, timeoutMs, (socket, done) => {
    socket.on('secureConnect', () => done(found));
    socket.on('error', (err: NodeJS.ErrnoException) => done(CLIENT_REFUSED.has(err.code ?? '') ? found : undefined));
    socket.on('close', () => done(undefined));
  });
}
