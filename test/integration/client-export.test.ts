/**
 * Build outputs on the real daemon: into Docker, pushed to the local registry, into a directory, into a tarball, and
 * a failed export that leaves the previous destination untouched.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { KilnError } from '../../src/errors.js';
import { image, marshal, mkdir, scratch, type State } from '../../src/llb/index.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
let client: Client;
let info: DaemonInfo;
let work: string;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  info = await client.info();
  work = mkdtempSync(join(tmpdir(), 'kiln-export-'));
});

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

const stamp = `${process.pid}-${Date.now()}`;

function files(content: string): State {
  return scratch().file(mkdir('/app', { parents: true }).mkfile('/app/hello.txt', content).mkfile('/app/run.sh', '#!/bin/sh\necho run\n', { mode: 0o755 }));
}

async function buildTo(spec: string, state: State, configJson?: string): Promise<Awaited<ReturnType<Awaited<ReturnType<typeof planExport>>['finish']>>> {
  const plan = await planExport(parseOutputSpec(spec), info, client.address.text, { docker: { socketPath: env.dockerSocket } });
  try {
    const outcome = await client.build({ exporter: plan.exporter, sessionServices: plan.sessionServices }, async (gw) => ({
      ref: await gw.solve(marshal(state, { caps: gw.llbCaps })),
      ...(configJson === undefined ? {} : { metadata: { 'containerimage.config': configJson } }),
    }));
    return await plan.finish(outcome.exporterResponse);
  } catch (err) {
    await plan.abort();
    throw err;
  }
}

describe('build outputs', () => {
  it('loads an image into Docker (type=docker)', async () => {
    const name = `kiln-export/load:${stamp}`;
    const base = image('docker.io/library/busybox:latest').file(mkdir('/data').mkfile('/data/msg', 'loaded\n'));
    const res = await buildTo(`type=docker,name=${name}`, base, JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], Cmd: ['cat', '/data/msg'] } }));
    expect(res.digest).toMatch(/^sha256:/);
    const run = await dockerCli(['run', '--rm', '--network', 'none', name]);
    expect(run.stdout).toBe('loaded\n');
  });

  it('pushes an image to a registry (type=image,push=true)', async () => {
    const name = `${env.registry.address}/kiln-export/push:${stamp}`;
    const res = await buildTo(`type=image,name=${name},push=true,registry.insecure=true`, files('pushed\n'), JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }));
    expect(res.pushed).toBe(true);
    const manifest = await fetch(`${env.registry.url}/v2/kiln-export/push/manifests/${stamp}`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifest.status).toBe(200);
  });

  it('writes the result into a directory (type=local)', async () => {
    const dest = join(work, 'out');
    const res = await buildTo(`type=local,dest=${dest}`, files('local\n'));
    expect(res.dest).toBe(dest);
    expect(readFileSync(join(dest, 'app/hello.txt'), 'utf8')).toBe('local\n');
    expect(execFileSync('stat', ['-c', '%a', join(dest, 'app/run.sh')]).toString().trim()).toBe('755');
    expect(readdirSync(work).filter((n) => n.includes('kiln-tmp'))).toEqual([]);
  });

  it('names the destination path of a file a full disk could not take, not the removed staging directory', async () => {
    // A 256 KiB tmpfs takes the export's small file but not its 600 KB one.
    const disk = join(work, 'tiny-disk');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
    try {
      const dest = join(disk, 'out');
      const state = scratch().file(mkdir('/bin').mkfile('/bin/small', 'fits\n').mkfile('/bin/big', 'x'.repeat(600_000)));
      // The daemon reports only its export step failing; this machine's own failure is what kiln build shows.
      const plan = await planExport(parseOutputSpec(`type=local,dest=${dest}`), info, client.address.text, {});
      const built = await client.build({ exporter: plan.exporter, sessionServices: plan.sessionServices }, async (gw) => ({ ref: await gw.solve(marshal(state, { caps: gw.llbCaps })) })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(KilnError.is(built, 'build_failed')).toBe(true);
      await plan.abort();
      const err = plan.localFailure?.();
      expect(err?.code).toBe('io');
      expect(err?.message).toBe(`cannot write ${dest}/bin/big (ENOSPC)`);
      expect(err?.hint).toBe('The disk of the destination is full: free space or choose a destination on another disk.');
      expect((built as Error).message).not.toContain('kiln-tmp');
      expect(readdirSync(disk)).toEqual([]);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('writes the result as a tarball (type=tar)', async () => {
    const dest = join(work, 'out.tar');
    await buildTo(`type=tar,dest=${dest}`, files('tarred\n'));
    const listing = execFileSync('tar', ['tvf', dest]).toString();
    expect(listing).toMatch(/app\/hello\.txt/);
    expect(execFileSync('tar', ['xOf', dest, 'app/hello.txt']).toString()).toBe('tarred\n');
  });

  it('keeps the previous content when a build fails', async () => {
    const dest = join(work, 'keep');
    mkdirSync(dest);
    writeFileSync(join(dest, 'previous.txt'), 'still here');
    const failing = image('docker.io/library/debian:bookworm-slim').run(['sh', '-c', 'exit 1']).root();
    const err = await buildTo(`type=local,dest=${dest}`, failing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    expect(readdirSync(dest)).toEqual(['previous.txt']);
    expect(readdirSync(work).filter((n) => n.includes('kiln-tmp'))).toEqual([]);
    expect(existsSync(join(dest, 'previous.txt'))).toBe(true);
  });

  it('uses the oci exporter where the daemon has it and explains where it does not', async () => {
    if (info.kind !== 'dockerd' || info.imageStore === 'containerd') {
      const plan = await planExport(parseOutputSpec(`type=oci,dest=${join(work, 'x.tar')}`), info, client.address.text);
      expect(plan.exporter.type).toBe('oci');
      await plan.abort();
      return;
    }
    const err = await planExport(parseOutputSpec(`type=oci,dest=${join(work, 'x.tar')}`), info, client.address.text).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    expect((err as Error).message).toContain(info.description);
    expect((err as Error).message).toMatch(/^the oci exporter is not available on dockerd /);
  });
});
