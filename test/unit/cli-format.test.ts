/**
 * The sizes and durations `kiln prune` reads (`--keep-storage`, `--keep-duration`) and the columns `kiln workers` and
 * `kiln du --verbose` print.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatBytes, parseBytes, parseDuration, table } from '../../src/cli/format.js';
import { runCli } from '../../src/cli/program.js';

const NO_DAEMON = { BUILDKIT_HOST: 'unix:///nonexistent/kiln-test.sock' };

async function prune(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await runCli(['prune', ...args], { stdout: new PassThrough(), stderr, env: NO_DAEMON, cwd: process.cwd() });
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

describe('kiln prune --keep-storage', () => {
  it('reads sizes as docker and buildx do: every unit binary, GB the same as GiB', () => {
    expect(parseBytes('2048')).toBe(2048);
    expect(parseBytes('100b')).toBe(100);
    expect(parseBytes('10GB')).toBe(10 * 1024 ** 3);
    expect(parseBytes('10GiB')).toBe(10 * 1024 ** 3);
    expect(parseBytes('10g')).toBe(10 * 1024 ** 3);
    expect(parseBytes('512mb')).toBe(512 * 1024 ** 2);
    expect(parseBytes('1.5k')).toBe(1536);
    expect(parseBytes(' 2 TB ')).toBe(2 * 1024 ** 4);
    expect(parseBytes('1PB')).toBe(1024 ** 5);
  });

  it.each(['lots', '', 'GB', '10 XB', '10ib', '-1GB', '1.2.3GB'])('refuses %j', (text) => {
    expect(parseBytes(text)).toBeUndefined();
  });

  it('a malformed size is a usage error before any daemon is reached; a good one gets as far as connecting', async () => {
    const bad = await prune(['--keep-storage', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"lots" is not a size');
    const good = await prune(['--keep-storage', '10GiB']);
    expect(good.stderr).not.toContain('is not a size');
    expect(good.stderr).toContain('kiln-test.sock');
  });
});

describe('kiln prune --keep-duration', () => {
  it('reads Go-style durations, days too', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5h')).toBe(5_400_000);
  });

  it.each(['', '24', 'h', '24 h', '1x', '1h junk'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('a malformed duration is a usage error', async () => {
    const bad = await prune(['--keep-duration', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"soon" is not a duration');
  });
});

describe('kiln du sizes and columns', () => {
  it('prints decimal sizes as docker does', () => {
    expect(formatBytes(0)).toBe('0B');
    expect(formatBytes(999)).toBe('999B');
    expect(formatBytes(1500)).toBe('1.50kB');
    expect(formatBytes(25_300_000)).toBe('25.3MB');
    expect(formatBytes(734_000_000)).toBe('734MB');
    expect(formatBytes(3_000_000_000_000_000)).toBe('3000TB');
  });

  it('pads every column but the last to its widest cell', () => {
    expect(table([['ID', 'PLATFORMS'], ['abcdef', 'linux/amd64,linux/arm64']])).toBe('ID      PLATFORMS\nabcdef  linux/amd64,linux/arm64');
  });
});
