/**
 * `State`: an immutable point in an LLB graph — an op output plus the process settings (env, working
 * directory, user, platform) later `run` steps inherit. Every method returns a new State; the one
 * you call it on never changes.
 */
import { invalidArgument } from '../errors.js';
import type { Definition } from './definition.js';
import { type ExecBuild, type RunArgs, type RunOptions, createExec } from './exec.js';
import {
  type ActionSpec,
  type CopyOptions,
  FileActions,
  type MkdirOptions,
  type MkfileOptions,
  type RmOptions,
  createFileOp,
  specCopy,
  specMkdir,
  specMkfile,
  specRm,
} from './file.js';
import { type ImageConfigInput, readImageConfig } from './image-config.js';
import { type MarshalOptions, marshalState } from './marshal.js';
import { applyDir, resolvePath } from './paths.js';
import { type Platform, type PlatformInput, normalizePlatform } from './platform.js';
import { type CallSite, checkEnvName, checkNoNul, checkNonEmpty, checkString, show } from './validate.js';
import { type OpOptions, type Output, opConstraints } from './vertex.js';

/** One environment variable. */
export type EnvEntry = readonly [key: string, value: string];

/** Environment variables as an object or as ordered pairs. */
export type EnvInput = Readonly<Record<string, string>> | Iterable<readonly [string, string]>;

/** What a State holds. */
export interface StateData {
  readonly out: Output | null;
  readonly env: readonly EnvEntry[];
  readonly dir: string;
  readonly user: string;
  readonly platform: Platform | undefined;
}

const TOKEN: unique symbol = Symbol('kiln.llb.State');
const NO_ENV: readonly EnvEntry[] = Object.freeze([]);
const NO_OPTIONS: RunOptions = Object.freeze({});

let readData: (s: State) => StateData;

/** Sets `key` to `value`; an existing key is removed first, so it moves to the end (BuildKit's order). */
export function envWith(env: readonly EnvEntry[], key: string, value: string): readonly EnvEntry[] {
  const out: EnvEntry[] = [];
  for (const e of env) if (e[0] !== key) out.push(e);
  out.push([key, value]);
  return out;
}

/** Validates and applies an {@link EnvInput} on top of `env`. */
export function envApply(env: readonly EnvEntry[], vars: EnvInput, name: string, site: CallSite): readonly EnvEntry[] {
  if (typeof vars !== 'object' || vars === null) {
    invalidArgument(`${name} must be an object of strings or a list of [name, value] pairs, got ${show(vars)}`, site);
  }
  const pairs: (readonly [unknown, unknown])[] =
    Symbol.iterator in vars
      ? Array.from(vars as Iterable<readonly [string, string]>, (p, i) => {
          if (!Array.isArray(p) || p.length !== 2) {
            invalidArgument(`${name}[${i}] must be a [name, value] pair, got ${show(p)}`, site);
          }
          return [p[0], p[1]] as const;
        })
      : Object.entries(vars as Readonly<Record<string, unknown>>);
  let out = env;
  for (const [k, v] of pairs) {
    const key = checkEnvName(k, `${name} name`, site);
    const value = checkNoNul(checkString(v, `${name}[${show(key)}]`, site), `${name}[${show(key)}]`, site);
    out = envWith(out, key, value);
  }
  return out;
}

/**
 * An immutable LLB state. Start from {@link image}, {@link local}, {@link git}, {@link http} or
 * {@link scratch}; chain `run`, file operations and settings; marshal with {@link marshal}.
 *
 * @example
 * const app = image('python:3.11-slim')
 *   .addEnv('PIP_NO_CACHE_DIR', '1')
 *   .dir('/app')
 *   .run(['pip', 'install', 'numpy'])
 *   .root();
 * const def = app.marshal({ platform: 'linux/amd64' });
 */
export class State {
  readonly #d: StateData;

  static {
    readData = (s) => s.#d;
  }

  /** Not for use: States are created by kiln's builders (`image`, `scratch`, …), not with `new`. */
  constructor(token: typeof TOKEN, data: StateData) {
    if (token !== TOKEN) invalidArgument('State is created by image(), local(), scratch() and friends, not with new', State);
    this.#d = data;
  }

  /** True when the state is empty (scratch): it has no op behind it. */
  get isScratch(): boolean {
    return this.#d.out === null;
  }

  /**
   * Sets an environment variable for later `run` steps. Setting an existing name moves it to the end
   * of the list (as BuildKit does).
   *
   * @example
   * image('alpine').addEnv('A', '1').addEnv('B', '2').addEnv('A', '3').getEnvList() // ['B=2', 'A=3']
   */
  addEnv(key: string, value: string): State {
    const site = State.prototype.addEnv;
    const k = checkEnvName(key, 'addEnv key', site);
    const v = checkNoNul(checkString(value, `addEnv value of ${k}`, site), `addEnv value of ${k}`, site);
    return this.with({ env: envWith(this.#d.env, k, v) });
  }

  /**
   * Sets several environment variables, in order, with {@link State.addEnv} semantics.
   *
   * @example
   * state.withEnv({ LANG: 'C.UTF-8', PYTHONUNBUFFERED: '1' })
   */
  withEnv(vars: EnvInput): State {
    return this.with({ env: envApply(this.#d.env, vars, 'withEnv vars', State.prototype.withEnv) });
  }

  /** Removes an environment variable (no-op when it is not set). */
  withoutEnv(key: string): State {
    const k = checkEnvName(key, 'withoutEnv key', State.prototype.withoutEnv);
    if (!this.#d.env.some((e) => e[0] === k)) return this;
    return this.with({ env: this.#d.env.filter((e) => e[0] !== k) });
  }

  /** The value of an environment variable, or `undefined`. */
  getEnv(key: string): string | undefined {
    for (const e of this.#d.env) if (e[0] === key) return e[1];
    return undefined;
  }

  /** The environment as `NAME=value` strings, in order. */
  getEnvList(): readonly string[] {
    return this.#d.env.map((e) => `${e[0]}=${e[1]}`);
  }

  /**
   * Sets the working directory for later steps. A relative path is joined onto the current one (and cleaned); an
   * absolute one is kept as written, as BuildKit's Go client keeps it (`/app/` goes into run steps as `/app/`).
   *
   * @example
   * scratch().dir('/app').dir('src').getDir() // '/app/src'
   */
  dir(path: string): State {
    const site = State.prototype.dir;
    const p = checkNoNul(checkNonEmpty(path, 'dir path', site, 'pass "/" for the root'), 'dir path', site);
    return this.with({ dir: applyDir(this.#d.dir, p) });
  }

  /** The working directory (`/` unless set). */
  getDir(): string {
    return this.#d.dir;
  }

  /** Sets the user later `run` steps run as: `"root"`, `"1000"`, `"1000:1000"`, `"app:staff"`. */
  user(user: string): State {
    const site = State.prototype.user;
    const u = checkNoNul(checkNonEmpty(user, 'user', site, 'pass a name such as "root" or an id such as "1000"'), 'user', site);
    return this.with({ user: u });
  }

  /** The user (`""` = the image default). */
  getUser(): string {
    return this.#d.user;
  }

  /** Sets the platform later `run` and file steps are built for. */
  platform(platform: PlatformInput): State {
    return this.with({ platform: normalizePlatform(platform, 'platform', State.prototype.platform) });
  }

  /** The platform set on this state (by `platform()` or an image's platform option), if any. */
  getPlatform(): Platform | undefined {
    return this.#d.platform;
  }

  /**
   * Carries an image's config into the state, as BuildKit's Go client `State.WithImageConfig` (and `llb.Image` with a
   * meta resolver) does: each `Env` entry is set with {@link State.addEnv} semantics, `WorkingDir` is applied with
   * {@link State.dir} (relative to the current one; none keeps it), and `os`/`architecture`/`variant` become the
   * state's platform, taken as written (when both `os` and `architecture` are set). `User` is not applied (Go does not
   * either): call {@link State.user}. Pass the raw JSON, e.g. what `Gateway.resolveImageConfig(ref)` returns.
   *
   * @example
   * const { config } = await gw.resolveImageConfig('docker.io/library/python:3.11-slim');
   * const py = image('python:3.11-slim').withImageConfig(config); // PATH, LANG, … set for later run steps
   */
  withImageConfig(config: ImageConfigInput): State {
    const site = State.prototype.withImageConfig;
    const c = readImageConfig(config, 'withImageConfig config', site);
    let env = this.#d.env;
    for (const [k, v] of c.env) env = envWith(env, k, v);
    const dir = applyDir(this.#d.dir, c.workingDir);
    return this.with(c.platform === undefined ? { env, dir } : { env, dir, platform: c.platform });
  }

  /**
   * Runs a process on this state's filesystem. `args` is an argv array, or a string split into words
   * like a shell would (quotes and backslashes; no expansion). Returns an {@link ExecState}: use it as
   * the new root filesystem, or take a writable mount's result with `.mount(dest)`.
   *
   * @example
   * base.run(['sh', '-c', 'echo hi > /out/x'], {
   *   mounts: [{ type: 'bind', dest: '/out', source: scratch() }],
   * }).mount('/out')
   */
  run(args: RunArgs, options?: Omit<RunOptions, 'args'>): ExecState;
  run(options: RunOptions): ExecState;
  run(argsOrOptions: RunArgs | RunOptions, options?: Omit<RunOptions, 'args'>): ExecState {
    const site = State.prototype.run;
    let opts: RunOptions;
    let args: unknown;
    if (typeof argsOrOptions === 'string' || Array.isArray(argsOrOptions)) {
      if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
        invalidArgument(`run options must be an options object, got ${show(options)}`, site);
      }
      if (options !== undefined && (options as RunOptions).args !== undefined) {
        invalidArgument('run was given args twice: as the first argument and as options.args; pass them once', site);
      }
      opts = options ?? NO_OPTIONS;
      args = argsOrOptions;
    } else {
      opts = argsOrOptions as RunOptions;
      args = opts?.args;
    }
    const d = this.#d;
    const built = createExec(d, args, opts, site);
    const rootData: StateData =
      built.root === d.out
        ? d
        : { out: built.root, env: d.env, dir: d.dir, user: d.user, platform: built.root?.platform ?? d.platform };
    return new ExecState(TOKEN, rootData, built);
  }

  /**
   * Applies a chain of file actions as one file op.
   *
   * @example
   * state.file(mkdir('/app', { parents: true }).mkfile('/app/VERSION', '1.0\n').copy(ctx, 'src', '/app/src'))
   */
  file(actions: FileActions, options?: OpOptions): State {
    const site = State.prototype.file;
    if (!(actions instanceof FileActions)) {
      invalidArgument(`file actions must be built with mkdir(), mkfile(), rm() or copy(), got ${show(actions)}`, site);
    }
    return this.withFileOp(actions.actions, options, site);
  }

  /** Creates a directory (one file op). Relative paths are joined onto the working directory. */
  mkdir(path: string, options?: MkdirOptions & OpOptions): State {
    const site = State.prototype.mkdir;
    return this.withFileOp([specMkdir(path, options, site)], options, site);
  }

  /** Writes a file (one file op). A string is written as UTF-8. */
  mkfile(path: string, data: string | Uint8Array, options?: MkfileOptions & OpOptions): State {
    const site = State.prototype.mkfile;
    return this.withFileOp([specMkfile(path, data, options, site)], options, site);
  }

  /** Removes a path (one file op). */
  rm(path: string, options?: RmOptions & OpOptions): State {
    const site = State.prototype.rm;
    return this.withFileOp([specRm(path, options, site)], options, site);
  }

  /**
   * Copies `src` from state `from` to `dest` in this state (one file op). A relative `src` is resolved
   * against `from`'s working directory, a relative `dest` against this state's; a `dest` ending in "/"
   * means "into this directory".
   */
  copy(from: State, src: string, dest: string, options?: CopyOptions & OpOptions): State {
    const site = State.prototype.copy;
    return this.withFileOp([specCopy(from, src, dest, options, site)], options, site);
  }

  /** Marshals the graph ending at this state. Same as `marshal(state, options)`. */
  marshal(options?: MarshalOptions): Definition {
    return marshalState(this, options, State.prototype.marshal);
  }

  private withFileOp(actions: readonly ActionSpec[], options: OpOptions | undefined, site: CallSite): State {
    const constraints = opConstraints(options, site);
    const d = this.#d;
    const out = createFileOp(d, actions, constraints);
    return new State(TOKEN, { out, env: d.env, dir: d.dir, user: d.user, platform: d.platform });
  }

  private with(change: Partial<StateData>): State {
    const d = this.#d;
    return new State(TOKEN, {
      out: change.out === undefined ? d.out : change.out,
      env: change.env ?? d.env,
      dir: change.dir ?? d.dir,
      user: change.user ?? d.user,
      platform: 'platform' in change ? change.platform : d.platform,
    });
  }
}

/**
 * The result of {@link State.run}. It is itself the state of the root filesystem after the process
 * ran; `root()` returns that as a plain State and `mount(dest)` the result of a writable mount.
 */
export class ExecState extends State {
  readonly #exec: ExecBuild;

  /** Not for use: created by `State.run`. */
  constructor(token: typeof TOKEN, data: StateData, exec: ExecBuild) {
    super(token, data);
    this.#exec = exec;
  }

  /** The root filesystem after the process ran, with this state's env, dir and user. */
  root(): State {
    return new State(TOKEN, stateData(this));
  }

  /**
   * The contents of the mount at `dest` after the process ran. Writable bind mounts have their own
   * result; a read-only mount gives back what was mounted. Cache, tmpfs and `noOutput` mounts have no
   * result. The returned state starts fresh: working directory `/`, no env, default user.
   */
  mount(dest: string): State {
    const site = ExecState.prototype.mount;
    const d = checkNonEmpty(dest, 'mount dest', site);
    const clean = resolvePath('/', d);
    const m = this.#exec.mounts.find((x) => x.dest === d) ?? this.#exec.mounts.find((x) => x.dest === clean);
    if (m === undefined) {
      const known = this.#exec.mounts.map((x) => `"${x.dest}"`).join(', ');
      invalidArgument(`this run has no mount at ${show(d)}; its mounts are ${known}`, site);
    }
    if (m.noResult !== undefined) invalidArgument(`the mount at ${show(d)} ${m.noResult}`, site);
    return stateFromOutput(m.out);
  }
}

/** The data behind a state (internal). */
export function stateData(s: State): StateData {
  return readData(s);
}

/** A fresh state on `out`: working directory `/`, empty env, default user, the output's platform. */
export function stateFromOutput(out: Output | null): State {
  return new State(TOKEN, { out, env: NO_ENV, dir: '/', user: '', platform: out?.platform });
}

/**
 * The empty filesystem.
 *
 * @example
 * scratch().mkfile('/hello.txt', 'hello\n')
 */
export function scratch(): State {
  return stateFromOutput(null);
}
