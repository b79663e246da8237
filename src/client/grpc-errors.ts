import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { KilnError, type KilnErrorCode } from '../errors.js';
import { google } from '../proto/generated.js';
import { DEFAULT_DOCKER_SOURCE } from './address.js';
import { notASocket, notASocketError, refusedSocketPath } from './not-a-socket.js';

/** What buildkitd attaches to an error in `grpc-status-details-bin` (dockerd 20.10 sends only text). */
export interface DaemonErrorDetails {
  /** Digest of the vertex that failed, when the daemon said. */
  readonly vertex?: string;
  /** Exit code of the failing process, when the daemon said. */
  readonly exitCode?: number;
  /** Daemon stack traces (for `--debug` only). */
  readonly stacks: readonly string[];
  /** Details kiln does not interpret, kept opaque: type URL and raw JSON text. */
  readonly other: readonly { readonly typeUrl: string; readonly json: string }[];
}

function isServiceError(value: unknown): value is ServiceError {
  return value instanceof Error && typeof (value as Partial<ServiceError>).code === 'number' && 'metadata' in value;
}

/**
 * A socket that could not be opened (`connect ENOENT`, `ECONNREFUSED`, a host name that does not resolve, or
 * `EACCES`: this user may not open it). Node's system errors say so in their `syscall`.
 */
export function isConnectFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { syscall, code } = err as NodeJS.ErrnoException;
  return (syscall === 'connect' || syscall === 'getaddrinfo') && typeof code === 'string';
}

/** Reads the gRPC status code of an error from grpc-js, if it is one. */
export function grpcCode(err: unknown): number | undefined {
  return isServiceError(err) ? err.code : undefined;
}

/** Decodes `grpc-status-details-bin` into the details buildkitd sends (each `Any.value` is JSON). */
export function decodeStatusDetails(err: unknown): DaemonErrorDetails | undefined {
  if (!isServiceError(err)) return undefined;
  const raw = err.metadata?.get('grpc-status-details-bin')[0];
  if (raw === undefined || typeof raw === 'string') return undefined;
  let status: google.rpc.Status;
  try {
    status = google.rpc.Status.decode(raw);
  } catch {
    return undefined;
  }
  let vertex: string | undefined;
  let exitCode: number | undefined;
  const stacks: string[] = [];
  const other: { typeUrl: string; json: string }[] = [];
  for (const any of status.details ?? []) {
    const typeUrl = any.type_url ?? '';
    const json = Buffer.from(any.value ?? new Uint8Array()).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      other.push({ typeUrl, json });
      continue;
    }
    const obj = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    if (typeUrl.endsWith('errdefs.Vertex+json') && typeof obj['digest'] === 'string') vertex = obj['digest'];
    else if (typeUrl.endsWith('gatewayapi.ExitMessage+json') && typeof obj['Code'] === 'number') exitCode = obj['Code'];
    else if (typeUrl.endsWith('stack.Stack+json')) stacks.push(formatStack(obj));
    else other.push({ typeUrl, json });
  }
  const out: { -readonly [K in keyof DaemonErrorDetails]: DaemonErrorDetails[K] } = { stacks, other };
  if (vertex !== undefined) out.vertex = vertex;
  if (exitCode !== undefined) out.exitCode = exitCode;
  return out;
}

function formatStack(obj: Record<string, unknown>): string {
  const frames = Array.isArray(obj['frames']) ? (obj['frames'] as Record<string, unknown>[]) : [];
  return frames.map((f) => `${String(f['Name'])}\n\t${String(f['File'])}:${String(f['Line'])}`).join('\n');
}

const CODE_MAP: Partial<Record<number, KilnErrorCode>> = {
  [GrpcStatus.CANCELLED]: 'cancelled',
  [GrpcStatus.UNAVAILABLE]: 'unavailable',
  // A daemon that accepted the connection but did not answer in time cannot be used either.
  [GrpcStatus.DEADLINE_EXCEEDED]: 'unavailable',
  [GrpcStatus.UNIMPLEMENTED]: 'unsupported',
  [GrpcStatus.NOT_FOUND]: 'not_found',
  [GrpcStatus.UNAUTHENTICATED]: 'unauthenticated',
  [GrpcStatus.PERMISSION_DENIED]: 'unauthenticated',
  [GrpcStatus.INVALID_ARGUMENT]: 'invalid_argument',
};

/** Context that turns a raw gRPC failure into a message a user can act on. */
export interface ErrorContext {
  /** What kiln was doing, e.g. "listing workers". */
  readonly action: string;
  /** The daemon address and how it was chosen. */
  readonly address?: string;
  readonly addressSource?: string;
  /** Why the transport failed to dial, when known. */
  readonly dialError?: Error | undefined;
  /**
   * The daemon answered earlier in the same operation (a build whose session was up): an unreachable daemon is then
   * a connection lost on the way (the daemon stopped, restarted or crashed), not an address to fix.
   */
  readonly wasConnected?: boolean | undefined;
}

/** Normalises anything thrown by a gRPC call into a KilnError. KilnErrors pass through unchanged. */
export function toKilnError(err: unknown, ctx: ErrorContext): KilnError {
  if (err instanceof KilnError) return err;
  const code = grpcCode(err);
  const text = err instanceof Error ? (isServiceError(err) ? err.details || err.message : err.message) : String(err);
  const connectFailed = isConnectFailure(err);
  const where = ctx.address === undefined ? 'the BuildKit daemon' : `the BuildKit daemon at ${ctx.address}`;
  const chosen = ctx.addressSource === undefined ? '' : ` (chosen from ${ctx.addressSource})`;
  if (code === GrpcStatus.UNAVAILABLE || connectFailed) {
    // A socket kiln opened itself says why; a gRPC failure through kiln's proxy, the proxy's last failed dial.
    const why = connectFailed ? text : (ctx.dialError?.message ?? tidyConnectionText(text));
    // A socket this user may not open: the daemon is there, the permission is what is missing.
    const denied = [connectFailed ? err : undefined, ctx.dialError].some((e) => {
      const errno = (e as NodeJS.ErrnoException | undefined)?.code;
      return errno === 'EACCES' || errno === 'EPERM';
    });
    if (ctx.wasConnected === true) {
      return new KilnError('unavailable', `lost the connection to ${where}${chosen} while ${ctx.action}: ${why}`, {
        cause: err,
        details: { connectionLost: true },
        hint:
          'The daemon went away during the build: it stopped, was restarted or crashed, or the connection to it broke (its logs say which). ' +
          'Build again once it answers; the steps that had completed are usually taken from its cache.',
      });
    }
    // The command that reaches the daemon (ssh, kubectl exec, docker exec) failed: its own words and advice say why.
    if (!connectFailed && KilnError.is(ctx.dialError, 'helper_failed')) {
      const helper = ctx.dialError;
      return new KilnError('helper_failed', `cannot reach ${where}${chosen} while ${ctx.action}: ${helper.message}`, {
        cause: helper,
        hint: helper.hint,
        details: helper.details,
      });
    }
    // The HTTP proxy the environment names for the daemon failed: the proxy, not the daemon, is what to fix.
    if (!connectFailed && KilnError.is(ctx.dialError, 'unavailable') && ctx.dialError.details['proxy'] !== undefined) {
      return new KilnError('unavailable', `cannot reach ${where}${chosen} while ${ctx.action}: ${ctx.dialError.message}`, {
        cause: ctx.dialError,
        hint: ctx.dialError.hint,
        details: ctx.dialError.details,
      });
    }
    // A path that is there but is not a socket (a file, a directory): the address is wrong, no daemon to start.
    // The path is the refused socket's (a socket kiln or its proxy opened) or, for a unix:// address grpc-js dials
    // itself, the address's.
    const socketPath = refusedSocketPath(connectFailed ? err : ctx.dialError) ?? (!connectFailed && ctx.address?.startsWith('unix:///') === true ? ctx.address.slice('unix://'.length) : undefined);
    const wrong = socketPath === undefined ? undefined : notASocket(socketPath);
    if (wrong !== undefined) {
      return notASocketError(
        `cannot reach ${where}${chosen} while ${ctx.action}`,
        wrong,
        err,
        "A unix:// address names the daemon's socket: fix the path (buildkitd listens on unix:///run/buildkit/buildkitd.sock by default, " +
          'dockerd on unix:///var/run/docker.sock, which kiln reaches as docker://), or point kiln at a daemon another way: BUILDKIT_HOST, ' +
          'the address option of connect() or `kiln --addr`.',
      );
    }
    return new KilnError('unavailable', `cannot reach ${where}${chosen} while ${ctx.action}: ${why}`, {
      cause: err,
      hint: denied
        ? "This user may not open the daemon's socket: use an account that may (for dockerd, one in the docker group; `ls -l` the socket to see its owner and group), or point kiln at a daemon it can reach."
        : ctx.addressSource === DEFAULT_DOCKER_SOURCE
          ? 'kiln found no BUILDKIT_HOST, no buildx builder chosen (BUILDX_BUILDER, docker buildx use), no /run/buildkit/buildkitd.sock, ' +
            'no DOCKER_HOST and no docker context, so it tried the default Docker socket. Start Docker, or, if it listens elsewhere ' +
            '(Docker Desktop, Colima, OrbStack, rootless Docker), select its context (docker context ls; docker context use <name>) or set ' +
            'DOCKER_HOST; or point kiln at a buildkitd with BUILDKIT_HOST or `kiln --addr`.'
          : 'Start a daemon (buildkitd, or dockerd which embeds BuildKit), or point kiln at one: BUILDKIT_HOST, the address ' +
            'option of connect() or `kiln --addr` (unix:///run/buildkit/buildkitd.sock, tcp://host:port, docker://, docker-container://name, ssh://user@host).',
    });
  }
  if (code === GrpcStatus.CANCELLED && ctx.wasConnected === true) {
    // kiln cancels only for its caller (an AbortSignal, Ctrl-C), and reports that itself: this one came from the other
    // end — the daemon stopping, or something else cancelling the build (another client, a proxy in between).
    return new KilnError('build_failed', `${where}${chosen} cancelled the build while ${ctx.action}: ${text}`, {
      cause: err,
      details: { grpcCode: code, daemonCancelled: true },
      hint:
        'Nothing on this side cancelled it: the daemon was stopping or restarting, or something else cancelled the build (another client, a proxy between kiln and the daemon). ' +
        'Build again; the steps that had completed are usually taken from its cache.',
    });
  }
  if (code === GrpcStatus.DEADLINE_EXCEEDED && ctx.address !== undefined) {
    return new KilnError('unavailable', deadlineMessage(`${where}${chosen}`, ctx.action, text), {
      cause: err,
      hint: 'Something accepts connections there but does not answer as BuildKit: check that the address is the daemon\'s (for dockerd, docker://), and that the daemon is not stuck (its logs).',
    });
  }
  const details = decodeStatusDetails(err);
  const kilnCode: KilnErrorCode = code === undefined ? 'internal' : (CODE_MAP[code] ?? 'build_failed');
  return new KilnError(kilnCode, `${ctx.action} failed: ${text}`, {
    cause: err,
    details: { ...(code === undefined ? {} : { grpcCode: code }), ...details },
  });
}

/** grpc-js wraps the socket error in boilerplate ("No connection established. Last error: Error: …"); keep the cause. */
function tidyConnectionText(text: string): string {
  const m = /Last error: (?:Error: )?(.*?)\.?(?: Resolution note:.*)?$/s.exec(text);
  return (m?.[1] ?? text).trim();
}

/**
 * grpc-js appends its call's internals to a deadline ("Deadline exceeded after 10.004s,name resolution: 0.018s,metadata
 * filters: 0.001s,…,Waiting for LB pick"): only how long kiln waited means something to a user.
 */
function deadlineMessage(daemon: string, action: string, text: string): string {
  const m = /^Deadline exceeded after (\d+(?:\.\d+)?)s\b/.exec(text);
  return m === null ? `${daemon} did not answer while ${action}: ${text}` : `${daemon} did not answer within ${Math.round(Number(m[1]))} s while ${action}`;
}
