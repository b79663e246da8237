import { isIP } from 'node:net';
import { KilnError } from '../errors.js';

/** An HTTP proxy kiln goes through (to a `tcp://` daemon, a tcp:// Docker API, a registry), and the variable that named it. */
export interface GrpcProxy {
  /** The proxy's host and port (the port defaults to 80). */
  readonly host: string;
  readonly port: number;
  /** `user:password` (decoded) from the URL, sent as `Proxy-Authorization: Basic`. */
  readonly credentials: string | undefined;
  /** The variable the proxy came from: `grpc_proxy`, `HTTPS_PROXY`, `https_proxy`, `HTTP_PROXY` or `http_proxy`. */
  readonly variable: string;
  /** The URL as given, its password replaced by `***`: the only form kiln ever prints. */
  readonly redacted: string;
  /** The variables that would exempt the daemon (`no_grpc_proxy` for `grpc_proxy`, else `NO_PROXY`). */
  readonly exemptWith: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The first of `names` set to something other than the empty string, as Go's `getEnvAny` reads them. */
function firstSet(env: Env, names: readonly string[]): { readonly name: string; readonly value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** `url` with its password (or a lone user name, which is often a token) replaced by `***`. */
export function redactProxyUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?([^/@]*)@/i, (_m, scheme: string | undefined, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme ?? ''}${colon < 0 ? '***' : `${userinfo.slice(0, colon)}:***`}@`;
  });
}

/**
 * The proxy kiln dials a `tcp://` daemon at `host:port` through, as grpc-go (buildctl, docker buildx) chooses it for the
 * same address — `HTTPS_PROXY` (else `https_proxy`), unless `NO_PROXY` (else `no_proxy`) exempts the host, and never for
 * `localhost` or a loopback IP — with gRPC's own `grpc_proxy` (exempted by `no_grpc_proxy`, else `no_proxy`) taking
 * precedence when set, as in grpc-js and gRPC's C core. `HTTP_PROXY` alone is not used (a gRPC connection is not plain
 * HTTP, and grpc-go does not use it either). undefined: connect directly. Throws `invalid_argument` for a proxy URL kiln
 * cannot use (not `http://`, no host), naming the variable.
 */
export function grpcProxyFor(host: string, port: number, env: Env): GrpcProxy | undefined {
  const grpc = firstSet(env, ['grpc_proxy']);
  const chosen = grpc === undefined ? httpsProxyVariable(host, port, env) : proxyUnlessExempt(grpc, host, port, firstSet(env, ['no_grpc_proxy', 'no_proxy']) ?? firstSet(env, ['NO_PROXY']));
  if (chosen === undefined) return undefined;
  return parseProxy(chosen, host, grpc !== undefined ? 'no_grpc_proxy' : 'NO_PROXY', `the BuildKit daemon at ${host}:${port}`);
}

/**
 * The proxy Go's net/http (the docker CLI, dockerd, buildkitd) sends a request for `url` through: for `https://`,
 * `HTTPS_PROXY` (else `https_proxy`), for `http://`, `HTTP_PROXY` (else `http_proxy`); unless `NO_PROXY` (else
 * `no_proxy`) exempts the host, and never for `localhost` or a loopback IP. undefined: a direct request. Throws
 * `invalid_argument` for a proxy URL kiln cannot use (not `http://`, no host), naming the variable.
 */
export function webProxyFor(url: URL, env: Env): GrpcProxy | undefined {
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const chosen = secure ? httpsProxyVariable(host, port, env) : httpProxyVariable(host, port, env);
  return chosen === undefined ? undefined : parseProxy(chosen, host, 'NO_PROXY', `${url.protocol}//${url.host}`);
}

/** `chosen` read as an `http://` proxy URL, as Go reads it; `what`: what kiln reaches through it, for the error. */
function parseProxy(chosen: { readonly name: string; readonly value: string }, host: string, exemptWith: string, what: string): GrpcProxy {
  const redacted = redactProxyUrl(chosen.value);
  // Go reads a URL without a scheme (`proxy.corp:3128`) as http://.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(chosen.value) ? chosen.value : `http://${chosen.value}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const hint =
    `Give ${chosen.name} as http://[user:password@]host:port, or, if ${what} is to be reached directly, list its host in ${exemptWith} ` +
    `(${exemptWith}=${host}) or unset ${chosen.name} for kiln.`;
  if (url === undefined || url.hostname === '') {
    throw new KilnError('invalid_argument', `${chosen.name} (${redacted}) is not a proxy URL kiln can use to reach ${what}`, { hint });
  }
  if (url.protocol !== 'http:') {
    throw new KilnError('invalid_argument', `${chosen.name} names a ${url.protocol.slice(0, -1)}:// proxy (${redacted}): kiln reaches ${what} through an http:// proxy only`, { hint });
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 80 : Number(url.port),
    credentials: user === '' && password === '' ? undefined : password === '' ? user : `${user}:${password}`,
    variable: chosen.name,
    redacted,
    exemptWith,
  };
}

/**
 * The variable naming the proxy Go's net/http uses for `http://host:port`: `HTTP_PROXY`, else `http_proxy` (empty
 * counts as unset), unless `NO_PROXY` (else `no_proxy`) exempts the host, and never for `localhost` or a loopback IP.
 */
export function httpProxyVariable(host: string, port: number, env: Env): { readonly name: string; readonly value: string } | undefined {
  const chosen = firstSet(env, ['HTTP_PROXY', 'http_proxy']);
  return chosen === undefined ? undefined : proxyUnlessExempt(chosen, host, port, firstSet(env, ['NO_PROXY', 'no_proxy']));
}

/**
 * The variable naming the proxy Go's net/http (Docker's client and daemon, grpc-go) uses for `https://host:port`:
 * `HTTPS_PROXY`, else `https_proxy` (empty counts as unset), unless `NO_PROXY` (else `no_proxy`) exempts the host
 * (`*`, IPs, CIDRs, domains, `host:port`), and never for `localhost` or a loopback IP. undefined: a direct connection.
 */
export function httpsProxyVariable(host: string, port: number, env: Env): { readonly name: string; readonly value: string } | undefined {
  const chosen = firstSet(env, ['HTTPS_PROXY', 'https_proxy']);
  return chosen === undefined ? undefined : proxyUnlessExempt(chosen, host, port, firstSet(env, ['NO_PROXY', 'no_proxy']));
}

function proxyUnlessExempt<T>(chosen: T, host: string, port: number, noProxy: { readonly value: string } | undefined): T | undefined {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (name === 'localhost' || isLoopback(name)) return undefined;
  if (noProxy !== undefined && exempted(name, port, noProxy.value)) return undefined;
  return chosen;
}

function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}

/** Whether a `NO_PROXY` list exempts `host:port`, read as Go's httpproxy does: `*`, IPs, CIDRs, domains, `:port`. */
function exempted(host: string, port: number, list: string): boolean {
  for (const raw of list.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const cidr = /^([0-9a-f.:]+)\/(\d+)$/.exec(entry);
    if (cidr !== null) {
      if (inCidr(host, cidr[1] ?? '', Number(cidr[2]))) return true;
      continue;
    }
    if (isIP(entry) !== 0 || isIP(entry.replace(/^\[|\]$/g, '')) !== 0) {
      if (entry.replace(/^\[|\]$/g, '') === host) return true;
      continue;
    }
    let entryPort: number | undefined;
    const withPort = /^(.*):(\d+)$/.exec(entry);
    if (withPort !== null) {
      entry = (withPort[1] ?? '').replace(/^\[|\]$/g, '');
      entryPort = Number(withPort[2]);
      if (isIP(entry) !== 0) {
        if (entry === host && entryPort === port) return true;
        continue;
      }
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry.startsWith('*.')) entry = entry.slice(1);
    // `corp.example` exempts itself and its subdomains; `.corp.example` its subdomains only.
    if (entry.startsWith('.') ? host.endsWith(entry) : host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

function inCidr(host: string, network: string, bits: number): boolean {
  if (isIP(host) !== 4 || isIP(network) !== 4 || bits < 0 || bits > 32) return false;
  const toInt = (ip: string): number => ip.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((toInt(host) & mask) >>> 0) === ((toInt(network) & mask) >>> 0);
}

/** The `Proxy-Authorization` header for the proxy URL's credentials (`Basic`); none when the URL has none. */
export function proxyAuthorization(proxy: GrpcProxy): Record<string, string> {
  return proxy.credentials === undefined ? {} : { 'Proxy-Authorization': `Basic ${Buffer.from(proxy.credentials).toString('base64')}` };
}

/** What goes through a proxy, for the hint of its failures. */
export interface ProxyPurpose {
  /** What kiln does through it, after "kiln": `reaches a tcp:// daemon`, `sends Docker API requests to a tcp:// Docker host`. */
  readonly doing: string;
  /** `as buildctl and docker buildx do` */
  readonly asWho: string;
  /** What a direct connection would reach: `the daemon`, `Docker`. */
  readonly target: string;
  /** The host to list in NO_PROXY to reach it directly. */
  readonly host: string;
}

/**
 * A proxy that failed kiln (`why`: `could not be reached: ECONNREFUSED`, `refused to connect to …: HTTP 502`): an
 * `unavailable` KilnError naming it (its password as `***`) and the variable it came from, with a hint saying what goes
 * through it, which tools do the same, and the NO_PROXY-style entry that bypasses it. `context` leads the message.
 */
export function proxyFailure(proxy: GrpcProxy, why: string, purpose: ProxyPurpose, cause?: unknown, context?: string): KilnError {
  return new KilnError('unavailable', `${context === undefined ? '' : `${context}: `}the proxy ${proxy.redacted} (from ${proxy.variable}) ${why}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { proxy: proxy.redacted, proxyVariable: proxy.variable },
    hint:
      `kiln ${purpose.doing} through the proxy ${proxy.variable} names, ${purpose.asWho}. Fix or start the proxy; ` +
      `or, to reach ${purpose.target} directly, list its host in ${proxy.exemptWith} (${proxy.exemptWith}=${purpose.host}) or unset ${proxy.variable} for kiln.`,
  });
}
