/** A span during which a step ran; `end` is undefined while it is still running. Times are epoch ms. */
export interface Interval {
  readonly start: number;
  readonly end: number | undefined;
}

/**
 * Returns `intervals` with the one starting at `start` replaced (or added) and the list kept sorted
 * by start. A vertex re-sent with the same start time updates that run; a new start time is a new run.
 */
export function upsertInterval(intervals: readonly Interval[], start: number, end: number | undefined): readonly Interval[] {
  const out: Interval[] = [];
  let placed = false;
  for (const ival of intervals) {
    if (!placed && ival.start === start) {
      out.push({ start, end });
      placed = true;
    } else {
      if (!placed && ival.start > start) {
        out.push({ start, end });
        placed = true;
      }
      out.push(ival);
    }
  }
  if (!placed) out.push({ start, end });
  return out;
}

/**
 * Merges overlapping runs into disjoint spans sorted by start. An open run (no end) swallows every
 * run that starts after it, since it lasts "until now".
 */
export function mergeIntervals(intervals: readonly Interval[]): readonly Interval[] {
  if (intervals.length <= 1) return intervals;
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  let cur = sorted[0] as Interval;
  for (let i = 1; i < sorted.length; i++) {
    const next = sorted[i] as Interval;
    if (cur.end === undefined) break;
    if (cur.end < next.start) {
      merged.push(cur);
      cur = next;
      continue;
    }
    if (next.end === undefined) {
      cur = { start: cur.start, end: undefined };
      break;
    }
    if (next.end > cur.end) cur = { start: cur.start, end: next.end };
  }
  merged.push(cur);
  return merged;
}

/** Total running time of `intervals` in ms, counting open runs up to `now`. */
export function totalDuration(intervals: readonly Interval[], now: number): number {
  let total = 0;
  for (const ival of mergeIntervals(intervals)) total += (ival.end ?? now) - ival.start;
  return total;
}

/** Whether two interval lists describe the same runs. */
export function sameIntervals(a: readonly Interval[], b: readonly Interval[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((ival, i) => ival.start === b[i]?.start && ival.end === b[i]?.end);
}
