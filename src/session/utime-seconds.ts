/**
 * The seconds to pass Node's `utimes` for a nanosecond time, so that the file gets that time on every Node kiln runs
 * on. Node takes seconds as a double, and libuv turns it into a timespec as `trunc((t - trunc(t)) * 1e9)` ns; up to
 * Node 22 (libuv ≤ 1.51) it then truncates that to the microsecond, from Node 24 (libuv 1.52) it keeps the
 * nanoseconds. A double near 1.7e9 s is only accurate to 2^-22 s (≈ 0.24 µs), so neither can set every nanosecond:
 * the double chosen is the one in the time's microsecond (so microsecond truncation lands on it) whose nanoseconds
 * come nearest to it (so a whole second, SOURCE_DATE_EPOCH's, or a time another Node set, lands exactly).
 *
 * Internal module.
 */

const NS_PER_S = 1_000_000_000n;

/** The nanoseconds past the second that libuv sets for `t` seconds (t ≥ 0), as Node 24 does. */
export function appliedNanos(t: number): number {
  return Math.trunc((t - Math.trunc(t)) * 1e9);
}

/**
 * `utimes`'s argument for `ns` nanoseconds since the epoch (see the file comment). Before 1970 it is the seconds as a
 * string: Node replaces a negative number (not a negative string) with the current time.
 */
export function utimeSeconds(ns: bigint): number | string {
  if (ns < 0n) return String(Number(ns / 1000n) / 1e6); // microseconds, as close as a double gets
  const seconds = Number(ns / NS_PER_S);
  const nanos = Number(ns % NS_PER_S);
  const low = nanos - (nanos % 1000);
  const nearest = seconds + nanos / 1e9;
  let best: number | undefined;
  let bestDistance = Infinity;
  // The doubles around the nearest one: more than a microsecond either side while they are < 0.25 µs apart (to 2106).
  for (let k = -4; k <= 4; k++) {
    const t = adjacentDouble(nearest, k);
    if (!(t >= 0) || Math.trunc(t) !== seconds) continue;
    const applied = appliedNanos(t);
    if (applied < low || applied >= low + 1000) continue;
    const distance = Math.abs(applied - nanos);
    if (distance < bestDistance) [best, bestDistance] = [t, distance];
  }
  return best ?? nearest;
}

const bits = new DataView(new ArrayBuffer(8));

/** The double `k` places above (below, for a negative k) `x` ≥ 0: the next ones of the same sign differ by 1 in their bits. */
function adjacentDouble(x: number, k: number): number {
  bits.setFloat64(0, x);
  const moved = bits.getBigUint64(0) + BigInt(k);
  if (moved < 0n) return -1;
  bits.setBigUint64(0, moved);
  return bits.getFloat64(0);
}
