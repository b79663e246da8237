import { mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { parseExporterMetadata, receiveBytesExport } from '../../src/session/byte-export-receiver.js';

let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-bytes-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunksOf(parts: readonly (string | Buffer)[], failAfter?: number): AsyncGenerator<Uint8Array> {
  let i = 0;
  for (const p of parts) {
    if (failAfter !== undefined && i === failAfter) throw new KilnError('cancelled', 'the daemon reset the stream');
    yield Buffer.isBuffer(p) ? p : Buffer.from(p);
    i++;
  }
}

describe('receiveBytesExport to a file', () => {
  it('writes every chunk and lands the file atomically (no temp file left)', async () => {
    const target = join(dir, 'image.tar');
    const progress: number[] = [];
    const result = await receiveBytesExport(chunksOf(['abc', 'def', Buffer.alloc(100_000, 1)]), { file: target }, {
      onProgress: (n) => progress.push(n),
    });
    expect(result).toEqual({ bytes: 100_006, file: target });
    const content = await readFile(target);
    expect(content.subarray(0, 6).toString()).toBe('abcdef');
    expect(content.length).toBe(100_006);
    expect(progress).toEqual([3, 6, 100_006]);
    expect(await readdir(dir)).toEqual(['image.tar']);
  });

  it('replaces an existing file only when the export completes', async () => {
    const target = join(dir, 'out.tar');
    await writeFile(target, 'old archive');
    await receiveBytesExport(chunksOf(['new archive']), { file: target });
    expect(await readFile(target, 'utf8')).toBe('new archive');
    expect(await readdir(dir)).toEqual(['out.tar']);
  });

  it('leaves the old file and no temp file when the stream fails midway', async () => {
    const target = join(dir, 'out.tar');
    await writeFile(target, 'old archive');
    const err = await receiveBytesExport(chunksOf(['part1', 'part2', 'part3'], 2), { file: target }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'cancelled')).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('old archive');
    expect(await readdir(dir)).toEqual(['out.tar']);
  });

  it('is cancelled by its signal even while waiting for the next chunk', async () => {
    const target = join(dir, 'out.tar');
    await writeFile(target, 'old archive');
    const ac = new AbortController();
    let released = false;
    async function* stalled(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('first');
      ac.abort();
      await new Promise<void>(() => {});
      released = true;
    }
    const err = await receiveBytesExport(stalled(), { file: target }, { signal: ac.signal }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'cancelled')).toBe(true);
    expect(released).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('old archive');
    expect(await readdir(dir)).toEqual(['out.tar']);
  });

  it('creates missing parent directories', async () => {
    const target = join(dir, 'a', 'b', 'c.tar');
    await receiveBytesExport(chunksOf(['x']), { file: target });
    expect(await readFile(target, 'utf8')).toBe('x');
  });

  it('writes through a symlink at the destination, keeping the link', async () => {
    const real = join(dir, 'real.tar');
    await writeFile(real, 'old');
    await symlink('real.tar', join(dir, 'link.tar'));
    await receiveBytesExport(chunksOf(['new']), { file: join(dir, 'link.tar') });
    expect(await readlink(join(dir, 'link.tar'))).toBe('real.tar');
    expect(await readFile(real, 'utf8')).toBe('new');
  });

  it('refuses a directory as the destination without reading the stream', async () => {
    await mkdir(join(dir, 'adir'));
    let pulled = false;
    async function* watch(): AsyncGenerator<Uint8Array> {
      pulled = true;
      yield Buffer.from('x');
    }
    const err = await receiveBytesExport(watch(), { file: join(dir, 'adir') }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'io')).toBe(true);
    expect((err as Error).message).toContain('is a directory');
    expect(pulled).toBe(false);
  });
});

describe('receiveBytesExport to a stream', () => {
  class SlowSink extends Writable {
    readonly received: Buffer[] = [];
    constructor() {
      super({ highWaterMark: 4 });
    }
    override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
      this.received.push(chunk);
      setTimeout(cb, 1);
    }
  }

  it('waits for the sink to drain before pulling the next chunk, then ends it', async () => {
    const sink = new SlowSink();
    let pulled = 0;
    let maxAhead = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 20; i++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - sink.received.length);
        yield Buffer.from(`chunk-${i};`);
      }
    }
    const result = await receiveBytesExport(source(), { stream: sink });
    expect(result.bytes).toBe(Buffer.concat(sink.received).length);
    expect(Buffer.concat(sink.received).toString()).toBe(Array.from({ length: 20 }, (_, i) => `chunk-${i};`).join(''));
    expect(maxAhead).toBeLessThanOrEqual(2);
    expect(sink.writableFinished).toBe(true);
  });

  it('can leave the sink open', async () => {
    const sink = new SlowSink();
    await receiveBytesExport(chunksOf(['a']), { stream: sink, end: false });
    expect(sink.writableEnded).toBe(false);
    sink.end();
  });

  it('destroys the sink when the stream fails, and reports the failure', async () => {
    const sink = new SlowSink();
    const err = await receiveBytesExport(chunksOf(['a', 'b'], 1), { stream: sink }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'cancelled')).toBe(true);
    expect(sink.destroyed).toBe(true);
  });

  it('fails with an io error when the sink fails', async () => {
    const sink = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('EPIPE: docker load went away'));
      },
    });
    const err = await receiveBytesExport(chunksOf(['a', 'b', 'c']), { stream: sink }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'io')).toBe(true);
    expect((err as Error).message).toContain('docker load went away');
  });
});

describe('parseExporterMetadata', () => {
  it('keeps exporter-md-* headers, case-insensitively, and strips the prefix', () => {
    expect(
      parseExporterMetadata({
        'exporter-md-containerimage.digest': 'sha256:abc',
        'Exporter-MD-image.name': ['docker.io/library/app:1', 'docker.io/library/app:latest'],
        'exporter-md-containerimage.descriptor': Buffer.from('eyJ9'),
        'content-type': 'application/grpc',
        'exporter-md-': 'ignored',
        'x-other': undefined,
      }),
    ).toEqual({
      'containerimage.digest': 'sha256:abc',
      'image.name': 'docker.io/library/app:1,docker.io/library/app:latest',
      'containerimage.descriptor': 'eyJ9',
    });
  });

  it('returns an empty record for the tar exporter (no metadata)', () => {
    expect(parseExporterMetadata({ 'content-type': 'application/grpc' })).toEqual({});
  });
});

describe('a file export destination (checked before the build)', () => {
  it('refuses a directory, keeping what is in it', async () => {
    const { checkFileDestination, prepareLanding } = await import('../../src/session/export-landing.js');
    await mkdir(join(dir, 'tardir'));
    await writeFile(join(dir, 'tardir', 'keep.txt'), 'mine');
    const err = await checkFileDestination(join(dir, 'tardir')).catch((e: unknown) => e);
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe(`the export destination ${join(dir, 'tardir')} is a directory; this export writes one file`);
    expect((err as KilnError).hint).toBe(`Give a file path, for example ${join(dir, 'tardir', 'image.tar')}.`);
    await expect(prepareLanding(join(dir, 'tardir'))).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await readdir(join(dir, 'tardir'))).toEqual(['keep.txt']);
  });

  it('names a parent that is a file, and lands a file atomically otherwise', async () => {
    const { checkFileDestination, prepareLanding } = await import('../../src/session/export-landing.js');
    await writeFile(join(dir, 'afile'), 'x');
    await expect(checkFileDestination(join(dir, 'afile', 'out.tar'))).rejects.toMatchObject({
      code: 'io',
      message: `cannot write the export to ${join(dir, 'afile', 'out.tar')}: a parent of it is a file, not a directory`,
    });
    await writeFile(join(dir, 'out.tar'), 'old');
    const landing = await prepareLanding(join(dir, 'out.tar'));
    await writeFile(landing.staging, 'new');
    await landing.commit();
    expect(await readFile(join(dir, 'out.tar'), 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual(['afile', 'out.tar']);
  });
});
