/**
 * LLB capability ids. A daemon advertises the caps it supports (gateway `Ping` → `LLBCaps`), and every
 * op lists the caps it needs in its metadata; an old daemon then refuses an op it cannot run instead of
 * silently ignoring fields it does not know.
 */

/** Capability ids used by kiln's LLB layer (the spelling is BuildKit's, typos included). */
export const Cap = {
  sourceImage: 'source.image',
  sourceImageResolveMode: 'source.image.resolvemode',
  sourceImageLayerLimit: 'source.image.layerlimit',
  sourceLocal: 'source.local',
  sourceLocalUnique: 'source.local.unique',
  sourceLocalSessionId: 'source.local.sessionid',
  sourceLocalIncludePatterns: 'source.local.includepatterns',
  sourceLocalFollowPaths: 'source.local.followpaths',
  sourceLocalExcludePatterns: 'source.local.excludepatterns',
  sourceLocalSharedKeyHint: 'source.local.sharedkeyhint',
  sourceLocalDiffer: 'source.local.differ',
  sourceGit: 'source.git',
  sourceGitKeepDir: 'source.git.keepgitdir',
  sourceGitFullUrl: 'source.git.fullurl',
  sourceGitHttpAuth: 'source.git.httpauth',
  sourceGitKnownSshHosts: 'source.git.knownsshhosts',
  sourceGitMountSshSock: 'source.git.mountsshsock',
  sourceGitSubdir: 'source.git.subdir',
  sourceHttp: 'source.http',
  sourceHttpChecksum: 'source.http.checksum',
  sourceHttpPerm: 'source.http.perm',
  /** Misspelt in BuildKit itself; this is the id daemons know. */
  sourceHttpUidGid: 'soruce.http.uidgid',
  sourceOciLayout: 'source.ocilayout',
  execMetaBase: 'exec.meta.base',
  execMetaCgroupParent: 'exec.meta.cgroup.parent',
  execMetaNetwork: 'exec.meta.network',
  execMetaProxy: 'exec.meta.proxyenv',
  execMetaSecurity: 'exec.meta.security',
  execMetaSetsDefaultPath: 'exec.meta.setsdefaultpath',
  execMetaUlimit: 'exec.meta.ulimit',
  execMountBind: 'exec.mount.bind',
  execMountCache: 'exec.mount.cache',
  execMountCacheSharing: 'exec.mount.cache.sharing',
  execMountSelector: 'exec.mount.selector',
  execMountTmpfs: 'exec.mount.tmpfs',
  execMountTmpfsSize: 'exec.mount.tmpfs.size',
  execMountSecret: 'exec.mount.secret',
  execMountSsh: 'exec.mount.ssh',
  execSecretEnv: 'exec.secretenv',
  fileBase: 'file.base',
  fileCopyIncludeExcludePatterns: 'file.copy.includeexcludepatterns',
  constraints: 'constraints',
  platform: 'platform',
  metaIgnoreCache: 'meta.ignorecache',
  metaDescription: 'meta.description',
  metaExportCache: 'meta.exportcache',
  mergeOp: 'mergeop',
  diffOp: 'diffop',
} as const;

/** One of the ids in {@link Cap}. */
export type CapId = (typeof Cap)[keyof typeof Cap];

// The BuildKit release that introduced each cap kiln may need (the rest predate v0.8, the version
// Docker 20.10 embeds). Used only to make "unsupported" errors actionable.
const introducedIn: Readonly<Record<string, string>> = {
  'file.copy.includeexcludepatterns': 'v0.9',
  'source.git.subdir': 'v0.9',
  'source.local.differ': 'v0.9',
  mergeop: 'v0.10',
  diffop: 'v0.10',
  'exec.meta.ulimit': 'v0.10',
  'exec.meta.cgroup.parent': 'v0.10',
  'exec.mount.tmpfs.size': 'v0.10',
  'exec.secretenv': 'v0.10',
  'source.image.layerlimit': 'v0.11',
  'source.ocilayout': 'v0.11',
};

/** The BuildKit version that added `cap`, when kiln knows it. */
export function capIntroducedIn(cap: string): string | undefined {
  return introducedIn[cap];
}

/**
 * A daemon's cap set in any of the shapes callers have at hand: a `Set` of enabled ids, a record of
 * id → enabled, or a list of ids.
 */
export type CapSetInput = ReadonlySet<string> | Readonly<Record<string, boolean>> | readonly string[];

/** Normalises a {@link CapSetInput} to a set of enabled cap ids. */
export function toCapSet(caps: CapSetInput): ReadonlySet<string> {
  if (caps instanceof Set) return caps as ReadonlySet<string>;
  if (Array.isArray(caps)) return new Set(caps as readonly string[]);
  const out = new Set<string>();
  for (const [k, v] of Object.entries(caps as Readonly<Record<string, boolean>>)) if (v) out.add(k);
  return out;
}

/** Every cap id kiln knows, e.g. to describe a daemon that supports everything. */
export const ALL_CAPS: ReadonlySet<string> = new Set(Object.values(Cap));

/**
 * The LLB caps of the BuildKit snapshot Docker 20.10's dockerd embeds (≈ v0.8). A client that cannot
 * ask the daemon (no gateway `Ping`) can marshal against this set to fail early, with a clear error,
 * on features that daemon lacks — and to get `merge` rewritten as copies.
 */
export const CAPS_BUILDKIT_V0_8: ReadonlySet<string> = new Set([
  'source.image',
  'source.image.resolvemode',
  'source.local',
  'source.local.unique',
  'source.local.sessionid',
  'source.local.includepatterns',
  'source.local.followpaths',
  'source.local.excludepatterns',
  'source.local.sharedkeyhint',
  'source.git',
  'source.git.keepgitdir',
  'source.git.fullurl',
  'source.git.httpauth',
  'source.git.knownsshhosts',
  'source.git.mountsshsock',
  'source.http',
  'source.http.checksum',
  'source.http.perm',
  'soruce.http.uidgid',
  'source.buildop.llbfilename',
  'exec.meta.base',
  'exec.meta.proxyenv',
  'exec.meta.network',
  'exec.meta.security',
  'exec.meta.setsdefaultpath',
  'exec.meta.security.devices.v1',
  'exec.mount.bind',
  'exec.mount.bind.readwrite-nooutput',
  'exec.mount.cache',
  'exec.mount.cache.sharing',
  'exec.mount.selector',
  'exec.mount.tmpfs',
  'exec.mount.secret',
  'exec.mount.ssh',
  'exec.cgroup',
  'file.base',
  'file.rm.wildcard',
  'constraints',
  'platform',
  'meta.ignorecache',
  'meta.description',
  'meta.exportcache',
]);
