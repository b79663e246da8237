import { open } from 'node:fs/promises';
import { status as GrpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import { FileSyncService } from '../proto/services.js';
import { walkDirectory, type WalkOptions } from './dir-walk.js';
import { decodePacket, encodePacket, PacketType, type Packet } from './fsutil-wire.js';
import type { SessionService } from './session-server.js';

/** A local directory the build may read, under the name its `local://` source uses. */
export interface LocalDirectory extends WalkOptions {
  readonly name: string;
  /** Absolute path on this machine. */
  readonly path: string;
}

/** Counters of one transfer, reported when it ends: what the daemon asked for shows how incremental it was. */
export interface TransferReport {
  readonly name: string;
  /** Entries described to the daemon. */
  readonly entries: number;
  /** Files whose content the daemon requested. */
  readonly filesRequested: number;
  /** Bytes of file content sent. */
  readonly bytesSent: number;
}

export interface FileSyncOptions {
  /** Called when a transfer finishes. */
  readonly onTransfer?: (report: TransferReport) => void;
  /** Called when a transfer fails on kiln's side (e.g. an unreadable file), before the daemon reports it. */
  readonly onError?: (error: KilnError) => void;
}

const CHUNK = 32 * 1024;
const PARALLEL_FILES = 4;

type Call = ServerDuplexStream<Buffer, Buffer>;

/**
 * Serves `FileSync.DiffCopy`: the daemon pulls a local directory (selected by the `dir-name` header) and kiln is the
 * fsutil sender. Entries are walked and described lazily with backpressure; file contents are sent on request, a few
 * files at a time, in 32 KiB chunks. The daemon compares entries with its copy from the previous build and requests
 * only what changed.
 */
export function fileSyncService(dirs: readonly LocalDirectory[], options: FileSyncOptions = {}): SessionService {
  const byName = new Map(dirs.map((d) => [d.name, d]));
  return {
    definition: FileSyncService,
    implementation: {
      DiffCopy(call: Call) {
        const name = String(call.metadata.get('dir-name')[0] ?? '');
        const dir = byName.get(name);
        if (dir === undefined) {
          call.emit('error', { code: GrpcStatus.NOT_FOUND, details: `no local directory named "${name}" in this build session` });
          return;
        }
        void sendDirectory(call, dir, options);
      },
      TarStream(call: Call) {
        call.emit('error', { code: GrpcStatus.UNIMPLEMENTED, details: 'kiln serves local directories with diffcopy only' });
      },
    },
  };
}

async function sendDirectory(call: Call, dir: LocalDirectory, options: FileSyncOptions): Promise<void> {
  const files = new Map<number, string>();
  const requested = new Set<number>();
  let entries = 0;
  let filesRequested = 0;
  let bytesSent = 0;
  let failed = false;
  let finished = false;

  const write = async (p: Packet): Promise<void> => {
    if (failed || finished) return;
    if (!call.write(encodePacket(p))) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          call.off('drain', done);
          call.off('close', done);
          resolve();
        };
        call.on('drain', done);
        call.on('close', done);
      });
    }
  };

  const fail = (err: KilnError): void => {
    if (failed || finished) return;
    failed = true;
    options.onError?.(err);
    call.emit('error', { code: GrpcStatus.UNKNOWN, details: err.message });
  };

  // Requests are answered a few files at a time, in arrival order.
  const queue: number[] = [];
  let active = 0;
  const pump = (): void => {
    while (active < PARALLEL_FILES && queue.length > 0) {
      const id = queue.shift()!;
      active++;
      void sendFile(id).finally(() => {
        active--;
        pump();
      });
    }
  };
  const sendFile = async (id: number): Promise<void> => {
    const path = files.get(id)!;
    files.delete(id);
    let fh;
    try {
      fh = await open(path, 'r');
    } catch {
      // Like fsutil: a file that cannot be opened any more is sent empty (just its end marker).
      await write({ type: PacketType.DATA, id });
      return;
    }
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        if (failed || finished) return;
        const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) break;
        bytesSent += bytesRead;
        await write({ type: PacketType.DATA, id, data: Buffer.from(buf.subarray(0, bytesRead)) });
      }
      await write({ type: PacketType.DATA, id });
    } catch (cause) {
      fail(new KilnError('io', `cannot read ${path} while sending it to the build`, { cause }));
    } finally {
      await fh.close();
    }
  };

  call.on('data', (buf: Buffer) => {
    let p: Packet;
    try {
      p = decodePacket(buf);
    } catch (cause) {
      fail(new KilnError('protocol', `the daemon sent a malformed file-sync packet: ${(cause as Error).message}`, { cause }));
      return;
    }
    switch (p.type) {
      case PacketType.REQ: {
        const id = p.id ?? 0;
        if (!files.has(id) || requested.has(id)) {
          fail(new KilnError('protocol', `the daemon requested file #${id} of "${dir.name}", which is not a file it may request`));
          return;
        }
        requested.add(id);
        filesRequested++;
        queue.push(id);
        pump();
        return;
      }
      case PacketType.FIN:
        void write({ type: PacketType.FIN }).then(() => {
          finished = true;
          call.end();
          options.onTransfer?.({ name: dir.name, entries, filesRequested, bytesSent });
        });
        return;
      case PacketType.ERR:
        fail(new KilnError('protocol', `the daemon aborted the transfer of "${dir.name}": ${Buffer.from(p.data ?? []).toString('utf8')}`));
        return;
      default:
        fail(new KilnError('protocol', `unexpected file-sync packet type ${p.type} from the daemon`));
    }
  });
  call.on('cancelled', () => {
    failed = true;
  });
  call.on('error', () => {
    failed = true;
  });

  try {
    for await (const entry of walkDirectory(dir.path, dir)) {
      if (failed) return;
      if (entry.requestable) files.set(entries, entry.absPath);
      entries++;
      await write({ type: PacketType.STAT, stat: entry.stat });
    }
    await write({ type: PacketType.STAT });
  } catch (err) {
    fail(err instanceof KilnError ? err : new KilnError('io', `cannot walk ${dir.path}: ${(err as Error).message}`, { cause: err }));
  }
}
