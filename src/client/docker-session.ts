/**
 * The build session on dockerd through its `POST /session` endpoint, as the Docker CLI and buildx's docker driver
 * open it: an HTTP/1.1 upgrade to h2c after which the socket itself carries the session's HTTP/2 (the daemon is the
 * client, kiln serves). Compared with `Control.Session` over `/grpc`, every byte the session sends skips a layer: no
 * BytesMessage envelope, no second gRPC framing and flow control, and no hop through the local proxy grpc-js needs
 * for Docker addresses — which is what file sync's throughput is made of.
 */
import type { Duplex } from 'node:stream';
import { KilnError } from '../errors.js';
import type { SessionServer } from '../session/session-server.js';
import type { DockerEndpoint } from './docker-api.js';
import { isConnectFailure } from './grpc-errors.js';
import { sessionHeaders, type SessionIdentity, type SessionTunnel } from './session-tunnel.js';
import { streamClosed } from './stream-closed.js';
import { dialDockerUpgrade } from './transport.js';

/**
 * Opens the session on dockerd's `/session` endpoint and serves `server` on it. `ready` resolves once dockerd has
 * switched protocols: it registers the session before it answers `101`.
 */
export function openDockerSession(endpoint: DockerEndpoint, identity: SessionIdentity, server: SessionServer): SessionTunnel {
  let socket: Duplex | undefined;
  let closed = false;
  // Closing the session before dockerd answered the upgrade stops the request: its socket would stay open otherwise.
  const dialling = new AbortController();
  const ready = dialDockerUpgrade(endpoint, '/session', sessionHeaders(identity, server.methods), dialling.signal).then(
    (s) => {
      if (closed) {
        s.destroy();
        return;
      }
      socket = s;
      s.on('error', () => {});
      server.attach(s);
    },
    (err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      // Nothing listening (dockerd is down) is not dockerd refusing: its answer to the upgrade is.
      throw new KilnError('unavailable', isConnectFailure(err) ? `cannot reach dockerd to open the build session: ${why}` : `dockerd refused the build session: ${why}`, {
        cause: err,
      });
    },
  );
  // Avoid an unhandled rejection when nobody awaits readiness (e.g. the build failed first).
  ready.catch(() => {});
  return {
    id: identity.id,
    ready,
    async close() {
      if (closed) return;
      closed = true;
      dialling.abort(new Error('the build session was closed before dockerd answered'));
      const s = socket;
      if (s === undefined) return;
      s.end();
      s.destroy();
      await streamClosed(s);
    },
  };
}
