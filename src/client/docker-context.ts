/**
 * The Docker daemon the docker CLI would talk to: `DOCKER_HOST`, else the docker context `DOCKER_CONTEXT` or
 * `currentContext` in config.json names (Docker Desktop's `desktop-linux`, Colima's `colima`, `rootless`,
 * OrbStack's `orbstack`…), else the default socket. A context's endpoint is in
 * `<config dir>/contexts/meta/<sha256 of its name>/meta.json` (`Endpoints.docker.Host`), its TLS files in
 * `<config dir>/contexts/tls/<sha256 of its name>/docker/`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KilnError } from '../errors.js';
import { dockerConfigDir } from '../session/docker-config.js';
import { DEFAULT_WINDOWS_DOCKER_HOST, npipePath } from './npipe.js';
import { isRecord } from '../json-record.js';

/** Reads a text file; `undefined` when it does not exist. */
export type ReadTextFile = (path: string) => string | undefined;

/** The Docker daemon's default API socket (unix). */
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The Docker host the docker CLI uses when nothing names one: Docker Desktop's named pipe on Windows, else the unix socket. */
export function defaultDockerHost(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? DEFAULT_WINDOWS_DOCKER_HOST : DEFAULT_DOCKER_HOST;
}

/** The Docker daemon the docker CLI would use, and why. */
export interface DockerHostChoice {
  /** As the docker CLI writes it: `unix:///…`, `tcp://host:port`, `ssh://user@host`, `npipe://…`. */
  readonly host: string;
  /** The docker context (`default` when DOCKER_HOST or the default socket decides). */
  readonly context: string;
  /** Why this daemon, for messages: `DOCKER_HOST`, `docker context "colima" (currentContext in …/config.json)`… */
  readonly source: string;
  /** The context talks TLS to its daemon (TLS files stored with it, or SkipTLSVerify), or DOCKER_TLS_VERIFY is set. */
  readonly tls: boolean;
}

/** Reads a file with `readFileSync`; a missing file is `undefined`, an unreadable one an `io` error. */
export function readTextFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new KilnError('io', `cannot read ${path}: ${code ?? String(err)}`, { cause: err, hint: 'Fix its permissions, or point DOCKER_CONFIG at another directory.', details: { file: path } });
  }
}

/** The directory name the docker CLI keeps a context's metadata and TLS files under. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/** `currentContext` of config.json; a missing or broken file names none (the docker CLI warns and goes on too). */
function currentContextOf(configFile: string, read: ReadTextFile): string | undefined {
  const text = read(configFile);
  if (text === undefined || text.trim() === '') return undefined;
  const current = jsonObject(text)?.['currentContext'];
  return typeof current === 'string' && current !== '' ? current : undefined;
}

/** `text` parsed as a JSON object; `undefined` when it is not JSON or not an object. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isRecord(value) ? value : undefined;
}

/** The value of `key` in a JSON object, matched case-insensitively as Go's encoding/json does. */
function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (key in record) return record[key];
  const lower = key.toLowerCase();
  const found = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : record[found];
}

/** The docker endpoint of a stored (non-default) context; `why` says what named it. Throws `invalid_argument` when it is missing or unreadable. */
export function contextEndpoint(
  name: string,
  configDir: string,
  read: ReadTextFile,
  why: string,
  fix = 'Run docker context ls to see the contexts there are.',
): { readonly host: string; readonly tls: boolean } {
  const id = contextDirName(name);
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const text = read(metaFile);
  const source = `docker context "${name}" (${why})`;
  if (text === undefined) {
    throw new KilnError('invalid_argument', `${source} does not exist: no ${metaFile}`, { hint: fix, details: { addressSource: source, file: metaFile } });
  }
  let host: unknown;
  let skipVerify: unknown;
  try {
    const docker = field(field(JSON.parse(text) as unknown, 'Endpoints'), 'docker');
    host = field(docker, 'Host');
    skipVerify = field(docker, 'SkipTLSVerify');
  } catch (err) {
    throw new KilnError('invalid_argument', `${source}: ${metaFile} is not valid JSON`, { cause: err, hint: fix, details: { addressSource: source, file: metaFile } });
  }
  if (typeof host !== 'string' || host === '') {
    throw new KilnError('invalid_argument', `${source} has no Docker endpoint (Endpoints.docker.Host in ${metaFile})`, {
      hint: `Give it one: docker context update ${name} --docker host=unix:///path/to/docker.sock`,
      details: { addressSource: source, file: metaFile },
    });
  }
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const tls = skipVerify === true || ['ca.pem', 'cert.pem', 'key.pem'].some((f) => read(join(tlsDir, f)) !== undefined);
  return { host, tls };
}

/**
 * The Docker daemon the docker CLI would use with this environment: `DOCKER_HOST`, else the context named by
 * `DOCKER_CONTEXT`, else config.json's `currentContext`, else the default socket (the CLI's own order).
 */
export function dockerHostFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  read: ReadTextFile = readTextFileIfExists,
  platform: NodeJS.Platform = process.platform,
): DockerHostChoice {
  const dockerHost = env['DOCKER_HOST'];
  if (dockerHost !== undefined && dockerHost !== '') {
    const verify = env['DOCKER_TLS_VERIFY'];
    return { host: dockerHost, context: 'default', source: 'DOCKER_HOST', tls: verify !== undefined && verify !== '' };
  }
  const configDir = dockerConfigDir(env, platform);
  const fromEnv = env['DOCKER_CONTEXT'];
  const configFile = join(configDir, 'config.json');
  const byEnv = fromEnv !== undefined && fromEnv !== '';
  const name = byEnv ? fromEnv : currentContextOf(configFile, read);
  if (name === undefined || name === 'default') return { host: defaultDockerHost(platform), context: 'default', source: 'default socket', tls: false };
  const why = byEnv ? 'DOCKER_CONTEXT' : `currentContext in ${configFile}`;
  const fix = byEnv
    ? 'Run docker context ls to see the contexts there are, and set DOCKER_CONTEXT to one of them (or unset it).'
    : 'Run docker context ls to see the contexts there are, and docker context use one of them.';
  const endpoint = contextEndpoint(name, configDir, read, why, fix);
  return { host: endpoint.host, context: name, source: `docker context "${name}" (${why})`, tls: endpoint.tls };
}

/** How messages name a Docker host by where it came from: `DOCKER_HOST="…"`, or `<source>: Docker host …`. */
export function dockerHostOrigin(host: string, source: string): string {
  return source === 'DOCKER_HOST' ? `DOCKER_HOST="${host}"` : `${source}: Docker host ${host}`;
}

/**
 * The error for a Docker host kiln cannot reach — `tcp://` with TLS, anything but `unix://`, `tcp://` and `ssh://` —
 * naming where the host came from (`source`: `DOCKER_HOST`, a docker context, a buildx builder) and what to do
 * instead; undefined for a host kiln can reach. `use` is what a forwarded socket is then given to: building on that
 * Docker (`build`, BUILDKIT_HOST) or loading images into it (`load`, DOCKER_HOST).
 */
export function unreachableDockerHost(
  host: string,
  tls: boolean,
  source: string,
  env: Readonly<Record<string, string | undefined>>,
  use: 'build' | 'load' = 'build',
): KilnError | undefined {
  const from = dockerHostOrigin(host, source);
  const details = { addressSource: source };
  const forwarded = use === 'build' ? 'BUILDKIT_HOST=docker://unix:///tmp/kiln-docker.sock' : 'DOCKER_HOST=unix:///tmp/kiln-docker.sock';
  if (host.startsWith('tcp://') && tls) {
    const why = source === 'DOCKER_HOST' ? `DOCKER_TLS_VERIFY=${env['DOCKER_TLS_VERIFY'] ?? ''}` : 'the context has TLS settings';
    return new KilnError('invalid_argument', `${from}: kiln cannot reach the Docker API over TLS (${why})`, {
      hint:
        use === 'build'
          ? `Run a buildkitd reachable over TLS and point kiln at it (--addr tcp://host:port with --tlscacert, --tlscert, --tlskey), or forward the Docker socket over ssh (ssh -NfL /tmp/kiln-docker.sock:/var/run/docker.sock user@host) and use ${forwarded}.`
          : `Forward the Docker socket over ssh (ssh -NfL /tmp/kiln-docker.sock:/var/run/docker.sock user@host) and use ${forwarded}.`,
      details,
    });
  }
  // ssh:// as the docker CLI reaches it: `ssh … docker system dial-stdio` (docker-api.ts).
  if (host.startsWith('unix://') || host.startsWith('tcp://') || host.startsWith('ssh://') || npipePath(host) !== undefined) return undefined;
  return new KilnError('invalid_argument', `${from} is not supported by kiln`, {
    hint: `Use DOCKER_HOST=unix:///path/to/docker.sock, npipe:////./pipe/docker_engine (Windows) or tcp://host:port${use === 'build' ? ', or set BUILDKIT_HOST' : ''}.`,
    details,
  });
}
