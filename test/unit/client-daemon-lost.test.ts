/**
 * A daemon that goes away in the middle of a build (stopped, restarted or crashed while a step runs), played by an
 * in-process fake buildkitd that shuts down mid-build: the build fails at once with an `unavailable` KilnError that
 * says the connection was *lost* (the daemon answered before: the address is right), names the step that was running
 * and tells the user to build again once the daemon answers — not the "cannot reach … Start a daemon" of a daemon
 * that was never there.
 */
import { connect as h2connect } from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ServerCredentials, status as GrpcStatus, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import { createProgressDisplay } from '../../src/progress/progress-display.js';
import { createProgressRenderer } from '../../src/progress/create-renderer.js';
import { StringSink } from '../../src/progress/string-sink.js';
import type { ProgressMode } from '../../src/progress/renderer.js';
import type { StatusEvent } from '../../src/progress/events.js';
import { google, moby } from '../../src/proto/generated.js';
import { ControlService, LLBBridgeService } from '../../src/proto/services.js';
import { sessionCallAsDuplex } from '../support/fake-daemon-tunnel.js';
import { buildIdOf as buildId, enabledCaps, pingHandler } from '../support/fake-daemon-bridge.js';

const RUN_DIGEST = 'sha256:' + 'a1'.repeat(32);
const RUN_NAME = 'RUN sleep 30';

function ts(ms: number): google.protobuf.Timestamp.$Properties {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/**
 * A fake buildkitd on a unix socket that dies when the build solves: `'during-step'` once the step has started (and
 * printed a line), `'before-steps'` before anything ran. It dies as a killed process does: every connection is cut
 * at the socket (no gRPC goodbye), and nothing listens on the socket any more.
 */
interface DyingDaemon {
  readonly address: string;
  readonly stop: () => void;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function dyingDaemon(when: 'during-step' | 'before-steps' | 'cancels-during-step' | 'user-cancels' | 'user-cancels-killed'): Promise<DyingDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-fake-dying-'));
  const address = `unix://${join(dir, 'buildkitd.sock')}`;
  const inner = join(dir, 'inner.sock');
  const server = new Server();
  // The socket kiln dials: each connection is relayed to the gRPC server, and cut when the daemon dies.
  const conns = new Set<Socket>();
  const front = createNetServer((conn) => {
    const upstream = netConnect(inner);
    for (const s of [conn, upstream]) {
      conns.add(s);
      s.on('error', () => {});
      s.on('close', () => conns.delete(s));
    }
    conn.pipe(upstream).pipe(conn);
  });
  const die = (): void => {
    front.close();
    for (const s of conns) s.destroy();
  };
  const status = new Map<string, ServerWritableStream<unknown, moby.buildkit.v1.StatusResponse.$Properties>>();
  const jobs = new Set<string>();
  const solves = new Map<string, sendUnaryData<moby.buildkit.v1.SolveResponse.$Properties>>();
  let stepStarted = 0;
  server.addService(ControlService, {
    ListWorkers(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.ListWorkersResponse.$Properties>) {
      cb(null, { record: [{ ID: 'fake0', platforms: [{ OS: 'linux', Architecture: 'amd64' }] }] });
    },
    Info(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.InfoResponse.$Properties>) {
      cb(null, { buildkitVersion: { package: 'github.com/moby/buildkit', version: 'v0.32.2', revision: 'fake' } });
    },
    Status(call: ServerWritableStream<moby.buildkit.v1.StatusRequest, moby.buildkit.v1.StatusResponse.$Properties>) {
      status.set(call.request.Ref, call);
    },
    Session(call: ServerDuplexStream<moby.buildkit.v1.BytesMessage, moby.buildkit.v1.BytesMessage.$Properties>) {
      const h2 = h2connect('http://localhost', { createConnection: () => sessionCallAsDuplex(call) });
      h2.on('error', () => {});
      call.on('end', () => h2.destroy());
      call.on('error', () => h2.destroy());
    },
    Solve(call: ServerUnaryCall<moby.buildkit.v1.SolveRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.SolveResponse.$Properties>) {
      // Runs until the daemon dies (or cancels it).
      jobs.add(call.request.Ref);
      solves.set(call.request.Ref, cb);
      // Cancelled by kiln: the job's status stream ends without a word on the step it stopped (as BuildKit v0.8 may).
      if (when === 'user-cancels') call.on('cancelled', () => status.get(call.request.Ref)?.end());
      // Or says the step failed, as the process it killed for the cancellation (BuildKit v0.8 under load).
      if (when === 'user-cancels-killed')
        call.on('cancelled', () => {
          const writer = status.get(call.request.Ref);
          writer?.write({ vertexes: [{ digest: RUN_DIGEST, name: RUN_NAME, started: ts(stepStarted), completed: ts(Date.now()), error: 'executor failed running [/bin/sh -c sleep 30]: exit code: 137' }] });
          writer?.end();
        });
    },
  });
  server.addService(LLBBridgeService, {
    Ping: pingHandler(jobs, {
      FrontendAPICaps: [{ ID: 'proto.refarray', Enabled: true }],
      LLBCaps: enabledCaps(['source.image', 'exec.meta.base', 'exec.mount.bind', 'platform', 'constraints', 'meta.description']),
      Workers: [{ ID: 'fake0', platforms: [{ OS: 'linux', Architecture: 'amd64' }] }],
    }),
    ResolveImageConfig(_call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties>) {
      const config = { os: 'linux', architecture: 'amd64', config: { Env: ['PATH=/usr/bin:/bin'] }, rootfs: { type: 'layers', diff_ids: [] } };
      cb(null, { Digest: 'sha256:' + 'ef'.repeat(32), Config: Buffer.from(JSON.stringify(config)) });
    },
    Solve(call: ServerUnaryCall<unknown, unknown>, gatewayCb: sendUnaryData<unknown>) {
      const writer = status.get(buildId(call));
      const now = Date.now();
      stepStarted = now;
      if (when !== 'before-steps') {
        writer?.write({ vertexes: [{ digest: RUN_DIGEST, name: RUN_NAME, started: ts(now) }] });
        writer?.write({ logs: [{ vertex: RUN_DIGEST, stream: 1, msg: Buffer.from('sleeping\n'), timestamp: ts(now) }] });
      }
      // The daemon dies while the step runs: every connection drops, nothing answers on the socket any more. Or it
      // ends the job itself, as a daemon shutting down gracefully (or another client cancelling the build) does.
      if (when === 'cancels-during-step') {
        setTimeout(() => {
          // The job's calls end with it: the gateway's solve, the status stream, then Control.Solve.
          gatewayCb({ code: GrpcStatus.CANCELLED, details: 'context canceled' });
          writer?.end();
          solves.get(buildId(call))?.({ code: GrpcStatus.CANCELLED, details: 'context canceled' });
        }, 50);
      }
      else if (when !== 'user-cancels' && when !== 'user-cancels-killed') setTimeout(die, 50);
    },
  });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${inner}`, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())),
  );
  await new Promise<void>((resolve) => front.listen(address.replace('unix://', ''), resolve));
  const stop = (): void => {
    die();
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.push(stop);
  return { address, stop };
}

const image = Image.fromRegistry('busybox:latest').runCommands('sleep 30');

async function buildFailure(
  address: string,
  connect: { verify?: boolean } = {},
  onStatus?: (event: StatusEvent) => unknown,
): Promise<KilnError> {
  const client = await Client.connect({ address, env: {}, ...connect });
  try {
    await buildImage(client, image, { exporter: { type: 'image', attrs: { name: 'registry.test/app:1' } }, ...(onStatus === undefined ? {} : { onStatus }) });
  } catch (err) {
    if (err instanceof KilnError) return err;
    throw err;
  } finally {
    await client.close();
  }
  throw new Error('the build succeeded');
}

describe('the daemon goes away in the middle of a build', () => {
  it('while a step runs: unavailable, "lost the connection" naming the daemon, its address source and the step', async () => {
    const daemon = await dyingDaemon('during-step');
    const err = await buildFailure(daemon.address);
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(
      new RegExp(`^lost the connection to the BuildKit daemon at ${daemon.address.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(chosen from the address option\\) while running step "${RUN_NAME}": `),
    );
    expect(err.details['connectionLost']).toBe(true);
    expect(err.details['runningSteps']).toEqual([RUN_NAME]);
    expect(err.hint).toContain('The daemon went away during the build');
    expect(err.hint).toContain('Build again once it answers');
    expect(err.hint).not.toContain('Start a daemon');
  });

  it('before any step started: the same lost connection, while running the build', async () => {
    const daemon = await dyingDaemon('before-steps');
    const err = await buildFailure(daemon.address);
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/^lost the connection to the BuildKit daemon at unix:\/\/.* while running the build: /);
    expect(err.details['connectionLost']).toBe(true);
    expect(err.details['runningSteps']).toBeUndefined();
  });

  it('a daemon that is not there when the build starts is still "cannot reach", with how to start or choose one', async () => {
    const daemon = await dyingDaemon('before-steps');
    daemon.stop();
    const err = await buildFailure(daemon.address, { verify: false });
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/^cannot reach the BuildKit daemon at unix:\/\/.* \(chosen from the address option\) while /);
    expect(err.details['connectionLost']).toBeUndefined();
    expect(err.hint).toContain('Start a daemon');
  });

  it('the daemon cancels the build itself (shutting down, or another client cancelled it): build_failed saying so, not a cancel by the user', async () => {
    const daemon = await dyingDaemon('cancels-during-step');
    const err = await buildFailure(daemon.address);
    expect(err.code).toBe('build_failed');
    expect(err.message).toMatch(/^the BuildKit daemon at unix:\/\/.* \(chosen from the address option\) cancelled the build while running step "RUN sleep 30": context canceled$/);
    expect(err.details['daemonCancelled']).toBe(true);
    expect(err.hint).toContain('Nothing on this side cancelled it');
  });

  it.each(['user-cancels', 'user-cancels-killed'] as const)('cancelled by the caller, with a daemon that ends the status stream without saying the running step was canceled (%s): the step is shown canceled, not running or failed', async (when) => {
    const daemon = await dyingDaemon(when);
    const sink = new StringSink({ isTTY: false, columns: 100, rows: 30 });
    const display = createProgressDisplay(createProgressRenderer('plain', { stream: sink, env: {} }));
    const controller = new AbortController();
    const client = await Client.connect({ address: daemon.address, env: {} });
    const err = await buildImage(client, image, {
      exporter: { type: 'image', attrs: { name: 'registry.test/app:1' } },
      signal: controller.signal,
      onStatus: async (e) => {
        await display.onStatus(e);
        if (e.logs.some((l) => Buffer.from(l.data).toString().includes('sleeping'))) controller.abort();
      },
    })
      .then(() => undefined, (e: unknown) => e)
      .finally(() => client.close());
    const summary = await display.finish();
    expect(KilnError.is(err, 'cancelled')).toBe(true);
    const step = [...display.state().steps.values()].find((s) => s.name === RUN_NAME);
    expect(step?.canceled).toBe(true);
    expect(summary.running).toBe(0);
    expect(summary.canceled).toBe(1);
    expect(sink.text).toMatch(/#\d+ CANCELED\n/);
  });

  it.each<ProgressMode>(['plain', 'tty', 'rawjson'])('%s progress ends the step that was running with the lost connection, instead of leaving it running', async (mode) => {
    const daemon = await dyingDaemon('during-step');
    const sink = new StringSink({ isTTY: mode === 'tty', columns: 100, rows: 30 });
    const display = createProgressDisplay(createProgressRenderer(mode, { stream: sink, env: {} }));
    const err = await buildFailure(daemon.address, {}, display.onStatus);
    const summary = await display.finish();
    expect(err.details['connectionLost']).toBe(true);
    const step = [...display.state().steps.values()].find((s) => s.name === RUN_NAME);
    expect(step?.error).toBe('lost the connection to the BuildKit daemon while this step ran');
    expect(summary.running).toBe(0);
    expect(summary.errors).toBe(1);
    const text = sink.text;
    if (mode === 'plain') expect(text).toMatch(/#\d+ ERROR: lost the connection to the BuildKit daemon while this step ran\n/);
    if (mode === 'tty') expect(text).toContain('ERROR RUN sleep 30');
    if (mode === 'rawjson') {
      const last = text.trim().split('\n').map((l) => JSON.parse(l) as { vertexes?: { digest: string; completed?: string; error?: string }[] }).at(-1);
      expect(last?.vertexes?.[0]).toMatchObject({ digest: RUN_DIGEST, error: 'lost the connection to the BuildKit daemon while this step ran' });
      expect(last?.vertexes?.[0]?.completed).toBeDefined();
    }
    // The step's output so far is what the user needs to see: it stays in the failure block.
    if (mode !== 'rawjson') expect(text).toContain('sleeping');
  });
});
