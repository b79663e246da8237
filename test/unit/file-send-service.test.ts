/**
 * The FileSend service as the daemon sees it (a real gRPC call on a session server), for a daemon that sends what
 * it should not: the user's process must not crash, and the destination must be left as it was.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, type ClientDuplexStream, type StatusObject } from '@grpc/grpc-js';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { encodeBytesMessage } from '../../src/session/bytes-message.js';
import { exportReceiver } from '../../src/session/file-send-service.js';
import { SessionHarness } from '../support/session-harness.js';

const DIFF_COPY = '/moby.filesync.v1.FileSend/DiffCopy';

let dir = '';
let harness: SessionHarness | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-filesend-'));
});

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Opens a FileSend/DiffCopy call the way the daemon does, sends `messages` (raw, already encoded) and half-closes. */
function daemonSends(h: SessionHarness, messages: readonly Buffer[]): Promise<StatusObject> {
  const call: ClientDuplexStream<Buffer, Buffer> = h.client.makeBidiStreamRequest(DIFF_COPY, (b: Buffer) => b, (b: Buffer) => b, new Metadata());
  const status = new Promise<StatusObject>((resolve) => call.on('status', resolve));
  call.on('error', () => {});
  call.on('data', () => {});
  for (const m of messages) call.write(m);
  call.end();
  return status;
}

describe('exportReceiver (tar, oci, docker byte streams) against a malformed stream', () => {
  it('fails the export with a protocol error, keeps the old file and leaves no temporary file', async () => {
    const dest = join(dir, 'image.tar');
    await writeFile(dest, 'previous export');
    const receiver = await exportReceiver({ kind: 'file', dest });
    harness = await SessionHarness.start(receiver.service);
    // A valid chunk, then bytes that are not a BytesMessage (wire type 7 does not exist).
    const status = await daemonSends(harness, [encodeBytesMessage(Buffer.from('tar bytes')), Buffer.from([0x0f])]);
    expect(status.code).not.toBe(0);
    const err = await receiver.commit().catch((e: unknown) => e);
    expect(KilnError.is(err, 'protocol'), String(err)).toBe(true);
    expect((err as Error).message).toMatch(/not a BytesMessage|malformed/);
    expect(await readdir(dir)).toEqual(['image.tar']);
    expect(await readFile(dest, 'utf8')).toBe('previous export');
  });

  it('does not end a writable target (Docker\'s image load) as if the image were complete', async () => {
    const pipe = new PassThrough();
    const seen: Buffer[] = [];
    pipe.on('data', (c: Buffer) => seen.push(c));
    const receiver = await exportReceiver({ kind: 'stream', stream: pipe });
    harness = await SessionHarness.start(receiver.service);
    const status = await daemonSends(harness, [encodeBytesMessage(Buffer.from('first half')), Buffer.from([0x0f])]);
    expect(status.code).not.toBe(0);
    const err = await receiver.commit().catch((e: unknown) => e);
    expect(KilnError.is(err, 'protocol'), String(err)).toBe(true);
    expect(Buffer.concat(seen).toString()).toBe('first half');
    expect(pipe.writableEnded).toBe(false);
  });
});
