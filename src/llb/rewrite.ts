/**
 * Rewriting a marshalled definition op by op. Every op whose content changes gets a new digest, so every op that
 * depends on it changes too; this module re-encodes the graph in definition order (dependencies first), points
 * inputs at the new digests and moves each op's metadata along. Used for whole-build policies that must apply to any
 * definition, however it was made: pinning image sources to digests (lock files) and fixing file timestamps
 * (`SOURCE_DATE_EPOCH`).
 */
import { invalidArgument } from '../errors.js';
import { isSha256Digest } from '../sha256-digest.js';
import { decodeDefinition } from './decode.js';
import { type Definition, makeDefinition } from './definition.js';
import { parseImageRef } from './image-ref.js';
import type { OpMetadata, PbFileAction, PbInput, PbOp } from './pb.js';
import { encodeOp } from './pb-encode.js';
import { sha256Digest } from './vertex.js';

/** Rewrites one op; return it unchanged (the same object) to keep it. Inputs are already remapped. */
export type OpRewriter = (op: PbOp) => PbOp;

/**
 * Applies `rewrite` to every op of `def` and returns the resulting definition (the same object when nothing changed).
 *
 * @example
 * const pinned = rewriteDefinition(def, (op) => op);
 */
export function rewriteDefinition(def: Definition, rewrite: OpRewriter): Definition {
  const decoded = decodeDefinition(def);
  const renamed = new Map<string, string>();
  const ops: Uint8Array[] = [];
  const digests: string[] = [];
  const metadata = new Map<string, OpMetadata>();
  let changed = false;
  const remap = (input: PbInput): PbInput => {
    const to = renamed.get(input.digest);
    return to === undefined ? input : { ...input, digest: to };
  };
  for (const entry of decoded.ops) {
    const inputs = entry.op.inputs.map(remap);
    const withInputs: PbOp = inputs.some((input, i) => input !== entry.op.inputs[i]) ? { ...entry.op, inputs } : entry.op;
    const next = entry.op.op === undefined ? withInputs : rewrite(withInputs);
    let bytes = entry.bytes;
    let digest = entry.digest;
    if (next !== entry.op) {
      bytes = encodeOp(next);
      digest = sha256Digest(bytes);
      if (digest !== entry.digest) {
        renamed.set(entry.digest, digest);
        changed = true;
      }
    }
    ops.push(bytes);
    digests.push(digest);
    if (entry.metadata !== undefined) metadata.set(digest, entry.metadata);
  }
  if (!changed) return def;
  const last = decoded.ops[decoded.ops.length - 1];
  const head = last === undefined ? undefined : remap(last.op.inputs[0] ?? { digest: '', index: 0 });
  return makeDefinition(ops, digests, metadata, head?.digest === '' ? undefined : head);
}

/** The normalised image reference (`docker.io/library/busybox:latest`) of a `docker-image://` identifier. */
function imageOf(identifier: string): string | undefined {
  const prefix = 'docker-image://';
  return identifier.startsWith(prefix) ? identifier.slice(prefix.length) : undefined;
}

/**
 * Pins `docker-image://` sources to manifest digests: an image whose normalised reference is a key of `pins` becomes
 * `<name>:<tag>@<digest>`. References that already carry a digest are left alone.
 *
 * @param pins digest (`sha256:…`) by normalised reference, e.g. from a lock file
 * @returns the pinned definition and the references it pinned
 */
export function pinImageSources(def: Definition, pins: ReadonlyMap<string, string>): { readonly definition: Definition; readonly pinned: readonly string[] } {
  for (const [ref, digest] of pins) {
    if (!isSha256Digest(digest)) {
      invalidArgument(`the pin of ${ref} is ${JSON.stringify(digest)}, not a sha256:<64 hex> digest`, pinImageSources);
    }
  }
  const pinned = new Set<string>();
  const definition = rewriteDefinition(def, (op) => {
    if (op.op?.type !== 'source') return op;
    const ref = imageOf(op.op.source.identifier);
    if (ref === undefined || ref.includes('@')) return op;
    const normalised = parseImageRef(ref).normalized;
    const digest = pins.get(normalised);
    if (digest === undefined) return op;
    pinned.add(normalised);
    return { ...op, op: { type: 'source', source: { ...op.op.source, identifier: `docker-image://${normalised}@${digest}` } } };
  });
  return { definition, pinned: [...pinned].sort() };
}

function stamp(action: PbFileAction, ns: bigint): PbFileAction {
  const body = action.action;
  if (body === undefined) return action;
  switch (body.type) {
    case 'copy': {
      if (body.copy.timestamp !== -1n) return action;
      // Copying the contents of a source root into a directory the copy creates leaves that directory with the build
      // time on BuildKit before v0.12 (it is made first, then filled). Copying the root *as* that directory gives it
      // the copied time as well; when the directory already exists both forms fill it the same way.
      const asDir = body.copy.src === '/' && body.copy.dirCopyContents && body.copy.dest !== '/' && !body.copy.dest.endsWith('/');
      return { ...action, action: { type: 'copy', copy: { ...body.copy, timestamp: ns, ...(asDir ? { dirCopyContents: false } : {}) } } };
    }
    case 'mkfile':
      return body.mkfile.timestamp !== -1n ? action : { ...action, action: { type: 'mkfile', mkfile: { ...body.mkfile, timestamp: ns } } };
    case 'mkdir':
      return body.mkdir.timestamp !== -1n ? action : { ...action, action: { type: 'mkdir', mkdir: { ...body.mkdir, timestamp: ns } } };
    case 'rm':
      return action;
  }
}

/**
 * Gives every file a file op writes (copies, new files, new directories) the time `epochSeconds` unless the op set
 * one itself — the `SOURCE_DATE_EPOCH` convention — so layers made of local files no longer depend on when those
 * files were last touched. Files written by run steps keep the time they were written at.
 */
export function withSourceDateEpoch(def: Definition, epochSeconds: number): Definition {
  if (!Number.isSafeInteger(epochSeconds) || epochSeconds < 0) {
    invalidArgument(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got ${epochSeconds}`, withSourceDateEpoch);
  }
  const ns = BigInt(epochSeconds) * 1_000_000_000n;
  return rewriteDefinition(def, (op) => {
    if (op.op?.type !== 'file') return op;
    const actions = op.op.file.actions.map((a) => stamp(a, ns));
    if (actions.every((a, i) => a === (op.op?.type === 'file' ? op.op.file.actions[i] : undefined))) return op;
    return { ...op, op: { type: 'file', file: { actions } } };
  });
}

/**
 * Puts `prefix` and a space before every progress name (`llb.customname`) of `def`, as a multi-platform build shows
 * each platform's steps (`[linux/arm64] RUN …`). Names are metadata: no op digest changes.
 */
export function withNamePrefix(def: Definition, prefix: string): Definition {
  const metadata = new Map<string, OpMetadata>();
  for (const [digest, m] of def.metadata) {
    const name = m.description.get('llb.customname');
    metadata.set(digest, name === undefined ? m : { ...m, description: new Map([...m.description, ['llb.customname', `${prefix} ${name}`]]) });
  }
  return makeDefinition(def.ops, def.digests, metadata, def.head);
}

/**
 * Parses a `SOURCE_DATE_EPOCH` value (decimal seconds). Returns `undefined` for an unset or empty value.
 */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    return invalidArgument(`SOURCE_DATE_EPOCH=${JSON.stringify(value)} is not a whole number of seconds since 1970`, parseSourceDateEpoch, {
      hint: 'Set it to a Unix time, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct).',
    });
  }
  return n;
}
