/**
 * `image.toDockerfile()`: the Dockerfile that builds the same filesystem and config, for review and migration.
 * It uses only what the Dockerfile frontend embedded in Docker 20.10 understands (`RUN --mount`, `--network`,
 * no heredocs, no `COPY --link`): multi-line scripts are written in JSON form, per-step variables as an `export`
 * prefix, installer steps that must run as root are wrapped in `USER root` … `USER <previous>` (those that run as a
 * base's own user, `Image.micromamba()`'s Python installers, in `USER <that user>` when it is not the current one), and images this
 * one copies from become earlier stages. Filters on local directories cannot be expressed per `COPY` on that
 * frontend; the comment above the instruction gives them as `.dockerignore` lines (relative to the context).
 *
 * Environment values give the config kiln's build gives. Every value is double-quoted with `\`, `"` and `$` escaped
 * where they are literal. Docker expands all values of one `ENV` against the variables from before it, so a
 * `setEnvVars` value that refers to a variable set earlier in the same call goes on a new `ENV`. A reference to a
 * variable this definition has not set (the base image's, or none) is written `${NAME:-$NAME}`, because
 * `setEnvVars` keeps an unset variable as written where Docker would make it empty; only a variable the base image
 * sets to "" still differs (Docker's `:-` takes it for unset). `prepend-path` (`addLocalPythonSource`) skips a
 * directory the variable already lists, as far as the definition tells: whether the base image's value lists it is
 * only known when building. Paths and users in `WORKDIR`, `USER` and `COPY` have `$` and backslashes escaped: kiln
 * takes them literally, Docker would expand them. A Dockerfile context source kiln read with a `${NAME:-default}`
 * default (NAME left to the base image or the platform) is the default path followed by `${NAME:+.kiln-NAME-is-set}`:
 * where NAME turns out to be set kiln refuses to build, and docker build of this Dockerfile then fails on that COPY
 * instead of copying the default (`${NAME-default}` set to "" is the one case still apart: Docker 20.10 has no `+`).
 *
 * Independent run steps (`outputs`) become stages: the instructions before a group end a stage (`kiln-1`), each
 * member runs in its own stage on it (`FROM kiln-1 AS kiln-1-1`), and the image continues from that stage with one
 * `COPY --from=<member> <output> <output>` per declared output. Multi-stage rather than sequential `RUN`s because it
 * is the same image: only the declared outputs are kept and no member sees another's files, exactly as kiln builds
 * it — and BuildKit builds those stages in parallel too. Sequential `RUN`s would keep everything each command writes
 * (caches, temporary files) and let each see the others' output, a different image. Configuration between members
 * (`ENV`, `USER`, …) is repeated in the later members' stages and after the copies.
 *
 * Internal module; reached through `Image.toDockerfile()`.
 */
import { realpathSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { KilnError, invalidArgument } from '../errors.js';
import { isHostAbsolute, resolveHostPath } from '../host-path.js';
import { formatGitUrl } from '../llb/git-remote.js';
import { placeBranches } from './branches.js';
import { climbsOut } from './context-relative.js';
import { expandVariables, isPatternOp, referencedNames, variableParts, writtenReference, type VariableModifier } from './env-expand.js';
import type { Image } from './image.js';
import { imageSpec } from './image.js';
import { ignoreFilePatterns } from './ignore-files.js';
import { DEFAULT_PATH } from './oci-config.js';
import { ociContextName, showOciLayout } from './oci-layout.js';
import { shortRef } from './step-builders.js';
import { isRootUser, secretFileOwner, sshSocketOwner } from './step-user-mounts.js';
import type { Base, CopyStep, EnvChange, ForceMode, LocalRef, MountOwner, RunMount, RunStep, Step } from './steps.js';
import { namedOutsideContext } from './requirements-files.js';
import { shellQuote } from './shell.js';

function jsonArgs(args: readonly string[]): string {
  return JSON.stringify(args);
}

/**
 * Text inside a double-quoted Dockerfile word: backslash, `"` and `$` escaped, all that Docker's ENV and LABEL
 * parser reads specially there. A line break cannot be written at all (the API refuses one in env values and labels).
 */
function dqText(s: string, what: string): string {
  if (/[\r\n]/.test(s)) {
    invalidArgument(`image.toDockerfile(): ${what} ${JSON.stringify(s)} has a line break, which a Dockerfile instruction cannot hold; put it on one line`);
  }
  return s.replace(/[\\"$]/g, (c) => `\\${c}`);
}

/**
 * A path or user name as Docker's `WORKDIR`, `USER` and `COPY` read it literally: those expand variables and take
 * backslash escapes, so backslashes and `$` are escaped (`/w/$X` would otherwise be `/w/` plus the variable).
 */
function literalWord(s: string): string {
  return s.replace(/[\\$]/g, (c) => `\\${c}`);
}

/** A literal value as a double-quoted Dockerfile word. */
function dqWord(s: string, what: string): string {
  return `"${dqText(s, what)}"`;
}

/** A variable or label name: bare when Docker reads it as it is, otherwise quoted. */
function nameWord(name: string, what: string): string {
  return /^[^\\"'$]+$/.test(name) ? name : dqWord(name, what);
}

/**
 * What a Dockerfile is known to hold in a variable at some point, from the definition alone. A variable that is
 * not in the map may be unset or come from the base image.
 */
interface KnownVar {
  /** The value, when the definition alone determines it. */
  readonly value: string | undefined;
  /** `:`-separated entries it certainly has (put there by `prepend-path`) when the value is not known. */
  readonly entries: readonly string[];
}

type KnownEnv = Map<string, KnownVar>;

/** The variables a Dockerfile stage starts with: `FROM scratch` has Docker's default PATH, as kiln gives it. */
function initialEnv(image: Image): KnownEnv {
  return new Map(imageSpec(image).base.kind === 'scratch' ? [['PATH', { value: DEFAULT_PATH, entries: [] }]] : []);
}

/** One variable of an `ENV` instruction, or `undefined` when the change leaves the variable as it is. */
interface EnvWord {
  readonly word: string | undefined;
  readonly next: KnownVar;
  /** The word refers to a variable that may be unset with `${NAME:-$NAME}`. */
  readonly fallback: boolean;
}

/**
 * The user of a base image whose user is not root, where kiln knows it (`Image.micromamba()`'s, whatever image it
 * names): apt installers switch to root and back; the Python and conda installers run as that user, the owner of the
 * Python environment, and need no `USER` while it is the image's user.
 */
function baseUser(base: Base): string | undefined {
  return base.kind === 'registry' ? base.prefixOwner?.user : undefined;
}

/** Official images that run as root: no note about the user installers run as. */
const ROOT_BASE = /^docker\.io\/(library\/(python|debian|ubuntu|busybox|alpine)|nvidia\/cuda):/;

/** What a step's own `force` / `forceBuild` means for `docker build`, which cannot say it per step. */
function forceNote(force: ForceMode): string[] {
  if (force === 'step') return ['# kiln: this step ignores the build cache (force); docker build re-runs it only with --no-cache'];
  if (force === 'cascade') return ['# kiln: this step and every later one ignore the build cache (forceBuild); docker build: --no-cache'];
  return [];
}

/** A Dockerfile's `${NAME:-word}` (any modifier) written back inside a double-quoted word. */
function dqModified(name: string, modifier: VariableModifier, what: string): string {
  // A pattern keeps its escapes as written (Docker reads `\*` there as a star); other words are text.
  const pattern = isPatternOp(modifier.op);
  const text = (w: string): string =>
    variableParts(w, { modifiers: true })
      .map((q) => {
        if (q.kind === 'text') return pattern ? q.text.replace(/[}"$]/g, (c) => `\\${c}`) : dqText(q.text, what).replace(/}/g, '\\}');
        return q.modifier === undefined ? `\${${q.name}}` : dqModified(q.name, q.modifier, what);
      })
      .join('');
  const replacement = modifier.replacement === undefined ? '' : `/${text(modifier.replacement)}`;
  return `\${${name}${modifier.op}${text(modifier.word)}${replacement}}`;
}

/**
 * Writes one env change so that Docker's `ENV` gives the value kiln's build gives. `known` is what the variables
 * hold where the value is expanded: before this change for `setEnvVars` and `prepend-path` (each sees the changes
 * before it; the caller starts a new `ENV` for a value that refers to a variable set on the current one), before the
 * whole step for Dockerfile `ENV` (Docker's own rule, which the compiler follows too).
 */
function envWord(c: EnvChange, known: KnownEnv): EnvWord {
  const what = `env ${c.name}`;
  switch (c.mode) {
    case 'literal':
      return { word: dqWord(c.value, what), next: { value: c.value, entries: [] }, fallback: false };
    case 'prepend-path': {
      const cur = known.get(c.name);
      const dir = dqText(c.value, what);
      if (cur?.value !== undefined) {
        if (cur.value === '') return { word: `"${dir}"`, next: { value: c.value, entries: [] }, fallback: false };
        if (cur.value.split(':').includes(c.value)) return { word: undefined, next: cur, fallback: false };
        return { word: `"${dir}:\${${c.name}}"`, next: { value: `${c.value}:${cur.value}`, entries: [] }, fallback: false };
      }
      if (cur?.entries.includes(c.value) === true) return { word: undefined, next: cur, fallback: false };
      // The base image's value is not known here: prepended when there is one (kiln also leaves out a directory the
      // base image's value already lists; a Dockerfile cannot test that).
      return { word: `"${dir}\${${c.name}:+:$${c.name}}"`, next: { value: undefined, entries: [c.value, ...(cur?.entries ?? [])] }, fallback: false };
    }
    case 'expand':
    case 'dockerfile': {
      const modifiers = c.mode === 'dockerfile';
      const parts = variableParts(c.value, { modifiers });
      let fallback = false;
      const word = parts
        .map((p, i) => {
          if (p.kind === 'text') return dqText(p.text, what);
          if (p.modifier !== undefined) return dqModified(p.name, p.modifier, what);
          const after = parts[i + 1];
          // Docker's names go on over any letter or digit; braces end the name where kiln's ends.
          const braced = p.braced || (after?.kind === 'text' && /^[\p{L}\p{N}_]/u.test(after.text));
          if (known.has(p.name) || c.mode === 'dockerfile') return braced ? `\${${p.name}}` : `$${p.name}`;
          // Not set by this definition (the base image may set it): setEnvVars keeps a variable that is not set as
          // written, where Docker would make it empty. (A variable the base image sets to "" differs: Docker's
          // `:-` cannot tell it from an unset one.)
          fallback = true;
          return `\${${p.name}:-${writtenReference(p).replace(/[\\"$}]/g, (ch) => `\\${ch}`)}}`;
        })
        .join('');
      const value = referencedNames(c.value, { modifiers }).every((n) => known.get(n)?.value !== undefined)
        ? expandVariables(c.value, (n) => known.get(n)?.value, c.mode === 'expand' ? 'keep' : 'empty')
        : undefined;
      return { word: `"${word}"`, next: { value, entries: [] }, fallback };
    }
  }
}

/**
 * The `ENV` instructions of one env step. Docker expands every value of one `ENV` against the variables from before
 * the instruction, while a `setEnvVars` value sees those set before it in the same call: a value that refers to a
 * variable set on the current instruction starts a new one (`ENV BASE="/usr/local"`, then `ENV BIN="$BASE/bin"`).
 * `known` is updated to after the step.
 */
function envLines(changes: readonly EnvChange[], known: KnownEnv): string[] {
  const before = new Map(known);
  const lines: string[] = [];
  const notes: string[] = [];
  let words: string[] = [];
  let assigned = new Set<string>();
  let fallback = false;
  const flush = (): void => {
    if (words.length > 0) lines.push(`ENV ${words.join(' ')}`);
    words = [];
    assigned = new Set();
  };
  for (const c of changes) {
    const refs = c.mode === 'prepend-path' ? [c.name] : c.mode === 'expand' ? variableParts(c.value).flatMap((p) => (p.kind === 'ref' ? [p.name] : [])) : [];
    if (refs.some((n) => assigned.has(n))) flush();
    const w = envWord(c, c.mode === 'dockerfile' ? before : known);
    known.set(c.name, w.next);
    if (w.word === undefined) {
      notes.push(`# kiln: ${c.name} already lists ${c.value}; unchanged`);
      continue;
    }
    if (w.fallback) fallback = true;
    words.push(`${nameWord(c.name, 'env name')}=${w.word}`);
    assigned.add(c.name);
  }
  flush();
  if (fallback) notes.push('# kiln: setEnvVars keeps a variable that is not set as written, hence ${NAME:-\\$NAME}');
  return [...notes, ...lines];
}

function localPathText(root: string, path: string): string {
  const rel = path === '/' ? root : `${root === '.' ? '' : `${root}/`}${path.replace(/^\//, '')}`;
  return rel === '' ? '.' : rel;
}

/**
 * The `id=` that gives a cache mount the cache `id` names: Docker puts a "/" (the default, empty namespace) before it,
 * so kiln's cache ids start with one and a docker build of the Dockerfile shares kiln's caches.
 */
function dockerCacheId(id: string): string {
  return id.startsWith('/') ? id.slice(1) : id;
}

/** A mount's `,uid=…,gid=…,mode=…` options (mode in octal, as the Dockerfile reads it). */
function ownerOptions(owner: MountOwner | undefined): string {
  if (owner === undefined) return '';
  const { uid, gid, mode } = owner;
  return `${uid === undefined ? '' : `,uid=${uid}`}${gid === undefined ? '' : `,gid=${gid}`}${mode === undefined ? '' : `,mode=0${mode.toString(8)}`}`;
}

/**
 * A local directory as a path in the Dockerfile's context: relative paths as they are, absolute ones relative to
 * `context`. A Dockerfile cannot copy from outside its context, so a path there (`/etc`, `../x`) is refused, as the
 * build refuses it.
 */
function contextPath(local: LocalRef, context: string): string {
  const named = namedOutsideContext(local, context);
  if (named !== undefined) {
    throw new KilnError('invalid_argument', `toDockerfile: ${named}; a Dockerfile can only copy from its context`, {
      hint: 'Pass the context the Dockerfile will be built with (toDockerfile({ context }), kiln dockerfile --context DIR), or move the file into the context and name it from there.',
    });
  }
  const relative = !isHostAbsolute(local.root);
  const rel = relative ? posix.normalize(local.root) : posix.relative(context, posix.normalize(local.root));
  const outside = climbsOut(rel);
  if (outside && local.followedLink !== undefined) {
    // docker build would fail with '"/…" not found' (the link resolved inside the context), or copy a file of the
    // context that has the target's name there.
    const { link, target } = local.followedLink;
    throw new KilnError('invalid_argument', `toDockerfile: ${link} is a symbolic link to ${target}, which is outside the build context ${context}; a Dockerfile can only copy from its context`, {
      hint: 'COPY follows a link given as the source: pass a context that contains the target (toDockerfile({ context }), kiln dockerfile --context DIR), or copy the target into the context.',
    });
  }
  if (outside) {
    throw new KilnError('invalid_argument', `toDockerfile: ${local.root} is outside the build context ${context}; a Dockerfile can only copy from its context`, {
      hint: 'Pass the context the Dockerfile will be built with (toDockerfile({ context }), kiln dockerfile --context DIR), or move the files into it.',
    });
  }
  return relative ? local.root : rel === '' ? '.' : rel;
}

/**
 * `root` (a directory of the context) with the symbolic links along it resolved, when it stays in the context. docker's
 * file sender reads .dockerignore against the paths it walks, and it walks a linked directory given as a COPY source
 * where the link leads (`linkdir -> realdir`: `realdir/x`, never `linkdir/x`). A path that does not exist is left as
 * it is (the build says what is wrong with it).
 */
function resolvedInContext(context: string, root: string): string {
  try {
    const base = realpathSync(context).split('\\').join('/');
    const real = realpathSync(resolveHostPath(context, root)).split('\\').join('/');
    const rel = posix.relative(base, real);
    if (climbsOut(rel)) return root;
    return rel === '' ? '.' : rel;
  } catch {
    return root;
  }
}

/** What a `FROM` of the base says: `scratch`, the image's short reference, or the named context of an OCI layout. */
function baseFrom(base: Base): string {
  if (base.kind === 'scratch') return 'scratch';
  if (base.kind === 'registry') return shortRef(base.ref);
  // A base given per platform is written by the Writer (a stage per platform and a FROM that picks one).
  if (base.kind === 'per-platform') throw new Error('internal: a per-platform base has no one FROM');
  return ociContextName(base.dir);
}

/**
 * The platforms a Dockerfile written for a base given per platform has a stage for besides those its contexts name
 * (each takes the image kiln's build takes for a platform no context names): those Docker builds for. A build for
 * another platform fails, `docker build` looking for an image named like the missing stage.
 */
const SELECTED_PLATFORMS: readonly string[] = [
  'linux/amd64',
  'linux/amd64/v2',
  'linux/amd64/v3',
  'linux/amd64/v4',
  'linux/arm64',
  'linux/arm/v5',
  'linux/arm/v6',
  'linux/arm/v7',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
  'linux/mips64le',
  'linux/mips64',
  'linux/loong64',
];

/** A platform in a stage name, as `${TARGETOS}-${TARGETARCH}${TARGETVARIANT}` expands for it: `linux-armv7`. */
function platformStageSuffix(platform: string): string {
  const [os, arch, variant] = platform.split('/');
  return `${os ?? ''}-${arch ?? ''}${variant ?? ''}`;
}

function isPlainImage(image: Image): boolean {
  const spec = imageSpec(image);
  return spec.steps.length === 0 && spec.base.kind === 'registry';
}

class Writer {
  readonly names = new Map<Image, string>();
  readonly out: string[] = [];
  /** Stages named `stage-<n>` so far. */
  stageCount = 0;
  /** Bases given per platform written so far (their stages are `platform-<n>-…`). */
  selectors = 0;

  /** Every COPY from the context: its source and its filter (empty when unfiltered), for the overlap warning. */
  readonly copies: { readonly src: string; readonly filter: string }[] = [];

  constructor(readonly context: string) {}

  /**
   * `.dockerignore` applies to every COPY from the context: where another COPY reads the same files with other (or
   * no) filters, the lines of a filtered one would leave files out of it too; say so where the lines are.
   */
  overlapWarnings(): void {
    const overlaps = (a: string, b: string): boolean => a === '.' || b === '.' || a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
    for (let i = 0; i < this.out.length; i++) {
      const line = this.out[i] as string;
      if (!line.startsWith(OVERLAP_MARK)) continue;
      const me = this.copies[Number(line.slice(OVERLAP_MARK.length))];
      const others = me === undefined ? [] : this.copies.filter((c) => c !== me && c.filter !== me.filter && overlaps(c.src, me.src)).map((c) => c.src);
      const names = [...new Set(others)];
      if (names.length === 0) this.out.splice(i--, 1);
      else {
        this.out[i] =
          `#   (warning: .dockerignore applies to every COPY; these lines also leave files out of the COPY of ${names.join(', ')}, which kiln ` +
          'copies with other filters, so this Dockerfile cannot give the same files there)';
      }
    }
  }

  stageRef(image: Image): string {
    if (isPlainImage(image)) {
      const base = imageSpec(image).base;
      if (base.kind === 'registry') return shortRef(base.ref);
    }
    const known = this.names.get(image);
    if (known !== undefined) return known;
    // Numbered when asked for: the stages it copies from, written first, are numbered after it.
    this.emit(image, `stage-${this.stageCount++}`);
    return this.names.get(image) as string;
  }

  emit(image: Image, name: string | undefined): void {
    const spec = imageSpec(image);
    // Earlier stages first: everything this image copies or mounts from.
    for (const step of spec.steps) {
      if (step.kind === 'copy' && step.from.kind === 'image') this.stageRef(step.from.image);
      if (step.kind === 'run') {
        for (const m of step.mounts) {
          if (m.type === 'image') this.stageRef(m.image);
          else if (m.type === 'cache' && m.seed !== undefined) this.stageRef(m.seed.image);
        }
      }
    }
    if (name !== undefined) this.names.set(image, name);
    // Stages of this image's own: one per group of independent steps, plus the part before each group.
    const prefix = name ?? 'kiln';
    const blocks: string[][] = [];
    let from = spec.base.kind === 'per-platform' ? this.selectPlatform(spec.base) : baseFrom(spec.base);
    let lines: string[] = [];
    if (spec.base.kind === 'registry' && spec.base.secret !== undefined) {
      lines.push('# kiln: the base image is pulled with registry credentials (docker login before building)');
    }
    if (spec.base.kind === 'oci-layout') {
      lines.push(`# kiln: ${from} is the OCI layout ${showOciLayout(spec.base.dir, spec.base)}: docker buildx build --build-context ${from}=oci-layout://${showOciLayout(spec.base.dir, spec.base)} (BuildKit v0.11+)`);
    }
    const baseKey = spec.base.kind === 'registry' ? spec.base.ref : spec.base.kind === 'scratch' ? 'scratch' : from;
    // The user steps run as: the base image's, where kiln knows it (kiln runs installers as root whatever it is).
    let user = baseUser(spec.base) ?? '';
    const setUser = (u: string): void => {
      user = u;
    };
    if (user === '' && !ROOT_BASE.test(baseKey) && spec.steps.some((st) => st.kind === 'run' && st.user === 'root')) {
      lines.push(`# kiln: kiln runs its install steps as root; if ${from} sets a USER other than root, put USER root before them and that USER after them`);
    }
    // What the instructions so far set: every stage of this image sees the env steps before it, in order.
    const known = initialEnv(image);
    const placed = placeBranches(spec.steps);
    let group: { readonly name: string; readonly lower: string; readonly config: string[]; readonly copies: string[]; members: number } | undefined;
    let parts = 0;
    const close = (): void => {
      if (group === undefined) return;
      from = group.lower;
      lines = [...group.copies, ...group.config];
      group = undefined;
    };
    for (const step of spec.steps) {
      const placement = placed.get(step);
      if (step.kind === 'run' && placement !== undefined) {
        if (group === undefined || !placement.joins) {
          close();
          const name = `${prefix}-${++parts}`;
          // Nothing since the last FROM: the members start from that image directly.
          if (lines.length > 0) blocks.push([`FROM ${from} AS ${name}`, ...lines]);
          group = { name, lower: lines.length > 0 ? name : from, config: [], copies: [], members: 0 };
          lines = [];
        }
        const stage = `${group.name}-${++group.members}`;
        blocks.push([`FROM ${group.lower} AS ${stage}`, ...group.config, ...this.run(step, user, baseKey)]);
        for (const out of step.outputs) group.copies.push(copyLine(`--from=${stage} `, out, out, 'COPY'));
        continue;
      }
      if (group !== undefined && step.kind !== 'copy' && step.kind !== 'run' && step.kind !== 'workdir') {
        // Configuration inside a group: the later members' stages and the image after the group both see it.
        group.config.push(...this.step(step, user, setUser, baseKey, known));
        continue;
      }
      close();
      if (step.kind === 'stage') {
        // A Dockerfile FROM of an earlier stage stays one: what comes after sees the steps before as its base image
        // (an ENTRYPOINT clears their CMD).
        if (lines.length > 0) {
          const stage = `${prefix}-${++parts}`;
          blocks.push([`FROM ${from} AS ${stage}`, ...lines]);
          from = stage;
          lines = [];
        }
        continue;
      }
      lines.push(...this.step(step, user, setUser, baseKey, known));
    }
    close();
    blocks.push([`FROM ${from}${name === undefined ? '' : ` AS ${name}`}`, ...lines]);
    for (const block of blocks) {
      if (this.out.length > 0) this.out.push('');
      this.out.push(...block);
    }
  }

  /**
   * A base given per platform (named contexts `NAME::OS/ARCH`): each platform's image as a stage, a stage per platform
   * named after it (`platform-0-linux-arm64`, every other common platform on the image kiln's build takes for a platform
   * no context names), and the `FROM` that picks the build's (`platform-0-\${TARGETOS}-\${TARGETARCH}\${TARGETVARIANT}`:
   * Docker defines those args for every `FROM`; BuildKit builds only the stage picked).
   */
  selectPlatform(base: Extract<Base, { kind: 'per-platform' }>): string {
    const selector = `platform-${this.selectors++}`;
    const stages = new Map<string, string>();
    for (const platform of [...base.choices.keys(), ...SELECTED_PLATFORMS]) {
      const suffix = platformStageSuffix(platform);
      if (!stages.has(suffix)) stages.set(suffix, this.stageRef(base.choices.get(platform) ?? base.otherwise));
    }
    const others = SELECTED_PLATFORMS.filter((p) => !base.choices.has(p)).length;
    if (this.out.length > 0) this.out.push('');
    this.out.push(
      `# kiln: ${base.given.join(', ')} (named contexts per platform): one stage per platform, the build's picked below; the ${others} other platforms listed take the image without them`,
    );
    for (const [suffix, stage] of stages) this.out.push(`FROM ${stage} AS ${selector}-${suffix}`);
    return `${selector}-\${TARGETOS}-\${TARGETARCH}\${TARGETVARIANT}`;
  }

  step(step: Step, user: string, setUser: (u: string) => void, baseKey: string, known: KnownEnv): string[] {
    switch (step.kind) {
      case 'run':
        return this.run(step, user, baseKey);
      case 'copy':
        return this.copy(step);
      case 'env':
        return envLines(step.changes, known);
      // A Dockerfile value that refers to the image's environment (`vars`) is written as it was read.
      case 'workdir':
        return [`WORKDIR ${step.vars === true ? step.path : literalWord(step.path)}`];
      case 'user':
        setUser(step.user);
        return [`USER ${step.vars === true ? step.user : literalWord(step.user)}`];
      case 'entrypoint':
        return [`ENTRYPOINT ${jsonArgs(step.args)}`];
      case 'cmd':
        return [`CMD ${jsonArgs(step.args)}`];
      case 'labels':
        if (step.vars === true) return [`LABEL ${step.labels.map(([k, val]) => `${k}="${val.replace(/"/g, '\\"')}"`).join(' ')}`];
        return [`LABEL ${step.labels.map(([k, val]) => `${dqWord(k, 'label name')}=${dqWord(val, `label ${k}`)}`).join(' ')}`];
      case 'expose':
        return [`EXPOSE ${step.ports.join(' ')}`];
      case 'author':
        return [`MAINTAINER ${step.author}`];
      case 'shell':
        return [`SHELL ${jsonArgs(step.shell)}`];
      case 'force':
        return ['# kiln: forceBuild() — the steps below ignore the build cache (docker build --no-cache)'];
      case 'stage':
        return [];
      case 'platform-args':
        return [`ARG ${step.names.join(' ')}`];
      case 'runtime':
        return [step.instruction];
    }
  }

  mount(m: RunMount, baseKey: string): string {
    switch (m.type) {
      case 'cache':
        return `--mount=type=cache,id=${dockerCacheId(m.perBase ? `${m.id}:${baseKey}` : m.id)},target=${m.target},sharing=${m.sharing}${m.seed === undefined ? '' : `,from=${this.stageRef(m.seed.image)},source=${m.seed.source}`}${ownerOptions(m.owner)}`;
      case 'tmpfs':
        return `--mount=type=tmpfs,target=${m.target}${m.size === undefined ? '' : `,size=${m.size}`}`;
      case 'local':
        return `--mount=type=bind,source=${m.source === undefined ? contextPath(m.local, this.context) : posix.join(contextPath(m.local, this.context), m.source)},target=${m.target}${m.writable ? ',rw' : ''}`;
      case 'image':
        return `--mount=type=bind,from=${this.stageRef(m.image)},source=${m.source},target=${m.target}`;
    }
  }

  run(step: RunStep, user: string, baseKey: string): string[] {
    const stepUser = step.user === 'root' && isRootUser(user) ? user : (step.user ?? user);
    const flags = [
      ...step.mounts.map((m) => this.mount(m, baseKey)),
      ...step.secrets.map((s) => `--mount=type=secret,id=${s.id},target=${s.path}${s.optional ? '' : ',required=true'}${ownerOptions(secretFileOwner(s, stepUser))}`),
      ...step.ssh.map((s) => `--mount=type=ssh${s.id === 'default' ? '' : `,id=${s.id}`}${s.target === undefined ? '' : `,target=${s.target}`}${s.optional ? '' : ',required=true'}${ownerOptions(sshSocketOwner(s, stepUser))}`),
      ...(step.network === 'default' ? [] : [`--network=${step.network}`]),
    ];
    const exports = [
      ...step.secrets.filter((s) => s.env !== undefined).map((s) => `${s.env}="$(cat ${shellQuote(s.path)}${s.optional ? ' 2>/dev/null || true' : ''})"`),
      ...step.env.map(([k, val]) => `${k}=${shellQuote(val)}`),
    ];
    // Build args give way to the image's environment: `${K-value}` keeps a K the image sets.
    const argDefaults = (step.argEnv ?? []).map(([k, val]) => `${k}=\${${k}-${shellQuote(val)}}; export ${k};`);
    const prefix = [
      ...argDefaults,
      ...(exports.length === 0 ? [] : [`export ${exports.join(' ')};`]),
      ...(step.cwd === undefined ? [] : [`mkdir -p ${shellQuote(step.cwd)} && cd ${shellQuote(step.cwd)} || exit 1;`]),
    ].join(' ');
    let body: string;
    if (step.argv !== undefined) {
      body = jsonArgs(prefix === '' ? step.argv : ['/bin/sh', '-c', `${prefix} exec "$@"`, 'sh', ...step.argv]);
    } else {
      const script = prefix === '' ? step.script : `${prefix} ${step.script}`;
      body = script.includes('\n') ? jsonArgs(['/bin/sh', '-c', script]) : script;
    }
    const lines: string[] = [...forceNote(step.force)];
    if (step.gpu !== undefined) lines.push(`# kiln: this step asks for a GPU during the build (${step.gpu.spec})`);
    if (step.hosts.length > 0) lines.push(`# kiln: this step sees extra /etc/hosts entries (docker build ${step.hosts.map(([h, ip]) => `--add-host ${h}:${ip}`).join(' ')})`);
    const asRoot = step.user === 'root' && user !== '' && user !== 'root' && user !== '0';
    const otherUser = step.user !== undefined && step.user !== 'root' && step.user !== user;
    if (asRoot) lines.push('USER root');
    if (otherUser) lines.push(`USER ${literalWord(step.user)}`);
    lines.push(`RUN ${flags.map((f) => `${f} `).join('')}${body}`);
    if (asRoot || otherUser) lines.push(`USER ${user === '' ? 'root' : literalWord(user)}`);
    return lines;
  }

  copy(step: CopyStep): string[] {
    const notes = forceNote(step.force);
    const flags = [
      ...(step.owner === undefined ? [] : [`--chown=${step.owner}`]),
      ...(step.mode === undefined ? [] : [`--chmod=${step.mode.toString(8).padStart(3, '0')}`]),
    ];
    const lines: string[] = [...notes];
    let src: string;
    if (step.from.kind === 'image') {
      flags.unshift(`--from=${this.stageRef(step.from.image)}`);
      src = step.from.path;
    } else if (step.from.kind === 'http') {
      if (step.from.checksum !== undefined) flags.unshift(`--checksum=${step.from.checksum}`);
      lines.push(copyLine(flags.map((f) => `${f} `).join(''), step.from.url, step.dest, 'ADD', step.vars === true, true));
      return lines;
    } else if (step.from.kind === 'git') {
      // `ADD URL#REF:SUBDIR`, as Docker's Dockerfile frontend (1.5+) reads a git source: the tree's contents at dest.
      if (step.from.keepGitDir) flags.unshift('--keep-git-dir=true');
      const url = formatGitUrl({ remote: step.from.remote, ref: step.from.ref, subdir: step.from.path.replace(/^\/+/, '') });
      lines.push(copyLine(flags.map((f) => `${f} `).join(''), url, step.dest, 'ADD', step.vars === true, true));
      return lines;
    } else {
      const l = step.from.local;
      const root = contextPath(l, this.context);
      // The filter's lines name the directory where a link in its path leads: docker's file sender walks it there.
      const walked = resolvedInContext(this.context, root);
      const src0 = localPathText(walked, step.from.path);
      const prefix = walked === '.' ? '' : `${walked.replace(/\/+$/, '')}/`;
      const inContext = (p: string): string => (p.startsWith('!') ? `!${prefix}${p.slice(1)}` : `${prefix}${p}`);
      const leftOut: string[] = [];
      if (l.exclude.length > 0) leftOut.push(`#   ${l.exclude.map(inContext).join('\n#   ')}`);
      for (const f of l.ignoreFiles) {
        // Converted here, as the build converts them (an optional file that is not there adds nothing).
        const patterns = ignoreFilePatterns(f, root === '.' ? this.context : posix.join(this.context, root), this.context, l.exclude);
        if (patterns === undefined) leftOut.push(`#   (and every pattern of ${f.path}, which does not exist now${prefix === '' ? '' : `, each prefixed with ${prefix}`})`);
        else if (patterns.length > 0) leftOut.push(`#   ${patterns.map(inContext).join('\n#   ')}`);
      }
      if (l.condition !== undefined) leftOut.push('#   (and the files its condition function rejects)');
      // Filtered only when something is left out (an optional ignore file that is not there leaves out nothing).
      const filtered = leftOut.length > 0;
      this.copies.push({ src: src0, filter: filtered ? JSON.stringify([l.exclude, l.ignoreFiles, l.condition !== undefined]) : '' });
      if (filtered) {
        // Not a comment to skim: without these lines `docker build` copies what kiln leaves out (.env files…).
        lines.push('# kiln: this COPY must leave out files; a Dockerfile cannot filter one COPY, so put these lines in .dockerignore:');
        lines.push(`${OVERLAP_MARK}${this.copies.length - 1}`, ...leftOut);
      }
      src = localPathText(root, step.from.path);
    }
    // A source in another stage or image left for the build to expand is written as the Dockerfile had it.
    const srcVars = step.vars === true && step.from.kind === 'image';
    const guard = defaultedGuard(step);
    if (guard !== '') lines.push(defaultedNote(step));
    lines.push(copyLine(flags.map((f) => `${f} `).join(''), srcVars || step.wildcard ? src : globLiteral(src), step.dest, step.unpack ? 'ADD' : 'COPY', step.vars === true, srcVars, guard));
    return lines;
  }
}

/**
 * A path `COPY` reads as a pattern, matching only itself: Docker expands `*`, `?` and `[` in a source, so each is put
 * in a class of its own (`data[1].csv` → `data[[]1].csv`).
 */
function globLiteral(path: string): string {
  return path.replace(/[*?[]/g, (c) => `[${c}]`);
}

/**
 * For a Dockerfile context source kiln read with the default of `${NAME:-default}` (a name only the base image's
 * environment or the build's platform could set): what makes `docker build` of the generated Dockerfile refuse it
 * when kiln's build does — when the stage's environment sets NAME. kiln took the default when it read the Dockerfile
 * and refuses to build if NAME turns out to be set (docker build of the original would take the value); the source is
 * written as the default path kiln read, followed by `${NAME:+.kiln-NAME-is-set}`, which Docker expands to nothing
 * while NAME is unset or empty and to a suffix naming no file when it is set, so the COPY fails there too instead of
 * copying the default. Empty when the step has no such source.
 */
function defaultedGuard(step: CopyStep): string {
  return (step.defaulted?.names ?? []).map(({ name }) => `\${${name}:+.kiln-${name}-is-set}`).join('');
}

/** The comment above a guarded COPY (see {@link defaultedGuard}). */
function defaultedNote(step: CopyStep): string {
  const d = step.defaulted!;
  const names = d.names.map((n) => n.name).join(', ');
  return `# kiln: line ${d.line} (${d.keyword}) of the Dockerfile read ${JSON.stringify(d.source)} with the default; kiln refuses to build it when the image sets ${names}, and the \${…:+…} below makes docker build fail then too`;
}

/** A `COPY`/`ADD` instruction; JSON form when a path has whitespace or quotes. `guard` follows the source as written. */
function copyLine(flags: string, rawSrc: string, rawDest: string, keyword: 'COPY' | 'ADD', destVars = false, srcVars = false, guard = ''): string {
  const [src, dest] = [(srcVars ? rawSrc : literalWord(rawSrc)) + guard, destVars ? rawDest : literalWord(rawDest)];
  if ([src, dest].some((w) => /[\s"]/.test(w))) return `${keyword} ${flags}${jsonArgs([src, dest])}`;
  return `${keyword} ${flags}${src} ${dest}`;
}

/** Placeholder line for a filtered COPY's overlap warning, resolved once every COPY is known. */
const OVERLAP_MARK = '\u0000kiln-overlap:';

/** Options of {@link toDockerfile}. */
export interface ToDockerfileOptions {
  /** The directory the Dockerfile will be built in (default: the current directory); absolute local paths are written relative to it. */
  readonly context?: string | undefined;
}

/** Renders `image` as a Dockerfile. */
export function toDockerfile(image: Image, options: ToDockerfileOptions = {}): string {
  const w = new Writer(resolve(options.context ?? process.cwd()).split('\\').join('/'));
  w.emit(image, undefined);
  w.overlapWarnings();
  return `# Generated by kiln from an Image definition.\n${w.out.join('\n')}\n`;
}
