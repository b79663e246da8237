/**
 * The graph behind `State`: vertices (one per LLB op), their outputs, the per-op options every op
 * accepts, and the marshal context that turns a vertex into canonical op bytes.
 *
 * Internal module.
 */
import * as crypto from 'node:crypto';
import { KilnError, invalidArgument } from '../errors.js';
import { capIntroducedIn } from './caps.js';
import type { OpMetadata, PbInput, PbOp, PbPlatform, ProgressGroup } from './pb.js';
import { encodeOp } from './pb-encode.js';
import { type Platform, type PlatformInput, formatPlatform, normalizePlatform, toPbPlatform } from './platform.js';
import { type CallSite, checkBool, checkOptions, checkString, checkStringList, show } from './validate.js';

/** Options every op accepts (they go into the op's metadata or its constraints). */
export interface OpOptions {
  /** Display name in progress output (metadata description key `llb.customname`). */
  readonly customName?: string | undefined;
  /** Extra description keys; `customName` wins over a `llb.customname` key here. */
  readonly description?: Readonly<Record<string, string>> | undefined;
  /** Groups ops under one heading in progress output. */
  readonly progressGroup?: { readonly id: string; readonly name: string; readonly weak?: boolean | undefined } | undefined;
  /** Always re-run this op instead of using the cache. */
  readonly ignoreCache?: boolean | undefined;
  /** Force (`true`) or forbid (`false`) exporting this op's result to the build cache. */
  readonly exportCache?: boolean | undefined;
  /** Platform constraint for this op (overrides the state's and the marshal platform). */
  readonly platform?: PlatformInput | undefined;
  /** Worker constraint filters (containerd filter syntax, e.g. `labels.gpu==true`). */
  readonly constraints?: readonly string[] | undefined;
}

/** Per-op options after validation. */
export interface OpConstraints {
  readonly platform: Platform | undefined;
  readonly filters: readonly string[];
  readonly ignoreCache: boolean;
  readonly description: ReadonlyMap<string, string>;
  readonly exportCache: boolean | undefined;
  readonly progressGroup: ProgressGroup | undefined;
}

const NO_DESCRIPTION: ReadonlyMap<string, string> = new Map();

/** Constraints of an op built with no options. */
export const NO_CONSTRAINTS: OpConstraints = Object.freeze({
  platform: undefined,
  filters: Object.freeze([]) as readonly string[],
  ignoreCache: false,
  description: NO_DESCRIPTION,
  exportCache: undefined,
  progressGroup: undefined,
});

/** Validates the {@link OpOptions} part of an options object. */
export function opConstraints(o: OpOptions | undefined, site: CallSite, name = 'options'): OpConstraints {
  if (o === undefined) return NO_CONSTRAINTS;
  if (
    o.customName === undefined &&
    o.description === undefined &&
    o.progressGroup === undefined &&
    o.ignoreCache === undefined &&
    o.exportCache === undefined &&
    o.platform === undefined &&
    o.constraints === undefined
  ) {
    return NO_CONSTRAINTS;
  }
  let description = NO_DESCRIPTION;
  if (o.description !== undefined || o.customName !== undefined) {
    const d = new Map<string, string>();
    if (o.description !== undefined) {
      if (typeof o.description !== 'object' || o.description === null || Array.isArray(o.description)) {
        invalidArgument(`${name}.description must be an object of string values, got ${show(o.description)}`, site);
      }
      for (const [k, v] of Object.entries(o.description)) {
        d.set(k, checkString(v, `${name}.description[${show(k)}]`, site));
      }
    }
    if (o.customName !== undefined) d.set('llb.customname', checkString(o.customName, `${name}.customName`, site));
    description = d;
  }
  let progressGroup: ProgressGroup | undefined;
  if (o.progressGroup !== undefined) {
    const pg = o.progressGroup;
    checkOptions(pg, `${name}.progressGroup`, site);
    progressGroup = {
      id: checkString(pg.id, `${name}.progressGroup.id`, site),
      name: checkString(pg.name, `${name}.progressGroup.name`, site),
      weak: checkBool(pg.weak, `${name}.progressGroup.weak`, site),
    };
  }
  return {
    platform: o.platform === undefined ? undefined : normalizePlatform(o.platform, `${name}.platform`, site),
    filters: checkStringList(o.constraints, `${name}.constraints`, site),
    ignoreCache: checkBool(o.ignoreCache, `${name}.ignoreCache`, site),
    description,
    exportCache: o.exportCache === undefined ? undefined : checkBool(o.exportCache, `${name}.exportCache`, site),
    progressGroup,
  };
}

/** One output of a vertex. States hold outputs; an exec has one per writable mount. */
export class Output {
  constructor(
    readonly vertex: Vertex,
    readonly index: number,
    /** The platform a state built on this output takes (set when the op had a platform constraint). */
    readonly platform: Platform | undefined,
  ) {}
}

/** What a vertex produces for one marshal context. */
export interface MarshalledOp {
  readonly bytes: Uint8Array;
  readonly digest: string;
  readonly metadata: OpMetadata;
}

/** A list of caps an op records, interned: one shared value per distinct list. */
export interface CapList {
  readonly caps: readonly string[];
  readonly map: ReadonlyMap<string, boolean>;
  /** Metadata holding only these caps: `[ignoreCache false, ignoreCache true]`. */
  readonly plain: readonly [OpMetadata, OpMetadata];
}

const capLists = new Map<string, CapList>();

/** The interned {@link CapList} for `caps`. */
export function capList(caps: readonly string[]): CapList {
  const key = caps.join(',');
  let c = capLists.get(key);
  if (c === undefined) {
    const map = new Map<string, boolean>();
    for (const cap of caps) map.set(cap, true);
    const plain = (ignoreCache: boolean): OpMetadata => ({
      ignoreCache,
      description: NO_DESCRIPTION,
      exportCache: undefined,
      caps: map,
      progressGroup: undefined,
    });
    c = { caps: Object.freeze([...caps]), map, plain: [plain(false), plain(true)] };
    if (capLists.size < 4096) capLists.set(key, c);
  }
  return c;
}

/** The op body and the caps a vertex records. */
export interface BuiltOp {
  readonly op: PbOp;
  readonly caps: CapList;
}

/** Marshal-wide settings plus access to the inputs' digests. */
export interface MarshalContext {
  /** Identifies the settings; a vertex's cached bytes are reused only under the same key. */
  readonly key: string;
  readonly platform: Platform;
  readonly filters: readonly string[];
  readonly ignoreCache: boolean;
  readonly caps: ReadonlySet<string> | undefined;
  readonly localUniqueId: string;
  /** The digest-and-index edge for an output (its vertex is already marshalled). */
  input(out: Output): PbInput;
}

/** The kinds of vertex. */
export type VertexKind = 'source' | 'exec' | 'file' | 'merge' | 'diff';

/**
 * The `Op.inputs` list for `outputs` (an op's distinct input outputs in order of first use): each
 * distinct (digest, index) edge once — two different outputs can be the same edge when identical
 * ops were built separately. `slots[i]` is the edge index of `outputs[i]`; `undefined` when it is
 * simply `i` (the common case).
 */
export function inputEdges(
  ctx: MarshalContext,
  outputs: readonly Output[],
): { readonly edges: PbInput[]; readonly slots: number[] | undefined } {
  const edges: PbInput[] = [];
  let slots: number[] | undefined;
  for (let i = 0; i < outputs.length; i++) {
    const e = ctx.input(outputs[i] as Output);
    let idx = -1;
    for (let j = 0; j < edges.length; j++) {
      const x = edges[j] as PbInput;
      if (x.digest === e.digest && x.index === e.index) {
        idx = j;
        break;
      }
    }
    if (idx === -1) {
      edges.push(e);
      if (slots !== undefined) slots.push(edges.length - 1);
    } else {
      slots ??= Array.from({ length: i }, (_, k) => k);
      slots.push(idx);
    }
  }
  return { edges, slots };
}

/** A node of the LLB graph. Immutable once built, apart from its marshal cache. */
export abstract class Vertex {
  abstract readonly kind: VertexKind;
  /** Distinct input outputs, in the order they appear in `Op.inputs`. */
  abstract readonly inputs: readonly Output[];
  private cacheKey: string | undefined;
  private cached: MarshalledOp | undefined;
  /** The marshal walk that last visited this vertex (cheaper than a Set of vertices). */
  visitMark = 0;

  constructor(readonly constraints: OpConstraints) {}

  /** Builds the op body for a marshal context. */
  protected abstract build(ctx: MarshalContext): BuiltOp;

  /** A short human name for error messages. */
  abstract describe(): string;

  /** Caps the daemon must support beyond the recorded ones (fields old daemons would silently ignore). */
  requiredCaps(): readonly string[] {
    return [];
  }

  /** The name shown for this op: its custom name, else {@link describe}. */
  displayName(): string {
    return this.constraints.description.get('llb.customname') ?? this.describe();
  }

  /** The op's bytes, digest and metadata under `ctx` (cached per context key). */
  marshal(ctx: MarshalContext): MarshalledOp {
    if (this.cacheKey === ctx.key && this.cached !== undefined) return this.cached;
    const built = this.build(ctx);
    checkStructure(built.op, this);
    const bytes = encodeOp(built.op);
    const digest = sha256Digest(bytes);
    const c = this.constraints;
    const ignoreCache = c.ignoreCache || ctx.ignoreCache;
    const metadata: OpMetadata =
      c.description.size === 0 && c.exportCache === undefined && c.progressGroup === undefined
        ? built.caps.plain[ignoreCache ? 1 : 0]
        : {
            ignoreCache,
            description: c.description,
            exportCache: c.exportCache === undefined ? undefined : { value: c.exportCache },
            caps: built.caps.map,
            progressGroup: c.progressGroup,
          };
    const m: MarshalledOp = { bytes, digest, metadata };
    this.cacheKey = ctx.key;
    this.cached = m;
    return m;
  }

  /** The platform this op runs for: its own constraint, else `fallback`, else the marshal platform. */
  protected opPlatform(ctx: MarshalContext, fallback: Platform | undefined): PbPlatform {
    return pbPlatformOf(this.constraints.platform ?? fallback ?? ctx.platform);
  }

  /** Worker constraints: the marshal-level filters followed by the op's own. */
  protected workerConstraints(ctx: MarshalContext): { readonly filter: readonly string[] } {
    const own = this.constraints.filters;
    if (own.length === 0) return ctx.filters.length === 0 ? EMPTY_CONSTRAINTS : { filter: ctx.filters };
    return { filter: ctx.filters.length === 0 ? own : [...ctx.filters, ...own] };
  }
}

const pbPlatforms = new WeakMap<Platform, PbPlatform>();

/** The protobuf form of a platform, shared per platform object. */
function pbPlatformOf(p: Platform): PbPlatform {
  let pb = pbPlatforms.get(p);
  if (pb === undefined) {
    pb = toPbPlatform(p);
    pbPlatforms.set(p, pb);
  }
  return pb;
}

const EMPTY_CONSTRAINTS = Object.freeze({ filter: Object.freeze([]) as readonly string[] });

type OneShotHash = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;
// crypto.hash (Node 20.12+) hashes small inputs about twice as fast as createHash.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

// "sha256:" + hex is assembled in a scratch buffer so the digest is one flat string: it is written
// into every op that uses it and hashed as a map key, and a concatenated string would be copied
// (flattened) on first use.
const digestScratch = Buffer.from('sha256:0000000000000000000000000000000000000000000000000000000000000000', 'latin1');
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/**
 * The daemon rejects these shapes (or misbuilds them); kiln's builders never produce them, so one
 * showing up here is a kiln bug and fails the marshal instead of reaching the daemon.
 */
function checkStructure(op: PbOp, v: Vertex): void {
  const body = op.op;
  let problem: string | undefined;
  if (body === undefined) problem = 'it has no body';
  else if (body.type === 'exec') {
    const e = body.exec;
    if (e.meta === undefined || e.meta.args.length === 0) problem = 'it has no command';
    else if (e.meta.cwd === '') problem = 'it has no working directory';
    else if (!e.mounts.some((m) => m.dest === '/')) problem = 'it has no "/" mount';
  } else if (body.type === 'file') {
    if (body.file.actions.length === 0) problem = 'it has no actions';
  } else if (body.type === 'merge') {
    if (body.merge.inputs.length < 2) problem = 'it merges fewer than two inputs';
  } else if (body.type === 'source') {
    if (body.source.identifier === '') problem = 'it has no identifier';
  }
  if (problem === undefined && op.inputs.some((i) => i.digest === '')) problem = 'an input has no digest';
  if (problem !== undefined) {
    throw new KilnError('internal', `kiln built an invalid ${v.kind} op (${v.describe()}): ${problem}; this is a bug in kiln`);
  }
}

/** `"sha256:" + hex(sha256(bytes))`. */
export function sha256Digest(bytes: Uint8Array): string {
  const sum = oneShot !== undefined ? oneShot('sha256', bytes, 'buffer') : crypto.createHash('sha256').update(bytes).digest();
  const out = digestScratch;
  for (let i = 0, j = 7; i < 32; i++, j += 2) {
    const b = sum[i] as number;
    out[j] = HEX_DIGITS[b >> 4] as number;
    out[j + 1] = HEX_DIGITS[b & 15] as number;
  }
  return out.toString('latin1');
}

/** The error for an op that needs a cap the daemon lacks. */
export function unsupportedCapError(vertex: Vertex | undefined, cap: string, daemon: string): KilnError {
  const since = capIntroducedIn(cap);
  const what = vertex === undefined ? 'the build definition' : `${vertex.kind} op ${show(vertex.displayName())}`;
  const platform = vertex?.constraints.platform;
  return new KilnError(
    'unsupported',
    `${what} needs LLB capability "${cap}"${since === undefined ? '' : ` (BuildKit ${since}+)`}, which ${daemon} does not support`,
    {
      hint:
        since === undefined
          ? 'Use a newer BuildKit daemon, or build without this feature.'
          : `Use a daemon running BuildKit ${since} or later (for example a standalone buildkitd), or build without this feature.`,
      details: {
        cap,
        op: vertex?.displayName(),
        kind: vertex?.kind,
        daemon,
        ...(platform === undefined ? {} : { platform: formatPlatform(platform) }),
      },
    },
  );
}
