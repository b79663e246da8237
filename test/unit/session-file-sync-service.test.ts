/**
 * `fileSyncService`: the session's FileSync service, driven by a stand-in for the daemon's end of a DiffCopy call
 * (it reads kiln's STAT packets, requests every regular file, and finishes with FIN). What a user sees of it: the
 * directory named by `dir-name` is sent with its own include/exclude patterns, a transfer report when it ends, entries
 * left out named, a daemon-side abort reported as an error — and a name the build session does not hold, or the tar
 * transfer mode kiln does not serve, answered with a gRPC status the daemon shows.
 */
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { fileSyncService, type FileSyncOptions, type LocalDirectory, type TransferReport } from '../../src/session/file-sync-service.js';
import { decodePacket, encodePacket, errPacket, finPacket, isRegularGoMode, type Packet, PacketType, reqPacket } from '../../src/session/fsutil-packet.js';

let dir = '';
let socketServer: Server;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-file-sync-service-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'main.py'), 'print("hi")\n');
  writeFileSync(join(dir, 'app', 'debug.log'), 'noise\n');
  mkdirSync(join(dir, 'café'));
  writeFileSync(join(dir, 'café', 'menu.txt'), 'espresso\n');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(dir, 'app', 'agent.sock'), resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => socketServer.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  /** Paths kiln described, in order. */
  readonly paths: string[];
  /** Bytes of file content received. */
  readonly bytes: number;
  /** The status kiln ended the call with, if it did. */
  readonly status: { code: number; details: string } | undefined;
}

/**
 * Calls DiffCopy with `headers` and plays the daemon: requests every regular file, then FIN (or, with `abort`, sends
 * an ERR packet once the listing is complete). Resolves when kiln has ended the call.
 */
function diffCopy(service: ReturnType<typeof fileSyncService>, headers: Record<string, string>, method = 'DiffCopy', abort?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const paths: string[] = [];
    let bytes = 0;
    let files = 0;
    let finished = 0;
    let ended = false;
    const metadata = new Metadata();
    for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
    const call = new Duplex({
      objectMode: true,
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        const p: Packet = decodePacket(chunk);
        if (p.type === PacketType.STAT && p.stat !== undefined && p.stat.path !== '') {
          paths.push(p.stat.path);
          if (isRegularGoMode(p.stat.mode)) files++;
        } else if (p.type === PacketType.STAT) {
          if (abort !== undefined) call.push(encodePacket(errPacket(abort)));
          else if (files === 0) call.push(encodePacket(finPacket()));
          // Ids are the entries' positions in the listing.
          else paths.forEach((_, id) => call.push(encodePacket(reqPacket(id))));
        } else if (p.type === PacketType.DATA && p.data.length > 0) {
          bytes += p.data.length;
        } else if (p.type === PacketType.DATA && ++finished === files) {
          call.push(encodePacket(finPacket()));
        }
        callback();
      },
      final(callback) {
        ended = true;
        call.push(null);
        callback();
        // The transfer's report follows the end of the call.
        setImmediate(() => resolve({ paths, bytes, status: undefined }));
      },
    });
    Object.assign(call, { metadata });
    call.on('error', (status: { code: number; details: string }) => {
      if (!ended) resolve({ paths, bytes, status });
    });
    const handler = (service.implementation as unknown as Record<string, (c: Duplex) => void>)[method];
    handler?.(call);
  });
}

function serve(dirs: LocalDirectory[], options: FileSyncOptions = {}): ReturnType<typeof fileSyncService> {
  return fileSyncService(dirs, options);
}

describe('fileSyncService', () => {
  it('sends the directory the daemon names, with its patterns, reports the transfer and names what it left out', async () => {
    const reports: TransferReport[] = [];
    const skipped: string[][] = [];
    const service = serve([{ name: 'context', path: join(dir, 'app'), exclude: ['*.log'] }], {
      onTransfer: (r) => reports.push(r),
      onSkip: (name, path, reason) => skipped.push([name, path, reason]),
    });
    const outcome = await diffCopy(service, { 'dir-name': 'context' });
    expect(outcome.paths).toEqual(['main.py']);
    expect(outcome.bytes).toBe('print("hi")\n'.length);
    expect(reports).toEqual([{ name: 'context', entries: 1, filesRequested: 1, bytesSent: 12 }]);
    expect(skipped).toEqual([['context', 'agent.sock', expect.stringMatching(/socket/)]]);
  });

  it('takes the include list and finds a query-escaped name (BuildKit v0.12+)', async () => {
    const service = serve([
      { name: 'context', path: join(dir, 'app'), include: ['debug.log'] },
      { name: 'café', path: join(dir, 'café') },
    ]);
    expect((await diffCopy(service, { 'dir-name': 'context' })).paths).toEqual(['debug.log']);
    expect((await diffCopy(service, { 'dir-name': 'caf%C3%A9', 'dir-name-encoded': '1' })).paths).toEqual(['menu.txt']);
  });

  it('answers NOT_FOUND, naming the directory, when the session holds none by that name', async () => {
    const outcome = await diffCopy(serve([{ name: 'context', path: dir }]), { 'dir-name': 'dockerfile' });
    expect(outcome.status).toEqual({ code: GrpcStatus.NOT_FOUND, details: 'no local directory named "dockerfile" in this build session' });
    expect(outcome.paths).toEqual([]);
  });

  it('reports a transfer the daemon aborted as an error of kiln\'s, with the daemon\'s reason', async () => {
    const errors: KilnError[] = [];
    const reports: TransferReport[] = [];
    const service = serve([{ name: 'context', path: join(dir, 'café') }], { onError: (e) => errors.push(e), onTransfer: (r) => reports.push(r) });
    await diffCopy(service, { 'dir-name': 'context' }, 'DiffCopy', 'disk full on the daemon');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((e) => [e.code, e.message])).toEqual([['protocol', `the daemon aborted the transfer of ${join(dir, 'café')}: disk full on the daemon`]]);
    expect(reports).toEqual([]);
  });

  it('answers UNIMPLEMENTED to the tar transfer mode', async () => {
    const outcome = await diffCopy(serve([{ name: 'context', path: dir }]), { 'dir-name': 'context' }, 'TarStream');
    expect(outcome.status).toEqual({ code: GrpcStatus.UNIMPLEMENTED, details: 'kiln serves local directories with diffcopy only' });
  });
});
