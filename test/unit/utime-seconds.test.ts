import { mkdtempSync, rmSync, utimesSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appliedNanos, utimeSeconds } from '../../src/session/utime-seconds.js';

// What each libuv does with utimes' seconds: Node 24 (libuv 1.52) keeps the nanoseconds, Node 20 and 22 truncate
// them to the microsecond. CI runs one of them, so both are emulated here.
const SECOND = 1_000_000_000n;
const nodeNs = (t: number | string): bigint => BigInt(Math.trunc(Number(t))) * SECOND + BigInt(appliedNanos(Number(t)));
const nodeUs = (t: number | string): bigint => {
  const ns = appliedNanos(Number(t));
  return BigInt(Math.trunc(Number(t))) * SECOND + BigInt(ns - (ns % 1000));
};

function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

describe('utimeSeconds', () => {
  it('a whole second (SOURCE_DATE_EPOCH, a rewritten timestamp) lands exactly on Node 20/22 and on Node 24', () => {
    for (const s of [0n, 1n, 1_600_000_000n, 1_700_000_000n, 2_147_483_647n, 2_147_483_648n, 4_000_000_000n]) {
      const t = utimeSeconds(s * SECOND);
      expect(nodeUs(t)).toBe(s * SECOND);
      expect(nodeNs(t)).toBe(s * SECOND);
    }
  });

  it('any time: the microsecond exactly where Node truncates to it, the nearest nanosecond a double gives where it does not', () => {
    const rand = prng(7);
    for (let i = 0; i < 5_000; i++) {
      const ns = BigInt(Math.floor(rand() * 2_500_000_000)) * SECOND + BigInt(Math.floor(rand() * 1e9));
      const t = utimeSeconds(ns);
      expect(nodeUs(t)).toBe(ns - (ns % 1000n));
      const off = nodeNs(t) - ns;
      // Doubles of this size are 2^-22 s (≈ 238 ns) apart, 2^-21 s past 2^31 s (2038).
      expect(off < 0n ? -off : off).toBeLessThanOrEqual(ns < 2_147_483_648n * SECOND ? 239n : 477n);
      expect(nodeNs(t) / 1000n).toBe(ns / 1000n);
    }
  });

  it('a time Node 24 set (a file of the context, a time another Node wrote) is set back to the nanosecond', () => {
    const rand = prng(11);
    for (let i = 0; i < 5_000; i++) {
      const ns = nodeNs(1_000_000_000 + rand() * 1_000_000_000);
      expect(nodeNs(utimeSeconds(ns))).toBe(ns);
    }
  });

  it('the running Node gives a file the whole second asked for, and the microsecond of any time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-utime-'));
    try {
      const file = join(dir, 'f');
      writeFileSync(file, '');
      for (const ns of [1_700_000_000n * SECOND, 1_650_000_999_027_026_891n, 1_600_000_000_000_001_000n]) {
        const t = utimeSeconds(ns);
        utimesSync(file, t, t);
        const got = lstatSync(file, { bigint: true }).mtimeNs;
        expect(got / 1000n).toBe(ns / 1000n);
        if (ns % SECOND === 0n) expect(got).toBe(ns);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a time before 1970 (a layer file with such an mtime) is given to the file, not the time of the export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-utime-'));
    try {
      const file = join(dir, 'f');
      writeFileSync(file, '');
      for (const ns of [-SECOND, -86_400n * SECOND, -1_000_000_000n * SECOND, -86_400n * SECOND + 250_000n]) {
        const t = utimeSeconds(ns);
        utimesSync(file, t, t);
        expect(lstatSync(file, { bigint: true }).mtimeNs).toBe(ns);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
