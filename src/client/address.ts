import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { KilnError, invalidArgument } from '../errors.js';
import { chosenBuildxBuilder, type BuildxBuilder } from './buildx-builder.js';
import { contextEndpoint, dockerHostFromEnv, readTextFileIfExists, unreachableDockerHost, type DockerHostChoice, type ReadTextFile } from './docker-context.js';
import { dockerConfigDir } from '../session/docker-config.js';
import { npipePath } from './npipe.js';
import type { StdioDaemon } from './connection-helper.js';
import { describeDockerEndpoint, sshDockerEndpoint, type DockerEndpoint } from './docker-api.js';
import { formatSshTarget, parseSshTarget } from './ssh-target.js';

/** TLS material for a `tcp://` BuildKit address (file paths, like buildctl's `--tlscacert` & co). */
export interface TlsFiles {
  /** CA certificate used to verify the daemon. */
  readonly caCert?: string | undefined;
  /** Client certificate (mutual TLS). */
  readonly cert?: string | undefined;
  /** Client key (mutual TLS). */
  readonly key?: string | undefined;
  /** Server name to verify instead of the host name. */
  readonly serverName?: string | undefined;
}

/** Where a BuildKit daemon lives, parsed from an address string. */
export type DaemonAddress =
  /** A buildkitd listening on a unix socket: `unix:///run/buildkit/buildkitd.sock`. */
  | { readonly kind: 'unix'; readonly path: string }
  /** A buildkitd on TCP, plain or TLS: `tcp://host:1234`. */
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls?: TlsFiles | undefined }
  /**
   * The BuildKit embedded in a Docker daemon, reached through its API (`/grpc`, `/session`): on a unix socket, on TCP,
   * or on an ssh host through `ssh … docker system dial-stdio` as the docker CLI reaches `DOCKER_HOST=ssh://…`.
   */
  | { readonly kind: 'docker'; readonly endpoint: DockerEndpoint }
  /**
   * A buildx builder container, reached with `docker exec -i <name> buildctl dial-stdio`: against `dockerHost`
   * (`docker -H`) when it runs on another Docker; `dockerContext` (internal, set by {@link resolveAddress}) when that
   * Docker is a docker context with TLS settings, which only `docker --context` brings along.
   */
  | { readonly kind: 'docker-container'; readonly container: string; readonly dockerHost?: string | undefined; readonly dockerContext?: string | undefined }
  /**
   * A buildkitd reached through a command's stdio, as buildctl's connection helpers reach it (connection-helper.ts):
   * `ssh://[user@]host[:port][/socket]`, `kube-pod://<pod>`, `podman-container://<name>`, `nerdctl-container://<name>`.
   */
  | Exclude<StdioDaemon, { readonly kind: 'docker-container' | 'docker-ssh' }>;

/** An address together with where it came from, so tools can explain how the daemon was chosen. */
export interface ResolvedAddress {
  readonly address: DaemonAddress;
  /** The address as a string (canonical form). */
  readonly text: string;
  /** Why this address: `"the address option"` (`"--addr"` from the CLI), `"BUILDKIT_HOST"`, `"default buildkitd socket"`, `"Docker daemon (DOCKER_HOST)"`… */
  readonly source: string;
  /**
   * What else the choice passed over, for `kiln info` and `kiln doctor`: a buildx builder named in buildx's files that
   * no longer exists (docker buildx build then quietly uses the current docker context's Docker, and so does kiln).
   */
  readonly note?: string | undefined;
}

export const DEFAULT_BUILDKITD_SOCKET = '/run/buildkit/buildkitd.sock';
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
/** The source of the last resort: nothing named a daemon, so kiln tries the default Docker socket. */
export const DEFAULT_DOCKER_SOURCE = 'Docker daemon (default socket)';

const ADDRESS_FORMS =
  'unix:///path/to/buildkitd.sock, tcp://host:port, docker://[unix:///path/to/docker.sock | npipe:////./pipe/docker_engine | ssh://user@host], docker-container://<name>, ' +
  'ssh://[user@]host[:port][/path/to/buildkitd.sock], kube-pod://<pod>, podman-container://<name>, nerdctl-container://<name>';

/** Names Docker, Podman and nerdctl accept for containers (and containerd for namespaces): no leading "-" or ".". */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Names Kubernetes accepts for pods, namespaces and containers: lowercase letters, digits, "-" and ".", starting and
 * ending with a letter or digit. buildctl's kube-pod helper also takes a leading "-", which kubectl then reads as an
 * option (`kube-pod://-p` ran `kubectl exec -i -p -- buildctl dial-stdio`); no Kubernetes object has such a name.
 */
const KUBE_NAME = /^[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?$/;

/**
 * Parses a daemon address.
 *
 * Accepted forms: `unix:///abs/path`, `tcp://host:port`, `docker://` (the default Docker socket here;
 * {@link resolveAddress} makes it the Docker daemon `DOCKER_HOST` names, as the docker CLI would),
 * `docker:///abs/docker.sock`, `docker://unix:///abs/docker.sock`, `docker://tcp://host:port`,
 * `docker://npipe:////./pipe/docker_engine` (Docker Desktop on Windows),
 * `docker://ssh://[user@]host[:port][/path/to/docker.sock]` (a Docker on an ssh host, as `DOCKER_HOST=ssh://…`),
 * `docker-container://<name>`, and the addresses reached through a command's stdio as buildctl reaches them:
 * `ssh://[user@]host[:port][/path/to/buildkitd.sock]` (`ssh … buildctl [--addr unix://<path>] dial-stdio`),
 * `kube-pod://<pod>[?context=…&namespace=…&container=…]`, `podman-container://<name>`,
 * `nerdctl-container://<name>[?namespace=…]`.
 */
export function parseAddress(text: string, tls?: TlsFiles): DaemonAddress {
  if (typeof text !== 'string' || text.trim() === '') {
    invalidArgument(`daemon address is empty; expected one of: ${ADDRESS_FORMS}`, parseAddress);
  }
  const value = text.trim();
  const bad = (why: string): never =>
    invalidArgument(`daemon address "${value}" is invalid: ${why}. Expected one of: ${ADDRESS_FORMS}`, parseAddress);

  if (value.startsWith('unix://')) {
    const path = value.slice('unix://'.length);
    if (!isAbsolute(path)) bad('a unix socket path must be absolute (unix:///run/buildkit/buildkitd.sock)');
    return { kind: 'unix', path };
  }
  if (value.startsWith('tcp://')) {
    const { host, port } = parseHostPort(value.slice('tcp://'.length), bad);
    return tls === undefined ? { kind: 'tcp', host, port } : { kind: 'tcp', host, port, tls };
  }
  if (value.startsWith('docker-container://')) {
    const container = value.slice('docker-container://'.length).replace(/\/+$/, '');
    if (!CONTAINER_NAME.test(container)) bad('expected a container name after docker-container://');
    return { kind: 'docker-container', container };
  }
  if (value.startsWith('ssh://')) return { kind: 'ssh', target: parseSshTarget(value.slice('ssh://'.length), bad) };
  const helper = /^(kube-pod|podman-container|nerdctl-container):\/\/([^/?#]*)\/?(?:\?([^#]*))?$/.exec(value);
  if (helper !== null) return containerAddress(helper[1]!, helper[2]!, new URLSearchParams(helper[3] ?? ''), bad);
  if (/^(kube-pod|podman-container|nerdctl-container):\/\//.test(value)) bad('expected <scheme>://<name>[?option=value&…]');
  if (value.startsWith('docker://')) {
    const rest = value.slice('docker://'.length);
    if (rest === '') return { kind: 'docker', endpoint: { socketPath: DEFAULT_DOCKER_SOCKET } };
    if (rest.startsWith('unix://')) {
      const path = rest.slice('unix://'.length);
      if (!isAbsolute(path)) bad('the Docker socket path must be absolute');
      return { kind: 'docker', endpoint: { socketPath: path } };
    }
    if (rest.startsWith('tcp://')) {
      const { host, port } = parseHostPort(rest.slice('tcp://'.length), bad);
      return { kind: 'docker', endpoint: { host, port } };
    }
    if (rest.startsWith('npipe://')) {
      const pipe = npipePath(rest);
      if (pipe === undefined) return bad('a Windows named pipe is written npipe:////./pipe/<name> (Docker Desktop: npipe:////./pipe/docker_engine)');
      return { kind: 'docker', endpoint: { socketPath: pipe } };
    }
    if (rest.startsWith('ssh://')) return { kind: 'docker', endpoint: sshDockerEndpoint(rest, bad) };
    if (isAbsolute(rest)) return { kind: 'docker', endpoint: { socketPath: rest } };
    bad('after docker:// give nothing, an absolute socket path, unix:///path, tcp://host:port or ssh://[user@]host[:port][/path/to/docker.sock]');
  }
  if (value.startsWith('npipe://')) {
    bad(`a named pipe is reached as Docker's: docker://${value} (kiln does not reach a buildkitd on a named pipe; use tcp://)`);
  }
  if (isAbsolute(value)) {
    const hint = /docker\.sock$/.test(value) ? `docker://unix://${value}` : `unix://${value}`;
    bad(`a socket path needs a scheme (did you mean ${hint})`);
  }
  return bad('unknown scheme');
}

/** `kube-pod://`, `podman-container://`, `nerdctl-container://`: the name and the options buildctl reads from the query. */
function containerAddress(scheme: string, name: string, query: URLSearchParams, bad: (why: string) => never): DaemonAddress {
  const allowed = scheme === 'kube-pod' ? ['context', 'namespace', 'container'] : scheme === 'nerdctl-container' ? ['namespace'] : [];
  for (const key of query.keys()) {
    if (!allowed.includes(key)) bad(`${scheme}:// takes ${allowed.length === 0 ? 'no options' : `only ${allowed.join(', ')}`}, not "${key}"`);
  }
  const opt = (key: string): string | undefined => {
    const v = query.get(key);
    return v === null || v === '' ? undefined : v;
  };
  if (name === '') bad(`expected a ${scheme === 'kube-pod' ? 'pod' : 'container'} name after ${scheme}://`);
  if (scheme === 'kube-pod') {
    for (const [what, v] of [['pod', name], ['namespace', opt('namespace')], ['container', opt('container')]] as const) {
      if (v !== undefined && !KUBE_NAME.test(v)) bad(`"${v}" is not a valid Kubernetes ${what} name`);
    }
    const context = opt('context');
    if (context?.startsWith('-') === true) bad(`the kube context "${context}" starts with "-"`);
    return { kind: 'kube-pod', pod: name, context, namespace: opt('namespace'), container: opt('container') };
  }
  if (!CONTAINER_NAME.test(name)) bad(`"${name}" is not a valid container name`);
  if (scheme === 'podman-container') return { kind: 'podman-container', container: name };
  const namespace = opt('namespace');
  if (namespace !== undefined && !CONTAINER_NAME.test(namespace)) bad(`"${namespace}" is not a valid containerd namespace`);
  return { kind: 'nerdctl-container', container: name, namespace };
}

function parseHostPort(hostPort: string, bad: (why: string) => never): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/\s]+):(\d{1,5})\/?$/.exec(hostPort);
  if (m === null) bad('expected host:port');
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = Number(m[2]);
  if (port < 1 || port > 65535) bad(`port ${port} is out of range 1-65535`);
  return { host, port };
}

/** Canonical string form of an address. */
export function formatAddress(address: DaemonAddress): string {
  switch (address.kind) {
    case 'unix':
      return `unix://${address.path}`;
    case 'tcp':
      return `tcp://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
    case 'docker':
      return `docker://${describeDockerEndpoint(address.endpoint)}`;
    case 'docker-container':
      return `docker-container://${address.container}`;
    case 'ssh':
      return formatSshTarget(address.target);
    case 'kube-pod': {
      const q = new URLSearchParams();
      if (address.context !== undefined) q.set('context', address.context);
      if (address.namespace !== undefined) q.set('namespace', address.namespace);
      if (address.container !== undefined) q.set('container', address.container);
      return `kube-pod://${address.pod}${q.size === 0 ? '' : `?${q.toString()}`}`;
    }
    case 'podman-container':
      return `podman-container://${address.container}`;
    case 'nerdctl-container':
      return `nerdctl-container://${address.container}${address.namespace === undefined ? '' : `?namespace=${encodeURIComponent(address.namespace)}`}`;
  }
}

/** Inputs to address resolution; defaults read the process environment and filesystem. */
export interface ResolveAddressOptions {
  /** An address given explicitly (the `address` option of `Client.connect`, `kiln --addr`). */
  readonly explicit?: string | undefined;
  /** How messages name where `explicit` came from (default `"the address option"`; the CLI says `"--addr"`). */
  readonly explicitSource?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly tls?: TlsFiles | undefined;
  /** Checks whether a path exists (injectable for tests). */
  readonly exists?: ((path: string) => boolean) | undefined;
  /** Reads a text file, `undefined` when it does not exist (injectable for tests): docker contexts, buildx builders. */
  readonly readFile?: ReadTextFile | undefined;
  /** The OS (default `process.platform`): on Windows the default Docker is Docker Desktop's pipe, config under USERPROFILE. */
  readonly platform?: NodeJS.Platform | undefined;
}

/**
 * Picks the daemon `docker buildx build` would use: an explicit address, else `BUILDKIT_HOST`, else the buildx
 * builder chosen with `BUILDX_BUILDER` or `docker buildx use` (docker-container, remote, or the docker driver of
 * another context), else the standard buildkitd socket if it exists, else the Docker daemon the docker CLI talks to
 * (`DOCKER_HOST`, else the docker context `DOCKER_CONTEXT` or config.json's `currentContext` names, else the default
 * socket).
 */
export function resolveAddress(options: ResolveAddressOptions = {}): ResolvedAddress {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  const read = options.readFile ?? readTextFileIfExists;
  const explicitSource = options.explicitSource ?? 'the address option';
  const make = (text: string, source: string, tls = options.tls): ResolvedAddress => {
    let address: DaemonAddress;
    try {
      address = parseAddress(text, tls);
    } catch (err) {
      // Say where the bad address came from: a BUILDKIT_HOST set long ago is easily forgotten.
      if (!KilnError.is(err, 'invalid_argument') || source === 'default buildkitd socket') throw err;
      const docker = source.startsWith('Docker daemon');
      const from = source === 'Docker daemon (DOCKER_HOST)' ? `DOCKER_HOST="${env['DOCKER_HOST'] ?? ''}"` : source;
      const hint = docker
        ? 'Use DOCKER_HOST=unix:///path/to/docker.sock or tcp://host:port, or set BUILDKIT_HOST.'
        : source === explicitSource
          ? `Give a valid address in ${explicitSource}: unix:///path/to/buildkitd.sock, tcp://host:port, docker://, docker-container://name, ssh://user@host[/path/to/buildkitd.sock], kube-pod://pod.`
          : `Fix ${source}, or unset it to let kiln pick the daemon (the buildkitd socket, then Docker).`;
      throw new KilnError('invalid_argument', `${from}: ${err.message}`, { cause: err, hint, details: { addressSource: source } });
    }
    return { address, text: formatAddress(address), source };
  };
  let dockerChoice: DockerHostChoice | undefined;
  const platform = options.platform ?? process.platform;
  const dockerHost = (): DockerHostChoice => (dockerChoice ??= dockerHostFromEnv(env, read, platform));
  /** The Docker daemon as the docker CLI finds it: DOCKER_HOST, else the current docker context, else the default socket. */
  const docker = (): ResolvedAddress => {
    const choice = dockerHost();
    const source =
      choice.source === 'default socket' ? DEFAULT_DOCKER_SOURCE : choice.source === 'DOCKER_HOST' ? 'Docker daemon (DOCKER_HOST)' : `Docker daemon of ${choice.source}`;
    return make(dockerAddressText(choice.host, choice.tls, choice.source, env), source);
  };
  /** An address given by the user; a bare `docker://` names no socket, so it is the Docker daemon DOCKER_HOST names. */
  const given = (text: string, source: string): ResolvedAddress => {
    return text.trim() === 'docker://' ? { ...docker(), source } : make(text, source);
  };
  if (options.explicit !== undefined && options.explicit !== '') return given(options.explicit, explicitSource);
  const bk = env['BUILDKIT_HOST'];
  if (bk !== undefined && bk !== '') return given(bk, 'BUILDKIT_HOST');
  const choice = chosenBuildxBuilder(env, dockerHost(), read);
  if (choice.builder !== undefined) {
    const viaBuilder = builderAddress(choice.builder, dockerHost(), env, read, make);
    if (viaBuilder !== undefined) return viaBuilder;
  }
  const noted = (resolved: ResolvedAddress): ResolvedAddress => (choice.note === undefined ? resolved : { ...resolved, note: choice.note });
  if (exists(DEFAULT_BUILDKITD_SOCKET)) return noted(make(`unix://${DEFAULT_BUILDKITD_SOCKET}`, 'default buildkitd socket'));
  return noted(docker());
}

/**
 * The `docker://` address of a Docker host as the docker CLI names it. Hosts kiln cannot reach throw
 * `invalid_argument` naming where the host came from and what to do instead.
 */
function dockerAddressText(host: string, tls: boolean, source: string, env: Readonly<Record<string, string | undefined>>): string {
  const refused = unreachableDockerHost(host, tls, source, env);
  if (refused !== undefined) throw refused;
  return `docker://${host}`;
}

/**
 * The address of a buildx builder's first node: the docker driver of another context is that context's dockerd
 * (undefined for the current context's: the rest of the order decides as if no builder was chosen), the
 * docker-container driver its `buildx_buildkit_<node>` container, the remote driver its endpoint.
 */
function builderAddress(
  builder: BuildxBuilder,
  current: DockerHostChoice,
  env: Readonly<Record<string, string | undefined>>,
  read: ReadTextFile,
  make: (text: string, source: string, tls?: TlsFiles) => ResolvedAddress,
): ResolvedAddress | undefined {
  const node = builder.nodes[0];
  const many = builder.nodes.length > 1 ? `, node 1 of ${builder.nodes.length}` : '';
  const source = `buildx builder "${builder.name}" (${builder.driver} driver${many}; ${builder.why})`;
  const unsupported = (why: string): never => {
    throw new KilnError('invalid_argument', `${source}: ${why}`, {
      hint: `kiln reaches buildx builders of the docker, docker-container and remote (unix://, tcp://, docker-container://) drivers. Pass --addr (or BUILDKIT_HOST) with the builder's address, or pick another builder (docker buildx use <name>; unset BUILDX_BUILDER).`,
      details: { addressSource: source },
    });
  };
  if (node === undefined) return unsupported('the builder has no nodes');
  /** The Docker host of a node endpoint: a docker context name, or a Docker host URL. */
  const hostOf = (endpoint: string): { host: string; tls: boolean; context: string } => {
    if (endpoint === '' || endpoint === current.context) return current;
    if (endpoint.includes('://')) return { host: endpoint, tls: false, context: endpoint };
    return { ...contextEndpoint(endpoint, dockerConfigDir(env), read, `the endpoint of ${source}`), context: endpoint };
  };
  switch (builder.driver) {
    case 'docker': {
      const target = hostOf(node.endpoint);
      if (target.host === current.host) return undefined;
      return make(dockerAddressText(target.host, target.tls, source, env), source);
    }
    case 'docker-container': {
      const target = hostOf(node.endpoint);
      const parsed = make(`docker-container://buildx_buildkit_${node.name}`, source);
      if (parsed.address.kind !== 'docker-container') return parsed;
      // docker exec runs against that Docker; the current context's is the docker CLI's own choice.
      if (target === current) return parsed;
      // `docker -H tcp://…` alone would talk plain TCP to a Docker that wants TLS: name the context, whose TLS files the docker CLI reads.
      if (target.tls && target.context !== target.host) return { ...parsed, address: { ...parsed.address, dockerContext: target.context } };
      return { ...parsed, address: { ...parsed.address, dockerHost: target.host } };
    }
    case 'remote': {
      if (!/^(unix|tcp|docker-container):\/\//.test(node.endpoint)) return unsupported(`its endpoint ${node.endpoint || '(none)'} is not unix://, tcp:// or docker-container://`);
      const o = node.driverOpts;
      const fromBuilder: TlsFiles = { caCert: o['cacert'], cert: o['cert'], key: o['key'], serverName: o['servername'] };
      const tls = Object.values(fromBuilder).some((v) => v !== undefined) ? fromBuilder : undefined;
      return make(node.endpoint, source, tls);
    }
    default:
      return unsupported(`kiln cannot reach builders of the ${builder.driver || 'unknown'} driver`);
  }
}
