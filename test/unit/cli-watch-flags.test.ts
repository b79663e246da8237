/**
 * `kiln build --watch` with flags that cannot work together: said once, before connecting or loading anything, and
 * kiln exits as `kiln build` does — not the same error after every build while the watch goes on, as an edit of the
 * module cannot fix a command line.
 */
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';

const fixtures = fileURLToPath(new URL('../fixtures/cli-basics/', import.meta.url));

/** Runs kiln with a daemon address nothing listens on: reaching it would fail with another error. */
async function kiln(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  const code = await runCli(['build', 'hello.ts', '--progress', 'plain', '--watch', ...args], {
    stdout,
    stderr,
    env: { BUILDKIT_HOST: 'unix:///nonexistent/kiln-watch-flags.sock', NO_COLOR: '1' },
    cwd: fixtures,
  });
  return { code, stderr: text };
}

describe('kiln build --watch with contradictory flags', () => {
  it('--iidfile with a local output: the error once, exit 2, no watch started', async () => {
    const r = await kiln(['--iidfile', 'id.txt', '-o', 'type=local,dest=out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --iidfile needs an image, and --output type=local writes files$/m);
    expect(r.stderr).not.toMatch(/\[watch\]/);
  });

  it('a tarball on stdout: refused before starting', async () => {
    const r = await kiln(['-o', 'type=tar,dest=-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --watch builds again on every change, and --output type=tar writes a tarball to stdout$/m);
  });

  it('--frozen-lock without its lock file: refused before starting', async () => {
    const r = await kiln(['--frozen-lock', '--lock-file', 'no-such.lock']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --frozen-lock needs the lock file .*no-such\.lock, which does not exist$/m);
  });

  it('--push without -t is left to the module, which may name the image (a Chutes identity): the daemon is reached', async () => {
    const r = await kiln(['--push']);
    expect(r.stderr).not.toMatch(/--push needs/);
    expect(r.code).not.toBe(2);
  });
});
