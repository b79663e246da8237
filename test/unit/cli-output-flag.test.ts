/**
 * `kiln build --output` as a buildx user types it: checked through the CLI itself, before any module or daemon is
 * used (the module named does not exist, so getting past these checks shows as "cannot find module").
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';

async function build(args: readonly string[], stdoutIsTTY = false): Promise<{ code: number; stderr: string }> {
  const stdout = Object.assign(new PassThrough(), { isTTY: stdoutIsTTY });
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await runCli(['build', 'no-such-module.ts', ...args], { stdout, stderr, env: {}, cwd: process.cwd() });
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

describe('kiln build --output', () => {
  it('refuses a second --output instead of keeping only the last one', async () => {
    const r = await build(['-o', 'type=local,dest=out', '-o', 'type=tar,dest=out.tar']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --output was given 2 times; kiln builds one output per build');
  });

  it.each([['type=tar'], ['type=oci'], ['-'], ['type=docker,dest=-']])('refuses %s (a tarball on stdout) when stdout is a terminal', async (spec) => {
    const r = await build(['-o', spec], true);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: output type=(tar|oci|docker) writes a tarball to stdout, which is a terminal/);
    expect(r.stderr).toContain('kiln build … > image.tar');
  });

  it('takes a tarball on stdout when stdout is not a terminal', async () => {
    const r = await build(['-o', 'type=tar']);
    expect(r.stderr).not.toContain('terminal');
    expect(r.stderr).toMatch(/no-such-module\.ts/);
  });
});
