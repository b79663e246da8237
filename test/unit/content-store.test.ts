/**
 * The session's containerd Content service over a real grpc-js connection, with the test playing the daemon the way
 * BuildKit's local cache backend does: a Write stream (STAT with the expected digest, WRITEs, COMMIT), Info, Read,
 * Status/Abort for unfinished writes, and the store picked by `buildkit-attachable-store-id`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { containerd } from '../../src/proto/generated.js';
import { contentService, STORE_ID_METADATA } from '../../src/session/content-service.js';
import { DirectoryContentStore } from '../../src/session/content-store.js';
import { SessionHarness, serviceError } from '../support/session-harness.js';

const pb = containerd.services.content.v1;
const CONTENT = '/containerd.services.content.v1.Content/';
const STAT = 0;
const WRITE = 1;
const COMMIT = 2;

const root = mkdtempSync(join(tmpdir(), 'kiln-content-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let readOnlyDir: string;
let store: DirectoryContentStore;
let harness: SessionHarness;
let n = 0;

function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function md(storeId: string | undefined): Metadata {
  const m = new Metadata();
  if (storeId !== undefined) m.set(STORE_ID_METADATA, storeId);
  return m;
}

const enc = <T>(type: { encode(m: T): { finish(): Uint8Array } }) => (m: T): Buffer => Buffer.from(type.encode(m).finish());

/** A Write stream: sends every request, then half-closes; resolves with every response (or rejects with the status). */
function writeStream(storeId: string | undefined, requests: containerd.services.content.v1.WriteContentRequest.$Properties[]): Promise<containerd.services.content.v1.WriteContentResponse[]> {
  return new Promise((resolve, reject) => {
    const call = harness.client.makeBidiStreamRequest(`${CONTENT}Write`, enc(pb.WriteContentRequest), (b: Buffer) => pb.WriteContentResponse.decode(b), md(storeId));
    const out: containerd.services.content.v1.WriteContentResponse[] = [];
    call.on('data', (m: containerd.services.content.v1.WriteContentResponse) => out.push(m));
    call.on('error', reject);
    call.on('end', () => resolve(out));
    for (const r of requests) call.write(r);
    call.end();
  });
}

function info(storeId: string | undefined, digest: string): Promise<containerd.services.content.v1.InfoResponse> {
  return harness.unary(`${CONTENT}Info`, pb.InfoRequest.encode({ digest }).finish(), (b) => pb.InfoResponse.decode(b), md(storeId));
}

function read(storeId: string, digest: string, offset = 0, size = 0): Promise<{ offsets: number[]; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const call = harness.client.makeServerStreamRequest(
      `${CONTENT}Read`,
      enc(pb.ReadContentRequest),
      (b: Buffer) => pb.ReadContentResponse.decode(b),
      { digest, offset, size },
      md(storeId),
    );
    const offsets: number[] = [];
    const parts: Buffer[] = [];
    call.on('data', (m: containerd.services.content.v1.ReadContentResponse) => {
      offsets.push(Number(m.offset));
      parts.push(Buffer.from(m.data));
    });
    call.on('error', reject);
    call.on('end', () => resolve({ offsets, data: Buffer.concat(parts) }));
  });
}

async function code(p: Promise<unknown>): Promise<[number, string]> {
  const err: ServiceError = await serviceError(p);
  return [err.code, err.details];
}

beforeEach(async () => {
  n++;
  dir = join(root, `store-${n}`);
  readOnlyDir = join(root, `ro-${n}`);
  mkdirSync(join(readOnlyDir, 'blobs', 'sha256'), { recursive: true });
  store = new DirectoryContentStore(dir, { writable: true });
  const ro = new DirectoryContentStore(readOnlyDir, { writable: false });
  harness = await SessionHarness.start(
    contentService(
      new Map([
        [`local:${dir}`, store],
        [`local:${readOnlyDir}`, ro],
      ]),
    ),
  );
});

afterEach(async () => {
  await harness.close();
  await store.dispose();
});

describe('Content service: writing', () => {
  it('writes a blob with its expected digest, commits it under blobs/sha256 and reads it back', async () => {
    const data = Buffer.from('cache layer bytes '.repeat(1000));
    const expected = digestOf(data);
    const id = `local:${dir}`;
    const responses = await writeStream(id, [
      { action: STAT, ref: 'layer-1', total: data.length, expected },
      { action: WRITE, offset: 0, data: data.subarray(0, 7000) },
      { action: WRITE, offset: 7000, data: data.subarray(7000) },
      { action: COMMIT, offset: data.length, total: data.length, expected, labels: { 'buildkit/kind': 'layer' } },
    ]);
    expect(responses.map((r) => [r.action, Number(r.offset)])).toEqual([
      [STAT, 0],
      [WRITE, 7000],
      [WRITE, data.length],
      [COMMIT, data.length],
    ]);
    expect(responses[3]!.digest).toBe(expected);
    expect(readFileSync(join(dir, 'blobs', 'sha256', expected.slice(7)))).toEqual(data);

    const i = await info(id, expected);
    expect(i.info?.digest).toBe(expected);
    expect(Number(i.info?.size)).toBe(data.length);
    expect(i.info?.labels).toEqual({ 'buildkit/kind': 'layer' });

    const whole = await read(id, expected);
    expect(whole.data.equals(data)).toBe(true);
    const part = await read(id, expected, 100, 50);
    expect(part).toEqual({ offsets: [100], data: data.subarray(100, 150) });
    // Nothing is left in the ingest area once the build's stores are disposed.
    await store.dispose();
    expect(existsSync(join(dir, 'ingest'))).toBe(false);
  });

  it('reads large blobs in chunks below the gRPC message limit, each with its offset', async () => {
    const data = Buffer.alloc(2.5 * (1 << 20), 7);
    const expected = digestOf(data);
    await writeStream(`local:${dir}`, [
      { action: STAT, ref: 'big', total: data.length, expected },
      { action: COMMIT, offset: 0, total: data.length, expected, data },
    ]);
    const got = await read(`local:${dir}`, expected);
    expect(got.offsets).toEqual([0, 1 << 20, 2 << 20]);
    expect(got.data.equals(data)).toBe(true);
  });

  it('answers ALREADY_EXISTS for a blob it already has, so the daemon skips it', async () => {
    const data = Buffer.from('same');
    const expected = digestOf(data);
    await writeStream(`local:${dir}`, [{ action: COMMIT, ref: 'a', offset: 0, data, total: 4, expected }]);
    const [c, details] = await code(writeStream(`local:${dir}`, [{ action: STAT, ref: 'b', total: 4, expected }]));
    expect(c).toBe(GrpcStatus.ALREADY_EXISTS);
    expect(details).toContain(expected);
  });

  it('refuses to commit data whose digest or size is not the expected one, and keeps nothing', async () => {
    const data = Buffer.from('actual');
    const [c1, d1] = await code(writeStream(`local:${dir}`, [{ action: COMMIT, ref: 'x', data, total: data.length, expected: digestOf('other') }]));
    expect(c1).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(d1).toContain(digestOf(data));
    const [c2, d2] = await code(writeStream(`local:${dir}`, [{ action: COMMIT, ref: 'y', data, total: 99 }]));
    expect(c2).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(d2).toContain('6 bytes written, 99 expected');
    expect(existsSync(join(dir, 'blobs'))).toBe(false);
  });

  it('resumes an unfinished write by ref, reports it through Status, and refuses a second writer or a wrong offset', async () => {
    const data = Buffer.from('0123456789abcdef');
    const expected = digestOf(data);
    const id = `local:${dir}`;
    await writeStream(id, [
      { action: STAT, ref: 'resume', total: data.length, expected },
      { action: WRITE, offset: 0, data: data.subarray(0, 10) },
    ]);
    const status = await harness.unary(`${CONTENT}Status`, pb.StatusRequest.encode({ ref: 'resume' }).finish(), (b) => pb.StatusResponse.decode(b), md(id));
    expect([status.status?.ref, Number(status.status?.offset), Number(status.status?.total), status.status?.expected]).toEqual(['resume', 10, 16, expected]);
    const listed = await harness.unary(`${CONTENT}ListStatuses`, pb.ListStatusesRequest.encode({}).finish(), (b) => pb.ListStatusesResponse.decode(b), md(id));
    expect(listed.statuses.map((s) => s.ref)).toEqual(['resume']);

    expect(await code(writeStream(id, [{ action: STAT, ref: 'resume' }, { action: WRITE, offset: 3, data: Buffer.from('x') }]))).toEqual([
      GrpcStatus.OUT_OF_RANGE,
      'write @3 must occur at the current offset 10',
    ]);

    const resumed = await writeStream(id, [
      { action: STAT, ref: 'resume', total: data.length, expected },
      { action: WRITE, offset: 10, data: data.subarray(10) },
      { action: COMMIT, offset: 16, total: data.length, expected },
    ]);
    expect(Number(resumed[0]!.offset)).toBe(10);
    expect(resumed[2]!.digest).toBe(expected);
    expect(readFileSync(join(dir, 'blobs', 'sha256', expected.slice(7))).equals(data)).toBe(true);
  });

  it('lets only one stream write a ref at a time', async () => {
    const id = `local:${dir}`;
    const first = harness.client.makeBidiStreamRequest(`${CONTENT}Write`, enc(pb.WriteContentRequest), (b: Buffer) => pb.WriteContentResponse.decode(b), md(id));
    const firstAnswer = new Promise((resolve) => first.once('data', resolve));
    first.on('error', () => {});
    first.write({ action: STAT, ref: 'busy' });
    await firstAnswer;
    const [c, details] = await code(writeStream(id, [{ action: STAT, ref: 'busy' }]));
    expect(c).toBe(GrpcStatus.UNAVAILABLE);
    expect(details).toContain('locked');
    first.end();
  });

  it('aborts an unfinished write, removing its data', async () => {
    const id = `local:${dir}`;
    await writeStream(id, [{ action: WRITE, ref: 'gone', data: Buffer.from('partial') }]);
    expect(readdirSync(join(dir, 'ingest'))).toHaveLength(1);
    await harness.unary(`${CONTENT}Abort`, pb.AbortRequest.encode({ ref: 'gone' }).finish(), (b) => b, md(id));
    expect(readdirSync(join(dir, 'ingest'))).toHaveLength(0);
    expect((await code(harness.unary(`${CONTENT}Status`, pb.StatusRequest.encode({ ref: 'gone' }).finish(), (b) => b, md(id))))[0]).toBe(GrpcStatus.NOT_FOUND);
    expect((await code(writeStream(id, [{ action: STAT, ref: '' }])))[0]).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('two builds exporting the same blob into one cache directory at once each write their own partial file', async () => {
    // The daemon's refs are derived from the digest, so two builds (two stores, maybe two kiln processes) writing
    // the same layer use the same ref: sharing one partial file would interleave their bytes into the blob.
    const other = new DirectoryContentStore(dir, { writable: true });
    const data = Buffer.from('the same layer, sent by two daemons');
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const a = await store.openWriter('layer-' + digest, data.length, digest);
    const b = await other.openWriter('layer-' + digest, data.length, digest);
    await a.write(0, data.subarray(0, 10));
    await b.write(0, data.subarray(0, 20));
    await a.write(10, data.subarray(10));
    expect(readdirSync(join(dir, 'ingest'))).toHaveLength(2);
    expect(await a.commit(data.length, digest)).toBe(digest);
    expect(readFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)))).toEqual(data);
    b.close();
    await other.dispose();
    await store.dispose();
    expect(existsSync(join(dir, 'ingest'))).toBe(false);
  });
});

describe('Content service: reading, listing, labels', () => {
  it('answers NOT_FOUND for a missing blob and OUT_OF_RANGE for a read past its end', async () => {
    const id = `local:${dir}`;
    const missing = digestOf('nothing');
    expect(await code(info(id, missing))).toEqual([GrpcStatus.NOT_FOUND, `content ${missing} not found in ${dir}`]);
    expect((await code(read(id, missing)))[0]).toBe(GrpcStatus.NOT_FOUND);
    const data = Buffer.from('short');
    await writeStream(id, [{ action: COMMIT, ref: 's', data }]);
    expect((await code(read(id, digestOf(data), 6)))[0]).toBe(GrpcStatus.OUT_OF_RANGE);
  });

  it('lists blobs, updates labels and deletes', async () => {
    const id = `local:${dir}`;
    const a = Buffer.from('a');
    const b = Buffer.from('b');
    await writeStream(id, [{ action: COMMIT, ref: 'a', data: a }]);
    await writeStream(id, [{ action: COMMIT, ref: 'b', data: b }]);
    const listed: containerd.services.content.v1.ListContentResponse[] = await new Promise((resolve, reject) => {
      const call = harness.client.makeServerStreamRequest(`${CONTENT}List`, enc(pb.ListContentRequest), (x: Buffer) => pb.ListContentResponse.decode(x), {}, md(id));
      const out: containerd.services.content.v1.ListContentResponse[] = [];
      call.on('data', (m: containerd.services.content.v1.ListContentResponse) => out.push(m));
      call.on('error', reject);
      call.on('end', () => resolve(out));
    });
    expect(listed.flatMap((l) => l.info.map((i) => i.digest))).toEqual([digestOf(a), digestOf(b)].sort());

    const updated = await harness.unary(
      `${CONTENT}Update`,
      pb.UpdateRequest.encode({ info: { digest: digestOf(a), labels: { keep: 'yes' } }, update_mask: { paths: ['labels.keep'] } }).finish(),
      (x) => pb.UpdateResponse.decode(x),
      md(id),
    );
    expect(updated.info?.labels).toEqual({ keep: 'yes' });
    expect((await info(id, digestOf(a))).info?.labels).toEqual({ keep: 'yes' });

    await harness.unary(`${CONTENT}Delete`, pb.DeleteContentRequest.encode({ digest: digestOf(a) }).finish(), (x) => x, md(id));
    expect((await code(info(id, digestOf(a))))[0]).toBe(GrpcStatus.NOT_FOUND);
  });
});

describe('Content service: which store, and staying inside it', () => {
  it('answers NOT_FOUND for a store this session does not serve and INVALID_ARGUMENT without a store id', async () => {
    const [c, details] = await code(info('local:/somewhere/else', digestOf('x')));
    expect(c).toBe(GrpcStatus.NOT_FOUND);
    expect(details).toContain('unknown store local:/somewhere/else');
    expect((await code(info(undefined, digestOf('x'))))[0]).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((await code(writeStream('oci:other', [{ action: STAT, ref: 'r' }])))[0]).toBe(GrpcStatus.NOT_FOUND);
  });

  it('refuses digests that are not digests, so no request names a path', async () => {
    const id = `local:${dir}`;
    for (const bad of ['sha256:../../../etc/passwd', '../blobs/sha256/x', 'sha256:ABC', 'md5:d41d8cd98f00b204e9800998ecf8427e']) {
      expect((await code(info(id, bad)))[0]).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect((await code(read(id, bad)))[0]).toBe(GrpcStatus.INVALID_ARGUMENT);
    }
    expect((await code(writeStream(id, [{ action: STAT, ref: 'r', expected: 'sha256:../../x' }])))[0]).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('does not follow a blob symlink out of the store', async () => {
    const secret = join(root, `secret-${n}`);
    writeFileSync(secret, 'not cache');
    const digest = digestOf('not cache');
    symlinkSync(secret, join(readOnlyDir, 'blobs', 'sha256', digest.slice(7)));
    const [c, details] = await code(read(`local:${readOnlyDir}`, digest));
    expect(c).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(details).toContain('outside the store');
  });

  it('serves an import-only directory read-only', async () => {
    const data = Buffer.from('imported');
    const digest = digestOf(data);
    writeFileSync(join(readOnlyDir, 'blobs', 'sha256', digest.slice(7)), data);
    const id = `local:${readOnlyDir}`;
    expect((await read(id, digest)).data.equals(data)).toBe(true);
    expect((await code(writeStream(id, [{ action: STAT, ref: 'w' }])))[0]).toBe(GrpcStatus.PERMISSION_DENIED);
    expect((await code(harness.unary(`${CONTENT}Delete`, pb.DeleteContentRequest.encode({ digest }).finish(), (x) => x, md(id))))[0]).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(existsSync(join(readOnlyDir, 'blobs', 'sha256', digest.slice(7)))).toBe(true);
  });
});
