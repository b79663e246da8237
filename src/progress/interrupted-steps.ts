import type { StatusEvent, VertexUpdate } from './events.js';
import { isCompleted, isStarted, type ProgressState, type StepState } from './model.js';

/** Started, not completed, no error: a step the daemon has not said the end of. */
const isRunning = (step: StepState): boolean => step.error === undefined && isStarted(step) && !isCompleted(step);

/**
 * The status event kiln makes up when the daemon can no longer say how its running steps ended (the connection to it
 * was lost mid-build): every vertex that started and has not completed is completed now with `error`. Without it a
 * display would show those steps running for ever — a spinner in the final tty frame, no end in plain or rawjson
 * output. `undefined` when nothing was running. `now` is local time; the event carries the daemon's clock, as the
 * daemon's own events do.
 */
export function interruptedStepsEvent(state: ProgressState, error: string, now: number = Date.now()): StatusEvent | undefined {
  const completed = now - (state.clockOffset ?? 0);
  const vertexes: VertexUpdate[] = [];
  for (const key of state.order) {
    const step = state.steps.get(key);
    if (step === undefined || !isRunning(step)) continue;
    // A group's running members are ended one by one, each under its own digest, as the daemon would report them.
    const members = step.kind === 'group' ? [...step.members.values()] : [];
    const running =
      step.kind === 'group'
        ? members.filter((m) => m.started !== undefined && m.completed === undefined && m.error === undefined)
        : [{ digest: step.digest, inputs: step.inputs, name: step.name, cached: false, started: step.intervals[step.intervals.length - 1]?.start }];
    for (const v of running) {
      const started = v.started ?? completed;
      vertexes.push({ ...v, cached: false, started, completed: Math.max(started, completed), error });
    }
  }
  if (vertexes.length === 0) return undefined;
  return { vertexes, statuses: [], logs: [], warnings: [] };
}

/** The keys of the steps running in `state` (started, not completed, no error): those a cancellation stops. */
export function runningStepKeys(state: ProgressState): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const key of state.order) {
    const step = state.steps.get(key);
    if (step !== undefined && isRunning(step)) keys.add(key);
  }
  return keys;
}

/**
 * The status event kiln makes up after cancelling a build, for the steps that were running when it did (`running`,
 * from {@link runningStepKeys}): one the daemon has not reported ended is ended now, and one it reported failed — the
 * process it killed for the cancellation, e.g. BuildKit v0.8's `executor failed running […]: exit code: 137` — is
 * reported again as canceled, which is what happened to it. Both get the daemon's own wording for a stopped step,
 * `context canceled`. `undefined` when there is nothing to say.
 */
export function cancelledStepsEvent(state: ProgressState, running: ReadonlySet<string>, now: number = Date.now()): StatusEvent | undefined {
  const error = 'context canceled';
  const stillRunning = interruptedStepsEvent(state, error, now);
  const vertexes: VertexUpdate[] = [...(stillRunning?.vertexes ?? [])];
  for (const key of running) {
    const step = state.steps.get(key);
    if (step === undefined || step.kind === 'group' || step.error === undefined || step.canceled) continue;
    const last = step.intervals[step.intervals.length - 1];
    const started = last?.start ?? now - (state.clockOffset ?? 0);
    vertexes.push({ digest: step.digest, inputs: step.inputs, name: step.name, cached: false, started, completed: Math.max(started, last?.end ?? started), error });
  }
  if (vertexes.length === 0) return undefined;
  return { vertexes, statuses: [], logs: [], warnings: [] };
}
