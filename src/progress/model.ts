import { AppendOnlyList } from './append-only-list.js';
import { NOTE_VERTEX_PREFIX, type LogChunk, type ProgressGroup, type StatusEvent, type StatusUpdate, type VertexUpdate, type Warning } from './events.js';
import { type Interval, mergeIntervals, sameIntervals, upsertInterval } from './intervals.js';
import { concatBytes, splitIncompleteUtf8 } from './utf8.js';


/**
 * How much of one step's output the model holds (characters of complete lines): the newest output up to this, so a
 * step printing without end (a daemon without a log limit) cannot exhaust memory. Renderers see every line as it
 * arrives; only what lies further back than this is let go.
 */
export const STEP_LOG_HELD_CHARS = 4 * 1024 * 1024;

/** One line of a step's output. */
export interface LogLine {
  /** The stream of the chunk that began the line (1 stdout, 2 stderr). */
  readonly stream: 1 | 2;
  /** The line without its trailing `\n` (a `\r` before it is kept, as sent). */
  readonly text: string;
  /** When the chunk that began the line was produced (daemon clock). */
  readonly timestamp: number;
  /** Milliseconds between the step's latest start and `timestamp` when the line began (0 if not started). */
  readonly elapsedMs: number;
}

/** A sub-status of a step (layer download, context transfer…), updated in place by id. */
export interface StepStatus {
  readonly id: string;
  /** The vertex that reported it (for a progress group: the member vertex). */
  readonly vertex: string;
  readonly name: string;
  readonly current: number;
  readonly total: number;
  readonly timestamp: number | undefined;
  readonly started: number | undefined;
  readonly completed: number | undefined;
  /** The state revision of its latest update. */
  readonly revision: number;
}

/**
 * What the display calls a step: a vertex, or a progress group whose members are shown as one.
 * Steps are numbered (`index`, the `#N` of plain output) in the order they first start (or, for
 * a step that reports output before it starts, first produce output).
 */
export interface StepState {
  /** Key in `ProgressState.steps`: the vertex digest, or `group:<id>` for a progress group. */
  readonly key: string;
  readonly kind: 'vertex' | 'group';
  /** The vertex digest, or the progress group id. */
  readonly digest: string;
  readonly name: string;
  readonly inputs: readonly string[];
  /** 1-based display number; 0 while the step has neither started nor produced output. */
  readonly index: number;
  readonly cached: boolean;
  /** The failure message, if the step failed or was canceled. */
  readonly error: string | undefined;
  /** True when `error` says the step was canceled rather than failed. */
  readonly canceled: boolean;
  /** Every run, keyed by start time and sorted by it (a step can run several times). */
  readonly runs: readonly Interval[];
  /** `runs` with overlaps merged. */
  readonly intervals: readonly Interval[];
  /** Sub-statuses: those that started in the order they started, then the ones that have not started yet. */
  readonly statuses: readonly StepStatus[];
  /**
   * Complete output lines. A step's output is held up to a bound ({@link STEP_LOG_HELD_CHARS}; BuildKit itself
   * clips a step's output at 2 MiB unless told otherwise): past it the oldest lines are let go, `logs.first` says how
   * many, and indexes stay as they were.
   */
  readonly logs: AppendOnlyList<LogLine>;
  /** Characters of text in the lines `logs` holds. */
  readonly logChars: number;
  /** The line being written (output since the last `\n`), if any. */
  readonly partialLog: LogLine | undefined;
  /** Bytes of a UTF-8 character cut by a chunk boundary, waiting for the next chunk. */
  readonly pendingBytes: Uint8Array;
  readonly warnings: AppendOnlyList<Warning>;
  /** Progress groups stay hidden until a non-weak member starts (or any member fails or reports output). */
  readonly hidden: boolean;
  /** For groups: the latest update of each member vertex, in first-seen order. Empty for vertexes. */
  readonly members: ReadonlyMap<string, VertexUpdate>;
  /** The state revision of the latest visible change (start, completion, status, output, warning). */
  readonly revision: number;
  /** How many visible changes the step has had; renderers use it to share the screen fairly. */
  readonly activity: number;
}

/**
 * Everything known about a build's progress after a sequence of status events. Values are never
 * mutated: `reduce` returns a new state that shares unchanged parts with the old one.
 */
export interface ProgressState {
  /** Number of events reduced so far. */
  readonly revision: number;
  /** Every step seen so far, by key (see `StepState.key`), in first-seen order. */
  readonly steps: ReadonlyMap<string, StepState>;
  /** Keys of numbered steps; `order[i]` is `#(i+1)`. */
  readonly order: readonly string[];
  /** Vertex digest → key of the step that displays it (a group for grouped vertexes). */
  readonly vertexSteps: ReadonlyMap<string, string>;
  /** Every warning, in arrival order. */
  readonly warnings: AppendOnlyList<Warning>;
  /**
   * The first start time seen, in arrival order (daemon clock): when the build began, as buildx's header counts it.
   * Not the earliest: a step BuildKit shares with an earlier build is reported with that build's start time.
   */
  readonly startedAt: number | undefined;
  /** Latest time found in any event so far (daemon clock); the deterministic "now" of a replay. */
  readonly eventTime: number | undefined;
  /** The `now` given to the latest `reduce` call, or `eventTime` when none was given. */
  readonly now: number | undefined;
  /**
   * Local clock minus daemon clock, measured when the first start was seen (`now - startedAt`; 0 when
   * `reduce` got no `now`). Live renderers subtract it from their clock to get a daemon-clock "now".
   */
  readonly clockOffset: number | undefined;
  /** The event that produced this state. */
  readonly lastEvent: StatusEvent | undefined;
}

/** Build totals derived from a state. */
export interface ProgressSummary {
  /** Numbered steps (steps that ran or produced output). */
  readonly steps: number;
  /** Steps satisfied from the cache. */
  readonly cached: number;
  /** Steps that failed (not counting canceled ones). */
  readonly errors: number;
  /** Steps that were canceled. */
  readonly canceled: number;
  /** Steps still running (or never reported complete). */
  readonly running: number;
  /** From the first start to the latest time seen, in ms (daemon clock). */
  readonly durationMs: number;
}

/** The state before any event. */
export const INITIAL_PROGRESS_STATE: ProgressState = Object.freeze({
  revision: 0,
  steps: new Map<string, StepState>(),
  order: [],
  vertexSteps: new Map<string, string>(),
  warnings: AppendOnlyList.empty<Warning>(),
  startedAt: undefined,
  eventTime: undefined,
  now: undefined,
  clockOffset: undefined,
  lastEvent: undefined,
});

const CANCELED_SUFFIX = 'context canceled';
const EMPTY_BYTES = new Uint8Array(0);
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Whether an error message means "canceled" (the daemon reports cancellation as `…context canceled`). */
export function isCanceledError(error: string | undefined): boolean {
  return error !== undefined && error.endsWith(CANCELED_SUFFIX);
}

/** Whether the step has started at least once. */
export function isStarted(step: StepState): boolean {
  return step.intervals.length > 0;
}

/** Whether the step's latest run has completed. */
export function isCompleted(step: StepState): boolean {
  const last = step.intervals[step.intervals.length - 1];
  return last !== undefined && last.end !== undefined;
}

/** Start of the step's latest run, if it started. */
export function latestStart(step: StepState): number | undefined {
  return step.intervals[step.intervals.length - 1]?.start;
}

/** The numbered steps in `#N` order. */
export function numberedSteps(state: ProgressState): StepState[] {
  const out: StepState[] = [];
  for (const key of state.order) {
    const step = state.steps.get(key);
    if (step !== undefined) out.push(step);
  }
  return out;
}

/**
 * Applies one status event. Pure: `state` is left untouched and the result shares what did not
 * change. `now` is the local time the event arrived (epoch ms); leave it out for a replay, and the
 * event's own timestamps are used instead.
 */
export function reduce(state: ProgressState, event: StatusEvent, now?: number): ProgressState {
  const draft = new Draft(state, state.revision + 1);
  for (const v of event.vertexes) draft.applyVertex(v);
  draft.refreshGroups();
  for (const s of event.statuses) draft.applyStatus(s);
  for (const w of event.warnings) draft.applyWarning(w);
  for (const l of event.logs) draft.applyLog(l);
  return draft.finish(event, now);
}

/** Folds `events` into a state, starting from `state` (the initial state by default). */
export function reduceAll(events: Iterable<StatusEvent>, state: ProgressState = INITIAL_PROGRESS_STATE): ProgressState {
  let s = state;
  for (const ev of events) s = reduce(s, ev);
  return s;
}

/** Counts steps, cache hits, failures and the build's duration. */
export function summarize(state: ProgressState): ProgressSummary {
  let cached = 0;
  let errors = 0;
  let canceled = 0;
  let running = 0;
  // kiln's own notes are shown like steps but are none.
  const steps = numberedSteps(state).filter((s) => !s.digest.startsWith(NOTE_VERTEX_PREFIX));
  for (const step of steps) {
    if (step.error !== undefined) {
      if (step.canceled) canceled++;
      else errors++;
    } else if (step.cached) cached++;
    if (isStarted(step) && !isCompleted(step)) running++;
  }
  const durationMs =
    state.startedAt !== undefined && state.eventTime !== undefined ? Math.max(0, state.eventTime - state.startedAt) : 0;
  return { steps: steps.length, cached, errors, canceled, running, durationMs };
}

type MutableStep = { -readonly [K in keyof StepState]: StepState[K] };

/** Collects the changes of one event, copying only what changes. */
class Draft {
  readonly #base: ProgressState;
  readonly #revision: number;
  #steps: Map<string, StepState> | undefined;
  #vertexSteps: Map<string, string> | undefined;
  #order: string[] | undefined;
  #warnings: AppendOnlyList<Warning>;
  #eventTime: number | undefined;
  #startedAt: number | undefined;
  readonly #touchedGroups = new Set<string>();

  constructor(base: ProgressState, revision: number) {
    this.#base = base;
    this.#revision = revision;
    this.#warnings = base.warnings;
    this.#eventTime = base.eventTime;
    this.#startedAt = base.startedAt;
  }

  #get(key: string): StepState | undefined {
    return (this.#steps ?? this.#base.steps).get(key);
  }

  #set(step: StepState): void {
    this.#steps ??= new Map(this.#base.steps);
    this.#steps.set(step.key, step);
  }

  #stepKeyOf(digest: string): string | undefined {
    return (this.#vertexSteps ?? this.#base.vertexSteps).get(digest);
  }

  #mapVertex(digest: string, key: string): void {
    if (this.#stepKeyOf(digest) === key) return;
    this.#vertexSteps ??= new Map(this.#base.vertexSteps);
    this.#vertexSteps.set(digest, key);
  }

  #seeTime(t: number | undefined): void {
    if (t === undefined) return;
    if (this.#eventTime === undefined || t > this.#eventTime) this.#eventTime = t;
  }

  #seeStart(t: number): void {
    this.#startedAt ??= t;
  }

  /** Gives the step the next `#N` if it has none yet. */
  #number(step: MutableStep): void {
    if (step.index !== 0 || step.hidden) return;
    this.#order ??= [...this.#base.order];
    this.#order.push(step.key);
    step.index = this.#order.length;
  }

  #touch(step: MutableStep): void {
    step.revision = this.#revision;
    step.activity += 1;
  }

  applyVertex(update: VertexUpdate): void {
    // A completion without a start (not sent by BuildKit, but cheap to tolerate) is a zero-length run,
    // so its result is still shown.
    const v: VertexUpdate =
      update.started === undefined && update.completed !== undefined ? { ...update, started: update.completed } : update;
    this.#seeTime(v.started);
    this.#seeTime(v.completed);
    if (v.started !== undefined) this.#seeStart(v.started);
    const mapped = this.#stepKeyOf(v.digest);
    const groupKey = v.progressGroup !== undefined ? `group:${v.progressGroup.id}` : mapped?.startsWith('group:') ? mapped : undefined;
    if (groupKey !== undefined) {
      this.#applyMember(groupKey, v);
      return;
    }
    const prev = this.#get(v.digest);
    const step: MutableStep = prev !== undefined ? { ...prev } : newStep(v.digest, 'vertex', v.digest, v.name);
    if (prev === undefined) this.#mapVertex(v.digest, v.digest);
    const wasStarted = prev !== undefined && isStarted(prev);
    // A re-sent initial announcement (no start) must not wipe what a started vertex already reported.
    const keepOld = wasStarted && v.started === undefined;
    if (v.started !== undefined) {
      const changed =
        prev === undefined ||
        v.name !== step.name ||
        !step.runs.some((r) => r.start === v.started && r.end === v.completed) ||
        v.cached !== step.cached ||
        v.error !== step.error;
      step.runs = upsertInterval(step.runs, v.started, v.completed);
      step.intervals = mergeIntervals(step.runs);
      if (changed) this.#touch(step);
    }
    if (!keepOld) {
      step.name = v.name === '' && prev !== undefined ? step.name : v.name;
      step.inputs = v.inputs;
      step.cached = v.cached;
      step.error = v.error;
      step.canceled = isCanceledError(v.error);
    }
    if (v.started !== undefined) this.#number(step);
    this.#set(step);
  }

  #applyMember(key: string, v: VertexUpdate): void {
    const prev = this.#get(key);
    const group: ProgressGroup = v.progressGroup ?? { id: key.slice('group:'.length), name: prev?.name ?? '', weak: false };
    const step: MutableStep = prev !== undefined ? { ...prev } : newStep(key, 'group', group.id, group.name);
    if (prev === undefined) step.hidden = true;
    const members = new Map(step.members);
    members.set(v.digest, v);
    step.members = members;
    this.#mapVertex(v.digest, key);
    this.#set(step);
    this.#touchedGroups.add(key);
  }

  /** Recomputes the groups touched by this event's vertexes: runs, cached, error, visibility. */
  refreshGroups(): void {
    for (const key of this.#touchedGroups) {
      const prev = this.#get(key);
      if (prev === undefined) continue;
      const step: MutableStep = { ...prev };
      let runs = step.runs;
      let cached = true;
      let error: string | undefined;
      let reveal = false;
      for (const member of step.members.values()) {
        if (member.started !== undefined) {
          runs = upsertInterval(runs, member.started, member.completed);
          if (member.progressGroup?.weak !== true) reveal = true;
        }
        cached = cached && member.cached;
        if (member.error !== undefined) {
          if (error === undefined) error = member.error;
          reveal = true;
        }
      }
      const newlyRevealed = step.hidden && reveal;
      const changed = !sameIntervals(runs, step.runs) || cached !== step.cached || error !== step.error || newlyRevealed;
      step.runs = runs;
      step.intervals = mergeIntervals(runs);
      step.cached = cached;
      step.error = error;
      step.canceled = isCanceledError(error);
      if (newlyRevealed) step.hidden = false;
      if (!step.hidden) {
        if (isStarted(step)) this.#number(step);
        if (changed) this.#touch(step);
      }
      this.#set(step);
    }
    this.#touchedGroups.clear();
  }

  /** The step that displays `digest`, creating a placeholder named after the digest for an unknown vertex. */
  #stepFor(digest: string): MutableStep {
    const key = this.#stepKeyOf(digest) ?? digest;
    const prev = this.#get(key);
    if (prev !== undefined) return { ...prev };
    this.#mapVertex(digest, key);
    return newStep(key, 'vertex', digest, digest);
  }

  /** Output makes a step visible: reveal a hidden group and number the step. */
  #surface(step: MutableStep): void {
    if (step.hidden) step.hidden = false;
    this.#number(step);
  }

  applyStatus(s: StatusUpdate): void {
    this.#seeTime(s.timestamp);
    this.#seeTime(s.started);
    this.#seeTime(s.completed);
    const step = this.#stepFor(s.vertex);
    const next: StepStatus = {
      id: s.id,
      vertex: s.vertex,
      name: s.name,
      current: s.current,
      total: s.total,
      timestamp: s.timestamp,
      started: s.started,
      completed: s.completed,
      revision: this.#revision,
    };
    const statuses = [...step.statuses];
    const at = statuses.findIndex((x) => x.id === s.id);
    const prev = at >= 0 ? statuses[at] : undefined;
    if (prev !== undefined && (prev.started !== undefined || s.started === undefined)) {
      statuses[at] = next; // same place: already started, or still waiting to start
    } else {
      if (at >= 0) statuses.splice(at, 1);
      if (s.started === undefined) statuses.push(next);
      else {
        // Newly started: goes after the last started status, before the ones still waiting.
        let insertAt = statuses.findIndex((x) => x.started === undefined);
        if (insertAt < 0) insertAt = statuses.length;
        statuses.splice(insertAt, 0, next);
      }
    }
    step.statuses = statuses;
    this.#surface(step);
    this.#touch(step);
    this.#set(step);
  }

  applyWarning(w: Warning): void {
    const step = this.#stepFor(w.vertex);
    step.warnings = step.warnings.append(w);
    this.#warnings = this.#warnings.append(w);
    this.#surface(step);
    this.#touch(step);
    this.#set(step);
  }

  applyLog(l: LogChunk): void {
    this.#seeTime(l.timestamp);
    if (l.data.length === 0) return;
    const step = this.#stepFor(l.vertex);
    const { complete, rest } = splitIncompleteUtf8(concatBytes(step.pendingBytes, l.data));
    step.pendingBytes = rest.length === 0 ? EMPTY_BYTES : rest;
    const text = decoder.decode(complete);
    if (text !== '') {
      const start = latestStart(step);
      const begin = (segment: string): LogLine => ({
        stream: l.stream,
        text: segment,
        timestamp: l.timestamp,
        elapsedMs: start === undefined ? 0 : l.timestamp - start,
      });
      const segments = text.split('\n');
      const finished: LogLine[] = [];
      let partial = step.partialLog;
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i] ?? '';
        const last = i === segments.length - 1;
        if (partial !== undefined) {
          partial = { ...partial, text: partial.text + segment };
        } else if (!last || segment !== '') {
          partial = begin(segment);
        }
        if (!last && partial !== undefined) {
          finished.push(partial);
          partial = undefined;
        }
      }
      step.logs = step.logs.append(...finished);
      for (const line of finished) step.logChars += line.text.length;
      if (step.logChars > 2 * STEP_LOG_HELD_CHARS) {
        // Let the oldest lines go, keeping the newest STEP_LOG_HELD_CHARS (the tail is what a failure shows).
        let kept = 0;
        let chars = 0;
        for (let i = step.logs.length - 1; i >= step.logs.first; i--) {
          const n = step.logs.at(i)?.text.length ?? 0;
          if (kept > 0 && chars + n > STEP_LOG_HELD_CHARS) break;
          chars += n;
          kept++;
        }
        step.logs = step.logs.keepLast(kept);
        step.logChars = chars;
      }
      step.partialLog = partial;
    }
    this.#surface(step);
    this.#touch(step);
    this.#set(step);
  }

  finish(event: StatusEvent, now: number | undefined): ProgressState {
    const base = this.#base;
    const effectiveNow = now ?? this.#eventTime ?? base.now;
    let clockOffset = base.clockOffset;
    if (clockOffset === undefined && this.#startedAt !== undefined) {
      // Without a local clock the daemon's clock is the only clock: no offset.
      clockOffset = now === undefined ? 0 : now - this.#startedAt;
    }
    return {
      revision: this.#revision,
      steps: this.#steps ?? base.steps,
      order: this.#order ?? base.order,
      vertexSteps: this.#vertexSteps ?? base.vertexSteps,
      warnings: this.#warnings,
      startedAt: this.#startedAt,
      eventTime: this.#eventTime,
      now: effectiveNow,
      clockOffset,
      lastEvent: event,
    };
  }
}

function newStep(key: string, kind: 'vertex' | 'group', digest: string, name: string): MutableStep {
  return {
    key,
    kind,
    digest,
    name,
    inputs: [],
    index: 0,
    cached: false,
    error: undefined,
    canceled: false,
    runs: [],
    intervals: [],
    statuses: [],
    logs: AppendOnlyList.empty<LogLine>(),
    logChars: 0,
    partialLog: undefined,
    pendingBytes: EMPTY_BYTES,
    warnings: AppendOnlyList.empty<Warning>(),
    hidden: false,
    members: new Map<string, VertexUpdate>(),
    revision: 0,
    activity: 0,
  };
}
