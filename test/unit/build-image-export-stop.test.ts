/**
 * `client.close()` (or the build's own signal) while `buildImage` is past the daemon's build, in its export through Docker (a push from dockerd,
 * a docker save into a file, a load from a buildkitd): against an in-process fake daemon — a dockerd 20.10 (the `moby`
 * worker, no Info call) or a buildkitd — and a fake Docker Engine API that holds each of those requests open.
 */
import { connect as h2connect, constants as h2, type ClientHttp2Session } from 'node:http2';
import { getEventListeners } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { Server, ServerCredentials, status as GrpcStatus, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import { moby } from '../../src/proto/generated.js';
import { ControlService, LLBBridgeService } from '../../src/proto/services.js';
import { sessionCallAsDuplex } from '../support/fake-daemon-tunnel.js';
import { buildIdOf, enabledCaps, pingHandler } from '../support/fake-daemon-bridge.js';

/** Which daemon the fake is for the next connection. */
let kind: 'dockerd' | 'buildkitd' = 'dockerd';
const IMAGE_ID = 'sha256:' + 'cd'.repeat(32);

interface Job {
  returned?: () => void;
  hasReturned: boolean;
  status: ServerWritableStream<unknown, moby.buildkit.v1.StatusResponse.$Properties>[];
}
const jobs = new Map<string, Job>();
function job(ref: string): Job {
  let j = jobs.get(ref);
  if (j === undefined) {
    j = { hasReturned: false, status: [] };
    jobs.set(ref, j);
  }
  return j;
}
/** Each build session's HTTP/2 connection, on which the fake calls kiln's session services as BuildKit does. */
const sessions = new Map<string, ClientHttp2Session>();

/** Sends `bytes` to kiln's FileSend service as one DiffCopy byte stream (an exporter writing a tarball). */
function sendExport(session: ClientHttp2Session, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      [h2.HTTP2_HEADER_METHOD]: 'POST',
      [h2.HTTP2_HEADER_PATH]: '/moby.filesync.v1.FileSend/DiffCopy',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    for (let at = 0; at < bytes.length; at += 16_384) {
      const body = moby.filesync.v1.BytesMessage.encode({ data: bytes.subarray(at, at + 16_384) }).finish();
      const frame = Buffer.alloc(5 + body.length);
      frame.writeUInt32BE(body.length, 1);
      Buffer.from(body).copy(frame, 5);
      req.write(frame);
    }
    req.end();
    req.on('data', () => {});
    req.on('error', reject);
    req.on('close', () => resolve());
  });
}

const control = {
  ListWorkers(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.ListWorkersResponse.$Properties>) {
    cb(null, { record: [{ ID: kind === 'dockerd' ? 'moby' : 'fake0', platforms: [{ OS: 'linux', Architecture: 'amd64' }] }] });
  },
  Info(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.InfoResponse.$Properties>) {
    // dockerd 20.10's embedded BuildKit (v0.8) has no Info call.
    if (kind === 'dockerd') cb({ code: GrpcStatus.UNIMPLEMENTED, details: 'unknown method Info' });
    else cb(null, { buildkitVersion: { package: 'github.com/moby/buildkit', version: 'v0.11.6', revision: 'fake' } });
  },
  Status(call: ServerWritableStream<moby.buildkit.v1.StatusRequest, moby.buildkit.v1.StatusResponse.$Properties>) {
    job(call.request.Ref).status.push(call);
  },
  Session(call: ServerDuplexStream<moby.buildkit.v1.BytesMessage, moby.buildkit.v1.BytesMessage.$Properties>) {
    const id = String(call.metadata.get('x-docker-expose-session-uuid')[0] ?? '');
    const duplex = sessionCallAsDuplex(call);
    const session = h2connect('http://localhost', { createConnection: () => duplex });
    session.on('error', () => {});
    sessions.set(id, session);
    call.on('close', () => session.destroy());
  },
  async Solve(call: ServerUnaryCall<moby.buildkit.v1.SolveRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.SolveResponse.$Properties>) {
    const j = job(call.request.Ref);
    if (!j.hasReturned) await new Promise<void>((resolve) => (j.returned = resolve));
    if (call.request.Exporter === 'docker') {
      const session = sessions.get(call.request.Session);
      if (session === undefined) throw new Error('no session for the export');
      await sendExport(session, Buffer.alloc(200_000, 7));
    }
    for (const w of j.status) w.end();
    cb(null, { ExporterResponse: { 'containerimage.digest': IMAGE_ID } });
  },
};

const bridge = {
  Ping: pingHandler(jobs, { LLBCaps: enabledCaps(['source.image', 'exec.meta.base', 'exec.mount.bind', 'platform', 'constraints', 'meta.description']), Workers: [{ ID: 'w', platforms: [{ OS: 'linux', Architecture: 'amd64' }] }] }),
  Solve(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.SolveResponse.$Properties>) {
    cb(null, { result: { ref: { id: 'res-1' } } });
  },
  ResolveImageConfig(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties>) {
    cb(null, { Digest: 'sha256:' + 'ef'.repeat(32), Config: Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', config: { Env: ['PATH=/bin'] } })) });
  },
  Return(call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ReturnResponse.$Properties>) {
    const j = job(buildIdOf(call));
    j.hasReturned = true;
    j.returned?.();
    cb(null, {});
  },
};

/** What the fake Docker API saw, in order, and the requests it holds open (push, save, load). */
const docker = {
  log: [] as string[],
  held: [] as { readonly path: string; readonly closed: Promise<void> }[],
  /** Called when a held request is in progress (the push started, the save sent its first bytes, the load got its tarball). */
  onHeld: (): void => {},
};

function hold(req: IncomingMessage, res: ServerResponse, first: () => void): void {
  docker.held.push({ path: req.url ?? '', closed: new Promise<void>((resolve) => res.on('close', () => resolve())) });
  first();
  docker.onHeld();
}

function fakeDocker(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  docker.log.push(`${req.method ?? ''} ${url.split('?')[0] ?? ''}`);
  if (req.method === 'GET' && url === '/_ping') return void res.end('OK');
  if (req.method === 'GET' && url.endsWith('/json')) {
    res.statusCode = 404;
    return void res.end(JSON.stringify({ message: 'No such image' }));
  }
  if (req.method === 'POST' && url.includes('/tag?')) {
    res.statusCode = 201;
    return void res.end();
  }
  if (req.method === 'DELETE') return void res.end('[]');
  if (req.method === 'POST' && url.includes('/push?')) {
    // A large push under way: progress lines, no end.
    return hold(req, res, () => res.write(`${JSON.stringify({ status: 'Pushing', id: 'abc', progressDetail: { current: 1, total: 100 } })}\n`));
  }
  if (req.method === 'GET' && url.startsWith('/images/get?')) {
    // docker save of a large image: the first bytes of the tarball, no end.
    res.setHeader('Content-Type', 'application/x-tar');
    return hold(req, res, () => res.write(Buffer.alloc(65_536, 1)));
  }
  if (req.method === 'POST' && url.startsWith('/images/load')) {
    // The whole tarball read; Docker still loading it.
    req.on('data', () => {});
    req.on('end', () => hold(req, res, () => res.write('')));
    return;
  }
  res.statusCode = 500;
  res.end(JSON.stringify({ message: `fake Docker API has no ${req.method ?? ''} ${url}` }));
}

let dir: string;
let address: string;
let dockerSocket: string;
let server: Server;
let dockerServer: HttpServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-close-export-'));
  address = `unix://${join(dir, 'buildkitd.sock')}`;
  server = new Server();
  server.addService(ControlService, control);
  server.addService(LLBBridgeService, bridge);
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix:${join(dir, 'buildkitd.sock')}`, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  dockerSocket = join(dir, 'docker.sock');
  dockerServer = createHttpServer(fakeDocker);
  await new Promise<void>((resolve) => dockerServer.listen(dockerSocket, resolve));
});

afterEach(() => {
  docker.log = [];
  docker.held = [];
  docker.onHeld = () => {};
});

afterAll(async () => {
  server.forceShutdown();
  dockerServer.closeAllConnections();
  await new Promise<void>((resolve) => dockerServer.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once the fake Docker holds a request of the export open. */
function exportInProgress(): Promise<void> {
  return new Promise((resolve) => (docker.onHeld = resolve));
}

/** buildImage's result, or what it rejected with, and when it settled relative to the close. */
async function closeDuringExport(client: Client, build: Promise<unknown>): Promise<{ err: unknown; order: string[] }> {
  const order: string[] = [];
  const settled = build.then(
    () => {
      order.push('build resolved');
      return undefined;
    },
    (e: unknown) => {
      order.push('build rejected');
      return e;
    },
  );
  await exportInProgress();
  await client.close();
  order.push('close resolved');
  return { err: await settled, order };
}

function expectCancelledByClose(err: unknown): void {
  expect(err).toBeInstanceOf(KilnError);
  expect({ code: (err as KilnError).code, message: (err as KilnError).message }).toEqual({ code: 'cancelled', message: 'the build was cancelled' });
  expect(((err as KilnError).cause as KilnError).message).toBe('the kiln Client was closed');
}

const image = Image.fromRegistry('busybox:latest').runCommands('echo hi > /hi');

describe('buildImage exporting through Docker, stopped midway', () => {
  it('client.close() during a push from dockerd: the push request is ended, the name kiln gave is taken back, and close() resolves after that', async () => {
    kind = 'dockerd';
    const client = await Client.connect({ address, env: { DOCKER_CONFIG: join(dir, 'no-docker-config') } });
    const { err, order } = await closeDuringExport(client, buildImage(client, image, { output: 'type=image,name=127.0.0.1:5000/app:1,push=true', docker: { socketPath: dockerSocket } }));
    expectCancelledByClose(err);
    expect(order).toEqual(['build rejected', 'close resolved']);
    expect(docker.log).toEqual(['GET /images/127.0.0.1%3A5000%2Fapp%3A1/json', `POST /images/${encodeURIComponent(IMAGE_ID)}/tag`, 'POST /images/127.0.0.1%3A5000%2Fapp/push', 'DELETE /images/127.0.0.1%3A5000%2Fapp%3A1']);
    expect(docker.held.map((h) => h.path.split('?')[0])).toEqual(['/images/127.0.0.1%3A5000%2Fapp/push']);
    await Promise.all(docker.held.map((h) => h.closed));
  });

  it('client.close() during a docker save into a file: the save request is ended, the file is not written (what was there stays) and nothing is left beside it', async () => {
    kind = 'dockerd';
    const out = mkdtempSync(join(tmpdir(), 'kiln-close-save-'));
    try {
      const dest = join(out, 'app.tar');
      writeFileSync(dest, 'the previous export');
      const client = await Client.connect({ address, env: {} });
      const { err, order } = await closeDuringExport(client, buildImage(client, image, { output: `type=docker,name=app:1,dest=${dest}`, docker: { socketPath: dockerSocket } }));
      expectCancelledByClose(err);
      expect(order).toEqual(['build rejected', 'close resolved']);
      expect(readdirSync(out)).toEqual(['app.tar']);
      expect(readFileSync(dest, 'utf8')).toBe('the previous export');
      await Promise.all(docker.held.map((h) => h.closed));
      expect(docker.held).toHaveLength(1);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('client.close() during a load into Docker from a buildkitd, Docker still loading the tarball: the load request is ended and close() resolves after the build rejected', async () => {
    kind = 'buildkitd';
    const client = await Client.connect({ address, env: {} });
    const { err, order } = await closeDuringExport(client, buildImage(client, image, { tags: ['app:1'], docker: { socketPath: dockerSocket } }));
    expectCancelledByClose(err);
    expect(order).toEqual(['build rejected', 'close resolved']);
    expect(docker.held.map((h) => h.path)).toEqual(['/images/load?quiet=1']);
    await Promise.all(docker.held.map((h) => h.closed));
  });

  it("the build's own signal, shared by fifteen builds pushing at once: one listener on it, no leak warning, its abort ends every push", async () => {
    kind = 'dockerd';
    const client = await Client.connect({ address, env: { DOCKER_CONFIG: join(dir, 'no-docker-config') } });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      const shutdown = new AbortController();
      let pushing = 0;
      const allPushing = new Promise<void>((resolve) => {
        docker.onHeld = () => {
          if (++pushing === 15) resolve();
        };
      });
      const builds = Array.from({ length: 15 }, (_, i) =>
        buildImage(client, image, { output: `type=image,name=127.0.0.1:5000/app:${i},push=true`, docker: { socketPath: dockerSocket }, signal: shutdown.signal }).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      await allPushing;
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1);
      shutdown.abort(new Error('shutting down'));
      for (const err of await Promise.all(builds)) {
        expect({ code: (err as KilnError).code, cause: ((err as KilnError).cause as Error).message }).toEqual({ code: 'cancelled', cause: 'shutting down' });
      }
      await Promise.all(docker.held.map((h) => h.closed));
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
      await setImmediatePromise();
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await client.close();
    }
  });
});
