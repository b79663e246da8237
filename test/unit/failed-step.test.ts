/**
 * Opening the step a build failed in (`onStepFailure`, `kiln build --on-failure`), against an in-memory daemon: the
 * daemon's `errdefs.Solve` report read, the container made on the mounts the step had when it failed (not those it
 * started from), the step's env/cwd/user, the container released; and a daemon that sends no report (dockerd 20.10).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  Client as GrpcClient,
  credentials,
  Metadata,
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServiceError,
} from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { failedStepOf } from '../../src/client/failed-step.js';
import { google, type moby } from '../../src/proto/generated.js';
import { LLBBridgeService } from '../../src/proto/services.js';

/** What BuildKit v0.13 sends for `RUN echo hi > /tmp/evidence; exit 3` with a cache mount and a tmpfs (protobuf JSON: zero values left out, enums by name). */
const SOLVE_REPORT = {
  inputIDs: ['b::input-root', '', ''],
  mountIDs: ['b::after-root', '', ''],
  op: {
    inputs: [{ digest: 'sha256:' + 'ab'.repeat(32) }],
    exec: {
      meta: { args: ['/bin/sh', '-c', 'echo hi > /tmp/evidence; exit 3'], env: ['PATH=/bin', 'A=b'], cwd: '/srv', user: 'nobody' },
      mounts: [{ dest: '/' }, { input: '-1', dest: '/root/.cache', output: '-1', mountType: 'CACHE', cacheOpt: { ID: 'pip', sharing: 'LOCKED' } }, { input: '-1', dest: '/scratch', output: '-1', mountType: 'TMPFS', TmpfsOpt: { size: '1048576' } }],
      network: 'NONE',
    },
    platform: { Architecture: 'amd64', OS: 'linux' },
  },
};

/** A gRPC error as grpc-js gives it, carrying `details` as `grpc-status-details-bin`. */
function solveError(details: readonly { type_url: string; value: unknown }[]): ServiceError {
  const md = new Metadata();
  const message = 'process "/bin/sh -c echo hi > /tmp/evidence; exit 3" did not complete successfully: exit code: 3';
  if (details.length > 0) {
    const status = google.rpc.Status.encode({
      code: GrpcStatus.UNKNOWN,
      message,
      details: details.map((d) => ({ type_url: d.type_url, value: Buffer.from(JSON.stringify(d.value)) })),
    }).finish();
    md.set('grpc-status-details-bin', Buffer.from(status));
  }
  return Object.assign(new Error(`2 UNKNOWN: ${message}`), { code: GrpcStatus.UNKNOWN, details: message, metadata: md });
}

const seen = {
  containers: [] as moby.buildkit.v1.frontend.NewContainerRequest[],
  inits: [] as moby.buildkit.v1.frontend.InitMessage[],
  resizes: [] as moby.buildkit.v1.frontend.ResizeMessage[],
  signals: [] as string[],
  released: [] as string[],
};

const bridge = {
  NewContainer(call: ServerUnaryCall<moby.buildkit.v1.frontend.NewContainerRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.NewContainerResponse.$Properties>) {
    seen.containers.push(call.request);
    cb(null, {});
  },
  ExecProcess(call: ServerDuplexStream<moby.buildkit.v1.frontend.ExecMessage, moby.buildkit.v1.frontend.ExecMessage.$Properties>) {
    let finish = (): void => {};
    call.on('data', (m: moby.buildkit.v1.frontend.ExecMessage) => {
      if (m.Resize != null) {
        seen.resizes.push(m.Resize as moby.buildkit.v1.frontend.ResizeMessage);
        finish();
      }
      if (m.Signal != null) {
        seen.signals.push(m.Signal.Name ?? '');
        // The command traps the signal, says so and exits.
        call.write({ ProcessID: m.ProcessID, File: { Fd: 1, Data: Buffer.from(`got-${m.Signal.Name ?? ''}\n`) } });
        finish();
      }
      if (m.Init == null) return;
      seen.inits.push(m.Init as moby.buildkit.v1.frontend.InitMessage);
      const id = m.ProcessID;
      call.write({ ProcessID: id, Started: {} });
      // A command that runs until it is signalled (or its container released): says it runs, and waits.
      if (m.Init.Meta?.args?.[0] === 'wait-for-signal') {
        call.write({ ProcessID: id, File: { Fd: 1, Data: Buffer.from('running\n') } });
        finish = () => {
          finish = () => {};
          call.write({ ProcessID: id, Exit: { Code: 3 } });
          call.write({ ProcessID: id, Done: {} });
          call.end();
        };
        return;
      }
      finish = () => {
        finish = () => {};
        call.write({ ProcessID: id, File: { Fd: 1, Data: Buffer.from('hi\n') } });
        call.write({ ProcessID: id, Exit: { Code: 4, Error: { code: 2, message: 'exit code: 4' } } });
        call.write({ ProcessID: id, Done: {} });
        call.end();
      };
      // A terminal's process answers once it was told its size (sent as it starts).
      if (m.Init.Tty !== true) finish();
    });
    call.on('end', () => call.end());
  },
  ReleaseContainer(call: ServerUnaryCall<moby.buildkit.v1.frontend.ReleaseContainerRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ReleaseContainerResponse.$Properties>) {
    seen.released.push(call.request.ContainerID);
    cb(null, {});
  },
};

let dir = '';
let server: Server;
let grpc: GrpcClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-failed-step-'));
  server = new Server();
  server.addService(LLBBridgeService, bridge);
  const socket = `unix:${join(dir, 'bk.sock')}`;
  await new Promise<void>((resolve, reject) => server.bindAsync(socket, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  grpc = new GrpcClient(socket, credentials.createInsecure());
});

afterAll(() => {
  grpc?.close();
  server?.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

const target = (caps: readonly string[] = ['gateway.exec']): Parameters<typeof failedStepOf>[1] => ({
  grpc,
  bridge: { 'buildkit-controlapi-buildid': 'b' },
  frontendCaps: new Set(caps),
  daemon: 'dockerd 20.10.24 (embedded BuildKit v0.8)',
});
/** A daemon that can signal a process (BuildKit v0.10+). */
const SIGNALS = ['gateway.exec', 'gateway.exec.signals'];

/** A stream that keeps what is written to it. */
function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

describe('failed steps', () => {
  it('opens a container on the mounts the step had when its command failed, with its env, cwd and user, then releases it', async () => {
    const failed = failedStepOf(solveError([{ type_url: 'github.com/moby/buildkit/errdefs.Solve+json', value: SOLVE_REPORT }]), target());
    expect(failed.canRun).toBe(true);
    expect(failed.command).toEqual({ args: ['/bin/sh', '-c', 'echo hi > /tmp/evidence; exit 3'], env: ['PATH=/bin', 'A=b'], cwd: '/srv', user: 'nobody' });
    expect(failed.mounts).toEqual(['/', '/root/.cache', '/scratch']);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const exit = await failed.run({ args: ['cat', '/tmp/evidence'], env: { A: 'override' }, stdout: out, stderr: new PassThrough() });
    expect(exit.exitCode).toBe(4);
    expect(Buffer.concat(chunks).toString()).toBe('hi\n');
    const ctr = seen.containers.at(-1);
    // The root is the result after the failure (mountIDs), not the input it started from.
    expect(ctr?.Mounts.map((m) => ({ dest: m.dest, resultID: m.resultID, mountType: m.mountType }))).toEqual([
      { dest: '/', resultID: 'b::after-root', mountType: 0 },
      { dest: '/root/.cache', resultID: '', mountType: 3 },
      { dest: '/scratch', resultID: '', mountType: 4 },
    ]);
    expect(ctr?.Mounts[1]?.cacheOpt).toMatchObject({ ID: 'pip', sharing: 2 });
    expect(Number(ctr?.Mounts[2]?.TmpfsOpt?.size)).toBe(1048576);
    expect(ctr?.Network).toBe(2);
    expect(ctr?.platform).toMatchObject({ OS: 'linux', Architecture: 'amd64' });
    expect(seen.inits.at(-1)?.Meta).toMatchObject({ args: ['cat', '/tmp/evidence'], env: ['PATH=/bin', 'A=override'], cwd: '/srv', user: 'nobody' });
    expect(seen.released.at(-1)).toBe(ctr?.ContainerID);
  });

  it("state 'initial' opens the mounts the step started from (inputIDs), and tty gives the command a terminal of the size asked", async () => {
    const failed = failedStepOf(solveError([{ type_url: 'github.com/moby/buildkit/errdefs.Solve+json', value: SOLVE_REPORT }]), target());
    expect(failed.platform).toBe('linux/amd64');
    let started = 0;
    const exit = await failed.run({ state: 'initial', tty: { columns: 90, rows: 20 }, onCommandStart: () => void started++, stdout: new PassThrough() });
    expect(exit.exitCode).toBe(4);
    expect(started).toBe(1);
    const ctr = seen.containers.at(-1);
    expect(ctr?.Mounts.map((m) => ({ dest: m.dest, resultID: m.resultID, mountType: m.mountType }))).toEqual([
      { dest: '/', resultID: 'b::input-root', mountType: 0 },
      { dest: '/root/.cache', resultID: '', mountType: 3 },
      { dest: '/scratch', resultID: '', mountType: 4 },
    ]);
    expect(seen.inits.at(-1)?.Tty).toBe(true);
    expect(seen.resizes.at(-1)).toMatchObject({ Cols: 90, Rows: 20 });
    expect(seen.released.at(-1)).toBe(ctr?.ContainerID);
  });

  it('a state that is not one, or a stop timeout that is no whole number of seconds (or -1), is refused before anything is created', async () => {
    const before = seen.containers.length;
    const failed = failedStepOf(solveError([{ type_url: 'github.com/moby/buildkit/errdefs.Solve+json', value: SOLVE_REPORT }]), target());
    const err = await failed.run({ state: 'before' as 'initial' }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as Error).message).toContain("'failed' (as its command left it) or 'initial' (before it ran)");
    for (const stopTimeout of [1.5, -2, Number.NaN]) {
      const bad = await failed.run({ stopTimeout }).catch((e: unknown) => e);
      expect(KilnError.is(bad, 'invalid_argument')).toBe(true);
      expect((bad as Error).message).toBe('options.stopTimeout must be a whole number of seconds: 0 or more, or -1 to never kill the command');
    }
    expect(seen.containers.length).toBe(before);
  });

  it('a daemon that sends no report (dockerd 20.10): canRun false and an unsupported error naming it, and nothing is created', async () => {
    const before = seen.containers.length;
    const failed = failedStepOf(solveError([]), target());
    expect(failed.canRun).toBe(false);
    expect(failed.unavailable?.message).toBe('dockerd 20.10.24 (embedded BuildKit v0.8) does not report the failed step: kiln cannot open it');
    const err = await failed.run({ args: ['sh'] }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    expect(seen.containers.length).toBe(before);
  });

  it('an abort stops the running command as docker stop does (its stop signal), then its container is released and the run rejects as cancelled', async () => {
    const report = solveError([{ type_url: 'github.com/moby/buildkit/errdefs.Solve+json', value: SOLVE_REPORT }]);
    const cases: { options: { stopSignal?: string; abortMode?: 'stop' | 'release' }; signals: string[]; output: string }[] = [
      { options: {}, signals: ['TERM'], output: 'running\ngot-TERM\n' },
      { options: { stopSignal: 'SIGQUIT' }, signals: ['QUIT'], output: 'running\ngot-QUIT\n' },
      // At once: no signal, the container is released (which kills the command).
      { options: { abortMode: 'release' }, signals: [], output: 'running\n' },
    ];
    for (const { options, signals, output } of cases) {
      const before = seen.signals.length;
      const controller = new AbortController();
      const out = collector();
      out.stream.once('data', () => controller.abort(new Error('stop')));
      const err = await failedStepOf(report, target(SIGNALS))
        .run({ ...options, args: ['wait-for-signal'], stdout: out.stream, stderr: new PassThrough(), signal: controller.signal })
        .catch((e: unknown) => e);
      expect({ options, cancelled: KilnError.is(err, 'cancelled'), signals: seen.signals.slice(before), output: out.text() }).toEqual({ options, cancelled: true, signals, output });
      expect(seen.released.at(-1)).toBe(seen.containers.at(-1)?.ContainerID);
    }
    // Where the daemon cannot signal (BuildKit v0.8), the abort releases the container at once.
    const before = seen.signals.length;
    const controller = new AbortController();
    const out = collector();
    out.stream.once('data', () => controller.abort(new Error('stop')));
    const err = await failedStepOf(report, target()).run({ args: ['wait-for-signal'], stdout: out.stream, signal: controller.signal }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'cancelled')).toBe(true);
    expect(seen.signals.length).toBe(before);
    expect(seen.released.at(-1)).toBe(seen.containers.at(-1)?.ContainerID);
  });

  it('the stop options are checked as runInImage checks them, before anything is created', async () => {
    const before = seen.containers.length;
    const report = solveError([{ type_url: 'github.com/moby/buildkit/errdefs.Solve+json', value: SOLVE_REPORT }]);
    const refused = async (options: Parameters<ReturnType<typeof failedStepOf>['run']>[0], caps = SIGNALS): Promise<KilnError> => (await failedStepOf(report, target(caps)).run(options).catch((e: unknown) => e)) as KilnError;
    expect((await refused({ abortMode: 'kill' as 'stop' })).message).toBe("options.abortMode must be 'stop' or 'release'");
    expect((await refused({ stopTimeout: 1.5 })).message).toContain('options.stopTimeout must be a whole number of seconds');
    expect((await refused({ stopSignal: 'SIGNOPE' })).message).toContain('options.stopSignal "SIGNOPE" is not a Linux signal');
    const noSignals = await refused({ stopSignal: 'QUIT' }, ['gateway.exec']);
    expect(noSignals.code).toBe('unsupported');
    expect(noSignals.message).toContain('gateway.exec.signals');
    expect(seen.containers.length).toBe(before);
  });

  it("the step's platform is named as kiln names platforms: os/arch[/variant], and the OS alone when the op names no architecture", () => {
    const platformOf = (platform: Record<string, string>): string | undefined =>
      failedStepOf(solveError([{ type_url: 'github.com/moby/buildkit/errdefs.Solve+json', value: { ...SOLVE_REPORT, op: { ...SOLVE_REPORT.op, platform } } }]), target()).platform;
    expect(platformOf({ OS: 'linux', Architecture: 'arm', Variant: 'v7' })).toBe('linux/arm/v7');
    expect(platformOf({ OS: 'linux', Architecture: 'arm64' })).toBe('linux/arm64');
    expect(platformOf({ OS: 'linux' })).toBe('linux');
    expect(platformOf({ OS: 'linux', Variant: 'v7' })).toBe('linux');
    expect(platformOf({})).toBeUndefined();
  });

  it('a failed file operation is reported, but has no command to open', () => {
    const failed = failedStepOf(solveError([{ type_url: 'github.com/moby/buildkit/errdefs.Solve+json', value: { op: { file: { actions: [] } }, file: { index: 0 } } }]), target());
    expect(failed.canRun).toBe(false);
    expect(failed.unavailable?.message).toContain('is a file operation');
  });
});
