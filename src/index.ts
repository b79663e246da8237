/**
 * kiln: container images defined in TypeScript, compiled to BuildKit LLB, built on a BuildKit daemon.
 *
 * The LLB layer is also available on its own as `kiln/llb`.
 */
export { KilnError, type KilnErrorCode, type KilnErrorDetails, type KilnErrorOptions } from './errors.js';

// Connecting to a daemon and building.
export {
  Client,
  isClassicDockerd,
  type CacheRecord,
  type ConnectOptions,
  type DaemonInfo,
  type PlatformInfo,
  type PruneOptions,
  type WorkerInfo,
} from './client/client.js';
export {
  formatAddress,
  parseAddress,
  resolveAddress,
  type DaemonAddress,
  type ResolvedAddress,
  type ResolveAddressOptions,
  type TlsFiles,
} from './client/address.js';
export type {
  BuildOptions,
  BuildOutcome,
  CacheEntry,
  Entitlement,
  ExporterSpec,
  Gateway,
  GatewayBuildFunction,
  GatewayRef,
  GatewayResult,
  ResolvedImageConfig,
  RunProcessOptions,
  SolveOptions,
} from './client/build.js';
export type { DefinitionSource } from './client/definition-source.js';
export type { ProcessExit, ProcessIO, ProcessSpec } from './client/process-spec.js';
export type { FailedStep, FailedStepCommand, FailedStepRunOptions, FailedStepState } from './client/failed-step-types.js';
export { runInImage, type RunInImageBuildOptions, type RunInImageOptions, type RunInImageResult } from './image/run-in-image.js';
export { PROCESS_SIGNALS, type AbortMode, type ProcessSignal, type RunningProcess, type StopOptions, type TerminalSize } from './client/process-control.js';
export type { DockerEndpoint } from './client/docker-api.js';
export type { ResolvedImageDigest, ResolveImageDigestsOptions } from './client/image-lock.js';
export type { LocalCacheExport } from './client/local-cache.js';
export type { ImagePinLookup } from './llb/image-sources.js';
export type { Platform, PlatformInput } from './llb/platform.js';
export { parseOutputSpec, type OutputSpec } from './client/output-spec.js';
export type { Attestations, ProvenanceMode } from './client/attestations.js';

// The Image builder.
export {
  buildImage,
  resolveImageDefinition,
  watchImage,
  compileImage,
  Image,
  images,
  type AddLocalDirOptions,
  type BuildImageOptions,
  type BuildImageCommonOptions,
  type BuildImageDestination,
  type BuildImagePlatforms,
  type BuildProxy,
  proxyFromBuildArgs,
  readDockerProxyConfig,
  type BuiltBase,
  type BuiltImage,
  type BuiltPlatform,
  type ResolvedImageDefinition,
  type ResolveImageDefinitionOptions,
  type WatchImageOptions,
  type WatchRound,
  type ChutesImageOptions,
  type CompiledImage,
  type OciLayoutStore,
  type CompileOptions,
  type AptInstallOptions,
  type AptRepositoryInput,
  type CopyFromOptions,
  type CopyOptions,
  type CudaOptions,
  type BuildContextValue,
  type DockerfileOptions,
  type FromRegistryOptions,
  type FromOciLayoutOptions,
  type IndexSecretInput,
  type MicromambaInstallOptions,
  type PipInstallOptions,
  type PoetryInstallOptions,
  type PyprojectInstallOptions,
  type PythonSourceOptions,
  type RsyncOptions,
  type RunCommandsOptions,
  type RunScriptOptions,
  type StepOptions,
  type ToDockerfileOptions,
  type UvPipInstallOptions,
  type WithPythonOptions,
  type SessionNeeds,
  type PlanEntry,
  type ResolvedBase,
  type GpuInput,
  type KubetorchImageOptions,
  type LocalFileOptions,
  type SecretInput,
  type RegistrySecret,
} from './image/index.js';

// Image configs.
export {
  DEFAULT_PATH,
  emptyImageConfig,
  parseImageConfig,
  serializeImageConfig,
  type ImageConfig,
  type ImageHistoryEntry,
  type ImageRuntimeConfig,
} from './image/oci-config.js';

// Outputs and cache.
export { planExport, type ExportPlan, type ExportPlanOptions, type ExportResult } from './client/export-plan.js';
export { validateCacheOptions } from './client/cache-options.js';
export { runDoctor, type DoctorCheck, type DoctorOptions, type DoctorReport, type DoctorStatus } from './client/doctor.js';
export { DEFAULT_LOCK_FILE, ImageLock, readImageLock, writeImageLock } from './image/lock-file.js';
export { contentService } from './session/content-service.js';
export { DirectoryContentStore, type ContentStore } from './session/content-store.js';

// Local files in, results out.
export { fileSyncService, type FileSyncOptions, type LocalDirectory, type TransferReport } from './session/file-sync-service.js';
export { exportReceiver, type ExportReceiver, type ExportTarget } from './session/file-send-service.js';

// Session services the daemon calls back into.
export { authService, type AuthServiceOptions, type RegistryAuth } from './session/auth-service.js';
export { parseSecretSpec, type SecretSource } from './session/secret-sources.js';
export { secretsService, type SecretsServiceOptions } from './session/secrets-service.js';
export { checkSshAgentsReachable, parseSshSpec, sshKeyFileWarnings, sshService, type SshAgentConfig, type SshServiceOptions } from './session/ssh-service.js';
export type { SessionMethod, SessionService } from './session/session-server.js';

// Progress display.
export {
  createProgressDisplay,
  createProgressRenderer,
  formatSummaryLine,
  parseRecording,
  printSummaryLine,
  PROGRESS_MODES,
  ProgressWriter,
  reduce as reduceProgress,
  serializeEvent,
  summarize as summarizeProgress,
  INITIAL_PROGRESS_STATE,
  type LogChunk,
  type ProgressDisplay,
  type ProgressMode,
  type ProgressRenderer,
  type ProgressSink,
  type ProgressState,
  type ProgressSummary,
  type StatusEvent,
  type StatusUpdate,
  type VertexUpdate,
  type Warning as VertexWarning,
} from './progress/index.js';
