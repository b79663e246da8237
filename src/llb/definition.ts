/**
 * `Definition`: a marshalled LLB graph, ready to send to a daemon.
 */
import type { OpMetadata, PbDefinition, PbInput } from './pb.js';
import { encodeDefinition } from './pb-encode.js';
import { invalidArgument } from '../errors.js';

const TOKEN: unique symbol = Symbol('kiln.llb.Definition');

/**
 * A marshalled LLB definition: the op bytes in dependency order (the terminal op last), and the
 * metadata of every op keyed by op digest.
 *
 * Its {@link Definition.digest | digest} is the digest of the op that produces the result (the
 * terminal op's input), which depends only on the graph itself — not on metadata, def order or how
 * the graph was built.
 *
 * @example
 * const def = marshal(image('alpine:3.18').run('echo hi').root());
 * def.digest();   // 'sha256:…' of the exec op
 * def.toBytes();  // pb.Definition bytes for Control.Solve / LLBBridge.Solve
 */
export class Definition {
  /** The marshalled ops (`pb.Definition.def`), dependencies first, terminal op last. */
  readonly ops: readonly Uint8Array[];
  /** `sha256:` digests of {@link Definition.ops}, in the same order. */
  readonly digests: readonly string[];
  /** Metadata per op digest (terminal op included). */
  readonly metadata: ReadonlyMap<string, OpMetadata>;
  /** The result edge: output `index` of the op `digest`; `undefined` for an empty definition. */
  readonly head: PbInput | undefined;
  #bytes: Uint8Array | undefined;

  /** Not for use: Definitions come from `marshal()`. */
  constructor(
    token: typeof TOKEN,
    ops: readonly Uint8Array[],
    digests: readonly string[],
    metadata: ReadonlyMap<string, OpMetadata>,
    head: PbInput | undefined,
  ) {
    if (token !== TOKEN) invalidArgument('Definitions are created by marshal(), not with new', Definition);
    this.ops = Object.freeze(ops);
    this.digests = Object.freeze(digests);
    this.metadata = metadata;
    this.head = head;
  }

  /** True for the empty definition of a scratch state (zero bytes; nothing to build). */
  get isEmpty(): boolean {
    return this.ops.length === 0;
  }

  /**
   * The digest of the op producing the result (`sha256:…`), or `undefined` for an empty definition.
   * Two definitions with the same digest build the same thing (up to the output index in `head`).
   */
  digest(): string | undefined {
    return this.head?.digest;
  }

  /** The encoded `pb.Definition` (without source maps). */
  toBytes(): Uint8Array {
    if (this.#bytes === undefined) this.#bytes = encodeDefinition(this.toPb());
    return this.#bytes;
  }

  /** The definition as kiln's plain protobuf shape. */
  toPb(): PbDefinition {
    return { def: this.ops, metadata: this.metadata, source: undefined };
  }
}

/** Creates a Definition (internal). */
export function makeDefinition(
  ops: readonly Uint8Array[],
  digests: readonly string[],
  metadata: ReadonlyMap<string, OpMetadata>,
  head: PbInput | undefined,
): Definition {
  return new Definition(TOKEN, ops, digests, metadata, head);
}
