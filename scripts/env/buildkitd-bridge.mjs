#!/usr/bin/env node
// Serves a dockerd's embedded BuildKit the way a standalone buildkitd listens: plain gRPC over HTTP/2 (h2c) on a
// unix socket or TCP, or gRPC over TLS with client certificates (buildkitd's --tlscacert/--tlscert/--tlskey). Each
// connection becomes a `POST /grpc` upgrade on the Docker socket, and the bytes are relayed both ways. kiln given
// such an address takes its buildkitd paths (Control.Session for the session, the image/oci/docker exporters, cache
// export) against a real BuildKit — the test environment's stand-in for a buildkitd.
//
//   node scripts/env/buildkitd-bridge.mjs <docker socket> <listener>...
//     unix:<path>                     plain gRPC on a unix socket
//     tcp:<host>:<port>               plain gRPC on TCP
//     tls:<host>:<port>:<dir>         TLS on TCP; <dir> holds ca.pem, server.pem, server-key.pem; clients must present
//                                     a certificate signed by ca.pem
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

const [dockerSocket, ...listeners] = process.argv.slice(2);
if (dockerSocket === undefined || listeners.length === 0) {
  process.stderr.write('usage: buildkitd-bridge.mjs <docker socket> unix:<path> | tcp:<host>:<port> | tls:<host>:<port>:<dir> ...\n');
  process.exit(2);
}

/** Relays one accepted connection to dockerd's BuildKit. */
function relay(conn) {
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
}

const servers = [];
for (const spec of listeners) {
  const [kind, ...rest] = spec.split(':');
  let server;
  let listenArgs;
  if (kind === 'unix') {
    const path = rest.join(':');
    rmSync(path, { force: true });
    server = createServer(relay);
    listenArgs = [path];
  } else if (kind === 'tcp') {
    server = createServer(relay);
    listenArgs = [Number(rest[1]), rest[0]];
  } else if (kind === 'tls') {
    const dir = rest.slice(2).join(':');
    server = createTlsServer(
      {
        ca: readFileSync(join(dir, 'ca.pem')),
        cert: readFileSync(join(dir, 'server.pem')),
        key: readFileSync(join(dir, 'server-key.pem')),
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['h2'],
      },
      relay,
    );
    server.on('tlsClientError', (err) => process.stderr.write(`TLS client refused: ${err.message}\n`));
    listenArgs = [Number(rest[1]), rest[0]];
  } else {
    process.stderr.write(`unknown listener ${spec}\n`);
    process.exit(2);
  }
  server.listen(...listenArgs, () => process.stderr.write(`relaying ${spec} to ${dockerSocket} /grpc\n`));
  servers.push(server);
}

const stop = () => {
  let open = servers.length;
  for (const s of servers) s.close(() => --open === 0 && process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
