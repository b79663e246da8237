/**
 * `buildImage`: builds an `Image` on a BuildKit daemon through the gateway. It resolves the config of every base
 * image the build uses (`gw.resolveImageConfig`, so registry mirrors and credentials apply), compiles with the
 * daemon's LLB caps and those configs, solves, and hands the final image config to the exporter.
 */
import { createHash, randomBytes } from 'node:crypto';
import { statSync, type Stats } from 'node:fs';
import { join, relative, resolve as resolvePath } from 'node:path';
import type { BuildOutcome, CacheEntry, Entitlement, ExporterSpec, Gateway, GatewayRef } from '../client/build.js';
import type { FailedStep } from '../client/failed-step-types.js';
import { stepFailureHandler } from './step-failure-hook.js';
import type { Client, DaemonInfo, WorkerInfo } from '../client/client.js';
import { type DockerEndpoint, dockerEndpointFromEnv } from '../client/docker-api.js';
import { type ExportPlan, type ExportResult, normaliseName, planExport } from '../client/export-plan.js';
import { type OutputSpec, parseOutputSpec } from '../client/output-spec.js';
import { checkRewriteTimestampEpoch } from '../client/rewrite-timestamp.js';
import { dockerImageId, holdImageNames } from '../client/docker-names.js';
import { KilnError, invalidArgument } from '../errors.js';
import { linkSignals } from '../abort-fanout.js';
import { type SourcedDefinition, localStepSource, remapSources, withFailedStepSource, withStepSource } from './failed-step-source.js';
import { type Definition, type Platform, type PlatformInput, decodeDefinition, formatPlatform, normalizePlatform, parseImageRef } from '../llb/index.js';
import type { StatusEvent } from '../progress/events.js';
import { buildkitRange } from '../client/buildkit-range.js';
import { progressNote } from '../client/progress-note.js';
import { AuthService, FileSyncService, SecretsService, SSHService } from '../proto/services.js';
import { authService, credentialsGiven, type RegistryAuth } from '../session/auth-service.js';
import { fileSyncService } from '../session/file-sync-service.js';
import { literalOfPattern } from '../session/ignore-patterns.js';
import type { SecretSource } from '../session/secret-sources.js';
import { secretsService } from '../session/secrets-service.js';
import { type SshAgentConfig, checkSshAgentsReachable, parseSshSpec, sshKeyFileWarnings, sshService, sshSpecId } from '../session/ssh-service.js';
import { parseSecretSpec } from '../session/secret-sources.js';
import type { SessionService } from '../session/session-server.js';
import { type BuildProxy } from './build-proxy.js';
import { type CompiledImage, type LocalDirectory, type OciLayoutStore, type ResolvedBase, compileImage, forceBuildFromEnv } from './compile.js';
import { Image } from './image.js';
import { shortRef } from './step-builders.js';
import { ImageLock } from './lock-file.js';
import { type ImageConfig, parseImageConfig, serializeImageConfig, withCreationTime } from './oci-config.js';
import { contextSkipNotes } from './context-skip-notes.js';
import { describeMisspelling, listingOnce, spellingOnDisk } from './disk-spelling.js';
import { wildcardMatchesSomething } from './wildcard-match.js';
import { parseSourceDateEpoch, withNamePrefix, withSourceDateEpoch } from '../llb/rewrite.js';
import type { RegistrySecret } from './steps.js';
import { asksForAttestations, attestationFrontendAttrs, checkAttestations, validateAttestations, type Attestations } from '../client/attestations.js';

/** What the session has to provide for an image, handed to a `sessionServices` factory. */
export interface SessionNeeds {
  /** Local directories the definition reads (serve them with a FileSync service). */
  readonly locals: readonly LocalDirectory[];
  /** Build secret ids the steps read. */
  readonly secrets: readonly string[];
  /** ssh-agent ids the steps use (serve them with an SSH service). */
  readonly ssh: readonly string[];
  /** Registry credentials of private base images, by image reference. */
  readonly registrySecrets: ReadonlyMap<string, RegistrySecret>;
}

/**
 * Options of {@link buildImage}. `output` and `exporter` are not given together, nor `platform` and `platforms`: a
 * literal with both does not type-check (and is refused at run time).
 */
export type BuildImageOptions = BuildImageCommonOptions & BuildImageDestination & BuildImagePlatforms;

/** Where a {@link buildImage} result goes: `output` or `exporter` (or neither), not both. */
export type BuildImageDestination =
  | {
    /**
     * Where the result goes, in the form `kiln build --output` takes (`'type=local,dest=out'`,
     * `'type=image,name=registry/app:1,push=true'`, `'type=docker,dest=app.tar'`, …) or as an {@link OutputSpec}.
     * kiln picks the exporter the daemon offers, completes the export after the build (the push from dockerd, the load
     * into Docker, files landing at `dest`) and removes anything half-written when the build fails or is cancelled.
     * What happened is in {@link BuiltImage.exported}. Not together with `exporter`; `tags` name the image when the
     * output gives no names.
     */
    readonly output?: OutputSpec | string | undefined;
    /** Not together with `output` (which plans the exporter itself). */
    readonly exporter?: undefined;
    }
  | {
    /**
     * Where the result goes. Default: with `tags` (or an image identity), into Docker under those names — on dockerd
     * its own store (`moby` exporter), from a standalone buildkitd a docker tarball streamed into the Docker API's image
     * load of {@link BuildImageCommonOptions.docker}; without names nothing is exported. To push from a standalone
     * buildkitd pass `{ type: 'image', attrs: { name, push: 'true' } }`.
     */
    readonly exporter?: ExporterSpec | undefined;
    /** Not together with `exporter`. */
    readonly output?: undefined;
    };

/** What a {@link buildImage} builds for: `platform` or `platforms` (or neither), not both. */
export type BuildImagePlatforms =
  | {
    /** Platform to build for (default: the daemon's first worker platform). */
    readonly platform?: PlatformInput | undefined;
    /** Not together with `platform` (it may hold one platform). */
    readonly platforms?: undefined;
    }
  | {
    /**
     * Platforms to build one multi-platform image for (`['linux/amd64', 'linux/arm64']`): the image is compiled for
     * each (every base resolved for that platform, and pinned per platform by the lock), the platforms are built in
     * parallel, and the exporter gets one image per platform — an image index when pushed or written as an OCI
     * layout, one directory per platform (`linux_arm64/`) for `type=local` and `type=tar`; loaded into (and pushed
     * from) a dockerd with the containerd image store, one image holding every platform. dockerd's classic image store
     * and the docker tarball hold one platform per image: those outputs are refused. Not together with `platform`.
     */
    readonly platforms?: readonly PlatformInput[] | undefined;
    /** Not together with `platforms`. */
    readonly platform?: undefined;
    };

/** The options of {@link buildImage} other than its destination and platforms. */
export interface BuildImageCommonOptions {
  /**
   * The Docker daemon tagged images are loaded into when the build runs on a standalone buildkitd (default:
   * `DOCKER_HOST`, else `/var/run/docker.sock`). Builds on dockerd land in that dockerd.
   */
  readonly docker?: DockerEndpoint | undefined;
  /** Image names for the default exporter (default: the Chutes identity `username/name:tag`, if any). */
  readonly tags?: readonly string[] | undefined;
  /** Receives every status event (progress display); a returned promise is awaited before more are read (backpressure). */
  readonly onStatus?: ((event: StatusEvent) => unknown) | undefined;
  /**
   * Cancels the build and what follows it through Docker (push, save, load): it rejects as `cancelled`, and nothing
   * half-written is left behind.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Extra session services, or a factory receiving what the image needs. kiln adds a FileSync service for the
   * image's local directories, a Secrets service for `secrets` and an Auth service (registry credentials from the
   * Docker config — `DOCKER_CONFIG`, credential helpers — and those of private bases) unless one of that kind is
   * given here; `authService({ configDir: false })` serves only what it is given.
   */
  readonly sessionServices?: (readonly SessionService[] | ((needs: SessionNeeds) => readonly SessionService[])) | undefined;
  /** Values of the build secrets the steps read (objects, or CLI specs such as `"id=HF_TOKEN,env=HF_TOKEN"`). */
  readonly secrets?: readonly (SecretSource | string)[] | undefined;
  /**
   * ssh-agents for the steps that use one (the `ssh` step option, Dockerfile `RUN --mount=type=ssh`): `{ id, socket }`,
   * `{ id, keys: [keyFile] }` or specs as `kiln build --ssh` takes them, such as `"default"` (the agent at
   * `$SSH_AUTH_SOCK`), `"github=/path/to/agent.sock"` or `"github=~/.ssh/id_ed25519"` (a private key file kiln
   * serves as an agent itself). Only the agents' answers reach the build, never the keys.
   */
  readonly ssh?: readonly (SshAgentConfig | string)[] | undefined;
  /** Cache to build from (`{ type: 'registry', attrs: { ref } }`, `local` `src`, …), as `kiln build --cache-from`. */
  readonly cacheImports?: readonly CacheEntry[] | undefined;
  /** Cache to export (`registry` `ref`, `inline`, `local` `dest`, …), as `kiln build --cache-to`. */
  readonly cacheExports?: readonly CacheEntry[] | undefined;
  /** Directory local paths are relative to (default: the current directory). */
  readonly context?: string | undefined;
  /** Ignore the build cache for every step (default: `KILN_FORCE_BUILD` set to anything but `""`, `0` or `false`). */
  readonly forceBuild?: boolean | undefined;
  /** Extra entitlements (the ones the image needs, such as `network.host`, are added). */
  readonly entitlements?: readonly Entitlement[] | undefined;
  /**
   * Base image pins (a lock file, see {@link readImageLock}): every base image the lock lists for the build's
   * platform is built from exactly that manifest digest, whatever its tag points at now.
   */
  readonly lock?: ImageLock | undefined;
  /** Fail before building when a base image is not pinned by `lock` (CI: nothing may float). */
  readonly frozenLock?: boolean | undefined;
  /**
   * Resolve bases the lock does not pin against their registry (resolve mode `pull`), so that each one's manifest
   * digest is known and lands in {@link BuiltImage.lock}. Needed to write a lock: a daemon that finds a base in its
   * local store (dockerd) reports no digest for it otherwise.
   */
  readonly resolveDigests?: boolean | undefined;
  /**
   * Unix time (seconds) for reproducible layers, the `SOURCE_DATE_EPOCH` convention (default: that environment
   * variable). Files kiln puts into the image (local files, copies, new files and directories) get this time unless a
   * step set one, the config's `created` and kiln's history entries carry it, and on BuildKit v0.11+ the exporters
   * get it as `source-date-epoch` (through `build-arg:SOURCE_DATE_EPOCH`). Files written by commands keep the time
   * they were written at unless the output clamps them: `rewrite-timestamp=true` in the output's attributes (BuildKit
   * v0.13+, outputs BuildKit writes: `oci`/`docker` files, `image` on a buildkitd; refused where it cannot apply).
   */
  readonly sourceDateEpoch?: number | undefined;
  /**
   * Proxies for the build's steps (`{ httpProxy: 'http://proxy.corp:3128', httpsProxy: …, noProxy: 'localhost,.corp' }`),
   * as docker build passes its proxy build args: every RUN step (installs, downloads and clones included) sees
   * `HTTP_PROXY`/`http_proxy` & co; they are not in the image config, its history, `image.digest()` or the steps'
   * cache keys, so another proxy address reuses the cache. BuildKit v0.8 (dockerd 20.10) does not pass `allProxy`.
   * Default: none (`kiln build` reads Docker's `config.json` `proxies` and `--build-arg HTTP_PROXY=…`).
   */
  readonly proxy?: BuildProxy | undefined;
  /**
   * Environment for `DOCKER_HOST` (where images are loaded), `DOCKER_CONFIG` (registry credentials), `SSH_AUTH_SOCK`,
   * secrets given as `env=VAR`, `SOURCE_DATE_EPOCH` and `KILN_FORCE_BUILD`. Default: the client's (`Client.env`).
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Supply-chain attestations the daemon attaches to the exported image (BuildKit v0.11+): SLSA provenance
   * (`{ provenance: 'max' }`; `true` is `'min'`) and an SPDX SBOM made by a scanner image (`{ sbom: true }` runs
   * BuildKit's default scanner, `{ sbom: { generator: 'registry/scanner:tag' } }` another one). Default: none, as with
   * `kiln build`. Refused before the build where they would be lost: a daemon older than BuildKit v0.11, no output,
   * dockerd's classic image store.
   */
  readonly attestations?: Attestations | undefined;
  /**
   * Called when a step fails, while the build still holds the step: `failed.run({ args: ['sh'], stdin, stdout, stderr })`
   * opens a container on its filesystems as they were when its command failed (what it wrote included), with its
   * env, working directory and user; the container is released when the command ends. The build then fails as it
   * would have. On a daemon that does not report the step (dockerd 20.10) `failed.canRun` is false and
   * `failed.unavailable` says why. An error thrown here is the build's.
   */
  readonly onStepFailure?: ((failed: FailedStep) => unknown) | undefined;
}

/** One base image of a build and the manifest digest it was built from. */
export interface BuiltBase {
  /** Normalised reference, e.g. `docker.io/library/python:3.11-slim`. */
  readonly ref: string;
  /** `os/arch[/variant]` it was resolved for. */
  readonly platform: string;
  /** Manifest digest (`undefined` when the daemon took it from its local store without one). */
  readonly digest: string | undefined;
  /** Whether the digest came from the lock. */
  readonly locked: boolean;
}

/** One platform of a multi-platform build. */
export interface BuiltPlatform {
  /** `os/arch[/variant]`, the key of its image in the result (`linux/arm64`). */
  readonly platform: string;
  /** The config handed to the exporter for it. */
  readonly config: ImageConfig;
  /** Its compilation. */
  readonly compiled: CompiledImage;
}

/** What {@link buildImage} reports. */
export interface BuiltImage {
  /**
   * The image digest: after a push the manifest digest the registry holds (`name@digest` pulls it), otherwise what
   * the exporter reports (`containerimage.digest`), if it exported an image.
   */
  readonly digest: string | undefined;
  /**
   * The ID Docker shows for the image when the build put it into Docker (with the classic image store the config
   * digest, with the containerd image store the manifest digest); otherwise the config digest when the exporter
   * reports it (`containerimage.config.digest`), else the digest.
   */
  readonly imageId: string | undefined;
  /** Names the image was exported under. */
  readonly names: readonly string[];
  /** The config handed to the exporter (of a multi-platform build: the first platform's). */
  readonly config: ImageConfig;
  /** The compilation the build used (definition, plan, locals, …; of a multi-platform build: the first platform's). */
  readonly compiled: CompiledImage;
  /** Each platform's config and compilation, in the order asked for, when `platforms` was given. */
  readonly platforms?: readonly BuiltPlatform[] | undefined;
  /** The build outcome (progress, caps, exporter response, duration). */
  readonly outcome: BuildOutcome;
  /** The base images and the digests they were built from. */
  readonly bases: readonly BuiltBase[];
  /** What became of the result when {@link BuildImageOptions.output} was given (names, pushed, dest, digest). */
  readonly exported?: ExportResult | undefined;
  /** `options.lock` (or an empty lock) with every base's digest recorded: write it to lock the build. */
  readonly lock: ImageLock;
}

function has(services: readonly SessionService[], definition: unknown): boolean {
  return services.some((s) => s.definition === definition);
}

/**
 * The registry credentials of the image's private bases (`fromRegistry(ref, { secret })`), by registry host, read
 * from `env` where the secret names variables. For an Auth service built by the caller (the CLI builds its own).
 */
export function registryCredentials(secrets: ReadonlyMap<string, RegistrySecret>, env: Readonly<Record<string, string | undefined>> = process.env): Record<string, RegistryAuth> {
  const out: Record<string, RegistryAuth> = {};
  for (const [ref, s] of secrets) {
    const host = ref.slice(0, ref.indexOf('/'));
    if ('username' in s) {
      out[host] = { username: s.username, password: s.password };
      continue;
    }
    const username = env[s.usernameEnv];
    const password = env[s.passwordEnv];
    if (username === undefined || password === undefined) {
      throw new KilnError('invalid_argument', `the credentials for ${ref} come from $${s.usernameEnv} and $${s.passwordEnv}, which are not both set`, {
        hint: `Set ${s.usernameEnv} and ${s.passwordEnv}, or pass { username, password } as the secret.`,
      });
    }
    out[host] = { username, password };
  }
  return out;
}

/**
 * The daemon could not give a base image's config. BuildKit says why only in text (not found, 401, no route: all
 * `Unknown`, also on v0.13), so the error keeps the daemon's words and a code it sent, and adds what to check.
 */
function baseImageError(err: KilnError, ref: string, name: string, platform: string | undefined, credentialsSent: boolean): KilnError {
  if (err.code === 'cancelled' || err.code === 'unavailable' || err.code === 'helper_failed') return err;
  const registry = parseImageRef(ref).domain;
  // Asked for a platform, an image index without it is as likely as a wrong name (the daemon says so only in text).
  const exists = platform === undefined ? 'exists' : `exists and has an image for ${platform}`;
  // The session's Auth service knows whether the daemon asked for, and got, credentials for the registry.
  const login = credentialsSent
    ? `. kiln gave the daemon credentials for ${registry} (the Docker config's, or fromRegistry(ref, { secret })): a 401 Unauthorized means the registry refused them; docker login ${registry} again with a valid user and password or token.`
    : `, and for a private registry that credentials are available: docker login ${registry}, or fromRegistry(ref, { secret }).`;
  return new KilnError(err.code === 'internal' ? 'build_failed' : err.code, `cannot get the base image ${name}: ${err.message}`, {
    cause: err,
    hint:
      `Check that ${shortRef(ref)} ${exists} (name, tag${name === ref ? '' : ', the digest the lock file pins'}${platform === undefined ? '' : ', the platforms its index lists'}), that the daemon can reach ${registry} ` +
      `and trusts its certificate${login}` +
      // Docker Hub needs no checking from here; for any other registry doctor tells these apart.
      (registry === 'docker.io' ? '' : ` kiln doctor --registry ${registry} checks the connection, certificate and login.`),
    details: { ...err.details, baseImage: ref },
  });
}

/**
 * Fails before anything is sent when a local directory or file the image copies is missing, naming it and the context
 * it was resolved against (the daemon would otherwise fail mid-build with "error from sender").
 */
function checkLocalSources(locals: readonly LocalDirectory[], context: string, compiled?: SourcedDefinition): void {
  // Where the step copying it was written (image.ts:12, the Dockerfile's COPY line).
  const at = (err: KilnError, l: LocalDirectory | undefined): unknown => (l === undefined || compiled === undefined ? err : withStepSource(err, localStepSource(compiled, l.name)));
  // The context itself: said as such, not as a "." the image would copy.
  if (locals.length > 0) {
    let st: Stats | undefined | null;
    try {
      st = statSync(context, { throwIfNoEntry: false });
    } catch {
      st = null; // not searchable: each path is reported below
    }
    if (st !== null && (st === undefined || !st.isDirectory())) {
      throw new KilnError('invalid_argument', `the build context ${context} ${st === undefined ? 'does not exist' : 'is not a directory'}`, {
        hint: "Pass the directory the image's local paths are relative to: the context option (kiln build --context DIR; default the current directory).",
        details: { path: context, context },
      });
    }
  }
  const missing: string[] = [];
  const misspelled: { path: string; onDisk: string; how: string }[] = [];
  const unmatched: string[] = [];
  // The first local each list names: its step's location goes with the error.
  const first: { missing?: LocalDirectory; misspelled?: LocalDirectory; unmatched?: LocalDirectory } = {};
  const list = listingOnce();
  for (const l of locals) {
    let isDir = false;
    let exists = false;
    try {
      isDir = statSync(l.path).isDirectory();
      exists = true;
    } catch {
      // missing or unreadable: reported below
    }
    if (exists && !isDir) {
      const shown = relative(context, l.path) || '.';
      throw at(
        new KilnError('invalid_argument', `the image copies ${shown} as a directory, but it is a file (in ${context})`, {
          hint: `Copy a single file with addLocalFile('${shown}', …) (Chutes' add and Kubetorch's rsync take either), or give the directory that holds it.`,
          details: { path: l.path, context },
        }),
        l,
      );
    }
    if (!isDir) {
      missing.push(l.path);
      first.missing ??= l;
      continue;
    }
    // Plain file names (addLocalFile and friends, escaped). Wildcards may match nothing in a Dockerfile COPY/ADD
    // (BuildKit copies nothing); Chutes' add/copyFile glob the source and fail then.
    for (const p of l.include) {
      const name = literalOfPattern(p);
      if (name === undefined) {
        if (l.requireMatch === true && !wildcardMatchesSomething(l.path, p, l.exclude)) {
          unmatched.push(join(l.path, p));
          first.unmatched ??= l;
        }
        continue;
      }
      let found = true;
      try {
        statSync(join(l.path, name));
      } catch {
        found = false;
      }
      // macOS finds a file under any letter case and Unicode form; the daemon looks for the name as sent.
      const spelled = spellingOnDisk(l.path, name, list);
      if (spelled.misspelled.length > 0 && (found || spelled.found)) {
        misspelled.push({ path: join(l.path, name), onDisk: join(l.path, spelled.onDisk), how: [...new Set(spelled.misspelled.map(describeMisspelling))].join('; ') });
        first.misspelled ??= l;
      } else if (!found) {
        missing.push(join(l.path, name));
        first.missing ??= l;
      }
    }
  }
  if (misspelled.length > 0) {
    const lines = misspelled.map((m) => `${relative(context, m.path)} is ${relative(context, m.onDisk)} on disk (${m.how})`);
    throw at(new KilnError('not_found', `the image copies ${misspelled.length === 1 ? 'a local file' : 'local files'} under another spelling than the name on disk (in ${context}): ${lines.join('; ')}`, {
      hint:
        "The daemon matches names exactly, as Linux does, though macOS finds a file under any letter case or Unicode form. Name the file as it is spelled on disk (a decomposed name: 'café.txt'.normalize('NFD')) and give the name the image should have as the destination, e.g. addLocalFile('Readme.md', '/app/README.md'); or rename the file.",
      details: { misspelled: misspelled.map((m) => ({ path: m.path, onDisk: m.onDisk })), context },
    }), first.misspelled);
  }
  if (unmatched.length > 0) {
    const patterns = unmatched.map((m) => relative(context, m));
    throw at(new KilnError('not_found', `the image copies ${patterns.length === 1 ? 'a wildcard pattern that matches' : 'wildcard patterns that match'} no local file: ${patterns.join(', ')} (in ${context})`, {
      hint: "Chutes' add and copyFile fail when their pattern matches nothing (a Dockerfile COPY would copy nothing). Local paths are relative to the build context (the `context` option of buildImage, `kiln build --context DIR`, default the current directory): build from the directory that holds the files, or build them first.",
      details: { unmatched, context },
    }), first.unmatched);
  }
  if (missing.length === 0) return;
  const shown = missing.map((m) => relative(context, m) || '.');
  throw at(new KilnError('not_found', `the image copies ${shown.length === 1 ? 'a local path that does' : 'local paths that do'} not exist: ${shown.join(', ')} (in ${context})`, {
    hint: 'Local paths are relative to the build context: the `context` option of buildImage, `kiln build --context DIR`, default the current directory. Run from the directory the image expects or pass it as the context.',
    details: { missing, context },
  }), first.missing);
}

/**
 * Builds `image` and exports it.
 *
 * @example
 * const client = await Client.connect();
 * const display = createProgressDisplay(createProgressRenderer('auto', { stream: process.stderr }));
 * try {
 *   const built = await buildImage(client, image, { output: 'type=image,name=registry.example.com/app:1,push=true', onStatus: display.onStatus });
 *   console.log(built.exported?.digest);
 * } finally {
 *   await display.finish();
 *   await client.close();
 * }
 */
export function buildImage(client: Client, image: Image, options: BuildImageOptions = {}): Promise<BuiltImage> {
  // The whole call, export included: `client.close()` waits until what it cancelled has stopped and been cleaned up.
  return client.track(buildAndExport(client, image, options));
}

/**
 * @internal What runs inside a single-platform build once its result is solved, before the build ends: the result's
 * ref and compilation (its image config) are the daemon's until this settles.
 */
export type WithBuiltResult = (gw: Gateway, ref: GatewayRef, compiled: CompiledImage) => Promise<void>;

/** @internal {@link buildImage}, calling `inside` with the solved result before the build returns (and exports). */
export function buildImageWith(client: Client, image: Image, options: BuildImageOptions, inside: WithBuiltResult): Promise<BuiltImage> {
  return client.track(buildAndExport(client, image, options, inside));
}

async function buildAndExport(client: Client, image: Image, options: BuildImageOptions, inside?: WithBuiltResult): Promise<BuiltImage> {
  // A client closed while this build is prepared cancels it, as it cancels the builds already running.
  const openAtStart = !client.closeSignal.aborted;
  // What the export does through Docker after the build (naming, a push, a save, a load) stops on the build's signal
  // and on the client's close alike. Its own signal: each Docker request listens to it, not to a signal many builds
  // share (Node warns past ten listeners on one).
  const exportStop = linkSignals([options.signal, openAtStart ? client.closeSignal : undefined]);
  try {
    return await buildAndExportUntil(client, image, options, openAtStart, exportStop.signal, inside);
  } finally {
    exportStop.dispose();
  }
}

async function buildAndExportUntil(
  client: Client,
  image: Image,
  options: BuildImageOptions,
  openAtStart: boolean,
  exportSignal: AbortSignal,
  inside: WithBuiltResult | undefined,
): Promise<BuiltImage> {
  // Offline first: what the session must serve does not depend on the daemon.
  const { context, env, forceBuild, epoch, offline } = prepare(client, image, options, 'buildImage');
  const { targets, platform: onePlatform } = targetPlatforms(options);
  // A command runs in one platform's image: refused before anything is built.
  if (inside !== undefined && targets !== undefined) throw new KilnError('invalid_argument', 'a command runs in one platform\'s image; this build has several');
  const attestations = options.attestations === undefined ? undefined : validateAttestations(options.attestations, 'options.attestations', buildImage);
  const lockIn = options.lock ?? ImageLock.empty();
  // Every platform named is known now: a frozen lock missing any is reported whole, before the daemon is asked.
  if (options.frozenLock === true && (targets !== undefined || onePlatform !== undefined)) {
    const ids = targets?.map((t) => t.id) ?? [formatPlatform(normalizePlatform(onePlatform as PlatformInput))];
    // Bases that differ by platform (per-platform named contexts) are checked platform by platform.
    const groups = offline.platformDependent ? ids.map((id) => [id]) : [ids];
    for (const group of groups) checkFrozenLock(baseImagesFor(image, offline, group[0] as string, context, forceBuild), lockIn, group, ids.join(','));
  }
  checkLocalSources(offline.locals, context, offline);
  const needs: SessionNeeds = { locals: offline.locals, secrets: offline.secrets, ssh: offline.sshIds, registrySecrets: offline.registrySecrets };
  const given = typeof options.sessionServices === 'function' ? options.sessionServices(needs) : (options.sessionServices ?? []);
  const services = [...given];
  const skips = contextSkipNotes(offline.locals, context);
  const tellSkips = async (): Promise<void> => {
    const note = skips.note();
    if (note !== undefined) await options.onStatus?.(note);
  };
  if (offline.locals.length > 0 && !has(services, FileSyncService)) {
    services.push(
      fileSyncService(
        // The include paths' symbolic links are followed (their targets sent too), as the Dockerfile frontend asks
        // for a COPY source: a file added through a link in the context is the file it names.
        offline.locals.map((l) => ({ name: l.name, path: l.path, include: l.include, exclude: l.exclude, ...(l.include.length > 0 ? { followPaths: l.include } : {}) })),
        { onSkip: skips.skipped },
      ),
    );
  }
  if (options.secrets !== undefined && options.secrets.length > 0 && !has(services, SecretsService)) {
    // Only the secrets the image's steps read: the daemon has no business asking for another one it was given.
    // And those a git source reads when given (a private repository's GIT_AUTH_TOKEN).
    services.push(secretsService(options.secrets, { env, only: [...offline.secrets, ...offline.sourceSecrets] }));
  }
  // Before anything runs: a missing secret would otherwise fail its step only after the steps before it ran (and a
  // cached step would hide it).
  const givenIds = options.secrets?.map((s) => (typeof s === 'string' ? parseSecretSpec(s).id : s.id));
  const missing = offline.requiredSecrets.filter((id) => givenIds === undefined || !givenIds.includes(id));
  if (offline.secrets.length > 0 && !has(services, SecretsService)) {
    const needed = missing.length > 0 ? missing : offline.secrets;
    throw new KilnError('invalid_argument', `the image's steps read the build secret${needed.length === 1 ? '' : 's'} ${needed.map((s) => `"${s}"`).join(', ')}, but no secrets were given`, {
      hint: secretHint(needed),
      details: { secrets: needed },
    });
  }
  if (givenIds !== undefined && missing.length > 0 && !has(given, SecretsService)) {
    throw new KilnError('invalid_argument', `the image's steps read the build secret${missing.length === 1 ? '' : 's'} ${missing.map((s) => `"${s}"`).join(', ')}, which ${missing.length === 1 ? 'was' : 'were'} not given (given: ${givenIds.map((s) => `"${s}"`).join(', ')})`, {
      hint: secretHint(missing),
      details: { secrets: missing, given: givenIds },
    });
  }
  if (options.ssh !== undefined && options.ssh.length > 0 && !has(services, SSHService)) {
    // Specs parsed once: the service, the reachability check and the key-file notes read the same agents.
    const agents = options.ssh.map((s) => (typeof s === 'string' ? parseSshSpec(s, { env }) : s));
    services.push(sshService(agents, { env }));
    // A socket left by an agent that exited would fail only in the step that uses it.
    await checkSshAgentsReachable(agents, { env });
    const keyWarnings = sshKeyFileWarnings(agents, { env });
    if (keyWarnings.length > 0) await options.onStatus?.(progressNote('[kiln] ssh key files', keyWarnings));
  }
  // Likewise a step's ssh-agent: without it the step would fail only when it runs.
  const givenSsh = options.ssh?.map((s) => (typeof s === 'string' ? sshSpecId(s) : s.id));
  const missingSsh = offline.requiredSshIds.filter((id) => givenSsh === undefined || !givenSsh.includes(id));
  if (missingSsh.length > 0 && !has(given, SSHService)) {
    const list = missingSsh.map((s) => `"${s}"`).join(', ');
    throw new KilnError(
      'invalid_argument',
      givenSsh === undefined
        ? `the image's steps use the ssh agent${missingSsh.length === 1 ? '' : 's'} ${list}, but no ssh agent was forwarded`
        : `the image's steps use the ssh agent${missingSsh.length === 1 ? '' : 's'} ${list}, which ${missingSsh.length === 1 ? 'is' : 'are'} not forwarded (forwarded: ${givenSsh.map((s) => `"${s}"`).join(', ')})`,
      { hint: sshHint(missingSsh), details: { ssh: missingSsh } },
    );
  }
  // Registry credentials as the CLI (and docker build) serves them: the Docker config's (DOCKER_CONFIG, credential
  // helpers), plus those of private bases given in the image. Pass an Auth service to replace this.
  if (!has(services, AuthService)) {
    services.push(defaultAuthService(offline, env));
  }

  // Checked now on every daemon (dockerd's moby exporter would find a bad one only after the build).
  const names = (options.tags ?? (image.reference === undefined ? [] : [image.reference])).map(normaliseName);
  if (options.output !== undefined && options.exporter !== undefined) {
    throw new KilnError('invalid_argument', 'buildImage was given both output and exporter; give one (output plans the exporter itself)');
  }
  const output = outputWithNames(typeof options.output === 'string' ? parseOutputSpec(options.output, { tags: names }) : options.output, names);
  if (output !== undefined) checkRewriteTimestampEpoch(output, epoch);
  // The plan picks the dockerd of a docker:// address itself; `docker` (else DOCKER_HOST) is for loads from buildkitd.
  const planOptions = { env, ...(options.docker === undefined ? {} : { docker: options.docker }), signal: exportSignal, attestations: asksForAttestations(attestations), onProgress: options.onStatus };
  // Only a build that loads into Docker asks where Docker is: an unusable docker context (ssh://, TLS, missing) must not
  // stop a build whose output never goes there.
  const docker = (): DockerEndpoint => options.docker ?? dockerEndpointFromEnv(env);
  const daemonInfo = (): Promise<DaemonInfo> =>
    client.info(options.signal === undefined ? {} : { signal: options.signal }).catch((err: unknown) => {
      // Stopped by this build's own signal: the build was cancelled, as anywhere else it is.
      if (options.signal?.aborted === true && KilnError.is(err, 'cancelled')) throw new KilnError('cancelled', 'the build was cancelled', { cause: options.signal.reason });
      // Stopped by the client's close while this build was prepared: cancelled by that close, as below.
      if (openAtStart && client.closeSignal.aborted && KilnError.is(err, 'cancelled')) throw new KilnError('cancelled', 'the build was cancelled', { cause: client.closeSignal.reason });
      throw err;
    });
  // Tagged images go into Docker: dockerd's own exporter, or from a buildkitd through the Docker API's image load.
  const load =
    output !== undefined
      ? await planExport(output, await daemonInfo(), client.address.text, planOptions)
      : options.exporter === undefined && names.length > 0
        ? await planExport({ type: 'docker', names }, await daemonInfo(), client.address.text, planOptions)
        : undefined;
  if (load !== undefined) services.push(...load.sessionServices);
  for (const n of load?.notes ?? []) await options.onStatus?.(progressNote(n));
  const exporter = options.exporter ?? load?.exporter;
  if (asksForAttestations(attestations)) {
    try {
      checkAttestations(attestations, await daemonInfo(), exporter);
    } catch (err) {
      await load?.abort();
      throw err;
    }
  }
  if (targets !== undefined && (exporter?.type === 'moby' || exporter?.type === 'docker')) {
    // dockerd's containerd image store keeps image indexes (its moby exporter takes one ref per platform, and its
    // push sends the index); its classic store and the docker tarball hold one platform per image.
    const classic = exporter.type === 'moby' && (await daemonInfo()).imageStore !== 'containerd';
    if (exporter.type === 'docker' || classic) {
      await load?.abort();
      throw multiPlatformRefused(exporter.type, targets);
    }
  }
  // A step asking for a GPU is refused by daemons without device support: the refusal names the daemon.
  const daemonName = offline.gpuSteps.length > 0 ? (await daemonInfo()).description : undefined;
  // BuildKit v0.8 (dockerd 20.10) knows no all_proxy in a step's proxy_env: its steps would not see ALL_PROXY, whether
  // the build gives it or a Dockerfile's build args (`fromDockerfile(path, { buildArgs: { ALL_PROXY } })`, which the
  // offline definition already carries).
  if ((options.proxy?.allProxy ?? '') !== '' || stepsGetAllProxy(offline.definition)) {
    const info = await daemonInfo();
    const { max, said } = buildkitRange(info);
    if (max !== undefined && max < 9) {
      await options.onStatus?.(progressNote('[kiln] proxies', [`ALL_PROXY is not passed to the steps: ${info.description} cannot (${said}; BuildKit v0.9+ passes it); HTTP_PROXY, HTTPS_PROXY, FTP_PROXY and NO_PROXY are`]));
    }
  }
  const bases: BuiltBase[] = [];
  const entitlements = [...new Set([...offline.entitlements, ...(options.entitlements ?? [])])];
  let compiled: CompiledImage | undefined;
  let perPlatform: BuiltPlatform[] | undefined;
  // Builds of this process exporting the same names through BuildKit's image store (the image exporter, or a load
  // into Docker from a buildkitd) take turns from the export to the ID lookup. (dockerd's moby path names the image
  // itself, see export-plan.ts.)
  const exportNames = output === undefined ? names : output.type === 'image' || output.type === 'docker' ? output.names.map(normaliseName) : [];
  const exclusive = exporter?.type === 'image' || exporter?.type === 'docker' ? exportNames : [];
  let release: (() => void) | undefined;

  // The platforms the result is for, named to the daemon: BuildKit v0.14+ compares the result's platforms with the
  // `platform` frontend attribute (its own platform when absent) before exporting, and warns when they differ.
  const requestedPlatforms = targets !== undefined ? targets.map((t) => t.id).join(',') : onePlatform === undefined ? undefined : formatPlatform(normalizePlatform(onePlatform));
  const frontendAttrs = { ...(requestedPlatforms === undefined ? {} : { platform: requestedPlatforms }), ...attestationFrontendAttrs(attestations) };
  // Closed while this build was prepared: cancelled (not "this kiln Client is closed"), and what the export plan set up
  // is removed below, as for a build the close stops on the daemon.
  const startBuild: Client['build'] =
    openAtStart && client.closeSignal.aborted
      ? () => Promise.reject(new KilnError('cancelled', 'the build was cancelled', { cause: client.closeSignal.reason }))
      : (buildOptions, fn) => client.build(buildOptions, fn);
  // A failed step goes to onStepFailure while the build still holds it (its results are released with the build).
  // One step per build: another platform's step failing meanwhile waits for the hook, then the build stops.
  const onFailure = options.onStepFailure === undefined ? undefined : stepFailureHandler(options.onStepFailure);
  const solveStep = async (gw: Gateway, definition: Definition): Promise<GatewayRef> => {
    try {
      return await gw.solve(definition);
    } catch (err) {
      if (onFailure === undefined) throw err;
      return onFailure(gw, err);
    }
  };
  const outcome = await startBuild(
    {
      ...(exporter === undefined ? {} : { exporter }),
      ...(Object.keys(frontendAttrs).length === 0 ? {} : { frontendAttrs }),
      ...(options.cacheImports === undefined ? {} : { cacheImports: options.cacheImports }),
      ...(options.cacheExports === undefined ? {} : { cacheExports: options.cacheExports }),
      ...(entitlements.length > 0 ? { entitlements } : {}),
      sessionServices: services,
      ...(offline.ociLayouts.length === 0 ? {} : { ociLayouts: new Map(offline.ociLayouts.map((l) => [l.storeId, l.path])) }),
      sharedKey: createHash('sha256').update(`kiln-context\0${context}`).digest('hex').slice(0, 32),
      ...(options.onStatus === undefined ? {} : { onStatus: options.onStatus }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(epoch === undefined ? {} : { sourceDateEpoch: epoch }),
    },
    async (gw) => {
      const compileOptions = {
        sessionServices: services,
        lock: lockIn,
        frozenLock: options.frozenLock === true,
        resolveDigests: options.resolveDigests === true,
        context,
        forceBuild,
        localUniqueId: randomBytes(12).toString('hex'),
        ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
        ...(epoch === undefined ? {} : { epoch }),
        ...(daemonName === undefined ? {} : { daemonName }),
      };
      if (targets !== undefined) {
        // One image per platform, compiled and built side by side; the exporter makes the index (or one directory each).
        const built = await Promise.all(
          targets.map(async (t): Promise<BuiltPlatform> => {
            const c = await compileOnDaemon(client, gw, image, offline, bases, { ...compileOptions, platform: t.platform, multiPlatform: true });
            return { platform: t.id, config: c.config, compiled: c };
          }),
        );
        perPlatform = built;
        compiled = built[0]?.compiled;
        const metadata: Record<string, string> = { 'refs.platforms': platformsMetadata(targets) };
        for (const p of built) metadata[`containerimage.config/${p.platform}`] = serializeImageConfig(p.config);
        const refs = await Promise.all(
          built.map(async (p) => [p.platform, p.compiled.definition.isEmpty ? { id: '' } : await solveStep(gw, withNamePrefix(p.compiled.definition, `[${p.platform}]`))] as const),
        );
        if (exclusive.length > 0) release = await holdImageNames(client.address.text, exclusive, options.signal);
        return { refs: Object.fromEntries(refs), metadata };
      }
      compiled = await compileOnDaemon(client, gw, image, offline, bases, {
        ...(onePlatform === undefined ? {} : { platform: onePlatform }),
        ...compileOptions,
      });
      const metadata = { 'containerimage.config': serializeImageConfig(compiled.config) };
      if (compiled.definition.isEmpty) {
        await inside?.(gw, { id: '' }, compiled);
        return { metadata };
      }
      const ref = await solveStep(gw, compiled.definition);
      await inside?.(gw, ref, compiled);
      if (exclusive.length > 0) release = await holdImageNames(client.address.text, exclusive, options.signal);
      return { ref, metadata };
    },
  ).catch(async (err: unknown) => {
    release?.();
    await load?.abort();
    // What the context left out may be why the build failed (a file a step expected): said before the error.
    await tellSkips().catch(() => undefined);
    // The export failed on this side (a full disk, a read-only destination): the daemon said only that its export
    // step failed.
    const local = load?.localFailure?.();
    if (local !== undefined && !KilnError.is(err, 'cancelled')) throw local;
    // A failed step: where it was written (the user's image.ts line, its Dockerfile line).
    throw withFailedStepSource(err, perPlatform !== undefined ? perPlatform.map((p) => p.compiled) : compiled === undefined ? [] : [compiled]);
  });
  try {
    await tellSkips();
    const result = compiled as CompiledImage;
    const resp = outcome.exporterResponse;
    const digest = resp['containerimage.digest'];
    let imageId = resp['containerimage.config.digest'] ?? digest;
    let exported: ExportResult | undefined;
    try {
      if (output !== undefined) exported = await (load as ExportPlan).finish(resp);
      else if (load !== undefined) await load.finish(resp);
    } catch (err) {
      // Stopped by the build's signal or the client's close (Docker's requests then fail as cut off): cancelled.
      if (exportSignal.aborted) throw new KilnError('cancelled', 'the build was cancelled', { cause: exportSignal.reason });
      throw err;
    }
    const loaded = output === undefined ? load !== undefined : output.type === 'docker' && output.dest === undefined;
    if (exporter?.type === 'moby') {
      // dockerd knows the image by what its exporter reports as the digest: the config digest in the classic store,
      // the manifest digest in the containerd image store.
      imageId = digest ?? imageId;
    } else if (loaded) {
      // Loaded from a buildkitd's docker tarball: the ID is what that Docker made of it.
      const name = (exported?.names ?? names)[0];
      if (name !== undefined) imageId = (await dockerImageId(docker(), name, exportSignal).catch(() => undefined)) ?? imageId;
    }
    return {
      digest: exported?.pushed === true ? (exported.digest ?? digest) : (digest ?? exported?.digest),
      imageId,
      names: exported?.names ?? names,
      ...(exported === undefined ? {} : { exported }),
      config: result.config,
      compiled: result,
      ...(perPlatform === undefined ? {} : { platforms: perPlatform }),
      outcome,
      bases: bases.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : 0)),
      lock: bases.reduce((lock, b) => (b.digest === undefined ? lock : lock.with(b.ref, b.platform, b.digest)), lockIn),
    };
  } finally {
    release?.();
  }
}


/** Options of {@link resolveImageDefinition}: those of {@link buildImage} that decide the definition. */
export type ResolveImageDefinitionOptions = Pick<
  BuildImageOptions,
  'context' | 'platform' | 'lock' | 'frozenLock' | 'forceBuild' | 'sourceDateEpoch' | 'onStatus' | 'signal' | 'env'
>;

/** The definition {@link buildImage} would send, and what it was compiled against. */
export interface ResolvedImageDefinition {
  readonly definition: Definition;
  /** The image config the build would export. */
  readonly config: ImageConfig;
  readonly bases: readonly BuiltBase[];
  /** `os/arch[/variant]` it was compiled for. */
  readonly platform: string;
  /**
   * The local sources the definition reads (`local://<name>`) and the directory on this machine each one is: what
   * another client has to serve (`buildctl build --local <name>=<path>`).
   */
  readonly locals: readonly { readonly name: string; readonly path: string }[];
  /** The OCI layout directories the definition reads base images from, by store id (`buildctl build --oci-layout <storeId>=<path>`). */
  readonly ociLayouts: readonly OciLayoutStore[];
}

/**
 * Compiles `image` against the daemon as {@link buildImage} does — base image configs (PATH, user, shell…) resolved
 * and their digests pinned, the daemon's LLB caps and platform, the lock — without building anything. `image.definition()`
 * is the offline form, for identity and review; this is the one to hand to another BuildKit client (`buildctl build`).
 * Local sources carry the stable id `kiln` instead of a build's random one.
 */
export async function resolveImageDefinition(client: Client, image: Image, options: ResolveImageDefinitionOptions = {}): Promise<ResolvedImageDefinition> {
  const { context, env, forceBuild, epoch, offline } = prepare(client, image, options, 'resolveImageDefinition');
  const bases: BuiltBase[] = [];
  let compiled: CompiledImage | undefined;
  const sessionServices = [defaultAuthService(offline, env)];
  await client.build(
    {
      sessionServices,
      ...(options.onStatus === undefined ? {} : { onStatus: options.onStatus }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
    async (gw) => {
      compiled = await compileOnDaemon(client, gw, image, offline, bases, {
        ...(options.platform === undefined ? {} : { platform: options.platform }),
        sessionServices,
        lock: options.lock ?? ImageLock.empty(),
        frozenLock: options.frozenLock === true,
        resolveDigests: false,
        context,
        forceBuild,
        localUniqueId: 'kiln',
        ...(epoch === undefined ? {} : { epoch }),
      });
      return {};
    },
  );
  const result = compiled as CompiledImage;
  return {
    definition: result.definition,
    config: result.config,
    bases,
    platform: bases[0]?.platform ?? formatPlatform(normalizePlatform(options.platform ?? 'linux/amd64')),
    locals: result.locals.map((l) => ({ name: l.name, path: l.path })),
    ociLayouts: result.ociLayouts,
  };
}

/** What building and resolving start from: the options' defaults filled in, and the image compiled offline. */
function prepare(
  client: Client,
  image: Image,
  options: Pick<BuildImageOptions, 'context' | 'env' | 'forceBuild' | 'sourceDateEpoch'>,
  caller: string,
): { context: string; env: Readonly<Record<string, string | undefined>>; forceBuild: boolean; epoch: number | undefined; offline: CompiledImage } {
  if (!(image instanceof Image)) throw new KilnError('invalid_argument', `${caller} needs an Image, got ${typeof image}`);
  const context = resolvePath(options.context ?? process.cwd());
  const env = options.env ?? client.env;
  const forceBuild = options.forceBuild ?? forceBuildFromEnv(env);
  const epoch = options.sourceDateEpoch ?? parseSourceDateEpoch(env['SOURCE_DATE_EPOCH']);
  return { context, env, forceBuild, epoch, offline: compileImage(image, { context, forceBuild }) };
}

/** Registry credentials as `kiln build` (and docker build) serves them: the Docker config's, and the private bases'. */
function defaultAuthService(offline: CompiledImage, env: Readonly<Record<string, string | undefined>>): SessionService {
  return authService({ env, ...(offline.registrySecrets.size > 0 ? { credentials: registryCredentials(offline.registrySecrets, env) } : {}) });
}

/** Whether a RUN step of `definition` has an `ALL_PROXY` in its proxy_env (a Dockerfile's ALL_PROXY build arg). */
function stepsGetAllProxy(definition: Definition): boolean {
  return decodeDefinition(definition).ops.some((o) => o.op.op?.type === 'exec' && (o.op.op.exec.meta?.proxyEnv?.allProxy ?? '') !== '');
}

/** What {@link compileOnDaemon} needs besides the gateway and the image. */
interface DaemonCompileOptions {
  readonly platform?: PlatformInput;
  readonly lock: ImageLock;
  readonly frozenLock: boolean;
  readonly resolveDigests: boolean;
  readonly context: string;
  readonly forceBuild: boolean;
  readonly localUniqueId: string;
  readonly epoch?: number;
  /** One of several platforms built together: progress names say which (`[linux/arm64 internal] load metadata …`). */
  readonly multiPlatform?: boolean;
  /** What the daemon is (`dockerd 20.10.24 (embedded BuildKit v0.8)`), for errors about what it cannot do. */
  readonly daemonName?: string;
  /** The session's services: whether their Auth service gave the daemon credentials for a registry shapes the hint of a failed base. */
  readonly sessionServices: readonly SessionService[];
  /** Proxies for every RUN step (see {@link BuildImageOptions.proxy}). */
  readonly proxy?: BuildProxy;
}

/**
 * Compiles `image` as the daemon will build it: for the worker's platform (or the one asked for), with its LLB caps,
 * every base image's config (env, user, shell…) resolved through the gateway — pinned by the lock where it pins one —
 * and SOURCE_DATE_EPOCH applied. Appends each base to `bases`.
 */
async function compileOnDaemon(client: Client, gw: Gateway, image: Image, offline: CompiledImage, bases: BuiltBase[], o: DaemonCompileOptions): Promise<CompiledImage> {
  const workerPlatform = gw.workers[0]?.platforms[0];
  const platform = normalizePlatform(
    o.platform ?? (workerPlatform === undefined ? 'linux/amd64' : { os: workerPlatform.os, architecture: workerPlatform.architecture, ...(workerPlatform.variant === undefined ? {} : { variant: workerPlatform.variant }) }),
  );
  const baseConfigs = new Map<string, ResolvedBase>();
  const platformText = formatPlatform(platform);
  checkWorkerPlatform(platform, gw.workers, offline.definition);
  const wirePlatform = { os: platform.os, architecture: platform.architecture, ...(platform.variant === undefined ? {} : { variant: platform.variant }) };
  const baseImages = baseImagesFor(image, offline, platformText, o.context, o.forceBuild);
  if (o.frozenLock) checkFrozenLock(baseImages, o.lock, [platformText], o.platform === undefined ? undefined : platformText);
  await Promise.all(
    baseImages.map(async (ref) => {
      const locked = o.lock.get(ref, platformText);
      const name = locked === undefined ? ref : `${ref.replace(/:[^:/@]+$/, '')}@${locked}`;
      const resolved = await gw
        .resolveImageConfig(name, {
          platform: wirePlatform,
          ...(locked === undefined && o.resolveDigests ? { resolveMode: 'pull' as const } : {}),
          logName: `[${o.multiPlatform === true ? `${platformText} ` : ''}internal] load metadata for ${shortRef(ref)}${locked === undefined ? '' : ' (locked)'}`,
        })
        .catch((err: unknown) => {
          const sent = credentialsGiven(o.sessionServices, parseImageRef(ref).domain);
          const failed = baseImageError(client.error(err, `resolving the base image ${name}`), ref, name, o.platform === undefined ? undefined : platformText, sent);
          // Where the base was named: the fromRegistry call, the Dockerfile's FROM line.
          throw withStepSource(failed, offline.baseSources.get(ref));
        });
      if (o.platform !== undefined) checkBasePlatform(ref, platform, resolved.config);
      const digest = locked ?? (resolved.digest === '' ? undefined : resolved.digest);
      bases.push({ ref, platform: platformText, digest, locked: locked !== undefined });
      baseConfigs.set(ref, { config: parseImageConfig(resolved.config, ref), ...(digest === undefined ? {} : { digest }) });
    }),
  );
  const compiled = compileImage(image, {
    platform,
    caps: gw.llbCaps,
    baseConfigs,
    context: o.context,
    forceBuild: o.forceBuild,
    localUniqueId: o.localUniqueId,
    daemon: o.daemonName ?? `the daemon (${platformText})`,
    ...(o.proxy === undefined ? {} : { proxy: o.proxy }),
  });
  if (o.epoch === undefined) return compiled;
  const definition = withSourceDateEpoch(compiled.definition, o.epoch);
  return { ...compiled, definition, config: withCreationTime(compiled.config, o.epoch), sources: remapSources(compiled.definition, definition, compiled.sources) };
}

/**
 * The base images a build for `platform` resolves: the offline compilation's, unless a named context given per
 * platform (`contexts: { 'base::linux/arm64': … }`) makes them differ, then those of a compilation for that platform.
 */
function baseImagesFor(image: Image, offline: CompiledImage, platform: string, context: string, forceBuild: boolean): readonly string[] {
  if (!offline.platformDependent) return offline.baseImages;
  return compileImage(image, { context, forceBuild, platform }).baseImages;
}

/**
 * A frozen lock must pin every base for every platform built. `named` is the `--platform` value the build was given
 * (for the hint: `kiln build --lock` without it pins only the daemon's platform).
 */
function checkFrozenLock(baseImages: readonly string[], lock: ImageLock, platforms: readonly string[], named: string | undefined): void {
  const unpinned = baseImages
    .map((ref) => ({ ref, platforms: platforms.filter((p) => lock.get(ref, p) === undefined) }))
    .filter((m) => m.platforms.length > 0);
  if (unpinned.length === 0) return;
  const and = (list: readonly string[]): string => (list.length === 1 ? (list[0] as string) : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1] as string}`);
  const what = unpinned.map((m) => `${m.ref} for ${and(m.platforms)}`).join('; ');
  throw new KilnError('invalid_argument', `the lock does not pin ${what}, and a frozen lock allows no unpinned base`, {
    hint: `Run \`kiln build --lock${named === undefined ? '' : ` --platform ${named}`}\` once to record the missing digests${named === undefined ? '' : ' (the lock pins each platform)'}, then commit the lock file.`,
    details: { missing: unpinned.map((m) => m.ref), platforms: [...new Set(unpinned.flatMap((m) => m.platforms))] },
  });
}

/** How to give build secrets, on the command line and in code. */
function secretHint(ids: readonly string[]): string {
  const id = ids[0] ?? 'HF_TOKEN';
  return `Give ${ids.length === 1 ? 'it' : 'each one'}: kiln build --secret id=${id},env=${id} (or src=FILE), or in code secrets: [{ id: '${id}', env: '${id}' }].`;
}

/** How to forward ssh-agents, on the command line and in code. */
function sshHint(ids: readonly string[]): string {
  const id = ids[0] ?? 'default';
  const spec = id === 'default' ? 'default' : `${id}=/path/to/agent.sock`;
  return `Forward ${ids.length === 1 ? 'it' : 'each one'}: kiln build --ssh ${spec}${id === 'default' ? ' (the agent at $SSH_AUTH_SOCK)' : ''}, or in code ssh: ['${spec}']; a private key file works in place of an agent socket (--ssh ${id}=$HOME/.ssh/id_ed25519).`;
}

/** `output` with `tags` as its names when it names nothing itself (image, docker and oci outputs). */
function outputWithNames(output: OutputSpec | undefined, tags: readonly string[]): OutputSpec | undefined {
  if (output === undefined || tags.length === 0) return output;
  if ((output.type === 'image' || output.type === 'docker' || output.type === 'oci') && output.names.length === 0) return { ...output, names: tags };
  return output;
}

/**
 * A build for a platform no worker runs (no QEMU emulation registered on the daemon's host) can copy files but not
 * run commands: refuse it before building when the image runs any, instead of failing at the first one or — when the
 * daemon's store has the base only for its own platform — quietly building for that platform.
 */
function checkWorkerPlatform(platform: Platform, workers: readonly WorkerInfo[], definition: Definition): void {
  const offered = workers.flatMap((w) => w.platforms);
  if (offered.length === 0) return;
  const matches = offered.some((p) => p.os === platform.os && p.architecture === platform.architecture && (platform.variant === undefined || p.variant === undefined || p.variant === platform.variant));
  if (matches) return;
  const runs = decodeDefinition(definition).ops.filter((o) => o.kind === 'exec').length;
  if (runs === 0) return;
  const wanted = formatPlatform(platform);
  throw new KilnError('unsupported', `cannot build for ${wanted}: the daemon's workers run ${[...new Set(offered.map((p) => formatPlatform(p)))].join(', ')}, and this image runs commands (${runs} step${runs === 1 ? '' : 's'})`, {
    hint: `Register QEMU emulation on the daemon's host (for example docker run --privileged --rm tonistiigi/binfmt --install ${platform.architecture}), or build on a ${wanted} daemon.`,
    details: { platform: wanted, workers: offered.map((p) => formatPlatform(p)) },
  });
}

/**
 * A base image whose registry entry has no image for the platform asked for is handed out as the image it has
 * (BuildKit picks the only manifest there is): its amd64 binaries would be labelled arm64 — in an index, what arm64
 * machines pull — and its steps would run natively. Refused, as `docker run --platform` refuses such an image. A
 * config that names no architecture is taken at its word.
 */
function checkBasePlatform(ref: string, wanted: Platform, configBytes: Uint8Array): void {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(configBytes).toString('utf8'));
  } catch {
    return; // parseImageConfig reports a config that is not JSON
  }
  if (typeof raw !== 'object' || raw === null) return;
  const { os, architecture, variant } = raw as Record<string, unknown>;
  if (typeof os !== 'string' || typeof architecture !== 'string' || os === '' || architecture === '') return;
  let has: Platform;
  try {
    has = normalizePlatform({ os, architecture, ...(typeof variant === 'string' && variant !== '' ? { variant } : {}) });
  } catch {
    return;
  }
  const variantsDiffer = wanted.variant !== undefined && has.variant !== undefined && wanted.variant !== has.variant;
  if (has.os === wanted.os && has.architecture === wanted.architecture && !variantsDiffer) return;
  const want = formatPlatform(wanted);
  const got = formatPlatform(has);
  throw new KilnError('unsupported', `the base image ${shortRef(ref)} has no ${want} image: the registry gave its ${got} image for it`, {
    hint:
      `Build for the platforms it has (--platform ${got}, or platforms: ['${got}']), or start from a base that has a ${want} image ` +
      `(a tag whose image index lists ${want}).`,
    details: { baseImage: ref, platform: want, basePlatform: got },
  });
}

/** A platform of a multi-platform build: its id (`linux/arm64`, the key of its ref and config) and its value. */
interface TargetPlatform {
  readonly id: string;
  readonly platform: Platform;
}

/**
 * What `platform`/`platforms` ask for: the platforms of a multi-platform build (`targets`, deduplicated in the order
 * given), or the one platform to build (`platform`: given as such, or the only one `platforms` names — as buildx
 * builds `--platform linux/arm64,linux/arm64` for arm64).
 */
function targetPlatforms(options: Pick<BuildImageOptions, 'platform' | 'platforms'>): { targets?: readonly TargetPlatform[]; platform?: PlatformInput } {
  if (options.platforms === undefined) return options.platform === undefined ? {} : { platform: options.platform };
  if (options.platform !== undefined) {
    invalidArgument('buildImage was given both platform and platforms; give platforms alone (it may hold one platform)', buildImage);
  }
  if (!Array.isArray(options.platforms) || options.platforms.length === 0) {
    invalidArgument("buildImage's platforms must list at least one platform, e.g. ['linux/amd64', 'linux/arm64']", buildImage);
  }
  const out = new Map<string, TargetPlatform>();
  for (const p of options.platforms) {
    const platform = normalizePlatform(p);
    const id = formatPlatform(platform);
    if (!out.has(id)) out.set(id, { id, platform });
  }
  const targets = [...out.values()];
  return targets.length > 1 ? { targets } : { platform: (targets[0] as TargetPlatform).platform };
}

/** The `refs.platforms` exporter metadata: which ref is which platform. */
function platformsMetadata(targets: readonly TargetPlatform[]): string {
  return JSON.stringify({
    Platforms: targets.map((t) => ({
      ID: t.id,
      Platform: { architecture: t.platform.architecture, os: t.platform.os, ...(t.platform.variant === undefined ? {} : { variant: t.platform.variant }) },
    })),
  });
}

/** dockerd's classic image store and the docker tarball hold one platform per image. */
function multiPlatformRefused(exporter: 'moby' | 'docker', targets: readonly TargetPlatform[]): KilnError {
  const list = targets.map((t) => t.id).join(', ');
  const first = targets[0]?.id ?? 'linux/amd64';
  const what = exporter === 'moby' ? "dockerd's classic image store (loading, or pushing through dockerd)" : 'a docker image tarball (a load into Docker from a buildkitd, or type=docker)';
  // The classic store's dockerd has no oci exporter either: only files, or another daemon.
  const hint =
    exporter === 'moby'
      ? `Build one platform for Docker (--platform ${first}), write every platform as files (-o type=local,dest=DIR or -o type=tar,dest=FILE: one directory per platform), ` +
        'or build on a daemon that keeps image indexes: dockerd 24+ with the containerd image store (--load and --push then keep every platform), or a standalone buildkitd (--push).'
      : `Build one platform for Docker (--platform ${first}), or export every platform: -o type=oci,dest=app.tar (an image index), ` +
        '-o type=local,dest=DIR (one directory per platform), or push an index (--push).';
  return new KilnError('unsupported', `cannot export a multi-platform image (${list}) to ${what}: it holds one platform per image`, {
    hint,
    details: { platforms: targets.map((t) => t.id), exporter },
  });
}
