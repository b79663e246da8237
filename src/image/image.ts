/**
 * `Image`: kiln's immutable, fluent container image definition. Every method returns a new `Image` and leaves
 * the one it was called on untouched, so an image can be a template that several others branch from.
 *
 * Nothing touches the network or the daemon until the image is built; `definition()` and `digest()` compile it
 * offline and deterministically.
 */
import { existsSync, statSync } from 'node:fs';
import { readLocalText } from './local-reads.js';
import { posix } from 'node:path';
import { invalidArgument } from '../errors.js';
import { NOT_A_PROCESS_SIGNAL, parseProcessSignal, type ProcessSignal } from '../client/process-control.js';
import { hostRoot, isHostAbsolute } from '../host-path.js';
import { formatGitUrl } from '../llb/git-remote.js';
import { splitShellWords } from '../llb/index.js';
import type { Definition, PlatformInput } from '../llb/index.js';
import type { CompileOptions } from './compile.js';
import { chutesUid } from './chutes-uid.js';
import { compileImage } from './compile.js';
import { type ImageHooks, applyDockerfile } from './dockerfile-apply.js';
import { type BuildContextValue, type NamedContext, type NamedContextHooks, namedContexts } from './named-contexts.js';
import { SubstitutionError, variableParts } from './env-expand.js';
import { RsyncFilterError, rsyncFilterToPatterns } from './ignore-patterns.js';
import {
  DEFAULT_UV_IMAGE,
  NO_COMMON,
  PYTHON_MINORS,
  type PipFlags,
  type StepCommon,
  aptInstallStep,
  aptRemoveStep,
  micromambaInstallStep,
  pipInstallStep,
  pipRequirementsStep,
  poetryStep,
  pythonPackagesStep,
  runScriptStep,
  runStep,
  uvPipInstallStep,
  withPythonStep,
  kubetorchPipCommand,
  STANDALONE_PYTHON_RELEASES,
  PYTHON_SHA256_ENV,
  PYTHON_INSTALLERS,
  STANDALONE_ARCHES,
  type StandaloneArch,
  type StandaloneSource,
  asPrefixOwner,
} from './installers.js';
import { PyprojectError, readProjectDependencies } from './pyproject.js';
import { literalRegistrySecret } from './registry-credential.js';
import { indexSecret, withIndexSecret } from './index-secret.js';
import { requirementsSource } from './requirements-files.js';
import { aptRepositories, aptRepositoriesInstallStep } from './apt-repositories.js';
import { pipCredentialHint, refuseCredential } from './url-credentials.js';
import { captureStepSource } from './step-source.js';
import { ociLayoutBase, showOciLayout } from './oci-layout.js';
import { copyStep, localFile, localFileSource, onDisk, parsedRegistryBase, registryBase, shortRef, wildcardSource } from './step-builders.js';
import type {
  Base,
  ConfigStep,
  CopyStep,
  ForceMode,
  IgnoreFileRef,
  ImageIdentity,
  ImageSpec,
  LocalRef,
  PrefixOwner,
  RegistrySecret,
  RunStep,
  Step,
} from './steps.js';
import { toDockerfile, type ToDockerfileOptions } from './to-dockerfile.js';
import * as v from './validate.js';
import type { GpuInput, SecretInput } from './validate.js';

export type { GpuInput, SecretInput } from './validate.js';
export type { RegistrySecret } from './steps.js';

/** Chutes' image identity: who owns the image, its name and tag, and an optional Markdown readme. */
export interface ChutesImageOptions {
  /** User or organisation; `^[a-z0-9][a-z0-9-_.]*$`. */
  readonly username: string;
  /** Image name; same pattern. */
  readonly name: string;
  /** Tag; same pattern. */
  readonly tag: string;
  readonly readme?: string | undefined;
}

/** Options every step that runs a process accepts. */
export interface StepOptions {
  /**
   * Build secrets the step can read (ids exposed as variables of the same name, or `{ id, env, path }`), also when it
   * runs as another user than root. The step's cache key holds their ids, not their values (as in BuildKit): a new
   * value alone does not rerun a cached step; `forceBuild: true` does.
   */
  readonly secrets?: readonly SecretInput[] | undefined;
  /**
   * ssh-agents the step can use, for git over ssh or `pip install git+ssh://…` (Docker's `RUN --mount=type=ssh`):
   * `true` for the `default` agent, an id, or `[{ id, target, optional }]`. The first is `$SSH_AUTH_SOCK`, usable by
   * the user the step runs as. The build must forward them: `kiln build --ssh default`, or `ssh: ['default']` in
   * `buildImage`'s options.
   */
  readonly ssh?: v.SshInput | undefined;
  /** `default` (the daemon's network), `none`, or `host` (the build asks for the `network.host` entitlement itself; a buildkitd must allow it). */
  readonly network?: 'default' | 'none' | 'host' | undefined;
  /**
   * Extra `/etc/hosts` entries for this step only, host name → IP (Docker's `--add-host`), e.g. a private index or
   * git server that DNS inside the build does not know: `{ "pypi.internal": "10.0.0.5" }`.
   */
  readonly hosts?: Readonly<Record<string, string>> | undefined;
  /** A GPU during this step (`true`, a count, `"A100"`, `"H100:2"`); needs a daemon with device support. */
  readonly gpu?: GpuInput | undefined;
  /** Variables for this step only (not kept in the image). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Ignore the build cache for this step and every step after it (Modal's `force_build`). */
  readonly forceBuild?: boolean | undefined;
  /** Ignore the build cache for this step only (Kubetorch's `force`). */
  readonly force?: boolean | undefined;
}

/** Options of `runCommands`. */
export interface RunCommandsOptions extends StepOptions {
  /** Working directory for these commands only (default: the image's). */
  readonly cwd?: string | undefined;
  /** User for these commands only (default: the image's). */
  readonly user?: string | undefined;
  /**
   * Makes the step *independent*: the absolute paths it produces, the only ones kept from it (anything else the
   * command writes is thrown away, like a build stage whose results are copied out). Independent steps that follow
   * each other (only configuration such as `env` between them) all run on the image built before the first of
   * them, side by side on the daemon, and their outputs are laid onto that image in order; editing one never
   * rebuilds the others. They must not touch each other's files: a step whose outputs overlap an earlier one's, or
   * whose command names them, runs after it instead (the plan says why). A missing output fails the build.
   * Outputs are copied like Dockerfile `COPY --from=<stage> <path> <path>`: a directory's contents keep their owners
   * and modes, the directory itself (and missing parents) is created root-owned with mode 0755 unless the image
   * before the step already has it. One command per step: pass several independent commands as separate calls.
   * What is thrown away is left out of the image, not out of a `mode=max` cache export, which holds the step's whole
   * filesystem: a secret written to a file here is in such a cache.
   *
   * @example
   * image
   *   .runCommands('python /opt/fetch.py resnet50 /opt/models/resnet', { outputs: ['/opt/models/resnet'] })
   *   .runCommands('python /opt/fetch.py bert /opt/models/bert', { outputs: ['/opt/models/bert'] })
   *   .runCommands('npm ci --prefix /opt/ui', { outputs: ['/opt/ui/node_modules'] })
   */
  readonly outputs?: readonly string[] | undefined;
}

/** Kubetorch's Debian server image, what `kt.Image()` and `kt.images.Debian()` start from. */
export const KUBETORCH_DEBIAN_IMAGE = 'ghcr.io/run-house/server:v3';

/** Options of `Image.kubetorch` (Kubetorch's `kt.Image(...)`). */
export interface KubetorchImageOptions {
  /** The base image (Kubetorch's `image_id`; default {@link KUBETORCH_DEBIAN_IMAGE}). */
  readonly imageId?: string | undefined;
  /** The Python whose pip `pipInstall` runs (`<pythonPath> -m pip install`), e.g. `/opt/conda/bin/python`. */
  readonly pythonPath?: string | undefined;
  /** The command `pipInstall` runs instead of pip, e.g. `"uv pip install --system"`. */
  readonly installCmd?: string | undefined;
}

/** Options of `withPython`. */
export interface WithPythonOptions extends StepOptions {
  /** Where python-build-standalone releases are downloaded from (default {@link STANDALONE_PYTHON_RELEASES}). */
  readonly standaloneMirror?: string | undefined;
  /**
   * The SHA-256 of the archives a mirror of your own builds serves, by machine (`uname -m` as the builds name it), in
   * place of python-build-standalone's, which kiln checks every download against (an architecture not given keeps
   * them). Not needed for a mirror of the releases themselves.
   */
  readonly standaloneSha256?: { readonly x86_64?: string | undefined; readonly aarch64?: string | undefined } | undefined;
}

/** Options of pip-style installs. */
export interface PipInstallOptions extends StepOptions {
  /** Base URL of the package index (`--index-url`). */
  readonly indexUrl?: string | undefined;
  /** Extra index URLs (`--extra-index-url`). */
  readonly extraIndexUrl?: string | readonly string[] | undefined;
  /** Extra places to look for archives (`--find-links`). */
  readonly findLinks?: string | readonly string[] | undefined;
  /** Allow pre-releases (`--pre`). */
  readonly pre?: boolean | undefined;
  /** Reinstall even when already installed (`--force-reinstall`) and re-run the step instead of using the cache. */
  readonly force?: boolean | undefined;
  /** Extra pip arguments, passed as they are. */
  readonly extraOptions?: string | readonly string[] | undefined;
  /**
   * The user and password (or token) of the index, from build secrets: `{ usernameEnv, passwordEnv }` or
   * `{ username, passwordEnv }`, each `…Env` the id of a build secret (`kiln build --secret id=PIP_TOKEN` reads the
   * variable `PIP_TOKEN`). Sent to the hosts of `indexUrl`, `extraIndexUrl` and `findLinks` (a netrc the step writes
   * into a tmpfs); the image definition and its cache key hold the secret ids only. A URL with the credential in
   * it (`https://user:token@…`) is refused.
   */
  readonly indexSecret?: IndexSecretInput | undefined;
}

/** The credential of a private package index, as build secret ids (see {@link PipInstallOptions.indexSecret}). */
export type IndexSecretInput =
  | { readonly usernameEnv: string; readonly passwordEnv: string }
  | { readonly username: string; readonly passwordEnv: string };

/** Options of `uvPipInstall`. */
export interface UvPipInstallOptions extends PipInstallOptions {
  /** The image uv's binary is mounted from (default {@link DEFAULT_UV_IMAGE}). */
  readonly uvImage?: string | undefined;
}

/** Options of `pipInstallFromPyproject`. */
export interface PyprojectInstallOptions extends PipInstallOptions {
  /** Optional dependency groups (`[project.optional-dependencies]`) to install as well. */
  readonly optionalDependencies?: readonly string[] | undefined;
}

/** Options of `poetryInstallFromFile`. */
export interface PoetryInstallOptions extends PipInstallOptions {
  /** The lock file (must sit next to pyproject.toml); default: `poetry.lock` there when it exists. */
  readonly lockFile?: string | undefined;
  /** Resolve again instead of using the lock file. */
  readonly ignoreLockfile?: boolean | undefined;
  readonly withGroups?: readonly string[] | undefined;
  readonly withoutGroups?: readonly string[] | undefined;
  readonly onlyGroups?: readonly string[] | undefined;
  readonly extras?: readonly string[] | undefined;
  /** Poetry release used for the export (default 1.8.5). */
  readonly poetryVersion?: string | undefined;
}

/** Options of `aptInstall`. */
export interface AptInstallOptions extends StepOptions {
  /**
   * Extra apt repositories, configured for this step only: `{ url, suite, components, key, authSecret }`. `suite`
   * is the distribution (`"bookworm"`, with `components` such as `["main"]`), or a path ending in `/` for a flat
   * repository (`"./"`, no components). `key` is a local file (relative to the build context) with the public key
   * the repository's Release file is signed with, ASCII-armored or binary; it is mounted for the step (`Signed-By`).
   * `authSecret` is the HTTP Basic credential as build secret ids, `{ usernameEnv, passwordEnv }` or
   * `{ username, passwordEnv }`: written into an apt `auth.conf.d` file in a tmpfs, so it is in no layer, and the
   * definition and cache key hold only the ids (a new password reruns nothing). A URL with the credential in it is
   * refused. The image keeps the installed packages, not the repository: no sources entry, key or credential.
   */
  readonly repositories?: readonly AptRepositoryInput[] | undefined;
}

/** An apt repository of {@link AptInstallOptions.repositories}. */
export interface AptRepositoryInput {
  /** The repository's base URL (http or https), without a credential. */
  readonly url: string;
  /** The distribution (`"bookworm"`), or a path ending in `/` for a flat repository (`"./"`). */
  readonly suite: string;
  /** The components (`["main"]`); none for a flat repository. */
  readonly components?: readonly string[] | undefined;
  /** Local file with the repository's public signing key (ASCII-armored or binary). */
  readonly key: string;
  /** The HTTP Basic credential, as build secret ids. */
  readonly authSecret?: IndexSecretInput | undefined;
}

/** Options of `micromambaInstall`. */
export interface MicromambaInstallOptions extends StepOptions {
  /** Channels to search, in order (`-c`). */
  readonly channels?: readonly string[] | undefined;
}

/** Options of file-adding steps. */
export interface CopyOptions {
  /** Owner of the copied files (`"user"`, `"user:group"`, ids); default root. */
  readonly owner?: string | undefined;
  /** Permission bits of the copied files (default: as on disk). */
  readonly mode?: number | undefined;
  /**
   * `true`: always build this step as its own layer and merge it (like `COPY --link`); `false`: always copy onto
   * the image built so far. Default: kiln decides (see `compile.ts`).
   */
  readonly link?: boolean | undefined;
  /** Ignore the build cache for this step and every later one. */
  readonly forceBuild?: boolean | undefined;
  /** Ignore the build cache for this step only. */
  readonly force?: boolean | undefined;
}

/** Options of `addLocalFile` (and the base of `addLocalDir` / `addLocalPythonSource` options). */
export interface LocalFileOptions extends CopyOptions {
  /**
   * Modal's `copy`. kiln always puts the files into the image, where later steps see them (what Modal's
   * `copy: true` does; Modal's default adds them when a container starts, which an image built for any runtime
   * cannot). Accepted, either value, so Modal code ports unchanged.
   */
  readonly copy?: boolean | undefined;
}

/** Options of `addLocalDir`. */
export interface AddLocalDirOptions extends LocalFileOptions {
  /**
   * Modal's `condition`: called when the image is compiled with each file's local path (e.g. `"src/app/main.py"`);
   * the files it returns false for are left out. The digest then depends on which files exist.
   */
  readonly condition?: ((path: string) => boolean) | undefined;
  /** Where the directory's contents go (default `./<name>` in the working directory). */
  readonly remotePath?: string | undefined;
  /**
   * Patterns (`.dockerignore` syntax, relative to the directory) of files to leave out: `*.pyc` matches only at the
   * directory's top level, `**\/*.pyc` at any depth. Or, as Modal's `ignore` predicate, a function called with each
   * file's path relative to the directory (`"app/main.py"`) that returns true for the files to leave out.
   */
  readonly ignore?: readonly string[] | ((path: string) => boolean) | undefined;
  /** Also leave out what a `.dockerignore` says: `true` = the directory's own, or a path to one. */
  readonly dockerignore?: boolean | string | undefined;
  /** Also leave out what a `.gitignore` says: `true` = the directory's own, or a path to one. */
  readonly gitignore?: boolean | string | undefined;
  /** `true` (default): the contents go to `remotePath`; `false`: the directory itself goes inside `remotePath`. */
  readonly contents?: boolean | undefined;
}

/** Options of `rsync` (Kubetorch). */
export interface RsyncOptions extends CopyOptions {
  /** For a directory: copy its contents into `dest` (true) or the directory itself (false, default). */
  readonly contents?: boolean | undefined;
  /** rsync filter options such as `--exclude='*.log' --exclude='temp/'`. */
  readonly filter?: string | undefined;
  /** Kubetorch's spelling of `filter` (`filter_options`). */
  readonly filterOptions?: string | undefined;
}

/** Options of `addLocalPythonSource` / `syncPackage`. */
export interface PythonSourceOptions extends LocalFileOptions {
  /** Directory the modules go into; it is added to PYTHONPATH (default `/opt/python-source`). */
  readonly remoteDir?: string | undefined;
  /** Extra patterns to leave out (`__pycache__` and `*.pyc` always are). */
  readonly ignore?: readonly string[] | undefined;
}

/** Options of `runScript`. */
export interface RunScriptOptions extends RunCommandsOptions {
  /** Arguments for the script. */
  readonly args?: readonly string[] | undefined;
  /** The program that runs it, e.g. `["python3", "-u"]`; default by extension (.py → python3, .sh → sh, else run directly). */
  readonly interpreter?: readonly string[] | undefined;
}

/** Options of `copyFrom`. */
export interface CopyFromOptions extends CopyOptions {
  /**
   * `true` (default, like Dockerfile `COPY --from`): a directory's contents go to `dest`; `false`: the directory
   * itself goes inside `dest` (`/build/out` → `dest/out`).
   */
  readonly contents?: boolean | undefined;
}

/** Options of `Image.fromRegistry`. */
export interface FromRegistryOptions {
  /** Install this Python version on top (see `withPython`). */
  readonly addPython?: string | undefined;
  /** With `addPython`: where python-build-standalone is downloaded from if needed (see `withPython`). */
  readonly standaloneMirror?: string | undefined;
  /** Credentials for a private registry, resolved when building. */
  readonly secret?: RegistrySecret | undefined;
  /** Dockerfile instructions to run right after the base and `addPython` (Modal's `setup_dockerfile_commands`). */
  readonly setupDockerfileCommands?: readonly string[] | undefined;
}

/** Options of `Image.fromOciLayout`. */
export interface FromOciLayoutOptions {
  /** The image of the layout's `index.json` with this tag (`org.opencontainers.image.ref.name`, as `oci:DIR:TAG`). */
  readonly tag?: string | undefined;
  /** The manifest or image index of the layout with this digest (`sha256:…`). */
  readonly digest?: string | undefined;
  /** The platform whose image to take from an image index (default: the platform the build is for). */
  readonly platform?: PlatformInput | undefined;
}

/** Options of `Image.cuda`. */
export interface CudaOptions {
  /** CUDA version of the `nvidia/cuda` tag, e.g. `"12.4.1"`. */
  readonly cuda: string;
  /** cuDNN major version, e.g. `9` (omit for images without cuDNN). */
  readonly cudnn?: string | number | undefined;
  /** `runtime` (default), `devel` or `base`. */
  readonly flavor?: 'runtime' | 'devel' | 'base' | undefined;
  /** Ubuntu version of the tag (default `"22.04"`). */
  readonly ubuntu?: string | undefined;
  /** Python to add (default `"3.11"`); `false` for none. */
  readonly python?: string | false | undefined;
  /** Where python-build-standalone is downloaded from if the Ubuntu release lacks that Python (see `withPython`). */
  readonly standaloneMirror?: string | undefined;
}

/** Options of Dockerfile input. */
export interface DockerfileOptions {
  /** Directory COPY/ADD sources are relative to (default: the Dockerfile's directory, or "." for commands). */
  readonly context?: string | undefined;
  /** Values for `ARG` instructions. */
  readonly buildArgs?: Readonly<Record<string, string>> | undefined;
  /** Stop at this stage (default: the last one). */
  readonly target?: string | undefined;
  /** Secrets every RUN instruction can read. */
  readonly secrets?: readonly SecretInput[] | undefined;
  /** A GPU for every RUN instruction. */
  readonly gpu?: GpuInput | undefined;
  /**
   * Modal's `context_files`: build-context paths that `COPY`/`ADD` take from another local path, e.g.
   * `{ "config.json": "./deploy/prod.json" }` for `COPY config.json /app/` (which writes `/app/config.json`). A
   * destination without a trailing "/" is the file's own path.
   */
  readonly contextFiles?: Readonly<Record<string, string>> | undefined;
  /**
   * Named build contexts, as `docker buildx build --build-context NAME=VALUE` gives them: a context named like a stage
   * replaces that stage, one named like an image the Dockerfile's `FROM`, `COPY --from` or `RUN --mount=from=` uses
   * replaces that image (`alpine`, `alpine:latest` and `docker.io/library/alpine` are one name). A value is an `Image`
   * (kiln's own), `docker-image://REF`, a git repository URL (`https://host/o/r.git#REF[:DIR]`), an `http(s)://` URL
   * (the downloaded file, named `context`), or a local directory (relative to the build context; its `.dockerignore`
   * applies). A key `NAME::OS/ARCH[/VARIANT]` (`base::linux/arm64`) is the context for builds for that platform,
   * looked up before `NAME`, as BuildKit's frontend looks up `context:NAME::PLATFORM`.
   */
  readonly contexts?: Readonly<Record<string, BuildContextValue>> | undefined;
}

const TOKEN: unique symbol = Symbol('kiln.Image');

/** The base image Chutes' `Image` constructor starts from. */
export const CHUTES_DEFAULT_BASE = 'parachutes/python:3.12';

/** Where `addLocalPythonSource` puts modules by default. */
export const PYTHON_SOURCE_DIR = '/opt/python-source';

/** The micromamba image `Image.micromamba()` starts from. */
export const MICROMAMBA_IMAGE = 'mambaorg/micromamba:1.5.10-bookworm-slim';

/** Where the micromamba image keeps its base environment (its `MAMBA_ROOT_PREFIX`). */
const MAMBA_ROOT_PREFIX = '/opt/conda';

/**
 * The user of the micromamba image, owner of its `MAMBA_ROOT_PREFIX` (its `MAMBA_USER`, `MAMBA_USER_ID` and
 * `MAMBA_USER_GID`). Fixed rather than read from the image when building: the step definitions (and their cache
 * mounts' owner) are made when the image is defined, the same on every daemon, and `toDockerfile()` gives them too.
 */
const MAMBA_USER: PrefixOwner = { user: 'mambauser', uid: 57439, gid: 57439 };

let readSpec: (image: Image) => ImageSpec;
let appendStep: (image: Image, step: Step) => Image;

/** `image` with `steps` appended (internal: the compiler puts an image's steps on a per-platform context's choice). */
export function withSteps(image: Image, steps: readonly Step[]): Image {
  return steps.reduce((img, step) => appendStep(img, step), image);
}

/** The spec behind an image (internal). */
export function imageSpec(image: Image): ImageSpec {
  return readSpec(image);
}

type Variadic<O> = readonly (string | readonly string[] | O)[];

function isOptions(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Splits `(...items, options?)` arguments; arrays are flattened. */
function variadic<O extends object>(args: Variadic<O>, name: string, site: v.Site): { items: string[]; opts: Partial<O> } {
  let opts: Partial<O> = {};
  let list = args;
  if (list.length > 0 && isOptions(list[list.length - 1])) {
    opts = list[list.length - 1] as O;
    list = list.slice(0, -1);
  }
  const items: string[] = [];
  list.forEach((a, i) => {
    if (Array.isArray(a)) a.forEach((x: unknown, j) => items.push(v.nonEmpty(x, `${name}[${i}][${j}]`, site, 'remove the empty entry')));
    else if (isOptions(a)) invalidArgument(`${name}: the options object must come last`, site);
    else items.push(v.nonEmpty(a, `${name}[${i}]`, site, 'remove the empty entry'));
  });
  return { items, opts };
}

const STEP_KEYS = ['secrets', 'ssh', 'network', 'hosts', 'gpu', 'env', 'forceBuild', 'force'];
const PIP_KEYS = [...STEP_KEYS, 'indexUrl', 'extraIndexUrl', 'findLinks', 'pre', 'extraOptions', 'indexSecret'];
const COPY_KEYS = ['owner', 'mode', 'link', 'forceBuild', 'force'];

function forceMode(o: { readonly forceBuild?: boolean | undefined; readonly force?: boolean | undefined }, name: string, site: v.Site): ForceMode {
  if (v.bool(o.forceBuild, `${name}.forceBuild`, site)) return 'cascade';
  if (v.bool(o.force, `${name}.force`, site)) return 'step';
  return 'none';
}

function stepCommon(o: StepOptions, name: string, site: v.Site): StepCommon {
  return {
    secrets: v.secrets(o.secrets, `${name}.secrets`, site),
    ssh: v.ssh(o.ssh, `${name}.ssh`, site),
    network: v.network(o.network, `${name}.network`, site),
    hosts: v.hostsRecord(o.hosts, `${name}.hosts`, site),
    gpu: v.gpu(o.gpu, `${name}.gpu`, site),
    env: o.env === undefined ? [] : v.envRecord(o.env, `${name}.env`, site),
    force: forceMode(o, name, site),
  };
}

function pipFlags(o: PipInstallOptions, name: string, site: v.Site): PipFlags {
  const extra = typeof o.extraOptions === 'string' ? splitShellWords(o.extraOptions) : v.stringList(o.extraOptions, `${name}.extraOptions`, site);
  const flags: PipFlags = {
    indexUrl: o.indexUrl === undefined ? undefined : v.nonEmpty(o.indexUrl, `${name}.indexUrl`, site, 'pass a URL such as "https://pypi.org/simple"'),
    extraIndexUrls: v.stringList(o.extraIndexUrl, `${name}.extraIndexUrl`, site),
    findLinks: v.stringList(o.findLinks, `${name}.findLinks`, site),
    pre: v.bool(o.pre, `${name}.pre`, site),
    reinstall: v.bool(o.force, `${name}.force`, site),
    extraArgs: extra,
  };
  const method = name.split(' ')[0] ?? name;
  const named: [string, readonly string[]][] = [
    ['indexUrl', flags.indexUrl === undefined ? [] : [flags.indexUrl]],
    ['extraIndexUrl', flags.extraIndexUrls],
    ['findLinks', flags.findLinks],
    ['extraOptions', flags.extraArgs],
  ];
  for (const [option, values] of named) for (const value of values) refuseCredential(value, `${name}.${option}`, site, pipCredentialHint(method));
  return flags;
}

/**
 * The pip-style options of `o` (`name` is how messages call them): the flags, and `authorized`, which gives a step of
 * theirs the index credential of `indexSecret` (the step itself without one). `flagOptions`: the options the flags
 * are read from, when not `o` itself.
 */
function pipSource(o: PipInstallOptions, name: string, site: v.Site, flagOptions: PipInstallOptions = o): { flags: PipFlags; authorized: (step: RunStep) => RunStep } {
  const flags = pipFlags(flagOptions, name, site);
  const auth = indexSecret(o.indexSecret, `${name}.indexSecret`, site);
  return { flags, authorized: (step) => withIndexSecret(step, auth, flags, name, site) };
}

/**
 * The install commands' words for pip items, read as the seeds' installs read them. An item starting with "-" is pip
 * options split into words (Kubetorch's `"--pre torch==2.0.0rc1"`); an item of several requirements separated by
 * spaces is split too (Kubetorch's `pip_install(["numpy pandas"])`, which its shell splits: see
 * {@link severalRequirements}). Without options: one command with every requirement, sorted as Modal's `pip_install`
 * and `uv_pip_install` write them (`shlex.join(sorted(pkgs))`), so the same packages in another order are the same
 * step and a cache hit. When an item carries options and a requirement of its own (Kubetorch's `'--index-url URL
 * torch'`): one command per item, in the order given, as Kubetorch writes one `RUN <install cmd> <item>` per item, so
 * an item's options apply to its own requirements only. Options given as items of their own (Modal's
 * `pip_install('--extra-index-url', URL, 'pkg')`): one command, in the order given, since it matters to them.
 */
function requirementCommands(items: readonly string[], name: string, site: v.Site): string[][] {
  const perItem: string[][] = [];
  for (const it of items) {
    if (it.trimStart().startsWith('-')) {
      try {
        perItem.push(splitShellWords(it));
      } catch {
        invalidArgument(`${name}: ${v.show(it)} cannot be split into words (check its quotes)`, site);
      }
    } else perItem.push(severalRequirements(it) ?? [it.trim()]);
  }
  const all = perItem.flat();
  if (all.length === 0) return [];
  if (perItem.some(optionsWithRequirement)) return perItem.filter((words) => words.length > 0);
  return [all.some((w) => w.startsWith('-')) ? all : sortedRequirements(all)];
}

/** pip install options that take the next word as their value (`--index-url URL`); `--opt=value` is one word. */
const PIP_VALUE_OPTIONS = new Set([
  '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-r', '--requirement', '-c', '--constraint', '-e', '--editable',
  '--trusted-host', '-t', '--target', '--prefix', '--root', '--platform', '--python-version', '--implementation', '--abi',
  '--no-binary', '--only-binary', '--upgrade-strategy', '-C', '--config-settings', '--global-option', '--cache-dir', '--src',
  '--progress-bar', '--proxy', '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--report', '--log',
  '--use-feature', '--use-deprecated', '--python', '--root-user-action', '--keyring-provider', '--group',
]);

/** An item with pip options and a requirement of its own (Kubetorch's `'--pre torch==2.0.0rc1'`). */
function optionsWithRequirement(words: readonly string[]): boolean {
  let options = false;
  let requirement = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w.startsWith('-')) {
      options = true;
      if (PIP_VALUE_OPTIONS.has(w)) i++;
    } else requirement = true;
  }
  return options && requirement;
}

/** Requirements in Python's `sorted()` order (by code point), as Modal writes them. */
function sortedRequirements(list: readonly string[]): string[] {
  return [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The words of an item that holds several requirements (`"numpy pandas"`, `"torch numpy==1.26 --pre"`), or undefined
 * for one requirement, spaces and all: pip reads `"numpy >= 1.20"`, `"pkg @ https://…"`, `"pkg[a, b]"` and
 * `"pkg; python_version < '3.12'"` as one requirement, so an item with a marker, or a word that starts or ends with
 * a requirement's operator or separator, is left whole.
 */
function severalRequirements(item: string): string[] | undefined {
  if (!/\s/.test(item.trim()) || item.includes(';')) return undefined;
  let words: string[];
  try {
    words = splitShellWords(item);
  } catch {
    return undefined;
  }
  if (words.length < 2) return undefined;
  const joined = words.some((w, i) => /^[<>=!~@,([\]]/.test(w) || (i > 0 && /[<>=!~@,([]$/.test(words[i - 1] ?? '')));
  return joined ? undefined : words;
}

function ignoreFile(value: boolean | string | undefined, dir: string, defaultName: string, syntax: 'docker' | 'git', name: string, site: v.Site): IgnoreFileRef[] {
  if (value === undefined || value === false) return [];
  if (value === true) return [{ path: posix.join(dir, defaultName), syntax, optional: true }];
  return [{ path: v.localPath(value, name, site), syntax, optional: false }];
}

function copyOptions(o: CopyOptions, name: string, site: v.Site): Pick<CopyStep, 'owner' | 'mode' | 'link' | 'force'> {
  return {
    owner: o.owner === undefined ? undefined : v.userSpec(o.owner, `${name}.owner`, site),
    mode: v.fileMode(o.mode, `${name}.mode`, site),
    link: o.link === undefined ? undefined : v.bool(o.link, `${name}.link`, site),
    force: forceMode(o, name, site),
  };
}

function interpreterFor(file: string): string[] {
  if (file.endsWith('.py')) return ['python3'];
  if (file.endsWith('.sh')) return ['sh'];
  if (file.endsWith('.js') || file.endsWith('.mjs')) return ['node'];
  return [];
}

/** Finds a Python module (`pkg/` or `pkg.py`) in the current directory or `src/`. */
function findModule(module: string, site: v.Site): { path: string; dir: boolean } {
  for (const base of ['.', 'src']) {
    const dir = posix.join(base, module);
    if (existsSync(onDisk(dir)) && statSync(onDisk(dir)).isDirectory()) return { path: dir, dir: true };
    const file = `${dir}.py`;
    if (existsSync(onDisk(file))) return { path: file, dir: false };
  }
  return invalidArgument(
    `addLocalPythonSource: no module ${v.show(module)} here: looked for ${module}/ and ${module}.py in ${process.cwd()} and its src/ directory`,
    site,
    { hint: 'Run from the directory that contains the module, or add it with addLocalDir().' },
  );
}

/**
 * An immutable container image definition.
 *
 * @example
 * const image = Image.debianSlim({ pythonVersion: '3.11' })
 *   .aptInstall('git', 'curl')
 *   .pipInstall('numpy', 'pandas==2.0.0')
 *   .env({ APP_ENV: 'production' })
 *   .addLocalDir('src', { remotePath: '/app/src' })
 *   .workdir('/app')
 *   .cmd(['python', '-m', 'src.main']);
 * await buildImage(client, image, { tags: ['registry.example.com/app:1'] });
 */
export class Image {
  readonly #spec: ImageSpec;

  static {
    readSpec = (image) => image.#spec;
    appendStep = (image, step) => image.#add(step);
  }

  /**
   * Chutes' constructor: an image with an owner, name and tag, starting from {@link CHUTES_DEFAULT_BASE}. The three
   * must match `^[a-z0-9][a-z0-9-_.]*$`.
   *
   * @example
   * new Image({ username: 'mycompany', name: 'text-processor', tag: '1.0' }).runCommand('pip install torch')
   * new Image('myuser', 'myapp', '1.0').fromBase('python:3.11-slim')   // Chutes' positional form
   */
  constructor(options: ChutesImageOptions);
  constructor(username: string, name: string, tag: string, readme?: string);
  /** Not for use: how kiln makes an image from a spec. */
  constructor(options: ChutesImageOptions | typeof TOKEN, spec?: ImageSpec);
  constructor(options: ChutesImageOptions | typeof TOKEN | string, second?: ImageSpec | string, tag?: string, readme?: string) {
    if (options === TOKEN && typeof second === 'object') {
      this.#spec = second;
      return;
    }
    const site = Image;
    if (typeof options === 'string') {
      options = { username: options, name: second as string, tag: tag as string, ...(readme === undefined ? {} : { readme }) };
    } else if (second !== undefined) {
      invalidArgument('new Image takes either an options object or (username, name, tag, readme?), not both', site);
    }
    const o = v.options(options as ChutesImageOptions, 'Image options', site);
    v.knownKeys(o, ['username', 'name', 'tag', 'readme'], 'Image options', site);
    const identity: ImageIdentity = {
      username: v.chutesName(o.username, 'username', site),
      name: v.chutesName(o.name, 'name', site),
      tag: v.chutesName(o.tag, 'tag', site),
      readme: o.readme === undefined ? '' : v.str(o.readme, 'readme', site),
    };
    this.#spec = { base: registryBase(CHUTES_DEFAULT_BASE, undefined, site), steps: [], identity };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Starting points

  /**
   * A slim Debian image with Python (the official `python:<version>-slim-bookworm`).
   *
   * `builderVersion` (Modal's `builder_version`, e.g. `"2024.10"` or `"PREVIEW"`) is accepted and checked, and changes
   * nothing: Modal's builder version picks how Modal's server builds an image, while a kiln image is determined by the
   * kiln release and the definition alone (pin kiln's version to pin how images are built).
   *
   * @example
   * Image.debianSlim({ pythonVersion: '3.12' }).pipInstall('requests')
   */
  static debianSlim(options?: { readonly pythonVersion?: string | undefined; readonly builderVersion?: string | undefined }): Image {
    const site = Image.debianSlim;
    const o = v.options(options, 'debianSlim options', site);
    v.knownKeys(o, ['pythonVersion', 'builderVersion'], 'debianSlim options', site);
    if (o.builderVersion !== undefined && (typeof o.builderVersion !== 'string' || !/^(\d{4}\.\d{2}|PREVIEW)$/.test(o.builderVersion))) {
      invalidArgument(`builderVersion must be a Modal image builder version such as "2024.10" or "PREVIEW", got ${v.show(o.builderVersion)}`, site);
    }
    const py = o.pythonVersion === undefined ? '3.11' : v.pythonVersion(o.pythonVersion, 'pythonVersion', site, PYTHON_MINORS);
    return fresh(registryBase(`python:${py}-slim-bookworm`, undefined, site));
  }

  /**
   * Any image from a registry. `addPython` installs Python on top (see {@link Image.withPython}); `secret` gives
   * credentials for a private registry (used when building, never part of the definition).
   *
   * @example
   * Image.fromRegistry('nvidia/cuda:12.4.1-devel-ubuntu22.04', { addPython: '3.11' })
   * Image.fromRegistry('myorg/private:latest', { secret: { usernameEnv: 'REGISTRY_USERNAME', passwordEnv: 'REGISTRY_PASSWORD' } })
   */
  static fromRegistry(ref: string, options?: FromRegistryOptions): Image {
    return fromRegistryAt(ref, options, Image.fromRegistry);
  }

  /** Same as {@link Image.fromRegistry}, for AWS ECR references (Modal's `from_aws_ecr`). */
  static fromAwsEcr(ref: string, options: FromRegistryOptions): Image {
    return fromRegistryAt(ref, options, Image.fromAwsEcr);
  }

  /** Same as {@link Image.fromRegistry}, for Google Artifact Registry references (Modal's `from_gcp_artifact_registry`). */
  static fromGcpArtifactRegistry(ref: string, options: FromRegistryOptions): Image {
    return fromRegistryAt(ref, options, Image.fromGcpArtifactRegistry);
  }

  /**
   * An image from an OCI image layout directory on this machine — what `skopeo copy docker://IMAGE oci:DIR:TAG`, an
   * unpacked `kiln build -o type=oci` tarball or an air-gapped bundle holds — with no registry involved. A relative
   * `dir` is relative to the current directory (under `kiln build`, the build context, not the module's directory);
   * `~/` is home. The layout's `index.json` is read now and when the image is
   * compiled: `tag` or `digest` picks the image (needed when the layout holds several), an image index gives the
   * manifest of the build's platform (or `platform`'s), and the image config (Env, Cmd, WorkingDir, User…) is the
   * layout's. The build serves the layout's blobs to the daemon read-only; nothing is written into the directory.
   * The image's ONBUILD triggers are not run (as with `fromRegistry`). Needs BuildKit v0.11+ (Docker 23+, LLB
   * capability `source.ocilayout`).
   *
   * @example
   * Image.fromOciLayout('./vendor/base-layout', { tag: '1.4' }).runCommands('app --version')
   */
  static fromOciLayout(dir: string, options?: FromOciLayoutOptions): Image {
    const site = Image.fromOciLayout;
    const path = v.nonEmpty(dir, 'fromOciLayout dir', site, 'pass the directory of an OCI layout, such as "./layout"');
    const o = v.options(options, 'fromOciLayout options', site);
    v.knownKeys(o, ['tag', 'digest', 'platform'], 'fromOciLayout options', site);
    return fresh(ociLayoutBase(path, o, 'fromOciLayout', site));
  }

  /** The empty image (Dockerfile `FROM scratch`). */
  static scratch(): Image {
    return fresh({ kind: 'scratch' });
  }

  /**
   * Conda packages with micromamba: the `mambaorg/micromamba` image, with Python and pip from conda-forge. The
   * environment's `bin` directory goes first on `PATH`, so later steps (`runCommands`, `pipInstall`) and the
   * container find its `python` without micromamba's activation scripts.
   *
   * The image runs as `mambauser` (uid and gid 57439), the owner of the environment (`/opt/conda`). The Python and
   * conda installers (`micromambaInstall`, the `pip*` and `uv*` installs, `poetryInstallFromFile`,
   * `addPythonPackages`) run as that user, whatever `.user()` set, so that the environment stays theirs: later
   * `runCommands('pip install …')` and the container can install into it. apt installs run as root.
   *
   * `image` names another image to start from, e.g. a mirror of {@link MICROMAMBA_IMAGE} behind a firewall. kiln
   * assumes of it what it knows of the original: a `mambauser` user with uid and gid 57439 that owns the environment
   * at `/opt/conda` (`MAMBA_ROOT_PREFIX`), and `micromamba` on `PATH`.
   *
   * @example
   * Image.micromamba({ pythonVersion: '3.11' }).micromambaInstall('pytorch', 'cudatoolkit=11.8', { channels: ['pytorch', 'conda-forge'] })
   * Image.micromamba({ image: 'mirror.example.com/mambaorg/micromamba:1.5.10-bookworm-slim' })
   */
  static micromamba(options?: { readonly pythonVersion?: string | undefined; readonly image?: string | undefined }): Image {
    const site = Image.micromamba;
    const o = v.options(options, 'micromamba options', site);
    v.knownKeys(o, ['pythonVersion', 'image'], 'micromamba options', site);
    const py = o.pythonVersion === undefined ? '3.11' : v.pythonVersion(o.pythonVersion, 'pythonVersion', site, PYTHON_MINORS);
    const ref = o.image === undefined ? MICROMAMBA_IMAGE : v.nonEmpty(o.image, 'micromamba options.image', site, `pass an image reference such as "registry.example.com/${MICROMAMBA_IMAGE}"`);
    const base = fresh({ ...registryBase(ref, undefined, site), prefixOwner: MAMBA_USER });
    return base
      .#add(micromambaInstallStep([`python=${py}`, 'pip'], ['conda-forge'], NO_COMMON))
      .#add({ kind: 'env', changes: [{ name: 'PATH', value: `${MAMBA_ROOT_PREFIX}/bin`, mode: 'prepend-path' }], origin: 'micromamba' });
  }

  /**
   * An NVIDIA CUDA image (`nvidia/cuda:<cuda>[-cudnn<n>]-<flavor>-ubuntu<version>`) with Python added.
   *
   * @example
   * Image.cuda({ cuda: '12.4.1', cudnn: 9, flavor: 'devel', python: '3.12' })
   */
  static cuda(options: CudaOptions): Image {
    const site = Image.cuda;
    const o = v.options(options, 'cuda options', site);
    v.knownKeys(o, ['cuda', 'cudnn', 'flavor', 'ubuntu', 'python', 'standaloneMirror'], 'cuda options', site);
    const cuda = v.nonEmpty(o.cuda, 'cuda', site, 'pass a CUDA version such as "12.4.1"');
    if (!/^\d+\.\d+(\.\d+)?$/.test(cuda)) invalidArgument(`cuda must be a version such as "12.4.1", got ${v.show(cuda)}`, site);
    let cudnn = '';
    if (o.cudnn !== undefined) {
      const c = String(o.cudnn);
      if (!/^\d+$/.test(c)) invalidArgument(`cudnn must be a major version such as 9, got ${v.show(o.cudnn)}`, site);
      cudnn = `-cudnn${c}`;
    }
    const flavor = o.flavor ?? 'runtime';
    if (!['runtime', 'devel', 'base'].includes(flavor)) invalidArgument(`flavor must be "runtime", "devel" or "base", got ${v.show(flavor)}`, site);
    if (flavor === 'base' && cudnn !== '') invalidArgument('cudnn images come in "runtime" and "devel" flavors only; drop cudnn or pick a flavor', site);
    const ubuntu = o.ubuntu === undefined ? '22.04' : v.nonEmpty(o.ubuntu, 'ubuntu', site, 'pass a version such as "22.04"');
    if (!/^\d{2}\.\d{2}$/.test(ubuntu)) invalidArgument(`ubuntu must be a version such as "22.04", got ${v.show(ubuntu)}`, site);
    const image = fresh(registryBase(`nvidia/cuda:${cuda}${cudnn}-${flavor}-ubuntu${ubuntu}`, undefined, site));
    if (o.python === false) {
      if (o.standaloneMirror !== undefined) invalidArgument('cuda options.standaloneMirror applies to the Python kiln adds; drop it with python: false', site);
      return image;
    }
    const py = o.python === undefined ? '3.11' : v.pythonVersion(o.python, 'python', site, PYTHON_MINORS);
    return image.#add(withPythonStep(py, NO_COMMON, standaloneSource(o.standaloneMirror, undefined, 'cuda options', site)));
  }

  /**
   * An image from a Dockerfile on this machine (read now; nothing is built). Multi-stage files, `ARG`, `ENV`,
   * `COPY [--from]`, `ADD` (local files), `RUN [--mount=type=cache|secret|bind|ssh|tmpfs] [--network]`, `WORKDIR`,
   * `USER`, `LABEL`, `EXPOSE`, `ENTRYPOINT`, `CMD`, `SHELL`, `VOLUME`, `STOPSIGNAL`, `HEALTHCHECK` and `MAINTAINER`
   * are understood. The path, like every local path, is relative to the build context. As with `docker build`,
   * `COPY`/`ADD` do not see what `<Dockerfile>.dockerignore` or the context's `.dockerignore` lists.
   *
   * @example
   * Image.fromDockerfile('./docker/Dockerfile', { context: '.', buildArgs: { VERSION: '1.2' } })
   */
  static fromDockerfile(path: string, options?: DockerfileOptions): Image {
    const site = Image.fromDockerfile;
    const file = v.localPath(path, 'path', site);
    const o = v.options(options, 'fromDockerfile options', site);
    v.knownKeys(o, ['context', 'buildArgs', 'target', 'secrets', 'gpu', 'contextFiles', 'contexts'], 'fromDockerfile options', site);
    let text: string;
    try {
      text = readLocalText(onDisk(file));
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
      return invalidArgument(`fromDockerfile: cannot read ${v.show(path)}: ${(cause as Error).message}`, site, {
        cause,
        ...(missing
          ? { hint: 'The path is relative to the build context (kiln build --context DIR, or the context option; default the current directory), not to the module.' }
          : {}),
      });
    }
    const context = o.context === undefined ? posix.dirname(file) : v.localPath(o.context, 'context', site);
    const contexts = namedContexts(o.contexts, (name) => `fromDockerfile contexts[${v.show(name)}]`, site, CONTEXT_HOOKS);
    const { contexts: _given, ...rest } = o;
    return applyDockerfile(undefined, text, { ...rest, context, dockerfile: file, contexts }, site, HOOKS);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Identity (Chutes)

  /** Chutes username, when the image has an identity. */
  get username(): string | undefined {
    return this.#spec.identity?.username;
  }

  /** Chutes image name, when the image has an identity. */
  get name(): string | undefined {
    return this.#spec.identity?.name;
  }

  /** Chutes tag, when the image has an identity. */
  get tag(): string | undefined {
    return this.#spec.identity?.tag;
  }

  /** Chutes readme (Markdown), `""` when none was given. */
  get readme(): string | undefined {
    return this.#spec.identity?.readme;
  }

  /** `username/name:tag`, when the image has an identity (the default tag `buildImage` gives it). */
  get reference(): string | undefined {
    const id = this.#spec.identity;
    return id === undefined ? undefined : `${id.username}/${id.name}:${id.tag}`;
  }

  /**
   * Chutes' `uid`, when the image has an identity: the UUID Chutes derives from `username/name:tag` (version 5, as
   * `uuid.uuid5(uuid.NAMESPACE_OID, "user/name:tag".lower())`), which Chutes' servers key the image by. It names the
   * image, not its contents: editing the definition keeps it (use {@link Image.digest} for the contents).
   */
  get uid(): string | undefined {
    const id = this.#spec.identity;
    return id === undefined ? undefined : chutesUid(id.username, id.name, id.tag);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Base

  /**
   * Replaces the base image, keeping every step (Chutes' `from_base`, Kubetorch's `from_docker`).
   *
   * @example
   * new Image({ username: 'me', name: 'app', tag: '1' }).fromBase('nvidia/cuda:12.2.0-runtime-ubuntu22.04')
   */
  fromBase(ref: string): Image {
    return this.#rebase(registryBase(ref, undefined, Image.prototype.fromBase));
  }

  /** Alias of {@link Image.fromBase} (Kubetorch's `from_docker`). */
  fromDocker(ref: string): Image {
    return this.#rebase(registryBase(ref, undefined, Image.prototype.fromDocker));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Python packages

  /**
   * `pip install` packages into the image's Python (pip's download cache lives in a cache mount, not the image).
   * Requirements are installed in sorted order, as Modal's `pip_install` does: the same packages given in another
   * order are the same step (a cache hit). Strings starting with "-" are pip options split into words, and a string of
   * several requirements separated by spaces (`"numpy pandas"`) is split, as Kubetorch's shell does. When items carry
   * options, each item is its own install step, in the order given, as Kubetorch runs one `RUN` per item: an item's
   * options apply to it alone. One requirement written with spaces (`"numpy >= 1.20"`) stays one.
   *
   * @example
   * image.pipInstall('torch==2.3.0', 'transformers>=4.40', { indexUrl: 'https://download.pytorch.org/whl/cu121' })
   */
  pipInstall(...args: Variadic<PipInstallOptions>): Image {
    const site = Image.prototype.pipInstall;
    const { items, opts } = variadic<PipInstallOptions>(args, 'pipInstall', site);
    v.knownKeys(opts, PIP_KEYS, 'pipInstall options', site);
    items.forEach((it, i) => refuseCredential(it, `pipInstall[${i}]`, site, pipCredentialHint('pipInstall')));
    const commands = requirementCommands(items, 'pipInstall', site);
    const common = stepCommon(opts, 'pipInstall options', site);
    const { flags, authorized } = pipSource(opts, 'pipInstall options', site);
    return commands.reduce<Image>(
      (image, words) => image.#add(authorized(pipInstallStep(words, flags, forceStep(common, opts), 'pipInstall', this.#spec.pipCommand))),
      this,
    );
  }

  /**
   * Kubetorch's `kt.Image(image_id=…, python_path=…, install_cmd=…)`: an image from `imageId` (default Kubetorch's
   * Debian server image, as `images.debian()`), whose `pipInstall` steps run `installCmd` (e.g.
   * `"uv pip install --system"`) or `<pythonPath> -m pip install` instead of `python3 -m pip install`.
   *
   * @example
   * Image.kubetorch({ imageId: 'python:3.12-slim', installCmd: 'pip install --no-cache-dir' }).pipInstall(['numpy'])
   */
  static kubetorch(options?: KubetorchImageOptions): Image {
    const site = Image.kubetorch;
    const o = v.options(options, 'kubetorch options', site);
    v.knownKeys(o, ['imageId', 'pythonPath', 'installCmd'], 'kubetorch options', site);
    const ref = o.imageId === undefined ? KUBETORCH_DEBIAN_IMAGE : v.nonEmpty(o.imageId, 'imageId', site, 'pass an image reference such as "python:3.12-slim"');
    const pythonPath = o.pythonPath === undefined ? undefined : v.containerPath(o.pythonPath, 'pythonPath', site);
    const installCmd = o.installCmd === undefined ? undefined : v.nonEmpty(o.installCmd, 'installCmd', site, 'pass a command such as "uv pip install --system"');
    const image = fresh(registryBase(ref, undefined, site));
    if (pythonPath === undefined && installCmd === undefined) return image;
    return new Image(TOKEN, { ...image.#spec, pipCommand: kubetorchPipCommand(pythonPath, installCmd) });
  }

  /**
   * Installs packages with uv (`uv pip install --system`), uv's binary mounted from its image for this step only
   * and its cache in a cache mount. Requirements are read and sorted as {@link Image.pipInstall} does (Modal's
   * `uv_pip_install` sorts them too).
   */
  uvPipInstall(...args: Variadic<UvPipInstallOptions>): Image {
    const site = Image.prototype.uvPipInstall;
    const { items, opts } = variadic<UvPipInstallOptions>(args, 'uvPipInstall', site);
    v.knownKeys(opts, [...PIP_KEYS, 'uvImage'], 'uvPipInstall options', site);
    items.forEach((it, i) => refuseCredential(it, `uvPipInstall[${i}]`, site, pipCredentialHint('uvPipInstall')));
    const commands = requirementCommands(items, 'uvPipInstall', site);
    const uv = fresh(registryBase(opts.uvImage ?? DEFAULT_UV_IMAGE, undefined, site));
    const common = stepCommon(opts, 'uvPipInstall options', site);
    const { flags, authorized } = pipSource(opts, 'uvPipInstall options', site);
    if (commands.length === 0) return this;
    return commands.reduce<Image>((image, words) => image.#add(authorized(uvPipInstallStep(uv, words, flags, forceStep(common, opts)))), this);
  }

  /**
   * `pip install -r` a requirements file from this machine (mounted for the step only, so it is not left in the
   * image; changing it re-runs only this step and later ones). The files it names with `-r`/`--requirement` and
   * `-c`/`--constraint` (read now, and the ones those name) are mounted with it, where pip looks for them; changing
   * one re-runs the step too.
   */
  pipInstallFromRequirements(path: string, options?: PipInstallOptions): Image {
    const site = Image.prototype.pipInstallFromRequirements;
    const file = v.localPath(path, 'path', site);
    const o = v.options(options, 'pipInstallFromRequirements options', site);
    v.knownKeys(o, PIP_KEYS, 'pipInstallFromRequirements options', site);
    notADirectory(file, path, 'pipInstallFromRequirements', 'a requirements file', site);
    // Every file pip reads from here is searched for a credential written into a URL (`--index-url https://u:t@…`).
    const { local, file: name } = requirementsSource(file, (p) => {
      const text = readIfPresent(p);
      text?.split(/\r?\n/).forEach((line, i) => refuseCredential(line, `pipInstallFromRequirements: ${p} line ${i + 1}`, site, pipCredentialHint('pipInstallFromRequirements'), { where: 'sent to the daemon with the file and part of the step\'s cache key (a new token reruns it and every later step)' }));
      return text;
    });
    const common = stepCommon(o, 'pipInstallFromRequirements options', site);
    const { flags, authorized } = pipSource(o, 'pipInstallFromRequirements options', site);
    return this.#add(authorized(pipRequirementsStep(local, name, file, flags, forceStep(common, o))));
  }

  /**
   * Installs the dependencies a `pyproject.toml` declares (PEP 621 `[project] dependencies`, plus the optional
   * groups named). The file is read now.
   */
  pipInstallFromPyproject(path: string, options?: PyprojectInstallOptions): Image {
    const site = Image.prototype.pipInstallFromPyproject;
    const file = v.localPath(path, 'path', site);
    const o = v.options(options, 'pipInstallFromPyproject options', site);
    v.knownKeys(o, [...PIP_KEYS, 'optionalDependencies'], 'pipInstallFromPyproject options', site);
    let deps;
    try {
      deps = readProjectDependencies(readLocalText(onDisk(file)));
    } catch (cause) {
      const why = cause instanceof PyprojectError ? cause.message : (cause as Error).message;
      return invalidArgument(`pipInstallFromPyproject: cannot read ${v.show(path)}: ${why}`, site, { cause });
    }
    const packages = [...deps.dependencies];
    for (const g of v.stringList(o.optionalDependencies, 'optionalDependencies', site)) {
      const list = deps.optional.get(g);
      if (list === undefined) {
        const known = [...deps.optional.keys()];
        invalidArgument(`optionalDependencies: ${v.show(path)} has no group ${v.show(g)}; it has ${known.length === 0 ? 'none' : known.map((k) => `"${k}"`).join(', ')}`, site);
      }
      packages.push(...list);
    }
    packages.forEach((p) => refuseCredential(p, `pipInstallFromPyproject: a dependency in ${v.show(path)}`, site, pipCredentialHint('pipInstallFromPyproject')));
    const common = stepCommon(o, 'pipInstallFromPyproject options', site);
    const { flags, authorized } = pipSource(o, 'pipInstallFromPyproject options', site);
    if (packages.length === 0) return this;
    // Sorted, as Modal's pip_install_from_pyproject writes them: reordering the file's list is the same step.
    const step = pipInstallStep(sortedRequirements(packages), flags, forceStep(common, o), 'pipInstallFromPyproject');
    return this.#add(authorized(step));
  }

  /**
   * Installs a Poetry project's locked dependencies (not the project itself). Poetry runs from a throw-away
   * virtualenv and is not left in the image. The lock file may also come second, as in Modal's
   * `poetry_install_from_file("pyproject.toml", "poetry.lock")`.
   */
  poetryInstallFromFile(pyprojectPath: string, options?: PoetryInstallOptions): Image;
  poetryInstallFromFile(pyprojectPath: string, lockFile: string, options?: Omit<PoetryInstallOptions, 'lockFile'>): Image;
  poetryInstallFromFile(pyprojectPath: string, lockFileOrOptions?: string | PoetryInstallOptions, options?: PoetryInstallOptions): Image {
    const site = Image.prototype.poetryInstallFromFile;
    const file = v.localPath(pyprojectPath, 'pyprojectPath', site);
    let o: Partial<PoetryInstallOptions>;
    if (typeof lockFileOrOptions === 'string') {
      o = v.options(options, 'poetryInstallFromFile options', site);
      if (o.lockFile !== undefined) invalidArgument('poetryInstallFromFile was given the lock file twice (argument and options.lockFile); pass it once', site);
      o = { ...o, lockFile: lockFileOrOptions };
    } else {
      if (options !== undefined) invalidArgument('poetryInstallFromFile takes the options once: (pyprojectPath, options) or (pyprojectPath, lockFile, options)', site);
      o = v.options(lockFileOrOptions, 'poetryInstallFromFile options', site);
    }
    v.knownKeys(o, [...PIP_KEYS, 'lockFile', 'ignoreLockfile', 'withGroups', 'withoutGroups', 'onlyGroups', 'extras', 'poetryVersion'], 'poetryInstallFromFile options', site);
    const dir = posix.dirname(file);
    const ignoreLock = v.bool(o.ignoreLockfile, 'ignoreLockfile', site);
    let lock: string | undefined;
    if (o.lockFile !== undefined) {
      const l = v.localPath(o.lockFile, 'lockFile', site);
      if (posix.dirname(l) !== dir) invalidArgument(`lockFile ${v.show(o.lockFile)} must be in the same directory as ${v.show(pyprojectPath)}`, site);
      lock = posix.basename(l);
    } else if (!ignoreLock && existsSync(onDisk(posix.join(dir, 'poetry.lock')))) {
      lock = 'poetry.lock';
    }
    if (lock !== undefined && ignoreLock) invalidArgument('poetryInstallFromFile: lockFile and ignoreLockfile: true conflict; pass one', site);
    const include = [posix.basename(file), ...(lock === undefined ? [] : [lock])];
    const local: LocalRef = { root: dir, include, exclude: [], ignoreFiles: [] };
    const poetryVersion = o.poetryVersion === undefined ? '1.8.5' : v.nonEmpty(o.poetryVersion, 'poetryVersion', site, 'pass a version such as "1.8.5"');
    const common = stepCommon(o, 'poetryInstallFromFile options', site);
    const { flags: pipOptions, authorized } = pipSource(o, 'poetryInstallFromFile options', site, { ...o, force: false });
    const step = poetryStep(
        local,
        file,
        {
          lockFile: lock,
          ignoreLockfile: ignoreLock,
          withGroups: v.stringList(o.withGroups, 'withGroups', site),
          withoutGroups: v.stringList(o.withoutGroups, 'withoutGroups', site),
          onlyGroups: v.stringList(o.onlyGroups, 'onlyGroups', site),
          extras: v.stringList(o.extras, 'extras', site),
          poetryVersion,
        },
        pipOptions,
        common,
      );
    return this.#add(authorized(step));
  }

  /**
   * Installs packages from private git repositories (`github.com/org/repo@ref`), authenticating with a token from
   * a build secret: `GITHUB_TOKEN` for github.com, `GITLAB_TOKEN` for gitlab.com (Modal's `pip_install_private_repos`).
   */
  pipInstallPrivateRepos(...args: Variadic<PipInstallOptions & { readonly gitUser: string }>): Image {
    const site = Image.prototype.pipInstallPrivateRepos;
    const { items, opts } = variadic<PipInstallOptions & { readonly gitUser: string }>(args, 'pipInstallPrivateRepos', site);
    v.knownKeys(opts, [...PIP_KEYS, 'gitUser'], 'pipInstallPrivateRepos options', site);
    const user = v.nonEmpty(opts.gitUser, 'gitUser', site, 'pass the git user the token belongs to');
    const common = stepCommon(opts, 'pipInstallPrivateRepos options', site);
    if (common.secrets.length === 0) invalidArgument('pipInstallPrivateRepos needs secrets: pass ["GITHUB_TOKEN"] (github.com) or ["GITLAB_TOKEN"] (gitlab.com)', site);
    const urls = items.map((repo, i) => {
      const m = /^(github\.com|gitlab\.com)\/([^@\s]+?)(?:\.git)?(?:@(\S+))?$/.exec(repo);
      if (m === null) invalidArgument(`pipInstallPrivateRepos[${i}] must look like "github.com/org/repo@ref" or "gitlab.com/org/repo@ref", got ${v.show(repo)}`, site);
      const token = m[1] === 'github.com' ? 'GITHUB_TOKEN' : 'GITLAB_TOKEN';
      if (!common.secrets.some((s) => s.env === token)) invalidArgument(`pipInstallPrivateRepos: ${repo} needs a secret exposed as ${token}`, site);
      return `git+https://${user}:\${${token}}@${m[1]}/${m[2]}.git${m[3] === undefined ? '' : `@${m[3]}`}`;
    });
    const { flags, authorized } = pipSource(opts, 'pipInstallPrivateRepos options', site);
    if (urls.length === 0) return this;
    const step = { ...pipInstallStep(urls, flags, forceStep(common, opts), 'pipInstallPrivateRepos'), name: `pip install ${items.join(' ')}` };
    return this.#add(authorized(step));
  }

  /**
   * Installs local wheels or package directories (`pip install <path>`), each mounted for the step only.
   *
   * @example
   * image.addPythonPackages('dist/mylib-1.0-py3-none-any.whl', './libs/helpers')
   */
  addPythonPackages(...args: Variadic<PipInstallOptions>): Image {
    const site = Image.prototype.addPythonPackages;
    const { items, opts } = variadic<PipInstallOptions>(args, 'addPythonPackages', site);
    v.knownKeys(opts, PIP_KEYS, 'addPythonPackages options', site);
    const packages = items.map((p, i) => {
      const path = v.localPath(p, `addPythonPackages[${i}]`, site);
      const { local, file } = localFile(path);
      return { local, name: file, shown: path };
    });
    const common = stepCommon(opts, 'addPythonPackages options', site);
    const { flags, authorized } = pipSource(opts, 'addPythonPackages options', site);
    if (packages.length === 0) return this;
    return this.#add(authorized(pythonPackagesStep(packages, flags, forceStep(common, opts))));
  }

  /**
   * Installs conda packages with micromamba into the base environment (on {@link Image.micromamba} images).
   *
   * @example
   * image.micromambaInstall('pytorch', 'cudatoolkit=11.8', { channels: ['pytorch', 'conda-forge'] })
   */
  micromambaInstall(...args: Variadic<MicromambaInstallOptions>): Image {
    const site = Image.prototype.micromambaInstall;
    const { items, opts } = variadic<MicromambaInstallOptions>(args, 'micromambaInstall', site);
    v.knownKeys(opts, [...STEP_KEYS, 'channels'], 'micromambaInstall options', site);
    const channels = v.stringList(opts.channels, 'channels', site);
    const condaHint = "Write it as a variable read from a build secret: micromambaInstall('pkg', { channels: ['https://user:${CONDA_TOKEN}@conda.example.com/channel'], secrets: ['CONDA_TOKEN'] }).";
    channels.forEach((c, i) => refuseCredential(c, `micromambaInstall options.channels[${i}]`, site, condaHint, { scan: { condaToken: true } }));
    const common = stepCommon(opts, 'micromambaInstall options', site);
    if (items.length === 0) return this;
    return this.#add(micromambaInstallStep(items, channels, common));
  }

  /**
   * Installs Python `version`: "3.11" takes any 3.11 release, "3.11.5" exactly that one (default "3.10.15",
   * Chutes' default). Works on any Debian/Ubuntu-based image, CUDA images included: the image's own Python or the
   * distribution's package when it is that version, otherwise a python-build-standalone build in
   * `/opt/python/<version>`; `python`, `python3`, `pip`, `pip3` then point at it. A patch version that is in neither
   * and has no standalone build fails the step, naming the patch versions that have one. `standaloneMirror` replaces
   * {@link STANDALONE_PYTHON_RELEASES} for the download (a mirror with the same `<tag>/<file>` layout, as uv's
   * `UV_PYTHON_INSTALL_MIRROR`); without it the `KILN_PYTHON_INSTALL_MIRROR` environment variable does, when set
   * where the image is defined.
   *
   * @example
   * Image.fromRegistry('ubuntu:22.04').withPython('3.12', { standaloneMirror: 'https://mirror.internal/python-build-standalone' })
   */
  withPython(version = '3.10.15', options?: WithPythonOptions): Image {
    const site = Image.prototype.withPython;
    const ver = v.pythonVersion(version, 'version', site, PYTHON_MINORS);
    const o = v.options(options, 'withPython options', site);
    v.knownKeys(o, [...STEP_KEYS, 'standaloneMirror', 'standaloneSha256'], 'withPython options', site);
    return this.#add(withPythonStep(ver, stepCommon(o, 'withPython options', site), standaloneSource(o.standaloneMirror, o.standaloneSha256, 'withPython options', site)));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // System packages and commands

  /**
   * `apt-get install` packages (Debian/Ubuntu). Package lists and downloads live in cache mounts: changing one
   * package re-downloads nothing else, and no lists are left in the image. `repositories` adds private or vendor
   * repositories for this step only (see {@link AptInstallOptions.repositories}).
   *
   * @example
   * image.aptInstall('ffmpeg', 'libsndfile1')
   * image.aptInstall(['git', 'curl'])
   * image.aptInstall('corp-agent', {
   *   repositories: [{ url: 'https://apt.corp.example/debian', suite: 'bookworm', components: ['main'], key: 'keys/corp.asc',
   *     authSecret: { usernameEnv: 'APT_USER', passwordEnv: 'APT_TOKEN' } }],
   * })
   */
  aptInstall(...args: Variadic<AptInstallOptions>): Image {
    const site = Image.prototype.aptInstall;
    const { items, opts } = variadic<AptInstallOptions>(args, 'aptInstall', site);
    v.knownKeys(opts, [...STEP_KEYS, 'repositories'], 'aptInstall options', site);
    for (const p of items) if (/\s/.test(p.trim())) invalidArgument(`aptInstall: ${v.show(p)} is not one package name; pass each package separately`, site);
    const common = stepCommon(opts, 'aptInstall options', site);
    const repositories = aptRepositories(opts.repositories, 'aptInstall options.repositories', site);
    if (items.length === 0) return this;
    const packages = items.map((p) => p.trim());
    return this.#add(repositories.length === 0 ? aptInstallStep(packages, common) : aptRepositoriesInstallStep(packages, repositories, common));
  }

  /** `apt-get remove --purge` packages and then what nothing needs any more. */
  aptRemove(...args: Variadic<StepOptions>): Image {
    const site = Image.prototype.aptRemove;
    const { items, opts } = variadic<StepOptions>(args, 'aptRemove', site);
    v.knownKeys(opts, STEP_KEYS, 'aptRemove options', site);
    const common = stepCommon(opts, 'aptRemove options', site);
    if (items.length === 0) return this;
    return this.#add(aptRemoveStep(items, common));
  }

  /**
   * Runs shell commands, each as its own step (`/bin/sh -c`), with the image's env, working directory and user.
   *
   * @example
   * image.runCommands('git clone https://github.com/org/repo /opt/repo', 'cd /opt/repo && pip install -e .')
   * image.runCommands('git clone https://${GITHUB_TOKEN}@github.com/org/private /app', { secrets: ['GITHUB_TOKEN'] })
   * // Independent steps (see RunCommandsOptions.outputs): built side by side, only /opt/a and /opt/b kept.
   * image.runCommands('make -C /src/a PREFIX=/opt/a install', { outputs: ['/opt/a'] }).runCommands('make -C /src/b PREFIX=/opt/b install', { outputs: ['/opt/b'] })
   */
  runCommands(...args: Variadic<RunCommandsOptions>): Image {
    const site = Image.prototype.runCommands;
    const { items, opts } = variadic<RunCommandsOptions>(args, 'runCommands', site);
    return this.#runCommands(items, opts, 'runCommands', site);
  }

  /**
   * Runs a script from this machine inside the build (Modal's `run_function` use case: download models, prepare
   * data). The script is mounted for the step only.
   *
   * @example
   * image.runScript('scripts/download_models.py', { args: ['--model', 'bert-base-uncased'], secrets: ['HF_TOKEN'] })
   */
  runScript(localPath: string, options?: RunScriptOptions): Image {
    const site = Image.prototype.runScript;
    const path = v.localPath(localPath, 'localPath', site);
    const o = v.options(options, 'runScript options', site);
    v.knownKeys(o, [...STEP_KEYS, 'args', 'interpreter', 'cwd', 'user', 'outputs'], 'runScript options', site);
    notADirectory(path, localPath, 'runScript', 'a script', site);
    const { local, file } = localFile(path);
    const args = o.args === undefined ? [] : o.args.map((a, i) => v.str(a, `args[${i}]`, site));
    const interpreter = o.interpreter === undefined ? interpreterFor(file) : v.argv(o.interpreter, 'interpreter', site);
    const step = runScriptStep(local, file, path, interpreter, args, stepCommon(o, 'runScript options', site));
    return this.#add({
      ...step,
      cwd: o.cwd === undefined ? undefined : v.destPath(o.cwd, 'cwd', site),
      user: o.user === undefined ? undefined : v.userSpec(o.user, 'user', site),
      outputs: o.outputs === undefined ? [] : v.outputPaths(o.outputs, 'runScript options.outputs', site),
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Configuration

  /**
   * Sets environment variables (kept in the image and seen by later steps). Values are stored as given.
   *
   * @example
   * image.env({ HF_HOME: '/cache/huggingface', PYTHONUNBUFFERED: '1' })
   */
  env(vars: Readonly<Record<string, string>>): Image {
    const site = Image.prototype.env;
    const pairs = v.imageEnvRecord(vars, 'env vars', site);
    if (pairs.length === 0) return this;
    return this.#add({ kind: 'env', changes: pairs.map(([name, value]) => ({ name, value, mode: 'literal' })), origin: 'env' });
  }

  /**
   * Sets the working directory for later steps and the container (created if missing, like Dockerfile
   * `WORKDIR`). A relative path is joined onto the current one.
   */
  workdir(path: string): Image {
    const site = Image.prototype.workdir;
    return this.#add({ kind: 'workdir', path: v.destPath(path, 'path', site), origin: 'workdir' });
  }

  /** Sets the user later steps and the container run as (`"app"`, `"1000"`, `"1000:1000"`). */
  user(user: string): Image {
    return this.#add({ kind: 'user', user: v.userSpec(user, 'user', Image.prototype.user), origin: 'user' });
  }

  /** Sets the container's entrypoint (exec form); like Docker, this clears a `cmd` inherited from the base image. */
  entrypoint(args: readonly string[]): Image {
    return this.#add({ kind: 'entrypoint', args: v.argv(args, 'entrypoint', Image.prototype.entrypoint), shell: false, origin: 'entrypoint' });
  }

  /**
   * Sets the signal that stops the container (the config's `StopSignal`, Dockerfile `STOPSIGNAL`): what `docker stop`
   * sends first, and `runInImage` / `kiln run` when a run is stopped. `SIGQUIT`, `QUIT` or its number (`3`); it is
   * kept as `SIGQUIT`.
   *
   * @example
   * image.stopSignal('SIGQUIT')   // nginx's graceful shutdown
   */
  stopSignal(signal: ProcessSignal | string): Image {
    const name = typeof signal === 'string' ? parseProcessSignal(signal) : undefined;
    if (name === undefined) invalidArgument(`signal ${v.show(signal)} ${NOT_A_PROCESS_SIGNAL}`, Image.prototype.stopSignal);
    return this.#add({ kind: 'runtime', set: { StopSignal: `SIG${name}` }, instruction: `STOPSIGNAL SIG${name}`, origin: 'stopSignal' });
  }

  /** Sets the container's default command (exec form). */
  cmd(args: readonly string[]): Image {
    return this.#add({ kind: 'cmd', args: v.argv(args, 'cmd', Image.prototype.cmd), shell: false, origin: 'cmd' });
  }

  /**
   * Sets the shell that later command steps run with (Modal's `shell`, Dockerfile `SHELL`), kept in the image config
   * as Docker does: `runCommands('echo $BASH_VERSION')` after `shell(['/bin/bash', '-c'])` runs in bash.
   *
   * @example
   * image.shell(['/bin/bash', '-o', 'pipefail', '-c']).runCommands('curl -fsSL https://example.com/x | tar -xz')
   */
  shell(args: readonly string[]): Image {
    return this.#add({ kind: 'shell', shell: v.argv(args, 'shell', Image.prototype.shell), origin: 'shell' });
  }

  /** Sets one label. */
  label(key: string, value: string): Image {
    const site = Image.prototype.label;
    const k = v.labelName(key, 'key', site);
    return this.#add({ kind: 'labels', labels: [[k, v.configValue(value, 'value', site)]], origin: 'label' });
  }

  /** Sets several labels. */
  labels(labels: Readonly<Record<string, string>>): Image {
    const site = Image.prototype.labels;
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) invalidArgument(`labels must be an object of strings, got ${v.show(labels)}`, site);
    const pairs = Object.entries(labels).map(([k, val]) => [v.labelName(k, 'label name', site), v.configValue(val, `labels[${v.show(k)}]`, site)] as const);
    if (pairs.length === 0) return this;
    return this.#add({ kind: 'labels', labels: pairs, origin: 'labels' });
  }

  /** Declares ports the container listens on (`8080`, `"8080/tcp"`, `"53/udp"`). */
  expose(...ports: readonly (number | string)[]): Image {
    const site = Image.prototype.expose;
    if (ports.length === 0) invalidArgument('expose needs at least one port, e.g. expose(8080)', site);
    return this.#add({ kind: 'expose', ports: ports.map((p, i) => v.port(p, `ports[${i}]`, site)), origin: 'expose' });
  }

  /**
   * Makes every step added after this call ignore the build cache (Modal's `force_build` from here on). It does not
   * re-run the step before it: `.runCommands(x).forceBuild()` keeps `x` cached; pass `{ forceBuild: true }` to a
   * step to force that step and every later one. Setting `KILN_FORCE_BUILD=1` when building forces every step.
   */
  forceBuild(): Image {
    return this.#add({ kind: 'force', origin: 'forceBuild' });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Files

  /**
   * Adds a file from this machine. `remotePath` ending in "/" (or omitted: the working directory) means "into
   * this directory".
   *
   * @example
   * image.addLocalFile('config.yaml', '/app/config.yaml')
   */
  addLocalFile(localPath: string, remotePath?: string, options?: LocalFileOptions): Image {
    const site = Image.prototype.addLocalFile;
    const path = v.localPath(localPath, 'localPath', site);
    const dest = remotePath === undefined ? './' : v.destPath(remotePath, 'remotePath', site);
    const o = v.options(options, 'addLocalFile options', site);
    v.knownKeys(o, [...COPY_KEYS, 'copy'], 'addLocalFile options', site);
    v.bool(o.copy, 'addLocalFile options.copy', site);
    if (isDirectory(onDisk(path))) {
      // addLocalFile puts a file into a destination ending in "/" (or "."); addLocalDir copies the directory's
      // contents to its remotePath, so the equivalent there names the directory inside it.
      let remote = remotePath;
      if (remote !== undefined && /(^|\/)\.?$/.test(remote)) {
        const parent = remote.replace(/\.$/, '');
        remote = `${parent === '' ? './' : parent.endsWith('/') ? parent : `${parent}/`}${posix.basename(onDisk(path))}`;
      }
      invalidArgument(`addLocalFile: ${v.show(localPath)} is a directory${isHostAbsolute(path) ? '' : ` (in ${process.cwd()})`}; addLocalFile copies one file`, site, {
        hint: `Use addLocalDir(${v.show(localPath)}${remote === undefined ? '' : `, { remotePath: ${v.show(remote)} }`}) to copy a directory.`,
      });
    }
    return this.#add(copyStep(`copy ${path} → ${dest}`, { kind: 'local', ...localFileSource(path) }, dest, false, copyOptions(o, 'addLocalFile options', site), 'addLocalFile'));
  }

  /**
   * Adds a directory from this machine: its contents go to `remotePath` (or the directory itself inside it, with
   * `contents: false`). `ignore`, `dockerignore` and `gitignore` leave files out; only what remains is sent.
   *
   * @example
   * image.addLocalDir('src', { remotePath: '/app/src', ignore: ['**\/*.pyc'], gitignore: true })
   */
  addLocalDir(localPath: string, remotePathOrOptions?: string | AddLocalDirOptions, options?: AddLocalDirOptions): Image {
    const site = Image.prototype.addLocalDir;
    let o: Partial<AddLocalDirOptions>;
    let remote: string | undefined;
    if (typeof remotePathOrOptions === 'string') {
      remote = remotePathOrOptions;
      o = v.options(options, 'addLocalDir options', site);
      if (o.remotePath !== undefined) invalidArgument('addLocalDir was given the remote path twice (argument and options.remotePath); pass it once', site);
    } else {
      o = v.options(remotePathOrOptions, 'addLocalDir options', site);
      remote = o.remotePath;
    }
    return this.#addDir(localPath, remote, o, 'addLocalDir', site);
  }

  /** Alias of {@link Image.addLocalFile} (Modal's older `copy_local_file`, default destination "./"). */
  copyLocalFile(localPath: string, remotePath = './', options?: LocalFileOptions): Image {
    return this.addLocalFile(localPath, remotePath, options);
  }

  /** Alias of {@link Image.addLocalDir} (Modal's older `copy_local_dir`, default destination "."). */
  copyLocalDir(localPath: string, remotePath = '.', options?: AddLocalDirOptions): Image {
    return this.addLocalDir(localPath, remotePath, options);
  }

  /**
   * Adds importable Python modules from this machine (a package directory `name/` or a file `name.py`, found in
   * the current directory or `src/`) into a directory on PYTHONPATH.
   *
   * @example
   * image.addLocalPythonSource('my_package', 'helpers')
   */
  addLocalPythonSource(...args: Variadic<PythonSourceOptions>): Image {
    const site = Image.prototype.addLocalPythonSource;
    const { items, opts } = variadic<PythonSourceOptions>(args, 'addLocalPythonSource', site);
    v.knownKeys(opts, [...COPY_KEYS, 'remoteDir', 'ignore', 'copy'], 'addLocalPythonSource options', site);
    v.bool(opts.copy, 'addLocalPythonSource options.copy', site);
    if (items.length === 0) invalidArgument('addLocalPythonSource needs at least one module name', site);
    const dir = opts.remoteDir === undefined ? PYTHON_SOURCE_DIR : v.containerPath(opts.remoteDir, 'remoteDir', site);
    const ignore = v.stringList(opts.ignore, 'ignore', site);
    const co = copyOptions(opts, 'addLocalPythonSource options', site);
    let image: Image = this;
    for (const m of items) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(m)) invalidArgument(`addLocalPythonSource: ${v.show(m)} is not a top-level module name (letters, digits, "_")`, site);
      const found = findModule(m, site);
      image = image.#pythonSource(found.path, found.dir, m, dir, ignore, co, 'addLocalPythonSource');
    }
    return image.#add({ kind: 'env', changes: [{ name: 'PYTHONPATH', value: dir, mode: 'prepend-path' }], origin: 'addLocalPythonSource' });
  }

  /**
   * Copies files from another image (multi-stage builds): `src` in `source` (a kiln Image or a registry
   * reference) to `dest` in this one. The other image is built in parallel with this one.
   *
   * @example
   * const builder = Image.debianSlim().aptInstall('build-essential').addLocalDir('src', { remotePath: '/src' }).runCommands('make -C /src');
   * const app = Image.debianSlim().copyFrom(builder, '/src/build/app', '/usr/local/bin/app');
   */
  copyFrom(source: Image | string, src: string, dest: string, options?: CopyFromOptions): Image {
    const site = Image.prototype.copyFrom;
    const from = source instanceof Image ? source : typeof source === 'string' ? fresh(registryBase(source, undefined, site)) : invalidArgument(`copyFrom source must be an Image or an image reference, got ${v.show(source)}`, site);
    const s = v.nonEmpty(src, 'src', site, 'pass a path in the source image, such as "/app/dist"');
    const d = v.destPath(dest, 'dest', site);
    const o = v.options(options, 'copyFrom options', site);
    v.knownKeys(o, [...COPY_KEYS, 'contents'], 'copyFrom options', site);
    const contents = o.contents === undefined ? true : v.bool(o.contents, 'contents', site);
    const path = posix.join('/', s);
    // `contents: false`: the directory itself goes inside `dest`, under its own name (as addLocalDir does).
    const into = contents ? d : posix.join(d, posix.basename(path));
    return this.#add(copyStep(`copy ${s} from ${describeImage(from)} → ${into}`, { kind: 'image', image: from, path }, into, true, copyOptions(o, 'copyFrom options', site), 'copyFrom'));
  }

  /**
   * Applies Dockerfile instructions (no `FROM`): `RUN`, `ENV`, `ARG`, `COPY`, `ADD`, `WORKDIR`, `USER`, `LABEL`,
   * `EXPOSE`, `ENTRYPOINT`, `CMD`, `SHELL`, `MAINTAINER`. `COPY`/`ADD` leave out what the context's `.dockerignore`
   * lists.
   *
   * @example
   * image.dockerfileCommands(['RUN apt-get update && apt-get install -y curl', 'ENV APP_HOME=/app', 'WORKDIR $APP_HOME'])
   */
  dockerfileCommands(commands: string | readonly string[], options?: DockerfileOptions): Image {
    const site = Image.prototype.dockerfileCommands;
    const list = typeof commands === 'string' ? [commands] : commands;
    if (!Array.isArray(list)) invalidArgument(`dockerfileCommands takes a list of instructions, got ${v.show(commands)}`, site);
    list.forEach((c: unknown, i) => v.str(c, `commands[${i}]`, site));
    const o = v.options(options, 'dockerfileCommands options', site);
    v.knownKeys(o, ['context', 'buildArgs', 'secrets', 'gpu', 'contextFiles', 'contexts'], 'dockerfileCommands options', site);
    const context = o.context === undefined ? '.' : v.localPath(o.context, 'context', site);
    const contexts = namedContexts(o.contexts, (name) => `dockerfileCommands contexts[${v.show(name)}]`, site, CONTEXT_HOOKS);
    const { contexts: _given, ...rest } = o;
    return applyDockerfile(this, list.join('\n'), { ...rest, context, contexts, commands: { list, stack: captureStepSource().stack } }, site, HOOKS);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Aliases with the other APIs' semantics

  /** Chutes' `run_command`: one shell command (may span lines) as one step. */
  runCommand(command: string, options?: RunCommandsOptions): Image {
    const site = Image.prototype.runCommand;
    return this.#runCommands([v.nonEmpty(command, 'command', site, 'pass a shell command')], v.options(options, 'runCommand options', site), 'runCommand', site);
  }

  /** Kubetorch's `run_bash`: one shell command as one step; `force` re-runs it instead of using the cache. */
  runBash(command: string, options?: RunCommandsOptions): Image {
    const site = Image.prototype.runBash;
    return this.#runCommands([v.nonEmpty(command, 'command', site, 'pass a shell command')], v.options(options, 'runBash options', site), 'runBash', site);
  }

  /**
   * Chutes' `with_env`: sets one variable the way Chutes does, as a Dockerfile `ENV KEY=value`: `$VAR` and `${VAR}`
   * (also `${VAR:-default}` and Docker's other modifiers) are the image's values at this point, an unset one is empty,
   * `\$` is a literal dollar.
   *
   * @example
   * image.withEnv('PATH', '/opt/conda/bin:$PATH')
   */
  withEnv(key: string, value: string): Image {
    const site = Image.prototype.withEnv;
    const name = v.imageEnvName(key, 'key', site);
    const checked = v.configValue(value, 'value', site);
    try {
      variableParts(checked, { modifiers: true });
    } catch (err) {
      if (err instanceof SubstitutionError) invalidArgument(`withEnv ${name}: ${err.message}`, site);
      throw err;
    }
    return this.#add({ kind: 'env', changes: [{ name, value: checked, mode: 'dockerfile' }], origin: 'withEnv' });
  }

  /**
   * Kubetorch's `set_env_vars`: sets variables in order, expanding `$VAR` and `${VAR}` against the image's
   * environment at that point (variables set earlier in the same call included). Unknown variables stay as they
   * are written; `\$` is a literal dollar.
   *
   * @example
   * image.setEnvVars({ BASE_PATH: '/usr/local', BIN_PATH: '$BASE_PATH/bin', PATH: '$BIN_PATH:$PATH' })
   */
  setEnvVars(vars: Readonly<Record<string, string>>): Image {
    const site = Image.prototype.setEnvVars;
    const pairs = v.imageEnvRecord(vars, 'vars', site);
    if (pairs.length === 0) return this;
    return this.#add({ kind: 'env', changes: pairs.map(([name, value]) => ({ name, value, mode: 'expand' as const })), origin: 'setEnvVars' });
  }

  /** Chutes' `set_workdir`; see {@link Image.workdir}. */
  setWorkdir(directory: string): Image {
    return this.#add({ kind: 'workdir', path: v.destPath(directory, 'directory', Image.prototype.setWorkdir), origin: 'setWorkdir' });
  }

  /** Chutes' `set_user`; see {@link Image.user}. */
  setUser(user: string): Image {
    return this.#add({ kind: 'user', user: v.userSpec(user, 'user', Image.prototype.setUser), origin: 'setUser' });
  }

  /** Chutes' `with_entrypoint(*args)`; see {@link Image.entrypoint}. */
  withEntrypoint(...args: readonly string[]): Image {
    return this.#add({ kind: 'entrypoint', args: v.argv(args, 'entrypoint', Image.prototype.withEntrypoint), shell: false, origin: 'withEntrypoint' });
  }

  /** Chutes' `with_maintainer`: the image author and the `maintainer` label. */
  withMaintainer(maintainer: string): Image {
    const site = Image.prototype.withMaintainer;
    const m = v.configValue(v.nonEmpty(maintainer, 'maintainer', site, 'pass a name or email address'), 'maintainer', site);
    return this.#add({ kind: 'author', author: m, origin: 'withMaintainer' }).#add({ kind: 'labels', labels: [['maintainer', m]], origin: 'withMaintainer' });
  }

  /**
   * Chutes' `add(source, dest)`, with the Dockerfile `ADD` semantics of the `ADD <source> <dest>` Chutes writes: a
   * file goes to `dest` (into it when `dest` ends in "/"), a directory's contents go into `dest`, and a local tar
   * archive (`.tar`, `.tar.gz`, `.tgz`, bzip2, xz) is unpacked into `dest`. A relative `dest` is relative to the
   * working directory. Wildcards in any element of the source (`add('dist/*.whl', '/tmp/')`,
   * `add('libs/lib-?/dist/*.whl', '/wheels/')`) copy the files they match.
   */
  add(source: string, dest: string, options?: CopyOptions): Image {
    return this.#copyLocal('add', Image.prototype.add, source, dest, options);
  }

  /**
   * Chutes' `copy_file(source, dest)` (its multi-stage example): {@link Image.add} with `COPY` semantics, a tar
   * archive copied as the file it is.
   */
  copyFile(source: string, dest: string, options?: CopyOptions): Image {
    return this.#copyLocal('copyFile', Image.prototype.copyFile, source, dest, options);
  }

  /** `add` / `copyFile`: Dockerfile `ADD` / `COPY` of a local path. */
  #copyLocal(method: 'add' | 'copyFile', site: v.Site, source: string, dest: string, options: CopyOptions | undefined): Image {
    const path = v.localPath(source, 'source', site);
    const d = v.destPath(dest, 'dest', site);
    const o = v.options(options, `${method} options`, site);
    v.knownKeys(o, COPY_KEYS, `${method} options`, site);
    const co = copyOptions(o, `${method} options`, site);
    // Chutes writes `ADD`, which unpacks a local tar archive (plain or gzip/bzip2/xz) into `dest`, as Docker does.
    const unpack = method === 'add';
    if (/[*?[]/.test(path) && !existsSync(onDisk(path))) {
      // Chutes writes `ADD <source> <dest>`, so wildcards in any path element pick files as Docker does
      // (`add('pkgs/*/dist/*.whl', '/wheels/')`); a file that has the name itself, `data[1].csv`, is that file.
      const from = isHostAbsolute(path) ? wildcardSource(hostRoot(path), path.slice(hostRoot(path).length)) : wildcardSource('.', path);
      // Chutes globs the source in the build directory and fails when nothing matches; checked before the build.
      const local = { ...from.local, requireMatch: true };
      return this.#add(copyStep(`copy ${path} → ${d}`, { kind: 'local', local, path: from.path }, d, true, co, method, { wildcard: true, unpack }));
    }
    return this.#add(copyStep(`copy ${path} → ${d}`, { kind: 'local', ...localFileSource(path) }, d, true, co, method, { unpack }));
  }

  /**
   * Kubetorch's `rsync`: copies a local file or directory. A directory goes inside `dest` (`rsync('./src', '/app')`
   * gives `/app/src`); its contents go into `dest` with `contents: true` or, as with rsync itself, when the source
   * ends in "/" or is "." (`rsync('./src/', '/app')`, `rsync('.', '/app')`). `dest` defaults to the working
   * directory and a leading "~/" is dropped.
   * `.gitignore`, `.ktignore`, `*.pyc`, `__pycache__`, `.venv` and `.git` are left out, plus `filter` options.
   */
  rsync(source: string, dest?: string, options?: RsyncOptions): Image {
    const site = Image.prototype.rsync;
    const path = v.localPath(source, 'source', site);
    const o = v.options(options, 'rsync options', site);
    v.knownKeys(o, [...COPY_KEYS, 'contents', 'filter', 'filterOptions'], 'rsync options', site);
    if (o.filter !== undefined && o.filterOptions !== undefined) invalidArgument('rsync options has both filter and filterOptions (the same option); pass one', site);
    const filterText = o.filter ?? o.filterOptions;
    let target = dest === undefined ? '.' : v.destPath(dest, 'dest', site);
    if (target === '~') target = '.';
    else if (target.startsWith('~/')) target = target.slice(2) || '.';
    let filter: string[] = [];
    if (filterText !== undefined) {
      try {
        filter = rsyncFilterToPatterns(splitShellWords(v.str(filterText, o.filter === undefined ? 'filterOptions' : 'filter', site)));
      } catch (err) {
        invalidArgument(`rsync filter: ${err instanceof RsyncFilterError ? err.message : (err as Error).message}`, site);
      }
    }
    let isDir: boolean;
    try {
      isDir = statSync(onDisk(path)).isDirectory();
    } catch {
      return invalidArgument(`rsync: ${v.show(source)} does not exist (looked in ${process.cwd()})`, site);
    }
    const co = copyOptions(o, 'rsync options', site);
    if (!isDir) {
      const d = dest === undefined ? './' : target;
      return this.#add(copyStep(`rsync ${path} → ${d}`, { kind: 'local', ...localFileSource(path) }, d, false, co, 'rsync'));
    }
    // rsync's own rule: "src/" and "." name the directory's contents, "src" the directory itself.
    const raw = source.split('\\').join('/');
    const contents = v.bool(o.contents, 'contents', site) || path === '.' || raw.endsWith('/') || raw.endsWith('/.');
    const finalDest = contents ? target : posix.join(target, posix.basename(path));
    const local: LocalRef = {
      root: path,
      include: [],
      // As rsync's --exclude and --filter=':- .gitignore': at any depth, each ignore file below its own directory.
      exclude: ['**/*.pyc', '**/__pycache__', '**/.venv', '**/.git', ...filter],
      ignoreFiles: [
        { path: posix.join(path, '.gitignore'), syntax: 'git', optional: true, nested: true },
        { path: posix.join(path, '.ktignore'), syntax: 'git', optional: true, nested: true },
      ],
    };
    return this.#add(copyStep(`rsync ${path} → ${finalDest}`, { kind: 'local', local, path: '/' }, finalDest, true, co, 'rsync'));
  }

  /**
   * Kubetorch's `sync_package`: a local Python package (a path, or a module name found like
   * {@link Image.addLocalPythonSource} does) copied onto PYTHONPATH; `force` re-copies it instead of using the cache.
   */
  syncPackage(pkg: string, options?: PythonSourceOptions): Image {
    const site = Image.prototype.syncPackage;
    const p = v.nonEmpty(pkg, 'package', site, 'pass a package name or a path such as "./libs/my_package"');
    const o = v.options(options, 'syncPackage options', site);
    v.knownKeys(o, [...COPY_KEYS, 'remoteDir', 'ignore'], 'syncPackage options', site);
    const dir = o.remoteDir === undefined ? PYTHON_SOURCE_DIR : v.containerPath(o.remoteDir, 'remoteDir', site);
    const ignore = v.stringList(o.ignore, 'ignore', site);
    const co = copyOptions(o, 'syncPackage options', site);
    let found: { path: string; dir: boolean };
    if (/[/\\~]/.test(p) || p.startsWith('.')) {
      const path = v.localPath(p, 'package', site);
      let isDir: boolean;
      try {
        isDir = statSync(onDisk(path)).isDirectory();
      } catch {
        return invalidArgument(`syncPackage: ${v.show(p)} does not exist (looked in ${process.cwd()})`, site);
      }
      found = { path, dir: isDir };
    } else {
      found = findModule(p, site);
    }
    // The package is named after its directory: for "." or "./" that is the current directory's (the build context's).
    const name = posix.basename(onDisk(found.path)).replace(/\.py$/, '');
    return this.#pythonSource(found.path, found.dir, name, dir, ignore, co, 'syncPackage').#add({
      kind: 'env',
      changes: [{ name: 'PYTHONPATH', value: dir, mode: 'prepend-path' }],
      origin: 'syncPackage',
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Output

  /**
   * Compiles the image to an LLB definition, offline. Without `baseConfigs` the base images' env, working
   * directory and user are unknown, so this is the definition of the steps themselves; `buildImage` compiles again
   * with the resolved configs.
   */
  definition(options?: CompileOptions): Definition {
    return compileImage(this, options).definition;
  }

  /**
   * The digest of {@link Image.definition}: the same for the same image on any machine (local directories are
   * named by their path relative to the build context, never by an absolute path), and whatever proxies the steps
   * are given (a Dockerfile's proxy build args included: like the daemon's cache keys, it leaves `proxy_env` out).
   */
  digest(options?: CompileOptions): string {
    return this.definition({ ...options, proxy: false }).digest() ?? 'sha256:0000000000000000000000000000000000000000000000000000000000000000';
  }

  /**
   * The equivalent Dockerfile, for review and migration. Cache and secret mounts are written as `RUN --mount`;
   * images this one copies from become earlier stages.
   */
  toDockerfile(options?: ToDockerfileOptions): string {
    return toDockerfile(this, options);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internals

  #add(step: Step): Image {
    // On a base whose Python environment belongs to its user (Image.micromamba()), that user installs into it.
    const owner = this.#spec.base.kind === 'registry' ? this.#spec.base.prefixOwner : undefined;
    const owned = owner !== undefined && step.kind === 'run' && step.user === 'root' && PYTHON_INSTALLERS.has(step.origin) ? asPrefixOwner(step, owner) : step;
    const added: Step = { ...owned, source: step.source ?? captureStepSource() };
    return new Image(TOKEN, { ...this.#spec, steps: [...this.#spec.steps, added] });
  }

  #rebase(base: Base): Image {
    return new Image(TOKEN, { ...this.#spec, base });
  }

  #runCommands(commands: readonly string[], o: Partial<RunCommandsOptions>, origin: string, site: v.Site): Image {
    v.knownKeys(o, [...STEP_KEYS, 'cwd', 'user', 'outputs'], `${origin} options`, site);
    const common = stepCommon(o, `${origin} options`, site);
    const cwd = o.cwd === undefined ? undefined : v.destPath(o.cwd, 'cwd', site);
    const user = o.user === undefined ? undefined : v.userSpec(o.user, 'user', site);
    const outputs = o.outputs === undefined ? [] : v.outputPaths(o.outputs, `${origin} options.outputs`, site);
    if (outputs.length > 0 && commands.length !== 1) {
      invalidArgument(
        `${origin}: outputs describe what one command produces, but ${commands.length} commands were given; join them into one command (with &&), or call ${origin} once per independent command`,
        site,
      );
    }
    let image: Image = this;
    for (const c of commands) {
      image = image.#add(runStep({ name: c.trim().replace(/\s+/g, ' '), script: c, origin, cwd, user, outputs, ...common }));
    }
    return image;
  }

  #addDir(localPath: string, remote: string | undefined, o: Partial<AddLocalDirOptions>, origin: string, site: v.Site): Image {
    v.knownKeys(o, [...COPY_KEYS, 'remotePath', 'ignore', 'dockerignore', 'gitignore', 'contents', 'copy', 'condition'], `${origin} options`, site);
    v.bool(o.copy, `${origin} options.copy`, site);
    if (o.condition !== undefined && typeof o.condition !== 'function') {
      invalidArgument(`${origin} options.condition must be a function (path) => boolean, got ${v.show(o.condition)}`, site);
    }
    const path = v.localPath(localPath, 'localPath', site);
    const base = posix.basename(path === '.' ? process.cwd() : path);
    const dest = remote === undefined ? `./${base}` : v.destPath(remote, 'remotePath', site);
    const contents = o.contents === undefined ? true : v.bool(o.contents, 'contents', site);
    // Modal's ignore predicate: the condition's complement, given the path inside the directory.
    const ignoreFn = typeof o.ignore === 'function' ? o.ignore : undefined;
    const keep = o.condition;
    const condition =
      ignoreFn === undefined ? keep : (shown: string): boolean => (keep === undefined || keep(shown)) && !ignoreFn(path === '.' ? shown : posix.relative(path, shown));
    const local: LocalRef = {
      root: path,
      include: [],
      exclude: ignoreFn === undefined ? v.stringList(o.ignore, 'ignore', site) : [],
      ignoreFiles: [
        ...ignoreFile(o.dockerignore, path, '.dockerignore', 'docker', 'dockerignore', site),
        ...ignoreFile(o.gitignore, path, '.gitignore', 'git', 'gitignore', site),
      ],
      ...(condition === undefined ? {} : { condition }),
    };
    const finalDest = contents ? dest : posix.join(dest, base);
    return this.#add(copyStep(`copy ${path} → ${finalDest}`, { kind: 'local', local, path: '/' }, finalDest, true, copyOptions(o, `${origin} options`, site), origin));
  }

  #pythonSource(path: string, isDir: boolean, name: string, dir: string, ignore: readonly string[], co: Pick<CopyStep, 'owner' | 'mode' | 'link' | 'force'>, origin: string): Image {
    if (!isDir) {
      return this.#add(copyStep(`copy ${path} → ${dir}/`, { kind: 'local', ...localFileSource(path) }, `${dir}/`, false, co, origin));
    }
    const local: LocalRef = { root: path, include: [], exclude: ['**/__pycache__', '**/*.pyc', ...ignore], ignoreFiles: [] };
    return this.#add(copyStep(`copy ${path} → ${dir}/${name}`, { kind: 'local', local, path: '/' }, `${dir}/${name}`, true, co, origin));
  }
}

/** Whether `path` is an existing directory (a missing path is reported when building). */
/** A local path that must name a file is checked when it already exists (it may also appear before the build). */
function notADirectory(path: string, given: string, method: string, what: string, site: v.Site): void {
  if (!isDirectory(onDisk(path))) return;
  invalidArgument(`${method}: ${v.show(given)} is a directory${isHostAbsolute(path) ? '' : ` (in ${process.cwd()})`}; it must be ${what}`, site, {
    hint: `Name the file inside it, e.g. ${method}(${v.show(posix.join(given, method === 'runScript' ? 'main.py' : 'requirements.txt'))}).`,
  });
}

/** A local file's text (relative to the current directory), or undefined when it cannot be read. */
function readIfPresent(path: string): string | undefined {
  try {
    return readLocalText(onDisk(path));
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function fresh(base: Base): Image {
  return new Image(TOKEN, { base, steps: [], identity: undefined });
}

const HOOKS: ImageHooks = { fresh, append: (image, step) => appendStep(image, step) };

const CONTEXT_HOOKS: NamedContextHooks = { ...HOOKS, isImage: (value): value is Image => value instanceof Image };

/**
 * Named contexts as `--build-context NAME=VALUE` gives them (`kiln build <git-url>`), checked now; a message names
 * the flag and the value. Local directories are resolved against `cwd` when given.
 */
export function buildContextFlags(values: readonly string[], site: v.Site, cwd?: string): ReadonlyMap<string, NamedContext> {
  const given: Record<string, string> = {};
  const flagOf = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) invalidArgument(`--build-context ${v.show(value)}: expected NAME=VALUE, such as base=docker-image://alpine:3.19 or src=../lib`, site);
    const name = value.slice(0, eq);
    if (Object.hasOwn(given, name)) invalidArgument(`--build-context ${v.show(value)}: the context ${v.show(name)} was given twice; give it once`, site);
    given[name] = value.slice(eq + 1);
    flagOf.set(name, value);
  }
  return namedContexts(given, (name) => `--build-context ${v.show(flagOf.get(name) ?? name)}`, site, CONTEXT_HOOKS, cwd);
}

/** A git repository (or one directory of it) as a build context: see {@link imageFromGitDockerfile}. */
export interface GitBuildContext {
  readonly remote: string;
  /** Branch, tag or commit; `''` for the repository's default branch. */
  readonly ref: string;
  /** The directory of the repository that is the context (`''` for its root), without leading or trailing "/". */
  readonly subdir: string;
  /**
   * The commit `ref` was found at when the Dockerfile was read: the context is cloned at this commit (what step
   * names show stays `ref`), so the Dockerfile and the context come from one commit and the remote is not asked again.
   */
  readonly commit?: string | undefined;
}

/**
 * The image of Dockerfile `text` (read from a git repository) built with that repository as the context, as
 * `docker build URL#REF:SUBDIR` builds it: the context stays on the daemon, which clones the repository, and `COPY`
 * sources, wildcards and bind mounts are read from its clone (the subdirectory copied out of it, so a symbolic link
 * there is resolved inside the clone). No `.dockerignore` applies, as with BuildKit's frontend. `file` is the
 * Dockerfile's path in the subdirectory, which a failed step's location names (`app/Dockerfile:4`).
 */
export function imageFromGitDockerfile(
  text: string,
  source: GitBuildContext,
  options: {
    readonly buildArgs?: Readonly<Record<string, string>>;
    readonly target?: string | undefined;
    readonly file?: string | undefined;
    readonly contexts?: ReadonlyMap<string, NamedContext> | undefined;
  } = {},
): Image {
  const path = posix.join('/', source.subdir);
  const contextImage = appendStep(
    fresh({ kind: 'scratch' }),
    copyStep(`git context ${formatGitUrl(source)}`, { kind: 'git', remote: source.remote, ref: source.commit ?? source.ref, keepGitDir: false, path }, '/', true, { owner: undefined, mode: undefined, link: undefined, force: 'none' }, 'dockerfile'),
  );
  const dockerfileName = posix.join(source.subdir, options.file ?? 'Dockerfile');
  return applyDockerfile(
    undefined,
    text,
    {
      context: '.',
      contextImage,
      dockerfileName,
      ...(options.buildArgs === undefined ? {} : { buildArgs: options.buildArgs }),
      ...(options.target === undefined ? {} : { target: options.target }),
      ...(options.contexts === undefined ? {} : { contexts: options.contexts }),
    },
    imageFromGitDockerfile,
    HOOKS,
  );
}

function registrySecret(value: unknown, site: v.Site): RegistrySecret | undefined {
  if (value === undefined) return undefined;
  // Never shown in a message: a string here is most likely the token itself.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(`secret must be { username, password } or { usernameEnv, passwordEnv }, got ${v.kindOf(value)}`, site);
  }
  const o = value as Partial<RegistrySecret>;
  if ('username' in o || 'password' in o) {
    v.knownKeys(o, ['username', 'password'], 'secret', site);
    const r = o as { username?: unknown; password?: unknown };
    const username = v.nonEmpty(r.username, 'secret.username', site, 'pass the registry user');
    if (typeof r.password !== 'string' || r.password.trim() === '') {
      invalidArgument(`secret.password must be a non-empty string (the password or token), got ${typeof r.password === 'string' ? 'an empty one' : v.kindOf(r.password)}`, site);
    }
    return literalRegistrySecret(username, r.password);
  }
  v.knownKeys(o, ['usernameEnv', 'passwordEnv'], 'secret', site);
  const e = o as { usernameEnv?: unknown; passwordEnv?: unknown };
  return {
    usernameEnv: v.envName(e.usernameEnv ?? 'REGISTRY_USERNAME', 'secret.usernameEnv', site),
    passwordEnv: v.envName(e.passwordEnv ?? 'REGISTRY_PASSWORD', 'secret.passwordEnv', site),
  };
}

/**
 * Where python-build-standalone builds are downloaded from: the option, else `KILN_PYTHON_INSTALL_MIRROR` (one
 * setting for every `withPython` of a project behind a firewall, as uv's `UV_PYTHON_INSTALL_MIRROR`), else GitHub;
 * with the checksums of a mirror's own builds: the option, else `KILN_PYTHON_INSTALL_SHA256`, else none (kiln's).
 */
function standaloneSource(mirror: unknown, sha256: unknown, options: string, site: v.Site): StandaloneSource {
  const fromEnv = process.env[PYTHON_MIRROR_ENV];
  const releases =
    mirror !== undefined
      ? v.httpUrl(mirror, `${options}.standaloneMirror`, site).replace(/\/+$/, '')
      : fromEnv !== undefined && fromEnv !== ''
        ? v.httpUrl(fromEnv, PYTHON_MIRROR_ENV, site).replace(/\/+$/, '')
        : STANDALONE_PYTHON_RELEASES;
  const sumsFromEnv = process.env[PYTHON_SHA256_ENV];
  const sums =
    sha256 !== undefined
      ? standaloneSums(sha256, `${options}.standaloneSha256`, site)
      : sumsFromEnv !== undefined && sumsFromEnv !== ''
        ? standaloneSums(envSums(sumsFromEnv, site), PYTHON_SHA256_ENV, site)
        : undefined;
  return sums === undefined ? { releases } : { releases, sha256: sums };
}

/** `{ x86_64?, aarch64? }` of SHA-256 digests in hex (lower-cased), checked. */
function standaloneSums(value: unknown, name: string, site: v.Site): Partial<Record<StandaloneArch, string>> {
  const fix = `give the hex SHA-256 of each archive by machine, e.g. { x86_64: '<64 hex digits>', aarch64: '<64 hex digits>' }`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalidArgument(`${name} must be an object; ${fix}`, site);
  const out: Partial<Record<StandaloneArch, string>> = {};
  for (const [key, sum] of Object.entries(value)) {
    if (sum === undefined) continue;
    if (!(STANDALONE_ARCHES as readonly string[]).includes(key)) invalidArgument(`${name} has ${v.show(key)}, which is not a machine python-build-standalone builds for (${STANDALONE_ARCHES.join(', ')})`, site);
    if (typeof sum !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sum)) invalidArgument(`${name}.${key} must be a SHA-256 in hex (64 digits), got ${v.show(sum)}`, site);
    out[key as StandaloneArch] = sum.toLowerCase();
  }
  if (Object.keys(out).length === 0) invalidArgument(`${name} names no archive; ${fix}, or drop it`, site);
  return out;
}

/** `x86_64=<hex>,aarch64=<hex>` as an object (checked by {@link standaloneSums}). */
function envSums(text: string, site: v.Site): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) invalidArgument(`${PYTHON_SHA256_ENV} must be MACHINE=SHA256 pairs separated by commas (x86_64=<hex>,aarch64=<hex>), got ${v.show(text)}`, site);
    out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

/** The environment variable that replaces {@link STANDALONE_PYTHON_RELEASES} when no `standaloneMirror` is given. */
const PYTHON_MIRROR_ENV = 'KILN_PYTHON_INSTALL_MIRROR';

function fromRegistryAt(ref: string, options: FromRegistryOptions | undefined, site: v.Site): Image {
  const o = v.options(options, 'fromRegistry options', site);
  v.knownKeys(o, ['addPython', 'standaloneMirror', 'secret', 'setupDockerfileCommands'], 'fromRegistry options', site);
  if (o.standaloneMirror !== undefined && o.addPython === undefined) invalidArgument('fromRegistry options.standaloneMirror applies to addPython; add addPython or drop it', site);
  const { base, parsed } = parsedRegistryBase(ref, registrySecret(o.secret, site), site);
  // The mambaorg/micromamba images (any tag) are Image.micromamba()'s: their environment is mambauser's.
  let image = fresh(parsed.domain === 'docker.io' && parsed.path === 'mambaorg/micromamba' ? { ...base, prefixOwner: MAMBA_USER } : base);
  // Python first, then the setup commands (Modal's order), so that they can use the Python that was added.
  if (o.addPython !== undefined) {
    const version = v.pythonVersion(o.addPython, 'addPython', site, PYTHON_MINORS);
    image = image.withPython(version, o.standaloneMirror === undefined ? {} : { standaloneMirror: v.httpUrl(o.standaloneMirror, 'fromRegistry options.standaloneMirror', site) });
  }
  if (o.setupDockerfileCommands !== undefined) {
    image = applyDockerfile(image, v.stringList(o.setupDockerfileCommands, 'setupDockerfileCommands', site).join('\n'), { context: '.' }, site, HOOKS);
  }
  return image;
}

function forceStep(common: StepCommon, o: { readonly force?: boolean | undefined; readonly forceBuild?: boolean | undefined }): StepCommon {
  return o.force === true && common.force === 'none' ? { ...common, force: 'step' } : common;
}

/** A short description of an image for progress names. */
export function describeImage(image: Image): string {
  const spec = imageSpec(image);
  if (spec.identity !== undefined) return `${spec.identity.username}/${spec.identity.name}:${spec.identity.tag}`;
  const b = spec.base;
  const base = b.kind === 'scratch' ? 'scratch' : b.kind === 'oci-layout' ? `oci-layout://${showOciLayout(b.dir, b)}` : b.kind === 'per-platform' ? `context ${b.name} (per platform)` : shortRef(b.ref);
  return spec.steps.length === 0 ? base : `${base} (+${spec.steps.length} step${spec.steps.length === 1 ? '' : 's'})`;
}

/** Config steps are plain data; this guard is used by the compiler and the Dockerfile writer. */
export function isConfigStep(step: Step): step is ConfigStep {
  return step.kind !== 'run' && step.kind !== 'copy';
}

/** The run steps' type (re-exported for the compiler). */
export type { RunStep, CopyStep };
