/**
 * kiln's image API: define a container image with one immutable, fluent `Image`, compile it to LLB offline, and
 * build it on a BuildKit daemon.
 *
 * @example
 * import { Image, buildImage } from 'kiln';
 *
 * const image = Image.debianSlim({ pythonVersion: '3.11' })
 *   .aptInstall('ffmpeg')
 *   .pipInstall('torch', 'transformers')
 *   .addLocalPythonSource('my_app')
 *   .cmd(['python', '-m', 'my_app']);
 * image.digest();            // offline, deterministic
 * image.toDockerfile();      // for review
 * await buildImage(client, image, { tags: ['my-app:dev'] });
 */
export {
  CHUTES_DEFAULT_BASE,
  Image,
  MICROMAMBA_IMAGE,
  PYTHON_SOURCE_DIR,
} from './image.js';
export type {
  AddLocalDirOptions,
  ChutesImageOptions,
  AptInstallOptions,
  AptRepositoryInput,
  CopyFromOptions,
  CopyOptions,
  CudaOptions,
  DockerfileOptions,
  FromRegistryOptions,
  FromOciLayoutOptions,
  GpuInput,
  IndexSecretInput,
  KubetorchImageOptions,
  LocalFileOptions,
  MicromambaInstallOptions,
  PipInstallOptions,
  PoetryInstallOptions,
  PyprojectInstallOptions,
  PythonSourceOptions,
  RegistrySecret,
  RsyncOptions,
  RunCommandsOptions,
  RunScriptOptions,
  SecretInput,
  StepOptions,
  UvPipInstallOptions,
  WithPythonOptions,
} from './image.js';
export { images } from './images.js';
export { compileImage } from './compile.js';
export type { CompileOptions, CompiledImage, LocalDirectory, OciLayoutStore, PlanEntry, ResolvedBase } from './compile.js';
export type { BuildContextValue } from './named-contexts.js';
export { buildImage, resolveImageDefinition } from './build-image.js';
export { watchImage } from './watch-image.js';
export type { WatchImageOptions, WatchRound } from './watch-image.js';
export type { BuildImageCommonOptions, BuildImageDestination, BuildImageOptions, BuildImagePlatforms, BuiltBase, BuiltImage, BuiltPlatform, ResolvedImageDefinition, ResolveImageDefinitionOptions, SessionNeeds } from './build-image.js';
export { dockerConfigProxy, isProxyArgName, proxyFromBuildArgs, readDockerProxyConfig, type BuildProxy } from './build-proxy.js';
export { DEFAULT_UV_IMAGE, STANDALONE_PYTHON, STANDALONE_PYTHON_RELEASES } from './installers.js';
export {
  DEFAULT_PATH,
  emptyImageConfig,
  envEntries,
  parseImageConfig,
  serializeImageConfig,
} from './oci-config.js';
export type { ImageConfig, ImageHistoryEntry, ImageRuntimeConfig } from './oci-config.js';
export type { ToDockerfileOptions } from './to-dockerfile.js';
