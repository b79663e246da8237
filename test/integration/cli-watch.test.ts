/** `kiln build --watch` as a user runs it: the CLI spawned against the real daemon, files edited while it watches. */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRecording } from '../../src/progress/index.js';
import { KILN_BIN, KILN_INDEX_URL } from './kiln-cli.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
const dirs: string[] = [];
const tags: string[] = [];

afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const t of tags) await dockerCli(['rmi', '-f', t], { allowFailure: true });
});

/** The image module: the app directory (its .dockerignore applies) and a step that prints a marker. */
function moduleSource(marker: string, command = 'true'): string {
  return [
    `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};`,
    `export default Image.fromRegistry('busybox:latest')`,
    `  .addLocalDir('app', '/app', { dockerignore: true })`,
    `  .runCommands(${JSON.stringify(`echo ${marker} > /marker && ${command}`)});`,
    '',
  ].join('\n');
}

/** A running `kiln build --watch`, its stderr gathered, and a way to wait for the line ending build `n`. */
function startWatch(cwd: string, tag: string, output: readonly string[] = ['-t', tag], progress = 'plain') {
  const child = spawn(process.execPath, [KILN_BIN, 'build', 'image.ts', ...output, '--progress', progress, '--watch'], {
    cwd,
    env: { ...process.env, BUILDKIT_HOST: env.buildkitHost, DOCKER_HOST: env.dockerHost, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  const waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    wake();
  });
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  /** The next output, or a second; fails the wait after two minutes (the test then stops kiln in its finally). */
  const deadline = Date.now() + 120_000;
  const more = async (what: string): Promise<void> => {
    if (Date.now() > deadline) throw new Error(`no ${what} within two minutes:\n${stderr.slice(-3000)}`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 1000);
    });
  };
  /** Resolves with the `[watch] build n …` line that ends build n (done or failed). */
  const ended = async (n: number): Promise<string> => {
    const pattern = new RegExp(`^\\[watch\\] build ${n} (done|failed).*$`, 'm');
    for (;;) {
      const m = pattern.exec(stderr);
      if (m !== null) {
        // Every watcher is set before the line: the next edit is seen.
        return m[0];
      }
      if (child.exitCode !== null) throw new Error(`kiln exited (${child.exitCode}) before build ${n} ended:\n${stderr}`);
      await more(`end of build ${n}`);
    }
  };
  /** Resolves once stderr matches `pattern`. */
  const until = async (pattern: RegExp): Promise<void> => {
    while (!pattern.test(stderr)) {
      if (child.exitCode !== null) throw new Error(`kiln exited (${child.exitCode}) before ${String(pattern)}:\n${stderr}`);
      await more(String(pattern));
    }
  };
  return { child, ended, until, exited, stderr: () => stderr, stdout: () => stdout };
}

async function imageFile(tag: string, path: string): Promise<string> {
  return (await dockerCli(['run', '--rm', '--network', 'none', tag, 'cat', path])).stdout.trim();
}

describe('kiln build --watch', () => {
  it('rebuilds on a sent file or a module change, not on an ignored file; recovers from a failing step; Ctrl-C exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-watch-'));
    dirs.push(dir);
    const tag = `kiln-watch/app:${Date.now()}`;
    tags.push(tag);
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'main.txt'), 'v1\n');
    writeFileSync(join(dir, 'app', 'notes.log'), 'not sent\n');
    writeFileSync(join(dir, 'app', '.dockerignore'), '*.log\n');
    writeFileSync(join(dir, 'image.ts'), moduleSource('one'));
    const w = startWatch(dir, tag);
    try {
      expect(await w.ended(1)).toMatch(/^\[watch\] build 1 done in [\d.]+s: sha256:[0-9a-f]{64}; named .*kiln-watch\/app/);
      expect(await imageFile(tag, '/app/main.txt')).toBe('v1');

      // An ignored file changes: nothing is built. Then a sent file changes: build 2, and it is the only one.
      appendFileSync(join(dir, 'app', 'notes.log'), 'more\n');
      writeFileSync(join(dir, 'app', 'main.txt'), 'v2\n');
      expect(await w.ended(2)).toMatch(/ done /);
      expect(w.stderr()).toMatch(/^\[watch\] build 2: app\/main\.txt changed$/m);
      expect(w.stderr()).not.toMatch(/notes\.log/);
      expect(await imageFile(tag, '/app/main.txt')).toBe('v2');

      // The module changes: evaluated afresh, the new definition is built.
      writeFileSync(join(dir, 'image.ts'), moduleSource('two'));
      expect(await w.ended(3)).toMatch(/ done /);
      expect(w.stderr()).toMatch(/^\[watch\] build 3: image\.ts changed$/m);
      expect(await imageFile(tag, '/marker')).toBe('two');

      // A failing step: said, and kiln keeps watching; the fix builds.
      writeFileSync(join(dir, 'image.ts'), moduleSource('three', 'exit 3'));
      expect(await w.ended(4)).toMatch(/^\[watch\] build 4 failed after [\d.]+s; watching \d+ director(y|ies) for changes/);
      expect(w.stderr()).toMatch(/error: /);
      writeFileSync(join(dir, 'image.ts'), moduleSource('four'));
      expect(await w.ended(5)).toMatch(/ done /);
      expect(await imageFile(tag, '/marker')).toBe('four');

      // A module that does not compile: said, still watching; fixed, built.
      writeFileSync(join(dir, 'image.ts'), 'export default Image.(;\n');
      expect(await w.ended(6)).toMatch(/ failed /);
      writeFileSync(join(dir, 'image.ts'), moduleSource('five'));
      expect(await w.ended(7)).toMatch(/ done /);
      expect(await imageFile(tag, '/marker')).toBe('five');
      // One digest on stdout per successful build.
      expect(w.stdout().trim().split('\n')).toHaveLength(5);
    } finally {
      w.child.kill('SIGINT');
    }
    expect(await w.exited).toBe(130);
    // Ctrl-C is how a watch ends: a calm last line, not an error.
    expect(w.stderr().trimEnd().split('\n').at(-1)).toBe('[watch] stopped watching (SIGINT)');
    expect(w.stderr()).not.toMatch(/^error: stopped/m);
  }, 240_000);

  it('a change during a build cancels it and builds again; Ctrl-C during a build cancels it and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-watch-'));
    dirs.push(dir);
    const tag = `kiln-watch/slow:${Date.now()}`;
    tags.push(tag);
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'main.txt'), 'v1\n');
    // The slow step reads the app: every edit makes it run again.
    const slow = (marker: string): string => moduleSource(marker, 'cat /app/main.txt && sleep 120');
    writeFileSync(join(dir, 'image.ts'), moduleSource('fast'));
    const w = startWatch(dir, tag);
    try {
      expect(await w.ended(1)).toMatch(/ done /);
      writeFileSync(join(dir, 'image.ts'), slow('slow'));
      // Build 2 is running its two-minute step: an edit cancels it.
      await w.until(/^#\d+ .*sleep 120/m);
      writeFileSync(join(dir, 'image.ts'), moduleSource('after'));
      expect(await w.ended(3)).toMatch(/ done /);
      expect(w.stderr()).toMatch(/^\[watch\] image\.ts changed: cancelling the running build to start again$/m);
      expect(w.stderr()).not.toMatch(/^\[watch\] build 2 (done|failed)/m);
      expect(await imageFile(tag, '/marker')).toBe('after');
      // Ctrl-C while build 4 runs its slow step: cancelled on the daemon, kiln exits 130 well before the step's end.
      writeFileSync(join(dir, 'image.ts'), slow('slow-again'));
      await w.until(/^\[watch\] build 4: [\s\S]*^#\d+ .*sleep 120/m);
    } finally {
      w.child.kill('SIGINT');
    }
    const stopped = Date.now();
    expect(await w.exited).toBe(130);
    // Well before the step's end: the cancel reaches the daemon, which stops the step; a busy machine (the passes of
    // `npm test` run at the same time) can take seconds over that.
    expect(Date.now() - stopped).toBeLessThan(60_000);
    expect(await imageFile(tag, '/marker')).toBe('after');
  }, 240_000);

  it('a sent directory removed and created again (git checkout, rm -rf && mkdir) is still watched, as is a new subdirectory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-watch-'));
    dirs.push(dir);
    const tag = `kiln-watch/recreated:${Date.now()}`;
    tags.push(tag);
    mkdirSync(join(dir, 'app', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'app', 'pkg', 'mod.txt'), 'v1\n');
    writeFileSync(join(dir, 'image.ts'), moduleSource('one'));
    const w = startWatch(dir, tag);
    try {
      expect(await w.ended(1)).toMatch(/ done /);
      // The directory goes, and another of the same name comes: build 2.
      rmSync(join(dir, 'app', 'pkg'), { recursive: true });
      mkdirSync(join(dir, 'app', 'pkg'));
      writeFileSync(join(dir, 'app', 'pkg', 'mod.txt'), 'v2\n');
      expect(await w.ended(2)).toMatch(/ done /);
      expect(await imageFile(tag, '/app/pkg/mod.txt')).toBe('v2');
      // An edit inside the new directory is seen (the old directory's watch watched nothing any more).
      writeFileSync(join(dir, 'app', 'pkg', 'mod.txt'), 'v3\n');
      expect(await w.ended(3)).toMatch(/ done /);
      expect(w.stderr()).toMatch(/^\[watch\] build 3: app\/pkg\/mod\.txt changed$/m);
      expect(await imageFile(tag, '/app/pkg/mod.txt')).toBe('v3');
      // A new file in a new subdirectory, then an edit of it.
      mkdirSync(join(dir, 'app', 'new', 'deep'), { recursive: true });
      writeFileSync(join(dir, 'app', 'new', 'deep', 'x.txt'), 'x1\n');
      expect(await w.ended(4)).toMatch(/ done /);
      writeFileSync(join(dir, 'app', 'new', 'deep', 'x.txt'), 'x2\n');
      expect(await w.ended(5)).toMatch(/ done /);
      expect(await imageFile(tag, '/app/new/deep/x.txt')).toBe('x2');
    } finally {
      w.child.kill('SIGINT');
    }
    expect(await w.exited).toBe(130);
  }, 240_000);

  it('what the build writes into the directory it sends (-o type=local,dest=out, --metadata-file) starts no build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-watch-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'main.txt'), 'v1\n');
    writeFileSync(
      join(dir, 'image.ts'),
      [`import { Image } from ${JSON.stringify(KILN_INDEX_URL)};`, `export default Image.fromRegistry('busybox:latest').addLocalDir('.', '/ctx');`, ''].join('\n'),
    );
    const w = startWatch(dir, '', ['-o', 'type=local,dest=out', '--metadata-file', 'meta.json']);
    try {
      expect(await w.ended(1)).toMatch(/ done .*wrote /);
      expect(readFileSync(join(dir, 'out', 'ctx', 'main.txt'), 'utf8')).toBe('v1\n');
      writeFileSync(join(dir, 'main.txt'), 'v2\n');
      expect(await w.ended(2)).toMatch(/ done /);
      writeFileSync(join(dir, 'main.txt'), 'v3\n');
      expect(await w.ended(3)).toMatch(/ done /);
      // Each build was started by the user's edit, none by what the one before wrote.
      expect(w.stderr().match(/^\[watch\] build \d+: .*$/gm)).toEqual(['[watch] build 2: main.txt changed', '[watch] build 3: main.txt changed']);
      expect(readFileSync(join(dir, 'out', 'ctx', 'main.txt'), 'utf8')).toBe('v3\n');
    } finally {
      w.child.kill('SIGINT');
    }
    expect(await w.exited).toBe(130);
  }, 240_000);
  it('--progress rawjson: every stderr line is JSON, the builds as kiln events (started, done, failed with the error, stopped)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-watch-'));
    dirs.push(dir);
    const tag = `kiln-watch/rawjson:${Date.now()}`;
    tags.push(tag);
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'main.txt'), 'v1\n');
    writeFileSync(join(dir, 'image.ts'), moduleSource('one'));
    const w = startWatch(dir, tag, ['-t', tag], 'rawjson');
    /** Resolves once build n's done or failed event is written. */
    const ended = (n: number): Promise<void> => w.until(new RegExp(`^\\{"kiln":"build-(done|failed)","build":${n},`, 'm'));
    try {
      await ended(1);
      writeFileSync(join(dir, 'app', 'main.txt'), 'v2\n');
      await ended(2);
      writeFileSync(join(dir, 'image.ts'), moduleSource('three', 'exit 3'));
      await ended(3);
      writeFileSync(join(dir, 'image.ts'), moduleSource('four'));
      await ended(4);
    } finally {
      w.child.kill('SIGINT');
    }
    expect(await w.exited).toBe(130);
    // Every line parses; the status stream's lines are buildx's SolveStatus objects, kiln's own have a `kiln` key.
    const lines = w.stderr().split('\n').filter((l) => l !== '');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parseRecording(w.stderr()).length).toBe(lines.length);
    const events = parsed.filter((p) => 'kiln' in p);
    expect(events.filter((e) => e['kiln'] !== 'watching').map((e) => [e['kiln'], e['build']])).toEqual([
      ['build-started', 1], ['build-done', 1],
      ['build-started', 2], ['build-done', 2],
      ['build-started', 3], ['build-failed', 3],
      ['build-started', 4], ['build-done', 4],
      ['stopped', undefined],
    ]);
    const byKind = (kind: string) => events.filter((e) => e['kiln'] === kind);
    expect(byKind('build-started').map((e) => e['changed'])).toEqual([[], [join(dir, 'app', 'main.txt')], [join(dir, 'image.ts')], [join(dir, 'image.ts')]]);
    const digests = w.stdout().trim().split('\n');
    for (const [i, done] of byKind('build-done').entries()) {
      expect(done).toMatchObject({ names: [expect.stringContaining(tag)], pushed: false, dest: null });
      expect(done['durationMs']).toEqual(expect.any(Number));
      // stdout is unchanged: one digest per successful build, the one its event names.
      expect(done['digest']).toBe(digests[i]);
    }
    expect(digests).toHaveLength(3);
    expect(byKind('build-failed')[0]).toMatchObject({
      durationMs: expect.any(Number),
      error: { code: 'build_failed', message: expect.stringContaining('exit code: 3'), hint: expect.any(String), details: { exitCode: 3 } },
    });
    // Each build's end is followed by what is watched.
    expect(byKind('watching')).toHaveLength(4);
    expect(byKind('watching')[0]).toMatchObject({ directories: expect.any(Number), files: expect.any(Number) });
    expect(events.at(-1)).toEqual({ kiln: 'stopped', signal: 'SIGINT' });
    expect(await imageFile(tag, '/marker')).toBe('four');
  }, 240_000);

  it('--progress rawjson: a change during a build is a build-cancelled event naming the build and the change, and the next build runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-watch-'));
    dirs.push(dir);
    const tag = `kiln-watch/rawjson-cancel:${Date.now()}`;
    tags.push(tag);
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'main.txt'), 'v1\n');
    writeFileSync(join(dir, 'image.ts'), moduleSource('fast'));
    const w = startWatch(dir, tag, ['-t', tag], 'rawjson');
    const ended = (n: number): Promise<void> => w.until(new RegExp(`^\\{"kiln":"build-(done|failed)","build":${n},`, 'm'));
    let marker = '';
    try {
      await ended(1);
      // Build 2 runs a 20-second step (once the status stream says it started): an edit of a sent file cancels it.
      // The step reads the file, so the edit makes it run again, quickly this time.
      marker = `slow-${Date.now()}`; // not in the cache from an earlier run: the step runs
      writeFileSync(join(dir, 'image.ts'), moduleSource(marker, 'grep -q v2 /app/main.txt || sleep 20'));
      await w.until(/^\{"kiln":"build-started","build":2,[\s\S]*"name":"[^"]*sleep 20","started"/m);
      writeFileSync(join(dir, 'app', 'main.txt'), 'v2\n');
      await ended(3);
    } finally {
      w.child.kill('SIGINT');
    }
    expect(await w.exited).toBe(130);
    const events = w
      .stderr()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((p) => 'kiln' in p && p['kiln'] !== 'watching');
    // The cancelled build is neither done nor failed: its cancellation names it and what changed, then build 3 runs.
    expect(events.map((e) => [e['kiln'], e['build']])).toEqual([
      ['build-started', 1], ['build-done', 1],
      ['build-started', 2], ['build-cancelled', 2],
      ['build-started', 3], ['build-done', 3],
      ['stopped', undefined],
    ]);
    expect(events[3]).toEqual({ kiln: 'build-cancelled', build: 2, changed: [join(dir, 'app', 'main.txt')] });
    expect(events[4]).toEqual({ kiln: 'build-started', build: 3, changed: [join(dir, 'app', 'main.txt')] });
    // Build 3 built the edit with the same module: its step ran again, on the new file.
    expect(events[5]).toMatchObject({ digest: expect.stringMatching(/^sha256:/), names: [expect.stringContaining(tag)] });
    expect(await imageFile(tag, '/app/main.txt')).toBe('v2');
    expect(await imageFile(tag, '/marker')).toBe(marker);
  }, 240_000);
});
