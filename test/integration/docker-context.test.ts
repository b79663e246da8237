/**
 * A developer's first `kiln build` with no flags: Docker is reached through the docker context the docker CLI made
 * current (as on Docker Desktop, Colima, OrbStack or rootless Docker), here one that points at the test dockerd.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CHECKOUT_KILN_BIN, runKiln } from './kiln-cli.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
// cli-basics' modules import the sources (../../../src): the checkout's CLI runs them, so that their Image is its own.
const fixtures = fileURLToPath(new URL('../fixtures/cli-basics/', import.meta.url));
const bin = CHECKOUT_KILN_BIN;

describe('kiln follows the current docker context', () => {
  it('builds and loads with no flags through the context `docker context use` selected, and doctor says why', async () => {
    const config = mkdtempSync(join(tmpdir(), 'kiln-docker-context-'));
    try {
      // The docker CLI writes the context files itself (meta.json under contexts/meta/<sha256 of the name>).
      const docker = (args: string[]): Promise<unknown> => promisify(execFile)(env.dockerCliPath, args, { env: { PATH: process.env['PATH'], DOCKER_CONFIG: config } });
      await docker(['context', 'create', 'laptop', '--docker', `host=${env.dockerHost}`]);
      await docker(['context', 'use', 'laptop']);
      // What a laptop has: no BUILDKIT_HOST, no DOCKER_HOST, no /var/run/docker.sock of this daemon.
      const laptop = { BUILDKIT_HOST: undefined, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, BUILDX_BUILDER: undefined, BUILDX_CONFIG: undefined, DOCKER_CONFIG: config };
      const why = `Docker daemon of docker context "laptop" (currentContext in ${join(config, 'config.json')})`;

      const doctor = await runKiln(['doctor'], { cwd: fixtures, env: laptop, bin });
      expect(doctor.stdout).toContain(`ok    address: docker://${env.dockerHost} (chosen by ${why})`);

      const tag = `kiln-context/hello:${Date.now()}`;
      const build = await runKiln(['build', 'hello.ts:hello', '-t', tag, '--load', '--progress', 'plain'], { cwd: fixtures, env: laptop, bin });
      expect(build.stderr).not.toMatch(/^error:/m);
      expect(build.code).toBe(0);
      const out = await dockerCli(['run', '--rm', '--network', 'none', tag]);
      expect(out.stdout).toBe('hi from the kiln CLI\n');
      await dockerCli(['rmi', tag]);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  it('a docker context kiln cannot reach (ssh://) does not stop a build on BUILDKIT_HOST whose output never goes to Docker', async () => {
    const config = mkdtempSync(join(tmpdir(), 'kiln-docker-context-'));
    try {
      const docker = (args: string[]): Promise<unknown> => promisify(execFile)(env.dockerCliPath, args, { env: { PATH: process.env['PATH'], DOCKER_CONFIG: config } });
      // A remote Docker reached over ssh, the context a developer may have made current for other work.
      await docker(['context', 'create', 'remote', '--docker', 'host=ssh://dev@build-box.invalid']);
      await docker(['context', 'use', 'remote']);
      const dest = join(config, 'rootfs.tar');
      const build = await runKiln(['build', 'hello.ts:hello', '-o', `type=tar,dest=${dest}`, '--progress', 'plain'], {
        cwd: fixtures,
        env: { BUILDKIT_HOST: env.buildkitHost, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, BUILDX_BUILDER: undefined, BUILDX_CONFIG: undefined, DOCKER_CONFIG: config },
        bin,
      });
      expect(build.stderr).not.toMatch(/^error:/m);
      expect(build.code).toBe(0);
      expect(build.stderr).toContain(`wrote ${dest}`);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});
