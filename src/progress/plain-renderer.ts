import { formatFailureLogs, formatLogLine } from './failure-logs.js';
import { formatBytes, formatFixed } from './format.js';
import { isCompleted, isStarted, type ProgressState, type StepState } from './model.js';
import type { ProgressRenderer } from './renderer.js';
import { type ProgressSink, SinkWriter } from './sink.js';

/** A step that has waited this long for the screen gets it, whoever is printing. */
const MAX_DELAY_MS = 10_000;
/** Base time the current step keeps the screen before a busier step may take over. */
const ANTI_FLICKER_MS = 5_000;
/** Unfinished sub-status lines are repeated only after this much time… */
const MIN_STATUS_TIME_DELTA_MS = 5_000;
/** …or this much progress (fraction of the total). */
const MIN_STATUS_PROGRESS_DELTA = 0.05;
/** Plain mode already printed every line; the failure block repeats only the last ones. */
const FAILURE_LOG_TAIL = 10;

/** Options of the plain renderer. */
export interface PlainRendererOptions {
  /** Lines of each failed step repeated in the closing failure block (default 10; all lines were printed above). */
  failureLogTail?: number;
}

/** What has been printed for one step. */
interface Cursor {
  /** `step.revision` when last printed (0: never). */
  printed: number;
  /** Next line to print, counting the unfinished line as `logs.length`. */
  logLine: number;
  /** How much of that line (as formatted) is already on screen. */
  logOffset: number;
  warnings: number;
  /** `step.activity` when the step last lost (or finished with) the screen. */
  activityBase: number;
  /** When the step's current burst of activity began (daemon clock). */
  blockStart: number | undefined;
  /** The burst ended; the next activity starts a new one. */
  blockStale: boolean;
}

interface Share {
  blockTime: number;
  speed: number;
  share: number;
  overLimit: boolean;
}

/**
 * buildx-compatible plain text, one block per step (`#N name`, sub-status lines, `#N <secs> <log>`,
 * `#N DONE 1.2s`). Output is printed in stream order; when two steps run at once the printer keeps
 * one of them "current" and holds the other's output back until the current one finishes, falls
 * quiet, or has had the screen for long enough, then writes `#N ...` and re-prints the other's
 * header, exactly like buildx. All timing decisions use the daemon timestamps in the events, so
 * the output is a pure function of the event sequence. Each `update` call is one print pass.
 */
export class PlainRenderer implements ProgressRenderer {
  readonly #out: SinkWriter;
  readonly #failureLogTail: number;
  readonly #cursors = new Map<string, Cursor>();
  readonly #lastStatus = new Map<string, { current: number; timestamp: number }>();
  #current: string | undefined;
  /** Step whose unfinished output line the output currently ends with. */
  #midLine: string | undefined;
  #notFirst = false;
  #finished = false;

  constructor(sink: ProgressSink | SinkWriter, options: PlainRendererOptions = {}) {
    this.#out = sink instanceof SinkWriter ? sink : new SinkWriter(sink);
    this.#failureLogTail = options.failureLogTail ?? FAILURE_LOG_TAIL;
  }

  update(state: ProgressState): void {
    if (this.#finished) return;
    this.#print(state);
  }

  /** Prints what is left (nothing is dropped), ends an unfinished line, then the failure block. */
  done(state: ProgressState): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#print(state);
    for (const key of state.order) {
      const step = state.steps.get(key);
      if (step !== undefined && !step.hidden && step.revision > this.#cursor(key).printed) this.#printStep(state, key);
    }
    this.#endLine();
    this.#out.write(formatFailureLogs(state, this.#failureLogTail));
  }

  drained(): Promise<void> {
    return this.#out.drained();
  }

  #cursor(key: string): Cursor {
    let c = this.#cursors.get(key);
    if (c === undefined) {
      c = { printed: 0, logLine: 0, logOffset: 0, warnings: 0, activityBase: 0, blockStart: undefined, blockStale: true };
      this.#cursors.set(key, c);
    }
    return c;
  }

  /** Terminates an unfinished log line on screen; it is re-printed whole when it continues. */
  #endLine(): void {
    if (this.#midLine === undefined) return;
    this.#out.write('\n');
    this.#cursor(this.#midLine).logOffset = 0;
    this.#midLine = undefined;
  }

  #resetActivity(cursor: Cursor, step: StepState | undefined): void {
    cursor.activityBase = step?.activity ?? cursor.activityBase;
    cursor.blockStale = true;
  }

  #print(state: ProgressState): void {
    const now = state.eventTime ?? 0;
    const completed: StepState[] = [];
    const rest: StepState[] = [];
    for (const key of state.order) {
      const step = state.steps.get(key);
      if (step === undefined || step.hidden || step.revision <= this.#cursor(key).printed) continue;
      (isCompleted(step) ? completed : rest).push(step);
    }

    const current = this.#current;
    const currentStep = current === undefined ? undefined : state.steps.get(current);
    const currentFinished = completed.some((s) => s.key === current);

    // Finished steps first: the current one, then the others in the order they finished.
    if (currentFinished && current !== undefined) this.#printStep(state, current);
    const byEnd = [...completed].sort((a, b) => lastEnd(a) - lastEnd(b));
    for (const step of byEnd) if (step.key !== current) this.#printStep(state, step.key);

    if (rest.length === 0) {
      if (currentStep !== undefined && isStarted(currentStep) && !isCompleted(currentStep)) return;
      // Nothing new to say: show which step is running now.
      for (const key of state.order) {
        const step = state.steps.get(key);
        if (step !== undefined && !step.hidden && isStarted(step) && !isCompleted(step)) {
          this.#printStep(state, key);
          return;
        }
      }
      return;
    }

    if (current !== undefined && rest.some((s) => s.key === current)) this.#printStep(state, current);

    // Decide whether another running step gets the screen.
    const candidates = [...rest];
    if (currentStep !== undefined && !currentFinished && !rest.includes(currentStep)) candidates.push(currentStep);
    candidates.sort((a, b) => a.index - b.index);
    const shares = new Map<string, Share>();
    let sum = 0;
    let max: string | undefined;
    for (const step of candidates) {
      const c = this.#cursor(step.key);
      const count = step.activity - c.activityBase;
      if (count > 0 && c.blockStale) {
        c.blockStart = now;
        c.blockStale = false;
      }
      if (c.blockStart === undefined) continue;
      const blockTime = now - c.blockStart;
      const speed = count / (blockTime / 1000);
      const overLimit = blockTime > MAX_DELAY_MS && step.key !== current;
      shares.set(step.key, { blockTime, speed, share: 0, overLimit });
      sum += speed;
      const best = max === undefined ? undefined : shares.get(max);
      if (overLimit || best === undefined || best.speed < speed) max = step.key;
    }
    for (const s of shares.values()) s.share = s.speed / sum;

    if (currentFinished || current === undefined) {
      if (max !== undefined) this.#printStep(state, max);
      return;
    }
    for (const step of rest) {
      if (shares.get(step.key)?.overLimit === true) {
        this.#printStep(state, step.key);
        return;
      }
    }
    const mine = shares.get(current);
    if (mine !== undefined && max !== undefined && (1 / (1 - mine.share)) * ANTI_FLICKER_MS < mine.blockTime) {
      this.#printStep(state, max);
    }
  }

  /** Prints everything new about one step, switching the screen to it first if needed. */
  #printStep(state: ProgressState, key: string): void {
    const step = state.steps.get(key);
    if (step === undefined) return;
    const out = this.#out;
    const c = this.#cursor(key);
    const n = step.index;

    if (key !== this.#current) {
      if (this.#current !== undefined) {
        const oldKey = this.#current;
        const old = state.steps.get(oldKey);
        const oc = this.#cursor(oldKey);
        this.#endLine();
        oc.logOffset = 0;
        this.#resetActivity(oc, old);
        out.write(`#${old?.index ?? 0} ...\n`);
      }
      if (this.#notFirst) out.write('\n');
      this.#notFirst = true;
      out.write(`#${n} ${step.name}\n`);
    }

    let openStatus = false;
    for (const s of step.statuses) {
      if (s.started === undefined || s.revision <= c.printed) continue;
      const statusKey = `${key}\u0000${s.id}`;
      const last = this.#lastStatus.get(statusKey);
      if (last !== undefined && s.completed === undefined) {
        const progressDelta = s.total > 0 ? (s.current - last.current) / s.total : 0;
        const timeDelta = (s.timestamp ?? 0) - last.timestamp;
        if (progressDelta < MIN_STATUS_PROGRESS_DELTA && timeDelta < MIN_STATUS_TIME_DELTA_MS) continue;
      }
      this.#lastStatus.set(statusKey, { current: s.current, timestamp: s.timestamp ?? 0 });
      let bytes = '';
      if (s.total !== 0) bytes = ` ${formatBytes(s.current)} / ${formatBytes(s.total)}`;
      else if (s.current !== 0) bytes = ` ${formatBytes(s.current)}`;
      let tm = '';
      const end = s.completed ?? s.timestamp;
      if (end !== undefined) {
        const secs = (end - s.started) / 1000;
        if (secs > 0.01) tm = ` ${formatFixed(secs, 1)}s`;
      }
      if (s.completed !== undefined) tm += ' done';
      else openStatus = true;
      this.#endLine();
      out.write(`#${n} ${s.id}${bytes}${tm}\n`);
    }

    for (const w of step.warnings.slice(c.warnings)) {
      this.#endLine();
      out.write(`#${n} WARN: ${w.short}\n`);
    }
    c.warnings = step.warnings.length;

    if (step.logs.length > c.logLine && this.#midLine !== undefined && this.#midLine !== key) this.#endLine();
    if (c.logLine < step.logs.first) {
      // Output that arrived and was let go between two renders (more than the model holds of a step).
      out.write(`#${n} [kiln: ${step.logs.first - c.logLine} lines of output not shown: more arrived at once than kiln holds]\n`);
      c.logOffset = 0;
      if (this.#midLine === key) this.#midLine = undefined;
    }
    for (let i = Math.max(c.logLine, step.logs.first); i < step.logs.length; i++) {
      const line = step.logs.at(i);
      if (line === undefined) continue;
      out.write(`${formatLogLine(n, line).slice(c.logOffset)}\n`);
      c.logOffset = 0;
      if (this.#midLine === key) this.#midLine = undefined;
    }
    c.logLine = step.logs.length;
    if (step.partialLog !== undefined) {
      const text = formatLogLine(n, step.partialLog);
      if (text.length > c.logOffset) {
        if (this.#midLine !== undefined && this.#midLine !== key) this.#endLine();
        out.write(text.slice(c.logOffset));
        c.logOffset = text.length;
        this.#midLine = key;
      }
    } else {
      c.logOffset = 0;
    }

    this.#current = key;
    if (isCompleted(step) && !openStatus) {
      this.#current = undefined;
      this.#resetActivity(c, step);
      this.#endLine();
      if (step.error !== undefined) {
        out.write(step.canceled ? `#${n} CANCELED\n` : `#${n} ERROR: ${step.error}\n`);
      } else if (step.cached) {
        out.write(`#${n} CACHED\n`);
      } else {
        let secs = 0;
        for (const ival of step.intervals) secs += ((ival.end ?? state.eventTime ?? ival.start) - ival.start) / 1000;
        out.write(step.intervals.length > 0 ? `#${n} DONE ${formatFixed(secs, 1)}s\n` : `#${n} DONE\n`);
      }
    }
    c.printed = step.revision;
  }
}

function lastEnd(step: StepState): number {
  return step.intervals[step.intervals.length - 1]?.end ?? Number.POSITIVE_INFINITY;
}
