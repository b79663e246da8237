import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { dockerRequest, type DockerEndpoint } from './docker-api.js';
import { httpsProxyVariable } from './grpc-proxy.js';
import { parseImageRef } from '../llb/image-ref.js';
import { KilnError } from '../errors.js';

/** The part of Docker's `GET /info` that says which registries it reaches over plain HTTP or unverified TLS. */
export interface DockerRegistryConfig {
  readonly InsecureRegistryCIDRs?: readonly string[] | null;
  readonly IndexConfigs?: Readonly<Record<string, { readonly Secure?: boolean } | undefined>> | null;
}

/** The host of `host[:port]` (`[::1]:5000` → `::1`). */
function hostname(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  const colon = registry.lastIndexOf(':');
  return colon >= 0 && registry.indexOf(':') === colon ? registry.slice(0, colon) : registry;
}

/**
 * Whether Docker pushes to `registry` without requiring verified HTTPS, as Docker decides it: its own entry for the
 * registry (insecure-registries by name), else whether an address the host resolves to is in one of its insecure
 * CIDRs (127.0.0.0/8 by default). `resolve` resolves a host name (Docker resolves it on its own host).
 */
export async function dockerTreatsAsInsecure(
  registry: string,
  config: DockerRegistryConfig,
  resolve: (host: string) => Promise<readonly string[]> = async (h) => (await lookup(h, { all: true })).map((a) => a.address),
): Promise<boolean> {
  const own = config.IndexConfigs?.[registry];
  if (own !== undefined) return own.Secure === false;
  const cidrs = new BlockList();
  for (const cidr of config.InsecureRegistryCIDRs ?? []) {
    const [net, bits] = cidr.split('/');
    const family = isIP(net ?? '');
    if (family === 0 || bits === undefined) continue;
    cidrs.addSubnet(net!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
  }
  const host = hostname(registry);
  const addresses = isIP(host) !== 0 ? [host] : await resolve(host).catch(() => [] as readonly string[]);
  return addresses.some((a) => cidrs.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4'));
}

/**
 * How kiln's own request to `https://REGISTRY/v2/` went: answered over verified TLS (`true`); answered, but not so
 * (`false`: plain HTTP, a certificate kiln cannot verify); or not asked or not reached (`'unknown'`: a name that does
 * not resolve here, nothing listening or answering, a proxy in the way). Docker pushes from its own host, through its
 * own proxy settings, so only an answer says anything about what its push will meet.
 */
export type HttpsProbeResult = { readonly verified: true } | { readonly verified: false | 'unknown'; readonly reason: string };

export type HttpsProbe = (registry: string, signal?: AbortSignal) => Promise<HttpsProbeResult>;

/** Error codes of a connection that reached nothing (no TLS handshake took place): they say nothing about the registry's TLS. */
const UNREACHED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

/**
 * The proxy the environment names for `https://HOST[:PORT]` as Docker's client and daemon read it (Go's rules:
 * HTTPS_PROXY/https_proxy unless NO_PROXY/no_proxy exempts the host, never loopback); Node's `https` does not use it.
 */
export function httpsProxyFor(host: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const port = /^(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(host);
  return httpsProxyVariable(hostname(host), port === null ? 443 : Number(port[1]), env)?.value;
}

/**
 * Asks `https://REGISTRY/v2/` with certificate verification — trusting what Node trusts plus the CA Docker takes for
 * that registry from `/etc/docker/certs.d/REGISTRY/ca.crt` — whether the registry answers over verified HTTPS (any
 * HTTP status counts: the TLS handshake is the question). A plain-HTTP registry or a certificate that does not verify
 * is not; a name that does not resolve here, nothing answering within 5 s, or a proxy the environment names for it
 * (kiln's request would not go through it, Docker's does) leaves it unknown.
 */
export const probeVerifiedHttps: HttpsProbe = async (registry, signal) => {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  if (httpsProxyFor(host) !== undefined) return { verified: 'unknown', reason: 'HTTPS_PROXY is set for it: Docker reaches it through the proxy, kiln does not ask through one' };
  const extraCa = await readFile(`/etc/docker/certs.d/${registry}/ca.crt`).catch(() => undefined);
  return new Promise((resolve) => {
    const done = (r: HttpsProbeResult): void => {
      req.destroy();
      resolve(r);
    };
    const req = request(`https://${host}/v2/`, { method: 'GET', timeout: 5_000, ...(signal === undefined ? {} : { signal }), ...(extraCa === undefined ? {} : { ca: extraCa }) }, (res) => {
      res.resume();
      done({ verified: true });
    });
    req.on('timeout', () => done({ verified: 'unknown', reason: 'nothing answered over HTTPS within 5 s' }));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code ?? err.message;
      done({ verified: err.code !== undefined && UNREACHED.has(err.code) ? 'unknown' : false, reason });
    });
    req.end();
  });
};

/**
 * `registry.insecure=true` on a push kiln makes through Docker: Docker decides by its own configuration, not by the
 * option. Where Docker already reaches the registry insecurely, nothing to say. Where it requires verified HTTPS, kiln
 * asks the registry itself ({@link probeVerifiedHttps}): a registry answering over verified HTTPS gets a note (the
 * option is not needed there) and the push goes ahead; one that answers otherwise — plain HTTP, a self-signed
 * certificate, the reason most people give the option — is refused before building, since Docker's push would fail
 * after it. One kiln cannot reach from here (behind HTTPS_PROXY, a name only the daemon's host resolves) is not
 * refused on that: Docker may well reach it; a note says what the push needs.
 */
export async function dockerInsecurePushNotes(ep: DockerEndpoint, names: readonly string[], daemon: string, probe: HttpsProbe = probeVerifiedHttps, signal?: AbortSignal): Promise<string[]> {
  const info = JSON.parse((await dockerRequest(ep, { method: 'GET', path: '/info' })).text) as { RegistryConfig?: DockerRegistryConfig };
  const config = info.RegistryConfig ?? {};
  const notes: string[] = [];
  for (const registry of new Set(names.map((n) => parseImageRef(n).domain))) {
    if (await dockerTreatsAsInsecure(registry, config)) continue;
    const probed = await probe(registry, signal);
    if (signal?.aborted === true) throw new KilnError('cancelled', 'the build was cancelled', { cause: signal.reason });
    if (probed.verified === 'unknown') {
      notes.push(
        `[kiln] registry.insecure=true: kiln could not ask ${registry} whether it answers over verified HTTPS (${probed.reason}); Docker (${daemon}) pushes the image from its own host and reaches ${registry} only so — if it serves plain HTTP or a self-signed certificate, the push fails after the build (add it to "insecure-registries" in dockerd's daemon.json)`,
      );
      continue;
    }
    if (probed.verified === false) {
      throw new KilnError('unsupported', `registry.insecure=true cannot be applied by ${daemon}: kiln pushes through Docker, which reaches ${registry} only over HTTPS with a verified certificate, and ${registry} did not answer so (${probed.reason})`, {
        hint: `Add "${registry}" to "insecure-registries" in dockerd's daemon.json and restart it (or put its CA in /etc/docker/certs.d/${registry}/ca.crt), or build on a standalone buildkitd (--addr, BUILDKIT_HOST), which pushes with registry.insecure itself.`,
        details: { registry, daemon },
      });
    }
    notes.push(`[kiln] registry.insecure=true is not needed for ${registry}: it answers over HTTPS with a verified certificate, as Docker (${daemon}), which pushes the image, requires`);
  }
  return notes;
}
