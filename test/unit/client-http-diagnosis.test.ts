/** What answers at an address that did not speak BuildKit: a Podman socket given as a Docker daemon. */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnoseHttpListener } from '../../src/client/http-diagnosis.js';

let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

/** A unix socket answering like the Docker API, with `headers` on every answer and 404 for /grpc. */
async function dockerLike(headers: Record<string, string>): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'kiln-http-diag-'));
  const path = join(dir, 'docker.sock');
  server = createServer((req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.statusCode = req.url === '/_ping' ? 200 : 404;
    res.end(req.url === '/_ping' ? 'OK' : '404 page not found\n');
  });
  await new Promise<void>((resolve) => server!.listen(path, resolve));
  return path;
}

describe('diagnoseHttpListener on a docker:// address', () => {
  it('names Podman (no BuildKit behind its Docker API) and how to run a buildkitd there', async () => {
    const path = await dockerLike({ 'Api-Version': '1.41', 'Libpod-API-Version': '4.9.3', Server: 'Libpod/4.9.3 (linux)' });
    const d = await diagnoseHttpListener({ kind: 'docker', endpoint: { socketPath: path } });
    expect(d?.why).toBe('it is Podman, whose Docker-compatible API has no BuildKit (no /grpc endpoint)');
    expect(d?.hint).toContain('BUILDKIT_HOST=tcp://127.0.0.1:1234');
  });

  it('says nothing about a Docker daemon (its own error stands)', async () => {
    const path = await dockerLike({ 'Api-Version': '1.41', Server: 'Docker/20.10.24 (linux)' });
    expect(await diagnoseHttpListener({ kind: 'docker', endpoint: { socketPath: path } })).toBeUndefined();
  });
});

describe('diagnoseHttpListener on a tcp:// address where no HTTP server answers', () => {
  /** A TCP server that writes `greeting` on connect and `reply` to what it is sent, then closes. */
  async function listener(greeting: Buffer | string, reply: Buffer | string): Promise<{ port: number; close: () => Promise<void> }> {
    const s = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.write(greeting);
      socket.once('data', () => socket.end(reply));
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return { port: (s.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
  }

  it('names an SSH server (kiln --addr tcp://host:22) and what it said, instead of "Protocol error" and "start a daemon"', async () => {
    const ssh = await listener('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n', 'Invalid SSH identification string.\r\n');
    try {
      const d = await diagnoseHttpListener({ kind: 'tcp', host: '127.0.0.1', port: ssh.port });
      expect(d?.why).toBe('a server that is not a BuildKit daemon answers there (an SSH server: "SSH-2.0-OpenSSH_9.2p1 Debian-2")');
      expect(d?.hint).toContain('Check the address and port');
    } finally {
      await ssh.close();
    }
  });

  it('says nothing about binary answers such as an HTTP/2 server\'s SETTINGS frame (a BuildKit daemon\'s own)', async () => {
    const h2 = await listener(Buffer.from([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5, 0, 0, 64, 0]), Buffer.alloc(0));
    try {
      expect(await diagnoseHttpListener({ kind: 'tcp', host: '127.0.0.1', port: h2.port })).toBeUndefined();
    } finally {
      await h2.close();
    }
  });
});
