/**
 * The Image API as a user sees it: every starting point, method and alias produces the step it documents, the
 * builder is immutable, and bad arguments fail at the call site with `invalid_argument` naming the argument.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUTES_DEFAULT_BASE, Image, MICROMAMBA_IMAGE, PYTHON_SOURCE_DIR, compileImage, images } from '../../src/image/index.js';
import { walkDirectory } from '../../src/session/fs-walk.js';
import { DOCKERD_20_10_CAPS, MODERN_CAPS, execNamed, execs, fileActions, sources } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

let dir = '';
let previousCwd = '';

beforeAll(() => {
  previousCwd = process.cwd();
  dir = mkdtempSync(join(tmpdir(), 'kiln-image-api-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.py'), 'print(1)\n');
  writeFileSync(join(dir, 'requirements.txt'), 'numpy\n');
  mkdirSync(join(dir, 'mypkg'));
  writeFileSync(join(dir, 'mypkg', '__init__.py'), '');
  writeFileSync(join(dir, 'single.py'), 'X = 1\n');
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "x"\ndependencies = ["fastapi", "uvicorn"]\n[project.optional-dependencies]\ndev = ["pytest"]\n');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nRUN echo hi\n');
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(previousCwd);
  rmSync(dir, { recursive: true, force: true });
});


function baseOf(image: Image): string {
  return sources(image.definition()).find((s) => s.identifier.startsWith('docker-image://'))?.identifier ?? '';
}

function scriptOf(image: Image, name: string): string {
  return execNamed(image.definition(), name).args[2] ?? '';
}

describe('starting points', () => {
  it('debianSlim uses the official slim bookworm Python image', () => {
    expect(baseOf(Image.debianSlim())).toBe('docker-image://docker.io/library/python:3.11-slim-bookworm');
    expect(baseOf(Image.debianSlim({ pythonVersion: '3.12' }))).toBe('docker-image://docker.io/library/python:3.12-slim-bookworm');
  });

  it("debianSlim takes Modal's builderVersion, checked, and builds the same image with any (kiln's release decides how)", () => {
    const plain = Image.debianSlim({ pythonVersion: '3.12' }).pipInstall('requests');
    for (const builderVersion of ['2023.12', '2024.10', 'PREVIEW']) {
      const image = Image.debianSlim({ pythonVersion: '3.12', builderVersion }).pipInstall('requests');
      expect(image.digest()).toBe(plain.digest());
      expect(image.toDockerfile()).toBe(plain.toDockerfile());
    }
    const bad = thrown(() => Image.debianSlim({ builderVersion: '2024.1' }));
    expect(bad.code).toBe('invalid_argument');
    expect(bad.message).toContain('builderVersion must be a Modal image builder version');
  });

  it('fromRegistry normalises the reference and can add Python', () => {
    expect(baseOf(Image.fromRegistry('ubuntu:22.04'))).toBe('docker-image://docker.io/library/ubuntu:22.04');
    const withPy = Image.fromRegistry('nvidia/cuda:12.4.0-devel-ubuntu22.04', { addPython: '3.11' });
    expect(compileImage(withPy).plan.map((p) => p.name)).toEqual(['install python 3.11']);
    // Modal's order: the setup commands come after the added Python, so they can use it.
    const setup = Image.fromRegistry('debian:bookworm-slim', { addPython: '3.11', setupDockerfileCommands: ['RUN python --version'] });
    expect(compileImage(setup).plan.map((p) => p.name)).toEqual(['install python 3.11', 'python --version']);
  });

  it('cuda builds the nvidia/cuda tag from its parts and adds Python unless told not to', () => {
    expect(baseOf(Image.cuda({ cuda: '12.4.1', cudnn: 9, flavor: 'devel', python: false }))).toBe('docker-image://docker.io/nvidia/cuda:12.4.1-cudnn9-devel-ubuntu22.04');
    expect(baseOf(Image.cuda({ cuda: '11.8.0', ubuntu: '20.04' }))).toBe('docker-image://docker.io/nvidia/cuda:11.8.0-runtime-ubuntu20.04');
    expect(compileImage(Image.cuda({ cuda: '11.8.0', python: '3.12' })).plan[0]?.name).toBe('install python 3.12');
  });

  it('micromamba starts from the micromamba image, installs Python and pip from conda-forge and puts them on PATH', () => {
    const image = Image.micromamba({ pythonVersion: '3.10' });
    expect(baseOf(image)).toBe(`docker-image://docker.io/${MICROMAMBA_IMAGE}`);
    expect(scriptOf(image, 'micromamba install -c conda-forge python=3.10 pip')).toBe('micromamba install -y -n base -c conda-forge python=3.10 pip');
    // The real image activates its environment only through its entrypoint and SHELL; later steps need PATH.
    const micromambaConfig = { architecture: 'amd64', os: 'linux', config: { User: 'mambauser', Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'MAMBA_ROOT_PREFIX=/opt/conda'] } };
    const compiled = compileImage(image, { baseConfigs: new Map([[`docker.io/${MICROMAMBA_IMAGE}`, micromambaConfig]]) });
    expect(compiled.config.config.Env?.[0]).toBe('PATH=/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(compiled.config.config.User).toBe('mambauser');
    // Python and pip are installed by the image's user, mambauser, who owns /opt/conda: no USER switch.
    expect(execNamed(compiled.definition, 'micromamba install -c conda-forge python=3.10 pip').user).toBe('mambauser');
    expect(image.toDockerfile().split('\n').slice(1, 4)).toEqual([
      `FROM ${MICROMAMBA_IMAGE}`,
      'RUN --mount=type=cache,id=kiln-conda-pkgs:uid=57439,target=/opt/conda/pkgs,sharing=locked,uid=57439,gid=57439 micromamba install -y -n base -c conda-forge python=3.10 pip',
      'ENV PATH="/opt/conda/bin${PATH:+:$PATH}"',
    ]);
  });

  it('micromamba: the Python and conda installers run as mambauser, owner of /opt/conda, with caches it can write; apt runs as root', () => {
    const image = Image.micromamba()
      .aptInstall('git')
      .micromambaInstall('numpy')
      .pipInstall('requests')
      .uvPipInstall('httpx')
      .pipInstallFromRequirements('requirements.txt')
      .pipInstallFromPyproject('pyproject.toml')
      .addPythonPackages('mypkg')
      .runCommands('pip install rich');
    const config = { architecture: 'amd64', os: 'linux', config: { User: 'mambauser', Env: ['MAMBA_ROOT_PREFIX=/opt/conda'] } };
    const def = compileImage(image, { baseConfigs: new Map([[`docker.io/${MICROMAMBA_IMAGE}`, config]]) }).definition;
    expect(execs(def).map((e) => [e.name?.split(' ').slice(0, 3).join(' '), e.user])).toEqual([
      ['micromamba install -c', 'mambauser'],
      ['apt-get install git', 'root'],
      ['micromamba install numpy', 'mambauser'],
      ['pip install requests', 'mambauser'],
      ['uv pip install', 'mambauser'],
      ['pip install -r', 'mambauser'],
      ['pip install fastapi', 'mambauser'],
      ['pip install mypkg', 'mambauser'],
      ['pip install rich', 'mambauser'],
    ]);
    // Each cache is mambauser's own (a cache root filled could not be written), made with its uid and gid, and the
    // tool is pointed at where it is mounted (root's home is closed to mambauser).
    const caches = (name: string): unknown[] => execNamed(def, name).exec.mounts.filter((m) => m.cacheOpt !== undefined).map((m) => [m.dest, m.cacheOpt?.id]);
    expect(caches('micromamba install numpy')).toEqual([['/opt/conda/pkgs', '/kiln-conda-pkgs:uid=57439']]);
    expect(caches('pip install requests')).toEqual([['/tmp/kiln-cache/pip', '/kiln-pip:uid=57439']]);
    expect(caches('uv pip install httpx')).toEqual([['/tmp/kiln-cache/uv', '/kiln-uv:uid=57439']]);
    expect(caches('apt-get install git').map((c) => (c as string[])[1])).toEqual([`/kiln-apt-cache:docker.io/${MICROMAMBA_IMAGE}`, `/kiln-apt-lists:docker.io/${MICROMAMBA_IMAGE}`]);
    expect(scriptOf(image, 'pip install requests')).toMatch(/^PIP_CACHE_DIR=\/tmp\/kiln-cache\/pip .* python3 -m pip install requests$/);
    expect(scriptOf(image, 'uv pip install httpx')).toMatch(/^UV_CACHE_DIR=\/tmp\/kiln-cache\/uv /);
    // Each of those caches starts from the same /cache directory made with mambauser's uid and gid (one op: the
    // LLB op is the same whatever the mount's name).
    const cacheMounts = ['micromamba install numpy', 'pip install requests', 'uv pip install httpx'].map((n) => execNamed(def, n).exec.mounts.find((m) => m.cacheOpt !== undefined));
    expect(cacheMounts.map((m) => [m?.input !== undefined && m.input >= 0, m?.selector])).toEqual(Array(3).fill([true, '/cache']));
    const owners = fileActions(def).filter((f) => f.name?.startsWith('cache mount ') === true);
    expect(owners).toHaveLength(1);
    expect(owners[0]?.actions[0]?.action).toMatchObject({ type: 'mkdir', mkdir: { path: '/cache', mode: 0o755, owner: { user: { byId: 57439 }, group: { byId: 57439 } } } });
    // mambauser cannot write into the mounted package directory: pip builds a copy.
    const local = execNamed(def, 'pip install mypkg');
    expect(local.args[2]).toBe(
      'rm -rf /tmp/kiln-packages && cp -R /tmp/kiln-packages-src /tmp/kiln-packages && ' +
        'PIP_CACHE_DIR=/tmp/kiln-cache/pip PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install /tmp/kiln-packages/0/mypkg && rm -rf /tmp/kiln-packages',
    );
    expect(local.exec.mounts.map((m) => m.dest)).toContain('/tmp/kiln-packages-src/0');
    // Poetry's cache too.
    writeFileSync(join(dir, 'poetry-pyproject.toml'), '[tool.poetry]\nname = "p"\n');
    const poetry = execs(Image.micromamba().poetryInstallFromFile('poetry-pyproject.toml', { ignoreLockfile: true }).definition())[1]!;
    expect([poetry.user, poetry.env.find((e) => e.startsWith('POETRY_CACHE_DIR='))]).toEqual(['mambauser', 'POETRY_CACHE_DIR=/tmp/kiln-cache/pypoetry']);

    // After .user('root') they still run as mambauser: the environment stays its owner's. The Dockerfile switches.
    const asRoot = Image.micromamba().user('root').pipInstall('requests').aptInstall('git');
    expect(execs(asRoot.definition()).map((e) => e.user)).toEqual(['mambauser', 'mambauser', 'root']);
    expect(asRoot.toDockerfile().split('\n').filter((l) => l.startsWith('USER'))).toEqual(['USER root', 'USER mambauser', 'USER root']);
    // The Dockerfile: no USER around mambauser's installers, root and back around apt's.
    expect(image.toDockerfile().split('\n').filter((l) => /^(USER|RUN)/.test(l)).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'RUN --mount=type=cache,id=kiln-conda-pkgs:uid=57439,target=/opt/conda/pkgs,sharing=locked,uid=57439,gid=57439',
      'USER root',
      `RUN --mount=type=cache,id=kiln-apt-cache:docker.io/${MICROMAMBA_IMAGE},target=/var/cache/apt,sharing=locked`,
      'USER mambauser',
      'RUN --mount=type=cache,id=kiln-conda-pkgs:uid=57439,target=/opt/conda/pkgs,sharing=locked,uid=57439,gid=57439',
      'RUN --mount=type=cache,id=kiln-pip:uid=57439,target=/tmp/kiln-cache/pip,sharing=shared,uid=57439,gid=57439',
      'RUN --mount=type=cache,id=kiln-uv:uid=57439,target=/tmp/kiln-cache/uv,sharing=shared,uid=57439,gid=57439',
      'RUN --mount=type=cache,id=kiln-pip:uid=57439,target=/tmp/kiln-cache/pip,sharing=shared,uid=57439,gid=57439',
      'RUN --mount=type=cache,id=kiln-pip:uid=57439,target=/tmp/kiln-cache/pip,sharing=shared,uid=57439,gid=57439',
      'RUN --mount=type=cache,id=kiln-pip:uid=57439,target=/tmp/kiln-cache/pip,sharing=shared,uid=57439,gid=57439',
      'RUN pip',
    ]);
    // The same image from fromRegistry (any mambaorg/micromamba tag) is the same: its environment is mambauser's.
    const same = execs(compileImage(Image.fromRegistry('mambaorg/micromamba:2.0.5').pipInstall('requests'), { baseConfigs: new Map([['docker.io/mambaorg/micromamba:2.0.5', config]]) }).definition)[0]!;
    expect([same.user, same.exec.mounts.find((m) => m.cacheOpt !== undefined)?.cacheOpt?.id]).toEqual(['mambauser', '/kiln-pip:uid=57439']);
    // Other bases are unchanged: pip runs as root with root's cache.
    const other = execs(compileImage(Image.fromRegistry('python:3.11-slim').user('app').pipInstall('requests'), { baseConfigs: new Map([['docker.io/library/python:3.11-slim', config]]) }).definition)[0]!;
    expect([other.user, other.exec.mounts.find((m) => m.cacheOpt !== undefined)?.cacheOpt?.id]).toEqual(['root', '/kiln-pip']);
  });

  it('micromamba({ image }) starts from another image (a mirror) with the same user', () => {
    const mirror = 'mirror.example.com:5000/mambaorg/micromamba:1.5.10-bookworm-slim';
    const image = Image.micromamba({ image: mirror, pythonVersion: '3.12' }).pipInstall('requests');
    expect(baseOf(image)).toBe(`docker-image://${mirror}`);
    expect(execs(image.definition()).map((e) => e.user)).toEqual(['mambauser', 'mambauser']);
    expect(image.toDockerfile().split('\n')[1]).toBe(`FROM ${mirror}`);
    expect(image.toDockerfile().split('\n').filter((l) => l.startsWith('USER'))).toEqual([]);
    expect(thrown(() => Image.micromamba({ image: '' })).message).toContain('micromamba options.image must not be empty');
    expect(thrown(() => Image.micromamba({ image: 'Bad Ref' })).message).toContain('Bad Ref');
  });

  it('Chutes constructor sets the identity and the default base', () => {
    const image = new Image({ username: 'mycompany', name: 'text-processor', tag: '1.0', readme: '# hi' });
    expect([image.username, image.name, image.tag, image.readme, image.reference]).toEqual(['mycompany', 'text-processor', '1.0', '# hi', 'mycompany/text-processor:1.0']);
    expect(baseOf(image)).toBe(`docker-image://docker.io/${CHUTES_DEFAULT_BASE}`);
    // Chutes' uid names the image (uuid5 of "username/name:tag", lower-cased), as Chutes' servers key it: the value
    // Python's uuid.uuid5(uuid.NAMESPACE_OID, 'mycompany/text-processor:1.0') gives, kept when the definition changes
    // (kiln's names are lower-case already).
    expect(image.uid).toBe('9cdf258d-e5a6-583e-8165-daa5abf6be4e');
    expect(image.fromBase('python:3.11-slim').runCommand('true').uid).toBe(image.uid);
    expect(new Image('mycompany', 'text-processor', '1.1').uid).not.toBe(image.uid);
    expect(Image.debianSlim().uid).toBeUndefined();
    expect(Image.debianSlim().username).toBeUndefined();
    // Chutes' positional form.
    const positional = new Image('mycompany', 'text-processor', '1.0', '# hi');
    expect([positional.reference, positional.readme, positional.digest()]).toEqual([image.reference, '# hi', image.digest()]);
    expect(thrown(() => new Image('mycompany', 'Bad Name', '1.0')).message).toContain('^[a-z0-9][a-z0-9-_.]*$');
  });

  it('Chutes names and tags follow ^[a-z0-9][a-z0-9-_.]*$', () => {
    for (const bad of [{ username: 'My', name: 'a', tag: '1' }, { username: 'a', name: '-x', tag: '1' }, { username: 'a', name: 'b', tag: 'v 1' }, { username: 'a', name: 'b', tag: '' }]) {
      const err = thrown(() => new Image(bad));
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toContain('^[a-z0-9][a-z0-9-_.]*$');
    }
    expect(() => new Image({ username: 'a_b-c1', name: '0name', tag: '1.0.0-rc_1' })).not.toThrow();
    // A "." in the username would make Docker read it as a registry host.
    expect(thrown(() => new Image('me.x', 'app', '1')).message).toContain('Docker would read it as a registry host (me.x/name:tag is pushed to me.x)');
    // Chutes' pattern allows names Docker refuses; the image is named username/name:tag, so they are refused here.
    expect(thrown(() => new Image('me', 'app-', '1')).message).toContain('name "app-" cannot be part of an image name');
    expect(thrown(() => new Image('me', 'a..b', '1')).message).toContain('e.g. "a.b"');
    expect(thrown(() => new Image('me_', 'app', '1')).message).toContain('username "me_" cannot be part of an image name');
    expect(thrown(() => new Image('me', 'app', 'x'.repeat(129))).message).toContain('is 129 characters; an image tag has at most 128');
    expect(new Image('my_org', 'my__app', `1.${'0'.repeat(126)}`).reference).toBe(`my_org/my__app:1.${'0'.repeat(126)}`);
    expect(thrown(() => new Image({ username: 'a', name: 'b', tag: '1', description: 'x' } as never)).message).toContain('no option "description"');
  });

  it('fromBase / fromDocker replace the base and keep the steps', () => {
    const image = new Image({ username: 'me', name: 'app', tag: '1' }).runCommand('echo hi').fromBase('python:3.11-slim');
    expect(baseOf(image)).toBe('docker-image://docker.io/library/python:3.11-slim');
    expect(execs(image.definition()).map((e) => e.name)).toEqual(['echo hi']);
    expect(baseOf(images.debian().fromDocker('busybox'))).toBe('docker-image://docker.io/library/busybox:latest');
  });

  it('scratch has no base image', () => {
    expect(Image.scratch().definition().isEmpty).toBe(true);
  });

  it('Kubetorch images map to their registry images', () => {
    expect(baseOf(images.debian())).toBe('docker-image://ghcr.io/run-house/server:v3');
    expect(baseOf(images.ubuntu())).toBe('docker-image://ghcr.io/run-house/ubuntu:v1');
    expect(baseOf(images.python('3.12'))).toBe('docker-image://docker.io/library/python:3.12-slim');
    expect(baseOf(images.python310())).toBe('docker-image://docker.io/library/python:3.10-slim');
    expect(baseOf(images.python311())).toBe('docker-image://docker.io/library/python:3.11-slim');
    expect(baseOf(images.pytorch())).toBe('docker-image://nvcr.io/nvidia/pytorch:23.12-py3');
    expect(baseOf(images.ray('2.32.0-py311'))).toBe('docker-image://docker.io/rayproject/ray:2.32.0-py311');
    expect(thrown(() => images.python('three')).code).toBe('invalid_argument');
    // kt.images.Debian() / Ubuntu() / Ray() / Python3xx() / Pytorch2312() spellings.
    expect(images.Debian().digest()).toBe(images.debian().digest());
    expect(baseOf(images.Python310())).toBe('docker-image://docker.io/library/python:3.10-slim');
    expect(baseOf(images.Python311())).toBe('docker-image://docker.io/library/python:3.11-slim');
    expect(baseOf(images.Python312())).toBe('docker-image://docker.io/library/python:3.12-slim');
    expect(baseOf(images.Pytorch2312())).toBe('docker-image://nvcr.io/nvidia/pytorch:23.12-py3');
    expect(images.Ubuntu().digest()).toBe(images.ubuntu().digest());
    expect(images.Ray('2.32.0').digest()).toBe(images.ray('2.32.0').digest());
  });

  it("kt.Image(image_id, python_path, install_cmd): the base, and how pipInstall runs on it", () => {
    expect(baseOf(images.Image())).toBe('docker-image://ghcr.io/run-house/server:v3');
    expect(baseOf(images.Image().fromDocker('python:3.12-slim'))).toBe('docker-image://docker.io/library/python:3.12-slim');
    expect(baseOf(Image.kubetorch({ imageId: 'python:3.12-slim' }))).toBe('docker-image://docker.io/library/python:3.12-slim');
    const pip = (image: Image): string => execs(image.definition()).at(-1)?.args[2] ?? '';
    expect(pip(images.Image().pipInstall(['numpy']))).toMatch(/PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install numpy$/);
    expect(pip(images.Image({ installCmd: 'uv pip install --system' }).fromDocker('python:3.12-slim').pipInstall(['numpy']))).toMatch(/PIP_BREAK_SYSTEM_PACKAGES=1 uv pip install --system numpy$/);
    expect(pip(images.Image({ pythonPath: '/opt/conda/bin/python' }).pipInstall(['numpy'], { force: true }))).toMatch(/PIP_BREAK_SYSTEM_PACKAGES=1 \/opt\/conda\/bin\/python -m pip install numpy --force-reinstall$/);
    expect(thrown(() => images.Image({ name: 'x' } as never)).message).toContain('no option "name"');
    expect(thrown(() => images.Image({ pythonPath: 'python3' })).message).toContain('pythonPath must be an absolute path');
  });

  it('bad starting points fail at the call site', () => {
    expect(thrown(() => Image.fromRegistry('Not A Ref')).message).toContain('invalid image reference "Not A Ref": it contains spaces;');
    const rebased = thrown(() => new Image('user', 'app', '1').fromBase('Not A Ref'));
    expect(rebased.code).toBe('invalid_argument');
    expect(rebased.message).not.toMatch(/try "/);
    expect(thrown(() => Image.fromRegistry('MyOrg/App:1')).message).toBe('invalid image reference "MyOrg/App:1": repository name must be lowercase (try "myorg/app:1")');
    expect(thrown(() => Image.fromRegistry('busybox:latest ')).message).toBe('invalid image reference "busybox:latest ": it has spaces around it (Docker refuses it too); write "busybox:latest"');
    expect(thrown(() => Image.debianSlim({ pythonVersion: '3.7' })).message).toContain('not supported');
    expect(thrown(() => Image.debianSlim({ pythonVersion: '2.7' })).message).toContain('must look like "3.11"');
    expect(thrown(() => Image.cuda({ cuda: 'twelve' })).message).toContain('cuda must be a version');
    expect(thrown(() => Image.cuda({ cuda: '12.4.1', cudnn: 9, flavor: 'base' })).message).toContain('cudnn');
    expect(thrown(() => Image.fromDockerfile('missing/Dockerfile')).message).toContain('cannot read');
  });
});

describe('immutability', () => {
  it('every method returns a new image; the original and its branches are unaffected', () => {
    const base = Image.debianSlim().aptInstall('git');
    const digest = base.digest();
    const a = base.pipInstall('numpy');
    const b = base.pipInstall('pandas').env({ X: '1' });
    expect(base.digest()).toBe(digest);
    expect(a.digest()).not.toBe(b.digest());
    expect(a).not.toBe(base);
    expect(execs(a.definition()).map((e) => e.name)).toEqual(['apt-get install git', 'pip install numpy']);
    expect(execs(b.definition()).map((e) => e.name)).toEqual(['apt-get install git', 'pip install pandas']);
  });
});

describe('installers', () => {
  it('pipInstall passes requirements and flags, splits option strings, and uses the pip cache mount', () => {
    const image = Image.debianSlim().pipInstall('torch==2.3.0', ['numpy>=1.20,<3'], '--pre torch==2.0.0rc1', {
      indexUrl: 'https://download.pytorch.org/whl/cu121',
      extraIndexUrl: ['https://a.example/simple', 'https://b.example/simple'],
      findLinks: 'https://c.example/wheels',
      pre: true,
      extraOptions: '--no-deps',
    });
    // An item with its own options ('--pre torch==2.0.0rc1') makes each item its own step, as Kubetorch's RUN per item.
    const flags = '--index-url https://download.pytorch.org/whl/cu121 --extra-index-url https://a.example/simple --extra-index-url https://b.example/simple --find-links https://c.example/wheels --pre --no-deps';
    const prefix = 'PIP_CACHE_DIR=/root/.cache/pip PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install';
    expect(execs(image.definition()).map((x) => x.args[2])).toEqual([`${prefix} torch==2.3.0 ${flags}`, `${prefix} 'numpy>=1.20,<3' ${flags}`, `${prefix} --pre torch==2.0.0rc1 ${flags}`]);
    const e = execs(image.definition())[0]!;
    const cache = e.exec.mounts.find((m) => m.dest === '/root/.cache/pip');
    expect(cache?.cacheOpt?.id).toBe('/kiln-pip');
    expect(Image.debianSlim().pipInstall()).toBeInstanceOf(Image);
    expect(Image.debianSlim().pipInstall().digest()).toBe(Image.debianSlim().digest());
  });

  it('an empty package list is no step in every installer (Modal: pip_install() returns the image), and its options are checked all the same', () => {
    const base = Image.debianSlim();
    const kubetorch = Image.kubetorch({ imageId: 'python:3.12-slim' });
    const chutes = new Image({ username: 'me', name: 'app', tag: '1' });
    const noOps: Array<[string, Image, Image]> = [
      ['pipInstall([])', base, base.pipInstall([])],
      ['pipInstall()', base, base.pipInstall()],
      ['uvPipInstall([])', base, base.uvPipInstall([])],
      ['aptInstall([])', base, base.aptInstall([])],
      ['aptRemove()', base, base.aptRemove()],
      ['micromambaInstall([])', Image.micromamba(), Image.micromamba().micromambaInstall([])],
      ['addPythonPackages([])', base, base.addPythonPackages([])],
      ['runCommands([])', base, base.runCommands([])],
      ['Kubetorch pip_install([])', kubetorch, kubetorch.pipInstall([])],
      ['Chutes apt_install([])', chutes, chutes.aptInstall([])],
    ];
    for (const [what, before, after] of noOps) expect(after.digest(), what).toBe(before.digest());
    // The same wrong option value is refused by every one of them, list empty or not.
    const wrong = { secrets: 5 } as unknown as { secrets: string[] };
    const calls: Array<[string, () => Image]> = [
      ['pipInstall', () => base.pipInstall([], wrong)],
      ['uvPipInstall', () => base.uvPipInstall([], wrong)],
      ['aptInstall', () => base.aptInstall([], wrong)],
      ['aptRemove', () => base.aptRemove([], wrong)],
      ['micromambaInstall', () => Image.micromamba().micromambaInstall([], wrong)],
      ['addPythonPackages', () => base.addPythonPackages([], wrong)],
      ['runCommands', () => base.runCommands([], wrong)],
    ];
    for (const [name, call] of calls) {
      const err = thrown(call);
      expect(err.code, name).toBe('invalid_argument');
      expect(err.message, name).toBe(`${name} options.secrets must be an array of secret ids or { id, env, path } objects, got 5`);
    }
    expect(thrown(() => base.uvPipInstall([], { uvImage: 'not a ref' })).code).toBe('invalid_argument');
    expect(thrown(() => Image.micromamba().micromambaInstall([], { channels: 5 as unknown as string[] })).code).toBe('invalid_argument');
    // An empty item is an error naming the method and the item, in each.
    for (const [name, call] of [
      ['pipInstall', () => base.pipInstall('')],
      ['uvPipInstall', () => base.uvPipInstall([''])],
      ['aptInstall', () => base.aptInstall('git', '')],
      ['micromambaInstall', () => Image.micromamba().micromambaInstall(' ')],
    ] as Array<[string, () => Image]>) {
      expect(thrown(call).message, name).toMatch(new RegExp(`^${name}\\[\\d+\\](\\[\\d+\\])? must not be empty; remove the empty entry`));
    }
  });

  it('pipInstall and uvPipInstall sort the requirements as Modal does: the same packages in another order are the same step', () => {
    const pip = (image: Image): string => execs(image.definition())[0]?.args[2] ?? '';
    expect(pip(Image.debianSlim().pipInstall('pandas', 'numpy==1.26.4', 'Flask'))).toMatch(/ python3 -m pip install Flask numpy==1\.26\.4 pandas$/);
    expect(Image.debianSlim().pipInstall('pandas', 'numpy').digest()).toBe(Image.debianSlim().pipInstall(['numpy', 'pandas']).digest());
    expect(Image.debianSlim().uvPipInstall('pandas', 'numpy').digest()).toBe(Image.debianSlim().uvPipInstall('numpy', 'pandas').digest());
    expect(pip(Image.debianSlim().uvPipInstall('pandas', 'numpy'))).toMatch(/ --python python3 numpy pandas$/);
    // The Dockerfile says the same.
    expect(Image.debianSlim().pipInstall('pandas', 'numpy').toDockerfile()).toMatch(/python3 -m pip install numpy pandas\n/);
    // With pip options among them the order is what it was: it matters to the options.
    expect(pip(Image.debianSlim().pipInstall('torch', '--index-url https://x.example/simple', 'numpy'))).toMatch(/ pip install torch --index-url https:\/\/x\.example\/simple numpy$/);
  });

  it("Kubetorch's pip_install items with options are each their own step, as its RUN per item: an item's options apply to it alone", () => {
    const image = images.debian().pipInstall(['numpy>=1.20', 'pandas', '--pre torchmonarch==0.1.0rc7', '--index-url https://test.pypi.org/simple/ mypackage']);
    const installs = execs(image.definition()).map((x) => (x.args[2] ?? '').replace(/^.* pip install /, ''));
    // One command would have installed numpy and pandas from test.pypi.org, pre-releases allowed.
    expect(installs).toEqual(["'numpy>=1.20'", 'pandas', '--pre torchmonarch==0.1.0rc7', '--index-url https://test.pypi.org/simple/ mypackage']);
    expect(image.toDockerfile().match(/ pip install .*$/gm)).toEqual([" pip install 'numpy>=1.20'", ' pip install pandas', ' pip install --pre torchmonarch==0.1.0rc7', ' pip install --index-url https://test.pypi.org/simple/ mypackage']);
    // Options given as words of their own (Modal's pip_install('--extra-index-url', URL, 'pkg')) stay one command.
    expect(execs(Image.debianSlim().pipInstall('--extra-index-url', 'https://x.example/simple', 'pkg').definition()).map((x) => x.args[2]?.replace(/^.* pip install /, ''))).toEqual(['--extra-index-url https://x.example/simple pkg']);
  });

  it("pipInstall splits a string of several requirements as Kubetorch's shell does, and keeps one requirement written with spaces whole", () => {
    const pip = (image: Image): string => execs(image.definition())[0]?.args[2] ?? '';
    // Kubetorch runs `RUN $KT_PIP_INSTALL_CMD numpy pandas`: two packages.
    expect(pip(images.debian().pipInstall(['numpy pandas']))).toMatch(/ pip install numpy pandas$/);
    expect(images.debian().pipInstall(['pandas  numpy']).digest()).toBe(images.debian().pipInstall(['numpy', 'pandas']).digest());
    expect(pip(images.debian().pipInstall(['torch==2.3.0 --pre']))).toMatch(/ pip install torch==2\.3\.0 --pre$/);
    // pip reads each of these as one requirement.
    expect(pip(Image.debianSlim().pipInstall('numpy >= 1.20'))).toMatch(/ pip install 'numpy >= 1\.20'$/);
    expect(pip(Image.debianSlim().pipInstall('numpy>= 1.20, <3'))).toMatch(/ pip install 'numpy>= 1\.20, <3'$/);
    expect(pip(Image.debianSlim().pipInstall('pkg @ https://x.example/pkg.whl'))).toMatch(/ pip install 'pkg @ https:\/\/x\.example\/pkg\.whl'$/);
    expect(pip(Image.debianSlim().pipInstall('requests[socks, security]'))).toMatch(/ pip install 'requests\[socks, security\]'$/);
    expect(pip(Image.debianSlim().pipInstall('pywin32 >=1.0; platform_system == "Windows"'))).toMatch(/ pip install 'pywin32 >=1\.0; platform_system == "Windows"'$/);
  });

  it('pipInstall force reinstalls and re-runs the step; forceBuild cascades', () => {
    const forced = Image.debianSlim().pipInstall('numpy', { force: true }).runCommands('echo after');
    const [pip, after] = execs(forced.definition());
    expect(pip?.args[2]).toContain('--force-reinstall');
    expect(pip?.ignoreCache).toBe(true);
    expect(after?.ignoreCache).toBe(false);
    const cascade = Image.debianSlim().aptInstall('git').pipInstall('numpy', { forceBuild: true }).runCommands('echo after');
    expect(execs(cascade.definition()).map((x) => x.ignoreCache)).toEqual([false, true, true]);
  });

  it('uvPipInstall mounts uv from its image for the step only', () => {
    const image = Image.debianSlim().uvPipInstall('torch==2.3.0', { pre: true, force: true });
    const e = execs(image.definition())[0]!;
    expect(e.args[2]).toContain('/tmp/kiln-uv/uv pip install --system --python python3 torch==2.3.0 --prerelease=allow --reinstall');
    expect(e.exec.mounts.find((m) => m.dest === '/tmp/kiln-uv')?.readonly).toBe(true);
    expect(sources(image.definition()).map((s) => s.identifier)).toContain('docker-image://ghcr.io/astral-sh/uv:0.5.11');
    expect(compileImage(image).baseImages).toEqual(['docker.io/library/python:3.11-slim-bookworm']);
  });

  it('pipInstallFromRequirements mounts the file read-only and installs with -r', () => {
    const image = Image.debianSlim().pipInstallFromRequirements('requirements.txt');
    const c = compileImage(image);
    expect(execs(c.definition)[0]?.args[2]).toContain('python3 -m pip install -r /tmp/kiln-requirements/requirements.txt');
    expect(c.locals).toEqual([{ name: expect.stringMatching(/^\.@[0-9a-f]{12}$/) as unknown, path: dir, include: ['requirements.txt'], exclude: [] }]);
  });

  it('pipInstallFromRequirements mounts the files the requirements file names with -r and -c, where pip looks for them', () => {
    mkdirSync(join(dir, 'reqs', 'extra'), { recursive: true });
    writeFileSync(join(dir, 'reqs', 'gpu.txt'), '-r ../requirements.txt  # the CPU set\n--constraint=constraints.txt\n-rextra/more.txt\ntorch==2.1.0 \\\n  --hash=sha256:00\n# -r commented.txt\n-r https://example.com/remote.txt\n');
    writeFileSync(join(dir, 'reqs', 'constraints.txt'), 'numpy<2\n');
    writeFileSync(join(dir, 'reqs', 'extra', 'more.txt'), '-c ../constraints.txt\n--requirement missing.txt\n');
    const c = compileImage(Image.debianSlim().pipInstallFromRequirements('reqs/gpu.txt'));
    expect(execs(c.definition)[0]?.args[2]).toContain('python3 -m pip install -r /tmp/kiln-requirements/reqs/gpu.txt');
    expect(c.locals).toEqual([
      {
        name: expect.stringMatching(/^\.@[0-9a-f]{12}$/) as unknown,
        path: dir,
        include: ['reqs/gpu.txt', 'requirements.txt', 'reqs/constraints.txt', 'reqs/extra/more.txt', 'reqs/extra/missing.txt'],
        exclude: [],
      },
    ]);
    // A file that names none is mounted alone from its own directory, as before.
    const alone = compileImage(Image.debianSlim().pipInstallFromRequirements('reqs/constraints.txt'));
    expect(alone.locals).toEqual([{ name: expect.stringMatching(/^reqs@[0-9a-f]{12}$/) as unknown, path: join(dir, 'reqs'), include: ['constraints.txt'], exclude: [] }]);
    expect(execs(alone.definition)[0]?.args[2]).toContain('-r /tmp/kiln-requirements/constraints.txt');
  });

  it('a requirements file given by its absolute path mounts the files it names by relative paths too (pip reads them against its directory)', () => {
    mkdirSync(join(dir, 'abs-reqs', 'base'), { recursive: true });
    writeFileSync(join(dir, 'abs-reqs', 'gpu.txt'), '-r base/common.txt\ntorch\n');
    writeFileSync(join(dir, 'abs-reqs', 'base', 'common.txt'), 'numpy\n');
    const c = compileImage(Image.debianSlim().pipInstallFromRequirements(join(dir, 'abs-reqs', 'gpu.txt')));
    expect(c.locals).toEqual([{ name: expect.stringMatching(/^abs-reqs@[0-9a-f]{12}$/) as unknown, path: join(dir, 'abs-reqs'), include: ['gpu.txt', 'base/common.txt'], exclude: [] }]);
    expect(execs(c.definition)[0]?.args[2]).toContain('-r /tmp/kiln-requirements/gpu.txt');
  });

  it('a file a requirements file names outside the build context is refused naming the file and line that name it (build and toDockerfile)', () => {
    mkdirSync(join(dir, 'outside-reqs'), { recursive: true });
    writeFileSync(join(dir, 'outside-reqs', 'gpu.txt'), '# the GPU set\n-r base.txt\ntorch\n');
    writeFileSync(join(dir, 'outside-reqs', 'base.txt'), 'six\n-c ../../pins.txt\n');
    const image = Image.debianSlim().pipInstallFromRequirements('outside-reqs/gpu.txt');
    const chain = `outside-reqs/base.txt line 2: -c ../../pins.txt is outside the build context ${dir} (outside-reqs/base.txt is named by outside-reqs/gpu.txt line 2: -r base.txt)`;
    const built = thrown(() => compileImage(image, { context: dir }));
    expect(built.code).toBe('invalid_argument');
    expect(built.message).toBe(`pip install -r outside-reqs/gpu.txt: ${chain}`);
    const written = thrown(() => image.toDockerfile({ context: dir }));
    expect(written.code).toBe('invalid_argument');
    expect(written.message).toBe(`toDockerfile: ${chain}; a Dockerfile can only copy from its context`);
    // A file that names one inside the context is unaffected.
    writeFileSync(join(dir, 'outside-reqs', 'base.txt'), 'six\n-c ../pins.txt\n');
    expect(compileImage(Image.debianSlim().pipInstallFromRequirements('outside-reqs/gpu.txt'), { context: dir }).locals[0]?.include).toEqual(['outside-reqs/gpu.txt', 'outside-reqs/base.txt', 'pins.txt']);
  });

  it("image.digest() follows a requirements file's -r/-c lines, not its packages (as the README says)", () => {
    mkdirSync(join(dir, 'digest-reqs'), { recursive: true });
    const file = join(dir, 'digest-reqs', 'requirements.txt');
    const digest = (): string => Image.debianSlim().pipInstallFromRequirements('digest-reqs/requirements.txt').digest();
    writeFileSync(file, 'six\n');
    const plain = digest();
    writeFileSync(file, 'six==1.16.0\n# pinned\n');
    expect(digest()).toBe(plain);
    writeFileSync(file, '-c pins.txt\nsix\n');
    expect(digest()).not.toBe(plain);
  });

  it('pipInstallFromPyproject installs the declared and the optional dependencies', () => {
    const image = Image.debianSlim().pipInstallFromPyproject('pyproject.toml', { optionalDependencies: ['dev'] });
    // Sorted, as Modal's pip_install_from_pyproject writes them.
    expect(execs(image.definition())[0]?.name).toBe('pip install fastapi pytest uvicorn');
    expect(thrown(() => Image.debianSlim().pipInstallFromPyproject('pyproject.toml', { optionalDependencies: ['gpu'] })).message).toContain('has no group "gpu"; it has "dev"');
    expect(thrown(() => Image.debianSlim().pipInstallFromPyproject('nope.toml')).message).toContain('cannot read');
  });

  it('poetryInstallFromFile exports with Poetry in a throw-away venv and installs with pip', () => {
    const script = execs(Image.debianSlim().poetryInstallFromFile('pyproject.toml', { withGroups: ['dev'] }).definition())[0]?.args[2] ?? '';
    expect(script).toContain('/tmp/kiln-poetry-venv/bin/poetry lock --no-interaction');
    expect(script).toContain("poetry export --without-hashes --format requirements.txt --output /tmp/kiln-poetry/requirements.txt --with dev");
    expect(script).toContain('rm -rf /tmp/kiln-poetry /tmp/kiln-poetry-venv');
    expect(thrown(() => Image.debianSlim().poetryInstallFromFile('pyproject.toml', { lockFile: 'poetry.lock', ignoreLockfile: true })).message).toContain('conflict');
    expect(thrown(() => Image.debianSlim().poetryInstallFromFile('pyproject.toml', { lockFile: 'other/poetry.lock' })).message).toContain('same directory');
    // Modal's positional lock file is the lockFile option.
    writeFileSync(join(dir, 'prod.lock'), '');
    try {
      expect(Image.debianSlim().poetryInstallFromFile('pyproject.toml', 'prod.lock', { withGroups: ['dev'] }).digest()).toBe(
        Image.debianSlim().poetryInstallFromFile('pyproject.toml', { lockFile: 'prod.lock', withGroups: ['dev'] }).digest(),
      );
    } finally {
      rmSync(join(dir, 'prod.lock'));
    }
    const twice = thrown(() => Image.debianSlim().poetryInstallFromFile('pyproject.toml', 'a.lock', { lockFile: 'b.lock' } as never));
    expect(twice.code).toBe('invalid_argument');
    expect(twice.message).toContain('lock file twice');
    // Poetry comes from the index the dependencies come from; a lock under another name is used as poetry.lock.
    const mirrored = execs(
      Image.debianSlim().poetryInstallFromFile('pyproject.toml', { lockFile: 'prod.lock', indexUrl: 'http://pypi.internal/simple', extraOptions: ['--trusted-host', 'pypi.internal', '--no-deps'] }).definition(),
    )[0]?.args[2] ?? '';
    expect(mirrored).toContain('cp /tmp/kiln-poetry/prod.lock /tmp/kiln-poetry/poetry.lock');
    expect(mirrored).toContain("-m pip install poetry==1.8.5 poetry-plugin-export --index-url http://pypi.internal/simple --trusted-host pypi.internal &&");
    expect(mirrored).toContain('install -r /tmp/kiln-poetry/requirements.txt --index-url http://pypi.internal/simple --trusted-host pypi.internal --no-deps');
    expect(mirrored).not.toContain('poetry lock');
  });

  it('pipInstallPrivateRepos builds git URLs that read the token from the secret', () => {
    const image = Image.debianSlim().pipInstallPrivateRepos('github.com/org/repo@main', 'gitlab.com/org/other', { gitUser: 'bot', secrets: ['GITHUB_TOKEN', 'GITLAB_TOKEN'] });
    const script = execs(image.definition())[0]?.args[2] ?? '';
    expect(script).toContain('"git+https://bot:${GITHUB_TOKEN}@github.com/org/repo.git@main" "git+https://bot:${GITLAB_TOKEN}@gitlab.com/org/other.git"');
    expect(thrown(() => Image.debianSlim().pipInstallPrivateRepos('github.com/org/repo', { gitUser: 'bot' })).message).toContain('needs secrets');
    expect(thrown(() => Image.debianSlim().pipInstallPrivateRepos('bitbucket.org/x/y', { gitUser: 'bot', secrets: ['GITHUB_TOKEN'] })).message).toContain('github.com/org/repo@ref');
  });

  it('addPythonPackages installs local wheels and package directories from writable mounts', () => {
    const image = Image.debianSlim().addPythonPackages('mypkg', 'single.py');
    const e = execs(image.definition())[0]!;
    expect(e.args[2]).toContain('python3 -m pip install /tmp/kiln-packages/0/mypkg /tmp/kiln-packages/1/single.py');
    const pkg = e.exec.mounts.find((m) => m.dest === '/tmp/kiln-packages/0');
    expect(pkg?.readonly).toBe(false);
    expect(pkg?.output).toBe(-1);
  });

  it('aptInstall and aptRemove run as root with apt caches mounted per base image', () => {
    const image = Image.debianSlim().user('app').aptInstall(['git', 'curl']).aptRemove('curl');
    const [install, remove] = execs(image.definition());
    expect(install?.user).toBe('root');
    expect(install?.args[2]).toMatch(/apt-get .* update -qq && .*apt-get .* install -y --no-install-recommends git curl$/);
    const ids = install?.exec.mounts.filter((m) => m.cacheOpt !== undefined).map((m) => [m.dest, m.cacheOpt?.id, m.cacheOpt?.sharing]);
    expect(ids).toEqual([
      ['/var/cache/apt', '/kiln-apt-cache:docker.io/library/python:3.11-slim-bookworm', 2],
      ['/var/lib/apt/lists', '/kiln-apt-lists:docker.io/library/python:3.11-slim-bookworm', 2],
    ]);
    expect(remove?.args[2]).toBe('DEBIAN_FRONTEND=noninteractive apt-get remove -y --purge curl && DEBIAN_FRONTEND=noninteractive apt-get autoremove -y --purge');
    expect(thrown(() => Image.debianSlim().aptInstall('git curl')).message).toContain('not one package name');
  });

  it('micromambaInstall passes channels in order and caches conda packages', () => {
    const e = execs(Image.micromamba().micromambaInstall('pytorch', 'cudatoolkit=11.8', { channels: ['pytorch', 'conda-forge'] }).definition())[1]!;
    expect(e.args[2]).toBe('micromamba install -y -n base -c pytorch -c conda-forge pytorch cudatoolkit=11.8');
    expect(e.exec.mounts.find((m) => m.dest === '/opt/conda/pkgs')?.cacheOpt?.sharing).toBe(2);
  });

  it('withPython installs from packages or a standalone build, and validates the version', () => {
    const script = scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.12'), 'install python 3.12');
    expect(script).toContain('FULL=3.12.7');
    expect(script).toContain('apt-cache policy python3 | grep -q "Candidate: $V\\."');
    // The archive uv installs (3.12.7's build has its debug symbols stripped), checked against its SHA-256 by machine
    // (python-build-standalone's, as uv lists them) before anything is unpacked.
    expect(script).toContain('cpython-$FULL+20241016-$A-unknown-linux-gnu-install_only_stripped.tar.gz');
    expect(script).toContain('x86_64|amd64) A=x86_64; SUM=3a4d53a7ba3916c0c1f35cbbe57068e2571b138389f29cf5c35367fec8f4c617 ;; aarch64|arm64) A=aarch64; SUM=c8f5ed70ee3c19da72d117f7b306adc6ca1eaf26afcbe1cc1be57d1e18df184c ;;');
    expect(script).toContain('$FETCH "$URL" > "$T"\n  GOT="$(sha256sum "$T" | cut -d " " -f 1)"\n  if [ "$GOT" != "$SUM" ]; then rm -f "$T"; echo "kiln: the download of Python $FULL from $URL has SHA-256 $GOT, not $SUM (python-build-standalone\'s archive, as uv lists it)');
    expect(script).toContain('  mkdir -p "/opt/python/$FULL"\n  tar -xzf "$T" -C "/opt/python/$FULL" --strip-components=1\n  rm -f "$T"');
    // A patch version is honoured exactly: the image's or the distribution's Python only when it is that release,
    // else that release's own standalone build (from the release that carries it).
    const exact = scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.11.5'), 'install python 3.11.5');
    expect(exact).toContain('WANT=3.11.5\n');
    expect(exact).toContain('if command -v "python$V" >/dev/null 2>&1 && is_want "python$V"; then');
    expect(exact).toContain('apt-cache policy "python$V" | grep -Eq "Candidate: ([0-9]+:)?$WANT([^0-9.]|$)"');
    expect(exact).toContain('FULL=3.11.5\n');
    expect(exact).toContain('/20230826/cpython-$FULL+20230826-$A-unknown-linux-gnu-install_only.tar.gz');
    expect(exact).toContain('A=x86_64; SUM=fbed6f7694b2faae5d7c401a856219c945397f772eea5ca50c6eb825cbc9d1e1 ;;');
    // Minor only: any 3.11 the image or distribution has, else the default build.
    expect(scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.11'), 'install python 3.11')).not.toContain('is_want');
    // 3.8's last build is in an earlier release than the other defaults.
    expect(scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.8'), 'install python 3.8')).toContain('/20241002/cpython-$FULL+20241002-');
    // No standalone build of that patch: the step fails (unless the image or distribution has it), naming those that exist.
    const none = scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.11.2'), 'install python 3.11.2');
    expect(none).toContain("echo 'kiln: Python 3.11.2 is not in the image or its distribution, and python-build-standalone has no build of it; builds exist for 3.11.1, 3.11.3,");
    expect(none).not.toContain('URL=');
    expect(thrown(() => Image.debianSlim().withPython('3.x')).message).toContain('must look like "3.11"');
    // Chutes' with_python() default.
    expect(scriptOf(Image.fromRegistry('ubuntu:22.04').withPython(), 'install python 3.10.15')).toContain('WANT=3.10.15\n');
    expect(scriptOf(Image.fromRegistry('ubuntu:22.04').withPython(), 'install python 3.10.15')).toContain('/20241016/cpython-$FULL+20241016-');
  });

  it('withPython downloads standalone builds from GitHub, or from the mirror given', () => {
    const github = scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.12'), 'install python 3.12');
    expect(github).toContain('URL="https://github.com/astral-sh/python-build-standalone/releases/download/20241016/cpython-$FULL+20241016-$A-unknown-linux-gnu-install_only_stripped.tar.gz"');
    const mirrored = scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.12', { standaloneMirror: 'https://mirror.internal/pbs/' }), 'install python 3.12');
    expect(mirrored).toContain('URL="https://mirror.internal/pbs/20241016/cpython-$FULL+20241016-$A-unknown-linux-gnu-install_only_stripped.tar.gz"');
    // A mirror of the releases serves the same archives: the same checksums.
    expect(mirrored).toContain('A=x86_64; SUM=3a4d53a7ba3916c0c1f35cbbe57068e2571b138389f29cf5c35367fec8f4c617 ;;');
    for (const image of [
      Image.cuda({ cuda: '12.4.1', python: '3.12', standaloneMirror: 'https://mirror.internal/pbs' }),
      Image.fromRegistry('ubuntu:22.04', { addPython: '3.12', standaloneMirror: 'https://mirror.internal/pbs' }),
    ]) {
      expect(scriptOf(image, 'install python 3.12')).toContain('URL="https://mirror.internal/pbs/20241016/');
    }
    expect(thrown(() => Image.fromRegistry('ubuntu:22.04', { standaloneMirror: 'https://mirror.internal/pbs' })).message).toContain('applies to addPython');
    // KILN_PYTHON_INSTALL_MIRROR, read where the image is defined, is the mirror when no option names one.
    process.env['KILN_PYTHON_INSTALL_MIRROR'] = 'https://env-mirror.internal/pbs/';
    try {
      expect(scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.12'), 'install python 3.12')).toContain('URL="https://env-mirror.internal/pbs/20241016/');
      expect(scriptOf(Image.fromRegistry('ubuntu:22.04').withPython('3.12', { standaloneMirror: 'https://opt.internal' }), 'install python 3.12')).toContain('URL="https://opt.internal/20241016/');
      process.env['KILN_PYTHON_INSTALL_MIRROR'] = 'env-mirror.internal';
      expect(thrown(() => Image.debianSlim().withPython('3.12')).message).toBe('KILN_PYTHON_INSTALL_MIRROR must be an http:// or https:// URL, got "env-mirror.internal"');
    } finally {
      delete process.env['KILN_PYTHON_INSTALL_MIRROR'];
    }
    expect(thrown(() => Image.cuda({ cuda: '12.4.1', python: false, standaloneMirror: 'https://m.internal' })).message).toContain('drop it with python: false');
    // A mirror of builds of one's own: their checksums replace python-build-standalone's (a machine not named keeps its).
    const own = 'ab'.repeat(32);
    const ownScript = scriptOf(Image.debianSlim().withPython('3.12', { standaloneMirror: 'https://m.internal', standaloneSha256: { x86_64: own.toUpperCase() } }), 'install python 3.12');
    expect(ownScript).toContain(`A=x86_64; SUM=${own} ;; aarch64|arm64) A=aarch64; SUM=c8f5ed70ee3c19da72d117f7b306adc6ca1eaf26afcbe1cc1be57d1e18df184c ;;`);
    expect(ownScript).toContain('not $SUM (the checksum given for it)');
    process.env['KILN_PYTHON_INSTALL_SHA256'] = `aarch64=${own}`;
    try {
      expect(scriptOf(Image.cuda({ cuda: '12.4.1', python: '3.12' }), 'install python 3.12')).toContain(`A=x86_64; SUM=3a4d53a7ba3916c0c1f35cbbe57068e2571b138389f29cf5c35367fec8f4c617 ;; aarch64|arm64) A=aarch64; SUM=${own} ;;`);
      process.env['KILN_PYTHON_INSTALL_SHA256'] = `arm64=${own}`;
      expect(thrown(() => Image.debianSlim().withPython('3.12')).message).toBe('KILN_PYTHON_INSTALL_SHA256 has "arm64", which is not a machine python-build-standalone builds for (x86_64, aarch64)');
      process.env['KILN_PYTHON_INSTALL_SHA256'] = own;
      expect(thrown(() => Image.debianSlim().withPython('3.12')).message).toContain('KILN_PYTHON_INSTALL_SHA256 must be MACHINE=SHA256 pairs separated by commas');
    } finally {
      delete process.env['KILN_PYTHON_INSTALL_SHA256'];
    }
    expect(thrown(() => Image.debianSlim().withPython('3.12', { standaloneSha256: { x86_64: 'abc' } })).message).toBe(
      'withPython options.standaloneSha256.x86_64 must be a SHA-256 in hex (64 digits), got "abc"',
    );
    expect(thrown(() => Image.debianSlim().withPython('3.12', { standaloneSha256: {} })).message).toContain('withPython options.standaloneSha256 names no archive');
    expect(thrown(() => Image.debianSlim().withPython('3.12', { standaloneMirror: 'mirror.internal/pbs' })).message).toContain(
      'withPython options.standaloneMirror must be an http:// or https:// URL, got "mirror.internal/pbs"',
    );
  });
});

describe('commands', () => {
  it('runCommands makes one step per command with the image env, directory and user', () => {
    const image = Image.debianSlim().env({ A: '1' }).workdir('/srv').user('nobody').runCommands('echo one', 'echo two', { env: { B: '2' }, cwd: 'sub', user: 'root' });
    const [one, two] = execs(image.definition());
    expect([one?.name, two?.name]).toEqual(['echo one', 'echo two']);
    expect(one?.args).toEqual(['/bin/sh', '-c', 'echo one']);
    expect(one?.env).toEqual(['A=1', 'B=2']);
    expect(one?.cwd).toBe('/srv/sub');
    expect(one?.user).toBe('root');
  });

  it('runCommand / runBash are one step each; runBash force re-runs it', () => {
    const image = images.debian().runCommand('apt-get update &&\n  apt-get install -y vim').runBash('echo x', { force: true });
    const [a, b] = execs(image.definition());
    expect(a?.name).toBe('apt-get update && apt-get install -y vim');
    expect(a?.args[2]).toBe('apt-get update &&\n  apt-get install -y vim');
    expect(b?.ignoreCache).toBe(true);
  });

  it('secrets are mounted as files and exported into the command', () => {
    const image = Image.debianSlim().runCommands('echo $TOKEN', { secrets: ['TOKEN', { id: 'npmrc', path: '/root/.npmrc' }, { id: 'opt', env: 'OPT', optional: true }] });
    const c = compileImage(image);
    const e = execs(c.definition)[0]!;
    expect(e.args[2]).toBe(`export TOKEN="$(cat /run/secrets/TOKEN)" OPT="$(cat /run/secrets/opt 2>/dev/null || true)"; echo $TOKEN`);
    expect(e.exec.mounts.filter((m) => m.secretOpt !== undefined).map((m) => [m.dest, m.secretOpt?.id, m.secretOpt?.optional])).toEqual([
      ['/run/secrets/TOKEN', 'TOKEN', false],
      ['/root/.npmrc', 'npmrc', false],
      ['/run/secrets/opt', 'opt', true],
    ]);
    expect(c.secrets).toEqual(['TOKEN', 'npmrc', 'opt']);
  });

  it('ssh forwards agents to a step: the socket is mounted for the step and the first one is $SSH_AUTH_SOCK', () => {
    const image = Image.debianSlim()
      .runCommands('git clone git@github.com:org/private.git /src', { ssh: true })
      .pipInstall('git+ssh://git@gitlab.com/org/lib.git', { ssh: ['gitlab', { id: 'spare', target: '/run/spare.sock', optional: true }] });
    const c = compileImage(image);
    const [clone, pip] = execs(c.definition);
    const sockets = (e: typeof clone) => e!.exec.mounts.filter((m) => m.sshOpt !== undefined).map((m) => [m.dest, m.sshOpt?.id, m.sshOpt?.optional === true]);
    expect(sockets(clone)).toEqual([['/run/buildkit/ssh_agent.0', 'default', false]]);
    expect(clone?.env).toContain('SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0');
    expect(sockets(pip)).toEqual([
      ['/run/buildkit/ssh_agent.0', 'gitlab', false],
      ['/run/spare.sock', 'spare', true],
    ]);
    expect(c.sshIds).toEqual(['default', 'gitlab', 'spare']);
    expect(c.requiredSshIds).toEqual(['default', 'gitlab']);
    expect(thrown(() => Image.debianSlim().runCommands('x', { ssh: 'git hub' })).message).toContain('agent id "git hub" must be letters');
    expect(thrown(() => Image.debianSlim().runCommands('x', { ssh: [{ id: 'a', target: 'rel' }] })).message).toContain('absolute path');
    expect(thrown(() => Image.debianSlim().runCommands('x', { ssh: [{ target: '/s' }, { id: 'b', target: '/s' }] })).message).toContain('two ssh agents use the socket path "/s"');
    expect(thrown(() => Image.debianSlim().runCommands('x', { ssh: [{ key: '~/.ssh/id_rsa' }] as never })).message).toContain('no option "key"');
  });

  it('network none and host; host asks for the network.host entitlement', () => {
    const image = Image.debianSlim().runCommands('echo a', { network: 'none' }).runCommands('echo b', { network: 'host' });
    const c = compileImage(image);
    expect(execs(c.definition).map((e) => e.exec.network)).toEqual([2, 1]);
    expect(c.entitlements).toEqual(['network.host']);
  });

  it('hosts: extra /etc/hosts entries for that step only, in the exec op and as a comment in toDockerfile()', () => {
    const image = Image.debianSlim()
      .pipInstall('lib==1.0', { indexUrl: 'https://pypi.internal/simple', hosts: { 'pypi.internal': '10.0.0.5', 'v6.internal': 'fd00::1' } })
      .runCommands('echo b');
    const [pip, echo] = execs(image.definition()).slice(-2);
    expect(pip?.exec.meta?.extraHosts.map((h) => Object.values(h))).toEqual([['pypi.internal', '10.0.0.5'], ['v6.internal', 'fd00::1']]);
    expect(echo?.exec.meta?.extraHosts).toEqual([]);
    expect(image.toDockerfile()).toContain('# kiln: this step sees extra /etc/hosts entries (docker build --add-host pypi.internal:10.0.0.5 --add-host v6.internal:fd00::1)');
    // Part of the step's cache key, like its network mode.
    expect(Image.debianSlim().runCommands('echo a', { hosts: { a: '10.0.0.1' } }).digest()).not.toBe(Image.debianSlim().runCommands('echo a').digest());
  });

  it('hosts: a bad host name or address is refused at the call site, naming it', () => {
    const badName = thrown(() => Image.debianSlim().runCommands('echo', { hosts: { 'bad name': '10.0.0.1' } }));
    expect(badName.message).toContain('runCommands options.hosts has "bad name", which is not a host name');
    const badIp = thrown(() => Image.debianSlim().pipInstall('x', { hosts: { 'pypi.internal': 'pypi.example.com' } }));
    expect(badIp.message).toContain('pipInstall options.hosts["pypi.internal"] must be an IPv4 or IPv6 address such as "10.0.0.5", got "pypi.example.com"');
  });

  it('runScript mounts the script and picks the interpreter by extension', () => {
    writeFileSync(join(dir, 'prep.sh'), 'echo prep\n');
    const image = Image.debianSlim().runScript('single.py', { args: ['--fast', 'a b'] }).runScript('prep.sh').runScript('prep.sh', { interpreter: ['bash', '-e'] });
    expect(execs(image.definition()).map((e) => e.args[2])).toEqual([
      "python3 /tmp/kiln-script/single.py --fast 'a b'",
      'sh /tmp/kiln-script/prep.sh',
      'bash -e /tmp/kiln-script/prep.sh',
    ]);
  });

  it('gpu is part of the step; the offline definition lists it', () => {
    const c = compileImage(Image.debianSlim().pipInstall('bitsandbytes', { gpu: 'H100' }).runCommands('nvidia-smi', { gpu: 2 }));
    expect(c.gpuSteps).toEqual(['pip install bitsandbytes', 'nvidia-smi']);
    expect(thrown(() => Image.debianSlim().runCommands('x', { gpu: 'A100:0' })).message).toContain('no GPU');
    expect(thrown(() => Image.debianSlim().runCommands('x', { gpu: 'two gpus' })).message).toContain('GPU type');
  });

  it('step option errors name the option', () => {
    expect(thrown(() => Image.debianSlim().runCommands('x', { network: 'bridge' as never })).message).toContain('network must be');
    expect(thrown(() => Image.debianSlim().runCommands('x', { secrets: ['A=B'] })).message).toContain('must not contain "="');
    expect(thrown(() => Image.debianSlim().runCommands('x', { secrets: [{ id: 'a', path: 'relative' }] })).message).toContain('absolute path');
    expect(thrown(() => Image.debianSlim().runCommands('x', { secrets: ['A', 'A'] })).message).toContain('two secrets');
    expect(thrown(() => Image.debianSlim().runCommands('x', { timeout: 5 } as never)).message).toContain('no option "timeout"');
    expect(thrown(() => Image.debianSlim().runCommands('')).message).toContain('must not be empty');
    expect(thrown(() => Image.debianSlim().runCommands({ env: {} }, 'x' as never)).message).toContain('must come last');
  });
});

describe('configuration', () => {
  it('env, withEnv and setEnvVars set variables; keys are validated', () => {
    const c = compileImage(Image.debianSlim().env({ A: '1', B: '$A' }).withEnv('C', '3').setEnvVars({ D: '${A}-$C' }));
    expect(c.config.config.Env).toEqual(['A=1', 'B=$A', 'C=3', 'D=1-3']);
    for (const bad of ['', 'A=B', 'A\0', 'A B']) expect(thrown(() => Image.debianSlim().env({ [bad]: 'x' })).code).toBe('invalid_argument');
    expect(thrown(() => Image.debianSlim().env({ A: 1 as never })).message).toContain('write it as "1"');
    expect(thrown(() => Image.debianSlim().withEnv('X=Y', '1')).message).toContain('must not contain "="');
    expect(thrown(() => Image.debianSlim().env({ A: 'x\0y' })).message).toContain('NUL');
  });

  it('workdir creates the directory (owned by the image user) and relative paths join', () => {
    const image = Image.debianSlim().workdir('/app').setWorkdir('sub').user('1000:1000').workdir('/data');
    const c = compileImage(image);
    expect(c.config.config.WorkingDir).toBe('/data');
    const mkdirs = fileActions(c.definition).map((f) => (f.actions[0]?.action?.type === 'mkdir' ? f.actions[0].action.mkdir : undefined));
    expect(mkdirs.map((m) => m?.path)).toEqual(['/app', '/app/sub', '/data']);
    expect(mkdirs[2]?.owner?.user?.byId).toBe(1000);
    expect(mkdirs[0]?.makeParents).toBe(true);
    expect(thrown(() => Image.debianSlim().workdir('')).message).toContain('must not be empty');
  });

  it('user, entrypoint, cmd, labels, expose and maintainer go into the config', () => {
    const c = compileImage(
      Image.debianSlim()
        .user('app')
        .setUser('app:staff')
        .entrypoint(['python', '-m', 'app'])
        .cmd(['--port', '8080'])
        .label('a', '1')
        .labels({ b: '2', a: '3' })
        .expose(8080, '53/udp', '9000/tcp')
        .withMaintainer('team@example.com'),
    );
    expect(c.config.config.User).toBe('app:staff');
    expect(c.config.config.Entrypoint).toEqual(['python', '-m', 'app']);
    expect(c.config.config.Cmd).toEqual(['--port', '8080']);
    expect(c.config.config.Labels).toEqual({ a: '3', b: '2', maintainer: 'team@example.com' });
    expect(Object.keys(c.config.config.ExposedPorts ?? {})).toEqual(['8080/tcp', '53/udp', '9000/tcp']);
    expect(c.config.author).toBe('team@example.com');
    expect(compileImage(Image.debianSlim().withEntrypoint('/entrypoint.sh', 'serve')).config.config.Entrypoint).toEqual(['/entrypoint.sh', 'serve']);
  });

  it("shell (Modal's): later commands run with it, and it is kept in the config", () => {
    const image = Image.debianSlim().shell(['/bin/bash', '-o', 'pipefail', '-c']).runCommands('echo $BASH_VERSION');
    expect(execNamed(image.definition(), 'echo $BASH_VERSION').args).toEqual(['/bin/bash', '-o', 'pipefail', '-c', 'echo $BASH_VERSION']);
    expect(compileImage(image).config.config.Shell).toEqual(['/bin/bash', '-o', 'pipefail', '-c']);
    expect(image.toDockerfile()).toContain('SHELL ["/bin/bash","-o","pipefail","-c"]\nRUN echo $BASH_VERSION\n');
    expect(image.digest()).toBe(Image.debianSlim().dockerfileCommands(['SHELL ["/bin/bash", "-o", "pipefail", "-c"]']).runCommands('echo $BASH_VERSION').digest());
    expect(thrown(() => Image.debianSlim().shell([])).message).toContain('must not be empty');
  });

  it('stopSignal sets the StopSignal (written SIGQUIT however given), is STOPSIGNAL in toDockerfile(), and leaves the image it is called on as it was', () => {
    const base = Image.debianSlim();
    for (const given of ['SIGQUIT', 'QUIT', 'quit', '3']) expect(compileImage(base.stopSignal(given)).config.config.StopSignal).toBe('SIGQUIT');
    const image = base.stopSignal('SIGUSR1').cmd(['serve']);
    expect(image.toDockerfile()).toContain('STOPSIGNAL SIGUSR1\nCMD ["serve"]\n');
    expect(compileImage(base).config.config.StopSignal).toBeUndefined();
    // The last one set wins, as in a Dockerfile; the same image as its STOPSIGNAL through dockerfileCommands.
    expect(compileImage(base.stopSignal('TERM').stopSignal('KILL')).config.config.StopSignal).toBe('SIGKILL');
    expect(base.stopSignal('SIGQUIT').digest()).toBe(base.dockerfileCommands(['STOPSIGNAL SIGQUIT']).digest());
  });

  it('config arguments are validated', () => {
    // stopSignal: the rule and message of runInImage's stopSignal option, at the call site.
    for (const bad of ['SIGRTMIN+16', 'SIGNOPE', '99', '32', '', 15 as never as string]) {
      const err = thrown(() => Image.debianSlim().stopSignal(bad));
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toBe(`signal ${JSON.stringify(bad)} is not a Linux signal; use a name such as SIGTERM, SIGQUIT or SIGRTMIN+3 (SIG is optional), or its number (1-31, 34-64)`);
    }
    // Any Linux signal, as docker takes it: systemd images stop with SIGRTMIN+3 (37).
    for (const given of ['SIGRTMIN+3', 'rtmin+3', '37']) expect(compileImage(Image.debianSlim().stopSignal(given)).config.config.StopSignal).toBe('SIGRTMIN+3');
    expect(Image.debianSlim().stopSignal('SIGRTMIN+3').toDockerfile()).toContain('STOPSIGNAL SIGRTMIN+3\n');
    expect(thrown(() => Image.debianSlim().user('a b')).message).toContain('whitespace');
    expect(thrown(() => Image.debianSlim().user('a:b:c')).message).toContain('"user:group"');
    expect(thrown(() => Image.debianSlim().expose(0)).message).toContain('1 to 65535');
    expect(thrown(() => Image.debianSlim().expose('80/icmp')).message).toContain('/udp');
    expect(thrown(() => Image.debianSlim().expose()).message).toContain('at least one port');
    expect(thrown(() => Image.debianSlim().entrypoint([])).message).toContain('must not be empty');
    expect(thrown(() => Image.debianSlim().cmd('python app.py' as never)).message).toContain('array of strings');
    expect(thrown(() => Image.debianSlim().label('', 'x')).message).toContain('must not be empty');
  });
});

describe('files', () => {
  it('addLocalFile copies one file (into a directory when the path ends in "/")', () => {
    const c = compileImage(Image.debianSlim().addLocalFile('requirements.txt', '/app/').addLocalFile('src/app.py', '/srv/main.py', { link: false }));
    const copies = fileActions(c.definition).flatMap((f) => f.actions.map((a) => (a.action?.type === 'copy' ? [a.action.copy.src, a.action.copy.dest] : [])));
    expect(copies).toEqual([['/requirements.txt', '/app/'], ['/app.py', '/srv/main.py']]);
    expect(c.locals.map((l) => [l.path, l.include])).toEqual([
      [dir, ['requirements.txt']],
      [join(dir, 'src'), ['app.py']],
    ]);
  });

  it('addLocalDir copies contents to remotePath (or the directory itself), with ignore patterns', () => {
    const c = compileImage(Image.debianSlim().addLocalDir('src', { remotePath: '/app/src', ignore: ['**/*.pyc'] }).addLocalDir('src', '/opt', { contents: false }));
    const copies = fileActions(c.definition).flatMap((f) => f.actions.map((a) => (a.action?.type === 'copy' ? [a.action.copy.src, a.action.copy.dest, a.action.copy.dirCopyContents] : [])));
    expect(copies).toEqual([['/', '/app/src', true], ['/', '/opt/src', true]]);
    expect(c.locals.map((l) => [l.name, l.exclude])).toEqual([
      [expect.stringMatching(/^src@[0-9a-f]{12}$/) as unknown, ['**/*.pyc']],
      ['src', []],
    ]);
    expect(thrown(() => Image.debianSlim().addLocalDir('src', '/a', { remotePath: '/b' })).message).toContain('twice');
  });

  it('addLocalDir reads .dockerignore and .gitignore when asked', () => {
    writeFileSync(join(dir, 'src', '.dockerignore'), '# comment\n*.tmp\n!keep.tmp\n');
    writeFileSync(join(dir, 'src', '.gitignore'), 'build/\n/dist\nnode_modules\n');
    const c = compileImage(Image.debianSlim().addLocalDir('src', { remotePath: '/app', dockerignore: true, gitignore: true }));
    expect(c.locals[0]?.exclude).toEqual(['*.tmp', '!keep.tmp', '**/build', 'dist', '**/node_modules']);
    expect(() => compileImage(Image.debianSlim().addLocalDir('src', { remotePath: '/app', gitignore: 'missing.gitignore' }))).toThrow(/does not exist/);
    // A directory given as the ignore file: a KilnError naming the option's path, not Node's bare EISDIR.
    const isDir = thrown(() => compileImage(Image.debianSlim().addLocalDir('src', { remotePath: '/app', dockerignore: 'src' })));
    expect(isDir.code).toBe('invalid_argument');
    expect(isDir.message).toBe(`copy src → /app: the ignore file src is a directory (${join(dir, 'src')})`);
    expect(isDir.hint).toContain('Pass the path of the ignore file itself');
  });

  it('copyLocalFile / copyLocalDir are Modal aliases with "./" and "." defaults', () => {
    const c = compileImage(Image.debianSlim().workdir('/w').copyLocalFile('requirements.txt').copyLocalDir('src'));
    const dests = fileActions(c.definition).flatMap((f) => f.actions.map((a) => (a.action?.type === 'copy' ? a.action.copy.dest : '')).filter((d) => d !== ''));
    expect(dests).toEqual(['/w/', '/w/']);
  });

  it('add has the Dockerfile ADD semantics of the line Chutes writes, relative to the working directory', () => {
    const c = compileImage(Image.debianSlim().setWorkdir('/tmp').add('requirements.txt', 'requirements.txt').add('src/', '/app/src/'));
    const copies = fileActions(c.definition).flatMap((f) => f.actions.map((a) => (a.action?.type === 'copy' ? [a.action.copy.src, a.action.copy.dest, a.action.copy.dirCopyContents, a.action.copy.attemptUnpackDockerCompatibility] : [])));
    // ADD unpacks a local tar archive, as docker build does with the Dockerfile Chutes generates.
    expect(copies).toContainEqual(['/requirements.txt', '/tmp/requirements.txt', true, true]);
    expect(copies).toContainEqual(['/src', '/app/src/', true, true]);
    expect(Image.debianSlim().add('app.tar.gz', '/opt/').digest()).toBe(Image.debianSlim().dockerfileCommands(['ADD app.tar.gz /opt/']).digest());
    expect(Image.debianSlim().add('app.tar.gz', '/opt/').toDockerfile()).toContain('\nADD app.tar.gz /opt/\n');
    // Chutes' copy_file (its multi-stage example) copies, as COPY: an archive stays the file it is.
    expect(Image.debianSlim().copyFile('app.tar.gz', '/opt/').digest()).toBe(Image.debianSlim().dockerfileCommands(['COPY app.tar.gz /opt/']).digest());
    expect(thrown(() => Image.debianSlim().copyFile('src/', '/b/', { mode: 'rw' as unknown as number })).message).toContain('copyFile options');
  });

  it("add takes a wildcard in the source's last element, as the ADD Chutes writes does", () => {
    const image = Image.debianSlim().workdir('/w').add('*.txt', '/app/').copyFile('src/*.py', 'py/');
    const copies = fileActions(image.definition()).flatMap((f) =>
      f.actions.flatMap((a) => (a.action?.type === 'copy' ? [[a.action.copy.src, a.action.copy.dest, a.action.copy.allowWildcard, a.action.copy.allowEmptyWildcard]] : [])),
    );
    expect(copies).toEqual([
      ['/*.txt', '/app/', true, true],
      ['/*.py', '/w/py/', true, true],
    ]);
    expect(image.toDockerfile()).toContain('WORKDIR /w\nADD *.txt /app/\nCOPY src/*.py py/\n');
    // A file that has such a name itself is that file (as addLocalFile takes it).
    writeFileSync(join(dir, 'd[1].txt'), 'x');
    const literal = fileActions(Image.debianSlim().add('d[1].txt', '/app/').definition()).flatMap((f) => f.actions.flatMap((a) => (a.action?.type === 'copy' ? [[a.action.copy.src, a.action.copy.allowWildcard]] : [])));
    expect(literal).toEqual([['/d[1].txt', false]]);
  });

  it('add takes wildcards in a middle element too: only the directory before the first one is sent, filtered by the pattern', () => {
    const c = compileImage(Image.debianSlim().add('pkgs/*/dist/*.whl', '/wheels/'));
    expect(c.locals).toEqual([{ name: expect.stringMatching(/^pkgs@[0-9a-f]{12}$/) as unknown, path: join(dir, 'pkgs'), include: ['*/dist/*.whl'], exclude: [], requireMatch: true }]);
    const copies = fileActions(c.definition).flatMap((f) => f.actions.flatMap((a) => (a.action?.type === 'copy' ? [[a.action.copy.src, a.action.copy.dest, a.action.copy.allowWildcard]] : [])));
    expect(copies).toEqual([['/*/dist/*.whl', '/wheels/', true]]);
    expect(Image.debianSlim().add('pkgs/*/dist/*.whl', '/wheels/').toDockerfile()).toContain('\nADD pkgs/*/dist/*.whl /wheels/\n');
    // The same as the Dockerfile reader's ADD of that pattern.
    expect(Image.debianSlim().add('pkgs/*/dist/*.whl', '/wheels/').digest()).toBe(Image.debianSlim().dockerfileCommands(['ADD pkgs/*/dist/*.whl /wheels/']).digest());
  });

  it("addLocalDir condition (Modal's): the files it rejects are left out, names with pattern characters included", async () => {
    mkdirSync(join(dir, 'cond', 'sub'), { recursive: true });
    for (const f of ['keep.py', 'drop.pyc', 'sub/deep.pyc', 'sub/keep.txt', 'odd[1]*?!.pyc', 'odd[1].py']) writeFileSync(join(dir, 'cond', f), f);
    const seen: string[] = [];
    const image = Image.debianSlim().addLocalDir('cond', {
      remotePath: '/app',
      condition: (p) => {
        seen.push(p);
        return !p.endsWith('.pyc');
      },
    });
    const c = compileImage(image);
    expect(seen.sort()).toEqual(['cond/drop.pyc', 'cond/keep.py', 'cond/odd[1]*?!.pyc', 'cond/odd[1].py', 'cond/sub/deep.pyc', 'cond/sub/keep.txt']);
    const local = c.locals.find((l) => l.path.endsWith('/cond'));
    expect(local?.exclude).toEqual(['drop.pyc', 'odd\\[1\\]\\*\\?\\!.pyc', 'sub/deep.pyc']);
    // What kiln's file sync then sends from that directory.
    const sent: string[] = [];
    for await (const e of walkDirectory(join(dir, 'cond'), { excludePatterns: local?.exclude ?? [] })) sent.push(e.stat.path);
    expect(sent).toEqual(['keep.py', 'odd[1].py', 'sub', 'sub/keep.txt']);
    expect(image.toDockerfile()).toContain('#   (and the files its condition function rejects)');
    expect(thrown(() => Image.debianSlim().addLocalDir('cond', { condition: '*.pyc' as unknown as (p: string) => boolean })).message).toContain(
      'addLocalDir options.condition must be a function (path) => boolean',
    );
    const throwing = Image.debianSlim().addLocalDir('cond', { condition: () => { throw new Error('boom'); } });
    expect(thrown(() => compileImage(throwing)).message).toMatch(/its condition threw for cond\/\S+: boom/);
  });

  it("addLocalDir ignore as a function (Modal's predicate): called with paths inside the directory, true leaves a file out", () => {
    mkdirSync(join(dir, 'ign', 'sub'), { recursive: true });
    for (const f of ['keep.py', 'drop.log', 'sub/deep.log', 'sub/keep.txt']) writeFileSync(join(dir, 'ign', f), f);
    const seen: string[] = [];
    const ignore = (p: string): boolean => {
      seen.push(p);
      return p.endsWith('.log');
    };
    const c = compileImage(Image.debianSlim().addLocalDir('ign', { remotePath: '/app', ignore, copy: true }));
    expect(seen.sort()).toEqual(['drop.log', 'keep.py', 'sub/deep.log', 'sub/keep.txt']);
    expect(c.locals.find((l) => l.path.endsWith('/ign'))?.exclude).toEqual(['drop.log', 'sub/deep.log']);
    // With a condition too, a file must pass both; from "." the paths are the same.
    const both = compileImage(Image.debianSlim().addLocalDir('ign', '/app', { ignore: (p) => p.startsWith('sub/'), condition: (p) => !p.endsWith('.log') }));
    expect(both.locals.find((l) => l.path.endsWith('/ign'))?.exclude).toEqual(['drop.log', 'sub/deep.log', 'sub/keep.txt']);
  });

  it("ported spellings: Modal's copy on local files and Kubetorch's filterOptions build the same steps", () => {
    const dir = Image.debianSlim().addLocalDir('src', { remotePath: '/src' }).digest();
    expect(Image.debianSlim().addLocalDir('src', { remotePath: '/src', copy: true }).digest()).toBe(dir);
    expect(Image.debianSlim().addLocalDir('src', { remotePath: '/src', copy: false }).digest()).toBe(dir);
    expect(Image.debianSlim().addLocalFile('single.py', '/app/', { copy: true }).digest()).toBe(Image.debianSlim().addLocalFile('single.py', '/app/').digest());
    expect(Image.debianSlim().addLocalPythonSource('mypkg', { copy: true }).digest()).toBe(Image.debianSlim().addLocalPythonSource('mypkg').digest());
    expect(thrown(() => Image.debianSlim().addLocalDir('src', { copy: 'yes' as unknown as boolean })).message).toContain('addLocalDir options.copy');
    const filter = "--exclude='*.log'";
    expect(images.debian().rsync('src', '/opt', { filterOptions: filter }).digest()).toBe(images.debian().rsync('src', '/opt', { filter }).digest());
    expect(thrown(() => images.debian().rsync('src', '/opt', { filter, filterOptions: filter })).message).toContain('both filter and filterOptions');
  });

  it('rsync: files, directories inside dest, contents, default dest, "~/" dests, filters and default excludes', () => {
    const image = images
      .debian()
      .rsync('requirements.txt', '/app/requirements.txt')
      .rsync('src', '/app')
      .rsync('src', '/opt', { contents: true, filter: "--exclude='*.log' --include='keep.log' --exclude='temp/'" })
      .rsync('single.py')
      .rsync('mypkg', '~/code')
      // As rsync itself: a trailing "/" or "." names the directory's contents.
      .rsync('src/', '/srv')
      .rsync('./src/.', '/srv2')
      .rsync('.', '/ctx');
    const c = compileImage(image);
    expect(c.plan.map((p) => p.name)).toEqual([
      'rsync requirements.txt → /app/requirements.txt',
      'rsync src → /app/src',
      'rsync src → /opt',
      'rsync single.py → ./',
      'rsync mypkg → code/mypkg',
      'rsync src → /srv',
      'rsync src → /srv2',
      'rsync . → /ctx',
    ]);
    const filtered = c.locals.find((l) => l.exclude.includes('**/temp'));
    // Then the patterns of src/.gitignore (written by an earlier test).
    expect(filtered?.exclude.slice(0, 7)).toEqual(['**/*.pyc', '**/__pycache__', '**/.venv', '**/.git', '**/temp', '!**/keep.log', '**/*.log']);
    expect(filtered?.exclude.slice(7)).toEqual(['**/build', 'dist', '**/node_modules']);
    // A .gitignore further down applies below its own directory, as with rsync's ':- .gitignore' and git; none is
    // searched for in directories left out by name (.git, .venv, __pycache__).
    mkdirSync(join(dir, 'src', 'sub', '.git'), { recursive: true });
    writeFileSync(join(dir, 'src', 'sub', '.gitignore'), 'secret.txt\n/local-only\n');
    writeFileSync(join(dir, 'src', 'sub', '.git', '.gitignore'), 'never-read\n');
    try {
      const nested = compileImage(images.debian().rsync('src', '/app')).locals[0];
      expect(nested?.exclude.slice(4)).toEqual(['**/build', 'dist', '**/node_modules', 'sub/**/secret.txt', 'sub/local-only']);
    } finally {
      rmSync(join(dir, 'src', 'sub'), { recursive: true, force: true });
    }
    expect(thrown(() => images.debian().rsync('src', '/app', { filter: '--delete' })).message).toContain('not supported');
    expect(thrown(() => images.debian().rsync('nope', '/app')).message).toContain('does not exist');
  });

  it('addLocalPythonSource and syncPackage put modules on PYTHONPATH', () => {
    const c = compileImage(Image.debianSlim().addLocalPythonSource('mypkg', 'single').syncPackage('./src'));
    expect(c.plan.map((p) => p.name)).toEqual([`copy mypkg → ${PYTHON_SOURCE_DIR}/mypkg`, `copy single.py → ${PYTHON_SOURCE_DIR}/`, 'env', `copy src → ${PYTHON_SOURCE_DIR}/src`, 'env']);
    expect(c.config.config.Env).toEqual([`PYTHONPATH=${PYTHON_SOURCE_DIR}`]);
    expect(c.locals[0]?.exclude).toEqual(['**/__pycache__', '**/*.pyc']);
    const pp = compileImage(Image.debianSlim().env({ PYTHONPATH: '/x' }).addLocalPythonSource('mypkg', { remoteDir: '/py' }));
    expect(pp.config.config.Env).toEqual(['PYTHONPATH=/py:/x']);
    expect(thrown(() => Image.debianSlim().addLocalPythonSource('nope')).message).toContain('no module "nope"');
    expect(thrown(() => Image.debianSlim().addLocalPythonSource('a.b')).message).toContain('top-level module');
    expect(thrown(() => images.debian().syncPackage('./missing')).message).toContain('does not exist');
    // "." is the package in the current directory (the build context), named after it.
    expect(compileImage(images.debian().syncPackage('.')).plan[0]?.name).toBe(`copy . → ${PYTHON_SOURCE_DIR}/${basename(dir)}`);
  });

  it('addLocalFile refuses a directory, pointing at addLocalDir; compileImage checks baseConfigs from JavaScript callers', () => {
    const err = thrown(() => Image.debianSlim().addLocalFile('src', '/app/src'));
    expect(err.message).toBe(`addLocalFile: "src" is a directory (in ${dir}); addLocalFile copies one file`);
    expect(err.hint).toBe('Use addLocalDir("src", { remotePath: "/app/src" }) to copy a directory.');
    expect(() => Image.debianSlim().addLocalFile('src/app.py', '/app/')).not.toThrow();
    // So do the steps that read one local file (pip would only say so in the build, as "[Errno 21] Is a directory").
    const reqs = thrown(() => Image.debianSlim().pipInstallFromRequirements('src'));
    expect(reqs.message).toBe(`pipInstallFromRequirements: "src" is a directory (in ${dir}); it must be a requirements file`);
    expect(reqs.hint).toBe('Name the file inside it, e.g. pipInstallFromRequirements("src/requirements.txt").');
    expect(thrown(() => Image.debianSlim().runScript('src')).message).toBe(`runScript: "src" is a directory (in ${dir}); it must be a script`);
    const notMap = thrown(() => compileImage(Image.debianSlim(), { baseConfigs: { 'python:3.11': {} } as never }));
    expect(notMap.message).toBe('compileImage options.baseConfigs must be a Map from normalised image reference to its OCI image config or { config, digest }, got a plain object');
    const badEntry = thrown(() => compileImage(Image.debianSlim(), { baseConfigs: new Map([['docker.io/library/python:3.11-slim-bookworm', 'x']]) as never }));
    expect(badEntry.message).toBe('compileImage options.baseConfigs["docker.io/library/python:3.11-slim-bookworm"] must be an OCI image config { architecture: "amd64", os: "linux", config: { Env: ["KEY=value"], … } } or { config: <OCI image config>, digest?: "sha256:…" }, got "x"');
  });

  it('copyFrom copies from another image or a registry reference', () => {
    const builder = Image.debianSlim().runCommands('mkdir -p /out && echo built > /out/x');
    const c = compileImage(Image.fromRegistry('busybox').copyFrom(builder, '/out', '/app').copyFrom('alpine:3.19', 'etc/alpine-release', '/app/'));
    const copies = fileActions(c.definition).flatMap((f) => f.actions.map((a) => (a.action?.type === 'copy' ? [a.action.copy.src, a.action.copy.dest] : [])));
    expect(copies).toEqual([['/out', '/app'], ['/etc/alpine-release', '/app/']]);
    expect(c.baseImages).toEqual(['docker.io/library/busybox:latest', 'docker.io/library/python:3.11-slim-bookworm']);
    expect(thrown(() => Image.debianSlim().copyFrom(42 as never, '/a', '/b')).message).toContain('Image or an image reference');
    // contents: false puts the directory itself inside dest, with or without a trailing "/", and so does the Dockerfile.
    for (const dest of ['/rel', '/rel/']) {
      const itself = Image.fromRegistry('busybox').copyFrom(builder, '/build/out', dest, { contents: false });
      const acts = fileActions(compileImage(itself).definition).flatMap((f) => f.actions.map((a) => (a.action?.type === 'copy' ? [a.action.copy.src, a.action.copy.dest] : [])));
      expect(acts).toEqual([['/build/out', '/rel/out']]);
      expect(itself.toDockerfile()).toContain('COPY --from=stage-0 /build/out /rel/out');
    }
  });

  it('local paths must stay inside the build context', () => {
    for (const call of [
      () => Image.debianSlim().addLocalDir('../outside'),
      () => Image.debianSlim().addLocalFile('src/../../x'),
      () => Image.debianSlim().add('..', '/x'),
      () => Image.debianSlim().pipInstallFromRequirements('../requirements.txt'),
      () => Image.debianSlim().runScript('../s.py'),
    ]) {
      const err = thrown(call);
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toContain('outside the build context');
    }
    expect(() => compileImage(Image.debianSlim().addLocalDir('/definitely/elsewhere'))).toThrow(/outside the build context/);
  });

  it('a context reached through a symlink (macOS /var → /private/var, /tmp → /private/tmp) holds the real paths under it, and the other way round', () => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-symlinked-context-'));
    try {
      mkdirSync(join(root, 'private', 'proj', 'src'), { recursive: true });
      writeFileSync(join(root, 'private', 'proj', 'src', 'a.txt'), 'a\n');
      symlinkSync('private', join(root, 'var'));
      const viaLink = join(root, 'var', 'proj');
      const real = join(root, 'private', 'proj');
      // The module names the real path (its own location, process.cwd()), the context the symlinked one (os.tmpdir()), and the reverse.
      const a = compileImage(Image.debianSlim().addLocalDir(join(real, 'src'), '/app'), { context: viaLink });
      expect(a.locals).toEqual([{ name: 'src', path: join(real, 'src'), include: [], exclude: [] }]);
      const b = compileImage(Image.debianSlim().addLocalDir(join(viaLink, 'src'), '/app'), { context: real });
      expect(b.locals).toEqual([{ name: 'src', path: join(viaLink, 'src'), include: [], exclude: [] }]);
      // Same directory, same local source (its name is its cache key), whichever way it is named.
      const local = (d: typeof a.definition): unknown => sources(d).filter((o) => o.identifier.startsWith('local://'));
      expect(local(a.definition)).toEqual(local(b.definition));
      expect(local(a.definition)).toHaveLength(1);
      // A real outside stays outside, also through the link.
      mkdirSync(join(root, 'elsewhere'));
      expect(thrown(() => compileImage(Image.debianSlim().addLocalDir(join(root, 'elsewhere')), { context: viaLink })).message).toContain('is outside the build context');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('copy options are validated', () => {
    expect(thrown(() => Image.debianSlim().addLocalFile('a', '/b', { mode: 0o4755 })).message).toContain('0 to 0o777');
    expect(thrown(() => Image.debianSlim().addLocalFile('a', '/b', { owner: 'a b' })).message).toContain('whitespace');
    expect(thrown(() => Image.debianSlim().addLocalFile('a', '')).message).toContain('must not be empty');
  });
});

describe('dockerfileCommands and fromDockerfile', () => {
  it('applies instructions as steps', () => {
    const image = Image.debianSlim().dockerfileCommands([
      'ARG VERSION=1.2',
      'ENV APP_HOME=/app APP_VERSION=$VERSION',
      'WORKDIR $APP_HOME',
      'RUN --mount=type=cache,target=/root/.cache/pip --network=none pip install -r requirements.txt',
      'COPY --chown=1000:1000 requirements.txt ./',
      'LABEL version="$VERSION" "two words"=yes',
      'EXPOSE 8000 9000/udp',
      'USER 1000',
      'SHELL ["/bin/bash", "-c"]',
      'RUN echo "$SHELL"',
      'ENTRYPOINT ["python"]',
      'CMD app.py',
    ]);
    const c = compileImage(image);
    expect(c.config.config.Env).toEqual(['APP_HOME=/app', 'APP_VERSION=1.2']);
    expect(c.config.config.WorkingDir).toBe('/app');
    expect(c.config.config.Labels).toEqual({ version: '1.2', 'two words': 'yes' });
    expect(c.config.config.Entrypoint).toEqual(['python']);
    expect(c.config.config.Cmd).toEqual(['/bin/bash', '-c', 'app.py']);
    const [pip, echo] = execs(c.definition);
    expect(pip?.exec.network).toBe(2);
    expect(pip?.env).toEqual(['APP_HOME=/app', 'APP_VERSION=1.2', 'VERSION=1.2']);
    expect(pip?.exec.mounts.find((m) => m.dest === '/root/.cache/pip')?.cacheOpt?.id).toBe('//root/.cache/pip');
    expect(echo?.args).toEqual(['/bin/bash', '-c', 'echo "$SHELL"']);
    expect(echo?.user).toBe('1000');
  });

  it('ENV sees build args as Docker does: an ENV of the same name wins, escaped dollars stay literal', () => {
    const image = Image.fromRegistry('busybox').dockerfileCommands(
      ['ARG V=1.2', 'ARG P=arg', 'ARG D', 'ENV X=$V Y="${V}-y" Z=\\$V PATH=/opt:$PATH D=[$D]', 'ENV P=env', 'ENV Q=$P'],
      { buildArgs: { D: 'a$HOME' } },
    );
    const env = compileImage(image, { baseConfigs: new Map([['docker.io/library/busybox:latest', { architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin', 'HOME=/root'] } }]]) }).config.config.Env;
    expect(env).toEqual(['PATH=/opt:/bin', 'HOME=/root', 'X=1.2', 'Y=1.2-y', 'Z=$V', 'D=[a$HOME]', 'P=env', 'Q=env']);
  });

  it('fromDockerfile reads multi-stage files with build args and targets', () => {
    writeFileSync(
      join(dir, 'Dockerfile.multi'),
      'ARG BASE=busybox\nFROM ${BASE} AS build\nRUN mkdir /out && echo x > /out/x\n\nFROM python:3.11-slim AS final\nCOPY --from=build /out /out\nCOPY src/ /app/src/\n',
    );
    const final = Image.fromDockerfile('Dockerfile.multi', { buildArgs: { BASE: 'alpine:3.19' } });
    const c = compileImage(final);
    expect(c.baseImages).toEqual(['docker.io/library/python:3.11-slim', 'docker.io/library/alpine:3.19']);
    expect(c.plan.map((p) => p.name)).toEqual(['copy /out from build → /out', 'copy src → /app/src/']);
    const build = Image.fromDockerfile('Dockerfile.multi', { target: 'build' });
    expect(execs(build.definition()).map((e) => e.name)).toEqual(['mkdir /out && echo x > /out/x']);
    expect(thrown(() => Image.fromDockerfile('Dockerfile.multi', { target: 'nope' })).message).toContain('no stage named "nope"');
  });

  it("contextFiles (Modal's context_files): COPY takes those context paths from other local paths", () => {
    const image = Image.debianSlim().dockerfileCommands(['COPY config.py /app/', 'COPY ./src/ /app/src/'], { contextFiles: { '/config.py': 'single.py' } });
    expect(compileImage(image).plan.map((p) => p.name)).toEqual(['copy single.py → /app/config.py', 'copy src → /app/src/']);
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['COPY a /a'], { contextFiles: { './': 'single.py' } })).message).toContain(
      'contextFiles key "./" must name a file or directory of the build context',
    );
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['COPY a /a'], { contextFiles: ['single.py'] as unknown as Record<string, string> })).message).toContain(
      'contextFiles must be an object',
    );
  });

  it('reports unsupported or malformed instructions with their line', () => {
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['FROM busybox'])).message).toContain('FROM is not allowed');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN ok', 'ONBUILD RUN true'])).message).toContain('line 2 (ONBUILD)');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['HEALTHCHECK --interval=5 CMD true'])).message).toContain('--interval=5 is not a duration');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['ADD ftp://example.com/x /x'])).message).toContain('URL');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['COPY a b c'])).message).toContain('must end with "/"');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['COPY ../x /x'])).message).toContain('outside the build context');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN <<EOF\necho\nEOF'])).message).toContain('heredocs');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=ssh,source=x echo'])).message).toContain('ssh mount option source= is not supported');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=npipe echo'])).message).toContain('mount type npipe is not supported');
  });

  it('values using the image\'s environment are expanded when compiling, against the base config; ENV wins over ARG in RUN', () => {
    const ref = 'docker.io/library/python:3.11-slim';
    const image = Image.fromRegistry('python:3.11-slim').dockerfileCommands([
      'ARG MODE=fromarg',
      'ENV MODE=fromenv',
      'WORKDIR /opt/py-$PYTHON_VERSION',
      'LABEL lang=$LANG fixed=yes',
      'EXPOSE $PORT',
      'RUN echo $MODE $PYTHON_VERSION',
    ]);
    const baseConfigs = new Map([[ref, { architecture: 'amd64', os: 'linux', config: { Env: ['PYTHON_VERSION=3.11.2', 'LANG=C.UTF-8', 'PORT=8080'] } }]]);
    const c = compileImage(image, { baseConfigs });
    expect(c.config.config?.WorkingDir).toBe('/opt/py-3.11.2');
    expect(c.config.config?.Labels).toEqual({ lang: 'C.UTF-8', fixed: 'yes' });
    expect(Object.keys(c.config.config?.ExposedPorts ?? {})).toEqual(['8080/tcp']);
    const run = execs(c.definition).at(-1);
    expect(run?.env).toContain('MODE=fromenv');
    expect(run?.env).not.toContain('MODE=fromarg');
    const text = image.toDockerfile();
    expect(text).toContain('WORKDIR /opt/py-$PYTHON_VERSION');
    expect(text).toContain('LABEL lang="$LANG" fixed="yes"');
  });

  it('an ENV that depends on the image\'s environment wins over a build arg of its name in later ENV values', () => {
    const ref = 'docker.io/library/busybox:latest';
    const baseConfigs = new Map([[ref, { architecture: 'amd64', os: 'linux', config: { Env: ['BASE=/b'] } }]]);
    const c = compileImage(Image.fromRegistry('busybox').dockerfileCommands(['ARG X=fromarg', 'ENV X=$BASE/x', 'ENV Y=$X/y']), { baseConfigs });
    expect(c.config.config?.Env).toEqual(['BASE=/b', 'X=/b/x', 'Y=/b/x/y']);
  });

  it('a build arg the image\'s environment also sets gives way to it in RUN; alone it is set', () => {
    const ref = 'docker.io/library/python:3.11-slim';
    const image = Image.fromRegistry('python:3.11-slim').dockerfileCommands(['ARG PYTHON_VERSION=3.9', 'ARG EXTRA=x', 'RUN env']);
    const baseConfigs = new Map([[ref, { architecture: 'amd64', os: 'linux', config: { Env: ['PYTHON_VERSION=3.11.2'] } }]]);
    const run = execs(compileImage(image, { baseConfigs }).definition).at(-1);
    expect(run?.env).toEqual(expect.arrayContaining(['PYTHON_VERSION=3.11.2', 'EXTRA=x']));
    expect(run?.env).not.toContain('PYTHON_VERSION=3.9');
    expect(image.toDockerfile()).toContain('RUN PYTHON_VERSION=${PYTHON_VERSION-3.9}; export PYTHON_VERSION; EXTRA=${EXTRA-x}; export EXTRA; env');
  });

  it('a Dockerfile FROM a base image with ONBUILD triggers is refused when compiling (docker build would run them); fromRegistry is not', () => {
    const ref = 'docker.io/library/busybox:latest';
    const baseConfigs = new Map([[ref, { architecture: 'amd64', os: 'linux', config: { OnBuild: ['RUN echo onbuild-ran > /onbuild.txt'] } }]]);
    const dir = mkdtempSync(join(tmpdir(), 'kiln-onbuild-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox:latest\nRUN true\n');
    try {
      const err = thrown(() => compileImage(Image.fromDockerfile(join(dir, 'Dockerfile')), { baseConfigs }));
      expect(err.code).toBe('unsupported');
      expect(err.message).toBe(`the base image ${ref} has ONBUILD triggers (RUN echo onbuild-ran > /onbuild.txt), which docker build runs after FROM and kiln does not`);
      expect(() => compileImage(Image.fromRegistry('busybox:latest').runCommands('true'), { baseConfigs })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('RUN --mount options kiln would drop are refused; bad values name the option', () => {
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=ssh,source=x true'])).message).toContain('ssh mount option source= is not supported');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=cache,target=/c,ro true'])).message).toContain('cache mount option ro= is not supported');
    expect(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=bind,source=.,target=/s,ro true'])).not.toThrow();
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=cache,target=/c,uid=me true'])).message).toContain('cache mount: uid= must be a number such as 1000, got "me"');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=cache,target=/c,mode=0799 true'])).message).toContain('cache mount: mode= must be octal such as 0755, got "0799"');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=tmpfs,target=/t,size=lots true'])).message).toContain('tmpfs size= must be a size such as 64m or 1g, got "lots"');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=cache,target=/c,source=/x true'])).message).toContain('a cache mount with source= needs from=');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=secret,id=a,source=b true'])).message).toContain('a secret mount takes id= or source=');
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=cache,target=/c,sharing=$MODE true'])).message).toContain(
      "mount option sharing=$MODE uses $MODE, which only the image's environment or the build's platform sets; kiln reads sharing= when it reads the Dockerfile",
    );
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN --mount=type=cache,target=/c,from=$STAGE true'])).message).toContain('from= takes no variables');
    expect(thrown(() => compileImage(Image.debianSlim().dockerfileCommands(['WORKDIR /', 'RUN --mount=type=cache,target=. true'])))).toMatchObject({ message: expect.stringContaining('a mount cannot have / as its target') });
  });

  it('RUN --mount: a cache mount\'s owner and mode make a new cache from a directory with them; from/source seed it; a secret file\'s owner and mode; a tmpfs size; values expanded from ARG and ENV', () => {
    const image = Image.fromRegistry('busybox:latest').dockerfileCommands([
      'ARG CACHE_UID=1500',
      'ENV CACHE_DIR=/c',
      'RUN --mount=type=cache,target=$CACHE_DIR,uid=${CACHE_UID},gid=1600,mode=750 owned',
      'RUN --mount=type=cache,target=/s,from=busybox:latest,source=/etc seeded',
      'RUN --mount=type=cache,target=/m,from=busybox:latest,mode=0700 seeded-root',
      'RUN --mount=type=secret,id=tok,uid=1000,mode=0440 secret',
      'RUN --mount=type=secret,source=tok2 secret-by-source',
      'RUN --mount=type=tmpfs,target=/t,size=64m tmp',
      'RUN --mount=type=ssh,uid=1000,mode=0660 agent',
      'WORKDIR /w',
      'RUN --mount=type=cache,target=rel/ relative',
      // Values only the image's environment or the build's platform give: expanded when compiling, as Docker does.
      'ARG TARGETARCH',
      'ARG UNSET',
      'RUN --mount=type=cache,id=apt-$TARGETARCH$UNSET,target=/cache/${TARGETARCH} platform',
      'RUN --mount=type=secret,source=dir/tok by-source-path',
    ]);
    const def = compileImage(image, { caps: MODERN_CAPS }).definition;
    const mount = (name: string, dest: string) => execNamed(def, name).exec.mounts.find((m) => m.dest === dest);
    expect(mount('owned', '/c')).toMatchObject({ mountType: 3, selector: '/cache', cacheOpt: { id: '//c', sharing: 0 } });
    const permissions = fileActions(def).find((f) => f.name === 'cache mount /c: owner 1500:1600, mode 0750');
    expect(permissions?.actions[0]?.action).toMatchObject({ type: 'mkdir', mkdir: { path: '/cache', mode: 0o750, owner: { user: { byId: 1500 }, group: { byId: 1600 } } } });
    expect(mount('seeded', '/s')).toMatchObject({ mountType: 3, selector: '/etc' });
    expect(mount('seeded', '/s')?.input).toBeGreaterThanOrEqual(0);
    expect(mount('seeded-root', '/m')).toMatchObject({ mountType: 3, selector: '/cache' });
    expect(execNamed(def, 'secret').exec.mounts.find((m) => m.mountType === 1)?.secretOpt).toMatchObject({ id: 'tok', uid: 1000, gid: 0, mode: 0o440 });
    expect(execNamed(def, 'secret-by-source').exec.mounts.find((m) => m.mountType === 1)?.secretOpt).toMatchObject({ id: 'tok2', mode: 0o400 });
    expect(mount('tmp', '/t')).toMatchObject({ mountType: 4, tmpfsOpt: { size: 64 * 1024 * 1024 } });
    expect(mount('platform', '/cache/amd64')).toMatchObject({ mountType: 3, cacheOpt: { id: '/apt-amd64' } });
    expect(execNamed(def, 'by-source-path').exec.mounts.find((m) => m.mountType === 1)).toMatchObject({ dest: '/run/secrets/tok', secretOpt: { id: 'dir/tok' } });
    // A relative target is in the working directory; its cache id is Docker's: "/" and the target as written, cleaned.
    expect(mount('relative', '/w/rel')).toMatchObject({ mountType: 3, cacheOpt: { id: '/rel' } });
    expect(execNamed(def, 'agent').exec.mounts.find((m) => m.mountType === 2)?.sshOpt).toMatchObject({ id: 'default', uid: 1000, gid: 0, mode: 0o660 });
    expect(image.toDockerfile()).toContain('--mount=type=ssh,uid=1000,mode=0660 CACHE_UID=');
    const dockerfile = image.toDockerfile();
    expect(dockerfile).toContain('--mount=type=cache,id=/c,target=/c,sharing=shared,uid=1500,gid=1600,mode=0750 CACHE_UID=');
    expect(dockerfile).toContain('--mount=type=cache,id=/s,target=/s,sharing=shared,from=busybox:latest,source=/etc CACHE_UID=');
    expect(dockerfile).toContain('--mount=type=secret,id=tok,target=/run/secrets/tok,uid=1000,mode=0440 CACHE_UID=');
    expect(dockerfile).toContain('--mount=type=tmpfs,target=/t,size=67108864 CACHE_UID=');
    // A tmpfs size needs BuildKit v0.9+: on dockerd 20.10 the cap is missing and kiln says so when compiling.
    expect(thrown(() => compileImage(image, { caps: DOCKERD_20_10_CAPS })).message).toContain('exec.mount.tmpfs.size');
  });

  it('SHELL goes into the image config as Docker writes it, so later kiln steps run with it too', () => {
    const image = Image.debianSlim().dockerfileCommands(['SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'RUN echo in-dockerfile']).runCommands('echo after');
    const c = compileImage(image);
    const [inFile, after] = execs(c.definition).slice(-2);
    expect(inFile?.args).toEqual(['/bin/bash', '-o', 'pipefail', '-c', 'echo in-dockerfile']);
    expect(after?.args).toEqual(['/bin/bash', '-o', 'pipefail', '-c', 'echo after']);
    expect(c.config.config?.Shell).toEqual(['/bin/bash', '-o', 'pipefail', '-c']);
    expect(image.toDockerfile()).toContain('SHELL ["/bin/bash","-o","pipefail","-c"]');
  });

  it('RUN --mount=type=ssh forwards an agent as Docker does: id default, optional unless required=true', () => {
    const c = compileImage(Image.debianSlim().dockerfileCommands(['RUN --mount=type=ssh --mount=type=ssh,id=gh,target=/gh.sock,required=true git fetch']));
    const e = execs(c.definition)[0]!;
    expect(e.exec.mounts.filter((m) => m.sshOpt !== undefined).map((m) => [m.dest, m.sshOpt?.id, m.sshOpt?.optional === true])).toEqual([
      ['/run/buildkit/ssh_agent.0', 'default', true],
      ['/gh.sock', 'gh', false],
    ]);
    expect(e.env).toContain('SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0');
    expect(c.requiredSshIds).toEqual(['gh']);
  });
});

describe('output', () => {
  it('definition and digest are offline and repeatable', () => {
    const image = Image.debianSlim().aptInstall('git').addLocalDir('src', { remotePath: '/app' });
    expect(image.digest()).toBe(image.digest());
    expect(image.digest()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image.definition().toBytes()).toEqual(image.definition().toBytes());
  });
});
