/**
 * The bidirectional packet stream the DiffCopy protocol logic talks to, so the sender and receivers can run against
 * a gRPC call in production and against an in-memory pipe in tests.
 */
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { KilnError } from '../errors.js';
import { decodePacket, encodePacket, type Packet } from './fsutil-packet.js';
import { directSender, GRPC_PREFIX_BYTES } from './grpc-direct-send.js';

/**
 * One side of a DiffCopy stream.
 *
 * - Iterate it (once) to receive the peer's packets; iteration ends when the peer ends its side and throws when the
 *   stream fails or the peer aborts.
 * - `write` resolves when the underlying sink can take more (backpressure); it may be called again before an earlier
 *   write resolved. The packet is encoded before `write` returns, so the caller may reuse its buffers afterwards.
 * - `end` half-closes the sending side (for a gRPC server handler: finishes the call with status OK).
 * - `abort` tears the stream down with an error: packets already written are still delivered, then the peer sees
 *   the failure (for a gRPC server handler: the call ends with an error status). The protocol functions in this
 *   directory call it themselves when they fail, so a caller has nothing more to do.
 */
export interface PacketStream extends AsyncIterable<Packet> {
  /**
   * Sends a packet; the promise settles when the writer may go on (backpressure). The packet is encoded before
   * `write` returns, so the caller may reuse `packet.data`'s memory at once.
   */
  write(packet: Packet): Promise<void>;
  end(): Promise<void>;
  abort(reason: Error): void;
}

// ---------------------------------------------------------------------------------------------------------------
// In-memory pipe

/** Options of {@link createMemoryPacketPipe}. */
export interface MemoryPacketPipeOptions {
  /** Bytes queued in one direction before `write` waits for the reader (default 256 KiB). */
  readonly highWaterMark?: number;
  /** Sees every encoded message on its way (`from` is the writing side), e.g. to check wire sizes. */
  readonly onWire?: (from: 'left' | 'right', bytes: Uint8Array) => void;
}

/** Two connected {@link PacketStream} ends: what one writes, the other reads. */
export interface MemoryPacketPipe {
  readonly left: PacketStream;
  readonly right: PacketStream;
}

type Settled = { readonly kind: 'ended' } | { readonly kind: 'failed'; readonly error: Error };

/** One direction of the memory pipe: a byte-bounded queue of encoded messages. */
class Channel {
  readonly #queue: Uint8Array[] = [];
  #head = 0;
  #queuedBytes = 0;
  /** Set by the writing side (end or abort). Delivered to the reader after the queue drains. */
  #writerDone: Settled | undefined;
  /** Set when the reading side stops (peer aborted, or the reader broke out of its loop). */
  #readerGone: Error | undefined;
  #readerWaiter: (() => void) | undefined;
  #writerWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  readonly #highWaterMark: number;

  constructor(highWaterMark: number) {
    this.#highWaterMark = highWaterMark;
  }

  push(bytes: Uint8Array): Promise<void> {
    if (this.#writerDone !== undefined) {
      return Promise.reject(new KilnError('internal', 'packet written after the stream was ended or aborted'));
    }
    if (this.#readerGone !== undefined) return Promise.reject(this.#readerGone);
    this.#queue.push(bytes);
    this.#queuedBytes += bytes.length;
    this.#wakeReader();
    if (this.#queuedBytes <= this.#highWaterMark) return Promise.resolve();
    return new Promise((resolve, reject) => this.#writerWaiters.push({ resolve, reject }));
  }

  finish(settled: Settled): void {
    if (this.#writerDone !== undefined) return;
    this.#writerDone = settled;
    // Writes already queued will be delivered; nobody should stay parked waiting for room.
    const waiters = this.#writerWaiters;
    this.#writerWaiters = [];
    for (const w of waiters) w.resolve();
    this.#wakeReader();
  }

  /** The reader will not read any more: pending and future writes fail with `reason`. */
  closeReader(reason: Error): void {
    if (this.#readerGone !== undefined) return;
    this.#readerGone = reason;
    this.#queue.length = 0;
    this.#head = 0;
    this.#queuedBytes = 0;
    const waiters = this.#writerWaiters;
    this.#writerWaiters = [];
    for (const w of waiters) w.reject(reason);
    this.#wakeReader();
  }

  async next(): Promise<IteratorResult<Packet>> {
    for (;;) {
      if (this.#readerGone !== undefined) throw this.#readerGone;
      if (this.#head < this.#queue.length) {
        const bytes = this.#queue[this.#head] as Uint8Array;
        this.#head++;
        if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
          this.#queue.splice(0, this.#head);
          this.#head = 0;
        }
        this.#queuedBytes -= bytes.length;
        this.#releaseWriters();
        return { done: false, value: decodePacket(bytes) };
      }
      const done = this.#writerDone;
      if (done !== undefined) {
        if (done.kind === 'failed') throw done.error;
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => {
        this.#readerWaiter = resolve;
      });
    }
  }

  #wakeReader(): void {
    const w = this.#readerWaiter;
    this.#readerWaiter = undefined;
    w?.();
  }

  #releaseWriters(): void {
    if (this.#queuedBytes > this.#highWaterMark || this.#writerWaiters.length === 0) return;
    const waiters = this.#writerWaiters;
    this.#writerWaiters = [];
    for (const w of waiters) w.resolve();
  }
}

class MemoryEnd implements PacketStream {
  readonly #out: Channel;
  readonly #in: Channel;
  readonly #side: 'left' | 'right';
  readonly #onWire: MemoryPacketPipeOptions['onWire'];
  #iterating = false;

  constructor(out: Channel, inbound: Channel, side: 'left' | 'right', onWire: MemoryPacketPipeOptions['onWire']) {
    this.#out = out;
    this.#in = inbound;
    this.#side = side;
    this.#onWire = onWire;
  }

  write(packet: Packet): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = encodePacket(packet);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.#onWire?.(this.#side, bytes);
    return this.#out.push(bytes);
  }

  end(): Promise<void> {
    this.#out.finish({ kind: 'ended' });
    return Promise.resolve();
  }

  abort(reason: Error): void {
    this.#out.finish({ kind: 'failed', error: reason });
    this.#in.closeReader(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<Packet> {
    if (this.#iterating) throw new KilnError('internal', 'a packet stream can be iterated only once');
    this.#iterating = true;
    const inbound = this.#in;
    return {
      next: () => inbound.next(),
      return: () => {
        inbound.closeReader(new KilnError('cancelled', 'the peer stopped reading the packet stream'));
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}

/**
 * Creates two connected in-memory packet streams. Every packet goes through the real codec (encoded on write,
 * decoded on read), so the ends see exactly what a gRPC peer would, and writes wait once `highWaterMark` bytes are
 * queued and unread.
 */
export function createMemoryPacketPipe(options: MemoryPacketPipeOptions = {}): MemoryPacketPipe {
  const hwm = options.highWaterMark ?? 256 * 1024;
  const leftToRight = new Channel(hwm);
  const rightToLeft = new Channel(hwm);
  return {
    left: new MemoryEnd(leftToRight, rightToLeft, 'left', options.onWire),
    right: new MemoryEnd(rightToLeft, leftToRight, 'right', options.onWire),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// grpc-js adapter

/** A gRPC status to end a server call with (what grpc-js accepts on a call's `error` event). */
export interface GrpcStatusLike {
  readonly code: number;
  readonly details: string;
}

/** Options of {@link adaptGrpcDuplex}. */
export interface AdaptGrpcDuplexOptions {
  /**
   * How `abort` ends the call. The default, for grpc-js server calls, emits `error` with a status built by
   * {@link grpcStatusForError}, which grpc-js turns into the call's final status; for anything else it destroys the
   * stream.
   */
  readonly abort?: (reason: Error) => void;
}

/** Maps a failure to the gRPC status the daemon should see: CANCELLED, NOT_FOUND, INVALID_ARGUMENT or UNKNOWN. */
export function grpcStatusForError(reason: Error): GrpcStatusLike {
  if (KilnError.is(reason, 'cancelled')) return { code: 1, details: reason.message };
  if (KilnError.is(reason, 'not_found')) return { code: 5, details: reason.message };
  if (KilnError.is(reason, 'invalid_argument')) return { code: 3, details: reason.message };
  return { code: 2, details: reason.message };
}

/** A failure seen while reading the call: a cancellation, or the peer's error status. */
function receiveError(err: unknown): KilnError {
  if (KilnError.is(err)) return err;
  const status = err as { code?: unknown; details?: unknown } | null;
  if (typeof status?.code === 'number' && status.code !== 1) {
    const details = typeof status.details === 'string' ? status.details : String(err);
    return new KilnError('protocol', `the peer ended the stream with gRPC status ${status.code}: ${details}`, { cause: err });
  }
  return new KilnError('cancelled', 'the gRPC call was cancelled while receiving packets', { cause: err });
}

/** Bytes the HTTP/2 stream may hold, with messages written directly, before `write` waits. */
const DIRECT_BUFFER_BYTES = 1 << 20;

function isServerCall(call: object): boolean {
  return typeof (call as { sendMetadata?: unknown }).sendMetadata === 'function';
}

/**
 * Wraps a grpc-js bidi call whose messages are raw Buffers (the method registered with identity serializers) as a
 * {@link PacketStream}: inbound Buffers are decoded as fsutil Packets, outbound Packets are encoded, and `write`
 * waits for `drain` once grpc-js holds more than a budget of unsent messages (all waiting writers share one wait).
 */
export function adaptGrpcDuplex(call: Readable & Writable, options: AdaptGrpcDuplexOptions = {}): PacketStream {
  let iterating = false;
  let ended = false;
  let aborted = false;
  const abortCall =
    options.abort ??
    ((reason: Error) => {
      if (isServerCall(call)) call.emit('error', grpcStatusForError(reason));
      else call.destroy(reason);
    });
  // Messages handed to grpc-js's `write` and not yet written out. A server call's error status goes out only after
  // them, and the reading side destroys the call (no status at all: the peer waits forever) if it sees the error
  // first; so `abort` waits for them, and a packet written just before (an fsutil ERR) reaches the peer too.
  let unwritten = 0;
  let afterWritten: (() => void) | undefined;
  const written = (): void => {
    unwritten--;
    if (unwritten > 0 || afterWritten === undefined) return;
    const then = afterWritten;
    afterWritten = undefined;
    then();
  };

  // Messages grpc-js may hold before `write` waits. Its own high-water mark (16 messages) would stop every writer
  // after each half MiB of DATA and restart it only once the whole queue left, so the pipe ran dry in between.
  const budget = Math.max(call.writableHighWaterMark, 128);
  // One wait shared by every writer parked at the same time (one pair of listeners, however many writers).
  let draining: Promise<void> | undefined;

  // On a server call, messages go straight to the HTTP/2 stream when grpc-js allows it (see grpc-direct-send.ts);
  // that stream may then hold up to DIRECT_BUFFER_BYTES before a writer waits.
  const direct = isServerCall(call) ? directSender(call) : undefined;

  async function waitForDrain(target: Writable): Promise<void> {
    const controller = new AbortController();
    try {
      await Promise.race([
        once(target, 'drain', { signal: controller.signal }),
        once(target, 'close', { signal: controller.signal }).then(() => {
          throw new KilnError('cancelled', 'the gRPC call closed while a packet was waiting to be sent');
        }),
      ]);
    } catch (err) {
      if (KilnError.is(err)) throw err;
      throw new KilnError('cancelled', 'the gRPC call failed while a packet was waiting to be sent', { cause: err });
    } finally {
      controller.abort();
    }
  }

  function waitShared(target: Writable): Promise<void> {
    draining ??= waitForDrain(target).finally(() => {
      draining = undefined;
    });
    return draining;
  }

  return {
    async write(packet: Packet): Promise<void> {
      if (ended || aborted) throw new KilnError('internal', 'packet written after the stream was ended or aborted');
      if (call.destroyed || call.writableEnded) {
        throw new KilnError('cancelled', 'the gRPC call is already closed');
      }
      if (direct?.ready() === true) {
        if (!direct.sendFramed(encodePacket(packet, GRPC_PREFIX_BYTES), DIRECT_BUFFER_BYTES)) await waitShared(direct.stream);
        return;
      }
      unwritten++;
      if (call.write(encodePacket(packet), written) || call.writableLength <= budget) return;
      await waitShared(call);
    },
    end(): Promise<void> {
      if (!ended && !aborted) {
        ended = true;
        if (!call.destroyed && !call.writableEnded) call.end();
      }
      return Promise.resolve();
    },
    abort(reason: Error): void {
      if (aborted) return;
      aborted = true;
      const now = (): void => {
        if (!call.destroyed) abortCall(reason);
      };
      if (unwritten > 0) afterWritten = now;
      else now();
    },
    [Symbol.asyncIterator](): AsyncIterator<Packet> {
      if (iterating) throw new KilnError('internal', 'a packet stream can be iterated only once');
      iterating = true;
      // Leaving the loop early (after FIN) must not destroy the call: that would cancel it instead of letting
      // `end()` finish it with status OK.
      const inner: AsyncIterator<unknown> =
        typeof call.iterator === 'function'
          ? call.iterator({ destroyOnReturn: false })
          : (call as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      return {
        async next(): Promise<IteratorResult<Packet>> {
          let r: IteratorResult<unknown>;
          try {
            r = await inner.next();
          } catch (err) {
            throw receiveError(err);
          }
          if (r.done === true) return { done: true, value: undefined };
          const chunk = r.value;
          if (!(chunk instanceof Uint8Array)) {
            throw new KilnError('internal', 'the gRPC method must be registered with a raw-Buffer deserializer');
          }
          return { done: false, value: decodePacket(chunk) };
        },
        async return(): Promise<IteratorResult<Packet>> {
          await inner.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
