/**
 * `runDoctor`: checks everything a build needs — which daemon kiln would use and why, that it answers, its version
 * and what that version cannot do, the entitlements it grants, the Docker config (credentials), the Docker API (for
 * `--load`) and any registries the caller names — and says for each problem what to do about it.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KilnError } from '../errors.js';
import { dockerConfigDir, lookupCredentialSource, readDockerConfig, type RegistryCredential } from '../session/docker-config.js';
import { resolveAddress, type ResolvedAddress, type TlsFiles } from './address.js';
import { Client, isClassicDockerd, type DaemonInfo } from './client.js';
import { describeDockerEndpoint, dockerEndpointFromEnv, dockerRequest, type DockerEndpoint } from './docker-api.js';
import { dockerHostFromEnv } from './docker-context.js';
import { webProxyFor } from './grpc-proxy.js';
import { certificateProblem } from './tls-diagnosis.js';
import { webGet } from './web-request.js';

/** The outcome of one check: `ok`, `warn` (builds work, something is limited) or `fail` (builds will not work). */
export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One check and its result. */
export interface DoctorCheck {
  /** Short name, e.g. `daemon`, `entitlement network.host`. */
  readonly name: string;
  readonly status: DoctorStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about a `warn` or `fail`. */
  readonly fix?: string | undefined;
}

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  /** Daemon address (default: resolved like every kiln command: BUILDKIT_HOST, buildx builder, buildkitd socket, Docker and its context). */
  readonly address?: string | undefined;
  /** How messages name where `address` came from (default `"the address option"`). */
  readonly addressSource?: string | undefined;
  readonly tls?: TlsFiles | undefined;
  /** Environment (default `process.env`): BUILDKIT_HOST, BUILDX_BUILDER, BUILDX_CONFIG, DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, PATH. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Registries the builds push to or pull from (`host[:port]`), checked for reachability. */
  readonly registries?: readonly string[] | undefined;
  /** Called as each check finishes (for live output). */
  readonly onCheck?: ((check: DoctorCheck) => void) | undefined;
}

/** What {@link runDoctor} found. */
export interface DoctorReport {
  readonly checks: readonly DoctorCheck[];
  /** True when no check failed. */
  readonly ok: boolean;
}

function versionBelow(version: string, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (m === null) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a < major || (a === major && b < minor);
}

function daemonLimits(info: DaemonInfo): DoctorCheck {
  if (isClassicDockerd(info)) {
    return {
      name: 'daemon features',
      status: 'warn',
      detail: `${info.description}: exporters moby/local/tar only (oci/docker tarballs and registry pushes go through the Docker API), inline cache export only${info.llbCaps.has('mergeop') ? '' : ', no merge op (independent layers are copied in order instead)'}`,
      fix: 'For every exporter and cache backend (registry mode=max, local, gha, s3) turn on the containerd image store (dockerd 24+: {"features":{"containerd-snapshotter":true}} in daemon.json), or run a standalone buildkitd v0.11+ and point BUILDKIT_HOST at it.',
    };
  }
  if (info.kind === 'dockerd') {
    return {
      name: 'daemon features',
      status: 'ok',
      detail: `${info.description}: every exporter and cache backend${info.llbCaps.has('mergeop') ? ', merge op available' : ''}`,
    };
  }
  // Distribution builds may report v0.0.0+unknown: no version to judge by.
  if (versionBelow(info.version, 0, 11) && !info.version.startsWith('v0.0.0')) {
    return {
      name: 'daemon features',
      status: 'warn',
      detail: `buildkitd ${info.version} predates v0.11 (no Info call, no source-date-epoch, older LLB caps)`,
      fix: 'Upgrade buildkitd to v0.11 or later.',
    };
  }
  return { name: 'daemon features', status: 'ok', detail: `${info.llbCaps.size} LLB caps${info.llbCaps.has('mergeop') ? ', merge op available' : ''}` };
}

function onPath(program: string, env: Readonly<Record<string, string | undefined>>): boolean {
  return (env['PATH'] ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
}

function dockerConfigCheck(env: Readonly<Record<string, string | undefined>>): DoctorCheck {
  const dir = dockerConfigDir(env);
  try {
    const config = readDockerConfig(dir);
    const helpers = new Set<string>([...(config.credsStore === undefined ? [] : [config.credsStore]), ...config.credHelpers.map((h) => h.helper)]);
    const missing = [...helpers].filter((h) => !onPath(`docker-credential-${h}`, env));
    const what = `${config.file}: ${config.auths.length} stored login${config.auths.length === 1 ? '' : 's'}${helpers.size > 0 ? `, helpers ${[...helpers].join(', ')}` : ''}`;
    if (missing.length > 0) {
      return {
        name: 'docker config',
        status: 'warn',
        detail: `${what}; not on PATH: ${missing.map((h) => `docker-credential-${h}`).join(', ')}`,
        fix: 'Install the credential helper, or remove it from config.json; registries it serves will be used anonymously.',
      };
    }
    return { name: 'docker config', status: 'ok', detail: existsSync(config.file) ? what : `${config.file} does not exist (registries are used anonymously)` };
  } catch (err) {
    const e = err instanceof KilnError ? err : new KilnError('io', String(err));
    return { name: 'docker config', status: 'fail', detail: e.message, fix: e.hint ?? 'Fix config.json, or point DOCKER_CONFIG at a directory with a valid one.' };
  }
}

/**
 * The Docker API `--load` and pushes go to: the daemon's own API when kiln builds on dockerd (`docker://…`, whatever
 * DOCKER_HOST says), the Docker the builder container of a `docker-container://` address runs in, else `DOCKER_HOST`
 * or the default socket. Each result names the endpoint and where it came from, and the fix changes that source.
 */
async function dockerApiCheck(
  env: Readonly<Record<string, string | undefined>>,
  resolved: ResolvedAddress | undefined,
  needed: boolean,
  explicitSource: string,
): Promise<DoctorCheck> {
  const daemon = resolved?.address;
  try {
    const chosen = dockerHostFromEnv(env).source;
    const fromEnv = chosen === 'default socket' ? 'the default Docker socket' : chosen;
    let ep: DockerEndpoint;
    let via: string;
    let fix: string;
    let use: string;
    if (daemon?.kind === 'docker' && resolved !== undefined) {
      ep = daemon.endpoint;
      via = `the dockerd kiln builds on, chosen by ${resolved.source}`;
      fix = `Start that dockerd, or point kiln at another daemon (${resolved.source === 'BUILDKIT_HOST' ? 'change BUILDKIT_HOST' : resolved.source === explicitSource ? `change ${explicitSource}` : 'set BUILDKIT_HOST'}); DOCKER_HOST counts only for a docker:// address that names no socket.`;
      use = '--load and pushes go through it';
    } else if (daemon?.kind === 'docker-container' && daemon.dockerHost !== undefined) {
      ep = dockerEndpointFromEnv({ DOCKER_HOST: daemon.dockerHost });
      via = `the Docker that runs the builder container ${daemon.container}`;
      fix = `Start that Docker daemon (${daemon.dockerHost}).`;
      use = '--load goes here';
    } else if (needed) {
      // A dockerd reached other than through docker:// (a proxy of its BuildKit socket): its --load and pushes go
      // through the Docker API named by DOCKER_HOST.
      ep = dockerEndpointFromEnv(env);
      via = fromEnv;
      fix = `kiln builds on a dockerd (${resolved?.text ?? 'unknown address'}) whose --load and pushes go through the Docker API: start it, or set DOCKER_HOST to that dockerd's API (unix:///path/to/docker.sock or tcp://host:port).`;
      use = '--load and pushes from dockerd go here';
    } else {
      ep = dockerEndpointFromEnv(env);
      via = fromEnv;
      fix = `Only needed for --load: start Docker${fromEnv === 'the default Docker socket' ? ', or set DOCKER_HOST to where it listens' : `, or fix ${fromEnv.startsWith('docker context') ? 'the docker context (docker context use …)' : 'DOCKER_HOST'}`}.`;
      use = '--load goes here';
    }
    const where = describeDockerEndpoint(ep);
    try {
      const r = await dockerRequest(ep, { method: 'GET', path: '/version', signal: AbortSignal.timeout(5000), env });
      const version = (JSON.parse(r.text) as { Version?: string }).Version ?? 'unknown version';
      return { name: 'docker api', status: 'ok', detail: `${where}: Docker ${version} (${via}; ${use})` };
    } catch (err) {
      return {
        name: 'docker api',
        status: needed ? 'fail' : 'warn',
        detail: `${where} (${via}) does not answer: ${err instanceof Error ? err.message : String(err)}`,
        // A path that is not a socket: the address is wrong, there is no daemon to start.
        fix: KilnError.is(err, 'unavailable') && err.details.path !== undefined && err.hint !== undefined ? err.hint : fix,
      };
    }
  } catch (err) {
    return { name: 'docker api', status: 'warn', detail: err instanceof Error ? err.message : String(err), fix: (err instanceof KilnError ? err.hint : undefined) ?? 'Set DOCKER_HOST to unix:///path/to/docker.sock or tcp://host:port.' };
  }
}

/**
 * Whether credentials may be sent to `url`: over https, or over plain http to this machine only (the registries
 * dockerd reaches over http without being told to: 127.0.0.0/8). Anywhere else anyone on the path would read them.
 */
function mayCarryCredentials(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Whether `credential` opens `/v2/` of a registry that answered 401 with `challenge` (Basic, or a Bearer token
 * service); `no-realm` for a Bearer challenge that names no token service; `insecure` without sending them when they would travel over plain http to another machine.
 */
async function credentialAccepted(base: string, challenge: string, credential: RegistryCredential, env: Readonly<Record<string, string | undefined>>): Promise<'accepted' | 'refused' | 'no-realm' | { insecure: URL }> {
  const basic = `Basic ${Buffer.from(`${credential.username}:${credential.secret}`).toString('base64')}`;
  const bearer = /^Bearer\s+(.*)$/i.exec(challenge);
  const target = bearer === null ? new URL(`${base}/v2/`) : tokenRealm(bearer[1] ?? '');
  if (target === undefined) return 'no-realm';
  if (!mayCarryCredentials(target)) return { insecure: target };
  const res = await webGet(target, { headers: { authorization: basic }, env });
  return res.status === 200 ? 'accepted' : 'refused';
}

/** The token service URL of a Bearer challenge's parameters (`realm`, `service`), if it names one. */
function tokenRealm(parameters: string): URL | undefined {
  const params = new Map([...parameters.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!] as const));
  const realm = params.get('realm');
  if (realm === undefined) return undefined;
  const url = new URL(realm);
  if (params.has('service')) url.searchParams.set('service', params.get('service')!);
  return url;
}

/** A registry that wants a login: whether the Docker config has credentials for it, and whether they are accepted. */
async function loginCheck(name: string, host: string, base: string, challenge: string, env: Readonly<Record<string, string | undefined>>): Promise<DoctorCheck> {
  const where = `${base}/v2/ answers and needs a login`;
  let source;
  try {
    source = lookupCredentialSource(readDockerConfig(dockerConfigDir(env)), host);
  } catch {
    return { name, status: 'warn', detail: `${where}; the Docker config cannot be read (see "docker config")`, fix: 'Fix the Docker config, then docker login.' };
  }
  if (source.kind === 'anonymous') {
    return { name, status: 'warn', detail: `${where}, and the Docker config has no credentials for ${host}: pulls and pushes there fail with 401`, fix: `docker login ${host} (or, in code, authService({ credentials }))` };
  }
  if (source.kind === 'helper') return { name, status: 'ok', detail: `${where}; credentials come from docker-credential-${source.helper} (${source.setting}), not tried here` };
  let outcome: Awaited<ReturnType<typeof credentialAccepted>>;
  try {
    outcome = await credentialAccepted(base, challenge, source.credential, env);
  } catch (err) {
    return { name, status: 'warn', detail: `${where}; trying the Docker config's credentials failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (outcome === 'accepted') return { name, status: 'ok', detail: `${where}; the Docker config's credentials are accepted` };
  if (outcome === 'no-realm') {
    return {
      name,
      status: 'warn',
      detail: `${where}; the Docker config's credentials for ${host} were not tried: its Bearer challenge names no token service (realm)`,
      fix: `Check the token authentication of ${host}: its WWW-Authenticate header must name a realm; pulls and pushes that need a login fail without one.`,
    };
  }
  if (outcome === 'refused') {
    return { name, status: 'fail', detail: `${where}, and it refuses the Docker config's credentials for ${host}`, fix: `docker login ${host} again with a valid user and password or token.` };
  }
  return {
    name,
    status: 'warn',
    detail: `${where}; the Docker config's credentials for ${host} were not tried: they would go unencrypted over plain http to ${outcome.insecure.host}`,
    fix: `Serve ${host} (and its token service) over https; a registry dockerd reaches over http (insecure-registries) can be checked with docker login ${host}.`,
  };
}

/**
 * A registry whose https certificate this machine cannot verify. The daemon checks it on its own (with its own CA
 * files), so builds may still work: say what the daemon needs, and how to let doctor check the rest.
 */
function certificateCheck(name: string, host: string, code: string): DoctorCheck | undefined {
  const problem = certificateProblem(code);
  if (problem === undefined) return undefined;
  const detail =
    problem === 'untrusted'
      ? `https://${host}/v2/ serves a certificate signed by a CA this machine does not trust (${code}); pulls and pushes fail unless the daemon trusts that CA`
      : problem === 'expired'
        ? `https://${host}/v2/ serves a certificate that has expired or is not valid yet (${code}); pulls and pushes there fail`
        : `https://${host}/v2/ serves a certificate that is not for ${host} (${code}); pulls and pushes there fail`;
  const fix =
    problem === 'untrusted'
      ? `Give the daemon the registry's CA: dockerd reads /etc/docker/certs.d/${host}/ca.crt (dockerd 20.10 looks at that directory when it starts: restart it); ` +
        `buildkitd reads [registry."${host}"] ca = ["/path/to/ca.pem"] in buildkitd.toml. Run kiln doctor with NODE_EXTRA_CA_CERTS=/path/to/ca.pem to check the login too.`
      : `Renew the registry's certificate${problem === 'wrong-name' ? ` with ${host} among its names (subjectAltName)` : ''}.`;
  return { name, status: problem === 'untrusted' ? 'warn' : 'fail', detail, fix };
}

/** ` (through the proxy http://proxy:3128 from HTTPS_PROXY)` when the request to `url` went through one; else empty. */
function viaProxy(url: URL, env: Readonly<Record<string, string | undefined>>): string {
  const proxy = webProxyFor(url, env);
  return proxy === undefined ? '' : ` (through the proxy ${proxy.redacted} from ${proxy.variable})`;
}

function firstHeader(value: string | readonly string[] | undefined): string {
  return (typeof value === 'string' ? value : value?.[0]) ?? '';
}

async function registryCheck(host: string, env: Readonly<Record<string, string | undefined>>): Promise<DoctorCheck> {
  const name = `registry ${host}`;
  const attempts = /^(localhost|127\.|\[::1\])/.test(host) ? ['http', 'https'] : ['https', 'http'];
  const errors: string[] = [];
  let certificate: DoctorCheck | undefined;
  for (const scheme of attempts) {
    try {
      const url = new URL(`${scheme}://${host}/v2/`);
      const res = await webGet(url, { env });
      const via = viaProxy(url, env);
      if (res.status === 200) return { name, status: 'ok', detail: `${scheme}://${host}/v2/ answers (anonymous access)${via}` };
      if (res.status === 401) {
        const check = await loginCheck(name, host, `${scheme}://${host}`, firstHeader(res.headers['www-authenticate']), env);
        return { ...check, detail: `${check.detail}${via}` };
      }
      errors.push(`${scheme}: HTTP ${res.status}${via}`);
    } catch (err) {
      // A proxy that cannot be reached, refuses, or whose URL kiln cannot use: the other scheme has nothing to add.
      if (err instanceof KilnError) {
        return { name, status: 'fail', detail: `${scheme}://${host}/v2/: ${err.message}`, ...(err.hint === undefined ? {} : { fix: err.hint }) };
      }
      const cause = (err as NodeJS.ErrnoException).code;
      if (scheme === 'https' && cause !== undefined) certificate ??= certificateCheck(name, host, cause);
      errors.push(`${scheme}: ${cause ?? (err instanceof Error ? err.message : String(err))}`);
    }
  }
  // A registry serving https with a certificate kiln cannot verify also answers plain http with an error (400):
  // the certificate is what to fix, not the address.
  if (certificate !== undefined) return certificate;
  return { name, status: 'fail', detail: `no registry API at ${host} (${errors.join('; ')})`, fix: `Check the address and that the registry runs; the daemon must reach ${host} too.` };
}

/**
 * Runs every check and reports them in order. Never throws for what it checks: a failure is a `fail` check.
 *
 * @example
 * import { runDoctor } from 'kiln';
 * const report = await runDoctor({ registries: ['127.0.0.1:5000'] });
 * for (const c of report.checks) console.log(c.status, c.name, c.detail);
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck): void => {
    checks.push(check);
    options.onCheck?.(check);
  };

  let daemonKind: DaemonInfo['kind'] | undefined;
  let resolved: ResolvedAddress | undefined;
  try {
    resolved = resolveAddress({
      explicit: options.address,
      ...(options.addressSource === undefined ? {} : { explicitSource: options.addressSource }),
      env,
      ...(options.tls === undefined ? {} : { tls: options.tls }) });
    const chosen = `${resolved.text} (chosen by ${resolved.source}${resolved.note === undefined ? '' : `; ${resolved.note}`})`;
    if (options.tls !== undefined && resolved.address.kind !== 'tcp') {
      // parseAddress keeps TLS files for tcp:// only: say so rather than report a TLS setup that is not used.
      add({
        name: 'address',
        status: 'warn',
        detail: `${chosen}; the TLS options are not used: they apply to tcp:// addresses only`,
        fix: 'Use the tcp:// address of a daemon that serves TLS, or drop the TLS options (the tls option; kiln --tlscacert, --tlscert, --tlskey, --tlsservername).',
      });
    } else {
      add({ name: 'address', status: 'ok', detail: chosen });
    }
  } catch (err) {
    const e = err instanceof KilnError ? err : new KilnError('invalid_argument', String(err));
    add({ name: 'address', status: 'fail', detail: e.message, fix: e.hint ?? 'Set BUILDKIT_HOST or pass --addr.' });
  }

  if (resolved !== undefined) {
    let client: Client | undefined;
    try {
      // Resolved again from the same inputs, so that errors say where the address came from (not "--addr").
      client = await Client.connect({
        address: options.address,
        ...(options.addressSource === undefined ? {} : { addressSource: options.addressSource }),
        env,
        ...(options.tls === undefined ? {} : { tls: options.tls }),
      });
      const info = await client.info();
      daemonKind = info.kind;
      const platforms = info.workers.flatMap((w) => w.platforms.map((p) => `${p.os}/${p.architecture}${p.variant === undefined || p.variant === '' ? '' : `/${p.variant}`}`));
      add({ name: 'daemon', status: 'ok', detail: `${info.description}; platforms ${[...new Set(platforms)].join(', ') || 'none reported'}` });
      add(daemonLimits(info));
      for (const entitlement of ['network.host', 'security.insecure'] as const) {
        try {
          await client.build({ entitlements: [entitlement] }, async () => ({}));
          add({ name: `entitlement ${entitlement}`, status: 'ok', detail: 'granted' });
        } catch (err) {
          // A daemon that went away, a cancelled call or one without the gateway API says nothing about entitlements.
          if (KilnError.is(err, 'unavailable') || KilnError.is(err, 'cancelled') || KilnError.is(err, 'unsupported')) {
            add({
              name: `entitlement ${entitlement}`,
              status: 'warn',
              detail: `could not be checked: ${err.message}`,
              fix: err.hint ?? 'Run kiln doctor again once the daemon answers.',
            });
            continue;
          }
          const fix =
            info.kind === 'dockerd'
              ? `Allow it in daemon.json: {"builder":{"Entitlements":{"${entitlement === 'network.host' ? 'network-host' : 'security-insecure'}":true}}}, then restart dockerd.`
              : resolved.address.kind === 'docker-container'
                ? `Recreate the builder of container ${resolved.address.container} with the entitlement allowed: docker buildx create --driver docker-container --buildkitd-flags '--allow-insecure-entitlement ${entitlement}' (the buildkitd in the container needs --allow-insecure-entitlement ${entitlement}).`
                : `Start buildkitd with --allow-insecure-entitlement ${entitlement}.`;
          add({
            name: `entitlement ${entitlement}`,
            status: 'warn',
            detail: `not granted (${err instanceof Error ? err.message : String(err)}); steps that need it (--allow ${entitlement}) will fail`,
            fix,
          });
        }
      }
    } catch (err) {
      const e = err instanceof KilnError ? err : new KilnError('unavailable', String(err));
      add({ name: 'daemon', status: 'fail', detail: e.message, fix: e.hint ?? 'Start a BuildKit daemon or Docker, or point BUILDKIT_HOST at one.' });
    } finally {
      await client?.close();
    }
  }

  add(dockerConfigCheck(env));
  // On a docker:// address the Docker API is the daemon itself: needed even when the daemon check failed.
  add(await dockerApiCheck(env, resolved, daemonKind === 'dockerd' || resolved?.address.kind === 'docker', options.addressSource ?? 'the address option'));
  for (const host of options.registries ?? []) add(await registryCheck(host, env));
  return { checks, ok: checks.every((c) => c.status !== 'fail') };
}
