/**
 * Compiles an `Image` into an LLB graph, the OCI image config the exporter writes, and everything the build
 * session has to provide (local directories, secrets, entitlements, registry credentials).
 *
 * ## Process settings
 * With resolved base configs (`baseConfigs`, from the daemon at build time) the base image's `Env`,
 * `WorkingDir` and `User` are carried into every run step, as the Dockerfile frontend does; without them (offline)
 * only what the image itself sets is known. The final config is the base config with every change applied.
 *
 * ## Independent layers (what is built in parallel and why)
 * Steps that run a process (`runCommands`, installers, `runScript`, Dockerfile `RUN`) read the whole filesystem
 * below them, so each is built on everything before it. Steps that only put files into the image (`addLocalFile`,
 * `addLocalDir`, `add`, `rsync`, `syncPackage`, `addLocalPythonSource`, `copyFrom`, Dockerfile `COPY`/`ADD`)
 * read nothing from the image: kiln builds each such step as its own layer on an empty filesystem and combines a
 * run of consecutive ones with the image below in one merge op. A layer then depends only on its own source, so
 * editing one local directory rebuilds only that layer and the merge, never its siblings, and all of them transfer
 * and build in parallel with the steps before them.
 *
 * On daemons without the `mergeop` cap (dockerd 20.10) the same run of steps becomes one file op that copies each
 * step's files straight onto the image, in order: a layer built on its own first could not be reused there anyway
 * (laying it onto the image is itself a copy that re-runs whenever the image below or the layer changes), so that
 * would only add a step to every rebuild. The sources still transfer in parallel with the steps before them, only
 * the ones that changed are sent again, and the filesystem is the same (parent directories that already exist keep
 * their metadata, as with Dockerfile `COPY`).
 *
 * A merged layer replaces the metadata (owner, mode) of every directory it contains that already exists below it,
 * its destination's parents included (they are created as root-owned 0755 directories, like `COPY --link`). So
 * kiln links a file step only when, by the overlap rule, that cannot change anything it knows about:
 * 1. the step did not pass `link: false` (and `link: true` skips the checks below);
 * 2. it sets no `owner` (the layer's parent directories would get that owner);
 * 3. the build user at that point is root (images that switch users usually own their directories);
 * 4. no directory the layer contains that may already exist (the destination and its parents, `/` excepted) is
 *    a special system directory (`/tmp`, `/var/tmp`, `/root`, `/home/…`, `/run`, `/var/run`, `/dev`, `/proc`,
 *    `/sys`), was named in an earlier run step's command, was the working directory of an earlier command (kiln's
 *    own installers excepted: they never write relative to it), or was created with an owner by an earlier copy
 *    or `workdir`;
 * 5. its destination does not overlap (same path, parent or child) another layer of the same merge — if it does,
 *    the merge is closed and a new one started, so the later step still wins.
 * Directories customised by the base image itself or by commands using relative paths from `/` are unknown to
 * kiln: pass `link: false` for copies into such directories. Anything else is copied onto the image built so far.
 *
 * ## Independent run steps (`outputs`)
 * A run step that declares `outputs` is built as its own branch: it runs on the image built before its group (see
 * `branches.ts` for the grouping and the overlap rule), so the members of a group run in parallel on the daemon and
 * each one's cache depends only on that earlier image and its own command. Only the declared paths are kept:
 * - with the `mergeop` and `diffop` caps (BuildKit v0.10+), and offline, each member becomes
 *   `diff(lower, lower + copy of its outputs from its result)` — exactly the files it adds, parent directories that
 *   already exist keeping their owner and mode — and joins the group's merge op with any file layers;
 * - otherwise (dockerd 20.10) one file op copies every member's outputs from its result onto the image, in step
 *   order, then file layers are merged (as copies) as above. Both give the same filesystem, because members of a
 *   group never overlap; only the layer count differs (one layer per member vs. one for the whole group).
 * Outputs are copied like Dockerfile `COPY --from=<stage> <path> <path>`: a directory's contents into the same
 * path, created with missing parents, ownership and modes as the step left them.
 *
 * Internal module; `compileImage` is re-exported by `index.ts`.
 */
import { createHash } from 'node:crypto';
import { posix, resolve as resolveNative } from 'node:path';
import { readdirSync } from 'node:fs';
import { KilnError, invalidArgument } from '../errors.js';
import { resolveHostPath } from '../host-path.js';
import { type BuildProxy, isEmptyProxy, mergeProxy } from './build-proxy.js';
import { contextRelative } from './context-relative.js';
import { headerSafeName } from './local-name.js';
import type { Entitlement } from '../client/build.js';
import {
  type CapSetInput,
  type CopyOptions,
  type Definition,
  type FileActions,
  type MountSpec,
  type Platform,
  type PlatformInput,
  type SecretSpec,
  type State,
  image as imageSource,
  ociLayout as ociLayoutSource,
  Cap,
  http as httpSource,
  git as gitSource,
  copy as copyAction,
  diff,
  local as localSource,
  marshal,
  merge,
  formatPlatform,
  normalizePlatform,
  parseImageRef,
  scratch,
} from '../llb/index.js';
import { type BranchPlacement, commandText, placeBranches } from './branches.js';
import { expandPortRange } from './dockerfile-parse.js';
import { SubstitutionError, expandVariables } from './env-expand.js';
import { ignoreFilePatterns } from './ignore-files.js';
import { Image, imageSpec, isConfigStep, withSteps } from './image.js';
import { type ImageConfig, type ImageHistoryEntry, type ImageRuntimeConfig, DEFAULT_PATH, envEntries } from './oci-config.js';
import { ancestors, mentions, overlaps } from './path-rules.js';
import { PYTHON_INSTALLERS } from './installers.js';
import { isRootUser, secretFileOwner, sshSocketOwner } from './step-user-mounts.js';
import { shellQuote } from './shell.js';
import * as v from './validate.js';
import type { CopyStep, EnvPair, ImageSpec, LocalRef, RegistrySecret, RunMount, RunStep, Step } from './steps.js';
import { namedOutsideContext } from './requirements-files.js';
import { resolveOciLayout, showOciLayout } from './oci-layout.js';
import type { StepSource } from './step-source.js';
import { marshalState } from '../llb/marshal.js';
import { stateData } from '../llb/state.js';
import type { Vertex } from '../llb/vertex.js';
import { gitRemoteHost, parseGitRemote } from '../llb/git-remote.js';

/**
 * The LLB capability of CDI devices in run steps (BuildKit v0.20+, `CapExecMetaCDI` in solver/pb/caps.go): what a step
 * asking for a GPU during the build needs. kiln's LLB layer does not emit device requests, so it is not in `Cap`.
 */
const CDI_CAP = 'exec.meta.cdi';

/** A base image config as resolved by the daemon, with the manifest digest it came from. */
export interface ResolvedBase {
  readonly config: ImageConfig;
  /** Manifest digest; when given, the build pins the base to it (the config then matches what is built). */
  readonly digest?: string | undefined;
}

/**
 * Whether `KILN_FORCE_BUILD` asks to ignore the cache, read as Modal reads `MODAL_FORCE_BUILD`: any value but
 * `""`, `0` and `false` (any case) means yes.
 */
export function forceBuildFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = env['KILN_FORCE_BUILD']?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** Options of {@link compileImage}. */
export interface CompileOptions {
  /** Platform to build for (default linux/amd64). */
  readonly platform?: PlatformInput | undefined;
  /** The daemon's LLB caps (`gw.llbCaps`): merges degrade to copies without `mergeop`; missing caps fail clearly. */
  readonly caps?: CapSetInput | undefined;
  /** Base image configs by normalised reference (`docker.io/library/python:3.11-slim`). */
  readonly baseConfigs?: ReadonlyMap<string, ImageConfig | ResolvedBase> | undefined;
  /** Directory local paths are relative to (default: the current directory). */
  readonly context?: string | undefined;
  /** Salt of local sources in the definition (default `"kiln"`, so digests are reproducible). */
  readonly localUniqueId?: string | undefined;
  /** Ignore the build cache for every step (default: `KILN_FORCE_BUILD` set in the environment, see {@link forceBuildFromEnv}). */
  readonly forceBuild?: boolean | undefined;
  /** Daemon description for error messages. */
  readonly daemon?: string | undefined;
  /**
   * Proxies for every RUN step (install steps, downloads and clones included), in the ExecOp's `proxy_env`: the
   * daemon gives the process `HTTP_PROXY`/`http_proxy` & co; they stay out of the cache key and the image config.
   * A Dockerfile's proxy build args (`fromDockerfile(path, { buildArgs: { HTTP_PROXY } })`) win over these for its
   * steps. `false`: no proxies at all, not even a Dockerfile's (what {@link Image.digest} compiles).
   */
  readonly proxy?: BuildProxy | false | undefined;
}

/** An OCI layout directory the build session must serve (see {@link CompiledImage.ociLayouts}). */
export interface OciLayoutStore {
  /** The store id the definition names. */
  readonly storeId: string;
  /** The layout directory on this machine. */
  readonly path: string;
}

/** A local directory the build session must serve. */
export interface LocalDirectory {
  /** The name the definition uses (`local://<name>`): the path relative to the context, plus a filter hash. */
  readonly name: string;
  /** Absolute path on this machine. */
  readonly path: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** The wildcards of `include` must match something (see {@link LocalRef.requireMatch}). */
  readonly requireMatch?: boolean | undefined;
}

/** How a filesystem step was compiled. */
export interface PlanEntry {
  /** Progress name of the step. */
  readonly name: string;
  /**
   * `chain`: built on everything before it; `linked`: a file step built as its own layer, merged; `branch`: an
   * independent run step (`outputs`) built as its own branch, its outputs merged; `config`: no filesystem change.
   */
  readonly mode: 'chain' | 'linked' | 'branch' | 'config';
  /**
   * Why a file step was not linked, or why an independent run step runs after the independent steps directly
   * before it instead of beside them (empty otherwise).
   */
  readonly reason: string;
}

/** The result of {@link compileImage}. */
export interface CompiledImage {
  readonly state: State;
  readonly definition: Definition;
  /** The image config for the exporter (`containerimage.config`). */
  readonly config: ImageConfig;
  readonly locals: readonly LocalDirectory[];
  /** Build secret ids the session must serve. */
  readonly secrets: readonly string[];
  /** Those of {@link CompiledImage.secrets} some step cannot do without (not `optional` everywhere). */
  readonly requiredSecrets: readonly string[];
  /**
   * Build secrets the daemon's git sources read when the session has them (`GIT_AUTH_TOKEN`, `GIT_AUTH_HEADER`, for a
   * private repository over https); none is required.
   */
  readonly sourceSecrets: readonly string[];
  /** ssh-agent ids the steps use (the session must forward them). */
  readonly sshIds: readonly string[];
  /** Those of {@link CompiledImage.sshIds} some step cannot do without. */
  readonly requiredSshIds: readonly string[];
  readonly entitlements: readonly Entitlement[];
  /** Registry images whose configs the build uses (resolve them and pass them as `baseConfigs`). */
  readonly baseImages: readonly string[];
  /**
   * The image uses a named context given per platform (`contexts: { 'base::linux/arm64': … }`): `baseImages` are
   * this platform's only (compile for another platform for its); what the session serves covers every platform's.
   */
  readonly platformDependent: boolean;
  /**
   * OCI layout directories the build reads base images from (`Image.fromOciLayout`, `oci-layout://` contexts): the
   * session serves each, read-only, as the content store `oci:<storeId>` (`buildImage` does).
   */
  readonly ociLayouts: readonly OciLayoutStore[];
  /** Where each of `baseImages` was named (`fromRegistry`'s call, a Dockerfile's FROM), for a base that cannot be had. */
  readonly baseSources: ReadonlyMap<string, StepSource>;
  /** Credentials to pull private base images, by reference. */
  readonly registrySecrets: ReadonlyMap<string, RegistrySecret>;
  /** Steps that ask for a GPU. */
  readonly gpuSteps: readonly string[];
  /** How each step of the image (not of images it copies from) was compiled. */
  readonly plan: readonly PlanEntry[];
  /** Where each op's step was written, by op digest (ops of no step, such as a base image's, have none). */
  readonly sources: ReadonlyMap<string, StepSource>;
}

interface Proc {
  env: EnvPair[];
  dir: string;
  user: string;
  /** The base image's `Shell` (from a Dockerfile `SHELL`): shell-form steps run with it, as Docker's RUN does. */
  shell: readonly string[];
}

interface Stage {
  readonly state: State;
  readonly config: ImageConfig;
}

/** One member of a merge group: a file step's layer or an independent run step's outputs. */
interface Layer {
  /** What is merged: the file step's layer, or the diff that adds the run step's outputs. */
  readonly state: State;
  /** The paths the layer writes (overlap rule). */
  readonly dests: readonly string[];
  readonly name: string;
  readonly force: boolean;
  /** For an independent run step: its result and outputs, copied onto the image where there is no merge/diff. */
  readonly branch: BranchResult | undefined;
  /** For a file step: its copy, made straight onto the image where there is no merge op. */
  readonly copy: { readonly from: State; readonly src: string; readonly dest: string; readonly options: CopyOptions } | undefined;
}

/** An independent run step's result: its root, its outputs, and the image before it with the outputs copied on. */
interface BranchResult {
  readonly root: State;
  readonly outputs: readonly string[];
  readonly upper: State;
}

/** How a declared output is taken from an independent step's result (Dockerfile `COPY --from` semantics). */
const OUTPUT_COPY = { createDestPath: true, copyDirContentsOnly: true, followSymlinks: true } as const;

/** Run steps kiln generates whose writes are known (package managers), by origin. */
const INSTALLERS: ReadonlySet<string> = new Set(['aptInstall', 'aptRemove', ...PYTHON_INSTALLERS, 'withPython']);

const SPECIAL_DIRS = ['/tmp', '/var/tmp', '/root', '/home', '/run', '/var/run', '/dev', '/proc', '/sys'];

function envGet(env: readonly EnvPair[], name: string): string | undefined {
  return env.find((e) => e[0] === name)?.[1];
}

function envSet(env: EnvPair[], name: string, value: string): EnvPair[] {
  const i = env.findIndex((e) => e[0] === name);
  if (i === -1) return [...env, [name, value]];
  const out = [...env];
  out[i] = [name, value];
  return out;
}

function shortDigest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

function pinned(ref: string, digest: string | undefined): string {
  if (digest === undefined || digest === '' || ref.includes('@')) return ref;
  return `${ref}@${digest}`;
}

const BASE_CONFIGS_SHAPE = 'a Map from normalised image reference to its OCI image config or { config, digest }';
const IMAGE_CONFIG_SHAPE = '{ architecture: "amd64", os: "linux", config: { Env: ["KEY=value"], … } }';
const DIGEST_FORM = /^sha(?:256:[a-f0-9]{64}|384:[a-f0-9]{96}|512:[a-f0-9]{128})$/;

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !ArrayBuffer.isView(v);
}

/** The first field of an OCI image config (as {@link compileImage} reads it) with the wrong type, or undefined. */
function imageConfigProblem(v: Record<string, unknown>): string | undefined {
  const str = (obj: Record<string, unknown>, key: string, path: string): string | undefined =>
    obj[key] === undefined || typeof obj[key] === 'string' ? undefined : `${path} must be a string, got ${describeValue(obj[key])}`;
  const strings = (obj: Record<string, unknown>, key: string, path: string, example: string): string | undefined => {
    const x = obj[key];
    if (x === undefined) return undefined;
    if (!Array.isArray(x)) return `${path} must be an array of strings such as ${example}, got ${describeValue(x)}`;
    const i = x.findIndex((e) => typeof e !== 'string');
    return i === -1 ? undefined : `${path}[${i}] must be a string, got ${describeValue(x[i])}`;
  };
  const record = (obj: Record<string, unknown>, key: string, path: string, example: string): string | undefined =>
    obj[key] === undefined || isPlainRecord(obj[key]) ? undefined : `${path} must be an object such as ${example}, got ${describeValue(obj[key])}`;
  for (const key of ['architecture', 'os'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '') return `"${key}" must be a non-empty string such as ${key === 'os' ? '"linux"' : '"amd64"'}, got ${describeValue(v[key])}`;
  }
  const top =
    str(v, 'variant', '"variant"') ??
    str(v, 'created', '"created"') ??
    str(v, 'author', '"author"') ??
    (v['config'] === undefined || isPlainRecord(v['config']) ? undefined : `"config" (the runtime config) must be an object such as { Env: ["PATH=/usr/bin:/bin"] }, got ${describeValue(v['config'])}`);
  if (top !== undefined) return top;
  const history = v['history'];
  if (history !== undefined && !(Array.isArray(history) && history.every(isPlainRecord))) {
    return `"history" must be an array of objects such as { created_by: "RUN make" }, got ${describeValue(history)}`;
  }
  const rootfs = v['rootfs'];
  if (rootfs !== undefined && !(isPlainRecord(rootfs) && typeof rootfs['type'] === 'string' && Array.isArray(rootfs['diff_ids']) && rootfs['diff_ids'].every((d) => typeof d === 'string'))) {
    return `"rootfs" must be { type: "layers", diff_ids: ["sha256:…"] }, got ${describeValue(rootfs)}`;
  }
  const rc = v['config'];
  if (!isPlainRecord(rc)) return undefined;
  const env = strings(rc, 'Env', 'config.Env', '["PATH=/usr/bin:/bin"]');
  if (env !== undefined) return env;
  const labels = rc['Labels'];
  if (labels !== undefined && !(isPlainRecord(labels) && Object.values(labels).every((l) => typeof l === 'string'))) {
    return `config.Labels must be an object of strings such as { "org.opencontainers.image.source": "…" }, got ${describeValue(labels)}`;
  }
  return (
    str(rc, 'User', 'config.User') ??
    str(rc, 'WorkingDir', 'config.WorkingDir') ??
    str(rc, 'StopSignal', 'config.StopSignal') ??
    strings(rc, 'Entrypoint', 'config.Entrypoint', '["/bin/sh", "-c"]') ??
    strings(rc, 'Cmd', 'config.Cmd', '["python3"]') ??
    strings(rc, 'Shell', 'config.Shell', '["/bin/sh", "-c"]') ??
    strings(rc, 'OnBuild', 'config.OnBuild', '["RUN make"]') ??
    record(rc, 'ExposedPorts', 'config.ExposedPorts', '{ "80/tcp": {} }') ??
    record(rc, 'Volumes', 'config.Volumes', '{ "/data": {} }') ??
    record(rc, 'Healthcheck', 'config.Healthcheck', '{ Test: ["CMD", "true"] }')
  );
}

/**
 * `baseConfigs` from JavaScript callers: a Map from normalised reference to an OCI image config or
 * `{ config, digest }`, checked as deep as compiling reads it (a bad value would otherwise surface as a TypeError, or
 * a key that is not normalised would silently match no base image). Returns the map with a missing runtime config
 * read as `{}` (OCI makes `config` optional).
 */
function checkBaseConfigs(value: unknown): ReadonlyMap<string, ImageConfig | ResolvedBase> | undefined {
  if (value === undefined) return undefined;
  const bad: (message: string, hint: string) => never = (message, hint) => {
    throw new KilnError('invalid_argument', message, { hint });
  };
  if (!(value instanceof Map)) {
    bad(`compileImage options.baseConfigs must be ${BASE_CONFIGS_SHAPE}, got ${describeValue(value)}`, 'Build it with new Map([[ref, config]]), or leave it out to compile without base image configs.');
  }
  const out = new Map<string, ImageConfig | ResolvedBase>();
  for (const [ref, v] of value as Map<unknown, unknown>) {
    if (typeof ref !== 'string') {
      bad(`compileImage options.baseConfigs keys must be image references (strings), got ${describeValue(ref)}`, 'Key each config by the normalised reference of its base image, e.g. "docker.io/library/python:3.11-slim".');
    }
    const name = `compileImage options.baseConfigs[${describeValue(ref)}]`;
    let normalized: string | undefined;
    try {
      normalized = parseImageRef(ref).normalized;
    } catch (err) {
      bad(`${name}: the key is not a valid image reference (${err instanceof Error ? err.message : String(err)})`, 'Key each config by the normalised reference of its base image, e.g. "docker.io/library/python:3.11-slim".');
    }
    if (normalized !== ref) {
      bad(`${name}: the key must be the normalised reference ${describeValue(normalized)}; base images are looked up by that, so this entry would never be used`, `Use new Map([[${describeValue(normalized)}, config]]).`);
    }
    const entry = `${name} must be an OCI image config ${IMAGE_CONFIG_SHAPE} or { config: <OCI image config>, digest?: "sha256:…" }`;
    const hint = 'Pass the config the daemon resolved (gw.resolveImageConfig, parsed with JSON.parse), or leave the entry out.';
    if (!isPlainRecord(v)) bad(`${entry}, got ${describeValue(v)}`, hint);
    const record = v as Record<string, unknown>;
    // An entry with "architecture" is a config; otherwise { config, digest } (build-image's ResolvedBase).
    const resolved = !('architecture' in record) && isPlainRecord(record['config']) && 'architecture' in record['config'];
    const config = resolved ? (record['config'] as Record<string, unknown>) : record;
    if (!('architecture' in config)) bad(`${entry}, got an object without "architecture"`, hint);
    const problem = imageConfigProblem(config);
    if (problem !== undefined) bad(`${name}${resolved ? '.config' : ''}: ${problem}`, hint);
    const digest = resolved ? record['digest'] : undefined;
    if (digest !== undefined && digest !== '' && !(typeof digest === 'string' && DIGEST_FORM.test(digest))) {
      bad(`${name}.digest must be a manifest digest "sha256:<64 hex>", got ${describeValue(digest)}`, 'Pass the digest the daemon resolved, or leave it out to build from the tag.');
    }
    const full = (config['config'] === undefined ? { ...config, config: {} } : config) as unknown as ImageConfig;
    out.set(ref, resolved ? { config: full, ...(typeof digest === 'string' && digest !== '' ? { digest } : {}) } : full);
  }
  return out;
}

function describeValue(v: unknown): string {
  if (v instanceof Map) return 'a Map';
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return 'bytes';
  if (typeof v === 'object') return 'a plain object';
  if (typeof v === 'function') return 'a function';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function resolvedBase(v: ImageConfig | ResolvedBase | undefined): ResolvedBase | undefined {
  if (v === undefined) return undefined;
  return 'architecture' in v ? { config: v } : v;
}

class Compiler {
  readonly platform: Platform;
  readonly context: string;
  readonly caps: ReadonlySet<string> | undefined;
  readonly forceAll: boolean;
  readonly locals = new Map<string, { state: State; entry: LocalDirectory }>();
  readonly stages = new Map<Image, Stage>();
  readonly secrets = new Set<string>();
  readonly requiredSecrets = new Set<string>();
  readonly sourceSecrets = new Set<string>();
  readonly sshIds = new Set<string>();
  readonly requiredSshIds = new Set<string>();
  readonly entitlements = new Set<Entitlement>();
  readonly baseImages = new Set<string>();
  /** OCI layout directories the session serves, by store id. */
  readonly ociLayouts = new Map<string, string>();
  /** Where each base image was named (the first image naming it). */
  readonly baseSources = new Map<string, StepSource>();
  /** The step each vertex was made for (`null`: a base image's, no step's); the first step to reach one owns it. */
  readonly owners = new Map<Vertex, StepSource | null>();
  readonly registrySecrets = new Map<string, RegistrySecret>();
  readonly gpuSteps: string[] = [];
  plan: PlanEntry[] = [];
  /** A per-platform named context was met: the base images differ between platforms. */
  platformDependent = false;

  constructor(readonly options: CompileOptions) {
    this.platform = normalizePlatform(options.platform ?? 'linux/amd64', 'platform', compileImage);
    this.context = (options.context === undefined ? process.cwd() : resolveNative(options.context)).split('\\').join('/');
    const caps = options.caps;
    this.caps = caps === undefined ? undefined : caps instanceof Set ? caps : new Set(Array.isArray(caps) ? caps : Object.entries(caps).filter((e) => e[1]).map((e) => e[0]));
    this.forceAll = options.forceBuild ?? forceBuildFromEnv();
  }

  /**
   * An image on a per-platform named context: the steps on the build's platform's choice (else the fallback). The
   * other choices are compiled too, each for its platform, for what the session must serve for them (local
   * directories, OCI layouts, secrets): a build for several platforms serves every platform's from one session.
   */
  perPlatform(base: Extract<ImageSpec['base'], { kind: 'per-platform' }>, steps: readonly Step[], top: boolean): Stage {
    this.platformDependent = true;
    const here = formatPlatform(this.platform);
    const chosen = base.choices.get(here) ?? base.otherwise;
    const others: [string, Image][] = [...base.choices].filter(([p]) => p !== here);
    if (chosen !== base.otherwise) others.push([here, base.otherwise]);
    for (const [platform, other] of others) {
      const side = new Compiler({ ...this.options, platform });
      try {
        side.stage(withSteps(other, steps), top);
      } catch {
        // Needed only for a build for that platform, whose own compilation reports it.
        continue;
      }
      this.gatherNeeds(side);
    }
    return this.stage(withSteps(chosen, steps), top);
  }

  /** What another compilation's session must serve, added to this one's (never its base images: those are per platform). */
  gatherNeeds(other: Compiler): void {
    for (const [name, local] of other.locals) if (!this.locals.has(name)) this.locals.set(name, local);
    for (const [id, dir] of other.ociLayouts) this.ociLayouts.set(id, dir);
    for (const [ref, secret] of other.registrySecrets) if (!this.registrySecrets.has(ref)) this.registrySecrets.set(ref, secret);
    for (const id of other.secrets) this.secrets.add(id);
    for (const id of other.sourceSecrets) this.sourceSecrets.add(id);
    for (const id of other.sshIds) this.sshIds.add(id);
    for (const e of other.entitlements) this.entitlements.add(e);
  }

  capsKnown(): boolean {
    return this.caps !== undefined && this.caps.size > 0;
  }

  /** The directory a local path names, checked against the context. */
  localDir(root: string, what: string): { abs: string; rel: string } {
    const abs = resolveHostPath(this.context, root);
    const rel = contextRelative(this.context, abs);
    if (rel === undefined) {
      throw new KilnError('invalid_argument', `${what}: ${root} is outside the build context ${this.context}`, {
        hint: 'Build with a context that contains it (kiln build --context DIR, or the context option), or move it into the context.',
      });
    }
    return { abs, rel };
  }

  localState(ref: LocalRef, what: string): State {
    // A file named by another (a requirements file's `-r ../base.txt`) is named with the line that names it.
    const named = namedOutsideContext(ref, this.context);
    if (named !== undefined) {
      throw new KilnError('invalid_argument', `${what}: ${named}`, {
        hint: 'Build with a context that contains it (kiln build --context DIR, or the context option), or move the file into the context and name it from there.',
      });
    }
    const link = ref.followedLink;
    if (link !== undefined && contextRelative(this.context, resolveHostPath(this.context, ref.root)) === undefined) {
      throw new KilnError('invalid_argument', `${what}: ${link.link} is a symbolic link to ${link.target}, which is outside the build context ${this.context}`, {
        hint: 'A copy follows a link given as the source (COPY does too) and can only reach files in the context: build with a context that contains the target, or copy the target into the context.',
      });
    }
    const { abs, rel } = this.localDir(ref.root, what);
    const exclude = [...ref.exclude];
    for (const f of ref.ignoreFiles) {
      let patterns: string[] | undefined;
      try {
        patterns = ignoreFilePatterns(f, abs, this.context, ref.exclude);
      } catch (err) {
        // Which step's ignore file it is: the message says what the image copies.
        if (err instanceof KilnError) throw new KilnError(err.code, `${what}: ${err.message}`, { cause: err, details: err.details, ...(err.hint === undefined ? {} : { hint: err.hint }) });
        throw err;
      }
      if (patterns === undefined) throw new KilnError('not_found', `${what}: the ignore file ${f.path} does not exist`, { hint: 'Fix the path or drop the option.' });
      exclude.push(...patterns);
    }
    if (ref.condition !== undefined) exclude.push(...rejectedBy(ref.condition, abs, ref.root, what));
    const include = [...ref.include];
    const filtered = include.length > 0 || exclude.length > 0;
    const name = headerSafeName(filtered ? `${rel}@${shortDigest(JSON.stringify([include, exclude]))}` : rel);
    const known = this.locals.get(name);
    if (known !== undefined) {
      // The same files copied by a Dockerfile COPY and a Chutes add: the stricter check applies.
      if (ref.requireMatch === true && known.entry.requireMatch !== true) known.entry = { ...known.entry, requireMatch: true };
      return known.state;
    }
    const shown = rel === '.' ? 'build context' : rel;
    const state = localSource(name, {
      ...(include.length > 0 ? { include } : {}),
      ...(exclude.length > 0 ? { exclude } : {}),
      sharedKeyHint: name,
      customName: `load ${shown}${include.length > 0 ? ` (${include.join(', ')})` : ''}`,
    });
    this.locals.set(name, { state, entry: { name, path: abs, include, exclude, ...(ref.requireMatch === true ? { requireMatch: true } : {}) } });
    return state;
  }

  stage(img: Image, top: boolean): Stage {
    const known = this.stages.get(img);
    if (known !== undefined) return known;
    const spec = imageSpec(img);
    if (spec.base.kind === 'per-platform') {
      const built = this.perPlatform(spec.base, spec.steps, top);
      this.stages.set(img, built);
      return built;
    }
    let chain: State;
    let baseConfig: ImageConfig;
    let baseKey: string;
    if (spec.base.kind === 'scratch') {
      chain = scratch();
      baseConfig = {
        architecture: this.platform.architecture,
        os: this.platform.os,
        ...(this.platform.variant === undefined ? {} : { variant: this.platform.variant }),
        config: { Env: [`PATH=${DEFAULT_PATH}`] },
      };
      baseKey = 'scratch';
    } else if (spec.base.kind === 'oci-layout') {
      const base = spec.base;
      const shown = showOciLayout(base.dir, base);
      if (this.capsKnown() && this.caps?.has(Cap.sourceOciLayout) !== true) {
        throw new KilnError(
          'unsupported',
          `the base image is the OCI layout ${shown}, which needs LLB capability "${Cap.sourceOciLayout}" (BuildKit v0.11+); ${this.options.daemon ?? 'the daemon'} does not support it`,
          {
            hint: 'Load the layout into a registry (skopeo copy oci:DIR:TAG docker://REGISTRY/NAME:TAG) and build from it with Image.fromRegistry (a Dockerfile: docker-image://REF), or build on a daemon with BuildKit v0.11+ (Docker 23+).',
            details: { cap: Cap.sourceOciLayout, layout: shown },
          },
        );
      }
      const resolved = resolveOciLayout(base.dir, base, base.platform ?? this.platform);
      this.ociLayouts.set(resolved.storeId, resolved.dir);
      chain = ociLayoutSource(`kiln.local/oci-layout/${resolved.storeId}@${resolved.manifestDigest}`, {
        storeId: resolved.storeId,
        customName: `load oci-layout://${shown}`,
        ...(base.platform === undefined ? {} : { platform: base.platform }),
      });
      baseConfig = resolved.config;
      baseKey = `oci-layout://${resolved.dir}@${resolved.manifestDigest}`;
    } else {
      const ref = spec.base.ref;
      // A bare image that is only copied or mounted from needs no config; anything that runs on it does.
      if (top || spec.steps.length > 0) this.baseImages.add(ref);
      if (spec.base.source !== undefined && !this.baseSources.has(ref)) this.baseSources.set(ref, spec.base.source);
      if (spec.base.secret !== undefined) this.registrySecrets.set(ref, spec.base.secret);
      const resolved = resolvedBase(this.options.baseConfigs?.get(ref));
      chain = imageSource(pinned(ref, resolved?.digest), { customName: `load ${ref}` });
      baseConfig = resolved?.config ?? {
        architecture: this.platform.architecture,
        os: this.platform.os,
        ...(this.platform.variant === undefined ? {} : { variant: this.platform.variant }),
        config: {},
      };
      baseKey = ref;
    }
    this.claim(chain, null);
    const rc = baseConfig.config;
    if (spec.base.kind !== 'scratch' && spec.base.dockerfileFrom === true && (rc.OnBuild?.length ?? 0) > 0) {
      // Silently leaving them out would build a different image from the same Dockerfile (fromRegistry and
      // fromOciLayout run no triggers: they are no FROM).
      const layout = spec.base.kind === 'oci-layout' ? `oci-layout://${showOciLayout(spec.base.dir, spec.base)}` : undefined;
      const baseImage = layout ?? (spec.base.kind === 'registry' ? spec.base.ref : '');
      throw new KilnError('unsupported', `the base image ${layout === undefined ? baseImage : `of the context ${layout}`} has ONBUILD triggers (${(rc.OnBuild ?? []).join('; ')}), which docker build runs after FROM and kiln does not`, {
        hint:
          layout === undefined
            ? 'Write the triggers\' instructions into the Dockerfile right after FROM (and build FROM an image without them), or build this Dockerfile with docker build.'
            : 'Write the triggers\' instructions into the Dockerfile right after FROM (and give a layout of an image without them), or build this Dockerfile with docker buildx build --build-context NAME=oci-layout://….',
        details: { baseImage },
      });
    }
    const proc: Proc = { env: envEntries(rc.Env), dir: rc.WorkingDir ?? '/', user: rc.User ?? '', shell: rc.Shell !== undefined && rc.Shell.length > 0 ? rc.Shell : ['/bin/sh', '-c'] };
    const runtime: { -readonly [K in keyof ImageRuntimeConfig]: ImageRuntimeConfig[K] } = { ...rc };
    let author = baseConfig.author;
    const history: ImageHistoryEntry[] = [...(baseConfig.history ?? [])];
    let cascade = false;
    let group: Layer[] = [];
    const runTexts: string[] = [];
    const runDirs = new Set<string>();
    const owned = new Set<string>();
    const plan: PlanEntry[] = [];
    const branches: ReadonlyMap<Step, BranchPlacement> = placeBranches(spec.steps);

    const flush = (): void => {
      if (group.length === 0) return;
      const members = group;
      group = [];
      const ignoreCache = members.some((l) => l.force);
      const created = (l: Layer): string => (l.branch === undefined ? l.name : `RUN ${l.name}`);
      const only = members.length === 1 ? members[0]?.branch : undefined;
      if (only !== undefined) {
        // One independent step alone: its outputs copied onto the image it ran on is all there is to it.
        chain = only.upper;
        history.push({ created_by: created(members[0] as Layer), comment: 'kiln' });
        return;
      }
      const merging = !this.capsKnown() || this.caps?.has('mergeop') === true;
      // Copied straight onto the image, in step order, by one file op: everything without merge ops; the outputs
      // of independent steps without diff ops.
      const copied = merging ? (this.diffs() ? [] : members.filter((l) => l.branch !== undefined)) : members;
      if (copied.length > 0) {
        let actions: FileActions | undefined;
        const add = (from: State, src: string, dest: string, options: CopyOptions): void => {
          actions = actions === undefined ? copyAction(from, src, dest, options) : actions.copy(from, src, dest, options);
        };
        for (const l of copied) {
          if (l.branch !== undefined) for (const out of l.branch.outputs) add(l.branch.root, out, out, OUTPUT_COPY);
          else if (l.copy !== undefined) add(l.copy.from, l.copy.src, l.copy.dest, l.copy.options);
        }
        const runs = copied.filter((l) => l.branch !== undefined);
        const name = [
          ...(runs.length === 0 ? [] : [`copy the outputs of ${runs.length} independent step${runs.length === 1 ? '' : 's'}: ${runs.flatMap((l) => l.dests).join(', ')}`]),
          ...copied.filter((l) => l.branch === undefined).map((l) => l.name),
        ].join('; ');
        chain = chain.file(actions as FileActions, { customName: name, ignoreCache });
        history.push({ created_by: copied.map(created).join('; '), comment: 'kiln' });
      }
      const layers = members.filter((l) => !copied.includes(l));
      if (layers.length === 0) return;
      chain = merge([chain, ...layers.map((l) => l.state)], { customName: `merge ${layers.length} layer${layers.length === 1 ? '' : 's'}: ${layers.map((l) => l.name).join('; ')}`, ignoreCache });
      for (const l of layers) history.push({ created_by: created(l), comment: 'kiln' });
    };
    const forced = (f: 'none' | 'step' | 'cascade'): boolean => {
      if (f === 'cascade') cascade = true;
      return cascade || f === 'step';
    };

    for (const declared of spec.steps) {
      // Dockerfile values that refer to the image's environment (the base image's, an earlier stage's) get it now.
      refuseDefaulted(declared, proc.env, this.platform);
      const step = withVarsExpanded(declared, proc.env, this.platform);
      if (isConfigStep(step)) {
        switch (step.kind) {
          case 'env': {
            // setEnvVars sees the variables set before it in the same call; a Dockerfile ENV, like Docker, only those
            // from before the instruction (`ENV A=1 B=$A` gives B the earlier A).
            const before = proc.env;
            for (const c of step.changes) {
              const env = c.mode === 'dockerfile' ? before : proc.env;
              const lookup = (n: string): string | undefined => envGet(env, n) ?? (c.mode === 'dockerfile' ? platformArg(n, this.platform) : undefined);
              let value = c.value;
              if (c.mode === 'expand') value = expandVariables(c.value, lookup, 'keep');
              else if (c.mode === 'dockerfile') {
                try {
                  value = expandVariables(c.value, lookup, 'empty');
                } catch (err) {
                  // `${NAME?message}` with NAME unset in the environment the base image gives.
                  if (!(err instanceof SubstitutionError)) throw err;
                  throw new KilnError('invalid_argument', `env ${c.name}=${c.value}: ${err.message}`, {
                    hint: 'Set the variable before this step (env(), ENV, a build arg), or give the reference a default: ${NAME:-default}.',
                  });
                }
              }
              else if (c.mode === 'prepend-path') {
                const cur = lookup(c.name);
                value = cur === undefined || cur === '' ? c.value : cur.split(':').includes(c.value) ? cur : `${c.value}:${cur}`;
              }
              proc.env = envSet(proc.env, c.name, value);
            }
            history.push({ created_by: `ENV ${step.changes.map((c) => `${c.name}=${envGet(proc.env, c.name) ?? ''}`).join(' ')}`, comment: 'kiln', empty_layer: true });
            break;
          }
          case 'workdir': {
            const dir = posix.resolve(proc.dir, step.path);
            proc.dir = dir;
            runtime.WorkingDir = dir;
            if (dir !== '/') {
              flush();
              const owner = isRootUser(proc.user) ? undefined : proc.user;
              chain = chain.mkdir(dir, { parents: true, ...(owner === undefined ? {} : { owner }), customName: `WORKDIR ${dir}`, ignoreCache: cascade });
              this.claim(chain, declared.source);
              if (owner !== undefined) for (const p of [dir, ...ancestors(dir)]) owned.add(p);
              history.push({ created_by: `WORKDIR ${dir}`, comment: 'kiln' });
              plan.push({ name: `WORKDIR ${dir}`, mode: 'chain', reason: '' });
            } else {
              history.push({ created_by: `WORKDIR ${dir}`, comment: 'kiln', empty_layer: true });
            }
            break;
          }
          case 'user':
            proc.user = step.user;
            runtime.User = step.user;
            history.push({ created_by: `USER ${step.user}`, comment: 'kiln', empty_layer: true });
            break;
          case 'entrypoint':
            runtime.Entrypoint = step.args;
            if (!cmdSetBy(spec.steps, declared)) delete runtime.Cmd;
            history.push({ created_by: `ENTRYPOINT ${JSON.stringify(step.args)}`, comment: 'kiln', empty_layer: true });
            break;
          case 'cmd':
            runtime.Cmd = step.args;
            history.push({ created_by: `CMD ${JSON.stringify(step.args)}`, comment: 'kiln', empty_layer: true });
            break;
          case 'labels':
            runtime.Labels = { ...(runtime.Labels ?? {}), ...Object.fromEntries(step.labels) };
            history.push({ created_by: `LABEL ${step.labels.map(([k, val]) => `${k}=${val}`).join(' ')}`, comment: 'kiln', empty_layer: true });
            break;
          case 'expose':
            runtime.ExposedPorts = { ...(runtime.ExposedPorts ?? {}), ...Object.fromEntries(step.ports.map((p) => [p, {}])) };
            history.push({ created_by: `EXPOSE ${step.ports.join(' ')}`, comment: 'kiln', empty_layer: true });
            break;
          case 'shell':
            proc.shell = step.shell;
            runtime.Shell = step.shell;
            history.push({ created_by: `SHELL ${JSON.stringify(step.shell)}`, comment: 'kiln', empty_layer: true });
            break;
          case 'author':
            author = step.author;
            history.push({ created_by: `MAINTAINER ${step.author}`, comment: 'kiln', empty_layer: true });
            break;
          case 'force':
            cascade = true;
            break;
          case 'stage':
          case 'platform-args':
            break;
          case 'runtime':
            Object.assign(runtime, step.set, step.set.Volumes === undefined ? {} : { Volumes: { ...(runtime.Volumes ?? {}), ...step.set.Volumes } });
            history.push({ created_by: step.instruction, comment: 'kiln', empty_layer: true });
            break;
        }
        if (step.kind !== 'workdir' && step.kind !== 'force' && step.kind !== 'stage' && step.kind !== 'platform-args') plan.push({ name: step.kind, mode: 'config', reason: '' });
        continue;
      }
      if (step.kind === 'run') {
        const cwd = step.cwd === undefined ? proc.dir : posix.resolve(proc.dir, step.cwd);
        const placement = branches.get(step);
        if (placement === undefined) {
          flush();
          chain = this.run(chain, step, proc, baseKey, forced(step.force));
          this.claim(chain, declared.source);
          history.push({ created_by: `RUN ${step.name}`, comment: 'kiln' });
          plan.push({ name: step.name, mode: 'chain', reason: '' });
        } else {
          // An independent step runs on the image before its group; only its outputs are laid on.
          if (!placement.joins || group.some((l) => l.branch === undefined)) flush();
          const layer = this.branch(chain, step, proc, baseKey, forced(step.force));
          for (const st of [layer.state, layer.branch?.root, layer.branch?.upper]) if (st !== undefined) this.claim(st, declared.source);
          group.push(layer);
          plan.push({ name: step.name, mode: 'branch', reason: placement.reason });
        }
        runTexts.push(commandText(step));
        // kiln's installers never write relative to their working directory; user commands may.
        if (cwd !== '/' && !INSTALLERS.has(step.origin)) runDirs.add(cwd);
        continue;
      }
      // A file step.
      let src =
        step.from.kind === 'local'
          ? this.localState(step.from.local, step.name)
          : step.from.kind === 'http'
            ? httpSource(step.from.url, { filename: step.from.path.slice(1), ...(step.from.checksum === undefined ? {} : { checksum: step.from.checksum }) })
            : step.from.kind === 'git'
              ? this.gitState(step.from)
              : this.stage(step.from.image, false).state;
      if (step.from.kind === 'local' && step.from.matchIn !== undefined) {
        src = src.mkdir(step.from.matchIn, { parents: true, customName: `${step.name}: the directory ${step.from.matchIn} the pattern is matched in` });
      }
      this.claim(src, declared.source);
      const into = step.dest.endsWith('/') || step.dest === '.' || step.dest.endsWith('/.');
      let dest = posix.resolve(proc.dir, step.dest);
      const destDir = dest;
      if (into && dest !== '/') dest += '/';
      const copyOpts: CopyOptions = {
        createDestPath: true,
        copyDirContentsOnly: step.contents,
        followSymlinks: true,
        ...(step.owner === undefined ? {} : { owner: step.owner }),
        ...(step.mode === undefined ? {} : { mode: step.mode }),
        ...(step.wildcard ? { allowWildcard: true, allowEmptyWildcard: true } : {}),
        ...(step.unpack ? { attemptUnpack: true } : {}),
      };
      const opts = { ...copyOpts, customName: step.name };
      const force = forced(step.force);
      const reason = this.linkVeto(step, destDir, into || step.contents, proc, runTexts, runDirs, owned);
      // The path the step writes: one file inside `dest` for a single file copied into a directory, else `dest`.
      const written = into && !step.contents && !step.wildcard ? posix.join(destDir, posix.basename(step.from.path)) : destDir;
      if (reason === '') {
        if (group.some((l) => l.dests.some((d) => overlaps(d, written)))) flush();
        const linked = scratch().copy(src, step.from.path, dest, { ...opts, ignoreCache: force });
        this.claim(linked, declared.source);
        group.push({
          state: linked,
          dests: [written],
          name: step.name,
          force,
          branch: undefined,
          copy: { from: src, src: step.from.path, dest, options: copyOpts },
        });
        plan.push({ name: step.name, mode: 'linked', reason: '' });
      } else {
        flush();
        chain = chain.copy(src, step.from.path, dest, { ...opts, ignoreCache: force });
        this.claim(chain, declared.source);
        history.push({ created_by: step.name, comment: 'kiln' });
        plan.push({ name: step.name, mode: 'chain', reason });
      }
      if (step.owner !== undefined) for (const p of [destDir, ...ancestors(destDir)]) owned.add(p);
    }
    flush();

    runtime.Env = proc.env.map(([k, val]) => `${k}=${val}`);
    if (runtime.WorkingDir === undefined && proc.dir !== '/') runtime.WorkingDir = proc.dir;
    const config: ImageConfig = {
      architecture: baseConfig.architecture,
      os: baseConfig.os,
      ...(baseConfig.variant === undefined ? {} : { variant: baseConfig.variant }),
      ...(author === undefined ? {} : { author }),
      config: runtime,
      history,
    };
    if (top) this.plan = plan;
    const stage: Stage = { state: chain, config };
    this.stages.set(img, stage);
    return stage;
  }

  /** Gives the vertices of `state` no step owns yet to the step written at `source`. */
  claim(state: State, source: StepSource | null | undefined): void {
    const out = stateData(state).out;
    if (out === null) return;
    const todo: Vertex[] = [out.vertex];
    for (let v = todo.pop(); v !== undefined; v = todo.pop()) {
      if (this.owners.has(v)) continue;
      this.owners.set(v, source ?? null);
      for (const input of v.inputs) todo.push(input.vertex);
    }
  }

  /**
   * The daemon's clone of a git copy source. Over https it reads the session's `GIT_AUTH_TOKEN` / `GIT_AUTH_HEADER`
   * secrets (or those scoped to its host, `GIT_AUTH_TOKEN.<host>`) when given (a public repository needs neither); over ssh it needs the `default` ssh agent, as BuildKit's
   * Dockerfile frontend's `ADD git@…` does.
   */
  gitState(from: { readonly remote: string; readonly ref: string; readonly keepGitDir: boolean }): State {
    const state = gitSource(from.remote, from.ref, from.keepGitDir ? { keepGitDir: true } : {});
    const remote = parseGitRemote(from.remote);
    if (remote.ssh) {
      this.sshIds.add('default');
      this.requiredSshIds.add('default');
    } else {
      // The daemon asks for the secret scoped to the repository's host first (`GIT_AUTH_TOKEN.github.com`, how a
      // token is kept from every other host the build clones from), then the unscoped one.
      const host = gitRemoteHost(remote.fullUrl);
      for (const name of ['GIT_AUTH_TOKEN', 'GIT_AUTH_HEADER']) {
        if (host !== '') this.sourceSecrets.add(`${name}.${host}`);
        this.sourceSecrets.add(name);
      }
    }
    return state;
  }

  /** Why a file step must be copied onto the image instead of linked ('' = it can be linked). */
  linkVeto(step: CopyStep, dest: string, destIsDir: boolean, proc: Proc, runTexts: readonly string[], runDirs: ReadonlySet<string>, owned: ReadonlySet<string>): string {
    if (step.link === false) return 'link: false';
    if (step.link === true) return '';
    if (step.owner !== undefined) return 'it sets an owner';
    if (!isRootUser(proc.user)) return `the build user is ${proc.user}`;
    const dirs = [...(destIsDir ? [dest] : []), ...ancestors(dest)].filter((d) => d !== '/');
    for (const d of dirs) {
      if (SPECIAL_DIRS.some((s) => d === s || d.startsWith(`${s}/`))) return `it writes into ${SPECIAL_DIRS.find((s) => d === s || d.startsWith(`${s}/`))}, a system directory with its own permissions`;
      if (owned.has(d)) return `${d} was given an owner by an earlier step`;
      if (runDirs.has(d)) return `${d} was the working directory of an earlier command`;
      if (runTexts.some((t) => mentions(t, d))) return `an earlier command mentions ${d}`;
    }
    return '';
  }

  /** Whether independent run steps are merged as diffs (offline, or the daemon has `mergeop` and `diffop`). */
  diffs(): boolean {
    return !this.capsKnown() || (this.caps?.has('mergeop') === true && this.caps.has('diffop'));
  }

  /** An independent run step on `lower`: its own branch, and the layer that adds its outputs to `lower`. */
  branch(lower: State, step: RunStep, proc: Proc, baseKey: string, force: boolean): Layer {
    const root = this.run(lower, step, proc, baseKey, force);
    let actions: FileActions | undefined;
    for (const out of step.outputs) actions = actions === undefined ? copyAction(root, out, out, OUTPUT_COPY) : actions.copy(root, out, out, OUTPUT_COPY);
    const upper = lower.file(actions as FileActions, { customName: `keep ${step.outputs.join(', ')} from "${step.name}"`, ignoreCache: force });
    // Without diff ops the layer is never used: flush copies the outputs from `root` instead.
    const state = this.diffs() ? diff(lower, upper, { customName: `outputs of "${step.name}"`, ignoreCache: force }) : scratch();
    return { state, dests: step.outputs, name: step.name, force, branch: { root, outputs: step.outputs, upper }, copy: undefined };
  }

  run(chain: State, step: RunStep, proc: Proc, baseKey: string, ignoreCache: boolean): State {
    if (step.gpu !== undefined) {
      this.gpuSteps.push(step.name);
      if (this.capsKnown()) {
        const has = this.caps?.has(CDI_CAP) === true;
        throw new KilnError(
          'unsupported',
          has
            ? `step "${step.name}" asks for a GPU (${step.gpu.spec}) during the build; ${this.options.daemon ?? 'the daemon'} supports devices (${CDI_CAP}) but kiln cannot request them yet`
            : `step "${step.name}" asks for a GPU (${step.gpu.spec}) during the build, which needs LLB capability "${CDI_CAP}" (BuildKit v0.20+ with CDI devices configured); ${this.options.daemon ?? 'the daemon'} does not support it`,
          {
            hint: has
              ? 'Drop the gpu option from this step: kiln cannot ask for devices yet.'
              : 'Build on a BuildKit daemon with GPU devices (CDI), or drop the gpu option from this step.',
            details: { cap: CDI_CAP, step: step.name, gpu: step.gpu.spec },
          },
        );
      }
    }
    const mounts: MountSpec[] = step.mounts.map((given) => {
      // (A Dockerfile mount's relative target is inside the working directory.)
      const m = posix.isAbsolute(given.target) ? given : { ...given, target: posix.resolve(proc.dir, given.target) };
      if (m.target === '/') invalidArgument(`step "${step.name}": a mount cannot have / as its target (${given.target} in the working directory ${proc.dir})`, compileImage);
      switch (m.type) {
        case 'cache': {
          const id = m.perBase ? `${m.id}:${baseKey}` : m.id;
          // A new cache starts as the seed's directory, or as a directory with the asked owner and mode (as Docker's
          // Dockerfile frontend does it: a seed's own path wins over an owner).
          const seed = m.seed === undefined ? undefined : { state: this.stage(m.seed.image, false).state, path: m.seed.source };
          if (seed !== undefined && seed.path !== '/') return { type: 'cache', dest: m.target, id, sharing: m.sharing, source: seed.state, sourcePath: seed.path };
          if (m.owner !== undefined) {
            const { uid = 0, gid = 0, mode = 0o755 } = m.owner;
            const dir = (seed?.state ?? scratch()).mkdir('/cache', { mode, owner: { uid, gid }, customName: `cache mount ${m.target}: owner ${uid}:${gid}, mode ${mode.toString(8).padStart(4, '0')}` });
            return { type: 'cache', dest: m.target, id, sharing: m.sharing, source: dir, sourcePath: '/cache' };
          }
          return { type: 'cache', dest: m.target, id, sharing: m.sharing, ...(seed === undefined ? {} : { source: seed.state }) };
        }
        case 'tmpfs':
          return { type: 'tmpfs', dest: m.target, ...(m.size === undefined ? {} : { size: m.size }) };
        case 'local':
          return {
            type: 'bind',
            dest: m.target,
            source: this.localState(m.local, step.name),
            ...(m.source === undefined || m.source === '/' ? {} : { sourcePath: m.source }),
            ...(m.writable ? { noOutput: true } : { readonly: true }),
          };
        case 'image':
          return {
            type: 'bind',
            dest: m.target,
            source: this.stage(m.image, false).state,
            readonly: true,
            ...(m.source === '/' ? {} : { sourcePath: m.source }),
          };
      }
    });
    const user = step.user === 'root' && isRootUser(proc.user) ? proc.user : (step.user ?? proc.user);
    const secrets: SecretSpec[] = step.secrets.map((s) => {
      this.secrets.add(s.id);
      if (!s.optional) this.requiredSecrets.add(s.id);
      return { id: s.id, path: s.path, ...(s.optional ? { optional: true } : {}), ...secretFileOwner(s, user) };
    });
    const ssh = step.ssh.map((s) => {
      this.sshIds.add(s.id);
      if (!s.optional) this.requiredSshIds.add(s.id);
      return { id: s.id, ...(s.target === undefined ? {} : { target: s.target }), ...(s.optional ? { optional: true } : {}), ...sshSocketOwner(s, user) };
    });
    const exports = step.secrets
      .filter((s) => s.env !== undefined)
      .map((s) => `${s.env}="$(cat ${shellQuote(s.path)}${s.optional ? ' 2>/dev/null || true' : ''})"`);
    let args: readonly string[];
    if (step.argv !== undefined) {
      args = exports.length === 0 ? step.argv : ['/bin/sh', '-c', `export ${exports.join(' ')}; exec "$@"`, 'sh', ...step.argv];
    } else {
      args = [...proc.shell, exports.length === 0 ? step.script : `export ${exports.join(' ')}; ${step.script}`];
    }
    if (step.network === 'host') this.entitlements.add('network.host');
    // A Dockerfile's proxy build args over the build's; none at all for `false` (what `image.digest()` compiles).
    const proxy = this.options.proxy === false ? undefined : mergeProxy(step.proxy, this.options.proxy);
    const env = [...proc.env];
    let merged = env;
    for (const [k, val] of step.env) merged = envSet(merged, k, val);
    // Dockerfile build args (the platform ones included) only where the image's environment does not set the name.
    const platformEnv = (step.platformArgs ?? []).map((k): EnvPair => [k, platformArg(k, this.platform) ?? '']);
    for (const [k, val] of [...(step.argEnv ?? []), ...platformEnv]) if (envGet(merged, k) === undefined) merged = envSet(merged, k, val);
    return chain
      .run(args, {
        env: merged,
        cwd: step.cwd === undefined ? proc.dir : posix.resolve(proc.dir, step.cwd),
        ...(user === '' ? {} : { user }),
        ...(mounts.length > 0 ? { mounts } : {}),
        ...(secrets.length > 0 ? { secrets } : {}),
        ...(ssh.length > 0 ? { ssh } : {}),
        ...(step.network === 'default' ? {} : { network: step.network === 'none' ? 'none' : 'host' }),
        ...(step.hosts.length === 0 ? {} : { extraHosts: step.hosts.map(([host, ip]) => ({ host, ip })) }),
        ...(isEmptyProxy(proxy) ? {} : { proxyEnv: proxy }),
        customName: step.name,
        ignoreCache,
      })
      .root();
  }
}

/** A path as an exclude pattern that matches only itself (pattern characters escaped). */
function literalPattern(rel: string): string {
  return rel.replace(/[\\*?[\]!]/g, (c) => `\\${c}`);
}

/**
 * The files under `abs` (not directories) that `condition` rejects, as exclude patterns in byte order. It sees each
 * file's path as the user named the directory (`root` joined with the path inside it).
 */
function rejectedBy(condition: (path: string) => boolean, abs: string, root: string, what: string): string[] {
  const rejected: string[] = [];
  const walk = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (cause) {
      throw new KilnError('not_found', `${what}: cannot list ${dir} to apply its condition: ${(cause as Error).message}`, { cause });
    }
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        walk(`${dir}/${e.name}`, childRel);
        continue;
      }
      const shown = root === '.' ? childRel : posix.join(root, childRel);
      let keep: boolean;
      try {
        keep = Boolean(condition(shown));
      } catch (cause) {
        throw new KilnError('invalid_argument', `${what}: its condition threw for ${shown}: ${(cause as Error).message}`, { cause, hint: 'Fix the condition function.' });
      }
      if (!keep) rejected.push(literalPattern(childRel));
    }
  };
  walk(abs, '');
  return rejected.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * The value of a Dockerfile platform arg (`TARGETARCH`, `BUILDPLATFORM`…) for a build compiled for `platform`: kiln
 * builds on and for one platform, so the BUILD* args equal the TARGET* ones. `undefined` for any other name.
 */
function platformArg(name: string, platform: Platform): string | undefined {
  const m = /^(TARGET|BUILD)(PLATFORM|OS|ARCH|VARIANT)$/.exec(name);
  if (m === null) return undefined;
  switch (m[2]) {
    case 'PLATFORM':
      return formatPlatform(platform);
    case 'OS':
      return platform.os;
    case 'ARCH':
      return platform.architecture;
    default:
      return platform.variant ?? '';
  }
}

/** Whether a `cmd` step of this image comes before `entrypoint` (then the entrypoint keeps it). */
function cmdSetBy(steps: readonly Step[], entry: Step): boolean {
  const i = steps.indexOf(entry);
  // A Dockerfile stage built FROM an earlier stage inherits that stage's CMD like a base image's.
  const stage = steps.slice(0, i).map((s) => s.kind).lastIndexOf('stage');
  return steps.slice(stage + 1, i).some((s) => s.kind === 'cmd');
}

/**
 * Refuses a Dockerfile context source read with a `${NAME:-default}` default when this image's environment (or the
 * build's platform) sets NAME: docker build takes the value, and kiln read the source before it knew it.
 */
function refuseDefaulted(step: Step, env: readonly EnvPair[], platform: Platform): void {
  if (step.kind !== 'copy' || step.defaulted === undefined) return;
  const d = step.defaulted;
  for (const { name, op, platform: fromPlatform } of d.names) {
    const value = fromPlatform ? platformArg(name, platform) : envGet(env, name);
    if (value === undefined || (op === ':-' && value === '')) continue;
    const by = fromPlatform ? "the build's platform sets" : "this image's environment (the base image, an earlier stage or an ENV) sets";
    invalidArgument(
      `Dockerfile line ${d.line} (${d.keyword}): the source ${JSON.stringify(d.source)} uses $${name}, which ${by} (to ${JSON.stringify(value)}); kiln reads a source in the build context when it reads the Dockerfile, before it knows that, and took the default, where docker build takes the value. Write the path out, or set ${name} with ARG or ENV in the Dockerfile`,
      compileImage,
    );
  }
}

/**
 * A step whose Dockerfile values still refer to the image's environment (`vars`), with them expanded against `env`
 * (unset names are empty, as in Docker) and checked as they would have been when read; any other step as it is.
 */
function withVarsExpanded(step: Step, env: readonly EnvPair[], platform: Platform): Step {
  if (!('vars' in step) || step.vars !== true) return step;
  const lookup = (n: string): string | undefined => envGet(env, n) ?? platformArg(n, platform);
  const x = (text: string): string => expandVariables(text, lookup, 'empty');
  const site = compileImage;
  switch (step.kind) {
    case 'workdir':
      return { ...step, path: v.destPath(x(step.path), `WORKDIR ${step.path}`, site), vars: false };
    case 'user':
      return { ...step, user: v.userSpec(x(step.user), `USER ${step.user}`, site), vars: false };
    case 'labels':
      return { ...step, labels: step.labels.map(([k, val]) => [x(k), x(val)] as const), vars: false };
    case 'expose':
      return { ...step, ports: step.ports.flatMap((p) => expandPortRange(x(p)).map((q) => v.port(q, `EXPOSE ${p}`, site))), vars: false };
    case 'copy': {
      // A source in another stage or image may use the environment too (`COPY --from=build $HOME/.local …`); a `*`
      // the expanded path has is a wildcard, as in Docker.
      const from = step.from.kind === 'image' ? { ...step.from, path: posix.join('/', x(step.from.path)) } : step.from;
      return {
        ...step,
        from,
        wildcard: step.wildcard || (step.from.kind === 'image' && /[*?[]/.test(from.path)),
        dest: v.destPath(x(step.dest), `${step.name} destination`, site) + (step.dest.endsWith('/') && !x(step.dest).endsWith('/') ? '/' : ''),
        owner: step.owner === undefined ? undefined : v.userSpec(x(step.owner), `${step.name} --chown`, site),
        vars: false,
      };
    }
    case 'run':
      return {
        ...step,
        mounts: step.mounts.map((m): RunMount => {
          const target = x(m.target);
          if (target === '') invalidArgument(`step "${step.name}": the mount target ${m.target} is empty in this image's environment`, site);
          switch (m.type) {
            case 'cache':
              return { ...m, target, id: x(m.id), ...(m.seed === undefined ? {} : { seed: { ...m.seed, source: posix.join('/', x(m.seed.source)) } }) };
            case 'image':
              return { ...m, target, source: posix.join('/', x(m.source)) };
            default:
              return { ...m, target };
          }
        }),
        vars: false,
      };
    default:
      return step;
  }
}

/**
 * Compiles an image: the LLB state and definition, the final image config, and what the build session must
 * provide.
 *
 * @example
 * const { definition, config, locals } = compileImage(image, { caps: gw.llbCaps, baseConfigs });
 */
export function compileImage(img: Image, options: CompileOptions = {}): CompiledImage {
  if (!(img instanceof Image)) throw new KilnError('invalid_argument', 'compileImage needs an Image');
  const given: unknown = options;
  if (!isPlainRecord(given)) throw new KilnError('invalid_argument', `compileImage options must be an object such as { platform: "linux/amd64" }, got ${describeValue(given)}`);
  const baseConfigs = checkBaseConfigs(options.baseConfigs);
  const c = new Compiler(baseConfigs === undefined ? options : { ...options, baseConfigs });
  const stage = c.stage(img, true);
  const sources = new Map<string, StepSource>();
  const definition = marshalState(stage.state, {
    platform: c.platform,
    ...(options.caps === undefined ? {} : { caps: options.caps }),
    ...(options.daemon === undefined ? {} : { daemon: options.daemon }),
    ignoreCache: c.forceAll,
    localUniqueId: options.localUniqueId ?? 'kiln',
  }, marshal, (v, digest) => {
    const source = c.owners.get(v);
    if (source !== undefined && source !== null && !sources.has(digest)) sources.set(digest, source);
  });
  return {
    state: stage.state,
    definition,
    config: stage.config,
    locals: [...c.locals.values()].map((l) => l.entry),
    secrets: [...c.secrets],
    requiredSecrets: [...c.requiredSecrets],
    sourceSecrets: [...c.sourceSecrets],
    sshIds: [...c.sshIds],
    requiredSshIds: [...c.requiredSshIds],
    entitlements: [...c.entitlements],
    baseImages: [...c.baseImages],
    platformDependent: c.platformDependent,
    ociLayouts: [...c.ociLayouts].map(([storeId, path]) => ({ storeId, path })),
    baseSources: c.baseSources,
    registrySecrets: c.registrySecrets,
    gpuSteps: c.gpuSteps,
    plan: c.plan,
    sources,
  };
}
