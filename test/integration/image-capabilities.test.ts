/**
 * Image methods that install, add and run things from this machine, built on the real daemon and checked the way a
 * user would, with `docker run`: requirements files, pyproject dependencies (with an optional group), local wheels
 * and package directories, local Python sources, a local script reading a build secret, Dockerfile input, apt
 * removal, cache forcing (`forceBuild()`, `KILN_FORCE_BUILD=1`), packages from a private git host with a token, and
 * the installers only the internet has (uv, Poetry, micromamba) through stand-ins (test/fixtures/tool-stand-ins.ts).
 * Offline: Python packages come from a PEP 503 index and Debian packages from a flat apt repository, both served on
 * the build bridge's gateway (the stand-ins in bench/package-stand-ins.ts); "github.com" is git's own smart-HTTP
 * backend over HTTPS with Basic auth on that gateway, reached through the step's `hosts` entry and trusted through
 * a test CA given as a secret (test/fixtures/git-https-server.ts).
 *
 * Like a user's project, the test runs from its context directory: methods that read a file when they are called
 * (pyproject.toml, a Dockerfile, a module found by name) resolve against the current directory, builds against the
 * `context` option, and both are the same directory here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { Image, buildImage, type BuiltImage } from '../../src/image/index.js';
import {
  type AptRepository,
  type PackageIndex,
  demoDeb,
  demoWheel,
  serveAptRepository,
  servePackageIndex,
} from '../../bench/package-stand-ins.js';
import { serveGitRepositories } from '../fixtures/git-https-server.js';
import { MICROMAMBA_STAND_IN, UV_STAND_IN, condaPackage, poetryStandInWheels, serveCondaChannels } from '../fixtures/tool-stand-ins.js';
import { dockerCli, inspectImage, removeImages, testEnv } from './test-env.js';

const env = testEnv();
const run = Math.random().toString(36).slice(2, 8);
const created: string[] = [];
const previousCwd = process.cwd();
let client: Client;
let context = '';
let index: PackageIndex;
let repo: AptRepository;

/** Files of the context directory, relative path → content. */
function write(files: Readonly<Record<string, string | Buffer>>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(context, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
}

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  context = mkdtempSync(join(tmpdir(), 'kiln-capabilities-it-'));
  process.chdir(context);
  const wheel = (name: string, version: string): { project: string; filename: string; bytes: Buffer } => ({
    project: name.replace(/_/g, '-'),
    ...demoWheel(name, version, `${name} ${version} ${run}`),
  });
  index = await servePackageIndex(env.bridge.gateway, [
    wheel('kiln_cap_req', '1.0'),
    wheel('kiln_cap_base', '1.0'),
    wheel('kiln_cap_extra', '1.0'),
    wheel('kiln_cap_unused', '1.0'),
    ...poetryStandInWheels('1.8.5'),
  ]);
  repo = await serveAptRepository(env.bridge.gateway, [
    demoDeb('kiln-cap-tool', '1.0', { '/usr/bin/kiln-cap-tool': '#!/bin/sh\necho cap tool says hi\n' }, ['kiln-cap-data']),
    demoDeb('kiln-cap-data', '1.0', { '/usr/share/kiln-cap-data/README': 'cap data\n' }),
  ]);
});

afterAll(async () => {
  process.chdir(previousCwd);
  await client?.close();
  await index?.close();
  await repo?.close();
  rmSync(context, { recursive: true, force: true });
  await removeImages(created);
});

async function build(name: string, image: Image, options: Parameters<typeof buildImage>[2] = {}): Promise<BuiltImage & { readonly tag: string }> {
  const tag = `kiln-it/cap-${name}:${run}`;
  if (!created.includes(tag)) created.push(tag);
  return { ...(await buildImage(client, image, { tags: [tag], context, ...options })), tag };
}

/** `docker build` of the Dockerfile in context directory `dir` (BuildKit), tagged `kiln-it/dockerfile-<dir>-docker`: what kiln's build of it is compared with. */
async function dockerBuild(dir: string, extraArgs: readonly string[] = []): Promise<string> {
  const tag = `kiln-it/dockerfile-${dir}-docker:${run}`;
  created.push(tag);
  await dockerCli(['build', '-q', ...extraArgs, '-t', tag, join(context, dir)], { env: { DOCKER_BUILDKIT: '1' } });
  return tag;
}

/**
 * `docker build` of `image.toDockerfile()` (written into `dir`) with kiln's build context: the round trip kiln's own
 * build is compared with.
 */
async function dockerBuildOf(image: Image, dir: string, extraArgs: readonly string[] = []): Promise<string> {
  const file = join(context, dir, 'Dockerfile.kiln');
  writeFileSync(file, image.toDockerfile({ context }));
  const tag = `kiln-it/dockerfile-${dir}-roundtrip:${run}`;
  created.push(tag);
  await dockerCli(['build', '-q', ...extraArgs, '-f', file, '-t', tag, context], { env: { DOCKER_BUILDKIT: '1' } });
  return tag;
}

async function runIn(tag: string, script: string): Promise<string> {
  return (await dockerCli(['run', '--rm', '--network', 'none', tag, 'sh', '-c', script])).stdout;
}

/** The output lines of the step named `name`, as the daemon reported them. */
function logsOf(built: BuiltImage, name: string): string[] {
  const step = [...built.outcome.progress.steps.values()].find((s) => s.kind === 'vertex' && s.name === name);
  if (step === undefined) throw new Error(`no step named ${JSON.stringify(name)}`);
  return step.logs.toArray().map((l) => l.text);
}

/** Steps, by name, as the daemon reported them. */
function vertices(built: BuiltImage): Map<string, { cached: boolean }> {
  const out = new Map<string, { cached: boolean }>();
  for (const s of built.outcome.progress.steps.values()) if (s.kind === 'vertex') out.set(s.name, { cached: s.cached });
  return out;
}

/** pip options that point at the stand-in index. */
const fromIndex = (): { indexUrl: string; extraOptions: string[] } => ({ indexUrl: index.url, extraOptions: ['--trusted-host', index.host] });

describe('Python packages', () => {
  it('pipInstallFromRequirements installs what a requirements file lists, leaving the file out of the image', async () => {
    write({ 'reqs/cap-requirements.txt': '# pinned\nkiln-cap-req==1.0\n' });
    const built = await build('requirements', Image.debianSlim().pipInstallFromRequirements('reqs/cap-requirements.txt', fromIndex()));
    // The daemon may leave the empty mount point behind; the file itself is never in the image.
    const out = await runIn(built.tag, 'python3 -c "import kiln_cap_req; print(kiln_cap_req.GREETING)"; find / -xdev -name cap-requirements.txt | wc -l');
    expect(out.trim().split('\n')).toEqual([`kiln_cap_req 1.0 ${run}`, '0']);
  });

  it('pipInstallFromRequirements follows the -r and -c files the requirements file names', async () => {
    write({
      'nested/requirements-gpu.txt': '-r common/base.txt\n--constraint=../pins.txt\nkiln-cap-extra\n',
      'nested/common/base.txt': 'kiln-cap-base\n',
      'pins.txt': 'kiln-cap-base==1.0\nkiln-cap-extra==1.0\n',
    });
    const built = await build('requirements-nested', Image.debianSlim().pipInstallFromRequirements('nested/requirements-gpu.txt', fromIndex()));
    const out = await runIn(built.tag, 'python3 -c "import kiln_cap_base, kiln_cap_extra; print(kiln_cap_base.GREETING); print(kiln_cap_extra.GREETING)"; find / -xdev \\( -name base.txt -o -name pins.txt \\) | wc -l');
    expect(out.trim().split('\n')).toEqual([`kiln_cap_base 1.0 ${run}`, `kiln_cap_extra 1.0 ${run}`, '0']);
  });

  it('pipInstallFromPyproject installs the dependencies and the optional group asked for, not the project or other groups', async () => {
    write({
      'proj/pyproject.toml': [
        '[build-system]',
        'requires = ["setuptools>=61"]',
        'build-backend = "setuptools.build_meta"',
        '',
        '[project]',
        'name = "kiln-cap-project"',
        'version = "0.1.0"',
        'dependencies = [',
        '  "kiln-cap-base==1.0",  # the base dependency',
        ']',
        '',
        '[project.optional-dependencies]',
        "extra = ['kiln-cap-extra==1.0']",
        'other = ["kiln-cap-unused==1.0"]',
        '',
      ].join('\n'),
    });
    const image = Image.fromRegistry('python:3.11-slim').pipInstallFromPyproject('proj/pyproject.toml', { ...fromIndex(), optionalDependencies: ['extra'] });
    const built = await build('pyproject', image);
    const out = await runIn(
      built.tag,
      [
        'python3 -c "import kiln_cap_base, kiln_cap_extra; print(kiln_cap_base.GREETING); print(kiln_cap_extra.GREETING)"',
        'python3 -c "import kiln_cap_unused" 2>/dev/null && echo unused-installed || echo unused-absent',
        'python3 -m pip show -q kiln-cap-project >/dev/null 2>&1 && echo project-installed || echo project-absent',
      ].join('; '),
    );
    expect(out.trim().split('\n')).toEqual([`kiln_cap_base 1.0 ${run}`, `kiln_cap_extra 1.0 ${run}`, 'unused-absent', 'project-absent']);
  });

  it('poetryInstallFromFile installs the locked dependencies of the groups asked for; Poetry comes from the same index and is not left behind', async () => {
    // Poetry itself is a stand-in (test/fixtures/tool-stand-ins.ts) served by the same index: real Poetry is on PyPI only.
    const pyproject = [
      '[tool.poetry]',
      'name = "poetry-app"',
      'version = "0.1.0"',
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'kiln-cap-base = "1.0"',
      '[tool.poetry.group.dev.dependencies]',
      'kiln-cap-extra = "1.0"',
      '[tool.poetry.group.docs.dependencies]',
      'kiln-cap-unused = "1.0"',
      '',
    ].join('\n');
    // A Poetry 1.x lock (categories); the second project keeps its lock under another name, Poetry 2.x style (groups).
    const lock1 = ['kiln-cap-base', 'main', 'kiln-cap-extra', 'dev', 'kiln-cap-unused', 'docs'];
    const lockV1 = Array.from({ length: 3 }, (_, i) => `[[package]]\nname = "${lock1[2 * i]}"\nversion = "1.0"\ncategory = "${lock1[2 * i + 1]}"\noptional = false\n`).join('\n');
    const lockV2 = lockV1.replace(/category = "(\w+)"/g, 'groups = ["$1"]');
    write({ 'poetry-app/pyproject.toml': pyproject, 'poetry-app/poetry.lock': lockV1, 'poetry-two/pyproject.toml': pyproject, 'poetry-two/prod.lock': lockV2 });
    const probe = 'for m in kiln_cap_base kiln_cap_extra kiln_cap_unused poetry_standin; do python3 -c "import $m" 2>/dev/null && echo "$m"; done; find /tmp -maxdepth 1 -name "kiln-poetry*" ! -empty; command -v poetry; true';
    // (BuildKit v0.8 leaves the empty mount point of the project's files, /tmp/kiln-poetry-src, as it does for any
    // `RUN --mount`; v0.13 removes it. Nothing else of Poetry's may remain.)

    // Two independent builds: side by side.
    const [withDev, onlyDocs] = await Promise.all([
      build('poetry', Image.fromRegistry('python:3.11-slim').poetryInstallFromFile('poetry-app/pyproject.toml', { withGroups: ['dev'], ...fromIndex() })),
      build(
        'poetry-two',
        Image.fromRegistry('python:3.11-slim').poetryInstallFromFile('poetry-two/pyproject.toml', { lockFile: 'poetry-two/prod.lock', onlyGroups: ['docs'], ...fromIndex() }),
      ),
    ]);
    expect((await runIn(withDev.tag, probe)).trim().split('\n')).toEqual(['kiln_cap_base', 'kiln_cap_extra']);
    expect(logsOf(withDev, 'poetry install --no-root (poetry-app/pyproject.toml)').filter((l) => l.includes('poetry stand-in:'))).toEqual([
      expect.stringContaining('poetry stand-in: export --without-hashes --format requirements.txt --output /tmp/kiln-poetry/requirements.txt --with dev'),
    ]);
    expect((await runIn(onlyDocs.tag, probe)).trim().split('\n')).toEqual(['kiln_cap_unused']);
  });

  it("Kubetorch's install_cmd: pipInstall on such an image runs the command given", async () => {
    // --no-compile leaves no bytecode, which pip's default install writes: the visible sign of the custom command.
    const image = Image.kubetorch({ imageId: 'python:3.11-slim', installCmd: 'python3 -m pip install --no-compile' }).pipInstall(['kiln-cap-req==1.0'], fromIndex());
    const built = await build('kubetorch-install-cmd', image);
    const out = await runIn(built.tag, 'find / -xdev -path "*kiln_cap_req*" -name "*.pyc" | wc -l; python3 -c "import kiln_cap_req; print(kiln_cap_req.GREETING)"');
    expect(out.trim().split('\n')).toEqual(['0', `kiln_cap_req 1.0 ${run}`]);
  });

  it('uvPipInstall runs uv mounted from its image for the step only, with its cache in a cache mount', async () => {
    // uv is a stand-in (test/fixtures/tool-stand-ins.ts): an image holding /uv, pushed to the local registry, as
    // ghcr.io/astral-sh/uv holds the real binary.
    const uvImage = await uvStandIn();

    const image = Image.fromRegistry('python:3.11-slim').uvPipInstall('kiln-cap-req==1.0', { uvImage, pre: true, ...fromIndex() });
    const built = await build('uv', image);
    const out = await runIn(built.tag, 'python3 -c "import kiln_cap_req; print(kiln_cap_req.GREETING)"; ls /uv /tmp/kiln-uv/uv 2>&1 | grep -c "No such file"; find / -xdev -path "*pip-stand-in*" | wc -l');
    expect(out.trim().split('\n')).toEqual([`kiln_cap_req 1.0 ${run}`, '2', '0']);
    expect(logsOf(built, `uv pip install kiln-cap-req==1.0 --index-url ${index.url} --prerelease=allow --trusted-host ${index.host}`)).toContainEqual(
      `uv stand-in: pip install --system --python python3 kiln-cap-req==1.0 --index-url ${index.url} --prerelease=allow --trusted-host ${index.host}`,
    );
  });

  it('addPythonPackages installs a local wheel and a local package directory with no network at all', async () => {
    const wheel = demoWheel('kiln_cap_wheel', '2.0', `local wheel ${run}`);
    write({
      [`dist/${wheel.filename}`]: wheel.bytes,
      'libs/cap_dir_pkg/pyproject.toml': '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "kiln-cap-dir"\nversion = "0.4"\n',
      'libs/cap_dir_pkg/kiln_cap_dir/__init__.py': `GREETING = "local directory ${run}"\n`,
    });
    // The base image's own setuptools builds the directory (no build isolation: nothing to download).
    const image = Image.fromRegistry('python:3.11-slim').addPythonPackages(`dist/${wheel.filename}`, './libs/cap_dir_pkg', {
      network: 'none',
      extraOptions: ['--no-build-isolation'],
    });
    const built = await build('local-packages', image);
    const out = await runIn(
      built.tag,
      `cd / && python3 -c "import kiln_cap_wheel, kiln_cap_dir; print(kiln_cap_wheel.GREETING); print(kiln_cap_dir.GREETING)"; python3 -m pip show kiln-cap-wheel | grep ^Version; find / -xdev \\( -name ${wheel.filename} -o -name cap_dir_pkg \\) | wc -l`,
    );
    expect(out.trim().split('\n')).toEqual([`local wheel ${run}`, `local directory ${run}`, 'Version: 2.0', '0']);
  });

  it('addLocalPythonSource and syncPackage make local modules importable from anywhere in the container', async () => {
    write({
      'src/cap_pkg_a/__init__.py': `from .inner import WHO\nGREETING = "pkg a " + WHO\n`,
      'src/cap_pkg_a/inner.py': `WHO = "${run}"\n`,
      'src/cap_pkg_a/__pycache__/stale.cpython-311.pyc': 'not bytecode',
      'src/cap_helper.py': 'GREETING = "helper module"\n',
      'libs/cap_pkg_b/__init__.py': 'GREETING = "pkg b"\n',
    });
    const image = Image.fromRegistry('python:3.11-slim')
      .addLocalPythonSource('cap_pkg_a', 'cap_helper')
      .syncPackage('./libs/cap_pkg_b');
    const built = await build('python-source', image);
    // Listed before anything imports them (imports write __pycache__ in the container).
    const listing = await runIn(built.tag, 'ls -A /opt/python-source /opt/python-source/cap_pkg_a');
    expect(listing.trim().split('\n')).toEqual(['/opt/python-source:', 'cap_helper.py', 'cap_pkg_a', 'cap_pkg_b', '', '/opt/python-source/cap_pkg_a:', '__init__.py', 'inner.py']);
    const out = await runIn(
      built.tag,
      [
        'cd /',
        'python3 -c "import cap_pkg_a, cap_helper, cap_pkg_b; print(cap_pkg_a.GREETING); print(cap_helper.GREETING); print(cap_pkg_b.GREETING)"',
        'cd /tmp && python3 -c "import cap_pkg_b; print(cap_pkg_b.__file__)"',
        'echo "$PYTHONPATH"',
      ].join(' && '),
    );
    expect(out.trim().split('\n')).toEqual([`pkg a ${run}`, 'helper module', 'pkg b', '/opt/python-source/cap_pkg_b/__init__.py', '/opt/python-source']);
  });
});

/** Builds an image from `files` (with a Dockerfile among them) with the Docker CLI and pushes it to the local registry. */
async function pushStandIn(name: string, files: Readonly<Record<string, { content: string; mode?: number }>>): Promise<string> {
  const dir = join(context, `${name}-image`);
  mkdirSync(dir, { recursive: true });
  for (const [file, f] of Object.entries(files)) writeFileSync(join(dir, file), f.content, { mode: f.mode ?? 0o644 });
  const ref = `${env.registry.address}/kiln-it/${name}:${run}`;
  await dockerCli(['build', '-q', '-t', ref, dir]);
  await dockerCli(['push', '-q', ref]);
  created.push(ref);
  return ref;
}

let uvPushed: Promise<string> | undefined;
/** The uv stand-in image (built and pushed once, for every test that mounts uv from it). */
function uvStandIn(): Promise<string> {
  uvPushed ??= pushStandIn('uv-stand-in', { Dockerfile: { content: 'FROM scratch\nCOPY uv /uv\n' }, uv: { content: UV_STAND_IN, mode: 0o755 } });
  return uvPushed;
}

describe('micromambaInstall', () => {
  it('installs conda packages into the base environment, downloads kept in the package cache mount and out of the image', async () => {
    // micromamba and its base image are stand-ins (test/fixtures/tool-stand-ins.ts); the channel is a real conda
    // channel layout (repodata.json, .tar.bz2 packages) on the build bridge, found through MAMBA_CHANNEL_ALIAS.
    const mamba = await pushStandIn('micromamba-stand-in', {
      Dockerfile: { content: 'FROM python:3.11-slim\nCOPY micromamba /usr/local/bin/micromamba\nENV MAMBA_ROOT_PREFIX=/opt/conda\n' },
      micromamba: { content: MICROMAMBA_STAND_IN, mode: 0o755 },
    });
    const tool = condaPackage(`kiln-conda-tool-${run}`, '1.0', { 'bin/kiln-conda-tool': { content: '#!/bin/sh\necho conda tool 1.0\n', mode: 0o755 } });
    const data = condaPackage(`kiln-conda-data-${run}`, '2.0', { 'share/kiln-conda-data/README': { content: 'conda data 2.0\n' } });
    const channel = `kiln-forge-${run}`;
    const channels = await serveCondaChannels(env.bridge.gateway, { [channel]: [tool, data] });
    try {
      const base = Image.fromRegistry(mamba).env({ MAMBA_CHANNEL_ALIAS: channels.alias });
      await build('micromamba', base.micromambaInstall(`kiln-conda-tool-${run}=1.0`, { channels: [channel] }));
      const second = await build('micromamba-two', base.micromambaInstall(`kiln-conda-tool-${run}=1.0`, `kiln-conda-data-${run}`, { channels: [channel] }));
      const out = await runIn(second.tag, '/opt/conda/bin/kiln-conda-tool; cat /opt/conda/share/kiln-conda-data/README; ls /opt/conda/conda-meta; ls -A /opt/conda/pkgs 2>/dev/null | wc -l');
      expect(out.trim().split('\n')).toEqual(['conda tool 1.0', 'conda data 2.0', `kiln-conda-data-${run}-2.0-0.json`, `kiln-conda-tool-${run}-1.0-0.json`, '0']);
      // The second build found the first package in the cache mount and downloaded only the new one.
      expect(logsOf(second, `micromamba install -c ${channel} kiln-conda-tool-${run}=1.0 kiln-conda-data-${run}`)).toContain(`micromamba stand-in: using cached ${tool.filename}`);
      expect(channels.requests.filter((p) => p.endsWith('.tar.bz2'))).toEqual([`/${channel}/noarch/${tool.filename}`, `/${channel}/noarch/${data.filename}`]);
    } finally {
      await channels.close();
    }
  });
});

describe('Image.micromamba() installs as mambauser', () => {
  it('the Python and conda installers run as the owner of /opt/conda, so the image user can install after them', async () => {
    // A stand-in of mambaorg/micromamba (given as the image to start from, as a mirror would be): its user mambauser
    // (uid and gid 57439) owns the environment /opt/conda (here a virtualenv, so that pip installs into it, seeing
    // the base's setuptools and wheel to build a package directory with) and is
    // the image's user; micromamba is the stand-in of test/fixtures/tool-stand-ins.ts. The "conda-forge" channel
    // has stand-ins of python and pip (the virtualenv's are the real ones), the other a tool and data.
    const pkg = (name: string, version: string): ReturnType<typeof condaPackage> => condaPackage(name, version, { [`share/kiln-stand-in/${name}`]: { content: `${name} ${version}\n` } });
    const tool = condaPackage(`kiln-conda-tool-${run}`, '1.0', { 'bin/kiln-conda-tool': { content: '#!/bin/sh\necho conda tool 1.0\n', mode: 0o755 } });
    const data = condaPackage(`kiln-conda-data-${run}`, '2.0', { 'share/kiln-conda-data/README': { content: 'conda data 2.0\n' } });
    const channel = `kiln-forge-${run}`;
    const channels = await serveCondaChannels(env.bridge.gateway, { 'conda-forge': [pkg('python', '3.11'), pkg('pip', '24.0')], [channel]: [tool, data] });
    try {
      const standIn = await pushStandIn('micromamba-user-stand-in', {
        Dockerfile: {
          content: [
            'FROM python:3.11-slim',
            'RUN groupadd -g 57439 mambauser && useradd -u 57439 -g 57439 -m -s /bin/sh mambauser && mkdir -p /opt/conda/pkgs && chown -R 57439:57439 /opt/conda',
            'COPY micromamba /usr/local/bin/micromamba',
            'USER mambauser',
            'RUN python3 -m venv --system-site-packages /opt/conda',
            `ENV MAMBA_ROOT_PREFIX=/opt/conda MAMBA_USER=mambauser MAMBA_USER_ID=57439 MAMBA_USER_GID=57439 MAMBA_CHANNEL_ALIAS=${channels.alias}`,
            '',
          ].join('\n'),
        },
        micromamba: { content: MICROMAMBA_STAND_IN, mode: 0o755 },
      });
      const uvImage = await uvStandIn();
      write({
        'mamba-libs/cap_owned_pkg/pyproject.toml': '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "kiln-cap-owned"\nversion = "0.1"\n',
        'mamba-libs/cap_owned_pkg/kiln_cap_owned/__init__.py': `GREETING = "owned ${run}"\n`,
      });
      const pipFlags = `--index-url ${index.url} --trusted-host ${index.host}`;
      const image = Image.micromamba({ image: standIn })
        .micromambaInstall(`kiln-conda-tool-${run}=1.0`, { channels: [channel] })
        .pipInstall(['kiln-cap-req==1.0'], fromIndex())
        .uvPipInstall('kiln-cap-extra==1.0', { uvImage, ...fromIndex() })
        // A package directory pip builds in place: mambauser builds a copy (the mounted one is root's).
        .addPythonPackages('./mamba-libs/cap_owned_pkg', { extraOptions: ['--no-build-isolation'] })
        // A Modal port's own installs, as the image's user: they need the environment to be theirs.
        .runCommands(`pip install ${pipFlags} kiln-cap-base==1.0 && micromamba install -y -n base -c ${channel} kiln-conda-data-${run}`);
      const built = await build('micromamba-user', image);
      expect(built.config.config.User).toBe('mambauser');
      const out = await runIn(
        built.tag,
        [
          'id -un',
          'kiln-conda-tool',
          'python -c "import kiln_cap_req, kiln_cap_extra, kiln_cap_owned, kiln_cap_base; print(kiln_cap_req.GREETING); print(kiln_cap_extra.GREETING); print(kiln_cap_owned.GREETING); print(kiln_cap_base.GREETING)"',
          'cd /opt/conda && stat -c "%U:%G %n" bin/python3 share/kiln-stand-in/python share/kiln-stand-in/pip bin/kiln-conda-tool share/kiln-conda-data/README conda-meta lib/python3.11/site-packages/kiln_cap_req lib/python3.11/site-packages/kiln_cap_base',
          // Nothing under the environment is root's; nothing went to ~/.local instead.
          'find /opt/conda ! -user mambauser | wc -l',
          'ls -A /home/mambauser/.local 2>/dev/null | wc -l',
        ].join('; '),
      );
      expect(out.trim().split('\n')).toEqual([
        'mambauser',
        'conda tool 1.0',
        `kiln_cap_req 1.0 ${run}`,
        `kiln_cap_extra 1.0 ${run}`,
        `owned ${run}`,
        `kiln_cap_base 1.0 ${run}`,
        ...['bin/python3', 'share/kiln-stand-in/python', 'share/kiln-stand-in/pip', 'bin/kiln-conda-tool', 'share/kiln-conda-data/README', 'conda-meta', 'lib/python3.11/site-packages/kiln_cap_req', 'lib/python3.11/site-packages/kiln_cap_base'].map((p) => `mambauser:mambauser ${p}`),
        '0',
        '0',
      ]);
      // The installers' caches were made for mambauser: pip and micromamba used them (a cache they cannot write is
      // skipped with a warning by pip, and fails micromamba).
      expect(logsOf(built, 'pip install kiln-cap-req==1.0 ' + pipFlags).join('\n')).not.toMatch(/cache.*(disabled|not writable|not owned)/i);
      expect(logsOf(built, `micromamba install -c ${channel} kiln-conda-tool-${run}=1.0`)).toContainEqual(expect.stringContaining(`micromamba stand-in: downloading`));

      // toDockerfile() says the same: docker build of it gives the same owners and user.
      mkdirSync(join(context, 'micromamba-user'), { recursive: true });
      const roundTrip = await dockerBuildOf(image, 'micromamba-user');
      expect((await inspectImage(roundTrip))?.config.user).toBe('mambauser');
      expect(await runIn(roundTrip, 'find /opt/conda ! -user mambauser | wc -l; kiln-conda-tool')).toBe('0\nconda tool 1.0\n');
    } finally {
      await channels.close();
    }
  });
});

describe('pipInstallPrivateRepos', () => {
  it('installs a tagged package from a private git host with a token from a build secret; the token stays out of the image', async () => {
    const token = `ghp_${run}${randomBytes(12).toString('hex')}`;
    const lib = (value: string): Record<string, string> => ({
      'setup.py': 'from setuptools import setup\nsetup(name="kiln-private-lib", version="1.0", packages=["kiln_private_lib"])\n',
      'kiln_private_lib/__init__.py': `VALUE = "${value}"\n`,
    });
    // github.com for this build: real git repositories behind git's smart-HTTP backend, HTTPS, Basic auth.
    const server = await serveGitRepositories({
      host: env.bridge.gateway,
      names: ['github.com'],
      user: 'kiln-bot',
      token,
      repositories: [{ path: 'kiln-org/private-lib', commits: [{ files: lib(`tagged ${run}`), tag: `v1.0-${run}` }, { files: lib('main') }] }],
    });
    try {
      const options = {
        gitUser: 'kiln-bot',
        secrets: ['GITHUB_TOKEN', { id: 'git-ca', path: '/run/secrets/git-ca' }],
        env: { GIT_SSL_CAINFO: '/run/secrets/git-ca' },
        hosts: { 'github.com': env.bridge.gateway },
      };
      const image = (opts: typeof options & { env: Record<string, string> }): Image =>
        Image.fromRegistry('python:3.11-slim').aptInstall('git').pipInstallPrivateRepos(`github.com/kiln-org/private-lib@v1.0-${run}`, opts);
      const built = await build('private-repos', image(options), { secrets: [{ id: 'GITHUB_TOKEN', value: token }, { id: 'git-ca', value: server.caPem }] });
      // pip records where it came from (PEP 610) without the credentials.
      const origin = JSON.parse(await runIn(built.tag, 'find / -xdev -name direct_url.json -path "*kiln_private*" -exec cat {} +')) as { url: string; vcs_info: { requested_revision: string } };
      expect(origin.url).toBe('https://github.com/kiln-org/private-lib.git');
      expect(origin.vcs_info.requested_revision).toBe(`v1.0-${run}`);
      expect(await runIn(built.tag, 'python -c "import kiln_private_lib as m; print(m.VALUE)"; pip show kiln-private-lib | grep ^Version')).toBe(`tagged ${run}\nVersion: 1.0\n`);
      expect(server.requests.filter((r) => r.status === 200).every((r) => r.user === 'kiln-bot' && r.password === token)).toBe(true);
      expect(server.requests.some((r) => r.status === 200 && r.path.endsWith('/git-upload-pack'))).toBe(true);
      // Nowhere in the image: its files (pip's direct_url.json included, as `docker export` writes them, uncompressed)
      // and its config and history (as `docker save` writes them).
      const files = join(context, 'private-files.tar');
      const saved = join(context, 'private-saved.tar');
      const container = (await dockerCli(['create', built.tag])).stdout.trim();
      try {
        await dockerCli(['export', '-o', files, container]);
        await dockerCli(['save', '-o', saved, built.tag]);
        const tree = readFileSync(files);
        expect(tree.includes(Buffer.from(`tagged ${run}`))).toBe(true);
        expect(tree.includes(Buffer.from(token))).toBe(false);
        expect(readFileSync(saved).includes(Buffer.from(token))).toBe(false);
      } finally {
        await dockerCli(['rm', '-f', container], { allowFailure: true });
        rmSync(files, { force: true });
        rmSync(saved, { force: true });
      }

      // A wrong token: the build fails at that step, with git's own words in the error. (A secret is not part of a
      // step's cache key, as in Docker: the variable makes this a different step, or the cached result would do.)
      const failed = await build('private-repos-denied', image({ ...options, env: { ...options.env, KILN_TRY: 'denied' } }), {
        secrets: [{ id: 'GITHUB_TOKEN', value: 'not-the-token' }, { id: 'git-ca', value: server.caPem }],
      }).catch((err: unknown) => err as Error);
      expect(failed).toBeInstanceOf(Error);
      expect((failed as Error).message).toContain(`step "pip install github.com/kiln-org/private-lib@v1.0-${run}" failed`);
      expect((failed as Error).message).toContain("fatal: Authentication failed for 'https://github.com/kiln-org/private-lib.git/'");
      expect(String((failed as Error).message)).not.toContain('not-the-token');
    } finally {
      await server.close();
    }
  });
});

describe('runScript', () => {
  it('runs a local script that reads a build secret and keeps only what it derived from it', async () => {
    const secret = `cap-secret-${run}-${randomBytes(8).toString('hex')}`;
    write({
      'scripts/derive.py': [
        'import hashlib, os, sys',
        'token = os.environ["CAP_TOKEN"]',
        'with open("/run/secrets/CAP_TOKEN") as f:',
        '    assert f.read() == token, "the secret file and variable differ"',
        'os.makedirs("/opt/derived", exist_ok=True)',
        'with open("/opt/derived/token-hash", "w") as f:',
        '    f.write(hashlib.sha256(token.encode()).hexdigest()[:16] + "\\n")',
        'with open("/opt/derived/args", "w") as f:',
        '    f.write(" ".join(sys.argv[1:]) + "\\n")',
        '',
      ].join('\n'),
    });
    const image = Image.fromRegistry('python:3.11-slim').runScript('scripts/derive.py', { secrets: ['CAP_TOKEN'], args: ['--model', `m-${run}`] });
    const built = await build('run-script', image, { secrets: [{ id: 'CAP_TOKEN', value: secret }] });
    const out = await runIn(built.tag, 'cat /opt/derived/token-hash /opt/derived/args; find / -xdev -name derive.py | wc -l; ls /run/secrets 2>/dev/null | wc -l');
    expect(out.trim().split('\n')).toEqual([createHash('sha256').update(secret).digest('hex').slice(0, 16), `--model m-${run}`, '0', '0']);
    expect((await inspectImage(built.tag))?.config.env.join('\n')).not.toContain(secret);
    // Nowhere in the image as Docker exports it: layers, config, history.
    const saved = join(context, 'saved.tar');
    await dockerCli(['save', '-o', saved, built.tag]);
    try {
      const bytes = readFileSync(saved);
      expect(bytes.length).toBeGreaterThan(1_000_000);
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(`m-${run}`))).toBe(true);
    } finally {
      rmSync(saved, { force: true });
    }
  });

  it('a script run as a non-root user (a model download after .user()) reads its secret and writes into that user\'s home', async () => {
    const secret = `cap-user-secret-${run}`;
    write({
      'scripts/fetch_model.py': [
        'import os',
        'with open("/run/secrets/HF_TOKEN") as f:',
        '    assert f.read() == os.environ["HF_TOKEN"]',
        'dest = os.path.join(os.environ["HF_HOME"], "model.bin")',
        'os.makedirs(os.path.dirname(dest), exist_ok=True)',
        'with open(dest, "w") as f:',
        '    f.write(str(len(os.environ["HF_TOKEN"])) + "\\n")',
        '',
      ].join('\n'),
    });
    const image = Image.fromRegistry('python:3.11-slim')
      .runCommands('useradd -m -u 1000 app')
      .env({ HF_HOME: '/home/app/.cache/huggingface' })
      .user('app')
      .runScript('scripts/fetch_model.py', { secrets: ['HF_TOKEN'] })
      .runCommands('id -u > /home/app/numeric-uid', { secrets: ['HF_TOKEN'], user: '1000' });
    const built = await build('run-script-user', image, { secrets: [{ id: 'HF_TOKEN', value: secret }] });
    const out = await runIn(built.tag, 'cat $HF_HOME/model.bin /home/app/numeric-uid; stat -c "%U %a" $HF_HOME/model.bin');
    expect(out.trim().split('\n')).toEqual([String(secret.length), '1000', 'app 644']);
  });
});

describe('cache forcing', () => {
  const first = `echo first-${run} > /first`;
  const second = `echo second-${run} > /second`;
  const plain = Image.fromRegistry('debian:bookworm-slim').runCommands(first).runCommands(second);
  const forced = Image.fromRegistry('debian:bookworm-slim').runCommands(first).forceBuild().runCommands(second);

  it('forceBuild() re-runs the steps after it on every build; KILN_FORCE_BUILD=1 re-runs every step', async () => {
    await build('force', plain);
    const again = vertices(await build('force', plain));
    expect([again.get(first)?.cached, again.get(second)?.cached]).toEqual([true, true]);

    for (let i = 0; i < 2; i++) {
      const built = await build('force', forced);
      const v = vertices(built);
      expect([v.get(first)?.cached, v.get(second)?.cached]).toEqual([true, false]);
      expect(await runIn(built.tag, 'cat /first /second')).toBe(`first-${run}\nsecond-${run}\n`);
    }

    const saved = process.env['KILN_FORCE_BUILD'];
    process.env['KILN_FORCE_BUILD'] = '1';
    let all: Map<string, { cached: boolean }>;
    try {
      all = vertices(await build('force', plain));
    } finally {
      if (saved === undefined) delete process.env['KILN_FORCE_BUILD'];
      else process.env['KILN_FORCE_BUILD'] = saved;
    }
    expect([all.get(first)?.cached, all.get(second)?.cached]).toEqual([false, false]);

    const after = vertices(await build('force', plain));
    expect([after.get(first)?.cached, after.get(second)?.cached]).toEqual([true, true]);
  });

  it('force: true re-runs that one step', async () => {
    const v = vertices(await build('force-step', Image.fromRegistry('debian:bookworm-slim').runCommands(first, { force: true })));
    expect(v.get(first)?.cached).toBe(false);
  });
});

describe('Dockerfile input', () => {
  it('dockerfileCommands applies ENV, RUN, WORKDIR and COPY onto an image, with contextFiles standing in for context paths', async () => {
    write({ 'VERSION': `v-${run}\n`, 'deploy/prod.json': `{"run": "${run}"}\n` });
    const image = Image.fromRegistry('debian:bookworm-slim', { setupDockerfileCommands: ['ENV SETUP=early'] })
      .dockerfileCommands(['ENV A=1', 'RUN echo hi > /hi', 'WORKDIR /w', 'RUN echo "$A-$SETUP" > from-run', 'COPY VERSION ./', 'COPY config.json /etc/app/'], {
        contextFiles: { '/config.json': 'deploy/prod.json' },
      });
    const built = await build('dockerfile-commands', image);
    expect((await runIn(built.tag, 'pwd; cat /hi; echo "$A $SETUP"; cat from-run VERSION /etc/app/config.json')).trim().split('\n')).toEqual([
      '/w',
      'hi',
      '1 early',
      '1-early',
      `v-${run}`,
      `{"run": "${run}"}`,
    ]);
    expect((await inspectImage(built.tag))?.config.workingDir).toBe('/w');
  });

  it('Image.fromDockerfile builds a multi-stage Dockerfile with build args, its directory as the context', async () => {
    write({
      'docker/app.conf': `mode=${run}\n`,
      'docker/Dockerfile': [
        'FROM busybox AS tools',
        'RUN mkdir -p /out && echo from-stage > /out/stage.txt',
        '',
        'FROM debian:bookworm-slim',
        'ARG GREETING=default',
        'ENV APP_HOME=/srv/app \\',
        '    GREETING=${GREETING}',
        'WORKDIR $APP_HOME',
        'COPY app.conf ./conf/',
        'COPY --from=tools /out/stage.txt /srv/',
        'RUN echo "built with $GREETING" > built.txt',
        'CMD ["sh", "-c", "cat /srv/app/built.txt"]',
        '',
      ].join('\n'),
    });
    const built = await build('from-dockerfile', Image.fromDockerfile('docker/Dockerfile', { buildArgs: { GREETING: `hello-${run}` } }));
    expect((await dockerCli(['run', '--rm', '--network', 'none', built.tag])).stdout).toBe(`built with hello-${run}\n`);
    expect((await runIn(built.tag, 'pwd; echo "$APP_HOME $GREETING"; cat conf/app.conf /srv/stage.txt')).trim().split('\n')).toEqual([
      '/srv/app',
      `/srv/app hello-${run}`,
      `mode=${run}`,
      'from-stage',
    ]);
    const inspect = await inspectImage(built.tag);
    expect(inspect?.config.cmd).toEqual(['sh', '-c', 'cat /srv/app/built.txt']);
    expect(inspect?.config.env).toContain(`GREETING=hello-${run}`);
  });

  it('Image.fromDockerfile reads ${VAR:-word} / ${VAR:+word} with build args and env, and .dockerignore (COPY and RUN bind mounts), as Docker does (same Dockerfile built by both)', async () => {
    write({
      'vars/.dockerignore': 'sub/*.log\n!sub/keep.log\n**/secret.txt\n',
      'vars/sub/a.py': 'a\n',
      'vars/sub/drop.log': 'drop\n',
      'vars/sub/keep.log': 'keep\n',
      'vars/sub/deep/secret.txt': 'secret\n',
      'vars/Dockerfile': [
        'ARG BASE=debian:bookworm-slim',
        'FROM ${BASE:-busybox:latest}',
        'ARG VER=1.2',
        'ARG EMPTY',
        'ENV SET=yes',
        'ENV D1=${VER:-x} D2=${VER:+set} D3=${VER} D4=$VER D5=${NOTARG:-${VER}} D6=${EMPTY:-e} D7=${PATH:+p} D8="${SET:-no}-${UNSET:-two words}" D9=${UNSET:-a\\}b}',
        'WORKDIR /w/${VER:-none}',
        'LABEL v=${VER:-none}',
        'RUN echo "VER=$VER D1=$D1 D7=$D7" > /r.txt',
        'RUN --mount=type=bind,source=.,target=/ctx --mount=type=bind,source=sub,target=/ctxsub cd /ctx && find . -type f | sort > /bind.txt && cd /ctxsub && find . -type f | sort >> /bind.txt',
        'COPY sub/ /s/',
        'COPY . /all/',
        '',
      ].join('\n'),
    });
    const [ours, theirs] = await Promise.all([build('dockerfile-vars-kiln', Image.fromDockerfile('vars/Dockerfile', { buildArgs: { VER: '2.0' } })), dockerBuild('vars', ['--build-arg', 'VER=2.0'])]);
    const a = await inspectImage(ours.tag);
    const b = await inspectImage(theirs);
    expect(a?.config.env).toEqual(b?.config.env);
    expect(a?.config.env).toEqual(expect.arrayContaining(['D1=2.0', 'D2=set', 'D5=2.0', 'D6=e', 'D7=p', 'D8=yes-two words', 'D9=a}b']));
    expect(a?.config.workingDir).toBe('/w/2.0');
    expect(b?.config.workingDir).toBe('/w/2.0');
    expect(a?.config.labels?.['v']).toBe(b?.config.labels?.['v']);
    expect(await runIn(ours.tag, 'cat /r.txt')).toBe(await runIn(theirs, 'cat /r.txt'));
    // .dockerignore filters every COPY from the context, negations included.
    const files = 'cd / && find s all -type f | sort';
    const ourFiles = await runIn(ours.tag, files);
    expect(ourFiles.trim().split('\n')).toEqual(['all/.dockerignore', 'all/Dockerfile', 'all/sub/a.py', 'all/sub/keep.log', 's/a.py', 's/keep.log']);
    expect(ourFiles).toBe(await runIn(theirs, files));
    // So does it RUN --mount=type=bind from the context, of the root and of a subdirectory.
    const ourBind = await runIn(ours.tag, 'cat /bind.txt');
    expect(ourBind.trim().split('\n')).toEqual(['./.dockerignore', './Dockerfile', './sub/a.py', './sub/keep.log', './a.py', './keep.log']);
    expect(ourBind).toBe(await runIn(theirs, 'cat /bind.txt'));
  });

  it('a stage FROM an earlier stage keeps its ENV, ARG values and SHELL, and a bind mount of one context file, as docker build gives them', async () => {
    write({
      'stages/Cargo.toml': '[package]\nname = "app"\n',
      'stages/Dockerfile': [
        'FROM debian:bookworm-slim AS base',
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        'ARG TAG=1.2',
        'ENV APP_HOME=/srv/app',
        'FROM base AS deps',
        'RUN --mount=type=bind,source=Cargo.toml,target=/tmp/Cargo.toml mkdir -p $APP_HOME/deps && cp /tmp/Cargo.toml $APP_HOME/deps/',
        'FROM base',
        'WORKDIR $APP_HOME',
        'COPY --from=deps $APP_HOME/deps ./deps',
        'RUN echo "tag=${TAG:-unset} shell=${BASH_VERSION:+bash}" > /seen.txt',
        'ENTRYPOINT echo "entry"',
        '',
      ].join('\n'),
    });
    const [ours, theirs] = await Promise.all([build('dockerfile-stages-kiln', Image.fromDockerfile('stages/Dockerfile')), dockerBuild('stages')]);
    const config = async (tag: string): Promise<string> => (await dockerCli(['image', 'inspect', '-f', '{{json .Config.Env}} {{json .Config.Entrypoint}} {{json .Config.Shell}}', tag])).stdout.trim();
    expect(await config(ours.tag)).toBe(await config(theirs));
    expect(await config(ours.tag)).toContain('["/bin/bash","-o","pipefail","-c","echo \\"entry\\""]');
    // The shell-form ENTRYPOINT ignores arguments: read the files with another entrypoint.
    const files = async (tag: string): Promise<string> => (await dockerCli(['run', '--rm', '--network', 'none', '--entrypoint', 'cat', tag, '/seen.txt', '/srv/app/deps/Cargo.toml'])).stdout;
    const ourFiles = await files(ours.tag);
    expect(ourFiles).toBe('tag=1.2 shell=bash\n[package]\nname = "app"\n');
    expect(ourFiles).toBe(await files(theirs));
  });

  it('Dockerfile values that use the base image\'s or an earlier stage\'s environment, ENV over ARG, --chown=$ARG and ENTRYPOINT after FROM a stage, as docker build gives them', async () => {
    write({
      'envuse/f.txt': 'f\n',
      'envuse/Dockerfile': [
        'FROM python:3.11-slim AS base',
        'ARG OWNER=2000:2100',
        'ARG MODE=fromarg',
        'ENV MODE=fromenv APPDIR=/srv/app',
        'WORKDIR /opt/py-$PYTHON_VERSION',
        'LABEL lang=$LANG',
        'RUN echo "run MODE=$MODE" > /mode.txt',
        'COPY --chown=$OWNER f.txt /owned.txt',
        'CMD ["base-cmd"]',
        'FROM base',
        'WORKDIR $APPDIR/sub',
        'COPY f.txt $APPDIR/',
        'ENTRYPOINT ["/bin/echo"]',
        '',
      ].join('\n'),
    });
    const image = Image.fromDockerfile('envuse/Dockerfile');
    const [ours, theirs, roundTrip] = await Promise.all([build('dockerfile-envuse-kiln', image), dockerBuild('envuse'), dockerBuildOf(image, 'envuse')]);
    const config = async (tag: string): Promise<string> =>
      (await dockerCli(['image', 'inspect', '-f', '{{.Config.WorkingDir}} {{index .Config.Labels "lang"}} {{json .Config.Cmd}} {{json .Config.Entrypoint}}', tag])).stdout.trim();
    expect(await config(ours.tag)).toBe('/srv/app/sub C.UTF-8 null ["/bin/echo"]');
    expect(await config(ours.tag)).toBe(await config(theirs));
    const probe = ['sh', '-c', 'cat /mode.txt /srv/app/f.txt; stat -c "%u:%g" /owned.txt; ls -d /opt/py-*'];
    const mine = (await dockerCli(['run', '--rm', '--network', 'none', '--entrypoint', '', ours.tag, ...probe])).stdout;
    expect(mine).toBe('run MODE=fromenv\nf\n2000:2100\n/opt/py-3.11.2\n');
    expect(mine).toBe((await dockerCli(['run', '--rm', '--network', 'none', '--entrypoint', '', theirs, ...probe])).stdout);
    // kiln's Dockerfile of it builds the same.
    expect(await config(roundTrip)).toBe(await config(theirs));
    expect(mine).toBe((await dockerCli(['run', '--rm', '--network', 'none', '--entrypoint', '', roundTrip, ...probe])).stdout);
  });

  it('the platform args (ARG TARGETARCH, BUILDPLATFORM…) and FROM --platform=$BUILDPLATFORM, as docker build gives them', async () => {
    write({
      'platform/Dockerfile': [
        'FROM --platform=$BUILDPLATFORM busybox:latest AS build',
        'ARG TARGETARCH',
        'ARG TARGETOS',
        'ARG BUILDPLATFORM',
        'RUN echo "os=$TARGETOS arch=$TARGETARCH bp=$BUILDPLATFORM" > /info',
        'FROM busybox:latest',
        'ARG TARGETPLATFORM',
        'WORKDIR /w/$TARGETPLATFORM',
        'COPY --from=build /info /info',
        'RUN echo "tp=$TARGETPLATFORM" >> /info',
        '',
      ].join('\n'),
    });
    const image = Image.fromDockerfile('platform/Dockerfile');
    const [ours, theirs, roundTrip] = await Promise.all([build('dockerfile-platform-kiln', image), dockerBuild('platform'), dockerBuildOf(image, 'platform')]);
    const probe = 'cat /info; pwd';
    const arch = (await client.info()).workers[0]?.platforms[0]?.architecture ?? 'amd64';
    const [mine, docker] = [await runIn(ours.tag, probe), await runIn(theirs, probe)];
    expect(mine).toBe(`os=linux arch=${arch} bp=linux/${arch}\ntp=linux/${arch}\n/w/linux/${arch}\n`);
    expect(mine).toBe(docker);
    expect(await runIn(roundTrip, probe)).toBe(docker);
  });

  it('COPY --from sources that use the base image\'s environment and the platform args ($PYTHON_VERSION, ${LANG:-x}, $TARGETARCH), as docker build copies them', async () => {
    write({
      'fromvars/Dockerfile': [
        'FROM python:3.11-slim AS builder',
        'ARG TARGETARCH',
        'RUN mkdir -p /opt/py-$PYTHON_VERSION/kiln_fromvars /opt/$LANG/bin /opt/$TARGETARCH \\',
        '  && echo pkg > /opt/py-$PYTHON_VERSION/kiln_fromvars/__init__.py \\',
        '  && echo tool > /opt/$LANG/bin/tool && echo arch > /opt/$TARGETARCH/arch.txt',
        'FROM python:3.11-slim',
        'ARG TARGETARCH',
        'COPY --from=builder /opt/py-${PYTHON_VERSION}/kiln_fromvars /usr/local/lib/python3.11/site-packages/kiln_fromvars',
        'COPY --from=builder /opt/${LANG:-x} /opt/${LANG}',
        'COPY --from=builder /opt/${TARGETARCH}/*.txt /arch/',
        'ENV PATH=/opt/$LANG/bin:$PATH',
        '',
      ].join('\n'),
    });
    const image = Image.fromDockerfile('fromvars/Dockerfile');
    const [ours, theirs, roundTrip] = await Promise.all([build('dockerfile-fromvars-kiln', image), dockerBuild('fromvars'), dockerBuildOf(image, 'fromvars')]);
    const probe = 'cd / && find usr/local/lib/python3.11/site-packages/kiln_fromvars opt/C.UTF-8 arch -type f | sort | xargs head -v; echo "$PATH"';
    const files = await runIn(ours.tag, probe);
    expect(files).toContain('==> opt/C.UTF-8/bin/tool <==\ntool\n');
    expect(files).toContain('==> usr/local/lib/python3.11/site-packages/kiln_fromvars/__init__.py <==\npkg\n');
    expect(files).toContain('==> arch/arch.txt <==\narch\n');
    expect(files).toBe(await runIn(theirs, probe));
    expect(files).toBe(await runIn(roundTrip, probe));
    const config = async (tag: string): Promise<string> => (await dockerCli(['image', 'inspect', '-f', '{{json .Config.Env}} {{json .Config.Cmd}}', tag])).stdout.trim();
    expect(await config(ours.tag)).toBe(await config(theirs));
  });

  it('a context source read with ${NAME:-default}: where the base image sets NAME kiln refuses and docker build of toDockerfile() fails too; where nothing sets it both copy the default', async () => {
    write({
      'defaulted/py-9.txt': 'nine\n',
      'defaulted/Dockerfile': 'FROM python:3.11-slim\nCOPY py-${PYTHON_VERSION:-9}.txt /x/\n',
      'defaulted-unset/py-9.txt': 'nine\n',
      'defaulted-unset/Dockerfile': 'FROM python:3.11-slim\nCOPY py-${KILN_UNSET:-9}.txt /x/\n',
    });
    // python:3.11-slim sets PYTHON_VERSION: docker build of this Dockerfile copies py-3.11.x.txt, kiln read py-9.txt.
    const set = Image.fromDockerfile('defaulted/Dockerfile');
    const ours = await build('dockerfile-defaulted-kiln', set).catch((e: unknown) => e);
    expect((ours as { code?: string }).code).toBe('invalid_argument');
    expect((ours as Error).message).toContain('uses $PYTHON_VERSION, which this image\'s environment');
    // Its Dockerfile does not copy the default behind kiln's back: docker build fails on that COPY as well.
    const roundTrip = await dockerBuildOf(set, 'defaulted').catch((e: unknown) => e);
    expect(roundTrip).toBeInstanceOf(Error);
    expect((roundTrip as Error).message).toContain('py-9.txt.kiln-PYTHON_VERSION-is-set');
    // Unset: the default, in kiln's build and in its Dockerfile's alike.
    const unset = Image.fromDockerfile('defaulted-unset/Dockerfile');
    const [built, theirs] = await Promise.all([build('dockerfile-defaulted-unset-kiln', unset), dockerBuildOf(unset, 'defaulted-unset')]);
    expect(await runIn(built.tag, 'cat /x/py-9.txt')).toBe('nine\n');
    expect(await runIn(theirs, 'cat /x/py-9.txt')).toBe('nine\n');
  });

  it('COPY with a wildcard in a middle path element (src/*/*.txt, packages/*/package.json) copies what docker build copies, .dockerignore applied, a pattern matching nothing copying nothing', async () => {
    const dockerfile = [
      'FROM busybox:latest',
      'COPY src/*/*.txt /d1/',
      'COPY src/*/x /d2/',
      'COPY src/[ab]/* /d3/',
      'COPY src/*/nomatch* /d4/',
      'COPY s*/a/1.txt /d5/',
      'COPY packages/*/package.json ./pkgs/',
      '',
    ].join('\n');
    const tree = { 'src/a/1.txt': 'a\n', 'src/a/x/2.txt': 'ax\n', 'src/b/3.txt': 'b\n', 'src/b/4.log': 'bb\n', 'src/c/5.txt': 'c\n', 'packages/web/package.json': '{"name":"web"}\n', 'packages/api/package.json': '{"name":"api"}\n', 'packages/api/src/i.js': '1\n' };
    const probe = 'cd / && find d1 d2 d3 d4 d5 d6 pkgs 2>/dev/null | sort; cat pkgs/package.json';
    const listed: Record<string, string> = {};
    for (const [dir, ignore] of [['midwild', undefined], ['midwild-ignored', 'src/c\n**/2.txt\n']] as const) {
      // With a .dockerignore too, a pattern matching nothing (src/*/nomatch*) copies nothing, as docker build does.
      write({ ...Object.fromEntries(Object.entries(tree).map(([k, val]) => [`${dir}/${k}`, val])), [`${dir}/Dockerfile`]: dockerfile, ...(ignore === undefined ? {} : { [`${dir}/.dockerignore`]: ignore }) });
      const [ours, theirs] = await Promise.all([build(`dockerfile-${dir}-kiln`, Image.fromDockerfile(`${dir}/Dockerfile`)), dockerBuild(dir)]);
      listed[dir] = await runIn(ours.tag, probe);
      expect(listed[dir]).toBe(await runIn(theirs, probe));
    }
    // Docker's result: each match lands in the destination by its name (a matched directory's contents), no
    // directory structure kept; a later match of the same name wins; nothing matched copies nothing.
    expect(listed['midwild']?.trim().split('\n')).toEqual([
      'd1', 'd1/1.txt', 'd1/3.txt', 'd1/5.txt', 'd2', 'd2/2.txt', 'd3', 'd3/1.txt', 'd3/2.txt', 'd3/3.txt', 'd3/4.log', 'd5', 'd5/1.txt', 'pkgs', 'pkgs/package.json', '{"name":"web"}',
    ]);
    expect(listed['midwild-ignored']?.trim().split('\n')).toEqual([
      'd1', 'd1/1.txt', 'd1/3.txt', 'd2', 'd3', 'd3/1.txt', 'd3/3.txt', 'd3/4.log', 'd5', 'd5/1.txt', 'pkgs', 'pkgs/package.json', '{"name":"web"}',
    ]);
  });

  it('${X%.*}, ${X##*.}, ${X//a/b} and ${X-w} give the values Dockerfile 1.7 (docker build on dockerd 26.1) gives, on any daemon kiln builds on', async () => {
    // dockerd 20.10's own frontend refuses these ("missing ':' in substitution"); kiln expands them itself. The
    // expected values are docker build's on dockerd 26.1 (BuildKit 0.13, Dockerfile 1.7).
    write({ 'modifiers/Dockerfile': 'FROM busybox:latest\nARG X=foo.tar.gz P=a/b/c\nENV A=${X%.*} B=${X%%.*} C=${X#*.} D=${X##*.} E=${P/\\//:} F=${P//\\//:} G=${UNSET-w} H=${X+set}\n' });
    const ours = await build('dockerfile-modifiers-kiln', Image.fromDockerfile('modifiers/Dockerfile'));
    const env = (await dockerCli(['image', 'inspect', '-f', '{{json .Config.Env}}', ours.tag])).stdout.trim();
    expect((JSON.parse(env) as string[]).filter((e) => /^[A-H]=/.test(e))).toEqual(['A=foo.tar', 'B=foo', 'C=tar.gz', 'D=gz', 'E=a:b/c', 'F=a:b:c', 'G=w', 'H=set']);
  });

  it('a context source with ${NAME:-default}: the default where the base image does not set NAME, as docker build takes it; refused naming the line and the value where it does', async () => {
    const version = (await runIn('python:3.11-slim', 'echo "$PYTHON_VERSION"')).trim();
    write({
      'defaulted/c.txt': 'c\n',
      'defaulted/Dockerfile': 'FROM python:3.11-slim\nCOPY ${KILN_UNSET:-c.txt} /x/\n',
      'defaulted-base/py-9.txt': 'nine\n',
      [`defaulted-base/py-${version}.txt`]: 'base\n',
      'defaulted-base/Dockerfile': 'FROM python:3.11-slim\nCOPY py-${PYTHON_VERSION:-9}.txt /x/\n',
    });
    const ours = await build('dockerfile-defaulted-kiln', Image.fromDockerfile('defaulted/Dockerfile'));
    expect(await runIn(ours.tag, 'cat /x/*')).toBe(await runIn(await dockerBuild('defaulted'), 'cat /x/*'));
    // docker build copies the file the base image's PYTHON_VERSION names; kiln, which read the source before it knew
    // the base image's config, refuses rather than copy py-9.txt.
    expect(await runIn(await dockerBuild('defaulted-base'), 'cat /x/*')).toBe('base\n');
    await expect(build('dockerfile-defaulted-base-kiln', Image.fromDockerfile('defaulted-base/Dockerfile'))).rejects.toThrow(
      `Dockerfile line 2 (COPY): the source "py-\${PYTHON_VERSION:-9}.txt" uses $PYTHON_VERSION, which this image's environment (the base image, an earlier stage or an ENV) sets (to "${version}")`,
    );
  });

  it('with a .dockerignore, a COPY wildcard matching nothing in a directory of the context copies nothing, as docker build does', async () => {
    // Alone in its Dockerfile: no other COPY sends the directory the pattern is matched in.
    write({ 'nomatch-ignored/src/a/1.txt': 'a\n', 'nomatch-ignored/src/a/2.txt': 'b\n', 'nomatch-ignored/.dockerignore': 'src/a/2.txt\n', 'nomatch-ignored/Dockerfile': 'FROM busybox:latest\nCOPY src/*/nomatch* /d4/\nCOPY src/a/*.log /d5/\nCOPY src/*/2.txt /d6/\n' });
    // Forced: a copy that matched nothing is otherwise found in the daemon's cache, whatever sent the directory then.
    const ours = await build('dockerfile-nomatch-ignored-kiln', Image.fromDockerfile('nomatch-ignored/Dockerfile'), { forceBuild: true });
    const theirs = await dockerBuild('nomatch-ignored');
    const probe = 'ls -d /d4 /d5 /d6 2>&1; ls /d6 2>&1; true';
    expect(await runIn(ours.tag, probe)).toBe(await runIn(theirs, probe));
  });

  it('RUN --mount options: a cache mount\'s uid/gid/mode and from/source, a secret\'s uid/gid/mode and a tmpfs size, as docker build gives them', async () => {
    const sizeCap = (await client.info()).llbCaps.has('exec.mount.tmpfs.size');
    write({
      'mounts/tok.txt': 'the-token\n',
      'mounts/Dockerfile': [
        'FROM busybox:latest AS seed',
        'RUN mkdir -p /seeddir && echo seeded > /seeddir/s.txt',
        'FROM busybox:latest',
        'ARG RUN_ID',
        // (Docker 20.10's Dockerfile frontend reads mount values literally; newer ones expand them, as kiln does.)
        'RUN --mount=type=cache,id=owned-$RUN_ID,target=/c,uid=1500,gid=1600,mode=0750 stat -c "%u:%g %a" /c > /cache-owner.txt',
        'RUN --mount=type=cache,id=seeded-$RUN_ID,target=/s,from=seed,source=/seeddir cat /s/s.txt > /seeded.txt',
        'RUN --mount=type=secret,id=tok,mode=0440,uid=1000,gid=1001 stat -c "%u:%g %a" /run/secrets/tok > /secret.txt && cat /run/secrets/tok >> /secret.txt',
        // A relative target is in the working directory; a cache docker build filled is the one kiln's build sees.
        // (The cache id is not part of a step's cache key: the fill step's text has the run id so it runs each time.)
        'WORKDIR /w',
        'RUN --mount=type=cache,target=rel,sharing=private touch rel/x && ls /w/rel > /rel.txt',
        `RUN --mount=type=cache,id=shared-${run},target=/shared cat /shared/filled > /shared.txt`,
        ...(sizeCap ? ['RUN --mount=type=tmpfs,target=/t,size=2m df -k /t | tail -1 | awk \'{print $2}\' > /tmpfs-size.txt'] : []),
        '',
      ].join('\n'),
    });
    write({ 'fill/Dockerfile': `FROM busybox:latest\nRUN --mount=type=cache,id=shared-${run},target=/c echo by-docker-build > /c/filled # ${run}\n` });
    await dockerBuild('fill');
    const tok = join(context, 'mounts/tok.txt');
    const image = Image.fromDockerfile('mounts/Dockerfile', { buildArgs: { RUN_ID: run } });
    const ours = await build('dockerfile-mounts-kiln', image, { secrets: [{ id: 'tok', value: 'the-token\n' }] });
    const theirs = await dockerBuild('mounts', ['--build-arg', `RUN_ID=${run}-docker`, '--secret', `id=tok,src=${tok}`]);
    const probe = `cat /cache-owner.txt /seeded.txt /secret.txt /rel.txt /shared.txt${sizeCap ? ' /tmpfs-size.txt' : ''}`;
    const [mine, docker] = [await runIn(ours.tag, probe), await runIn(theirs, probe)];
    expect(mine).toBe(`1500:1600 750\nseeded\n1000:1001 440\nthe-token\nx\nby-docker-build\n${sizeCap ? '2048\n' : ''}`);
    expect(mine).toBe(docker);
    // kiln's Dockerfile of it carries the options and builds the same.
    const roundTrip = await dockerBuildOf(image, 'mounts', ['--secret', `id=tok,src=${tok}`]);
    expect(await runIn(roundTrip, probe)).toBe(docker);
    expect(image.toDockerfile()).toMatch(/--mount=type=cache,id=owned-\w+,target=\/c,sharing=shared,uid=1500,gid=1600,mode=0750 /);
    expect(image.toDockerfile()).toContain('--mount=type=secret,id=tok,target=/run/secrets/tok,uid=1000,gid=1001,mode=0440 ');
  });

  it('the escape directive, legacy ENV/LABEL values, "<<" that is not a heredoc, EXPOSE ranges and quoted WORKDIR/USER, as docker build reads them', async () => {
    write({
      'parse/Dockerfile': [
        '# escape=`',
        'FROM busybox:latest',
        'ENV WINPATH=C:\\foo\\bar LEG2="a  b"',
        'ENV LEG hello   spaced   world',
        'LABEL usage="press <<Enter>> to start" path=C:\\data',
        'LABEL legacy some   label text',
        'EXPOSE 8000-8002/tcp 9000 80:8080 127.0.0.1:81:8081/udp',
        'RUN echo "a <<b" > /x',
        'WORKDIR "/srv/my app"',
        "USER 'nobody'",
        '',
      ].join('\n'),
    });
    const [ours, theirs] = await Promise.all([build('dockerfile-parse-kiln', Image.fromDockerfile('parse/Dockerfile')), dockerBuild('parse')]);
    const config = async (tag: string): Promise<string> =>
      (
        await dockerCli(['image', 'inspect', '-f', '{{json .Config.Env}} {{index .Config.Labels "usage"}}|{{index .Config.Labels "path"}}|{{index .Config.Labels "legacy"}} {{json .Config.ExposedPorts}} {{.Config.WorkingDir}}|{{.Config.User}}', tag])
      ).stdout.trim();
    expect(await config(ours.tag)).toContain('"WINPATH=C:\\\\foo\\\\bar","LEG2=a  b","LEG=hello   spaced   world"');
    expect(await config(ours.tag)).toMatch(/ \/srv\/my app\|nobody$/);
    expect(await config(ours.tag)).toBe(await config(theirs));
    expect(await runIn(ours.tag, 'cat /x')).toBe('a <<b\n');
  });

  it('VOLUME, STOPSIGNAL and HEALTHCHECK go into the image config as docker build writes them, and back into toDockerfile', async () => {
    write({
      'runtime/Dockerfile': [
        'FROM busybox:latest',
        'ENV DATA=/data',
        'VOLUME $DATA /logs',
        'VOLUME ["/cache"]',
        'STOPSIGNAL SIGINT',
        'HEALTHCHECK --interval=5s --timeout=1m30s --start-period=500ms --retries=2 CMD wget -q -O- http://localhost/ || exit 1',
        '',
      ].join('\n'),
    });
    const image = Image.fromDockerfile('runtime/Dockerfile');
    const [ours, theirs] = await Promise.all([build('dockerfile-runtime-kiln', image), dockerBuild('runtime')]);
    const config = async (tag: string): Promise<string> =>
      (await dockerCli(['image', 'inspect', '-f', '{{json .Config.Volumes}} {{.Config.StopSignal}} {{json .Config.Healthcheck}}', tag])).stdout.trim();
    expect(await config(ours.tag)).toBe(
      '{"/cache":{},"/data":{},"/logs":{}} SIGINT {"Test":["CMD-SHELL","wget -q -O- http://localhost/ || exit 1"],"Interval":5000000000,"Timeout":90000000000,"StartPeriod":500000000,"Retries":2}',
    );
    expect(await config(ours.tag)).toBe(await config(theirs));
    // The generated Dockerfile carries them too.
    expect(await config(await dockerBuildOf(image, 'runtime'))).toBe(await config(theirs));
  });

  it('a Dockerfile SHELL is written into the image config as docker build writes it, and kiln\'s later steps run with it', async () => {
    write({
      'shell/Dockerfile': ['FROM debian:bookworm-slim', 'SHELL ["/bin/bash", "-c"]', 'RUN echo "in=${BASH_VERSION:+bash}" > /in.txt', ''].join('\n'),
    });
    const [ours, theirs] = await Promise.all([build('dockerfile-shell-kiln', Image.fromDockerfile('shell/Dockerfile').runCommands('echo "after=${BASH_VERSION:+bash}" > /after.txt')), dockerBuild('shell')]);
    const shellOf = async (tag: string): Promise<string> => (await dockerCli(['image', 'inspect', '-f', '{{json .Config.Shell}}', tag])).stdout.trim();
    expect(await shellOf(ours.tag)).toBe('["/bin/bash","-c"]');
    expect(await shellOf(ours.tag)).toBe(await shellOf(theirs));
    expect(await runIn(ours.tag, 'cat /in.txt /after.txt')).toBe('in=bash\nafter=bash\n');
    expect(await runIn(theirs, 'cat /in.txt')).toBe('in=bash\n');
  });
});

describe('apt', () => {
  it('aptRemove removes an installed package and the dependencies nothing needs any more', async () => {
    const installed = Image.fromRegistry('debian:bookworm-slim')
      .runCommands(`rm -f /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources && echo '${repo.sourcesLine}' > /etc/apt/sources.list.d/kiln-cap.list`)
      .aptInstall('kiln-cap-tool');
    const withTool = await build('apt-installed', installed);
    expect((await runIn(withTool.tag, 'kiln-cap-tool; cat /usr/share/kiln-cap-data/README')).trim().split('\n')).toEqual(['cap tool says hi', 'cap data']);

    const removed = await build('apt-removed', installed.aptRemove('kiln-cap-tool'));
    const out = await runIn(
      removed.tag,
      [
        'dpkg -s kiln-cap-tool >/dev/null 2>&1 && echo tool-installed || echo tool-gone',
        'dpkg -s kiln-cap-data >/dev/null 2>&1 && echo data-installed || echo data-gone',
        'command -v kiln-cap-tool || echo no-command',
        'test -e /usr/share/kiln-cap-data/README && echo file-left || echo file-gone',
      ].join('; '),
    );
    expect(out.trim().split('\n')).toEqual(['tool-gone', 'data-gone', 'no-command', 'file-gone']);
  });
});
