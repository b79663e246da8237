/**
 * grpc-js service tables for every BuildKit service kiln calls or serves, built on the generated codecs.
 *
 * Orientation of the message types follows who holds the message:
 * - client tables (Control, LLBBridge): requests are the generated `$Properties` shapes kiln builds, responses are
 *   the decoded message classes kiln reads;
 * - server tables (the session services the daemon calls): requests are decoded classes, responses are
 *   `$Properties` shapes.
 * FileSync and FileSend use identity (raw Buffer) serializers: FileSend carries either fsutil Packets or raw
 * BytesMessages depending on the exporter, and fsutil Packets are handled by a hand codec (Stat.modTime needs
 * 64-bit precision), so the handlers decode the bytes themselves.
 *
 * Internal module: grpc-js and generated types never leave kiln's internals.
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { containerd, google, grpc, moby } from './generated.js';

/** Serializer/deserializer pair for one side of a method. */
interface Serde<T> {
  readonly serialize: (value: T) => Buffer;
  readonly deserialize: (bytes: Buffer) => T;
}

/** The static half of a generated message class that matters here. */
interface GeneratedMessage<Props, Decoded extends Props> {
  encode(message: Props): { finish(): Uint8Array };
  decode(bytes: Uint8Array): Decoded;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The side kiln writes: accepts plain `$Properties` objects. */
function outgoing<Props, Decoded extends Props>(type: GeneratedMessage<Props, Decoded>): Serde<Props> {
  return {
    serialize: (value) => toBuffer(type.encode(value).finish()),
    deserialize: (bytes) => type.decode(bytes),
  };
}

/** The side kiln reads: yields decoded message classes. */
function incoming<Props, Decoded extends Props>(type: GeneratedMessage<Props, Decoded>): Serde<Decoded> {
  return {
    serialize: (value) => toBuffer(type.encode(value).finish()),
    deserialize: (bytes) => type.decode(bytes),
  };
}

/** Identity serde: the handler sees (and writes) the raw message bytes. */
const raw: Serde<Buffer> = {
  serialize: (value) => value,
  deserialize: (bytes) => bytes,
};

type Kind = 'unary' | 'server-stream' | 'client-stream' | 'bidi';

function method<Req, Res>(path: string, kind: Kind, request: Serde<Req>, response: Serde<Res>): MethodDefinition<Req, Res> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    path,
    requestStream: kind === 'client-stream' || kind === 'bidi',
    responseStream: kind === 'server-stream' || kind === 'bidi',
    requestSerialize: request.serialize,
    requestDeserialize: request.deserialize,
    responseSerialize: response.serialize,
    responseDeserialize: response.deserialize,
    originalName: name.charAt(0).toLowerCase() + name.slice(1),
  };
}

const v1 = moby.buildkit.v1;
const gw = moby.buildkit.v1.frontend;
const fs = moby.filesync.v1;

const CONTROL = '/moby.buildkit.v1.Control/';
const BRIDGE = '/moby.buildkit.v1.frontend.LLBBridge/';

/**
 * `moby.buildkit.v1.Control` (client side). `Session` is the byte tunnel of the session; `Info`,
 * `ListenBuildHistory` and `UpdateBuildHistory` exist on BuildKit v0.11+ only (dockerd 20.10 answers UNIMPLEMENTED).
 */
export const ControlService = {
  DiskUsage: method(`${CONTROL}DiskUsage`, 'unary', outgoing(v1.DiskUsageRequest), incoming(v1.DiskUsageResponse)),
  Prune: method(`${CONTROL}Prune`, 'server-stream', outgoing(v1.PruneRequest), incoming(v1.UsageRecord)),
  Solve: method(`${CONTROL}Solve`, 'unary', outgoing(v1.SolveRequest), incoming(v1.SolveResponse)),
  Status: method(`${CONTROL}Status`, 'server-stream', outgoing(v1.StatusRequest), incoming(v1.StatusResponse)),
  Session: method(`${CONTROL}Session`, 'bidi', outgoing(v1.BytesMessage), incoming(v1.BytesMessage)),
  ListWorkers: method(`${CONTROL}ListWorkers`, 'unary', outgoing(v1.ListWorkersRequest), incoming(v1.ListWorkersResponse)),
  Info: method(`${CONTROL}Info`, 'unary', outgoing(v1.InfoRequest), incoming(v1.InfoResponse)),
  ListenBuildHistory: method(
    `${CONTROL}ListenBuildHistory`,
    'server-stream',
    outgoing(v1.BuildHistoryRequest),
    incoming(v1.BuildHistoryEvent),
  ),
  UpdateBuildHistory: method(
    `${CONTROL}UpdateBuildHistory`,
    'unary',
    outgoing(v1.UpdateBuildHistoryRequest),
    incoming(v1.UpdateBuildHistoryResponse),
  ),
} as const satisfies ServiceDefinition;

/**
 * `moby.buildkit.v1.frontend.LLBBridge` (client side): the gateway a client drives after a `Control.Solve` without a
 * Definition. Every call carries gRPC metadata `buildkit-controlapi-buildid: <ref>`.
 */
export const LLBBridgeService = {
  ResolveImageConfig: method(
    `${BRIDGE}ResolveImageConfig`,
    'unary',
    outgoing(gw.ResolveImageConfigRequest),
    incoming(gw.ResolveImageConfigResponse),
  ),
  Solve: method(`${BRIDGE}Solve`, 'unary', outgoing(gw.SolveRequest), incoming(gw.SolveResponse)),
  ReadFile: method(`${BRIDGE}ReadFile`, 'unary', outgoing(gw.ReadFileRequest), incoming(gw.ReadFileResponse)),
  ReadDir: method(`${BRIDGE}ReadDir`, 'unary', outgoing(gw.ReadDirRequest), incoming(gw.ReadDirResponse)),
  StatFile: method(`${BRIDGE}StatFile`, 'unary', outgoing(gw.StatFileRequest), incoming(gw.StatFileResponse)),
  Evaluate: method(`${BRIDGE}Evaluate`, 'unary', outgoing(gw.EvaluateRequest), incoming(gw.EvaluateResponse)),
  Ping: method(`${BRIDGE}Ping`, 'unary', outgoing(gw.PingRequest), incoming(gw.PongResponse)),
  Return: method(`${BRIDGE}Return`, 'unary', outgoing(gw.ReturnRequest), incoming(gw.ReturnResponse)),
  Inputs: method(`${BRIDGE}Inputs`, 'unary', outgoing(gw.InputsRequest), incoming(gw.InputsResponse)),
  NewContainer: method(`${BRIDGE}NewContainer`, 'unary', outgoing(gw.NewContainerRequest), incoming(gw.NewContainerResponse)),
  ReleaseContainer: method(
    `${BRIDGE}ReleaseContainer`,
    'unary',
    outgoing(gw.ReleaseContainerRequest),
    incoming(gw.ReleaseContainerResponse),
  ),
  ExecProcess: method(`${BRIDGE}ExecProcess`, 'bidi', outgoing(gw.ExecMessage), incoming(gw.ExecMessage)),
  Warn: method(`${BRIDGE}Warn`, 'unary', outgoing(gw.WarnRequest), incoming(gw.WarnResponse)),
} as const satisfies ServiceDefinition;

const health = grpc.health.v1;

/** `grpc.health.v1.Health` (served on the session): the daemon polls `Check` and only looks for errors. */
export const HealthService = {
  Check: method(
    '/grpc.health.v1.Health/Check',
    'unary',
    incoming(health.HealthCheckRequest),
    outgoing(health.HealthCheckResponse),
  ),
  Watch: method(
    '/grpc.health.v1.Health/Watch',
    'server-stream',
    incoming(health.HealthCheckRequest),
    outgoing(health.HealthCheckResponse),
  ),
} as const satisfies ServiceDefinition;

/**
 * `moby.filesync.v1.FileSync` (served on the session): the daemon pulls a local directory. Raw bytes both ways;
 * the messages are fsutil `Packet`s for the handler's own codec.
 */
export const FileSyncService = {
  DiffCopy: method('/moby.filesync.v1.FileSync/DiffCopy', 'bidi', raw, raw),
  TarStream: method('/moby.filesync.v1.FileSync/TarStream', 'bidi', raw, raw),
} as const satisfies ServiceDefinition;

/**
 * `moby.filesync.v1.FileSend` (served on the session): exporter output. Raw bytes both ways: fsutil `Packet`s for the
 * `local` exporter, `BytesMessage`s for `tar`/`oci`/`docker`.
 */
export const FileSendService = {
  DiffCopy: method('/moby.filesync.v1.FileSend/DiffCopy', 'bidi', raw, raw),
} as const satisfies ServiceDefinition;

/** `moby.filesync.v1.Auth` (served on the session): registry credentials and the optional token authority. */
export const AuthService = {
  Credentials: method(
    '/moby.filesync.v1.Auth/Credentials',
    'unary',
    incoming(fs.CredentialsRequest),
    outgoing(fs.CredentialsResponse),
  ),
  FetchToken: method('/moby.filesync.v1.Auth/FetchToken', 'unary', incoming(fs.FetchTokenRequest), outgoing(fs.FetchTokenResponse)),
  GetTokenAuthority: method(
    '/moby.filesync.v1.Auth/GetTokenAuthority',
    'unary',
    incoming(fs.GetTokenAuthorityRequest),
    outgoing(fs.GetTokenAuthorityResponse),
  ),
  VerifyTokenAuthority: method(
    '/moby.filesync.v1.Auth/VerifyTokenAuthority',
    'unary',
    incoming(fs.VerifyTokenAuthorityRequest),
    outgoing(fs.VerifyTokenAuthorityResponse),
  ),
} as const satisfies ServiceDefinition;

const secrets = moby.buildkit.secrets.v1;

/** `moby.buildkit.secrets.v1.Secrets` (served on the session): unknown ids must fail with NOT_FOUND. */
export const SecretsService = {
  GetSecret: method(
    '/moby.buildkit.secrets.v1.Secrets/GetSecret',
    'unary',
    incoming(secrets.GetSecretRequest),
    outgoing(secrets.GetSecretResponse),
  ),
} as const satisfies ServiceDefinition;

const ssh = moby.sshforward.v1;

/** `moby.sshforward.v1.SSH` (served on the session): ssh-agent forwarding, one ForwardAgent stream per connection. */
export const SSHService = {
  CheckAgent: method(
    '/moby.sshforward.v1.SSH/CheckAgent',
    'unary',
    incoming(ssh.CheckAgentRequest),
    outgoing(ssh.CheckAgentResponse),
  ),
  ForwardAgent: method('/moby.sshforward.v1.SSH/ForwardAgent', 'bidi', incoming(ssh.BytesMessage), outgoing(ssh.BytesMessage)),
} as const satisfies ServiceDefinition;

const content = containerd.services.content.v1;
const CONTENT = '/containerd.services.content.v1.Content/';

/**
 * `containerd.services.content.v1.Content` (served on the session only when a build needs a client-side content
 * store: local cache import/export, oci-layout sources). The store is chosen by metadata
 * `buildkit-attachable-store-id`. Not part of {@link SESSION_SERVICES}.
 */
export const ContentService = {
  Info: method(`${CONTENT}Info`, 'unary', incoming(content.InfoRequest), outgoing(content.InfoResponse)),
  Update: method(`${CONTENT}Update`, 'unary', incoming(content.UpdateRequest), outgoing(content.UpdateResponse)),
  List: method(`${CONTENT}List`, 'server-stream', incoming(content.ListContentRequest), outgoing(content.ListContentResponse)),
  Delete: method(`${CONTENT}Delete`, 'unary', incoming(content.DeleteContentRequest), outgoing(google.protobuf.Empty)),
  Read: method(`${CONTENT}Read`, 'server-stream', incoming(content.ReadContentRequest), outgoing(content.ReadContentResponse)),
  Status: method(`${CONTENT}Status`, 'unary', incoming(content.StatusRequest), outgoing(content.StatusResponse)),
  ListStatuses: method(
    `${CONTENT}ListStatuses`,
    'unary',
    incoming(content.ListStatusesRequest),
    outgoing(content.ListStatusesResponse),
  ),
  Write: method(`${CONTENT}Write`, 'bidi', incoming(content.WriteContentRequest), outgoing(content.WriteContentResponse)),
  Abort: method(`${CONTENT}Abort`, 'unary', incoming(content.AbortRequest), outgoing(google.protobuf.Empty)),
} as const satisfies ServiceDefinition;

/** The services kiln serves on every session, in the order they are registered and advertised. */
export const SESSION_SERVICES = [
  HealthService,
  FileSyncService,
  FileSendService,
  AuthService,
  SecretsService,
  SSHService,
] as const satisfies readonly ServiceDefinition[];

/**
 * Every method path of `services`, in declaration order, one entry per method: the values of the
 * `x-docker-expose-session-grpc-method` metadata (one metadata value per path; never comma-join them).
 */
export function sessionMethodPaths(services: readonly ServiceDefinition[]): string[] {
  const paths: string[] = [];
  for (const service of services) {
    for (const definition of Object.values(service)) {
      if (!paths.includes(definition.path)) paths.push(definition.path);
    }
  }
  return paths;
}

/** The method paths of {@link SESSION_SERVICES}. */
export const SESSION_METHOD_PATHS: readonly string[] = Object.freeze(sessionMethodPaths(SESSION_SERVICES));
