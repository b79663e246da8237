/** The kiln CLI as a user runs it: spawned processes against the real daemon. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKOUT_INDEX_URL, CHECKOUT_KILN_BIN, runKiln } from './kiln-cli.js';
import { dockerCli, processGoneWithin, STEP_GONE_MS, testEnv } from './test-env.js';

const env = testEnv();
// The checkout's own CLI (the sources through tsx, or the developer's dist/): every other file runs kiln compiled as
// installed (kiln-cli.ts); this one keeps the path a developer runs, and its modules import the sources.
const kiln = CHECKOUT_KILN_BIN;
const fixtures = fileURLToPath(new URL('../fixtures/cli-basics/', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [kiln, ...args], {
      cwd: fixtures,
      env: { ...process.env, BUILDKIT_HOST: env.buildkitHost, DOCKER_HOST: env.dockerHost, NO_COLOR: '1', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('kiln CLI', () => {
  it('builds a module export, loads it into Docker, and the image runs', async () => {
    const tag = `kiln-cli/hello:${Date.now()}`;
    const r = await run(['build', 'hello.ts:hello', '-t', tag, '--load', '--progress', 'plain']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
    // dockerd exports into its store; from a buildkitd the image comes over as a docker tarball.
    expect(r.stderr).toMatch(/#\d+ exporting to (image|docker image format)/);
    expect(r.stderr).toMatch(/\d+ steps?, \d+ cached, done in/);
    const out = await dockerCli(['run', '--rm', '--network', 'none', tag]);
    expect(out.stdout).toBe('hi from the kiln CLI\n');
  });

  it('names the image by -t when the output has its own name= (as docker buildx build does), and says so', async () => {
    const stamp = `${process.pid}-${Date.now()}`;
    const r = await run(['build', 'hello.ts:hello', '-t', `kiln-cli/tagged:${stamp}`, '-o', `type=docker,name=kiln-cli/other:${stamp}`, '--progress', 'plain']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`[kiln] naming the image kiln-cli/tagged:${stamp} (-t), not kiln-cli/other:${stamp} (the output's name=): -t replaces name=, as with docker buildx build`);
    expect(r.stderr).toContain(`named docker.io/kiln-cli/tagged:${stamp}`);
    expect((await dockerCli(['image', 'inspect', '--format', '{{.Id}}', `kiln-cli/tagged:${stamp}`])).code).toBe(0);
    expect((await dockerCli(['image', 'inspect', `kiln-cli/other:${stamp}`], { allowFailure: true })).code).not.toBe(0);
  });

  it('--annotation puts the annotation on the pushed manifest, or is refused before building by a dockerd whose exporter drops it', async () => {
    const stamp = `${process.pid}-${Date.now()}`;
    const ref = `${env.registry.address}/kiln-cli/annotated:${stamp}`;
    const r = await run(['build', 'hello.ts:hello', '-o', `type=image,name=${ref},push=true,registry.insecure=true`, '--annotation', `org.kiln.test=${stamp}`, '--progress', 'plain']);
    const res = await fetch(`${env.registry.url}/v2/kiln-cli/annotated/manifests/${stamp}`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
    if (r.stderr.includes('error:')) {
      // dockerd's classic image store: its exporter reads only the image's names.
      expect(r.stderr).toContain(`error: annotation.org.kiln.test=${stamp} is not applied to an image stored by dockerd`);
      expect(r.code).not.toBe(0);
      expect(res.status).toBe(404);
      return;
    }
    expect(r.code).toBe(0);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { annotations?: Record<string, string> }).annotations).toMatchObject({ 'org.kiln.test': String(stamp) });
  });

  it('prints the LLB digest and the Dockerfile offline', async () => {
    const digest = await run(['llb', 'hello.ts:hello', '--digest'], { BUILDKIT_HOST: 'unix:///nonexistent.sock' });
    expect(digest.code).toBe(0);
    expect(digest.stdout.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The Definition is what a build sends: base images pinned by a lock file, file times from SOURCE_DATE_EPOCH.
    const lockDir = mkdtempSync(join(tmpdir(), 'kiln-cli-lock-'));
    const pin = `sha256:${'ab'.repeat(32)}`;
    writeFileSync(join(lockDir, 'kiln.lock.json'), JSON.stringify({ version: 1, images: { 'docker.io/library/busybox:latest': { 'linux/amd64': pin } } }));
    try {
      const plain = await run(['llb', 'hello.ts:hello', '--json']);
      expect(plain.stdout).toContain('docker-image://docker.io/library/busybox:latest"');
      const pinned = await run(['llb', 'hello.ts:hello', '--json', '--lock-file', join(lockDir, 'kiln.lock.json')]);
      expect(pinned.code).toBe(0);
      expect(pinned.stdout).toContain(`docker-image://docker.io/library/busybox:latest@${pin}`);
      expect(pinned.stderr).toMatch(/1 base image pinned by .*kiln\.lock\.json/);
      const sameDigest = await run(['llb', 'hello.ts:hello', '--digest', '--lock-file', join(lockDir, 'kiln.lock.json')]);
      expect(sameDigest.stdout).toBe(digest.stdout);
      const missing = await run(['llb', 'hello.ts:hello', '--json', '--lock-file', join(lockDir, 'nope.json')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/--lock-file .*nope\.json does not exist/);
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
    const dockerfile = await run(['dockerfile', 'hello.ts:hello']);
    expect(dockerfile.stdout).toContain('FROM busybox:latest');
    expect(dockerfile.stdout).toContain('ENV GREETING="hi from the kiln CLI"');
  });

  it('exits 2 for usage errors: unknown flag, no Image export, a module that throws', async () => {
    const flag = await run(['build', 'hello.ts', '--no-such-flag']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--no-such-flag'/);
    const none = await run(['build', 'hello.ts:notAnImage']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/export "notAnImage" of hello\.ts is not an Image/);
    const broken = await run(['build', 'throws.ts']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/module throws\.ts failed to load: this image module is broken on purpose/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    // A Dockerfile is not a module: the hint shows the module that builds it.
    const dockerfile = await run(['build', 'Dockerfile']);
    expect(dockerfile.code).toBe(2);
    expect(dockerfile.stderr).toContain('error: module Dockerfile is not a .ts, .mts, .js or .mjs file');
    expect(dockerfile.stderr).toContain("export default Image.fromDockerfile(\"Dockerfile\");");
  });

  it('builds a module that takes its image from a sibling TypeScript file, in a directory without a package.json', async () => {
    const project = mkdtempSync(join(tmpdir(), 'kiln-cli-sibling-'));
    try {
      mkdirSync(join(project, 'images'));
      writeFileSync(join(project, 'images', 'base.ts'), `import { Image } from '${CHECKOUT_INDEX_URL}';\n\nexport const base: Image = Image.fromRegistry('busybox:latest');\n`);
      writeFileSync(join(project, 'image.ts'), "import { base } from './images/base.ts';\n\nexport default base.runCommands('echo from-sibling > /built-by');\n");
      const out = join(project, 'out');
      const r = await runKiln(['build', 'image.ts', '--output', `type=local,dest=${out}`, '--progress', 'quiet'], { cwd: project, bin: kiln });
      expect(r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
      expect(readFileSync(join(out, 'built-by'), 'utf8')).toBe('from-sibling\n');
      // Files, not an image: no digest on stdout (the README's "stdout" note).
      expect(r.stdout).toBe('');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('names a missing local directory and the context it was looked up in, before building; --context fixes it', async () => {
    const missing = await run(['build', 'app-image.ts']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/the image copies a local path that does not exist: app \(in .*cli-basics\)/);
    expect(missing.stderr).toMatch(/hint: Local paths are relative to the build context/);
    expect(missing.stderr).not.toMatch(/#\d+ /); // nothing was sent to the daemon
    const fileContext = mkdtempSync(join(tmpdir(), 'kiln-cli-file-'));
    try {
      writeFileSync(join(fileContext, 'app'), 'a file where the image expects a directory\n');
      const wrongKind = await run(['build', 'app-image.ts', '--context', fileContext]);
      expect(wrongKind.code).toBe(2);
      expect(wrongKind.stderr).toContain(`error: the image copies app as a directory, but it is a file (in ${fileContext})`);
      expect(wrongKind.stderr).toContain("hint: Copy a single file with addLocalFile('app', …)");
    } finally {
      rmSync(fileContext, { recursive: true, force: true });
    }
    const fixed = await run(['build', 'app-image.ts', '--context', 'project', '--progress', 'quiet']);
    expect(fixed.code).toBe(0);
    // quiet: no progress, no summary; what became of the result only.
    expect(fixed.stderr).toBe('built (no output requested: add --load, --push, -t or --output to keep the result)\n');
  });

  it('exits 1 with the address and a hint when the daemon is unreachable; --debug adds a stack', async () => {
    const r = await run(['--addr', 'unix:///nonexistent/buildkitd.sock', 'build', 'hello.ts:hello']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach the BuildKit daemon at unix:\/\/\/nonexistent\/buildkitd\.sock/);
    expect(r.stderr).toMatch(/hint: Start a daemon/);
    const debug = await run(['--debug', '--addr', 'unix:///nonexistent/buildkitd.sock', 'info']);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("says when the address is a Docker daemon's API socket (or another HTTP server) and what to use instead", async () => {
    const dockerSock = env.dockerHost.replace(/^unix:\/\//, '');
    const r = await run(['--addr', `unix://${dockerSock}`, 'info']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: cannot use unix://${dockerSock} (chosen from --addr): it is a Docker daemon's API, not BuildKit's gRPC endpoint`);
    expect(r.stderr).toContain(`hint: Reach the BuildKit inside that dockerd with --addr docker://unix://${dockerSock}`);
    const server = createServer((_req, res) => {
      res.statusCode = 404;
      res.end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const web = await run(['--addr', `tcp://127.0.0.1:${port}`, 'info']);
      expect(web.code).toBe(1);
      expect(web.stderr).toContain(`error: cannot use tcp://127.0.0.1:${port} (chosen from --addr): an HTTP/1 server answers there (404 Not Found), not a BuildKit daemon`);
    } finally {
      server.close();
    }
  });

  it('doctor reports the daemon it uses: the socket of a docker://unix:// address, and --addr or BUILDKIT_HOST as the source', async () => {
    const address = `docker://unix://${env.dockerSocket}`;
    const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // DOCKER_HOST points elsewhere: a docker:// address's own socket is what --load and pushes use, so it is checked.
    const elsewhere = 'unix:///tmp/kiln-no-docker-here.sock';
    const flag = await run(['--addr', address, 'doctor'], { DOCKER_HOST: elsewhere });
    expect(flag.stdout).toMatch(new RegExp(`^ok +address: ${esc(address)} \\(chosen by --addr\\)$`, 'm'));
    expect(flag.stdout).toMatch(/^ok +daemon: dockerd /m);
    expect(flag.stdout).toMatch(new RegExp(`^ok +docker api: unix://${esc(env.dockerSocket)}: Docker \\S+ \\(the dockerd kiln builds on, chosen by --addr;`, 'm'));
    expect(flag.stdout).not.toContain('/var/run/docker.sock');
    expect(flag.stdout).not.toContain(elsewhere);

    const fromEnv = await run(['doctor', '--json'], { BUILDKIT_HOST: address, DOCKER_HOST: elsewhere });
    const report = JSON.parse(fromEnv.stdout) as { checks: { name: string; status: string; detail: string }[] };
    const check = (name: string) => report.checks.find((c) => c.name === name);
    expect(check('address')).toMatchObject({ status: 'ok', detail: `${address} (chosen by BUILDKIT_HOST)` });
    expect(check('daemon')?.status).toBe('ok');
    expect(check('docker api')).toMatchObject({ status: 'ok' });
    expect(check('docker api')?.detail).toMatch(new RegExp(`^unix://${esc(env.dockerSocket)}: Docker \\S+ \\(the dockerd kiln builds on, chosen by BUILDKIT_HOST;`));
    expect(fromEnv.stdout).not.toMatch(/chosen (by|from) --addr/);
  });

  /**
   * `kiln build slow.ts` (a step that sleeps), resolved once the step runs on the daemon; `stderr()` is what it printed
   * so far, `exited` its exit code. Both waits fail with kiln's output rather than hang: a kiln that ended before its
   * step ran (the daemon refused the build), or a kiln that does not exit once signalled, is said at once.
   */
  async function startSlowBuild(marker: string, extraArgs: readonly string[] = []) {
    const child = spawn(process.execPath, [kiln, 'build', 'slow.ts', '--progress', 'plain', ...extraArgs], {
      cwd: fixtures,
      env: { ...process.env, BUILDKIT_HOST: env.buildkitHost, NO_COLOR: '1', KILN_CLI_MARKER: marker },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The step's process (its command line carries the marker) on the daemon's host rather than kiln's progress
    // output: the plain printer may hold a running step's log line back while another step has the screen, and a
    // signal sent to a step that already ended would prove nothing.
    // A daemon whose processes this host cannot see (a remote BUILDKIT_HOST): the step's `started` line, 3 s on.
    let startedSeen: number | undefined;
    const running = (): boolean => {
      if (spawnSync('pgrep', ['-f', marker]).status === 0) return true;
      if (startedSeen === undefined && /\d started/.test(stderr)) startedSeen = Date.now();
      return startedSeen !== undefined && Date.now() - startedSeen > 3000;
    };
    for (const since = Date.now(); !running(); await new Promise((r) => setTimeout(r, 100))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`kiln ended (${child.exitCode ?? child.signalCode}) before its step ran:\n${stderr}`);
      if (Date.now() - since > 90_000) {
        child.kill('SIGKILL');
        throw new Error(`the step did not start within 90 s:\n${stderr}`);
      }
    }
    /** The exit code, once kiln ended; fails with what it printed if it has not ended within a minute. */
    const exited = (async (): Promise<number | null> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 60_000)));
      const end = await Promise.race([closed, late]);
      clearTimeout(timer);
      if (end !== 'late') return end;
      child.kill('SIGKILL');
      throw new Error(`kiln did not end within a minute of being signalled:\n${stderr}`);
    });
    return { child, exited, stderr: () => stderr };
  }

  it('Ctrl-C cancels the running step on the daemon and exits 130', async () => {
    const marker = `kiln-cli-slow-${process.pid}-${Date.now()}`;
    const build = await startSlowBuild(marker);
    const sent = Date.now();
    build.child.kill('SIGINT');
    expect(await build.exited()).toBe(130);
    expect(await processGoneWithin(marker, sent, STEP_GONE_MS)).toBe(true);
  });

  it('a progress reader that goes away (kiln build 2>&1 | head -1) ends kiln quietly with 141, not 0, the step stops and no half-written export is left', async () => {
    const marker = `kiln-cli-epipe-${process.pid}-${Date.now()}`;
    const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-epipe-'));
    try {
      writeFileSync(
        join(dir, 'ticking.ts'),
        `import { Image } from ${JSON.stringify(CHECKOUT_INDEX_URL)};\n` +
          `export default Image.fromRegistry('busybox:latest').runCommands('echo started ${marker}; while true; do echo tick; sleep 0.2; done');\n`,
      );
      const child = spawn(process.execPath, [kiln, 'build', 'ticking.ts', '--progress', 'plain', '--output', 'type=local,dest=out'], {
        cwd: dir,
        env: { ...process.env, BUILDKIT_HOST: env.buildkitHost, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      let stderr = '';
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          if (/ started kiln-cli-epipe/.test(stderr)) resolve();
        });
      });
      // What `head` does once it has its line: close the read end; kiln's next progress line meets a closed pipe.
      const closed = Date.now();
      child.stderr.destroy();
      expect(await exited).toBe(141);
      expect(await processGoneWithin(marker, closed, STEP_GONE_MS)).toBe(true);
      // Cancelled as on SIGTERM before exiting: the export's staging directory beside `out` was removed.
      expect(readdirSync(dir)).toEqual(['ticking.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGHUP (the terminal was closed) cancels the build too, exits 129 and leaves no half-written export or metadata file', async () => {
    const marker = `kiln-cli-hup-${process.pid}-${Date.now()}`;
    const outDir = mkdtempSync(join(tmpdir(), 'kiln-cli-hup-'));
    try {
      const build = await startSlowBuild(marker, ['--output', `type=local,dest=${join(outDir, 'rootfs')}`, '--metadata-file', join(outDir, 'meta.json')]);
      const sent = Date.now();
      // A closed terminal hangs up the job twice (the kernel, then the shell): the second must not cut the cleanup short.
      build.child.kill('SIGHUP');
      build.child.kill('SIGHUP');
      expect(await build.exited()).toBe(129);
      expect(build.stderr()).toContain('error: the build was cancelled (SIGHUP)');
      expect(await processGoneWithin(marker, sent, STEP_GONE_MS)).toBe(true);
      expect(readdirSync(outDir)).toEqual([]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('SIGTERM (timeout, CI cancel) cancels the build too, exits 143 and leaves no half-written export', async () => {
    const marker = `kiln-cli-term-${process.pid}-${Date.now()}`;
    const outDir = mkdtempSync(join(tmpdir(), 'kiln-cli-term-'));
    try {
      const build = await startSlowBuild(marker, ['--output', `type=local,dest=${join(outDir, 'rootfs')}`]);
      const sent = Date.now();
      build.child.kill('SIGTERM');
      expect(await build.exited()).toBe(143);
      expect(build.stderr()).toContain('error: the build was cancelled (SIGTERM)');
      expect(build.stderr()).not.toContain('--debug');
      expect(await processGoneWithin(marker, sent, STEP_GONE_MS)).toBe(true);
      expect(readdirSync(outDir)).toEqual([]);
      expect(existsSync(join(outDir, 'rootfs'))).toBe(false);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
