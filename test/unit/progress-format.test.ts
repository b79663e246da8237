import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatElapsed,
  formatFixed,
  formatLogSeconds,
  formatSummaryLine,
  type ProgressSummary,
} from '../../src/progress/index.js';

describe('formatFixed (Go %.Nf rounding)', () => {
  it('rounds exact binary ties to the even digit, like buildx', () => {
    expect(formatFixed(0.25, 1)).toBe('0.2');
    expect(formatFixed(0.75, 1)).toBe('0.8');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(3.5, 0)).toBe('4');
    expect(formatFixed(1.125, 2)).toBe('1.12');
    expect(formatFixed(-0.25, 1)).toBe('-0.2');
  });

  it('rounds non-ties to nearest using the exact binary value', () => {
    expect(formatFixed(0.35, 1)).toBe('0.3'); // 0.35 is stored as 0.34999…
    expect(formatFixed(1.236, 1)).toBe('1.2');
    expect(formatFixed(12.3456, 3)).toBe('12.346');
    expect(formatFixed(0, 3)).toBe('0.000');
    expect(formatFixed(0.0000001, 2)).toBe('0.00');
  });
});

describe('formatBytes (buildx sizes)', () => {
  it('prints whole bytes below 1000 and decimal units with two decimals above', () => {
    expect(formatBytes(0)).toBe('0B');
    expect(formatBytes(453)).toBe('453B');
    expect(formatBytes(999)).toBe('999B');
    expect(formatBytes(1000)).toBe('1.00kB');
    expect(formatBytes(4213)).toBe('4.21kB');
    expect(formatBytes(29_126_484)).toBe('29.13MB');
    expect(formatBytes(1_500_000_000)).toBe('1.50GB');
    expect(formatBytes(2_000_000_000_000)).toBe('2.00TB');
  });
});

describe('formatLogSeconds', () => {
  it('uses 3 decimals below 10 s, 2 below 100 s, else 1', () => {
    expect(formatLogSeconds(0)).toBe('0.000');
    expect(formatLogSeconds(153)).toBe('0.153');
    expect(formatLogSeconds(9_999)).toBe('9.999');
    expect(formatLogSeconds(12_400)).toBe('12.40');
    expect(formatLogSeconds(99_994)).toBe('99.99');
    expect(formatLogSeconds(131_240)).toBe('131.2');
  });
});

describe('formatElapsed', () => {
  it('shows seconds with a decimal under a minute, then minutes and hours', () => {
    expect(formatElapsed(12_345)).toBe('12.3s');
    expect(formatElapsed(125_000)).toBe('2m 05s');
    expect(formatElapsed(3_725_000)).toBe('1h 02m 05s');
  });
});

describe('formatSummaryLine', () => {
  const base: ProgressSummary = { steps: 7, cached: 3, errors: 0, canceled: 0, running: 0, durationMs: 12_300 };

  it('reports success', () => {
    expect(formatSummaryLine(base)).toBe('7 steps, 3 cached, done in 12.3s');
    expect(formatSummaryLine({ ...base, steps: 1, cached: 0 })).toBe('1 step, 0 cached, done in 12.3s');
  });

  it('reports failed steps and cancellation', () => {
    expect(formatSummaryLine({ ...base, errors: 1, canceled: 1 })).toBe('7 steps, 3 cached, 1 failed after 12.3s');
    expect(formatSummaryLine({ ...base, canceled: 2 })).toBe('7 steps, 3 cached, canceled after 12.3s');
  });

  it('lets the caller say the build failed when no step did (e.g. the export failed)', () => {
    expect(formatSummaryLine(base, { outcome: 'failed' })).toBe('7 steps, 3 cached, failed after 12.3s');
  });
});
