/**
 * File operations: `mkdir`, `mkfile`, `rm` and `copy`, chainable into one file op.
 *
 * @example
 * const actions = mkdir('/app/data', { parents: true, owner: '1000:1000' })
 *   .mkfile('/app/VERSION', '1.0\n')
 *   .copy(context, 'src', '/app/src', { createDestPath: true });
 * const app = image('python:3.11-slim').file(actions);
 */
import { invalidArgument, KilnError } from '../errors.js';
import { Cap } from './caps.js';
import type { PbChownOpt, PbFileAction, PbOp, PbUserOpt } from './pb.js';
import { cleanPath, joinPath, normalizeFilePath } from './paths.js';
import type { Platform } from './platform.js';
import { type State, type StateData, stateData } from './state.js';
import {
  type CallSite,
  MAX_ID,
  checkBool,
  checkId,
  checkMode,
  checkNoNul,
  checkNonEmpty,
  checkOptions,
  checkString,
  checkStringList,
  show,
  toNanos,
} from './validate.js';
import { type BuiltOp, type MarshalContext, type OpConstraints, Output, Vertex, capList, inputEdges } from './vertex.js';

/**
 * Who owns a created or copied file: `"user"`, `"user:group"` (names or numeric ids; `root` = 0),
 * `{ uid, gid }`, or `{ user, group, lookupIn }` where names are looked up in `lookupIn`'s
 * `/etc/passwd` and `/etc/group` (default: the state the file op runs on).
 */
export type Owner =
  | string
  | { readonly uid: number; readonly gid?: number | undefined }
  | { readonly user: string | number; readonly group?: string | number | undefined; readonly lookupIn?: State | undefined };

/** A timestamp: a `Date`, or a bigint count of nanoseconds since 1970. */
export type Timestamp = Date | bigint;

/** Options of `mkdir`. */
export interface MkdirOptions {
  /** Permission bits (default 0o755). */
  readonly mode?: number | undefined;
  /** Create missing parent directories. */
  readonly parents?: boolean | undefined;
  readonly owner?: Owner | undefined;
  /** Modification time to set. */
  readonly timestamp?: Timestamp | undefined;
}

/** Options of `mkfile`. */
export interface MkfileOptions {
  /** Permission bits (default 0o644). */
  readonly mode?: number | undefined;
  readonly owner?: Owner | undefined;
  readonly timestamp?: Timestamp | undefined;
}

/** Options of `rm`. */
export interface RmOptions {
  /** Succeed when the path does not exist. */
  readonly allowNotFound?: boolean | undefined;
  /** Treat the path as a glob pattern. */
  readonly allowWildcard?: boolean | undefined;
}

/** Options of `copy`. */
export interface CopyOptions {
  readonly owner?: Owner | undefined;
  /** Permission bits to set on copied files (default: keep the source's). */
  readonly mode?: number | undefined;
  /** Copy what a symlink `src` points to rather than the link. */
  readonly followSymlinks?: boolean | undefined;
  /** When `src` is a directory, copy its contents rather than the directory itself. */
  readonly copyDirContentsOnly?: boolean | undefined;
  /** Unpack `src` when it is a tar archive (Dockerfile `ADD` behaviour). */
  readonly attemptUnpack?: boolean | undefined;
  /** Create missing parent directories of `dest`. */
  readonly createDestPath?: boolean | undefined;
  /** Treat `src` as a glob pattern. */
  readonly allowWildcard?: boolean | undefined;
  /** With `allowWildcard`, succeed when nothing matches. */
  readonly allowEmptyWildcard?: boolean | undefined;
  /** Modification time to set on copied files (default: keep the source's). */
  readonly timestamp?: Timestamp | undefined;
  /** Only copy paths matching these patterns. */
  readonly include?: readonly string[] | undefined;
  /** Skip paths matching these patterns. */
  readonly exclude?: readonly string[] | undefined;
}

type UserSpec = { readonly id: number } | { readonly name: string };

interface OwnerSpec {
  readonly user: UserSpec | undefined;
  readonly group: UserSpec | undefined;
  /** Where names are looked up; `undefined` = the file op's own state. */
  readonly lookupIn: Output | null | undefined;
}

/** One file action, validated, with paths not yet resolved against the target state. */
export type ActionSpec =
  | {
      readonly kind: 'mkdir';
      readonly path: string;
      readonly mode: number;
      readonly makeParents: boolean;
      readonly owner: OwnerSpec | undefined;
      readonly timestamp: bigint;
    }
  | {
      readonly kind: 'mkfile';
      readonly path: string;
      readonly mode: number;
      readonly data: Uint8Array;
      readonly owner: OwnerSpec | undefined;
      readonly timestamp: bigint;
    }
  | { readonly kind: 'rm'; readonly path: string; readonly allowNotFound: boolean; readonly allowWildcard: boolean }
  | {
      readonly kind: 'copy';
      readonly from: Output | null;
      /** Already absolute (resolved against the source state's directory). */
      readonly src: string;
      readonly dest: string;
      readonly owner: OwnerSpec | undefined;
      readonly mode: number;
      readonly followSymlink: boolean;
      readonly dirCopyContents: boolean;
      readonly attemptUnpack: boolean;
      readonly createDestPath: boolean;
      readonly allowWildcard: boolean;
      readonly allowEmptyWildcard: boolean;
      readonly timestamp: bigint;
      readonly include: readonly string[];
      readonly exclude: readonly string[];
    };

const TOKEN: unique symbol = Symbol('kiln.llb.FileActions');
/** The protocol's "no timestamp" value. */
const UNSET_TIME = -1n;

/**
 * An immutable chain of file actions that becomes one file op when applied with `state.file(...)`.
 * Start one with {@link mkdir}, {@link mkfile}, {@link rm} or {@link copy}; each method returns a new
 * chain with one more action. Relative paths resolve against the working directory of the state
 * the chain is applied to.
 */
export class FileActions {
  readonly #actions: readonly ActionSpec[];

  /** Not for use: FileActions come from `mkdir()`, `mkfile()`, `rm()` and `copy()`. */
  constructor(token: typeof TOKEN, actions: readonly ActionSpec[]) {
    if (token !== TOKEN) invalidArgument('FileActions are created with mkdir(), mkfile(), rm() or copy(), not with new', FileActions);
    this.#actions = actions;
  }

  /** @internal */
  static of(action: ActionSpec): FileActions {
    return new FileActions(TOKEN, [action]);
  }

  /** The actions, in order (internal). */
  get actions(): readonly ActionSpec[] {
    return this.#actions;
  }

  /** Number of actions in the chain. */
  get length(): number {
    return this.#actions.length;
  }

  /** Adds a `mkdir` action. */
  mkdir(path: string, options?: MkdirOptions): FileActions {
    return this.then(specMkdir(path, options, FileActions.prototype.mkdir));
  }

  /** Adds a `mkfile` action. */
  mkfile(path: string, data: string | Uint8Array, options?: MkfileOptions): FileActions {
    return this.then(specMkfile(path, data, options, FileActions.prototype.mkfile));
  }

  /** Adds an `rm` action. */
  rm(path: string, options?: RmOptions): FileActions {
    return this.then(specRm(path, options, FileActions.prototype.rm));
  }

  /** Adds a `copy` action. */
  copy(from: State, src: string, dest: string, options?: CopyOptions): FileActions {
    return this.then(specCopy(from, src, dest, options, FileActions.prototype.copy));
  }

  private then(a: ActionSpec): FileActions {
    return new FileActions(TOKEN, [...this.#actions, a]);
  }
}

/**
 * Starts a file-action chain with a `mkdir`.
 *
 * @example
 * image('alpine').file(mkdir('/data/logs', { parents: true, mode: 0o750, owner: 'app:staff' }))
 */
export function mkdir(path: string, options?: MkdirOptions): FileActions {
  return FileActions.of(specMkdir(path, options, mkdir));
}

/**
 * Starts a file-action chain with a `mkfile`.
 *
 * @example
 * scratch().file(mkfile('/hello.txt', 'hello\n', { mode: 0o600 }))
 */
export function mkfile(path: string, data: string | Uint8Array, options?: MkfileOptions): FileActions {
  return FileActions.of(specMkfile(path, data, options, mkfile));
}

/**
 * Starts a file-action chain with an `rm`.
 *
 * @example
 * state.file(rm('/var/cache/apt/*', { allowWildcard: true, allowNotFound: true }))
 */
export function rm(path: string, options?: RmOptions): FileActions {
  return FileActions.of(specRm(path, options, rm));
}

/**
 * Starts a file-action chain with a `copy` from another state.
 *
 * @example
 * image('python:3.11-slim').file(copy(local('context'), 'requirements.txt', '/app/'))
 */
export function copy(from: State, src: string, dest: string, options?: CopyOptions): FileActions {
  return FileActions.of(specCopy(from, src, dest, options, copy));
}

function checkPath(value: unknown, name: string, site: CallSite): string {
  return checkNoNul(checkNonEmpty(value, name, site, 'pass a path such as "/app" (relative paths use the working directory)'), name, site);
}

function checkUserPart(value: unknown, name: string, site: CallSite): UserSpec {
  if (typeof value === 'number') return { id: checkId(value, name, site) };
  const s = checkNoNul(checkString(value, name, site), name, site);
  if (s === '') invalidArgument(`${name} must not be empty; pass a name such as "app" or an id such as "1000"`, site);
  if (s === 'root') return { id: 0 };
  if (/^[0-9]+$/.test(s)) {
    const n = Number(s);
    if (n > MAX_ID) invalidArgument(`${name} ${s} is larger than the largest id (${MAX_ID})`, site);
    return { id: n };
  }
  if (s.startsWith('-') && /^-[0-9]+$/.test(s)) invalidArgument(`${name} ${s} must not be negative`, site);
  if (/[:\s]/.test(s)) invalidArgument(`${name} ${show(s)} must not contain ":" or whitespace`, site);
  return { name: s };
}

function ownerSpec(value: unknown, name: string, site: CallSite): OwnerSpec | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const i = value.indexOf(':');
    if (i === -1) return { user: checkUserPart(value, name, site), group: undefined, lookupIn: undefined };
    return {
      user: checkUserPart(value.slice(0, i), `${name} user`, site),
      group: checkUserPart(value.slice(i + 1), `${name} group`, site),
      lookupIn: undefined,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(`${name} must be "user[:group]", { uid, gid } or { user, group }, got ${show(value)}`, site);
  }
  const o = value as { uid?: unknown; gid?: unknown; user?: unknown; group?: unknown; lookupIn?: unknown };
  if (o.uid !== undefined) {
    if (o.user !== undefined) invalidArgument(`${name} has both uid and user; pass one`, site);
    return {
      user: { id: checkId(o.uid, `${name}.uid`, site) },
      group: o.gid === undefined ? undefined : { id: checkId(o.gid, `${name}.gid`, site) },
      lookupIn: undefined,
    };
  }
  if (o.user === undefined) invalidArgument(`${name} needs uid or user`, site);
  let lookupIn: Output | null | undefined;
  if (o.lookupIn !== undefined) {
    try {
      lookupIn = stateData(o.lookupIn as State).out;
    } catch {
      invalidArgument(`${name}.lookupIn must be a State, got ${show(o.lookupIn)}`, site);
    }
  }
  return {
    user: checkUserPart(o.user, `${name}.user`, site),
    group: o.group === undefined ? undefined : checkUserPart(o.group, `${name}.group`, site),
    lookupIn,
  };
}

function timestampOf(value: unknown, name: string, site: CallSite): bigint {
  return value === undefined ? UNSET_TIME : toNanos(value, name, site);
}

/** Validates a `mkdir` action. */
export function specMkdir(path: string, options: MkdirOptions | undefined, site: CallSite): ActionSpec {
  checkOptions(options, 'mkdir options', site);
  const o = options ?? {};
  return {
    kind: 'mkdir',
    path: checkPath(path, 'mkdir path', site),
    mode: o.mode === undefined ? 0o755 : checkMode(o.mode, 'mkdir mode', site, 0o777),
    makeParents: checkBool(o.parents, 'mkdir parents', site),
    owner: ownerSpec(o.owner, 'mkdir owner', site),
    timestamp: timestampOf(o.timestamp, 'mkdir timestamp', site),
  };
}

/** Validates a `mkfile` action. */
export function specMkfile(path: string, data: string | Uint8Array, options: MkfileOptions | undefined, site: CallSite): ActionSpec {
  checkOptions(options, 'mkfile options', site);
  const o = options ?? {};
  let bytes: Uint8Array;
  // Buffer.from takes small strings from Node's shared pool instead of a buffer each.
  if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
  else if (data instanceof Uint8Array) bytes = Buffer.from(data); // a copy: later changes by the caller must not leak in
  else return invalidArgument(`mkfile data must be a string or a Uint8Array, got ${show(data)}`, site);
  return {
    kind: 'mkfile',
    path: checkPath(path, 'mkfile path', site),
    mode: o.mode === undefined ? 0o644 : checkMode(o.mode, 'mkfile mode', site, 0o777),
    data: bytes,
    owner: ownerSpec(o.owner, 'mkfile owner', site),
    timestamp: timestampOf(o.timestamp, 'mkfile timestamp', site),
  };
}

/** Validates an `rm` action. */
export function specRm(path: string, options: RmOptions | undefined, site: CallSite): ActionSpec {
  checkOptions(options, 'rm options', site);
  const o = options ?? {};
  return {
    kind: 'rm',
    path: checkPath(path, 'rm path', site),
    allowNotFound: checkBool(o.allowNotFound, 'rm allowNotFound', site),
    allowWildcard: checkBool(o.allowWildcard, 'rm allowWildcard', site),
  };
}

/** Validates a `copy` action. */
export function specCopy(from: State, src: string, dest: string, options: CopyOptions | undefined, site: CallSite): ActionSpec {
  let source: StateData;
  try {
    source = stateData(from);
  } catch {
    return invalidArgument(`copy source must be a State (from image(), local(), …), got ${show(from)}`, site);
  }
  checkOptions(options, 'copy options', site);
  const o = options ?? {};
  const s = checkPath(src, 'copy src', site);
  const srcClean = cleanPath(s);
  return {
    kind: 'copy',
    from: source.out,
    src: srcClean.startsWith('/') ? srcClean : joinPath('/', source.dir, srcClean),
    dest: checkPath(dest, 'copy dest', site),
    owner: ownerSpec(o.owner, 'copy owner', site),
    mode: o.mode === undefined ? -1 : checkMode(o.mode, 'copy mode', site, 0o777),
    followSymlink: checkBool(o.followSymlinks, 'copy followSymlinks', site),
    dirCopyContents: checkBool(o.copyDirContentsOnly, 'copy copyDirContentsOnly', site),
    attemptUnpack: checkBool(o.attemptUnpack, 'copy attemptUnpack', site),
    createDestPath: checkBool(o.createDestPath, 'copy createDestPath', site),
    allowWildcard: checkBool(o.allowWildcard, 'copy allowWildcard', site),
    allowEmptyWildcard: checkBool(o.allowEmptyWildcard, 'copy allowEmptyWildcard', site),
    timestamp: timestampOf(o.timestamp, 'copy timestamp', site),
    include: checkStringList(o.include, 'copy include', site),
    exclude: checkStringList(o.exclude, 'copy exclude', site),
  };
}

/** An action placed in a file op: its absolute path and its inputs as slots of the op's input list. */
interface Placed {
  readonly spec: ActionSpec;
  /** The absolute path (`dest` for a copy). */
  readonly path: string;
  /** Slot of the copy source (-1 = scratch or not a copy). */
  readonly srcSlot: number;
  /** Slot of the owner-name lookup state (-1 = scratch); `-2` = the op's own base. */
  readonly lookupSlot: number;
}

const FILE_CAPS = capList([Cap.fileBase]);

/** A file op. */
export class FileVertex extends Vertex {
  readonly kind = 'file' as const;
  readonly inputs: readonly Output[];
  private readonly baseSlot: number;
  private readonly actions: readonly Placed[];

  constructor(
    constraints: OpConstraints,
    base: Output | null,
    dir: string,
    specs: readonly ActionSpec[],
    private readonly statePlatform: Platform | undefined,
  ) {
    super(constraints);
    const inputs: Output[] = [];
    const slot = (o: Output | null): number => {
      if (o === null) return -1;
      const i = inputs.indexOf(o);
      if (i !== -1) return i;
      inputs.push(o);
      return inputs.length - 1;
    };
    if (specs.length === 0) throw new KilnError('internal', 'a file op needs at least one action');
    this.baseSlot = slot(base);
    const placed: Placed[] = [];
    for (const spec of specs) {
      const srcSlot = spec.kind === 'copy' ? slot(spec.from) : -1;
      const owner = spec.kind === 'rm' ? undefined : spec.owner;
      const lookupSlot = owner !== undefined && owner.lookupIn !== undefined ? slot(owner.lookupIn) : -2;
      const path = spec.kind === 'copy' ? normalizeFilePath(dir, spec.dest, true) : normalizeFilePath(dir, spec.path, false);
      placed.push({ spec, path, srcSlot, lookupSlot });
    }
    // Exact-size copies: a grown array keeps spare capacity for as long as the graph lives.
    this.actions = placed.length === 1 ? [placed[0] as Placed] : placed.slice();
    this.inputs = inputs.slice();
  }

  describe(): string {
    return this.actions
      .map((p) => (p.spec.kind === 'copy' ? `copy ${p.spec.src} -> ${p.path}` : `${p.spec.kind} ${p.path}`))
      .join(', ');
  }

  override requiredCaps(): readonly string[] {
    for (const { spec } of this.actions) {
      if (spec.kind === 'copy' && (spec.include.length > 0 || spec.exclude.length > 0)) return [Cap.fileCopyIncludeExcludePatterns];
    }
    return [];
  }

  protected build(ctx: MarshalContext): BuiltOp {
    const { edges, slots } = inputEdges(ctx, this.inputs);
    const index = (slot: number): number => (slot < 0 || slots === undefined ? slot : (slots[slot] as number));
    const base = index(this.baseSlot);
    const n = edges.length;
    const last = this.actions.length - 1;
    const actions: PbFileAction[] = [];
    for (let i = 0; i <= last; i++) {
      const p = this.actions[i] as Placed;
      const a = p.spec;
      const input = i === 0 ? base : n + i - 1;
      const output = i === last ? 0 : -1;
      switch (a.kind) {
        case 'mkdir': {
          const owner = chown(a.owner, p.lookupSlot === -2 ? base : index(p.lookupSlot));
          const mkdir = { path: p.path, mode: a.mode, makeParents: a.makeParents, owner, timestamp: a.timestamp };
          actions.push({ input, secondaryInput: -1, output, action: { type: 'mkdir', mkdir } });
          break;
        }
        case 'mkfile': {
          const owner = chown(a.owner, p.lookupSlot === -2 ? base : index(p.lookupSlot));
          const mkfile = { path: p.path, mode: a.mode, data: a.data, owner, timestamp: a.timestamp };
          actions.push({ input, secondaryInput: -1, output, action: { type: 'mkfile', mkfile } });
          break;
        }
        case 'rm': {
          const rm = { path: p.path, allowNotFound: a.allowNotFound, allowWildcard: a.allowWildcard };
          actions.push({ input, secondaryInput: -1, output, action: { type: 'rm', rm } });
          break;
        }
        case 'copy': {
          const copy = {
            src: a.src,
            dest: p.path,
            owner: chown(a.owner, p.lookupSlot === -2 ? base : index(p.lookupSlot)),
            mode: a.mode,
            followSymlink: a.followSymlink,
            dirCopyContents: a.dirCopyContents,
            attemptUnpackDockerCompatibility: a.attemptUnpack,
            createDestPath: a.createDestPath,
            allowWildcard: a.allowWildcard,
            allowEmptyWildcard: a.allowEmptyWildcard,
            timestamp: a.timestamp,
            includePatterns: a.include,
            excludePatterns: a.exclude,
          };
          actions.push({ input, secondaryInput: index(p.srcSlot), output, action: { type: 'copy', copy } });
          break;
        }
      }
    }
    const op: PbOp = {
      inputs: edges,
      op: { type: 'file', file: { actions } },
      platform: this.opPlatform(ctx, this.statePlatform),
      constraints: this.workerConstraints(ctx),
    };
    return { op, caps: FILE_CAPS };
  }
}

function userOpt(u: UserSpec | undefined, lookup: number): PbUserOpt | undefined {
  if (u === undefined) return undefined;
  return 'id' in u ? { byId: u.id } : { byName: { name: u.name, input: lookup } };
}

function chown(owner: OwnerSpec | undefined, lookup: number): PbChownOpt | undefined {
  if (owner === undefined) return undefined;
  return { user: userOpt(owner.user, lookup), group: userOpt(owner.group, lookup) };
}

/** Builds the file op for `actions` applied to `base`; returns its output. */
export function createFileOp(base: StateData, actions: readonly ActionSpec[], constraints: OpConstraints): Output {
  const vertex = new FileVertex(constraints, base.out, base.dir, actions, base.platform);
  return new Output(vertex, 0, undefined);
}
