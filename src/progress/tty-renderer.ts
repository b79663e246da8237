import { formatFailureLogs } from './failure-logs.js';
import { formatBytes, formatFixed } from './format.js';
import { totalDuration } from './intervals.js';
import { isCompleted, isStarted, numberedSteps, type ProgressState, type StepState } from './model.js';
import type { ProgressRenderer } from './renderer.js';
import { type ProgressSink, SinkWriter } from './sink.js';
import { displayWidth, fitToWidth, sanitizeLogLine, stripAnsi, terminalLine, terminalName, truncateToWidth } from './terminal-text.js';

/** Timer functions, injectable so tests can drive redraws with a fake clock. */
export interface ProgressTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that never keep the process alive on their own. */
export const SYSTEM_TIMERS: ProgressTimers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Options of the live terminal view. */
export interface TtyRendererOptions {
  /** Fixed terminal width; by default the sink's `columns` at each redraw (80 if unknown). */
  columns?: number;
  /** Fixed terminal height; by default the sink's `rows`. Live frames never grow taller than this. */
  rows?: number;
  /** Emit colours (the factory decides from NO_COLOR and whether the sink is a terminal). Default false. */
  color?: boolean;
  /** Local clock in epoch ms (default `Date.now`). */
  now?: () => number;
  timers?: ProgressTimers;
  /** Minimum time between two redraws; updates in between are folded into one trailing redraw. Default 100. */
  minRedrawMs?: number;
  /** While steps run, redraw at least this often so timers keep moving. Default 150. */
  tickMs?: number;
  /** Word after "[+]" in the header. Default "Building". */
  phase?: string;
  /** Output lines shown under each running step. Default 6. */
  logTail?: number;
}

/** What `renderTtyFrame` needs to know besides the state. */
export interface TtyFrameOptions {
  width: number;
  /** Terminal height; undefined = no limit. */
  height: number | undefined;
  /** Current time on the daemon's clock (epoch ms). */
  now: number;
  /** The last frame: show every step, no log tails, "FINISHED" when all steps completed. */
  final: boolean;
  color: boolean;
  phase: string;
  logTail: number;
}

type Tone = 'run' | 'error' | 'cancel' | 'warning' | undefined;

interface Job {
  name: string;
  status: string;
  seconds: number;
  completed: boolean;
  tone: Tone;
  /** For a running step's line: its latest output lines. */
  tail: string[];
  activity: number;
}

const ESC = '\u001b[';
const COLORS: Record<Exclude<Tone, undefined>, string> = {
  run: `${ESC}34m`,
  error: `${ESC}31m`,
  cancel: `${ESC}33m`,
  warning: `${ESC}33m`,
};
const FAINT = `${ESC}2m`;
const RESET = `${ESC}0m`;
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const ERASE_LINE_END = `${ESC}K`;
const ERASE_DOWN = `${ESC}J`;
const PREFIX = ' => ';
const TAIL_PREFIX = ' => => # ';
/** Below this many columns for the name, the timer is dropped rather than the name. */
const MIN_NAME_ROOM = 12;

/**
 * One frame of the live view as lines (colour codes included when `options.color`, no newlines):
 * a header with the elapsed time and finished/total steps, then one line per step with `=>` and its
 * time, `CACHED`/`ERROR`/`CANCELED` markers, sub-status lines, warnings, and for running steps their
 * latest output lines. Every line fits in `width - 1` columns. Live frames keep within `height`
 * by dropping log tails and then the oldest finished steps, never a running one.
 */
export function renderTtyFrame(state: ProgressState, options: TtyFrameOptions): string[] {
  const width = Math.max(1, Math.floor(options.width));
  const avail = Math.max(1, width - 1);
  const { now } = options;

  let total = 0;
  let finished = 0;
  for (const step of state.steps.values()) {
    if (step.hidden) continue;
    total++;
    if (isCompleted(step)) finished++;
  }
  const elapsed = state.startedAt === undefined ? 0 : Math.max(0, now - state.startedAt);
  let header = `[+] ${options.phase} ${formatFixed(elapsed / 1000, 1)}s (${finished}/${total})`;
  if (options.final && total > 0 && finished === total) header += ' FINISHED';
  const lines = [truncateToWidth(header, avail)];

  let jobs: Job[] = [];
  for (const step of numberedSteps(state)) {
    if (step.hidden || !isStarted(step)) continue;
    jobs.push(stepJob(step, now, options));
    for (const s of step.statuses) {
      if (s.started === undefined) continue;
      let status = '';
      if (s.total !== 0) status = `${formatBytes(s.current)} / ${formatBytes(s.total)}`;
      else if (s.current !== 0) status = formatBytes(s.current);
      jobs.push({
        name: `=> ${terminalName(s.id)}`,
        status,
        seconds: ((s.completed ?? now) - s.started) / 1000,
        completed: s.completed !== undefined,
        tone: s.completed !== undefined ? 'run' : undefined,
        tail: [],
        activity: 0,
      });
    }
    const latest = step.intervals[step.intervals.length - 1];
    for (const w of step.warnings) {
      jobs.push({
        name: `WARN: ${terminalName(w.short)}`,
        status: '',
        seconds: latest === undefined ? 0 : ((latest.end ?? now) - latest.start) / 1000,
        completed: isCompleted(step),
        tone: 'warning',
        tail: [],
        activity: 0,
      });
    }
  }

  const showTail = new Set<Job>();
  if (!options.final) {
    const running = jobs.filter((j) => j.tail.length > 0).sort((a, b) => b.activity - a.activity);
    if (options.height === undefined) {
      for (const j of running) showTail.add(j);
    } else {
      const budget = Math.max(0, options.height - 2);
      let free = budget - jobs.filter((j) => !j.completed).length;
      let tailLines = 0;
      for (const j of running) {
        if (free < j.tail.length + 3) continue;
        showTail.add(j);
        free -= j.tail.length;
        tailLines += j.tail.length;
      }
      jobs = keepRecent(jobs, budget - tailLines);
    }
  }

  for (const job of jobs) {
    lines.push(paint(jobLine(job, avail), job.completed || job.tone === 'warning' ? job.tone : undefined, options.color));
    if (showTail.has(job)) {
      for (const text of job.tail) {
        const line = truncateToWidth(TAIL_PREFIX + text, avail);
        lines.push(options.color ? `${FAINT}${line}${RESET}` : line);
      }
    }
  }
  return lines;
}

function stepJob(step: StepState, now: number, options: TtyFrameOptions): Job {
  let name = terminalName(step.name);
  if (step.error !== undefined) name = `${step.canceled ? 'CANCELED' : 'ERROR'} ${name}`;
  if (step.cached) name = `CACHED ${name}`;
  const completed = isCompleted(step);
  let seconds = totalDuration(step.intervals, now) / 1000;
  if (seconds < 0.05) seconds = 0;
  const tone: Tone = step.error !== undefined ? (step.canceled ? 'cancel' : 'error') : 'run';
  let tail: string[] = [];
  if (!completed && !options.final && options.logTail > 0) {
    const recent = step.logs.slice(-options.logTail).map((l) => l.text);
    if (step.partialLog !== undefined) recent.push(step.partialLog.text);
    tail = recent
      .slice(-options.logTail)
      .map(sanitizeLogLine)
      .filter((l) => l.trim() !== '');
  }
  return { name, status: '', seconds, completed, tone, tail, activity: step.revision };
}

/** Keeps at most `limit` jobs: every unfinished one (the latest, if even those do not fit), then the newest finished. */
function keepRecent(jobs: Job[], limit: number): Job[] {
  if (limit <= 0) return [];
  if (jobs.length <= limit) return jobs;
  const keep = new Set<Job>();
  const open = jobs.filter((j) => !j.completed);
  for (const j of open.slice(-limit)) keep.add(j);
  for (let i = jobs.length - 1; i >= 0 && keep.size < limit; i--) keep.add(jobs[i] as Job);
  return jobs.filter((j) => keep.has(j));
}

function jobLine(job: Job, avail: number): string {
  const timer = ` ${formatFixed(Math.max(0, job.seconds), 1)}s`;
  let room = avail - PREFIX.length - timer.length;
  if (room < MIN_NAME_ROOM) return truncateToWidth(PREFIX + job.name, avail);
  let status = '';
  if (job.status !== '' && room - (displayWidth(job.status) + 1) >= MIN_NAME_ROOM) {
    status = ` ${job.status}`;
    room -= displayWidth(status);
  }
  const body = truncateToWidth(job.name, room) + status;
  return PREFIX + fitToWidth(body, avail - PREFIX.length - timer.length) + timer;
}

function paint(line: string, tone: Tone, color: boolean): string {
  if (!color || tone === undefined) return line;
  return `${COLORS[tone]}${line}${RESET}`;
}

/**
 * How many rows a frame drawn for `drawn.columns` takes on a terminal now `columns` wide: its line count, unless the
 * terminal got narrower, which re-wraps each line longer than the new width onto several rows (every current terminal
 * emulator does: VTE, iTerm2, Terminal.app, Windows Terminal, xterm.js, kitty, tmux). Moving up only the old line count
 * would leave the top of the old frame on screen above the new one.
 */
export function rowsAfterResize(drawn: { readonly widths: readonly number[]; readonly columns: number }, columns: number): number {
  if (columns >= drawn.columns) return drawn.widths.length;
  let rows = 0;
  for (const w of drawn.widths) rows += Math.max(1, Math.ceil(w / columns));
  return rows;
}

/**
 * The live terminal view (like buildx's tty mode): redraws a frame in place with cursor movement,
 * at most once per `minRedrawMs` (with a trailing redraw so the last update is never lost) and
 * every `tickMs` while steps run. `done` draws the final frame and then the complete output of
 * every failed step.
 */
export class TtyRenderer implements ProgressRenderer {
  readonly #out: SinkWriter;
  readonly #options: TtyRendererOptions;
  readonly #now: () => number;
  readonly #timers: ProgressTimers;
  readonly #minRedrawMs: number;
  readonly #tickMs: number;
  #state: ProgressState | undefined;
  /** Columns each line of the frame on screen takes, and the terminal width it was drawn for. */
  #drawn: { widths: number[]; columns: number } = { widths: [], columns: 0 };
  #lastDraw: number | undefined;
  #timer: unknown;
  #timerDue = 0;
  #finished = false;

  constructor(sink: ProgressSink | SinkWriter, options: TtyRendererOptions = {}) {
    this.#out = sink instanceof SinkWriter ? sink : new SinkWriter(sink);
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? SYSTEM_TIMERS;
    this.#minRedrawMs = options.minRedrawMs ?? 100;
    this.#tickMs = options.tickMs ?? 150;
  }

  update(state: ProgressState): void {
    if (this.#finished) return;
    this.#state = state;
    const now = this.#now();
    if (this.#lastDraw === undefined || now - this.#lastDraw >= this.#minRedrawMs) this.#draw();
    else this.#schedule(this.#lastDraw + this.#minRedrawMs - now);
  }

  done(state: ProgressState): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#cancelTimer();
    this.#state = state;
    this.#writeFrame(state, true);
    // The output as the terminal would have shown it, and nothing in it that moves the cursor or spills colour.
    this.#out.write(formatFailureLogs(state, undefined, { name: terminalName, text: terminalLine }));
  }

  drained(): Promise<void> {
    return this.#out.drained();
  }

  #schedule(delay: number): void {
    const due = this.#now() + delay;
    if (this.#timer !== undefined && this.#timerDue <= due) return;
    this.#cancelTimer();
    this.#timerDue = due;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#finished) this.#draw();
    }, Math.max(0, delay));
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #draw(): void {
    this.#cancelTimer();
    const state = this.#state;
    if (state === undefined) return;
    this.#writeFrame(state, false);
    this.#lastDraw = this.#now();
    const running = numberedSteps(state).some((s) => isStarted(s) && !isCompleted(s));
    if (running) this.#schedule(this.#tickMs);
  }

  #writeFrame(state: ProgressState, final: boolean): void {
    const sink = this.#out.sink;
    const width = this.#options.columns ?? (sink.columns !== undefined && sink.columns > 0 ? sink.columns : 80);
    const height = this.#options.rows ?? (sink.rows !== undefined && sink.rows > 0 ? sink.rows : undefined);
    // The daemon-clock "now": the local clock corrected by the offset, never before the latest event.
    const liveNow = Math.max(this.#now() - (state.clockOffset ?? 0), state.eventTime ?? Number.NEGATIVE_INFINITY);
    const allDone = numberedSteps(state).every((s) => !isStarted(s) || isCompleted(s));
    const now = final && allDone && state.eventTime !== undefined ? state.eventTime : liveNow;
    const lines = renderTtyFrame(state, {
      width,
      height,
      now,
      final,
      color: this.#options.color ?? false,
      phase: this.#options.phase ?? 'Building',
      logTail: this.#options.logTail ?? 6,
    });
    let out = HIDE_CURSOR;
    const up = rowsAfterResize(this.#drawn, width);
    if (up > 0) out += `${ESC}${up}A`;
    out += '\r';
    for (const line of lines) out += `${line}${ERASE_LINE_END}\n`;
    out += ERASE_DOWN + SHOW_CURSOR;
    this.#out.write(out);
    this.#drawn = { widths: lines.map((l) => displayWidth(stripAnsi(l))), columns: width };
  }
}
