/**
 * The client against an in-process fake buildkitd: protocol edge cases that a real dockerd 20.10 cannot show
 * (Info present, structured error details) plus the session tunnel mechanics, with the fake acting as the
 * daemon does: HTTP/2 *client* inside the Control.Session byte stream, calling kiln's Health service.
 */
import { createHash } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { connect as h2connect, constants as h2 } from 'node:http2';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { setImmediate as setImmediatePromise, setTimeout as sleep } from 'node:timers/promises';
import { Duplex } from 'node:stream';
import {
  Metadata,
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import type { StatusEvent } from '../../src/progress/events.js';
import { google, grpc as grpcPb, moby } from '../../src/proto/generated.js';
import { ControlService, LLBBridgeService } from '../../src/proto/services.js';
import { openDockerSession } from '../../src/client/docker-session.js';
import { dialDockerUpgrade, openTransport } from '../../src/client/transport.js';
import { SessionServer } from '../../src/session/session-server.js';
import { sessionCallAsDuplex } from '../support/fake-daemon-tunnel.js';
import { buildIdOf as buildId, pingHandler } from '../support/fake-daemon-bridge.js';



interface Job {
  returned?: moby.buildkit.v1.frontend.ReturnRequest;
  returnedResolve?: () => void;
  statusWriters: ServerWritableStream<unknown, moby.buildkit.v1.StatusResponse.$Properties>[];
}

/** What the fake saw, for assertions. */
const seen = {
  sessionHeaders: new Map<string, string[]>(),
  healthStatus: -1,
  solveRequests: [] as moby.buildkit.v1.SolveRequest[],
  gatewaySolves: 0,
  listWorkers: 0,
};

/** When set, the fake answers Info only once a Solve has come in (a client that waits for Info before it solves never gets it). */
let infoAfterSolve: { solved: Promise<void>; markSolved: () => void } | undefined;
/** When set, Info fails (after a Solve came in) and Solve does not answer until kiln cancels it, which it reports. */
let infoFailsWhileSolving: { solveCancelled: () => void } | undefined;

const FAIL_DIGEST = 'sha256:' + 'ab'.repeat(32);
/** The failure the next solve reports: BuildKit's gRPC code, the failing vertex's name and its error. */
interface Failure {
  readonly code: number;
  readonly name: string;
  readonly error: string;
}
const RUN_FAILURE: Failure = { code: GrpcStatus.UNKNOWN, name: 'RUN make test', error: 'process "/bin/sh -c make test" did not complete successfully: exit code: 2' };
let failNext: Failure | undefined;
/**
 * What the next successful solve sends on its status stream after the step completed: `lines` more output lines of
 * the step (one message each), and whether it then closes the stream (a daemon that never does keeps it open).
 */
let nextStatusTail: { readonly lines: number; readonly close: boolean } | undefined;
/** The next status stream left open: resolves when kiln cancels it. */
let statusCancelled: Promise<void> | undefined;
const jobs = new Map<string, Job>();

function job(ref: string): Job {
  let j = jobs.get(ref);
  if (j === undefined) {
    j = { statusWriters: [] };
    jobs.set(ref, j);
  }
  return j;
}

/** Calls the client's Health/Check through the tunnel like the daemon does (we are the HTTP/2 client). */
function checkHealth(duplex: Duplex): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = h2connect('http://localhost', { createConnection: () => duplex });
    session.on('error', reject);
    const req = session.request({
      [h2.HTTP2_HEADER_METHOD]: 'POST',
      [h2.HTTP2_HEADER_PATH]: '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const body = grpcPb.health.v1.HealthCheckRequest.encode({ service: '' }).finish();
    const frame = Buffer.alloc(5 + body.length);
    frame.writeUInt32BE(body.length, 1);
    Buffer.from(body).copy(frame, 5);
    req.end(frame);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('trailers', (t) => {
      if (t['grpc-status'] !== '0') reject(new Error(`health failed: ${String(t['grpc-status'])}`));
    });
    req.on('end', () => {
      const all = Buffer.concat(chunks);
      const msg = grpcPb.health.v1.HealthCheckResponse.decode(all.subarray(5));
      void session.close();
      resolve(msg.status);
    });
  });
}

function ts(ms: number): google.protobuf.Timestamp.$Properties {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

const control = {
  ListWorkers(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.ListWorkersResponse.$Properties>) {
    seen.listWorkers++;
    cb(null, { record: [{ ID: 'fake0', Labels: { 'org.mobyproject.buildkit.worker.executor': 'oci' }, platforms: [{ OS: 'linux', Architecture: 'amd64' }] }] });
  },
  async Info(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.InfoResponse.$Properties>) {
    await infoAfterSolve?.solved;
    if (infoFailsWhileSolving !== undefined) {
      cb({ code: GrpcStatus.INTERNAL, details: 'info broke' });
      return;
    }
    cb(null, { buildkitVersion: { package: 'github.com/moby/buildkit', version: 'v0.11.6', revision: 'fake' } });
  },
  DiskUsage(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.DiskUsageResponse.$Properties>) {
    cb(null, { record: [{ ID: 'r1', Size: 1234, Description: 'mount / from exec', CreatedAt: ts(1_700_000_000_000), UsageCount: 3 }] });
  },
  Prune(call: ServerWritableStream<unknown, moby.buildkit.v1.UsageRecord.$Properties>) {
    call.write({ ID: 'r1', Size: 1234 });
    call.end();
  },
  Status(call: ServerWritableStream<moby.buildkit.v1.StatusRequest, moby.buildkit.v1.StatusResponse.$Properties>) {
    job(call.request.Ref).statusWriters.push(call);
  },
  Session(call: ServerDuplexStream<moby.buildkit.v1.BytesMessage, moby.buildkit.v1.BytesMessage.$Properties>) {
    const md = call.metadata;
    // Node's HTTP/2 layer joins repeated header fields with ", " (a Go daemon sees separate values).
    for (const key of ['x-docker-expose-session-uuid', 'x-docker-expose-session-grpc-method']) {
      seen.sessionHeaders.set(key, md.get(key).flatMap((v) => String(v).split(', ')));
    }
    checkHealth(sessionCallAsDuplex(call)).then(
      (s) => {
        seen.healthStatus = s;
      },
      () => {
        seen.healthStatus = -2;
      },
    );
  },
  async Solve(call: ServerUnaryCall<moby.buildkit.v1.SolveRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.SolveResponse.$Properties>) {
    seen.solveRequests.push(call.request);
    infoAfterSolve?.markSolved();
    const failing = infoFailsWhileSolving;
    if (failing !== undefined) {
      call.once('cancelled', () => {
        failing.solveCancelled();
        cb({ code: GrpcStatus.CANCELLED, details: 'cancelled' });
      });
      return;
    }
    const j = job(call.request.Ref);
    const started = Date.now();
    for (const w of j.statusWriters) {
      w.write({ vertexes: [{ digest: FAIL_DIGEST, name: 'RUN make test', started: ts(started) }] });
      w.write({ logs: [{ vertex: FAIL_DIGEST, stream: 1, msg: Buffer.from('compiling\nrunning 3 tests\n'), timestamp: ts(started) }] });
    }
    await new Promise<void>((resolve) => {
      if (j.returned !== undefined) resolve();
      else j.returnedResolve = resolve;
    });
    if (failNext !== undefined) {
      const failure = failNext;
      for (const w of j.statusWriters) {
        w.write({ vertexes: [{ digest: FAIL_DIGEST, name: failure.name, started: ts(started), completed: ts(Date.now()), error: failure.error }] });
        w.end();
      }
      const details = google.rpc.Status.encode({
        code: failure.code,
        message: failure.error,
        details: [
          { type_url: 'github.com/moby/buildkit/errdefs.Vertex+json', value: Buffer.from(JSON.stringify({ digest: FAIL_DIGEST })) },
          { type_url: 'github.com/moby/buildkit/gatewayapi.ExitMessage+json', value: Buffer.from(JSON.stringify({ Code: 2 })) },
          { type_url: 'github.com/moby/buildkit/stack.Stack+json', value: Buffer.from(JSON.stringify({ frames: [{ Name: 'main.run', File: 'x.go', Line: 1 }] })) },
        ],
      }).finish();
      const md = new Metadata();
      md.set('grpc-status-details-bin', Buffer.from(details));
      cb({ code: failure.code, details: failure.error, metadata: md });
      return;
    }
    const tail = nextStatusTail ?? { lines: 0, close: true };
    nextStatusTail = undefined;
    for (const w of j.statusWriters) {
      w.write({ vertexes: [{ digest: FAIL_DIGEST, name: 'RUN make test', started: ts(started), completed: ts(Date.now()) }] });
      for (let i = 1; i <= tail.lines; i++) w.write({ logs: [{ vertex: FAIL_DIGEST, stream: 1, msg: Buffer.from(`tail ${i}\n`), timestamp: ts(Date.now()) }] });
      if (tail.close) w.end();
      else statusCancelled = new Promise<void>((resolve) => w.once('cancelled', () => resolve()));
    }
    const cfg = j.returned?.result?.metadata?.['containerimage.config'];
    cb(null, { ExporterResponse: { 'containerimage.digest': 'sha256:' + 'cd'.repeat(32), 'fake.config': cfg === undefined ? '' : Buffer.from(cfg).toString('utf8') } });
  },
};


const bridge = {
  Ping: pingHandler(jobs, {
    FrontendAPICaps: [{ ID: 'proto.refarray', Enabled: true }],
    LLBCaps: [{ ID: 'source.image', Enabled: true }, { ID: 'mergeop', Enabled: true }, { ID: 'diffop', Enabled: false }],
    Workers: [{ ID: 'fake0', platforms: [{ OS: 'linux', Architecture: 'amd64' }] }],
  }),
  Solve(_call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.SolveResponse.$Properties>) {
    seen.gatewaySolves++;
    cb(null, { result: { ref: { id: 'res-1' } } });
  },
  ResolveImageConfig(call: ServerUnaryCall<moby.buildkit.v1.frontend.ResolveImageConfigRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties>) {
    cb(null, { Digest: 'sha256:' + 'ef'.repeat(32), Config: Buffer.from(JSON.stringify({ config: { Env: ['PATH=/usr/bin'], WorkingDir: '/w' }, ref: call.request.Ref })) });
  },
  Return(call: ServerUnaryCall<moby.buildkit.v1.frontend.ReturnRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ReturnResponse.$Properties>) {
    const j = job(buildId(call));
    j.returned = call.request;
    j.returnedResolve?.();
    cb(null, {});
  },
};

let server: Server;
let tlsServer: Server;
let dir: string;
let address: string;
let tlsPort: number;

/** A throwaway CA, a server certificate for `buildkitd.test` and a client certificate, made with openssl. */
function makeCertificates(at: string): void {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: at, stdio: 'ignore' });
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=kiln test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  for (const [name, cn, ext] of [
    ['server', 'buildkitd.test', 'subjectAltName=DNS:buildkitd.test'],
    ['client', 'kiln client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    writeFileSync(join(at, `${name}.ext`), `${ext}\n`);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-fake-'));
  address = `unix://${join(dir, 'buildkitd.sock')}`;
  server = new Server();
  server.addService(ControlService, control);
  server.addService(LLBBridgeService, bridge);
  await new Promise<void>((resolve, reject) => server.bindAsync(address.replace('unix://', 'unix:'), ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));

  makeCertificates(dir);
  tlsServer = new Server();
  tlsServer.addService(ControlService, control);
  tlsServer.addService(LLBBridgeService, bridge);
  const creds = ServerCredentials.createSsl(
    readFileSync(join(dir, 'ca.pem')),
    [{ private_key: readFileSync(join(dir, 'server.key')), cert_chain: readFileSync(join(dir, 'server.pem')) }],
    true,
  );
  tlsPort = await new Promise<number>((resolve, reject) => tlsServer.bindAsync('127.0.0.1:0', creds, (e, port) => (e ? reject(e) : resolve(port))));
});

afterAll(() => {
  server.forceShutdown();
  tlsServer.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('client against a fake buildkitd', () => {
  it('reports identity, workers and LLB caps', async () => {
    const client = await Client.connect({ address });
    try {
      const info = await client.info();
      expect(info.kind).toBe('buildkitd');
      expect(info.description).toBe('buildkitd v0.11.6');
      expect(info.workers).toEqual([{ id: 'fake0', labels: { 'org.mobyproject.buildkit.worker.executor': 'oci' }, platforms: [{ os: 'linux', architecture: 'amd64' }] }]);
      expect([...info.llbCaps].sort()).toEqual(['mergeop', 'source.image']);
      expect(info.frontendCaps.has('proto.refarray')).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('info() that fails on Info stops the caps session it started beside it (not left running on the daemon)', async () => {
    let markSolved = (): void => undefined;
    const solved = new Promise<void>((resolve) => {
      markSolved = resolve;
    });
    let solveCancelled = (): void => undefined;
    const cancelled = new Promise<void>((resolve) => {
      solveCancelled = resolve;
    });
    infoAfterSolve = { solved, markSolved };
    infoFailsWhileSolving = { solveCancelled };
    try {
      const client = await Client.connect({ address });
      try {
        const err = await client.info().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(KilnError);
        expect((err as KilnError).message).toMatch(/asking the daemon for its version/);
        // The caps session's Solve is cancelled by kiln, while the client is still open.
        await cancelled;
      } finally {
        await client.close();
      }
    } finally {
      infoAfterSolve = undefined;
      infoFailsWhileSolving = undefined;
    }
  });

  it('connect and info ask the daemon for its workers once, and ask for its version while the caps session runs', async () => {
    let markSolved = (): void => undefined;
    const solved = new Promise<void>((resolve) => {
      markSolved = resolve;
    });
    infoAfterSolve = { solved, markSolved };
    const before = seen.listWorkers;
    try {
      const client = await Client.connect({ address });
      try {
        const info = await client.info();
        expect(info.description).toBe('buildkitd v0.11.6');
        expect(info.workers.map((w) => w.id)).toEqual(['fake0']);
        expect(seen.listWorkers - before).toBe(1);
      } finally {
        await client.close();
      }
    } finally {
      infoAfterSolve = undefined;
    }
  });

  it('serves Health on the session and advertises every method it serves', async () => {
    const client = await Client.connect({ address });
    try {
      await client.build({}, async () => ({}));
      expect(seen.healthStatus).toBe(1);
      const methods = seen.sessionHeaders.get('x-docker-expose-session-grpc-method') ?? [];
      expect(methods).toContain('/grpc.health.v1.Health/Check');
      const last = seen.solveRequests[seen.solveRequests.length - 1]!;
      expect(seen.sessionHeaders.get('x-docker-expose-session-uuid')).toEqual([last.Session]);
      // The gateway path: no Definition at all on the Control request.
      expect(last.Definition).toBeNull();
    } finally {
      await client.close();
    }
  });

  it('passes the image config to the exporter through Return metadata and resolves image configs', async () => {
    const client = await Client.connect({ address });
    try {
      const out = await client.build({ exporter: { type: 'image', attrs: { name: 'x' } } }, async (gw) => {
        const resolved = await gw.resolveImageConfig('docker.io/library/debian:bookworm-slim');
        expect(resolved.digest).toBe('sha256:' + 'ef'.repeat(32));
        expect(JSON.parse(Buffer.from(resolved.config).toString('utf8'))).toMatchObject({ config: { WorkingDir: '/w' } });
        const ref = await gw.solve(new Uint8Array(Buffer.from('0a00', 'hex')));
        return { ref, metadata: { 'containerimage.config': JSON.stringify({ config: { Cmd: ['run'] } }) } };
      });
      expect(out.exporterResponse['containerimage.digest']).toBe('sha256:' + 'cd'.repeat(32));
      expect(JSON.parse(out.exporterResponse['fake.config']!)).toEqual({ config: { Cmd: ['run'] } });
      expect(out.progress.steps.size).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('turns a failed step into one error with the step name, exit code and output tail', async () => {
    const client = await Client.connect({ address });
    failNext = RUN_FAILURE;
    try {
      const err = await client.build({}, async (gw) => ({ ref: await gw.solve(new Uint8Array(Buffer.from('0a00', 'hex'))) })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KilnError);
      const k = err as KilnError;
      expect(k.code).toBe('build_failed');
      expect(k.message).toContain('step "RUN make test" failed');
      expect(k.message).toContain('running 3 tests');
      expect(k.details['exitCode']).toBe(2);
      expect(k.details['vertex']).toBe(FAIL_DIGEST);
      expect((k.details['stacks'] as string[])[0]).toContain('main.run');
    } finally {
      failNext = undefined;
      await client.close();
    }
  });

  it('keeps the daemon\'s not-found and unauthenticated codes for a failed step (a missing or private base image), with the step named', async () => {
    const cases = [
      { code: GrpcStatus.NOT_FOUND, kiln: 'not_found', error: 'docker.io/library/nope:latest: not found' },
      { code: GrpcStatus.UNAUTHENTICATED, kiln: 'unauthenticated', error: 'failed to authorize: 401 Unauthorized' },
    ] as const;
    const client = await Client.connect({ address });
    try {
      for (const c of cases) {
        failNext = { code: c.code, name: '[internal] load metadata for docker.io/library/nope:latest', error: c.error };
        const err = await client.build({}, async (gw) => ({ ref: await gw.solve(new Uint8Array(Buffer.from('0a00', 'hex'))) })).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(KilnError.is(err, c.kiln)).toBe(true);
        expect((err as KilnError).message).toContain(`step "[internal] load metadata for docker.io/library/nope:latest" failed: ${c.error}`);
        expect((err as KilnError).details['vertex']).toBe(FAIL_DIGEST);
      }
    } finally {
      failNext = undefined;
      await client.close();
    }
  });

  it('lists and prunes cache records', async () => {
    const client = await Client.connect({ address });
    try {
      const du = await client.diskUsage();
      expect(du[0]).toMatchObject({ id: 'r1', size: 1234, usageCount: 3, description: 'mount / from exec' });
      expect(du[0]!.createdAt?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
      expect((await client.prune({ all: true })).map((r) => r.id)).toEqual(['r1']);
    } finally {
      await client.close();
    }
  });

  it('reaches a daemon over tcp:// with mutual TLS', async () => {
    const client = await Client.connect({
      address: `tcp://127.0.0.1:${tlsPort}`,
      tls: { caCert: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key'), serverName: 'buildkitd.test' },
    });
    try {
      expect((await client.info()).description).toBe('buildkitd v0.11.6');
      const out = await client.build({}, async (gw) => ({ ref: await gw.solve(new Uint8Array(Buffer.from('0a00', 'hex'))) }));
      expect(out.exporterResponse['containerimage.digest']).toMatch(/^sha256:/);
    } finally {
      await client.close();
    }
  });

  it('refuses a TLS daemon whose certificate is not for the expected name', async () => {
    const err = await Client.connect({
      address: `tcp://127.0.0.1:${tlsPort}`,
      tls: { caCert: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key'), serverName: 'other.test' },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'unavailable')).toBe(true);
    expect((err as Error).message).toContain(`tcp://127.0.0.1:${tlsPort}`);
    expect((err as Error).message).toContain('is not for other.test');
    expect((err as KilnError).hint).toMatch(/--tlsservername/);
  });

  describe('docker-container:// (buildctl dial-stdio through docker exec)', () => {
    const fakeDocker = fileURLToPath(new URL('../fixtures/bin/fake-docker.mjs', import.meta.url));
    const saved = { ...process.env };
    beforeAll(() => {
      process.env['KILN_DOCKER_CLI'] = fakeDocker;
      process.env['FAKE_BUILDKITD_SOCKET'] = address.slice('unix://'.length);
      process.env['FAKE_CONTAINER'] = 'buildx_buildkit_kiln0';
      process.env['FAKE_DOCKER_LOG'] = join(dir, 'fake-docker.log');
    });
    afterAll(() => {
      for (const k of ['KILN_DOCKER_CLI', 'FAKE_BUILDKITD_SOCKET', 'FAKE_CONTAINER', 'FAKE_DOCKER_LOG']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    });

    it('builds through a builder container, session tunnel included', async () => {
      const client = await Client.connect({ address: 'docker-container://buildx_buildkit_kiln0' });
      try {
        expect((await client.info()).kind).toBe('buildkitd');
        await client.build({}, async () => ({}));
      } finally {
        await client.close();
      }
      const calls = readFileSync(join(dir, 'fake-docker.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
      expect(calls[0]).toEqual(['exec', '-i', 'buildx_buildkit_kiln0', 'buildctl', 'dial-stdio']);
    });

    it('a buildx builder whose node is on a docker context with TLS: docker --context <name> exec, so the CLI uses its TLS files', async () => {
      // The files `docker context create secure --docker host=tcp://…,ca=…` and `docker buildx create --name farm secure --use` write.
      const config = join(dir, 'docker-config-tls-context');
      const id = createHash('sha256').update('secure').digest('hex');
      mkdirSync(join(config, 'contexts', 'meta', id), { recursive: true });
      mkdirSync(join(config, 'contexts', 'tls', id, 'docker'), { recursive: true });
      mkdirSync(join(config, 'buildx', 'instances'), { recursive: true });
      writeFileSync(join(config, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'secure', Metadata: {}, Endpoints: { docker: { Host: 'tcp://10.0.0.5:2376', SkipTLSVerify: false } } }));
      writeFileSync(join(config, 'contexts', 'tls', id, 'docker', 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
      writeFileSync(join(config, 'buildx', 'current'), JSON.stringify({ Key: 'unix:///var/run/docker.sock', Name: 'farm', Global: false }));
      writeFileSync(join(config, 'buildx', 'instances', 'farm'), JSON.stringify({ Name: 'farm', Driver: 'docker-container', Nodes: [{ Name: 'kiln0', Endpoint: 'secure', DriverOpts: null }] }));
      writeFileSync(join(dir, 'fake-docker.log'), '');
      const client = await Client.connect({ env: { DOCKER_CONFIG: config } });
      try {
        expect(client.address.source).toBe(`buildx builder "farm" (docker-container driver; the current buildx builder (${join(config, 'buildx', 'current')}))`);
        expect((await client.info()).kind).toBe('buildkitd');
      } finally {
        await client.close();
      }
      const calls = readFileSync(join(dir, 'fake-docker.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
      expect(calls[0]).toEqual(['--context', 'secure', 'exec', '-i', 'buildx_buildkit_kiln0', 'buildctl', 'dial-stdio']);
    });

    it('explains a missing container', async () => {
      const err = await Client.connect({ address: 'docker-container://nope' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      // The docker exec kiln runs failed: helper_failed, with what docker printed and the command to try by hand.
      expect(KilnError.is(err, 'helper_failed')).toBe(true);
      expect((err as Error).message).toContain('docker-container://nope');
      expect((err as Error).message).toContain('No such container: nope');
      expect((err as KilnError).hint).toContain('exec -i nope buildctl dial-stdio');
    });
  });

  describe('a daemon that accepts connections and never answers', () => {
    const fakeDocker = fileURLToPath(new URL('../fixtures/bin/fake-docker.mjs', import.meta.url));
    const connectAndExit = fileURLToPath(new URL('../fixtures/connect-and-exit.ts', import.meta.url));
    const root = fileURLToPath(new URL('../..', import.meta.url));
    let silent: NetServer;
    let silentTcp: NetServer;
    let silentPath: string;
    let silentPort: number;
    const held = new Set<Socket>();

    /**
     * A server that keeps every connection and never writes a byte: the Docker API upgrade, the TLS handshake and
     * `buildctl dial-stdio` all stay pending until kiln gives up.
     */
    function silentServer(): NetServer {
      return createNetServer((s) => {
        held.add(s);
        s.on('error', () => {});
        s.on('close', () => held.delete(s));
      });
    }

    beforeAll(async () => {
      silentPath = join(dir, 'silent.sock');
      silent = silentServer();
      await new Promise<void>((resolve) => silent.listen(silentPath, resolve));
      silentTcp = silentServer();
      await new Promise<void>((resolve) => silentTcp.listen(0, '127.0.0.1', resolve));
      silentPort = (silentTcp.address() as AddressInfo).port;
    });
    afterAll(async () => {
      for (const s of held) s.destroy();
      await Promise.all([silent, silentTcp].map((srv) => new Promise((resolve) => srv.close(resolve))));
    });

    it('closing a docker:// transport stops the upgrade request still waiting, and a dial after the close fails at once', async () => {
      const transport = await openTransport({ kind: 'docker', endpoint: { socketPath: silentPath } });
      const reached = new Promise<Socket>((resolve) => silent.once('connection', resolve));
      // What grpc-js does: connect to the transport's proxy, which dials the Docker API for it.
      const conn = netConnect(transport.target.slice('unix:'.length));
      conn.on('error', () => {});
      const upgrade = await reached;
      const released = new Promise<void>((resolve) => upgrade.once('close', () => resolve()));
      await transport.close();
      await released;
      conn.destroy();

      const before = held.size;
      const closed = new AbortController();
      closed.abort(new Error('the transport is closed'));
      await expect(dialDockerUpgrade({ socketPath: silentPath }, '/grpc', {}, closed.signal)).rejects.toThrow('the transport is closed');
      expect(held.size).toBe(before);
    });

    it('closing a dockerd build session before dockerd answered stops its /session upgrade request', async () => {
      const reached = new Promise<Socket>((resolve) => silent.once('connection', resolve));
      const session = openDockerSession({ socketPath: silentPath }, { id: 'silent-session' }, new SessionServer([]));
      const upgrade = await reached;
      const released = new Promise<void>((resolve) => upgrade.once('close', () => resolve()));
      session.close();
      await released;
      await expect(session.ready).rejects.toThrow('the build session was closed before dockerd answered');
    });

    /** Runs a failing connect in its own Node process; it must end by itself, long before the kill below. */
    function connectInChild(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ stdout: string; exitCode: number | null }> {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', connectAndExit, ...args],
          { cwd: root, env: { ...process.env, ...env }, timeout: 8000, killSignal: 'SIGKILL' },
          (err, stdout) => resolve({ stdout, exitCode: err === null ? 0 : typeof err.code === 'number' ? err.code : null }),
        );
      });
    }

    it('a failed docker:// connect leaves no socket open: the process ends on its own', async () => {
      expect(await connectInChild([`docker://unix://${silentPath}`])).toEqual({ stdout: 'failed: cancelled\n', exitCode: 0 });
    }, 15_000);

    it('a failed tcp:// TLS connect to an IP (kiln dials the TLS itself) leaves no socket open', async () => {
      expect(await connectInChild([`tcp://127.0.0.1:${silentPort}`, join(dir, 'ca.pem')])).toEqual({ stdout: 'failed: cancelled\n', exitCode: 0 });
    }, 15_000);

    it('a failed docker-container:// connect leaves no docker exec running', async () => {
      const env = { KILN_DOCKER_CLI: fakeDocker, FAKE_BUILDKITD_SOCKET: silentPath, FAKE_CONTAINER: 'silent' };
      expect(await connectInChild(['docker-container://silent'], env)).toEqual({ stdout: 'failed: cancelled\n', exitCode: 0 });
    }, 15_000);
  });

  it('notices a daemon that stops answering without closing the connection (keepalive), instead of waiting for good', async () => {
    // A proxy in front of the fake daemon that, once frozen, keeps every connection open and passes nothing on.
    const proxyPath = join(dir, 'freezing.sock');
    let frozen = false;
    const sockets = new Set<Socket>();
    const proxy = createNetServer((conn) => {
      const upstream = netConnect(address.replace('unix://', ''));
      for (const s of [conn, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
      }
      conn.on('data', (d: Buffer) => frozen || upstream.write(d));
      upstream.on('data', (d: Buffer) => frozen || conn.write(d));
    });
    await new Promise<void>((resolve) => proxy.listen(proxyPath, resolve));
    const client = await Client.connect({ address: `unix://${proxyPath}`, keepalive: { intervalMs: 300, timeoutMs: 300 } });
    try {
      frozen = true;
      const started = Date.now();
      const err = await client.listWorkers({ timeoutMs: 60_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(KilnError.is(err, 'unavailable')).toBe(true);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await client.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
    await expect(Client.connect({ address: 'unix:///nonexistent/kiln.sock', keepalive: { intervalMs: 0 }, verify: false })).rejects.toThrow(
      /keepalive.intervalMs must be a positive whole number/,
    );
  });

  it('with verify: false, a build against a missing socket says the daemon cannot be reached (not that it closed a session)', async () => {
    const nope = join(dir, 'nope-unverified.sock');
    const client = await Client.connect({ address: `unix://${nope}`, verify: false });
    try {
      const err = await client.build({}, async () => ({})).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(KilnError.is(err, 'unavailable')).toBe(true);
      expect((err as KilnError).message).toBe(`cannot reach the BuildKit daemon at unix://${nope} (chosen from the address option) while opening the build session: connect ENOENT ${nope}`);
      expect((err as KilnError).hint).toMatch(/Start a daemon/);
    } finally {
      await client.close();
    }
  });

  it('explains an unreachable daemon: address, reason and how to start one', async () => {
    const err = await Client.connect({ address: `unix://${join(dir, 'nope.sock')}` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KilnError);
    const k = err as KilnError;
    expect(k.code).toBe('unavailable');
    expect(k.message).toContain(`unix://${join(dir, 'nope.sock')}`);
    expect(k.message).toContain('chosen from the address option');
    expect(k.hint).toMatch(/BUILDKIT_HOST/);
  });
  it('a daemon that never closes the status stream: the build still ends, with every line that came and a note that more may be missing, and no onStatus call after it', async () => {
    const client = await Client.connect({ address });
    nextStatusTail = { lines: 50, close: false };
    let settled = false;
    let lateCalls = 0;
    const lines: string[] = [];
    try {
      const outcome = await client.build(
        {
          onStatus: async (e: StatusEvent) => {
            if (settled) lateCalls++;
            for (const l of e.logs) lines.push(...Buffer.from(l.data).toString('utf8').split('\n').filter((t) => t !== ''));
            // Busy with the step's completion for longer than kiln waits for a silent daemon: time spent here is not
            // the daemon's silence, so the lines sent after it still arrive.
            if (e.vertexes.some((v) => v.completed !== undefined && v.name === 'RUN make test')) await sleep(3500);
          },
        },
        async (gw) => ({ ref: await gw.solve(new Uint8Array(Buffer.from('0a00', 'hex'))) }),
      );
      settled = true;
      expect(lines.filter((l) => l.startsWith('tail '))).toEqual(Array.from({ length: 50 }, (_, i) => `tail ${i + 1}`));
      expect(outcome.progressComplete).toBe(false);
      const step = [...outcome.progress.steps.values()].find((st) => st.name === 'RUN make test');
      expect(step?.logs.toArray().filter((l) => l.text.startsWith('tail ')).length).toBe(50);
      const note = [...outcome.progress.steps.values()].find((st) => st.name === '[kiln] progress');
      expect(note?.warnings.toArray().map((w) => w.short)).toEqual([
        'the daemon sent no progress for 3 s after the build ended, without ending its progress stream: the last output shown may be incomplete',
      ]);
      // kiln cancelled the stream it gave up on: the daemon sees it go.
      await statusCancelled;
      expect(lateCalls).toBe(0);
    } finally {
      statusCancelled = undefined;
      await client.close();
    }
  }, 20_000);

  it('a slow onStatus gets every status message before the build resolves, and the progress is complete', async () => {
    const client = await Client.connect({ address });
    nextStatusTail = { lines: 400, close: true };
    let settled = false;
    let lateCalls = 0;
    let tailLines = 0;
    try {
      const outcome = await client.build(
        {
          onStatus: async (e: StatusEvent) => {
            if (settled) lateCalls++;
            for (const l of e.logs) if (Buffer.from(l.data).toString('utf8').startsWith('tail ')) tailLines++;
            await sleep(2);
          },
        },
        async (gw) => ({ ref: await gw.solve(new Uint8Array(Buffer.from('0a00', 'hex'))) }),
      );
      settled = true;
      expect(tailLines).toBe(400);
      expect(outcome.progressComplete).toBe(true);
      const step = [...outcome.progress.steps.values()].find((st) => st.name === 'RUN make test');
      expect(step?.logs.toArray().filter((l) => l.text.startsWith('tail ')).length).toBe(400);
      expect([...outcome.progress.steps.values()].some((st) => st.name === '[kiln] progress')).toBe(false);
      await setImmediatePromise();
      expect(lateCalls).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('takes SOURCE_DATE_EPOCH from the environment the client was connected with, not from process.env', async () => {
    const saved = process.env['SOURCE_DATE_EPOCH'];
    process.env['SOURCE_DATE_EPOCH'] = '1600000000';
    const withEpoch = await Client.connect({ address, env: { SOURCE_DATE_EPOCH: '1700000000' } });
    const without = await Client.connect({ address, env: {} });
    try {
      await withEpoch.build({}, async () => ({}));
      expect(seen.solveRequests[seen.solveRequests.length - 1]!.FrontendAttrs['build-arg:SOURCE_DATE_EPOCH']).toBe('1700000000');
      await without.build({}, async () => ({}));
      expect(seen.solveRequests[seen.solveRequests.length - 1]!.FrontendAttrs['build-arg:SOURCE_DATE_EPOCH']).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env['SOURCE_DATE_EPOCH'];
      else process.env['SOURCE_DATE_EPOCH'] = saved;
      await withEpoch.close();
      await without.close();
    }
  });

  describe('cancelled in the same moment it was started (a service cancelling or shutting down)', () => {
    it('a signal aborted right after the call: the build rejects as cancelled, with the reason, and never reaches Solve', async () => {
      const client = await Client.connect({ address });
      try {
        const solves = seen.solveRequests.length;
        const controller = new AbortController();
        const build = client.build({ signal: controller.signal }, async () => ({}));
        controller.abort(new Error('deploy superseded'));
        const err = await build.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(KilnError.is(err, 'cancelled')).toBe(true);
        expect(((err as KilnError).cause as Error).message).toBe('deploy superseded');
        expect(seen.solveRequests.length).toBe(solves);
      } finally {
        await client.close();
      }
    });

    it('a signal aborted before the call: cancelled, with the signal\'s reason as the cause', async () => {
      const client = await Client.connect({ address });
      try {
        const err = await client.build({ signal: AbortSignal.abort(new Error('too late')) }, async () => ({})).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(KilnError.is(err, 'cancelled')).toBe(true);
        expect(((err as KilnError).cause as Error).message).toBe('too late');
      } finally {
        await client.close();
      }
    });

    it('the client closed right after builds were started: every one rejects as cancelled by the close, none reaches Solve', async () => {
      const client = await Client.connect({ address });
      const solves = seen.solveRequests.length;
      const builds = [1, 2, 3].map(() =>
        client.build({}, async () => ({})).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      await client.close();
      for (const err of await Promise.all(builds)) {
        expect(KilnError.is(err, 'cancelled')).toBe(true);
        expect(((err as KilnError).cause as KilnError).message).toBe('the kiln Client was closed');
      }
      expect(seen.solveRequests.length).toBe(solves);
    });

    it('one shutdown signal shared by twenty running builds: no leak warning, a single listener on it, its abort cancels all of them', async () => {
      const client = await Client.connect({ address });
      const warnings: string[] = [];
      const onWarning = (w: Error): void => {
        warnings.push(w.name);
      };
      process.on('warning', onWarning);
      try {
        const shutdown = new AbortController();
        let entered = 0;
        let allIn!: () => void;
        const running = new Promise<void>((resolve) => (allIn = resolve));
        const builds = Array.from({ length: 20 }, () =>
          client
            .build({ signal: shutdown.signal }, async (gw) => {
              if (++entered === 20) allIn();
              await new Promise<void>((resolve) => gw.signal.addEventListener('abort', () => resolve(), { once: true }));
              return {};
            })
            .then(
              () => undefined,
              (e: unknown) => e,
            ),
        );
        await running;
        expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1);
        shutdown.abort(new Error('shutting down'));
        for (const err of await Promise.all(builds)) expect(KilnError.is(err, 'cancelled')).toBe(true);
        expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
        await setImmediatePromise();
        expect(warnings).not.toContain('MaxListenersExceededWarning');
      } finally {
        process.off('warning', onWarning);
        await client.close();
      }
    });

    it('a second close() while the first is under way resolves only once the running builds have settled', async () => {
      const client = await Client.connect({ address });
      let inBuild!: () => void;
      const running = new Promise<void>((resolve) => (inBuild = resolve));
      let settled = false;
      const build = client
        .build({}, async (gw) => {
          inBuild();
          await new Promise<void>((resolve) => gw.signal.addEventListener('abort', () => resolve(), { once: true }));
          return {};
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
        .finally(() => {
          settled = true;
        });
      await running;
      const first = client.close();
      await client.close();
      expect(settled).toBe(true);
      await first;
      expect(KilnError.is(await build, 'cancelled')).toBe(true);
    });

    it.each([
      ['still preparing its export', true],
      ['still asking the daemon what it is', false],
    ])('buildImage %s when the client closes: cancelled by the close (not "client is closed"), nothing written', async (_when, infoKnown) => {
      const client = await Client.connect({ address, env: {} });
      const out = mkdtempSync(join(tmpdir(), 'kiln-close-export-'));
      try {
        if (infoKnown) await client.info();
        const solves = seen.solveRequests.length;
        const build = buildImage(client, Image.fromRegistry('busybox:latest').runCommands('echo hi > /hi'), { output: `type=local,dest=${join(out, 'rootfs')}` }).then(
          () => undefined,
          (e: unknown) => e,
        );
        await client.close();
        const err = await build;
        expect(err).toBeInstanceOf(KilnError);
        expect({ code: (err as KilnError).code, message: (err as KilnError).message }).toEqual({ code: 'cancelled', message: 'the build was cancelled' });
        expect(((err as KilnError).cause as KilnError).message).toBe('the kiln Client was closed');
        expect(seen.solveRequests.length).toBe(solves);
        expect(readdirSync(out)).toEqual([]);
      } finally {
        await client.close();
        rmSync(out, { recursive: true, force: true });
      }
    });
  });

  describe('a dockerd that goes away and comes back (a restart)', () => {
    const dockerSocket = (): string => join(dir, 'restarting-docker.sock');
    const connections = new Set<Socket>();
    /** Once set, dockerd accepts the `/grpc` upgrade and then drops the connection (its BuildKit does not answer). */
    let dropGrpc = false;

    /** A stand-in dockerd: `/grpc` upgrades are joined to the fake buildkitd; `/session` upgrades are accepted and held. */
    async function startDockerd(): Promise<HttpServer> {
      const srv = createHttpServer((_req, res) => {
        res.statusCode = 404;
        res.end();
      });
      srv.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
        connections.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => connections.delete(socket));
        socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
        if (req.url !== '/grpc') return;
        if (dropGrpc) {
          socket.destroy();
          return;
        }
        const upstream = netConnect(address.slice('unix://'.length));
        connections.add(upstream);
        upstream.on('error', () => {});
        upstream.on('close', () => {
          connections.delete(upstream);
          socket.destroy();
        });
        socket.on('close', () => upstream.destroy());
        if (head.length > 0) upstream.write(head);
        socket.pipe(upstream);
        upstream.pipe(socket);
      });
      await new Promise<void>((resolve) => srv.listen(dockerSocket(), resolve));
      return srv;
    }

    async function stopDockerd(srv: HttpServer): Promise<void> {
      for (const c of connections) c.destroy();
      // Closing a unix-socket server removes its socket file: connecting then fails with ENOENT, as when dockerd is down.
      await new Promise((resolve) => srv.close(resolve));
    }

    it('builds fail as unreachable (not refused) while it is down, build again at once when it is back, and no later error quotes the old failure', async () => {
      let dockerd = await startDockerd();
      const client = await Client.connect({ address: `docker://unix://${dockerSocket()}` });
      try {
        await client.build({}, async () => ({}));
        await stopDockerd(dockerd);

        const down = await client.build({}, async () => ({})).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(KilnError.is(down, 'unavailable')).toBe(true);
        expect((down as KilnError).message).toBe(
          `cannot reach the BuildKit daemon at docker://unix://${dockerSocket()} (chosen from the address option) while opening the build session: connect ENOENT ${dockerSocket()}`,
        );
        expect((down as KilnError).hint).toMatch(/Start a daemon/);
        // The connection fails too, and grpc-js puts it in reconnect backoff.
        for (let i = 0; i < 2; i++) await expect(client.listWorkers()).rejects.toMatchObject({ code: 'unavailable' });

        dockerd = await startDockerd();
        const outcome = await client.build({}, async () => ({}));
        expect(outcome.exporterResponse['containerimage.digest']).toMatch(/^sha256:/);

        // dockerd is up but its BuildKit drops the connection: the error must not quote the dial failure of the outage.
        dropGrpc = true;
        for (const c of connections) c.destroy();
        const err = await client.listWorkers().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(KilnError.is(err, 'unavailable')).toBe(true);
        expect((err as KilnError).message).not.toContain('ENOENT');
      } finally {
        dropGrpc = false;
        await client.close();
        await stopDockerd(dockerd);
      }
    }, 30_000);
  });
});

