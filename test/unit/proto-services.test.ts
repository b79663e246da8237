import {
  Client,
  Metadata,
  Server,
  ServerCredentials,
  credentials,
  makeGenericClientConstructor,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServiceError,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpc, moby } from '../../src/proto/generated.js';
import {
  AuthService,
  ContentService,
  ControlService,
  FileSendService,
  FileSyncService,
  HealthService,
  LLBBridgeService,
  SESSION_METHOD_PATHS,
  SESSION_SERVICES,
  SSHService,
  SecretsService,
  sessionMethodPaths,
} from '../../src/proto/services.js';

describe('method paths', () => {
  it('advertises every session method with its exact, case-correct path', () => {
    expect(SESSION_METHOD_PATHS).toEqual([
      '/grpc.health.v1.Health/Check',
      '/grpc.health.v1.Health/Watch',
      '/moby.filesync.v1.FileSync/DiffCopy',
      '/moby.filesync.v1.FileSync/TarStream',
      '/moby.filesync.v1.FileSend/DiffCopy',
      '/moby.filesync.v1.Auth/Credentials',
      '/moby.filesync.v1.Auth/FetchToken',
      '/moby.filesync.v1.Auth/GetTokenAuthority',
      '/moby.filesync.v1.Auth/VerifyTokenAuthority',
      '/moby.buildkit.secrets.v1.Secrets/GetSecret',
      '/moby.sshforward.v1.SSH/CheckAgent',
      '/moby.sshforward.v1.SSH/ForwardAgent',
    ]);
    expect(SESSION_SERVICES).toEqual([HealthService, FileSyncService, FileSendService, AuthService, SecretsService, SSHService]);
  });

  it('lists extra services once each, in order', () => {
    const paths = sessionMethodPaths([HealthService, ContentService, HealthService]);
    expect(paths.slice(0, 3)).toEqual([
      '/grpc.health.v1.Health/Check',
      '/grpc.health.v1.Health/Watch',
      '/containerd.services.content.v1.Content/Info',
    ]);
    expect(paths).toHaveLength(2 + 9);
  });

  it('describes the Control and LLBBridge methods kiln calls', () => {
    const shape = (service: Record<string, { path: string; requestStream: boolean; responseStream: boolean }>) =>
      Object.fromEntries(Object.entries(service).map(([name, m]) => [name, [m.path, m.requestStream, m.responseStream]]));
    expect(shape(ControlService)).toMatchObject({
      DiskUsage: ['/moby.buildkit.v1.Control/DiskUsage', false, false],
      Prune: ['/moby.buildkit.v1.Control/Prune', false, true],
      Solve: ['/moby.buildkit.v1.Control/Solve', false, false],
      Status: ['/moby.buildkit.v1.Control/Status', false, true],
      Session: ['/moby.buildkit.v1.Control/Session', true, true],
      ListWorkers: ['/moby.buildkit.v1.Control/ListWorkers', false, false],
      Info: ['/moby.buildkit.v1.Control/Info', false, false],
    });
    expect(shape(LLBBridgeService)).toMatchObject({
      Ping: ['/moby.buildkit.v1.frontend.LLBBridge/Ping', false, false],
      Solve: ['/moby.buildkit.v1.frontend.LLBBridge/Solve', false, false],
      ResolveImageConfig: ['/moby.buildkit.v1.frontend.LLBBridge/ResolveImageConfig', false, false],
      Return: ['/moby.buildkit.v1.frontend.LLBBridge/Return', false, false],
      ExecProcess: ['/moby.buildkit.v1.frontend.LLBBridge/ExecProcess', true, true],
    });
  });

  it('serializes with the generated codecs and passes FileSync/FileSend bytes through untouched', () => {
    const solve = ControlService.Solve.requestSerialize({ Ref: 'r1', Session: 's1' });
    expect(moby.buildkit.v1.SolveRequest.decode(solve).Ref).toBe('r1');
    expect(HealthService.Check.responseSerialize({ status: grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING })).toEqual(
      Buffer.from([0x08, 0x01]),
    );
    const packet = Buffer.from([0x08, 0x03]);
    expect(FileSendService.DiffCopy.requestDeserialize(packet)).toBe(packet);
    expect(FileSyncService.DiffCopy.responseSerialize(packet)).toBe(packet);
  });
});

describe('over a real grpc-js channel (loopback)', () => {
  const server = new Server();
  let client: Client;
  let address = '';

  beforeAll(async () => {
    server.addService(ControlService, {
      Info: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<moby.buildkit.v1.InfoResponse.$Properties>) =>
        callback(null, { buildkitVersion: { package: 'github.com/moby/buildkit', version: 'v0.11.6', revision: 'test' } }),
    });
    server.addService(HealthService, {
      Check: (
        _call: ServerUnaryCall<grpc.health.v1.HealthCheckRequest, unknown>,
        callback: sendUnaryData<grpc.health.v1.HealthCheckResponse.$Properties>,
      ) => callback(null, { status: grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING }),
    });
    server.addService(FileSendService, {
      DiffCopy: (call: ServerDuplexStream<Buffer, Buffer>) => {
        call.on('data', (chunk: Buffer) => call.write(Buffer.concat([Buffer.from('echo:'), chunk])));
        call.on('end', () => call.end());
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
    });
    address = `127.0.0.1:${port}`;
    client = new Client(address, credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  it('makes a typed unary Control.Info call with makeUnaryRequest', async () => {
    const info = ControlService.Info;
    const response = await new Promise<moby.buildkit.v1.InfoResponse>((resolve, reject) => {
      client.makeUnaryRequest(info.path, info.requestSerialize, info.responseDeserialize, {}, new Metadata(), (err, value) =>
        err || value === undefined ? reject(err ?? new Error('no response')) : resolve(value),
      );
    });
    expect(response.buildkitVersion?.version).toBe('v0.11.6');
  });

  it('works with makeGenericClientConstructor', async () => {
    const Ctor = makeGenericClientConstructor(ControlService, 'Control');
    const control = new Ctor(address, credentials.createInsecure());
    try {
      const rpc = control['Info'] as (req: object, cb: (err: ServiceError | null, res?: moby.buildkit.v1.InfoResponse) => void) => void;
      const response = await new Promise<moby.buildkit.v1.InfoResponse | undefined>((resolve, reject) => {
        rpc.call(control, {}, (err, res) => (err ? reject(err) : resolve(res)));
      });
      expect(response?.buildkitVersion?.package).toBe('github.com/moby/buildkit');
    } finally {
      control.close();
    }
  });

  it('answers a health check with SERVING', async () => {
    const check = HealthService.Check;
    const response = await new Promise<grpc.health.v1.HealthCheckResponse.$Properties>((resolve, reject) => {
      client.makeUnaryRequest(
        check.path,
        (req: grpc.health.v1.HealthCheckRequest.$Properties) => Buffer.from(grpc.health.v1.HealthCheckRequest.encode(req).finish()),
        (bytes: Buffer) => grpc.health.v1.HealthCheckResponse.decode(bytes),
        { service: '' },
        (err, value) => (err || value === undefined ? reject(err ?? new Error('no response')) : resolve(value)),
      );
    });
    expect(response.status).toBe(grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
  });

  it('streams raw FileSend bytes without decoding them', async () => {
    const send = FileSendService.DiffCopy;
    const call = client.makeBidiStreamRequest(send.path, send.requestSerialize, send.responseDeserialize);
    const received: Buffer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on('data', (chunk: Buffer) => received.push(chunk));
      call.on('error', reject);
      call.on('end', resolve);
    });
    const notProtobuf = Buffer.from([0xff, 0xff, 0xff]);
    call.write(notProtobuf);
    call.end();
    await done;
    expect(Buffer.concat(received)).toEqual(Buffer.concat([Buffer.from('echo:'), notProtobuf]));
  });
});
