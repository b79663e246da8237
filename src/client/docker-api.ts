import { request, type ClientRequestArgs, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { KilnError } from '../errors.js';
import { proxyAuthorization, proxyFailure, webProxyFor, type GrpcProxy } from './grpc-proxy.js';
import { openCommandStream } from './command-stream.js';
import { streamClosed } from './stream-closed.js';
import { helperCommand } from './connection-helper.js';
import { dockerHostFromEnv, dockerHostOrigin, readTextFileIfExists, unreachableDockerHost, type ReadTextFile } from './docker-context.js';
import { notASocket, notASocketError, refusedSocketPath } from './not-a-socket.js';
import { npipePath, socketAddress } from './npipe.js';
import { formatSshTarget, parseSshTarget, type SshTarget } from './ssh-target.js';

/**
 * Where the Docker Engine API listens: a unix socket, TCP, or a Docker on an ssh host (`DOCKER_HOST=ssh://…`), reached
 * as the docker CLI reaches it: every connection is an `ssh … docker system dial-stdio`.
 */
export type DockerEndpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number } | { readonly ssh: SshTarget };

/**
 * The `http.request` options that reach an endpoint. Over ssh, each request gets its own `docker system dial-stdio`.
 */
export function dockerRequestTarget(ep: DockerEndpoint): ClientRequestArgs {
  if ('socketPath' in ep) return { socketPath: ep.socketPath };
  if ('host' in ep) return { host: ep.host, port: ep.port };
  const helper = helperCommand({ kind: 'docker-ssh', target: ep.ssh });
  // No agent: http uses createConnection only then (and a connection is a process, ended with its request).
  return {
    createConnection: (_options, done) => {
      // The stream stands in for the socket: http only reads, writes and ends it (Node accepts any duplex here).
      openCommandStream(helper).then(
        (stream) => done(null, stream as Socket),
        (err: Error) => done(err, undefined as unknown as Socket),
      );
      return undefined;
    },
  };
}

/**
 * The `http.request` options of a Docker API request (not an upgrade) to `path`: as {@link dockerRequestTarget}, except
 * that a `tcp://` Docker host goes through the proxy the environment names for `http://HOST:PORT` — `HTTP_PROXY`
 * (else `http_proxy`) unless `NO_PROXY` exempts it, never for loopback — as an absolute-URI request, as the docker
 * CLI's requests do (Go's `http.ProxyFromEnvironment`). Upgrades (`/grpc`, `/session`) stay direct: the docker CLI
 * and buildx dial those without a proxy.
 */
export function dockerRestTarget(
  ep: DockerEndpoint,
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { readonly options: ClientRequestArgs; readonly proxy: GrpcProxy | undefined } {
  if (!('host' in ep)) return { options: { ...dockerRequestTarget(ep), path, headers: { Host: 'docker' } }, proxy: undefined };
  const authority = `${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}`;
  const proxy = webProxyFor(new URL(`http://${authority}/`), env);
  if (proxy === undefined) return { options: { host: ep.host, port: ep.port, path, headers: { Host: 'docker' } }, proxy };
  const headers: Record<string, string> = { Host: authority, ...proxyAuthorization(proxy) };
  return { options: { host: proxy.host, port: proxy.port, path: `http://${authority}${path}`, headers, agent: false }, proxy };
}

/** Parses a Docker host URL as the docker CLI writes it (`ssh://user@host[:port][/socket]`) into an ssh endpoint. */
export function sshDockerEndpoint(host: string, bad: (why: string) => never): DockerEndpoint {
  return { ssh: parseSshTarget(host.slice('ssh://'.length), bad) };
}

/**
 * The Docker endpoint the docker CLI would use: `DOCKER_HOST` (unix:// or tcp://), else the current docker context's
 * (`DOCKER_CONTEXT`, config.json's `currentContext`), else the default socket.
 */
export function dockerEndpointFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  read: ReadTextFile = readTextFileIfExists,
  platform: NodeJS.Platform = process.platform,
): DockerEndpoint {
  const choice = dockerHostFromEnv(env, read, platform);
  const host = choice.host;
  const from = dockerHostOrigin(host, choice.source);
  // ssh://, TLS and other schemes: the same refusal as for an address, with what to give a forwarded socket to.
  const refused = unreachableDockerHost(host, choice.tls, choice.source, env, 'load');
  if (refused !== undefined) throw refused;
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const pipe = npipePath(host);
  if (pipe !== undefined) return { socketPath: pipe };
  if (host.startsWith('ssh://')) {
    return sshDockerEndpoint(host, (why) => {
      throw new KilnError('invalid_argument', `${from} is invalid: ${why}`, {
        hint: 'Use ssh://[user@]host[:port][/path/to/docker.sock], as the docker CLI takes it.',
        details: { addressSource: choice.source },
      });
    });
  }
  const m = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(host);
  if (m !== null) return { host: m[1]!, port: Number(m[2]) };
  throw new KilnError('invalid_argument', `${from} is not supported by kiln`, {
    hint: 'Use DOCKER_HOST=unix:///path/to/docker.sock or tcp://host:port.',
    details: { addressSource: choice.source },
  });
}

/** The endpoint as a Docker host URL. */
export function describeDockerEndpoint(ep: DockerEndpoint): string {
  if ('socketPath' in ep) return socketAddress(ep.socketPath);
  if ('ssh' in ep) return formatSshTarget(ep.ssh);
  return `tcp://${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}`;
}

/** A failed request: the ssh command's own failure (helper_failed) keeps its code and advice. */
function unreachable(ep: DockerEndpoint, cause: Error, proxy?: GrpcProxy): KilnError {
  if (proxy !== undefined) {
    const purpose = { doing: 'sends Docker API requests to a tcp:// Docker host', asWho: 'as the docker CLI does', target: 'Docker', host: 'host' in ep ? ep.host : '' };
    const why = `could not be reached: ${(cause as NodeJS.ErrnoException).code ?? cause.message}`;
    return proxyFailure(proxy, why, purpose, cause, `cannot reach the Docker daemon at ${describeDockerEndpoint(ep)}`);
  }
  if (KilnError.is(cause, 'helper_failed')) {
    return new KilnError('helper_failed', `cannot reach the Docker daemon at ${describeDockerEndpoint(ep)}: ${cause.message}`, { cause, hint: cause.hint, details: cause.details });
  }
  // A unix:// path that is a regular file or a directory: Linux refuses the connection as it refuses one to a socket
  // nobody listens on, but the fix is the path, not starting Docker (what kiln's BuildKit connection says too).
  const socketPath = 'socketPath' in ep ? refusedSocketPath(cause) : undefined;
  const wrong = socketPath === undefined ? undefined : notASocket(socketPath);
  if (wrong !== undefined) {
    return notASocketError(
      `cannot reach the Docker daemon at ${describeDockerEndpoint(ep)}`,
      wrong,
      cause,
      "A unix:// Docker host names dockerd's socket: fix the path where it is given (DOCKER_HOST, the docker context, or the " +
        'docker:// address kiln builds on); dockerd listens on unix:///var/run/docker.sock by default.',
    );
  }
  return new KilnError('unavailable', `cannot reach the Docker daemon at ${describeDockerEndpoint(ep)}: ${cause.message}`, {
    cause,
    hint: 'Start Docker or set DOCKER_HOST to where it listens.',
  });
}

/** Options of one Docker API call. */
export interface DockerCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body: bytes, or a stream (e.g. an image tarball for /images/load). */
  readonly body?: Uint8Array | Readable;
  readonly signal?: AbortSignal;
  /** Where a `tcp://` Docker host's proxy variables are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * Resolves once the connection `res` came on is released. Over ssh every request is its own `ssh … docker system
 * dial-stdio` process: the answer is complete, so the connection is closed and the call returns once the process has
 * exited — a caller that closes everything (a client's close()) leaves no ssh behind. Sockets are left to http.
 */
function connectionReleased(ep: DockerEndpoint, res: IncomingMessage): Promise<void> {
  if (!('ssh' in ep)) return Promise.resolve();
  const socket = res.socket;
  socket.destroy();
  return streamClosed(socket);
}

/** Calls the Docker Engine API and returns status and body text. Non-2xx answers throw with Docker's message. */
export function dockerRequest(ep: DockerEndpoint, call: DockerCall): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = dockerRestTarget(ep, call.path, call.env);
    const req = request(
      {
        ...target.options,
        method: call.method,
        headers: { ...target.options.headers, ...(call.body instanceof Uint8Array ? { 'Content-Length': String(call.body.length) } : {}), ...call.headers },
        ...(call.signal === undefined ? {} : { signal: call.signal }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          const released = connectionReleased(ep, res);
          if (status >= 200 && status < 300) {
            void released.then(() => resolve({ status, text }));
            return;
          }
          let message = text.trim();
          try {
            const parsed = JSON.parse(text) as { message?: unknown };
            if (typeof parsed.message === 'string') message = parsed.message;
          } catch {
            // plain text answer
          }
          const failure = new KilnError(status === 404 ? 'not_found' : 'build_failed', `Docker API ${call.method} ${call.path} failed (${status}): ${message}`);
          void released.then(() => reject(failure));
        });
        res.on('error', reject);
      },
    );
    req.on('error', (cause) => reject(unreachable(ep, cause, target.proxy)));
    if (call.body === undefined) req.end();
    else if (call.body instanceof Uint8Array) req.end(call.body);
    else {
      const body = call.body;
      // A body stopped before its end (a cancelled export) must end the request too: Docker would otherwise wait
      // for the rest of the upload, and the open socket keeps the process alive.
      body.once('close', () => {
        if (!body.readableEnded) req.destroy(new Error('the upload to Docker was stopped before its end'));
      });
      body.pipe(req);
    }
  });
}

/**
 * Reads Docker's JSON-lines progress answers (push, load) and throws on the first `error`/`errorDetail` entry,
 * which Docker reports with a 200 status.
 */
export function checkJsonStream(text: string, what: string, hint?: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    out.push(obj);
    if (typeof obj['error'] === 'string') throw new KilnError('build_failed', `${what} failed: ${obj['error']}`, hint === undefined ? {} : { hint });
  }
  return out;
}

/**
 * Calls the Docker Engine API and resolves with the response stream once Docker answered 2xx (for large bodies such
 * as `GET /images/get`); a non-2xx answer rejects with Docker's message.
 */
export function dockerStream(ep: DockerEndpoint, call: Omit<DockerCall, 'body'>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = dockerRestTarget(ep, call.path, call.env);
    const req = request(
      { ...target.options, method: call.method, headers: { ...target.options.headers, ...call.headers }, ...(call.signal === undefined ? {} : { signal: call.signal }) },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(res);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8').trim();
          let message = text;
          try {
            const parsed = JSON.parse(text) as { message?: unknown };
            if (typeof parsed.message === 'string') message = parsed.message;
          } catch {
            // plain text answer
          }
          reject(new KilnError(status === 404 ? 'not_found' : 'build_failed', `Docker API ${call.method} ${call.path} failed (${status}): ${message}`));
        });
      },
    );
    req.on('error', (cause) => reject(unreachable(ep, cause, target.proxy)));
    req.end();
  });
}
