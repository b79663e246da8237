import { writeFileAtomic } from '../../write-file-atomic.js';
import { rm } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import type { CacheEntry, Entitlement } from '../../client/build.js';
import { validateCacheOptions } from '../../client/cache-options.js';
import { dockerEndpointFromEnv } from '../../client/docker-api.js';
import type { ProcessSignal } from '../../client/process-control.js';
import { dockerImageId } from '../../client/docker-names.js';
import { progressNote } from '../../client/progress-note.js';
import { planExport, type ExportPlan } from '../../client/export-plan.js';
import { parseOutputSpec, type OutputSpec } from '../../client/output-spec.js';
import { checkRewriteTimestampEpoch } from '../../client/rewrite-timestamp.js';
import { KilnError } from '../../errors.js';
import { resolveFileTarget } from '../../file-target.js';
import { buildImage, registryCredentials, type SessionNeeds } from '../../image/build-image.js';
import { FAILED_STEP_STATES, type FailedStep, type FailedStepState } from '../../client/failed-step-types.js';
import { buildContextFlags, imageFromGitDockerfile, type Image } from '../../image/image.js';
import { type NamedContext, contextHolding } from '../../image/named-contexts.js';
import { ImageLock, lockFilePath, readImageLock, writeImageLock } from '../../image/lock-file.js';
import { parseSourceDateEpoch } from '../../llb/rewrite.js';
import { createProgressDisplay } from '../../progress/progress-display.js';
import { createProgressRenderer, resolveProgressMode } from '../../progress/create-renderer.js';
import type { ProgressMode } from '../../progress/renderer.js';
import { formatSummaryLine } from '../../progress/summary.js';
import { authService } from '../../session/auth-service.js';
import type { SessionService } from '../../session/session-server.js';
import { parseSshSpec, resolveSshPath, sshService } from '../../session/ssh-service.js';
import { secretsService } from '../../session/secrets-service.js';
import { connectFromOptions, println, type CliIO, type GlobalOptions } from '../context.js';
import { exporterMetadata } from '../exporter-metadata.js';
import { refuseForeignBuildFlags } from '../foreign-build-flags.js';
import { parseAttestationFlags } from '../attestation-flags.js';
import { tagsOverOutputNames } from '../output-tags.js';
import { annotationAttrs, withAnnotations } from '../annotation-flag.js';
import { ReportedExit } from '../reported-exit.js';
import { withoutShownLogTail } from '../shown-failure.js';
import { openFailedStep, type OnFailureRequest } from '../open-failed-step.js';
import { stdinNotATerminal } from '../run-terminal.js';
import { stopOnSignals } from '../stop-signals.js';
import { loadImage } from '../load-image.js';
import { jsonError, jsonEventLine } from '../json-report.js';
import { contextDir, parseModuleRef } from '../load-module.js';
import { readGitDockerfile } from '../read-git-dockerfile.js';
import { gitContextDockerfile, parseGitContext } from '../git-context.js';
import { expandHomePath } from '../../home-path.js';
import { parseCacheFlag } from '../cache-flag.js';
import { cliBuildProxy, dockerProxyHostKey, parseBuildArgFlags } from '../build-arg-flag.js';

/** `type=local` cache entries with `src`/`dest` made absolute against the command's working directory (`~/` = home). */
function localDirsFrom(io: CliIO, entries: readonly CacheEntry[]): CacheEntry[] {
  return entries.map((e) => {
    if (e.type !== 'local') return e;
    const attrs = { ...e.attrs };
    for (const key of ['src', 'dest'] as const) if (attrs[key] !== undefined && attrs[key] !== '') attrs[key] = resolvePath(io.cwd, expandHomePath(attrs[key], io.env));
    return { type: e.type, attrs };
  });
}

export interface BuildFlags {
  tag?: string[];
  push?: boolean;
  load?: boolean;
  output?: string[];
  progress: string;
  cache: boolean;
  secret?: string[];
  ssh?: string[];
  platform?: string[];
  cacheFrom?: string[];
  cacheTo?: string[];
  allow?: string[];
  annotation?: string[];
  metadataFile?: string;
  quiet?: boolean;
  iidfile?: string;
  context?: string;
  lock?: boolean;
  lockFile?: string;
  frozenLock?: boolean;
  watch?: boolean;
  provenance?: string;
  sbom?: string;
  attest?: string[];
  onFailure?: string;
  /** `--on-failure-state`: failed (as the command left the step) or initial (before it ran). */
  onFailureState?: string;
  /** The command after `--`, for `--on-failure=exec`. */
  onFailureCommand?: string[];
  /** `--on-failure-tty`: the command in the failed step gets kiln's terminal (`docker exec -it`). */
  onFailureTty?: boolean;
  /** `--on-failure-stop-timeout`: seconds the command has to exit after a passed stop signal (-1: never killed). */
  onFailureStopTimeout?: number;
  onFailureStopSignal?: ProcessSignal;
}

/**
 * The `--output` given, checked before anything is loaded: kiln builds one output per build (buildx takes several on
 * BuildKit v0.13+), and a tarball does not go to a terminal (buildx refuses that too).
 */
function checkOutputCount(values: readonly string[] | undefined): void {
  if (values !== undefined && values.length > 1) {
    throw new KilnError('invalid_argument', `--output was given ${values.length} times; kiln builds one output per build`, {
      hint: 'Pick one --output and run kiln build again for the other: the second build takes every step from the cache.',
    });
  }
}

/** The `--output` given, its image names taken from `tags` when it has no `name=` (as with buildx). */
function outputFlag(values: readonly string[] | undefined, tags: readonly string[], io: CliIO): OutputSpec | undefined {
  if (values === undefined) return undefined;
  const parsed = parseOutputSpec(values[0] as string, { tags });
  // dest=~/out reaches kiln unexpanded (sh expands no ~ after dest=): the home directory, as for every path flag.
  const spec = 'dest' in parsed && parsed.dest !== undefined ? { ...parsed, dest: expandHomePath(parsed.dest, io.env) } : parsed;
  if ('dest' in spec && spec.dest === '-' && io.stdout.isTTY === true) {
    throw new KilnError('invalid_argument', `output type=${spec.type} writes a tarball to stdout, which is a terminal`, {
      hint: `Redirect it (kiln build … > image.tar) or name a file: --output type=${spec.type},dest=FILE.`,
    });
  }
  return spec;
}

/** What `kiln build` does with the result; `tags` are `-t`, or the image's Chutes identity when no `-t` is given. */
function chooseOutput(flags: BuildFlags, spec: OutputSpec | undefined, tags: readonly string[]): OutputSpec | undefined {
  const modes = [spec !== undefined, flags.push === true, flags.load === true].filter(Boolean).length;
  if (modes > 1) throw new KilnError('invalid_argument', 'use only one of --output, --push and --load', { hint: '--push = --output type=image,push=true; --load = --output type=docker.' });
  if (spec !== undefined) {
    if ((spec.type === 'image' || spec.type === 'docker' || spec.type === 'oci') && spec.names.length === 0 && tags.length > 0) {
      return { ...spec, names: [...tags] };
    }
    return spec;
  }
  if (flags.push === true) {
    if (tags.length === 0) throw new KilnError('invalid_argument', '--push needs at least one -t/--tag naming where to push');
    return { type: 'image', names: [...tags], push: true };
  }
  if (flags.load === true || tags.length > 0) return { type: 'docker', names: [...tags] };
  return undefined;
}


/**
 * What `kiln build <module>` does once its arguments are parsed (loaded when the command runs, not for --help). With
 * `--progress rawjson` the error it ends with is a JSON line too (`{"kiln":"error",…}`): every line of stderr is JSON.
 */
export async function runBuild(io: CliIO, globals: () => GlobalOptions, moduleArg: string, flags: BuildFlags, command: Command): Promise<void> {
  try {
    await buildCommand(io, globals, moduleArg, flags, command);
  } catch (err) {
    // (-q with --progress rawjson is refused as a contradiction: that error is text, as the mode is not rawjson.)
    if (flags.progress !== 'rawjson' || flags.quiet === true || err instanceof ReportedExit) throw err;
    io.stderr.write(jsonEventLine({ kiln: 'error', error: jsonError(err, globals().debug === true) }));
    throw new ReportedExit(err);
  }
}

async function buildCommand(io: CliIO, globals: () => GlobalOptions, moduleArg: string, flags: BuildFlags, command: Command): Promise<void> {
  const started = Date.now();
  const gitContext = parseGitContext(moduleArg);
  refuseForeignBuildFlags(command, gitContext === undefined ? new Set() : GIT_CONTEXT_FLAGS);
  // A path given as --flag=~/… (or quoted) reaches kiln with its ~ (sh expands one only at the start of a word):
  // read as the home directory, as for the paths inside --output, --cache-from/--cache-to, --secret and --ssh.
  for (const key of ['iidfile', 'metadataFile', 'lockFile'] as const) {
    const value = flags[key];
    if (value !== undefined) flags[key] = expandHomePath(value, io.env);
  }
  if (gitContext !== undefined && flags.context !== undefined) {
    throw new KilnError('invalid_argument', `--context ${flags.context}: the git repository ${gitContext.text} is the build context`, {
      hint: 'Drop --context; name a directory of the repository with URL#REF:SUBDIR.',
    });
  }
  const dockerfileFlags = gitContext === undefined ? undefined : gitDockerfileFlags(command, io.env, io.cwd);
  // A git repository's Dockerfile is read once the daemon has fetched it; its lock file is the working directory's.
  const ref = gitContext === undefined ? parseModuleRef(moduleArg) : { path: './Dockerfile' };
  checkOutputCount(flags.output);
  // Checked before the module is loaded; what the daemon and the output allow is checked before the build.
  const attestations = parseAttestationFlags(flags);
  const progress = progressFlag(flags, command.getOptionValueSource('progress') === 'cli');
  // Parsed here rather than by the option parser, which would quote the whole spec (and any token in it).
  const cacheFrom = (flags.cacheFrom ?? []).flatMap((spec) => parseCacheFlag('--cache-from', spec));
  const cacheTo = (flags.cacheTo ?? []).flatMap((spec) => parseCacheFlag('--cache-to', spec));
  // A git repository's build sends only its local named contexts (--build-context src=../lib): the directory holding them.
  const context = dockerfileFlags === undefined ? contextDir(io, flags.context) : contextHolding(dockerfileFlags.contexts, io.cwd);
  const watch = flags.watch === true;
  const onFailure = onFailureFlag(flags, watch);
  if (onFailure?.tty === true && io.stdin?.isTTY !== true) {
    throw stdinNotATerminal('--on-failure-tty', 'the failed step\'s command', 'the command then runs without one, reading stdin when it is not a terminal');
  }
  const platforms = platformOption(flags.platform);
  // As written: the message of an opened failed step names its platform when several were asked for.
  const multiPlatform = 'platforms' in platforms && new Set(platforms.platforms).size > 1;
  if (watch && gitContext !== undefined) {
    throw new KilnError('invalid_argument', `--watch watches local files, and ${gitContext.text} is a git repository`, {
      hint: 'Build a module (image.ts) with --watch; its local sources and the files it imports are watched.',
    });
  }
  const firstImage = gitContext === undefined && !watch ? await loadImage(ref, io.cwd, context) : undefined;
  const entitlements: Entitlement[] = [];
  for (const a of flags.allow ?? []) {
    if (a !== 'network.host' && a !== 'security.insecure') {
      throw new KilnError('invalid_argument', `--allow ${a} is not an entitlement; use network.host or security.insecure`);
    }
    entitlements.push(a);
  }
  if (flags.lock === true && flags.frozenLock === true) {
    throw new KilnError('invalid_argument', '--lock rewrites the lock file and --frozen-lock forbids changing it; use one of them');
  }
  const sourceDateEpoch = parseSourceDateEpoch(io.env['SOURCE_DATE_EPOCH']);
  const lockPath = lockFilePath(io.cwd, ref.path, flags.lockFile);

  /**
   * What a build of `image` does with its result, checked before anything is sent (for a watch: before each build).
   * `named`: the image is not loaded yet (a watch checks its flags once before it starts) and may have a name of its own.
   */
  const planRound = async (image: Image | undefined, named?: string) => {
    // A Chutes image (`new Image({ username, name, tag })`) is named username/name:tag unless -t says otherwise, as
    // buildImage does.
    const reference = image?.reference ?? named;
    const identity = flags.tag === undefined && reference !== undefined;
    const tags = flags.tag ?? (reference === undefined ? [] : [reference]);
    // As with buildx, -t names an image output, replacing its name= (said below, as buildx does not).
    const given = outputFlag(flags.output, tags, io);
    const tagged = given === undefined ? undefined : tagsOverOutputNames(given, flags.tag);
    const output = withAnnotations(chooseOutput(flags, tagged?.output, tags), annotationAttrs(flags.annotation ?? []));
    if (flags.iidfile !== undefined && (output?.type === 'local' || output?.type === 'tar')) {
      throw new KilnError('invalid_argument', `--iidfile needs an image, and --output type=${output.type} writes files`, {
        hint: 'Use --load, --push or --output type=image|docker|oci for an image ID, or drop --iidfile.',
      });
    }
    // Without an output the daemon exports nothing and reports no ID: said before building, not after.
    if (flags.iidfile !== undefined && output === undefined) {
      throw new KilnError('invalid_argument', '--iidfile needs an image, and no output was requested (the result would not be kept)', {
        hint: 'Add --load, -t NAME, --push or --output type=image|docker|oci for an image ID, or drop --iidfile.',
      });
    }
    // A watch writes one build after another: an archive on stdout would be several archives end to end.
    if (watch && output !== undefined && 'dest' in output && output.dest === '-') {
      throw new KilnError('invalid_argument', `--watch builds again on every change, and --output type=${output.type} writes a tarball to stdout`, {
        hint: `Name a file (--output type=${output.type},dest=FILE): each build replaces it.`,
      });
    }
    // The command run in a failed step writes on stdout: into the tarball's stream, it would make a broken archive.
    if (onFailure !== undefined && output !== undefined && 'dest' in output && output.dest === '-') {
      throw new KilnError('invalid_argument', `--on-failure=${onFailure.mode} writes what the failed step's command prints on stdout, and --output type=${output.type} writes a tarball there`, {
        hint: `Name a file (--output type=${output.type},dest=FILE), or drop --on-failure.`,
      });
    }
    // A failed build must not leave the previous build's ID for a script to pick up. Only a regular file is removed:
    // `--iidfile /dev/stdout` (a link to a device) must stay what it is.
    if (flags.iidfile !== undefined) await removeRegularFile(resolvePath(io.cwd, flags.iidfile));
    if (output !== undefined) checkRewriteTimestampEpoch(output, sourceDateEpoch);
    const existingLock = await readImageLock(lockPath);
    if (flags.frozenLock === true && existingLock === undefined) {
      throw new KilnError('invalid_argument', `--frozen-lock needs the lock file ${lockPath}, which does not exist`, {
        hint: 'Write it once with `kiln build --lock` and commit it, or point --lock-file at it.',
      });
    }
    const lock = flags.lock === true ? undefined : existingLock;
    return { reference, identity, tags, tagged, output, existingLock, lock };
  };
  // A watch loads its module in every build, and a failing module does not end it; a flag mistake is not fixed by an
  // edit: said once, before connecting, as without --watch (the module may name the image: a Chutes identity).
  const firstPlan = await planRound(firstImage, watch ? 'kiln-watch/any-image:latest' : undefined);
  // Ctrl-C, SIGTERM (what `timeout`, CI cancellation and `docker stop` send), SIGHUP (the terminal was closed) and
  // the reader of kiln's output going away (`kiln build … | head -1`) cancel the build on the daemon and remove
  // anything half-written before kiln exits; a second Ctrl-C ends kiln at once.
  const stopped = stopOnSignals('build');
  const { cancelledBy } = stopped;
  let client: Awaited<ReturnType<typeof connectFromOptions>>;
  try {
    client = await connectFromOptions(globals(), io, stopped.signal);
  } catch (err) {
    stopped.stop();
    throw cancelledBy(err);
  }
  const progressMode = resolveProgressMode(progress, io.stderr, io.env);
  /** What a build writes on this machine: a watch does not take their changes for the user's. */
  const writtenPaths = (): string[] => {
    const paths: string[] = [];
    // The output's destination as the first plan read it (the flag parsed, ~ expanded); the same for every build.
    const output = firstPlan.output;
    if (output !== undefined && 'dest' in output && output.dest !== undefined && output.dest !== '-') paths.push(resolvePath(io.cwd, output.dest));
    for (const f of [flags.iidfile, flags.metadataFile]) if (f !== undefined) paths.push(resolvePath(io.cwd, f));
    if (flags.lock === true) paths.push(resolvePath(io.cwd, lockPath));
    for (const c of localDirsFrom(io, cacheTo)) if (c.type === 'local' && c.attrs['dest'] !== undefined && c.attrs['dest'] !== '') paths.push(c.attrs['dest']);
    return paths;
  };

  /** Builds `image` (undefined: a git repository's Dockerfile, read first) and does what the flags say with it. */
  const buildRound = async (image: Image | undefined, planned: Awaited<ReturnType<typeof planRound>>, signal: AbortSignal, started: number): Promise<BuildRoundResult> => {
    const { reference, identity, tags, tagged, output, existingLock, lock } = planned;
    let plan: ExportPlan | undefined;
    const renderer = createProgressRenderer(progressMode, { stream: io.stderr, env: io.env });
    const display = createProgressDisplay(renderer);
    /** `--on-failure` opened the failed step: the display was ended early, and the error keeps the step's output. */
    let openedFailedStep = false;
    const onStepFailure =
      onFailure === undefined
        ? undefined
        : async (failed: FailedStep): Promise<void> => {
            openedFailedStep = true;
            await display.finish();
            await openFailedStep(io, failed, onFailure, { json: progressMode === 'rawjson', multiPlatform, signal, debug: globals().debug === true, signals: stopped });
          };
    try {
      if (identity && output !== undefined && output.type !== 'local' && output.type !== 'tar') {
        await display.onStatus(progressNote(`[kiln] naming the image ${reference} (its username/name:tag; -t names it otherwise)`));
      }
      if (tagged !== undefined && tagged.replaced.length > 0) {
        await display.onStatus(progressNote(`[kiln] naming the image ${tags.join(', ')} (-t), not ${tagged.replaced.join(', ')} (the output's name=): -t replaces name=, as with docker buildx build`));
      }
      if (lock !== undefined) await display.onStatus(progressNote(`[kiln] using lock file ${lockPath} (${lock.size} base image pin${lock.size === 1 ? '' : 's'})`));
      const info = await client.info({ signal });
      const cacheImports = validateCacheOptions('import', localDirsFrom(io, cacheFrom), info, io.env);
      const cacheExports = validateCacheOptions('export', localDirsFrom(io, cacheTo), info, io.env);
      plan = output === undefined ? undefined : await planExport(output, info, client.address.text, { env: io.env, stdout: io.stdout, signal, attestations: attestations !== undefined, onProgress: display.onStatus });
      for (const n of plan?.notes ?? []) await display.onStatus(progressNote(n));
      const extra = [...(plan?.sessionServices ?? [])];
      // Agents as buildImage's `ssh` option, so that a step's agent nobody forwards is named before building.
      const ssh = (flags.ssh ?? []).map((spec) => {
        const where = { env: io.env, cwd: io.cwd };
        const agent = parseSshSpec(spec, where);
        // Resolved here, against the CLI's directory, with `~/` the home directory (sh passes it unexpanded).
        return agent.keys === undefined
          ? { id: agent.id, socket: resolveSshPath(agent.socket ?? '', where) }
          : { id: agent.id, keys: agent.keys.map((k) => resolveSshPath(k, where)) };
      });
      // Registry credentials: the Docker config's, plus those of private bases (`fromRegistry(ref, { secret })`).
      const services = (needs: SessionNeeds): SessionService[] => [
        authService({ env: io.env, ...(needs.registrySecrets.size > 0 ? { credentials: registryCredentials(needs.registrySecrets, io.env) } : {}) }),
        ...extra,
      ];
      if (gitContext !== undefined && dockerfileFlags !== undefined) {
        // Only the Dockerfile comes here: the build's context is the daemon's clone of the repository.
        const gitServices = [
          ...(flags.secret === undefined ? [] : [secretsService(flags.secret, { env: io.env })]),
          ...(ssh.length === 0 ? [] : [sshService(ssh, { env: io.env })]),
        ];
        const { text, commit } = await readGitDockerfile(client, gitContext, dockerfileFlags.file, { sessionServices: gitServices, onStatus: display.onStatus, signal });
        image = imageFromGitDockerfile(text, { ...gitContext, commit }, {
          file: dockerfileFlags.file,
          buildArgs: dockerfileFlags.buildArgs,
          contexts: dockerfileFlags.contexts,
          ...(dockerfileFlags.target === undefined ? {} : { target: dockerfileFlags.target }),
        });
      }
      if (image === undefined) throw new KilnError('internal', 'no image to build');
      const builtImage = image;
      // Proxies as docker build passes them: --build-arg HTTP_PROXY=… (a module's build takes only these), else the
      // Docker config's "proxies"; in every step's proxy_env, out of the image and the cache keys.
      const proxyArgs = dockerfileFlags?.buildArgs ?? parseBuildArgFlags(optionValues(command, 'buildArg'), io.env);
      const proxy = cliBuildProxy(proxyArgs, io.env, dockerProxyHostKey(client.address, io.env));
      const built = await buildImage(client, builtImage, {
        ...(plan === undefined ? {} : { exporter: plan.exporter }),
        tags,
        onStatus: display.onStatus,
        signal,
        sessionServices: services,
        ...(flags.secret === undefined ? {} : { secrets: flags.secret }),
        ...(ssh.length === 0 ? {} : { ssh }),
        ...(cacheImports.length === 0 ? {} : { cacheImports }),
        ...(cacheExports.length === 0 ? {} : { cacheExports }),
        ...platforms,
        context,
        ...(flags.cache === false ? { forceBuild: true } : {}),
        ...(entitlements.length > 0 ? { entitlements } : {}),
        ...(lock === undefined ? {} : { lock }),
        ...(flags.frozenLock === true ? { frozenLock: true } : {}),
        ...(flags.lock === true ? { resolveDigests: true } : {}),
        ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
        ...(proxy === undefined ? {} : { proxy }),
        ...(attestations === undefined ? {} : { attestations }),
        ...(onStepFailure === undefined ? {} : { onStepFailure }),
      });
      if (flags.lock === true) {
        const unresolved = built.bases.filter((b) => b.digest === undefined).map((b) => b.ref);
        if (unresolved.length > 0) {
          throw new KilnError('unavailable', `cannot lock ${unresolved.join(', ')}: the daemon reported no registry digest for it`, {
            hint: 'Lock files record registry digests; push the base image to a registry the daemon can reach and build from that name.',
          });
        }
        const merged = built.bases.reduce((l, b) => l.with(b.ref, b.platform, b.digest!), existingLock ?? ImageLock.empty());
        await writeImageLock(lockPath, merged);
      }
      const summary = await display.finish();
      const result = plan === undefined ? undefined : await plan.finish(built.outcome.exporterResponse);
      // Lines for the user on stderr; `--progress rawjson` keeps stderr to the status stream's JSON lines, for a
      // program to read (the result is the digest on stdout and `--metadata-file`).
      const note = (text: string): void => {
        if (progress !== 'rawjson') println(io.stderr, text);
      };
      // The time the user waited (connect, session, export included), not only the daemon's step times, which add up
      // to "0.0s" on a cached rebuild. The build succeeded: a step that failed on the way without failing it (a cache
      // import whose ref does not exist yet, on a pipeline's first run) is not "1 failed". `--progress quiet`: no
      // summary, only what became of the result (below).
      if (progress !== 'quiet') note(formatSummaryLine({ ...summary, durationMs: Date.now() - started }, { outcome: 'success' }));
      if (flags.lock === true) {
        // One base built for two platforms is one image with two pins.
        const refs = new Set(built.bases.map((b) => b.ref)).size;
        const pins = built.bases.length === refs ? '' : ` (${built.bases.length} platform pins)`;
        note(`locked ${refs} base image${refs === 1 ? '' : 's'}${pins} in ${lockPath}`);
      }
      for (const c of built.outcome.localCacheExports) note(`exported cache to ${c.dest} (tag ${c.tag}, ${c.digest})`);
      const digest = result?.digest ?? built.digest;
      if (output === undefined) note('built (no output requested: add --load, --push, -t or --output to keep the result)');
      // An archive written to stdout (`-o type=oci|docker|tar,dest=-`) must stay the archive alone.
      const archiveOnStdout = result?.dest === '-' || (output !== undefined && 'dest' in output && output.dest === '-');
      if (digest !== undefined && !archiveOnStdout) println(io.stdout, digest);
      else if (digest !== undefined) note(digest);
      for (const n of result?.names ?? []) note(`${result?.pushed === true ? 'pushed' : 'named'} ${n}`);
      if (result?.dest !== undefined && result.dest !== '-') note(`wrote ${result.dest}`);
      if (flags.iidfile !== undefined) {
        // An image a buildkitd's docker tarball put into Docker has the ID that Docker gave it (the manifest digest
        // with the containerd image store), not the config digest the daemon reports.
        const loadedName = output?.type === 'docker' && output.dest === undefined && plan?.exporter.type !== 'moby' ? result?.names[0] : undefined;
        const loadedId = loadedName === undefined ? undefined : await dockerImageId(dockerEndpointFromEnv(io.env), loadedName, signal);
        const id = loadedId ?? built.imageId ?? digest;
        if (id === undefined) throw new KilnError('protocol', 'the daemon reported no image ID for --iidfile');
        await writeFileAtomic(resolvePath(io.cwd, flags.iidfile), id, 'image ID file');
      }
      if (flags.metadataFile !== undefined) {
        const meta = {
          // buildx's keys first (containerimage.digest, image.name, …), then kiln's.
          ...exporterMetadata(built.outcome.exporterResponse),
          digest: digest ?? null,
          imageId: built.imageId ?? null,
          tags: result?.names ?? [],
          pushed: result?.pushed ?? false,
          output: output ?? null,
          exporterResponse: built.outcome.exporterResponse,
          definitionDigest: built.compiled.definition.digest(),
          ...(built.platforms === undefined ? {} : { platforms: built.platforms.map((p) => ({ platform: p.platform, definitionDigest: p.compiled.definition.digest() })) }),
          durationMs: Date.now() - started,
          steps: summary.steps,
          cached: summary.cached,
          bases: built.bases,
        };
        await writeFileAtomic(flags.metadataFile, `${JSON.stringify(meta, null, 2)}\n`, 'metadata file');
      }
      return { digest, names: result?.names ?? [], pushed: result?.pushed === true, dest: result?.dest };
    } catch (err) {
      await display.finish();
      await plan?.abort();
      if (stopped.reason() !== undefined && KilnError.is(err, 'cancelled')) throw cancelledBy(err);
      // The export failed on this side (a full disk, a read-only destination): the daemon said only that its export
      // step failed, and that it was a registry's fault is not the advice to give.
      const local = plan?.localFailure?.();
      if (local !== undefined && !KilnError.is(err, 'cancelled')) throw local;
      // Every mode but rawjson has just printed the failed step's output: the error need not repeat its tail.
      if (progressMode !== 'rawjson' && !openedFailedStep) throw withoutShownLogTail(err, display.state());
      throw err;
    }
  };

  try {
    if (!watch) {
      await buildRound(firstImage, firstPlan, stopped.signal, started);
      return;
    }
    const { watchBuilds } = await import('../watch-builds.js');
    await watchBuilds({
      io,
      debug: globals().debug === true,
      context,
      format: progress === 'rawjson' ? 'json' : 'text',
      signal: stopped.signal,
      written: writtenPaths(),
      load: async (round, addInput) => loadImage(ref, io.cwd, context, { version: round, onInputs: addInput }),
      build: async (image, signal, startedAt) => buildRound(image, await planRound(image), signal, startedAt),
    });
    // Ctrl-C is the way out of a watch, not a failure: one calm line (with rawjson, a `stopped` event: stderr stays
    // JSON lines), and the exit code of the signal (130), as the README's exit codes say.
    const signal = stopped.reason() ?? 'SIGINT';
    if (progress === 'rawjson') io.stderr.write(jsonEventLine({ kiln: 'stopped', signal }));
    else println(io.stderr, `[watch] stopped watching (${signal})`);
    throw new ReportedExit(new KilnError('cancelled', `stopped watching (${signal})`, { details: { signal } }));
  } finally {
    stopped.stop();
    await client.close();
  }
}

/** What one build gave, for the line a watch prints after it. */
export interface BuildRoundResult {
  readonly digest: string | undefined;
  readonly names: readonly string[];
  readonly pushed: boolean;
  readonly dest: string | undefined;
}

/** The `docker build` flags a git repository's Dockerfile takes. */
/** `--on-failure` and the command after `--`, checked before anything is loaded. */
function onFailureFlag(flags: BuildFlags, watch: boolean): OnFailureRequest | undefined {
  const command = flags.onFailureCommand ?? [];
  const asked = flags.onFailureState ?? 'failed';
  if (!(FAILED_STEP_STATES as readonly string[]).includes(asked)) {
    throw new KilnError('invalid_argument', `--on-failure-state ${asked} is not a state of the step: failed (as its command left it) or initial (before it ran)`);
  }
  const state = asked as FailedStepState;
  const tty = flags.onFailureTty === true;
  const stopTimeout = flags.onFailureStopTimeout;
  const stopSignal = flags.onFailureStopSignal;
  if (flags.onFailure === undefined) {
    if (tty) {
      throw new KilnError('invalid_argument', '--on-failure-tty gives the command --on-failure runs in a failed step a terminal, and --on-failure was not given', {
        hint: 'Add --on-failure=exec -- COMMAND… (or --on-failure=shell, which has a terminal at a terminal already).',
      });
    }
    if (flags.onFailureState !== undefined) {
      throw new KilnError('invalid_argument', `--on-failure-state ${flags.onFailureState} says which state of a failed step --on-failure opens, and --on-failure was not given`, {
        hint: 'Add --on-failure=shell or --on-failure=exec -- COMMAND…',
      });
    }
    if (flags.onFailureStopTimeout !== undefined) {
      throw new KilnError('invalid_argument', `--on-failure-stop-timeout ${flags.onFailureStopTimeout} says how long the command --on-failure runs in a failed step has to exit after a passed signal, and --on-failure was not given`, {
        hint: 'Add --on-failure=shell or --on-failure=exec -- COMMAND…',
      });
    }
    if (stopSignal !== undefined) {
      throw new KilnError('invalid_argument', `--on-failure-stop-signal SIG${stopSignal} says which signal the command --on-failure runs in a failed step is sent when kiln is asked to stop, and --on-failure was not given`, {
        hint: 'Add --on-failure=shell or --on-failure=exec -- COMMAND…',
      });
    }
    if (command.length > 0) {
      throw new KilnError('invalid_argument', `kiln build takes one module, and was also given ${JSON.stringify(command.join(' '))}`, {
        hint: 'A command after -- is for --on-failure=exec (kiln build image.ts --on-failure=exec -- cat /tmp/log); a second module needs its own kiln build.',
      });
    }
    return undefined;
  }
  if (watch) throw new KilnError('invalid_argument', '--on-failure opens a failed step once, and --watch builds again on every change', { hint: 'Use one or the other.' });
  if (flags.onFailure === 'shell') {
    if (command.length > 0) throw new KilnError('invalid_argument', `--on-failure=shell opens /bin/sh, and was also given the command ${JSON.stringify(command.join(' '))}`, { hint: 'Use --on-failure=exec -- COMMAND… to run a command.' });
    return { mode: 'shell', args: ['/bin/sh'], state, tty, stopTimeout, stopSignal };
  }
  if (flags.onFailure === 'exec') {
    if (command.length === 0) throw new KilnError('invalid_argument', '--on-failure=exec needs the command to run, after --', { hint: 'kiln build image.ts --on-failure=exec -- cat /tmp/build.log' });
    return { mode: 'exec', args: command, state, tty, stopTimeout, stopSignal };
  }
  throw new KilnError('invalid_argument', `--on-failure ${flags.onFailure} is not a mode: shell or exec`);
}

const GIT_CONTEXT_FLAGS: ReadonlySet<string> = new Set(['--file', '--build-arg', '--target', '--build-context']);

/** `-f`, `--build-arg`, `--target` and `--build-context` for a git repository's Dockerfile. */
interface GitDockerfileFlags {
  readonly file: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target: string | undefined;
  readonly contexts: ReadonlyMap<string, NamedContext>;
}

/**
 * The Dockerfile flags given with a git context, checked before anything is fetched. `--build-arg NAME` alone takes
 * the variable NAME (left out when it is not set), as docker build does.
 */
function gitDockerfileFlags(command: Command, env: Readonly<Record<string, string | undefined>>, cwd: string): GitDockerfileFlags {
  const values = (name: string): string[] => optionValues(command, name);
  const files = values('file');
  if (files.length > 1) throw new KilnError('invalid_argument', `-f was given ${files.length} times; name one Dockerfile`);
  const targets = values('target');
  if (targets.length > 1) throw new KilnError('invalid_argument', `--target was given ${targets.length} times; name one stage`);
  const buildArgs = parseBuildArgFlags(values('buildArg'), env);
  const contexts = buildContextFlags(values('buildContext'), gitDockerfileFlags, cwd);
  return { file: gitContextDockerfile(files[0]), buildArgs, target: targets[0], contexts };
}

/** The values a repeatable option was given (none when it was not). */
function optionValues(command: Command, name: string): string[] {
  const v: unknown = command.getOptionValue(name);
  return Array.isArray(v) ? v.map(String) : [];
}

/** `--platform` values (repeated, or comma-separated): one platform, or the platforms of a multi-platform image. */
function platformOption(values: readonly string[] | undefined): { platform: string } | { platforms: string[] } | Record<string, never> {
  const list = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (list.length === 0) return {};
  if (list.length === 1) return { platform: list[0] as string };
  return { platforms: list };
}

/**
 * The progress mode `--progress`, `BUILDKIT_PROGRESS` and `-q` ask for. As in buildx, `none` is `quiet`, and `-q` with
 * a `--progress` other than `auto` or `quiet` is a contradiction; a `BUILDKIT_PROGRESS` left in the environment yields
 * to `-q`.
 */
function progressFlag(flags: BuildFlags, fromCommandLine: boolean): ProgressMode {
  const asked = flags.progress === 'none' ? 'quiet' : (flags.progress as ProgressMode);
  if (flags.quiet !== true) return asked;
  if (fromCommandLine && asked !== 'auto' && asked !== 'quiet') {
    throw new KilnError('invalid_argument', `--progress ${flags.progress} and --quiet cannot be used together`, { hint: '--quiet is --progress quiet.' });
  }
  return 'quiet';
}

/**
 * Removes the regular file at `path`, or the one a symbolic link there points to (the link stays, and the new ID is
 * written through it); a device, pipe or directory is left alone, and a missing path is fine.
 */
async function removeRegularFile(path: string): Promise<void> {
  const { target, existing } = await resolveFileTarget(path);
  if (existing?.isFile() === true) await rm(target, { force: true });
}
