import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { status as GrpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import { FileSendService } from '../proto/services.js';
import { decodeBytesMessage } from './bytes-message.js';
import { prepareLanding, type Landing } from './export-landing.js';
import { decodePacket, encodePacket, type Packet } from './fsutil-wire.js';
import { LocalReceiver, type SkipReporter } from './local-receiver.js';
import type { SessionService } from './session-server.js';

/** Where an exporter's output goes on this machine. */
export type ExportTarget =
  /** `local` exporter: the result's files into a directory. */
  | { readonly kind: 'directory'; readonly dest: string }
  /** `tar`/`oci`/`docker` exporters: the byte stream into a file. */
  | { readonly kind: 'file'; readonly dest: string }
  /** `tar`/`oci`/`docker` exporters: the byte stream into a writable (stdout, Docker's image load…). */
  | { readonly kind: 'stream'; readonly stream: Writable };

/** The FileSend service of one build plus the means to land (or drop) what it received. */
export interface ExportReceiver {
  readonly service: SessionService;
  /** `exporter-md-*` headers the daemon sent with a tar/oci/docker stream. */
  readonly metadata: () => Readonly<Record<string, string>>;
  /** Moves the received export into place; call after the build succeeded. */
  commit(): Promise<void>;
  /** Drops whatever was received; the destination keeps its previous content. */
  abort(): Promise<void>;
}

type Call = ServerDuplexStream<Buffer, Buffer>;

function writeWithBackpressure(call: Call, buf: Buffer): Promise<void> {
  if (call.write(buf)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('close', done);
  });
}

function grpcError(err: unknown): { code: number; details: string } {
  return { code: GrpcStatus.UNKNOWN, details: err instanceof Error ? err.message : String(err) };
}

/**
 * Creates the FileSend service for one export target. Directory and file exports are written beside the
 * destination and only moved into place by {@link ExportReceiver.commit}.
 */
export async function exportReceiver(target: ExportTarget, options: { onSkip?: SkipReporter } = {}): Promise<ExportReceiver> {
  const metadata: Record<string, string> = {};
  let landing: Landing | undefined;
  let failure: unknown;
  let received = false;
  let done: Promise<void> = Promise.resolve();

  if (target.kind !== 'stream') landing = await prepareLanding(target.dest);

  const receiveDirectory = async (call: Call): Promise<void> => {
    const root = landing!.staging;
    await mkdir(root, { recursive: true });
    const receiver = new LocalReceiver(root, { send: (p: Packet) => writeWithBackpressure(call, encodePacket(p)) }, options.onSkip);
    let chain = Promise.resolve();
    await new Promise<void>((resolve, reject) => {
      const fail = (err: unknown): void => {
        failure ??= err;
        call.emit('error', grpcError(err));
        reject(err);
      };
      call.on('data', (buf: Buffer) => {
        call.pause();
        chain = chain
          .then(() => receiver.handle(decodePacket(buf)))
          .then(
            () => {
              call.resume();
            },
            fail,
          );
      });
      call.on('end', () => {
        void chain.then(() => {
          if (receiver.complete) {
            call.end();
            resolve();
          } else {
            fail(new KilnError('protocol', 'the daemon ended the export before sending every file'));
          }
        });
      });
      call.on('cancelled', () => {
        // The daemon may cancel the stream once it has our FIN; only an unfinished export is a failure.
        if (receiver.complete) resolve();
        else reject(new KilnError('cancelled', 'the export was cancelled'));
      });
    }).finally(() => receiver.close());
  };

  const receiveBytes = async (call: Call): Promise<void> => {
    for (const [key, values] of Object.entries(call.metadata.getMap())) {
      if (key.startsWith('exporter-md-')) metadata[key.slice('exporter-md-'.length)] = String(values);
    }
    const out: Writable | WriteStream = target.kind === 'stream' ? target.stream : createWriteStream(landing!.staging, { flags: 'wx' });
    await new Promise<void>((resolve, reject) => {
      let finished = false;
      const fail = (err: unknown): void => {
        if (finished) return;
        finished = true;
        failure ??= err;
        call.emit('error', grpcError(err));
        reject(err);
      };
      out.on('error', fail);
      call.on('data', (buf: Buffer) => {
        const data = decodeBytesMessage(buf);
        if (data.length > 0 && !out.write(data)) {
          call.pause();
          out.once('drain', () => call.resume());
        }
      });
      call.on('end', () => {
        const close = (): void => {
          finished = true;
          call.end();
          resolve();
        };
        if (target.kind === 'stream') {
          // The caller owns the stream (e.g. Docker's image load); end it so the consumer sees EOF.
          out.end(close);
        } else {
          (out as WriteStream).end(close);
        }
      });
      call.on('cancelled', () => fail(new KilnError('cancelled', 'the export was cancelled')));
    });
  };

  const service: SessionService = {
    definition: FileSendService,
    implementation: {
      DiffCopy(call: Call) {
        if (received) {
          call.emit('error', { code: GrpcStatus.ALREADY_EXISTS, details: 'kiln takes one export stream per build' });
          return;
        }
        received = true;
        done = (target.kind === 'directory' ? receiveDirectory(call) : receiveBytes(call)).catch((err: unknown) => {
          failure ??= err;
        });
      },
    },
  };

  return {
    service,
    metadata: () => ({ ...metadata }),
    async commit() {
      await done;
      if (failure !== undefined) {
        await landing?.abort();
        throw failure instanceof KilnError ? failure : new KilnError('io', `the export failed: ${String(failure)}`, { cause: failure });
      }
      if (!received) {
        await landing?.abort();
        throw new KilnError('protocol', 'the daemon finished the build without sending the export');
      }
      await landing?.commit();
    },
    async abort() {
      await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
      await landing?.abort();
    },
  };
}
