/**
 * compileImage: base image configs carried into every step and into the final config, independent layers and
 * their merge (or copy chain) by daemon caps, the link rules, determinism, force-build and GPU requests.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { Image, compileImage, type ImageConfig } from '../../src/image/index.js';
import { DOCKERD_20_10_CAPS, MODERN_CAPS, execNamed, execs, fileActions, kinds, ops, sources } from '../fixtures/image/helpers.js';

const PY = 'docker.io/library/python:3.11-slim';
const PY_CONFIG: ImageConfig = {
  architecture: 'amd64',
  os: 'linux',
  config: {
    Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'PYTHON_VERSION=3.11.9'],
    Cmd: ['python3'],
    WorkingDir: '/srv',
    User: 'app',
    Labels: { 'org.base': 'python' },
    ExposedPorts: { '22/tcp': {} },
  },
  history: [{ created_by: 'base layer' }],
};
const DIGEST = `sha256:${'ab'.repeat(32)}`;

let dir = '';
let previousCwd = '';

beforeAll(() => {
  previousCwd = process.cwd();
  dir = mkdtempSync(join(tmpdir(), 'kiln-image-compile-'));
  for (const d of ['src', 'config', 'other']) {
    mkdirSync(join(dir, d));
    writeFileSync(join(dir, d, 'f.txt'), d);
  }
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(previousCwd);
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  delete process.env['KILN_FORCE_BUILD'];
});

function withBase(image: Image, caps = DOCKERD_20_10_CAPS) {
  return compileImage(image, { caps, baseConfigs: new Map([[PY, { config: PY_CONFIG, digest: DIGEST }]]) });
}

describe('base image configs', () => {
  it('pins the base to the resolved digest and carries env, working directory and user into every step', () => {
    const c = withBase(Image.fromRegistry('python:3.11-slim').runCommands('echo hi').env({ A: '1' }).runCommands('echo two'));
    expect(sources(c.definition)[0]?.identifier).toBe(`docker-image://${PY}@${DIGEST}`);
    const [one, two] = execs(c.definition);
    expect(one?.env).toEqual(['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'PYTHON_VERSION=3.11.9']);
    expect(one?.cwd).toBe('/srv');
    expect(one?.user).toBe('app');
    expect(two?.env).toEqual(['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'PYTHON_VERSION=3.11.9', 'A=1']);
  });

  it('installers run as root when the base image runs as another user', () => {
    const c = withBase(Image.fromRegistry('python:3.11-slim').pipInstall('numpy').runCommands('whoami'));
    expect(execNamed(c.definition, 'pip install numpy').user).toBe('root');
    expect(execNamed(c.definition, 'whoami').user).toBe('app');
  });

  it('the final config is the base config with every change applied, plus history per step', () => {
    const c = withBase(
      Image.fromRegistry('python:3.11-slim')
        .env({ LANG: 'en_US.UTF-8', B: '2' })
        .setEnvVars({ PATH: '/opt/bin:$PATH' })
        .label('org.app', 'x')
        .expose(8080)
        .workdir('app')
        .user('root')
        .runCommands('true'),
    );
    const rc = c.config.config;
    expect(rc.Env).toEqual(['PATH=/opt/bin:/usr/local/bin:/usr/bin:/bin', 'LANG=en_US.UTF-8', 'PYTHON_VERSION=3.11.9', 'B=2']);
    expect(rc.WorkingDir).toBe('/srv/app');
    expect(rc.User).toBe('root');
    expect(rc.Cmd).toEqual(['python3']);
    expect(rc.Labels).toEqual({ 'org.base': 'python', 'org.app': 'x' });
    expect(Object.keys(rc.ExposedPorts ?? {})).toEqual(['22/tcp', '8080/tcp']);
    expect(c.config.history?.map((h) => [h.created_by, h.empty_layer === true])).toEqual([
      ['base layer', false],
      ['ENV LANG=en_US.UTF-8 B=2', true],
      ['ENV PATH=/opt/bin:/usr/local/bin:/usr/bin:/bin', true],
      ['LABEL org.app=x', true],
      ['EXPOSE 8080/tcp', true],
      ['WORKDIR /srv/app', false],
      ['USER root', true],
      ['RUN true', false],
    ]);
  });

  it('an entrypoint clears the base image cmd, but not one set by this image before it', () => {
    expect(withBase(Image.fromRegistry('python:3.11-slim').entrypoint(['/run.sh'])).config.config.Cmd).toBeUndefined();
    expect(withBase(Image.fromRegistry('python:3.11-slim').cmd(['serve']).entrypoint(['/run.sh'])).config.config.Cmd).toEqual(['serve']);
    expect(withBase(Image.fromRegistry('python:3.11-slim').entrypoint(['/run.sh']).cmd(['serve'])).config.config.Cmd).toEqual(['serve']);
  });

  it('offline (no configs) only what the image sets is known; scratch starts with the default PATH', () => {
    const c = compileImage(Image.fromRegistry('python:3.11-slim').env({ A: '1' }));
    expect(c.config).toEqual({ architecture: 'amd64', os: 'linux', config: { Env: ['A=1'] }, history: [{ created_by: 'ENV A=1', comment: 'kiln', empty_layer: true }] });
    expect(compileImage(Image.scratch()).config.config.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    expect(compileImage(Image.fromRegistry('busybox'), { platform: 'linux/arm64/v8' }).config.architecture).toBe('arm64');
  });

  it('Kubetorch expansion uses the base env; unknown variables stay as written', () => {
    const c = withBase(Image.fromRegistry('python:3.11-slim').setEnvVars({ P: '${PYTHON_VERSION}-$NOPE', Q: '\\$LANG', R: '$P/x' }));
    expect(c.config.config.Env?.slice(3)).toEqual(['P=3.11.9-$NOPE', 'Q=$LANG', 'R=3.11.9-$NOPE/x']);
  });

  it('images copied from are compiled with their own base config', () => {
    const builder = Image.fromRegistry('python:3.11-slim').runCommands('make');
    const c = withBase(Image.fromRegistry('busybox').copyFrom(builder, '/out', '/out'));
    expect(c.baseImages).toEqual(['docker.io/library/busybox:latest', PY]);
    expect(execNamed(c.definition, 'make').user).toBe('app');
  });
});

describe('independent layers', () => {
  const image = Image.fromRegistry('busybox')
    .runCommands('echo base')
    .addLocalDir('src', { remotePath: '/app/src' })
    .addLocalDir('config', { remotePath: '/app/config' })
    .addLocalFile('other/f.txt', '/app/')
    .runCommands('ls /app');

  it('consecutive file steps become layers on an empty filesystem, merged in one op', () => {
    const c = compileImage(image, { caps: MODERN_CAPS });
    expect(c.plan.map((p) => p.mode)).toEqual(['chain', 'linked', 'linked', 'linked', 'chain']);
    expect(kinds(c.definition)['merge']).toBe(1);
    const merge = ops(c.definition).find((o) => o.op.op?.type === 'merge');
    expect(merge?.op.inputs.length).toBe(4);
    // Each layer is a copy onto scratch: its only input is its local source.
    const layerCopies = fileActions(c.definition).filter((f) => f.name?.startsWith('copy '));
    expect(layerCopies.map((f) => [f.name, f.actions[0]?.input])).toEqual([
      ['copy src → /app/src', -1],
      ['copy config → /app/config', -1],
      ['copy other/f.txt → /app/', -1],
    ]);
    expect(c.config.history?.filter((h) => h.created_by?.startsWith('copy')).length).toBe(3);
  });

  it('without the mergeop cap the same steps are copied straight onto the image, in order, by one file op', () => {
    const c = compileImage(image, { caps: DOCKERD_20_10_CAPS });
    expect(kinds(c.definition)['merge']).toBeUndefined();
    expect(c.plan.map((p) => p.mode)).toEqual(['chain', 'linked', 'linked', 'linked', 'chain']);
    const combine = fileActions(c.definition).find((f) => f.name === 'copy src → /app/src; copy config → /app/config; copy other/f.txt → /app/');
    expect(combine?.actions.map((a) => (a.action?.type === 'copy' ? [a.action.copy.src, a.action.copy.dest, a.action.copy.dirCopyContents, a.input] : []))).toEqual([
      ['/', '/app/src', true, 0],
      ['/', '/app/config', true, 4],
      ['/f.txt', '/app/', false, 5],
    ]);
    // No layer is built on its own first: the only file op is the combined one.
    expect(fileActions(c.definition).map((f) => f.name)).toEqual(['copy src → /app/src; copy config → /app/config; copy other/f.txt → /app/']);
    expect(c.config.history?.filter((h) => h.created_by?.startsWith('copy')).map((h) => h.created_by)).toEqual([
      'copy src → /app/src; copy config → /app/config; copy other/f.txt → /app/',
    ]);
  });

  it('editing one local directory changes only its own layer, not its siblings', () => {
    const layerDigests = (img: Image) =>
      ops(compileImage(img, { caps: MODERN_CAPS }).definition)
        .filter((o) => o.name?.startsWith('copy '))
        .map((o) => [o.name, o.digest]);
    const before = layerDigests(image);
    const edited = Image.fromRegistry('busybox')
      .runCommands('echo base')
      .addLocalDir('src', { remotePath: '/app/src', ignore: ['*.tmp'] })
      .addLocalDir('config', { remotePath: '/app/config' })
      .addLocalFile('other/f.txt', '/app/')
      .runCommands('ls /app');
    const after = layerDigests(edited);
    expect(after[0]?.[1]).not.toBe(before[0]?.[1]);
    expect(after.slice(1)).toEqual(before.slice(1));
  });

  it('overlapping destinations start a new merge so the later step still wins', () => {
    const c = compileImage(
      Image.fromRegistry('busybox').addLocalDir('src', { remotePath: '/app' }).addLocalDir('config', { remotePath: '/app/config' }),
      { caps: MODERN_CAPS },
    );
    expect(kinds(c.definition)['merge']).toBe(2);
  });

  it('link rules: steps that could change existing directories are copied onto the image instead', () => {
    const reasons = compileImage(
      Image.fromRegistry('busybox')
        .addLocalDir('src', { remotePath: '/opt/a', link: false })
        .addLocalDir('src', { remotePath: '/opt/b', owner: '1000' })
        .addLocalFile('other/f.txt', '/tmp/f.txt')
        .addLocalFile('other/f.txt', '/home/u/f.txt')
        .runCommands('mkdir -p /data && chmod 700 /data')
        .addLocalDir('src', { remotePath: '/data/src' })
        .runCommands('touch x', { cwd: '/work' })
        .addLocalDir('src', { remotePath: '/work/src' })
        .addLocalFile('other/f.txt', '/opt/b/x.txt')
        .addLocalDir('src', { remotePath: '/forced', link: true })
        .user('nobody')
        .addLocalDir('src', { remotePath: '/srv/src' })
        .user('root')
        .addLocalDir('src', { remotePath: '/srv/ok' }),
    ).plan.filter((p) => p.mode !== 'config').map((p) => `${p.mode}${p.reason === '' ? '' : `: ${p.reason}`}`);
    expect(reasons).toEqual([
      'chain: link: false',
      'chain: it sets an owner',
      'chain: it writes into /tmp, a system directory with its own permissions',
      'chain: it writes into /home, a system directory with its own permissions',
      'chain',
      'chain: an earlier command mentions /data',
      'chain',
      'chain: /work was the working directory of an earlier command',
      'chain: /opt/b was given an owner by an earlier step',
      'linked',
      'chain: the build user is nobody',
      'linked',
    ]);
  });

  it("installers do not mark their working directory as touched; the user's commands do", () => {
    const plan = (img: Image) => compileImage(img).plan.filter((p) => p.mode !== 'config').map((p) => p.mode);
    expect(plan(Image.debianSlim().workdir('/app').pipInstall('numpy').addLocalDir('src', { remotePath: '/app/src' }))).toEqual(['chain', 'chain', 'linked']);
    expect(plan(Image.debianSlim().workdir('/app').runCommands('chmod 700 .').addLocalDir('src', { remotePath: '/app/src' }))).toEqual(['chain', 'chain', 'chain']);
  });

  it('the base image user decides too (known once the config is resolved)', () => {
    const img = Image.fromRegistry('python:3.11-slim').addLocalDir('src', { remotePath: '/app' });
    expect(compileImage(img).plan[0]?.mode).toBe('linked');
    expect(withBase(img).plan[0]).toEqual({ name: 'copy src → /app', mode: 'chain', reason: 'the build user is app' });
  });
});

describe('determinism', () => {
  it('the same image compiles to the same bytes, from any context directory on any machine', () => {
    const build = () => Image.debianSlim().aptInstall('git').addLocalDir('src', { remotePath: '/app/src' }).addLocalFile('config/f.txt', '/app/').workdir('/app');
    const here = build().definition();
    const other = mkdtempSync(join(tmpdir(), 'kiln-image-other-'));
    try {
      for (const d of ['src', 'config']) mkdirSync(join(other, d));
      const there = build().definition({ context: other });
      expect(Buffer.from(there.toBytes()).equals(Buffer.from(here.toBytes()))).toBe(true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    for (const s of sources(here)) expect(s.identifier).not.toContain(dir);
    expect(JSON.stringify(sources(here))).not.toContain(tmpdir());
  });

  it('a file added through a symbolic link that leaves its directory is sent from the directory holding the link and its target', () => {
    mkdirSync(join(dir, 'linked', 'sub'), { recursive: true });
    symlinkSync('../src/f.txt', join(dir, 'linked', 'out'));
    symlinkSync('../out', join(dir, 'linked', 'sub', 'twice'));
    symlinkSync('f-in.txt', join(dir, 'linked', 'in'));
    writeFileSync(join(dir, 'linked', 'f-in.txt'), 'in');
    const copied = (img: Image): unknown[] =>
      fileActions(img.definition())
        .flatMap((f) => f.actions)
        .map((a) => (a.action?.type === 'copy' ? a.action.copy.src : undefined))
        .filter((x) => x !== undefined);
    const locals = (img: Image): unknown[] => compileImage(img).locals.map((l) => [l.name.replace(/@.*/, ''), l.include]);
    // Before: sent from linked/ alone (include "out"), so the copy, following the link, found no /src/f.txt.
    const out = Image.debianSlim().addLocalFile('linked/out', '/a/').addLocalFile('linked/sub/twice', '/b/').copyFile('linked/out', '/c/');
    expect(locals(out)).toEqual([['.', ['linked/out']], ['.', ['linked/sub/twice']]]);
    expect(copied(out)).toEqual(['/linked/out', '/linked/sub/twice', '/linked/out']);
    // A Dockerfile's COPY of it too (the context is the working directory here).
    expect(copied(Image.debianSlim().dockerfileCommands(['COPY linked/out /d/']))).toEqual(['/linked/out']);
    // A wildcard matching such a link: the same.
    const wild = Image.debianSlim().copyFile('linked/o*', '/w/');
    expect(locals(wild)).toEqual([['.', ['linked/o*']]]);
    expect(copied(wild)).toEqual(['/linked/o*']);
    // A link that stays in its directory, and a plain file, are sent as before: the same definition.
    expect(locals(Image.debianSlim().copyFile('linked/i*', '/w/'))).toEqual([['linked', ['i*']]]);
    const inside = Image.debianSlim().addLocalFile('linked/in', '/a/').addLocalFile('config/f.txt', '/b/');
    expect(locals(inside)).toEqual([['linked', ['in']], ['config', ['f.txt']]]);
    expect(copied(inside)).toEqual(['/in', '/f.txt']);
  });

  it('a symbolic link given as the source whose target is outside the build context: the error names the link and its target', () => {
    // Before: "copy lo → /c/: .. is outside the build context …", naming neither the link nor where it leads.
    const ctx = join(dir, 'ctx-link-out');
    mkdirSync(join(ctx, 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'outside.txt'), 'out');
    symlinkSync('../outside.txt', join(ctx, 'lo'));
    symlinkSync('../../outside.txt', join(ctx, 'pkg', 'lo2'));
    const refused = (img: Image, what: 'build' | 'dockerfile'): string => {
      try {
        if (what === 'build') compileImage(img, { context: ctx });
        else img.toDockerfile({ context: ctx });
      } catch (err) {
        expect(err).toBeInstanceOf(KilnError);
        expect((err as KilnError).code).toBe('invalid_argument');
        return (err as KilnError).message;
      }
      return 'no error';
    };
    process.chdir(ctx);
    try {
      for (const what of ['build', 'dockerfile'] as const) {
        expect(refused(Image.debianSlim().addLocalFile('lo', '/c/'), what)).toMatch(/\blo is a symbolic link to \.\.\/outside\.txt, which is outside the build context /);
        expect(refused(Image.debianSlim().copyFile('pkg/lo2', '/c/'), what)).toMatch(/\bpkg\/lo2 is a symbolic link to \.\.\/outside\.txt, which is outside the build context /);
        expect(refused(Image.debianSlim().copyFile('pkg/l*', '/c/'), what)).toMatch(/\bpkg\/lo2 is a symbolic link to \.\.\/outside\.txt, which is outside the build context /);
      }
    } finally {
      process.chdir(dir);
    }
  });

  it('local names are relative to the context, with a hash of their filters', () => {
    const c = compileImage(Image.debianSlim().addLocalDir(join(dir, 'src'), { remotePath: '/a' }).addLocalDir('src', { remotePath: '/b', ignore: ['*.log'] }));
    expect(c.locals.map((l) => l.name)).toEqual(['src', expect.stringMatching(/^src@[0-9a-f]{12}$/) as unknown]);
    expect(sources(c.definition).filter((s) => s.identifier.startsWith('local://')).map((s) => s.attrs['local.unique'])).toEqual(['kiln', 'kiln']);
  });

  it('the digest follows the ignore files and a condition\'s verdicts, not the contents of the files copied', () => {
    const ctx = mkdtempSync(join(tmpdir(), 'kiln-image-read-'));
    try {
      mkdirSync(join(ctx, 'app'));
      writeFileSync(join(ctx, 'app', 'main.py'), 'print(1)\n');
      writeFileSync(join(ctx, 'app', '.dockerignore'), '*.log\n');
      const ignoring = Image.debianSlim().addLocalDir('app', { remotePath: '/srv/app', dockerignore: true });
      const filtered = Image.debianSlim().addLocalDir('app', { remotePath: '/srv/app', condition: (p: string) => !p.endsWith('.txt') });
      const digests = (): [string, string] => [ignoring.digest({ context: ctx }), filtered.digest({ context: ctx })];
      const before = digests();
      writeFileSync(join(ctx, 'app', 'main.py'), 'print(2)\n');
      expect(digests()).toEqual(before);
      writeFileSync(join(ctx, 'app', '.dockerignore'), '*.log\n*.tmp\n');
      expect(digests()[0]).not.toBe(before[0]);
      writeFileSync(join(ctx, 'app', 'notes.txt'), 'left out\n');
      expect(digests()[1]).not.toBe(before[1]);
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  });

  it('branches from one template do not affect each other or the template', () => {
    const template = Image.debianSlim().pipInstall('torch');
    const before = template.definition().toBytes();
    const a = template.env({ A: '1' }).runCommands('echo a');
    const b = template.env({ B: '2' }).runCommands('echo b');
    expect(execNamed(a.definition(), 'echo a').env).toEqual(['A=1']);
    expect(execNamed(b.definition(), 'echo b').env).toEqual(['B=2']);
    expect(template.definition().toBytes()).toEqual(before);
  });
});

describe('force build', () => {
  it('forceBuild() makes that step and every later one ignore the cache', () => {
    const c = compileImage(Image.debianSlim().runCommands('a').forceBuild().runCommands('b').addLocalDir('src', { remotePath: '/s' }).runCommands('c'));
    expect(ops(c.definition).filter((o) => o.op.op?.type === 'exec').map((o) => [o.name, o.ignoreCache])).toEqual([
      ['a', false],
      ['b', true],
      ['c', true],
    ]);
    expect(ops(c.definition).find((o) => o.name === 'copy src → /s')?.ignoreCache).toBe(true);
  });

  it('force on one linked copy reruns the op its group shares, whichever member asks', () => {
    for (const caps of [DOCKERD_20_10_CAPS, MODERN_CAPS]) {
      const image = Image.debianSlim()
        .addLocalDir('src', { remotePath: '/opt/src' })
        .addLocalDir('config', { remotePath: '/opt/config', force: true })
        .addLocalDir('other', { remotePath: '/opt/other' });
      const def = compileImage(image, { caps }).definition;
      const shared = ops(def).filter((o) => o.op.op?.type === 'merge' || (o.op.op?.type === 'file' && (o.name ?? '').includes('; ')));
      expect(shared.length, 'one op for the group').toBe(1);
      expect(shared[0]?.ignoreCache).toBe(true);
    }
  });

  it('KILN_FORCE_BUILD=1 ignores the cache for every step without changing the digest', () => {
    const image = Image.debianSlim().runCommands('a').runCommands('b');
    const normal = compileImage(image).definition;
    process.env['KILN_FORCE_BUILD'] = '1';
    const forced = compileImage(image).definition;
    expect(ops(forced).every((o) => o.ignoreCache)).toBe(true);
    expect(forced.digest()).toBe(normal.digest());
    expect(ops(compileImage(image, { forceBuild: false }).definition).some((o) => o.ignoreCache)).toBe(false);
    // Read as Modal reads MODAL_FORCE_BUILD: anything but "", "0" and "false" means yes.
    for (const [value, forcedToo] of [['true', true], ['yes', true], ['TRUE', true], ['0', false], ['false', false], ['False', false], ['', false]] as const) {
      process.env['KILN_FORCE_BUILD'] = value;
      expect(ops(compileImage(image).definition).every((o) => o.ignoreCache), value).toBe(forcedToo);
    }
  });
});

describe('the base image\'s Shell', () => {
  it('shell-form steps run with the base image\'s Shell (a Dockerfile SHELL), as Docker\'s RUN does; argv steps as given', () => {
    const ref = 'docker.io/mambaorg/micromamba:1.5.10-bookworm-slim';
    const shell = ['/usr/local/bin/_dockerfile_shell.sh'];
    const image = Image.fromRegistry(ref).runCommands('python -V', { secrets: [{ id: 'tok', env: 'TOK' }] }).dockerfileCommands(['RUN ["echo", "argv"]']);
    const def = compileImage(image, { baseConfigs: new Map([[ref, { architecture: 'amd64', os: 'linux', config: { Shell: shell } }]]) }).definition;
    expect(execs(def).map((e) => e.args)).toEqual([
      ['/usr/local/bin/_dockerfile_shell.sh', 'export TOK="$(cat /run/secrets/tok)"; python -V'],
      ['echo', 'argv'],
    ]);
    // Without a Shell in the config: /bin/sh -c.
    expect(execs(compileImage(image).definition)[0]?.args.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  });
});

describe('build secrets', () => {
  const secretOpts = (image: Image, name: string) => execNamed(compileImage(image).definition, name).exec.mounts.flatMap((m) => (m.secretOpt === undefined ? [] : [m.secretOpt]));

  it("a step run as another user can read the secrets it asks for: the user's uid when numeric, else mode 0444", () => {
    expect(secretOpts(Image.debianSlim().runCommands('a', { secrets: ['TOK'] }), 'a')).toEqual([{ id: 'TOK', uid: 0, gid: 0, mode: 0o400, optional: false }]);
    expect(secretOpts(Image.debianSlim().user('1000:1001').runCommands('a', { secrets: ['TOK'] }), 'a')).toEqual([{ id: 'TOK', uid: 1000, gid: 1001, mode: 0o400, optional: false }]);
    expect(secretOpts(Image.debianSlim().user('1000').runCommands('a', { secrets: ['TOK'] }), 'a')).toEqual([{ id: 'TOK', uid: 1000, gid: 0, mode: 0o400, optional: false }]);
    expect(secretOpts(Image.debianSlim().user('app').runScript('download.py', { secrets: ['HF_TOKEN'] }), 'run download.py')).toEqual([
      { id: 'HF_TOKEN', uid: 0, gid: 0, mode: 0o444, optional: false },
    ]);
    // A step's own user decides: root's file for a step run as root, the step's user's for one run as another.
    expect(secretOpts(Image.debianSlim().user('app').runCommands('a', { secrets: ['TOK'], user: 'root' }), 'a')).toEqual([{ id: 'TOK', uid: 0, gid: 0, mode: 0o400, optional: false }]);
    expect(secretOpts(Image.debianSlim().runCommands('a', { secrets: ['TOK'], user: '1000' }), 'a')).toEqual([{ id: 'TOK', uid: 1000, gid: 0, mode: 0o400, optional: false }]);
    // Installers kiln runs as root keep root's file.
    expect(secretOpts(Image.debianSlim().user('app').pipInstall('x', { secrets: ['TOK'] }), 'pip install x')).toEqual([{ id: 'TOK', uid: 0, gid: 0, mode: 0o400, optional: false }]);
  });

  it("a Dockerfile exec-form RUN whose secret is an env= variable still runs its whole command", () => {
    const image = Image.debianSlim().dockerfileCommands(['RUN --mount=type=secret,id=tok,env=TOKEN ["python3", "-c", "print(1)"]']);
    // The export wrapper hands the command to `exec "$@"`: `sh` fills $0, so python3 is the first word exec runs.
    expect(execs(compileImage(image).definition)[0]?.args).toEqual([
      '/bin/sh',
      '-c',
      'export TOKEN="$(cat /run/secrets/tok 2>/dev/null || true)"; exec "$@"',
      'sh',
      'python3',
      '-c',
      'print(1)',
    ]);
  });

  it("a Dockerfile's secret mount keeps Docker's rule: root's, 0400, whatever USER is, unless uid=, gid=, mode= say otherwise", () => {
    const image = Image.debianSlim().dockerfileCommands(['USER app', 'RUN --mount=type=secret,id=a cat /run/secrets/a', 'RUN --mount=type=secret,id=b,uid=7 cat /run/secrets/b']);
    const mounts = execs(compileImage(image).definition).flatMap((e) => e.exec.mounts.flatMap((m) => (m.secretOpt === undefined ? [] : [m.secretOpt])));
    expect(mounts).toEqual([
      { id: 'a', uid: 0, gid: 0, mode: 0o400, optional: true },
      { id: 'b', uid: 7, gid: 0, mode: 0o400, optional: true },
    ]);
  });
});

describe('ssh agents', () => {
  const sshOpts = (image: Image, name: string) => execNamed(compileImage(image).definition, name).exec.mounts.flatMap((m) => (m.sshOpt === undefined ? [] : [m.sshOpt]));

  it("a step run as another user can use the agent it asks for: the user's uid when numeric, else mode 0666", () => {
    expect(sshOpts(Image.debianSlim().runCommands('a', { ssh: true }), 'a')).toEqual([{ id: 'default', uid: 0, gid: 0, mode: 0o600, optional: false }]);
    expect(sshOpts(Image.debianSlim().user('1000:1001').runCommands('a', { ssh: true }), 'a')).toEqual([{ id: 'default', uid: 1000, gid: 1001, mode: 0o600, optional: false }]);
    expect(sshOpts(Image.debianSlim().user('app').runCommands('git clone git@github.com:org/x.git', { ssh: true }), 'git clone git@github.com:org/x.git')).toEqual([
      { id: 'default', uid: 0, gid: 0, mode: 0o666, optional: false },
    ]);
    // Image.micromamba()'s Python installers run as mambauser: a git+ssh requirement needs the agent as that user.
    expect(sshOpts(Image.micromamba().pipInstall('git+ssh://git@github.com/org/x.git', { ssh: true }), 'pip install git+ssh://git@github.com/org/x.git')).toEqual([
      { id: 'default', uid: 0, gid: 0, mode: 0o666, optional: false },
    ]);
    // Installers kiln runs as root keep root's socket.
    expect(sshOpts(Image.debianSlim().user('app').pipInstall('x', { ssh: true }), 'pip install x')).toEqual([{ id: 'default', uid: 0, gid: 0, mode: 0o600, optional: false }]);
  });

  it("a Dockerfile's ssh mount keeps Docker's rule: root's, 0600, whatever USER is, unless uid=, gid=, mode= say otherwise", () => {
    const image = Image.debianSlim().dockerfileCommands(['USER app', 'RUN --mount=type=ssh git fetch', 'RUN --mount=type=ssh,uid=7 git pull']);
    const mounts = execs(compileImage(image).definition).flatMap((e) => e.exec.mounts.flatMap((m) => (m.sshOpt === undefined ? [] : [m.sshOpt])));
    expect(mounts).toEqual([
      { id: 'default', uid: 0, gid: 0, mode: 0o600, optional: true },
      { id: 'default', uid: 7, gid: 0, mode: 0o600, optional: true },
    ]);
  });
});

describe('GPU during the build', () => {
  it('fails with unsupported naming the missing capability on daemons without device support', () => {
    for (const caps of [DOCKERD_20_10_CAPS, MODERN_CAPS]) {
      let err: unknown;
      try {
        compileImage(Image.debianSlim().runCommands('nvidia-smi', { gpu: 'A100' }), { caps, daemon: 'dockerd 20.10' });
      } catch (e) {
        err = e;
      }
      expect(KilnError.is(err, 'unsupported')).toBe(true);
      const k = err as KilnError;
      expect(k.message).toContain('"exec.meta.cdi"');
      expect(k.message).toContain('dockerd 20.10');
      expect(k.details['cap']).toBe('exec.meta.cdi');
      expect(k.details['step']).toBe('nvidia-smi');
    }
  });

  it('on a daemon with device support (BuildKit v0.20+ advertises exec.meta.cdi) says that it is kiln that cannot ask yet', () => {
    const caps = new Set([...MODERN_CAPS, 'exec.meta.cdi']);
    let err: unknown;
    try {
      compileImage(Image.debianSlim().runCommands('nvidia-smi', { gpu: 'A100' }), { caps, daemon: 'buildkitd v0.32.2' });
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    const k = err as KilnError;
    expect(k.message).toBe('step "nvidia-smi" asks for a GPU (A100) during the build; buildkitd v0.32.2 supports devices (exec.meta.cdi) but kiln cannot request them yet');
    expect(k.message).not.toContain('does not support it');
    expect(k.details['cap']).toBe('exec.meta.cdi');
  });
});

describe('daemon caps', () => {
  it('a missing cap other than mergeop fails clearly', () => {
    const caps = new Set([...DOCKERD_20_10_CAPS].filter((c) => c !== 'exec.mount.cache'));
    expect(() => compileImage(Image.debianSlim().pipInstall('numpy'), { caps })).toThrow(/exec\.mount\.cache/);
  });

  it('without setsdefaultpath the daemon-less default PATH is added to steps with no PATH', () => {
    const caps = new Set([...DOCKERD_20_10_CAPS].filter((c) => c !== 'exec.meta.setsdefaultpath'));
    const e = execs(compileImage(Image.fromRegistry('busybox').runCommands('true'), { caps }).definition)[0];
    expect(e?.env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  });
});
