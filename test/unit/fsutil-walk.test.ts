import { execFileSync } from 'node:child_process';
import { chmod, link, lstat, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { resolveFollowPaths, walkDirectory, type WalkEntry, type WalkOptions } from '../../src/session/fs-walk.js';
import { WalkOrderValidator } from '../../src/session/fsutil-order.js';
import { GoFileMode } from '../../src/session/fsutil-packet.js';
import { OfferedFiles } from '../../src/session/offered-files.js';

let base = '';
let root = '';

async function walk(dir: string, options: WalkOptions = {}): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const e of walkDirectory(dir, options)) out.push(e);
  return out;
}

async function paths(dir: string, options: WalkOptions = {}): Promise<string[]> {
  return (await walk(dir, options)).map((e) => e.stat.path);
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'kiln-walk-'));
  root = join(base, 'ctx');
  await mkdir(join(root, 'a', 'x'), { recursive: true });
  await writeFile(join(root, 'a', 'x', 'f'), 'deep');
  await chmod(join(root, 'a'), 0o750);
  await writeFile(join(root, 'a-b'), 'dash');
  await writeFile(join(root, 'a.txt'), 'hello');
  await chmod(join(root, 'a.txt'), 0o755);
  await mkdir(join(root, 'empty'));
  await writeFile(join(root, 'z'), 'zed');
  await writeFile(join(root, 'é'), 'e-acute');
  await writeFile(join(root, 'Z'), 'upper');
  await writeFile(join(root, 'hard1'), 'same inode');
  await link(join(root, 'hard1'), join(root, 'hard2'));
  await symlink('a.txt', join(root, 'link-in'));
  await writeFile(join(base, 'outside-secret'), 'secret');
  await mkdir(join(base, 'outside-dir'));
  await writeFile(join(base, 'outside-dir', 'inner'), 'x');
  await symlink('../outside-secret', join(root, 'link-out'));
  await symlink(join(base, 'outside-dir'), join(root, 'link-out-dir'));
  await writeFile(join(root, 'suid'), '#!/bin/sh\n');
  await chmod(join(root, 'suid'), 0o4755);
  execFileSync('mkfifo', ['-m', '600', join(root, 'fifo')]);
  await utimes(join(root, 'z'), 1_700_000_000.5, 1_700_000_000.5);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('walkDirectory', () => {
  it('walks depth-first with names in UTF-8 byte order', async () => {
    expect(await paths(root)).toEqual([
      'Z',
      'a',
      'a/x',
      'a/x/f',
      'a-b',
      'a.txt',
      'empty',
      'fifo',
      'hard1',
      'hard2',
      'link-in',
      'link-out',
      'link-out-dir',
      'suid',
      'z',
      'é',
    ]);
  });

  it('orders names above U+FFFF (surrogate pairs in JavaScript) after U+E000-U+FFFF, as their UTF-8 bytes sort', async () => {
    const dir = join(base, 'astral');
    await mkdir(dir);
    // UTF-8: U+FF46 is EF BD 86, U+1D487 is F0 9D 92 87; UTF-16 code units would put U+1D487 (D835 DC87) first.
    for (const name of ['\u{1D487}', '\uFF46', 'f', '\u00E9', '\u{1F600}', '\uE000']) await writeFile(join(dir, name), name);
    expect(await paths(dir)).toEqual(['f', '\u00E9', '\uE000', '\uFF46', '\u{1D487}', '\u{1F600}']);
  });

  it('sends a valid name holding U+FFFD next to one that is not valid UTF-8', async () => {
    const dir = join(base, 'replacement');
    await mkdir(dir);
    await writeFile(join(dir, 'caf\uFFFD'), 'valid');
    await writeFile(Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9])]), 'latin-1');
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', '\u{1F600}'), 'x');
    await writeFile(join(dir, 'sub', '\uFF46'), 'x');
    const skipped: string[] = [];
    const entries = await walk(dir, { onSkip: (p, why) => skipped.push(`${p}: ${why}`) });
    expect(entries.map((e) => [e.stat.path, e.stat.size])).toEqual([
      ['caf\uFFFD', 5n],
      ['sub', 0n],
      ['sub/\uFF46', 1n],
      ['sub/\u{1F600}', 1n],
    ]);
    expect(skipped).toEqual(['caf\uFFFD: its name is not valid UTF-8']);
  });

  it('produces an order the fsutil receiver accepts', async () => {
    const v = new WalkOrderValidator();
    for (const e of await walk(root)) v.check(e.stat.path, (e.stat.mode & GoFileMode.dir) !== 0);
  });

  it('sends a character device with its major and minor numbers (/dev/zero is 1:5 on Linux)', async () => {
    const [entry, ...rest] = await walk('/dev', { includePatterns: ['zero'] });
    expect(rest).toEqual([]);
    expect(entry?.stat.path).toBe('zero');
    expect(entry?.stat.mode).toBe((GoFileMode.device | GoFileMode.charDevice | 0o666) >>> 0);
    expect([entry?.stat.devmajor, entry?.stat.devminor]).toEqual([1n, 5n]);
  });

  it('fills stats like buildx: Go modes, sizes, link targets, ns mtimes, uid/gid 0', async () => {
    const byPath = new Map((await walk(root)).map((e) => [e.stat.path, e.stat]));
    const st = (p: string) => {
      const s = byPath.get(p);
      if (s === undefined) throw new Error(`missing ${p}`);
      return s;
    };
    expect(st('a').mode).toBe((GoFileMode.dir | 0o750) >>> 0);
    expect(st('a').size).toBe(0n);
    expect(st('a.txt').mode).toBe(0o755);
    expect(st('a.txt').size).toBe(5n);
    expect(st('suid').mode).toBe(GoFileMode.setuid | 0o755);
    expect(st('fifo').mode).toBe(GoFileMode.namedPipe | 0o600);
    expect(st('link-in').mode & GoFileMode.symlink).not.toBe(0);
    expect(st('link-in').linkname).toBe('a.txt');
    expect(st('link-in').size).toBe(5n);
    expect(st('link-out').linkname).toBe('../outside-secret');
    expect(st('z').modTime).toBe(1_700_000_000_500_000_000n);
    expect(st('z').modTime).toBe((await lstat(join(root, 'z'), { bigint: true })).mtimeNs);
    for (const s of byPath.values()) {
      expect(s.uid).toBe(0);
      expect(s.gid).toBe(0);
    }
  });

  it('sends files from Windows (no exec bit: Node reports 0666, 0444 read-only) as buildx does: 0755, 0555 read-only, link targets with /', async () => {
    const win = join(base, 'win');
    await mkdir(join(win, 'dir'), { recursive: true });
    await writeFile(join(win, 'run.sh'), '#!/bin/sh\n');
    await chmod(join(win, 'run.sh'), 0o666);
    await writeFile(join(win, 'ro.txt'), 'x');
    await chmod(join(win, 'ro.txt'), 0o444);
    await chmod(join(win, 'dir'), 0o666 | 0o100);
    await symlink('dir\\sub\\f', join(win, 'link'));
    const stats = new Map((await walk(win, { platform: 'win32' })).map((e) => [e.stat.path, e.stat]));
    expect(stats.get('run.sh')?.mode).toBe(0o755);
    expect(stats.get('ro.txt')?.mode).toBe(0o555);
    expect(stats.get('dir')?.mode).toBe((GoFileMode.dir | 0o755) >>> 0);
    expect(stats.get('link')?.mode).toBe((GoFileMode.symlink | 0o755) >>> 0);
    expect(stats.get('link')?.linkname).toBe('dir/sub/f');
    // The same files from Linux keep their modes and a backslash in a link target.
    const linux = new Map((await walk(win, { platform: 'linux' })).map((e) => [e.stat.path, e.stat]));
    expect(linux.get('run.sh')?.mode).toBe(0o666);
    expect(linux.get('link')?.linkname).toBe('dir\\sub\\f');
  });

  it('sends the later path of a hardlinked file as a link to the first one, with size 0', async () => {
    const byPath = new Map((await walk(root)).map((e) => [e.stat.path, e.stat]));
    expect(byPath.get('hard1')?.linkname).toBe('');
    expect(byPath.get('hard1')?.size).toBe(10n);
    expect(byPath.get('hard2')?.linkname).toBe('hard1');
    expect(byPath.get('hard2')?.size).toBe(0n);
  });

  it('names the first path of a hard-linked file from any directory, and sends a file linked only from outside whole', async () => {
    const dir = join(base, 'pnpm');
    await mkdir(join(dir, 'node_modules', '.pnpm', 'caf\u00E9', 'lib'), { recursive: true });
    await mkdir(join(dir, 'node_modules', 'caf\u00E9'), { recursive: true });
    await mkdir(join(dir, 'store'));
    const first = join(dir, 'node_modules', '.pnpm', 'caf\u00E9', 'lib', 'index.js');
    await writeFile(first, 'module.exports = 1;\n');
    await link(first, join(dir, 'node_modules', 'caf\u00E9', 'index.js'));
    await link(first, join(dir, 'z.js'));
    await writeFile(join(base, 'pnpm-store-only'), 'linked from outside');
    await link(join(base, 'pnpm-store-only'), join(dir, 'store', 'only.js'));
    const entries = new OfferedFiles();
    const walked = await walk(dir, { entries });
    const byPath = new Map(walked.map((e) => [e.stat.path, e.stat]));
    expect(byPath.get('node_modules/.pnpm/caf\u00E9/lib/index.js')).toMatchObject({ linkname: '', size: 20n });
    expect(byPath.get('node_modules/caf\u00E9/index.js')).toMatchObject({ linkname: 'node_modules/.pnpm/caf\u00E9/lib/index.js', size: 0n });
    expect(byPath.get('z.js')).toMatchObject({ linkname: 'node_modules/.pnpm/caf\u00E9/lib/index.js', size: 0n });
    expect(byPath.get('store/only.js')).toMatchObject({ linkname: '', size: 19n });
    // Every entry is recorded where the caller asked, its id its position in the walk.
    expect(entries.size).toBe(walked.length);
    expect(walked.map((_, id) => entries.pathOf(id))).toEqual(walked.map((e) => e.stat.path));
  });

  it('never follows symlinks out of the root', async () => {
    const all = await paths(root);
    expect(all.some((p) => p.includes('inner') || p.includes('secret'))).toBe(false);
  });

  it('walks through a symlinked root', async () => {
    await symlink(root, join(base, 'root-link'));
    expect(await paths(join(base, 'root-link'))).toEqual(await paths(root));
  });

  it('excludes with .dockerignore semantics and sends parents of re-included entries first', async () => {
    const dir = join(base, 'ignore');
    await mkdir(join(dir, 'node_modules', 'keep', 'lib'), { recursive: true });
    await mkdir(join(dir, 'node_modules', 'drop'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'keep', 'lib', 'k.js'), 'k');
    await writeFile(join(dir, 'node_modules', 'drop', 'd.js'), 'd');
    await writeFile(join(dir, 'README.md'), 'r');
    await writeFile(join(dir, 'NOTES.md'), 'n');
    await writeFile(join(dir, 'main.go'), 'm');
    await writeFile(join(dir, '.dockerignore'), '# deps\nnode_modules\n!node_modules/keep/lib/k.js\n*.md\n!README.md\n');
    expect(await paths(dir, { dockerignore: true })).toEqual([
      '.dockerignore',
      'README.md',
      'main.go',
      'node_modules',
      'node_modules/keep',
      'node_modules/keep/lib',
      'node_modules/keep/lib/k.js',
    ]);
    // Explicit exclude patterns come after the file's, so they win.
    expect(await paths(dir, { dockerignore: true, excludePatterns: ['README.md', '.dockerignore'] })).toEqual([
      'main.go',
      'node_modules',
      'node_modules/keep',
      'node_modules/keep/lib',
      'node_modules/keep/lib/k.js',
    ]);
    // Without the option the file is just a file.
    expect((await paths(dir)).length).toBe(10);
  });

  it('applies include patterns (everything below an included dir, parents of included files)', async () => {
    expect(await paths(root, { includePatterns: ['a/x/f', 'z'] })).toEqual(['a', 'a/x', 'a/x/f', 'z']);
    expect(await paths(root, { includePatterns: ['a'] })).toEqual(['a', 'a/x', 'a/x/f']);
    expect(await paths(root, { includePatterns: ['**/f'] })).toEqual(['a', 'a/x', 'a/x/f']);
    expect(await paths(root, { includePatterns: ['a'], excludePatterns: ['a/x'] })).toEqual(['a']);
  });

  it('resolves follow paths into include patterns (a symlinked Dockerfile brings its target)', async () => {
    const dir = join(base, 'follow');
    await mkdir(join(dir, 'build'), { recursive: true });
    await mkdir(join(dir, 'other'), { recursive: true });
    await writeFile(join(dir, 'build', 'Dockerfile.real'), 'FROM scratch\n');
    await writeFile(join(dir, 'other', 'x'), 'x');
    await symlink('build/Dockerfile.real', join(dir, 'Dockerfile'));
    await symlink('../../../etc', join(dir, 'escape'));
    expect(await resolveFollowPaths(dir, ['Dockerfile'])).toEqual(['Dockerfile', 'build/Dockerfile.real']);
    // A wildcard step is kept as a pattern (it matches the link itself) plus the targets of what it matched.
    expect(await resolveFollowPaths(dir, ['Docker*'])).toEqual(['Docker*', 'build/Dockerfile.real']);
    expect(await resolveFollowPaths(dir, ['escape/passwd'])).toEqual(['escape', 'etc/passwd']);
    expect(await resolveFollowPaths(dir, ['.'])).toBeUndefined();
    expect(await paths(dir, { includePatterns: ['Dockerfile'], followPaths: ['Dockerfile'] })).toEqual([
      'Dockerfile',
      'build',
      'build/Dockerfile.real',
    ]);
  });

  it('reports sockets as skipped instead of sending them', async () => {
    const dir = join(base, 'sock');
    await mkdir(dir);
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 's.sock'), resolve));
    await writeFile(join(dir, 'f'), '');
    const skipped: string[] = [];
    try {
      expect(await paths(dir, { onSkip: (p, why) => skipped.push(`${p}: ${why}`) })).toEqual(['f']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(skipped).toEqual(['s.sock: sockets cannot be sent']);
  });

  it('reports names that are not valid UTF-8 as skipped, unless the patterns leave them out anyway', async () => {
    const dir = join(base, 'latin1');
    await mkdir(dir);
    await mkdir(join(dir, 'logs'));
    await writeFile(Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9])]), 'x');
    await writeFile(Buffer.concat([Buffer.from(join(dir, 'logs', 'caf')), Buffer.from([0xe9])]), 'x');
    await writeFile(join(dir, 'f'), '');
    const skipped: string[] = [];
    expect(await paths(dir, { excludePatterns: ['logs'], onSkip: (p, why) => skipped.push(`${p}: ${why}`) })).toEqual(['f']);
    expect(skipped).toEqual(['caf\uFFFD: its name is not valid UTF-8']);
  });

  it('does not report a name that is not valid UTF-8 when a pattern leaves it out itself', async () => {
    const dir = join(base, 'latin1-matched');
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.log')]), 'x');
    await writeFile(Buffer.concat([Buffer.from(join(dir, 'src', 'caf')), Buffer.from([0xe9])]), 'x');
    await writeFile(join(dir, 'src', 'main.c'), '');
    await writeFile(join(dir, 'keep'), '');
    const excluded: string[] = [];
    expect(await paths(dir, { excludePatterns: ['*.log'], onSkip: (p, why) => excluded.push(`${p}: ${why}`) })).toEqual([
      'keep',
      'src',
      'src/main.c',
    ]);
    expect(excluded).toEqual(['src/caf\uFFFD: its name is not valid UTF-8']);
    const notIncluded: string[] = [];
    expect(await paths(dir, { includePatterns: ['src/main.c'], onSkip: (p, why) => notIncluded.push(`${p}: ${why}`) })).toEqual([
      'src',
      'src/main.c',
    ]);
    expect(notIncluded).toEqual([]);
  });

  it('walks an empty directory to nothing', async () => {
    expect(await paths(join(root, 'empty'))).toEqual([]);
  });

  it('fails with not_found for a missing root and io for a file root', async () => {
    const missing = await walk(join(base, 'nope')).catch((e: unknown) => e);
    expect(KilnError.is(missing, 'not_found')).toBe(true);
    expect((missing as Error).message).toContain('nope');
    const file = await walk(join(root, 'a.txt')).catch((e: unknown) => e);
    expect(KilnError.is(file, 'io')).toBe(true);
    expect((file as Error).message).toContain('is not a directory');
  });

  it('rejects malformed patterns before reading anything', async () => {
    const err = await walk(root, { excludePatterns: ['[oops'] }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
  });

  it('is lazy and stops with a cancelled error when its signal fires', async () => {
    const ac = new AbortController();
    const it = walkDirectory(root, { signal: ac.signal });
    const first = await it.next();
    expect(first.value?.stat.path).toBe('Z');
    ac.abort();
    const err = await it.next().catch((e: unknown) => e);
    expect(KilnError.is(err, 'cancelled')).toBe(true);
  });

  it('keeps the event loop responsive across a large directory', async () => {
    const dir = join(base, 'many');
    await mkdir(dir);
    await Promise.all(Array.from({ length: 3000 }, (_, i) => writeFile(join(dir, `f${i}`), '')));
    let ticks = 0;
    let running = true;
    const tick = (): void => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const count = (await paths(dir, { excludePatterns: ['*'] })).length;
    running = false;
    expect(count).toBe(0);
    expect(ticks).toBeGreaterThan(1);
  });
});
