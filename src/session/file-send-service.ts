import type { Writable } from 'node:stream';
import { status as GrpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import { FileSendService } from '../proto/services.js';
import { createWriteStream } from 'node:fs';
import { parseExporterMetadata } from './exporter-metadata.js';
import { prepareLanding, type Landing } from './export-landing.js';
import { decodeBytesMessage } from './bytes-message.js';
import { createLocalExportStaging, type LocalExportStaging } from './local-export-receiver.js';
import { writeError } from './fs-errors.js';
import { adaptGrpcDuplex, grpcStatusForError } from './packet-stream.js';
import type { SessionService } from './session-server.js';

/** Where an exporter's output goes on this machine. */
export type ExportTarget =
  /** `local` exporter: the result's files into a directory (swapped in when the build succeeded). */
  | { readonly kind: 'directory'; readonly dest: string }
  /** `tar`/`oci`/`docker` exporters: the byte stream into a file (written beside it, renamed into place). */
  | { readonly kind: 'file'; readonly dest: string }
  /** `tar`/`oci`/`docker` exporters: the byte stream into a writable (stdout, Docker's image load…). */
  | { readonly kind: 'stream'; readonly stream: Writable };

/** The FileSend service of one build plus the means to land (or drop) what it received. */
export interface ExportReceiver {
  readonly service: SessionService;
  /** `exporter-md-*` headers the daemon sent with a tar/oci/docker stream. */
  readonly metadata: () => Readonly<Record<string, string>>;
  /** Lands the received export; call after the build succeeded. */
  commit(): Promise<void>;
  /** Drops whatever was received; the destination keeps its previous content. */
  abort(): Promise<void>;
  /**
   * What went wrong on this machine while receiving (a destination that could not be written: a full disk, a
   * read-only filesystem), once the streams have ended (after `abort`); undefined when nothing did, or the daemon
   * cancelled the stream. The daemon reports it only as its export step failing.
   */
  failure(): KilnError | undefined;
}

type Call = ServerDuplexStream<Buffer, Buffer>;

/** Options of {@link exportReceiver}. */
export interface ExportReceiverOptions {
  /**
   * The build's cancellation: when it aborts before `commit`, the export's streams are cut and what they wrote is
   * removed at once (a directory's staging; a file's is removed by `abort`), and `abort` only waits for that. (The
   * daemon may end a cancelled build only once its export stream is gone: waiting for the stream instead would hold a
   * Ctrl-C up for a second or more.)
   */
  readonly signal?: AbortSignal | undefined;
  /** Counts the bytes of a byte-stream export (`tar`, `oci`, `docker`) as they arrive; `done` once all came. */
  readonly progress?: ByteCounter | undefined;
}

/** What {@link ExportReceiverOptions.progress} is told. */
export interface ByteCounter {
  add(bytes: number): void;
  done(): void;
}

/**
 * Creates the FileSend service for one export target. A directory export is received into a staging directory
 * beside the destination (several concurrent streams for multi-platform results) and swapped in by `commit`; a
 * file export is written beside the file and renamed into place when the stream completes.
 */
export async function exportReceiver(target: ExportTarget, options: ExportReceiverOptions = {}): Promise<ExportReceiver> {
  let metadata: Record<string, string> = {};
  let failure: unknown;
  const running: Promise<void>[] = [];
  /** Cuts the byte stream being received (tar, oci, docker), if one is. */
  let cutBytes: (() => void) | undefined;
  let received = 0;
  const staging: LocalExportStaging | undefined = target.kind === 'directory' ? await createLocalExportStaging(target.dest) : undefined;
  const landing: Landing | undefined = target.kind === 'file' ? await prepareLanding(target.dest) : undefined;

  const service: SessionService = {
    definition: FileSendService,
    implementation: {
      DiffCopy(call: Call) {
        received++;
        if (staging !== undefined) {
          running.push(
            staging.receive(adaptGrpcDuplex(call)).then(
              () => undefined,
              (err: unknown) => {
                failure ??= err;
              },
            ),
          );
          return;
        }
        if (received > 1) {
          call.emit('error', { code: GrpcStatus.ALREADY_EXISTS, details: 'kiln takes one byte stream per export' });
          return;
        }
        metadata = parseExporterMetadata(call.metadata.getMap());
        const bytes = receiveBytes(call, target.kind === 'file' ? landing : undefined, target.kind === 'stream' ? target.stream : undefined, target.kind === 'file' ? target.dest : undefined, options.progress);
        cutBytes = bytes.cut;
        running.push(
          bytes.done.catch((err: unknown) => {
            failure ??= err;
          }),
        );
        // Cancelled before the stream opened: cut at once.
        if (signal?.aborted === true && !committing) bytes.cut();
      },
    },
  };

  /** The removal of what was received, once begun (by `abort` or the signal). */
  let dropping: Promise<void> | undefined;
  let committing = false;
  const { signal } = options;
  const onCancel = (): void => {
    if (committing) return;
    cutBytes?.();
    if (staging === undefined) return;
    dropping ??= staging.abort();
    dropping.catch(() => {});
  };
  if (signal?.aborted === true) onCancel();
  signal?.addEventListener('abort', onCancel, { once: true });

  return {
    service,
    metadata: () => ({ ...metadata }),
    async commit() {
      signal?.removeEventListener('abort', onCancel);
      if (dropping !== undefined) {
        await dropping;
        throw new KilnError('cancelled', 'the export was cancelled');
      }
      committing = true;
      await Promise.all(running);
      if (failure !== undefined) {
        await staging?.abort();
        await landing?.abort();
        throw failure instanceof KilnError ? failure : new KilnError('io', `the export failed: ${String(failure)}`, { cause: failure });
      }
      if (received === 0) {
        await staging?.abort();
        await landing?.abort();
        throw new KilnError('protocol', 'the daemon finished the build without sending the export');
      }
      await staging?.commit();
      await landing?.commit();
    },
    async abort() {
      signal?.removeEventListener('abort', onCancel);
      // A byte stream still coming is cut (its file is removed below), rather than waited for.
      cutBytes?.();
      dropping ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(running), new Promise((r) => (timer = setTimeout(r, 2000)))]);
        clearTimeout(timer);
        await staging?.abort();
      })();
      await dropping;
      await landing?.abort();
    },
    failure() {
      return KilnError.is(failure) && failure.code !== 'cancelled' ? failure : undefined;
    },
  };
}

/**
 * Writes a raw byte stream (BytesMessages) into a file or a writable, with backpressure both ways. `cut` ends it as
 * cancelled: the daemon is told (CANCELLED), a file stops being written, and `done` rejects with `cancelled`.
 */
function receiveBytes(call: Call, file: Landing | undefined, stream: Writable | undefined, dest: string | undefined, progress: ByteCounter | undefined): { done: Promise<void>; cut: () => void } {
  const out: Writable = file !== undefined ? createWriteStream(file.staging, { flags: file.openFlags, mode: file.mode }) : stream!;
  let cut: () => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      const e = err instanceof Error ? err : new Error(String(err));
      if (!call.destroyed) call.emit('error', grpcStatusForError(e));
      if (file !== undefined) out.destroy();
      reject(err);
    };
    // A file kiln writes is kiln's own failure (a full disk, a read-only filesystem): said with the destination.
    out.on('error', (err) => fail(file === undefined || dest === undefined ? err : writeError('cannot write the export to', dest, err)));
    call.on('data', (buf: Buffer) => {
      if (settled) return;
      let data: Buffer;
      try {
        data = decodeBytesMessage(buf);
      } catch (err) {
        // Thrown out of this listener it would be an unhandled rejection inside grpc-js: the whole process would exit.
        fail(new KilnError('protocol', `the daemon sent export data that is not a BytesMessage: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
        return;
      }
      if (data.length === 0) return;
      progress?.add(data.length);
      if (!out.write(data)) {
        call.pause();
        out.once('drain', () => call.resume());
      }
    });
    call.on('end', () => {
      // The caller's writable (e.g. Docker's image load) is ended too, so its consumer sees EOF.
      out.end(() => {
        if (settled) return;
        settled = true;
        progress?.done();
        call.end();
        resolve();
      });
    });
    // The daemon cancelled the call, or kiln cuts it: the same end.
    cut = () => fail(new KilnError('cancelled', 'the export was cancelled'));
    call.on('cancelled', cut);
  });
  return { done, cut };
}
