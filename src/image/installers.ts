/**
 * The run steps behind kiln's installer methods: the exact scripts, the cache mounts that keep package downloads
 * out of the image and across builds, and their progress names.
 *
 * Caches (never part of the image):
 * - apt: `/var/cache/apt` and `/var/lib/apt/lists`, both `sharing: locked`, one pair per root base image. Package
 *   files are downloaded into `/var/cache/apt/kiln-archives` so the `docker-clean` hook of Debian/Ubuntu images
 *   (which empties `/var/cache/apt/archives` after every install) leaves them alone; the image itself is not
 *   modified to make that work. The package lists live only in the cache mount, so none are left in the layer.
 * - pip: `/root/.cache/pip`; uv: `/root/.cache/uv`; conda (micromamba): `/opt/conda/pkgs`; poetry: `/root/.cache/pypoetry`.
 *
 * Installers run as root, except the Python and conda ones on a base whose Python environment belongs to its own user
 * (`Image.micromamba()`'s mambauser): see {@link asPrefixOwner}.
 *
 * Internal module.
 */
import type { Image } from './image.js';
import { shellJoin, shellQuote } from './shell.js';
import { STANDALONE_BUILDS } from './standalone-python-builds.js';
import type { EnvPair, ForceMode, GpuRequest, HostEntry, LocalRef, PrefixOwner, RunMount, RunStep, SecretUse, SshUse } from './steps.js';

/** The knobs every run-type step accepts. */
export interface StepCommon {
  readonly secrets: readonly SecretUse[];
  readonly ssh: readonly SshUse[];
  readonly network: 'default' | 'none' | 'host';
  readonly hosts: readonly HostEntry[];
  readonly gpu: GpuRequest | undefined;
  readonly env: readonly EnvPair[];
  readonly force: ForceMode;
}

/** A run step with defaults for everything not given. */
export function runStep(
  fields: Pick<RunStep, 'name' | 'script' | 'origin'> & Partial<Omit<RunStep, 'kind' | 'name' | 'script' | 'origin'>>,
): RunStep {
  return {
    kind: 'run',
    argv: undefined,
    env: [],
    mounts: [],
    secrets: [],
    ssh: [],
    network: 'default',
    hosts: [],
    gpu: undefined,
    user: undefined,
    cwd: undefined,
    force: 'none',
    outputs: [],
    ...fields,
  };
}

const APT_ARCHIVES = '/var/cache/apt/kiln-archives';

/** Cache mounts of apt steps. */
export const APT_MOUNTS: readonly RunMount[] = [
  { type: 'cache', target: '/var/cache/apt', id: '/kiln-apt-cache', sharing: 'locked', perBase: true },
  { type: 'cache', target: '/var/lib/apt/lists', id: '/kiln-apt-lists', sharing: 'locked', perBase: true },
];

/** The apt-get invocation prefix kiln uses (non-interactive, downloads kept in the cache mount). */
export const APT_GET = `DEBIAN_FRONTEND=noninteractive apt-get -o Dir::Cache::Archives=${APT_ARCHIVES}/ -o APT::Keep-Downloaded-Packages=true`;

const APT_PREPARE = `mkdir -p ${APT_ARCHIVES}/partial && ${APT_GET} update -qq`;

/** `apt-get install` of packages (flags such as `--purge` pass through). */
export function aptInstallStep(packages: readonly string[], common: StepCommon): RunStep {
  const words = packages.map(shellQuote).join(' ');
  return runStep({
    name: `apt-get install ${packages.join(' ')}`,
    script: `${APT_PREPARE} && ${APT_GET} install -y --no-install-recommends ${words}`,
    mounts: APT_MOUNTS,
    user: 'root',
    origin: 'aptInstall',
    ...common,
  });
}

/** `apt-get remove --purge` of packages, then the dependencies nothing needs any more. */
export function aptRemoveStep(packages: readonly string[], common: StepCommon): RunStep {
  const words = packages.map(shellQuote).join(' ');
  return runStep({
    name: `apt-get remove ${packages.join(' ')}`,
    script: `DEBIAN_FRONTEND=noninteractive apt-get remove -y --purge ${words} && DEBIAN_FRONTEND=noninteractive apt-get autoremove -y --purge`,
    user: 'root',
    origin: 'aptRemove',
    ...common,
  });
}

/** Options shared by pip-style installs. */
export interface PipFlags {
  readonly indexUrl: string | undefined;
  readonly extraIndexUrls: readonly string[];
  readonly findLinks: readonly string[];
  readonly pre: boolean;
  readonly reinstall: boolean;
  readonly extraArgs: readonly string[];
}

/** No pip flags. */
export const NO_PIP_FLAGS: PipFlags = { indexUrl: undefined, extraIndexUrls: [], findLinks: [], pre: false, reinstall: false, extraArgs: [] };

/** Where packages come from: index, extra indexes, find-links. */
function sourceFlagWords(f: PipFlags): string[] {
  const out: string[] = [];
  if (f.indexUrl !== undefined) out.push('--index-url', f.indexUrl);
  for (const u of f.extraIndexUrls) out.push('--extra-index-url', u);
  for (const u of f.findLinks) out.push('--find-links', u);
  return out;
}

function pipFlagWords(f: PipFlags): string[] {
  return [...sourceFlagWords(f), ...(f.pre ? ['--pre'] : []), ...(f.reinstall ? ['--force-reinstall'] : []), ...f.extraArgs];
}

/** The flags of `f` that say where packages come from, trusted hosts among the extra arguments included. */
function indexFlagWords(f: PipFlags): string[] {
  const out = sourceFlagWords(f);
  f.extraArgs.forEach((w, i) => {
    const next = f.extraArgs[i + 1];
    if (w === '--trusted-host' && next !== undefined) out.push(w, next);
    else if (w.startsWith('--trusted-host=')) out.push(w);
  });
  return out;
}

const PIP_ENV = 'PIP_CACHE_DIR=/root/.cache/pip PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_BREAK_SYSTEM_PACKAGES=1';
/**
 * The install command of Kubetorch's `kt.Image(python_path=…, install_cmd=…)`: `install_cmd` as given, else
 * `<python_path> -m pip install`; kiln's pip variables (cache in the cache mount) in front either way.
 */
export function kubetorchPipCommand(pythonPath: string | undefined, installCmd: string | undefined): string {
  if (installCmd !== undefined) return `${PIP_ENV} ${installCmd}`;
  return `${PIP_ENV} ${shellQuote(pythonPath ?? 'python3')} -m pip install`;
}

/** The pip invocation kiln uses: the image's `python3`, cache in the cache mount. */
export const PIP = `${PIP_ENV} python3 -m pip`;
const PIP_MOUNTS: readonly RunMount[] = [{ type: 'cache', target: '/root/.cache/pip', id: '/kiln-pip', sharing: 'shared', perBase: false }];

/** `pip install` of requirement specifiers (and pip options given as words). */
export function pipInstallStep(args: readonly string[], flags: PipFlags, common: StepCommon, origin = 'pipInstall', command = `${PIP} install`): RunStep {
  const words = [...args, ...pipFlagWords(flags)];
  return runStep({
    name: `pip install ${words.join(' ')}`,
    script: `${command} ${shellJoin(words)}`,
    mounts: PIP_MOUNTS,
    user: 'root',
    origin,
    ...common,
  });
}

/** `pip install -r` of a requirements file mounted from the client for this step only. */
export function pipRequirementsStep(local: LocalRef, file: string, shown: string, flags: PipFlags, common: StepCommon): RunStep {
  const target = '/tmp/kiln-requirements';
  const words = ['-r', `${target}/${file}`, ...pipFlagWords(flags)];
  return runStep({
    name: `pip install -r ${shown}`,
    script: `${PIP} install ${shellJoin(words)}`,
    mounts: [...PIP_MOUNTS, { type: 'local', target, local, writable: false }],
    user: 'root',
    origin: 'pipInstallFromRequirements',
    ...common,
  });
}

const PACKAGES_DIR = '/tmp/kiln-packages';

/** `pip install` of local wheels or package directories, each mounted for this step only. */
export function pythonPackagesStep(
  packages: readonly { readonly local: LocalRef; readonly name: string; readonly shown: string }[],
  flags: PipFlags,
  common: StepCommon,
): RunStep {
  const mounts: RunMount[] = [...PIP_MOUNTS];
  const paths: string[] = [];
  packages.forEach((p, i) => {
    const target = `${PACKAGES_DIR}/${i}`;
    // Writable without output: pip may build a source tree in place; the changes are thrown away.
    mounts.push({ type: 'local', target, local: p.local, writable: true });
    paths.push(`${target}/${p.name}`);
  });
  const words = [...paths, ...pipFlagWords(flags)];
  return runStep({
    name: `pip install ${packages.map((p) => p.shown).join(' ')}`,
    script: `${PIP} install ${shellJoin(words)}`,
    mounts,
    user: 'root',
    origin: 'addPythonPackages',
    ...common,
  });
}

/** The uv release whose binary `uvPipInstall` mounts (never copied into the image). */
export const DEFAULT_UV_IMAGE = 'ghcr.io/astral-sh/uv:0.5.11';

/** `uv pip install --system` with the uv binary mounted from its image for this step only. */
export function uvPipInstallStep(uvImage: Image, args: readonly string[], flags: PipFlags, common: StepCommon): RunStep {
  const words = [...args, ...pipFlagWords(flags).filter((w) => w !== '--force-reinstall')];
  if (flags.reinstall) words.push('--reinstall');
  if (flags.pre) {
    const i = words.indexOf('--pre');
    words.splice(i, 1, '--prerelease=allow');
  }
  const env = 'UV_CACHE_DIR=/root/.cache/uv UV_LINK_MODE=copy UV_BREAK_SYSTEM_PACKAGES=1 UV_PYTHON_DOWNLOADS=never';
  return runStep({
    name: `uv pip install ${words.join(' ')}`,
    script: `${env} /tmp/kiln-uv/uv pip install --system --python python3 ${shellJoin(words)}`,
    mounts: [
      { type: 'cache', target: '/root/.cache/uv', id: '/kiln-uv', sharing: 'shared', perBase: false },
      { type: 'image', target: '/tmp/kiln-uv', image: uvImage, source: '/' },
    ],
    user: 'root',
    origin: 'uvPipInstall',
    ...common,
  });
}

/** `micromamba install` into the base environment (conda package cache in a cache mount). */
export function micromambaInstallStep(packages: readonly string[], channels: readonly string[], common: StepCommon): RunStep {
  const words = [...channels.flatMap((c) => ['-c', c]), ...packages];
  return runStep({
    name: `micromamba install ${words.join(' ')}`,
    script: `micromamba install -y -n base ${shellJoin(words)}`,
    mounts: [{ type: 'cache', target: '/opt/conda/pkgs', id: '/kiln-conda-pkgs', sharing: 'locked', perBase: false }],
    user: 'root',
    origin: 'micromambaInstall',
    ...common,
  });
}

/** kiln's installers that write into the image's Python environment (pip, uv, Poetry, micromamba), by origin. */
export const PYTHON_INSTALLERS: ReadonlySet<string> = new Set([
  'pipInstall',
  'uvPipInstall',
  'pipInstallFromRequirements',
  'pipInstallFromPyproject',
  'pipInstallPrivateRepos',
  'poetryInstallFromFile',
  'addPythonPackages',
  'micromambaInstall',
]);

/** Where the caches of an installer run as a base's own user are mounted (its home may not have a `.cache` yet). */
const OWNER_CACHE_DIR = '/tmp/kiln-cache';

/** The caches under root's home, by the variable that points the tool at it. */
const ROOT_CACHES = [
  ['PIP_CACHE_DIR', '/root/.cache/pip', 'pip'],
  ['UV_CACHE_DIR', '/root/.cache/uv', 'uv'],
  ['POETRY_CACHE_DIR', '/root/.cache/pypoetry', 'pypoetry'],
] as const;

/**
 * An installer step (one of {@link PYTHON_INSTALLERS}) run as the user that owns the base's Python environment instead
 * of root, whatever the image's user is at that point: what it installs is that user's, as on Modal, where installs
 * run as the image's user. Its caches are mounted under {@link OWNER_CACHE_DIR} (root's home is closed to other
 * users; a mount point in the user's home would leave a root-owned `~/.cache` in the image) and the tools pointed at
 * them; a new cache directory gets the user's uid and gid, and the caches are separate from root's (`:uid=N` on the
 * id), which root's installers fill with files this user could not change. Local package directories are copied
 * before pip builds them, since the user cannot write into the mounted ones.
 */
export function asPrefixOwner(step: RunStep, owner: PrefixOwner): RunStep {
  const moved = (path: string): string => {
    const known = ROOT_CACHES.find((c) => c[1] === path);
    return known === undefined ? path : `${OWNER_CACHE_DIR}/${known[2]}`;
  };
  let script = step.script;
  for (const [name, from] of ROOT_CACHES) script = script.split(`${name}=${from} `).join(`${name}=${moved(from)} `);
  let mounts = step.mounts.map((m): RunMount => (m.type === 'cache' ? { ...m, target: moved(m.target), id: `${m.id}:uid=${owner.uid}`, owner: { uid: owner.uid, gid: owner.gid } } : m));
  if (step.origin === 'addPythonPackages') {
    const sources = `${PACKAGES_DIR}-src`;
    mounts = mounts.map((m) => (m.type === 'local' && m.target.startsWith(`${PACKAGES_DIR}/`) ? { ...m, target: `${sources}${m.target.slice(PACKAGES_DIR.length)}` } : m));
    script = `rm -rf ${PACKAGES_DIR} && cp -R ${sources} ${PACKAGES_DIR} && ${script} && rm -rf ${PACKAGES_DIR}`;
  }
  const env = step.env.map(([k, val]): EnvPair => [k, ROOT_CACHES.some((c) => c[0] === k && c[1] === val) ? moved(val) : val]);
  return { ...step, script, env, mounts, user: owner.user };
}

/** Options of a Poetry install. */
export interface PoetryFlags {
  readonly lockFile: string | undefined;
  readonly ignoreLockfile: boolean;
  readonly withGroups: readonly string[];
  readonly withoutGroups: readonly string[];
  readonly onlyGroups: readonly string[];
  readonly extras: readonly string[];
  readonly poetryVersion: string;
}

/**
 * Installs a Poetry project's dependencies (not the project itself): Poetry runs from a throw-away virtualenv,
 * exports the locked requirements, and pip installs them into the image's Python. Poetry itself never ends up in
 * the image; it is installed from the same package index as the dependencies (`indexUrl`, `extraIndexUrl`,
 * `findLinks`, `--trusted-host`), so a private mirror serves both. A lock file under another name is used as
 * `poetry.lock`.
 */
export function poetryStep(local: LocalRef, shown: string, flags: PoetryFlags, pipFlags: PipFlags, common: StepCommon): RunStep {
  const src = '/tmp/kiln-poetry-src';
  const work = '/tmp/kiln-poetry';
  const venv = '/tmp/kiln-poetry-venv';
  const exportWords = ['export', '--without-hashes', '--format', 'requirements.txt', '--output', `${work}/requirements.txt`];
  for (const g of flags.withGroups) exportWords.push('--with', g);
  for (const g of flags.withoutGroups) exportWords.push('--without', g);
  for (const g of flags.onlyGroups) exportWords.push('--only', g);
  for (const e of flags.extras) exportWords.push('--extras', e);
  const script = [
    `rm -rf ${work} && cp -r ${src} ${work}`,
    ...(flags.ignoreLockfile ? [`rm -f ${work}/poetry.lock`] : []),
    ...(flags.lockFile !== undefined && flags.lockFile !== 'poetry.lock' ? [`cp ${work}/${shellQuote(flags.lockFile)} ${work}/poetry.lock`] : []),
    `python3 -m venv ${venv}`,
    `${PIP_ENV} ${venv}/bin/python -m pip install ${shellJoin([`poetry==${flags.poetryVersion}`, 'poetry-plugin-export', ...indexFlagWords(pipFlags)])}`,
    `cd ${work}`,
    ...(flags.ignoreLockfile || flags.lockFile === undefined ? [`${venv}/bin/poetry lock --no-interaction`] : []),
    `${venv}/bin/poetry ${shellJoin(exportWords)}`,
    `${PIP} install ${shellJoin(['-r', `${work}/requirements.txt`, ...pipFlagWords(pipFlags)])}`,
    `cd /`,
    `rm -rf ${work} ${venv}`,
  ].join(' && ');
  return runStep({
    name: `poetry install --no-root (${shown})`,
    script,
    env: [['POETRY_CACHE_DIR', '/root/.cache/pypoetry'], ...common.env],
    mounts: [
      ...PIP_MOUNTS,
      { type: 'cache', target: '/root/.cache/pypoetry', id: '/kiln-poetry', sharing: 'shared', perBase: false },
      { type: 'local', target: src, local, writable: false },
    ],
    user: 'root',
    origin: 'poetryInstallFromFile',
    secrets: common.secrets,
    ssh: common.ssh,
    network: common.network,
    hosts: common.hosts,
    gpu: common.gpu,
    force: common.force,
  });
}

/** Runs a local script inside the build (mounted for this step only). */
export function runScriptStep(
  local: LocalRef,
  file: string,
  shown: string,
  interpreter: readonly string[],
  args: readonly string[],
  common: StepCommon,
): RunStep {
  const target = '/tmp/kiln-script';
  const argv = [...interpreter, `${target}/${file}`, ...args];
  return runStep({
    name: `run ${shown}${args.length > 0 ? ` ${args.join(' ')}` : ''}`,
    script: shellJoin(argv),
    mounts: [{ type: 'local', target, local, writable: false }],
    origin: 'runScript',
    ...common,
  });
}

/**
 * python-build-standalone builds kiln installs when neither the image nor its distribution has the requested Python:
 * the build each minor version gets when no patch version is asked for (`tag`: the release most of them come from).
 */
export const STANDALONE_PYTHON = {
  tag: '20241016',
  versions: { '3.8': '3.8.20', '3.9': '3.9.20', '3.10': '3.10.15', '3.11': '3.11.10', '3.12': '3.12.7', '3.13': '3.13.0' },
} as const;

/** The machines python-build-standalone builds are downloaded for (`uname -m` in the build, as the builds name them). */
export const STANDALONE_ARCHES = ['x86_64', 'aarch64'] as const;

/** One of {@link STANDALONE_ARCHES}. */
export type StandaloneArch = (typeof STANDALONE_ARCHES)[number];

/** A python-build-standalone build of an exact version: its release, its archive and each archive's SHA-256. */
export interface StandaloneBuild {
  readonly full: string;
  readonly tag: string;
  /** The archive's kind: `install_only`, or `install_only_stripped` (no debug symbols), as uv downloads it. */
  readonly kind: string;
  readonly sha256: Readonly<Record<StandaloneArch, string>>;
}

/**
 * The standalone build of an exact version (`3.11.5`), or of the default one of a minor version (`3.11`), or undefined
 * when none is published (for both x86_64 and aarch64 Linux with glibc: see standalone-python-builds.ts).
 */
export function standaloneBuild(version: string): StandaloneBuild | undefined {
  const [major, minor, patch] = version.split('.');
  const key = `${major}.${minor}`;
  if (patch === undefined) {
    const full = (STANDALONE_PYTHON.versions as Readonly<Record<string, string>>)[key];
    return full === undefined ? undefined : standaloneBuild(full);
  }
  for (const entry of STANDALONE_BUILDS[key] ?? []) {
    const [p, tag, kind, x86, arm] = entry.split(' ');
    if (p === patch && tag !== undefined && kind !== undefined && x86 !== undefined && arm !== undefined) {
      return { full: version, tag, kind, sha256: { x86_64: x86, aarch64: arm } };
    }
  }
  return undefined;
}

/** The patch versions of `minor` kiln can download (for error messages). */
export function standalonePatches(minor: string): string[] {
  return (STANDALONE_BUILDS[minor] ?? []).map((e) => `${minor}.${e.split(' ')[0]}`);
}

/**
 * Where `withPython` downloads a standalone build from, and the checksums that replace kiln's (those of a mirror
 * serving builds of its own; an architecture not named keeps python-build-standalone's).
 */
export interface StandaloneSource {
  readonly releases: string;
  readonly sha256?: Readonly<Partial<Record<StandaloneArch, string>>> | undefined;
}

/** The environment variable with the checksums of a mirror's own builds (`x86_64=<hex>,aarch64=<hex>`). */
export const PYTHON_SHA256_ENV = 'KILN_PYTHON_INSTALL_SHA256';

function sumOf(build: StandaloneBuild, source: StandaloneSource, arch: StandaloneArch): string {
  return source.sha256?.[arch] ?? build.sha256[arch];
}

/** Where python-build-standalone releases are downloaded from unless `withPython` is given a mirror. */
export const STANDALONE_PYTHON_RELEASES = 'https://github.com/astral-sh/python-build-standalone/releases/download';

/** Minor versions `withPython` supports. */
export const PYTHON_MINORS = Object.keys(STANDALONE_PYTHON.versions);

/**
 * Installs Python `version`: `3.11` means any 3.11 release, `3.11.5` exactly that one. Strategy, decided inside the
 * build so it works on any Debian/Ubuntu-based image, CUDA images included:
 * 1. the image already has `python3.X` (of that exact version, when a patch version is asked for) → nothing to
 *    install, only the `python`/`pip` links below;
 * 2. the distribution's `python3` package is that minor version (and its `python3.X` package that exact version,
 *    when asked) → `apt-get install python3 python3-pip python3-venv`, and the PEP 668 "externally managed" marker
 *    is removed so `pip install` works as in official Python images;
 * 3. otherwise the python-build-standalone build of that version is unpacked into `/opt/python/<version>`; a patch
 *    version with no such build fails the step, naming the versions that have one.
 * Finally `python`, `python3`, `pip` and `pip3` in `/usr/local/bin` point at it.
 */
export function withPythonStep(version: string, common: StepCommon, source: StandaloneSource = { releases: STANDALONE_PYTHON_RELEASES }): RunStep {
  const { releases } = source;
  const parts = version.split('.');
  const minor = `${parts[0]}.${parts[1]}`;
  const exact = parts.length === 3;
  const build = standaloneBuild(version);
  const missing = `kiln: Python ${version} is not in the image or its distribution, and python-build-standalone has no build of it; ` +
    `builds exist for ${standalonePatches(minor).join(', ')}. Ask for one of those, or for "${minor}" to take any ${minor} release`;
  const lines = [
    'set -e',
    `V=${minor}`,
    'link() { for n in "$@"; do ln -sf "$TARGET" "/usr/local/bin/$n"; done; }',
    ...(exact
      ? [
          `WANT=${version}`,
          `is_want() { [ "$("$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)" = "$WANT" ]; }`,
          'if command -v "python$V" >/dev/null 2>&1 && is_want "python$V"; then',
          '  echo "kiln: python$V $WANT is already installed"',
          'elif command -v apt-get >/dev/null 2>&1 && { mkdir -p ' + APT_ARCHIVES + '/partial && ' + APT_GET + ' update -qq; } &&',
          '     apt-cache policy python3 | grep -q "Candidate: $V\\." && apt-cache policy "python$V" | grep -Eq "Candidate: ([0-9]+:)?$WANT([^0-9.]|$)"; then',
        ]
      : [
          'if command -v "python$V" >/dev/null 2>&1; then',
          '  echo "kiln: python$V is already installed"',
          'elif command -v apt-get >/dev/null 2>&1 && { mkdir -p ' + APT_ARCHIVES + '/partial && ' + APT_GET + ' update -qq; } &&',
          '     apt-cache policy python3 | grep -q "Candidate: $V\\."; then',
        ]),
    `  ${APT_GET} install -y --no-install-recommends python3 python3-pip python3-venv`,
    '  rm -f "/usr/lib/python$V/EXTERNALLY-MANAGED"',
    'else',
    ...(build === undefined
      ? [`  echo ${shellQuote(missing)} >&2`, '  exit 1']
      : [
          `  FULL=${build.full}`,
          // No downloader in the image: curl and what it needs (CA certificates included) are fetched with apt into
          // the apt cache and unpacked into a temporary directory, never installed: nothing in the image's package
          // database changes and ca-certificates' setup (minutes on a loaded daemon) never runs.
          '  FETCH="curl -fsSL"',
          '  if ! command -v curl >/dev/null 2>&1 && ! command -v wget >/dev/null 2>&1; then',
          '    K=/tmp/kiln-fetcher; rm -rf "$K"; mkdir -p "$K/root"',
          `    ${APT_GET} install -s --no-install-recommends curl ca-certificates | sed -n 's/^Inst \\([^ ]*\\) \\(\\[[^]]*\\] \\)\\{0,1\\}(\\([^ ]*\\) .*\\[\\([^]]*\\)\\])/\\1_\\3_\\4.deb/p' | sed 's/:/%3a/g' > "$K/debs"`,
          `    while read -r D; do [ -f "${APT_ARCHIVES}/$D" ] || { ${APT_GET} install -y -qq --download-only --no-install-recommends curl ca-certificates </dev/null >/dev/null; break; }; done < "$K/debs"`,
          `    while read -r D; do dpkg-deb -x "${APT_ARCHIVES}/$D" "$K/root"; done < "$K/debs"`,
          `    [ -x "$K/root/usr/bin/curl" ] || { echo ${shellQuote(`kiln: the image has neither curl nor wget to download Python ${build.full}, and apt could not provide curl; install one before withPython`)} >&2; exit 1; }`,
          '    L=; for d in "$K"/root/usr/lib/*-linux-gnu "$K"/root/lib/*-linux-gnu; do [ -d "$d" ] && L="$L$d:"; done',
          '    FETCH="env LD_LIBRARY_PATH=$L${LD_LIBRARY_PATH:-} $K/root/usr/bin/curl -fsSL"',
          '    if ls "$K"/root/usr/share/ca-certificates/*/*.crt >/dev/null 2>&1; then cat "$K"/root/usr/share/ca-certificates/*/*.crt > "$K/ca.pem"; FETCH="$FETCH --cacert $K/ca.pem"; fi',
          '  elif ! command -v curl >/dev/null 2>&1; then FETCH="wget -qO-"',
          '  fi',
          `  case "$(uname -m)" in x86_64|amd64) A=x86_64; SUM=${sumOf(build, source, 'x86_64')} ;; aarch64|arm64) A=aarch64; SUM=${sumOf(build, source, 'aarch64')} ;; *) echo "kiln: no standalone Python for $(uname -m)" >&2; exit 1 ;; esac`,
          `  URL="${releases}/${build.tag}/cpython-$FULL+${build.tag}-$A-unknown-linux-gnu-${build.kind}.tar.gz"`,
          // Downloaded whole and checked before anything is unpacked: a mirror (or anyone between) serving another
          // file fails the step instead of putting its interpreter into the image.
          `  command -v sha256sum >/dev/null 2>&1 || { echo ${shellQuote(`kiln: the image has no sha256sum to check the download of Python ${build.full} with; install coreutils before withPython`)} >&2; exit 1; }`,
          '  T="/tmp/kiln-python-$FULL.tar.gz"',
          '  $FETCH "$URL" > "$T"',
          '  GOT="$(sha256sum "$T" | cut -d " " -f 1)"',
          `  if [ "$GOT" != "$SUM" ]; then rm -f "$T"; echo "kiln: the download of Python $FULL from $URL has SHA-256 $GOT, not $SUM (${source.sha256 === undefined ? "python-build-standalone's archive, as uv lists it" : 'the checksum given for it'}): the server sent another file. A mirror must serve the releases' own archives; for builds of your own, give their checksums (withPython's standaloneSha256, or ${PYTHON_SHA256_ENV})" >&2; exit 1; fi`,
          '  mkdir -p "/opt/python/$FULL"',
          '  tar -xzf "$T" -C "/opt/python/$FULL" --strip-components=1',
          '  rm -f "$T"',
          '  TARGET="/opt/python/$FULL/bin/python$V"; link "python$V" python3 python',
          '  TARGET="/opt/python/$FULL/bin/pip$V"; link "pip$V" pip3 pip',
          '  rm -rf /tmp/kiln-fetcher',
        ]),
    'fi',
    'P="$(command -v "python$V")"',
    '[ -e /usr/local/bin/python ] || { TARGET="$P"; link python; }',
    'if ! command -v pip >/dev/null 2>&1 && "$P" -m pip --version >/dev/null 2>&1; then printf \'#!/bin/sh\\nexec "%s" -m pip "$@"\\n\' "$P" > /usr/local/bin/pip && chmod 755 /usr/local/bin/pip; fi',
    '"$P" --version',
  ];
  return runStep({
    name: `install python ${version}`,
    script: lines.join('\n'),
    mounts: APT_MOUNTS,
    user: 'root',
    origin: 'withPython',
    ...common,
  });
}

/** The default `StepCommon`. */
export const NO_COMMON: StepCommon = { secrets: [], ssh: [], network: 'default', hosts: [], gpu: undefined, env: [], force: 'none' };
