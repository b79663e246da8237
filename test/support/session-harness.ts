/**
 * Test support: serves session services the way a build does (a `SessionServer` fed raw connections, here from a
 * private unix socket) and gives the test a plain grpc-js `Client` that plays the daemon's side.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Metadata, credentials, type ServiceError } from '@grpc/grpc-js';
import { SessionServer, type SessionService } from '../../src/session/session-server.js';

/** One running session server plus the "daemon" client connected to it. */
export class SessionHarness {
  readonly #dir: string;
  readonly #session: SessionServer;
  readonly #listener: NetServer;
  /** The daemon's side: call session methods with `makeUnaryRequest` / `makeBidiStreamRequest` etc. */
  readonly client: Client;

  private constructor(dir: string, session: SessionServer, listener: NetServer) {
    this.#dir = dir;
    this.#session = session;
    this.#listener = listener;
    this.client = new Client(`unix:${join(dir, 's.sock')}`, credentials.createInsecure());
  }

  /** Starts a session server with `services` on a fresh socket in a temporary directory. */
  static async start(...services: SessionService[]): Promise<SessionHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-session-'));
    const session = new SessionServer(services);
    const listener = createServer((conn) => session.attach(conn));
    await new Promise<void>((resolve) => listener.listen(join(dir, 's.sock'), resolve));
    return new SessionHarness(dir, session, listener);
  }

  /** A unary call with an already-encoded request; `decode` turns the response bytes into the test's value. */
  unary<Res>(path: string, request: Uint8Array, decode: (b: Buffer) => Res, metadata = new Metadata()): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        path,
        (r: Uint8Array) => Buffer.from(r),
        decode,
        request,
        metadata,
        (err, value) => (err || value === undefined ? reject(err ?? new Error('no response')) : resolve(value)),
      );
    });
  }

  /** Closes the client, the session server and the socket, and removes the temporary directory. */
  async close(): Promise<void> {
    this.client.close();
    this.#session.close();
    await new Promise<void>((resolve) => this.#listener.close(() => resolve()));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Awaits `p`, which must fail, and returns its gRPC error. */
export async function serviceError(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error('expected the call to fail');
}
