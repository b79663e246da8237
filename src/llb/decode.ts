/**
 * Decoding marshalled definitions back into typed values, and encoding those values again.
 */
import { invalidArgument } from '../errors.js';
import { Definition } from './definition.js';
import type { OpMetadata, PbDefinition, PbInput, PbOp, PbSource } from './pb.js';
import { readDefinition, readOp } from './pb-decode.js';
import { encodeDefinition as encodeDefinitionBytes, encodeOp as encodeOpBytes } from './pb-encode.js';
import { sha256Digest } from './vertex.js';
import { ProtoReader, WireError } from './wire.js';

/** The kind of a decoded op; `terminal` is the final op with only an input. */
export type DecodedOpKind = 'source' | 'exec' | 'file' | 'build' | 'merge' | 'diff' | 'terminal';

/** One op of a decoded definition. */
export interface DecodedOp {
  /** `sha256:` digest of {@link DecodedOp.bytes}. */
  readonly digest: string;
  readonly kind: DecodedOpKind;
  /** The op exactly as it was in the definition. */
  readonly bytes: Uint8Array;
  readonly op: PbOp;
  /** Its metadata entry, if the definition has one. */
  readonly metadata: OpMetadata | undefined;
}

/** A decoded `pb.Definition`. */
export interface DecodedDefinition {
  /** Ops in definition order. */
  readonly ops: readonly DecodedOp[];
  /** Metadata by op digest. */
  readonly metadata: ReadonlyMap<string, OpMetadata>;
  /** Source maps, when the producer included them. */
  readonly source: PbSource | undefined;
  /** The result edge (the last op's first input), if any. */
  readonly head: PbInput | undefined;
}

function kindOf(op: PbOp): DecodedOpKind {
  return op.op === undefined ? 'terminal' : op.op.type;
}

/**
 * Decodes a marshalled definition (bytes, or a {@link Definition}).
 *
 * @example
 * const decoded = decodeDefinition(def.toBytes());
 * for (const op of decoded.ops) console.log(op.kind, op.digest);
 */
export function decodeDefinition(input: Uint8Array | Definition): DecodedDefinition {
  let bytes: Uint8Array;
  if (input instanceof Definition) bytes = input.toBytes();
  else if (input instanceof Uint8Array) bytes = input;
  else return invalidArgument('decodeDefinition takes the bytes of a pb.Definition (a Uint8Array) or a Definition', decodeDefinition);
  let pb: PbDefinition;
  const ops: DecodedOp[] = [];
  try {
    pb = readDefinition(new ProtoReader(bytes));
    pb.def.forEach((b, i) => {
      try {
        const op = readOp(new ProtoReader(b));
        const digest = sha256Digest(b);
        ops.push({ digest, kind: kindOf(op), bytes: b, op, metadata: pb.metadata.get(digest) });
      } catch (err) {
        if (err instanceof WireError) throw new WireError(`op ${i}: ${err.message}`);
        throw err;
      }
    });
  } catch (err) {
    if (err instanceof WireError) {
      return invalidArgument(`the bytes are not a valid pb.Definition: ${err.message}`, decodeDefinition, { cause: err });
    }
    throw err;
  }
  const last = ops[ops.length - 1];
  return { ops, metadata: pb.metadata, source: pb.source, head: last?.op.inputs[0] };
}

/**
 * Decodes the bytes of one op.
 *
 * @example
 * decodeOp(def.ops[0]).op?.type // 'source'
 */
export function decodeOp(bytes: Uint8Array): PbOp {
  try {
    return readOp(new ProtoReader(bytes));
  } catch (err) {
    if (err instanceof WireError) return invalidArgument(`the bytes are not a valid pb.Op: ${err.message}`, decodeOp, { cause: err });
    throw err;
  }
}

/** Encodes one op canonically (Go-identical bytes). */
export function encodeOp(op: PbOp): Uint8Array {
  return encodeOpBytes(op);
}

/**
 * Encodes a definition canonically. Accepts a {@link PbDefinition} or a {@link DecodedDefinition}
 * (whose ops are re-encoded from their decoded form, so `encodeDefinition(decodeDefinition(b))`
 * gives back `b` for any canonical input).
 */
export function encodeDefinition(def: PbDefinition | DecodedDefinition): Uint8Array {
  if ('def' in def) return encodeDefinitionBytes(def);
  return encodeDefinitionBytes({ def: def.ops.map((o) => encodeOpBytes(o.op)), metadata: def.metadata, source: def.source });
}
