/**
 * Two checkouts of one commit share the daemon's cache, as a CI runner and a developer (or two CI jobs) building on one
 * daemon do. Checkout B is a clone in another directory (a path with a space, accents and CJK letters: the session's
 * name, the directory's, once failed the build on a buildkitd, and on dockerd too for CJK), with other file
 * times, owned by another user and with its files written in another order; every step of its build is CACHED after
 * checkout A's, for an Image with local files (addLocalFile, addLocalDir, addLocalPythonSource, run steps between and
 * after them) and for a Dockerfile (COPY, COPY --chmod, RUN), without SOURCE_DATE_EPOCH and with it.
 *
 * A checkout made under umask 002 (group-writable files and directories) is another matter: the modes of the files
 * sent are part of a copy's cache key, as with docker build (BuildKit keys a copy on the files' tar headers, mode
 * included, and `COPY --chmod` does not change that), so its local-file steps and the steps after them rebuild while
 * the steps before the first local file stay cached (README, "Making hits likely across machines").
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';

const stamp = `${process.pid}-${Date.now()}`;
let work: string;
let origin: string;

/** Clones the origin repository into `dest` under `umask`, as a CI checkout step does. */
function clone(dest: string, umask: string): string {
  execFileSync('sh', ['-c', `umask ${umask} && git clone -q "$0" "$1"`, origin, dest], { stdio: 'pipe' });
  return dest;
}

/** Every file and directory under `dir` (but .git), depth first. */
function entries(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel))) {
    if (rel === '' && name === '.git') continue;
    const path = rel === '' ? name : `${rel}/${name}`;
    if (lstatSync(join(dir, path)).isDirectory()) out.push(...entries(dir, path));
    out.push(path);
  }
  return out;
}

/** `kiln build image.ts:<name>` in `dir` with plain progress; returns the steps it ran (name → CACHED or not). */
async function build(dir: string, name: string, env: Readonly<Record<string, string>> = {}): Promise<Map<string, boolean>> {
  const r = await runKiln(['build', `image.ts:${name}`, '--progress', 'plain'], { cwd: dir, env: { SOURCE_DATE_EPOCH: '', ...env } });
  expect(r.stderr).not.toMatch(/^error/m);
  expect(r.code).toBe(0);
  // A vertex's first line is its name; steps are the vertices that are not loading sources or exporting.
  const names = new Map<string, string>();
  for (const m of r.stderr.matchAll(/^#(\d+) (.+)$/gm)) if (!names.has(m[1]!)) names.set(m[1]!, m[2]!);
  const lines = new Set(r.stderr.split('\n'));
  const steps = [...names].filter(([, text]) => !/^(load |\[internal\]|exporting|resolve)/.test(text));
  return new Map(steps.map(([id, text]) => [text, lines.has(`#${id} CACHED`)]));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kiln-checkouts-it-'));
  origin = join(work, 'origin');
  const file = (path: string, text: string, mode = 0o644): void => {
    mkdirSync(join(origin, path, '..'), { recursive: true });
    writeFileSync(join(origin, path), text);
    chmodSync(join(origin, path), mode);
  };
  file(
    'image.ts',
    `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
      `export const img = Image.fromRegistry('busybox:latest')\n` +
      `  .workdir('/srv')\n` +
      `  .runCommands('echo ${stamp} > /srv/first')\n` +
      `  .addLocalFile('config.yaml', '/srv/config.yaml')\n` +
      `  .addLocalDir('app', '/srv/app')\n` +
      `  .runCommands('find /srv | sort > /srv/list')\n` +
      `  .addLocalPythonSource('mymod')\n` +
      `  .addLocalFile('run.sh', '/usr/local/bin/run.sh')\n` +
      `  .runCommands('cat /srv/config.yaml /usr/local/bin/run.sh > /srv/last');\n` +
      `export const df = Image.fromDockerfile('Dockerfile', { context: '.' });\n`,
  );
  file('Dockerfile', `FROM busybox:latest\nRUN echo ${stamp} > /first\nCOPY app /df/app\nCOPY --chmod=755 run.sh /df/run.sh\nRUN find /df | sort > /df/list\n`);
  file('config.yaml', `stamp: ${stamp}\n`);
  file('run.sh', `#!/bin/sh\necho ${stamp}\n`, 0o755);
  file('app/main.py', `print("${stamp}")\n`);
  file('app/pkg/__init__.py', 'x = 1\n');
  file('app/pkg/util.py', 'def f():\n    return 2\n');
  file('mymod/__init__.py', `STAMP = "${stamp}"\n`);
  const git = (...args: string[]): void => void execFileSync('git', ['-C', origin, ...args], { stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=kiln', '-c', 'user.email=kiln@example.com', 'commit', '-q', '-m', 'one commit');
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('two checkouts of one commit on one daemon', () => {
  it('builds every step of checkout B from the cache checkout A left: other directory, file times, owner and file order', async () => {
    const a = clone(join(work, 'a'), '022');
    const b = clone(join(work, 'checkout b', 'prójekt ü 项目'), '022');
    // B's files: written again in the reverse order (with their modes), other times, another owner.
    for (const path of entries(b).reverse()) {
      const full = join(b, path);
      const st = lstatSync(full);
      if (st.isFile()) {
        const data = readFileSync(full);
        unlinkSync(full);
        writeFileSync(full, data);
        chmodSync(full, st.mode & 0o7777);
      }
    }
    for (const path of entries(b)) {
      utimesSync(join(b, path), 1_650_000_000, 1_650_000_000);
      if (process.getuid?.() === 0) chownSync(join(b, path), 4321, 4321);
    }

    for (const name of ['img', 'df']) {
      const first = await build(a, name);
      // The steps that carry this run's stamp ran: the cache did not come from an earlier test run.
      expect([...first].filter(([step, hit]) => step.includes(stamp) && hit)).toEqual([]);
      // BuildKit v0.8 gets consecutive copies in one step; later versions have a step per copy and merges.
      expect(first.size).toBeGreaterThanOrEqual(name === 'img' ? 6 : 3);
      const second = await build(b, name);
      expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
      expect([...second].filter(([, hit]) => !hit).map(([step]) => step)).toEqual([]);
    }

    // With SOURCE_DATE_EPOCH (a release build), the same: the epoch is the same for both checkouts of the commit.
    const epoch = { SOURCE_DATE_EPOCH: `${1_700_000_000 + (Date.now() % 100_000_000)}` };
    await build(a, 'img', epoch);
    const second = await build(b, 'img', epoch);
    expect([...second].filter(([, hit]) => !hit).map(([step]) => step)).toEqual([]);
  });

  it('rebuilds from the first local-file step for a checkout made under umask 002 (file modes are part of the key, as in docker build)', async () => {
    const a = clone(join(work, 'a022'), '022');
    const c = clone(join(work, 'c002'), '002');
    expect(lstatSync(join(c, 'config.yaml')).mode & 0o777).toBe(0o664);
    for (const name of ['img', 'df']) await build(a, name);

    const img = await build(c, 'img');
    expect(img.get('WORKDIR /srv')).toBe(true);
    expect(img.get(`echo ${stamp} > /srv/first`)).toBe(true);
    expect([...img].filter(([step]) => step.includes('copy config.yaml')).map(([, hit]) => hit)).toContain(false);
    expect(img.get('cat /srv/config.yaml /usr/local/bin/run.sh > /srv/last')).toBe(false);

    const df = await build(c, 'df');
    expect(df.get(`echo ${stamp} > /first`)).toBe(true);
    expect([...df].filter(([step]) => step.includes('copy app')).map(([, hit]) => hit)).toContain(false);
    // COPY --chmod sets the mode in the image, yet the key still holds the mode sent (docker build: moby/moby#46708).
    expect([...df].filter(([step]) => step.includes('copy run.sh')).map(([, hit]) => hit)).toContain(false);
  });
});
