/**
 * Source ops: container images, the client's local directories, git repositories, HTTP downloads,
 * and a low-level `source()` for any identifier.
 */
import { invalidArgument } from '../errors.js';
import { Cap } from './caps.js';
import { gitIdentifierForDaemon, parseGitRemote } from './git-remote.js';
import { goJsonStringList } from './go-json.js';
import { parseImageRef } from './image-ref.js';
import type { PbOp } from './pb.js';
import { type State, stateFromOutput } from './state.js';
import {
  checkBool,
  checkEnum,
  checkId,
  checkInt,
  checkMode,
  checkNoNul,
  checkNonEmpty,
  checkOptions,
  checkString,
  checkStringList,
  show,
} from './validate.js';
import { type BuiltOp, type CapList, type MarshalContext, type OpConstraints, type OpOptions, Output, Vertex, capList, opConstraints } from './vertex.js';

/** A source op. */
export class SourceVertex extends Vertex {
  readonly kind = 'source' as const;
  readonly inputs: readonly Output[] = [];
  private readonly platformSpecific: boolean;
  private readonly local: boolean;
  private readonly caps: CapList;
  private readonly localCaps: CapList;

  constructor(
    constraints: OpConstraints,
    readonly identifier: string,
    private readonly attrs: ReadonlyMap<string, string>,
    caps: readonly string[],
    private readonly extraCaps: readonly string[] = [],
    private readonly uniqueId: string | undefined = undefined,
  ) {
    super(constraints);
    this.caps = capList(caps);
    this.localCaps = capList([...caps, Cap.sourceLocalUnique]);
    this.platformSpecific = identifier.startsWith('docker-image://') || identifier.startsWith('oci-layout://');
    this.local = identifier.startsWith('local://');
  }

  describe(): string {
    return this.identifier;
  }

  override requiredCaps(): readonly string[] {
    return this.extraCaps;
  }

  protected build(ctx: MarshalContext): BuiltOp {
    let attrs = this.attrs;
    let caps = this.caps;
    if (this.local && !attrs.has('local.session')) {
      const m = new Map(attrs);
      m.set('local.unique', this.uniqueId ?? ctx.localUniqueId);
      attrs = m;
      caps = this.localCaps;
    }
    const op: PbOp = {
      inputs: [],
      op: { type: 'source', source: { identifier: gitIdentifierForDaemon(this.identifier, ctx.caps), attrs } },
      platform: this.platformSpecific ? this.opPlatform(ctx, undefined) : undefined,
      constraints: this.workerConstraints(ctx),
    };
    return { op, caps };
  }
}

function sourceState(vertex: SourceVertex): State {
  return stateFromOutput(new Output(vertex, 0, vertex.constraints.platform));
}

const RESOLVE_MODES = ['default', 'pull', 'local'] as const;
const RECORD_TYPES = ['regular', 'internal', 'frontend'] as const;
const DIFFERS = ['none', 'metadata'] as const;

/** Options of {@link image}. */
export interface ImageOptions extends OpOptions {
  /**
   * `default` (use a local copy if the daemon has one, else pull), `pull` (always check the registry)
   * or `local` (prefer the local copy).
   */
  readonly resolveMode?: 'default' | 'pull' | 'local' | undefined;
  /** Record type of the pulled image in the daemon's cache: `regular`, `internal` or `frontend`. */
  readonly recordType?: 'regular' | 'internal' | 'frontend' | undefined;
  /** Use only the first N layers (BuildKit v0.11+). */
  readonly layerLimit?: number | undefined;
}

/**
 * A container image from a registry. The reference is normalised like Docker does
 * (`alpine` → `docker.io/library/alpine:latest`). Its own config (env, workdir) is not applied:
 * set those on the state.
 *
 * @example
 * image('python:3.11-slim')
 * image('ghcr.io/org/base:1.0', { platform: 'linux/arm64', resolveMode: 'pull' })
 */
export function image(ref: string, options?: ImageOptions): State {
  const site = image;
  checkOptions(options, 'image options', site);
  const o = options ?? {};
  const normalized = parseImageRef(ref, site).normalized;
  const constraints = opConstraints(o, site, 'image options');
  const attrs = new Map<string, string>();
  const caps: string[] = [Cap.sourceImage];
  if (o.resolveMode !== undefined) {
    const mode = checkEnum(o.resolveMode, RESOLVE_MODES, 'image resolveMode', site);
    if (mode !== 'default') attrs.set('image.resolvemode', mode);
    if (mode === 'pull') caps.push(Cap.sourceImageResolveMode);
  }
  if (o.recordType !== undefined) {
    attrs.set('image.recordtype', checkEnum(o.recordType, RECORD_TYPES, 'image recordType', site));
  }
  if (o.layerLimit !== undefined) {
    const n = checkInt(o.layerLimit, 'image layerLimit', site, 1, 2 ** 31 - 1, 'pass a positive number of layers');
    attrs.set('image.layerlimit', String(n));
    caps.push(Cap.sourceImageLayerLimit);
  }
  return sourceState(new SourceVertex(constraints, `docker-image://${normalized}`, attrs, caps));
}

/** Options of {@link local}. */
export interface LocalOptions extends OpOptions {
  /** Only send paths matching these patterns. */
  readonly include?: readonly string[] | undefined;
  /** Do not send paths matching these patterns. */
  readonly exclude?: readonly string[] | undefined;
  /** Send these paths, following symlinks to them. */
  readonly followPaths?: readonly string[] | undefined;
  /** Reuse the daemon's snapshot of an earlier transfer with this hint. */
  readonly sharedKeyHint?: string | undefined;
  /** Pin the transfer to this session id (otherwise any session of the build may serve it). */
  readonly sessionId?: string | undefined;
  /**
   * Salt that keeps identical local sources of concurrent builds apart (used when there is no
   * `sessionId`; default: the marshal's `localUniqueId`).
   */
  readonly uniqueId?: string | undefined;
  /** How the daemon detects changed files: `metadata` (default) or `none` (send everything). */
  readonly differ?: 'none' | 'metadata' | undefined;
  /** Fail on daemons that cannot honour `differ` instead of ignoring it. */
  readonly differRequired?: boolean | undefined;
}

/**
 * A directory the client sends during the build (served by the session under `name`).
 *
 * @example
 * local('context', { exclude: ['node_modules', '.git'], sharedKeyHint: 'context' })
 */
export function local(name: string, options?: LocalOptions): State {
  const site = local;
  const n = checkNoNul(checkNonEmpty(name, 'local name', site, 'pass the name the session serves, e.g. "context"'), 'local name', site);
  checkOptions(options, 'local options', site);
  const o = options ?? {};
  const constraints = opConstraints(o, site, 'local options');
  const attrs = new Map<string, string>();
  const caps: string[] = [];
  const str = (v: unknown, what: string): string | undefined => {
    if (v === undefined) return undefined;
    const s = checkNoNul(checkString(v, `local ${what}`, site), `local ${what}`, site);
    return s === '' ? undefined : s;
  };
  const sessionId = str(o.sessionId, 'sessionId');
  if (sessionId !== undefined) {
    if (sessionId.includes(':')) invalidArgument(`local sessionId ${show(sessionId)} must not contain ":"`, site);
    attrs.set('local.session', sessionId);
    caps.push(Cap.sourceLocalSessionId);
  }
  const include = checkStringList(o.include, 'local include', site);
  if (include.length > 0) {
    attrs.set('local.includepattern', goJsonStringList(include));
    caps.push(Cap.sourceLocalIncludePatterns);
  }
  const follow = checkStringList(o.followPaths, 'local followPaths', site);
  if (follow.length > 0) {
    attrs.set('local.followpaths', goJsonStringList(follow));
    caps.push(Cap.sourceLocalFollowPaths);
  }
  const exclude = checkStringList(o.exclude, 'local exclude', site);
  if (exclude.length > 0) {
    attrs.set('local.excludepatterns', goJsonStringList(exclude));
    caps.push(Cap.sourceLocalExcludePatterns);
  }
  const hint = str(o.sharedKeyHint, 'sharedKeyHint');
  if (hint !== undefined) {
    attrs.set('local.sharedkeyhint', hint);
    caps.push(Cap.sourceLocalSharedKeyHint);
  }
  const required = checkBool(o.differRequired, 'local differRequired', site);
  if (o.differ !== undefined) {
    attrs.set('local.differ', checkEnum(o.differ, DIFFERS, 'local differ', site));
    if (required) caps.push(Cap.sourceLocalDiffer);
  } else if (required) {
    invalidArgument('local differRequired needs differ ("none" or "metadata")', site);
  }
  caps.push(Cap.sourceLocal);
  const uniqueId = str(o.uniqueId, 'uniqueId');
  return sourceState(new SourceVertex(constraints, `local://${n}`, attrs, caps, [], uniqueId));
}

/** Options of {@link git}. */
export interface GitOptions extends OpOptions {
  /** Keep the `.git` directory in the result. */
  readonly keepGitDir?: boolean | undefined;
  /** Use only this sub-directory of the repository (BuildKit v0.9+). */
  readonly subdir?: string | undefined;
  /** Name of the build secret holding a token for HTTPS auth (default `GIT_AUTH_TOKEN`). */
  readonly authTokenSecret?: string | undefined;
  /** Name of the build secret holding a full `Authorization` header (default `GIT_AUTH_HEADER`). */
  readonly authHeaderSecret?: string | undefined;
  /** known_hosts lines for ssh remotes (recommended: without them the host key is not pinned). */
  readonly knownSshHosts?: string | readonly string[] | undefined;
  /** ssh-agent id the daemon uses for ssh remotes (default `default`). */
  readonly mountSshSock?: string | undefined;
}

/**
 * A git repository at `ref` (a branch, tag or commit; empty = the default branch).
 *
 * @example
 * git('https://github.com/moby/buildkit.git', 'v0.11.6', { keepGitDir: true })
 * git('git@github.com:org/private.git', 'main', { knownSshHosts: 'github.com ssh-ed25519 AAAA…' })
 */
export function git(remote: string, ref = '', options?: GitOptions): State {
  const site = git;
  const r = checkNoNul(checkNonEmpty(remote, 'git remote', site, 'pass a URL such as "https://github.com/org/repo.git"'), 'git remote', site);
  if (/\s/.test(r)) invalidArgument(`git remote ${show(r)} must not contain whitespace`, site);
  if (r.includes('#')) {
    invalidArgument(`git remote ${show(r)} must not contain "#"; pass the ref as the second argument (and subdir as an option)`, site);
  }
  const gitRef = checkNoNul(checkString(ref, 'git ref', site), 'git ref', site);
  if (/[\s#:]/.test(gitRef)) invalidArgument(`git ref ${show(gitRef)} must not contain whitespace, "#" or ":"`, site);
  checkOptions(options, 'git options', site);
  const o = options ?? {};
  const constraints = opConstraints(o, site, 'git options');
  const parsed = parseGitRemote(r);
  const caps: string[] = [];
  let id = parsed.identifier;
  if (o.subdir !== undefined) {
    const sub = checkNoNul(checkNonEmpty(o.subdir, 'git subdir', site), 'git subdir', site);
    if (/[\s#]/.test(sub)) invalidArgument(`git subdir ${show(sub)} must not contain whitespace or "#"`, site);
    id += `#${gitRef}:${sub}`;
    caps.push(Cap.sourceGitSubdir);
  } else if (gitRef !== '') {
    id += `#${gitRef}`;
  }
  const attrs = new Map<string, string>();
  if (checkBool(o.keepGitDir, 'git keepGitDir', site)) {
    attrs.set('git.keepgitdir', 'true');
    caps.push(Cap.sourceGitKeepDir);
  }
  attrs.set('git.fullurl', parsed.fullUrl);
  caps.push(Cap.sourceGitFullUrl);
  const secret = (v: unknown, what: string, fallback: string): string =>
    v === undefined ? fallback : checkNoNul(checkNonEmpty(v, `git ${what}`, site, 'pass a secret name'), `git ${what}`, site);
  attrs.set('git.authtokensecret', secret(o.authTokenSecret, 'authTokenSecret', 'GIT_AUTH_TOKEN'));
  attrs.set('git.authheadersecret', secret(o.authHeaderSecret, 'authHeaderSecret', 'GIT_AUTH_HEADER'));
  if (o.authTokenSecret !== undefined || o.authHeaderSecret !== undefined) caps.push(Cap.sourceGitHttpAuth);
  if (parsed.ssh) {
    if (o.knownSshHosts !== undefined) {
      const lines = typeof o.knownSshHosts === 'string' ? [o.knownSshHosts] : checkStringList(o.knownSshHosts, 'git knownSshHosts', site);
      let known = '';
      for (const line of lines) {
        checkString(line, 'git knownSshHosts', site);
        known += `${line.endsWith('\n') ? line.slice(0, -1) : line}\n`;
      }
      attrs.set('git.knownsshhosts', known);
    }
    caps.push(Cap.sourceGitKnownSshHosts);
    attrs.set('git.mountsshsock', o.mountSshSock === undefined ? 'default' : checkNonEmpty(o.mountSshSock, 'git mountSshSock', site));
    caps.push(Cap.sourceGitMountSshSock);
  } else if (o.knownSshHosts !== undefined || o.mountSshSock !== undefined) {
    invalidArgument(
      `git knownSshHosts and mountSshSock only apply to ssh remotes (ssh://… or user@host:path), not ${show(r)}`,
      site,
    );
  }
  caps.push(Cap.sourceGit);
  return sourceState(new SourceVertex(constraints, `git://${id}`, attrs, caps));
}

/** Options of {@link http}. */
export interface HttpOptions extends OpOptions {
  /** Expected digest of the download (`sha256:<64 hex>`); the build fails on a mismatch. */
  readonly checksum?: string | undefined;
  /** File name in the result (default: from the URL). */
  readonly filename?: string | undefined;
  /** Permission bits of the file (default 0o644 on the daemon). */
  readonly mode?: number | undefined;
  /** Owner uid of the file. */
  readonly uid?: number | undefined;
  /** Owner gid of the file. */
  readonly gid?: number | undefined;
}

const CHECKSUM_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * A single file downloaded over HTTP(S).
 *
 * @example
 * http('https://example.com/tool.tar.gz', { checksum: 'sha256:…', filename: 'tool.tar.gz', mode: 0o644 })
 */
export function http(url: string, options?: HttpOptions): State {
  const site = http;
  const u = checkNonEmpty(url, 'http url', site, 'pass an http:// or https:// URL');
  let parsed: URL | undefined;
  try {
    parsed = new URL(u);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || /\s/.test(u)) {
    invalidArgument(`http url ${show(u)} must be an absolute http:// or https:// URL`, site);
  }
  checkOptions(options, 'http options', site);
  const o = options ?? {};
  const constraints = opConstraints(o, site, 'http options');
  const attrs = new Map<string, string>();
  const caps: string[] = [];
  if (o.checksum !== undefined) {
    const c = checkString(o.checksum, 'http checksum', site);
    const i = c.indexOf(':');
    const alg = i === -1 ? '' : c.slice(0, i);
    const hex = i === -1 ? '' : c.slice(i + 1);
    const want = CHECKSUM_LENGTH[alg];
    if (want === undefined || hex.length !== want || !/^[0-9a-f]+$/.test(hex)) {
      invalidArgument(
        `http checksum ${show(c)} must be a digest such as "sha256:" followed by 64 lowercase hex characters`,
        site,
      );
    }
    attrs.set('http.checksum', c);
    caps.push(Cap.sourceHttpChecksum);
  }
  if (o.filename !== undefined) {
    const f = checkNoNul(checkString(o.filename, 'http filename', site), 'http filename', site);
    if (f.includes('/')) invalidArgument(`http filename ${show(f)} must be a plain file name without "/"`, site);
    if (f !== '') attrs.set('http.filename', f);
  }
  if (o.mode !== undefined) {
    const mode = checkMode(o.mode, 'http mode', site, 0o777);
    if (mode !== 0) {
      attrs.set('http.perm', `0${mode.toString(8)}`);
      caps.push(Cap.sourceHttpPerm);
    }
  }
  if (o.uid !== undefined) {
    const uid = checkId(o.uid, 'http uid', site);
    if (uid !== 0) {
      attrs.set('http.uid', String(uid));
      caps.push(Cap.sourceHttpUidGid);
    }
  }
  if (o.gid !== undefined) {
    const gid = checkId(o.gid, 'http gid', site);
    if (gid !== 0) {
      attrs.set('http.gid', String(gid));
      caps.push(Cap.sourceHttpUidGid);
    }
  }
  caps.push(Cap.sourceHttp);
  return sourceState(new SourceVertex(constraints, u, attrs, caps));
}

/** Options of {@link ociLayout}. */
export interface OciLayoutOptions extends OpOptions {
  /**
   * The session that serves the OCI layout store (default: any session of the build). BuildKit's Go client takes it
   * together with `storeId` (`llb.OCIStore(sessionID, storeID)`).
   */
  readonly sessionId?: string | undefined;
  /** The store's id; the client's session serves the layout directory as the content store `oci:<storeId>`. */
  readonly storeId?: string | undefined;
  /** Use only the first N layers. */
  readonly layerLimit?: number | undefined;
}

/**
 * An image from an OCI image layout the client serves on the session (`llb.OCILayout`; BuildKit v0.11+), e.g. what
 * `buildx --build-context name=oci-layout://dir` sends. `ref` is `<name>@sha256:<manifest digest>`, the name with a
 * "/" (`docker.io/library/app`; it only labels the source), taken as is: unlike {@link image}, nothing is normalised.
 * The client's session serves the layout directory as a content store under `oci:<storeId>` (the daemon asks for the
 * store with that prefix, as Go's `SolveOpt.OCIStores` serves it): pass
 * `contentService(new Map([[`oci:${storeId}`, new DirectoryContentStore(dir, { writable: false })]]))` in
 * `sessionServices`.
 *
 * @example
 * ociLayout('docker.io/library/app@sha256:5f0e…', { storeId: 'app-layout' })
 */
export function ociLayout(ref: string, options?: OciLayoutOptions): State {
  const site = ociLayout;
  const r = checkNoNul(checkNonEmpty(ref, 'ociLayout ref', site, 'pass "name@sha256:<digest>"'), 'ociLayout ref', site);
  // The daemon parses it as a containerd reference ("dummy://" + ref as a URL, so the name needs a "/" before the
  // "@") and reads the manifest by digest.
  const at = r.indexOf('@');
  const name = at === -1 ? r : r.slice(0, at);
  if (!/^[^\s@/:]+(\/[^\s@/]+)+@sha(256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})$/.test(r) || name.includes('://')) {
    invalidArgument(
      `ociLayout ref ${show(r)} must be "<name with a />@sha256:<digest>", e.g. "docker.io/library/app@sha256:…" (the daemon reads the layout by digest, and parses the name as a containerd reference)`,
      site,
    );
  }
  checkOptions(options, 'ociLayout options', site);
  const o = options ?? {};
  const constraints = opConstraints(o, site, 'ociLayout options');
  const attrs = new Map<string, string>();
  const str = (v: unknown, what: string): string =>
    v === undefined ? '' : checkNoNul(checkString(v, `ociLayout ${what}`, site), `ociLayout ${what}`, site);
  const sessionId = str(o.sessionId, 'sessionId');
  const storeId = str(o.storeId, 'storeId');
  if (sessionId !== '') attrs.set('oci.session', sessionId);
  if (storeId !== '') attrs.set('oci.store', storeId);
  if (o.layerLimit !== undefined) {
    const n = checkInt(o.layerLimit, 'ociLayout layerLimit', site, 1, 2 ** 31 - 1, 'pass a positive number of layers');
    attrs.set('oci.layerlimit', String(n));
  }
  return sourceState(new SourceVertex(constraints, `oci-layout://${r}`, attrs, [Cap.sourceOciLayout]));
}

/** Options of {@link source}. */
export interface SourceOptions extends OpOptions {
  /** Source attributes (any keys; written sorted). */
  readonly attrs?: Readonly<Record<string, string>> | undefined;
  /** Caps to record for this op (none by default). */
  readonly caps?: readonly string[] | undefined;
}

/**
 * A source op from a raw identifier (`scheme://…`) and attributes, for sources kiln has no helper
 * for. Nothing is normalised and no caps are recorded unless given.
 *
 * @example
 * source('docker-image://docker.io/library/alpine:3.18', { attrs: { 'image.recordtype': 'internal' } })
 */
export function source(identifier: string, options?: SourceOptions): State {
  const site = source;
  const id = checkNoNul(checkNonEmpty(identifier, 'source identifier', site), 'source identifier', site);
  if (!/^[a-z][a-z0-9+.-]*:\/\/./.test(id)) {
    invalidArgument(`source identifier ${show(id)} must look like "scheme://…" (e.g. "docker-image://…")`, site);
  }
  checkOptions(options, 'source options', site);
  const o = options ?? {};
  const attrs = new Map<string, string>();
  if (o.attrs !== undefined) {
    checkOptions(o.attrs, 'source attrs', site);
    for (const [k, v] of Object.entries(o.attrs)) attrs.set(k, checkString(v, `source attrs[${show(k)}]`, site));
  }
  const caps = checkStringList(o.caps, 'source caps', site);
  return sourceState(new SourceVertex(opConstraints(o, site, 'source options'), id, attrs, caps));
}
