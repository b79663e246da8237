/**
 * The image a build produces, built twice from two checkouts of one commit (other directories, other file times,
 * another owner) with the cache ignored, as a CI runner and someone verifying a published image would:
 * - with `SOURCE_DATE_EPOCH` and `rewrite-timestamp=true` on BuildKit v0.13+ (KILN_ENV_ENGINE=modern) the OCI
 *   tarball is the same bit for bit, and so are its digest, its layers and its config, on dockerd 26.1 and on the
 *   same BuildKit reached as a standalone buildkitd;
 * - without `rewrite-timestamp` the files run steps write (and the directories copies create) keep the time they
 *   were written at, so the layers and the image digest differ: the option is what makes the digest reproducible;
 * - an output that cannot honour it (an image dockerd stores itself; BuildKit before v0.13, dockerd 20.10) is refused
 *   before anything is built, instead of exporting an image with every file's own time.
 */
import { createHash } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { testEnv } from './test-env.js';

const env = testEnv();
const stamp = `${Date.now()}`;
const EPOCH = { SOURCE_DATE_EPOCH: '1700000000' };
let checkouts: string[] = [];
let out: string;

/** One checkout of the project: the same files, touched at `seconds`, owned by `uid` when running as root. */
function checkout(seconds: number, uid: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-repro-it-'));
  writeFileSync(
    join(dir, 'image.ts'),
    `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
      `export default Image.fromRegistry('busybox:latest')\n` +
      `  .env({ B: '2', A: '1' })\n` +
      `  .labels({ 'z.label': 'z', 'a.label': 'a' })\n` +
      `  .workdir('/srv')\n` +
      `  .addLocalDir('app', '/srv/app')\n` +
      `  .addLocalFile('app/main.sh', '/usr/local/bin/main.sh')\n` +
      `  .runCommands('echo ${stamp} > /srv/stamp && mkdir -p /opt/x && echo y > /opt/x/y')\n` +
      `  .cmd(['/usr/local/bin/main.sh']);\n`,
  );
  mkdirSync(join(dir, 'app', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'app', 'main.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  writeFileSync(join(dir, 'app', 'sub', 'data.txt'), 'data\n', { mode: 0o644 });
  for (const f of ['app/main.sh', 'app/sub/data.txt', 'app/sub', 'app', 'image.ts']) {
    utimesSync(join(dir, f), seconds, seconds);
    if (process.getuid?.() === 0) chownSync(join(dir, f), uid, uid);
  }
  checkouts.push(dir);
  return dir;
}

/** Builds the checkout `dir` with the cache ignored into an OCI tarball; returns the tarball's sha256 and the digest kiln printed. */
async function buildOci(dir: string, name: string, extra: string, epoch: Readonly<Record<string, string>>): Promise<{ file: string; digest: string }> {
  const dest = join(out, `${name}.tar`);
  const r = await runKiln(['build', 'image.ts', '--no-cache', '--progress', 'quiet', '-o', `type=oci,dest=${dest}${extra}`], { cwd: dir, env: epoch });
  expect(r.stderr).toBe(`wrote ${dest}\n`);
  expect(r.code).toBe(0);
  const digest = /^(sha256:[0-9a-f]{64})$/m.exec(r.stdout)?.[1];
  expect(digest).toBeDefined();
  return { file: createHash('sha256').update(readFileSync(dest)).digest('hex'), digest: digest! };
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'kiln-repro-out-'));
});

afterAll(() => {
  for (const d of [...checkouts, out]) rmSync(d, { recursive: true, force: true });
  checkouts = [];
});

describe('reproducible images', () => {
  it('gives two checkouts of one commit the same image bit for bit with SOURCE_DATE_EPOCH and rewrite-timestamp=true (BuildKit v0.13+)', async () => {
    const a = checkout(1_577_836_800, 0);
    const b = checkout(1_717_245_296, 1234);
    const rewrite = ',rewrite-timestamp=true';
    if (env.engine === 'modern') {
      const first = await buildOci(a, 'a', rewrite, EPOCH);
      const second = await buildOci(b, 'b', rewrite, EPOCH);
      expect(second).toEqual(first);
      // Someone verifying the image on another daemon (the same BuildKit as a standalone buildkitd) gets it too.
      const verifier = await buildOci(b, 'c', rewrite, { ...EPOCH, BUILDKIT_HOST: env.buildkitdStandIn.unix });
      expect(verifier).toEqual(first);
      // The option is what does it: without it the run step's files carry the time they were written at.
      const plainA = await buildOci(a, 'plain-a', '', EPOCH);
      const plainB = await buildOci(b, 'plain-b', '', EPOCH);
      expect(plainB.digest).not.toBe(plainA.digest);
    } else {
      // dockerd 20.10 (BuildKit v0.8) has no such option: refused before the build rather than ignored.
      const r = await runKiln(['build', 'image.ts', '--no-cache', '--progress', 'quiet', '-o', `type=oci,dest=${join(out, 'a.tar')}${rewrite}`], { cwd: a, env: EPOCH });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('rewrite-timestamp=true needs BuildKit v0.13 or later; dockerd 20.10');
      expect(r.stderr).toContain('would ignore it');
    }
  });

  it("refuses rewrite-timestamp=true for an image dockerd stores (its exporter cannot apply it), before building", async () => {
    const dir = checkout(1_600_000_000, 0);
    const r = await runKiln(['build', 'image.ts', '--progress', 'quiet', '-o', `type=image,name=kiln-repro/app:${stamp},rewrite-timestamp=true`], { cwd: dir, env: EPOCH });
    if (env.buildkitHostSource === 'BUILDKIT_HOST') {
      // A buildkitd's own image exporter stores the image itself and applies the option: nothing to refuse.
      expect(r.code, r.stderr).toBe(0);
      return;
    }
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: rewrite-timestamp=true is not available for an image stored by dockerd');
    expect(r.stderr).toContain('hint: Write the image to a file');
    expect(r.stderr).not.toContain('#1');
  });

  it('refuses rewrite-timestamp=true without SOURCE_DATE_EPOCH, which leaves it nothing to clamp to', async () => {
    const dir = checkout(1_600_000_000, 0);
    const r = await runKiln(['build', 'image.ts', '--progress', 'quiet', '-o', `type=oci,dest=${join(out, 'none.tar')},rewrite-timestamp=true`], { cwd: dir, env: { SOURCE_DATE_EPOCH: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no SOURCE_DATE_EPOCH was given');
  });
});
