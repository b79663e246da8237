import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { status as GrpcStatus, type ServerWritableStream, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { onAbort } from '../abort-fanout.js';
import { KilnError } from '../errors.js';
import type { StatusEvent } from '../progress/events.js';
import { failedSteps, stepLogLines } from '../progress/failure-logs.js';
import { INITIAL_PROGRESS_STATE, isCompleted, isStarted, numberedSteps, reduce, type ProgressState } from '../progress/model.js';
import type { grpc as grpcPb, moby, pb } from '../proto/generated.js';
import { ContentService, ControlService, HealthService, LLBBridgeService } from '../proto/services.js';
import { SessionServer, type SessionService } from '../session/session-server.js';
import { stampConfigJson } from '../image/oci-config.js';
import type { ImagePinLookup } from '../llb/image-sources.js';
import { parseImageRef } from '../llb/image-ref.js';
import { formatPlatform, normalizePlatform } from '../llb/platform.js';
import { parseSourceDateEpoch } from '../llb/rewrite.js';
import { toWorkerInfo, type Client, type WorkerInfo } from './client.js';
import type { DefinitionSource } from './definition-source.js';
import { definitionMessage } from './definition.js';
import { applyDefinitionPolicies, checkSourceDateEpoch, reproducibilityAttrs, type DefinitionPolicies } from './definition-policies.js';
import { prepareLocalCache, readsImageManifestCache, type LocalCacheExport } from './local-cache.js';
import { contentService } from '../session/content-service.js';
import { DirectoryContentStore, type ContentStore } from '../session/content-store.js';
import { progressNote } from './progress-note.js';
import { cancelledStepsEvent, interruptedStepsEvent, runningStepKeys } from '../progress/interrupted-steps.js';
import { serverStreamCall, unaryCall } from './grpc-call.js';
import { newIdentifier } from './ids.js';
import { openDockerSession } from './docker-session.js';
import { openSessionTunnel } from './session-tunnel.js';
import { toStatusEvent } from './status-mapper.js';
import { connectionReady } from './connection-ready.js';
import { grpcCode, isConnectFailure } from './grpc-errors.js';
import { readStatus, type DrainResult, type StatusReader } from './status-reader.js';
import type { ProcessExit, ProcessIO, ProcessSpec } from './process-spec.js';
import { ABORT_MODE_RULE, isAbortMode, type AbortMode, type ProcessControl } from './process-control.js';
import { runInResult } from './gateway-container.js';
import { failedStepOf, isStepFailure } from './failed-step.js';
import type { FailedStep } from './failed-step-types.js';

/** An exporter and its attributes, as the daemon names them (`image`, `moby`, `local`, `tar`, `oci`, `docker`). */
export interface ExporterSpec {
  readonly type: string;
  readonly attrs?: Readonly<Record<string, string>> | undefined;
}

/** A cache backend for import or export (`registry`, `inline`, `local`, `gha`, `s3`, `azblob`) with its attributes. */
export interface CacheEntry {
  readonly type: string;
  readonly attrs: Readonly<Record<string, string>>;
}

/** Privileges a build may ask for; the daemon must also allow them. */
export type Entitlement = 'network.host' | 'security.insecure';

/** Options shared by gateway builds and plain definition solves. */
export interface SolveOptions {
  /** Where the daemon exports the result (`{ type: 'moby', attrs: { name } }`, …); default: nothing is exported. */
  readonly exporter?: ExporterSpec | undefined;
  /**
   * Cache to export. `type=local,dest=DIR` is served from this machine: kiln stores the blobs in DIR (an OCI
   * layout) and records the cache in `DIR/index.json` under `tag` (default `latest`); dockerd 20.10 cannot export it.
   */
  readonly cacheExports?: readonly CacheEntry[] | undefined;
  /**
   * Cache to import; applied to every gateway solve as well as to the Control request. `type=local,src=DIR` reads the
   * entry tagged `tag` (default `latest`) in `DIR/index.json`; a directory without one is skipped with a progress note.
   */
  readonly cacheImports?: readonly CacheEntry[] | undefined;
  /** Privileges the build asks for (`network.host`, `security.insecure`); the daemon must also allow them. */
  readonly entitlements?: readonly Entitlement[] | undefined;
  /** Attributes sent to the daemon with the solve request (`build-arg:NAME`, …), as buildctl's `--opt`. */
  readonly frontendAttrs?: Readonly<Record<string, string>> | undefined;
  /** Extra services served on the session (file sync, exports, auth, secrets, ssh). Health is always served. */
  readonly sessionServices?: readonly SessionService[] | undefined;
  /** Stable key for local-source transfer reuse. */
  readonly sharedKey?: string | undefined;
  /**
   * How the session reaches the daemon. `auto` (default): on a `docker://` address dockerd's own `/session`
   * endpoint (a dedicated upgraded connection, as the Docker CLI uses: file transfers are much faster), elsewhere
   * the `Control.Session` stream. `control-session`: always the `Control.Session` stream.
   */
  readonly sessionTransport?: 'auto' | 'control-session' | undefined;
  /**
   * Receives every status event as it arrives (progress display). When it returns a promise, the next status message
   * is read only after it settles, so a slow display slows the stream instead of buffering it. The build's promise
   * settles after the last call: a successful build waits until every message the daemon sent was handled (see
   * {@link BuildOutcome.progressComplete}).
   */
  readonly onStatus?: ((event: StatusEvent) => unknown) | undefined;
  /** Cancels the build: the daemon stops the running step and the build rejects as `cancelled`. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Unix time (seconds) that makes the build reproducible, the `SOURCE_DATE_EPOCH` convention (default: that
   * variable in the client's environment, {@link Client.env}, when set and not empty). Every definition the build
   * solves gets it as the time of the files its file ops write (copies, new files and directories that set no
   * time), an image config returned as `containerimage.config` metadata gets it as `created` (and on the history
   * entries without a time), and the daemon is sent `build-arg:SOURCE_DATE_EPOCH`, which BuildKit v0.11+ passes to its
   * exporters. Limits (BuildKit's, dockerd 20.10 included): files written by run steps keep the time they were
   * written at, and on BuildKit before v0.12 a directory a copy merely creates to hold what it copies gets the build
   * time when the destination is written with a trailing slash (`/app/`); a whole source root copied to `/app` is
   * copied *as* that directory, so it takes the epoch too.
   */
  readonly sourceDateEpoch?: number | undefined;
  /**
   * Base image pins (a lock file's `ImageLock` fits): every `docker-image://` source without a digest that has a pin
   * for its reference and platform is built from `name:tag@<digest>`, in every definition the build solves, and
   * {@link Gateway.resolveImageConfig} resolves pinned references at their digest.
   */
  readonly imagePins?: ImagePinLookup | undefined;
  /**
   * OCI image layout directories the definition reads images from (`oci-layout://` sources, `llb.ociLayout`), by
   * store id: each is served on the session, read-only, as the content store `oci:<id>`. `buildImage` passes those of
   * the image (`CompiledImage.ociLayouts`).
   */
  readonly ociLayouts?: ReadonlyMap<string, string> | undefined;
}

/** Options of a gateway build. */
export type BuildOptions = SolveOptions;

/** A build result held by the daemon, produced by {@link Gateway.solve}. */
export interface GatewayRef {
  readonly id: string;
}

/**
 * What a gateway build function returns: the result ref (absent = nothing to export) and exporter metadata; or, for a
 * multi-platform result, one ref per platform id in `refs` (with `refs.platforms` and `containerimage.config/<id>`
 * metadata).
 */
export interface GatewayResult {
  readonly ref?: GatewayRef | undefined;
  /** One ref per key (a multi-platform result: the platform ids `refs.platforms` lists). Not together with `ref`. */
  readonly refs?: Readonly<Record<string, GatewayRef>> | undefined;
  /** Exporter metadata, e.g. `containerimage.config` → the OCI image config JSON. */
  readonly metadata?: Readonly<Record<string, Uint8Array | string>> | undefined;
}

/** The image config the daemon resolved for a reference. */
export interface ResolvedImageConfig {
  /** Manifest digest the reference resolved to. */
  readonly digest: string;
  /** Raw OCI image config JSON. */
  readonly config: Uint8Array;
}

/** Gateway calls available to a build function while the build runs. */
export interface Gateway {
  readonly llbCaps: ReadonlySet<string>;
  readonly frontendCaps: ReadonlySet<string>;
  readonly workers: readonly WorkerInfo[];
  /** Aborted when the build is cancelled or fails. */
  readonly signal: AbortSignal;
  /** Solves a definition on the daemon; `evaluate` (default true) builds it now so errors surface here. */
  solve(definition: DefinitionSource, options?: { readonly evaluate?: boolean | undefined }): Promise<GatewayRef>;
  /** Resolves an image reference to its digest and config through the daemon (mirrors and credentials apply). */
  resolveImageConfig(
    ref: string,
    options?: {
      readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string | undefined } | undefined;
      readonly resolveMode?: 'default' | 'pull' | 'local' | undefined;
      readonly logName?: string | undefined;
    },
  ): Promise<ResolvedImageConfig>;
  /** Reads a file from a solved result. */
  readFile(ref: GatewayRef, path: string): Promise<Uint8Array>;
  /**
   * The file mode of a path of a solved result (Go `os.FileMode` bits: `0x80000000` a directory), its symbolic links
   * resolved by the daemon inside the result, and its owner and group; fails when there is nothing there.
   */
  statFile(ref: GatewayRef, path: string): Promise<{ readonly mode: number; readonly uid: number; readonly gid: number }>;
  /**
   * Runs a command in a container whose root filesystem is a writable copy of a solved result (nothing it writes is
   * kept), streams its output to `io` and resolves with its exit code once it ends; the container is released then.
   * An abort of `signal` stops a running command as `docker stop` does where the daemon can signal (BuildKit v0.10+):
   * `TERM` (or `control`'s stop signal), `KILL` if it has not exited 10 s (`control`'s stop timeout) later; then the
   * container is released and this rejects as `cancelled`. `options.abortMode: 'release'` releases the container at
   * once, which kills the command, as every abort does on BuildKit v0.8 and before the command has started. The image
   * config is not applied: pass its env, working directory and user in `process`. Needs the daemon's `gateway.exec`
   * capability (BuildKit v0.8+), else fails as `unsupported`. `control` (a {@link ProcessControl}) carries terminal
   * resizes and signals to the running process.
   */
  runProcess(ref: GatewayRef, process: ProcessSpec, io: ProcessIO, signal?: AbortSignal, control?: ProcessControl, options?: RunProcessOptions): Promise<ProcessExit>;
  /**
   * The step an error of {@link solve} failed in, to run a command in it while this build holds it (see
   * {@link FailedStep}); `undefined` when the error is no failed step (a cancellation, a lost daemon). On a daemon that
   * does not report the step (dockerd 20.10), one whose `canRun` is false and whose `unavailable` says why.
   */
  failedStep(error: unknown): Promise<FailedStep | undefined>;
}

/** {@link Gateway.runProcess}'s options. */
export interface RunProcessOptions {
  /** What an abort of its `signal` does to a running command: `'stop'` (default), as `docker stop`, or `'release'`, at once. */
  readonly abortMode?: AbortMode | undefined;
}

/** The function that drives a gateway build. */
export type GatewayBuildFunction = (gateway: Gateway) => Promise<GatewayResult>;

/** What a finished build reports. */
export interface BuildOutcome {
  /** The build's ref (also its Status key). */
  readonly ref: string;
  /** The exporter's response (`containerimage.digest`, `image.name`, …). */
  readonly exporterResponse: Readonly<Record<string, string>>;
  readonly llbCaps: ReadonlySet<string>;
  readonly frontendCaps: ReadonlySet<string>;
  /** The final progress state (every step, its logs, cached flags). */
  readonly progress: ProgressState;
  /**
   * True when `progress` holds everything the daemon reported: it closed the status stream after the build. False
   * when it stopped sending without closing the stream (kiln then waits a few seconds, and a progress note says the
   * last output may be missing) or the stream failed.
   */
  readonly progressComplete: boolean;
  readonly durationMs: number;
  /** `type=local` cache exports recorded in their directory's `index.json`. */
  readonly localCacheExports: readonly LocalCacheExport[];
}

/** @internal What {@link runBuild} runs. */
export interface RunRequest extends SolveOptions {
  readonly gateway?: GatewayBuildFunction;
  readonly definition?: DefinitionSource;
  /** A build that only asks the daemon something (caps, image digests): environment defaults do not apply. */
  readonly probe?: boolean;
}

const HEALTH_SERVING = 1;
/**
 * How long a build waits for a connection in reconnect backoff to come back (grpc-js retries at least every 2 s on
 * every address but docker-container://: `QUICK_RECONNECT` in transport.ts), and so at most how much later a daemon
 * that is down is reported.
 */
const CONNECTION_WAIT_MS = 3000;

/**
 * A key that stays the same across builds from this machine and directory: the daemon reuses its copy of a local
 * source from the previous build when the source's name, shared-key hint and this key match, and then transfers only
 * what changed.
 */
function defaultSharedKey(): string {
  return createHash('sha256').update(`${hostname()}\0${process.cwd()}`).digest('hex').slice(0, 32);
}

/** The Health service every session serves: the daemon checks it every second (dockerd) and kills the session on failure. */
export function healthService(): SessionService {
  return {
    definition: HealthService,
    implementation: {
      Check(_call: ServerUnaryCall<grpcPb.health.v1.HealthCheckRequest, unknown>, cb: sendUnaryData<grpcPb.health.v1.HealthCheckResponse.$Properties>) {
        cb(null, { status: HEALTH_SERVING });
      },
      Watch(call: ServerWritableStream<grpcPb.health.v1.HealthCheckRequest, grpcPb.health.v1.HealthCheckResponse.$Properties>) {
        call.write({ status: HEALTH_SERVING });
      },
    },
  };
}

function capSet(caps: readonly moby.buildkit.v1.apicaps.APICap.$Properties[] | null | undefined): Set<string> {
  const out = new Set<string>();
  for (const c of caps ?? []) if (c.Enabled === true && c.ID) out.add(c.ID);
  return out;
}

/**
 * @internal
 * Runs one solve end to end: session, status stream, Control.Solve and (for gateway builds) the LLB bridge. Closing
 * the client cancels it.
 */
export function runBuild(client: Client, req: RunRequest): Promise<BuildOutcome> {
  return client.track(runTrackedBuild(client, req));
}

async function runTrackedBuild(client: Client, req: RunRequest): Promise<BuildOutcome> {
  const started = Date.now();
  const ref = newIdentifier();
  const sessionId = newIdentifier();
  const controller = new AbortController();
  const signal = controller.signal;
  const onUserAbort = (): void => controller.abort(req.signal?.reason);
  const onClose = (): void => controller.abort(client.closeSignal.reason);
  const cancelledBefore = cancelReason(req.signal, client);
  if (cancelledBefore !== undefined) throw cancelledError(cancelledBefore.reason);
  const epoch =
    req.sourceDateEpoch !== undefined
      ? checkSourceDateEpoch(req.sourceDateEpoch, req.gateway === undefined ? client.solve : client.build)
      : req.probe === true
        ? undefined
        : parseSourceDateEpoch(client.env['SOURCE_DATE_EPOCH']);
  const localCache = await prepareLocalCache(req.cacheImports ?? [], req.cacheExports ?? [], undefined, {
    readsImageManifestCache: async () => readsImageManifestCache(await client.info(req.signal === undefined ? {} : { signal: req.signal })),
  });
  const services = [healthService(), ...(req.sessionServices ?? [])];
  // One Content service for every store the daemon reads or writes: local cache directories and OCI layouts.
  const stores = new Map<string, ContentStore>(localCache.stores);
  for (const [id, dir] of req.ociLayouts ?? []) stores.set(`oci:${id}`, new DirectoryContentStore(dir, { writable: false }));
  if (stores.size > 0) {
    if (services.some((s) => s.definition === ContentService)) {
      await localCache.close();
      const what = localCache.stores.size > 0 ? 'type=local cache needs' : 'an OCI layout base image (oci-layout://) needs';
      throw new KilnError('invalid_argument', `${what} kiln's own Content service on the session, but sessionServices already has one`, {
        hint: localCache.stores.size > 0 ? 'Drop the Content service from sessionServices, or use another cache type.' : 'Drop the Content service from sessionServices: kiln serves the layout itself.',
      });
    }
    services.push(contentService(stores));
  }
  // Cancelled (or the client closed) while the cache was prepared: the listeners below would never hear of it.
  const cancelledWhilePreparing = cancelReason(req.signal, client);
  if (cancelledWhilePreparing !== undefined) {
    await localCache.close();
    throw cancelledError(cancelledWhilePreparing.reason);
  }
  // One listener on a signal however many builds share it (a service's shutdown signal).
  const stopHearingUser = req.signal === undefined ? () => {} : onAbort(req.signal, onUserAbort);
  client.closeSignal.addEventListener('abort', onClose, { once: true });

  const server = new SessionServer(services);
  const identity = { id: sessionId, sharedKey: req.sharedKey ?? defaultSharedKey() };
  // On dockerd the session gets its own upgraded connection (`/session`), like the Docker CLI's: no tunnel layer.
  const daemonAddress = client.address.address;
  const viaDocker = daemonAddress.kind === 'docker' && req.sessionTransport !== 'control-session';
  // A connection in reconnect backoff (the daemon was restarted) would fail the build's first calls at once: wait
  // for its next attempt first. The `Control.Session` tunnel is such a call; dockerd's `/session` is dialled afresh,
  // and fails at once when dockerd is down, so there the wait comes after it.
  if (!viaDocker) await connectionReady(client.grpc, CONNECTION_WAIT_MS, signal);
  const tunnel = viaDocker ? openDockerSession(daemonAddress.endpoint, identity, server) : openSessionTunnel(client.grpc, identity, server);
  let progress = INITIAL_PROGRESS_STATE;
  // The vertexes of the definitions this build solved: a failed vertex outside them is the daemon's own work
  // (exporting, pushing, importing or exporting cache), not a step of the build.
  const ownVertexes = new Set<string>();
  let statusReader: StatusReader | undefined;
  /** Whether the daemon reported anything on the status stream (it has none to end for a job that never started). */
  let statusSeen = false;
  let llbCaps: ReadonlySet<string> = new Set();
  let frontendCaps: ReadonlySet<string> = new Set();
  let listenerError: KilnError | undefined;
  /** Control.Solve was called and has returned or failed: the daemon is done with the job. */
  let solveSettled = false;
  /** The build session is up: the daemon answered, and a connection failing from now on was lost on the way. */
  let sessionUp = false;
  /**
   * Takes an event into the build's progress state, then hands it to onStatus; an onStatus that throws stops the build
   * (a bug in the caller's code: never swallowed). Every event goes through here, the daemon's and those kiln makes up.
   */
  const deliver = async (event: StatusEvent): Promise<void> => {
    progress = reduce(progress, event);
    if (listenerError !== undefined) return;
    try {
      await req.onStatus?.(event);
    } catch (err) {
      listenerError = new KilnError('internal', `the onStatus callback threw: ${err instanceof Error ? err.message : String(err)}; the build was stopped`, { cause: err });
      controller.abort(listenerError);
    }
  };

  try {
    await raceAbort(tunnel.ready, signal, 'opening the build session').catch((err: unknown) => {
      // Never connected (a missing socket with `verify: false`): say so as every other unreachable daemon is said.
      const cause = KilnError.is(err, 'unavailable') ? err.cause : undefined;
      if (grpcCode(cause) === GrpcStatus.UNAVAILABLE || isConnectFailure(cause)) throw client.error(cause, 'opening the build session');
      throw err;
    });
    sessionUp = true;
    if (viaDocker) await connectionReady(client.grpc, CONNECTION_WAIT_MS, signal);
    if (localCache.notes.length > 0) {
      await deliver(progressNote('[kiln] import cache', localCache.notes));
    }

    // Not tied to `signal`: after a cancel the daemon still reports the steps it stopped ("context canceled"), and the
    // final progress state should say so. The stream ends with the job; the reader is stopped in `finally` at the latest.
    const status = serverStreamCall(client.grpc, ControlService.Status, { Ref: ref }, {});
    statusReader = readStatus<moby.buildkit.v1.StatusResponse>(status, async (msg) => {
      statusSeen = true;
      await deliver(toStatusEvent(msg));
    });

    const solveRequest: moby.buildkit.v1.SolveRequest.$Properties = {
      Ref: ref,
      Session: sessionId,
      Exporter: req.exporter?.type ?? '',
      ExporterAttrs: { ...(req.exporter?.attrs ?? {}) },
      Frontend: '',
      FrontendAttrs: reproducibilityAttrs(req.frontendAttrs ?? {}, epoch),
      Entitlements: [...(req.entitlements ?? [])],
      Cache: {
        Exports: localCache.exports.map((c) => ({ Type: c.type, Attrs: { ...c.attrs } })),
        Imports: localCache.imports.map((c) => ({ Type: c.type, Attrs: { ...c.attrs } })),
      },
    };
    const policies: DefinitionPolicies = {
      ...(epoch === undefined ? {} : { sourceDateEpoch: epoch }),
      ...(req.imagePins === undefined ? {} : { imagePins: req.imagePins }),
    };
    if (req.definition !== undefined) {
      const defaultPlatform = req.imagePins === undefined ? undefined : await daemonPlatform(client, signal);
      const prepared = applyDefinitionPolicies(req.definition, { ...policies, ...(defaultPlatform === undefined ? {} : { defaultPlatform }) });
      const message = definitionMessage(prepared.definition);
      addOpDigests(ownVertexes, message);
      solveRequest.Definition = message;
    }
    const solve = unaryCall(client.grpc, ControlService.Solve, solveRequest, { signal });
    solve.then(
      () => {
        solveSettled = true;
      },
      () => {
        solveSettled = true;
      },
    );

    if (req.gateway !== undefined) {
      const bridge = { 'buildkit-controlapi-buildid': ref };
      const pong = await pingBridge(client, bridge, signal, () => solveSettled, solve);
      llbCaps = capSet(pong.LLBCaps);
      frontendCaps = capSet(pong.FrontendAPICaps);
      const useRefArray = frontendCaps.has('proto.refarray');
      const gateway = makeGateway(client, bridge, signal, llbCaps, frontendCaps, pong, localCache.imports, policies, ownVertexes);
      let result: GatewayResult;
      try {
        result = await req.gateway(gateway);
      } catch (err) {
        // Cancelling the Control.Solve call already stops everything on the daemon; otherwise hand the error
        // to the daemon so that Solve ends with it.
        if (!signal.aborted) {
          await unaryCall(
            client.grpc,
            LLBBridgeService.Return,
            { error: { code: GrpcStatus.UNKNOWN, message: err instanceof Error ? err.message : String(err) } },
            { metadata: bridge, timeoutMs: 10_000 },
          ).catch(() => {});
          await solve.catch(() => {});
        }
        throw err;
      }
      const metadata: Record<string, Uint8Array> = {};
      for (const [k, given] of Object.entries(result.metadata ?? {})) {
        const v = epoch !== undefined && (k === 'containerimage.config' || k.startsWith('containerimage.config/')) ? stampConfigJson(given, epoch) : given;
        metadata[k] = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
      }
      if (result.refs !== undefined && result.ref !== undefined) {
        throw new KilnError('invalid_argument', 'a gateway build function returned both ref and refs; return one (refs for one ref per platform)');
      }
      const id = result.ref?.id ?? '';
      const refs = result.refs === undefined ? undefined : Object.entries(result.refs);
      const returned: moby.buildkit.v1.frontend.Result.$Properties =
        refs === undefined
          ? useRefArray
            ? { ref: { id }, metadata }
            : { refDeprecated: id, metadata }
          : useRefArray
            ? { refs: { refs: Object.fromEntries(refs.map(([k, r]) => [k, { id: r.id }])) }, metadata }
            : { refsDeprecated: { refs: Object.fromEntries(refs.map(([k, r]) => [k, r.id])) }, metadata };
      await unaryCall(client.grpc, LLBBridgeService.Return, { result: returned }, { metadata: bridge, signal });
    }

    const response = await solve;
    const exporterResponse = { ...(response.ExporterResponse ?? {}) };
    const localCacheExports = await localCache.finish(exporterResponse);
    // Every status message the daemon still has goes to onStatus and into the final progress, however slow the
    // consumer: the build's result waits for the stream's end, or for the daemon to go silent (or to have sent for too long).
    const drained = await drainStatus(statusReader, signal);
    if (listenerError !== undefined) throw listenerError;
    if (drained === 'aborted') throw cancelledError();
    const progressComplete = drained === 'ended';
    if (!progressComplete) {
      const note = progressNote('[kiln] progress', [
        drained === 'silent'
          ? `the daemon sent no progress for ${STATUS_IDLE_MS / 1000} s after the build ended, without ending its progress stream: the last output shown may be incomplete`
          : drained === 'endless'
            ? `the daemon kept sending progress for more than ${STATUS_TAIL_MAX_MS / 1000} s after the build ended, without ending its progress stream: kiln stopped reading it, and the last output shown may be incomplete`
            : 'the daemon\'s progress stream failed after the build ended: the last output shown may be incomplete',
      ]);
      await deliver(note);
      if (listenerError !== undefined) throw listenerError;
    }
    return {
      ref,
      exporterResponse,
      llbCaps,
      frontendCaps,
      progress,
      progressComplete,
      durationMs: Date.now() - started,
      localCacheExports,
    };
  } catch (err) {
    if (listenerError !== undefined) throw listenerError;
    if (isAborted(req.signal) || client.closeSignal.aborted || KilnError.is(err, 'cancelled')) {
      const running = runningStepKeys(progress);
      controller.abort();
      // The steps the daemon stopped are reported as such, shortly: a slow onStatus must not delay the cancellation.
      await statusReader?.settle(CANCELLED_STATUS_MS);
      statusReader?.stop();
      // A step the daemon did not report stopped in that time (BuildKit v0.8 may end the status stream first), or
      // reported failed as the process it killed (v0.8: "executor failed running …"), is shown canceled: otherwise a
      // display would show it running, or failed, after the build was cancelled.
      const stopped = cancelledStepsEvent(progress, running);
      if (stopped !== undefined) await deliver(stopped);
      // The cause is why it was cancelled: the reason given to the caller's AbortSignal, or the client's close.
      throw cancelledError(isAborted(req.signal) ? (req.signal?.reason ?? err) : client.closeSignal.aborted ? client.closeSignal.reason : err);
    }
    if (solveSettled) {
      // Let the last status messages (the failing step's error and output) arrive before reporting. A Solve refused
      // before its job started (an entitlement not granted) leaves a status stream that never ends: then only a moment.
      if (statusSeen) await drainStatus(statusReader, signal);
      else await statusReader?.settle(UNSTARTED_STATUS_MS);
      if (listenerError !== undefined) throw listenerError;
      controller.abort();
    } else {
      // Failed on kiln's side while the daemon may still run the job: stop it, and take what it reports shortly.
      controller.abort();
      await statusReader?.settle(CANCELLED_STATUS_MS);
    }
    const failure = buildError(client, err, progress, ownVertexes, sessionUp);
    // The daemon will not say how the steps it was running ended: end them here, or every display shows them running.
    const ended = failure.details.connectionLost === true ? interruptedStepsEvent(progress, LOST_CONNECTION_STEP_ERROR) : undefined;
    if (ended !== undefined) await deliver(ended);
    throw failure;
  } finally {
    stopHearingUser();
    client.closeSignal.removeEventListener('abort', onClose);
    // No onStatus call once the build's promise settles.
    statusReader?.stop();
    await tunnel.close();
    server.close();
    await localCache.close();
  }
}

/** The daemon's default platform (its first worker's first platform), for sources that name none. */
async function daemonPlatform(client: Client, signal: AbortSignal): Promise<string | undefined> {
  const p = (await client.listWorkers({ signal }))[0]?.platforms[0];
  return p === undefined ? undefined : formatPlatform(normalizePlatform(p));
}



async function pingBridge(
  client: Client,
  bridge: Record<string, string>,
  signal: AbortSignal,
  solveSettled: () => boolean,
  solve: Promise<unknown>,
): Promise<moby.buildkit.v1.frontend.PongResponse> {
  const deadline = Date.now() + 30_000;
  // A Solve that fails (refused before its job started, e.g. an entitlement not granted) ends the wait at once: the
  // daemon would hold the Ping for seconds, waiting for a job that never comes.
  const solveFailed = solve.then(() => new Promise<never>(() => {}));
  solveFailed.catch(() => {});
  for (let attempt = 0; ; attempt++) {
    const call = new AbortController();
    const stop = (): void => call.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const ping = unaryCall(client.grpc, LLBBridgeService.Ping, {}, { metadata: bridge, signal: call.signal, timeoutMs: 15_000 });
    ping.catch(() => {});
    try {
      return await Promise.race([ping, solveFailed]);
    } catch (err) {
      // The bridge appears once the daemon has registered the job; until then Ping fails. If Solve itself has
      // failed, its error is the one to report.
      if (solveSettled()) {
        await solve;
        throw new KilnError('protocol', 'the daemon finished the build before the gateway could attach to it');
      }
      if (signal.aborted || Date.now() > deadline) throw err;
      await sleep(Math.min(50 * 2 ** attempt, 500));
    } finally {
      signal.removeEventListener('abort', stop);
      // A Ping still waiting on the daemon (Solve failed first) is not needed any more.
      call.abort();
    }
  }
}

function makeGateway(
  client: Client,
  bridge: Record<string, string>,
  signal: AbortSignal,
  llbCaps: ReadonlySet<string>,
  frontendCaps: ReadonlySet<string>,
  pong: moby.buildkit.v1.frontend.PongResponse,
  cacheImports: readonly CacheEntry[],
  policies: DefinitionPolicies,
  ownVertexes: Set<string>,
): Gateway {
  const workers = (pong.Workers ?? []).map(toWorkerInfo);
  const worker = workers[0]?.platforms[0];
  const defaultPlatform = worker === undefined ? undefined : formatPlatform(normalizePlatform(worker));
  const withDefault: DefinitionPolicies = defaultPlatform === undefined ? policies : { ...policies, defaultPlatform };
  return {
    llbCaps,
    frontendCaps,
    workers,
    signal,
    async solve(definition, options = {}) {
      const message = definitionMessage(applyDefinitionPolicies(definition, withDefault).definition);
      addOpDigests(ownVertexes, message);
      const res = await unaryCall(
        client.grpc,
        LLBBridgeService.Solve,
        {
          Definition: message,
          allowResultReturn: true,
          allowResultArrayRef: true,
          Evaluate: options.evaluate ?? true,
          CacheImports: cacheImports.map((c) => ({ Type: c.type, Attrs: { ...c.attrs } })),
        },
        { metadata: bridge, signal },
      );
      const id = res.result?.ref?.id ?? res.result?.refDeprecated ?? res.ref ?? '';
      return { id };
    },
    async resolveImageConfig(ref, options = {}) {
      const pinned = pinnedRef(ref, options.platform === undefined ? defaultPlatform : formatPlatform(normalizePlatform(options.platform)), policies.imagePins);
      const res = await unaryCall(
        client.grpc,
        LLBBridgeService.ResolveImageConfig,
        {
          Ref: pinned?.ref ?? ref,
          ResolveMode: options.resolveMode ?? 'default',
          LogName: options.logName ?? `[internal] load metadata for ${ref}`,
          ...(options.platform === undefined
            ? {}
            : { Platform: { OS: options.platform.os, Architecture: options.platform.architecture, Variant: options.platform.variant ?? '' } }),
        },
        { metadata: bridge, signal },
      );
      return { digest: pinned?.digest ?? res.Digest ?? '', config: res.Config ?? new Uint8Array() };
    },
    async readFile(ref, path) {
      const res = await unaryCall(client.grpc, LLBBridgeService.ReadFile, { Ref: ref.id, FilePath: path }, { metadata: bridge, signal });
      return res.Data ?? new Uint8Array();
    },
    async statFile(ref, path) {
      try {
        const res = await unaryCall(client.grpc, LLBBridgeService.StatFile, { Ref: ref.id, Path: path }, { metadata: bridge, signal });
        return { mode: res.stat?.mode ?? 0, uid: res.stat?.uid ?? 0, gid: res.stat?.gid ?? 0 };
      } catch (err) {
        // The daemon answers a path that is not there with an error (BuildKit v0.8: UNKNOWN, lstat's message).
        const code = (err as { readonly code?: unknown }).code;
        const kind = code === GrpcStatus.CANCELLED ? 'cancelled' : code === GrpcStatus.UNAVAILABLE ? 'unavailable' : 'not_found';
        throw new KilnError(kind, `the daemon cannot stat ${path} of the result: ${(err as Error).message}`, { cause: err });
      }
    },
    async runProcess(ref, process, io, processSignal, control, options = {}) {
      const abortMode = options.abortMode ?? 'stop';
      if (!isAbortMode(abortMode)) throw new KilnError('invalid_argument', ABORT_MODE_RULE);
      // The build going releases the container at once; the caller's signal stops the command as abortMode says.
      return runInResult({ grpc: client.grpc, bridge, frontendCaps, buildSignal: signal }, ref.id, process, io, { signal: processSignal, abortMode, control });
    },
    async failedStep(error) {
      if (!isStepFailure(error) || signal.aborted) return undefined;
      const daemon = (await client.info({ signal }).catch(() => undefined))?.description;
      // Released with the build, as runProcess's container is.
      return failedStepOf(error, { grpc: client.grpc, bridge, frontendCaps, buildSignal: signal, ...(daemon === undefined ? {} : { daemon }) });
    },
  };
}

/** `name:tag@digest` for a reference `pins` pins on `platform`; `undefined` when it has a digest already or no pin. */
function pinnedRef(ref: string, platform: string | undefined, pins: ImagePinLookup | undefined): { ref: string; digest: string } | undefined {
  if (pins === undefined || platform === undefined) return undefined;
  let normalized: string;
  try {
    const parsed = parseImageRef(ref);
    if (parsed.digest !== undefined) return undefined;
    normalized = parsed.normalized;
  } catch {
    return undefined;
  }
  const digest = pins.get(normalized, platform);
  return digest === undefined ? undefined : { ref: `${normalized}@${digest}`, digest };
}

async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) throw cancelledError();
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const timeout = sleep(15_000, undefined, { ref: false }).then(() => {
    throw new KilnError('unavailable', `timed out ${what}: the daemon did not answer within 15 s`);
  });
  try {
    return await Promise.race([promise, aborted, timeout]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * How long the daemon may send nothing (while kiln waits for it, not for onStatus) after the build ended before kiln
 * stops waiting for the end of the status stream.
 */
const STATUS_IDLE_MS = 3000;
/**
 * How long in all kiln waits for the daemon (not for onStatus) to end its status stream once Solve has returned: a
 * daemon that keeps trickling messages, each within STATUS_IDLE_MS of the last, must not hold the build open forever.
 */
const STATUS_TAIL_MAX_MS = 30_000;
/** How long a cancelled build waits at most for the daemon to report the steps it stopped (it ends the stream when done). */
const CANCELLED_STATUS_MS = 2000;
/** How long a build whose Solve failed before the daemon reported anything waits for a first status message. */
const UNSTARTED_STATUS_MS = 250;

/**
 * Reads the rest of the status stream after Solve ended: `ended` when the daemon closed it normally (every message
 * was handled), `failed` when it failed, `silent` when the daemon stopped sending without closing it, `endless` when
 * it kept sending for longer than kiln waits, `aborted`.
 */
async function drainStatus(reader: StatusReader | undefined, signal: AbortSignal): Promise<DrainResult | 'failed'> {
  if (reader === undefined) return 'ended';
  const result = await reader.drain(STATUS_IDLE_MS, signal, STATUS_TAIL_MAX_MS);
  return result === 'ended' && !reader.complete ? 'failed' : result;
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** Why a build may not start, if it may not: the caller's signal has aborted, or the client was closed. */
function cancelReason(signal: AbortSignal | undefined, client: Client): { readonly reason: unknown } | undefined {
  if (signal?.aborted === true) return { reason: signal.reason };
  if (client.closeSignal.aborted) return { reason: client.closeSignal.reason };
  return undefined;
}

function cancelledError(cause?: unknown): KilnError {
  return new KilnError('cancelled', 'the build was cancelled', cause === undefined ? {} : { cause });
}

/** Adds the digest of every op of `def` (the vertex digests the daemon reports for them) to `into`. */
function addOpDigests(into: Set<string>, def: pb.Definition): void {
  for (const op of def.def) into.add(`sha256:${createHash('sha256').update(op).digest('hex')}`);
}

const TAIL_LINES = 20;

/** The error shown on the steps that were running when the connection to the daemon was lost. */
const LOST_CONNECTION_STEP_ERROR = 'lost the connection to the BuildKit daemon while this step ran';

/**
 * The daemon's error for a failed step, with a long multi-line command in it (a whole script in `executor failed
 * running [/bin/sh -c …]`) cut to its first and last lines; the script's output follows in the message anyway.
 */
function shortenError(text: string): string {
  const lines = text.split('\n');
  if (lines.length <= 4) return text;
  return `${lines[0]}\n  … (${lines.length - 2} more lines) …\n${lines[lines.length - 1]}`;
}

/**
 * Turns a failed solve into one readable error: the failing step's name, its error, exit code (when known) and
 * the last lines of its output. The step comes from the status stream (`Vertex.error`), not from message text.
 */
function buildError(client: Client, err: unknown, progress: ProgressState, ownVertexes: ReadonlySet<string>, sessionUp: boolean): KilnError {
  const lost = sessionUp ? lostConnectionError(client, err, progress) : undefined;
  if (lost !== undefined) return lost;
  if (KilnError.is(err) && err.code !== 'build_failed' && err.code !== 'internal') return err;
  const base = KilnError.is(err) ? err : client.error(err, 'running the build');
  if (base.code === 'unavailable' || base.code === 'helper_failed' || base.code === 'cancelled') return base;
  const failed = failedSteps(progress);
  // A step of the build is the cause when one failed; a failed cache import beside it is not.
  const own = failed.filter((s) => ownVertexes.has(s.digest));
  const step = own[own.length - 1] ?? failed[failed.length - 1];
  if (step === undefined) return base;
  // Every step of the build succeeded and the daemon's own work after them failed: exporting, pushing, caching.
  const afterSteps = own.length === 0 && ownVertexes.size > 0;
  const lines = stepLogLines(step, TAIL_LINES, false);
  const exitCode = typeof base.details['exitCode'] === 'number' ? base.details['exitCode'] : exitCodeFromText(step.error ?? '');
  const stepError = shortenError(step.error ?? 'unknown error');
  const message =
    `step "${step.name}" failed: ${stepError}` +
    (lines.length > 0 ? `\nlast ${lines.length} line${lines.length === 1 ? '' : 's'} of its output:\n${lines.join('\n')}` : '');
  // A step the daemon reports as not found or refused (a missing or private base image on BuildKit v0.11+) keeps that
  // code; every other failed step is build_failed. (dockerd 20.10's BuildKit reports these as Unknown, text only.)
  const code = base.code === 'not_found' || base.code === 'unauthenticated' ? base.code : 'build_failed';
  return new KilnError(code, message, {
    cause: err,
    details: { ...base.details, step: step.name, vertex: step.digest, stepError, ...(exitCode === undefined ? {} : { exitCode }), logTail: lines },
    hint:
      base.hint ??
      (afterSteps
        ? `The build's steps succeeded; "${step.name}" is the daemon writing the result. Check where it goes: a registry must be reachable from the daemon and accept the credentials kiln sends (from the Docker config: docker login, or DOCKER_CONFIG).`
        : 'Fix the failing step (its output shows what went wrong) and build again.'),
  });
}

/**
 * The error for a build whose connection to the daemon failed after the session was up (the daemon stopped, restarted
 * or crashed mid-build): it says the connection was lost, not that the daemon cannot be reached, and names the steps
 * that were running. `undefined` when `err` is no connection failure.
 */
function lostConnectionError(client: Client, err: unknown, progress: ProgressState): KilnError | undefined {
  // The gRPC or socket failure itself, or the one an `unavailable` KilnError (the session's) wraps.
  const raw = KilnError.is(err) ? (err.code === 'unavailable' ? err.cause : undefined) : err;
  if (raw === undefined || KilnError.is(raw)) return undefined;
  // A CANCELLED from the daemon (kiln's own cancellations never get here): the daemon ended the build, say so.
  const code = grpcCode(raw);
  if (code !== GrpcStatus.UNAVAILABLE && code !== GrpcStatus.CANCELLED && !isConnectFailure(raw)) return undefined;
  const running = numberedSteps(progress)
    .filter((s) => isStarted(s) && !isCompleted(s) && s.error === undefined)
    .map((s) => s.name);
  const action =
    running.length === 0 ? 'running the build' : `running ${running.length === 1 ? 'step' : 'steps'} ${running.map((n) => `"${shortStepName(n)}"`).join(', ')}`;
  const lost = client.error(raw, action, { wasConnected: true });
  if (running.length === 0) return lost;
  return new KilnError(lost.code, lost.message, { cause: raw, details: { ...lost.details, runningSteps: running }, hint: lost.hint });
}

/** A step name fit for one line of an error message: its first line, at most 80 characters. */
function shortStepName(name: string): string {
  const first = name.split('\n')[0] ?? '';
  const cut = first.length > 80 ? `${first.slice(0, 79)}…` : first;
  return cut === name ? name : cut.endsWith('…') ? cut : `${cut} …`;
}

/**
 * Exit code as written in the daemon's vertex error ("… exit code: 2"), for display only: dockerd 20.10 sends no
 * structured error details. Nothing branches on this.
 */
function exitCodeFromText(text: string): number | undefined {
  const m = /exit code: (\d+)\s*$/.exec(text);
  return m === null ? undefined : Number(m[1]);
}
