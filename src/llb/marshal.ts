/**
 * `marshal`: turns the graph behind a State into a {@link Definition}, the way BuildKit's Go client
 * does: ops in post-order depth-first order over each op's inputs, each distinct op once (metadata
 * of identical ops merged), then the terminal op.
 */
import { randomBytes } from 'node:crypto';
import { KilnError, invalidArgument } from '../errors.js';
import { Cap, type CapSetInput, toCapSet } from './caps.js';
import { type Definition, makeDefinition } from './definition.js';
import { MergeVertex } from './merge-diff.js';
import type { OpMetadata, PbInput } from './pb.js';
import { encodeOp } from './pb-encode.js';
import { LINUX_AMD64, type Platform, type PlatformInput, formatPlatform, normalizePlatform } from './platform.js';
import { type State, stateData } from './state.js';
import { type CallSite, checkBool, checkNonEmpty, checkOptions, checkStringList, show } from './validate.js';
import { type MarshalContext, type Output, type Vertex, sha256Digest, unsupportedCapError } from './vertex.js';

/** Options of {@link marshal}. */
export interface MarshalOptions {
  /** Platform for ops that do not set one (default linux/amd64). */
  readonly platform?: PlatformInput | undefined;
  /**
   * The daemon's LLB caps (from the gateway `Ping`). When given, a default `PATH` is added to run
   * steps if the daemon does not set one itself (no `exec.meta.setsdefaultpath`), and every op is
   * checked against the set: a merge degrades to a chain of copies on daemons without `mergeop`;
   * any other missing cap fails with an `unsupported` error naming the cap, the op and the daemon.
   * An empty set means "caps unknown" (every daemon reports some): only the PATH default applies.
   */
  readonly caps?: CapSetInput | undefined;
  /** Human description of the daemon for error messages, e.g. "dockerd 20.10 (BuildKit v0.8)". */
  readonly daemon?: string | undefined;
  /** Re-run every op instead of using the cache. */
  readonly ignoreCache?: boolean | undefined;
  /** Worker constraint filters added to every op. */
  readonly constraints?: readonly string[] | undefined;
  /**
   * Salt for local sources without a session id (default: random per marshal, so identical local
   * sources of concurrent builds stay apart).
   */
  readonly localUniqueId?: string | undefined;
}

const capSetIds = new WeakMap<ReadonlySet<string>, number>();
let nextCapSetId = 1;

function capSetKey(caps: ReadonlySet<string> | undefined): string {
  if (caps === undefined) return '-';
  let id = capSetIds.get(caps);
  if (id === undefined) {
    id = nextCapSetId++;
    capSetIds.set(caps, id);
  }
  return String(id);
}

// Identifies one marshal walk (see Vertex.visitMark).
let walkCounter = 0;

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomId(): string {
  const bytes = randomBytes(25);
  let s = '';
  for (const b of bytes) s += BASE36[b % 36];
  return s;
}

class Context implements MarshalContext {
  readonly key: string;
  private readonly substitutes = new Map<Vertex, Vertex>();

  constructor(
    readonly platform: Platform,
    readonly filters: readonly string[],
    readonly ignoreCache: boolean,
    readonly caps: ReadonlySet<string> | undefined,
    /** Whether ops are checked against (and merges degraded for) `caps`. */
    readonly checking: boolean,
    readonly localUniqueId: string,
  ) {
    this.key = [formatPlatform(platform), filters.join('\u0000'), ignoreCache ? '1' : '0', capSetKey(caps), localUniqueId].join(
      '\u0001',
    );
  }

  /** The vertex that is actually encoded for `v` (a merge may fall back to copies). */
  resolve(v: Vertex): Vertex {
    if (!this.checking || !(v instanceof MergeVertex) || this.caps?.has(Cap.mergeOp) === true) return v;
    let s = this.substitutes.get(v);
    if (s === undefined) {
      s = v.fallback();
      this.substitutes.set(v, s);
    }
    return s;
  }

  input(out: Output): PbInput {
    return { digest: this.resolve(out.vertex).marshal(this).digest, index: out.index };
  }
}

const NO_STRINGS: ReadonlyMap<string, string> = new Map();

/**
 * Merges the metadata of two ops with the same digest the way BuildKit does: ignore-cache is OR-ed,
 * descriptions and caps are unioned, export-cache and progress group come from the later one.
 */
function mergeMetadata(a: OpMetadata, b: OpMetadata): OpMetadata {
  let description = a.description;
  if (b.description.size > 0) {
    const d = new Map(a.description);
    for (const [k, v] of b.description) d.set(k, v);
    description = d;
  }
  let caps = a.caps;
  for (const k of b.caps.keys()) {
    if (!caps.has(k)) {
      const c = new Map(a.caps);
      for (const key of b.caps.keys()) c.set(key, true);
      caps = c;
      break;
    }
  }
  return {
    ignoreCache: a.ignoreCache || b.ignoreCache,
    description,
    exportCache: b.exportCache ?? a.exportCache,
    caps,
    progressGroup: b.progressGroup ?? a.progressGroup,
  };
}

function checkCaps(v: Vertex, m: OpMetadata, caps: ReadonlySet<string>, daemon: string): void {
  for (const cap of m.caps.keys()) if (!caps.has(cap)) throw unsupportedCapError(v, cap, daemon);
  for (const cap of v.requiredCaps()) if (!caps.has(cap)) throw unsupportedCapError(v, cap, daemon);
}

/**
 * Marshals the graph ending at `state` into a {@link Definition}.
 *
 * @example
 * const def = marshal(image('alpine:3.18').run('echo hi').root(), { platform: 'linux/arm64' });
 * await client.solve(def.toBytes());
 */
export function marshal(state: State, options?: MarshalOptions): Definition {
  return marshalState(state, options, marshal);
}

/** {@link marshal} reporting argument errors against `site` (internal); `onOp` is told the digest of each vertex encoded. */
export function marshalState(state: State, options: MarshalOptions | undefined, site: CallSite, onOp?: (v: Vertex, digest: string) => void): Definition {
  let data;
  try {
    data = stateData(state);
  } catch {
    return invalidArgument(`marshal needs a State, got ${show(state)}`, site);
  }
  checkOptions(options, 'marshal options', site);
  const o = options ?? {};
  const platform = o.platform === undefined ? LINUX_AMD64 : normalizePlatform(o.platform, 'marshal platform', site);
  let caps: ReadonlySet<string> | undefined;
  if (o.caps !== undefined) {
    if (typeof o.caps !== 'object' || o.caps === null) {
      invalidArgument(`marshal caps must be a Set of cap ids, a record of id → enabled, or an array, got ${show(o.caps)}`, site);
    }
    caps = toCapSet(o.caps);
  }
  const daemon = o.daemon === undefined ? 'the daemon' : checkNonEmpty(o.daemon, 'marshal daemon', site);
  const localUniqueId = o.localUniqueId === undefined ? randomId() : checkNonEmpty(o.localUniqueId, 'marshal localUniqueId', site);
  const ctx = new Context(
    platform,
    checkStringList(o.constraints, 'marshal constraints', site),
    checkBool(o.ignoreCache, 'marshal ignoreCache', site),
    caps,
    caps !== undefined && caps.size > 0,
    localUniqueId,
  );
  const check = ctx.checking ? caps : undefined;

  const out = data.out;
  if (out === null) return makeDefinition([], [], new Map(), undefined);

  const ops: Uint8Array[] = [];
  const digests: string[] = [];
  const metadata = new Map<string, OpMetadata>();

  // Iterative post-order DFS (deep chains must not overflow the call stack).
  const root = ctx.resolve(out.vertex);
  const mark = ++walkCounter;
  root.visitMark = mark;
  const stackV: Vertex[] = [root];
  const stackI: number[] = [0];
  while (stackV.length > 0) {
    const top = stackV.length - 1;
    const v = stackV[top] as Vertex;
    const i = stackI[top] as number;
    const ins = v.inputs;
    if (i < ins.length) {
      stackI[top] = i + 1;
      const child = ctx.resolve((ins[i] as Output).vertex);
      if (child.visitMark !== mark) {
        child.visitMark = mark;
        stackV.push(child);
        stackI.push(0);
      }
      continue;
    }
    stackV.pop();
    stackI.pop();
    const m = v.marshal(ctx);
    onOp?.(v, m.digest);
    if (check !== undefined) checkCaps(v, m.metadata, check, daemon);
    const seen = metadata.get(m.digest);
    if (seen === undefined) {
      metadata.set(m.digest, m.metadata);
      ops.push(m.bytes);
      digests.push(m.digest);
    } else {
      metadata.set(m.digest, mergeMetadata(seen, m.metadata));
    }
  }

  const head: PbInput = ctx.input(out);
  const terminalBytes = encodeOp({ inputs: [head], op: undefined, platform: undefined, constraints: undefined });
  const terminalDigest = sha256Digest(terminalBytes);
  const terminalCaps = new Map<string, boolean>([
    [Cap.constraints, true],
    [Cap.platform, true],
  ]);
  for (const a of metadata.values()) {
    if (a.ignoreCache) terminalCaps.set(Cap.metaIgnoreCache, true);
    if (a.description.size > 0) terminalCaps.set(Cap.metaDescription, true);
    if (a.exportCache !== undefined) terminalCaps.set(Cap.metaExportCache, true);
  }
  const terminalMeta: OpMetadata = {
    ignoreCache: false,
    description: NO_STRINGS,
    exportCache: undefined,
    caps: terminalCaps,
    progressGroup: undefined,
  };
  if (check !== undefined) {
    for (const cap of terminalCaps.keys()) if (!check.has(cap)) throw unsupportedCapError(undefined, cap, daemon);
  }
  // The daemon rejects a definition with fewer than two distinct ops (it would be only the terminal).
  if (ops.length < 1 || metadata.has(terminalDigest)) {
    throw new KilnError('internal', `kiln produced an invalid definition (${ops.length + 1} ops); this is a bug in kiln`);
  }
  metadata.set(terminalDigest, terminalMeta);
  ops.push(terminalBytes);
  digests.push(terminalDigest);
  return makeDefinition(ops, digests, metadata, head);
}
