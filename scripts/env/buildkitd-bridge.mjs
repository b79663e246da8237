#!/usr/bin/env node
// Serves a dockerd's embedded BuildKit on a unix socket the way a standalone buildkitd listens: plain gRPC over
// HTTP/2 (h2c). Each connection becomes a `POST /grpc` upgrade on the Docker socket, and the bytes are relayed both
// ways. kiln given `unix://<socket>` then takes its buildkitd paths (Control.Session for the session, the image/oci/
// docker exporters, cache export) against a real BuildKit — the test environment's stand-in for a buildkitd.
//
//   node scripts/env/buildkitd-bridge.mjs <docker socket> <listen socket>
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

const [dockerSocket, listenSocket] = process.argv.slice(2);
if (dockerSocket === undefined || listenSocket === undefined) {
  process.stderr.write('usage: buildkitd-bridge.mjs <docker socket> <listen socket>\n');
  process.exit(2);
}

const server = createServer((conn) => {
  conn.pause();
  conn.on('error', () => conn.destroy());
  const req = request({
    socketPath: dockerSocket,
    method: 'POST',
    path: '/grpc',
    headers: { Host: 'docker', Connection: 'Upgrade', Upgrade: 'h2c', 'Content-Length': '0' },
  });
  req.on('upgrade', (res, upstream, head) => {
    if (res.statusCode !== 101) {
      upstream.destroy();
      conn.destroy();
      return;
    }
    upstream.on('error', () => conn.destroy());
    upstream.on('close', () => conn.destroy());
    conn.on('close', () => upstream.destroy());
    if (head.length > 0) conn.write(head);
    upstream.pipe(conn);
    conn.pipe(upstream);
    conn.resume();
  });
  req.on('response', (res) => {
    process.stderr.write(`dockerd answered ${res.statusCode} to the /grpc upgrade\n`);
    res.resume();
    conn.destroy();
  });
  req.on('error', (err) => {
    process.stderr.write(`cannot reach dockerd at ${dockerSocket}: ${err.message}\n`);
    conn.destroy();
  });
  req.end();
});

rmSync(listenSocket, { force: true });
server.listen(listenSocket, () => process.stderr.write(`relaying ${listenSocket} to ${dockerSocket} /grpc\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
