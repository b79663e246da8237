import { describe, expect, it } from 'vitest';
import { validateCacheOptions } from '../../src/client/cache-options.js';
import { thrown } from '../fixtures/thrown.js';

const dockerd = { kind: 'dockerd', description: 'dockerd 20.10.24 (embedded BuildKit v0.8)' } as const;
const buildkitd = { kind: 'buildkitd', description: 'buildkitd v0.11.6' } as const;
const containerdStore = { kind: 'dockerd', imageStore: 'containerd', description: 'dockerd 26.1.5 (embedded BuildKit v0.13.2, containerd image store)' } as const;

const error = thrown;

describe('validateCacheOptions', () => {
  it('passes registry, inline, gha, s3 and azblob through on buildkitd', () => {
    const entries = [
      { type: 'registry', attrs: { ref: 'r/cache', mode: 'max', 'oci-mediatypes': 'true', 'image-manifest': 'true', compression: 'zstd', 'ignore-error': 'true' } },
      { type: 'inline', attrs: {} },
      { type: 's3', attrs: { bucket: 'b', region: 'eu-west-1' } },
      { type: 'azblob', attrs: { account_url: 'https://x.blob.core.windows.net' } },
    ];
    expect(validateCacheOptions('export', entries, buildkitd)).toEqual(entries);
  });

  it('fills GitHub Actions url and token from the environment', () => {
    const out = validateCacheOptions('import', [{ type: 'gha', attrs: { scope: 'main' } }], buildkitd, { ACTIONS_CACHE_URL: 'https://cache', ACTIONS_RUNTIME_TOKEN: 't' });
    expect(out).toEqual([{ type: 'gha', attrs: { scope: 'main', url: 'https://cache', token: 't' } }]);
  });

  /**
   * Which GitHub cache API BuildKit v0.20+ uses for an entry's attributes (cache/remotecache/gha/gha.go getConfig, as of
   * v0.32.2): `url_v2` unless version=1, else `url`, whose version is 2 only for the results service's host.
   */
  function daemonCacheApi(attrs: Readonly<Record<string, string>>): { version: 1 | 2; url: string | undefined } {
    if (attrs['version'] !== '1' && attrs['url_v2'] !== undefined) return { version: 2, url: attrs['url_v2'] };
    const url = attrs['url'];
    if (attrs['version'] !== undefined) return { version: attrs['version'] === '1' ? 1 : 2, url };
    return { version: url?.includes('results-receiver.actions.githubusercontent.com') === true ? 2 : 1, url };
  }

  const RESULTS = 'https://results-receiver.actions.githubusercontent.com/';
  const LEGACY = 'https://artifactcache.actions.githubusercontent.com/abc/';

  it('on a runner with the cache service v2, sends url_v2 so that BuildKit v0.20+ uses the v2 API, not the retired v1', () => {
    const runner = { ACTIONS_CACHE_SERVICE_V2: 'True', ACTIONS_CACHE_URL: LEGACY, ACTIONS_RESULTS_URL: RESULTS, ACTIONS_RUNTIME_TOKEN: 't' };
    const [out] = validateCacheOptions('export', [{ type: 'gha', attrs: { scope: 'main', mode: 'max' } }], buildkitd, runner);
    expect(out).toEqual({ type: 'gha', attrs: { scope: 'main', mode: 'max', url: LEGACY, url_v2: RESULTS, token: 't' } });
    expect(daemonCacheApi(out!.attrs)).toEqual({ version: 2, url: RESULTS });
    // version=1 given by the user keeps the v1 API (and no url_v2 is added).
    const [v1] = validateCacheOptions('import', [{ type: 'gha', attrs: { version: '1' } }], buildkitd, runner);
    expect(v1?.attrs['url_v2']).toBeUndefined();
    expect(daemonCacheApi(v1!.attrs)).toEqual({ version: 1, url: LEGACY });
  });

  it('on a runner that sets only ACTIONS_RESULTS_URL, takes it as the url instead of refusing the entry', () => {
    const [out] = validateCacheOptions('import', [{ type: 'gha', attrs: {} }], buildkitd, { ACTIONS_RESULTS_URL: RESULTS, ACTIONS_RUNTIME_TOKEN: 't' });
    expect(out?.attrs).toEqual({ url: RESULTS, token: 't' });
    expect(daemonCacheApi(out!.attrs)).toEqual({ version: 2, url: RESULTS });
    // An explicit url_v2 is enough without url.
    expect(validateCacheOptions('export', [{ type: 'gha', attrs: { url_v2: RESULTS, token: 't' } }], buildkitd, {})).toEqual([
      { type: 'gha', attrs: { url_v2: RESULTS, token: 't' } },
    ]);
  });

  it('explains that dockerd 20.10 exports only inline cache', () => {
    const e = error(() => validateCacheOptions('export', [{ type: 'registry', attrs: { ref: 'r/c' } }], dockerd));
    expect(e.code).toBe('unsupported');
    expect(e.message).toBe('dockerd 20.10.24 (embedded BuildKit v0.8) can export only inline cache, not type=registry');
    expect(e.hint).toMatch(/Export type=inline cache/);
    expect(validateCacheOptions('export', [{ type: 'inline', attrs: {} }], dockerd)).toHaveLength(1);
  });

  it('imports only from a registry on dockerd, and only one export', () => {
    expect(error(() => validateCacheOptions('import', [{ type: 'gha', attrs: { url: 'u', token: 't' } }], dockerd)).code).toBe('unsupported');
    // What the daemon cannot do is said before what the entry lacks (no "needs url=" for a backend it cannot use).
    expect(error(() => validateCacheOptions('import', [{ type: 'gha', attrs: {} }], dockerd, {})).code).toBe('unsupported');
    expect(error(() => validateCacheOptions('export', [{ type: 'inline', attrs: {} }, { type: 'inline', attrs: {} }], dockerd)).message).toMatch(/single cache export/);
  });

  it.each([
    ['export', { type: 'registry', attrs: {} }, /needs ref=/],
    ['import', { type: 's3', attrs: { bucket: 'b' } }, /needs region=/],
    ['export', { type: 'registry', attrs: { ref: 'r', mode: 'everything' } }, /mode=min or mode=max/],
    ['export', { type: 'floppy', attrs: {} }, /not a cache backend/],
    ['import', { type: 'inline', attrs: {} }, /type=registry,ref=/],
    ['import', { type: 'gha', attrs: {} }, /needs url=/],
  ] as const)('rejects a bad %s entry clearly (%j)', (kind, entry, why) => {
    const e = error(() => validateCacheOptions(kind, [entry], buildkitd, {}));
    expect(e.message + (e.hint ?? '')).toMatch(why);
  });

  it('takes local cache directories: both ways on buildkitd, import only on dockerd', () => {
    const exp = [{ type: 'local', attrs: { dest: '/tmp/c', mode: 'max' } }];
    const imp = [{ type: 'local', attrs: { src: '/tmp/c' } }];
    expect(validateCacheOptions('export', exp, buildkitd)).toEqual(exp);
    expect(validateCacheOptions('import', imp, buildkitd)).toEqual(imp);
    expect(validateCacheOptions('import', imp, dockerd)).toEqual(imp);
    const e = error(() => validateCacheOptions('export', exp, dockerd));
    expect(e.code).toBe('unsupported');
    expect(e.message).toBe('dockerd 20.10.24 (embedded BuildKit v0.8) can export only inline cache, not type=local');
    expect(error(() => validateCacheOptions('import', [{ type: 'local', attrs: {} }], dockerd)).message).toBe('cache import type=local needs src=…');
  });

  it('takes every backend on dockerd with the containerd image store, like buildkitd', () => {
    const exp = [
      { type: 'registry', attrs: { ref: 'r/cache', mode: 'max' } },
      { type: 'local', attrs: { dest: '/tmp/c' } },
    ];
    expect(validateCacheOptions('export', exp, containerdStore)).toEqual(exp);
    expect(validateCacheOptions('import', [{ type: 'gha', attrs: { url: 'u', token: 't' } }], containerdStore)).toHaveLength(1);
  });
});
