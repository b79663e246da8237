/**
 * Local cache and the reproducibility options through whole builds, against an in-memory fake buildkitd that behaves
 * like the real one where it matters: it calls the Content service on the build's session the way BuildKit's `local`
 * cache backend does (store id `local:<dir>` in `buildkit-attachable-store-id`; Write streams with the expected
 * digest for export, Info + Read for import), answers the export with `cache.manifest`, and records every request
 * so the tests can check what a daemon would receive (cache attrs, definitions, frontend attrs, Return metadata).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as h2connect, constants as h2, type ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { ImageLock } from '../../src/image/lock-file.js';
import { copy, decodeDefinition, image, local, marshal, mkfile } from '../../src/llb/index.js';
import { containerd, moby, pb as llbPb } from '../../src/proto/generated.js';
import { ControlService, LLBBridgeService } from '../../src/proto/services.js';
import type { StatusEvent } from '../../src/progress/events.js';
import { sessionCallAsDuplex } from '../support/fake-daemon-tunnel.js';

const content = containerd.services.content.v1;
const CONTENT = '/containerd.services.content.v1.Content/';
const A = `sha256:${'a'.repeat(64)}`;

function digestOf(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function frame(message: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt32BE(message.length, 1);
  Buffer.from(message).copy(out, 5);
  return out;
}

function unframe(all: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 5 <= all.length; ) {
    const len = all.readUInt32BE(at + 1);
    out.push(all.subarray(at + 5, at + 5 + len));
    at += 5 + len;
  }
  return out;
}

/** One gRPC call from the daemon's side of the session: sends `requests`, half-closes, collects the answers. */
function sessionCall(session: ClientHttp2Session, path: string, requests: Uint8Array[], storeId: string): Promise<{ code: number; details: string; messages: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      [h2.HTTP2_HEADER_METHOD]: 'POST',
      [h2.HTTP2_HEADER_PATH]: path,
      'content-type': 'application/grpc',
      te: 'trailers',
      'buildkit-attachable-store-id': storeId,
    });
    const chunks: Buffer[] = [];
    let code = -1;
    let details = '';
    req.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) {
        code = Number(headers['grpc-status']);
        details = decodeURIComponent(String(headers['grpc-message'] ?? ''));
      }
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('trailers', (t) => {
      code = Number(t['grpc-status']);
      details = decodeURIComponent(String(t['grpc-message'] ?? ''));
    });
    req.on('error', reject);
    req.on('end', () => resolve({ code, details, messages: unframe(Buffer.concat(chunks)) }));
    for (const r of requests) req.write(frame(r));
    req.end();
  });
}

/** What BuildKit's cache exporter does for one blob: STAT with the expected digest, WRITE, COMMIT. */
async function writeBlob(session: ClientHttp2Session, storeId: string, data: Buffer): Promise<{ code: number; details: string }> {
  const expected = digestOf(data);
  const enc = (m: containerd.services.content.v1.WriteContentRequest.$Properties): Uint8Array => content.WriteContentRequest.encode(m).finish();
  const res = await sessionCall(
    session,
    `${CONTENT}Write`,
    [enc({ action: 0, ref: `export-${expected}`, total: data.length, expected }), enc({ action: 1, offset: 0, data }), enc({ action: 2, offset: data.length, total: data.length, expected })],
    storeId,
  );
  return { code: res.code, details: res.details };
}

/** What BuildKit's cache importer does: Info for the size, then Read. */
async function readBlob(session: ClientHttp2Session, storeId: string, digest: string): Promise<{ code: number; details: string; data: Buffer }> {
  const info = await sessionCall(session, `${CONTENT}Info`, [content.InfoRequest.encode({ digest }).finish()], storeId);
  if (info.code !== 0) return { code: info.code, details: info.details, data: Buffer.alloc(0) };
  const size = Number(content.InfoResponse.decode(info.messages[0]!).info?.size);
  const read = await sessionCall(session, `${CONTENT}Read`, [content.ReadContentRequest.encode({ digest, offset: 0, size }).finish()], storeId);
  return { code: read.code, details: read.details, data: Buffer.concat(read.messages.map((m) => Buffer.from(content.ReadContentResponse.decode(m).data))) };
}

const LAYER = Buffer.from('pretend this is a gzip layer');
const CACHE_CONFIG = Buffer.from(JSON.stringify({ layers: [{ blob: digestOf(LAYER), parent: -1 }], records: [{ digest: A }] }));
const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digestOf(LAYER), size: LAYER.length },
      { mediaType: 'application/vnd.buildkit.cacheconfig.v0', digest: digestOf(CACHE_CONFIG), size: CACHE_CONFIG.length },
    ],
  }),
);

interface Seen {
  solves: moby.buildkit.v1.SolveRequest[];
  gatewaySolves: moby.buildkit.v1.frontend.SolveRequest[];
  resolved: string[];
  returned: moby.buildkit.v1.frontend.ReturnRequest | undefined;
  writes: { code: number; details: string }[];
  imported: { code: number; details: string; data: Buffer }[];
  unknownStore: { code: number; details: string } | undefined;
}

let seen: Seen;
const sessions = new Map<string, ClientHttp2Session>();
const returned = new Map<string, () => void>();
const statusWriters = new Map<string, ServerWritableStream<unknown, moby.buildkit.v1.StatusResponse.$Properties>>();

/** The cache work a daemon does for a solve: imports read through the session, exports written through it. */
async function cacheWork(req: moby.buildkit.v1.SolveRequest): Promise<Record<string, string>> {
  const session = sessions.get(req.Session)!;
  seen.unknownStore = await readBlob(session, 'local:/not/served', digestOf(LAYER));
  for (const im of req.Cache?.Imports ?? []) {
    if (im.Type !== 'local') continue;
    seen.imported.push(await readBlob(session, `local:${im.Attrs?.['src']}`, im.Attrs?.['digest'] ?? ''));
  }
  const response: Record<string, string> = {};
  for (const ex of req.Cache?.Exports ?? []) {
    if (ex.Type !== 'local') continue;
    const id = `local:${ex.Attrs?.['dest']}`;
    for (const blob of [LAYER, CACHE_CONFIG, MANIFEST]) seen.writes.push(await writeBlob(session, id, blob));
    response['cache.manifest'] = JSON.stringify({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: digestOf(MANIFEST), size: MANIFEST.length });
  }
  return response;
}

const control = {
  ListWorkers(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.ListWorkersResponse.$Properties>) {
    cb(null, { record: [{ ID: 'fake0', platforms: [{ OS: 'linux', Architecture: 'amd64' }] }] });
  },
  Info(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.InfoResponse.$Properties>) {
    cb(null, { buildkitVersion: { version: 'v0.11.6' } });
  },
  Status(call: ServerWritableStream<moby.buildkit.v1.StatusRequest, moby.buildkit.v1.StatusResponse.$Properties>) {
    statusWriters.set(call.request.Ref, call);
  },
  Session(call: ServerDuplexStream<moby.buildkit.v1.BytesMessage, moby.buildkit.v1.BytesMessage.$Properties>) {
    const id = String(call.metadata.get('x-docker-expose-session-uuid')[0]);
    const duplex = sessionCallAsDuplex(call);
    const session = h2connect('http://localhost', { createConnection: () => duplex });
    session.on('error', () => {});
    sessions.set(id, session);
    call.on('end', () => session.destroy());
  },
  async Solve(call: ServerUnaryCall<moby.buildkit.v1.SolveRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.SolveResponse.$Properties>) {
    const req = call.request;
    seen.solves.push(req);
    if (req.Definition === null || req.Definition === undefined) await new Promise<void>((resolve) => returned.set(req.Ref, resolve));
    const response = await cacheWork(req);
    statusWriters.get(req.Ref)?.end();
    cb(null, { ExporterResponse: response });
  },
};

const bridge = {
  Ping(_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.PongResponse.$Properties>) {
    cb(null, { FrontendAPICaps: [{ ID: 'proto.refarray', Enabled: true }], LLBCaps: [{ ID: 'source.image', Enabled: true }], Workers: [{ ID: 'fake0', platforms: [{ OS: 'linux', Architecture: 'amd64' }] }] });
  },
  Solve(call: ServerUnaryCall<moby.buildkit.v1.frontend.SolveRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.SolveResponse.$Properties>) {
    seen.gatewaySolves.push(call.request);
    cb(null, { result: { ref: { id: 'res-1' } } });
  },
  ResolveImageConfig(call: ServerUnaryCall<moby.buildkit.v1.frontend.ResolveImageConfigRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties>) {
    seen.resolved.push(call.request.Ref);
    cb(null, { Digest: `sha256:${'f'.repeat(64)}`, Config: Buffer.from('{"architecture":"amd64","os":"linux","config":{}}') });
  },
  Return(call: ServerUnaryCall<moby.buildkit.v1.frontend.ReturnRequest, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.ReturnResponse.$Properties>) {
    seen.returned = call.request;
    returned.get(String(call.metadata.get('buildkit-controlapi-buildid')[0]))?.();
    cb(null, {});
  },
};

let server: Server;
let dir: string;
let address: string;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-cache-fake-'));
  address = `unix://${join(dir, 'buildkitd.sock')}`;
  server = new Server();
  server.addService(ControlService, control);
  server.addService(LLBBridgeService, bridge);
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix:${join(dir, 'buildkitd.sock')}`, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  client = await Client.connect({ address });
});

afterAll(async () => {
  await client.close();
  server.forceShutdown();
  for (const s of sessions.values()) s.destroy();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen = { solves: [], gatewaySolves: [], resolved: [], returned: undefined, writes: [], imported: [], unknownStore: undefined };
});

const def = marshal(image('busybox').file(mkfile('/x', 'x')));

describe('local cache through a build', () => {
  it('exports into a directory: blobs as an OCI layout, the manifest tagged in index.json', async () => {
    const cache = join(dir, 'export-1');
    const outcome = await client.solve(def, { cacheExports: [{ type: 'local', attrs: { dest: cache, tag: 'main', mode: 'max' } }] });
    expect(seen.solves[0]!.Cache?.Exports).toEqual([expect.objectContaining({ Type: 'local', Attrs: { dest: cache, tag: 'main', mode: 'max' } })]);
    expect(seen.writes.map((w) => w.code)).toEqual([0, 0, 0]);
    for (const blob of [LAYER, CACHE_CONFIG, MANIFEST]) {
      expect(readFileSync(join(cache, 'blobs', 'sha256', digestOf(blob).slice(7))).equals(blob)).toBe(true);
    }
    const index = JSON.parse(readFileSync(join(cache, 'index.json'), 'utf8')) as { schemaVersion: number; manifests: { digest: string; size: number; annotations: Record<string, string> }[] };
    expect(index.schemaVersion).toBe(2);
    expect(index.manifests).toEqual([
      { mediaType: 'application/vnd.oci.image.index.v1+json', digest: digestOf(MANIFEST), size: MANIFEST.length, annotations: { 'org.opencontainers.image.ref.name': 'main' } },
    ]);
    expect(outcome.localCacheExports).toEqual([{ dest: cache, tag: 'main', digest: digestOf(MANIFEST) }]);
    // The store only serves what this build names.
    expect(seen.unknownStore?.code).toBe(GrpcStatus.NOT_FOUND);
    expect(seen.unknownStore?.details).toContain('unknown store local:/not/served');
    expect(existsSync(join(cache, 'ingest'))).toBe(false);
  });

  it('exporting the same cache again skips blobs it has (ALREADY_EXISTS) and keeps other tags in index.json', async () => {
    const cache = join(dir, 'export-2');
    await client.solve(def, { cacheExports: [{ type: 'local', attrs: { dest: cache } }] });
    writeFileSync(
      join(cache, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ digest: A, size: 1, annotations: { 'org.opencontainers.image.ref.name': 'other' } }, ...JSON.parse(readFileSync(join(cache, 'index.json'), 'utf8')).manifests] }),
    );
    seen.writes = [];
    await client.solve(def, { cacheExports: [{ type: 'local', attrs: { dest: cache } }] });
    expect(seen.writes.map((w) => w.code)).toEqual([GrpcStatus.ALREADY_EXISTS, GrpcStatus.ALREADY_EXISTS, GrpcStatus.ALREADY_EXISTS]);
    const tags = (JSON.parse(readFileSync(join(cache, 'index.json'), 'utf8')) as { manifests: { annotations: Record<string, string> }[] }).manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']);
    expect(tags).toEqual(['other', 'latest']);
  });

  it('imports from a directory: the digest comes from index.json and the daemon reads the blobs back', async () => {
    const cache = join(dir, 'roundtrip');
    await client.solve(def, { cacheExports: [{ type: 'local', attrs: { dest: cache, tag: 'ci' } }] });
    seen.imported = [];
    await client.build({ cacheImports: [{ type: 'local', attrs: { src: cache, tag: 'ci' } }] }, async (gw) => ({ ref: await gw.solve(def) }));
    const imports = seen.solves[seen.solves.length - 1]!.Cache?.Imports ?? [];
    expect(imports.map((i) => [i.Type, i.Attrs])).toEqual([['local', { src: cache, tag: 'ci', digest: digestOf(MANIFEST) }]]);
    // Gateway solves carry the same import (that is where the daemon applies it for them).
    expect(seen.gatewaySolves[0]!.CacheImports.map((i) => [i.Type, i.Attrs])).toEqual([['local', { src: cache, tag: 'ci', digest: digestOf(MANIFEST) }]]);
    expect(seen.imported).toHaveLength(1);
    expect(seen.imported[0]!.code).toBe(0);
    expect(seen.imported[0]!.data.equals(MANIFEST)).toBe(true);
  });

  it('skips an import whose directory holds no cache yet, saying so in the progress', async () => {
    const events: StatusEvent[] = [];
    const missing = join(dir, 'never-exported');
    const outcome = await client.solve(def, { cacheImports: [{ type: 'local', attrs: { src: missing } }], onStatus: (e) => void events.push(e) });
    expect(seen.solves[0]!.Cache?.Imports).toEqual([]);
    const warnings = events.flatMap((e) => e.warnings.map((w) => w.short));
    expect(warnings).toEqual([`no cache to import from ${missing}: the directory does not exist (yet)`]);
    const step = [...outcome.progress.steps.values()].find((s) => s.name === '[kiln] import cache');
    expect(step?.warnings.toArray().map((w) => w.short)).toEqual(warnings);
  });
});

describe('reproducibility options as the daemon receives them', () => {
  const withFiles = marshal(image('busybox').file(copy(local('ctx'), '/', '/app/')).file(mkfile('/app/v', '1')));

  function fileTimes(d: llbPb.Definition.$Properties | null | undefined): bigint[] {
    const decoded = decodeDefinition(llbPb.Definition.encode(d!).finish());
    return decoded.ops.flatMap((o) => (o.op.op?.type === 'file' ? o.op.op.file.actions.map((a) => (a.action?.type === 'copy' ? a.action.copy.timestamp : a.action?.type === 'mkfile' ? a.action.mkfile.timestamp : 0n)) : []));
  }

  function sources(d: llbPb.Definition.$Properties | null | undefined): string[] {
    return decodeDefinition(llbPb.Definition.encode(d!).finish()).ops.flatMap((o) => (o.op.op?.type === 'source' ? [o.op.op.source.identifier] : []));
  }

  it('stamps a plain solve\'s file ops and asks for build-arg:SOURCE_DATE_EPOCH', async () => {
    await client.solve(withFiles, { sourceDateEpoch: 1_700_000_000 });
    const req = seen.solves[0]!;
    expect(fileTimes(req.Definition)).toEqual([1_700_000_000_000_000_000n, 1_700_000_000_000_000_000n]);
    expect(req.FrontendAttrs).toEqual({ 'build-arg:SOURCE_DATE_EPOCH': '1700000000' });
  });

  it('stamps gateway solves and the returned image config, and pins images from a lock', async () => {
    const lock = ImageLock.empty().with('busybox', 'linux/amd64', A);
    let resolvedDigest = '';
    await client.build({ sourceDateEpoch: 1_700_000_000, imagePins: lock }, async (gw) => {
      resolvedDigest = (await gw.resolveImageConfig('busybox:latest')).digest;
      const ref = await gw.solve(withFiles.toBytes());
      return { ref, metadata: { 'containerimage.config': JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, history: [{ created_by: 'COPY' }] }) } };
    });
    expect(seen.resolved).toEqual([`docker.io/library/busybox:latest@${A}`]);
    expect(resolvedDigest).toBe(A);
    const solved = seen.gatewaySolves[0]!.Definition;
    expect(sources(solved)).toEqual([`docker-image://docker.io/library/busybox:latest@${A}`, 'local://ctx']);
    expect(fileTimes(solved)).toEqual([1_700_000_000_000_000_000n, 1_700_000_000_000_000_000n]);
    const config = JSON.parse(Buffer.from(seen.returned?.result?.metadata?.['containerimage.config'] ?? []).toString('utf8')) as Record<string, unknown>;
    expect(config['created']).toBe('2023-11-14T22:13:20Z');
    expect(config['history']).toEqual([{ created_by: 'COPY', created: '2023-11-14T22:13:20Z' }]);
  });

  it('takes the epoch from SOURCE_DATE_EPOCH when the option is not given, and explains a bad value', async () => {
    const saved = process.env['SOURCE_DATE_EPOCH'];
    try {
      process.env['SOURCE_DATE_EPOCH'] = '1700000000';
      await client.solve(withFiles);
      expect(fileTimes(seen.solves[0]!.Definition)).toEqual([1_700_000_000_000_000_000n, 1_700_000_000_000_000_000n]);
      process.env['SOURCE_DATE_EPOCH'] = 'yesterday';
      await expect(client.solve(withFiles)).rejects.toThrow('SOURCE_DATE_EPOCH="yesterday" is not a whole number of seconds since 1970');
      // Asking the daemon who it is builds nothing, so the variable does not matter there.
      const other = await Client.connect({ address });
      try {
        expect((await other.info()).description).toBe('buildkitd v0.11.6');
      } finally {
        await other.close();
      }
    } finally {
      if (saved === undefined) delete process.env['SOURCE_DATE_EPOCH'];
      else process.env['SOURCE_DATE_EPOCH'] = saved;
    }
  });

  it('pins a plain solve\'s images from a lock too', async () => {
    await client.solve(def, { imagePins: ImageLock.empty().with('busybox', 'linux/amd64', A) });
    expect(sources(seen.solves[0]!.Definition)).toEqual([`docker-image://docker.io/library/busybox:latest@${A}`]);
    expect(seen.solves[0]!.FrontendAttrs).toEqual({});
  });
});
