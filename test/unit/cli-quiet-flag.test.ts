/**
 * `kiln build -q`, `--progress none` and `--iidfile` as buildx reads them, checked through the CLI before any module
 * or daemon is used (the module named does not exist: getting past the checks shows as its error).
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';

/** A module that loads; the daemon address goes nowhere, so a check that passes shows as the connection error. */
const fixtures = fileURLToPath(new URL('../fixtures/cli-basics/', import.meta.url));
const NO_DAEMON = { BUILDKIT_HOST: 'unix:///nonexistent/kiln-test.sock' };

async function build(args: readonly string[], env: Record<string, string> = {}, module = 'no-such-module.ts'): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await runCli(['build', module, ...args], { stdout, stderr, env: { ...NO_DAEMON, ...env }, cwd: fixtures });
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

describe('kiln build -q / --progress none / --iidfile', () => {
  it.each([[['-q']], [['--quiet', '--progress', 'quiet']], [['--progress', 'none']], [['-q', '--progress', 'auto']]])('accepts %j', async (args) => {
    const r = await build(args);
    expect(r.stderr).not.toMatch(/unknown option|invalid|cannot be used together/);
    expect(r.stderr).toMatch(/no-such-module\.ts/);
  });

  it('refuses -q with a --progress that shows progress, as buildx does', async () => {
    const r = await build(['-q', '--progress', 'plain']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --progress plain and --quiet cannot be used together');
  });

  it('-q wins over BUILDKIT_PROGRESS from the environment', async () => {
    const r = await build(['-q'], { BUILDKIT_PROGRESS: 'plain' });
    expect(r.stderr).not.toContain('cannot be used together');
  });

  it('refuses --iidfile with an output that is not an image', async () => {
    const r = await build(['--iidfile', 'iid', '-o', 'type=local,dest=out'], {}, 'hello.ts:hello');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --iidfile needs an image, and --output type=local writes files');
  });

  it('refuses --iidfile without an output before building, not after the build as a daemon that reported no ID', async () => {
    const r = await build(['--iidfile', 'iid'], {}, 'hello.ts:hello');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --iidfile needs an image, and no output was requested');
    expect(r.stderr).toContain('hint: Add --load, -t NAME, --push or --output');
    expect(r.stderr).not.toContain('kiln-test.sock');
  });

  it('a failed build leaves no old ID behind --iidfile, also through a link (the link stays)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-iidfile-'));
    try {
      mkdirSync(join(dir, 'real'));
      writeFileSync(join(dir, 'real', 'iid'), 'sha256:previous-build');
      symlinkSync(join('real', 'iid'), join(dir, 'iid'));
      writeFileSync(join(dir, 'plain-iid'), 'sha256:previous-build');
      // No daemon: the build fails after the checks, as a build that breaks would.
      expect((await build(['--iidfile', join(dir, 'iid'), '-t', 'app:1'], {}, 'hello.ts:hello')).code).not.toBe(0);
      expect((await build(['--iidfile', join(dir, 'plain-iid'), '-t', 'app:1'], {}, 'hello.ts:hello')).code).not.toBe(0);
      expect(readdirSync(dir).sort()).toEqual(['iid', 'real']);
      expect(lstatSync(join(dir, 'iid')).isSymbolicLink()).toBe(true);
      expect(readdirSync(join(dir, 'real'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
