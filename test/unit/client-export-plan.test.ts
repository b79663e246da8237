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

describe('planExport with rewrite-timestamp=true', () => {
  const modern: DaemonInfo = { ...containerd, buildkitVersion: 'v0.13.2', description: 'dockerd 26.1.5 (embedded BuildKit v0.13.2, containerd image store)' };
  const oldBuildkitd: DaemonInfo = { ...buildkitd, version: 'v0.12.5', buildkitVersion: 'v0.12.5', description: 'buildkitd v0.12.5' };
  const newBuildkitd: DaemonInfo = { ...buildkitd, buildkitVersion: 'v0.13.2' };
  const attrs = { 'rewrite-timestamp': 'true' };

  it('refuses an image dockerd stores, which would keep every file time, before the build', async () => {
    for (const info of [classic, modern]) {
      for (const output of [
        { type: 'image', names: ['127.0.0.1:5000/app:1'], push: true, attrs },
        { type: 'docker', names: ['app:1'], attrs },
      ] as const) {
        const err = await rejection(planExport(output, info, 'docker://unix:///var/run/docker.sock'));
        expect(err.code).toBe('unsupported');
        expect(err.message).toContain(`rewrite-timestamp=true is not available for an image stored by ${info.description}`);
        expect(err.hint).toContain('type=oci,dest=img.tar,rewrite-timestamp=true');
      }
    }
    // dockerd 20.10 saves a docker tarball from its store: the same refusal.
    const saved = await rejection(planExport({ type: 'docker', names: [], dest: join(dir, 'saved.tar'), attrs }, classic, 'docker://unix:///var/run/docker.sock'));
    expect(saved.message).toContain("the classic image store's exporter cannot rewrite file times");
  });

  it('refuses it on BuildKit before v0.13, which ignores the option', async () => {
    const err = await rejection(planExport({ type: 'oci', names: [], dest: join(dir, 'old.tar'), attrs }, oldBuildkitd, 'unix:///run/buildkit/buildkitd.sock'));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe('rewrite-timestamp=true needs BuildKit v0.13 or later; buildkitd v0.12.5 would ignore it and keep every file\'s own time');
  });

  it('passes it to the oci and docker exporters of BuildKit v0.13+, and to its image exporter', async () => {
    for (const info of [newBuildkitd, modern]) {
      for (const type of ['oci', 'docker'] as const) {
        const plan = await planExport({ type, names: [], dest: join(dir, `${type}-rt.tar`), attrs }, info, 'unix:///run/buildkit/buildkitd.sock');
        expect(plan.exporter).toEqual({ type, attrs: { 'rewrite-timestamp': 'true' } });
        await plan.abort();
      }
    }
    const plan = await planExport({ type: 'image', names: ['127.0.0.1:5000/app:1'], push: true, attrs }, newBuildkitd, 'unix:///run/buildkit/buildkitd.sock');
    expect(plan.exporter.attrs?.['rewrite-timestamp']).toBe('true');
    // A false value asks for nothing: nothing to refuse.
    const off = await planExport({ type: 'docker', names: ['app:1'], attrs: { 'rewrite-timestamp': 'false' } }, classic, 'docker://unix:///var/run/docker.sock');
    expect(off.exporter.type).toBe('moby');
  });
});
