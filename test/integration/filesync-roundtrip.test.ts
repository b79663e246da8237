/**
 * Local files in and back out through the real daemon: a 5,000-entry tree (nested and empty directories, symlinks of
 * every kind, hardlinks, unicode names, exec and setuid/setgid/sticky bits, varied mtimes) is sent into a build as a
 * `local` source (kiln's FileSync sender) and exported with the `local` exporter (kiln's FileSend receiver) into a
 * fresh directory. What comes back must be the same tree: entries, content, modes, link targets, hardlink groups and
 * modification times of files and links (directory times are the daemon's, see below). A second build after changing one file must transfer only that file.
 */
import { createHash } from 'node:crypto';
import { chmodSync, linkSync, lstatSync, lutimesSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { local, marshal } from '../../src/llb/index.js';
import { fileSyncService } from '../../src/session/file-sync-service.js';
import { testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
let info: DaemonInfo;
let work: string;
let src: string;

/** A small deterministic PRNG (mulberry32), so the tree is the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['café', 'cafe\u0301', 'naïve file', '日本語', 'emoji-🔥', 'spaces in name', 'dash-', '.hidden', 'UPPER', 'a'.repeat(120), 'x=y,z', "it's"];

/** Builds the tree and returns how many entries it has (the root not counted). */
function makeTree(root: string): number {
  const rand = prng(20261124);
  let entries = 0;
  const dirs: string[] = [''];
  // Directories: 200 nested up to depth 5, 20 of them left empty.
  for (let i = 0; i < 200; i++) {
    const parent = dirs[Math.floor(rand() * dirs.length)]!;
    const depth = parent === '' ? 0 : parent.split('/').length;
    const base = depth >= 5 ? '' : parent;
    const name = `${base === '' ? '' : `${base}/`}${i % 7 === 0 ? NAMES[i % NAMES.length]! : `d${i}`}`;
    mkdirSync(join(root, name), { recursive: true });
    dirs.push(name);
    entries++;
  }
  const empties = new Set(dirs.slice(-20));
  const fileDirs = dirs.filter((d) => !empties.has(d));
  const files: string[] = [];
  // Regular files: 4,600, sizes from empty to 64 KiB, some executable.
  for (let i = 0; i < 4600; i++) {
    const dir = fileDirs[Math.floor(rand() * fileDirs.length)]!;
    const name = `${dir === '' ? '' : `${dir}/`}${i % 50 === 0 ? `${NAMES[i % NAMES.length]}-${i}` : `f${i}.txt`}`;
    const size = i % 100 === 0 ? 0 : i % 97 === 0 ? 65_536 : Math.floor(rand() * 2048);
    const content = Buffer.alloc(size);
    for (let b = 0; b < size; b++) content[b] = Math.floor(rand() * 256);
    writeFileSync(join(root, name), content);
    chmodSync(join(root, name), i % 9 === 0 ? 0o755 : i % 13 === 0 ? 0o600 : 0o644);
    files.push(name);
    entries++;
  }
  // Special bits on a few files and directories.
  chmodSync(join(root, files[1]!), 0o4755);
  chmodSync(join(root, files[2]!), 0o2755);
  chmodSync(join(root, dirs[3]!), 0o1777);
  chmodSync(join(root, dirs[4]!), 0o2775);
  // Hardlinks: 100, each to a file (some files get several).
  for (let i = 0; i < 100; i++) {
    const target = files[(i * 37) % files.length]!;
    linkSync(join(root, target), join(root, `${target}.hl${i}`));
    entries++;
  }
  // Symlinks: 100 — relative to files and dirs, absolute, dangling, pointing outside the root, chains.
  for (let i = 0; i < 100; i++) {
    const dir = fileDirs[(i * 11) % fileDirs.length]!;
    const at = join(root, dir, `link${i}`);
    const kind = i % 5;
    const target =
      kind === 0 ? `../${files[i]!.split('/').pop()!}` : kind === 1 ? '/etc/hostname' : kind === 2 ? `missing-${i}` : kind === 3 ? '../../../../outside' : `link${i - 1}`;
    symlinkSync(target, at);
    entries++;
  }
  // Varied mtimes (seconds with sub-second parts) on files, links and finally directories (deepest first).
  let t = 1_500_000_000;
  for (const f of files) utimesSync(join(root, f), (t += 7) + 0.25, t + 0.5);
  for (let i = 0; i < 100; i++) lutimesSync(join(root, fileDirs[(i * 11) % fileDirs.length]!, `link${i}`), t + i, t + i);
  for (const d of [...dirs].reverse()) if (d !== '') utimesSync(join(root, d), t, (t += 3));
  return entries;
}

interface Entry {
  readonly kind: 'file' | 'dir' | 'symlink';
  readonly mode: string;
  readonly mtime: string;
  readonly sha?: string;
  readonly target?: string;
}

/** Walks a tree with lstat: every entry, and which paths share an inode. */
function snapshot(root: string): { entries: Map<string, Entry>; hardlinks: string[][] } {
  const entries = new Map<string, Entry>();
  const inodes = new Map<bigint, string[]>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel))) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(join(root, path), { bigint: true });
      const mode = (Number(st.mode) & 0o7777).toString(8);
      const mtime = st.mtimeNs.toString();
      if (st.isSymbolicLink()) entries.set(path, { kind: 'symlink', mode: 'l', mtime, target: readlinkSync(join(root, path)) });
      else if (st.isDirectory()) {
        entries.set(path, { kind: 'dir', mode, mtime });
        walk(path);
      } else {
        entries.set(path, { kind: 'file', mode, mtime, sha: createHash('sha256').update(readFileSync(join(root, path))).digest('hex') });
        if (st.nlink > 1n) inodes.set(st.ino, [...(inodes.get(st.ino) ?? []), path]);
      }
    }
  };
  walk('');
  return { entries, hardlinks: [...inodes.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) };
}

async function roundTrip(
  name: string,
  dest: string,
  onTransfer?: (t: { filesRequested: number; entries: number }) => void,
  sessionTransport: 'auto' | 'control-session' = 'auto',
): Promise<void> {
  const plan = await planExport(parseOutputSpec(`type=local,dest=${dest}`), info, client.address.text);
  const sync = fileSyncService([{ name, path: src }], onTransfer === undefined ? {} : { onTransfer });
  try {
    const outcome = await client.build({ exporter: plan.exporter, sessionServices: [...plan.sessionServices, sync], sharedKey: `roundtrip-${name}`, sessionTransport }, async (gw) => ({
      ref: await gw.solve(marshal(local(name), { caps: gw.llbCaps })),
    }));
    await plan.finish(outcome.exporterResponse);
  } catch (err) {
    await plan.abort();
    throw err;
  }
}

let total = 0;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  info = await client.info();
  work = mkdtempSync(join(tmpdir(), 'kiln-roundtrip-'));
  src = join(work, 'src');
  mkdirSync(src);
  total = makeTree(src);
});

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a 5,000-entry tree through a local source and the local exporter', () => {
  // On dockerd `auto` uses its /session endpoint; `control-session` is the Control.Session stream buildkitd uses.
  it.each(['auto', 'control-session'] as const)('comes back identical (session: %s): entries, content, modes, link targets, hardlinks and mtimes', async (transport) => {
    expect(total).toBeGreaterThanOrEqual(5000);
    const dest = join(work, `out-${transport}`);
    await roundTrip(`rt-${transport}-${Date.now()}`, dest, undefined, transport);
    const before = snapshot(src);
    const after = snapshot(dest);
    expect(before.entries.size).toBe(total);
    expect([...after.entries.keys()].sort()).toEqual([...before.entries.keys()].sort());
    const differences: string[] = [];
    for (const [path, want] of before.entries) {
      const got = after.entries.get(path)!;
      // Directory mtimes are not compared: BuildKit's receiver writes a directory's children after the directory, so
      // on the daemon (and therefore in any export) its time is when its last child arrived. Files and links keep theirs.
      const keys = want.kind === 'dir' ? (['kind', 'mode'] as const) : (['kind', 'mode', 'sha', 'target', 'mtime'] as const);
      for (const key of keys) {
        if (got[key] !== want[key]) differences.push(`${path}: ${key} ${String(want[key])} → ${String(got[key])}`);
      }
    }
    expect(differences.slice(0, 20)).toEqual([]);
    expect(after.hardlinks).toEqual(before.hardlinks);
    expect(after.hardlinks.length).toBeGreaterThan(50);
  });

  it('sends only the changed file when the same directory is built again', async () => {
    const name = `rt-incr-${Date.now()}`;
    const first: { filesRequested: number; entries: number }[] = [];
    await roundTrip(name, join(work, 'incr-1'), (t) => first.push(t));
    const changed = readdirSync(src).find((n) => n.endsWith('.txt'))!;
    writeFileSync(join(src, changed), 'changed content\n');
    const second: { filesRequested: number; entries: number }[] = [];
    await roundTrip(name, join(work, 'incr-2'), (t) => second.push(t));
    expect(first[0]!.filesRequested).toBeGreaterThan(4000);
    expect(second[0]!.filesRequested).toBe(1);
    expect(readFileSync(join(work, 'incr-2', changed), 'utf8')).toBe('changed content\n');
  });
});
