/**
 * `kiln build` with the `docker buildx build` / `buildctl build` flags it does not take: refused (usage error, exit
 * 2) before any module or daemon is used, saying what kiln does instead — not "unknown option", and never taken and
 * ignored.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(args, { stdout, stderr, env: {}, cwd: process.cwd() });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('kiln build with buildx / buildctl flags it does not take', () => {
  it.each([
    [['--build-arg', 'VERSION=1'], 'no --build-arg (a docker buildx build flag)', 'buildArgs'],
    [['--build-arg', 'HTTP_PROXY=http://p:3128', '--build-arg', 'VERSION=1'], 'no --build-arg', 'proxy args (HTTP_PROXY, HTTPS_PROXY, FTP_PROXY, NO_PROXY, ALL_PROXY) are taken'],
    [['-f', 'Dockerfile'], 'no --file (a docker buildx build flag)', 'Image.fromDockerfile'],
    [['--target', 'runtime'], 'no --target', 'image.ts:exportName'],
    [['--label', 'a=b'], 'no --label', "image.label('name', 'value')"],
    [['--pull'], 'no --pull', '--lock'],
    [['--network', 'host'], 'no --network', "network: 'host'"],
    [['--add-host', 'idx:10.0.0.1'], 'no --add-host', 'hosts:'],
    [['--check'], 'no --check', 'kiln llb'],
    [['--call', 'outline'], 'no --call', 'kiln dockerfile'],
    [['--builder', 'ci'], 'no --builder', 'BUILDX_BUILDER=NAME'],
    [['--frontend', 'dockerfile.v0'], 'no --frontend (a buildctl build flag)', 'needs no frontend'],
    [['--opt', 'build-arg:A=1'], 'no --opt (a buildctl build flag)', 'buildArgs'],
    [['--local', 'context=.'], 'no --local', '--context DIR'],
    [['--export-cache', 'type=inline'], 'no --export-cache', 'use --cache-to'],
    [['--import-cache', 'type=registry,ref=r'], 'no --import-cache', 'use --cache-from'],
    [['--no-cache-filter', 'deps'], 'no --no-cache-filter (a docker buildx build flag)', '{ force: true }'],
    [['--shm-size', '2g'], 'no --shm-size', "type: 'tmpfs', dest: '/dev/shm', size"],
    [['--ulimit', 'nofile=1024:1024'], 'no --ulimit', 'ulimits: [{'],
    [['--cgroup-parent', 'build.slice'], 'no --cgroup-parent', 'cgroupParent'],
    [['--memory', '2g'], 'no --memory (a docker buildx build flag)', 'kiln sets no CPU or memory limits on build steps'],
    [['-m', '2g'], 'no --memory', 'state.run({ args, cgroupParent })'],
    [['--memory-swap', '-1'], 'no --memory-swap', 'kiln sets no CPU or memory limits'],
    [['-c', '512'], 'no --cpu-shares', 'kiln sets no CPU or memory limits'],
    [['--cpu-period', '100000'], 'no --cpu-period', 'kiln sets no CPU or memory limits'],
    [['--cpu-quota=50000'], 'no --cpu-quota', 'kiln sets no CPU or memory limits'],
    [['--cpuset-cpus', '0-3'], 'no --cpuset-cpus', 'kiln sets no CPU or memory limits'],
    [['--cpuset-mems', '0'], 'no --cpuset-mems', 'kiln sets no CPU or memory limits'],
    [['--squash'], 'no --squash', "Image.scratch().copyFrom(built, '/', '/')"],
    [['--isolation', 'hyperv'], 'no --isolation', 'Windows container isolation'],
    [['--security-opt', 'seccomp=unconfined'], 'no --security-opt', "security: 'insecure'"],
  ])('%j is refused with what to do instead', async (args, message, instead) => {
    const r = await run(['build', 'no-such-module.ts', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: kiln build has ${message}`);
    expect(r.stderr).toContain(instead);
    expect(r.stderr).not.toContain('no-such-module');
  });

  it.each([
    [['--provenance=false']],
    [['--sbom', 'false']],
    [['--attest', 'type=provenance,disabled=true', '--attest', 'type=sbom,disabled=true']],
    [['--rm']],
    [['--force-rm']],
    [['--compress']],
    [['--build-arg', 'HTTP_PROXY=http://proxy.corp:3128', '--build-arg', 'https_proxy', '--build-arg', 'NO_PROXY=localhost']],
  ])(
    '%j asks for what kiln does (no attestation: attestation-flags.test.ts, no intermediate containers, the context as it is, proxies for the steps as docker build passes them), and is taken',
    async (args) => {
      const r = await run(['build', 'no-such-module.ts', ...args]);
      expect(r.stderr).not.toContain('kiln build has no');
      expect(r.stderr).toContain('no-such-module');
    },
  );

  it('the refused flags stay out of kiln build --help (--build-arg only as the proxies it takes)', async () => {
    const r = await run(['build', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/--build-arg \S+/g)).toEqual(['--build-arg HTTP_PROXY=…', '--build-arg NAME']);
    expect(r.stdout).not.toMatch(/--frontend|--pull|--no-cache-filter|--memory|--squash|--rm|--compress/);
  });
});
