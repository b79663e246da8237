/**
 * Argument checks of the `Image` API. Every check reports against the public method the user called, so the
 * error's stack starts at the user's line, and names the argument and the fix.
 *
 * Internal module.
 */
import { isIP } from 'node:net';
import { posix } from 'node:path';
import { invalidArgument } from '../errors.js';
import { homeDirectory } from '../home-path.js';
import { isHostAbsolute, normalizeHostAbsolute } from '../host-path.js';
import { defaultSshTarget } from '../llb/exec.js';
import type { GpuRequest, SecretUse, SshUse } from './steps.js';

/** The public method a check reports against. */
export type Site = Function;

/** Human rendering of a value inside an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** What kind of value `value` is, without showing it (for values that may be secrets): "a string", "null", "an array"… */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/** A string without NUL characters. */
export function str(value: unknown, name: string, site: Site): string {
  if (typeof value !== 'string') invalidArgument(`${name} must be a string, got ${show(value)}`, site);
  if (value.includes('\0')) invalidArgument(`${name} must not contain a NUL character, got ${show(value)}`, site);
  return value;
}

/** A non-empty string without NUL characters. */
export function nonEmpty(value: unknown, name: string, site: Site, fix: string): string {
  const s = str(value, name, site);
  if (s.trim() === '') invalidArgument(`${name} must not be empty; ${fix}`, site);
  return s;
}

/** An http:// or https:// URL. */
export function httpUrl(value: unknown, name: string, site: Site): string {
  const s = nonEmpty(value, name, site, 'pass a URL such as "https://mirror.example.com/releases"');
  let ok = false;
  try {
    const u = new URL(s);
    ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    ok = false;
  }
  if (!ok) invalidArgument(`${name} must be an http:// or https:// URL, got ${show(s)}`, site);
  return s;
}

/** `undefined` or a boolean. */
export function bool(value: unknown, name: string, site: Site): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') invalidArgument(`${name} must be true or false, got ${show(value)}`, site);
  return value;
}

/** `undefined` or a plain object. */
export function options<T extends object>(value: T | undefined, name: string, site: Site): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(`${name} must be an options object, got ${show(value)}`, site);
  }
  return value;
}

/** Rejects keys an options object does not know (typos would otherwise be silently ignored). */
export function knownKeys(value: object, allowed: readonly string[], name: string, site: Site): void {
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) {
      invalidArgument(`${name} has no option ${show(k)}; the options are ${allowed.map((a) => `"${a}"`).join(', ')}`, site);
    }
  }
}

/** `undefined`, one string or a list of strings → a list. */
export function stringList(value: unknown, name: string, site: Site): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) invalidArgument(`${name} must be a string or an array of strings, got ${show(value)}`, site);
  return list.map((v: unknown, i) => nonEmpty(v, `${name}[${i}]`, site, 'remove the empty entry'));
}

/** A variable name as a shell and `$NAME` references know it. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const ENV_NAME_HINT = 'Names with other characters cannot be referred to as $NAME nor exported by a shell.';

const SECRET_ENV_HINT =
  'A secret is exported to the step\'s shell under a variable name: pass { id: "my-token", env: "MY_TOKEN" } to name the variable, or { id: "my-token", path: "/run/secrets/my-token" } for the file only.';

/** The checks every variable name passes, in both rules below. */
function variableNameBasics(value: unknown, name: string, site: Site): string {
  if (typeof value !== 'string') invalidArgument(`${name} must be a string, got ${show(value)}`, site);
  if (value === '') invalidArgument(`${name} must not be empty; pass a variable name such as "APP_ENV"`, site);
  if (value.includes('=')) invalidArgument(`${name} ${show(value)} must not contain "="; pass the name and the value separately`, site);
  if (value.includes('\0')) invalidArgument(`${name} ${show(value)} must not contain a NUL character`, site);
  if (/\s/.test(value)) invalidArgument(`${name} ${show(value)} must not contain whitespace`, site);
  return value;
}

/**
 * An environment variable name: letters, digits and "_", not starting with a digit — what `$NAME` can refer to, a
 * shell can `export`, and a Dockerfile `ENV` writes as it is.
 */
export function envName(value: unknown, name: string, site: Site, hint = ENV_NAME_HINT): string {
  const s = variableNameBasics(value, name, site);
  if (!VARIABLE_NAME.test(s)) {
    invalidArgument(`${name} ${show(s)} is not a variable name: use letters, digits and "_", not starting with a digit (such as "APP_ENV")`, site, { hint });
  }
  return s;
}

/** A name for the image's environment (`env`, `withEnv`, `setEnvVars`): {@link envName}, with the way out in the hint. */
export function imageEnvName(value: unknown, name: string, site: Site): string {
  return envName(
    value,
    name,
    site,
    `${ENV_NAME_HINT} If a program really reads such a name from the image's environment, set it with a Dockerfile instruction: dockerfileCommands(["ENV my.name=value"]).`,
  );
}

/**
 * A variable name in Dockerfile input (`ENV`, build args): anything Docker accepts and a Dockerfile can write back —
 * not empty, no "=", whitespace or NUL (`my.name`, `my-name` are fine).
 */
export function dockerfileVariableName(value: unknown, name: string, site: Site): string {
  return variableNameBasics(value, name, site);
}

/** A value kept in the image config (an `ENV` value or a label): one line, no NUL. */
export function configValue(value: unknown, name: string, site: Site): string {
  const s = str(value, name, site);
  if (/[\r\n]/.test(s)) {
    invalidArgument(`${name} must be one line, got ${show(s)}: a Dockerfile ENV or LABEL cannot hold a line break, so image.toDockerfile() could not reproduce it`, site, {
      hint: 'Put the value on one line (join the lines with a space or ","), or copy multi-line content into the image as a file and point the variable at it.',
    });
  }
  return s;
}

/** A label name: not empty, one line, no "=" (a Dockerfile LABEL could not write it). */
export function labelName(value: unknown, name: string, site: Site): string {
  const s = nonEmpty(value, name, site, 'pass a label name such as "org.opencontainers.image.source"');
  if (s.includes('=')) invalidArgument(`${name} ${show(s)} must not contain "="; pass the name and the value separately`, site);
  return configValue(s, name, site);
}

/** Environment variables as an object of strings → ordered pairs. */
export function envRecord(value: unknown, name: string, site: Site): [string, string][] {
  return variableRecord(value, name, site, (k, n, st) => envName(k, n, st), str);
}

/** The image's environment (`env`, `setEnvVars`): {@link envRecord} with one-line values ({@link configValue}). */
export function imageEnvRecord(value: unknown, name: string, site: Site): [string, string][] {
  return variableRecord(value, name, site, imageEnvName, configValue);
}

/** Build args of Dockerfile input: names as Docker accepts them ({@link dockerfileVariableName}). */
export function buildArgsRecord(value: unknown, name: string, site: Site): [string, string][] {
  return variableRecord(value, name, site, dockerfileVariableName, str);
}

function variableRecord(
  value: unknown,
  name: string,
  site: Site,
  checkName: (value: unknown, name: string, site: Site) => string,
  checkValue: (value: unknown, name: string, site: Site) => string,
): [string, string][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(`${name} must be an object of variable names to string values, e.g. { APP_ENV: "production" }, got ${show(value)}`, site);
  }
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    const key = checkName(k, `${name} key`, site);
    if (typeof v !== 'string') {
      invalidArgument(`${name}[${show(key)}] must be a string, got ${show(v)}${typeof v === 'number' || typeof v === 'boolean' ? `; write it as "${String(v)}"` : ''}`, site);
    }
    return [key, checkValue(v, `${name}[${show(key)}]`, site)];
  });
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Extra `/etc/hosts` entries: `{ "git.internal": "10.0.0.5" }` → `[["git.internal", "10.0.0.5"]]`, names in order. */
export function hostsRecord(value: unknown, name: string, site: Site): [string, string][] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(`${name} must be an object of host names to IP addresses, e.g. { "pypi.internal": "10.0.0.5" }, got ${show(value)}`, site);
  }
  return Object.entries(value as Record<string, unknown>).map(([host, ip]) => {
    if (!HOST_NAME.test(host)) invalidArgument(`${name} has ${show(host)}, which is not a host name (letters, digits, "-" and ".")`, site);
    if (typeof ip !== 'string' || isIP(ip) === 0) {
      invalidArgument(`${name}[${show(host)}] must be an IPv4 or IPv6 address such as "10.0.0.5", got ${show(ip)}`, site);
    }
    return [host, ip];
  });
}

/** An absolute path inside the container. */
export function containerPath(value: unknown, name: string, site: Site): string {
  const s = nonEmpty(value, name, site, 'pass an absolute path such as "/app"');
  if (!s.startsWith('/')) invalidArgument(`${name} must be an absolute path inside the image, got ${show(s)}; write it as "/${s.replace(/^\.?\/*/, '')}"`, site);
  return s;
}

/** A path inside the container: absolute, or relative to the working directory at that step. */
export function destPath(value: unknown, name: string, site: Site): string {
  return nonEmpty(value, name, site, 'pass a path such as "/app" (relative paths use the working directory)');
}

/**
 * A path on this machine: relative to the build context (and not escaping it with ".."), absolute, or `~/…`.
 * Returned as a POSIX path; `~` is expanded.
 */
export function localPath(value: unknown, name: string, site: Site, platform: NodeJS.Platform = process.platform): string {
  let s = nonEmpty(value, name, site, 'pass a path relative to the build context, such as "./src"');
  // On Windows `~\src` is `~/src`; elsewhere a backslash is kept apart from `~` as before.
  if (platform === 'win32') s = s.split('\\').join('/');
  if (s === '~' || s.startsWith('~/')) s = posix.join(homeDirectory(process.env, platform).split('\\').join('/'), s.slice(1));
  s = s.split('\\').join('/');
  // Absolute as the host reads it: `/…`, and on Windows `C:/…` (not joined to the context: C:\proj\src is not ./C:/proj/src).
  if (isHostAbsolute(s, platform)) return normalizeHostAbsolute(s, platform);
  const n = posix.normalize(s).replace(/\/+$/, '');
  if (n === '..' || n.startsWith('../')) {
    invalidArgument(
      `${name} ${show(value)} is outside the build context; local paths are relative to the context (the current directory unless you pass one when building) and must not climb out of it with ".."`,
      site,
      { hint: 'Move the files into the build context, or build with a context that contains them.' },
    );
  }
  return n === '' ? '.' : n;
}

/**
 * The `outputs` of an independent run step: absolute paths in the image, normalised (no trailing "/"), none equal
 * to or inside another, not "/", no glob or `$` characters (they are copied literally, also by the Dockerfile).
 */
export function outputPaths(value: unknown, name: string, site: Site): string[] {
  if (!Array.isArray(value)) invalidArgument(`${name} must be an array of absolute paths such as ["/opt/models"], got ${show(value)}`, site);
  if (value.length === 0) invalidArgument(`${name} must not be empty; list the paths the step produces, or drop the option for an ordinary step`, site);
  const out: string[] = [];
  value.forEach((item: unknown, i) => {
    const s = nonEmpty(item, `${name}[${i}]`, site, 'pass an absolute path such as "/opt/models"');
    if (!s.startsWith('/')) invalidArgument(`${name}[${i}] must be an absolute path inside the image, got ${show(s)}; write it as "/${s.replace(/^\.?\/*/, '')}"`, site);
    if (/[*?[\]$]/.test(s)) invalidArgument(`${name}[${i}] ${show(s)} must be a plain path: glob characters and "$" are not supported in outputs`, site);
    const p = posix.normalize(s).replace(/\/+$/, '') || '/';
    if (p === '/') invalidArgument(`${name}[${i}] must not be "/": a step that produces the whole filesystem is not independent; drop the option`, site);
    const other = out.find((o) => o === p || p.startsWith(`${o}/`) || o.startsWith(`${p}/`));
    if (other !== undefined) invalidArgument(`${name}[${i}] ${show(p)} overlaps ${show(other)} listed before it; list each path once (a directory covers everything in it)`, site);
    out.push(p);
  });
  return out;
}

/** An image user: a name or id, optionally with a group. */
export function userSpec(value: unknown, name: string, site: Site): string {
  const s = nonEmpty(value, name, site, 'pass a user name such as "app" or an id such as "1000" or "1000:1000"');
  if (/\s/.test(s)) invalidArgument(`${name} ${show(s)} must not contain whitespace`, site);
  if (s.split(':').length > 2 || s.startsWith(':') || s.endsWith(':')) {
    invalidArgument(`${name} ${show(s)} must be "user" or "user:group"`, site);
  }
  return s;
}

/** A port to expose: `8080`, `"8080"`, `"8080/tcp"`, `"53/udp"`. Returns `port/proto`. */
export function port(value: unknown, name: string, site: Site): string {
  const s = typeof value === 'number' ? String(value) : str(value, name, site);
  // Docker reads the protocol in any case (`8000/TCP`) and writes it in lower case.
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(s);
  const n = m === null ? NaN : Number(m[1]);
  if (m === null || !Number.isInteger(n) || n < 1 || n > 65535) {
    invalidArgument(`${name} must be a port from 1 to 65535, optionally with /tcp, /udp or /sctp (e.g. 8080 or "53/udp"), got ${show(value)}`, site);
  }
  return `${n}/${(m[2] ?? 'tcp').toLowerCase()}`;
}

/** A list of command words (exec form), at least one. */
export function argv(value: unknown, name: string, site: Site): string[] {
  if (!Array.isArray(value)) invalidArgument(`${name} must be an array of strings such as ["python", "-m", "app"], got ${show(value)}`, site);
  if (value.length === 0) invalidArgument(`${name} must not be empty; pass the program and its arguments`, site);
  return value.map((v: unknown, i) => str(v, `${name}[${i}]`, site));
}

/** A file mode for copied files. */
export function fileMode(value: unknown, name: string, site: Site): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o777) {
    invalidArgument(`${name} must be permission bits from 0 to 0o777 (e.g. 0o644), got ${show(value)}`, site);
  }
  return value;
}

/** Chutes' rule for usernames, image names and tags. */
export const CHUTES_NAME = /^[a-z0-9][a-z0-9-_.]*$/;

/** A part of a Docker repository path: alphanumerics joined by single ".", "_", "__" or any run of "-". */
const DOCKER_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * A Chutes username, image name or tag. Beyond Chutes' own pattern, the three must make a Docker reference
 * (`username/name:tag` is the name the image gets), so a name or username cannot end in a separator or repeat one
 * (`app-`, `a..b`), and a tag is at most 128 characters.
 */
export function chutesName(value: unknown, name: 'username' | 'name' | 'tag', site: Site): string {
  const s = str(value, name, site);
  if (!CHUTES_NAME.test(s)) {
    invalidArgument(
      `${name} ${show(s)} must start with a lowercase letter or digit and contain only lowercase letters, digits, "-", "_" and "." (pattern ^[a-z0-9][a-z0-9-_.]*$)`,
      site,
    );
  }
  if (name === 'username' && (s.includes('.') || s === 'localhost')) {
    // Docker reads a first name component with "." (or "localhost") as a registry host: me.x/app:1 would be pushed to me.x.
    invalidArgument(`username ${show(s)} cannot start an image name: Docker would read it as a registry host (${s}/name:tag is pushed to ${s}); use "-" or "_" instead of "."`, site);
  }
  if (name === 'tag') {
    if (s.length > 128) invalidArgument(`tag ${show(`${s.slice(0, 20)}…`)} is ${s.length} characters; an image tag has at most 128`, site);
  } else if (!DOCKER_PATH_COMPONENT.test(s)) {
    invalidArgument(
      `${name} ${show(s)} cannot be part of an image name (${name === 'name' ? 'username/name:tag' : 'username/…'}): "." and "_" must stand alone or as "__" between letters or digits, and it must not end in "-", "_" or "."; e.g. ${show(suggestComponent(s))}`,
      site,
    );
  }
  return s;
}

/** `app-` → `app`, `a..b` → `a.b`, `a._b` → `a.b`: a close valid Docker path component. */
function suggestComponent(s: string): string {
  const fixed = s.replace(/([._])[._]+/g, (m, first: string) => (m === '__' ? m : first)).replace(/[-._]+$/, '');
  return DOCKER_PATH_COMPONENT.test(fixed) ? fixed : s.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'app';
}

/** A secret as users pass it: an id (exposed as the variable of that name) or `{ id, env, path, optional }`. */
export type SecretInput = string | { readonly id: string; readonly env?: string | undefined; readonly path?: string | undefined; readonly optional?: boolean | undefined };

/** Validates build secrets. */
export function secrets(value: unknown, name: string, site: Site): SecretUse[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalidArgument(`${name} must be an array of secret ids or { id, env, path } objects, got ${show(value)}`, site);
  const seen = new Set<string>();
  return value.map((v: unknown, i) => {
    const what = `${name}[${i}]`;
    let use: SecretUse;
    if (typeof v === 'string') {
      const id = envName(v, what, site, SECRET_ENV_HINT);
      use = { id, path: `/run/secrets/${id}`, env: id, optional: false };
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      knownKeys(o, ['id', 'env', 'path', 'optional'], what, site);
      const id = nonEmpty(o['id'], `${what}.id`, site, 'pass the id the secret is served under');
      if (/[\s/]/.test(id)) invalidArgument(`${what}.id ${show(id)} must not contain "/" or whitespace`, site);
      const env = o['env'] === undefined ? (o['path'] === undefined ? envName(id, `${what}.id (used as the variable name)`, site, SECRET_ENV_HINT) : undefined) : envName(o['env'], `${what}.env`, site, SECRET_ENV_HINT);
      const path = o['path'] === undefined ? `/run/secrets/${id}` : containerPath(o['path'], `${what}.path`, site);
      use = { id, path, env, optional: bool(o['optional'], `${what}.optional`, site) };
    } else {
      return invalidArgument(`${what} must be a secret id (string) or { id, env, path }, got ${show(v)}`, site);
    }
    if (seen.has(use.path)) invalidArgument(`${what}: two secrets use the path ${show(use.path)}`, site);
    seen.add(use.path);
    return use;
  });
}

/**
 * ssh-agents for a step: `true` (the `default` agent), an agent id, or a list of ids and
 * `{ id?, target?, optional? }` (Docker's `RUN --mount=type=ssh,id=…,target=…`).
 */
export type SshInput = boolean | string | readonly (string | { readonly id?: string | undefined; readonly target?: string | undefined; readonly optional?: boolean | undefined })[];

const SSH_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Validates ssh-agent uses. */
export function ssh(value: unknown, name: string, site: Site): SshUse[] {
  if (value === undefined || value === false) return [];
  if (value === true) return [{ id: 'default', target: undefined, optional: false }];
  const list: readonly unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : invalidArgument(`${name} must be true, an agent id or a list of them, got ${show(value)}`, site);
  const targets = new Set<string>();
  return list.map((item: unknown, i) => {
    const what = typeof value === 'string' ? name : `${name}[${i}]`;
    const o: Record<string, unknown> =
      typeof item === 'string' ? { id: item } : typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : invalidArgument(`${what} must be an agent id or { id, target, optional }, got ${show(item)}`, site);
    knownKeys(o, ['id', 'target', 'optional'], what, site);
    const id = o['id'] === undefined ? 'default' : nonEmpty(o['id'], `${what}.id`, site, 'pass the id the agent is forwarded under, e.g. "default"');
    if (!SSH_ID.test(id)) invalidArgument(`${what}: agent id ${show(id)} must be letters, digits, ".", "_" or "-" (like "default" or "github")`, site);
    const target = o['target'] === undefined ? undefined : containerPath(o['target'], `${what}.target`, site);
    const key = target ?? defaultSshTarget(i);
    if (targets.has(key)) invalidArgument(`${what}: two ssh agents use the socket path ${show(key)}`, site);
    targets.add(key);
    return { id, target, optional: bool(o['optional'], `${what}.optional`, site) };
  });
}

/** A GPU request: `true`/"any", a count, a type ("A100"), or "type:count" ("H100:2"). */
export type GpuInput = boolean | number | string;

/** Validates a GPU request. */
export function gpu(value: unknown, name: string, site: Site): GpuRequest | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { spec: 'any', count: 1 };
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) invalidArgument(`${name} must be a positive number of GPUs, got ${show(value)}`, site);
    return { spec: String(value), count: value };
  }
  const s = nonEmpty(value, name, site, 'pass true, a count, or a GPU type such as "A100" or "H100:2"');
  const m = /^([A-Za-z0-9_.-]+)(?::(\d+))?$/.exec(s);
  if (m === null) invalidArgument(`${name} ${show(s)} must be a GPU type such as "A100", optionally with a count ("H100:2")`, site);
  const count = m[2] === undefined ? 1 : Number(m[2]);
  if (count < 1) invalidArgument(`${name} ${show(s)} asks for no GPU; use a count of 1 or more`, site);
  return { spec: s, count };
}

/** A network mode for run steps. */
export function network(value: unknown, name: string, site: Site): 'default' | 'none' | 'host' {
  if (value === undefined) return 'default';
  if (value !== 'default' && value !== 'none' && value !== 'host') {
    invalidArgument(`${name} must be "default" (the daemon's network), "none" or "host", got ${show(value)}`, site);
  }
  return value;
}

/** A Python version `withPython` and friends accept: "3.11" or "3.11.5". */
export function pythonVersion(value: unknown, name: string, site: Site, minors: readonly string[]): string {
  const s = nonEmpty(value, name, site, 'pass a version such as "3.11"');
  const m = /^(3)\.(\d+)(?:\.(\d+))?$/.exec(s);
  if (m === null) invalidArgument(`${name} must look like "3.11" or "3.11.5", got ${show(s)}`, site);
  if (!minors.includes(`${m[1]}.${m[2]}`)) invalidArgument(`${name} ${show(s)} is not supported; kiln installs Python ${minors.join(', ')}`, site);
  return s;
}
