/**
 * Credentials for a private package index, from build secrets (`indexSecret` of pip-style installs). The step gets
 * the secrets as files (BuildKit's secret mounts, which every BuildKit kiln supports has) and writes a netrc from them
 * into a tmpfs mount: pip (its requests' `NETRC`), uv and Poetry's pip read it for the hosts of the step's index
 * URLs. The build definition holds only the secret ids, the credential-free URLs and that script: the image's digest
 * and the step's cache key do not change when the token does, and no layer holds the netrc.
 *
 * Internal module.
 */
import { invalidArgument } from '../errors.js';
import type { PipFlags } from './installers.js';
import { shellQuote } from './shell.js';
import type { RunStep, SecretUse } from './steps.js';
import * as v from './validate.js';

/** The user and password (or token) of a private index: the user given or a build secret, the password a build secret. */
export interface IndexSecret {
  readonly username: { readonly value: string } | { readonly secret: string };
  readonly passwordSecret: string;
}

/** Where the step's netrc is written: a tmpfs, so never in a layer. */
const AUTH_DIR = '/tmp/kiln-index-auth';

/** Validates `indexSecret`: `{ usernameEnv, passwordEnv }` or `{ username, passwordEnv }`. */
export function indexSecret(value: unknown, name: string, site: v.Site, example = 'PIP_TOKEN'): IndexSecret | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(`${name} must be { usernameEnv, passwordEnv } or { username, passwordEnv } (build secret ids), got ${v.kindOf(value)}`, site);
  }
  const o = value as Record<string, unknown>;
  if (o['password'] !== undefined) invalidArgument(`${name}.password: an index password is never written into the image definition; pass passwordEnv, the id of a build secret holding it`, site);
  v.knownKeys(o, ['username', 'usernameEnv', 'passwordEnv'], name, site);
  if ((o['username'] === undefined) === (o['usernameEnv'] === undefined)) {
    invalidArgument(`${name} needs one of username (the user, as written) or usernameEnv (a build secret holding it)`, site);
  }
  const hint = `name the build secret (kiln build --secret id=NAME reads the variable NAME), such as "${example}"`;
  const passwordSecret = v.envName(o['passwordEnv'], `${name}.passwordEnv`, site, hint);
  if (o['username'] !== undefined) {
    const user = v.nonEmpty(o['username'], `${name}.username`, site, 'pass the index user, or usernameEnv');
    if (/\s/.test(user)) invalidArgument(`${name}.username ${v.show(user)} must not contain whitespace`, site);
    return { username: { value: user }, passwordSecret };
  }
  return { username: { secret: v.envName(o['usernameEnv'], `${name}.usernameEnv`, site, hint) }, passwordSecret };
}

/** The hosts (netrc machines) of a step's http(s) index URLs, in order, each once. */
function indexHosts(flags: PipFlags): string[] {
  const hosts: string[] = [];
  for (const url of [flags.indexUrl, ...flags.extraIndexUrls, ...flags.findLinks]) {
    if (url === undefined) continue;
    let host: string | undefined;
    try {
      const u = new URL(url);
      if (u.protocol === 'http:' || u.protocol === 'https:') host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    } catch {
      host = undefined;
    }
    if (host !== undefined && host !== '' && !hosts.includes(host)) hosts.push(host);
  }
  return hosts;
}

/**
 * `step` reading the index credential from build secrets: the secrets mounted, a netrc for the hosts of `flags`'
 * URLs written into a tmpfs and `NETRC` pointing at it before the step's own script. `step` itself without `auth`.
 */
export function withIndexSecret(step: RunStep, auth: IndexSecret | undefined, flags: PipFlags, name: string, site: v.Site): RunStep {
  if (auth === undefined) return step;
  const hosts = indexHosts(flags);
  if (hosts.length === 0) {
    invalidArgument(`${name}.indexSecret needs the index it is for: pass indexUrl (or extraIndexUrl, findLinks) as an http(s) URL without the credential`, site);
  }
  const secrets: SecretUse[] = [...step.secrets];
  const { user, password } = credentialWords(auth, secrets);
  const netrc = `${AUTH_DIR}/netrc`;
  const log = `${AUTH_DIR}/pip.log`;
  const lines = hosts.map((h) => `${shellQuote(h)} ${user} ${password}`).join(' ');
  const ids = secretIds(auth);
  // pip would ask for a user on a terminal it does not have (a traceback), and says why an index page failed only in
  // its debug log: kept in the tmpfs, and the refusals in it repeated when the install fails.
  const refused = shellQuote(`kiln: the package index refused the credential of indexSecret (build secrets ${ids}); check the user and token:`);
  const script = [
    `(umask 077 && printf 'machine %s login %s password %s\\n' ${lines} > ${netrc})`,
    `export NETRC=${netrc} PIP_NO_INPUT=1 PIP_LOG=${log}`,
    `{ ${step.script}; } || { status=$?; if grep -Eqs '40[13] Client Error' ${log}; then echo ${refused} >&2; ` +
      `grep -Eos '40[13] Client Error: [A-Za-z ]+ for url: [^ ]+' ${log} | sort -u >&2; fi; exit $status; }`,
  ].join(' && ');
  return {
    ...step,
    script,
    secrets,
    mounts: [...step.mounts, { type: 'tmpfs', target: AUTH_DIR }],
  };
}

/**
 * The shell words giving the user and password of `auth` (the user as written, or a secret file read with `cat`),
 * each secret mounted once: `secrets` (the step's own) gets the ones it lacks, at `/run/secrets/<id>`.
 */
export function credentialWords(auth: IndexSecret, secrets: SecretUse[]): { user: string; password: string } {
  const fileOf = (id: string): string => {
    const known = secrets.find((s) => s.id === id);
    if (known !== undefined) return known.path;
    const use: SecretUse = { id, path: `/run/secrets/${id}`, env: undefined, optional: false };
    secrets.push(use);
    return use.path;
  };
  const user = 'value' in auth.username ? shellQuote(auth.username.value) : `"$(cat ${shellQuote(fileOf(auth.username.secret))})"`;
  return { user, password: `"$(cat ${shellQuote(fileOf(auth.passwordSecret))})"` };
}

/** The build secret ids of `auth`, for messages: `PIP_USER, PIP_TOKEN`. */
export function secretIds(auth: IndexSecret): string {
  return ['secret' in auth.username ? auth.username.secret : undefined, auth.passwordSecret].filter((id) => id !== undefined).join(', ');
}
