import type { Duplex } from 'node:stream';
import {
  Server,
  ServerCredentials,
  type ConnectionInjector,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

/** One gRPC service kiln serves to the daemon over the session tunnel. */
export interface SessionService {
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
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
  #closed = false;

  constructor(services: readonly SessionService[]) {
    const methods: string[] = [];
    for (const s of services) {
      this.#server.addService(s.definition, s.implementation);
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
