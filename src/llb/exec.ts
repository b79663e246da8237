/**
 * `run`: exec ops. Validates the options at the call site and builds an {@link ExecVertex} whose
 * mounts, inputs and outputs are laid out exactly as BuildKit's Go client lays them out:
 * bind/cache/tmpfs mounts (the root "/" included) sorted by destination, then secret files in the
 * order given, then ssh sockets; outputs 0,1,2… for writable binds in that order; inputs listed once,
 * in order of first use.
 *
 * Internal module (the options types are public).
 */
import { invalidArgument } from '../errors.js';
import { Cap } from './caps.js';
import { formatIp } from './ip.js';
import { CacheSharing, MountType, NetMode, type PbMount, type PbOp, SecurityMode } from './pb.js';
import { applyDir, resolvePath } from './paths.js';
import type { Platform } from './platform.js';
import { ShlexError, splitWords } from './shlex.js';
import { compareUtf8 } from './wire.js';
import { type EnvEntry, type EnvInput, type State, type StateData, envApply, envWith, stateData } from './state.js';
import {
  type CallSite,
  checkAbsolutePath,
  checkBool,
  checkEnum,
  checkEnvName,
  checkId,
  checkInt,
  checkMode,
  checkNoNul,
  checkNonEmpty,
  checkOptions,
  checkString,
  NONE,
  show,
} from './validate.js';
import {
  type BuiltOp,
  type CapList,
  type MarshalContext,
  type OpConstraints,
  type OpOptions,
  Output,
  Vertex,
  capList,
  inputEdges,
  opConstraints,
} from './vertex.js';

/** An argv array, or a command line split into words (quotes and backslashes honoured, no expansion). */
export type RunArgs = string | readonly string[];

/** A writable or read-only bind mount of another state. */
export interface BindMount {
  readonly type: 'bind';
  /** Absolute path inside the container. */
  readonly dest: string;
  /** What to mount (`scratch()` for an empty directory). */
  readonly source: State;
  /** Mount read-only; the mount then has no result of its own. */
  readonly readonly?: boolean | undefined;
  /** Mount only this sub-path of `source`. */
  readonly sourcePath?: string | undefined;
  /** Same as `sourcePath` (BuildKit's field name). */
  readonly selector?: string | undefined;
  /** Writable, but throw the changes away (no result). */
  readonly noOutput?: boolean | undefined;
}

/** A persistent cache directory, shared between builds by `id`. */
export interface CacheMount {
  readonly type: 'cache';
  readonly dest: string;
  /** Cache namespace; builds using the same id see the same directory. */
  readonly id: string;
  /** How concurrent builds share it: `shared` (default), `private` (a fresh copy when busy) or `locked`. */
  readonly sharing?: 'shared' | 'private' | 'locked' | undefined;
  /** Seed the cache from this state when it is first created. */
  readonly source?: State | undefined;
  /** Seed it from only this sub-path of `source`. */
  readonly sourcePath?: string | undefined;
}

/** An in-memory filesystem. */
export interface TmpfsMount {
  readonly type: 'tmpfs';
  readonly dest: string;
  /** Size limit in bytes (0 or absent = the daemon's default). */
  readonly size?: number | undefined;
}

/** A mount of a {@link RunOptions}. */
export type MountSpec = BindMount | CacheMount | TmpfsMount;

/** A build secret exposed as a file. */
export interface SecretFile {
  /** Secret id the client serves (defaults to `path`). */
  readonly id?: string | undefined;
  /** Absolute path of the file inside the container. */
  readonly path: string;
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
  /** File mode (default 0o400). */
  readonly mode?: number | undefined;
  /** Run anyway when the client does not have the secret. */
  readonly optional?: boolean | undefined;
}

/** A build secret exposed as an environment variable. */
export interface SecretEnvVar {
  /** Secret id the client serves (defaults to `env`). */
  readonly id?: string | undefined;
  /** Variable name. */
  readonly env: string;
  readonly optional?: boolean | undefined;
}

/** A secret of a {@link RunOptions}: a file (`path`) or an environment variable (`env`). */
export type SecretSpec = SecretFile | SecretEnvVar;

/** Where the `index`th ssh-agent socket of a run is mounted when it names no target (as BuildKit's Go client does). */
export function defaultSshTarget(index: number): string {
  return `/run/buildkit/ssh_agent.${index}`;
}

/** An ssh-agent socket forwarded from the client. */
export interface SshSpec {
  /** Agent id the client serves (default `"default"`). */
  readonly id?: string | undefined;
  /** Socket path (default `/run/buildkit/ssh_agent.N`); the first one is exported as `SSH_AUTH_SOCK`. */
  readonly target?: string | undefined;
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
  /** Socket mode (default 0o600). */
  readonly mode?: number | undefined;
  readonly optional?: boolean | undefined;
}

/** Resource limit names a run can set. */
export type UlimitName =
  | 'core'
  | 'cpu'
  | 'data'
  | 'fsize'
  | 'locks'
  | 'memlock'
  | 'msgqueue'
  | 'nice'
  | 'nofile'
  | 'nproc'
  | 'rss'
  | 'rtprio'
  | 'rttime'
  | 'sigpending'
  | 'stack';

const ULIMIT_NAMES: readonly UlimitName[] = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
];

/** A resource limit; -1 means unlimited. */
export interface Ulimit {
  readonly name: UlimitName;
  readonly soft: number;
  readonly hard: number;
}

/** Proxy settings passed to the process (kept out of the cache key). */
export interface ProxyEnv {
  readonly httpProxy?: string | undefined;
  readonly httpsProxy?: string | undefined;
  readonly ftpProxy?: string | undefined;
  readonly noProxy?: string | undefined;
  readonly allProxy?: string | undefined;
}

/** An `/etc/hosts` entry. */
export interface ExtraHost {
  readonly host: string;
  readonly ip: string;
}

/** Options of {@link State.run}. */
export interface RunOptions extends OpOptions {
  /** The command: an argv array, or a string split into words. Required. */
  readonly args?: RunArgs | undefined;
  /** Variables added to the state's environment for this run (a name already set moves to the end). */
  readonly env?: EnvInput | undefined;
  /** Working directory; relative paths are joined onto the state's. */
  readonly cwd?: string | undefined;
  /** User to run as (overrides the state's). */
  readonly user?: string | undefined;
  /** Host name inside the container. */
  readonly hostname?: string | undefined;
  /** Extra `/etc/hosts` entries (IPs are written in Go's canonical form). */
  readonly extraHosts?: readonly ExtraHost[] | undefined;
  /** `sandbox` (default), `host` (needs the network.host entitlement) or `none`. */
  readonly network?: 'sandbox' | 'host' | 'none' | undefined;
  /** `sandbox` (default) or `insecure` (privileged; needs the security.insecure entitlement). */
  readonly security?: 'sandbox' | 'insecure' | undefined;
  /** Resource limits (BuildKit v0.10+). */
  readonly ulimits?: readonly Ulimit[] | undefined;
  /** cgroup parent of the process (BuildKit v0.10+). */
  readonly cgroupParent?: string | undefined;
  /** Proxy variables for the process; unlike `env` they do not change the cache key. */
  readonly proxyEnv?: ProxyEnv | undefined;
  /**
   * Mount the root filesystem read-only. The run then produces no new root: `root()` is the state
   * it ran on, and results come from writable mounts (`mount(dest)`).
   */
  readonly readonlyRootfs?: boolean | undefined;
  /** Extra mounts: bind mounts of other states, cache directories, tmpfs. */
  readonly mounts?: readonly MountSpec[] | undefined;
  /** Build secrets, as files or environment variables. */
  readonly secrets?: readonly SecretSpec[] | undefined;
  /** ssh-agent sockets; `true` = one default socket. */
  readonly ssh?: readonly SshSpec[] | boolean | undefined;
}

interface MountEntry {
  readonly dest: string;
  readonly source: Output | null;
  readonly readonly: boolean;
  readonly selector: string;
  readonly cacheId: string;
  readonly sharing: number;
  readonly tmpfs: boolean;
  readonly tmpfsSize: number;
  readonly noOutput: boolean;
  /** The op's output index for this mount, or -1. */
  output: number;
  /** Slot of `source` in the vertex's input list, or -1. */
  slot: number;
}

interface SecretEntry {
  readonly id: string;
  readonly target: string;
  readonly env: boolean;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly optional: boolean;
}

interface SshEntry {
  readonly id: string;
  readonly target: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly optional: boolean;
}

/** The result of one mount of a run. */
export interface MountResult {
  readonly dest: string;
  readonly out: Output | null;
  /** Why the mount has no result, when it has none. */
  readonly noResult: string | undefined;
}

/** What `run` hands back to the State layer. */
export interface ExecBuild {
  readonly vertex: ExecVertex;
  /** The root filesystem output (the base's own output for a read-only root). */
  readonly root: Output | null;
  /** Per mount destination: its result, or why it has none. */
  readonly mounts: readonly MountResult[];
}

const NETWORKS = ['sandbox', 'host', 'none'] as const;
const SECURITY_MODES = ['sandbox', 'insecure'] as const;
const MOUNT_TYPES = ['bind', 'cache', 'tmpfs'] as const;
const SHARING_MODES = ['shared', 'private', 'locked'] as const;

const DEFAULT_PATH_UNIX = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_PATH_WINDOWS = 'c:\\Windows\\System32;c:\\Windows';

/** An exec op. */
export class ExecVertex extends Vertex {
  readonly kind = 'exec' as const;
  readonly inputs: readonly Output[];
  private readonly envStrings: readonly string[];
  private readonly hasPath: boolean;
  private capsPlain: CapList | undefined;
  private capsWithPath: CapList | undefined;

  constructor(
    constraints: OpConstraints,
    private readonly args: readonly string[],
    env: readonly EnvEntry[],
    private readonly cwd: string,
    private readonly user: string,
    private readonly hostname: string,
    private readonly extraHosts: readonly ExtraHost[],
    private readonly ulimits: readonly Ulimit[],
    private readonly cgroupParent: string,
    private readonly proxyEnv: ProxyEnv | undefined,
    private readonly network: number,
    private readonly security: number,
    private readonly mounts: readonly MountEntry[],
    private readonly secrets: readonly SecretEntry[],
    private readonly ssh: readonly SshEntry[],
    private readonly statePlatform: Platform | undefined,
  ) {
    super(constraints);
    this.envStrings = env.length === 0 ? NONE : env.map((e) => `${e[0]}=${e[1]}`);
    this.hasPath = env.some((e) => e[0] === 'PATH');
    const inputs: Output[] = [];
    for (const m of mounts) {
      if (m.source === null) continue;
      let slot = inputs.findIndex((o) => o === m.source);
      if (slot === -1) {
        slot = inputs.length;
        inputs.push(m.source);
      }
      m.slot = slot;
    }
    // Exact-size copies: a grown array keeps spare capacity for as long as the graph lives.
    this.inputs = inputs.slice();
  }

  describe(): string {
    return this.args.join(' ');
  }

  override requiredCaps(): readonly string[] {
    return this.cgroupParent === '' ? [] : [Cap.execMetaCgroupParent];
  }

  /** The caps this exec records (with or without the daemon-sets-PATH cap), computed once. */
  private recordedCaps(setsDefaultPath: boolean): CapList {
    const cached = setsDefaultPath ? this.capsWithPath : this.capsPlain;
    if (cached !== undefined) return cached;
    const caps: string[] = [];
    if (setsDefaultPath) caps.push(Cap.execMetaSetsDefaultPath);
    if (this.ulimits.length > 0) caps.push(Cap.execMetaUlimit);
    if (this.network !== NetMode.sandbox) caps.push(Cap.execMetaNetwork);
    if (this.security !== SecurityMode.sandbox) caps.push(Cap.execMetaSecurity);
    if (this.proxyEnv !== undefined) caps.push(Cap.execMetaProxy);
    caps.push(Cap.execMetaBase);
    for (const m of this.mounts) {
      if (m.selector !== '') caps.push(Cap.execMountSelector);
      if (m.cacheId !== '') caps.push(Cap.execMountCache, Cap.execMountCacheSharing);
      else if (m.tmpfs) {
        caps.push(Cap.execMountTmpfs);
        if (m.tmpfsSize > 0) caps.push(Cap.execMountTmpfsSize);
      } else if (m.source !== null) caps.push(Cap.execMountBind);
    }
    if (this.secrets.length > 0) {
      caps.push(Cap.execMountSecret);
      if (this.secrets.some((x) => x.env)) caps.push(Cap.execSecretEnv);
    }
    if (this.ssh.length > 0) caps.push(Cap.execMountSsh);
    const list = capList(caps);
    if (setsDefaultPath) this.capsWithPath = list;
    else this.capsPlain = list;
    return list;
  }

  protected build(ctx: MarshalContext): BuiltOp {
    let env = this.envStrings;
    let setsDefaultPath = false;
    if (ctx.caps !== undefined) {
      if (ctx.caps.has(Cap.execMetaSetsDefaultPath)) {
        setsDefaultPath = true;
      } else if (!this.hasPath) {
        env = [...env, `PATH=${ctx.platform.os === 'windows' ? DEFAULT_PATH_WINDOWS : DEFAULT_PATH_UNIX}`];
      }
    }

    const { edges, slots } = inputEdges(ctx, this.inputs);

    const mounts: PbMount[] = [];
    for (const m of this.mounts) {
      mounts.push({
        input: m.slot === -1 || slots === undefined ? m.slot : (slots[m.slot] as number),
        selector: m.selector,
        dest: m.dest,
        output: m.output,
        readonly: m.readonly,
        mountType: m.cacheId !== '' ? MountType.cache : m.tmpfs ? MountType.tmpfs : MountType.bind,
        tmpfsOpt: m.tmpfs ? { size: m.tmpfsSize } : undefined,
        cacheOpt: m.cacheId !== '' ? { id: m.cacheId, sharing: m.sharing } : undefined,
        secretOpt: undefined,
        sshOpt: undefined,
        resultId: '',
      });
    }
    const secretEnv: { id: string; name: string; optional: boolean }[] = [];
    if (this.secrets.length > 0) {
      for (const s of this.secrets) {
        if (s.env) {
          secretEnv.push({ id: s.id, name: s.target, optional: s.optional });
          continue;
        }
        mounts.push({
          input: 0,
          selector: '',
          dest: s.target,
          output: 0,
          readonly: false,
          mountType: MountType.secret,
          tmpfsOpt: undefined,
          cacheOpt: undefined,
          secretOpt: { id: s.id, uid: s.uid, gid: s.gid, mode: s.mode, optional: s.optional },
          sshOpt: undefined,
          resultId: '',
        });
      }
    }
    if (this.ssh.length > 0) {
      for (const s of this.ssh) {
        mounts.push({
          input: 0,
          selector: '',
          dest: s.target,
          output: 0,
          readonly: false,
          mountType: MountType.ssh,
          tmpfsOpt: undefined,
          cacheOpt: undefined,
          secretOpt: undefined,
          sshOpt: { id: s.id, uid: s.uid, gid: s.gid, mode: s.mode, optional: s.optional },
          resultId: '',
        });
      }
    }

    const p = this.proxyEnv;
    const op: PbOp = {
      inputs: edges,
      op: {
        type: 'exec',
        exec: {
          meta: {
            args: this.args,
            env,
            cwd: this.cwd,
            user: this.user,
            proxyEnv:
              p === undefined
                ? undefined
                : {
                    httpProxy: p.httpProxy ?? '',
                    httpsProxy: p.httpsProxy ?? '',
                    ftpProxy: p.ftpProxy ?? '',
                    noProxy: p.noProxy ?? '',
                    allProxy: p.allProxy ?? '',
                  },
            extraHosts: this.extraHosts,
            hostname: this.hostname,
            ulimit: this.ulimits,
            cgroupParent: this.cgroupParent,
            removeMountStubsRecursive: true,
          },
          mounts,
          network: this.network,
          security: this.security,
          secretEnv,
        },
      },
      platform: this.opPlatform(ctx, this.statePlatform),
      constraints: this.workerConstraints(ctx),
    };
    return { op, caps: this.recordedCaps(setsDefaultPath) };
  }
}

function normalizeArgs(value: unknown, site: CallSite): string[] {
  if (value === undefined) {
    invalidArgument('run needs a command: pass args such as ["sh", "-c", "echo hi"] or "echo hi"', site);
  }
  let args: string[];
  if (typeof value === 'string') {
    try {
      args = splitWords(value);
    } catch (err) {
      if (err instanceof ShlexError) invalidArgument(`run args ${show(value)} cannot be split into words: ${err.message}`, site);
      throw err;
    }
  } else if (Array.isArray(value)) {
    args = value.map((a: unknown, i) => checkNoNul(checkString(a, `run args[${i}]`, site), `run args[${i}]`, site));
  } else {
    return invalidArgument(`run args must be an array of strings or a command string, got ${show(value)}`, site);
  }
  if (args.length === 0) {
    invalidArgument(
      `run args must not be empty${typeof value === 'string' ? ` (${show(value)} has no words)` : ''}; pass the program and its arguments, e.g. ["sh", "-c", "echo hi"]`,
      site,
    );
  }
  for (let i = 0; i < args.length; i++) checkNoNul(args[i] as string, `run args[${i}]`, site);
  return args;
}

function sourceOutput(value: unknown, name: string, site: CallSite): Output | null {
  try {
    return stateData(value as State).out;
  } catch {
    return invalidArgument(`${name} must be a State (from image(), local(), scratch(), …), got ${show(value)}`, site);
  }
}

/** Validates run options and builds the exec vertex with its outputs. */
export function createExec(base: StateData, argsInput: unknown, o: RunOptions, site: CallSite): ExecBuild {
  checkOptions(o, 'run options', site);
  const constraints = opConstraints(o, site, 'run options');
  const args = normalizeArgs(argsInput, site);

  let env = base.env;
  if (o.env !== undefined) env = envApply(env, o.env, 'run env', site);
  const cwd =
    o.cwd === undefined
      ? base.dir
      : applyDir(base.dir, checkNoNul(checkNonEmpty(o.cwd, 'run cwd', site), 'run cwd', site));
  const user = o.user === undefined ? base.user : checkNoNul(checkString(o.user, 'run user', site), 'run user', site);
  const hostname = o.hostname === undefined ? '' : checkNoNul(checkString(o.hostname, 'run hostname', site), 'run hostname', site);
  const cgroupParent = o.cgroupParent === undefined ? '' : checkString(o.cgroupParent, 'run cgroupParent', site);
  const network = o.network === undefined ? NetMode.sandbox : NetMode[checkEnum(o.network, NETWORKS, 'run network', site)];
  const security =
    o.security === undefined ? SecurityMode.sandbox : SecurityMode[checkEnum(o.security, SECURITY_MODES, 'run security', site)];

  let extraHosts: readonly ExtraHost[] = NONE;
  if (o.extraHosts !== undefined && !(Array.isArray(o.extraHosts) && o.extraHosts.length === 0)) {
    const extraHostsList: ExtraHost[] = [];
    extraHosts = extraHostsList;
    if (!Array.isArray(o.extraHosts)) {
      invalidArgument(`run extraHosts must be an array of { host, ip }, got ${show(o.extraHosts)}`, site);
    }
    o.extraHosts.forEach((h: unknown, i) => {
      const name = `run extraHosts[${i}]`;
      checkOptions(h, name, site);
      const e = (h ?? {}) as Partial<ExtraHost>;
      const host = checkNonEmpty(e.host, `${name}.host`, site);
      if (/[\s#]/.test(host)) invalidArgument(`${name}.host ${show(host)} must be a host name without spaces`, site);
      const ipText = checkString(e.ip, `${name}.ip`, site);
      const ip = formatIp(ipText);
      if (ip === undefined) {
        invalidArgument(`${name}.ip ${show(ipText)} is not an IPv4 or IPv6 address (e.g. "10.0.0.5" or "fd00::1")`, site);
      }
      extraHostsList.push({ host, ip });
    });
  }

  let ulimits: readonly Ulimit[] = NONE;
  if (o.ulimits !== undefined && !(Array.isArray(o.ulimits) && o.ulimits.length === 0)) {
    const ulimitsList: Ulimit[] = [];
    ulimits = ulimitsList;
    if (!Array.isArray(o.ulimits)) invalidArgument(`run ulimits must be an array of { name, soft, hard }, got ${show(o.ulimits)}`, site);
    o.ulimits.forEach((u: unknown, i) => {
      const name = `run ulimits[${i}]`;
      checkOptions(u, name, site);
      const e = (u ?? {}) as Partial<Ulimit>;
      const n = checkEnum(e.name, ULIMIT_NAMES, `${name}.name`, site);
      const soft = checkInt(e.soft, `${name}.soft`, site, -1, Number.MAX_SAFE_INTEGER, 'use -1 for unlimited');
      const hard = checkInt(e.hard, `${name}.hard`, site, -1, Number.MAX_SAFE_INTEGER, 'use -1 for unlimited');
      if (hard !== -1 && (soft === -1 || soft > hard)) {
        invalidArgument(`${name}: the soft limit (${soft}) must not exceed the hard limit (${hard})`, site);
      }
      ulimitsList.push({ name: n, soft, hard });
    });
  }

  let proxyEnv: ProxyEnv | undefined;
  if (o.proxyEnv !== undefined) {
    checkOptions(o.proxyEnv, 'run proxyEnv', site);
    const p = o.proxyEnv;
    const field = (v: unknown, k: string): string =>
      v === undefined ? '' : checkNoNul(checkString(v, `run proxyEnv.${k}`, site), `run proxyEnv.${k}`, site);
    proxyEnv = {
      httpProxy: field(p.httpProxy, 'httpProxy'),
      httpsProxy: field(p.httpsProxy, 'httpsProxy'),
      ftpProxy: field(p.ftpProxy, 'ftpProxy'),
      noProxy: field(p.noProxy, 'noProxy'),
      allProxy: field(p.allProxy, 'allProxy'),
    };
  }

  // Mounts: the root first, then the caller's; sorted by destination below.
  const readonlyRoot = checkBool(o.readonlyRootfs, 'run readonlyRootfs', site);
  const dests: string[] = [];
  const claim = (dest: string, name: string): void => {
    if (dest === '/') {
      invalidArgument(`${name} "/" is the root filesystem (the state you run on); mount somewhere below "/"`, site);
    }
    if (dests.includes(dest)) invalidArgument(`${name} ${show(dest)} is used by another mount of this run`, site);
    dests.push(dest);
  };
  const entries: MountEntry[] = [
    {
      dest: '/',
      source: base.out,
      readonly: readonlyRoot,
      selector: '',
      cacheId: '',
      sharing: 0,
      tmpfs: false,
      tmpfsSize: 0,
      noOutput: false,
      output: -1,
      slot: -1,
    },
  ];
  if (o.mounts !== undefined) {
    if (!Array.isArray(o.mounts)) invalidArgument(`run mounts must be an array, got ${show(o.mounts)}`, site);
    o.mounts.forEach((spec: unknown, i) => {
      const name = `run mounts[${i}]`;
      checkOptions(spec, name, site);
      if (spec === undefined) invalidArgument(`${name} must be a mount object, got undefined`, site);
      const m = spec as Partial<BindMount> & Partial<Omit<CacheMount, 'type'>> & Partial<Omit<TmpfsMount, 'type'>> & { type?: unknown };
      const type = checkEnum(m.type, MOUNT_TYPES, `${name}.type`, site);
      const dest = cleanDest(checkAbsolutePath(m.dest, `${name}.dest`, site));
      claim(dest, `${name}.dest`);
      if (type === 'bind') {
        if (m.source === undefined) {
          invalidArgument(`${name}.source is required for a bind mount; pass a State (scratch() for an empty directory)`, site);
        }
        const source = sourceOutput(m.source, `${name}.source`, site);
        if (m.sourcePath !== undefined && m.selector !== undefined && m.sourcePath !== m.selector) {
          invalidArgument(`${name} has both sourcePath and selector with different values; pass only sourcePath`, site);
        }
        const selectorRaw = m.sourcePath ?? m.selector;
        const selector =
          selectorRaw === undefined ? '' : checkNoNul(checkString(selectorRaw, `${name}.sourcePath`, site), `${name}.sourcePath`, site);
        entries.push({
          dest,
          source,
          readonly: checkBool(m.readonly, `${name}.readonly`, site),
          selector,
          cacheId: '',
          sharing: 0,
          tmpfs: false,
          tmpfsSize: 0,
          noOutput: checkBool(m.noOutput, `${name}.noOutput`, site),
          output: -1,
          slot: -1,
        });
      } else if (type === 'cache') {
        const id = checkNonEmpty(m.id, `${name}.id`, site, 'pass a cache name such as "pip-cache"');
        const sharing = CacheSharing[checkEnum(m.sharing ?? 'shared', SHARING_MODES, `${name}.sharing`, site)];
        const source = m.source === undefined ? null : sourceOutput(m.source, `${name}.source`, site);
        if (m.sourcePath !== undefined && m.source === undefined) {
          invalidArgument(`${name}.sourcePath needs ${name}.source: the path is inside the state that seeds the cache`, site);
        }
        entries.push({
          dest,
          source,
          readonly: false,
          selector: m.sourcePath === undefined ? '' : checkNoNul(checkString(m.sourcePath, `${name}.sourcePath`, site), `${name}.sourcePath`, site),
          cacheId: id,
          sharing,
          tmpfs: false,
          tmpfsSize: 0,
          noOutput: false,
          output: -1,
          slot: -1,
        });
      } else {
        const size = m.size === undefined ? 0 : checkInt(m.size, `${name}.size`, site, 0, Number.MAX_SAFE_INTEGER, 'pass a size in bytes');
        entries.push({
          dest,
          source: null,
          readonly: false,
          selector: '',
          cacheId: '',
          sharing: 0,
          tmpfs: true,
          tmpfsSize: size,
          noOutput: false,
          output: -1,
          slot: -1,
        });
      }
    });
  }
  entries.sort((a, b) => compareUtf8(a.dest, b.dest));
  const sortedEntries = entries.length === 1 ? entries : entries.slice();
  let next = 0;
  for (const m of entries) {
    if (!m.noOutput && !m.readonly && m.cacheId === '' && !m.tmpfs) m.output = next++;
  }

  let secrets: readonly SecretEntry[] = NONE;
  if (o.secrets !== undefined && !(Array.isArray(o.secrets) && o.secrets.length === 0)) {
    const secretsList: SecretEntry[] = [];
    secrets = secretsList;
    if (!Array.isArray(o.secrets)) invalidArgument(`run secrets must be an array, got ${show(o.secrets)}`, site);
    o.secrets.forEach((spec: unknown, i) => {
      const name = `run secrets[${i}]`;
      checkOptions(spec, name, site);
      const s = (spec ?? {}) as Partial<SecretFile> & Partial<SecretEnvVar>;
      const optional = checkBool(s.optional, `${name}.optional`, site);
      if (s.env !== undefined && s.path !== undefined) {
        invalidArgument(`${name} has both env and path; a secret is either a file (path) or a variable (env)`, site);
      }
      if (s.env !== undefined) {
        const envName = checkEnvName(s.env, `${name}.env`, site);
        const id = s.id === undefined ? envName : checkNonEmpty(s.id, `${name}.id`, site);
        secretsList.push({ id, target: envName, env: true, uid: 0, gid: 0, mode: 0, optional });
        return;
      }
      if (s.path === undefined) {
        invalidArgument(`${name} needs a path (a secret file) or env (a secret variable)`, site);
      }
      const target = cleanDest(checkAbsolutePath(s.path, `${name}.path`, site));
      claim(target, `${name}.path`);
      const id = s.id === undefined ? target : checkNonEmpty(s.id, `${name}.id`, site);
      secretsList.push({
        id,
        target,
        env: false,
        uid: s.uid === undefined ? 0 : checkId(s.uid, `${name}.uid`, site),
        gid: s.gid === undefined ? 0 : checkId(s.gid, `${name}.gid`, site),
        mode: s.mode === undefined ? 0o400 : checkMode(s.mode, `${name}.mode`, site),
        optional,
      });
    });
  }

  let ssh: readonly SshEntry[] = NONE;
  if (o.ssh !== undefined && o.ssh !== false) {
    const sshList: SshEntry[] = [];
    ssh = sshList;
    const list: readonly unknown[] = o.ssh === true ? [{}] : (o.ssh as readonly unknown[]);
    if (!Array.isArray(list)) invalidArgument(`run ssh must be true or an array of ssh sockets, got ${show(o.ssh)}`, site);
    list.forEach((spec, i) => {
      const name = `run ssh[${i}]`;
      checkOptions(spec, name, site);
      const s = (spec ?? {}) as SshSpec;
      const target =
        s.target === undefined ? defaultSshTarget(i) : cleanDest(checkAbsolutePath(s.target, `${name}.target`, site));
      claim(target, `${name}.target`);
      sshList.push({
        id: s.id === undefined ? 'default' : checkNonEmpty(s.id, `${name}.id`, site),
        target,
        uid: s.uid === undefined ? 0 : checkId(s.uid, `${name}.uid`, site),
        gid: s.gid === undefined ? 0 : checkId(s.gid, `${name}.gid`, site),
        mode: s.mode === undefined ? 0o600 : checkMode(s.mode, `${name}.mode`, site),
        optional: checkBool(s.optional, `${name}.optional`, site),
      });
    });
    const first = ssh[0];
    if (first !== undefined && !env.some((e) => e[0] === 'SSH_AUTH_SOCK')) env = envWith(env, 'SSH_AUTH_SOCK', first.target);
  }

  const vertex = new ExecVertex(
    constraints,
    args,
    env,
    cwd,
    user,
    hostname,
    extraHosts,
    ulimits,
    cgroupParent,
    proxyEnv,
    network,
    security,
    sortedEntries,
    secrets,
    ssh,
    base.platform,
  );

  const outPlatform = constraints.platform;
  const mounts: MountResult[] = [];
  let root: Output | null = base.out;
  for (const m of entries) {
    let out: Output | null = null;
    let noResult: string | undefined;
    if (m.output !== -1) out = new Output(vertex, m.output, outPlatform);
    else if (m.readonly) out = m.source;
    else if (m.tmpfs) noResult = 'is a tmpfs mount, which has no result';
    else if (m.cacheId !== '') noResult = 'is a cache mount, which has no result (its contents live in the cache)';
    else noResult = 'was mounted with noOutput, so it has no result';
    if (m.dest === '/') root = out;
    mounts.push({ dest: m.dest, out, noResult });
  }
  return { vertex, root, mounts };
}

function cleanDest(p: string): string {
  return resolvePath('/', p);
}
