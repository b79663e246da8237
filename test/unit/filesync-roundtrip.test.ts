import { execFileSync } from 'node:child_process';
import { chmod, link, lstat, lutimes, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDiffCopy } from '../../src/session/file-sync-sender.js';
import { walkDirectory } from '../../src/session/fs-walk.js';
import { isRegularGoMode, type Stat } from '../../src/session/fsutil-packet.js';
import { receiveLocalExport } from '../../src/session/local-export-receiver.js';
import { createMemoryPacketPipe } from '../../src/session/packet-stream.js';

/** Small deterministic PRNG so the tree is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTRIES = 2000;
// Node sets times with microsecond precision, so the source tree gets microsecond mtimes (the receiver cannot
// reproduce nanosecond digits through Node's utimes either).
const mtimeFor = (i: number): number => 1_650_000_000 + i * 37 + (i % 1000) / 1000 + (i % 997) / 1e6;

let base = '';
let src = '';
let dest = '';

async function collect(root: string): Promise<Stat[]> {
  const out: Stat[] = [];
  for await (const e of walkDirectory(root)) out.push(e.stat);
  return out;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'kiln-roundtrip-'));
  src = join(base, 'src');
  dest = join(base, 'dest');
  await mkdir(src);
  await mkdir(dest);
  await writeFile(join(dest, 'previous.txt'), 'old');
  const rand = prng(42);
  const names = ['a', 'a-b', 'a.b', 'Z', 'é', 'ß', '日本', '😀', 'z', 'M', 'space name', 'x.tar.gz'];

  let count = 0;
  const dirs: { path: string; mode: number; i: number }[] = [];
  const files: string[] = [];
  const mk = async (p: string, mode: number): Promise<void> => {
    await mkdir(join(src, p));
    dirs.push({ path: p, mode, i: count++ });
  };
  for (let d = 0; d < 20; d++) {
    const top = `${names[d % names.length] ?? 'd'}${d}`;
    await mk(top, d === 3 ? 0o750 : 0o755);
    for (let s = 0; s < 2; s++) await mk(`${top}/${names[(d + s + 3) % names.length] ?? 's'}`, s === 1 && d === 5 ? 0o555 : 0o755);
  }
  await mk('deep', 0o755);
  await mk('deep/a', 0o700);
  await mk('deep/a/b', 0o755);
  await mk('deep/a/b/c', 0o755);
  await mk('empty-1', 0o755);
  await mk('empty-2', 0o711);
  const fileDirs = dirs.map((d) => d.path).filter((p) => !p.startsWith('empty'));

  // Special entries first, regular files fill up to ENTRIES.
  const first = join(fileDirs[0] ?? '', 'hard-origin');
  await writeFile(join(src, first), 'shared inode content');
  await utimes(join(src, first), mtimeFor(7), mtimeFor(7));
  files.push(first);
  count++;
  for (let h = 0; h < 30; h++) {
    await link(join(src, first), join(src, fileDirs[(h * 7) % fileDirs.length] ?? '', `hard-${h}`));
    count++;
  }
  for (let l = 0; l < 40; l++) {
    const target = l % 3 === 0 ? '/etc/passwd' : l % 3 === 1 ? `../${names[l % names.length] ?? 'x'}` : 'missing-target';
    const p = join(fileDirs[(l * 5) % fileDirs.length] ?? '', `link-${l}`);
    await symlink(target, join(src, p));
    await lutimes(join(src, p), mtimeFor(l), mtimeFor(l));
    count++;
  }
  for (let f = 0; f < 2; f++) {
    const p = join(fileDirs[f] ?? '', `fifo-${f}`);
    execFileSync('mkfifo', ['-m', '640', join(src, p)]);
    await utimes(join(src, p), mtimeFor(f), mtimeFor(f));
    count++;
  }
  let n = 0;
  while (count < ENTRIES) {
    const dir = fileDirs[Math.floor(rand() * fileDirs.length)] ?? '';
    const name = `${names[n % names.length] ?? 'f'}-${n}${n % 10 === 0 ? '.sh' : '.dat'}`;
    const p = join(dir, name);
    const size = n % 50 === 0 ? 40_000 + Math.floor(rand() * 60_000) : n % 7 === 0 ? 0 : Math.floor(rand() * 3000);
    const content = Buffer.alloc(size);
    for (let i = 0; i < size; i++) content[i] = Math.floor(rand() * 256);
    await writeFile(join(src, p), content);
    const mode = n % 10 === 0 ? 0o755 : n % 97 === 0 ? 0o4755 : n % 13 === 0 ? 0o600 : 0o644;
    await chmod(join(src, p), mode);
    await utimes(join(src, p), mtimeFor(n), mtimeFor(n));
    files.push(p);
    n++;
    count++;
  }
  // Directory modes and times last, deepest first, so adding their contents does not change them again.
  for (const d of [...dirs].reverse()) {
    await chmod(join(src, d.path), d.mode);
    await utimes(join(src, d.path), mtimeFor(d.i), mtimeFor(d.i));
  }
});

afterAll(async () => {
  await chmod(join(base), 0o755).catch(() => {});
  await rm(base, { recursive: true, force: true });
});

describe('sender → receiver round trip', () => {
  it(`copies a ${ENTRIES}-entry tree identically: content, modes, links, hardlinks, fifos and mtimes`, async () => {
    const before = await collect(src);
    expect(before.length).toBe(ENTRIES);

    const { left, right } = createMemoryPacketPipe();
    const requested: string[] = [];
    const [sent, received] = await Promise.all([
      serveDiffCopy(left, { path: src }, { onFileRequested: (p) => requested.push(p) }),
      receiveLocalExport(right, dest),
    ]);
    const regular = before.filter((s) => isRegularGoMode(s.mode) && s.linkname === '');
    expect(sent.entriesSent).toBe(ENTRIES);
    expect(sent.filesRequested).toBe(regular.length);
    expect(sent.filesSent).toBe(regular.length);
    expect(received.entries).toBe(ENTRIES);
    expect(received.files).toBe(regular.length);
    expect(received.bytes).toBe(sent.bytesSent);
    expect(sent.bytesSent).toBe(Number(regular.reduce((acc, s) => acc + s.size, 0n)));

    // The file that was at the destination stays (the export is written into the directory), the rest is the tree.
    expect(await readFile(join(dest, 'previous.txt'), 'utf8')).toBe('old');
    const after = (await collect(dest)).filter((s) => s.path !== 'previous.txt');
    const shape = (s: Stat) => ({
      path: s.path,
      mode: s.mode,
      size: s.size,
      linkname: s.linkname,
      modTime: s.modTime,
    });
    expect(after.map(shape)).toEqual(before.map(shape));

    for (const s of regular) {
      const [a, b] = await Promise.all([readFile(join(src, s.path)), readFile(join(dest, s.path))]);
      expect(b.equals(a), s.path).toBe(true);
    }
    const origin = before.find((s) => s.path.endsWith('hard-origin'));
    const originIno = (await lstat(join(dest, origin?.path ?? ''))).ino;
    for (const s of after.filter((x) => x.path.includes('/hard-'))) {
      expect((await lstat(join(dest, s.path))).ino, s.path).toBe(originIno);
    }
  }, 30_000);
});
