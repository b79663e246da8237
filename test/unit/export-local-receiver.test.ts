import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import {
  createLocalExportStaging,
  receiveLocalExport,
  type LocalExportWarning,
} from '../../src/session/local-export-receiver.js';
import {
  createStat,
  dataPacket,
  errPacket,
  finPacket,
  GoFileMode,
  PacketType,
  reqPacket,
  statPacket,
  terminatorPacket,
  type Stat,
} from '../../src/session/fsutil-packet.js';
import { createMemoryPacketPipe, type PacketStream } from '../../src/session/packet-stream.js';

const T0 = 1_600_000_000_000_000_000n;

interface Entry {
  readonly stat: Stat;
  readonly content?: Buffer;
}

const dir = (path: string, mode = 0o755, modTime = T0): Entry => ({
  stat: createStat({ path, mode: (GoFileMode.dir | mode) >>> 0, modTime }),
});
const file = (path: string, content: string | Buffer, mode = 0o644, modTime = T0): Entry => {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { stat: createStat({ path, mode, size: BigInt(buf.length), modTime }), content: buf };
};
const sym = (path: string, target: string): Entry => ({
  stat: createStat({ path, mode: GoFileMode.symlink | 0o777, size: BigInt(Buffer.byteLength(target)), linkname: target, modTime: T0 }),
});
const hard = (path: string, target: string): Entry => ({ stat: createStat({ path, mode: 0o644, linkname: target, modTime: T0 }) });
const fifo = (path: string): Entry => ({ stat: createStat({ path, mode: GoFileMode.namedPipe | 0o640, modTime: T0 }) });
const chardev = (path: string): Entry => ({
  stat: createStat({ path, mode: GoFileMode.device | GoFileMode.charDevice | 0o666, devmajor: 1n, devminor: 3n, modTime: T0 }),
});

interface SenderScript {
  /** Sent after the stats (before the terminator unless `noTerminator`). */
  readonly afterStats?: (s: PacketStream) => Promise<void>;
  readonly noTerminator?: boolean;
  /** Replace the chunks sent for an id. */
  readonly chunksFor?: (id: number, entry: Entry) => Buffer[];
  /** Answer the receiver's FIN by cancelling the stream instead of sending FIN. */
  readonly cancelAfterFin?: boolean;
  /** Wait for this before answering any request. */
  readonly gate?: Promise<void>;
}

interface SenderResult {
  readonly errors: string[];
  readonly requests: number[];
  readonly gotFin: boolean;
  readonly maxOutstanding: number;
}

/** A daemon acting as the fsutil sender of a `local` export; it does exactly what the script says. */
async function fakeExporter(stream: PacketStream, entries: readonly Entry[], script: SenderScript = {}): Promise<SenderResult> {
  const errors: string[] = [];
  const requests: number[] = [];
  let gotFin = false;
  let outstanding = 0;
  let maxOutstanding = 0;
  const send = async (): Promise<void> => {
    for (const e of entries) await stream.write(statPacket(e.stat));
    await script.afterStats?.(stream);
    if (script.noTerminator !== true) await stream.write(terminatorPacket());
  };
  const sending = send().catch((err: unknown) => errors.push(`send failed: ${(err as Error).message}`));
  try {
    for await (const p of stream) {
      if (p.type === PacketType.REQ) {
        requests.push(p.id);
        outstanding++;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        await script.gate;
        const entry = entries[p.id];
        if (entry === undefined) continue;
        const chunks = script.chunksFor?.(p.id, entry) ?? [entry.content ?? Buffer.alloc(0)];
        try {
          for (const c of chunks) if (c.length > 0) await stream.write(dataPacket(p.id, c));
          await stream.write(dataPacket(p.id));
        } catch (err) {
          // The receiver may already have given up; keep reading to see what it says.
          errors.push(`write failed: ${(err as Error).message}`);
        }
        outstanding--;
      } else if (p.type === PacketType.FIN) {
        gotFin = true;
        if (script.cancelAfterFin === true) {
          stream.abort(new KilnError('cancelled', 'context canceled'));
        } else {
          await stream.write(finPacket());
          await stream.end();
        }
        break;
      } else if (p.type === PacketType.ERR) {
        errors.push(Buffer.from(p.data).toString('utf8'));
      }
    }
  } catch (err) {
    errors.push(`stream failed: ${(err as Error).message}`);
  }
  await sending;
  return { errors, requests, gotFin, maxOutstanding };
}

let base = '';
let parent = '';
let dest = '';
let outside = '';

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'kiln-export-'));
  parent = join(base, 'out');
  dest = join(parent, 'dest');
  outside = join(base, 'outside');
  await mkdir(dest, { recursive: true });
  await mkdir(outside);
  await writeFile(join(dest, 'old.txt'), 'previous export');
  await chmod(dest, 0o750);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function expectUntouched(): Promise<void> {
  expect(await readdir(parent)).toEqual(['dest']);
  expect(await readdir(dest)).toEqual(['old.txt']);
  expect(await readFile(join(dest, 'old.txt'), 'utf8')).toBe('previous export');
  expect(await readdir(outside)).toEqual([]);
}

async function run(entries: readonly Entry[], script: SenderScript = {}, platform?: NodeJS.Platform) {
  const { left, right } = createMemoryPacketPipe();
  const warnings: LocalExportWarning[] = [];
  const [result, daemon] = await Promise.all([
    receiveLocalExport(right, dest, { onWarning: (w) => warnings.push(w), ...(platform === undefined ? {} : { platform }) }).catch((e: unknown) => e),
    fakeExporter(left, entries, script),
  ]);
  return { result, daemon, warnings };
}

describe('receiveLocalExport', () => {
  it('writes the export into the destination, keeping what was there under other names', async () => {
    const big = Buffer.alloc(70_000, 7);
    const entries: Entry[] = [
      file('.hidden', 'h'),
      file('big.bin', big),
      dir('bin'),
      file('bin/suid', 'x', (GoFileMode.setuid | 0o755) >>> 0),
      file('bin/tool', '#!/bin/sh\necho hi\n', 0o755),
      file('empty', ''),
      dir('etc', 0o755, T0 + 123_456_789n),
      sym('etc/abs-link', '/etc/passwd'),
      sym('etc/rel-link', '../bin/tool'),
      fifo('pipe'),
      dir('ro', 0o555),
      file('ro/readonly.txt', 'r', 0o444),
      hard('tool-again', 'bin/tool'),
      chardev('tty'),
      file('z', 'last'),
      file('é', 'utf-8 sorts after z'),
    ];
    const { result, daemon, warnings } = await run(entries);
    expect(result).toEqual({ entries: 16, files: 8, bytes: 70_000 + 44 });
    expect(daemon.errors).toEqual([]);
    expect(daemon.gotFin).toBe(true);
    expect(daemon.requests.sort((a, b) => a - b)).toEqual([0, 1, 3, 4, 5, 11, 14, 15]);
    expect(await readdir(parent)).toEqual(['dest']);
    expect((await readdir(dest)).sort()).toEqual(
      ['.hidden', 'big.bin', 'bin', 'empty', 'etc', 'old.txt', 'pipe', 'ro', 'tool-again', 'z', 'é'].sort(),
    );
    expect(await readFile(join(dest, 'old.txt'), 'utf8')).toBe('previous export');
    expect((await stat(dest)).mode & 0o7777).toBe(0o750);
    expect((await readFile(join(dest, 'big.bin'))).equals(big)).toBe(true);
    expect((await stat(join(dest, 'bin/tool'))).mode & 0o7777).toBe(0o755);
    expect((await stat(join(dest, 'bin/suid'))).mode & 0o7777).toBe(0o4755);
    expect((await stat(join(dest, 'ro'))).mode & 0o7777).toBe(0o555);
    expect((await stat(join(dest, 'ro/readonly.txt'))).mode & 0o7777).toBe(0o444);
    expect(await readlink(join(dest, 'etc/abs-link'))).toBe('/etc/passwd');
    expect(await readlink(join(dest, 'etc/rel-link'))).toBe('../bin/tool');
    expect((await lstat(join(dest, 'pipe'))).isFIFO()).toBe(true);
    expect((await lstat(join(dest, 'tool-again'))).ino).toBe((await lstat(join(dest, 'bin/tool'))).ino);
    expect(await readFile(join(dest, 'empty'), 'utf8')).toBe('');
    const mt = async (p: string): Promise<bigint> => (await lstat(join(dest, p), { bigint: true })).mtimeNs;
    expect(await mt('z')).toBe(T0);
    expect(await mt('bin')).toBe(T0);
    expect(await mt('etc/abs-link')).toBe(T0);
    // Node 20 and 22 apply times with microsecond precision (the nanosecond digits are dropped); Node 24 keeps the
    // nanoseconds of the nearest double in that microsecond (utime-seconds.ts). Nothing else changes.
    expect([T0 + 123_456_000n, T0 + 123_456_716n]).toContain(await mt('etc'));
    expect(warnings).toEqual([{ path: 'tty', message: expect.stringContaining('device node not created') as string }]);
  });

  it('links a hardlink that arrives after its target was written (small and large files), as the Go sender interleaves them', async () => {
    const large = file('a-large', Buffer.alloc(200_000, 3), 0o600);
    const small = file('b-small', 'tiny content');
    const entries = [large, small];
    const { left, right } = createMemoryPacketPipe();
    const receiving = receiveLocalExport(right, dest);
    // The daemon's side: both stats, each file's data when asked, and only after both are complete, the hardlinks.
    for (const e of entries) await left.write(statPacket(e.stat));
    let answered = 0;
    for await (const p of left) {
      if (p.type === PacketType.REQ) {
        const e = entries[p.id] as Entry;
        await left.write(dataPacket(p.id, e.content));
        await left.write(dataPacket(p.id));
        if (++answered === 2) {
          await left.write(statPacket(hard('c-large-again', 'a-large').stat));
          await left.write(statPacket(hard('d-small-again', 'b-small').stat));
          await left.write(terminatorPacket());
        }
      } else if (p.type === PacketType.FIN) {
        await left.write(finPacket());
        await left.end();
        break;
      }
    }
    expect(await receiving).toEqual({ entries: 4, files: 2, bytes: 12 + 200_000 });
    expect(await readFile(join(dest, 'd-small-again'), 'utf8')).toBe('tiny content');
    expect((await stat(join(dest, 'd-small-again'))).ino).toBe((await stat(join(dest, 'b-small'))).ino);
    expect((await stat(join(dest, 'c-large-again'))).ino).toBe((await stat(join(dest, 'a-large'))).ino);
    expect((await stat(join(dest, 'c-large-again'))).mode & 0o777).toBe(0o600);
  });

  it('links a hardlink that arrives while its large target is half written, and later links once it is done', async () => {
    const large = file('a-large', Buffer.alloc(300_000, 5), 0o640);
    const { left, right } = createMemoryPacketPipe();
    const receiving = receiveLocalExport(right, dest);
    await left.write(statPacket(large.stat));
    for await (const p of left) {
      if (p.type === PacketType.REQ) {
        await left.write(dataPacket(p.id, (large.content as Buffer).subarray(0, 100_000)));
        await left.write(statPacket(hard('b-during', 'a-large').stat));
        await left.write(dataPacket(p.id, (large.content as Buffer).subarray(100_000)));
        await left.write(dataPacket(p.id));
        // Long after the file was finished: a link made from its path alone.
        await left.write(statPacket(hard('c-after', 'a-large').stat));
        await left.write(statPacket(hard('d-after-link', 'b-during').stat));
        await left.write(terminatorPacket());
      } else if (p.type === PacketType.FIN) {
        await left.write(finPacket());
        await left.end();
        break;
      }
    }
    expect(await receiving).toEqual({ entries: 4, files: 1, bytes: 300_000 });
    const ino = (await stat(join(dest, 'a-large'))).ino;
    for (const name of ['b-during', 'c-after', 'd-after-link']) {
      expect((await stat(join(dest, name))).ino).toBe(ino);
      expect((await readFile(join(dest, name))).equals(large.content as Buffer)).toBe(true);
    }
    expect((await stat(join(dest, 'a-large'))).mode & 0o777).toBe(0o640);
  });

  it('treats a cancelled stream after its FIN as success', async () => {
    const { result, daemon } = await run([file('a', 'x')], { cancelAfterFin: true });
    expect(result).toEqual({ entries: 1, files: 1, bytes: 1 });
    expect(daemon.gotFin).toBe(true);
    expect((await readdir(dest)).sort()).toEqual(['a', 'old.txt']);
  });

  it('creates a missing destination (and its parents)', async () => {
    dest = join(parent, 'new', 'deeper');
    const { result } = await run([dir('d'), file('d/f', 'content')]);
    expect(result).toEqual({ entries: 2, files: 1, bytes: 7 });
    expect(await readFile(join(dest, 'd/f'), 'utf8')).toBe('content');
    expect(await readdir(join(parent, 'new'))).toEqual(['deeper']);
  });

  it('writes into the directory a destination symlink points at, keeping the link', async () => {
    const real = join(base, 'real-dest');
    await mkdir(real);
    await writeFile(join(real, 'stale'), 's');
    const link = join(base, 'dest-link');
    await symlink(real, link);
    dest = link;
    const { result } = await run([file('fresh', 'f')]);
    expect(result).toMatchObject({ files: 1 });
    expect(await readlink(link)).toBe(real);
    expect((await readdir(real)).sort()).toEqual(['fresh', 'stale']);
  });

  it('merges into a destination with content: same names replaced, directories merged, links not followed', async () => {
    // What a user has there: a project next to an earlier export.
    await mkdir(join(dest, 'etc'), { mode: 0o700 });
    await writeFile(join(dest, 'etc', 'mine.conf'), 'kept');
    await writeFile(join(dest, 'etc', 'hostname'), 'old');
    await writeFile(join(dest, 'was-a-file'), 'f');
    await symlink(outside, join(dest, 'link-to-outside'));
    const { result } = await run([
      dir('etc', 0o755),
      file('etc/hostname', 'new'),
      dir('link-to-outside'),
      file('link-to-outside/f', 'inside'),
      dir('ro', 0o555),
      file('ro/r', 'r', 0o444),
      dir('was-a-file'),
      file('was-a-file/y', 'y'),
    ]);
    expect(result).toMatchObject({ files: 4 });
    expect((await readdir(parent)).sort()).toEqual(['dest']);
    expect((await readdir(dest)).sort()).toEqual(['etc', 'link-to-outside', 'old.txt', 'ro', 'was-a-file']);
    expect(await readFile(join(dest, 'old.txt'), 'utf8')).toBe('previous export');
    expect(await readFile(join(dest, 'etc/mine.conf'), 'utf8')).toBe('kept');
    expect(await readFile(join(dest, 'etc/hostname'), 'utf8')).toBe('new');
    expect((await stat(join(dest, 'etc'))).mode & 0o7777).toBe(0o755);
    expect((await lstat(join(dest, 'link-to-outside'))).isDirectory()).toBe(true);
    expect(await readFile(join(dest, 'link-to-outside/f'), 'utf8')).toBe('inside');
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(join(dest, 'was-a-file/y'), 'utf8')).toBe('y');
    expect((await stat(join(dest, 'ro'))).mode & 0o7777).toBe(0o555);
    expect((await stat(dest)).mode & 0o7777).toBe(0o750);
  });

  it('refuses, changing nothing, to put a file or link where the destination has a directory (a Debian rootfs\'s bin link over a project\'s bin/)', async () => {
    await mkdir(join(dest, 'bin'));
    await writeFile(join(dest, 'bin', 'my-script'), 'mine');
    const { result } = await run([sym('bin', 'usr/bin'), dir('usr'), dir('usr/bin'), file('usr/bin/tool', 't')]);
    expect(KilnError.is(result, 'io')).toBe(true);
    expect((result as Error).message).toBe(`cannot write the export into ${dest}: it has a directory where the export has a file or link (bin); nothing was changed`);
    expect((await readdir(dest)).sort()).toEqual(['bin', 'old.txt']);
    expect(await readFile(join(dest, 'bin', 'my-script'), 'utf8')).toBe('mine');
    expect(await readdir(parent)).toEqual(['dest']);
  });

  it('writes into an empty destination directory, keeping the directory itself (a mount point, its owner and mode)', async () => {
    await rm(join(dest, 'old.txt'));
    const before = await stat(dest);
    const { result } = await run([file('a', 'x')]);
    expect(result).toMatchObject({ files: 1 });
    expect(await readdir(dest)).toEqual(['a']);
    const after = await stat(dest);
    expect(after.ino).toBe(before.ino);
    expect(after.mode & 0o7777).toBe(0o750);
    expect(await readdir(parent)).toEqual(['dest']);
  });

  it('stages an export to an existing directory inside it, never in its parent (which may be read-only, or another filesystem)', async () => {
    const { left, right } = createMemoryPacketPipe();
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const receiving = receiveLocalExport(right, dest);
    const exporting = fakeExporter(left, [dir('d'), file('d/f', 'data')], { gate });
    await new Promise((r) => setTimeout(r, 20));
    // Mid-export: nothing beside the destination, the staging directory is a hidden one inside it.
    expect(await readdir(parent)).toEqual(['dest']);
    const during = (await readdir(dest)).sort();
    expect(during).toHaveLength(2);
    expect(during[0]).toMatch(/^\.kiln-tmp-[0-9a-f]{12}$/);
    expect(during[1]).toBe('old.txt');
    open();
    await Promise.all([receiving, exporting]);
    expect((await readdir(dest)).sort()).toEqual(['d', 'old.txt']);
    expect(await readFile(join(dest, 'd/f'), 'utf8')).toBe('data');
    expect(await readdir(parent)).toEqual(['dest']);
  });

  it('keeps at most maxOutstandingRequests file requests open', async () => {
    const { left, right } = createMemoryPacketPipe();
    const entries = Array.from({ length: 30 }, (_, i) => file(`f${String(i).padStart(2, '0')}`, `content ${i}`));
    const [result, daemon] = await Promise.all([
      receiveLocalExport(right, dest, { maxOutstandingRequests: 2 }),
      fakeExporter(left, entries),
    ]);
    expect(result.files).toBe(30);
    expect(daemon.maxOutstanding).toBeLessThanOrEqual(2);
    expect(await readFile(join(dest, 'f29'), 'utf8')).toBe('content 29');
  });

  it('says so when a parent of the destination is a file', async () => {
    await writeFile(join(parent, 'a-file'), 'keep me');
    dest = join(parent, 'a-file', 'sub');
    const { result } = await run([file('x', 'x')]);
    expect(KilnError.is(result, 'io')).toBe(true);
    expect((result as Error).message).toBe(`cannot write the export to ${dest}: a parent of it is a file, not a directory`);
    expect(await readFile(join(parent, 'a-file'), 'utf8')).toBe('keep me');
  });

  it('fails when the destination is a file, before writing anything', async () => {
    const target = join(parent, 'a-file');
    await writeFile(target, 'keep me');
    dest = target;
    const { result, daemon } = await run([file('x', 'x')]);
    expect(KilnError.is(result, 'io')).toBe(true);
    expect((result as Error).message).toContain('exists and is not a directory');
    expect(daemon.errors[0]).toContain('exists and is not a directory');
    expect(await readFile(target, 'utf8')).toBe('keep me');
    expect((await readdir(parent)).sort()).toEqual(['a-file', 'dest']);
  });

  it('is cancelled by its signal and leaves the previous content', async () => {
    const { left, right } = createMemoryPacketPipe();
    const ac = new AbortController();
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const receiving = receiveLocalExport(right, dest, { signal: ac.signal }).catch((e: unknown) => e);
    const exporting = fakeExporter(left, [dir('d'), file('d/f', 'data')], { gate });
    await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    const result = await receiving;
    open();
    await exporting;
    expect(KilnError.is(result, 'cancelled')).toBe(true);
    await expectUntouched();
  });
});

describe('receiveLocalExport against a malicious daemon', () => {
  const cases: [string, Entry[], SenderScript, RegExp][] = [
    ['a path climbing out with ..', [file('../evil', 'x')], {}, /points outside the destination/],
    ['a nested path climbing out', [dir('a'), file('a/../../evil', 'x')], {}, /points outside the destination/],
    ['an absolute path', [file('/tmp/evil', 'x')], {}, /absolute path/],
    ['an empty path', [file('', 'x')], {}, /empty path/],
    ['a dot path', [dir('.')], {}, /not a clean relative path/],
    ['a non-clean path (./)', [dir('a'), file('a/./b', 'x')], {}, /not a clean relative path/],
    ['a non-clean path (//)', [dir('a'), file('a//b', 'x')], {}, /not a clean relative path/],
    ['a trailing slash', [dir('a/')], {}, /not a clean relative path/],
    ['a path with a NUL byte', [file('a\0b', 'x')], {}, /not a clean relative path/],
    ['an entry under a symlink', [sym('link', '/tmp'), file('link/x', 'x')], {}, /written through the symlink "link"/],
    ['an entry whose parent was never sent', [file('nodir/x', 'x')], {}, /inside "nodir", which this export did not create/],
    ['an entry inside a file', [file('f', 'x'), file('f/x', 'y')], {}, /inside "f", which is not a directory/],
    ['an entry inside a skipped device', [chardev('dev'), file('dev/x', 'y')], {}, /inside "dev", which is not a directory/],
    ['a hardlink to a path outside', [hard('h', '../../etc/passwd')], {}, /not a regular file received earlier/],
    ['a hardlink to an absolute path', [hard('h', '/etc/passwd')], {}, /not a regular file received earlier/],
    ['a hardlink to a symlink', [sym('l', '/etc/passwd'), hard('m', 'l')], {}, /not a regular file received earlier/],
    ['a hardlink to a directory', [dir('d'), hard('e', 'd')], {}, /not a regular file received earlier/],
    ['a hardlink to a later entry', [hard('a', 'b'), file('b', 'x')], {}, /not a regular file received earlier/],
    ['a duplicate path', [file('a', 'x'), file('a', 'y')], {}, /"a" was sent twice/],
    ['a duplicate directory', [dir('a'), dir('a')], {}, /"a" was sent twice/],
    ['entries out of order', [file('b', 'x'), file('a', 'y')], {}, /out of order/],
    ['names compared as UTF-16 instead of bytes', [file('é', 'x'), file('z', 'y')], {}, /out of order/],
    ['returning to a directory already left', [dir('a'), dir('b'), file('a/x', 'x')], {}, /out of order/],
    [
      'data for a file that was not requested',
      [dir('d'), file('f', 'x')],
      { afterStats: (s) => s.write(dataPacket(0, Buffer.from('sneaky'))) },
      /data for file id 0, which kiln did not request/,
    ],
    [
      'data for an unknown id',
      [file('f', 'x')],
      { afterStats: (s) => s.write(dataPacket(99, Buffer.from('sneaky'))) },
      /data for file id 99/,
    ],
    ['more data than announced', [file('f', 'abc')], { chunksFor: () => [Buffer.from('abc'), Buffer.from('de')] }, /more data for "f" than the 3 bytes/],
    ['less data than announced', [file('f', 'abcdefghij')], { chunksFor: () => [Buffer.from('abc')] }, /sent 3 bytes for "f", but its entry announced 10/],
    ['FIN before the files', [file('f', 'x')], { afterStats: (s) => s.write(finPacket()) }, /finished before sending every requested file/],
    ['a request from the daemon', [file('f', 'x')], { afterStats: (s) => s.write(reqPacket(0)) }, /requested a file/],
    ['a symlink without a target', [sym('l', '')], {}, /symlink "l" has no valid target/],
  ];

  it.each(cases)('rejects %s and leaves the destination untouched', async (_name, entries, script, message) => {
    const { result, daemon } = await run(entries, script);
    expect(KilnError.is(result, 'protocol'), String(result)).toBe(true);
    expect((result as Error).message).toMatch(message);
    expect((result as Error).message).toMatch(/^local export rejected: /);
    expect(daemon.gotFin).toBe(false);
    expect(daemon.errors.join('\n')).toMatch(message);
    await expectUntouched();
  });

  it('rejects entries sent after the end of the entry list', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [result] = await Promise.all([
      receiveLocalExport(right, dest).catch((e: unknown) => e),
      (async () => {
        await left.write(statPacket(dir('a').stat));
        await left.write(statPacket(file('a/f', 'x').stat));
        await left.write(terminatorPacket());
        await left.write(statPacket(file('b', 'x').stat));
        for await (const p of left) if (p.type === PacketType.ERR) break;
      })().catch(() => {}),
    ]);
    expect(KilnError.is(result, 'protocol')).toBe(true);
    expect((result as Error).message).toContain('after the end of the entry list');
    await expectUntouched();
  });

  it('names the destination path of a file it cannot write, not the staging directory (removed, never seen)', async () => {
    // A name longer than the filesystem holds: a real write failure of one file (ENAMETOOLONG), as a full disk is.
    const long = 'n'.repeat(300);
    for (const entries of [[dir('bin'), file(`bin/${long}`, 'data')], [dir('bin'), dir(`bin/${long}`)]]) {
      const { result, daemon } = await run(entries);
      expect(KilnError.is(result, 'io')).toBe(true);
      const err = result as KilnError;
      expect(err.message).toBe(`cannot create ${join(dest, 'bin', long)} (ENAMETOOLONG)`);
      expect(err.details).toEqual({ path: join(dest, 'bin', long) });
      expect(daemon.errors.join('\n')).not.toContain('kiln-tmp');
      await expectUntouched();
    }
  });

  it('reports the daemon’s own error message', async () => {
    const { result } = await run([file('f', 'x')], { afterStats: (s) => s.write(errPacket('failed to compute cache key')) });
    expect(KilnError.is(result, 'protocol')).toBe(true);
    expect((result as Error).message).toContain('failed to compute cache key');
    await expectUntouched();
  });

  it('fails as cancelled when the daemon ends the stream before the end of the entries', async () => {
    const { left, right } = createMemoryPacketPipe();
    const [result] = await Promise.all([
      receiveLocalExport(right, dest).catch((e: unknown) => e),
      (async () => {
        await left.write(statPacket(dir('a').stat));
        await left.end();
      })(),
    ]);
    expect(KilnError.is(result, 'cancelled')).toBe(true);
    await expectUntouched();
  });

  it('does not write through a symlink even when the daemon tries a hardlink into it', async () => {
    const { result } = await run([sym('l', outside), hard('l/x', 'l')]);
    expect(KilnError.is(result, 'protocol')).toBe(true);
    await expectUntouched();
  });
});

describe('receiveLocalExport onto a Windows disk', () => {
  const cases: [string, Entry[], RegExp][] = [
    // On Windows `a\\..\\..\\evil` is a path that climbs out of the destination; on Linux it is one name.
    ['a name with backslashes that would climb out', [file('a\\..\\..\\evil', 'x')], /"a\\\\\.\.\\\\\.\.\\\\evil".*contains "\\", which Windows reads as a path separator/],
    ['a backslash under a symlink', [sym('l', '/tmp'), file('l\\x', 'x')], /path separator/],
    ['a colon (an NTFS stream)', [file('a:b', 'x')], /contains ":", which Windows file names cannot hold \(a:b is the stream b of the file a there\)/],
    ['a device name', [dir('d'), file('d/con', 'x')], /"d\/con".*is a device name on Windows/],
    ['a device name with an extension', [file('NUL.txt', 'x')], /is a device name on Windows/],
    ['a trailing dot', [file('notes.', 'x')], /ends in a dot or a space/],
    ['a trailing space', [dir('dir ')], /ends in a dot or a space/],
    ['a question mark', [file('what?', 'x')], /contains "\?"/],
    ['a control character', [file('a\u0001b', 'x')], /control character U\+0001/],
    ['names differing only in case', [file('A.txt', 'x'), file('a.txt', 'y')], /"a.txt".*differs only in letter case from "A.txt"/],
    ['directories differing only in case', [dir('Src'), dir('src'), file('src/x', 'y')], /"src".*differs only in letter case from "Src"/],
  ];

  it.each(cases)('refuses %s, naming it, and changes nothing', async (_name, entries, message) => {
    const { result, daemon } = await run(entries, {}, 'win32');
    expect(KilnError.is(result, 'io'), String(result)).toBe(true);
    expect((result as Error).message).toMatch(/^cannot export ".*" to a Windows disk: /);
    expect((result as Error).message).toMatch(message);
    expect((result as KilnError).hint).toMatch(/type=tar/);
    expect(daemon.gotFin).toBe(false);
    await expectUntouched();
  });

  it('writes the names Windows can hold (dots and spaces inside, Unicode, con as part of a name)', async () => {
    const entries = [dir('a b'), file('a b/.env', 'x'), file('a b/café v1.0.txt', 'z'), file('a b/console.log', 'y')];
    const { result } = await run(entries, {}, 'win32');
    expect(result).toMatchObject({ files: 3 });
    expect((await readdir(join(dest, 'a b'))).sort()).toEqual(['.env', 'café v1.0.txt', 'console.log']);
  });

  it('keeps those names on other systems (Linux holds them all)', async () => {
    const { result } = await run([file('a:b', 'x'), file('a\\b', 'y'), file('con', 'z')]);
    expect(result).toMatchObject({ files: 3 });
    expect((await readdir(dest)).sort()).toEqual(['a:b', 'a\\b', 'con', 'old.txt']);
  });
});

describe('multi-platform local exports', () => {
  it('receives one stream per platform into the same destination and commits them together', async () => {
    const staging = await createLocalExportStaging(dest);
    const a = createMemoryPacketPipe();
    const b = createMemoryPacketPipe();
    const [ra, rb] = await Promise.all([
      staging.receive(a.right),
      staging.receive(b.right),
      fakeExporter(a.left, [dir('linux_amd64'), file('linux_amd64/bin', 'amd64')]),
      fakeExporter(b.left, [dir('linux_arm64'), file('linux_arm64/bin', 'arm64')]),
    ]);
    expect(ra).toEqual({ entries: 2, files: 1, bytes: 5 });
    expect(rb).toEqual({ entries: 2, files: 1, bytes: 5 });
    await staging.commit();
    expect((await readdir(dest)).sort()).toEqual(['linux_amd64', 'linux_arm64', 'old.txt']);
    expect(await readFile(join(dest, 'linux_arm64/bin'), 'utf8')).toBe('arm64');
    expect(await readdir(parent)).toEqual(['dest']);
  });

  it('several exports of this process committed at once into one directory all land, one after the other', async () => {
    const target = join(parent, 'shared');
    const receive = async (entries: readonly Entry[]) => {
      const staging = await createLocalExportStaging(target);
      const pipe = createMemoryPacketPipe();
      await Promise.all([staging.receive(pipe.right), fakeExporter(pipe.left, entries)]);
      return staging;
    };
    // A new directory: the first lands in one rename, the others are written into it, in the order they committed.
    const small = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => receive([file('id.txt', String(i)), file(`only-${i}`, 'x')])));
    await Promise.all(small.map((s) => s.commit()));
    expect((await readdir(target)).sort()).toEqual(['id.txt', 'only-0', 'only-1', 'only-2', 'only-3', 'only-4', 'only-5']);
    expect(await readFile(join(target, 'id.txt'), 'utf8')).toBe('5');
    // A long landing first (many files before its id.txt) and a short one after it: the short one waits its turn
    // instead of landing under the long one, whose id.txt would then be the one left.
    const many = Array.from({ length: 1500 }, (_, i) => file(`a${String(i).padStart(4, '0')}`, 'x'));
    const long = await receive([...many, file('id.txt', 'long')]);
    const short = await receive([file('id.txt', 'short')]);
    await Promise.all([long.commit(), short.commit()]);
    expect(await readFile(join(target, 'id.txt'), 'utf8')).toBe('short');
    expect((await readdir(parent)).sort()).toEqual(['dest', 'shared']);
  });

  it('refuses a stream that writes into another stream’s directory, and abort removes everything', async () => {
    const staging = await createLocalExportStaging(dest);
    const a = createMemoryPacketPipe();
    const ra = await Promise.all([staging.receive(a.right), fakeExporter(a.left, [dir('linux_amd64'), file('linux_amd64/bin', 'x')])]);
    expect(ra[0].files).toBe(1);
    const b = createMemoryPacketPipe();
    const [rb] = await Promise.all([
      staging.receive(b.right).catch((e: unknown) => e),
      fakeExporter(b.left, [file('linux_amd64/evil', 'x')]),
    ]);
    expect(KilnError.is(rb, 'protocol')).toBe(true);
    expect((rb as Error).message).toContain('which this export did not create');
    const c = createMemoryPacketPipe();
    const [rc] = await Promise.all([staging.receive(c.right).catch((e: unknown) => e), fakeExporter(c.left, [dir('linux_amd64')])]);
    expect((rc as Error).message).toContain('already written by another export stream');
    await staging.abort();
    await expectUntouched();
  });
});
