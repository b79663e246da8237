/**
 * buildImage's `attestations` option: checked at the call site, and refused before the build wherever the daemon or
 * the output would lose them without a word.
 */
import { describe, expect, it } from 'vitest';
import { ATTESTATIONS_CAP, attestationFrontendAttrs, checkAttestations, validateAttestations } from '../../src/client/attestations.js';
import type { DaemonInfo } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';

function daemon(over: Partial<DaemonInfo>): DaemonInfo {
  return { kind: 'buildkitd', version: 'v0.13.2', buildkitVersion: 'v0.13.2', description: 'buildkitd v0.13.2', workers: [], llbCaps: new Set([ATTESTATIONS_CAP]), frontendCaps: new Set(), ...over };
}

function thrown(fn: () => unknown): KilnError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KilnError) return err;
    throw err;
  }
  throw new Error('nothing thrown');
}

describe('attestations', () => {
  it('asks for provenance with its mode and an SBOM with its generator (empty: BuildKit\'s default scanner)', () => {
    expect(attestationFrontendAttrs({ provenance: true, sbom: true })).toEqual({ 'attest:provenance': 'mode=min', 'attest:sbom': '' });
    expect(attestationFrontendAttrs({ provenance: 'max', sbom: { generator: 'reg.example/scan:1' } })).toEqual({ 'attest:provenance': 'mode=max', 'attest:sbom': 'generator=reg.example/scan:1' });
    expect(attestationFrontendAttrs({ provenance: false, sbom: false })).toEqual({});
  });

  it.each([
    ['yes', 'options.attestations must be an object'],
    [{ provenance: 'full' }, "options.attestations.provenance must be true, false, 'min' or 'max', got \"full\""],
    [{ sbom: 'syft' }, "options.attestations.sbom must be true, false or { generator: 'registry/scanner:tag' }"],
    [{ sbom: { generator: 'UPPER/case' } }, 'options.attestations.sbom.generator is not an image reference'],
    [{ slsa: true }, 'options.attestations has no slsa: it takes provenance and sbom'],
  ])('%j is refused at the call site', (value, message) => {
    const err = thrown(() => validateAttestations(value, 'options.attestations', validateAttestations));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(message);
  });

  it('refuses a daemon without the attestations capability (BuildKit before v0.11 ignores attest: attributes)', () => {
    const err = thrown(() => checkAttestations({ provenance: true }, daemon({ kind: 'dockerd', version: '20.10.24', buildkitVersion: undefined, description: 'dockerd 20.10.24', llbCaps: new Set() }), { type: 'local' }));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe('cannot attest the image (provenance (mode=min)): dockerd 20.10.24 makes no attestations (dockerd 20.10 embeds BuildKit v0.8; it lacks the exporter.image.attestations capability of BuildKit v0.11+), and would build the image without them');
  });

  it("refuses dockerd's classic image store (its exporter drops them) and a build without an output; takes the containerd store", () => {
    const classic = daemon({ kind: 'dockerd', version: '24.0.7', buildkitVersion: 'v0.11.7', description: 'dockerd 24.0.7', imageStore: 'graphdriver' });
    const err = thrown(() => checkAttestations({ provenance: 'max', sbom: true }, classic, { type: 'moby' }));
    expect(err.code).toBe('unsupported');
    expect(err.message).toBe("cannot attest the image (provenance (mode=max) and an SBOM) in dockerd 24.0.7's classic image store: it holds one manifest per image, and its exporter drops attestations");
    expect(err.hint).toContain('containerd image store');
    expect(() => checkAttestations({ provenance: true }, classic, { type: 'local' })).not.toThrow();
    expect(() => checkAttestations({ provenance: true }, { ...classic, imageStore: 'containerd' }, { type: 'moby' })).not.toThrow();
    const none = thrown(() => checkAttestations({ sbom: true }, daemon({}), undefined));
    expect(none.code).toBe('invalid_argument');
    expect(none.message).toBe('attestations (an SBOM) are attached to the exported image, and this build exports nothing');
  });
});
