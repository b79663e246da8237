/**
 * The session's Auth service: answers the daemon's `Credentials` questions (registry pulls, pushes, cache imports
 * and exports) from the user's Docker config, its credential helpers, or credentials passed in memory.
 *
 * For registries whose Docker config entry has a `registrytoken`, kiln acts as the token authority, as BuildKit's own
 * client does: `GetTokenAuthority` hands the daemon a public key (an ed25519 key kiln makes for the host and the
 * session), `VerifyTokenAuthority` signs the daemon's payload with it, and `FetchToken` answers that token. For every
 * other registry the token-authority methods answer UNIMPLEMENTED, so the daemon fetches registry tokens itself with
 * the credentials it was given. Secrets never reach an error message or a log line; the optional
 * {@link AuthServiceOptions.onCredentialsShared} callback only learns the host name.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { status as GrpcStatus, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { KilnError, invalidArgument } from '../errors.js';
import { KeyedQueue } from '../keyed-queue.js';
import type { moby } from '../proto/generated.js';
import { AuthService } from '../proto/services.js';
import { helperFailure, runCredentialHelper } from './credential-helper.js';
import {
  EMPTY_DOCKER_CONFIG,
  dockerConfigDir,
  lookupCredentialSource,
  lookupRegistryToken,
  readDockerConfig,
  registryHost,
  type DockerConfig,
  type RegistryCredential,
} from './docker-config.js';
import type { SessionService } from './session-server.js';

/** Credentials for one registry passed in memory: a user name and password, or an identity token. */
export type RegistryAuth =
  | { readonly username: string; readonly password: string }
  | { readonly identityToken: string };

/** Options of {@link authService}. */
export interface AuthServiceOptions {
  /**
   * Directory holding Docker's `config.json`; default `$DOCKER_CONFIG`, else `~/.docker`. `false` ignores Docker's
   * config entirely (only {@link credentials} are answered). A missing file means no stored credentials.
   */
  readonly configDir?: string | false | undefined;
  /**
   * Credentials by registry, keyed by any form Docker accepts (`ghcr.io`, `localhost:5000`,
   * `https://index.docker.io/v1/`, `docker.io`…). They take precedence over the Docker config.
   */
  readonly credentials?: Readonly<Record<string, RegistryAuth>> | undefined;
  /** Environment used to find the config (`DOCKER_CONFIG`, `HOME`) and to run helpers (`PATH`); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** How long a credential helper may take, in milliseconds; default 30 000. */
  readonly helperTimeoutMs?: number | undefined;
  /**
   * Called once per registry host the first time credentials (not anonymous access) are handed to the daemon,
   * e.g. to show "sharing credentials for ghcr.io" in the progress output. Receives the host only; anything it
   * throws is ignored.
   */
  readonly onCredentialsShared?: ((host: string) => void) | undefined;
}

type CredentialsCall = ServerUnaryCall<moby.filesync.v1.CredentialsRequest, moby.filesync.v1.CredentialsResponse.$Properties>;
type CredentialsCallback = sendUnaryData<moby.filesync.v1.CredentialsResponse.$Properties>;
type FetchTokenCall = ServerUnaryCall<moby.filesync.v1.FetchTokenRequest, moby.filesync.v1.FetchTokenResponse.$Properties>;
type GetTokenAuthorityCall = ServerUnaryCall<moby.filesync.v1.GetTokenAuthorityRequest, moby.filesync.v1.GetTokenAuthorityResponse.$Properties>;
type VerifyTokenAuthorityCall = ServerUnaryCall<moby.filesync.v1.VerifyTokenAuthorityRequest, moby.filesync.v1.VerifyTokenAuthorityResponse.$Properties>;

/** How long the daemon may reuse a registry token before asking again, in seconds (BuildKit's client says 60 too). */
const REGISTRY_TOKEN_EXPIRES_IN = 60;

/** The hosts each Auth service gave the daemon credentials (or a registry token) for, as registryHost names them. */
const hostsGiven = new WeakMap<SessionService, ReadonlySet<string>>();

/**
 * Whether an Auth service among `services` (made by {@link authService}) gave the daemon credentials or a registry
 * token for `registry` (any form Docker accepts) during its session; false when none did, or none is kiln's.
 */
export function credentialsGiven(services: readonly SessionService[], registry: string): boolean {
  const host = registryHost(registry);
  return services.some((s) => hostsGiven.get(s)?.has(host) === true);
}

const ANONYMOUS: RegistryCredential = Object.freeze({ username: '', secret: '' });

/**
 * Creates the Auth service for a build session. The Docker config is read and validated now, so a broken
 * `config.json` fails here with `invalid_argument` naming the file, before the build starts; credential helpers
 * run when the daemon first asks about a host, one at a time, and each host's answer is reused for the rest of the
 * session.
 *
 * Only the credentials of the host asked are ever returned; unknown hosts get empty strings (anonymous access).
 * A credential helper that fails makes the daemon's request (and so the build step) fail with the helper's
 * error, never with its output.
 */
export function authService(options: AuthServiceOptions = {}): SessionService {
  const env = options.env ?? process.env;
  const inMemory = parseInMemoryCredentials(options.credentials);
  const helperTimeoutMs = options.helperTimeoutMs;
  if (helperTimeoutMs !== undefined && !(Number.isFinite(helperTimeoutMs) && helperTimeoutMs > 0)) {
    invalidArgument(`authService: helperTimeoutMs must be a positive number of milliseconds, got ${String(helperTimeoutMs)}`, authService);
  }
  if (options.configDir === '') {
    invalidArgument('authService: configDir is empty; pass a directory, or false to ignore the Docker config', authService);
  }
  const config: DockerConfig =
    options.configDir === false ? EMPTY_DOCKER_CONFIG : readDockerConfig(options.configDir ?? dockerConfigDir(env));

  const cache = new Map<string, Promise<RegistryCredential>>();
  const shared = new Set<string>();
  // Helpers run one at a time, as in BuildKit's own client: the daemon chooses the hosts, and must not be able to
  // start a helper process (or a keychain prompt) per made-up registry all at once.
  const helpers = new KeyedQueue();

  const resolve = (host: string): Promise<RegistryCredential> => {
    const cached = cache.get(host);
    if (cached !== undefined) return cached;
    const pending = lookup(host);
    cache.set(host, pending);
    // A failure is not remembered: the next request for the host tries again.
    pending.catch(() => cache.delete(host));
    return pending;
  };

  const lookup = async (host: string): Promise<RegistryCredential> => {
    const fromMemory = inMemory.get(host);
    if (fromMemory !== undefined) return fromMemory;
    const source = lookupCredentialSource(config, host);
    switch (source.kind) {
      case 'inline':
        return source.credential;
      case 'anonymous':
        return ANONYMOUS;
      case 'helper': {
        try {
          const found = await helpers.run('credential-helper', () =>
            runCredentialHelper(source.helper, source.serverUrl, {
              env,
              ...(helperTimeoutMs === undefined ? {} : { timeoutMs: helperTimeoutMs }),
            }),
          );
          return found ?? ANONYMOUS;
        } catch (err) {
          // Say which setting chose the helper: the daemon shows only this message in the failed step.
          throw helperFailure(err, source.setting, config.file);
        }
      }
    }
  };

  const notifyShared = (host: string): void => {
    if (shared.has(host)) return;
    shared.add(host);
    try {
      options.onCredentialsShared?.(host);
    } catch {
      // A notification hook must not break the session; the daemon already has its answer.
    }
  };

  /** The key kiln vouches for a host's registry token with; made on first use, for this session only. */
  const authorityKeys = new Map<string, { readonly publicKey: Uint8Array; readonly privateKey: KeyObject }>();
  /** The registry token for a daemon-named host, with the key for it; undefined when the config has none. */
  const tokenAuthority = (asked: string): { host: string; token: string; publicKey: Uint8Array; privateKey: KeyObject } | undefined => {
    const host = registryHost(asked);
    if (host === '' || inMemory.has(host)) return undefined;
    const token = lookupRegistryToken(config, host);
    if (token === undefined || token === '') return undefined;
    let key = authorityKeys.get(host);
    if (key === undefined) {
      const pair = generateKeyPairSync('ed25519');
      const x = pair.publicKey.export({ format: 'jwk' }).x;
      key = { publicKey: new Uint8Array(Buffer.from(x ?? '', 'base64url')), privateKey: pair.privateKey };
      authorityKeys.set(host, key);
    }
    return { host, token, ...key };
  };

  const service: SessionService = {
    definition: AuthService,
    implementation: {
      Credentials(call: CredentialsCall, callback: CredentialsCallback) {
        const host = registryHost(call.request.Host ?? '');
        if (host === '') {
          callback(null, { Username: '', Secret: '' });
          return;
        }
        resolve(host).then(
          (credential) => {
            callback(null, { Username: credential.username, Secret: credential.secret });
            if (credential.secret !== '') notifyShared(host);
          },
          (err: unknown) => {
            const message = err instanceof Error ? err.message : String(err);
            const code = KilnError.is(err, 'not_found') ? GrpcStatus.FAILED_PRECONDITION : GrpcStatus.INTERNAL;
            callback({ code, details: `registry credentials for ${host}: ${message}` }, null);
          },
        );
      },
      GetTokenAuthority(call: GetTokenAuthorityCall, callback: sendUnaryData<moby.filesync.v1.GetTokenAuthorityResponse.$Properties>) {
        const authority = tokenAuthority(call.request.Host ?? '');
        if (authority === undefined) return unimplemented('GetTokenAuthority', callback);
        callback(null, { PublicKey: authority.publicKey });
      },
      VerifyTokenAuthority(call: VerifyTokenAuthorityCall, callback: sendUnaryData<moby.filesync.v1.VerifyTokenAuthorityResponse.$Properties>) {
        const authority = tokenAuthority(call.request.Host ?? '');
        if (authority === undefined) return unimplemented('VerifyTokenAuthority', callback);
        // NaCl's sign.Open, which the daemon checks with, takes the signature followed by the message.
        const payload = Buffer.from(call.request.Payload ?? new Uint8Array());
        callback(null, { Signed: new Uint8Array(Buffer.concat([sign(null, payload, authority.privateKey), payload])) });
      },
      FetchToken(call: FetchTokenCall, callback: sendUnaryData<moby.filesync.v1.FetchTokenResponse.$Properties>) {
        const authority = tokenAuthority(call.request.Host ?? '');
        if (authority === undefined) return unimplemented('FetchToken', callback);
        callback(null, { Token: authority.token, ExpiresIn: REGISTRY_TOKEN_EXPIRES_IN });
        notifyShared(authority.host);
      },
    },
  };
  hostsGiven.set(service, shared);
  return service;
}

/** Answers UNIMPLEMENTED: the daemon then falls back to fetching tokens itself. */
function unimplemented<T>(method: string, callback: sendUnaryData<T>): void {
  callback({ code: GrpcStatus.UNIMPLEMENTED, details: `kiln does not act as a token authority for this registry (${method})` }, null);
}

function parseInMemoryCredentials(credentials: Readonly<Record<string, RegistryAuth>> | undefined): Map<string, RegistryCredential> {
  const out = new Map<string, RegistryCredential>();
  if (credentials === undefined) return out;
  if (typeof credentials !== 'object' || credentials === null) {
    invalidArgument('authService: credentials must be an object keyed by registry host', authService);
  }
  for (const [key, value] of Object.entries(credentials)) {
    const where = `authService: credentials[${JSON.stringify(key)}]`;
    const host = registryHost(key);
    if (host === '') invalidArgument(`${where}: the key is not a registry host`, authService);
    if (out.has(host)) {
      invalidArgument(`${where}: another key already names registry ${host}; give each registry one entry`, authService);
    }
    if (typeof value !== 'object' || value === null) {
      invalidArgument(`${where} must be {username, password} or {identityToken}`, authService);
    }
    const record = value as Readonly<Record<string, unknown>>;
    const token = record['identityToken'];
    if (token !== undefined) {
      if (typeof token !== 'string' || token === '') invalidArgument(`${where}.identityToken must be a non-empty string`, authService);
      if (record['username'] !== undefined || record['password'] !== undefined) {
        invalidArgument(`${where}: pass either identityToken or username and password, not both`, authService);
      }
      out.set(host, Object.freeze({ username: '', secret: token }));
      continue;
    }
    const username = record['username'];
    const password = record['password'];
    if (typeof username !== 'string' || username === '' || typeof password !== 'string') {
      invalidArgument(`${where} must have a non-empty username and a password string (or an identityToken)`, authService);
    }
    out.set(host, Object.freeze({ username, secret: password }));
  }
  return out;
}
