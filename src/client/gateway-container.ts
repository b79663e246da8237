/**
 * Interactive containers through the gateway: `LLBBridge.NewContainer` on a solved result (its filesystem as the
 * container's writable root), one process over `ExecProcess`, then `ReleaseContainer`, which also stops a process
 * still running. BuildKit v0.8 (dockerd 20.10) keeps a container it was not told to release until it restarts, so
 * the release is made however the process ends: exit, failure or cancellation.
 *
 * Internal module.
 */
import type { Client as GrpcClient } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import type { pb } from '../proto/generated.js';
import { LLBBridgeService } from '../proto/services.js';
import { GATEWAY_EXEC_SIGNALS_CAP, ProcessControl, type AbortMode } from './process-control.js';
import { runContainerProcess, type ExecChannel, type ProcessExit, type ProcessIO, type ProcessSpec } from './container-process.js';
import { toMetadata, unaryCall } from './grpc-call.js';
import { newIdentifier } from './ids.js';

/** The frontend capability of interactive containers (BuildKit v0.8+). */
export const GATEWAY_EXEC_CAP = 'gateway.exec';

/** How long kiln waits for the daemon to release a container (it stops the process first). */
const RELEASE_TIMEOUT_MS = 15_000;

/** What running a process in a result needs from the build. */
export interface ContainerTarget {
  readonly grpc: GrpcClient;
  /** The gateway metadata (`buildkit-controlapi-buildid`). */
  readonly bridge: Readonly<Record<string, string>>;
  readonly frontendCaps: ReadonlySet<string>;
  /** What the daemon is, for error messages ("dockerd 20.10.24"). */
  readonly daemon?: string | undefined;
  /** The build's own signal: its abort (the build is going) releases the container at once. */
  readonly buildSignal?: AbortSignal | undefined;
}

/**
 * How a command in a container is stopped by its caller: `signal` stops it as `abortMode` says (see {@link AbortMode};
 * default `'stop'`, as `docker stop`) and the run then rejects as `cancelled`, once the container is released.
 * `control` carries terminal resizes and signals to the process, and its stop timeout and stop signal are what an
 * abort uses (without one: 10 s and `TERM`).
 */
export interface ContainerRunControl {
  readonly signal?: AbortSignal | undefined;
  readonly abortMode?: AbortMode | undefined;
  readonly control?: ProcessControl | undefined;
}

/**
 * Runs `spec` in a new container whose root filesystem is (a writable copy of) result `resultId`, and releases the
 * container when the process ends, or once an abort of `run.signal` has stopped it ({@link ContainerRunControl}).
 * Fails with `unsupported` before creating anything when the daemon lacks the `gateway.exec` capability.
 */
export async function runInResult(target: ContainerTarget, resultId: string, spec: ProcessSpec, io: ProcessIO, run: ContainerRunControl = {}): Promise<ProcessExit> {
  // A writable root from the result (output 0, as Go clients send it): the command may write, nothing is kept.
  return runInContainer(target, { mounts: [{ dest: '/', resultID: resultId, mountType: 0 }] }, spec, io, 'the build result', run);
}

/** A container's mounts and settings, as `NewContainer` takes them (the first mount is the root). */
export interface ContainerLayout {
  readonly mounts: readonly pb.Mount.$Properties[];
  readonly network?: number | undefined;
  readonly platform?: pb.Platform.$Properties | undefined;
}

/**
 * Runs `spec` in a new container laid out as `layout` says (results, cache and tmpfs mounts…), and releases the
 * container when the process ends, or once an abort of `run.signal` has stopped it ({@link ContainerRunControl});
 * the target's `buildSignal` releases it at once. `what` names the filesystem in errors ("the failed step").
 * Fails with `unsupported` before creating anything when the daemon lacks the `gateway.exec` capability.
 */
export async function runInContainer(target: ContainerTarget, layout: ContainerLayout, spec: ProcessSpec, io: ProcessIO, what: string, run: ContainerRunControl = {}): Promise<ProcessExit> {
  if (!target.frontendCaps.has(GATEWAY_EXEC_CAP)) {
    throw new KilnError('unsupported', `${target.daemon ?? 'the BuildKit daemon'} cannot run commands in a build result: it lacks the gateway capability "${GATEWAY_EXEC_CAP}"`, {
      hint: 'Use a daemon with BuildKit v0.8 or later (dockerd 20.10+, buildkitd v0.8+), or export the image and run it with docker run.',
      details: { missingCap: GATEWAY_EXEC_CAP },
    });
  }
  const { signal, abortMode = 'stop' } = run;
  const buildSignal = target.buildSignal;
  const cancelled = (): KilnError => new KilnError('cancelled', 'the command was cancelled', { cause: signal?.aborted === true ? signal.reason : buildSignal?.reason });
  // A function: TypeScript would keep the narrowing of the check below for the later ones.
  const aborted = (): boolean => signal?.aborted === true || buildSignal?.aborted === true;
  if (aborted()) throw cancelled();
  const control = run.control ?? new ProcessControl(target.frontendCaps.has(GATEWAY_EXEC_SIGNALS_CAP));
  // An abort stops a running command as docker stop does, and the container is released once it has exited; before it
  // runs, where the daemon cannot signal, with abortMode 'release', or when the build goes, the release comes at once.
  const release = new AbortController();
  const onAbort = (): void => {
    if (abortMode === 'stop' && control.running && control.stop()) return;
    release.abort(signal?.reason);
  };
  const onBuildAbort = (): void => release.abort(buildSignal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  buildSignal?.addEventListener('abort', onBuildAbort, { once: true });
  try {
    const containerId = newIdentifier();
    await unaryCall(
      target.grpc,
      LLBBridgeService.NewContainer,
      {
        ContainerID: containerId,
        Mounts: [...layout.mounts],
        ...(layout.network === undefined ? {} : { Network: layout.network }),
        ...(layout.platform === undefined ? {} : { platform: layout.platform }),
      },
      { metadata: target.bridge, signal: release.signal },
    ).catch((err: unknown) => {
      if (release.signal.aborted) throw cancelled();
      throw new KilnError('build_failed', `the daemon could not create a container from ${what}: ${(err as Error).message}`, { cause: err });
    });
    try {
      const method = LLBBridgeService.ExecProcess;
      const call = target.grpc.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, toMetadata(target.bridge), {});
      const channel: ExecChannel = call;
      const exit = await runContainerProcess(channel, containerId, `${containerId}:${newIdentifier()}`, spec, io, release.signal, control);
      // Stopped by an abort: it has exited (its stop signal or the kill), and is released below before this rejects.
      if (aborted()) throw cancelled();
      return exit;
    } catch (err) {
      // Whatever ended the stream after an abort (the release, the build going), the run was cancelled.
      if (aborted()) throw cancelled();
      throw err;
    } finally {
      control.detach();
      // Not on a signal: a cancelled run must still release the container (and so stop its process).
      await unaryCall(target.grpc, LLBBridgeService.ReleaseContainer, { ContainerID: containerId }, { metadata: target.bridge, timeoutMs: RELEASE_TIMEOUT_MS }).catch(() => {});
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    buildSignal?.removeEventListener('abort', onBuildAbort);
  }
}
