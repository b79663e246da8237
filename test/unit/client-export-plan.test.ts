import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { KilnError } from '../../src/errors.js';

const base = { workers: [], llbCaps: new Set<string>(), frontendCaps: new Set<string>() };
const buildkitd: DaemonInfo = { ...base, kind: 'buildkitd', version: 'v0.13.2', description: 'buildkitd v0.13.2' };
const classic: DaemonInfo = { ...base, kind: 'dockerd', version: '20.10.24', imageStore: 'graphdriver', description: 'dockerd 20.10.24 (embedded BuildKit v0.8)' };
const containerd: DaemonInfo = { ...base, kind: 'dockerd', version: '26.1.5', imageStore: 'containerd', description: 'dockerd 26.1.5 (embedded BuildKit, containerd image store)' };
const dir = mkdtempSync(join(tmpdir(), 'kiln-export-plan-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<KilnError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof KilnError)) throw new Error(`expected a KilnError, got ${String(err)}`);
  return err;
}

describe('planExport', () => {
  it('refuses to build for a load into a Docker that does not answer, naming where it looked', async () => {
    const socketPath = join(dir, 'no-docker.sock');
    const err = await rejection(planExport({ type: 'docker', names: ['app:1'] }, buildkitd, 'unix:///run/buildkit/buildkitd.sock', { docker: { socketPath } }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(socketPath);
    expect(err.hint).toMatch(/DOCKER_HOST/);
  });

  it('refuses a malformed image name before the build, naming it', async () => {
    const err = await rejection(planExport({ type: 'image', names: ['Worker:Latest'] }, buildkitd, 'unix:///run/buildkit/buildkitd.sock'));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe('cannot name the image: invalid image reference "Worker:Latest": repository name must be lowercase (try "worker:Latest")');
    expect(err.hint).toContain('-t myapp:dev');
    const plan = await planExport({ type: 'image', names: ['127.0.0.1:5000/team/app:1.0', 'app'] }, buildkitd, 'unix:///run/buildkit/buildkitd.sock');
    expect(plan.exporter.attrs?.['name']).toBe('127.0.0.1:5000/team/app:1.0,docker.io/library/app:latest');
  });

  it('loads into dockerd with its own exporter, whatever its image store; kiln names the image after the export', async () => {
    for (const info of [classic, containerd]) {
      const plan = await planExport({ type: 'docker', names: ['app:1'] }, info, 'docker://unix:///var/run/docker.sock');
      expect(plan.exporter).toEqual({ type: 'moby', attrs: {} });
    }
  });

  it('writes oci and docker tarballs with the exporters where the daemon has them', async () => {
    for (const info of [buildkitd, containerd]) {
      for (const type of ['oci', 'docker'] as const) {
        const plan = await planExport({ type, names: [], dest: join(dir, `${type}.tar`) }, info, 'unix:///run/buildkit/buildkitd.sock');
        expect(plan.exporter.type).toBe(type);
        expect(plan.sessionServices).toHaveLength(1);
        await plan.abort();
      }
    }
  });

  it('explains that the classic image store has no oci exporter, and what to use', async () => {
    const err = await rejection(planExport({ type: 'oci', names: [], dest: join(dir, 'x.tar') }, classic, 'docker://unix:///var/run/docker.sock'));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe('the oci exporter is not available on dockerd 20.10.24 (embedded BuildKit v0.8)');
    expect(err.hint).toMatch(/type=docker,dest=FILE.*containerd image store/);
  });
});
