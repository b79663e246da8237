/**
 * Build contexts as real project directories have them, sent to the real daemon: entries kiln cannot read while it
 * walks the context must fail the build with the entry named (as `docker build` does), never leave it waiting.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';
import type { StatusEvent } from '../../src/progress/events.js';
import { testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
let work = '';

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  work = mkdtempSync(join(tmpdir(), 'kiln-awkward-it-'));
});

afterAll(async () => {
  await client?.close();
  // rm walks the tree relative to each directory; Node's rmSync fails on paths past PATH_MAX.
  execFileSync('rm', ['-rf', work]);
});

describe('awkward build contexts', () => {
  it('fails naming a directory it cannot read while describing the context (a path longer than the system allows), instead of waiting forever', async () => {
    const context = join(work, 'deep');
    mkdirSync(context);
    writeFileSync(join(context, 'a.txt'), 'a\n');
    // Root reads everything, so an unreadable directory is made the way any user meets one: a path past PATH_MAX.
    // Made one level at a time from inside the tree: a single mkdir of the whole path would itself be too long.
    const segment = 'd'.repeat(200);
    const script = `const fs = require('node:fs'); for (let i = 0; i < 22; i++) { fs.mkdirSync('${segment}'); process.chdir('${segment}'); }`;
    execFileSync(process.execPath, ['-e', script], { cwd: context });

    const image = Image.fromRegistry('debian:bookworm-slim').addLocalDir('.', { remotePath: '/ctx' });
    const err = await buildImage(client, image, { context, output: `type=local,dest=${join(work, 'out')}` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnError);
    // Usually kiln's sender names the path it cannot read (ENAMETOOLONG); now and then the daemon, creating the same
    // tree deeper in its own store, fails on it first ("file name too long"). Either way the build ends at once.
    expect((err as KilnError).message).toMatch(/ENAMETOOLONG|file name too long/);
    expect((err as KilnError).message).toContain(`${segment}/${segment}`);
  }, 120_000);

  it('fails naming a file that grows while it is sent (a checkpoint still being written), instead of copying a torn file', async () => {
    const context = join(work, 'checkpoint');
    mkdirSync(context);
    const file = join(context, 'model.bin');
    writeFileSync(file, randomBytes(64 * 1024 * 1024));
    // A writer appending 4 KiB every 5 ms for as long as the build runs: reading 64 MiB takes far longer than that.
    const writer = spawn(process.execPath, ['-e', `const fs = require('node:fs'); setInterval(() => fs.appendFileSync(${JSON.stringify(file)}, Buffer.alloc(4096, 1)), 5);`], { stdio: 'ignore' });
    try {
      const image = Image.fromRegistry('busybox:latest').addLocalFile('checkpoint/model.bin', '/models/model.bin');
      const err = await buildImage(client, image, { context: work, output: `type=local,dest=${join(work, 'checkpoint-out')}` }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KilnError);
      expect((err as KilnError).message).toContain(`${file} changed while it was being sent to the daemon (its size went from`);
      expect(existsSync(join(work, 'checkpoint-out', 'models', 'model.bin'))).toBe(false);
    } finally {
      writer.kill();
    }
  }, 120_000);

  it('names a file the image spells otherwise than the disk (macOS: Unicode NFD names, letter case) before building, and the spelling it gives builds', async () => {
    const context = join(work, 'spelling');
    mkdirSync(context);
    // A name as HFS+ stored it (and APFS keeps it when copied): "e" + combining acute accent; and a README in another case.
    const nfd = 'café.txt'.normalize('NFD');
    writeFileSync(join(context, nfd), 'decomposed\n');
    writeFileSync(join(context, 'Readme.md'), 'readme\n');
    const out = join(work, 'spelling-out');
    const typed = Image.fromRegistry('busybox:latest').addLocalFile('café.txt'.normalize('NFC'), '/app/').addLocalFile('README.md', '/app/');
    const err = await buildImage(client, typed, { context, output: `type=local,dest=${out}` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).code).toBe('not_found');
    const [first, ...where] = (err as KilnError).message.split('\n');
    expect(first).toBe(
      `the image copies local files under another spelling than the name on disk (in ${context}): ` +
        `café.txt is ${nfd} on disk (Unicode NFD on disk, accents as separate combining characters; NFC in the image); README.md is Readme.md on disk (letter case)`,
    );
    // Then where the copy was written: this file's line that adds it.
    expect(where[0]).toMatch(/awkward-context\.test\.ts:\d+$/);
    expect((err as KilnError).hint).toContain("addLocalFile('Readme.md', '/app/README.md')");
    expect(existsSync(out)).toBe(false);
    // What the hint says: the name as on disk, the name wanted in the image as the destination.
    const fixed = Image.fromRegistry('busybox:latest').addLocalFile(nfd, '/app/café.txt'.normalize('NFC')).addLocalFile('Readme.md', '/app/README.md');
    await buildImage(client, fixed, { context, output: `type=local,dest=${out}` });
    expect(readdirSync(join(out, 'app')).sort()).toEqual(['README.md', 'café.txt'.normalize('NFC')]);
    expect(readFileSync(join(out, 'app', 'café.txt'.normalize('NFC')), 'utf8')).toBe('decomposed\n');
  }, 120_000);

  it('sends a directory whose name is not ASCII (données, an NFD name from macOS): the daemon asks for it by a name gRPC carries', async () => {
    const context = join(work, 'non-ascii-dirs');
    mkdirSync(join(context, 'données'.normalize('NFC')), { recursive: true });
    mkdirSync(join(context, 'résumé'.normalize('NFD')));
    writeFileSync(join(context, 'données'.normalize('NFC'), 'a.txt'), 'nfc dir\n');
    writeFileSync(join(context, 'résumé'.normalize('NFD'), 'b.txt'), 'nfd dir\n');
    const out = join(work, 'non-ascii-out');
    const image = Image.fromRegistry('busybox:latest')
      .addLocalDir('données'.normalize('NFC'), '/d')
      .addLocalDir('résumé'.normalize('NFD'), '/r');
    await buildImage(client, image, { context, output: `type=local,dest=${out}` });
    expect(readFileSync(join(out, 'd', 'a.txt'), 'utf8')).toBe('nfc dir\n');
    expect(readFileSync(join(out, 'r', 'b.txt'), 'utf8')).toBe('nfd dir\n');
  }, 120_000);

  it('adds a file whose name has glob characters ([ ] * ?) as that file alone, and names such a file when it is missing', async () => {
    const context = join(work, 'glob-names');
    mkdirSync(context);
    writeFileSync(join(context, 'data[1].csv'), 'bracket\n');
    writeFileSync(join(context, 'data1.csv'), 'not me\n');
    writeFileSync(join(context, 'a*b.txt'), 'star\n');
    writeFileSync(join(context, 'axb.txt'), 'not me either\n');
    const out = join(work, 'glob-out');
    const image = Image.fromRegistry('busybox:latest').addLocalFile('data[1].csv', '/x/').addLocalFile('a*b.txt', '/y/');
    await buildImage(client, image, { context, output: `type=local,dest=${out}` });
    expect(readdirSync(join(out, 'x'))).toEqual(['data[1].csv']);
    expect(readFileSync(join(out, 'x', 'data[1].csv'), 'utf8')).toBe('bracket\n');
    expect(readdirSync(join(out, 'y'))).toEqual(['a*b.txt']);

    const missing = await buildImage(client, Image.fromRegistry('busybox:latest').addLocalFile('gone[2].csv', '/x/'), { context, output: `type=local,dest=${join(work, 'glob-out-2')}` }).catch((e: unknown) => e);
    expect(KilnError.is(missing, 'not_found')).toBe(true);
    expect((missing as KilnError).message).toContain('gone[2].csv');
  });

  it('says which entries it left out of the context (a socket, a name that is not UTF-8) instead of dropping them silently', async () => {
    const context = join(work, 'unsendable');
    mkdirSync(join(context, 'logs'), { recursive: true });
    writeFileSync(join(context, 'app.txt'), 'app\n');
    writeFileSync(Buffer.concat([Buffer.from(join(context, 'caf')), Buffer.from([0xe9, 0x2e, 0x74, 0x78, 0x74])]), 'latin-1\n');
    // Left out by the user's own pattern: not reported.
    writeFileSync(Buffer.concat([Buffer.from(join(context, 'logs', 'old')), Buffer.from([0xff])]), 'x\n');
    writeFileSync(Buffer.concat([Buffer.from(join(context, 'old')), Buffer.from([0xff]), Buffer.from('.bak')]), 'x\n');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(context, 'agent.sock'), resolve));
    const events: StatusEvent[] = [];
    const out = join(work, 'unsendable-out');
    try {
      const image = Image.fromRegistry('busybox:latest').addLocalDir('.', { remotePath: '/ctx', ignore: ['logs', '*.bak'] });
      await buildImage(client, image, { context, output: `type=local,dest=${out}`, onStatus: (e) => void events.push(e) });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(readdirSync(join(out, 'ctx'))).toEqual(['app.txt']);
    const notes = events.flatMap((e) => e.vertexes.filter((v) => v.name.includes('left out of the build context')).map((v) => ({ v, e })));
    expect(notes.map(({ v }) => v.name)).toEqual(['[kiln] 2 entries were left out of the build context (file sync cannot send them)']);
    expect(notes[0]?.e.warnings.map((w) => w.short)).toEqual(['agent.sock: sockets cannot be sent', 'caf\uFFFD.txt: its name is not valid UTF-8']);
  });

  it('sends names whose UTF-8 and UTF-16 orders differ, a name holding U+FFFD, a newline directory and hardlinks across directories in the order the daemon checks', async () => {
    const context = join(work, 'byte-order');
    // In UTF-16 '\u{1F600}' (D83D DE00) sorts before '\uE000' and '\uFFFD'; in UTF-8 (F0 ...) after them, and fsutil
    // compares bytes, with '/' below every other byte ('a/b' before 'a-b').
    // A directory holding U+FFFD is read again as bytes (to tell it from a name that is not UTF-8): only 'u' has one,
    // so the others are ordered as strings.
    const names = ['\u{1F600}', '\uE000', '\uFFEE', 'a-b', 'a.b', 'a0'];
    const dirs = ['', 'a', 'nl\ndir', '\u{1F600}d', '\uE000d', 'u'];
    for (const dir of dirs) {
      mkdirSync(join(context, dir), { recursive: true });
      for (const n of names) writeFileSync(join(context, dir, n), `${dir}/${n}\n`);
    }
    writeFileSync(join(context, 'u', 'x\uFFFD'), 'valid\n');
    mkdirSync(join(context, 'a', 'b'));
    writeFileSync(join(context, 'zz-first'), 'shared\n');
    linkSync(join(context, 'zz-first'), join(context, 'a', 'b', 'link'));
    linkSync(join(context, 'zz-first'), join(context, '\u{1F600}d', 'link'));
    writeFileSync(join(context, 'ignored.bak'), 'shared 2\n');
    linkSync(join(context, 'ignored.bak'), join(context, 'a', 'kept'));
    const out = join(work, 'byte-order-out');
    const image = Image.fromRegistry('busybox:latest').addLocalDir('.', { remotePath: '/ctx', ignore: ['*.bak'] });
    await buildImage(client, image, { context, output: `type=local,dest=${out}` });
    expect(readFileSync(join(out, 'ctx', 'u', 'x\uFFFD'), 'utf8')).toBe('valid\n');
    for (const dir of dirs) {
      for (const n of names) expect(readFileSync(join(out, 'ctx', dir, n), 'utf8')).toBe(`${dir}/${n}\n`);
    }
    const first = lstatSync(join(out, 'ctx', 'a', 'b', 'link'));
    expect(readFileSync(join(out, 'ctx', 'zz-first'), 'utf8')).toBe('shared\n');
    expect(lstatSync(join(out, 'ctx', 'zz-first')).ino).toBe(first.ino);
    expect(lstatSync(join(out, 'ctx', '\u{1F600}d', 'link')).ino).toBe(first.ino);
    expect(existsSync(join(out, 'ctx', 'ignored.bak'))).toBe(false);
    expect(readFileSync(join(out, 'ctx', 'a', 'kept'), 'utf8')).toBe('shared 2\n');
  }, 120_000);
});
