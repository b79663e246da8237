import { KilnError } from '../errors.js';
import type { CacheEntry } from './build.js';
import { isClassicDockerd, type DaemonInfo } from './client.js';

/** Cache backends BuildKit knows, with the attributes each requires for export / import. */
const BACKENDS: Readonly<Record<string, { export: readonly string[]; import: readonly string[]; since: string }>> = {
  inline: { export: [], import: [], since: 'v0.8' },
  registry: { export: ['ref'], import: ['ref'], since: 'v0.8' },
  local: { export: ['dest'], import: ['src'], since: 'v0.8' },
  gha: { export: ['url', 'token'], import: ['url', 'token'], since: 'v0.9' },
  s3: { export: ['bucket', 'region'], import: ['bucket', 'region'], since: 'v0.11' },
  azblob: { export: ['account_url'], import: ['account_url'], since: 'v0.11' },
};

const MODES = new Set(['min', 'max']);

function fail(message: string, hint: string): never {
  throw new KilnError('unsupported', message, { hint });
}

/**
 * Checks cache import/export options against what the daemon offers before a build starts, so a CI runner learns
 * at once (not after a long build) that e.g. dockerd with its classic image store exports only `inline` cache (it
 * imports `registry` and `local`). Returns the entries with GitHub Actions defaults filled in from the environment (`ACTIONS_CACHE_URL`,
 * `ACTIONS_RUNTIME_TOKEN`). `local` entries need `dest`/`src`; kiln serves those directories to the daemon itself.
 */
export function validateCacheOptions(
  kind: 'export' | 'import',
  entries: readonly CacheEntry[],
  info: Pick<DaemonInfo, 'kind' | 'description' | 'imageStore'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CacheEntry[] {
  const out: CacheEntry[] = [];
  const classicDockerd = isClassicDockerd(info);
  // Named for both callers: the library's cacheExports/cacheImports and the CLI's --cache-to/--cache-from.
  const flag = kind === 'export' ? 'cache export' : 'cache import';
  for (const entry of entries) {
    const backend = BACKENDS[entry.type];
    if (backend === undefined) {
      throw new KilnError('invalid_argument', `${flag} type=${entry.type} is not a cache backend`, {
        hint: `Use one of: ${Object.keys(BACKENDS).join(', ')}.`,
      });
    }
    const attrs: Record<string, string> = { ...entry.attrs };
    if (entry.type === 'gha') {
      if (attrs['url'] === undefined && env['ACTIONS_CACHE_URL'] !== undefined) attrs['url'] = env['ACTIONS_CACHE_URL'];
      if (attrs['token'] === undefined && env['ACTIONS_RUNTIME_TOKEN'] !== undefined) attrs['token'] = env['ACTIONS_RUNTIME_TOKEN'];
    }
    if (kind === 'import' && entry.type === 'inline') {
      throw new KilnError('invalid_argument', 'cache import type=inline is not a thing: inline cache travels inside an image', {
        hint: 'Import it as type=registry,ref=<the image that was pushed with type=inline cache>.',
      });
    }
    // What the daemon cannot do at all comes first (before what the entry lacks).
    if (classicDockerd) {
      if (kind === 'export' && entry.type !== 'inline') {
        fail(
          `${info.description} can export only inline cache, not type=${entry.type}`,
          'Export type=inline cache and push the image (its config carries the cache), then import type=registry,ref=<that image> on the next runner; turn on the containerd image store of dockerd (24+), or build on a standalone buildkitd, for registry/local/gha/s3/azblob cache.',
        );
      }
      if (kind === 'import' && entry.type !== 'registry' && entry.type !== 'local') {
        fail(
          `${info.description} can import cache only from a registry or a local directory, not type=${entry.type}`,
          'Import type=registry,ref=<image or cache ref>, or type=local,src=DIR for a cache directory exported by a standalone buildkitd.',
        );
      }
    }
    for (const required of kind === 'export' ? backend.export : backend.import) {
      if (attrs[required] === undefined || attrs[required] === '') {
        throw new KilnError('invalid_argument', `${flag} type=${entry.type} needs ${required}=…`, {
          hint: entry.type === 'gha' ? 'Run inside GitHub Actions (ACTIONS_CACHE_URL / ACTIONS_RUNTIME_TOKEN) or pass url= and token=.' : `Add ${required}=… to the ${flag}.`,
        });
      }
    }
    if (attrs['mode'] !== undefined && !MODES.has(attrs['mode'])) {
      throw new KilnError('invalid_argument', `${flag} mode=${attrs['mode']} is not valid; use mode=min or mode=max`, {
        hint: 'mode=max also exports the layers of intermediate steps (bigger, more hits); min only the result.',
      });
    }
    out.push({ type: entry.type, attrs });
  }
  if (kind === 'export' && classicDockerd && out.length > 1) {
    fail(`${info.description} supports a single cache export per build`, 'Keep one cache export.');
  }
  return out;
}
