import { setMaxListeners } from 'node:events';
import { Client as GrpcClient, status as GrpcStatus, type ChannelOptions } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import { diagnoseHttpListener } from './http-diagnosis.js';
import { diagnosePlainToTls, diagnoseTls } from './tls-diagnosis.js';
import type { moby } from '../proto/generated.js';
import { ControlService } from '../proto/services.js';
import { resolveAddress, type ResolvedAddress, type TlsFiles } from './address.js';
import { runBuild, type BuildOptions, type BuildOutcome, type GatewayBuildFunction, type SolveOptions } from './build.js';
import type { DefinitionSource } from './definition-source.js';
import { dockerRequest } from './docker-api.js';
import { resolveImageDigests, type ResolveImageDigestsOptions, type ResolvedImageDigest } from './image-lock.js';
import { serverStreamCall, unaryCall } from './grpc-call.js';
import { grpcCode, toKilnError } from './grpc-errors.js';
import { openTransport, type Transport } from './transport.js';
import { untilAborted } from '../until-aborted.js';

/** An OCI platform as the daemon reports it. */
export interface PlatformInfo {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string | undefined;
}

/** One worker of the daemon. */
export interface WorkerInfo {
  readonly id: string;
  readonly platforms: readonly PlatformInfo[];
  readonly labels: Readonly<Record<string, string>>;
}

/** Who the daemon is and what it can do. */
export interface DaemonInfo {
  /** `buildkitd` for a standalone daemon (or a buildx container), `dockerd` for Docker's embedded BuildKit. */
  readonly kind: 'buildkitd' | 'dockerd';
  /** The version string as reported (`v0.11.6`, or Docker's engine version for dockerd). */
  readonly version: string;
  /** BuildKit's own version when the daemon reports it (BuildKit v0.11+ answers Info; dockerd 20.10 does not). */
  readonly buildkitVersion?: string | undefined;
  /**
   * dockerd only: where its images live. `graphdriver` (the classic store: builds export with `moby` only, and
   * cache only inline) or `containerd` (the containerd image store of dockerd 24+: the `image`, `oci` and `docker`
   * exporters and every cache backend, like a standalone buildkitd; image IDs are manifest digests).
   */
  readonly imageStore?: 'graphdriver' | 'containerd' | undefined;
  /** Human description, e.g. `buildkitd v0.11.6` or `dockerd 20.10.24 (embedded BuildKit v0.8)`. */
  readonly description: string;
  readonly workers: readonly WorkerInfo[];
  /** LLB capabilities the daemon enables (from the gateway's Ping). */
  readonly llbCaps: ReadonlySet<string>;
  /** Frontend/gateway API capabilities. */
  readonly frontendCaps: ReadonlySet<string>;
}

/**
 * dockerd with its classic image store: exporters `moby`/`local`/`tar` only and inline cache export only (the
 * containerd image store and standalone buildkitd have every exporter and cache backend).
 */
export function isClassicDockerd(info: Pick<DaemonInfo, 'kind' | 'imageStore'>): boolean {
  return info.kind === 'dockerd' && info.imageStore !== 'containerd';
}

/** One record of the daemon's build cache. */
export interface CacheRecord {
  readonly id: string;
  readonly size: number;
  readonly inUse: boolean;
  readonly mutable: boolean;
  readonly shared: boolean;
  readonly description: string;
  readonly recordType: string;
  readonly parents: readonly string[];
  readonly createdAt: Date | undefined;
  readonly lastUsedAt: Date | undefined;
  readonly usageCount: number;
}

/** Options of {@link Client.prune}. */
export interface PruneOptions {
  /** Prune everything, including records that are still referenced internally (`--all`). */
  readonly all?: boolean | undefined;
  /** Keep records used within this many milliseconds. */
  readonly keepDurationMs?: number | undefined;
  /** Keep this many bytes of cache. */
  readonly keepBytes?: number | undefined;
  /** Which records to prune, in buildctl's `--filter` form (`type==regular`, `description~=pip`); default: no filter. */
  readonly filters?: readonly string[] | undefined;
  /** Cancels the prune (it rejects as `cancelled`). */
  readonly signal?: AbortSignal | undefined;
}

/** How to reach the daemon. */
export interface ConnectOptions {
  /** Daemon address (`unix://…`, `tcp://…`, `docker://…`, `docker-container://…`); default: resolved like buildx. */
  readonly address?: string | undefined;
  /** How errors name where `address` came from (default `"the address option"`; the CLI passes `"--addr"`). */
  readonly addressSource?: string | undefined;
  /** Certificates for a `tcp://` address (default: none, or a buildx builder's own). */
  readonly tls?: TlsFiles | undefined;
  /** Environment used for address resolution (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * How a daemon that stops answering without closing the connection (a frozen host, a dead network path) is noticed
   * while a call runs: kiln pings it every `intervalMs` and gives up on the connection when a ping is not answered
   * within `timeoutMs`; the calls then fail with `unavailable`. Default `{ intervalMs: 330_000, timeoutMs: 30_000 }`
   * (BuildKit's gRPC server refuses pings more often than every 5 minutes); `false` turns it off.
   */
  readonly keepalive?: { readonly intervalMs?: number | undefined; readonly timeoutMs?: number | undefined } | false | undefined;
  /** Check the daemon answers before returning (default true). */
  readonly verify?: boolean | undefined;
  /** Cancels the check that the daemon answers (`connect` rejects as `cancelled`). */
  readonly signal?: AbortSignal | undefined;
}

/** grpc-js channel options for {@link ConnectOptions.keepalive}. */
function keepaliveOptions(keepalive: ConnectOptions['keepalive']): ChannelOptions {
  if (keepalive === false) return {};
  const interval = keepalive?.intervalMs ?? 330_000;
  const timeout = keepalive?.timeoutMs ?? 30_000;
  for (const [name, value] of [['intervalMs', interval], ['timeoutMs', timeout]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new KilnError('invalid_argument', `keepalive.${name} must be a positive whole number of milliseconds, got ${String(value)}`);
  }
  // Pings only while calls run: an idle connection is not pinged (the daemon would count that against us).
  return { 'grpc.keepalive_time_ms': interval, 'grpc.keepalive_timeout_ms': timeout, 'grpc.keepalive_permit_without_calls': 0 };
}

/**
 * A connection to one BuildKit daemon (standalone buildkitd or the one embedded in dockerd).
 *
 * ```ts
 * const client = await Client.connect();            // BUILDKIT_HOST, buildx builder, buildkitd socket, or Docker
 * const info = await client.info();
 * console.log(info.description, [...info.llbCaps].length);
 * await client.close();
 * ```
 */
export class Client {
  /** The daemon's address as resolved, and where it came from (`BUILDKIT_HOST`, a buildx builder, Docker, …). */
  readonly address: ResolvedAddress;
  /**
   * The environment the client was connected with (`ConnectOptions.env`, else `process.env`). `buildImage` reads
   * `DOCKER_HOST`, `DOCKER_CONFIG`, `SSH_AUTH_SOCK`, `SOURCE_DATE_EPOCH` and `KILN_FORCE_BUILD` from it by default.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly #transport: Transport;
  readonly #grpc: GrpcClient;
  #info: Promise<DaemonInfo> | undefined;
  /** The workers `connect` listed to check the daemon answers: the first {@link info} uses them instead of asking again. */
  #connectWorkers: WorkerInfo[] | undefined;
  #closed = false;
  #closeDone: Promise<void> | undefined;
  readonly #closing = closingController();
  readonly #running = new Set<Promise<void>>();

  private constructor(address: ResolvedAddress, transport: Transport, grpc: GrpcClient, env: Readonly<Record<string, string | undefined>>) {
    this.address = address;
    this.env = env;
    this.#transport = transport;
    this.#grpc = grpc;
  }

  /** Resolves the address, opens the connection and (unless `verify: false`) checks the daemon answers. */
  static async connect(options: ConnectOptions = {}): Promise<Client> {
    const address = resolveAddress({
      explicit: options.address,
      ...(options.addressSource === undefined ? {} : { explicitSource: options.addressSource }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    });
    const keepalive = keepaliveOptions(options.keepalive);
    const transport = await openTransport(address.address, options.env ?? process.env);
    let grpc: GrpcClient;
    try {
      grpc = new GrpcClient(transport.target, transport.credentials, { ...transport.channelOptions, ...keepalive });
    } catch (err) {
      // The transport may run a proxy (Docker addresses, TLS to an IP): a failed connect must not leave it open.
      await transport.close();
      throw err;
    }
    const client = new Client(address, transport, grpc, options.env ?? process.env);
    if (options.verify !== false) {
      try {
        client.#connectWorkers = await client.listWorkers({ timeoutMs: 10_000, ...(options.signal === undefined ? {} : { signal: options.signal }) });
      } catch (err) {
        await client.close();
        const addr = address.address;
        // Through a proxy, kiln cannot probe the daemon directly: the proxy's answer is the reason.
        if (KilnError.is(err, 'unavailable') && addr.kind === 'tcp' && addr.tls !== undefined && transport.proxy === undefined) {
          const tls = await diagnoseTls(addr.host, addr.port, addr.tls);
          if (tls !== undefined) {
            throw new KilnError('unavailable', `cannot connect to the BuildKit daemon at ${address.text} (chosen from ${address.source}) over TLS: ${tls.why}`, {
              cause: err,
              hint: tls.hint,
            });
          }
        }
        if (KilnError.is(err, 'unavailable') && addr.kind === 'tcp' && addr.tls === undefined && transport.proxy === undefined) {
          const tls = await diagnosePlainToTls(addr.host, addr.port);
          if (tls !== undefined) {
            throw new KilnError('unavailable', `cannot connect to the BuildKit daemon at ${address.text} (chosen from ${address.source}): ${tls.why}`, {
              cause: err,
              hint: tls.hint,
            });
          }
        }
        if (!KilnError.is(err, 'cancelled')) {
          const http = await diagnoseHttpListener(addr);
          if (http !== undefined) {
            throw new KilnError('unavailable', `cannot use ${address.text} (chosen from ${address.source}): ${http.why}`, { cause: err, hint: http.hint });
          }
        }
        throw err;
      }
    }
    return client;
  }

  /** @internal The raw grpc-js client (for kiln's own modules). */
  get grpc(): GrpcClient {
    return this.#grpc;
  }

  /**
   * @internal Normalises an error from a call on this connection. `wasConnected`: the daemon answered earlier in the
   * same operation, so an unreachable daemon is a lost connection.
   */
  error(err: unknown, action: string, options: { readonly wasConnected?: boolean | undefined } = {}): KilnError {
    return toKilnError(err, {
      action,
      address: this.address.text,
      addressSource: this.address.source,
      dialError: this.#transport.lastDialError(),
      wasConnected: options.wasConnected,
    });
  }

  /** Lists the daemon's workers and their platforms. */
  async listWorkers(settings: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } = {}): Promise<WorkerInfo[]> {
    this.#ensureOpen();
    try {
      const res = await unaryCall(this.#grpc, ControlService.ListWorkers, {}, { timeoutMs: settings.timeoutMs ?? 30_000, signal: settings.signal });
      return (res.record ?? []).map(toWorkerInfo);
    } catch (err) {
      throw this.error(err, 'listing workers');
    }
  }

  /**
   * Who the daemon is: kind, version, workers and LLB caps. The caps come from a short gateway session (a build that
   * builds nothing), so the first call costs one round trip; the result is cached for this connection.
   */
  info(options: { signal?: AbortSignal | undefined } = {}): Promise<DaemonInfo> {
    // One load shared by every caller, so it runs under the connection's own lifetime: a caller's signal only stops
    // that caller's wait (cancelling one build must not fail the others asking at the same time).
    if (this.#info === undefined) {
      // Bounded, so that a daemon that accepts but never answers cannot hold every later caller.
      const limit = AbortSignal.timeout(INFO_TIMEOUT_MS);
      const loading = this.#loadInfo(AbortSignal.any([this.#closing.signal, limit])).catch((err: unknown) => {
        if (!limit.aborted || this.#closing.signal.aborted) throw err;
        throw new KilnError('unavailable', `the daemon at ${this.address.text} (chosen from ${this.address.source}) did not say what it is within ${INFO_TIMEOUT_MS / 1000} s`, {
          cause: err,
          hint: 'It accepts connections but does not answer: check that it is not overloaded or stuck (its logs), or point kiln at another daemon.',
          details: { addressSource: this.address.source },
        });
      });
      this.#info = loading;
      loading.catch(() => {
        if (this.#info === loading) this.#info = undefined;
      });
    }
    const { signal } = options;
    return untilAborted(this.#info, signal, () => new KilnError('cancelled', 'asking the daemon what it is was cancelled', { cause: signal?.reason }));
  }

  async #loadInfo(signal: AbortSignal | undefined): Promise<DaemonInfo> {
    // The calls do not depend on each other: asked at once, so that a build waits one round trip (the caps' short
    // session) before it starts rather than four in a row. Their errors are still reported in this order. The workers
    // listed by connect are taken as they are (once: a later info() after a failed one asks again).
    const connectWorkers = this.#connectWorkers;
    this.#connectWorkers = undefined;
    const listing = connectWorkers === undefined ? this.listWorkers(signal === undefined ? {} : { signal }) : Promise.resolve(connectWorkers);
    const asking = unaryCall(this.#grpc, ControlService.Info, {}, { timeoutMs: 10_000, signal });
    // The caps' session is stopped when an earlier answer already failed info(), not left to run on its own.
    const stopProbe = new AbortController();
    const probeSignal = signal === undefined ? stopProbe.signal : AbortSignal.any([signal, stopProbe.signal]);
    const probing = runBuild(this, { probe: true, gateway: async () => ({}), signal: probeSignal });
    const engine = this.#dockerEngineVersion();
    // Awaited one by one below: one that fails while an earlier one is awaited must not be an unhandled rejection.
    for (const p of [listing, asking, probing]) p.catch(() => undefined);
    let workers: WorkerInfo[];
    let kind: DaemonInfo['kind'] = this.address.address.kind === 'docker' ? 'dockerd' : 'buildkitd';
    let buildkitVersion: string | undefined;
    try {
      workers = await listing;
      try {
        const res = await asking;
        buildkitVersion = res.buildkitVersion?.version || undefined;
      } catch (err) {
        if (grpcCode(err) !== GrpcStatus.UNIMPLEMENTED) throw this.error(err, 'asking the daemon for its version');
        // BuildKit before v0.11 has no Info call: dockerd 20.10's embedded BuildKit (v0.8) is the common case.
        if (workers.some((w) => w.id === 'moby')) kind = 'dockerd';
      }
    } catch (err) {
      stopProbe.abort();
      throw err;
    }
    const caps = await probing;
    const base = { kind, workers, llbCaps: caps.llbCaps, frontendCaps: caps.frontendCaps, ...(buildkitVersion === undefined ? {} : { buildkitVersion }) };
    if (kind === 'buildkitd') {
      const version = buildkitVersion ?? 'before v0.11';
      return { ...base, version, description: `buildkitd ${version}` };
    }
    // dockerd's classic store has the one worker called "moby"; with the containerd image store dockerd runs
    // BuildKit's containerd worker instead.
    const imageStore = workers.length > 0 && workers.every((w) => w.id === 'moby') ? 'graphdriver' : 'containerd';
    const version = (await engine) ?? buildkitVersion ?? 'unknown';
    // Distribution builds of dockerd may report BuildKit as v0.0.0+unknown; 20.10 embeds v0.8 and has no Info call.
    const known = buildkitVersion !== undefined && !buildkitVersion.startsWith('v0.0.0') ? buildkitVersion : undefined;
    const embedded = known ?? (buildkitVersion === undefined && version.startsWith('20.10') ? 'v0.8' : undefined);
    const description = `dockerd ${version} (embedded BuildKit${embedded === undefined ? '' : ` ${embedded}`}${imageStore === 'containerd' ? ', containerd image store' : ''})`;
    return { ...base, version, imageStore, description };
  }

  async #dockerEngineVersion(): Promise<string | undefined> {
    const addr = this.address.address;
    if (addr.kind !== 'docker') return undefined;
    // Only for the description: an engine that does not answer (in 5 s), or answers without a version, leaves it out.
    try {
      const { text } = await dockerRequest(addr.endpoint, { method: 'GET', path: '/version', signal: AbortSignal.timeout(5000) });
      const parsed = JSON.parse(text) as { Version?: unknown };
      return typeof parsed.Version === 'string' ? parsed.Version : undefined;
    } catch {
      return undefined;
    }
  }

  /** Disk usage of the build cache. */
  async diskUsage(options: { filters?: readonly string[] | undefined; signal?: AbortSignal | undefined } = {}): Promise<CacheRecord[]> {
    this.#ensureOpen();
    try {
      const res = await unaryCall(this.#grpc, ControlService.DiskUsage, { filter: [...(options.filters ?? [])] }, { signal: options.signal });
      return (res.record ?? []).map(toCacheRecord);
    } catch (err) {
      throw this.error(err, 'reading disk usage');
    }
  }

  /** Prunes the build cache; resolves with the records removed. */
  async prune(options: PruneOptions = {}): Promise<CacheRecord[]> {
    this.#ensureOpen();
    const removed: CacheRecord[] = [];
    try {
      const call = serverStreamCall(
        this.#grpc,
        ControlService.Prune,
        {
          filter: [...(options.filters ?? [])],
          all: options.all === true,
          keepDuration: Math.round((options.keepDurationMs ?? 0) * 1e6),
          keepBytes: options.keepBytes ?? 0,
        },
        { signal: options.signal },
      );
      for await (const rec of call as AsyncIterable<moby.buildkit.v1.UsageRecord>) removed.push(toCacheRecord(rec));
    } catch (err) {
      throw this.error(err, 'pruning the build cache');
    }
    return removed;
  }

  /**
   * Runs a build through the gateway: `fn` gets a {@link Gateway} to resolve image configs and solve definitions, and
   * returns the result (a ref plus metadata such as `containerimage.config`), which the daemon then exports.
   */
  async build(options: BuildOptions, fn: GatewayBuildFunction): Promise<BuildOutcome> {
    this.#ensureOpen();
    return runBuild(this, { ...options, gateway: fn });
  }

  /** Solves a plain Definition (no gateway; no image config can be attached on dockerd). */
  async solve(definition: DefinitionSource, options: SolveOptions = {}): Promise<BuildOutcome> {
    this.#ensureOpen();
    return runBuild(this, { ...options, definition });
  }

  /**
   * Resolves the base images of `definition` (every `docker-image://` source without a digest) to manifest
   * digests through the daemon, without building anything: what a lock file records. Fold the result into a lock
   * (`lock.with(ref, platform, digest)`) and pass the lock as `imagePins` to later builds.
   *
   * @example
   * const found = await client.resolveImageDigests(marshal(state));
   * const lock = found.reduce((l, f) => (f.digest === undefined ? l : l.with(f.ref, f.platform, f.digest)), ImageLock.empty());
   */
  async resolveImageDigests(
    definition: DefinitionSource,
    options: ResolveImageDigestsOptions & Pick<SolveOptions, 'onStatus' | 'signal' | 'sessionServices'> = {},
  ): Promise<ResolvedImageDigest[]> {
    this.#ensureOpen();
    let found: ResolvedImageDigest[] = [];
    const { onStatus, signal, sessionServices, ...resolveOptions } = options;
    await runBuild(this, {
      probe: true,
      ...(onStatus === undefined ? {} : { onStatus }),
      ...(signal === undefined ? {} : { signal }),
      ...(sessionServices === undefined ? {} : { sessionServices }),
      gateway: async (gw) => {
        found = await resolveImageDigests(gw, definition, resolveOptions);
        return {};
      },
    });
    return found;
  }

  #ensureOpen(): void {
    if (this.#closed) throw new KilnError('invalid_argument', 'this kiln Client is closed', { hint: 'Connect again with Client.connect().' });
  }

  /** @internal Aborted when {@link Client.close} starts: builds still running cancel on the daemon. */
  get closeSignal(): AbortSignal {
    return this.#closing.signal;
  }

  /** @internal Registers a build so that {@link Client.close} waits for its cancellation to reach the daemon. */
  track<T>(build: Promise<T>): Promise<T> {
    const settled = build.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(settled);
    void settled.then(() => this.#running.delete(settled));
    return build;
  }

  /**
   * Closes the connection and any helper proxy. Builds still running are cancelled first (on the daemon too) and
   * reject with a `cancelled` KilnError. Every call, including one made while a close is under way, resolves once
   * that is done.
   */
  close(): Promise<void> {
    // Every caller waits for the same close (a service's shutdown hooks may call it from several places).
    this.#closed = true;
    this.#closeDone ??= this.#close();
    return this.#closeDone;
  }

  async #close(): Promise<void> {
    this.#closing.abort(new KilnError('cancelled', 'the kiln Client was closed'));
    if (this.#running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(this.#running), new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
    }
    this.#grpc.close();
    await this.#transport.close();
  }
}

/** How long the first `info()` of a connection may take (workers, version, a probe for caps: a few round trips). */
const INFO_TIMEOUT_MS = 60_000;

/** The controller a Client aborts when it closes; every build on the client listens to it, however many run at once. */
function closingController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** @internal */
export function toWorkerInfo(w: moby.buildkit.v1.types.WorkerRecord.$Properties): WorkerInfo {
  return {
    id: w.ID ?? '',
    labels: { ...(w.Labels ?? {}) },
    platforms: (w.platforms ?? []).map((p) => {
      const out: { -readonly [K in keyof PlatformInfo]: PlatformInfo[K] } = { os: p.OS ?? '', architecture: p.Architecture ?? '' };
      if (p.Variant) out.variant = p.Variant;
      return out;
    }),
  };
}

function tsToDate(ts: { seconds?: number | null; nanos?: number | null } | null | undefined): Date | undefined {
  if (ts === null || ts === undefined) return undefined;
  return new Date(Number(ts.seconds ?? 0) * 1000 + Math.floor(Number(ts.nanos ?? 0) / 1e6));
}

function toCacheRecord(r: moby.buildkit.v1.UsageRecord.$Properties): CacheRecord {
  return {
    id: r.ID ?? '',
    size: Number(r.Size ?? 0),
    inUse: r.InUse === true,
    mutable: r.Mutable === true,
    shared: r.Shared === true,
    description: r.Description ?? '',
    recordType: r.RecordType ?? '',
    parents: [...(r.Parents ?? []), ...(r.Parent ? [r.Parent] : [])],
    createdAt: tsToDate(r.CreatedAt),
    lastUsedAt: tsToDate(r.LastUsedAt),
    usageCount: Number(r.UsageCount ?? 0),
  };
}
