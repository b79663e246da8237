/**
 * Number formatting that matches what buildx prints, so kiln's plain output can be compared with
 * `docker buildx build --progress=plain` line by line.
 */

/**
 * `value` with exactly `digits` decimals, rounding the exact binary value to nearest and breaking
 * exact ties to the even digit (Go's `%.Nf`; `Number#toFixed` breaks ties upwards, e.g. 0.25 → "0.3").
 */
export function formatFixed(value: number, digits: number): string {
  const fixed = value.toFixed(digits);
  const abs = Math.abs(value);
  if (!Number.isFinite(value) || abs < 1e-6 || abs >= 1e21) return fixed;
  // With at most 100 significant digits, toPrecision spells out the double's exact decimal value.
  const exact = abs.toPrecision(100);
  const dot = exact.indexOf('.');
  const intPart = dot < 0 ? exact : exact.slice(0, dot);
  const frac = dot < 0 ? '' : exact.slice(dot + 1);
  const dropped = frac.slice(digits);
  const isTie = dropped.length > 0 && dropped[0] === '5' && /^50*$/.test(dropped);
  if (!isTie) return fixed;
  const kept = frac.slice(0, digits);
  const lastDigit = Number((digits > 0 ? kept : intPart).slice(-1));
  if (lastDigit % 2 === 1) return fixed; // odd: toFixed already rounded up to even
  const sign = value < 0 ? '-' : '';
  return digits > 0 ? `${sign}${intPart}.${kept}` : `${sign}${intPart}`;
}

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/** A byte count the way buildx shows sizes: "512B", "1.23kB", "30.02MB" (decimal units, two decimals). */
export function formatBytes(bytes: number): string {
  const n = Math.trunc(bytes);
  const abs = Math.abs(n);
  let unit = 0;
  let base = 1;
  while (unit < DECIMAL_UNITS.length - 1 && abs >= base * 1000) {
    base *= 1000;
    unit++;
  }
  if (unit === 0) return `${n}B`;
  return `${formatFixed(n / base, 2)}${DECIMAL_UNITS[unit]}`;
}

/**
 * Seconds for a log line prefix: three decimals below 10 s, two below 100 s, one above
 * ("0.153", "12.40", "131.2").
 */
export function formatLogSeconds(ms: number): string {
  const sec = ms / 1000;
  return formatFixed(sec, sec < 10 ? 3 : sec < 100 ? 2 : 1);
}

/** Seconds with one decimal, as in "DONE 1.2s" (without the unit). */
export function formatSeconds(ms: number): string {
  return formatFixed(ms / 1000, 1);
}

/** A build duration for humans: "12.3s", "2m 05s", "1h 02m 05s". */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${formatSeconds(Math.max(0, ms))}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  if (h === 0) return `${m}m ${ss}s`;
  return `${h}h ${String(m).padStart(2, '0')}m ${ss}s`;
}
