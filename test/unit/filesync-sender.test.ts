import { appendFile, chmod, link, mkdir, mkdtemp, open, readFile, rename, rm, symlink, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { serveDiffCopy, type DiffCopyCounters } from '../../src/session/file-sync-sender.js';
import { WalkOrderValidator } from '../../src/session/fsutil-order.js';
import {
  errPacket,
  finPacket,
  GoFileMode,
  isRegularGoMode,
  PacketType,
  reqPacket,
  type Stat,
} from '../../src/session/fsutil-packet.js';
import { createMemoryPacketPipe, type PacketStream } from '../../src/session/packet-stream.js';

let base = '';
let root = '';
const files = new Map<string, Buffer>();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'kiln-sender-'));
  root = join(base, 'ctx');
  await mkdir(join(root, 'src', 'lib'), { recursive: true });
  await mkdir(join(root, 'empty-dir'));
  const put = async (p: string, content: Buffer): Promise<void> => {
    await writeFile(join(root, p), content);
    files.set(p, content);
  };
  for (let i = 0; i < 20; i++) await put(`src/lib/m${String(i).padStart(2, '0')}.ts`, Buffer.from(`export const n = ${i};\n`));
  const big = Buffer.alloc(100 * 1024 + 1);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  await put('big.bin', big);
  await put('empty.txt', Buffer.alloc(0));
  await put('README.md', Buffer.from('# hi\n'));
  await symlink('README.md', join(root, 'readme-link'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

interface DaemonResult {
  readonly stats: Stat[];
  readonly contents: Map<string, Buffer>;
  readonly chunkSizes: Map<string, number[]>;
  readonly gotFin: boolean;
  readonly errors: string[];
  readonly maxFilesInFlight: number;
}

interface DaemonOptions {
  /** Which regular files to request (default: all). */
  readonly want?: (stat: Stat) => boolean;
  /** Request a file as soon as its STAT arrives instead of after the terminator. */
  readonly early?: boolean;
  /** Extra packets to send right after the terminator (to misbehave). */
  readonly afterTerminator?: (stream: PacketStream, stats: readonly Stat[]) => Promise<void>;
  /** End the stream after the terminator instead of requesting anything. */
  readonly hangUp?: boolean;
  /** Called when the first content chunk of a file arrives (the sender is then still reading that file). */
  readonly onFirstData?: (path: string) => Promise<void>;
}

/** A daemon-side fsutil receiver: validates order like fsutil, requests files, checks data, sends FIN. */
async function fakeDaemon(stream: PacketStream, options: DaemonOptions = {}): Promise<DaemonResult> {
  const validator = new WalkOrderValidator();
  const stats: Stat[] = [];
  const contents = new Map<string, Buffer>();
  const chunkSizes = new Map<string, number[]>();
  const partial = new Map<number, Buffer[]>();
  const errors: string[] = [];
  let requested = 0;
  let completed = 0;
  let statsDone = false;
  let gotFin = false;
  let finSent = false;
  let maxFilesInFlight = 0;
  const inFlight = new Set<number>();
  const want = options.want ?? (() => true);

  const request = async (id: number): Promise<void> => {
    requested++;
    partial.set(id, []);
    await stream.write(reqPacket(id));
  };

  try {
    for await (const p of stream) {
      if (p.type === PacketType.STAT && p.stat !== undefined) {
        validator.check(p.stat.path, (p.stat.mode & GoFileMode.dir) !== 0);
        const id = stats.length;
        stats.push(p.stat);
        if (options.early === true && isRegularGoMode(p.stat.mode) && p.stat.linkname === '' && want(p.stat)) await request(id);
      } else if (p.type === PacketType.STAT) {
        statsDone = true;
        if (options.hangUp === true) {
          await stream.end();
          continue;
        }
        if (options.early !== true) {
          for (const [id, s] of stats.entries()) {
            if (isRegularGoMode(s.mode) && s.linkname === '' && want(s)) await request(id);
          }
        }
        await options.afterTerminator?.(stream, stats);
      } else if (p.type === PacketType.DATA) {
        const chunks = partial.get(p.id);
        if (chunks === undefined) throw new Error(`unrequested data for ${p.id}`);
        const path = stats[p.id]?.path ?? '?';
        if (p.data.length === 0) {
          contents.set(path, Buffer.concat(chunks));
          partial.delete(p.id);
          inFlight.delete(p.id);
          completed++;
        } else {
          if (chunks.length === 0) await options.onFirstData?.(path);
          chunks.push(Buffer.from(p.data));
          const sizes = chunkSizes.get(path) ?? [];
          sizes.push(p.data.length);
          chunkSizes.set(path, sizes);
          inFlight.add(p.id);
          maxFilesInFlight = Math.max(maxFilesInFlight, inFlight.size);
        }
      } else if (p.type === PacketType.FIN) {
        gotFin = true;
        break;
      } else if (p.type === PacketType.ERR) {
        errors.push(Buffer.from(p.data).toString('utf8'));
      }
      if (statsDone && !finSent && completed === requested && options.hangUp !== true && options.afterTerminator === undefined) {
        finSent = true;
        await stream.write(finPacket());
      }
    }
  } catch (err) {
    errors.push(`stream failed: ${(err as Error).message}`);
  }
  return { stats, contents, chunkSizes, gotFin, errors, maxFilesInFlight };
}

describe('serveDiffCopy', () => {
  it('sends every entry in walk order, then only the files the daemon asks for', async () => {
    const { left, right } = createMemoryPacketPipe();
    const requestedPaths: string[] = [];
    const progress: DiffCopyCounters[] = [];
    const want = (s: Stat): boolean => s.path.endsWith('0.ts') || s.path === 'README.md';
    const [counters, daemon] = await Promise.all([
      serveDiffCopy(left, { path: root }, { onFileRequested: (p) => requestedPaths.push(p), onProgress: (c) => progress.push(c) }),
      fakeDaemon(right, { want }),
    ]);
    expect(daemon.errors).toEqual([]);
    expect(daemon.gotFin).toBe(true);
    expect(daemon.stats.map((s) => s.path)).toEqual([
      'README.md',
      'big.bin',
      'empty-dir',
      'empty.txt',
      'readme-link',
      'src',
      'src/lib',
      ...[...Array(20).keys()].map((i) => `src/lib/m${String(i).padStart(2, '0')}.ts`),
    ]);
    expect([...daemon.contents.keys()].sort()).toEqual(['README.md', 'src/lib/m00.ts', 'src/lib/m10.ts']);
    for (const [p, content] of daemon.contents) expect(content.equals(files.get(p) ?? Buffer.alloc(1))).toBe(true);
    expect(requestedPaths.sort()).toEqual(['README.md', 'src/lib/m00.ts', 'src/lib/m10.ts']);
    const expectedBytes = [...daemon.contents.values()].reduce((n, b) => n + b.length, 0);
    expect(counters).toEqual({ entriesSent: 27, filesRequested: 3, filesSent: 3, bytesSent: expectedBytes });
    expect(progress.at(-1)).toEqual(counters);
  });

  it('serves the requested files of a directory given through a symlink and a relative path with ..', async () => {
    const link = join(base, 'ctx-link');
    await symlink(root, link);
    const given = relative(process.cwd(), join(base, 'ctx', '..', 'ctx-link'));
    const requestedPaths: string[] = [];
    const { left, right } = createMemoryPacketPipe();
    const [counters, daemon] = await Promise.all([
      serveDiffCopy(left, { path: given }, { onFileRequested: (p) => requestedPaths.push(p) }),
      fakeDaemon(right),
    ]);
    expect(daemon.errors).toEqual([]);
    expect(daemon.contents.size).toBe(files.size);
    for (const [p, content] of files) expect(daemon.contents.get(p)?.equals(content), p).toBe(true);
    expect(requestedPaths.sort()).toEqual([...files.keys()].sort());
    expect(counters.filesSent).toBe(files.size);
  });

  it('serves files of nested directories with non-ASCII names, and of directories entered only for a re-included file', async () => {
    const dir = join(base, 'nested');
    const put = async (p: string, content: string): Promise<void> => {
      await mkdir(join(dir, p, '..'), { recursive: true });
      await writeFile(join(dir, p), content);
    };
    await put('a/b/c/deep.txt', 'deep');
    await put('a/b/sibling.txt', 'sibling');
    await put('a/zz.txt', 'after the subtree');
    await put('ünïcode/日本/ファイル.txt', 'wide');
    await put('ünïcode/😀.md', 'emoji');
    await put('skipped/kept/k.txt', 'kept');
    await put('skipped/other.txt', 'left out');
    const requestedPaths: string[] = [];
    const { left, right } = createMemoryPacketPipe();
    const [counters, daemon] = await Promise.all([
      serveDiffCopy(left, { path: dir, excludePatterns: ['skipped', '!skipped/kept/k.txt'] }, { onFileRequested: (p) => requestedPaths.push(p) }),
      fakeDaemon(right),
    ]);
    expect(daemon.errors).toEqual([]);
    const expected = {
      'a/b/c/deep.txt': 'deep',
      'a/b/sibling.txt': 'sibling',
      'a/zz.txt': 'after the subtree',
      'skipped/kept/k.txt': 'kept',
      'ünïcode/日本/ファイル.txt': 'wide',
      'ünïcode/😀.md': 'emoji',
    };
    expect(Object.fromEntries([...daemon.contents].map(([p, c]) => [p, c.toString('utf8')]))).toEqual(expected);
    expect(requestedPaths.sort()).toEqual(Object.keys(expected).sort());
    expect(counters.filesSent).toBe(6);
  });

  it('answers requests that arrive while entries are still being sent', async () => {
    const { left, right } = createMemoryPacketPipe({ highWaterMark: 64 });
    const [counters, daemon] = await Promise.all([serveDiffCopy(left, { path: root }), fakeDaemon(right, { early: true })]);
    expect(daemon.errors).toEqual([]);
    expect(daemon.contents.size).toBe(files.size);
    for (const [p, content] of files) expect(daemon.contents.get(p)?.equals(content), p).toBe(true);
    expect(counters.filesSent).toBe(files.size);
  });

  it('sends content in 32 KiB chunks followed by an empty end-of-file chunk; empty files get just the end', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [, daemon] = await Promise.all([
      serveDiffCopy(left, { path: root }),
      fakeDaemon(right, { want: (s) => s.path === 'big.bin' || s.path === 'empty.txt' }),
    ]);
    expect(daemon.chunkSizes.get('big.bin')).toEqual([32768, 32768, 32768, 4097]);
    expect(daemon.contents.get('big.bin')?.length).toBe(100 * 1024 + 1);
    expect(daemon.chunkSizes.get('empty.txt')).toBeUndefined();
    expect(daemon.contents.get('empty.txt')?.length).toBe(0);
  });

  it('reads a bounded number of files at a time', async () => {
    const { left, right } = createMemoryPacketPipe({ highWaterMark: 1024 });
    const [, daemon] = await Promise.all([serveDiffCopy(left, { path: root }, { concurrency: 2, chunkSize: 4 }), fakeDaemon(right, { want: (s) => s.path !== 'big.bin' })]);
    expect(daemon.errors).toEqual([]);
    expect(daemon.maxFilesInFlight).toBeGreaterThan(0);
    expect(daemon.maxFilesInFlight).toBeLessThanOrEqual(2);
  });

  it('applies the directory filters', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [counters, daemon] = await Promise.all([
      serveDiffCopy(left, { path: root, excludePatterns: ['src', '!src/lib/m01.ts'], includePatterns: ['src', 'README.md'] }),
      fakeDaemon(right),
    ]);
    expect(daemon.stats.map((s) => s.path)).toEqual(['README.md', 'src', 'src/lib', 'src/lib/m01.ts']);
    expect(counters.filesSent).toBe(2);
  });

  it('does not run ahead of a daemon that is not reading', async () => {
    let written = 0;
    const { left, right } = createMemoryPacketPipe({ highWaterMark: 256, onWire: (from) => (from === 'left' ? written++ : 0) });
    const sending = serveDiffCopy(left, { path: root });
    await sleep(50);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(10);
    const [, daemon] = await Promise.all([sending, fakeDaemon(right)]);
    expect(daemon.errors).toEqual([]);
  });

  it('rejects a request for an id that is not an offered file, and tells the daemon', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [result, daemon] = await Promise.all([
      serveDiffCopy(left, { path: root }).catch((e: unknown) => e),
      fakeDaemon(right, {
        want: () => false,
        afterTerminator: async (s, stats) => s.write(reqPacket(stats.findIndex((x) => x.path === 'src'))),
      }),
    ]);
    expect(KilnError.is(result, 'protocol')).toBe(true);
    expect((result as Error).message).toMatch(/requested file id 5, which is not a file offered/);
    expect(daemon.errors[0]).toMatch(/requested file id 5/);
  });

  it('rejects a second request for the same file', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [result] = await Promise.all([
      serveDiffCopy(left, { path: root }).catch((e: unknown) => e),
      fakeDaemon(right, {
        want: (s) => s.path === 'README.md',
        afterTerminator: async (s) => s.write(reqPacket(0)),
      }),
    ]);
    expect(KilnError.is(result, 'protocol')).toBe(true);
    expect((result as Error).message).toContain('already requested');
  });

  it('fails with the daemon’s message when the daemon sends ERR', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [result] = await Promise.all([
      serveDiffCopy(left, { path: root }).catch((e: unknown) => e),
      fakeDaemon(right, { want: () => false, afterTerminator: async (s) => s.write(errPacket('disk full on the daemon')) }),
    ]);
    expect(KilnError.is(result, 'protocol')).toBe(true);
    expect((result as Error).message).toContain('disk full on the daemon');
  });

  it('fails as cancelled when the daemon hangs up before FIN', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [result] = await Promise.all([serveDiffCopy(left, { path: root }).catch((e: unknown) => e), fakeDaemon(right, { hangUp: true })]);
    expect(KilnError.is(result, 'cancelled')).toBe(true);
  });

  it('fails with an io error naming a requested file that can no longer be read', async () => {
    const dir = join(base, 'vanishing');
    await mkdir(dir);
    await writeFile(join(dir, 'a'), 'a');
    await writeFile(join(dir, 'gone'), 'soon gone');
    const { left, right } = createMemoryPacketPipe();
    const [result, daemon] = await Promise.all([
      serveDiffCopy(left, { path: dir }).catch((e: unknown) => e),
      fakeDaemon(right, {
        want: () => false,
        afterTerminator: async (s) => {
          await unlink(join(dir, 'gone'));
          await s.write(reqPacket(1));
        },
      }),
    ]);
    expect(KilnError.is(result, 'io')).toBe(true);
    expect((result as Error).message).toContain(join(dir, 'gone'));
    expect(daemon.errors[0]).toContain(join(dir, 'gone'));
  });

  describe('a file written to while it is sent (a checkpoint still being saved)', () => {
    /** A 1 MiB file with an old mtime, so a write in the same clock tick as the sender's open still shows. */
    const checkpoint = async (name: string): Promise<{ dir: string; file: string }> => {
      const dir = join(base, name);
      await mkdir(dir);
      const file = join(dir, 'model.bin');
      await writeFile(file, Buffer.alloc(1024 * 1024, 7));
      await utimes(file, 1_000_000, 1_000_000);
      return { dir, file };
    };
    const sendWhile = async (dir: string, write: () => Promise<void>): Promise<{ result: unknown; daemon: DaemonResult }> => {
      // A pipe that holds almost nothing: the sender is still reading the file when the first chunk arrives, and waits
      // while `write` runs (the daemon reads nothing meanwhile).
      const { left, right } = createMemoryPacketPipe({ highWaterMark: 16 });
      const [result, daemon] = await Promise.all([
        serveDiffCopy(left, { path: dir }).catch((e: unknown) => e),
        fakeDaemon(right, { onFirstData: write }),
      ]);
      return { result, daemon };
    };

    it('fails with an io error naming the file when it grows, and tells the daemon', async () => {
      const { dir, file } = await checkpoint('growing');
      const { result, daemon } = await sendWhile(dir, () => appendFile(file, Buffer.alloc(4096, 1)));
      expect(KilnError.is(result, 'io')).toBe(true);
      expect((result as KilnError).message).toBe(
        `${file} changed while it was being sent to the daemon (its size went from 1048576 to 1052672 bytes); the build stopped rather than copy a torn file`,
      );
      expect((result as KilnError).details).toMatchObject({ path: file });
      expect(daemon.errors[0]).toContain(`${file} changed while it was being sent`);
      expect(daemon.contents.has('model.bin')).toBe(false);
    });

    it('fails when it shrinks', async () => {
      const { dir, file } = await checkpoint('shrinking');
      const { result, daemon } = await sendWhile(dir, () => truncate(file, 1000));
      expect(KilnError.is(result, 'io')).toBe(true);
      expect((result as Error).message).toContain('its size went from 1048576 to 1000 bytes');
      expect(daemon.contents.has('model.bin')).toBe(false);
    });

    it('fails when it is written to in place, its size unchanged', async () => {
      const { dir, file } = await checkpoint('rewritten');
      const { result, daemon } = await sendWhile(dir, async () => {
        const handle = await open(file, 'r+');
        await handle.write(Buffer.alloc(4096, 9), 0, 4096, 0);
        await handle.close();
      });
      expect(KilnError.is(result, 'io')).toBe(true);
      expect((result as Error).message).toContain(`${file} changed while it was being sent to the daemon (it was written to)`);
      expect(daemon.contents.has('model.bin')).toBe(false);
    });

    // A multi-GB checkpoint still being saved: the build fails a few MiB into it, not after all of it went over.
    for (const [what, write] of [
      ['grows', (file: string) => appendFile(file, Buffer.alloc(4096, 1))],
      ['is written to in place', async (file: string) => {
        const handle = await open(file, 'r+');
        await handle.write(Buffer.alloc(4096, 9), 0, 4096, 0);
        await handle.close();
      }],
    ] as const) {
      it(`stops sending a large file soon after it ${what}, long before its end`, async () => {
        const dir = join(base, `large-${what.replaceAll(' ', '-')}`);
        await mkdir(dir);
        const file = join(dir, 'model.bin');
        const size = 48 * 1024 * 1024;
        await writeFile(file, Buffer.alloc(size, 7));
        await utimes(file, 1_000_000, 1_000_000);
        const { result, daemon } = await sendWhile(dir, () => write(file));
        expect(KilnError.is(result, 'io')).toBe(true);
        expect((result as Error).message).toContain(`${file} changed while it was being sent to the daemon`);
        expect(daemon.errors[0]).toContain(`${file} changed while it was being sent`);
        const received = (daemon.chunkSizes.get('model.bin') ?? []).reduce((a, b) => a + b, 0);
        expect(received).toBeGreaterThan(0);
        expect(received).toBeLessThan(size / 2);
      });
    }

    // Its ctime moves, its content does not: kiln has sent one whole version, as an image built a moment earlier or
    // later would hold. The writer waits past the clock tick of the sender's open, so the ctime really moved.
    const metadataChanges: ReadonlyArray<readonly [string, (file: string) => Promise<void>]> = [
      ['hard-linked elsewhere (a pnpm store, a cp -al backup)', (file) => link(file, `${file}.link`)],
      ['made executable', (file) => chmod(file, 0o755)],
      ['replaced by a new version saved atomically (written aside, renamed over it)', async (file) => {
        await writeFile(`${file}.tmp`, Buffer.alloc(2048, 8));
        await rename(`${file}.tmp`, file);
      }],
    ];
    for (const [what, change] of metadataChanges) {
      it(`sends the version it opened of a file ${what} meanwhile`, async () => {
        const { dir, file } = await checkpoint(`meta-${metadataChanges.findIndex(([w]) => w === what)}`);
        const { result, daemon } = await sendWhile(dir, async () => {
          await sleep(20);
          await change(file);
        });
        expect(KilnError.is(result)).toBe(false);
        expect(daemon.contents.get('model.bin')?.equals(Buffer.alloc(1024 * 1024, 7))).toBe(true);
      });
    }

    it('sends a file that was only read meanwhile', async () => {
      const { dir, file } = await checkpoint('read-only');
      const { result, daemon } = await sendWhile(dir, async () => {
        await readFile(file);
      });
      expect(KilnError.is(result)).toBe(false);
      expect(daemon.contents.get('model.bin')?.equals(Buffer.alloc(1024 * 1024, 7))).toBe(true);
    });
  });

  // Real files of Linux's procfs and sysfs: their sizes say nothing of their content.
  describe('a file whose size is not its content', () => {
    it('sends all of a file that stats as 0 bytes but holds more (procfs, some FUSE mounts), as Docker does', async () => {
      const file = '/proc/sys/kernel/ostype';
      const { left, right } = createMemoryPacketPipe();
      const [result, daemon] = await Promise.all([
        serveDiffCopy(left, { path: '/proc/sys/kernel', includePatterns: ['ostype'] }).catch((e: unknown) => e),
        fakeDaemon(right),
      ]);
      expect(KilnError.is(result)).toBe(false);
      expect(daemon.stats.find((s) => s.path === 'ostype')?.size).toBe(0n);
      expect(daemon.contents.get('ostype')?.toString('utf8')).toBe(await readFile(file, 'utf8'));
      expect(daemon.contents.get('ostype')?.length).toBeGreaterThan(0);
    });

    it('fails, naming the bytes read, for a file that ends before its size (sysfs, some FUSE mounts)', async () => {
      const file = '/sys/devices/system/cpu/online';
      const content = await readFile(file);
      const { left, right } = createMemoryPacketPipe();
      const [result, daemon] = await Promise.all([
        serveDiffCopy(left, { path: '/sys/devices/system/cpu', includePatterns: ['online'] }).catch((e: unknown) => e),
        fakeDaemon(right),
      ]);
      const size = Number(daemon.stats.find((s) => s.path === 'online')?.size ?? 0n);
      expect(size).toBeGreaterThan(content.length);
      expect(KilnError.is(result, 'io')).toBe(true);
      expect((result as KilnError).message).toBe(
        `${file} ended after ${content.length} of its ${size} bytes (its size and modification time did not change); the build stopped rather than copy a file that may be cut short`,
      );
      expect((result as KilnError).details).toMatchObject({ path: file });
      expect(daemon.errors[0]).toContain(`${file} ended after ${content.length} of its ${size} bytes`);
      expect(daemon.contents.has('online')).toBe(false);
    });
  });

  it('fails with not_found for a missing directory and tells the daemon', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [result, daemon] = await Promise.all([
      serveDiffCopy(left, { path: join(base, 'missing') }).catch((e: unknown) => e),
      fakeDaemon(right),
    ]);
    expect(KilnError.is(result, 'not_found')).toBe(true);
    expect(daemon.errors[0]).toContain('does not exist');
  });

  it('stops with a cancelled error when its signal fires', async () => {
    const { left, right } = createMemoryPacketPipe({ highWaterMark: 16 });
    const ac = new AbortController();
    const sending = serveDiffCopy(left, { path: root }, { signal: ac.signal }).catch((e: unknown) => e);
    await sleep(10);
    ac.abort();
    const [result, daemon] = await Promise.all([sending, fakeDaemon(right)]);
    expect(KilnError.is(result, 'cancelled')).toBe(true);
    expect(daemon.gotFin).toBe(false);
    expect(daemon.errors.some((e) => e.includes('cancelled'))).toBe(true);
  });
});
