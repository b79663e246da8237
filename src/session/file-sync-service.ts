import { status as GrpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import { FileSyncService } from '../proto/services.js';
import { serveDiffCopy } from './file-sync-sender.js';
import { adaptGrpcDuplex } from './packet-stream.js';
import type { SessionService } from './session-server.js';
import { parseGoBool } from '../go-parse-bool.js';

/** A local directory the build may read, under the name its `local://` source uses. */
export interface LocalDirectory {
  readonly name: string;
  /** Absolute path on this machine. */
  readonly path: string;
  /** Only these paths (and what is below matching directories) are sent. */
  readonly include?: readonly string[] | undefined;
  /** `.dockerignore`-style exclusions (`!` re-includes). */
  readonly exclude?: readonly string[] | undefined;
  /** Symlinks whose targets are also sent. */
  readonly followPaths?: readonly string[] | undefined;
  /** Also apply `<path>/.dockerignore`. */
  readonly useDockerignore?: boolean | undefined;
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

/** Options of {@link fileSyncService}. */
export interface FileSyncOptions {
  /** Called when a transfer finishes. */
  readonly onTransfer?: ((report: TransferReport) => void) | undefined;
  /** Called when a transfer fails on kiln's side (e.g. an unreadable file); the daemon is told too. */
  readonly onError?: ((error: KilnError) => void) | undefined;
  /**
   * Called for each entry left out because it cannot be sent (a socket, a name that is not valid UTF-8), with the
   * directory's name, the entry's path relative to it and why.
   */
  readonly onSkip?: ((name: string, path: string, reason: string) => void) | undefined;
}

type Call = ServerDuplexStream<Buffer, Buffer>;

/**
 * The directory a DiffCopy call asks for. BuildKit v0.12 and later send a `dir-name` with non-ASCII characters
 * query-escaped (Go's url.QueryEscape) and say so with `dir-name-encoded: 1` (Go's strconv.ParseBool).
 */
export function requestedDirName(value: string | Buffer | undefined, encoded: string | Buffer | undefined): string {
  const name = String(value ?? '');
  if (parseGoBool(String(encoded ?? '')) !== true) return name;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * Serves `FileSync.DiffCopy`: the daemon pulls a local directory (selected by the `dir-name` header) and kiln is the
 * fsutil sender (see `serveDiffCopy`). The patterns come from kiln's own description of the directory, not from the
 * call's headers (Node joins repeated headers, which makes them ambiguous).
 */
export function fileSyncService(dirs: readonly LocalDirectory[], options: FileSyncOptions = {}): SessionService {
  const byName = new Map(dirs.map((d) => [d.name, d]));
  return {
    definition: FileSyncService,
    implementation: {
      DiffCopy(call: Call) {
        const name = requestedDirName(call.metadata.get('dir-name')[0], call.metadata.get('dir-name-encoded')[0]);
        const dir = byName.get(name);
        if (dir === undefined) {
          call.emit('error', { code: GrpcStatus.NOT_FOUND, details: `no local directory named "${name}" in this build session` });
          return;
        }
        serveDiffCopy(adaptGrpcDuplex(call), {
          path: dir.path,
          ...(dir.include === undefined ? {} : { includePatterns: dir.include }),
          ...(dir.exclude === undefined ? {} : { excludePatterns: dir.exclude }),
          ...(dir.followPaths === undefined ? {} : { followPaths: dir.followPaths }),
          ...(dir.useDockerignore === undefined ? {} : { dockerignore: dir.useDockerignore }),
        }, options.onSkip === undefined ? {} : { onSkip: (path, reason) => options.onSkip?.(name, path, reason) }).then(
          (c) => options.onTransfer?.({ name, entries: c.entriesSent, filesRequested: c.filesRequested, bytesSent: c.bytesSent }),
          (err: unknown) => {
            if (!KilnError.is(err, 'cancelled')) options.onError?.(err instanceof KilnError ? err : new KilnError('internal', String(err), { cause: err }));
          },
        );
      },
      TarStream(call: Call) {
        call.emit('error', { code: GrpcStatus.UNIMPLEMENTED, details: 'kiln serves local directories with diffcopy only' });
      },
    },
  };
}
