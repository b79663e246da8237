/**
 * `merge` (layer several filesystems on top of each other) and `diff` (the changes between two).
 * Both need BuildKit v0.10+; against an older daemon `merge` falls back to a chain of copies.
 */
import { invalidArgument } from '../errors.js';
import { Cap } from './caps.js';
import { type ActionSpec, FileVertex } from './file.js';
import type { PbInput, PbOp } from './pb.js';
import type { Platform } from './platform.js';
import { type State, type StateData, stateData, stateFromOutput } from './state.js';
import { show } from './validate.js';
import { type BuiltOp, type MarshalContext, type OpConstraints, type OpOptions, Output, Vertex, capList, opConstraints } from './vertex.js';

const MERGE_CAPS = capList([Cap.mergeOp]);
const DIFF_CAPS = capList([Cap.diffOp]);

/** A merge op. */
export class MergeVertex extends Vertex {
  readonly kind = 'merge' as const;
  private fallbackVertex: FileVertex | undefined;

  constructor(
    constraints: OpConstraints,
    readonly inputs: readonly Output[],
    private readonly firstPlatform: Platform | undefined,
  ) {
    super(constraints);
  }

  describe(): string {
    return `merge of ${this.inputs.length} states`;
  }

  protected build(ctx: MarshalContext): BuiltOp {
    const inputs: PbInput[] = this.inputs.map((o) => ctx.input(o));
    const op: PbOp = {
      inputs,
      op: { type: 'merge', merge: { inputs: inputs.map((_, i) => ({ input: i })) } },
      platform: undefined,
      constraints: this.workerConstraints(ctx),
    };
    return { op, caps: MERGE_CAPS };
  }

  /**
   * The same filesystem built without a merge op, for daemons older than BuildKit v0.10: one file op
   * on the first input that copies each further input's whole tree onto it, in order.
   */
  fallback(): FileVertex {
    if (this.fallbackVertex === undefined) {
      const [first, ...rest] = this.inputs;
      const actions: ActionSpec[] = rest.map((from) => ({
        kind: 'copy',
        from,
        src: '/',
        dest: '/',
        owner: undefined,
        mode: -1,
        followSymlink: false,
        dirCopyContents: true,
        attemptUnpack: false,
        createDestPath: true,
        allowWildcard: false,
        allowEmptyWildcard: false,
        timestamp: -1n,
        include: [],
        exclude: [],
      }));
      this.fallbackVertex = new FileVertex(this.constraints, first ?? null, '/', actions, this.firstPlatform);
    }
    return this.fallbackVertex;
  }
}

/** A diff op. */
export class DiffVertex extends Vertex {
  readonly kind = 'diff' as const;
  readonly inputs: readonly Output[];

  constructor(
    constraints: OpConstraints,
    private readonly lower: Output | null,
    private readonly upper: Output | null,
  ) {
    super(constraints);
    this.inputs = [lower, upper].filter((o): o is Output => o !== null);
  }

  describe(): string {
    return 'diff';
  }

  protected build(ctx: MarshalContext): BuiltOp {
    const inputs: PbInput[] = [];
    let lower = -1;
    let upper = -1;
    if (this.lower !== null) {
      lower = inputs.length;
      inputs.push(ctx.input(this.lower));
    }
    if (this.upper !== null) {
      upper = inputs.length;
      inputs.push(ctx.input(this.upper));
    }
    const op: PbOp = {
      inputs,
      op: { type: 'diff', diff: { lower: { input: lower }, upper: { input: upper } } },
      platform: undefined,
      constraints: this.workerConstraints(ctx),
    };
    return { op, caps: DIFF_CAPS };
  }
}

function dataOf(s: unknown, name: string, site: typeof merge | typeof diff): StateData {
  try {
    return stateData(s as State);
  } catch {
    return invalidArgument(`${name} must be a State, got ${show(s)}`, site);
  }
}

/**
 * Layers states on top of each other, later ones winning (like stacking image layers). Scratch
 * states are skipped; merging one non-empty state returns it unchanged, merging none gives scratch.
 * The result starts fresh: working directory `/`, no env.
 *
 * @example
 * merge([image('alpine'), scratch().mkfile('/a', 'a'), scratch().mkfile('/b', 'b')])
 */
export function merge(states: readonly State[], options?: OpOptions): State {
  if (!Array.isArray(states)) invalidArgument(`merge takes an array of states, got ${show(states)}`, merge);
  const kept: StateData[] = [];
  states.forEach((s, i) => {
    const d = dataOf(s, `merge states[${i}]`, merge);
    if (d.out !== null) kept.push(d);
  });
  const constraints = opConstraints(options, merge, 'merge options');
  if (kept.length === 0) return stateFromOutput(null);
  if (kept.length === 1) return states.find((s) => stateData(s).out !== null) as State;
  const vertex = new MergeVertex(
    constraints,
    kept.map((d) => d.out as Output),
    kept[0]?.platform,
  );
  return stateFromOutput(new Output(vertex, 0, undefined));
}

/**
 * The changes that turn `lower` into `upper`, as a filesystem of its own (deletions included when
 * merged). `diff(scratch(), x)` is `x`.
 *
 * @example
 * const base = image('alpine:3.18');
 * const curl = diff(base, base.run('apk add --no-cache curl').root());
 */
export function diff(lower: State, upper: State, options?: OpOptions): State {
  const l = dataOf(lower, 'diff lower', diff);
  const u = dataOf(upper, 'diff upper', diff);
  const constraints = opConstraints(options, diff, 'diff options');
  if (l.out === null) return u.out === null ? stateFromOutput(null) : upper;
  return stateFromOutput(new Output(new DiffVertex(constraints, l.out, u.out), 0, undefined));
}
