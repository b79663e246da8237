/**
 * `kiln build --provenance / --sbom / --attest`, spelled as docker buildx build takes them: what each asks the daemon
 * for, and the spellings refused before any module or daemon is used.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseAttestationFlags } from '../../src/cli/attestation-flags.js';
import { attestationFrontendAttrs } from '../../src/client/attestations.js';
import { KilnError } from '../../src/errors.js';
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

describe('kiln build attestation flags', () => {
  it.each([
    [{ provenance: 'true' }, { 'attest:provenance': 'mode=min' }],
    [{ provenance: '1' }, { 'attest:provenance': 'mode=min' }],
    [{ provenance: 'mode=max' }, { 'attest:provenance': 'mode=max' }],
    [{ attest: ['type=provenance,mode=max'] }, { 'attest:provenance': 'mode=max' }],
    [{ sbom: 'true' }, { 'attest:sbom': '' }],
    [{ sbom: 'generator=registry.example.com/scan:1' }, { 'attest:sbom': 'generator=registry.example.com/scan:1' }],
    [{ attest: ['type=sbom,generator=reg.example/scan:2', 'type=provenance'] }, { 'attest:sbom': 'generator=reg.example/scan:2', 'attest:provenance': 'mode=min' }],
    [{ attest: ['type=sbom,disabled=false'], provenance: 'false' }, { 'attest:sbom': '' }],
    [{ provenance: 'false', sbom: 'false' }, {}],
    [{ attest: ['type=provenance,disabled=true', 'type=sbom,disabled=true'] }, {}],
    [{}, {}],
  ])('%j asks the daemon for %j', (flags, attrs) => {
    const parsed = parseAttestationFlags(flags);
    expect(attestationFrontendAttrs(parsed)).toEqual(attrs);
    if (Object.keys(attrs).length === 0) expect(parsed).toBeUndefined();
  });

  it.each([
    [{ provenance: 'max' }, '--provenance max: kiln does not take max='],
    [{ provenance: 'mode=medium' }, '--provenance mode=medium: mode=medium is not a provenance mode: mode=min (the default) or mode=max'],
    [{ sbom: 'generator=' }, '--sbom generator=: generator= is empty'],
    [{ sbom: 'generator=Not A Ref' }, '--sbom generator=Not A Ref: generator= is not an image reference'],
    [{ attest: ['type=sbom,mode=max'] }, '--attest type=sbom,mode=max: type=sbom takes no mode= (it takes generator= and disabled=)'],
    [{ attest: ['type=provenance,generator=x'] }, 'type=provenance takes no generator='],
    [{ attest: ['mode=max'] }, '--attest mode=max: no type=: say which attestation, type=provenance or type=sbom'],
    [{ attest: ['type=vex'] }, '--attest type=vex: type=vex is not an attestation kiln asks for'],
    [{ attest: ['type=provenance,disabled=maybe'] }, 'disabled=maybe is not a boolean'],
    [{ attest: ['type=provenance,builder-id=https://ci'] }, 'kiln does not take builder-id='],
    [{ attest: ['type=provenance'], provenance: 'mode=max' }, '--provenance asks for type=provenance again (--attest already did)'],
  ])('%j is refused: %s', (flags, message) => {
    let err: unknown;
    try {
      parseAttestationFlags(flags);
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as Error).message).toContain(message);
  });

  it('refuses a bad spelling before the module is loaded, and lists the flags in kiln build --help', async () => {
    const r = await run(['build', 'no-such-module.ts', '--attest', 'type=sbom,mode=max']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: --attest type=sbom,mode=max: type=sbom takes no mode=');
    expect(r.stderr).not.toContain('no-such-module');
    const help = await run(['build', '--help']);
    expect(help.stdout).toMatch(/--provenance <value> +attach SLSA provenance/);
    expect(help.stdout).toMatch(/--sbom <value> +attach an SPDX SBOM/);
    expect(help.stdout).toContain('--attest <spec>');
  });
});
