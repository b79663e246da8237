/**
 * kiln's LLB layer: an immutable graph API whose marshalled bytes are identical to BuildKit v0.11.6's
 * Go client, plus decoding and `dump-llb` rendering.
 *
 * @example
 * import { image, local, marshal, mkdir } from 'kiln/llb';
 *
 * const ctx = local('context', { exclude: ['.git'] });
 * const app = image('python:3.11-slim')
 *   .dir('/app')
 *   .file(mkdir('/app', { parents: true }).copy(ctx, 'requirements.txt', '/app/'))
 *   .run('pip install -r requirements.txt', {
 *     mounts: [{ type: 'cache', dest: '/root/.cache/pip', id: 'pip' }],
 *   })
 *   .root();
 * const def = marshal(app, { platform: 'linux/amd64' });
 */
export { ExecState, State, scratch } from './state.js';
export type { EnvEntry, EnvInput } from './state.js';
export type { ImageConfigInput } from './image-config.js';
export type {
  BindMount,
  CacheMount,
  ExtraHost,
  MountSpec,
  ProxyEnv,
  RunArgs,
  RunOptions,
  SecretEnvVar,
  SecretFile,
  SecretSpec,
  SshSpec,
  TmpfsMount,
  Ulimit,
  UlimitName,
} from './exec.js';
export { FileActions, copy, mkdir, mkfile, rm } from './file.js';
export type { CopyOptions, MkdirOptions, MkfileOptions, Owner, RmOptions, Timestamp } from './file.js';
export { git, http, image, local, ociLayout, source } from './source.js';
export type { GitOptions, HttpOptions, ImageOptions, LocalOptions, OciLayoutOptions, SourceOptions } from './source.js';
export { diff, merge } from './merge-diff.js';
export type { OpOptions } from './vertex.js';
export { marshal } from './marshal.js';
export type { MarshalOptions } from './marshal.js';
export { Definition } from './definition.js';
export { decodeDefinition, decodeOp, encodeDefinition, encodeOp } from './decode.js';
export { parseSourceDateEpoch, pinImageSources, rewriteDefinition, withNamePrefix, withSourceDateEpoch } from './rewrite.js';
export type { OpRewriter } from './rewrite.js';
export type { DecodedDefinition, DecodedOp, DecodedOpKind } from './decode.js';
export { dumpLLB, formatDumpLLB } from './dump.js';
export type { DumpEntry, DumpObject, DumpValue } from './dump.js';
export { ALL_CAPS, CAPS_BUILDKIT_V0_8, Cap, capIntroducedIn } from './caps.js';
export type { CapId, CapSetInput } from './caps.js';
export { LINUX_AMD64, LINUX_ARM64, LINUX_ARMHF, formatPlatform, normalizePlatform } from './platform.js';
export type { Platform, PlatformInput } from './platform.js';
export { parseImageRef } from './image-ref.js';
export type { ImageReference } from './image-ref.js';
export { splitShellWords } from './shlex.js';
export { CacheSharing, MountType, NetMode, SecurityMode } from './pb.js';
export type {
  Int64,
  OpMetadata,
  PbBuildOp,
  PbCacheOpt,
  PbChownOpt,
  PbDefinition,
  PbDiffOp,
  PbExecOp,
  PbFileAction,
  PbFileActionBody,
  PbFileActionCopy,
  PbFileActionMkDir,
  PbFileActionMkFile,
  PbFileActionRm,
  PbFileOp,
  PbHostIP,
  PbInput,
  PbLocation,
  PbMergeOp,
  PbMeta,
  PbMount,
  PbNamedUserOpt,
  PbOp,
  PbOpBody,
  PbPlatform,
  PbPosition,
  PbProxyEnv,
  PbRange,
  PbSecretEnv,
  PbSecretOpt,
  PbSource,
  PbSourceInfo,
  PbSourceOp,
  PbTmpfsOpt,
  PbUlimit,
  PbUserOpt,
  PbWorkerConstraints,
  ProgressGroup,
} from './pb.js';
