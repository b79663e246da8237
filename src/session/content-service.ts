/**
 * The session's containerd Content service (`containerd.services.content.v1.Content`): how the daemon reads and
 * writes blobs on this machine for the `local` cache backend (and, later, `oci-layout://` sources).
 *
 * Every call names the store it means in the gRPC metadata `buildkit-attachable-store-id` (`local:<dir>` for local
 * cache); a call without it fails with INVALID_ARGUMENT and an id this session does not serve with NOT_FOUND. The
 * answers follow containerd's content service: NOT_FOUND for a missing blob or write, ALREADY_EXISTS when a write's
 * expected blob is already there (the daemon then skips it), FAILED_PRECONDITION for a commit whose size or digest
 * does not match, OUT_OF_RANGE for a write at the wrong offset or a read past the end, UNAVAILABLE while another
 * stream holds the same write ref.
 */
import {
  status as GrpcStatus,
  type Metadata,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import type { containerd, google } from '../proto/generated.js';
import { ContentService } from '../proto/services.js';
import { ContentStoreError, type ContentInfo, type ContentStore, type ContentWriter, type WriteStatus } from './content-store.js';
import type { SessionService } from './session-server.js';

/** The gRPC metadata key naming the store a Content call is for. */
export const STORE_ID_METADATA = 'buildkit-attachable-store-id';

type Status = { code: GrpcStatus; details: string };

const WRITE_STAT = 0;
const WRITE_WRITE = 1;
const WRITE_COMMIT = 2;

const REASON_CODES: Readonly<Record<ContentStoreError['reason'], GrpcStatus>> = {
  not_found: GrpcStatus.NOT_FOUND,
  already_exists: GrpcStatus.ALREADY_EXISTS,
  invalid_argument: GrpcStatus.INVALID_ARGUMENT,
  failed_precondition: GrpcStatus.FAILED_PRECONDITION,
  unavailable: GrpcStatus.UNAVAILABLE,
  out_of_range: GrpcStatus.OUT_OF_RANGE,
  permission_denied: GrpcStatus.PERMISSION_DENIED,
};

function toStatus(err: unknown): Status {
  if (err instanceof ContentStoreError) return { code: REASON_CODES[err.reason], details: err.message };
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return { code: GrpcStatus.PERMISSION_DENIED, details: String((err as Error).message) };
  return { code: GrpcStatus.UNKNOWN, details: err instanceof Error ? err.message : String(err) };
}

function timestamp(date: Date): google.protobuf.Timestamp.$Properties {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

function infoMessage(info: ContentInfo): containerd.services.content.v1.Info.$Properties {
  return { digest: info.digest, size: info.size, created_at: timestamp(info.createdAt), updated_at: timestamp(info.updatedAt), labels: { ...info.labels } };
}

function statusMessage(s: WriteStatus): containerd.services.content.v1.Status.$Properties {
  return { ref: s.ref, offset: s.offset, total: s.total, expected: s.expected, started_at: timestamp(s.startedAt), updated_at: timestamp(s.updatedAt) };
}

/**
 * The store a call is for. Node's HTTP/2 layer joins repeated header values with ", "; like containerd, the first
 * value counts.
 */
function chooseStore(stores: ReadonlyMap<string, ContentStore>, metadata: Metadata): ContentStore {
  const values = metadata.get(STORE_ID_METADATA).map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
  const raw = values[0];
  if (raw === undefined || raw === '') throw new ContentStoreError('invalid_argument', `the request lacks the ${STORE_ID_METADATA} metadata naming a store`);
  const store = stores.get(raw) ?? stores.get(raw.split(', ')[0] ?? '');
  if (store === undefined) {
    const known = [...stores.keys()];
    throw new ContentStoreError('not_found', `unknown store ${raw}${known.length === 0 ? '' : ` (this build serves ${known.join(', ')})`}`);
  }
  return store;
}

type Unary<Req, Res> = (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void;

function unary<Req, Res>(stores: ReadonlyMap<string, ContentStore>, handle: (store: ContentStore, request: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    let store: ContentStore;
    try {
      store = chooseStore(stores, call.metadata);
    } catch (err) {
      callback(toStatus(err), null);
      return;
    }
    handle(store, call.request).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toStatus(err), null),
    );
  };
}

async function writeWithBackpressure<T>(call: ServerWritableStream<unknown, T> | ServerDuplexStream<unknown, T>, message: T): Promise<void> {
  if (call.write(message)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });
}

/** Runs one Write stream: the first message names the ref; every message gets exactly one answer. */
async function serveWrite(
  stores: ReadonlyMap<string, ContentStore>,
  call: ServerDuplexStream<containerd.services.content.v1.WriteContentRequest, containerd.services.content.v1.WriteContentResponse.$Properties>,
): Promise<void> {
  const store = chooseStore(stores, call.metadata);
  let writer: ContentWriter | undefined;
  let committed: string | undefined;
  try {
    // Not a plain `for await (… of call)`: that destroys the call when the loop ends, cancelling it instead of
    // letting it finish with OK.
    const requests = call.iterator({ destroyOnReturn: false }) as AsyncIterable<containerd.services.content.v1.WriteContentRequest>;
    for await (const req of requests) {
      const action = Number(req.action ?? WRITE_STAT);
      const total = Number(req.total ?? 0);
      const expected = req.expected ?? '';
      if (writer === undefined) {
        if ((req.ref ?? '') === '') throw new ContentStoreError('invalid_argument', 'the first message of a write must have a reference');
        writer = await store.openWriter(req.ref, total, expected);
      } else if (committed === undefined) {
        writer.expect(total, expected);
      }
      if (committed !== undefined) throw new ContentStoreError('failed_precondition', `write ${writer.status().ref} was already committed as ${committed}`);
      const before = writer.status();
      const res: containerd.services.content.v1.WriteContentResponse.$Properties = { action, offset: before.offset };
      if (action === WRITE_STAT) {
        res.digest = writer.digest();
        res.started_at = timestamp(before.startedAt);
        res.updated_at = timestamp(before.updatedAt);
        res.total = before.total;
      } else if (action === WRITE_WRITE || action === WRITE_COMMIT) {
        const offset = Number(req.offset ?? 0);
        const data = req.data ?? new Uint8Array();
        if (offset > 0 && offset !== before.offset) {
          throw new ContentStoreError('out_of_range', `write @${offset} must occur at the current offset ${before.offset}`);
        }
        if (data.length > 0 || (offset === 0 && before.offset > 0)) res.offset = await writer.write(offset, data);
        if (action === WRITE_COMMIT) {
          committed = await writer.commit(total, expected, req.labels ?? {});
          res.digest = committed;
        } else {
          res.digest = writer.digest();
        }
        res.total = committed === undefined ? writer.status().total : total;
      } else {
        throw new ContentStoreError('invalid_argument', `unknown write action ${action}`);
      }
      await writeWithBackpressure(call, res);
    }
    call.end();
  } finally {
    writer?.close();
  }
}

/**
 * Serves `stores` (by store id, e.g. `local:/path/to/cache`) as the session's Content service.
 *
 * @example
 * const store = new DirectoryContentStore('/tmp/cache', { writable: true });
 * const service = contentService(new Map([['local:/tmp/cache', store]]));
 */
export function contentService(stores: ReadonlyMap<string, ContentStore>): SessionService {
  return {
    definition: ContentService,
    implementation: {
      Info: unary(stores, async (store, req: containerd.services.content.v1.InfoRequest) => ({ info: infoMessage(await store.info(req.digest ?? '')) })),
      Update: unary(stores, async (store, req: containerd.services.content.v1.UpdateRequest) => {
        const digest = req.info?.digest ?? '';
        if (!store.writable) await store.info(digest);
        const info = await store.update(digest, req.info?.labels ?? {}, req.update_mask?.paths ?? []);
        return { info: infoMessage(info) };
      }),
      Delete: unary(stores, async (store, req: containerd.services.content.v1.DeleteContentRequest) => {
        await store.delete(req.digest ?? '');
        return {};
      }),
      Status: unary(stores, async (store, req: containerd.services.content.v1.StatusRequest) => ({ status: statusMessage(store.writeStatus(req.ref ?? '')) })),
      ListStatuses: unary(stores, async (store, req: containerd.services.content.v1.ListStatusesRequest) => {
        if ((req.filters ?? []).some((f) => f !== '')) throw new ContentStoreError('invalid_argument', 'this store does not filter write statuses; ask without filters');
        return { statuses: store.listWriteStatuses().map(statusMessage) };
      }),
      Abort: unary(stores, async (store, req: containerd.services.content.v1.AbortRequest) => {
        if (!store.writable) throw new ContentStoreError('permission_denied', 'this store is read-only here: there are no writes to abort');
        await store.abort(req.ref ?? '');
        return {};
      }),
      List(call: ServerWritableStream<containerd.services.content.v1.ListContentRequest, containerd.services.content.v1.ListContentResponse.$Properties>) {
        (async () => {
          const store = chooseStore(stores, call.metadata);
          if ((call.request.filters ?? []).some((f) => f !== '')) throw new ContentStoreError('invalid_argument', 'this store does not filter content; list without filters');
          const infos = await store.list();
          for (let i = 0; i < infos.length; i += 100) {
            await writeWithBackpressure(call, { info: infos.slice(i, i + 100).map(infoMessage) });
          }
          call.end();
        })().catch((err: unknown) => call.emit('error', toStatus(err)));
      },
      Read(call: ServerWritableStream<containerd.services.content.v1.ReadContentRequest, containerd.services.content.v1.ReadContentResponse.$Properties>) {
        (async () => {
          const store = chooseStore(stores, call.metadata);
          const req = call.request;
          for await (const chunk of store.read(req.digest ?? '', Number(req.offset ?? 0), Number(req.size ?? 0))) {
            if (call.cancelled) return;
            await writeWithBackpressure(call, { offset: chunk.offset, data: chunk.data });
          }
          call.end();
        })().catch((err: unknown) => {
          if (!call.cancelled) call.emit('error', toStatus(err));
        });
      },
      Write(call: ServerDuplexStream<containerd.services.content.v1.WriteContentRequest, containerd.services.content.v1.WriteContentResponse.$Properties>) {
        serveWrite(stores, call).catch((err: unknown) => {
          if (!call.cancelled) call.emit('error', toStatus(err));
        });
      },
    },
  };
}
