/**
 * Docker's client config (`config.json`) as far as registry credentials go: parsing, validation and the lookup
 * that decides where the credentials for one registry host come from. Pure apart from {@link readDockerConfig};
 * the credential helpers themselves are run by `credential-helper.ts`.
 *
 * Parsed configs hold secrets: never put one (or any of its entries) into an error, log line or `details`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KilnError } from '../errors.js';
import { isRecord } from '../json-record.js';

/** The key `docker login` writes for Docker Hub, and the server URL credential helpers know Hub by. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

/** The canonical host kiln uses for Docker Hub, whichever alias the daemon or the config uses. */
export const DOCKER_HUB_HOST = 'docker.io';

const HUB_ALIASES: ReadonlySet<string> = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);

/** A credential helper name: the `X` of the `docker-credential-X` program. Keeps paths and options out. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * What kiln answers the daemon for one registry: a user name and a secret (password or token). An identity token
 * is answered with an empty `username`. Both empty means anonymous.
 */
export interface RegistryCredential {
  readonly username: string;
  readonly secret: string;
}

/** One `auths` entry of a Docker config, in file order. */
export interface DockerAuthEntry {
  /** The key as written (`https://index.docker.io/v1/`, `host:port`, `http://host`, …). */
  readonly key: string;
  /** The key normalised by {@link registryHost}. */
  readonly host: string;
  /** Absent when the entry holds no credentials (e.g. `{}` left by `docker login` with a credential store). */
  readonly credential?: RegistryCredential;
  /**
   * `registrytoken`: a bearer token for the registry itself, used as is instead of one fetched from the registry's
   * token service (what `docker push` and BuildKit's own client do with it).
   */
  readonly registryToken?: string;
}

/** One `credHelpers` entry: registry → helper name. */
export interface DockerCredHelperEntry {
  readonly key: string;
  readonly host: string;
  readonly helper: string;
}

/** The credential-related part of a Docker config file. */
export interface DockerConfig {
  /** Where it was read from (for error messages); empty for configs built in memory. */
  readonly file: string;
  readonly auths: readonly DockerAuthEntry[];
  /** `credsStore`: the helper used for every registry without a `credHelpers` entry. */
  readonly credsStore?: string;
  readonly credHelpers: readonly DockerCredHelperEntry[];
  /**
   * `proxies`: for each key (`default`, or a Docker daemon's address such as `tcp://build.corp:2376`) the proxy
   * addresses the docker CLI gives that daemon's builds; absent when the config has none.
   */
  readonly proxies?: ReadonlyMap<string, DockerProxyEntry>;
}

/** One entry of a Docker config's `proxies` (each field an address, `noProxy` a list of hosts; empty ones left out). */
export interface DockerProxyEntry {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly ftpProxy?: string;
  readonly noProxy?: string;
  readonly allProxy?: string;
}

const PROXY_FIELDS = ['httpProxy', 'httpsProxy', 'ftpProxy', 'noProxy', 'allProxy'] as const;

/** An empty config: no credentials anywhere, every registry anonymous. */
export const EMPTY_DOCKER_CONFIG: DockerConfig = Object.freeze({ file: '', auths: Object.freeze([]), credHelpers: Object.freeze([]) });

/** Where the credentials for one registry come from. */
export type CredentialSource =
  /** Stored in the config itself (`auths`) or passed in memory. */
  | { readonly kind: 'inline'; readonly credential: RegistryCredential }
  /** Ask `docker-credential-<helper> get` for `serverUrl`. `setting` names the config entry that chose it. */
  | { readonly kind: 'helper'; readonly helper: string; readonly serverUrl: string; readonly setting: string }
  /** Nothing configured: pull and push anonymously. */
  | { readonly kind: 'anonymous' };

/**
 * Normalises a registry host or Docker config key to a bare lower-case `host[:port]`: drops any `scheme://` prefix
 * and any path (`https://index.docker.io/v1/` → `index.docker.io`), then folds every Docker Hub alias
 * (`docker.io`, `index.docker.io`, `registry-1.docker.io`, `registry.hub.docker.com`) into {@link DOCKER_HUB_HOST}.
 */
export function registryHost(keyOrHost: string): string {
  let s = keyOrHost.trim().toLowerCase();
  const scheme = s.indexOf('://');
  if (scheme >= 0) s = s.slice(scheme + 3);
  const slash = s.indexOf('/');
  if (slash >= 0) s = s.slice(0, slash);
  return HUB_ALIASES.has(s) ? DOCKER_HUB_HOST : s;
}

/**
 * The server URL a credential helper is asked about for `host`: Docker Hub is stored by `docker login` under
 * {@link DOCKER_HUB_CONFIG_KEY}, every other registry under its bare `host[:port]`.
 */
export function helperServerUrl(host: string): string {
  const h = registryHost(host);
  return h === DOCKER_HUB_HOST ? DOCKER_HUB_CONFIG_KEY : h;
}

/**
 * The directory holding `config.json`: `$DOCKER_CONFIG` when set, else `~/.docker` (`HOME` from `env` first; on
 * Windows `USERPROFILE`, as the docker CLI there reads it, not the `HOME` Git Bash or MSYS set).
 */
export function dockerConfigDir(env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env['DOCKER_CONFIG'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const home = env[platform === 'win32' ? 'USERPROFILE' : 'HOME'];
  return join(home !== undefined && home !== '' ? home : homedir(), '.docker');
}

/**
 * Reads and parses `<dir>/config.json`. A missing file (or directory) is an empty config, as for the docker CLI.
 * A file that cannot be read throws `io`; one that is not a valid config throws `invalid_argument` naming the file.
 */
export function readDockerConfig(dir: string): DockerConfig {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ...EMPTY_DOCKER_CONFIG, file };
    throw new KilnError('io', `Cannot read the Docker config ${file}: ${code ?? String(err)}`, {
      cause: err,
      hint: 'Fix its permissions, or point DOCKER_CONFIG at another directory.',
      details: { file },
    });
  }
  return parseDockerConfig(text, file);
}

/**
 * Parses the text of a Docker `config.json`, keeping `auths`, `credsStore` and `credHelpers` and ignoring the
 * rest. Throws `invalid_argument` naming `file` and the offending entry (never its value) when the JSON is broken,
 * an `auth` field does not decode to `user:password`, or a helper name is not a plain program suffix.
 * Empty text is an empty config.
 */
export function parseDockerConfig(text: string, file: string): DockerConfig {
  if (text.trim() === '') return { ...EMPTY_DOCKER_CONFIG, file };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // The engine's message can quote the surrounding text (which may hold credentials): report a position only.
    throw broken(file, `is not valid JSON${jsonErrorPosition(err, text)}`);
  }
  if (!isRecord(json)) throw broken(file, 'is not a JSON object');

  const auths: DockerAuthEntry[] = [];
  const rawAuths = json['auths'];
  if (rawAuths !== undefined && rawAuths !== null) {
    if (!isRecord(rawAuths)) throw broken(file, '"auths" is not an object');
    for (const [key, entry] of Object.entries(rawAuths)) {
      auths.push(parseAuthEntry(key, entry, file));
    }
  }

  let credsStore: string | undefined;
  const rawStore = json['credsStore'];
  if (rawStore !== undefined && rawStore !== null && rawStore !== '') {
    if (typeof rawStore !== 'string') throw broken(file, '"credsStore" is not a string');
    credsStore = checkHelperName(rawStore, '"credsStore"', file);
  }

  const credHelpers: DockerCredHelperEntry[] = [];
  const rawHelpers = json['credHelpers'];
  if (rawHelpers !== undefined && rawHelpers !== null) {
    if (!isRecord(rawHelpers)) throw broken(file, '"credHelpers" is not an object');
    for (const [key, helper] of Object.entries(rawHelpers)) {
      if (typeof helper !== 'string') throw broken(file, `credHelpers[${JSON.stringify(key)}] is not a string`);
      credHelpers.push({ key, host: registryHost(key), helper: checkHelperName(helper, `credHelpers[${JSON.stringify(key)}]`, file) });
    }
  }

  const proxies = parseProxies(json['proxies'], file);
  return {
    file,
    auths,
    ...(credsStore === undefined ? {} : { credsStore }),
    credHelpers,
    ...(proxies === undefined ? {} : { proxies }),
  };
}

/** `proxies`: an object of objects of strings (`{ "default": { "httpProxy": "http://proxy:3128" } }`). */
function parseProxies(raw: unknown, file: string): ReadonlyMap<string, DockerProxyEntry> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const shape = ' (it looks like { "default": { "httpProxy": "http://proxy:3128", "noProxy": "localhost" } })';
  if (!isRecord(raw)) throw broken(file, `"proxies" is not an object${shape}`);
  const proxies = new Map<string, DockerProxyEntry>();
  for (const [key, entry] of Object.entries(raw)) {
    if (entry === undefined || entry === null) continue;
    if (!isRecord(entry)) throw broken(file, `proxies[${JSON.stringify(key)}] is not an object${shape}`);
    const out: { -readonly [F in keyof DockerProxyEntry]: string } = {};
    for (const field of PROXY_FIELDS) {
      const value = entry[field];
      if (value === undefined || value === null || value === '') continue;
      if (typeof value !== 'string') throw broken(file, `proxies[${JSON.stringify(key)}].${field} is not a string${shape}`);
      out[field] = value;
    }
    proxies.set(key, out);
  }
  return proxies;
}

/**
 * Decides where the credentials for `host` (as the daemon names it, e.g. `registry-1.docker.io`) come from,
 * following the docker CLI's order: a `credHelpers` entry for the host, else `credsStore`, else the first `auths`
 * entry with credentials for the host (the exact Docker key first, then any key naming the same `host[:port]`),
 * else anonymous. A credential store is authoritative, as in the docker CLI: inline `auths` are not consulted when
 * `credsStore` is set. Only entries for the host asked are ever returned.
 */
export function lookupCredentialSource(config: DockerConfig, host: string): CredentialSource {
  const wanted = registryHost(host);
  const serverUrl = helperServerUrl(wanted);
  const helper = config.credHelpers.find((h) => h.host === wanted);
  if (helper !== undefined) {
    return { kind: 'helper', helper: helper.helper, serverUrl, setting: `credHelpers[${JSON.stringify(helper.key)}]` };
  }
  if (config.credsStore !== undefined) {
    return { kind: 'helper', helper: config.credsStore, serverUrl, setting: 'credsStore' };
  }
  const exact = config.auths.find((a) => a.key === serverUrl && a.credential !== undefined);
  const entry = exact ?? config.auths.find((a) => a.host === wanted && a.credential !== undefined);
  if (entry?.credential !== undefined) return { kind: 'inline', credential: entry.credential };
  return { kind: 'anonymous' };
}

/**
 * The `registrytoken` of the `auths` entry for `host` (the exact Docker key first, then any key naming the same
 * `host[:port]`), or undefined. As in the docker CLI, the entry counts even when a credential helper holds the
 * user name and password: the helper's answer replaces those fields only.
 */
export function lookupRegistryToken(config: DockerConfig, host: string): string | undefined {
  const wanted = registryHost(host);
  const serverUrl = helperServerUrl(wanted);
  const exact = config.auths.find((a) => a.key === serverUrl && a.registryToken !== undefined);
  return (exact ?? config.auths.find((a) => a.host === wanted && a.registryToken !== undefined))?.registryToken;
}

function parseAuthEntry(key: string, entry: unknown, file: string): DockerAuthEntry {
  const where = `auths[${JSON.stringify(key)}]`;
  const host = registryHost(key);
  if (entry === null || entry === undefined) return { key, host };
  if (!isRecord(entry)) throw broken(file, `${where} is not an object`);
  const field = (name: string): string => {
    const value = entry[name];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw broken(file, `${where}.${name} is not a string`);
    return value;
  };
  let username = field('username');
  let password = field('password');
  const auth = field('auth');
  const identityToken = field('identitytoken');
  if (auth !== '') {
    const decoded = decodeBase64(auth);
    const colon = decoded === undefined ? -1 : decoded.indexOf(':');
    if (decoded === undefined || colon < 0) {
      throw broken(file, `${where}.auth does not decode to base64 "user:password"`, 'Run `docker login` again for this registry.');
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const registryToken = field('registrytoken');
  const token = registryToken === '' ? {} : { registryToken };
  if (identityToken !== '') return { key, host, credential: { username: '', secret: identityToken }, ...token };
  if (username === '' && password === '') return { key, host, ...token };
  return { key, host, credential: { username, secret: password }, ...token };
}

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

function checkHelperName(name: string, where: string, file: string): string {
  if (!HELPER_NAME.test(name)) {
    throw broken(
      file,
      `${where} names credential helper ${JSON.stringify(name)}, which is not a valid helper name`,
      'Use the part after "docker-credential-" of a program on PATH, e.g. "desktop" or "pass".',
    );
  }
  return name;
}

function jsonErrorPosition(err: unknown, text: string): string {
  const match = err instanceof Error ? /position (\d+)/.exec(err.message) : null;
  if (match === null) return '';
  const pos = Number(match[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

function broken(file: string, what: string, hint = 'Fix the file or point DOCKER_CONFIG at another directory.'): KilnError {
  return new KilnError('invalid_argument', `Docker config ${file}: ${what}`, { hint, details: { file } });
}

