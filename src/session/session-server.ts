import type { Duplex } from 'node:stream';
import {
  Server,
  ServerCredentials,
  type ConnectionInjector,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { callHttp2Session } from './grpc-direct-send.js';

/**
 * One method of a {@link SessionService}: what a grpc-js `MethodDefinition` has for a server. Spelled out here so that
 * kiln's public declarations do not pull grpc-js's (and its dependencies') into a user's compile.
 */
export interface SessionMethod {
  /** `/package.Service/Method`. */
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestDeserialize: (bytes: Buffer) => unknown;
  readonly responseSerialize: (value: never) => Buffer;
}

/**
 * One gRPC service kiln serves to the daemon over the session tunnel: made by `authService`,
 * `secretsService`, `sshService`, `fileSyncService`, `contentService` or
 * `exportReceiver`, and given to `buildImage` as `sessionServices`. A grpc-js service definition and
 * implementation fit it too.
 */
export interface SessionService {
  /** The service's methods by name (a grpc-js `ServiceDefinition`). */
  readonly definition: Readonly<Record<string, SessionMethod>>;
  /** The handler of each method, by name (a grpc-js `UntypedServiceImplementation`). */
  readonly implementation: Readonly<Record<string, (...args: never[]) => void>>;
}

/**
 * The gRPC server of one build session. Inside the session tunnel the daemon is the HTTP/2 client and kiln is the
 * server, so this never listens on a port: the tunnel's byte stream is injected as a connection.
 */
export class SessionServer {
  readonly #server = new Server({
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.max_send_message_length': 16 * 1024 * 1024,
  });
  readonly #injector: ConnectionInjector;
  readonly #methods: readonly string[];
  /** Sessions whose receive windows are widened already. */
  readonly #widened = new WeakSet<object>();
  #closed = false;

  constructor(services: readonly SessionService[]) {
    const methods: string[] = [];
    for (const s of services) {
      // The same objects, typed as grpc-js's own (SessionService spells them out without naming grpc-js).
      this.#server.addService(s.definition as ServiceDefinition, widenedWindows(s.implementation, this.#widened) as UntypedServiceImplementation);
      for (const m of Object.values(s.definition)) methods.push(m.path);
    }
    this.#methods = methods;
    this.#injector = this.#server.createConnectionInjector(ServerCredentials.createInsecure());
  }

  /** Every method path served, for the `x-docker-expose-session-grpc-method` headers. */
  get methods(): readonly string[] {
    return this.#methods;
  }

  /** Serves the daemon on an already-open byte stream (the session tunnel). */
  attach(stream: Duplex): void {
    this.#injector.injectConnection(stream);
  }

  /** Stops serving; in-flight calls are cancelled. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#injector.destroy();
    this.#server.forceShutdown();
  }
}

/**
 * Receive window of the session's HTTP/2 connection and of each of its streams. Node's default (64 KiB) lets the daemon
 * send 64 KiB and then wait for a WINDOW_UPDATE to come back through the tunnel: an export streamed into kiln ran at
 * about 10 MB/s whatever the disk or Docker could take.
 */
export const SESSION_RECEIVE_WINDOW = 8 * 1024 * 1024;

function widenedWindows(implementation: SessionService['implementation'], widened: WeakSet<object>): SessionService['implementation'] {
  const out: Record<string, (...args: never[]) => void> = {};
  for (const [name, handler] of Object.entries(implementation)) {
    out[name] = (...args: never[]) => {
      const call: unknown = args[0];
      const session = typeof call === 'object' && call !== null ? callHttp2Session(call) : undefined;
      if (session !== undefined && !widened.has(session) && !session.destroyed) {
        widened.add(session);
        try {
          session.setLocalWindowSize(SESSION_RECEIVE_WINDOW);
          session.settings({ initialWindowSize: SESSION_RECEIVE_WINDOW });
        } catch {
          // A session closing under us: its calls end anyway.
        }
      }
      handler(...args);
    };
  }
  return out;
}
