/**
 * Images built with kiln's Image API on the real daemon (the private dockerd's BuildKit, or BUILDKIT_HOST), loaded
 * into Docker with the moby exporter and checked the way a user would: `docker image inspect` and `docker run`.
 * Everything is offline-capable: bases come from the environment's mirror, Debian packages from Debian's mirror
 * through the build bridge, Python packages from a tiny index served on the bridge gateway.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image, STANDALONE_PYTHON, buildImage, type BuiltImage } from '../../src/image/index.js';
import { demoWheel, servePackageIndex } from '../fixtures/image/wheel.js';
import { progressText } from './progress-text.js';
import { serveStandalonePython } from './standalone-python-mirror.js';
import { thrown } from '../fixtures/thrown.js';
import { dockerCli, inspectImage, removeImages, testEnv } from './test-env.js';

const env = testEnv();
const run = Math.random().toString(36).slice(2, 8);
const created: string[] = [];
let client: Client;
let context = '';

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  context = mkdtempSync(join(tmpdir(), 'kiln-image-it-'));
  mkdirSync(join(context, 'app', 'pkg'), { recursive: true });
  writeFileSync(join(context, 'app', 'main.py'), 'print("main")\n');
  writeFileSync(join(context, 'app', 'pkg', 'mod.py'), 'X = 1\n');
  writeFileSync(join(context, 'app', 'debug.log'), 'noise\n');
  writeFileSync(join(context, 'app', 'pkg', 'mod.cpython-311.pyc'), 'bytecode\n');
  mkdirSync(join(context, 'conf'));
  writeFileSync(join(context, 'conf', 'settings.ini'), '[app]\nmode=prod\n');
  writeFileSync(join(context, 'VERSION'), '1.2.3\n');
});

afterAll(async () => {
  await client?.close();
  rmSync(context, { recursive: true, force: true });
  await removeImages(created);
});

/** Builds `image` into Docker as `kiln-it/<name>:<run>`. */
async function build(name: string, image: Image, options: Parameters<typeof buildImage>[2] = {}): Promise<BuiltImage & { readonly tag: string }> {
  const tag = `kiln-it/${name}:${run}`;
  created.push(tag);
  const built = await buildImage(client, image, { tags: [tag], context, ...options });
  return { ...built, tag };
}

async function runIn(tag: string, ...cmd: string[]): Promise<string> {
  const r = await dockerCli(['run', '--rm', '--network', 'none', tag, ...cmd]);
  return r.stdout;
}

describe('images built with the Image API', () => {
  it('carry env, working directory, user, entrypoint, cmd, labels, exposed ports and the stop signal into Docker', async () => {
    const image = Image.fromRegistry('debian:bookworm-slim')
      .env({ APP_ENV: 'production', GREETING: 'hello world' })
      .workdir('/srv/app')
      .label('org.example.team', 'platform')
      .expose(8080, '53/udp')
      .user('nobody')
      .stopSignal('QUIT')
      .entrypoint(['/bin/sh', '-c', 'echo "$GREETING from $(pwd) as $(id -un): $0 $*"'])
      .cmd(['default-arg']);
    const built = await build('config', image);
    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const inspect = await inspectImage(built.tag);
    expect(inspect?.id).toBe(built.imageId);
    expect(inspect?.config.env).toContain('APP_ENV=production');
    expect(inspect?.config.env.some((e) => e.startsWith('PATH='))).toBe(true);
    expect(inspect?.config.workingDir).toBe('/srv/app');
    expect(inspect?.config.user).toBe('nobody');
    expect(inspect?.config.entrypoint).toEqual(['/bin/sh', '-c', 'echo "$GREETING from $(pwd) as $(id -un): $0 $*"']);
    expect(inspect?.config.cmd).toEqual(['default-arg']);
    expect(inspect?.config.labels['org.example.team']).toBe('platform');
    expect([...(inspect?.config.exposedPorts ?? [])].sort()).toEqual(['53/udp', '8080/tcp']);
    expect(inspect?.config.stopSignal).toBe('SIGQUIT');
    expect((await runIn(built.tag)).trim()).toBe('hello world from /srv/app as nobody: default-arg');
  });

  it('runs commands with the env, working directory and user of the base image config', async () => {
    const base = await build('base', Image.fromRegistry('debian:bookworm-slim').env({ BASE_VAR: 'from-base' }).workdir('/srv/base').user('nobody'));
    const derived = await build(
      'derived',
      Image.fromRegistry(base.tag)
        .runCommands('echo "$BASE_VAR|$(pwd)|$(id -un)|$STEP_ONLY" > /tmp/report', { env: { STEP_ONLY: 'step' } })
        .env({ LATER: '$BASE_VAR' })
        .setEnvVars({ EXPANDED: '${BASE_VAR}-x' }),
    );
    expect((await runIn(derived.tag, 'cat', '/tmp/report')).trim()).toBe('from-base|/srv/base|nobody|step');
    const inspect = await inspectImage(derived.tag);
    expect(inspect?.config.env).toEqual(expect.arrayContaining(['BASE_VAR=from-base', 'LATER=$BASE_VAR', 'EXPANDED=from-base-x']));
    expect(inspect?.config.env).not.toContain('STEP_ONLY=step');
    expect(inspect?.config.workingDir).toBe('/srv/base');
    expect(inspect?.config.user).toBe('nobody');
  });

  it('installs a Debian package with apt through the bridge network, leaving no package lists or downloads in the image', async () => {
    const built = await build('apt', Image.fromRegistry('debian:bookworm-slim').aptInstall('hello'));
    expect((await runIn(built.tag, 'hello')).trim()).toBe('Hello, world!');
    const leftovers = await runIn(built.tag, 'sh', '-c', 'ls -A /var/lib/apt/lists | grep -v -x -e partial -e lock | wc -l; ls /var/cache/apt/kiln-archives 2>/dev/null | wc -l');
    expect(leftovers.trim().split('\n')).toEqual(['0', '0']);
  });

  it('adds local files and directories (filtered by patterns and by a condition) as independent layers, and rebuilds only what changed', async () => {
    const image = Image.fromRegistry('debian:bookworm-slim')
      .addLocalDir('app', { remotePath: '/opt/app', ignore: ['*.log'], condition: (p) => !p.endsWith('.pyc') })
      .addLocalDir('conf', { remotePath: '/opt/conf' })
      .addLocalFile('VERSION', '/opt/')
      .runCommands('cd /opt && find . -type f | sort > /files.txt');
    const first = await build('files', image);
    expect(first.compiled.plan.map((p) => p.mode)).toEqual(['linked', 'linked', 'linked', 'chain']);
    expect((await runIn(first.tag, 'cat', '/files.txt')).trim().split('\n')).toEqual([
      './VERSION',
      './app/main.py',
      './app/pkg/mod.py',
      './conf/settings.ini',
    ]);
    expect((await runIn(first.tag, 'cat', '/opt/conf/settings.ini'))).toContain('mode=prod');

    // Content no earlier run had, so the daemon's cache cannot already know it.
    writeFileSync(join(context, 'conf', 'settings.ini'), `[app]\nmode=staging-${run}\n`);
    const second = await build('files', image);
    const steps = [...second.outcome.progress.steps.values()].filter((s) => s.kind === 'vertex');
    const cached = (name: string): boolean | undefined => steps.find((s) => s.name === name)?.cached;
    if (second.outcome.llbCaps.has('mergeop')) {
      // Each layer is its own op: only the edited one is built again.
      expect(cached('copy app → /opt/app')).toBe(true);
      expect(cached('copy VERSION → /opt/')).toBe(true);
      expect(cached('copy conf → /opt/conf')).toBe(false);
    } else {
      // dockerd: the three are one copy straight onto the image (no layer of their own to reuse); it runs again.
      expect(cached('copy app → /opt/app; copy conf → /opt/conf; copy VERSION → /opt/')).toBe(false);
    }
    expect((await runIn(second.tag, 'cat', '/opt/conf/settings.ini'))).toContain(`mode=staging-${run}`);
    expect((await runIn(second.tag, 'cat', '/files.txt')).trim().split('\n')).toEqual(['./VERSION', './app/main.py', './app/pkg/mod.py', './conf/settings.ini']);
  });

  it("Chutes' add takes a wildcard source as the ADD it writes does", async () => {
    const image = Image.fromRegistry('debian:bookworm-slim').add('app/*.py', '/opt/py/').setWorkdir('/srv').add('conf/*.ini', 'etc/').add('VERSIO?', './');
    const built = await build('chutes-add-wildcard', image);
    expect((await runIn(built.tag, 'sh', '-c', 'find /opt/py /srv -type f | sort')).trim().split('\n')).toEqual(['/opt/py/main.py', '/srv/VERSION', '/srv/etc/settings.ini']);
  });

  it("Chutes' add takes wildcards in a middle path element, as the ADD it writes does under docker build", async () => {
    for (const [d, f] of [['pkgs/a/dist', 'a-1.0-py3-none-any.whl'], ['pkgs/b/dist', 'b-2.0-py3-none-any.whl'], ['pkgs/b/dist', 'notes.txt'], ['pkgs/c/build', 'c-3.0-py3-none-any.whl']] as const) {
      mkdirSync(join(context, d), { recursive: true });
      writeFileSync(join(context, d, f), `${f}\n`);
    }
    try {
      const image = Image.fromRegistry('debian:bookworm-slim').add('pkgs/*/dist/*.whl', '/wheels/');
      const ours = await build('chutes-add-middle-wildcard', image);
      const listing = 'find /wheels -type f | sort; cat /wheels/*';
      const mine = (await runIn(ours.tag, 'sh', '-c', listing)).trim().split('\n');
      expect(mine).toEqual(['/wheels/a-1.0-py3-none-any.whl', '/wheels/b-2.0-py3-none-any.whl', 'a-1.0-py3-none-any.whl', 'b-2.0-py3-none-any.whl']);
      // docker build of the Dockerfile kiln writes for it copies the same.
      writeFileSync(join(context, 'Dockerfile.add'), image.toDockerfile());
      const theirs = `kiln-it/chutes-add-middle-wildcard-docker:${run}`;
      created.push(theirs);
      await dockerCli(['build', '-q', '-f', join(context, 'Dockerfile.add'), '-t', theirs, context], { env: { DOCKER_BUILDKIT: '1' } });
      expect((await runIn(theirs, 'sh', '-c', listing)).trim().split('\n')).toEqual(mine);
    } finally {
      // Later tests list the context.
      rmSync(join(context, 'pkgs'), { recursive: true, force: true });
      rmSync(join(context, 'Dockerfile.add'), { force: true });
    }
  });

  it("Chutes' add and copyFile refuse a wildcard that matches nothing, before building; a Dockerfile COPY of it copies nothing", async () => {
    // Chutes globs the source in the build directory and fails when nothing matches; kiln used to copy nothing.
    for (const image of [Image.fromRegistry('debian:bookworm-slim').add('app/*.whl', '/wheels/'), Image.fromRegistry('debian:bookworm-slim').copyFile('conf/*/*.py', '/wheels/')]) {
      const err: unknown = await build('chutes-add-no-match', image).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(KilnError);
      expect((err as KilnError).code).toBe('not_found');
      expect((err as KilnError).message).toContain('matches no local file: ');
      expect((err as KilnError).message).toMatch(/: (app\/\*\.whl|conf\/\*\/\*\.py) \(in .*kiln-image-it-/);
    }
    // A pattern matching a directory (Chutes' glob matches it too) is fine; so is the same empty match in a Dockerfile.
    const dir = await build('chutes-add-dir-match', Image.fromRegistry('debian:bookworm-slim').add('ap?', '/opt/a/'));
    expect((await runIn(dir.tag, 'sh', '-c', 'find /opt/a -type f | sort')).trim().split('\n')).toContain('/opt/a/main.py');
    const copy = await build('dockerfile-copy-no-match', Image.fromRegistry('debian:bookworm-slim').dockerfileCommands(['COPY app/*.whl /wheels/']));
    expect(await runIn(copy.tag, 'sh', '-c', 'ls -A /wheels 2>/dev/null | wc -l')).toBe('0\n');
  });

  it("Chutes' add unpacks a local tar archive, as the ADD it writes does under docker build; copyFile copies it", async () => {
    const src = join(context, 'bundle-src');
    mkdirSync(join(src, 'lib'), { recursive: true });
    writeFileSync(join(src, 'lib', 'tool.py'), 'print("tool")\n');
    writeFileSync(join(src, 'README'), 'bundle\n');
    execFileSync('tar', ['-czf', join(context, 'bundle.tar.gz'), '-C', src, 'lib', 'README']);
    try {
      const image = Image.fromRegistry('debian:bookworm-slim').add('bundle.tar.gz', '/opt/bundle/').copyFile('bundle.tar.gz', '/opt/kept/');
      const ours = await build('chutes-add-archive', image);
      const listing = 'find /opt/bundle /opt/kept -type f | sort; cat /opt/bundle/lib/tool.py';
      const mine = (await runIn(ours.tag, 'sh', '-c', listing)).trim().split('\n');
      expect(mine).toEqual(['/opt/bundle/README', '/opt/bundle/lib/tool.py', '/opt/kept/bundle.tar.gz', 'print("tool")']);
      // docker build of the Dockerfile kiln writes for it (ADD, then COPY) gives the same.
      writeFileSync(join(context, 'Dockerfile.archive'), image.toDockerfile());
      const theirs = `kiln-it/chutes-add-archive-docker:${run}`;
      created.push(theirs);
      await dockerCli(['build', '-q', '-f', join(context, 'Dockerfile.archive'), '-t', theirs, context], { env: { DOCKER_BUILDKIT: '1' } });
      expect((await runIn(theirs, 'sh', '-c', listing)).trim().split('\n')).toEqual(mine);
    } finally {
      // Later tests list the context.
      for (const f of ['bundle-src', 'bundle.tar.gz', 'Dockerfile.archive']) rmSync(join(context, f), { recursive: true, force: true });
    }
  });

  it('an ENV value with a line break: a Dockerfile build arg gives it as docker build does; env() and toDockerfile() refuse it, as no Dockerfile can write it', async () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const dockerfile = 'FROM debian:bookworm-slim\nARG CERT\nENV CERT=$CERT\n';
    writeFileSync(join(context, 'Dockerfile.cert'), dockerfile);
    try {
      const image = Image.fromDockerfile(join(context, 'Dockerfile.cert'), { buildArgs: { CERT: cert } });
      const ours = await build('env-line-break', image);
      const theirs = `kiln-it/env-line-break-docker:${run}`;
      created.push(theirs);
      await dockerCli(['build', '-q', '-f', join(context, 'Dockerfile.cert'), '--build-arg', `CERT=${cert}`, '-t', theirs, context], { env: { DOCKER_BUILDKIT: '1' } });
      const printed = await runIn(ours.tag, 'printenv', 'CERT');
      expect(printed).toBe(`${cert}\n`);
      expect(await runIn(theirs, 'printenv', 'CERT')).toBe(printed);
      // A Dockerfile cannot hold the value (ENV ends at the line break; no escape writes one), so toDockerfile() refuses
      // rather than write a different image, and so does the API's env (Modal's, Chutes' and Kubetorch's would write a
      // broken Dockerfile or setup line).
      expect(thrown(() => image.toDockerfile()).code).toBe('invalid_argument');
      for (const define of [() => Image.fromRegistry('debian:bookworm-slim').env({ CERT: cert }), () => Image.fromRegistry('debian:bookworm-slim').withEnv('CERT', cert), () => Image.fromRegistry('debian:bookworm-slim').setEnvVars({ CERT: cert })]) {
        expect(thrown(define).code).toBe('invalid_argument');
      }
    } finally {
      rmSync(join(context, 'Dockerfile.cert'), { force: true });
    }
  });

  it("Modal's add_local_dir ignore predicate leaves out the files it returns true for", async () => {
    const image = Image.fromRegistry('debian:bookworm-slim').addLocalDir('app', '/opt/app', { copy: true, ignore: (p) => p.endsWith('.log') || p.startsWith('pkg/') });
    const built = await build('modal-ignore-fn', image);
    expect((await runIn(built.tag, 'find', '/opt/app', '-type', 'f')).trim().split('\n')).toEqual(['/opt/app/main.py']);
  });

  it("Modal's shell: later commands run in that shell, and the image keeps it", async () => {
    const image = Image.fromRegistry('debian:bookworm-slim').shell(['/bin/bash', '-o', 'pipefail', '-c']).runCommands('echo "${BASH_VERSION%%.*}" > /bash-major; shopt -o pipefail >> /bash-major');
    const built = await build('modal-shell', image);
    expect((await runIn(built.tag, 'cat', '/bash-major')).trim().split('\n').map((l) => l.replace(/\s+/g, ' '))).toEqual(['5', 'pipefail on']);
    const shell = await dockerCli(['image', 'inspect', '--format', '{{json .Config.Shell}}', built.tag]);
    expect(JSON.parse(shell.stdout)).toEqual(['/bin/bash', '-o', 'pipefail', '-c']);
  });

  it('copies from another image built in the same build (multi-stage)', async () => {
    const builder = Image.fromRegistry('busybox').runCommands('mkdir -p /out && echo "built by stage one" > /out/artifact.txt');
    const built = await build('multistage', Image.fromRegistry('debian:bookworm-slim').copyFrom(builder, '/out', '/opt/dist'));
    expect((await runIn(built.tag, 'cat', '/opt/dist/artifact.txt')).trim()).toBe('built by stage one');
  });

  it('exports through the output option: files land, a cancelled build leaves nothing, a push is reported', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kiln-output-'));
    try {
      const image = Image.fromRegistry('busybox:latest').runCommands(`echo ${run} > /made-by-kiln`);
      const built = await buildImage(client, image, { context, output: `type=local,dest=${join(out, 'rootfs')}` });
      expect(readFileSync(join(out, 'rootfs', 'made-by-kiln'), 'utf8')).toBe(`${run}\n`);
      expect(built.exported).toMatchObject({ dest: join(out, 'rootfs'), pushed: false });

      const ac = new AbortController();
      const slow = Image.fromRegistry('busybox:latest').runCommands(`echo sleeping ${run}; sleep 300`);
      const cancelled = buildImage(client, slow, {
        context,
        output: { type: 'tar', dest: join(out, 'never.tar') },
        signal: ac.signal,
        onStatus: (e) => {
          if (e.logs.some((l) => Buffer.from(l.data).toString().includes('sleeping'))) ac.abort(new Error('deploy superseded'));
        },
      });
      // The error's cause is the reason the caller gave.
      await expect(cancelled).rejects.toMatchObject({ code: 'cancelled', cause: { message: 'deploy superseded' } });
      expect(readdirSync(out)).toEqual(['rootfs']);

      const name = `${env.registry.address}/kiln-output/pushed:${run}`;
      const pushed = await buildImage(client, image, { context, output: { type: 'image', names: [name], push: true, insecure: true } });
      expect(pushed.exported).toMatchObject({ names: [name], pushed: true });
      expect(pushed.names).toEqual([name]);
      const tags = (await (await fetch(`${env.registry.url}/v2/kiln-output/pushed/tags/list`)).json()) as { tags: string[] };
      expect(tags.tags).toContain(run);
      // The digest is the one the registry holds (on dockerd, not the image ID), so name@digest pulls what was pushed.
      const manifestTypes = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';
      const held = await fetch(`${env.registry.url}/v2/kiln-output/pushed/manifests/${run}`, { method: 'HEAD', headers: { Accept: manifestTypes } });
      expect(pushed.digest).toBe(held.headers.get('docker-content-digest'));
      expect(pushed.exported?.digest).toBe(pushed.digest);
      expect((await fetch(`${env.registry.url}/v2/kiln-output/pushed/manifests/${pushed.digest}`, { method: 'HEAD', headers: { Accept: manifestTypes } })).status).toBe(200);

      // A caller without types (or casting) still gets the run-time refusal; TypeScript refuses the pair.
      // @ts-expect-error output and exporter together
      await expect(buildImage(client, image, { context, output: 'type=local,dest=x', exporter: { type: 'moby' } })).rejects.toMatchObject({ code: 'invalid_argument' });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('an export this machine cannot write (a full disk: /dev/full) is an io error naming the destination, not the daemon\'s export step with registry advice', async () => {
    const image = Image.fromRegistry('busybox:latest').runCommands(`echo ${run} > /full-disk`);
    // A tarball is streamed over the session on every daemon; a docker tarball on dockerd's classic store is saved from
    // Docker's store instead: both are written by kiln.
    for (const output of [{ type: 'tar', dest: '/dev/full' }, { type: 'docker', names: [], dest: '/dev/full' }] as const) {
      const err = await buildImage(client, image, { context, output }).catch((e: unknown) => e);
      expect(KilnError.is(err, 'io'), String(err)).toBe(true);
      expect((err as KilnError).message).toBe('cannot write the export to /dev/full (ENOSPC)');
      expect((err as KilnError).details.path).toBe('/dev/full');
      expect((err as KilnError).hint).toMatch(/disk of the destination is full/);
    }
  });

  it('cancelling one build while the client first asks the daemon what it is leaves the builds started with it alone; a dozen builds at once on one client raise no listener warning', async () => {
    const fresh = await Client.connect({ address: env.buildkitHost });
    try {
      const ac = new AbortController();
      const image = (s: string) => Image.fromRegistry('busybox:latest').runCommands(`echo ${s}-${run}`);
      const dir = mkdtempSync(join(tmpdir(), 'kiln-info-abort-'));
      const a = buildImage(fresh, image('a'), { context, output: `type=tar,dest=${join(dir, 'a.tar')}`, signal: ac.signal });
      const b = buildImage(fresh, image('b'), { context, output: `type=tar,dest=${join(dir, 'b.tar')}` });
      // Both are waiting for the daemon's info (workers, version, caps: several round trips) when A is cancelled.
      setImmediate(() => ac.abort(new Error('A superseded')));
      const [ra, rb] = await Promise.allSettled([a, b]);
      expect(rb.status).toBe('fulfilled');
      expect(ra.status === 'rejected' ? ra.reason : undefined).toMatchObject({ code: 'cancelled', message: 'the build was cancelled', cause: { message: 'A superseded' } });
      rmSync(dir, { recursive: true, force: true });
      // Many builds at once on one client are normal for build tooling: no MaxListenersExceededWarning.
      const warnings: string[] = [];
      const onWarning = (w: Error): void => void warnings.push(w.name);
      process.on('warning', onWarning);
      try {
        await Promise.all(Array.from({ length: 12 }, (_, i) => buildImage(fresh, image(`many-${i % 2}`), { context })));
        await new Promise((r) => setImmediate(r));
      } finally {
        process.off('warning', onWarning);
      }
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      await fresh.close();
    }
  });

  it('builds of one process pushing or saving the same name at once each push and save their own image', async () => {
    const name = `${env.registry.address}/kiln-output/race:${run}`;
    const image = (i: number) => Image.fromRegistry('busybox:latest').runCommands(`echo race-${i}-${run} > /race`).label('race', String(i));
    const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';
    const labelOf = async (digest: string): Promise<string | undefined> => {
      const manifest = (await (await fetch(`${env.registry.url}/v2/kiln-output/race/manifests/${digest}`, { headers: { Accept: accept } })).json()) as { config: { digest: string } };
      const config = (await (await fetch(`${env.registry.url}/v2/kiln-output/race/blobs/${manifest.config.digest}`)).json()) as { config?: { Labels?: Record<string, string> } };
      return config.config?.Labels?.['race'];
    };
    const pushes = await Promise.all([0, 1, 2, 3].map((i) => buildImage(client, image(i), { context, output: { type: 'image', names: [name], push: true, insecure: true } })));
    expect(await Promise.all(pushes.map((b) => labelOf(b.digest as string)))).toEqual(['0', '1', '2', '3']);

    const dir = mkdtempSync(join(tmpdir(), 'kiln-save-race-'));
    try {
      await Promise.all([0, 1, 2, 3].map((i) => buildImage(client, image(i), { context, output: `type=docker,name=${name},dest=${join(dir, `${i}.tar`)}` })));
      for (const i of [0, 1, 2, 3]) {
        const loaded = (await dockerCli(['load', '-q', '-i', join(dir, `${i}.tar`)])).stdout;
        expect(loaded).toContain(name);
        expect((await dockerCli(['image', 'inspect', '-f', '{{index .Config.Labels "race"}}', name])).stdout.trim()).toBe(String(i));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await dockerCli(['rmi', '-f', name], { allowFailure: true });
    }
  });

  it('on dockerd the image is named in the dockerd that built it, whatever the docker option says; from a buildkitd the option is where it loads', async () => {
    const tag = `kiln-it/named-here:${run}`;
    created.push(tag);
    const image = Image.fromRegistry('busybox:latest').runCommands(`echo named-here-${run} > /n`);
    const elsewhere = { socketPath: '/nonexistent/kiln/docker.sock' };
    if (client.address.address.kind === 'docker') {
      await buildImage(client, image, { context, tags: [tag], docker: elsewhere });
      expect(await runIn(tag, 'cat', '/n')).toBe(`named-here-${run}\n`);
    } else {
      // The Docker to load into must answer before anything is built.
      const statuses: unknown[] = [];
      await expect(buildImage(client, image, { context, tags: [tag], docker: elsewhere, onStatus: (e) => statuses.push(e) })).rejects.toMatchObject({ message: expect.stringContaining('/nonexistent/kiln/docker.sock') });
      expect(statuses).toEqual([]);
    }
  });

  it('refuses a malformed tag before building, on every daemon', async () => {
    const statuses: unknown[] = [];
    const err = await buildImage(client, Image.fromRegistry('busybox:latest').runCommands(`echo ${run}`), { tags: ['Review/UP:1'], context, onStatus: (e) => statuses.push(e) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toMatch(/^cannot name the image: .*lowercase/);
    expect(statuses).toEqual([]);
  });

  it('reads DOCKER_HOST, SOURCE_DATE_EPOCH and KILN_FORCE_BUILD from the env the client was connected with, not process.env', async () => {
    const saved = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = 'unix:///nonexistent/kiln/docker.sock';
    const own = await Client.connect({ address: env.buildkitdStandIn.unix, env: { DOCKER_HOST: env.dockerHost, SOURCE_DATE_EPOCH: '1700000000' } });
    try {
      const tag = `kiln-it/client-env:${run}`;
      created.push(tag);
      // The stand-in is a buildkitd to kiln: the image is loaded into the Docker of the client's DOCKER_HOST.
      const built = await buildImage(own, Image.fromRegistry('busybox:latest').runCommands(`echo ${run} > /env-test`), { tags: [tag], context });
      expect(built.config.created).toBe('2023-11-14T22:13:20Z');
      expect(await runIn(tag, 'cat', '/env-test')).toBe(`${run}\n`);
    } finally {
      await own.close();
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
    }
  });

  it('refuses, before running anything, a platform no worker runs when the image runs commands', async () => {
    // The test environment registers Debian's QEMU, so the workers run many platforms: take one neither engine runs.
    const offered = new Set((await client.info()).workers.flatMap((w) => w.platforms.map((p) => `${p.os}/${p.architecture}${p.variant === undefined ? '' : `/${p.variant}`}`)));
    const foreign = ['linux/s390x', 'linux/riscv64', 'linux/mips64le', 'linux/ppc64le', 'linux/loong64', 'linux/arm/v7', 'linux/arm/v6'].find((p) => !offered.has(p));
    expect(foreign).toBeDefined(); // a daemon emulating every one of these would need another candidate here
    const events: string[] = [];
    const err = await buildImage(client, Image.fromRegistry('busybox:latest').runCommands('uname -m > /arch'), {
      context,
      platform: foreign as string,
      onStatus: (e) => events.push(...e.vertexes.map((v) => v.name)),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    expect((err as KilnError).message).toMatch(new RegExp(`^cannot build for ${foreign as string}: the daemon's workers run .*linux/amd64.*, and this image runs commands \\(1 step\\)$`));
    expect((err as KilnError).hint).toContain('binfmt');
    expect(events.some((n) => n.includes('uname'))).toBe(false);
  });

  it('reads build secrets in a step without leaving them in the image', async () => {
    const image = Image.fromRegistry('debian:bookworm-slim').runCommands('printf %s "$API_TOKEN" | sha256sum | cut -c1-16 > /token-hash', { secrets: ['API_TOKEN'] });
    await expect(buildImage(client, image, { context })).rejects.toMatchObject({ code: 'invalid_argument', message: `the image's steps read the build secret "API_TOKEN", but no secrets were given` });
    // A misspelt id is caught before any step runs, not when the step reading it fails (or never, when it is cached).
    await expect(buildImage(client, image, { context, secrets: ['id=API_TOKNE,env=HOME'] })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: `the image's steps read the build secret "API_TOKEN", which was not given (given: "API_TOKNE")`,
      hint: expect.stringContaining('--secret id=API_TOKEN,env=API_TOKEN') as string,
    });
    const built = await build('secret', image, { secrets: [{ id: 'API_TOKEN', value: 'not-in-the-image' }] });
    const expected = (await runIn(built.tag, 'sh', '-c', 'printf %s not-in-the-image | sha256sum | cut -c1-16')).trim();
    expect((await runIn(built.tag, 'cat', '/token-hash')).trim()).toBe(expected);
    const found = await runIn(built.tag, 'sh', '-c', 'grep -rl not-in-the-image / --exclude-dir=proc --exclude-dir=sys 2>/dev/null | wc -l');
    expect(found.trim()).toBe('0');
  });

  it('keeps a step that reads a secret cached when only the secret\'s value changes (forceBuild reruns it)', async () => {
    // As BuildKit (and docker build): the cache key holds the secret's id, never its value.
    const step = `echo ${run} > /dev/null; printf %s "$API_TOKEN" > /token`;
    const image = Image.fromRegistry('busybox:latest').runCommands(step, { secrets: ['API_TOKEN'] });
    const cached = (b: BuiltImage): boolean | undefined => [...b.outcome.progress.steps.values()].find((s) => s.name === step)?.cached;
    const first = await build('secret-value-1', image, { secrets: [{ id: 'API_TOKEN', value: 'first-value' }] });
    expect(cached(first)).toBe(false);
    const second = await build('secret-value-2', image, { secrets: [{ id: 'API_TOKEN', value: 'second-value' }] });
    expect(cached(second)).toBe(true);
    expect(await runIn(second.tag, 'cat', '/token')).toBe('first-value');
    const forced = await build('secret-value-3', Image.fromRegistry('busybox:latest').runCommands(step, { secrets: ['API_TOKEN'], forceBuild: true }), {
      secrets: [{ id: 'API_TOKEN', value: 'second-value' }],
    });
    expect(cached(forced)).toBe(false);
    expect(await runIn(forced.tag, 'cat', '/token')).toBe('second-value');
  });

  it('pip-installs from a package index reachable from build steps', async () => {
    const wheel = demoWheel('kiln_demo', '0.1', 'hello from a kiln wheel');
    const index = await servePackageIndex(env.bridge.gateway, [{ project: 'kiln-demo', ...wheel }]);
    try {
      const image = Image.fromRegistry('python:3.11-slim').pipInstall('kiln-demo==0.1', { indexUrl: index.url, extraOptions: ['--trusted-host', index.host] });
      const built = await build('pip', image);
      expect((await runIn(built.tag, 'python3', '-c', 'import kiln_demo; print(kiln_demo.GREETING)')).trim()).toBe('hello from a kiln wheel');
    } finally {
      await index.close();
    }
  });

  it('adds Python to a CUDA base image (distribution package strategy)', async () => {
    const built = await build('cuda-python', Image.fromRegistry('nvidia/cuda:11.8.0-runtime-ubuntu22.04').withPython('3.11').runCommands('python --version > /py.txt 2>&1 && pip --version >> /py.txt'));
    const out = await runIn(built.tag, 'cat', '/py.txt');
    expect(out).toMatch(/^Python 3\.11\.\d+\npip \d+/);
    const inspect = await inspectImage(built.tag);
    expect(inspect?.config.env).toContain('CUDA_VERSION=11.8.89');
  });

  /** Runs `use` with a local stand-in for python-build-standalone serving `full` from release `tag` (its archive's SHA-256 `sha256`). */
  async function withStandaloneMirror(full: string, tag: string, use: (mirror: string, requests: readonly string[], path: string, sha256: string) => Promise<void>): Promise<void> {
    const mirror = await serveStandalonePython(full, tag);
    try {
      await use(mirror.url, mirror.requests, mirror.path, mirror.sha256);
    } finally {
      await mirror.close();
    }
  }

  it('adds Python to an image whose distribution has another version (standalone-build strategy, from a mirror)', async () => {
    await withStandaloneMirror('3.12.7', STANDALONE_PYTHON.tag, async (mirror, requests, path, sha256) => {
      // The ubuntu:22.04 stand-in's apt offers Python 3.11, so 3.12 comes from the mirror; curl, which the download
      // needs, comes from the distribution's packages unpacked into a temporary directory, never installed: the
      // image's package database and logs are untouched, and ca-certificates' setup never runs.
      const image = Image.fromRegistry('ubuntu:22.04')
        .aptInstall('libexpat1')
        .withPython('3.12', { standaloneMirror: mirror, standaloneSha256: { x86_64: sha256 } })
        .runCommands('python -c "import sys; print(sys.prefix)" > /py.txt && pip --version >> /py.txt && readlink -f /usr/local/bin/python3 >> /py.txt');
      const built = await build('standalone-python', image);
      const lines = (await runIn(built.tag, 'cat', '/py.txt')).trim().split('\n');
      expect(lines[0]).toBe('/opt/python/3.12.7');
      expect(lines[1]).toContain('from /opt/python/3.12.7/lib/python3/dist-packages/pip');
      expect(lines[2]).toBe('/opt/python/3.12.7/bin/python3.12');
      expect(requests).toEqual([path]);
      expect((await runIn(built.tag, 'sh', '-c', "command -v curl || echo none; dpkg-query -W -f '${Status}\\n' curl ca-certificates libcurl4 2>&1 | grep -c 'install ok installed' || true")).trim().split('\n')).toEqual(['none', '0']);
      expect((await runIn(built.tag, 'sh', '-c', 'grep -l curl /var/log/dpkg.log /var/log/apt/history.log 2>/dev/null; ls /tmp')).trim()).toBe('');
      expect(progressText(built)).not.toContain('Updating certificates');
      // The package the image asked for stays.
      expect((await runIn(built.tag, 'dpkg-query', '-W', '-f', '${Status}', 'libexpat1')).trim()).toBe('install ok installed');
    });
    // apt, dpkg and the download all run in the daemon: 20-40 s alone, past 180 s with npm test's passes side by side.
  }, 360_000);

  it('installs exactly the patch version asked for: not the distribution\'s other 3.11 release, but that release\'s standalone build', async () => {
    // The distribution (bookworm under the ubuntu:22.04 stand-in) has Python 3.11.2; 3.11.5 comes from release 20230826.
    // This image has curl already (the user's): the step downloads with it, and it stays. (Installing a downloader,
    // and removing it again, is the test above; skipping it here also skips ca-certificates' slow setup.)
    await withStandaloneMirror('3.11.5', '20230826', async (mirror, requests, path, sha256) => {
      const base = Image.fromRegistry('ubuntu:22.04').aptInstall('libexpat1').aptInstall('curl');
      // The stand-in is not the release's archive: with python-build-standalone's checksum (as uv lists it) the
      // download is refused before anything is unpacked, the step failing with both checksums and what to do.
      const refused = await buildImage(client, base.withPython('3.11.5', { standaloneMirror: mirror }), { context }).then(() => undefined, (e: unknown) => e);
      expect(KilnError.is(refused, 'build_failed')).toBe(true);
      expect((refused as KilnError).message).toContain(
        `kiln: the download of Python 3.11.5 from ${mirror}20230826/cpython-3.11.5+20230826-x86_64-unknown-linux-gnu-install_only.tar.gz has SHA-256 ${sha256}, ` +
          "not fbed6f7694b2faae5d7c401a856219c945397f772eea5ca50c6eb825cbc9d1e1 (python-build-standalone's archive, as uv lists it): the server sent another file.",
      );
      // Its own checksum given, as for a mirror of one's own builds: installed.
      const image = base.withPython('3.11.5', { standaloneMirror: mirror, standaloneSha256: { x86_64: sha256 } }).runCommands('python -c "import sys; print(sys.prefix)" > /py.txt');
      const built = await build('exact-python', image);
      expect((await runIn(built.tag, 'cat', '/py.txt')).trim()).toBe('/opt/python/3.11.5');
      expect(requests).toEqual([path, path]);
      expect((await runIn(built.tag, 'sh', '-c', "command -v curl; dpkg-query -W -f '${Status}\\n' curl")).trim().split('\n')).toEqual(['/usr/bin/curl', 'install ok installed']);
    });
  }, 360_000); // the daemon's apt and dpkg, as above

  it('uses the distribution\'s Python when it is the exact patch version asked for, and fails naming the builds that exist when nothing has it', async () => {
    // The ubuntu:22.04 stand-in's distribution (bookworm) packages Python 3.11.2.
    const built = await build('distro-exact-python', Image.fromRegistry('ubuntu:22.04').withPython('3.11.2').runCommands('python --version > /py.txt 2>&1 && command -v python3.11 >> /py.txt'));
    expect((await runIn(built.tag, 'cat', '/py.txt')).trim()).toBe('Python 3.11.2\n/usr/bin/python3.11');
    let err: unknown;
    try {
      await buildImage(client, Image.fromRegistry('ubuntu:22.04').withPython('3.11.99'), { context });
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    expect((err as KilnError).message).toContain('Python 3.11.99 is not in the image or its distribution');
    expect((err as KilnError).message).toContain('3.11.5, 3.11.6');
  });

  it('withEnv(PATH, "/opt/x/bin:$PATH") prepends to PATH as Chutes\' ENV does, and later steps find their commands', async () => {
    const image = new Image({ username: 'kiln-it', name: 'with-env', tag: run })
      .fromBase('debian:bookworm-slim')
      .withEnv('PATH', '/opt/x/bin:$PATH')
      .runCommand('ls / > /dev/null && echo "$PATH" > /path.txt');
    const built = await build('with-env-path', image);
    expect((await runIn(built.tag, 'cat', '/path.txt')).trim()).toBe('/opt/x/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });

  it('names a base image the daemon cannot get, with what to check', async () => {
    const ref = `${env.registry.address}/kiln-it/no-such-base:${run}`;
    const err = await buildImage(client, Image.fromRegistry(ref).runCommands('true'), { context }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    const k = err as KilnError;
    expect(k.message).toContain(`step "[internal] load metadata for ${ref}" failed`);
    expect(k.message).toContain('not found');
    expect(k.details['baseImage']).toBe(ref);
    expect(k.hint).toBe(
      `Check that ${ref} exists (name, tag), that the daemon can reach ${env.registry.address} and trusts its certificate, and for a private registry that credentials are available: docker login ${env.registry.address}, or fromRegistry(ref, { secret }). kiln doctor --registry ${env.registry.address} checks the connection, certificate and login.`,
    );
  });

  it('reports a GPU request the daemon cannot serve as unsupported, naming the capability and the daemon', async () => {
    let err: unknown;
    try {
      await buildImage(client, Image.fromRegistry('busybox').runCommands('nvidia-smi', { gpu: true }), { context });
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    expect((err as KilnError).details['cap']).toBe('exec.meta.cdi');
    // The refusal says which daemon cannot: the one asked, as `kiln doctor` describes it.
    expect((err as KilnError).message).toContain(`; ${(await client.info()).description} does not support it`);
  });

  it('builds the same filesystem and config from toDockerfile() with the daemon', async () => {
    // Independent steps included: they become stages and COPY --from in the Dockerfile.
    const image = Image.fromRegistry('debian:bookworm-slim')
      .env({ A: 'x y' })
      .workdir('/w')
      .runCommands('echo one > one.txt')
      .runCommands('mkdir -p /w/gen/a && echo "$A" > /w/gen/a/x && echo junk > /tmp/junk-a', { outputs: ['/w/gen/a'] })
      .env({ B: 'b' })
      .runCommands('mkdir -p /w/gen/b && echo "$B" > /w/gen/b/x && chmod 744 /w/gen/b/x && chmod 700 /w/gen/b', { outputs: ['/w/gen/b'] })
      .runCommands('cat /w/gen/a/x > /w/from-a.txt', { outputs: ['/w/from-a.txt'] })
      .addLocalFile('VERSION', '/w/')
      // A name Docker would read as a pattern (it would copy data1.csv): the Dockerfile matches it alone.
      .addLocalFile('data[1].csv', '/w/')
      .user('nobody')
      .cmd(['cat', '/w/one.txt']);
    writeFileSync(join(context, 'data[1].csv'), 'bracket\n');
    writeFileSync(join(context, 'data1.csv'), 'not me\n');
    const ours = await build('dockerfile-kiln', image);
    writeFileSync(join(context, 'Dockerfile.kiln'), image.toDockerfile());
    const theirs = `kiln-it/dockerfile-docker:${run}`;
    created.push(theirs);
    await dockerCli(['build', '-q', '-f', join(context, 'Dockerfile.kiln'), '-t', theirs, context], { env: { DOCKER_BUILDKIT: '1' } });
    const a = await inspectImage(ours.tag);
    const b = await inspectImage(theirs);
    for (const key of ['env', 'workingDir', 'user', 'cmd', 'entrypoint'] as const) expect(a?.config[key]).toEqual(b?.config[key]);
    expect(image.toDockerfile()).toContain('COPY --from=kiln-1-2 /w/gen/b /w/gen/b');
    const listing = 'find /w /tmp -printf "%p %m %u %s\\n" | sort; cat /w/one.txt /w/VERSION /w/gen/a/x /w/gen/b/x /w/from-a.txt';
    const mine = await runIn(ours.tag, 'sh', '-c', listing);
    expect(mine).toBe(await runIn(theirs, 'sh', '-c', listing));
    // An output directory's contents keep their modes; the directory itself is created as COPY creates it.
    expect(mine).toContain('/w/gen/b/x 744 root');
    expect(mine).toContain('/w/gen/b 755 root');
    expect(mine).not.toContain('junk');
    expect(mine).toContain('/w/data[1].csv 644 root');
    expect(mine).not.toContain('data1.csv');
    expect(image.toDockerfile()).toContain('COPY data[[]1].csv /w/');
  });

  it('gives the same environment and labels from toDockerfile() with the daemon: setEnvVars chains, escapes, quotes', async () => {
    const image = Image.fromRegistry('debian:bookworm-slim')
      .env({ GREETING: 'say "hi"  to  $USER \\ ${X' })
      // Kubetorch's example: each value sees the ones before it in the same call; Docker's one-line ENV would not.
      .setEnvVars({ BASE_PATH: '/usr/local', BIN_PATH: '$BASE_PATH/bin', PATH: '$BIN_PATH:$PATH' })
      .setEnvVars({
        PRICE: '\\$5 for ${BASE_PATH}',
        OPEN: '${BASE_PATH',
        POS: '$1 and $',
        QUOTED: 'a "quoted" value with  spaces and a \\ backslash',
        DATA: '${HOME}/data:$NOPE',
      })
      .dockerfileCommands(['ARG V=arg', 'ENV V=env W=$V B=$BASE_PATH BASE_PATH=/opt C=$BASE_PATH'])
      // Docker's defaults and alternatives, against a variable the base image sets (PATH) and ones nothing sets.
      .dockerfileCommands(['ARG A2=warg', 'ENV EMPTY= D8=${A2:-x} D9=${A2:+set}', 'ENV D1=${NOPE:-/usr/local/cuda}/bin D2=${PATH:+set} D3=${EMPTY:-fallback} D4=${NOPE:+x}y D5=${NOPE:-${V}-n} D6=${NOPE:-a\\}b} D7="${NOPE:-two words}"'])
      .labels({ 'org.example.note': 'say "hi" $HOME \\ ${X', 'two words': 'x  y' })
      // Paths are literal in kiln; WORKDIR and COPY would expand "$" and drop a backslash unless escaped.
      .workdir('/srv/$BASE_PATH/a\\b')
      .addLocalFile('VERSION', '/srv/$V/')
      .cmd(['env']);
    const ours = await build('dockerfile-env-kiln', image);
    writeFileSync(join(context, 'Dockerfile.env'), image.toDockerfile());
    const theirs = `kiln-it/dockerfile-env-docker:${run}`;
    created.push(theirs);
    await dockerCli(['build', '-q', '-f', join(context, 'Dockerfile.env'), '-t', theirs, context], { env: { DOCKER_BUILDKIT: '1' } });
    const a = await inspectImage(ours.tag);
    const b = await inspectImage(theirs);
    const expected = [
      'PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'GREETING=say "hi"  to  $USER \\ ${X',
      'BASE_PATH=/opt',
      'BIN_PATH=/usr/local/bin',
      'PRICE=$5 for /usr/local',
      'OPEN=${BASE_PATH',
      'POS=$1 and $',
      'QUOTED=a "quoted" value with  spaces and a \\ backslash',
      'DATA=${HOME}/data:$NOPE',
      // Dockerfile ENV: every value against the variables from before the instruction, as Docker does.
      'V=env',
      'W=arg',
      'B=/usr/local',
      'C=/usr/local',
      'EMPTY=',
      'D8=warg',
      'D9=set',
      'D1=/usr/local/cuda/bin',
      'D2=set',
      'D3=fallback',
      'D4=y',
      'D5=env-n',
      'D6=a}b',
      'D7=two words',
    ];
    expect(a?.config.env).toEqual(expected);
    expect(b?.config.env).toEqual(expected);
    const labels = { 'org.example.note': 'say "hi" $HOME \\ ${X', 'two words': 'x  y' };
    expect(a?.config.labels).toMatchObject(labels);
    expect(a?.config.labels).toEqual(b?.config.labels);
    expect(a?.config.workingDir).toBe('/srv/$BASE_PATH/a\\b');
    expect(b?.config.workingDir).toBe(a?.config.workingDir);
    const listing = 'find /srv -printf "%p %m\\n" | sort';
    const mine = await runIn(ours.tag, 'sh', '-c', listing);
    expect(await runIn(theirs, 'sh', '-c', listing)).toBe(mine);
    expect(mine).toContain('/srv/$V/VERSION 644');
  });
});
