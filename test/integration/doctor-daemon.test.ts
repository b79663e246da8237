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

// What doctor says depends on the daemon the run is pointed at: dockerd 20.10 (embedded BuildKit v0.8, classic store),
// dockerd 26.1 with the containerd store, or a standalone buildkitd (BUILDKIT_HOST) — each with its own expectations.
const viaDockerd = env.buildkitHost.startsWith('docker://');
const modern = env.engine === 'modern';
/** dockerd 26.1 with the containerd store, or a standalone buildkitd v0.11+ (BUILDKIT_HOST): every exporter and merge op. */
const fullFeatured = modern || !viaDockerd;

describe('runDoctor against a daemon', () => {
  it('describes the daemon, its platforms, features and entitlements', async () => {
    const byName = await checks(env.buildkitHost);
    expect(byName.get('daemon')?.status).toBe('ok');
    expect(byName.get('daemon')?.detail).toMatch(
      !viaDockerd
        ? /^buildkitd \S+; platforms linux\/amd64/
        : modern
          ? /^dockerd \S+ \(embedded BuildKit, containerd image store\); platforms linux\/amd64/
          : /^dockerd \S+ \(embedded BuildKit v0\.8\); platforms linux\/amd64/,
    );
    const features = byName.get('daemon features');
    if (fullFeatured) {
      // The containerd store (or a buildkitd): nothing missing.
      expect(features?.status).toBe('ok');
      expect(features?.detail).toMatch(/merge op available$/);
    } else {
      // dockerd 20.10 without the containerd store: what it cannot do, and the two ways to get it.
      expect(features?.status).toBe('warn');
      expect(features?.detail).toMatch(/: exporters moby\/local\/tar only .*, inline cache export only, no merge op/);
      expect(features?.fix).toMatch(/containerd-snapshotter.*or run a standalone buildkitd v0\.11\+/);
    }
    // The environment's daemons grant network.host and not security.insecure; a buildkitd (BUILDKIT_HOST) grants what
    // it was started with, and the fix for one it does not grant is its own flag.
    for (const entitlement of ['network.host', 'security.insecure'] as const) {
      const check = byName.get(`entitlement ${entitlement}`);
      const granted = viaDockerd ? entitlement === 'network.host' : check?.status === 'ok';
      if (granted) {
        expect(check).toEqual({ name: `entitlement ${entitlement}`, status: 'ok', detail: 'granted' });
        continue;
      }
      expect(check?.status).toBe('warn');
      expect(check?.detail).toMatch(new RegExp(`^not granted \\(.*\\); steps that need it \\(--allow ${entitlement.replace('.', '\\.')}\\) will fail$`));
      expect(check?.fix).toBe(
        viaDockerd
          ? 'Allow it in daemon.json: {"builder":{"Entitlements":{"security-insecure":true}}}, then restart dockerd.'
          : `Start buildkitd with --allow-insecure-entitlement ${entitlement}.`,
      );
    }
    expect(byName.get('docker api')?.detail).toMatch(viaDockerd ? /chosen by the address option; --load and pushes go through it\)$/ : /\(DOCKER_HOST; --load/);
  });

  it('describes the same BuildKit reached over TCP, as buildkitd is', async () => {
    const byName = await checks(env.buildkitdStandIn.tcp);
    expect(byName.get('daemon')?.status).toBe('ok');
    // The stand-in relays to dockerd's BuildKit, and doctor sees through it: loads (and, from dockerd 20.10's
    // BuildKit, pushes) go to DOCKER_HOST.
    expect(byName.get('daemon features')?.status).toBe(modern ? 'ok' : 'warn');
    expect(byName.get('docker api')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(modern ? /\(DOCKER_HOST; --load goes here\)$/ : /\(DOCKER_HOST; --load and pushes from dockerd go here\)$/),
    });
  });
});
