import { request, type ClientRequestArgs, type IncomingHttpHeaders } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { proxyAuthorization, proxyFailure, webProxyFor, type GrpcProxy } from './grpc-proxy.js';
import { dialConnect, type TunnelPurpose } from './transport.js';

/** What a registry (or its token service) answered: the status and headers; the body is read and dropped. */
export interface WebAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
}

/** Options of {@link webGet}. */
export interface WebGetOptions {
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Ends the request (default: 5 s). */
  readonly signal?: AbortSignal | undefined;
  /** Where the proxy variables are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

const REGISTRY_TUNNEL = (host: string): TunnelPurpose => ({ doing: `reaches registries (${host})`, asWho: 'as the docker CLI does', target: host });

/**
 * A `GET` kiln itself makes to a registry or a token service, through the proxy the environment names for the URL as
 * Go's net/http (the docker CLI, dockerd, buildkitd) chooses it (grpc-proxy.ts `webProxyFor`): an `https://` URL over a
 * `CONNECT` tunnel, TLS end to end and checked as without a proxy; an `http://` URL as an absolute-URI request to the
 * proxy. Node's own `fetch` and `https` read no proxy variable. A connection error keeps its `code` (a certificate
 * problem: `DEPTH_ZERO_SELF_SIGNED_CERT`…); a proxy that cannot be reached or refuses the tunnel is an `unavailable`
 * KilnError naming it, its password as `***`.
 */
export async function webGet(url: URL, options: WebGetOptions = {}): Promise<WebAnswer> {
  const signal = options.signal ?? AbortSignal.timeout(5000);
  const proxy = webProxyFor(url, options.env ?? process.env);
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const path = `${url.pathname}${url.search}`;
  const headers: Record<string, string> = { Host: url.host, ...options.headers };
  let target: ClientRequestArgs;
  if (secure) {
    const tunnel = proxy === undefined ? undefined : await dialConnect(proxy, host, port, signal, REGISTRY_TUNNEL(url.host));
    // The handshake before the request: its failure (a certificate kiln cannot verify) is the answer, with its code.
    const tls = await new Promise<TLSSocket>((resolve, reject) => {
      const socket = tlsConnect({
        host,
        port,
        ...(tunnel === undefined ? {} : { socket: tunnel }),
        // No server name for an IP (RFC 6066); the certificate is still checked against it.
        ...(isIP(host) === 0 ? { servername: host } : {}),
      });
      const stop = (): void => {
        socket.destroy();
        tunnel?.destroy();
        reject(signal.reason instanceof Error ? signal.reason : new Error('the request was stopped'));
      };
      signal.addEventListener('abort', stop, { once: true });
      socket.once('secureConnect', () => {
        signal.removeEventListener('abort', stop);
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', (err) => {
        signal.removeEventListener('abort', stop);
        tunnel?.destroy();
        reject(err);
      });
    });
    target = { createConnection: () => tls as Socket, agent: false };
  } else if (proxy !== undefined) {
    target = { host: proxy.host, port: proxy.port, path: url.href, agent: false };
    Object.assign(headers, proxyAuthorization(proxy));
  } else {
    target = { host, port, agent: false };
  }
  return new Promise<WebAnswer>((resolve, reject) => {
    const req = request({ path, ...target, method: 'GET', headers, signal }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => reject(proxy !== undefined && !secure ? proxyUnreachable(proxy, url, err) : err));
    req.end();
  });
}

/** A plain-http request's proxy that could not be reached: named (redacted), with the variable and the exemption. */
function proxyUnreachable(proxy: GrpcProxy, url: URL, err: NodeJS.ErrnoException): Error {
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return err;
  const purpose = { doing: `reaches ${url.protocol}//${url.host}`, asWho: 'as the docker CLI does', target: url.host, host: url.hostname };
  return proxyFailure(proxy, `could not be reached: ${err.code ?? err.message}`, purpose, err);
}
