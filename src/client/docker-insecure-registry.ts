import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
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
 * option. For each registry Docker reaches only over verified HTTPS, a note saying that the option is not applied there
 * (harmless for a registry with a trusted certificate, where it is not needed; a plain-HTTP or self-signed one fails the
 * push with Docker's own error, so the note says how to configure Docker). None where Docker already reaches it so.
 */
export async function dockerInsecurePushNotes(ep: DockerEndpoint, names: readonly string[], daemon: string): Promise<string[]> {
  const info = JSON.parse((await dockerRequest(ep, { method: 'GET', path: '/info' })).text) as { RegistryConfig?: DockerRegistryConfig };
  const config = info.RegistryConfig ?? {};
  const notes: string[] = [];
  for (const registry of new Set(names.map((n) => parseImageRef(n).domain))) {
    if (await dockerTreatsAsInsecure(registry, config)) continue;
    notes.push(
      `[kiln] registry.insecure=true is not applied by ${daemon}: kiln pushes through Docker, which reaches ${registry} over HTTPS with a verified certificate (not needed for a registry with a trusted certificate; for plain HTTP or a self-signed certificate add "${registry}" to "insecure-registries" in dockerd's daemon.json, or build on a standalone buildkitd)`,
    );
  }
  return notes;
}
