import { basename } from 'node:path';
import { Duplex } from 'node:stream';
import { Metadata, type Client as GrpcClient, type ClientDuplexStream } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import { decodeBytesMessage, encodeBytesMessageFrom } from '../session/bytes-message.js';
import type { SessionServer } from '../session/session-server.js';

const SESSION_METHOD = '/moby.buildkit.v1.Control/Session';
/** Largest batch of session-server bytes sent as one tunnel message before the server has to wait. */
const MAX_BATCH_BYTES = 1 << 20;

/** Identity of a session as the daemon sees it. */
export interface SessionIdentity {
  readonly id: string;
  /**
   * Human name (BuildKit's clients use the basename of the working directory, as kiln does by default). Sent as
   * {@link sessionName} gives it: printable ASCII.
   */
  readonly name?: string;
  /** Stable key used by the daemon to reuse the previous transfer of local sources. */
  readonly sharedKey?: string;
}

/** An open session tunnel. */
export interface SessionTunnel {
  readonly id: string;
  /** Resolves once the daemon has sent its first bytes (its HTTP/2 preface): the session is registered. */
  readonly ready: Promise<void>;
  /**
   * Ends the tunnel; the daemon drops the session. Resolves once the connection it ran on is closed (over a helper
   * command such as `ssh … docker system dial-stdio`, once that process has exited).
   */
  close(): Promise<void>;
}

/**
 * `name` as the session-name header carries it: characters other than printable ASCII become `%XX` escapes of their
 * UTF-8 bytes (`prójekt ü` → `pr%C3%B3jekt %C3%BC`), `kiln` for an empty name. gRPC metadata takes printable ASCII
 * only (a buildkitd refused any other, so a build from a checkout in a directory named `prójekt` or `项目` failed),
 * and Node's HTTP client refuses what Latin-1 cannot spell (dockerd's `/session`).
 */
export function sessionName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  return ascii === '' ? 'kiln' : ascii;
}

/**
 * The headers that register a session with the daemon, whichever way it is opened (gRPC metadata on `Control.Session`,
 * HTTP headers on dockerd's `/session`): lower-case names, one value per method served.
 */
export function sessionHeaders(identity: SessionIdentity, methods: readonly string[]): Record<string, string | readonly string[]> {
  return {
    'x-docker-expose-session-uuid': identity.id,
    'x-docker-expose-session-name': sessionName(identity.name ?? basename(process.cwd())),
    'x-docker-expose-session-sharedkey': identity.sharedKey ?? identity.id,
    'x-docker-expose-session-grpc-method': methods,
  };
}

/**
 * Opens `Control.Session` (a bidi stream of raw bytes) and serves `server` on it: inside the tunnel the daemon is
 * the HTTP/2 client and kiln is the server.
 */
export function openSessionTunnel(client: GrpcClient, identity: SessionIdentity, server: SessionServer): SessionTunnel {
  const md = new Metadata();
  for (const [name, value] of Object.entries(sessionHeaders(identity, server.methods))) {
    for (const v of typeof value === 'string' ? [value] : value) md.add(name, v);
  }

  const call: ClientDuplexStream<readonly Buffer[], Buffer> = client.makeBidiStreamRequest(
    SESSION_METHOD,
    encodeBytesMessageFrom,
    decodeBytesMessage,
    md,
    {},
  );
  let markReady: () => void = () => {};
  let markFailed: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  let closed = false;

  // Bytes the session server wrote, not yet sent. Its HTTP/2 layer writes every frame separately (a file-sync STAT
  // packet is a ~100-byte frame), and each write would otherwise become one message of the tunnel, with its own
  // frame, syscalls and proxy hop. Frames written in the same turn of the event loop go out as one message.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let flushScheduled = false;
  /** grpc-js holds more than it wants (its `write` returned false): nothing more is sent until it drains. */
  let callFull = false;
  /** Callbacks of writes held back (batch full, or grpc-js full): the session server waits for them. */
  let heldCallbacks: (() => void)[] = [];

  const releaseHeld = (): void => {
    const held = heldCallbacks;
    heldCallbacks = [];
    for (const cb of held) cb();
  };

  const flush = (): void => {
    flushScheduled = false;
    if (closed) {
      pending = [];
      pendingBytes = 0;
      releaseHeld();
      return;
    }
    if (pending.length === 0 || callFull) return;
    // The chunks go to the serializer as they are: it copies each once, straight into the tunnel message.
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    if (call.write(batch)) {
      releaseHeld();
      return;
    }
    callFull = true;
    call.once('drain', () => {
      callFull = false;
      releaseHeld();
      flush();
    });
  };

  const pipe = new Duplex({
    read() {
      call.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      if (closed) {
        cb();
        return;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (!flushScheduled && !callFull) {
        flushScheduled = true;
        setImmediate(flush);
      }
      if (pendingBytes < MAX_BATCH_BYTES && !callFull) cb();
      else heldCallbacks.push(cb);
    },
    final(cb) {
      // Every write's callback has run, so nothing is held; what is pending goes out before the end.
      const finish = (): void => {
        if (!closed && pending.length > 0) call.write(pending);
        pending = [];
        pendingBytes = 0;
        call.end();
        cb();
      };
      if (callFull) call.once('drain', finish);
      else finish();
    },
    destroy(err, cb) {
      pending = [];
      pendingBytes = 0;
      if (!closed) call.cancel();
      cb(err);
    },
  });
  call.on('data', (data: Buffer) => {
    markReady();
    if (data.length > 0 && !pipe.push(data)) call.pause();
  });
  call.on('end', () => pipe.push(null));
  call.on('error', (err: Error) => {
    markFailed(
      new KilnError('unavailable', `the daemon closed the build session before it started: ${err.message}`, { cause: err }),
    );
    pipe.destroy();
  });
  pipe.on('error', () => {});
  // Avoid an unhandled rejection when nobody awaits readiness (e.g. the build failed first).
  ready.catch(() => {});
  server.attach(pipe);

  return {
    id: identity.id,
    ready,
    // The tunnel is a call on the client's channel: nothing of its own to wait for.
    async close() {
      if (closed) return;
      closed = true;
      call.end();
      call.cancel();
      pipe.destroy();
    },
  };
}
