/**
 * The FileSend service as the daemon sees it (a real gRPC call on a session server), for a daemon that sends what
 * it should not: the user's process must not crash, and the destination must be left as it was.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
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

describe('exportReceiver to a destination that is not a regular file', () => {
  it('writes into a named pipe (or a device such as /dev/null) as it is, instead of renaming a file over it', async () => {
    // `-o type=tar,dest=/dev/null` as root replaced the machine's /dev/null with a regular file. A named pipe stands
    // in for the device: nothing on the machine is at stake if this test fails.
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const read = new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      createReadStream(fifo)
        .on('data', (c) => chunks.push(Buffer.from(c)))
        .on('end', () => resolve(Buffer.concat(chunks).toString()))
        .on('error', reject);
    });
    const receiver = await exportReceiver({ kind: 'file', dest: fifo });
    harness = await SessionHarness.start(receiver.service);
    const status = await daemonSends(harness, [encodeBytesMessage(Buffer.from('tar ')), encodeBytesMessage(Buffer.from('bytes'))]);
    expect(status.code).toBe(0);
    await receiver.commit();
    expect(await read).toBe('tar bytes');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['out.fifo']);
  });

  it('writes through a symbolic link: the file it points to is replaced, the link stays', async () => {
    await writeFile(join(dir, 'real.tar'), 'previous export');
    await symlink('real.tar', join(dir, 'link.tar'));
    const receiver = await exportReceiver({ kind: 'file', dest: join(dir, 'link.tar') });
    harness = await SessionHarness.start(receiver.service);
    const status = await daemonSends(harness, [encodeBytesMessage(Buffer.from('new export'))]);
    expect(status.code).toBe(0);
    await receiver.commit();
    expect(await readlink(join(dir, 'link.tar'))).toBe('real.tar');
    expect(await readFile(join(dir, 'real.tar'), 'utf8')).toBe('new export');
    expect((await readdir(dir)).sort()).toEqual(['link.tar', 'real.tar']);
  });
});

describe('exportReceiver for a directory, when the build is cancelled', () => {
  it('cuts the streams and removes what arrived as soon as the signal aborts, without waiting for the daemon to end them', async () => {
    const dest = join(dir, 'out');
    await mkdir(dest);
    await writeFile(join(dest, 'mine.txt'), 'kept');
    const controller = new AbortController();
    const receiver = await exportReceiver({ kind: 'directory', dest }, { signal: controller.signal });
    harness = await SessionHarness.start(receiver.service);
    const staging = (await readdir(dest)).filter((e) => e.startsWith('.kiln-tmp-'));
    expect(staging).toHaveLength(1);
    // The daemon opens the export stream and keeps it open (a large export on its way).
    const call: ClientDuplexStream<Buffer, Buffer> = harness.client.makeBidiStreamRequest(DIFF_COPY, (b: Buffer) => b, (b: Buffer) => b, new Metadata());
    const status = new Promise<StatusObject>((resolve) => call.on('status', resolve));
    call.on('error', () => {});
    call.on('data', () => {});
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    // The stream is cut on kiln's side and the staging directory goes, while the daemon has not ended its stream.
    expect((await status).code).not.toBe(0);
    while ((await readdir(dest)).length > 1) await new Promise((r) => setTimeout(r, 10));
    expect(await readdir(dest)).toEqual(['mine.txt']);
    await receiver.abort();
    await expect(receiver.commit()).rejects.toMatchObject({ code: 'cancelled' });
    expect(await readdir(dest)).toEqual(['mine.txt']);
  });
});

describe('exportReceiver for a file, when the build is cancelled', () => {
  /** The daemon opens the export stream, sends a first chunk and keeps the stream open (a large export on its way). */
  async function streamHeldOpen(h: SessionHarness): Promise<{ status: Promise<StatusObject> }> {
    const call: ClientDuplexStream<Buffer, Buffer> = h.client.makeBidiStreamRequest(DIFF_COPY, (b: Buffer) => b, (b: Buffer) => b, new Metadata());
    const status = new Promise<StatusObject>((resolve) => call.on('status', resolve));
    call.on('error', () => {});
    call.on('data', () => {});
    call.write(encodeBytesMessage(Buffer.from('the first part of a tarball')));
    // Received once kiln has opened the file it writes beside the destination.
    while (!(await readdir(dir)).some((e) => e.includes('.kiln-tmp-'))) await new Promise((r) => setTimeout(r, 10));
    return { status };
  }

  it('abort cuts the byte stream at once and leaves the destination as it was', async () => {
    const dest = join(dir, 'image.tar');
    await writeFile(dest, 'previous export');
    const receiver = await exportReceiver({ kind: 'file', dest });
    harness = await SessionHarness.start(receiver.service);
    const { status } = await streamHeldOpen(harness);
    const started = Date.now();
    await receiver.abort();
    // Not the 2 s it waited for the daemon to end the stream before.
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await status).code).not.toBe(0);
    expect(await readdir(dir)).toEqual(['image.tar']);
    expect(await readFile(dest, 'utf8')).toBe('previous export');
    expect(receiver.failure()).toBeUndefined();
  });

  it('the signal cuts the byte stream, as a directory export\'s', async () => {
    const dest = join(dir, 'image.tar');
    const controller = new AbortController();
    const receiver = await exportReceiver({ kind: 'file', dest }, { signal: controller.signal });
    harness = await SessionHarness.start(receiver.service);
    const { status } = await streamHeldOpen(harness);
    controller.abort();
    expect((await status).code).not.toBe(0);
    await receiver.abort();
    await expect(receiver.commit()).rejects.toMatchObject({ code: 'cancelled' });
    expect(await readdir(dir)).toEqual([]);
  });
});
