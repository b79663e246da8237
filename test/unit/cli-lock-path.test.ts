/**
 * Where `kiln build` looks for its lock file: kiln.lock.json beside the module (not in the directory kiln runs in),
 * or `--lock-file` relative to that directory. Checked through the CLI with `--frozen-lock`, whose error names the
 * path, before any daemon is used.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';

let work = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kiln-lock-path-'));
  mkdirSync(join(work, 'images'));
  const index = new URL('../../src/index.ts', import.meta.url).href;
  writeFileSync(join(work, 'images', 'app.ts'), `import { Image } from ${JSON.stringify(index)};\nexport default Image.fromRegistry('busybox:latest');\n`);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function frozen(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await runCli(['build', 'images/app.ts', '--frozen-lock', ...args], { stdout: new PassThrough(), stderr, env, cwd: work });
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

describe('kiln build lock file path', () => {
  it('is kiln.lock.json beside the module by default', async () => {
    const r = await frozen([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: --frozen-lock needs the lock file ${join(work, 'images', 'kiln.lock.json')}, which does not exist`);
  });

  it('is --lock-file relative to the directory kiln runs in when given', async () => {
    const r = await frozen(['--lock-file', 'locks/app.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: --frozen-lock needs the lock file ${join(work, 'locks', 'app.json')}, which does not exist`);
  });

  it('is under the home directory for --lock-file=~/… (the ~ reaches kiln unexpanded)', async () => {
    const r = await frozen(['--lock-file=~/locks/app.json'], { HOME: join(work, 'home') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: --frozen-lock needs the lock file ${join(work, 'home', 'locks', 'app.json')}, which does not exist`);
  });
});
