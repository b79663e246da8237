import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, isIP, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { credentials as grpcCredentials, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import type { DaemonAddress, TlsFiles } from './address.js';
import { openCommandStream } from './command-stream.js';
import { streamClosed } from './stream-closed.js';
import { helperCommand, type HelperCommand } from './connection-helper.js';
import { dockerRequestTarget, type DockerEndpoint } from './docker-api.js';
import { grpcProxyFor, proxyAuthorization, proxyFailure, type GrpcProxy, type ProxyPurpose } from './grpc-proxy.js';

/** Largest gRPC message kiln sends or accepts (the daemons keep grpc-go's 4 MiB receive limit; we accept 16 MiB). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** What grpc-js needs to open a channel to the daemon, plus the means to tear down helpers (proxies). */
export interface Transport {
  /** grpc-js target string (`unix:/path` or `host:port`). */
  readonly target: string;
  readonly credentials: ChannelCredentials;
  readonly channelOptions: ChannelOptions;
  /** The last error met while dialling through a proxy, to explain an UNAVAILABLE. */
  lastDialError(): Error | undefined;
  /** The HTTP proxy the connection goes through (a `tcp://` daemon, chosen from the environment), if any. */
  readonly proxy?: GrpcProxy | undefined;
  close(): Promise<void>;
}

const BASE_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  // The daemon never sends keepalive pings we must answer; keep the channel quiet and let calls decide.
  'grpc.enable_retries': 0,
  // kiln chooses the proxy itself (grpc-proxy.ts), as grpc-go would: grpc-js's own choice differs (it ignores
  // HTTPS_PROXY and NO_PROXY, proxies loopback and uses http_proxy), and its failures print to stderr and reach the
  // caller without a reason.
  'grpc.enable_http_proxy': 0,
  // The receive window of each call (and the connection): with grpc-js's 64 KiB the session tunnel, which carries
  // exports, waited for a window update every 64 KiB.
  'grpc-node.flow_control_window': 8 * 1024 * 1024,
};

/**
 * After the daemon went away, reconnect at least every 2 s (grpc-js's default backs off up to 2 minutes): a restarted
 * daemon is usable again within seconds, and a build waits that long for it (connection-ready.ts). For addresses
 * whose dial is a socket connect (or an HTTP upgrade on Docker's socket); not where every dial starts a process
 * (`docker exec` for docker-container://, `ssh`, `kubectl exec`…), which keeps grpc-js's backoff.
 */
const QUICK_RECONNECT: ChannelOptions = { 'grpc.max_reconnect_backoff_ms': 2000 };

/**
 * Opens the transport for an address: direct for unix/tcp, a private local proxy for Docker-based addresses and for a
 * `tcp://` daemon reached through the HTTP proxy `env` names (grpc-proxy.ts).
 */
export async function openTransport(address: DaemonAddress, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Transport> {
  switch (address.kind) {
    case 'unix':
      return direct(`unix:${address.path}`, grpcCredentials.createInsecure());
    case 'tcp': {
      const files = tlsFiles(address.tls);
      const viaProxy = grpcProxyFor(address.host, address.port, env);
      if (viaProxy !== undefined) {
        const { host, port } = address;
        const serverName = address.tls?.serverName;
        const transport = await proxied(async (signal) => {
          const tunnel = await dialConnect(viaProxy, host, port, signal);
          return files === undefined ? tunnel : dialTls(host, port, files, signal, tunnel, serverName);
        }, QUICK_RECONNECT);
        return { ...transport, proxy: viaProxy };
      }
      // grpc-js names an IP address as the TLS server name, which RFC 6066 forbids and Node warns about on stderr
      // (DEP0123). For an IP without --tlsservername kiln makes the TLS connection itself, without a server name
      // (the certificate is still checked against the IP), and hands grpc-js the decrypted stream.
      if (files !== undefined && address.tls?.serverName === undefined && isIP(address.host) !== 0) {
        const { host, port } = address;
        return proxied((signal) => dialTls(host, port, files, signal), QUICK_RECONNECT);
      }
      return direct(
        `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`,
        files === undefined ? grpcCredentials.createInsecure() : grpcCredentials.createSsl(files.ca, files.key, files.cert),
        address.tls?.serverName,
      );
    }
    case 'docker':
      // Over ssh every dial starts a process: grpc-js's own backoff.
      return proxied((signal) => dialDockerUpgrade(address.endpoint, '/grpc', {}, signal), 'ssh' in address.endpoint ? {} : QUICK_RECONNECT);
    case 'docker-container':
    case 'ssh':
    case 'kube-pod':
    case 'podman-container':
    case 'nerdctl-container': {
      const helper = helperCommand(address);
      return proxied((signal) => dialCommand(helper, signal), {});
    }
  }
}

function direct(target: string, creds: ChannelCredentials, serverName?: string): Transport {
  const channelOptions: ChannelOptions =
    serverName === undefined
      ? { ...BASE_CHANNEL_OPTIONS, ...QUICK_RECONNECT }
      : { ...BASE_CHANNEL_OPTIONS, ...QUICK_RECONNECT, 'grpc.ssl_target_name_override': serverName, 'grpc.default_authority': serverName };
  return {
    target,
    credentials: creds,
    channelOptions,
    lastDialError: () => undefined,
    close: async () => {},
  };
}

/** The TLS files' contents; undefined when none is given (a plain-text connection). */
interface TlsMaterial {
  readonly ca: Buffer | null;
  readonly key: Buffer | null;
  readonly cert: Buffer | null;
}

function tlsFiles(tls: TlsFiles | undefined): TlsMaterial | undefined {
  if (tls === undefined || (tls.caCert === undefined && tls.cert === undefined && tls.key === undefined)) return undefined;
  const read = (what: string, path: string | undefined): Buffer | null => {
    if (path === undefined) return null;
    try {
      return readFileSync(path);
    } catch (cause) {
      throw new KilnError('io', `cannot read the TLS ${what} file ${path}`, { cause, hint: 'Check the path given for the TLS option.' });
    }
  };
  return { ca: read('CA certificate', tls.caCert), key: read('client key', tls.key), cert: read('client certificate', tls.cert) };
}

/**
 * A TLS connection (ALPN h2) to host:port, verified against the CA given (else the system's) and `serverName`, else the
 * host (an IP is sent no server name); over `through` (a proxy's tunnel) when given.
 */
function dialTls(host: string, port: number, files: TlsMaterial, signal: AbortSignal, through?: Socket, serverName?: string): Promise<Duplex> {
  return cancellable<Duplex>(signal, (resolve, reject) => {
    const name = serverName ?? (isIP(host) === 0 ? host : undefined);
    const socket = tlsConnect({
      host,
      port,
      ...(through === undefined ? {} : { socket: through }),
      ...(name === undefined ? {} : { servername: name }),
      ALPNProtocols: ['h2'],
      ...(files.ca === null ? {} : { ca: files.ca }),
      ...(files.key === null ? {} : { key: files.key }),
      ...(files.cert === null ? {} : { cert: files.cert }),
    });
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', reject);
    // A server that accepts and never completes the handshake would hold the socket open for good.
    return () => {
      socket.destroy();
      through?.destroy();
    };
  });
}

/**
 * What a tunnel is for, for the hint of its failures (proxyFailure): what kiln does through it, which tools do the same,
 * what a direct connection reaches. The host to exempt is the tunnel's.
 */
export type TunnelPurpose = Omit<ProxyPurpose, 'host'>;

const DAEMON_TUNNEL: TunnelPurpose = { doing: 'reaches a tcp:// daemon', asWho: 'as buildctl and docker buildx do', target: 'the daemon' };

/**
 * A tunnel to host:port through an HTTP proxy (`CONNECT`, with the URL's credentials as `Proxy-Authorization: Basic`).
 * Its failures are `unavailable` KilnErrors naming the proxy (redacted) and the variable it came from; `purpose` says in
 * the hint what goes through the proxy and which tools do the same.
 */
export function dialConnect(proxy: GrpcProxy, host: string, port: number, signal: AbortSignal, purpose: TunnelPurpose = DAEMON_TUNNEL): Promise<Socket> {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const failed = (why: string, cause?: unknown): KilnError => proxyFailure(proxy, why, { ...purpose, host }, cause);
  return cancellable<Socket>(signal, (resolve, reject) => {
    const headers: Record<string, string> = { Host: target, ...proxyAuthorization(proxy) };
    const req = request({ host: proxy.host, port: proxy.port, method: 'CONNECT', path: target, headers, agent: false });
    req.once('connect', (res, socket, head) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(failed(`refused to connect to ${target}: HTTP ${res.statusCode ?? '?'}${res.statusMessage === undefined || res.statusMessage === '' ? '' : ` ${res.statusMessage}`}`));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      socket.setNoDelay(true);
      resolve(socket);
    });
    req.once('response', (res) => {
      res.resume();
      reject(failed(`did not open a tunnel to ${target}: HTTP ${res.statusCode ?? '?'}`));
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code ?? err.message;
      reject(failed(`could not be reached: ${why}`, err));
    });
    req.end();
    return () => req.destroy();
  });
}

/** Starts a dial; the function it returns releases what the dial holds (a socket, a process) while it is pending. */
type DialStart<T> = (resolve: (value: T) => void, reject: (err: Error) => void) => () => void;

/**
 * Runs a dial that `signal` can stop: when the signal aborts before the dial settled, the dial's cancel function
 * runs and the promise rejects with the signal's reason; a dial whose signal already aborted fails before it starts.
 * A daemon that accepts a connection and never answers would otherwise leave a socket or a child process behind,
 * and that keeps the Node process alive after everything else is closed. Once settled, the dial's result belongs
 * to the caller.
 */
function cancellable<T>(signal: AbortSignal | undefined, start: DialStart<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    let settled = false;
    let cancel = (): void => {};
    const onAbort = (): void => {
      settled = true;
      cancel();
      reject(abortReason(signal));
    };
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    cancel = start(
      (value) => {
        if (settle()) resolve(value);
      },
      (err) => {
        if (settle()) reject(err);
      },
    );
    if (!settled) signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('the dial was cancelled');
}

/**
 * Runs a tiny unix-socket proxy in this process: grpc-js connects to it, and every accepted connection is
 * joined to a freshly dialled stream (an upgraded Docker API connection, or `buildctl dial-stdio`).
 * grpc-js cannot adopt an already-open socket, hence the proxy. `reconnect`: how soon grpc-js redials after a failure.
 */
async function proxied(dial: (signal: AbortSignal) => Promise<Duplex>, reconnect: ChannelOptions): Promise<Transport> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-'));
  const path = join(dir, 'grpc.sock');
  let lastError: Error | undefined;
  let closed = false;
  const live = new Set<Duplex | Socket>();
  // Dials still waiting for the daemon: closing the transport stops them, since a daemon that never answers
  // would otherwise keep their sockets (or `docker exec` processes) and with them the Node process alive.
  const dialling = new Set<AbortController>();
  const server: Server = createServer((conn) => {
    if (closed) {
      conn.destroy();
      return;
    }
    const attempt = new AbortController();
    dialling.add(attempt);
    live.add(conn);
    conn.pause();
    conn.on('error', () => {});
    conn.on('close', () => live.delete(conn));
    dial(attempt.signal).then(
      (upstream) => {
        dialling.delete(attempt);
        // The dial may have completed just as the transport closed, after close() destroyed the live streams.
        if (attempt.signal.aborted) {
          upstream.destroy();
          conn.destroy();
          return;
        }
        live.add(upstream);
        // The proxy's own streams never keep the process alive: grpc-js holds its end of the connection referenced
        // while a call runs and lets it go when idle, and a process that is done (a script that forgot close()) ends,
        // as it does on a unix:// or tcp:// address.
        unrefStream(conn);
        unrefStream(upstream);
        upstream.on('close', () => {
          live.delete(upstream);
          conn.destroy();
        });
        upstream.on('error', (err: Error) => {
          lastError = err;
          conn.destroy();
        });
        conn.on('close', () => upstream.destroy());
        conn.pipe(upstream);
        upstream.pipe(conn);
        // The daemon answers: an earlier failure no longer explains anything. Not before its first bytes: a command
        // that started (ssh, kubectl exec) may still fail to reach it, and its failure is what explains the call's.
        upstream.once('data', () => {
          lastError = undefined;
        });
        conn.resume();
      },
      (err: unknown) => {
        dialling.delete(attempt);
        // A dial we stopped ourselves says nothing about the daemon.
        if (!attempt.signal.aborted) lastError = err instanceof Error ? err : new Error(String(err));
        conn.destroy();
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  server.unref();
  return {
    target: `unix:${path}`,
    credentials: grpcCredentials.createInsecure(),
    channelOptions: { ...BASE_CHANNEL_OPTIONS, ...reconnect },
    lastDialError: () => lastError,
    close: async () => {
      closed = true;
      for (const attempt of dialling) attempt.abort(new Error('the connection to the BuildKit daemon was closed'));
      dialling.clear();
      // Destroyed streams close once what they hold is released: a helper command's once its process has exited.
      const closing = [...live].map((s) => streamClosed(s));
      for (const s of live) s.destroy();
      await Promise.all([...closing, new Promise<void>((resolve) => server.close(() => resolve()))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lets the process end while `stream` is open, when it is a socket (a `docker exec`'s stdio is not: its process is ours). */
function unrefStream(stream: Duplex): void {
  if (stream instanceof Socket) stream.unref();
}

/**
 * Opens a Docker API connection and upgrades it to h2c on `path` (`/grpc` or `/session`). Bytes that arrive
 * after the `101` response headers already belong to HTTP/2 and are put back in front of the stream.
 */
export function dialDockerUpgrade(
  endpoint: DockerEndpoint,
  path: '/grpc' | '/session',
  headers: Readonly<Record<string, string | readonly string[]>>,
  signal?: AbortSignal,
): Promise<Duplex> {
  return cancellable<Duplex>(signal, (resolve, reject) => {
    const req = request({
      ...dockerRequestTarget(endpoint),
      method: 'POST',
      path,
      headers: { Host: 'docker', Connection: 'Upgrade', Upgrade: 'h2c', 'Content-Length': '0', ...(headers as Record<string, string | string[]>) },
    });
    req.on('upgrade', (res, socket, head) => {
      if (res.statusCode !== 101) {
        socket.destroy();
        reject(new Error(`Docker API answered ${res.statusCode} to the ${path} upgrade`));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      // A unix or TCP socket; over ssh, the `docker system dial-stdio`'s stdio (no Nagle to turn off).
      if (socket instanceof Socket) socket.setNoDelay(true);
      resolve(socket);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').trim();
        reject(new Error(`Docker API refused the ${path} upgrade: HTTP ${res.statusCode}${body === '' ? '' : `: ${body}`}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
    // Nothing else ends a request the Docker API never answers: its socket would stay open for good.
    return () => req.destroy();
  });
}

/**
 * Runs the command that reaches the daemon (connection-helper.ts) and hands its stdio over as one stream; closing the
 * transport while it starts kills it.
 */
function dialCommand(helper: HelperCommand, signal: AbortSignal): Promise<Duplex> {
  return cancellable<Duplex>(signal, (resolve, reject) => {
    let cancel = (): void => {};
    openCommandStream(helper, (kill) => {
      cancel = kill;
    }).then(resolve, reject);
    return () => cancel();
  });
}
