/**
 * Plain TypeScript shapes of BuildKit's LLB protobuf messages (package `pb`), as kiln encodes and
 * decodes them. Every scalar is present with its proto3 default (`''`, `0`, `false`); sub-messages
 * that may be absent are `undefined`; maps are `ReadonlyMap`s (so no key is special, and insertion
 * order never matters: the encoder sorts keys by their UTF-8 bytes).
 *
 * Index fields (`input`, `output`, `index`, …) are numbers; `-1` means "none/scratch". Timestamps are
 * bigint nanoseconds since the Unix epoch (`-1n` = unset). Other 64-bit values are numbers when they
 * are safe integers and bigints otherwise.
 *
 * These are kiln's own types; they are what {@link decodeDefinition} returns.
 */

/** A 64-bit integer that is a number when it fits a safe integer. */
export type Int64 = number | bigint;

/** An edge: output `index` of the op whose digest is `digest`. */
export interface PbInput {
  readonly digest: string;
  readonly index: number;
}

/** Target platform of an op. */
export interface PbPlatform {
  readonly architecture: string;
  readonly os: string;
  readonly variant: string;
  readonly osVersion: string;
  readonly osFeatures: readonly string[];
}

/** Worker selection filters (containerd filter syntax). */
export interface PbWorkerConstraints {
  readonly filter: readonly string[];
}

/** Network mode of an exec: 0 sandbox (default), 1 host, 2 none. */
export type PbNetMode = number;
/** Security mode of an exec: 0 sandbox (default), 1 insecure. */
export type PbSecurityMode = number;
/** Mount type: 0 bind, 1 secret, 2 ssh, 3 cache, 4 tmpfs. */
export type PbMountType = number;
/** Cache sharing: 0 shared, 1 private, 2 locked. */
export type PbCacheSharing = number;

export interface PbProxyEnv {
  readonly httpProxy: string;
  readonly httpsProxy: string;
  readonly ftpProxy: string;
  readonly noProxy: string;
  readonly allProxy: string;
}

export interface PbHostIP {
  readonly host: string;
  readonly ip: string;
}

export interface PbUlimit {
  readonly name: string;
  readonly soft: Int64;
  readonly hard: Int64;
}

/** The process an exec runs. */
export interface PbMeta {
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly user: string;
  readonly proxyEnv: PbProxyEnv | undefined;
  readonly extraHosts: readonly PbHostIP[];
  readonly hostname: string;
  readonly ulimit: readonly PbUlimit[];
  readonly cgroupParent: string;
  readonly removeMountStubsRecursive: boolean;
}

export interface PbTmpfsOpt {
  readonly size: Int64;
}

export interface PbCacheOpt {
  readonly id: string;
  readonly sharing: PbCacheSharing;
}

/** Options of a secret or ssh-agent mount (same field layout). */
export interface PbSecretOpt {
  readonly id: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly optional: boolean;
}

export interface PbMount {
  readonly input: number;
  readonly selector: string;
  readonly dest: string;
  readonly output: number;
  readonly readonly: boolean;
  readonly mountType: PbMountType;
  readonly tmpfsOpt: PbTmpfsOpt | undefined;
  readonly cacheOpt: PbCacheOpt | undefined;
  readonly secretOpt: PbSecretOpt | undefined;
  readonly sshOpt: PbSecretOpt | undefined;
  readonly resultId: string;
}

export interface PbSecretEnv {
  readonly id: string;
  readonly name: string;
  readonly optional: boolean;
}

export interface PbExecOp {
  readonly meta: PbMeta | undefined;
  readonly mounts: readonly PbMount[];
  readonly network: PbNetMode;
  readonly security: PbSecurityMode;
  readonly secretEnv: readonly PbSecretEnv[];
}

export interface PbSourceOp {
  readonly identifier: string;
  readonly attrs: ReadonlyMap<string, string>;
}

export interface PbNamedUserOpt {
  readonly name: string;
  readonly input: number;
}

/** A user or group: by name (looked up in an input's /etc/passwd, /etc/group) or by numeric id. */
export type PbUserOpt =
  | { readonly byName: PbNamedUserOpt; readonly byId?: undefined }
  | { readonly byId: number; readonly byName?: undefined }
  | { readonly byName?: undefined; readonly byId?: undefined };

export interface PbChownOpt {
  readonly user: PbUserOpt | undefined;
  readonly group: PbUserOpt | undefined;
}

export interface PbFileActionCopy {
  readonly src: string;
  readonly dest: string;
  readonly owner: PbChownOpt | undefined;
  readonly mode: number;
  readonly followSymlink: boolean;
  readonly dirCopyContents: boolean;
  readonly attemptUnpackDockerCompatibility: boolean;
  readonly createDestPath: boolean;
  readonly allowWildcard: boolean;
  readonly allowEmptyWildcard: boolean;
  readonly timestamp: bigint;
  readonly includePatterns: readonly string[];
  readonly excludePatterns: readonly string[];
}

export interface PbFileActionMkFile {
  readonly path: string;
  readonly mode: number;
  readonly data: Uint8Array;
  readonly owner: PbChownOpt | undefined;
  readonly timestamp: bigint;
}

export interface PbFileActionMkDir {
  readonly path: string;
  readonly mode: number;
  readonly makeParents: boolean;
  readonly owner: PbChownOpt | undefined;
  readonly timestamp: bigint;
}

export interface PbFileActionRm {
  readonly path: string;
  readonly allowNotFound: boolean;
  readonly allowWildcard: boolean;
}

/** The body of one file action. */
export type PbFileActionBody =
  | { readonly type: 'copy'; readonly copy: PbFileActionCopy }
  | { readonly type: 'mkfile'; readonly mkfile: PbFileActionMkFile }
  | { readonly type: 'mkdir'; readonly mkdir: PbFileActionMkDir }
  | { readonly type: 'rm'; readonly rm: PbFileActionRm };

export interface PbFileAction {
  readonly input: number;
  readonly secondaryInput: number;
  readonly output: number;
  readonly action: PbFileActionBody | undefined;
}

export interface PbFileOp {
  readonly actions: readonly PbFileAction[];
}

export interface PbMergeOp {
  readonly inputs: readonly { readonly input: number }[];
}

export interface PbDiffOp {
  readonly lower: { readonly input: number } | undefined;
  readonly upper: { readonly input: number } | undefined;
}

/** The (experimental) nested-build op; decoded for completeness, never produced by kiln. */
export interface PbBuildOp {
  readonly builder: number;
  readonly inputs: ReadonlyMap<string, { readonly input: number }>;
  readonly def: PbDefinition | undefined;
  readonly attrs: ReadonlyMap<string, string>;
}

/** The body of an op (the protobuf `oneof op`). */
export type PbOpBody =
  | { readonly type: 'exec'; readonly exec: PbExecOp }
  | { readonly type: 'source'; readonly source: PbSourceOp }
  | { readonly type: 'file'; readonly file: PbFileOp }
  | { readonly type: 'build'; readonly build: PbBuildOp }
  | { readonly type: 'merge'; readonly merge: PbMergeOp }
  | { readonly type: 'diff'; readonly diff: PbDiffOp };

/** One LLB vertex. The terminal op has only `inputs`. */
export interface PbOp {
  readonly inputs: readonly PbInput[];
  readonly op: PbOpBody | undefined;
  readonly platform: PbPlatform | undefined;
  readonly constraints: PbWorkerConstraints | undefined;
}

/** A progress group shown by progress UIs. */
export interface ProgressGroup {
  readonly id: string;
  readonly name: string;
  readonly weak: boolean;
}

/** Per-op metadata: not part of the op digest. */
export interface OpMetadata {
  readonly ignoreCache: boolean;
  /** Free-form descriptions; `llb.customname` is the name progress output shows. */
  readonly description: ReadonlyMap<string, string>;
  /** `undefined`: the build's default; otherwise force or forbid exporting this op to the cache. */
  readonly exportCache: { readonly value: boolean } | undefined;
  /** LLB capabilities the op needs. */
  readonly caps: ReadonlyMap<string, boolean>;
  readonly progressGroup: ProgressGroup | undefined;
}

export interface PbPosition {
  readonly line: number;
  readonly character: number;
}

export interface PbRange {
  readonly start: PbPosition;
  readonly end: PbPosition;
}

export interface PbLocation {
  readonly sourceIndex: number;
  readonly ranges: readonly PbRange[];
}

export interface PbSourceInfo {
  readonly filename: string;
  readonly data: Uint8Array;
  readonly definition: PbDefinition | undefined;
}

/** Source maps (kiln does not produce them; decoded when present). */
export interface PbSource {
  readonly locations: ReadonlyMap<string, readonly PbLocation[]>;
  readonly infos: readonly PbSourceInfo[];
}

/** A whole marshalled definition: op bytes in order, metadata by op digest, optional source maps. */
export interface PbDefinition {
  readonly def: readonly Uint8Array[];
  readonly metadata: ReadonlyMap<string, OpMetadata>;
  readonly source: PbSource | undefined;
}

/** Numeric values of the protobuf enums. */
export const NetMode = { sandbox: 0, host: 1, none: 2 } as const;
export const SecurityMode = { sandbox: 0, insecure: 1 } as const;
export const MountType = { bind: 0, secret: 1, ssh: 2, cache: 3, tmpfs: 4 } as const;
export const CacheSharing = { shared: 0, private: 1, locked: 2 } as const;

/** An empty metadata value. */
export const EMPTY_METADATA: OpMetadata = Object.freeze({
  ignoreCache: false,
  description: new Map<string, string>(),
  exportCache: undefined,
  caps: new Map<string, boolean>(),
  progressGroup: undefined,
});
