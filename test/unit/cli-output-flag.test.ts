/**
 * `kiln build --output` as a buildx user types it, checked through the CLI itself before any daemon is used (the
 * address goes nowhere, so getting past these checks shows as the connection error).
 */
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';

/** A module that loads; the daemon address goes nowhere, so a check that passes shows as the connection error. */
const fixtures = fileURLToPath(new URL('../fixtures/cli-basics/', import.meta.url));
const NO_DAEMON = { BUILDKIT_HOST: 'unix:///nonexistent/kiln-test.sock' };

async function build(args: readonly string[], stdoutIsTTY = false, module = 'no-such-module.ts'): Promise<{ code: number; stderr: string }> {
  const stdout = Object.assign(new PassThrough(), { isTTY: stdoutIsTTY });
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await runCli(['build', module, ...args], { stdout, stderr, env: NO_DAEMON, cwd: fixtures });
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

describe('kiln build --output', () => {
  it('refuses a second --output instead of keeping only the last one', async () => {
    const r = await build(['-o', 'type=local,dest=out', '-o', 'type=tar,dest=out.tar']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --output was given 2 times; kiln builds one output per build');
  });

  it.each([['type=tar'], ['type=oci'], ['-'], ['type=docker,dest=-']])('refuses %s (a tarball on stdout) when stdout is a terminal', async (spec) => {
    const r = await build(['-o', spec], true, 'hello.ts:hello');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: output type=(tar|oci|docker) writes a tarball to stdout, which is a terminal/);
    expect(r.stderr).toContain('kiln build … > image.tar');
  });

  it('takes a tarball on stdout when stdout is not a terminal', async () => {
    const r = await build(['-o', 'type=tar'], false, 'hello.ts:hello');
    expect(r.stderr).not.toContain('terminal');
    expect(r.stderr).toContain('kiln-test.sock');
  });

  it.each([['type=registry'], ['type=image,push=true'], ['type=image']])('takes the image names of %s from -t, as buildx does', async (spec) => {
    const r = await build(['-t', '127.0.0.1:5000/app:1', '-o', spec], false, 'hello.ts:hello');
    expect(r.stderr).not.toContain('needs name=');
    expect(r.stderr).toContain('kiln-test.sock');
  });

  it('refuses an image output with neither name= nor -t', async () => {
    const r = await build(['-o', 'type=registry'], false, 'hello.ts:hello');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: output type=registry needs name=REF (e.g. name=127.0.0.1:5000/app:1) or a tag (-t)');
  });
});
