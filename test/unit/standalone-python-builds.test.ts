/**
 * The table of python-build-standalone builds `withPython` downloads (generated from uv's list of downloads by
 * scripts/gen-standalone-python.mjs): every entry well formed, and every default version in it.
 */
import { describe, expect, it } from 'vitest';
import { PYTHON_MINORS, STANDALONE_PYTHON, standaloneBuild, standalonePatches } from '../../src/image/installers.js';
import { STANDALONE_BUILDS } from '../../src/image/standalone-python-builds.js';

describe('standalone Python builds', () => {
  it('has one well-formed entry per patch release of each supported minor version, with both machines\' SHA-256', () => {
    expect(Object.keys(STANDALONE_BUILDS)).toEqual(PYTHON_MINORS);
    for (const [minor, entries] of Object.entries(STANDALONE_BUILDS)) {
      const patches = entries.map((e) => Number(e.split(' ')[0]));
      expect(patches).toEqual([...new Set(patches)].sort((a, b) => a - b));
      for (const entry of entries) expect(entry, `${minor}: ${entry}`).toMatch(/^\d+ \d{8} install_only(_stripped)? [0-9a-f]{64} [0-9a-f]{64}$/);
    }
  });

  it('has the build of every default version, and answers by exact version', () => {
    for (const full of Object.values(STANDALONE_PYTHON.versions)) expect(standaloneBuild(full), full).toBeDefined();
    // A fact of uv's list: 3.11.9's x86_64 archive from release 20240814.
    expect(standaloneBuild('3.11.9')).toEqual({
      full: '3.11.9',
      tag: '20240814',
      kind: 'install_only_stripped',
      sha256: { x86_64: 'daa487c7e73005c4426ac393273117cf0e2dc4ab9b2eeda366e04cd00eea00c9', aarch64: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(standaloneBuild('3.11')?.full).toBe(STANDALONE_PYTHON.versions['3.11']);
    expect(standaloneBuild('3.11.2')).toBeUndefined();
    expect(standalonePatches('3.8')).toEqual(['3.8.13', '3.8.14', '3.8.15', '3.8.16', '3.8.17', '3.8.18', '3.8.19', '3.8.20']);
  });
});
