/**
 * `kiln build --cache-from/--cache-to` with a malformed spec: the error names the flag, the keys and the field at
 * fault, never a value — specs carry credentials (`token=`, `secret_access_key=`) and CI logs keep stderr. Checked
 * through the CLI itself (the option parser used to quote the whole argument), before any module or daemon is used.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';
import { parseCacheFlag, parseCacheSpec } from '../../src/cli/cache-flag.js';

const TOKEN = 'S3CR3T-cache-token-5e1f';

async function build(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await runCli(['build', 'no-such-module.ts', ...args], { stdout, stderr, env: {}, cwd: process.cwd() });
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

describe('kiln build cache specs', () => {
  it('a spec without type= is named by its keys only', async () => {
    const r = await build(['--cache-to', `url=https://cache.example,token=${TOKEN}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stderr).toContain('error: --cache-to url=…,token=… has no type= (registry, inline, local, gha, s3, azblob)');
  });

  it('a field that is not key=value is named by its position only', async () => {
    const r = await build(['--cache-from', `type=s3,bucket=b,${TOKEN}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stderr).toContain('error: --cache-from: field 3 of 3 is not key=value (the field is not shown: it may be a secret)');
  });

  it('a field with an empty key is not key=value either', async () => {
    const r = await build(['--cache-from', `type=s3,=${TOKEN}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stderr).toContain('error: --cache-from: field 2 of 2 is not key=value (the field is not shown: it may be a secret)');
  });

  it('well-formed specs parse as before', () => {
    expect(parseCacheSpec('--cache-to', `type=gha,url=https://cache.example,token=${TOKEN},mode=max`)).toEqual({
      type: 'gha',
      attrs: { url: 'https://cache.example', token: TOKEN, mode: 'max' },
    });
    expect(parseCacheSpec('--cache-from', 'registry.example/app:cache')).toEqual({ type: 'registry', attrs: { ref: 'registry.example/app:cache' } });
  });

  it('a quoted field may hold commas, as buildx reads it', () => {
    expect(parseCacheSpec('--cache-to', 'type=s3,bucket=b,"region=x,y",mode=max')).toEqual({ type: 's3', attrs: { bucket: 'b', region: 'x,y', mode: 'max' } });
    expect(parseCacheSpec('--cache-from', 'type=registry,"ref=127.0.0.1:5000/app:cache"')).toEqual({ type: 'registry', attrs: { ref: '127.0.0.1:5000/app:cache' } });
  });

  it('keys are case-insensitive and mode is left to the daemon (min) when not given', () => {
    expect(parseCacheSpec('--cache-to', 'TYPE=registry,Ref=reg/app:cache')).toEqual({ type: 'registry', attrs: { ref: 'reg/app:cache' } });
  });

  it('a comma-separated list of bare refs is one registry import per ref', () => {
    expect(parseCacheFlag('--cache-from', 'reg/app:main,reg/app:pr-1')).toEqual([
      { type: 'registry', attrs: { ref: 'reg/app:main' } },
      { type: 'registry', attrs: { ref: 'reg/app:pr-1' } },
    ]);
    expect(parseCacheFlag('--cache-from', 'type=registry,ref=reg/app:main')).toEqual([{ type: 'registry', attrs: { ref: 'reg/app:main' } }]);
  });

  it('a misplaced quote is refused through the CLI, naming the field by position', async () => {
    const r = await build(['--cache-to', `type=gha,token="${TOKEN},x"`]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stderr).toContain('error: --cache-to: field 2 has a quote that does not start it');
  });
});
