/**
 * `kiln build`'s path flags given as `--flag=~/…` (or quoted): the `~` reaches kiln unexpanded and is read as the home
 * directory, as a shell reads it. (Outputs, caches, --iidfile and --metadata-file: test/integration/cli-commands.)
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';

async function run(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const err: Buffer[] = [];
  stdout.resume();
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(args, { stdout, stderr, env, cwd: '/' });
  return { code, stderr: Buffer.concat(err).toString('utf8') };
}

describe('kiln build path flags with a leading ~', () => {
  it('--context=~/dir is looked for in the home directory', async () => {
    const r = await run(['build', 'image.ts', '--context=~/kiln-no-such-context'], { HOME: '/nonexistent-home' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--context ~/kiln-no-such-context does not exist (looked for /nonexistent-home/kiln-no-such-context)');
  });
});
