/**
 * The session's SSH service: forwards ssh-agent connections from build containers (`RUN --mount=type=ssh`, git over
 * ssh) to agent sockets on this machine. Each connection a container opens to its agent socket becomes one
 * `ForwardAgent` stream; this side opens a fresh connection to the configured agent for it and pipes bytes both
 * ways with backpressure.
 *
 * By default the forwarded agent is read-only: only "list identities" (message type 11) and "sign" (type 13)
 * requests reach the agent. Every other request (adding, removing or locking keys, extensions, protocol-1
 * messages) is answered SSH_AGENT_FAILURE on the spot without reaching the agent, so a build can use the user's
 * keys but never change the agent. `readOnly: false` pipes the raw bytes instead.
 *
 * Private key files can stand in for an agent (`--ssh default=~/.ssh/id_ed25519`, as buildx takes them): kiln reads
 * them when the service is created and answers list-identities and sign requests itself (see ssh-key-agent.ts).
 */
import { type Stats, statSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { status as GrpcStatus, type ServerDuplexStream, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { invalidArgument } from '../errors.js';
import { expandHomePath } from '../home-path.js';
import type { moby } from '../proto/generated.js';
import { SSHService } from '../proto/services.js';
import type { SessionService } from './session-server.js';
import { AGENT_FAILURE_FRAME, AgentFrameReader } from './ssh-agent-frames.js';
import { type SshKey, SshKeyAgent, loadSshKeyFile } from './ssh-key-agent.js';

/** The id the daemon uses when a build does not name one, and that `SSH_AUTH_SOCK` is forwarded under. */
export const DEFAULT_SSH_ID = 'default';

/** The gRPC metadata key naming which agent a `ForwardAgent` stream is for. */
export const SSH_ID_METADATA_KEY = 'buildkit.ssh.id';

/** ssh-agent request types that pass in read-only mode: list identities and sign. */
export const READ_ONLY_AGENT_REQUESTS: ReadonlySet<number> = new Set([11, 13]);

/**
 * One ssh-agent made available to builds: the id builds name it by, and either a running agent's unix socket or
 * private key files kiln serves as an agent itself. Relative paths are resolved against the working directory, and a
 * leading `~/` is the home directory.
 */
export interface SshAgentConfig {
  readonly id: string;
  /** Path of the agent's unix socket (or named pipe on Windows). A private key file here is read as `keys: [file]`. */
  readonly socket?: string | undefined;
  /** Private key files (OpenSSH or PEM; Ed25519, RSA, ECDSA; no passphrase) answered from memory by kiln. */
  readonly keys?: readonly string[] | undefined;
}

/** Context for parsing and checking ssh agent specs. */
export interface SshSpecOptions {
  /** Environment `SSH_AUTH_SOCK` is read from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Directory relative socket paths are resolved against; default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** The OS (default `process.platform`): on Windows an unset `SSH_AUTH_SOCK` means the OpenSSH agent's pipe. */
  readonly platform?: NodeJS.Platform | undefined;
}

/** Where Windows' OpenSSH agent service listens; BuildKit's ssh provider falls back to it there as well. */
export const WINDOWS_SSH_AGENT_PIPE = '\\\\.\\pipe\\openssh-ssh-agent';

/**
 * `path` resolved against `cwd`, with a leading `~` or `~/` read as the home directory (`HOME` of `env`, else the
 * user's): `--ssh default=~/.ssh/id_ed25519` reaches kiln unexpanded from `sh`, from `--ssh=…` and from code.
 */
export function resolveSshPath(path: string, options: SshSpecOptions): string {
  return resolvePath(options.cwd ?? process.cwd(), expandHomePath(path, options.env));
}

/** Options of {@link sshService}. */
export interface SshServiceOptions extends SshSpecOptions {
  /** Let only list-identities and sign requests through (default true); `false` forwards the agent unfiltered. */
  readonly readOnly?: boolean | undefined;
}

/** The agent id an ssh spec names (`default`, `github=/path/agent.sock` → `github`), without checking the rest. */
export function sshSpecId(spec: string): string {
  const eq = spec.indexOf('=');
  return (eq < 0 ? spec : spec.slice(0, eq)).trim();
}

/**
 * Parses a CLI ssh spec as `docker buildx build --ssh` takes it: `default` (the agent at `$SSH_AUTH_SOCK`),
 * `default=SOCKET`, `ID=SOCKET`, `ID=KEYFILE[,KEYFILE…]`, or a bare `ID` (forwarding `$SSH_AUTH_SOCK` under that
 * id). A single path that is a regular file is taken as a key file (`keys`), anything else as a socket; several
 * paths must all be key files. Throws `invalid_argument` naming the spec and the fix, e.g. when `SSH_AUTH_SOCK` is
 * needed but not set.
 */
export function parseSshSpec(spec: string, options: SshSpecOptions = {}): SshAgentConfig {
  if (typeof spec !== 'string' || spec.trim() === '') {
    invalidArgument('ssh spec is empty; write it as default, default=SOCKET or ID=SOCKET', parseSshSpec);
  }
  const eq = spec.indexOf('=');
  const id = sshSpecId(spec);
  const path = eq < 0 ? undefined : spec.slice(eq + 1).trim();
  if (id === '') invalidArgument(`ssh spec ${JSON.stringify(spec)} has no id before "="; e.g. default=${path ?? 'SOCKET'}`, parseSshSpec);
  if (path !== undefined && path.includes(',')) {
    const keys = path.split(',').map((p) => p.trim());
    if (keys.some((k) => k === '')) invalidArgument(`ssh spec ${JSON.stringify(spec)} has an empty path in its list`, parseSshSpec);
    return { id, keys };
  }
  if (path !== undefined && path !== '') {
    return statOrUndefined(resolveSshPath(path, options))?.isFile() === true ? { id, keys: [path] } : { id, socket: path };
  }
  const env = options.env ?? process.env;
  const sock = env['SSH_AUTH_SOCK'];
  if ((sock === undefined || sock === '') && (options.platform ?? process.platform) === 'win32') return { id, socket: WINDOWS_SSH_AGENT_PIPE };
  if (sock === undefined || sock === '') {
    invalidArgument(`ssh spec ${JSON.stringify(spec)} forwards $SSH_AUTH_SOCK, which is not set`, parseSshSpec, {
      hint: 'Start an agent (eval "$(ssh-agent)" && ssh-add) or give the socket explicitly: default=/path/to/agent.sock (the ssh option; --ssh on the CLI).',
    });
  }
  return { id, socket: sock };
}

/**
 * Creates the SSH service for a build session from agent configs or CLI specs (see {@link parseSshSpec}). Every
 * socket is checked now: it must exist and be a unix socket, and ids must be unique, else `invalid_argument`.
 *
 * `CheckAgent` answers NOT_FOUND for an id that is not configured ("" means `default`). Each `ForwardAgent` stream
 * (agent chosen by metadata `buildkit.ssh.id`, default `default`) opens its own connection to the agent: when the
 * container closes its side the agent connection is half-closed, and when the agent closes the stream ends.
 */
export function sshService(agents: readonly (SshAgentConfig | string)[], options: SshServiceOptions = {}): SessionService {
  if (!Array.isArray(agents)) invalidArgument('sshService: agents must be an array of {id, socket} or specs like "default"', sshService);
  const readOnly = options.readOnly ?? true;
  const sockets = new Map<string, string | SshKeyAgent>();
  for (const entry of agents) {
    const agent = typeof entry === 'string' ? parseSshSpec(entry, options) : entry;
    if (typeof agent !== 'object' || agent === null || typeof agent.id !== 'string' || agent.id === '') {
      invalidArgument('sshService: every agent needs a non-empty id (e.g. "default")', sshService);
    }
    const given = typeof agent.socket === 'string' && agent.socket !== '' ? agent.socket : undefined;
    const keys: readonly string[] | undefined = Array.isArray(agent.keys) && agent.keys.length > 0 ? agent.keys : undefined;
    if ((given === undefined) === (keys === undefined)) {
      invalidArgument(
        given === undefined
          ? `sshService: agent ${JSON.stringify(agent.id)} needs a socket path or key files`
          : `sshService: agent ${JSON.stringify(agent.id)} has both a socket and key files; pass one`,
        sshService,
        { hint: 'Pass the ssh-agent socket (usually $SSH_AUTH_SOCK) as socket, or private key files as keys.' },
      );
    }
    if (sockets.has(agent.id)) invalidArgument(`sshService: ssh id ${JSON.stringify(agent.id)} is given twice`, sshService);
    if (keys !== undefined) {
      sockets.set(agent.id, loadKeys(agent.id, keys.map((k) => (typeof k === 'string' && k !== '' ? resolveSshPath(k, options) : k))));
      continue;
    }
    const socket = isWindowsPipe(given!) ? given! : resolveSshPath(given!, options);
    const stats = checkSocket(agent.id, socket);
    sockets.set(agent.id, stats?.isFile() === true ? loadKeys(agent.id, [socket]) : socket);
  }

  return {
    definition: SSHService,
    implementation: {
      CheckAgent(
        call: ServerUnaryCall<moby.sshforward.v1.CheckAgentRequest, moby.sshforward.v1.CheckAgentResponse.$Properties>,
        callback: sendUnaryData<moby.sshforward.v1.CheckAgentResponse.$Properties>,
      ) {
        const id = call.request.ID || DEFAULT_SSH_ID;
        if (!sockets.has(id)) {
          callback({ code: GrpcStatus.NOT_FOUND, details: notConfigured(id) }, null);
          return;
        }
        callback(null, {});
      },
      ForwardAgent(call: ServerDuplexStream<moby.sshforward.v1.BytesMessage, moby.sshforward.v1.BytesMessage.$Properties>) {
        const id = requestedId(call.metadata.get(SSH_ID_METADATA_KEY));
        const socket = sockets.get(id);
        if (socket === undefined) {
          call.emit('error', { code: GrpcStatus.NOT_FOUND, details: notConfigured(id) });
          return;
        }
        if (socket instanceof SshKeyAgent) serveKeys(call, id, socket);
        else forwardAgent(call, id, socket, readOnly ? new ReadOnlyAgentFilter() : undefined);
      },
    },
  };
}

/**
 * Connects once to every agent socket among `agents` (key files need nothing): a socket file an ssh-agent left
 * behind when it exited passes {@link sshService}'s checks, and would otherwise fail only inside the step that uses
 * it, as git's "Permission denied (publickey)". Rejects with `invalid_argument` naming the id, the socket and the fix.
 */
export async function checkSshAgentsReachable(agents: readonly (SshAgentConfig | string)[], options: SshSpecOptions = {}): Promise<void> {
  for (const entry of agents) {
    const agent = typeof entry === 'string' ? parseSshSpec(entry, options) : entry;
    if (agent.socket === undefined || agent.socket === '' || isWindowsPipe(agent.socket)) continue;
    const path = resolveSshPath(agent.socket, options);
    if (statOrUndefined(path)?.isSocket() !== true) continue;
    const failure = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const probe = createConnection({ path });
      probe.once('connect', () => {
        probe.destroy();
        resolve(undefined);
      });
      probe.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    });
    if (failure !== undefined) {
      invalidArgument(`ssh agent socket ${path} for id ${JSON.stringify(agent.id)} does not accept connections (${failure.code ?? failure.message})`, checkSshAgentsReachable, {
        cause: failure,
        hint: 'The ssh-agent that made it is no longer running: start one (eval "$(ssh-agent)" && ssh-add) and check SSH_AUTH_SOCK, or give a private key file instead (--ssh ID=~/.ssh/id_ed25519).',
      });
    }
  }
}

/**
 * Private key files among `agents` that users other than their owner may read (mode & 0o077), each as a warning:
 * ssh and ssh-add refuse such a key when it is the user's own ("UNPROTECTED PRIVATE KEY FILE!"); kiln uses it, as
 * buildx does, and says so.
 */
export function sshKeyFileWarnings(agents: readonly (SshAgentConfig | string)[], options: SshSpecOptions = {}): string[] {
  if (process.platform === 'win32') return [];
  const warnings: string[] = [];
  for (const entry of agents) {
    const agent = typeof entry === 'string' ? parseSshSpec(entry, options) : entry;
    const given = agent.keys ?? (agent.socket === undefined || agent.socket === '' ? [] : [agent.socket]);
    for (const file of given) {
      if (typeof file !== 'string' || file === '') continue;
      const path = resolveSshPath(file, options);
      const stats = statOrUndefined(path);
      if (stats?.isFile() !== true || (stats.mode & 0o077) === 0) continue;
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      // OpenSSH refuses a key others can read only when the key is the user's own (a shared, root-owned key it reads).
      const refused = stats.uid === process.getuid?.() ? '; ssh refuses such a key' : '';
      warnings.push(`ssh key file ${path} (id ${JSON.stringify(agent.id)}) can be read by other users (mode ${mode})${refused}: chmod 600 ${path}`);
    }
  }
  return warnings;
}

type ForwardCall = ServerDuplexStream<moby.sshforward.v1.BytesMessage, moby.sshforward.v1.BytesMessage.$Properties>;

/** Loads every key file of one id into an in-process agent; errors name the id. */
function loadKeys(id: string, files: readonly string[]): SshKeyAgent {
  const keys: SshKey[] = [];
  for (const file of files) {
    if (typeof file !== 'string' || file === '') invalidArgument(`sshService: agent ${JSON.stringify(id)} has an empty key path`, sshService);
    keys.push(...loadSshKeyFile(file));
  }
  return new SshKeyAgent(keys);
}

/** Answers one ForwardAgent stream from kiln's own key agent. */
function serveKeys(call: ForwardCall, id: string, agent: SshKeyAgent): void {
  const reader = new AgentFrameReader('the container');
  let finished = false;
  call.on('data', (message: moby.sshforward.v1.BytesMessage) => {
    const data = message.data;
    if (finished || data === undefined || data === null || data.length === 0) return;
    const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let frames: Buffer[];
    try {
      frames = reader.push(chunk);
    } catch (err) {
      finished = true;
      call.emit('error', { code: GrpcStatus.INVALID_ARGUMENT, details: `ssh agent ${JSON.stringify(id)}: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    for (const frame of frames) call.write({ data: agent.reply(frame) });
  });
  call.on('end', () => {
    if (finished) return;
    finished = true;
    call.end();
  });
  call.on('cancelled', () => {
    finished = true;
  });
}

/** Pipes one ForwardAgent stream to a new connection to the agent at `path`. */
function forwardAgent(call: ForwardCall, id: string, path: string, filter: ReadOnlyAgentFilter | undefined): void {
  const agent: Socket = createConnection({ path });
  let connected = false;
  let finished = false;

  const fail = (code: GrpcStatus, details: string): void => {
    if (finished) return;
    finished = true;
    agent.destroy();
    call.emit('error', { code, details });
  };
  const endStream = (): void => {
    if (finished) return;
    finished = true;
    call.end();
  };

  // Backpressure: a full gRPC send buffer pauses reading from the agent, a full socket pauses reading the stream.
  let awaitingCallDrain = false;
  let awaitingAgentDrain = false;
  const toClient = (frames: readonly Buffer[]): void => {
    for (const data of frames) {
      if (finished) return;
      if (!call.write({ data }) && !awaitingCallDrain) {
        awaitingCallDrain = true;
        agent.pause();
        call.once('drain', () => {
          awaitingCallDrain = false;
          agent.resume();
        });
      }
    }
  };
  const toAgent = (bytes: Buffer): void => {
    if (bytes.length === 0 || agent.destroyed) return;
    if (!agent.write(bytes) && !awaitingAgentDrain) {
      awaitingAgentDrain = true;
      call.pause();
      agent.once('drain', () => {
        awaitingAgentDrain = false;
        call.resume();
      });
    }
  };

  agent.on('connect', () => {
    connected = true;
  });
  agent.on('data', (chunk: Buffer) => {
    if (filter === undefined) {
      toClient([chunk]);
      return;
    }
    try {
      toClient(filter.fromAgent(chunk));
    } catch (err) {
      fail(GrpcStatus.INTERNAL, `ssh agent ${JSON.stringify(id)} at ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  agent.on('end', endStream);
  agent.on('close', endStream);
  agent.on('error', (err: NodeJS.ErrnoException) => {
    const agentName = `ssh agent ${JSON.stringify(id)} at ${path}`;
    const reason = err.code ?? err.message;
    fail(GrpcStatus.UNAVAILABLE, connected ? `connection to ${agentName} failed: ${reason}` : `cannot connect to ${agentName}: ${reason}`);
  });

  call.on('data', (message: moby.sshforward.v1.BytesMessage) => {
    const data = message.data;
    if (data === undefined || data === null || data.length === 0) return;
    const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (filter === undefined) {
      toAgent(chunk);
      return;
    }
    let result: { forward: Buffer; reply: Buffer[] };
    try {
      result = filter.fromClient(chunk);
    } catch (err) {
      fail(GrpcStatus.INVALID_ARGUMENT, `ssh agent ${JSON.stringify(id)}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    toAgent(result.forward);
    toClient(result.reply);
  });
  // The container closed its end: half-close the agent connection so the agent sees EOF and can answer what is left.
  call.on('end', () => {
    if (!agent.destroyed) agent.end();
  });
  call.on('cancelled', () => {
    finished = true;
    agent.destroy();
  });
}

/**
 * Splits both directions of an ssh-agent conversation into messages (uint32 length + type byte + body) and lets
 * only {@link READ_ONLY_AGENT_REQUESTS} reach the agent. Refused requests are answered with SSH_AGENT_FAILURE in
 * the position their reply is due, so replies keep the order of requests even with several in flight.
 */
class ReadOnlyAgentFilter {
  readonly #fromClient = new AgentFrameReader('the container');
  readonly #fromAgent = new AgentFrameReader('the agent');
  /** Replies owed to the client, in request order: `null` = the agent's next reply, a Buffer = a local one. */
  readonly #owed: (Buffer | null)[] = [];

  /** Takes bytes from the container; returns what to pass to the agent and replies to send back at once. */
  fromClient(chunk: Buffer): { forward: Buffer; reply: Buffer[] } {
    const forward: Buffer[] = [];
    for (const frame of this.#fromClient.push(chunk)) {
      const type = frame[4]!;
      if (READ_ONLY_AGENT_REQUESTS.has(type)) {
        forward.push(frame);
        this.#owed.push(null);
      } else {
        this.#owed.push(AGENT_FAILURE_FRAME);
      }
    }
    return { forward: Buffer.concat(forward), reply: this.#takeLocalReplies() };
  }

  /** Takes bytes from the agent; returns the messages to send to the container, in order. */
  fromAgent(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    for (const frame of this.#fromAgent.push(chunk)) {
      if (this.#owed[0] === null) this.#owed.shift();
      out.push(frame, ...this.#takeLocalReplies());
    }
    return out;
  }

  #takeLocalReplies(): Buffer[] {
    const out: Buffer[] = [];
    for (let head = this.#owed[0]; head !== undefined && head !== null; head = this.#owed[0]) {
      out.push(head);
      this.#owed.shift();
    }
    return out;
  }
}

function requestedId(values: readonly (string | Buffer)[]): string {
  const first = values[0];
  const id = typeof first === 'string' ? first : first === undefined ? '' : first.toString('utf8');
  return id === '' ? DEFAULT_SSH_ID : id;
}

function isWindowsPipe(path: string): boolean {
  return process.platform === 'win32' && /^[\\/]{2}[.?][\\/]pipe[\\/]/i.test(path);
}

function notConfigured(id: string): string {
  return `no ssh agent is configured for id ${JSON.stringify(id)}; forward one with --ssh ${id === DEFAULT_SSH_ID ? 'default' : `${id}=SOCKET`}`;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Checks that `path` is a unix socket or a regular file (a key file); returns its stats (none for a Windows pipe). */
function checkSocket(id: string, path: string): Stats | undefined {
  // Windows agents (OpenSSH for Windows, Pageant) listen on named pipes, which stat cannot describe.
  if (isWindowsPipe(path)) return undefined;
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    invalidArgument(
      `sshService: ssh agent socket ${path} for id ${JSON.stringify(id)} ${code === 'ENOENT' ? 'does not exist' : `cannot be checked (${code ?? String(err)})`}`,
      sshService,
      { cause: err, hint: 'Is the ssh-agent still running? Check SSH_AUTH_SOCK or the path given.' },
    );
  }
  if (!stats.isSocket() && !stats.isFile()) {
    invalidArgument(`sshService: ${path} (ssh id ${JSON.stringify(id)}) is neither an ssh-agent socket nor a private key file`, sshService, {
      hint: 'Pass the ssh-agent socket (usually $SSH_AUTH_SOCK) or a private key file such as ~/.ssh/id_ed25519.',
    });
  }
  return stats;
}
