import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { KilnError } from '../errors.js';
import { dockerRequest, type DockerEndpoint } from './docker-api.js';
import { parseImageRef } from '../llb/image-ref.js';

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
 * `registry.insecure=true` on a push kiln makes through Docker: Docker decides by its own configuration, not by the
 * option. Refuses, before the build, a push to a registry Docker would reach only over verified HTTPS.
 */
export async function checkDockerInsecurePush(ep: DockerEndpoint, names: readonly string[], daemon: string): Promise<void> {
  const info = JSON.parse((await dockerRequest(ep, { method: 'GET', path: '/info' })).text) as { RegistryConfig?: DockerRegistryConfig };
  const config = info.RegistryConfig ?? {};
  for (const registry of new Set(names.map((n) => parseImageRef(n).domain))) {
    if (await dockerTreatsAsInsecure(registry, config)) continue;
    throw new KilnError('unsupported', `registry.insecure=true cannot be applied by ${daemon}: kiln pushes through Docker, which reaches ${registry} only over HTTPS with a verified certificate`, {
      hint: `Add "${registry}" to "insecure-registries" in dockerd's daemon.json and restart it, or build on a standalone buildkitd (--addr, BUILDKIT_HOST), which pushes with registry.insecure itself.`,
      details: { registry, daemon },
    });
  }
}
