import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/** A registry on localhost, spoken to over plain HTTP. */
export interface TestRegistry {
  /** `host:port`, the prefix of image names pushed there (`127.0.0.1:5000/team/app:1`). */
  readonly address: string;
  /** Base URL of its HTTP API (`http://127.0.0.1:5000`). */
  readonly url: string;
}

/** The registry that demands HTTP basic auth (htpasswd), for credential tests. */
export interface TestAuthRegistry extends TestRegistry {
  readonly username: string;
  readonly password: string;
}

/** A base image the environment serves offline under its real Docker Hub name. */
export interface BaseImage {
  /** The name as people write it: `debian:bookworm-slim`, `nvidia/cuda:11.8.0-runtime-ubuntu22.04`. */
  readonly name: string;
  /** Fully qualified: `docker.io/library/debian:bookworm-slim`. */
  readonly reference: string;
  /** The same image addressed in the local mirror registry: `127.0.0.1:5000/library/debian:bookworm-slim`. */
  readonly mirrorReference: string;
  /** Manifest digest served for that name (`sha256:…`); usable for digest pins. */
  readonly digest: string;
}

/** The bridge the private dockerd puts containers and build steps on (its default `bridge` network). */
export interface TestBridge {
  readonly name: string;
  /** `10.213.0.0/24` */
  readonly subnet: string;
  /** `10.213.0.1` */
  readonly gateway: string;
  readonly mtu: number;
}

/** The TLS listener of the buildkitd stand-in and the client files that reach it. */
export interface StandInTls {
  readonly address: string;
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
  readonly serverName: string;
}

/** Everything integration tests need to know about the environment `scripts/env/up.sh` started. */
export interface TestEnv {
  /** Path of the env.json this was read from. */
  readonly envFile: string;
  /** Environment instance name (`kiln` unless KILN_ENV_INSTANCE says otherwise). */
  readonly instance: string;
  /**
   * The Docker engine of the instance (KILN_ENV_ENGINE): `debian` — dockerd 20.10, BuildKit v0.8, classic image
   * store; `modern` — dockerd 26.1, BuildKit v0.13, containerd image store.
   */
  readonly engine: 'debian' | 'modern';
  /**
   * The environment's BuildKit served the way a standalone buildkitd listens (scripts/env/buildkitd-bridge.mjs):
   * plain gRPC on a unix socket (`unix://…`) and on TCP (`tcp://127.0.0.1:…`), and TLS with client certificates.
   */
  readonly buildkitdStandIn: { readonly unix: string; readonly tcp: string; readonly tls: StandInTls };
  readonly stateDir: string;
  /**
   * The BuildKit daemon integration tests build on: `BUILDKIT_HOST` when the caller set it, otherwise the private
   * dockerd's embedded BuildKit (`docker://unix://<state>/docker.sock`).
   */
  readonly buildkitHost: string;
  /** Where {@link TestEnv.buildkitHost} came from. */
  readonly buildkitHostSource: 'BUILDKIT_HOST' | 'environment';
  /** The private dockerd's API socket path. */
  readonly dockerSocket: string;
  /** The same socket as a Docker host URL (`unix:///…/docker.sock`). */
  readonly dockerHost: string;
  /** The Docker CLI used by {@link dockerCli} (Debian's 20.10 client, `/usr/bin/docker`). */
  readonly dockerCliPath: string;
  /** The private dockerd's data root (never `/var/lib/docker`). */
  readonly dockerDataRoot: string;
  /** `overlay2`, or `vfs` when overlay2 did not work on this machine. */
  readonly storageDriver: string;
  readonly bridge: TestBridge;
  /** Anonymous registry, also dockerd's mirror for docker.io. */
  readonly registry: TestRegistry;
  /** Registry requiring basic auth. */
  readonly authRegistry: TestAuthRegistry;
  readonly baseImages: readonly BaseImage[];
  /** Log files to read when something in the environment misbehaves. */
  readonly logs: { readonly dockerd: string; readonly registry: string; readonly authRegistry: string };
}

/** How to bring the environment up, for error messages. */
export const START_ENV_HINT =
  'Start the test environment with `npm run env:up` (needs root; the first run builds base images, later runs take ' +
  'seconds), or run everything with `npm test`, which starts and stops it for you.';

/**
 * The env.json to read: `KILN_TEST_ENV` when set (scripts/test.sh sets it), otherwise where up.sh writes it for the
 * instance named by `KILN_ENV_INSTANCE` under `KILN_ENV_DIR` (defaults: `/tmp/kiln-env/kiln/env.json`).
 */
export function testEnvFile(): string {
  const explicit = process.env['KILN_TEST_ENV'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const root = process.env['KILN_ENV_DIR'] || '/tmp/kiln-env';
  const instance = process.env['KILN_ENV_INSTANCE'] || 'kiln';
  return join(root, instance, 'env.json');
}

let cached: { readonly file: string; readonly buildkitHost: string | undefined; readonly env: TestEnv } | undefined;

/**
 * Reads the test environment description (see {@link testEnvFile}). Throws an error explaining how to start the
 * environment when the file is missing or malformed.
 */
export function testEnv(): TestEnv {
  const file = testEnvFile();
  const override = process.env['BUILDKIT_HOST'] || undefined;
  if (cached !== undefined && cached.file === file && cached.buildkitHost === override) return cached.env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`No kiln test environment: cannot read ${file} (${why}).\n${START_ENV_HINT}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`The kiln test environment file ${file} is not valid JSON (${why}).\n${START_ENV_HINT}`);
  }
  const env = parseEnv(raw, file, override);
  cached = { file, buildkitHost: override, env };
  return env;
}

/** The base image served under `name` (`debian:bookworm-slim`); throws listing the available names otherwise. */
export function baseImage(name: string): BaseImage {
  const env = testEnv();
  const found = env.baseImages.find((image) => image.name === name || image.reference === name);
  if (found === undefined) {
    throw new Error(
      `baseImage(): "${name}" is not one of the environment's base images: ${env.baseImages.map((i) => i.name).join(', ')}`,
    );
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------------
// Docker Engine API over the private socket

/** A response from the Docker Engine API. */
export interface DockerApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text. */
  readonly text: string;
  /** The body parsed as JSON when the daemon sent JSON, otherwise `undefined`. */
  readonly json: unknown;
}

/**
 * Calls the private dockerd's Engine API over its unix socket, e.g. `dockerApi('GET', '/images/debian:bookworm-slim/json')`.
 * `body`, when given, is sent as JSON. Resolves with any HTTP status; rejects only when the socket cannot be reached.
 */
export function dockerApi(method: string, path: string, body?: unknown): Promise<DockerApiResponse> {
  const env = testEnv();
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: env.dockerSocket,
        method,
        path,
        headers: {
          Host: 'docker',
          ...(payload === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (String(res.headers['content-type'] ?? '').includes('json') && text !== '') {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error(`dockerApi ${method} ${path}: no answer within 120 s`)));
    req.on('error', (error) =>
      reject(new Error(`dockerApi ${method} ${path}: cannot reach dockerd at ${env.dockerSocket}: ${error.message}`)),
    );
    req.end(payload);
  });
}

/** The parts of `GET /images/<name>/json` tests look at. */
export interface ImageInspect {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  readonly architecture: string;
  readonly os: string;
  readonly size: number;
  readonly config: {
    readonly env: readonly string[];
    readonly cmd: readonly string[] | undefined;
    readonly entrypoint: readonly string[] | undefined;
    readonly workingDir: string;
    readonly user: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly exposedPorts: readonly string[];
    /** The config's StopSignal, when it has one. */
    readonly stopSignal: string | undefined;
  };
  /** The full inspect document, for anything not lifted above. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Inspects an image in the private dockerd's store; `undefined` when there is no such image. */
export async function inspectImage(nameOrId: string): Promise<ImageInspect | undefined> {
  const res = await dockerApi('GET', `/images/${nameOrId}/json`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`inspectImage(${nameOrId}): dockerd answered ${res.status}: ${res.text}`);
  const raw = record(res.json, `/images/${nameOrId}/json`);
  const config = raw['Config'] === null || raw['Config'] === undefined ? {} : record(raw['Config'], 'Config');
  const labels = config['Labels'] === null || config['Labels'] === undefined ? {} : record(config['Labels'], 'Labels');
  return {
    id: String(raw['Id'] ?? ''),
    repoTags: stringList(raw['RepoTags']),
    repoDigests: stringList(raw['RepoDigests']),
    architecture: String(raw['Architecture'] ?? ''),
    os: String(raw['Os'] ?? ''),
    size: typeof raw['Size'] === 'number' ? raw['Size'] : 0,
    config: {
      env: stringList(config['Env']),
      cmd: Array.isArray(config['Cmd']) ? stringList(config['Cmd']) : undefined,
      entrypoint: Array.isArray(config['Entrypoint']) ? stringList(config['Entrypoint']) : undefined,
      workingDir: String(config['WorkingDir'] ?? ''),
      user: String(config['User'] ?? ''),
      labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])),
      exposedPorts:
        config['ExposedPorts'] === null || config['ExposedPorts'] === undefined
          ? []
          : Object.keys(record(config['ExposedPorts'], 'ExposedPorts')),
      stopSignal: typeof config['StopSignal'] === 'string' && config['StopSignal'] !== '' ? config['StopSignal'] : undefined,
    },
    raw,
  };
}

/**
 * Removes the images named `refs` from the private dockerd, as `docker rmi -f` does, passing over names that are gone
 * or cannot be removed (a test's cleanup). The names of one image are removed one after another (removing its last
 * name removes it); different images at the same time: on dockerd 26.1's containerd image store each image removed
 * waits for a garbage collection of the whole store, and removals at the same time share one. (`docker rmi -f` of 10
 * images there, the machine loaded: 20 s and 11 s of dockerd + containerd processor time one after another, 12 s and
 * 6 s at once; an image-capabilities run's ~50 took 150 s one after another, near the 180 s an afterAll gets.)
 */
export async function removeImages(refs: readonly string[]): Promise<void> {
  const byImage = new Map<string, string[]>();
  await Promise.all(
    [...new Set(refs)].map(async (ref) => {
      const id = (await inspectImage(ref).catch(() => undefined))?.id;
      if (id !== undefined) byImage.set(id, [...(byImage.get(id) ?? []), ref]);
    }),
  );
  await Promise.all(
    [...byImage.values()].map(async (names) => {
      for (const name of names) await dockerApi('DELETE', `/images/${name}?force=1`).catch(() => undefined);
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Docker CLI against the private dockerd

/** Outcome of a {@link dockerCli} run. */
export interface DockerCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link dockerCli}. */
export interface DockerCliOptions {
  /** Written to the command's stdin (e.g. a password for `login --password-stdin`). */
  readonly input?: string;
  /** Resolve with the result instead of rejecting when the command exits non-zero. */
  readonly allowFailure?: boolean;
  /** Extra environment, e.g. `{ DOCKER_CONFIG: dir }` for an isolated login state. */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the command after this long (default 180 s). */
  readonly timeoutMs?: number;
}

/**
 * Runs the Docker CLI (`/usr/bin/docker -H unix://<state>/docker.sock …`) against the private dockerd, e.g.
 * `dockerCli(['run', '--rm', '--network', 'none', 'debian:bookworm-slim', 'cat', '/etc/debian_version'])`.
 * Its client config (logins) lives in `<state>/docker-config` unless `options.env.DOCKER_CONFIG` says otherwise.
 * Rejects with the command's stderr when it exits non-zero, unless `allowFailure` is set.
 */
export function dockerCli(args: readonly string[], options: DockerCliOptions = {}): Promise<DockerCliResult> {
  const env = testEnv();
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    DOCKER_CONFIG: join(env.stateDir, 'docker-config'),
    DOCKER_CLI_HINTS: 'false',
    ...options.env,
  };
  // -H decides the daemon; a context or TLS settings from the caller's shell must not interfere.
  delete childEnv['DOCKER_HOST'];
  delete childEnv['DOCKER_CONTEXT'];
  delete childEnv['DOCKER_TLS_VERIFY'];
  const argv = ['-H', env.dockerHost, ...args];
  const shown = `docker ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(env.dockerCliPath, argv, { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timeoutMs = options.timeoutMs ?? 180_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${shown}: cannot run ${env.dockerCliPath}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: DockerCliResult = {
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (signal !== null) {
        reject(new Error(`${shown}: killed by ${signal}${signal === 'SIGKILL' ? ` after ${timeoutMs} ms` : ''}`));
      } else if (result.code !== 0 && options.allowFailure !== true) {
        reject(new Error(`${shown} exited with code ${result.code}:\n${result.stderr || result.stdout}`));
      } else {
        resolve(result);
      }
    });
    // docker may exit before reading all of it (`docker build -` stops at a tar's end-of-archive blocks, before the
    // padding after them; a command that fails early reads nothing): its exit code and stderr say what happened, so
    // the write's EPIPE is not an error of its own.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// env.json parsing

function parseEnv(raw: unknown, file: string, buildkitOverride: string | undefined): TestEnv {
  const where = (field: string): string => `${file}: field "${field}"`;
  const root = record(raw, file);
  const str = (obj: Readonly<Record<string, unknown>>, key: string, path: string): string => {
    const value = obj[key];
    if (typeof value !== 'string' || value === '') {
      throw new Error(`${where(path)} is missing or not a string. ${START_ENV_HINT}`);
    }
    return value;
  };
  const version = root['version'];
  if (version !== 1) {
    throw new Error(`${file} has format version ${String(version)}, this checkout reads version 1. ${START_ENV_HINT}`);
  }
  const bridge = record(root['bridge'], where('bridge'));
  const registry = record(root['registry'], where('registry'));
  const auth = record(root['authRegistry'], where('authRegistry'));
  const logs = record(root['logs'], where('logs'));
  const images = root['baseImages'];
  if (!Array.isArray(images)) throw new Error(`${where('baseImages')} is not a list. ${START_ENV_HINT}`);
  const mtu = bridge['mtu'];
  const envBuildkit = str(root, 'buildkitHost', 'buildkitHost');
  return {
    envFile: file,
    instance: str(root, 'instance', 'instance'),
    engine: root['engine'] === 'modern' ? 'modern' : 'debian',
    buildkitdStandIn: {
      unix: str(root, 'buildkitdStandIn', 'buildkitdStandIn'),
      tcp: str(root, 'buildkitdStandInTcp', 'buildkitdStandInTcp'),
      tls: (() => {
        const tls = record(root['buildkitdStandInTls'], where('buildkitdStandInTls'));
        const field = (k: string): string => str(tls, k, `buildkitdStandInTls.${k}`);
        return { address: field('address'), caCert: field('caCert'), cert: field('cert'), key: field('key'), serverName: field('serverName') };
      })(),
    },
    stateDir: str(root, 'stateDir', 'stateDir'),
    buildkitHost: buildkitOverride ?? envBuildkit,
    buildkitHostSource: buildkitOverride === undefined ? 'environment' : 'BUILDKIT_HOST',
    dockerSocket: str(root, 'dockerSocket', 'dockerSocket'),
    dockerHost: str(root, 'dockerHost', 'dockerHost'),
    dockerCliPath: str(root, 'dockerCli', 'dockerCli'),
    dockerDataRoot: str(root, 'dockerDataRoot', 'dockerDataRoot'),
    storageDriver: str(root, 'storageDriver', 'storageDriver'),
    bridge: {
      name: str(bridge, 'name', 'bridge.name'),
      subnet: str(bridge, 'subnet', 'bridge.subnet'),
      gateway: str(bridge, 'gateway', 'bridge.gateway'),
      mtu: typeof mtu === 'number' ? mtu : 1500,
    },
    registry: { address: str(registry, 'address', 'registry.address'), url: str(registry, 'url', 'registry.url') },
    authRegistry: {
      address: str(auth, 'address', 'authRegistry.address'),
      url: str(auth, 'url', 'authRegistry.url'),
      username: str(auth, 'username', 'authRegistry.username'),
      password: str(auth, 'password', 'authRegistry.password'),
    },
    baseImages: images.map((item: unknown, index): BaseImage => {
      const image = record(item, where(`baseImages[${index}]`));
      return {
        name: str(image, 'name', `baseImages[${index}].name`),
        reference: str(image, 'reference', `baseImages[${index}].reference`),
        mirrorReference: str(image, 'mirrorReference', `baseImages[${index}].mirrorReference`),
        digest: str(image, 'digest', `baseImages[${index}].digest`),
      };
    }),
    logs: {
      dockerd: str(logs, 'dockerd', 'logs.dockerd'),
      registry: str(logs, 'registry', 'logs.registry'),
      authRegistry: str(logs, 'authRegistry', 'logs.authRegistry'),
    },
  };
}

function record(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * How long after a cancel a step's process may take to go: the daemon (BuildKit, runc) kills it, and a busy machine —
 * `npm test` runs its passes at the same time on two cores — delays that by seconds. A step that is not cancelled
 * sleeps for minutes, so the margin still tells the two apart.
 */
export const STEP_GONE_MS = 15_000;

/**
 * Whether no process whose command line contains `marker` is left `ms` after `since` (a step's process on the local
 * daemon after a cancel). Polls `pgrep`, which never lists itself.
 */
export async function processGoneWithin(marker: string, since: number, ms: number): Promise<boolean> {
  for (;;) {
    if (spawnSync('pgrep', ['-f', marker]).status !== 0) return true;
    if (Date.now() - since >= ms) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
