/**
 * Dockerfile input for `Image.fromDockerfile()`, `image.dockerfileCommands()` and `fromRegistry`'s
 * `setupDockerfileCommands`: each instruction becomes the same step the equivalent `Image` method makes.
 *
 * Internal module.
 */
import { statSync } from 'node:fs';
import { readLocalText } from './local-reads.js';
import { posix } from 'node:path';
import { invalidArgument } from '../errors.js';
import { isSha256Digest } from '../sha256-digest.js';
import { cleanPath } from '../llb/paths.js';
import { gitUrlProblem, isGitRepositoryUrl, splitGitUrl } from '../llb/git-remote.js';
import { DockerfileError, type Instruction, csvOptions, expandPortRange, keyValues, oneWord, parseDockerfile, splitWords } from './dockerfile-parse.js';
import { SubstitutionError, applyModifier, expandVariables, isPatternOp, referencedNames, variableParts, writtenReference } from './env-expand.js';
import type { Image } from './image.js';
import { parseDockerignore } from './ignore-patterns.js';
import { type FilterState, createPathFilter } from '../session/ignore-patterns.js';
import { runStep } from './installers.js';
import { dockerfileStepSource, type StepSource } from './step-source.js';
import { copyStep, localFile, localFileSource, onDisk, registryBase, wildcardSource, wildcardSplit } from './step-builders.js';
import type { Base, CopyStep, DefaultedSource, EnvChange, LocalRef, MountOwner, RunMount, SecretUse, Step } from './steps.js';
import * as v from './validate.js';
import type { GpuInput, SecretInput } from './validate.js';
import { proxyFromBuildArgs } from './build-proxy.js';
import { climbsOut } from './context-relative.js';
import { type ContextValue, type NamedContext, lookupContext } from './named-contexts.js';

/**
 * A HEALTHCHECK's config as Docker writes it: `Test` (`["NONE"]`, `["CMD", …]` or `["CMD-SHELL", "…"]`), the times
 * given as flags in nanoseconds, and `Retries`. Throws with the reason for a malformed one.
 */
function parseHealthcheck(rest: string, flags: ReadonlyMap<string, string>): Record<string, unknown> {
  const text = rest.trim();
  if (/^NONE$/i.test(text)) {
    if (flags.size > 0) throw new Error('HEALTHCHECK NONE takes no flags');
    return { Test: ['NONE'] };
  }
  const m = /^CMD\s+([\s\S]+)$/i.exec(text);
  if (m === null) throw new Error('HEALTHCHECK needs NONE or CMD followed by a command');
  const command = (m[1] as string).trim();
  let test: string[] = ['CMD-SHELL', command];
  if (command.startsWith('[')) {
    const parsed: unknown = JSON.parse(command);
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error('HEALTHCHECK CMD [...] must be a JSON array of strings');
    test = ['CMD', ...(parsed as string[])];
  }
  const out: Record<string, unknown> = { Test: test };
  const durations: readonly [string, string][] = [['interval', 'Interval'], ['timeout', 'Timeout'], ['start-period', 'StartPeriod'], ['start-interval', 'StartInterval']];
  for (const [flag, field] of durations) {
    const value = flags.get(flag);
    if (value === undefined) continue;
    const ns = goDurationNs(value);
    if (ns === undefined) throw new Error(`--${flag}=${value} is not a duration such as 30s, 1m30s or 500ms`);
    if (ns !== 0) out[field] = ns;
  }
  const retries = flags.get('retries');
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries)) throw new Error(`--retries=${retries} must be a whole number`);
    if (Number(retries) !== 0) out['Retries'] = Number(retries);
  }
  return out;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration (`1m30s`, `500ms`, `0`) in nanoseconds; undefined when it is not one. */
function goDurationNs(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    at = re.lastIndex;
  }
  return at === text.length && at > 0 ? Math.round(total) : undefined;
}

/** The platform args Docker defines for every build (a stage sees one after declaring it with `ARG`). */
const PLATFORM_ARGS: ReadonlySet<string> = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT']);

/** The `RUN --mount` options kiln carries out, by mount type (besides type and target). */
const MOUNT_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  cache: ['id', 'sharing', 'from', 'source', 'src', 'uid', 'gid', 'mode'],
  secret: ['id', 'source', 'src', 'env', 'required', 'uid', 'gid', 'mode'],
  bind: ['source', 'src', 'from', 'rw', 'readwrite', 'ro', 'readonly'],
  tmpfs: ['size'],
  ssh: ['id', 'required', 'uid', 'gid', 'mode'],
};

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** A tmpfs `size=` as Docker reads it: bytes, or a number with a binary unit (`64m`, `1.5GiB`, `512k`). */
function sizeInBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp]?)i?b?$/i.exec(text);
  return m === null ? undefined : Math.floor(Number(m[1]) * (SIZE_UNITS[(m[2] as string).toLowerCase()] as number));
}

/** A mount's `uid=`, `gid=` (decimal) and `mode=` (octal) options, if it has any. */
function mountOwner(options: ReadonlyMap<string, string>, bad: (message: string) => never): MountOwner | undefined {
  const id = (key: 'uid' | 'gid'): number | undefined => {
    const text = options.get(key);
    if (text === undefined) return undefined;
    return /^\d+$/.test(text) && Number(text) <= 0xffffffff ? Number(text) : bad(`${key}= must be a number such as 1000, got ${JSON.stringify(text)}`);
  };
  const uid = id('uid');
  const gid = id('gid');
  const modeText = options.get('mode');
  const mode = modeText === undefined ? undefined : /^[0-7]{1,7}$/.test(modeText) ? parseInt(modeText, 8) & 0o7777 : bad(`mode= must be octal such as 0755, got ${JSON.stringify(modeText)}`);
  if (uid === undefined && gid === undefined && mode === undefined) return undefined;
  return { ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }), ...(mode === undefined ? {} : { mode }) };
}

/**
 * Replaces the `$NAME`, `${NAME}` and `${NAME:-word}` (any modifier) references `lookup` has a value for (the build
 * args), leaving every other reference as written; a literal `$` is escaped (`\$`) so that expanding the result
 * later keeps it literal.
 */
function substituteVariables(value: string, lookup: (name: string) => string | undefined): string {
  const literal = (text: string): string => text.replace(/[$}]/g, (c) => `\\${c}`);
  return variableParts(value, { modifiers: true })
    .map((p) => {
      if (p.kind === 'text') return literal(p.text);
      const found = lookup(p.name);
      const m = p.modifier;
      if (m === undefined) return found === undefined ? writtenReference(p) : literal(found);
      // `${NAME:-word}` and the other modifiers: decided now when NAME is a build arg; otherwise only the word's args
      // go in. A chosen word stays as substituted: the compiler expands what is left in it.
      if (found === undefined) {
        const replacement = m.replacement === undefined ? {} : { replacement: substituteVariables(m.replacement, lookup) };
        return writtenReference({ ...p, modifier: { op: m.op, word: substituteVariables(m.word, lookup), ...replacement } });
      }
      // A pattern (`${ARG%.*}`) is matched now: its references are build args too (others are empty here).
      if (isPatternOp(m.op)) return literal(applyModifier(p.name, found, m, (word) => expandVariables(word, lookup, 'empty')));
      let decided: string | undefined;
      const result = applyModifier(p.name, found, m, (word) => (decided = substituteVariables(word, lookup)));
      return decided ?? literal(result);
    })
    .join('');
}

/** What the reader knows about a stage's variables and shell when the stage ends. */
interface StageScope {
  readonly known: ReadonlyMap<string, string>;
  readonly deferred: ReadonlySet<string>;
  readonly args: ReadonlyMap<string, string>;
  readonly platformArgs: ReadonlySet<string>;
  readonly shell: readonly string[] | undefined;
}

/** Where Dockerfile instructions come from and what they may use. */
export interface DockerfileContext {
  readonly context: string;
  readonly buildArgs?: Readonly<Record<string, string>> | undefined;
  readonly target?: string | undefined;
  readonly secrets?: readonly SecretInput[] | undefined;
  readonly gpu?: GpuInput | undefined;
  /** Modal's `context_files`: path in the build context → local path it is taken from instead. */
  readonly contextFiles?: Readonly<Record<string, string>> | undefined;
  /** The Dockerfile's own path, for its `<name>.dockerignore` (fromDockerfile). */
  readonly dockerfile?: string | undefined;
  /**
   * The build context as an image the daemon makes (a git repository's tree, for `kiln build <git-url>`), in place of
   * the local directory `context`: `COPY`/`ADD` sources and `RUN --mount=type=bind` without `from=` are taken from it,
   * wildcards matched by the daemon. No `.dockerignore` applies, as with BuildKit's own frontend and a git context.
   */
  readonly contextImage?: Image | undefined;
  /**
   * What a failed step's location calls a Dockerfile that is no file here (`app/Dockerfile`, its path in the git
   * repository of `kiln build <git-url>`); {@link DockerfileContext.dockerfile} names one that is.
   */
  readonly dockerfileName?: string | undefined;
  /**
   * `dockerfileCommands`' instructions as the user passed them, and the stack of that call: each step is located at
   * the element of the list holding its instruction (when the list is a literal in the caller's file), else at the call.
   */
  readonly commands?: { readonly list: readonly string[]; readonly stack: string } | undefined;
  /**
   * Named contexts (`fromDockerfile(path, { contexts })`, `--build-context`), keyed by {@link contextName}: one named
   * like a stage replaces the stage, one named like an image `FROM`, `COPY --from` or `RUN --mount=from=` uses replaces it.
   */
  readonly contexts?: ReadonlyMap<string, NamedContext> | undefined;
}

/**
 * Which element of `list` (joined with line breaks into one Dockerfile text) holds the instruction starting on 1-based
 * `line` of that text.
 */
function elementAtLine(list: readonly string[]): (line: number) => number {
  const starts: number[] = [];
  let next = 1;
  for (const element of list) {
    starts.push(next);
    next += element.split('\n').length;
  }
  return (line) => {
    let index = 0;
    while (index + 1 < starts.length && (starts[index + 1] as number) <= line) index++;
    return index;
  };
}

/**
 * The `.dockerignore` that filters the context, as BuildKit picks it: `<Dockerfile>.dockerignore` next to the
 * Dockerfile, else `.dockerignore` at the context's root; its patterns (relative to the context), or none.
 */
function dockerignorePatterns(ctx: DockerfileContext, site: v.Site): string[] {
  const candidates = [...(ctx.dockerfile === undefined ? [] : [`${ctx.dockerfile}.dockerignore`]), posix.join(ctx.context, '.dockerignore')];
  for (const file of candidates) {
    let text: string;
    try {
      text = readLocalText(onDisk(file));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return invalidArgument(`cannot read ${file}: ${(cause as Error).message}`, site, { cause });
    }
    return parseDockerignore(text);
  }
  return [];
}

/**
 * A context path as `COPY` names it, for looking it up in `contextFiles`: `/a`, `./a`, `a` and (as BuildKit reads a
 * source above the context root) `../a` are the same.
 */
function contextKey(path: string): string {
  return posix.normalize(`/${path}`).replace(/^\/+/, '').replace(/\/+$/, '');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(onDisk(path)).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(onDisk(path)).isFile();
  } catch {
    return false;
  }
}

/** How the reader creates images (supplied by `image.ts`, which owns the `Image` constructor). */
export interface ImageHooks {
  /** A new image starting from `base`. */
  fresh(base: Base): Image;
  /** `image` with one more step. */
  append(image: Image, step: Step): Image;
}

/**
 * Applies Dockerfile text: onto `start` (instructions only), or, when `start` is undefined, a whole Dockerfile
 * with its stages (the last one, or `ctx.target`, is returned).
 */
export function applyDockerfile(start: Image | undefined, text: string, ctx: DockerfileContext, site: v.Site, hooks: ImageHooks): Image {
  const contexts = ctx.contexts ?? new Map<string, NamedContext>();
  const perPlatform = [...contexts.values()].flatMap((c) => (c.kind === 'per-platform' ? [c] : []));
  const platforms = [...new Set(perPlatform.flatMap((c) => [...c.byPlatform.keys()]))];
  /** The contexts a build for `platform` sees (`undefined`: a platform no context names), as BuildKit looks them up. */
  const seenOn = (platform: string | undefined): ReadonlyMap<string, ContextValue> =>
    new Map(
      [...contexts].flatMap(([key, c]): [string, ContextValue][] => {
        if (c.kind !== 'per-platform') return [[key, c]];
        const value = (platform === undefined ? undefined : c.byPlatform.get(platform)) ?? c.plain;
        return value === undefined ? [] : [[key, value]];
      }),
    );
  const otherwise = readDockerfile(start, text, ctx, seenOn(undefined), site, hooks);
  if (platforms.length === 0) return otherwise;
  // Contexts given per platform: the Dockerfile is read once for each platform they name and once for the others, each
  // reading with that platform's contexts, and the compiler takes the build's platform's. A stage a context replaces is
  // then the context everywhere on that platform, as in BuildKit's frontend: a stage built FROM it sees the context's
  // config (its ENV), none of what the replaced stage writes (its ARG values, its ENV), and neither does `${…}` in it.
  const choices = new Map(platforms.map((p) => [p, readDockerfile(start, text, ctx, seenOn(p), site, hooks)] as const));
  const given = perPlatform.flatMap((c) => [...c.byPlatform.keys()].map((p) => `${c.name}::${p}`));
  return hooks.fresh({ kind: 'per-platform', name: perPlatform.map((c) => c.name).join(', '), given, choices, otherwise });
}

/** {@link applyDockerfile} with the named contexts of one platform (none given per platform). */
function readDockerfile(
  start: Image | undefined,
  text: string,
  ctx: DockerfileContext,
  contexts: ReadonlyMap<string, ContextValue>,
  site: v.Site,
  hooks: ImageHooks,
): Image {
  // A step of a Dockerfile read from a file (or a git repository) is located at its instruction's lines
  // (dockerfileCommands' steps at the user's call, recorded when the step is added).
  let current: Instruction | undefined;
  const dockerfile = ctx.dockerfile === undefined ? ctx.dockerfileName : onDisk(ctx.dockerfile);
  const elementOf = ctx.commands === undefined ? undefined : elementAtLine(ctx.commands.list);
  const sourceOf = (inst: Instruction): StepSource | undefined =>
    dockerfile !== undefined
      ? dockerfileStepSource(dockerfile, text, inst.line, inst.escape)
      : ctx.commands !== undefined && elementOf !== undefined
        ? { kind: 'stack', stack: ctx.commands.stack, element: { method: 'dockerfileCommands', index: elementOf(inst.line), values: ctx.commands.list } }
        : undefined;
  const appendStep = (image: Image, step: Step): Image => {
    const source = current === undefined ? undefined : sourceOf(current);
    return hooks.append(image, source === undefined ? step : { ...step, source });
  };
  const fresh = hooks.fresh;
  let instructions: Instruction[];
  try {
    instructions = parseDockerfile(text);
  } catch (err) {
    if (err instanceof DockerfileError) invalidArgument(`Dockerfile ${err.message}`, site);
    throw err;
  }
  const buildArgs = ctx.buildArgs === undefined ? [] : v.buildArgsRecord(ctx.buildArgs, 'buildArgs', site);
  const given = new Map(buildArgs);
  // Docker's predefined proxy args reach every RUN (in its proxy_env) whether the Dockerfile declares them or not.
  const argProxy = proxyFromBuildArgs(Object.fromEntries(buildArgs));
  const extraSecrets = v.secrets(ctx.secrets, 'secrets', site);
  const gpuReq = v.gpu(ctx.gpu, 'gpu', site);
  const contextFiles = new Map<string, string>();
  if (ctx.contextFiles !== undefined) {
    if (typeof ctx.contextFiles !== 'object' || ctx.contextFiles === null || Array.isArray(ctx.contextFiles)) {
      invalidArgument(`contextFiles must be an object of build-context paths to local paths, e.g. { "config.json": "./conf/prod.json" }, got ${v.show(ctx.contextFiles)}`, site);
    }
    for (const [key, local] of Object.entries(ctx.contextFiles as Record<string, unknown>)) {
      const k = contextKey(key);
      if (k === '') invalidArgument(`contextFiles key ${v.show(key)} must name a file or directory of the build context, such as "config.json"`, site);
      contextFiles.set(k, v.localPath(local, `contextFiles[${v.show(key)}]`, site));
    }
  }
  // Docker leaves out of the context what `.dockerignore` lists, so `COPY` cannot take those files.
  const ignored = ctx.contextImage === undefined ? dockerignorePatterns(ctx, site) : [];
  /** A context path (`path` is under `ctx.context`) as a local source filtered by `.dockerignore`; `undefined` without one. */
  const contextSource = (path: string): { local: LocalRef; path: string } | undefined => {
    if (ignored.length === 0) return undefined;
    const rel = posix.relative(ctx.context, path);
    if (climbsOut(rel)) return undefined;
    return { local: { root: ctx.context, include: rel === '' ? [] : [rel], exclude: ignored, ignoreFiles: [] }, path: `/${rel}` };
  };
  const ignoreFilter = createPathFilter({ exclude: ignored });
  /** Whether the context docker build sends has the directory (path elements under the context): on disk, not ignored. */
  const contextHasDirectory = (elements: readonly string[]): boolean => {
    let state: FilterState | undefined;
    for (let i = 1; i <= elements.length; i++) {
      const decision = ignoreFilter.decide(elements.slice(0, i).join('/'), true, state);
      if (!decision.emit) return false;
      state = decision.state;
    }
    return isDirectory(posix.join(ctx.context, ...elements));
  };
  const stages = new Map<string, Image>();
  const stageList: Image[] = [];
  /**
   * What the reader knows at the end of each named stage: a stage built `FROM` it starts from this, as Docker's
   * frontend starts it from the earlier stage's state (its ENV, its SHELL, and its ARG values, which Docker keeps in
   * that state's environment: the later stage's commands and `${…}` see them, the image config does not).
   */
  const stageScopes = new Map<string, StageScope>();
  // Stage names are case-insensitive (Docker keeps them lowercased), --target too.
  const targetStage = ctx.target?.toLowerCase();
  const globalArgs = new Map<string, string>();
  let image = start;
  let known = new Map<string, string>();
  // ENV names of this stage whose values depend on the image's environment: known only when compiling.
  let deferred = new Set<string>();
  let args = new Map<string, string>();
  // Platform args this stage declared without a value (`ARG TARGETARCH`): the compiler knows the platform.
  let platformArgs = new Set<string>();
  let shell: string[] | undefined;
  let stageName: string | undefined;
  const fail = (inst: Instruction, msg: string): never => invalidArgument(`Dockerfile line ${inst.line} (${inst.keyword}): ${msg}`, site);
  /** What a word or pair reader refused, without the line `fail` already names. */
  const readError = (err: unknown): string => (err instanceof DockerfileError ? err.detail : (err as Error).message);
  /** Whether an ENV of this stage sets `name` (its value known now or only when compiling). */
  const setByEnv = (name: string): boolean => known.has(name) || deferred.has(name);
  /** A build arg's value, unless an ENV of the same name wins over it, as in Docker. */
  const argOf = (name: string): string | undefined => (setByEnv(name) ? undefined : args.get(name));
  const expand = (s: string): string => expandVariables(s, (n) => known.get(n) ?? argOf(n) ?? (image === undefined ? globalArgs.get(n) : undefined), 'empty');
  /** A name only the image's environment (the base image, an earlier stage, kiln steps) or the build's platform sets. */
  const fromImageEnv = (n: string): boolean => deferred.has(n) || platformArgs.has(n) || (!known.has(n) && !args.has(n));
  /** Whether `s` refers to a variable only the image's environment can give (the base image, an earlier stage, kiln steps). */
  const needsImageEnv = (s: string): boolean => image !== undefined && referencedNames(s, { modifiers: true }).some(fromImageEnv);
  /**
   * Refuses a value kiln must know when it reads the Dockerfile (a `COPY` source in the build context) when it uses
   * a variable only the image's environment or the build's platform sets (Docker would take it from there, kiln
   * would read it as empty). `${NAME:-default}` and `${NAME-default}` are read with the default, as when NAME is unset;
   * those names are put in `defaulted`, for the compiler to refuse the step when the image's environment sets one.
   */
  const refuseImageEnv = (inst: Instruction, text: string, defaulted: DefaultedSource['names'][number][], shown = text): void => {
    if (image === undefined) return;
    for (const p of variableParts(text, { modifiers: true })) {
      if (p.kind === 'text') continue;
      const m = p.modifier;
      const n = p.name;
      if (fromImageEnv(n)) {
        if (m?.op === ':-' || m?.op === '-') {
          defaulted.push({ name: n, op: m.op, platform: platformArgs.has(n) && !deferred.has(n) });
        } else {
          const reason = deferred.has(n)
            ? `which an ENV sets from the image's environment`
            : platformArgs.has(n)
              ? `which only the build's platform sets`
              : `which only the image's environment (the base image or an earlier stage) sets`;
          const fix = platformArgs.has(n) && !deferred.has(n) ? `write the path out, or pass ${n} in buildArgs` : `write the path out, set ${n} with ARG or ENV in the Dockerfile, or give a default (\${${n}:-value})`;
          fail(inst, `the source ${JSON.stringify(shown)} uses $${n}, ${reason}; kiln reads a source in the build context when it reads the Dockerfile, so ${fix}`);
        }
      }
      if (m !== undefined) for (const word of [m.word, m.replacement ?? '']) refuseImageEnv(inst, word, defaulted, shown);
    }
  };
  /**
   * A value for an instruction: expanded now when the Dockerfile itself says what every variable in it is; otherwise
   * with what it says put in, and `vars: true` so the compiler expands the rest against the image's environment.
   */
  const resolve = (s: string): { text: string; vars: boolean } =>
    needsImageEnv(s) ? { text: substituteVariables(s, (n) => known.get(n) ?? argOf(n)), vars: true } : { text: expand(s), vars: false };
  /** What a reader of the instruction's text returns, or its refusal as an error naming the line. */
  const reading = <T>(inst: Instruction, read: () => T): T => {
    try {
      return read();
    } catch (err) {
      return fail(inst, readError(err));
    }
  };
  const words = (inst: Instruction): string[] => reading(inst, () => (inst.json === undefined ? splitWords(inst.rest, inst.line, inst.escape) : [...inst.json]));
  /** The arguments of WORKDIR and USER: one word, quotes and escapes processed (`WORKDIR "/srv/my app"`). */
  const single = (inst: Instruction): string => reading(inst, () => oneWord(inst.rest, inst.line, inst.escape));
  /** The NAME=value pairs of ENV and LABEL (the legacy `ENV NAME value` form too). */
  const pairsOf = (inst: Instruction): [string, string][] => reading(inst, () => keyValues(inst, true));
  const flagMap = (inst: Instruction, allowed: readonly string[]): Map<string, string> => {
    const m = new Map<string, string>();
    for (const [k, val] of inst.flags) {
      if (!allowed.includes(k)) fail(inst, `the flag --${k} is not supported here`);
      if (k !== 'mount') m.set(k, val);
    }
    return m;
  };
  const finishStage = (): void => {
    if (image !== undefined && stageName !== undefined) {
      stages.set(stageName, image);
      stageScopes.set(stageName, { known, deferred, args, platformArgs, shell });
    }
    if (image !== undefined && start === undefined) stageList.push(image);
  };
  const need = (inst: Instruction): Image => image ?? fail(inst, 'the Dockerfile must start with FROM');
  /** A context's value as an image to copy or mount from. */
  const valueImage = (c: ContextValue): Image => (c.kind === 'image' ? c.image : fresh(registryBase(c.ref, undefined, site)));
  /** What `--from=` / `from=` names: a stage, else a named context, else an image of a registry (as BuildKit looks). */
  const fromImage = (from: string, byIndex: boolean): Image => {
    const stage = stages.get(from.toLowerCase()) ?? (byIndex && /^\d+$/.test(from) ? stageList[Number(from)] : undefined);
    if (stage !== undefined) return stage;
    const named = lookupContext(contexts, from);
    return named === undefined ? fresh(registryBase(from, undefined, site)) : valueImage(named);
  };
  // The instructions of a stage a named context replaces are not read (BuildKit's frontend drops them).
  let skipping = false;

  for (const inst of instructions) {
    current = inst;
    if (skipping && inst.keyword !== 'FROM') continue;
    try {
      switch (inst.keyword) {
        case 'FROM': {
          if (start !== undefined) fail(inst, 'FROM is not allowed in dockerfileCommands(); use Image.fromDockerfile() for whole Dockerfiles');
          const fromFlags = flagMap(inst, ['platform']);
          // kiln builds every stage for the build's one platform: `--platform=$BUILDPLATFORM` (cross-compiling stages)
          // is that platform; a fixed other one would be silently wrong.
          const fromPlatform = fromFlags.get('platform');
          if (fromPlatform !== undefined && !/^\$\{?(BUILD|TARGET)PLATFORM\}?$/.test(fromPlatform)) {
            fail(inst, `FROM --platform=${fromPlatform} is not supported: kiln builds every stage for the build's platform (use $BUILDPLATFORM or $TARGETPLATFORM, or drop the flag)`);
          }
          finishStage();
          if (targetStage !== undefined && stageName === targetStage) return image as Image;
          const w = words(inst);
          if (w.length !== 1 && !(w.length === 3 && (w[1] as string).toLowerCase() === 'as')) fail(inst, 'expected "FROM image [AS name]"');
          const ref = expandVariables(w[0] as string, (n) => globalArgs.get(n), 'empty');
          stageName = w.length === 3 ? (w[2] as string).toLowerCase() : undefined;
          // A context named like the stage replaces it; else one named like the base image (not an earlier stage) does.
          const replaced = stageName === undefined ? undefined : lookupContext(contexts, stageName);
          skipping = replaced !== undefined;
          const prev = replaced === undefined ? stages.get(ref.toLowerCase()) : undefined;
          const named = replaced ?? (prev === undefined ? lookupContext(contexts, ref) : undefined);
          const fromSource = dockerfile === undefined ? {} : { source: dockerfileStepSource(dockerfile, text, inst.line, inst.escape) };
          // A FROM of a context's image runs its ONBUILD triggers (dockerfileFrom), as BuildKit's frontend does; a stage
          // the context replaces runs nothing, those included.
          const asBase = (c: ContextValue, replacing: boolean): Image => {
            const triggers = replacing ? {} : ({ dockerfileFrom: true } as const);
            return c.kind === 'image'
              ? c.ociLayout !== undefined && !replacing
                ? fresh({ ...c.ociLayout, ...triggers, ...fromSource })
                : appendStep(c.image, { kind: 'stage', origin: 'dockerfile' })
              : fresh({ ...registryBase(c.ref, undefined, site), ...triggers, ...fromSource });
          };
          image =
            named !== undefined
              ? asBase(named, replaced !== undefined)
              : prev !== undefined
                ? appendStep(prev, { kind: 'stage', origin: 'dockerfile' })
                : ref === 'scratch'
                  ? fresh({ kind: 'scratch' })
                  : fresh({ ...registryBase(ref, undefined, site), dockerfileFrom: true, ...fromSource });
          const parent = prev === undefined ? undefined : stageScopes.get(ref.toLowerCase());
          known = new Map(parent?.known);
          deferred = new Set(parent?.deferred);
          platformArgs = new Set(parent?.platformArgs);
          args = new Map(parent?.args);
          shell = parent?.shell === undefined ? undefined : [...parent.shell];
          break;
        }
        case 'ARG': {
          const w = words(inst);
          if (w.length === 0) fail(inst, 'ARG needs a name');
          const declared: string[] = [];
          for (const word of w) {
            const eq = word.indexOf('=');
            const name = eq === -1 ? word : word.slice(0, eq);
            const def = eq === -1 ? undefined : expand(word.slice(eq + 1));
            const value = given.get(name) ?? def ?? (image === undefined ? undefined : globalArgs.get(name));
            if (image !== undefined && value === undefined && PLATFORM_ARGS.has(name)) {
              platformArgs.add(name);
              declared.push(name);
              continue;
            }
            if (image === undefined) {
              if (value !== undefined) globalArgs.set(name, value);
            } else if (value !== undefined) args.set(name, value);
          }
          if (declared.length > 0 && image !== undefined) image = appendStep(image, { kind: 'platform-args', names: declared, origin: 'dockerfile' });
          break;
        }
        case 'ENV': {
          const img = need(inst);
          const pairs = pairsOf(inst);
          // Docker expands every pair of one ENV against the variables from before the instruction (`ENV A=1 B=$A`
          // gives B the earlier A, not 1); so do the args below and, for the image's environment, the compiler.
          const changes: EnvChange[] = pairs.map(([key, value]) => {
            // Build args are known now, the image's environment only when compiling: the args go in here (an ENV of
            // the same name set earlier wins, as in Docker), every other reference is left to the compiler.
            const withArgs = substituteVariables(value, argOf);
            return { name: v.dockerfileVariableName(expand(key), `Dockerfile line ${inst.line} ENV name`, site), value: withArgs, mode: 'dockerfile' };
          });
          const values = pairs.map(([, value]) => {
            try {
              return expand(value);
            } catch (err) {
              // `${NAME?message}` with NAME not set here: the base image may set it, which the compiler checks.
              if (err instanceof SubstitutionError) return '';
              throw err;
            }
          });
          changes.forEach((c, i) => {
            if (needsImageEnv(pairs[i]?.[1] ?? '')) {
              known.delete(c.name);
              deferred.add(c.name);
            } else {
              known.set(c.name, values[i] as string);
              deferred.delete(c.name);
            }
          });
          image = appendStep(img, { kind: 'env', changes, origin: 'dockerfile' });
          break;
        }
        case 'LABEL': {
          const img = need(inst);
          const pairs = pairsOf(inst);
          const labels = pairs.map(([k, val]) => [resolve(k), resolve(val)] as const);
          const vars = labels.some(([k, val]) => k.vars || val.vars);
          image = appendStep(img, { kind: 'labels', labels: labels.map(([k, val]) => [k.text, val.text] as const), origin: 'dockerfile', ...(vars ? { vars } : {}) });
          break;
        }
        case 'WORKDIR': {
          const r = resolve(single(inst));
          const path = r.vars ? r.text : v.destPath(r.text, `Dockerfile line ${inst.line} WORKDIR`, site);
          image = appendStep(need(inst), { kind: 'workdir', path, origin: 'dockerfile', ...(r.vars ? { vars: true } : {}) });
          break;
        }
        case 'USER': {
          const r = resolve(single(inst));
          const user = r.vars ? r.text : v.userSpec(r.text, `Dockerfile line ${inst.line} USER`, site);
          image = appendStep(need(inst), { kind: 'user', user, origin: 'dockerfile', ...(r.vars ? { vars: true } : {}) });
          break;
        }
        case 'EXPOSE': {
          const ports = words(inst).map(resolve);
          const vars = ports.some((p) => p.vars);
          const list = ports.flatMap((p) => (vars ? [p.text] : expandPortRange(p.text).map((q) => v.port(q, `Dockerfile line ${inst.line} EXPOSE`, site))));
          image = appendStep(need(inst), { kind: 'expose', ports: list, origin: 'dockerfile', ...(vars ? { vars } : {}) });
          break;
        }
        case 'MAINTAINER':
          image = appendStep(need(inst), { kind: 'author', author: inst.rest, origin: 'dockerfile' });
          break;
        case 'VOLUME': {
          const img = need(inst);
          const paths = words(inst).map(expand);
          if (paths.length === 0 || paths.some((p) => p === '')) fail(inst, 'VOLUME needs one or more paths');
          const Volumes = Object.fromEntries(paths.map((p) => [p, {}]));
          image = appendStep(img, { kind: 'runtime', set: { Volumes }, instruction: `VOLUME ${JSON.stringify(paths)}`, origin: 'dockerfile' });
          break;
        }
        case 'STOPSIGNAL': {
          const img = need(inst);
          const signal = expand(inst.rest.trim());
          if (!/^(SIG)?[A-Z0-9+-]+$|^\d+$/i.test(signal)) fail(inst, `STOPSIGNAL needs a signal name or number such as SIGTERM or 15, got ${JSON.stringify(signal)}`);
          image = appendStep(img, { kind: 'runtime', set: { StopSignal: signal }, instruction: `STOPSIGNAL ${signal}`, origin: 'dockerfile' });
          break;
        }
        case 'HEALTHCHECK': {
          const img = need(inst);
          const flags = flagMap(inst, ['interval', 'timeout', 'start-period', 'start-interval', 'retries']);
          let healthcheck: Record<string, unknown>;
          try {
            healthcheck = parseHealthcheck(inst.rest, flags);
          } catch (err) {
            return fail(inst, (err as Error).message);
          }
          const flagText = inst.flags.map(([k, val]) => `--${k}=${val} `).join('');
          image = appendStep(img, { kind: 'runtime', set: { Healthcheck: healthcheck }, instruction: `HEALTHCHECK ${flagText}${inst.rest.trim()}`, origin: 'dockerfile' });
          break;
        }
        case 'SHELL':
          if (inst.json === undefined || inst.json.length === 0) fail(inst, 'SHELL needs the JSON form, e.g. SHELL ["/bin/bash", "-c"]');
          shell = [...(inst.json as string[])];
          // Docker writes it into the image config: kiln's later steps, and images built FROM this one, use it too.
          image = appendStep(need(inst), { kind: 'shell', shell, origin: 'dockerfile' });
          break;
        case 'ENTRYPOINT':
        case 'CMD': {
          const img = need(inst);
          const kind = inst.keyword === 'CMD' ? 'cmd' : 'entrypoint';
          const a = inst.json ?? [...(shell ?? ['/bin/sh', '-c']), inst.rest];
          image = appendStep(img, { kind, args: a, shell: inst.json === undefined, origin: 'dockerfile' });
          break;
        }
        case 'RUN': {
          const img = need(inst);
          const flags = flagMap(inst, ['mount', 'network', 'security']);
          if (flags.has('security') && flags.get('security') !== 'sandbox') fail(inst, 'RUN --security=insecure is not supported');
          const mounts: RunMount[] = [];
          const secrets: SecretUse[] = [...extraSecrets];
          const sshSpecs: { id: string; target?: string; optional: boolean }[] = [];
          const sshOwners: (MountOwner | undefined)[] = [];
          /** Whether some mount value is left to the compiler (it uses the image's environment or the build's platform). */
          let mountVars = false;
          for (const [k, val] of inst.flags) {
            if (k !== 'mount') continue;
            const options = csvOptions(val, inst.line);
            const type = expand(options.get('type') ?? 'bind');
            // Each value may use the build args, the Dockerfile's ENV, the platform args and the image's environment,
            // as in Docker. Those the Dockerfile itself sets are put in now; a target, a cache's id and the source path
            // in another stage or image may also use the others, which the compiler knows (`vars`).
            const later = new Set(['target', 'dst', 'destination', ...(type === 'cache' ? ['id', 'source', 'src'] : type === 'bind' && options.has('from') ? ['source', 'src'] : [])]);
            const deferring = [...options].some(([key, text]) => later.has(key) && needsImageEnv(text));
            const m = new Map(
              [...options].map(([key, text]): [string, string] => {
                if (key === 'from' && /\$(?!$)/.test(text)) fail(inst, `from=${text}: a mount's from= takes no variables (as in Docker); name the stage or image, or add a stage for it`);
                if (later.has(key) && deferring) return [key, substituteVariables(text, (n) => known.get(n) ?? argOf(n))];
                if (needsImageEnv(text)) {
                  const names = referencedNames(text, { modifiers: true }).filter(fromImageEnv);
                  fail(inst, `mount option ${key}=${text} uses ${names.map((n) => `$${n}`).join(', ')}, which only the image's environment or the build's platform sets; kiln reads ${key}= when it reads the Dockerfile, so write the value out`);
                }
                return [key, expand(text)];
              }),
            );
            if (deferring) mountVars = true;
            const owner = mountOwner(m, (message) => fail(inst, `${type} mount: ${message}`));
            if (!['cache', 'secret', 'bind', 'tmpfs', 'ssh'].includes(type)) fail(inst, `mount type ${type} is not supported (use cache, secret, ssh, bind or tmpfs)`);
            // An option kiln would drop changes what the step sees (a cache's owner, a tmpfs's size): refuse it.
            for (const key of m.keys()) {
              if (!(MOUNT_OPTIONS[type] ?? []).includes(key) && !['type', 'target', 'dst', 'destination'].includes(key)) {
                fail(inst, `${type} mount option ${key}= is not supported by kiln's Dockerfile reader (it supports ${(MOUNT_OPTIONS[type] ?? []).map((o) => `${o}=`).join(', ')})`);
              }
            }
            const target = m.get('target') ?? m.get('dst') ?? m.get('destination');
            if (type === 'secret') {
              const source = m.get('source') ?? m.get('src');
              if (source !== undefined && m.has('id')) fail(inst, 'a secret mount takes id= or source= (the same thing), not both');
              const id = source ?? m.get('id') ?? (target === undefined ? undefined : posix.basename(target));
              if (id === undefined) fail(inst, 'a secret mount needs id= or target=');
              secrets.push({ id: id as string, path: target ?? `/run/secrets/${posix.basename(id as string)}`, env: m.get('env'), optional: m.get('required') !== 'true', dockerfile: true, ...(owner === undefined ? {} : { file: owner }) });
              continue;
            }
            if (type === 'ssh') {
              sshSpecs.push({ id: m.get('id') ?? 'default', ...(target === undefined ? {} : { target }), optional: m.get('required') !== 'true' });
              sshOwners.push(owner);
              continue;
            }
            if (target === undefined) fail(inst, `a ${type} mount needs target=`);
            // A relative target is inside the working directory (resolved when compiling, as WORKDIR may use the image's environment).
            const t = posix.isAbsolute(target as string) ? posix.normalize(target as string) : (target as string);
            if (t === '/') fail(inst, `a ${type} mount cannot have / as its target`);
            if (type === 'cache') {
              const sharing = (m.get('sharing') ?? 'shared') as 'shared' | 'private' | 'locked';
              if (!['shared', 'private', 'locked'].includes(sharing)) fail(inst, `sharing must be shared, private or locked, got ${sharing}`);
              const from = m.get('from');
              const source = m.get('source') ?? m.get('src');
              if (source !== undefined && from === undefined) fail(inst, 'a cache mount with source= needs from= (the stage or image the new cache starts from)');
              const seed = from === undefined ? undefined : { image: fromImage(from, false), source: posix.join('/', source ?? '/') };
              // Docker's cache ids: the id= or the target as written, after a "/" (its default, empty id namespace),
              // so a cache filled by docker build of this Dockerfile is the one kiln's build finds.
              mounts.push({ type: 'cache', target: t, id: `/${m.get('id') ?? cleanPath(target as string)}`, sharing, perBase: false, ...(seed === undefined ? {} : { seed }), ...(owner === undefined ? {} : { owner }) });
            } else if (type === 'tmpfs') {
              const sizeText = m.get('size');
              const size = sizeText === undefined ? undefined : (sizeInBytes(sizeText) ?? fail(inst, `tmpfs size= must be a size such as 64m or 1g, got ${JSON.stringify(sizeText)}`));
              mounts.push({ type: 'tmpfs', target: t, ...(size === undefined || size === 0 ? {} : { size }) });
            } else if (type === 'bind') {
              const source = m.get('source') ?? m.get('src') ?? '/';
              const from = m.get('from');
              const writable = m.get('rw') === 'true' || m.get('readwrite') === 'true';
              if (from === undefined && ctx.contextImage !== undefined) {
                mounts.push({ type: 'image', target: t, image: ctx.contextImage, source: posix.join('/', source) });
              } else if (from === undefined) {
                const path = v.localPath(posix.join(ctx.context, source), `Dockerfile line ${inst.line} bind mount source`, site);
                // The context as Docker sends it: what .dockerignore lists is not there for a bind mount either.
                const filtered = contextSource(path);
                if (filtered !== undefined) {
                  mounts.push({ type: 'local', target: t, local: filtered.local, source: filtered.path, writable });
                } else if (isFile(path)) {
                  // One file of the context (`source=go.sum,target=go.sum`), mounted as that file, as Docker does.
                  const { local, file } = localFile(path);
                  mounts.push({ type: 'local', target: t, local, source: `/${file}`, writable });
                } else {
                  mounts.push({ type: 'local', target: t, local: { root: path, include: [], exclude: [], ignoreFiles: [] }, writable });
                }
              } else {
                mounts.push({ type: 'image', target: t, image: fromImage(from, false), source: posix.join('/', source) });
              }
            } else {
              fail(inst, `mount type ${type} is not supported (use cache, secret, ssh, bind or tmpfs)`);
            }
          }
          const ssh = v.ssh(sshSpecs, `Dockerfile line ${inst.line} ssh mount`, site).map((use, i) => {
            const socket = sshOwners[i];
            return { ...use, dockerfile: true as const, ...(socket === undefined ? {} : { socket }) };
          });
          const net = flags.get('network');
          const step = runStep({
            name: inst.json === undefined ? inst.rest.replace(/\s+/g, ' ') : inst.json.join(' '),
            script: inst.json === undefined ? inst.rest : '',
            argv: inst.json ?? (shell === undefined ? undefined : [...shell, inst.rest]),
            // Build args are in the command's environment, below any ENV of the same name (the stage's or the image's).
            argEnv: [...args.entries()].filter(([k]) => !setByEnv(k)),
            ...(platformArgs.size === 0 ? {} : { platformArgs: [...platformArgs].filter((k) => !setByEnv(k)) }),
            ...(argProxy === undefined ? {} : { proxy: argProxy }),
            mounts,
            secrets,
            ssh,
            network: net === undefined ? 'default' : v.network(net, `Dockerfile line ${inst.line} --network`, site),
            gpu: gpuReq,
            origin: 'dockerfile',
          });
          image = appendStep(img, mountVars ? { ...step, vars: true } : step);
          break;
        }
        case 'COPY':
        case 'ADD': {
          const img = need(inst);
          const flags = flagMap(inst, inst.keyword === 'ADD' ? ['from', 'chown', 'chmod', 'link', 'checksum', 'keep-git-dir'] : ['from', 'chown', 'chmod', 'link']);
          const raw = words(inst);
          if (raw.length < 2) fail(inst, `${inst.keyword} needs at least one source and a destination`);
          const from = flags.get('from');
          const rawSources = raw.slice(0, -1);
          // The destination and owner may use the image's environment (`COPY app $APPDIR/`), and so may a source in
          // another stage or image (`COPY --from=build $HOME/.local …`): the compiler expands those. A source in the
          // build context is read now, so it may use only what the Dockerfile says (and `${NAME:-default}`).
          const defaults = rawSources.map((src) => {
            const names: DefaultedSource['names'][number][] = [];
            if (from === undefined) refuseImageEnv(inst, src, names);
            return names.length === 0 ? {} : { defaulted: { line: inst.line, keyword: inst.keyword, source: src, names } };
          });
          const rawDest = raw[raw.length - 1] as string;
          const rawChown = flags.get('chown');
          const destVars = needsImageEnv(rawDest) || (rawChown !== undefined && needsImageEnv(rawChown));
          const vars = destVars || (from !== undefined && rawSources.some(needsImageEnv));
          // With `vars`, every value is left for the compiler to expand (what the Dockerfile says already put in).
          const value = (s: string): string => (vars ? substituteVariables(s, (n) => known.get(n) ?? argOf(n)) : expand(s));
          const sources = rawSources.map(from === undefined ? expand : value);
          const dest = value(rawDest);
          const chown = rawChown === undefined ? undefined : value(rawChown);
          if (sources.length > 1 && !dest.endsWith('/')) fail(inst, `with several sources the destination must end with "/", got ${JSON.stringify(dest)}`);
          // Build args and the Dockerfile's ENV expand in it, as in Docker's (`COPY --chmod=${MODE} …`, BuildKit's
          // Dockerfile frontend since 1.10). kiln sets the mode when it reads the Dockerfile, so a name only the image's
          // environment sets is refused rather than read as empty.
          const rawMode = flags.get('chmod');
          if (rawMode !== undefined && needsImageEnv(rawMode)) {
            fail(inst, `--chmod=${rawMode} uses a variable only the base image's environment sets; give the mode with ARG (ARG MODE=755) or in octal`);
          }
          const mode = rawMode === undefined ? undefined : expand(rawMode);
          const co: Pick<CopyStep, 'owner' | 'mode' | 'link' | 'force'> = {
            owner: chown === undefined ? undefined : vars ? chown : v.userSpec(chown, `Dockerfile line ${inst.line} --chown`, site),
            mode: mode === undefined ? undefined : /^[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) & 0o777 : fail(inst, `--chmod must be octal such as 755, got ${mode}`),
            // A destination known only when compiling is copied in order (kiln cannot tell now what it overlaps).
            link: destVars ? false : flags.has('link') ? flags.get('link') !== 'false' : undefined,
            force: 'none',
          };
          // Build args and the Dockerfile's ENV expand in it, as in Docker's (`ADD --checksum=${TOOL_SHA256} …`).
          const rawChecksum = flags.get('checksum');
          const checksum = rawChecksum === undefined ? undefined : expand(rawChecksum);
          const rawKeepGitDir = flags.get('keep-git-dir');
          if (rawKeepGitDir !== undefined && !['', 'true', 'false'].includes(rawKeepGitDir)) fail(inst, `--keep-git-dir is true or false, got ${JSON.stringify(rawKeepGitDir)}`);
          const keepGitDir = rawKeepGitDir === '' || rawKeepGitDir === 'true';
          if (rawKeepGitDir !== undefined && (from !== undefined || !sources.every((src) => isGitRepositoryUrl(src)))) {
            fail(inst, '--keep-git-dir applies only to a git repository source (ADD https://host/repo.git#ref dest)');
          }
          if (checksum !== undefined && from === undefined && sources.some((src) => isGitRepositoryUrl(src))) {
            fail(inst, '--checksum with a git repository (the commit to check out) is not supported by kiln; pin the commit in the ref instead (ADD https://host/repo.git#<commit> dest)');
          }
          if (checksum !== undefined) {
            if (sources.length > 1) fail(inst, '--checksum pins a single download; give each URL its own ADD');
            if (from !== undefined || !sources.every(isHttpUrl)) fail(inst, '--checksum applies only to http:// and https:// sources');
            if (!isSha256Digest(checksum)) fail(inst, `--checksum must be sha256: followed by 64 lowercase hex digits, got ${JSON.stringify(checksum)}`);
          }
          let next = img;
          for (const [k, src] of sources.entries()) {
            const defaulted = defaults[k] ?? {};
            // Left for the compiler, a source's `*` may be in a `${NAME%.*}`: only the text around references counts
            // now (the compiler looks at the expanded path again).
            const wildcard = vars && from !== undefined ? variableParts(src, { modifiers: true }).some((p) => p.kind === 'text' && /[*?[]/.test(p.text)) : /[*?[]/.test(src);
            if (from !== undefined) {
              const stage = fromImage(from, true);
              // Left for the compiler, the path is made absolute once expanded (`$HOME/.local` → `/root/.local`).
              const path = vars ? src : posix.join('/', src);
              next = appendStep(next, copyStep(`copy ${src} from ${from} → ${dest}`, { kind: 'image', image: stage, path }, dest, true, co, 'dockerfile', { wildcard, vars }));
              continue;
            }
            if (inst.keyword === 'ADD' && isGitRepositoryUrl(src)) {
              // The daemon clones it (BuildKit's Dockerfile frontend 1.5+ does the same); the checked-out tree's contents
              // go to dest. `#REF:SUBDIR` takes a directory of it, copied from the clone (BuildKit v0.8 has no subdir
              // in its git source), which the daemon resolves inside the clone.
              const problem = gitUrlProblem('the git repository', src);
              if (problem !== undefined) fail(inst, problem);
              const parts = splitGitUrl(src);
              const path = posix.join('/', parts.subdir);
              next = appendStep(next, copyStep(`add ${src} → ${dest}`, { kind: 'git', remote: parts.remote, ref: parts.ref, keepGitDir, path }, dest, true, co, 'dockerfile', { vars }));
              continue;
            }
            if (inst.keyword === 'COPY' && isGitRepositoryUrl(src)) fail(inst, `COPY of a git repository (${src}) is not supported; use ADD, which clones it`);
            if (inst.keyword === 'ADD' && isHttpUrl(src)) {
              // The daemon downloads it (not unpacked, as Docker does with a remote archive), named after the URL's last
              // path element; a destination ending in "/" receives it under that name.
              if (!URL.canParse(src)) fail(inst, `${src} is not a valid URL`);
              const file = downloadName(new URL(src));
              next = appendStep(next, copyStep(`add ${src} → ${dest}`, { kind: 'http', url: src, checksum, path: `/${file}` }, dest, false, co, 'dockerfile', { vars }));
              continue;
            }
            if (/^[a-z]+:\/\//i.test(src)) fail(inst, `${inst.keyword} of a URL (${src}) is not supported; ${inst.keyword === 'COPY' ? 'use ADD to download it' : 'download it in a RUN step'}`);
            if (ctx.contextImage !== undefined) {
              // The context is the daemon's (a git repository): the daemon resolves the path and matches wildcards there.
              const path = posix.join('/', contextKey(src));
              next = appendStep(next, { ...copyStep(`copy ${path} → ${dest}`, { kind: 'image', image: ctx.contextImage, path }, dest, true, co, 'dockerfile', { wildcard, unpack: inst.keyword === 'ADD', vars }), ...defaulted });
              continue;
            }
            const mapped = wildcard ? undefined : contextFiles.get(contextKey(src));
            const path = mapped ?? v.localPath(posix.join(ctx.context, src), `Dockerfile line ${inst.line} source`, site);
            const filtered = mapped === undefined ? contextSource(path) : undefined;
            if (wildcard) {
              // A wildcard may be in any path element (`COPY packages/*/package.json ./`), as BuildKit matches each one.
              // Filtered by .dockerignore, the context is sent with only what the pattern matches: the directory it is
              // matched in must still be there when nothing matches, as it is in the context docker build sends
              // (BuildKit then copies nothing; a directory missing or ignored fails there, and here too).
              const { dir } = wildcardSplit(contextKey(src));
              const matchIn = filtered !== undefined && dir.length > 0 && contextHasDirectory(dir) ? { matchIn: `/${dir.join('/')}` } : {};
              const source = filtered === undefined ? wildcardSource(ctx.context, contextKey(src)) : { ...filtered, ...matchIn };
              next = appendStep(next, { ...copyStep(`copy ${path} → ${dest}`, { kind: 'local', ...source }, dest, true, co, 'dockerfile', { wildcard, unpack: inst.keyword === 'ADD', vars }), ...defaulted });
            } else {
              const source = filtered ?? localFileSource(path);
              // A file taken from elsewhere keeps the name the instruction gives it when it goes into a directory.
              const into = mapped !== undefined && dest.endsWith('/') && isFile(mapped) ? `${dest}${posix.basename(contextKey(src))}` : dest;
              next = appendStep(next, { ...copyStep(`copy ${path} → ${into}`, { kind: 'local', ...source }, into, true, co, 'dockerfile', { unpack: inst.keyword === 'ADD', vars }), ...defaulted });
            }
          }
          image = next;
          break;
        }
        default:
          fail(inst, `${inst.keyword} is not supported by kiln's Dockerfile reader`);
      }
    } catch (err) {
      // A `${…}` Docker cannot read, or `${NAME?message}` with NAME unset.
      if (err instanceof SubstitutionError) fail(inst, err.message);
      throw err;
    }
  }
  if (image === undefined) return invalidArgument('the Dockerfile has no FROM instruction', site);
  if (start === undefined && targetStage !== undefined && stageName !== targetStage && !stages.has(targetStage)) {
    invalidArgument(`the Dockerfile has no stage named ${v.show(ctx.target)}`, site);
  }
  if (start === undefined && targetStage !== undefined && stageName !== targetStage) return stages.get(targetStage) as Image;
  return image;
}

/**
 * The name an `ADD` download gets, as Docker's Dockerfile frontend names it: the last element of the URL's decoded
 * path (`my%20tool` → `my tool`, `/dl/` → `dl`), or `__unnamed__` when the path has none or cannot be decoded.
 */
function downloadName(url: URL): string {
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return '__unnamed__';
  }
  const name = posix.basename(path);
  return name === '' || name === '/' || name === '.' ? '__unnamed__' : name;
}

/** An `ADD` source the daemon downloads. */
function isHttpUrl(src: string): boolean {
  return /^https?:\/\/[^/\s]/i.test(src);
}

