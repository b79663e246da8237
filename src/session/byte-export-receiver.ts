/**
 * Landing for exporters that stream one file of raw bytes over `FileSend/DiffCopy` (`tar`, `oci`, `docker`): the
 * bytes go either to a file, landed atomically, or to a caller's Writable (for example `docker load`'s stdin), with
 * backpressure both ways. Also reads the `exporter-md-*` headers that come with those streams.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { lstat, mkdir, open, realpath, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { KilnError, toError } from '../errors.js';
import { writeError, isGone } from './fs-errors.js';

/** Where a byte export goes: a file path (written atomically) or an already-open Writable. */
export type ByteExportTarget =
  | { readonly file: string }
  | {
      readonly stream: Writable;
      /** End the Writable when the export completes (default true). On failure it is destroyed either way. */
      readonly end?: boolean;
    };

/** Options of {@link receiveBytesExport}. */
export interface ReceiveBytesExportOptions {
  /** Cancels the export; the promise rejects with a `cancelled` KilnError and a file target is left untouched. */
  readonly signal?: AbortSignal;
  /** Called with the running byte count after every chunk. */
  readonly onProgress?: (bytes: number) => void;
}

/** What a byte export wrote. */
export interface ByteExportResult {
  readonly bytes: number;
  /** For a file target: the path finally written (symlinks at the destination resolved). */
  readonly file?: string;
}

const METADATA_PREFIX = 'exporter-md-';

/** A header value as grpc-js hands it out (`Metadata.getMap()` or `Metadata.toJSON()`). */
export type HeaderValue = string | Uint8Array;

/**
 * Extracts the exporter response the daemon attaches to a byte export as `exporter-md-<key>` headers (for
 * `oci`/`docker`: `containerimage.digest`, `image.name`, `containerimage.descriptor`...). Header names are matched
 * case-insensitively; a key with several values gets them joined with `,` like the Go client does.
 */
export function parseExporterMetadata(
  headers: Readonly<Record<string, HeaderValue | readonly HeaderValue[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [rawKey, value] of Object.entries(headers)) {
    const key = rawKey.toLowerCase();
    if (!key.startsWith(METADATA_PREFIX) || value === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]) as readonly HeaderValue[];
    const text = values.map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8')));
    const name = key.slice(METADATA_PREFIX.length);
    if (name === '') continue;
    out[name] = out[name] === undefined ? text.join(',') : `${out[name]},${text.join(',')}`;
  }
  return out;
}

function cancelled(signal: AbortSignal): KilnError {
  return new KilnError('cancelled', 'the export was cancelled', { cause: signal.reason });
}

async function resolveTargetFile(file: string): Promise<string> {
  const abs = resolve(file);
  let st;
  try {
    st = await lstat(abs);
  } catch (err) {
    if (isGone(err)) return abs;
    throw writeError('cannot use the export destination', file, err);
  }
  let target = abs;
  if (st.isSymbolicLink()) {
    // Write through the link (it keeps pointing at the new file), like a shell redirection.
    try {
      target = await realpath(abs);
      st = await lstat(target);
    } catch (err) {
      throw new KilnError('io', `the export destination ${file} is a symlink to a missing path`, {
        cause: err,
        details: { path: file },
      });
    }
  }
  if (st.isDirectory()) {
    throw new KilnError('io', `the export destination ${file} is a directory`, {
      details: { path: file },
      hint: 'Name a file for tar, oci and docker exports.',
    });
  }
  return target;
}

/** Iterates `chunks`, but stops with a `cancelled` error as soon as `signal` fires, even while waiting. */
async function* untilAborted(chunks: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (signal === undefined) {
    yield* chunks;
    return;
  }
  const it = chunks[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelled(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  let finished = false;
  try {
    for (;;) {
      const r = await Promise.race([it.next(), aborted]);
      if (r.done === true) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    if (!finished) void Promise.resolve(it.return?.()).catch(() => {});
  }
}

async function toFile(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  options: ReceiveBytesExportOptions,
): Promise<ByteExportResult> {
  const target = await resolveTargetFile(file);
  const dir = dirname(target);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw writeError('cannot create the directory of the export destination', dir, err);
  }
  const temp = join(dir, `.${basename(target)}.kiln-tmp-${randomBytes(6).toString('hex')}`);
  let fh: FileHandle | undefined;
  let bytes = 0;
  try {
    try {
      fh = await open(temp, 'wx', 0o666);
    } catch (err) {
      throw writeError('cannot create a temporary file in', dir, err);
    }
    for await (const chunk of untilAborted(chunks, options.signal)) {
      let offset = 0;
      while (offset < chunk.length) {
        try {
          const { bytesWritten } = await fh.write(chunk, offset, chunk.length - offset);
          offset += bytesWritten;
        } catch (err) {
          throw writeError('cannot write', temp, err);
        }
      }
      bytes += chunk.length;
      options.onProgress?.(bytes);
    }
    if (options.signal?.aborted === true) throw cancelled(options.signal);
    try {
      await fh.sync();
      await fh.close();
      fh = undefined;
      await rename(temp, target);
    } catch (err) {
      throw writeError('cannot move the export into', target, err);
    }
  } catch (err) {
    await fh?.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    throw toError(err);
  }
  // Make the rename itself durable; not every platform lets a directory be fsynced, so this is best effort.
  const dirHandle = await open(dir, 'r').catch(() => undefined);
  await dirHandle?.sync().catch(() => {});
  await dirHandle?.close().catch(() => {});
  return { bytes, file: target };
}

async function toStream(
  chunks: AsyncIterable<Uint8Array>,
  out: Writable,
  endWhenDone: boolean,
  options: ReceiveBytesExportOptions,
): Promise<ByteExportResult> {
  let streamError: Error | undefined;
  const onError = (err: Error): void => {
    streamError ??= err;
  };
  out.on('error', onError);
  const waitFor = async (event: 'drain' | 'finish'): Promise<void> => {
    const ac = new AbortController();
    try {
      await Promise.race([
        once(out, event, { signal: ac.signal }),
        once(out, 'close', { signal: ac.signal }).then(() => {
          if (event === 'finish' && out.writableFinished) return;
          throw streamError ?? new KilnError('io', 'the export output was closed before the export finished');
        }),
      ]);
    } catch (err) {
      throw streamError ?? toError(err);
    } finally {
      ac.abort();
    }
  };
  let bytes = 0;
  try {
    for await (const chunk of untilAborted(chunks, options.signal)) {
      if (streamError !== undefined) throw streamError;
      if (out.destroyed || out.writableEnded) throw new KilnError('io', 'the export output was closed before the export finished');
      bytes += chunk.length;
      if (!out.write(chunk)) await waitFor('drain');
      options.onProgress?.(bytes);
    }
    if (options.signal?.aborted === true) throw cancelled(options.signal);
    if (streamError !== undefined) throw streamError;
    if (endWhenDone) {
      const finished = out.writableFinished ? Promise.resolve() : waitFor('finish');
      out.end();
      await finished;
    }
    if (streamError !== undefined) throw streamError;
  } catch (err) {
    const error = toError(err);
    if (!out.destroyed) out.destroy(error);
    throw KilnError.is(error) ? error : new KilnError('io', `writing the export failed: ${error.message}`, { cause: error });
  } finally {
    out.off('error', onError);
    // A late error after we are done must not crash the process as unhandled.
    out.on('error', () => {});
  }
  return { bytes };
}

/**
 * Writes the raw bytes of a `tar`/`oci`/`docker` export to `target`. Chunks are pulled one at a time and the next is
 * read only once the previous one was written, so a slow disk or reader slows the daemon down instead of filling
 * memory.
 *
 * A file target is written to a temporary file in the same directory, fsynced and renamed over the destination
 * only after the last chunk; if the chunks fail (stream reset, cancellation) or a write fails, the temporary file
 * is removed and an existing file at the destination is left as it was. A Writable target is ended on success
 * (unless `end: false`) and destroyed on failure.
 */
export async function receiveBytesExport(
  chunks: AsyncIterable<Uint8Array>,
  target: ByteExportTarget,
  options: ReceiveBytesExportOptions = {},
): Promise<ByteExportResult> {
  if (options.signal?.aborted === true) throw cancelled(options.signal);
  if ('file' in target) return toFile(chunks, target.file, options);
  return toStream(chunks, target.stream, target.end !== false, options);
}
