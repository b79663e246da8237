/**
 * Sending many small messages on a grpc-js server stream without one event-loop turn per message.
 *
 * grpc-js hands a server stream's next message to HTTP/2 only after HTTP/2 has reported the previous one written
 * to the connection, which takes a turn of the event loop. File sync sends one message per file entry: through the
 * session tunnel that capped a transfer at about 20,000 messages a second, so a 10,000-file context took half a
 * second just to describe. HTTP/2 itself buffers and orders writes, so once grpc-js has sent the response headers
 * and holds nothing unsent, a message can be framed here (the 5-byte gRPC prefix: not compressed, big-endian
 * length; the message is encoded with room for it, so nothing is copied) and written straight to the call's HTTP/2
 * stream, behind whatever grpc-js wrote before it.
 *
 * That stream is not part of grpc-js's public API, so it is looked up defensively: when the installed grpc-js is
 * laid out differently, {@link directSender} returns undefined and callers use the normal `write` (slower, same
 * bytes). A unit test checks that the installed grpc-js still offers the direct path.
 */
import type { Writable } from 'node:stream';

/** The gRPC message prefix: a compressed flag and a big-endian length. */
export const GRPC_PREFIX_BYTES = 5;

/** A place to write framed gRPC messages, with the waits a caller needs for backpressure. */
export interface DirectSender {
  /** True when grpc-js has sent the response headers and holds no unsent message: a direct write keeps the order. */
  ready(): boolean;
  /**
   * Writes one message whose first {@link GRPC_PREFIX_BYTES} bytes are room for the gRPC prefix (filled in here);
   * false once the HTTP/2 stream holds `limit` bytes or more (wait for `drain`).
   */
  sendFramed(frame: Buffer, limit: number): boolean;
  /** The HTTP/2 stream, for `drain`/`close` waits. */
  readonly stream: Writable;
}

interface GrpcCallLayout {
  readonly call?: GrpcInnerCall;
}
interface GrpcInnerCall {
  readonly nextCall?: GrpcInnerCall;
  readonly stream?: unknown;
  readonly metadataSent?: unknown;
}

function isHttp2ServerStream(value: unknown): value is Writable & { readonly destroyed: boolean } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { write?: unknown; respond?: unknown; sendTrailers?: unknown; writableLength?: unknown };
  return (
    typeof v.write === 'function' &&
    typeof v.respond === 'function' &&
    typeof v.sendTrailers === 'function' &&
    typeof v.writableLength === 'number'
  );
}

/** The innermost grpc-js call object of a server stream: the one that owns the HTTP/2 stream. */
function baseCall(call: object): GrpcInnerCall | undefined {
  let inner = (call as GrpcCallLayout).call;
  for (let depth = 0; inner !== undefined && depth < 8; depth++) {
    if (isHttp2ServerStream(inner.stream) && typeof inner.metadataSent === 'boolean') return inner;
    inner = inner.nextCall;
  }
  return undefined;
}

/** Finds the HTTP/2 stream under a grpc-js server stream call, or undefined (then use `call.write`). */
export function directSender(call: Writable): DirectSender | undefined {
  const base = baseCall(call);
  if (base === undefined) return undefined;
  const stream = base.stream as Writable & { readonly destroyed: boolean };
  return {
    stream,
    ready: () => base.metadataSent === true && call.writableLength === 0 && !stream.destroyed,
    sendFramed(frame, limit) {
      frame[0] = 0;
      frame.writeUInt32BE(frame.length - GRPC_PREFIX_BYTES, 1);
      return stream.write(frame) || stream.writableLength < limit;
    },
  };
}

/** The HTTP/2 session under a grpc-js server call (a public Node object), or undefined when grpc-js is laid out differently. */
export function callHttp2Session(call: object): import('node:http2').Http2Session | undefined {
  const base = baseCall(call);
  const session = (base?.stream as { readonly session?: unknown } | undefined)?.session;
  if (typeof session !== 'object' || session === null) return undefined;
  const s = session as { settings?: unknown; setLocalWindowSize?: unknown };
  return typeof s.settings === 'function' && typeof s.setLocalWindowSize === 'function' ? (session as import('node:http2').Http2Session) : undefined;
}
