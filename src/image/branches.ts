/**
 * Independent run steps: where each step that declares `outputs` is built. The compiler and `toDockerfile()` both
 * place steps with this one function, so the Dockerfile has the same stages the LLB graph has branches.
 *
 * ## The rule
 * A run step with `outputs` runs on the image built by every step before it, except the independent steps directly
 * before it: steps with `outputs` that follow each other (with only configuration between them — `env`, `user`,
 * `label`, `expose`, `cmd`, `entrypoint`, `forceBuild`; a `workdir` or any step that changes files ends the run)
 * form a group. Every member of a group runs on the same earlier image, so they are built side by side and a change
 * to one never invalidates the others' cache. Only each member's declared outputs are kept; they are laid onto that
 * earlier image in the order of the steps.
 *
 * ## The overlap rule
 * Members of a group must not touch each other's files. A step does not join the group before it (it starts a new
 * group instead, running after the earlier members, i.e. sequentially) when:
 * 1. one of its outputs is, contains or lies inside an output of an earlier member; or
 * 2. its command names such an output (or something below it), or names a directory holding one as a whole
 *    (`ls /opt` when `/opt/models` is an output); or
 * 3. its `cwd` is, contains or lies inside such an output.
 * Reads kiln cannot see (a relative path from the default working directory, a path built at run time) are the
 * author's promise: declare `outputs` only on steps that do not read what the steps beside them write.
 *
 * Internal module.
 */
import { ancestors, mentions, mentionsExactly, overlaps } from './path-rules.js';
import type { RunStep, Step } from './steps.js';

/** Where an independent run step is built. */
export interface BranchPlacement {
  /** It runs beside the independent steps directly before it, on the image they run on. */
  readonly joins: boolean;
  /** Why it follows independent steps directly but runs after them ('' when it joins or starts a group normally). */
  readonly reason: string;
}

/** The command as text, for the "names a path" checks. */
export function commandText(step: RunStep): string {
  return step.argv === undefined ? step.script : step.argv.join(' ');
}

/** Why `step` cannot run beside `member` ('' when it can). */
function conflict(step: RunStep, member: RunStep): string {
  const text = commandText(step);
  for (const out of member.outputs) {
    const who = `${out}, an output of "${member.name}"`;
    const mine = step.outputs.find((o) => overlaps(o, out));
    if (mine !== undefined) return `its output ${mine} overlaps ${who}`;
    if (mentions(text, out)) return `its command names ${who}`;
    const holder = ancestors(out).find((a) => mentionsExactly(text, a));
    if (holder !== undefined) return `its command names ${holder}, which holds ${who}`;
    if (step.cwd !== undefined && step.cwd.startsWith('/') && step.cwd !== '/' && overlaps(step.cwd, out)) return `its working directory ${step.cwd} overlaps ${who}`;
  }
  return '';
}

/** How every run step with outputs in `steps` is placed (see the module comment). */
export function placeBranches(steps: readonly Step[]): ReadonlyMap<Step, BranchPlacement> {
  const placed = new Map<Step, BranchPlacement>();
  let group: RunStep[] = [];
  for (const step of steps) {
    if (step.kind === 'workdir' || step.kind === 'copy' || (step.kind === 'run' && step.outputs.length === 0)) {
      group = [];
      continue;
    }
    if (step.kind !== 'run') continue;
    if (group.length === 0) {
      placed.set(step, { joins: false, reason: '' });
      group = [step];
      continue;
    }
    let reason = '';
    for (const member of group) {
      reason = conflict(step, member);
      if (reason !== '') {
        reason = `${reason}, so it runs after it`;
        break;
      }
    }
    if (reason === '') {
      placed.set(step, { joins: true, reason: '' });
      group.push(step);
    } else {
      placed.set(step, { joins: false, reason });
      group = [step];
    }
  }
  return placed;
}
