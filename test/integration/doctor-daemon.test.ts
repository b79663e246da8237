/**
 * `runDoctor` in-process against the environment's daemons — dockerd 20.10's BuildKit and the same BuildKit reached as
 * a standalone buildkitd over TCP — for what only a daemon shows: its description and platforms, what it can export
 * and cache, and whether it grants the entitlements `--allow` asks for (with the setting that grants them).
 */
import { describe, expect, it } from 'vitest';
import { runDoctor, type DoctorCheck } from '../../src/client/doctor.js';
import { testEnv } from './test-env.js';

const env = testEnv();

async function checks(address: string): Promise<Map<string, DoctorCheck>> {
  const report = await runDoctor({ address, env: { ...process.env, DOCKER_HOST: env.dockerHost } });
  return new Map(report.checks.map((c) => [c.name, c]));
}

describe('runDoctor against a daemon', () => {
  it('describes the daemon, its platforms, features and entitlements', async () => {
    const byName = await checks(env.buildkitHost);
    expect(byName.get('daemon')?.status).toBe('ok');
    expect(byName.get('daemon')?.detail).toMatch(/^dockerd \S+ \(embedded BuildKit v0\.8\); platforms linux\/amd64/);
    // dockerd 20.10 without the containerd store: what it cannot do, and the two ways to get it.
    const features = byName.get('daemon features');
    expect(features?.status).toBe('warn');
    expect(features?.detail).toMatch(/: exporters moby\/local\/tar only .*, inline cache export only, no merge op/);
    expect(features?.fix).toMatch(/containerd-snapshotter.*or run a standalone buildkitd v0\.11\+/);
    expect(byName.get('entitlement network.host')).toEqual({ name: 'entitlement network.host', status: 'ok', detail: 'granted' });
    const insecure = byName.get('entitlement security.insecure');
    expect(insecure?.status).toBe('warn');
    expect(insecure?.detail).toMatch(/^not granted \(.*\); steps that need it \(--allow security\.insecure\) will fail$/);
    expect(insecure?.fix).toBe('Allow it in daemon.json: {"builder":{"Entitlements":{"security-insecure":true}}}, then restart dockerd.');
    expect(byName.get('docker api')?.detail).toMatch(/chosen by the address option; --load and pushes go through it\)$/);
  });

  it('describes the same BuildKit reached over TCP, as buildkitd is', async () => {
    const byName = await checks(env.buildkitdStandIn.tcp);
    expect(byName.get('daemon')?.status).toBe('ok');
    // The stand-in relays to dockerd's BuildKit, and doctor sees through it: loads and pushes go to DOCKER_HOST.
    expect(byName.get('daemon features')?.status).toBe('warn');
    expect(byName.get('docker api')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/\(DOCKER_HOST; --load and pushes from dockerd go here\)$/) });
  });
});
