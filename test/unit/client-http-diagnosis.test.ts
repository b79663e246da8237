/** What answers at an address that did not speak BuildKit: a Podman socket given as a Docker daemon. */
import { createServer, type Server } from 'node:http';
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
