/**
 * The daemon kiln picks on a developer's machine, where `docker buildx build` follows the docker context and the
 * buildx builder: each layout is a fake Docker config directory (the files the docker CLI and buildx write).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveAddress, type ResolveAddressOptions } from '../../src/client/address.js';
import { dockerEndpointFromEnv } from '../../src/client/docker-api.js';
import { KilnError } from '../../src/errors.js';

const CONFIG = '/home/dev/.docker';
const none = (): boolean => false;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A Docker config directory holding the given files (paths relative to it). */
function configDir(files: Record<string, string>): (path: string) => string | undefined {
  const all = new Map(Object.entries(files).map(([p, text]) => [`${CONFIG}/${p}`, text]));
  return (path) => all.get(path);
}

/** The files `docker context create <name> --docker host=<host>` writes (and `ca.pem` with a `ca=` setting). */
function context(name: string, host: string, options: { tls?: boolean } = {}): Record<string, string> {
  const meta = { Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } };
  return {
    [`contexts/meta/${sha(name)}/meta.json`]: JSON.stringify(meta),
    ...(options.tls === true ? { [`contexts/tls/${sha(name)}/docker/ca.pem`]: '-----BEGIN CERTIFICATE-----\n' } : {}),
  };
}

/** buildx's instance file for a builder. */
function builder(name: string, driver: string, nodes: { name: string; endpoint: string; opts?: Record<string, string> }[]): Record<string, string> {
  const body = { Name: name, Driver: driver, Nodes: nodes.map((n) => ({ Name: n.name, Endpoint: n.endpoint, Platforms: null, Flags: null, DriverOpts: n.opts ?? null, Files: null })), Dynamic: false };
  return { [`buildx/instances/${name}`]: JSON.stringify(body) };
}

function resolve(env: Record<string, string>, files: Record<string, string>, extra: Partial<ResolveAddressOptions> = {}): ReturnType<typeof resolveAddress> {
  return resolveAddress({ env: { HOME: '/home/dev', ...env }, exists: none, readFile: configDir(files), ...extra });
}

function failure(f: () => unknown): KilnError {
  try {
    f();
  } catch (err) {
    if (err instanceof KilnError) return err;
  }
  throw new Error('expected a KilnError');
}

describe('resolveAddress follows the docker context', () => {
  const colima = context('colima', 'unix:///home/dev/.colima/default/docker.sock');
  const desktop = context('desktop-linux', 'unix:///home/dev/.docker/run/docker.sock');

  it('Docker Desktop / Colima / OrbStack: currentContext in config.json picks the context, and says so', () => {
    const r = resolve({}, { ...desktop, 'config.json': JSON.stringify({ auths: {}, currentContext: 'desktop-linux' }) });
    expect(r.text).toBe('docker://unix:///home/dev/.docker/run/docker.sock');
    expect(r.source).toBe('Docker daemon of docker context "desktop-linux" (currentContext in /home/dev/.docker/config.json)');
  });

  it('DOCKER_CONTEXT wins over currentContext; DOCKER_HOST wins over both (the docker CLI order)', () => {
    const files = { ...desktop, ...colima, 'config.json': '{"currentContext":"desktop-linux"}' };
    expect(resolve({ DOCKER_CONTEXT: 'colima' }, files)).toMatchObject({
      text: 'docker://unix:///home/dev/.colima/default/docker.sock',
      source: 'Docker daemon of docker context "colima" (DOCKER_CONTEXT)',
    });
    expect(resolve({ DOCKER_CONTEXT: 'colima', DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, files)).toMatchObject({
      text: 'docker://unix:///run/user/1000/docker.sock',
      source: 'Docker daemon (DOCKER_HOST)',
    });
    // The "default" context is DOCKER_HOST, else the default socket.
    expect(resolve({ DOCKER_CONTEXT: 'default' }, files)).toMatchObject({ text: 'docker://unix:///var/run/docker.sock', source: 'Docker daemon (default socket)' });
  });

  it('rootless Docker: the context made by dockerd-rootless-setuptool.sh; DOCKER_CONFIG moves the config directory', () => {
    const r = resolveAddress({
      env: { DOCKER_CONFIG: CONFIG, HOME: '/elsewhere' },
      exists: none,
      readFile: configDir({ ...context('rootless', 'unix:///run/user/1000/docker.sock'), 'config.json': '{"currentContext":"rootless"}' }),
    });
    expect(r.text).toBe('docker://unix:///run/user/1000/docker.sock');
  });

  it('BUILDKIT_HOST, an explicit address and the buildkitd socket still come first; docker:// alone is the context\'s daemon', () => {
    const files = { ...colima, 'config.json': '{"currentContext":"colima"}' };
    expect(resolve({ BUILDKIT_HOST: 'tcp://b:2' }, files).text).toBe('tcp://b:2');
    expect(resolve({}, files, { exists: (p) => p === '/run/buildkit/buildkitd.sock' }).text).toBe('unix:///run/buildkit/buildkitd.sock');
    expect(resolve({}, files, { explicit: 'docker://', explicitSource: '--addr' })).toMatchObject({ text: 'docker://unix:///home/dev/.colima/default/docker.sock', source: '--addr' });
  });

  it('--load goes to the context\'s Docker too', () => {
    const read = configDir({ ...colima, 'config.json': '{"currentContext":"colima"}' });
    expect(dockerEndpointFromEnv({ HOME: '/home/dev' }, read)).toEqual({ socketPath: '/home/dev/.colima/default/docker.sock' });
  });

  it('--load to an ssh:// Docker goes over ssh; to a TLS Docker it is refused as the address is, with what to give the forwarded socket to', () => {
    const read = configDir({ ...context('remote', 'ssh://me@build-box'), 'config.json': '{"currentContext":"remote"}' });
    expect(dockerEndpointFromEnv({ HOME: '/home/dev' }, read)).toEqual({ ssh: { user: 'me', host: 'build-box', port: undefined, path: undefined } });
    const tls = failure(() => dockerEndpointFromEnv({ HOME: '/home/dev', DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1' }, configDir({})));
    expect(tls.message).toBe('DOCKER_HOST="tcp://10.0.0.5:2376": kiln cannot reach the Docker API over TLS (DOCKER_TLS_VERIFY=1)');
    expect(tls.hint).toContain('DOCKER_HOST=unix:///tmp/kiln-docker.sock');
  });

  it('a missing context names the file looked for and what to do', () => {
    const e = failure(() => resolve({ DOCKER_CONTEXT: 'colima' }, {}));
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toBe(`docker context "colima" (DOCKER_CONTEXT) does not exist: no ${CONFIG}/contexts/meta/${sha('colima')}/meta.json`);
    expect(e.hint).toContain('docker context ls');
    expect(failure(() => resolve({}, { 'config.json': '{"currentContext":"gone"}' })).hint).toContain('docker context use');
  });

  it('an ssh:// docker context is its Docker over ssh; TLS Docker hosts are refused up front, with what to do instead', () => {
    const viaContext = resolve({ DOCKER_CONTEXT: 'remote' }, context('remote', 'ssh://me@build-box/run/docker.sock'));
    expect(viaContext.text).toBe('docker://ssh://me@build-box/run/docker.sock');
    expect(viaContext.source).toBe('Docker daemon of docker context "remote" (DOCKER_CONTEXT)');
    const tls = failure(() => resolve({ DOCKER_CONTEXT: 'secure' }, context('secure', 'tcp://10.0.0.5:2376', { tls: true })));
    expect(tls.message).toBe('docker context "secure" (DOCKER_CONTEXT): Docker host tcp://10.0.0.5:2376: kiln cannot reach the Docker API over TLS (the context has TLS settings)');
    expect(failure(() => resolve({ DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1' }, {})).message).toMatch(/over TLS \(DOCKER_TLS_VERIFY=1\)/);
    // The same context without TLS material is plain tcp.
    expect(resolve({ DOCKER_CONTEXT: 'plain' }, context('plain', 'tcp://10.0.0.5:2375')).text).toBe('docker://tcp://10.0.0.5:2375');
  });
});

describe('resolveAddress follows the buildx builder', () => {
  const colimaCtx = context('colima', 'unix:///home/dev/.colima/default/docker.sock');
  const current = (key: string, name: string, global = false): Record<string, string> => ({ 'buildx/current': JSON.stringify({ Key: key, Name: name, Global: global }) });

  it('docker buildx create --use (docker-container driver): the builder container, before the buildkitd socket', () => {
    const files = { ...current('unix:///var/run/docker.sock', 'mybuilder'), ...builder('mybuilder', 'docker-container', [{ name: 'mybuilder0', endpoint: 'default' }]) };
    const r = resolve({}, files, { exists: (p) => p === '/run/buildkit/buildkitd.sock' });
    expect(r.text).toBe('docker-container://buildx_buildkit_mybuilder0');
    expect(r.address).toEqual({ kind: 'docker-container', container: 'buildx_buildkit_mybuilder0' });
    expect(r.source).toBe('buildx builder "mybuilder" (docker-container driver; the current buildx builder (/home/dev/.docker/buildx/current))');
  });

  it('a builder container on another context runs docker exec against that context\'s Docker', () => {
    const files = {
      ...context('colima', 'unix:///home/dev/.colima/default/docker.sock'),
      ...current('unix:///var/run/docker.sock', 'colimabuilder'),
      ...builder('colimabuilder', 'docker-container', [{ name: 'colimabuilder0', endpoint: 'colima' }]),
    };
    expect(resolve({}, files).address).toEqual({ kind: 'docker-container', container: 'buildx_buildkit_colimabuilder0', dockerHost: 'unix:///home/dev/.colima/default/docker.sock' });
  });

  it('a builder container on a context with TLS runs docker --context that context (docker -H alone would skip its TLS)', () => {
    const files = {
      ...context('secure', 'tcp://10.0.0.5:2376', { tls: true }),
      ...current('unix:///var/run/docker.sock', 'farm'),
      ...builder('farm', 'docker-container', [{ name: 'farm0', endpoint: 'secure' }]),
    };
    const r = resolve({}, files);
    expect(r.address).toEqual({ kind: 'docker-container', container: 'buildx_buildkit_farm0', dockerContext: 'secure' });
    expect(r.text).toBe('docker-container://buildx_buildkit_farm0');
  });

  it('the current builder counts only for the context it was chosen in (unless global); BUILDX_BUILDER always', () => {
    const files = {
      ...context('colima', 'unix:///c.sock'),
      ...current('colima', 'mybuilder'),
      ...builder('mybuilder', 'docker-container', [{ name: 'mybuilder0', endpoint: 'colima' }]),
    };
    expect(resolve({}, files).source).toBe('Docker daemon (default socket)');
    expect(resolve({ DOCKER_CONTEXT: 'colima' }, files).text).toBe('docker-container://buildx_buildkit_mybuilder0');
    expect(resolve({}, { ...files, ...current('colima', 'mybuilder', true) }).text).toBe('docker-container://buildx_buildkit_mybuilder0');
    expect(resolve({ BUILDX_BUILDER: 'mybuilder' }, files)).toMatchObject({ text: 'docker-container://buildx_buildkit_mybuilder0', source: 'buildx builder "mybuilder" (docker-container driver; BUILDX_BUILDER)' });
  });

  it('remote driver: its endpoint, with the TLS files of its driver options', () => {
    const opts = { cacert: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', servername: 'bk.example' };
    const files = { ...current('unix:///var/run/docker.sock', 'farm'), ...builder('farm', 'remote', [{ name: 'farm0', endpoint: 'tcp://10.0.0.9:1234', opts }]) };
    expect(resolve({}, files).address).toEqual({ kind: 'tcp', host: '10.0.0.9', port: 1234, tls: { caCert: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', serverName: 'bk.example' } });
    const unix = { ...current('unix:///var/run/docker.sock', 'local'), ...builder('local', 'remote', [{ name: 'local0', endpoint: 'unix:///run/user/1000/buildkit/buildkitd.sock' }]) };
    expect(resolve({}, unix).text).toBe('unix:///run/user/1000/buildkit/buildkitd.sock');
  });

  it('docker driver: a stored docker-driver builder on another context is that context\'s dockerd; the current context\'s changes nothing', () => {
    const files = { ...context('desktop-linux', 'unix:///d.sock'), ...current('unix:///var/run/docker.sock', 'dl'), ...builder('dl', 'docker', [{ name: 'dl', endpoint: 'desktop-linux' }]) };
    expect(resolve({}, files)).toMatchObject({ text: 'docker://unix:///d.sock', source: 'buildx builder "dl" (docker driver; the current buildx builder (/home/dev/.docker/buildx/current))' });
    const byDefault = resolve({}, { ...current('unix:///var/run/docker.sock', 'default') }, { exists: (p) => p === '/run/buildkit/buildkitd.sock' });
    expect(byDefault).toEqual({ address: { kind: 'unix', path: '/run/buildkit/buildkitd.sock' }, text: 'unix:///run/buildkit/buildkitd.sock', source: 'default buildkitd socket' });
  });

  it('a current builder that was removed is passed over as docker buildx build does (the context\'s Docker), with a note', () => {
    // docker buildx rm deletes instances/<name> but another tool (or a copied config) may leave buildx/current naming it.
    const gone = current('unix:///var/run/docker.sock', 'oldbuilder');
    const r = resolve({}, gone);
    expect(r.text).toBe('docker://unix:///var/run/docker.sock');
    expect(r.source).toBe('Docker daemon (default socket)');
    expect(r.note).toBe(
      `buildx builder "oldbuilder" (the current buildx builder (${CONFIG}/buildx/current)) no longer exists (no ${CONFIG}/buildx/instances/oldbuilder): docker buildx build then uses the current docker context's Docker, and kiln goes on as if no builder were chosen`,
    );
    // The rest of kiln's order decides, as when no builder was chosen.
    expect(resolve({}, gone, { exists: (p) => p === '/run/buildkit/buildkitd.sock' })).toMatchObject({ text: 'unix:///run/buildkit/buildkitd.sock', note: r.note });
    // Chosen in this context: buildx does not look at the defaults then; a --default builder that is gone is passed over too.
    const defaults = `buildx/defaults/${sha('unix:///var/run/docker.sock').slice(0, 20)}`;
    const withDefault = { ...gone, [defaults]: 'mybuilder', ...builder('mybuilder', 'docker-container', [{ name: 'mybuilder0', endpoint: 'default' }]) };
    expect(resolve({}, withDefault).text).toBe('docker://unix:///var/run/docker.sock');
    const goneDefault = resolve({}, { [defaults]: 'removed' });
    expect(goneDefault.note).toBe(
      `buildx builder "removed" (the default buildx builder (${CONFIG}/${defaults})) no longer exists (no ${CONFIG}/buildx/instances/removed): docker buildx build then uses the current docker context's Docker, and kiln goes on as if no builder were chosen`,
    );
    // A global builder that is gone, chosen in another context: buildx goes on to this context's default builder.
    expect(resolve({}, { ...withDefault, ...current('colima', 'oldbuilder', true) }).text).toBe('docker-container://buildx_buildkit_mybuilder0');
    // A name buildx does not store builders under, or an instance file that is not a builder: the same fallback.
    expect(resolve({}, current('unix:///var/run/docker.sock', 'desktop-linux:old')).note).toMatch(/^buildx builder "desktop-linux:old" .* no longer exists/);
    expect(resolve({}, { ...gone, 'buildx/instances/oldbuilder': 'not json' }).note).toMatch(/is unreadable \(.*instances\/oldbuilder is not a buildx builder description\)/);
    // A docker context name in buildx/current is not a builder there (buildx use refuses to write one): the current context's Docker.
    const contextName = resolve({}, { ...context('desktop-linux', 'unix:///d.sock'), ...current('unix:///var/run/docker.sock', 'desktop-linux') });
    expect(contextName).toMatchObject({ text: 'docker://unix:///var/run/docker.sock', source: 'Docker daemon (default socket)' });
    expect(contextName.note).toMatch(/^buildx builder "desktop-linux" .* no longer exists/);
  });

  it('BUILDX_BUILDER naming a docker context other than the current one stops, as buildx does, with its words', () => {
    const files = { ...colimaCtx, ...context('desktop-linux', 'unix:///d.sock'), 'config.json': '{"currentContext":"colima"}' };
    const toDefault = failure(() => resolve({ BUILDX_BUILDER: 'default' }, files));
    expect(toDefault.code).toBe('invalid_argument');
    expect(toDefault.message).toBe(
      `BUILDX_BUILDER=default names docker context "default", which is not the current one (docker context "colima", by docker context "colima" (currentContext in ${CONFIG}/config.json)): docker buildx build stops here too ("use \`docker --context=default buildx\` to switch to context "default"")`,
    );
    expect(toDefault.hint).toBe('Unset BUILDX_BUILDER to build on the current context\'s Docker, or make "default" the current context (DOCKER_CONTEXT=default, or docker context use default).');
    expect(failure(() => resolve({ BUILDX_BUILDER: 'desktop-linux' }, files)).message).toMatch(/^BUILDX_BUILDER=desktop-linux names docker context "desktop-linux", which is not the current one/);
    // The current context's own name (or "default" in the default context) is its Docker: the rest of the order decides.
    expect(resolve({ BUILDX_BUILDER: 'colima' }, files)).toMatchObject({ text: 'docker://unix:///home/dev/.colima/default/docker.sock', source: 'Docker daemon of docker context "colima" (currentContext in /home/dev/.docker/config.json)' });
    expect(resolve({ BUILDX_BUILDER: 'default' }, {})).toMatchObject({ text: 'docker://unix:///var/run/docker.sock', source: 'Docker daemon (default socket)' });
    expect(resolve({ BUILDX_BUILDER: 'default', DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, files).source).toBe('Docker daemon (DOCKER_HOST)');
  });

  it('a builder kiln cannot reach, or one that does not exist, is refused naming it', () => {
    const kube = failure(() => resolve({ BUILDX_BUILDER: 'k8s' }, builder('k8s', 'kubernetes', [{ name: 'k8s0', endpoint: 'kubernetes:///k8s?deployment=&kubeconfig=' }])));
    expect(kube.message).toBe('buildx builder "k8s" (kubernetes driver; BUILDX_BUILDER): kiln cannot reach builders of the kubernetes driver');
    expect(kube.hint).toContain('--addr');
    const ssh = failure(() => resolve({ BUILDX_BUILDER: 'r' }, builder('r', 'remote', [{ name: 'r0', endpoint: 'ssh://me@host' }])));
    expect(ssh.message).toMatch(/its endpoint ssh:\/\/me@host is not unix:\/\/, tcp:\/\/ or docker-container:\/\//);
    const gone = failure(() => resolve({ BUILDX_BUILDER: 'gone' }, {}));
    expect(gone.message).toBe(`buildx builder "gone" (BUILDX_BUILDER) does not exist: no ${CONFIG}/buildx/instances/gone and no docker context of that name`);
    expect(gone.hint).toContain('docker buildx ls');
  });
});

describe('resolveAddress on Windows (Docker Desktop listens on a named pipe)', () => {
  const win = (env: Record<string, string>, files: Record<string, string>, extra: Partial<ResolveAddressOptions> = {}): ReturnType<typeof resolveAddress> =>
    // Git Bash's HOME is not where the docker CLI on Windows keeps its config: USERPROFILE is.
    resolveAddress({ env: { HOME: '/c/Users/dev', USERPROFILE: '/home/dev', ...env }, exists: none, readFile: configDir(files), platform: 'win32', ...extra });

  it('nothing set: Docker Desktop\'s default pipe, as the docker CLI on Windows uses it', () => {
    expect(win({}, {})).toMatchObject({
      address: { kind: 'docker', endpoint: { socketPath: '\\\\.\\pipe\\docker_engine' } },
      text: 'docker://npipe:////./pipe/docker_engine',
      source: 'Docker daemon (default socket)',
    });
    // Elsewhere the default stays the unix socket.
    expect(resolve({}, {}).text).toBe('docker://unix:///var/run/docker.sock');
  });

  it('DOCKER_HOST=npipe://…, a context with a pipe endpoint (desktop-linux), and docker://npipe://… are the pipe', () => {
    expect(win({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, {}).address).toEqual({ kind: 'docker', endpoint: { socketPath: '\\\\.\\pipe\\docker_engine' } });
    const desktop = { ...context('desktop-linux', 'npipe:////./pipe/dockerDesktopLinuxEngine'), 'config.json': '{"currentContext":"desktop-linux"}' };
    expect(win({}, desktop)).toMatchObject({
      text: 'docker://npipe:////./pipe/dockerDesktopLinuxEngine',
      source: 'Docker daemon of docker context "desktop-linux" (currentContext in /home/dev/.docker/config.json)',
    });
    expect(resolve({}, {}, { explicit: 'docker://npipe:////./pipe/docker_engine' }).address).toEqual({ kind: 'docker', endpoint: { socketPath: '\\\\.\\pipe\\docker_engine' } });
    expect(dockerEndpointFromEnv({ USERPROFILE: '/home/dev' }, configDir(desktop), 'win32')).toEqual({ socketPath: '\\\\.\\pipe\\dockerDesktopLinuxEngine' });
    expect(dockerEndpointFromEnv({ USERPROFILE: '/home/dev' }, configDir({}), 'win32')).toEqual({ socketPath: '\\\\.\\pipe\\docker_engine' });
  });

  it('a malformed pipe, or a pipe given as a buildkitd address, is refused with the form to use', () => {
    expect(failure(() => resolve({}, {}, { explicit: 'docker://npipe://docker_engine' })).message).toMatch(/a Windows named pipe is written npipe:\/\/\/\/\.\/pipe\/<name>/);
    const bare = failure(() => resolve({}, {}, { explicit: 'npipe:////./pipe/docker_engine' }));
    expect(bare.message).toMatch(/a named pipe is reached as Docker's: docker:\/\/npipe:\/\/\/\/\.\/pipe\/docker_engine/);
  });
});
