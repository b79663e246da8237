/**
 * Proxy settings for a build's steps, as docker build passes them: Docker's predefined proxy build args
 * (`HTTP_PROXY`, `HTTPS_PROXY`, `FTP_PROXY`, `NO_PROXY`, `ALL_PROXY`, any case) and the `proxies` of Docker's client
 * config (`config.json`). Every RUN step gets them in its ExecOp's `proxy_env`: the daemon sets both spellings
 * (`HTTP_PROXY` and `http_proxy`) in the process's environment, and leaves them out of the step's cache key and of
 * the image config. Pure apart from {@link readDockerProxyConfig}.
 */
import type { ProxyEnv } from '../llb/exec.js';
import { readDockerConfig, type DockerConfig } from '../session/docker-config.js';

/** Proxy settings for a build's steps (each an address such as `http://proxy.corp:3128`, `noProxy` a list of hosts). */
export type BuildProxy = ProxyEnv;

type ProxyField = keyof ProxyEnv;

/** The build arg names Docker predefines for proxies (lower-cased) and the field each sets. */
const PROXY_ARGS: ReadonlyMap<string, ProxyField> = new Map([
  ['http_proxy', 'httpProxy'],
  ['https_proxy', 'httpsProxy'],
  ['ftp_proxy', 'ftpProxy'],
  ['no_proxy', 'noProxy'],
  ['all_proxy', 'allProxy'],
]);

const FIELDS: readonly ProxyField[] = ['httpProxy', 'httpsProxy', 'ftpProxy', 'noProxy', 'allProxy'];

/** Whether `name` is one of Docker's predefined proxy build args (`HTTP_PROXY`, `https_proxy`, … in any case). */
export function isProxyArgName(name: string): boolean {
  return PROXY_ARGS.has(name.toLowerCase());
}

/**
 * The proxy settings among build args (`{ HTTP_PROXY: 'http://p:3128', VERSION: '1' }` gives `{ httpProxy: … }`),
 * `undefined` when there are none. Of two spellings of one name (`HTTP_PROXY` and `http_proxy`) the upper-case one
 * wins, so the answer does not depend on the order of the args.
 */
export function proxyFromBuildArgs(args: Readonly<Record<string, string>>): BuildProxy | undefined {
  const out: Partial<Record<ProxyField, string>> = {};
  const upper = new Set<ProxyField>();
  for (const [name, value] of Object.entries(args)) {
    const field = PROXY_ARGS.get(name.toLowerCase());
    if (field === undefined) continue;
    const isUpper = name === name.toUpperCase();
    if (out[field] !== undefined && upper.has(field) && !isUpper) continue;
    out[field] = value;
    if (isUpper) upper.add(field);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** `over`'s settings, and `under`'s for the fields `over` does not set; `undefined` when neither sets one. */
export function mergeProxy(over: BuildProxy | undefined, under: BuildProxy | undefined): BuildProxy | undefined {
  const out: Partial<Record<ProxyField, string>> = {};
  for (const f of FIELDS) {
    const v = over?.[f] ?? under?.[f];
    if (v !== undefined) out[f] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Whether the settings set no address at all (every field missing or empty). */
export function isEmptyProxy(proxy: BuildProxy | undefined): boolean {
  return proxy === undefined || FIELDS.every((f) => proxy[f] === undefined || proxy[f] === '');
}

/**
 * The `proxies` of a Docker config for the daemon `host` (as the docker CLI names its Docker daemon:
 * `unix:///var/run/docker.sock`, `tcp://build.corp:2376`): the entry for that host when there is one, else the
 * `default` entry, as the docker CLI picks it (the host's entry replaces `default` whole). `undefined` when the config
 * has neither.
 */
export function dockerConfigProxy(config: DockerConfig, host: string | undefined): BuildProxy | undefined {
  const entry = (host === undefined ? undefined : config.proxies?.get(host)) ?? config.proxies?.get('default');
  return entry === undefined || isEmptyProxy(entry) ? undefined : entry;
}

/**
 * Reads the proxy settings of `<dir>/config.json` for the daemon `host` (see {@link dockerConfigProxy}). A missing
 * file is no settings; one that cannot be read throws `io`, a malformed one `invalid_argument` naming the entry.
 */
export function readDockerProxyConfig(dir: string, host: string | undefined): BuildProxy | undefined {
  return dockerConfigProxy(readDockerConfig(dir), host);
}
