/**
 * buildImage against an in-process fake buildkitd that checks the result's platforms as BuildKit v0.14+ does before
 * exporting (exporter/verifier in BuildKit): the platforms asked for are the `platform` frontend attribute of the
 * Control.Solve request — the daemon's own platform when it is absent — and when the result's platforms (`refs.platforms`
 * metadata, else the `containerimage.config` os/architecture) differ, the daemon warns on the exporting step:
 * `Requested platforms linux/amd64 do not match result platforms linux/amd64,linux/arm64`. kiln's builds for other
 * platforms than the daemon's must say which platforms they build, so that no such warning shows.
 */
import { connect as h2connect } from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ServerCredentials, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { buildImage, Image, type BuildImagePlatforms } from '../../src/image/index.js';
import { google, moby } from '../../src/proto/generated.js';
import { ControlService, LLBBridgeService } from '../../src/proto/services.js';
import { sessionCallAsDuplex } from '../support/fake-daemon-tunnel.js';
import { buildIdOf as buildId, enabledCaps, pingHandler } from '../support/fake-daemon-bridge.js';

/** The daemon's own platform (BuildKit's `platforms.DefaultSpec()`). */
const DAEMON_PLATFORM = 'linux/amd64';
const EXPORT_DIGEST = 'sha256:' + 'e1'.repeat(32);

interface Job {
  returned?: moby.buildkit.v1.frontend.ReturnRequest;
  onReturn?: () => void;
  status: ServerWritableStream<unknown, moby.buildkit.v1.StatusResponse.$Properties>[];
}

const jobs = new Map<string, Job>();
const solveRequests: moby.buildkit.v1.SolveRequest[] = [];

function job(ref: string): Job {
  let j = jobs.get(ref);
  if (j === undefined) {
    j = { status: [] };
    jobs.set(ref, j);
  }
  return j;
}


function ts(ms: number): google.protobuf.Timestamp.$Properties {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function platformText(p: { os?: string; architecture?: string; variant?: string }): string {
  return [p.os, p.architecture, ...(p.variant === undefined || p.variant === '' ? [] : [p.variant])].join('/');
}

/** The platforms of a returned result, as BuildKit's exptypes.ParsePlatforms reads them. */
function resultPlatforms(metadata: Readonly<Record<string, Uint8Array>>): string[] {
  const text = (key: string): string | undefined => (metadata[key] === undefined ? undefined : Buffer.from(metadata[key]!).toString('utf8'));
  const platforms = text('refs.platforms');
  if (platforms !== undefined) {
    const parsed = JSON.parse(platforms) as { Platforms: { Platform: { os: string; architecture: string; variant?: string } }[] };
    return parsed.Platforms.map((p) => platformText(p.Platform));
  }
  const config = text('containerimage.config');
  if (config !== undefined) {
    const img = JSON.parse(config) as { os?: string; architecture?: string; variant?: string };
    if (img.os !== undefined && img.architecture !== undefined) return [platformText(img)];
  }
  return [DAEMON_PLATFORM];
}

/** BuildKit v0.14+'s verifier.CheckInvalidPlatforms, for the cases kiln's builds produce. */
function platformWarning(frontendAttrs: Readonly<Record<string, string>>, result: moby.buildkit.v1.frontend.Result): string | undefined {
  const requested = (frontendAttrs['platform'] ?? DAEMON_PLATFORM).split(',');
  const got = resultPlatforms(result.metadata);
  if (requested.length === 1 && got.length === 1) {
    return requested[0] === got[0] ? undefined : `Requested platform "${requested[0]}" does not match result platform "${got[0]}"`;
  }
  const same = requested.length === got.length && got.every((p) => requested.includes(p));
  return same ? undefined : `Requested platforms ${[...requested].sort().join(',')} do not match result platforms ${[...got].sort().join(',')}`;
}

const control = {
  ListWorkers(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.ListWorkersResponse.$Properties>) {
    cb(null, { record: [{ ID: 'fake0', platforms: [{ OS: 'linux', Architecture: 'amd64' }, { OS: 'linux', Architecture: 'arm64' }] }] });
  },
  Info(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.InfoResponse.$Properties>) {
    cb(null, { buildkitVersion: { package: 'github.com/moby/buildkit', version: 'v0.32.2', revision: 'fake' } });
  },
  Status(call: ServerWritableStream<moby.buildkit.v1.StatusRequest, moby.buildkit.v1.StatusResponse.$Properties>) {
    job(call.request.Ref).status.push(call);
  },
  Session(call: ServerDuplexStream<moby.buildkit.v1.BytesMessage, moby.buildkit.v1.BytesMessage.$Properties>) {
    // The daemon is the HTTP/2 client inside the tunnel; its connection preface is what tells kiln the session is up.
    const h2 = h2connect('http://localhost', { createConnection: () => sessionCallAsDuplex(call) });
    h2.on('error', () => {});
    call.on('end', () => h2.destroy());
    call.on('error', () => h2.destroy());
  },
  async Solve(call: ServerUnaryCall<moby.buildkit.v1.SolveRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.SolveResponse.$Properties>) {
    solveRequests.push(call.request);
    const j = job(call.request.Ref);
    await new Promise<void>((resolve) => {
      if (j.returned !== undefined) resolve();
      else j.onReturn = resolve;
    });
    const result = j.returned?.result;
    const warning = result === undefined || result === null ? undefined : platformWarning(call.request.FrontendAttrs, result as moby.buildkit.v1.frontend.Result);
    const now = Date.now();
    for (const w of j.status) {
      w.write({
        vertexes: [{ digest: EXPORT_DIGEST, name: 'exporting to image', started: ts(now), completed: ts(now) }],
        warnings: warning === undefined ? [] : [{ vertex: EXPORT_DIGEST, level: 1, short: Buffer.from(warning) }],
      });
      w.end();
    }
    cb(null, { ExporterResponse: { 'containerimage.digest': 'sha256:' + 'cd'.repeat(32) } });
  },
};

let solved = 0;
const bridge = {
  Ping: pingHandler(jobs, {
    FrontendAPICaps: [{ ID: 'proto.refarray', Enabled: true }],
    LLBCaps: enabledCaps(['source.image', 'exec.meta.base', 'exec.mount.bind', 'platform', 'constraints', 'meta.description']),
    Workers: [{ ID: 'fake0', platforms: [{ OS: 'linux', Architecture: 'amd64' }, { OS: 'linux', Architecture: 'arm64' }] }],
  }),
  Solve(_call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.SolveResponse.$Properties>) {
    solved++;
    cb(null, { result: { ref: { id: `res-${solved}` } } });
  },
  ResolveImageConfig(call: ServerUnaryCall<moby.buildkit.v1.frontend.ResolveImageConfigRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties>) {
    const p = call.request.Platform;
    const config = { os: p?.OS || 'linux', architecture: p?.Architecture || 'amd64', config: { Env: ['PATH=/usr/bin:/bin'] }, rootfs: { type: 'layers', diff_ids: [] } };
    cb(null, { Digest: 'sha256:' + 'ef'.repeat(32), Config: Buffer.from(JSON.stringify(config)) });
  },
  Return(call: ServerUnaryCall<moby.buildkit.v1.frontend.ReturnRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ReturnResponse.$Properties>) {
    const j = job(buildId(call));
    j.returned = call.request;
    j.onReturn?.();
    cb(null, {});
  },
};

let server: Server;
let dir: string;
let address: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-fake-platforms-'));
  address = `unix://${join(dir, 'buildkitd.sock')}`;
  server = new Server();
  server.addService(ControlService, control);
  server.addService(LLBBridgeService, bridge);
  await new Promise<void>((resolve, reject) => server.bindAsync(address.replace('unix://', 'unix:'), ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
});

afterAll(() => {
  server.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

const image = Image.fromRegistry('busybox:latest').runCommands('echo hello > /hello');
const exporter = { type: 'image', attrs: { name: 'registry.test/app:1' } };

async function build(options: BuildImagePlatforms): Promise<{ warnings: string[]; platformAttr: string | undefined }> {
  const client = await Client.connect({ address, env: {} });
  try {
    const built = await buildImage(client, image, { exporter, ...options });
    const request = solveRequests[solveRequests.length - 1]!;
    return { warnings: built.outcome.progress.warnings.toArray().map((w) => w.short), platformAttr: request.FrontendAttrs['platform'] };
  } finally {
    await client.close();
  }
}

describe('buildImage and the daemon\'s check of the result\'s platforms (BuildKit v0.14+)', () => {
  it('a multi-platform build names its platforms: the daemon does not warn that they differ from the ones asked for', async () => {
    const { warnings, platformAttr } = await build({ platforms: ['linux/amd64', 'linux/arm64'] });
    expect(warnings).toEqual([]);
    expect(platformAttr).toBe('linux/amd64,linux/arm64');
  });

  it('a build for another platform than the daemon\'s names it: no "Requested platform does not match" warning', async () => {
    const { warnings, platformAttr } = await build({ platform: 'linux/arm64' });
    expect(warnings).toEqual([]);
    expect(platformAttr).toBe('linux/arm64');
  });

  it('a build for the daemon\'s own platform sends no platform attribute, as before, and gets no warning', async () => {
    const { warnings, platformAttr } = await build({});
    expect(warnings).toEqual([]);
    expect(platformAttr).toBeUndefined();
  });
});
