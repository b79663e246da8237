/**
 * Credentials of private package sources never reach the image definition: a URL with one written into it (pip and
 * uv options, requirements, requirements files, pyproject dependencies, conda channels) is refused at the call, naming
 * the option and showing the URL masked; `indexSecret` passes it as build secrets, so the definition (digest, cache
 * key, progress names, `toDockerfile()`) holds only secret ids and the credential-free URL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Image, compileImage } from '../../src/image/index.js';
import { execNamed } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

const TOKEN = 's3cr3t-t0ken';
/** BuildKit's mount types. */
const SECRET = 1;
const TMPFS = 4;
let dir = '';
let previousCwd = '';

beforeAll(() => {
  previousCwd = process.cwd();
  dir = mkdtempSync(join(tmpdir(), 'kiln-index-credentials-'));
  writeFileSync(join(dir, 'requirements.txt'), `-r base.txt\nnumpy\n`);
  writeFileSync(join(dir, 'base.txt'), `# private\n--extra-index-url https://ci:${TOKEN}@pypi.corp.example/simple\nrequests\n`);
  writeFileSync(join(dir, 'requirements-env.txt'), '--index-url https://ci:${PIP_TOKEN}@pypi.corp.example/simple\nrequests\n');
  writeFileSync(join(dir, 'pyproject.toml'), `[project]\nname = "x"\ndependencies = ["lib @ git+https://${TOKEN}@git.corp.example/org/lib.git"]\n`);
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(previousCwd);
  rmSync(dir, { recursive: true, force: true });
});

const base = Image.debianSlim({ pythonVersion: '3.11' });

describe('a credential written into a package source URL is refused', () => {
  const cases: [string, () => unknown, string][] = [
    ['pipInstall indexUrl', () => base.pipInstall('x', { indexUrl: `https://ci:${TOKEN}@pypi.corp.example/simple` }), 'pipInstall options.indexUrl: https://ci:***@pypi.corp.example/simple'],
    ['pipInstall extraIndexUrl', () => base.pipInstall('x', { extraIndexUrl: ['https://pypi.org/simple', `https://${TOKEN}@pypi.corp.example/simple`] }), 'pipInstall options.extraIndexUrl: https://***@pypi.corp.example/simple'],
    ['pipInstall findLinks', () => base.pipInstall('x', { findLinks: `https://ci:${TOKEN}@files.corp.example/wheels/` }), 'pipInstall options.findLinks: https://ci:***@'],
    ['pipInstall extraOptions', () => base.pipInstall('x', { extraOptions: `--index-url=https://ci:${TOKEN}@pypi.corp.example/simple` }), 'pipInstall options.extraOptions: https://ci:***@'],
    ['pipInstall option item', () => base.pipInstall(`--index-url https://ci:${TOKEN}@pypi.corp.example/simple`, 'x'), 'pipInstall[0]: https://ci:***@'],
    ['pipInstall git requirement', () => base.pipInstall(`lib @ git+https://${TOKEN}@github.com/org/lib.git`), 'pipInstall[0]: git+https://***@github.com/org/lib.git'],
    ['uvPipInstall indexUrl', () => base.uvPipInstall('x', { indexUrl: `https://ci:${TOKEN}@pypi.corp.example/simple` }), 'uvPipInstall options.indexUrl: https://ci:***@'],
    ['poetryInstallFromFile indexUrl', () => base.poetryInstallFromFile('pyproject.toml', { indexUrl: `https://ci:${TOKEN}@pypi.corp.example/simple` }), 'poetryInstallFromFile options.indexUrl'],
    ['a requirements file a requirements file names', () => base.pipInstallFromRequirements('requirements.txt'), 'pipInstallFromRequirements: base.txt line 2: https://ci:***@pypi.corp.example/simple'],
    ['a pyproject dependency', () => base.pipInstallFromPyproject('pyproject.toml'), 'pipInstallFromPyproject: a dependency in "pyproject.toml": git+https://***@git.corp.example'],
    ['a conda channel with a user', () => base.micromambaInstall('x', { channels: [`https://ci:${TOKEN}@conda.corp.example/main`] }), 'micromambaInstall options.channels[0]: https://ci:***@conda.corp.example/main'],
    ['a conda channel with a token path', () => base.micromambaInstall('x', { channels: [`https://conda.corp.example/t/${TOKEN}/main`] }), 'channels[0]: https://conda.corp.example/t/***/main'],
  ];
  for (const [what, call, message] of cases) {
    it(what, () => {
      const err = thrown(call);
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toContain(message);
      expect(err.message).toContain('pass it as a build secret');
      expect(`${err.message} ${err.hint ?? ''}`).not.toContain(TOKEN);
      expect(err.hint).toMatch(/secret/);
    });
  }

  it('a credential written as a variable read from a build secret, and an ssh user, are not credentials', () => {
    const image = base
      .pipInstall('x', { indexUrl: 'https://ci:${PIP_TOKEN}@pypi.corp.example/simple', secrets: ['PIP_TOKEN'] })
      .pipInstall('lib @ git+ssh://git@github.com/org/lib.git', { ssh: true })
      .pipInstallFromRequirements('requirements-env.txt', { secrets: ['PIP_TOKEN'] })
      .micromambaInstall('y', { channels: ['https://conda.corp.example/t/${CONDA_TOKEN}/main'], secrets: ['CONDA_TOKEN'] });
    expect(compileImage(image).plan.length).toBe(4);
  });
});

describe('indexSecret', () => {
  const withSecret = (token: string): Image =>
    base.pipInstall('requests', { indexUrl: 'https://pypi.corp.example:8443/simple', extraIndexUrl: 'https://mirror.corp.example/simple', indexSecret: { usernameEnv: 'PIP_USER', passwordEnv: token } });

  it('mounts the secrets and writes a netrc for the index hosts into a tmpfs; the definition holds secret ids and plain URLs only', () => {
    const image = withSecret('PIP_TOKEN');
    const compiled = compileImage(image);
    expect(compiled.secrets).toEqual(['PIP_USER', 'PIP_TOKEN']);
    const name = 'pip install requests --index-url https://pypi.corp.example:8443/simple --extra-index-url https://mirror.corp.example/simple';
    const exec = execNamed(compiled.definition, name);
    expect(exec.exec.secretEnv ?? []).toEqual([]);
    const mounts = exec.exec.mounts ?? [];
    expect(mounts.filter((m) => m.mountType === SECRET).map((m) => [m.dest, m.secretOpt?.id])).toEqual([
      ['/run/secrets/PIP_USER', 'PIP_USER'],
      ['/run/secrets/PIP_TOKEN', 'PIP_TOKEN'],
    ]);
    expect(mounts.filter((m) => m.mountType === TMPFS).map((m) => m.dest)).toEqual(['/tmp/kiln-index-auth']);
    const script = exec.args[exec.args.length - 1] ?? '';
    expect(script).toContain(`printf 'machine %s login %s password %s\\n' pypi.corp.example "$(cat /run/secrets/PIP_USER)" "$(cat /run/secrets/PIP_TOKEN)" mirror.corp.example "$(cat /run/secrets/PIP_USER)" "$(cat /run/secrets/PIP_TOKEN)" > /tmp/kiln-index-auth/netrc`);
    expect(script).toContain('export NETRC=/tmp/kiln-index-auth/netrc PIP_NO_INPUT=1 PIP_LOG=/tmp/kiln-index-auth/pip.log && { ');
    expect(script).toContain("echo 'kiln: the package index refused the credential of indexSecret (build secrets PIP_USER, PIP_TOKEN); check the user and token:' >&2");
  });

  it('a literal user, a secret the step already reads, and uv, Poetry, requirements files, pyproject and local packages take it too', () => {
    const auth = { indexUrl: 'https://pypi.corp.example/simple', indexSecret: { username: '__token__', passwordEnv: 'PIP_TOKEN' } } as const;
    const image = base
      .pipInstall('a', { ...auth, secrets: ['PIP_TOKEN'] })
      .uvPipInstall('b', auth)
      .pipInstallFromRequirements('requirements-env.txt', { ...auth })
      .poetryInstallFromFile('pyproject.toml', auth)
      .addPythonPackages('pyproject.toml', auth);
    const compiled = compileImage(image);
    expect(compiled.secrets).toEqual(['PIP_TOKEN']);
    const scripts = compiled.plan.map((p) => p.name);
    expect(scripts.length).toBe(5);
    for (const name of scripts) {
      const exec = execNamed(compiled.definition, name);
      const script = exec.args[exec.args.length - 1] ?? '';
      expect(script).toContain(`printf 'machine %s login %s password %s\\n' pypi.corp.example __token__ "$(cat /run/secrets/PIP_TOKEN)"`);
      expect((exec.exec.mounts ?? []).filter((m) => m.mountType === SECRET).length).toBe(1);
    }
  });

  it('the digest and toDockerfile() are those of the secret ids: RUN --mount=type=secret and a tmpfs', () => {
    expect(withSecret('PIP_TOKEN').digest()).toBe(withSecret('PIP_TOKEN').digest());
    expect(withSecret('PIP_TOKEN').digest()).not.toBe(withSecret('OTHER_TOKEN').digest());
    const run = withSecret('PIP_TOKEN').toDockerfile().split('\n').find((l) => l.includes('pip install requests')) ?? '';
    expect(run).toContain('--mount=type=secret,id=PIP_USER,target=/run/secrets/PIP_USER,required=true');
    expect(run).toContain('--mount=type=secret,id=PIP_TOKEN,target=/run/secrets/PIP_TOKEN,required=true');
    expect(run).toContain('--mount=type=tmpfs,target=/tmp/kiln-index-auth');
  });

  it('is refused without an index URL, with a password, or without a user', () => {
    expect(thrown(() => base.pipInstall('x', { indexSecret: { usernameEnv: 'U', passwordEnv: 'P' } })).message).toContain(
      'pipInstall options.indexSecret needs the index it is for: pass indexUrl',
    );
    const password = thrown(() => base.pipInstall('x', { indexUrl: 'https://p.example/simple', indexSecret: { username: 'u', password: TOKEN } as never }));
    expect(password.message).not.toContain(TOKEN);
    expect(password.code).toBe('invalid_argument');
    expect(thrown(() => base.pipInstall('x', { indexUrl: 'https://p.example/simple', indexSecret: { passwordEnv: 'P' } as never })).message).toContain(
      'needs one of username',
    );
  });
});
