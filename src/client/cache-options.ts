import { KilnError } from '../errors.js';
import type { CacheEntry } from './build.js';
import { isClassicDockerd, type DaemonInfo } from './client.js';
import { parseGoBool } from '../go-parse-bool.js';

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

/**
 * A `gha` entry's attributes with the GitHub Actions runner's defaults filled in, as buildctl fills them: `url` from
 * `ACTIONS_CACHE_URL` (else `ACTIONS_RESULTS_URL`), `token` from `ACTIONS_RUNTIME_TOKEN`, and — when the runner uses
 * GitHub's cache service v2 (`ACTIONS_CACHE_SERVICE_V2`), or the entry says `version=2` — `url_v2` from
 * `ACTIONS_RESULTS_URL`. BuildKit v0.20+ talks to the v2 service when it gets `url_v2`; with `url` alone it uses the
 * legacy v1 API (unless the URL is the results service's), which GitHub has retired. Older daemons ignore `url_v2`.
 */
function githubActionsAttrs(given: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const attrs: Record<string, string> = { ...given };
  const results = env['ACTIONS_RESULTS_URL'];
  const v2 = attrs['version'] !== undefined ? attrs['version'] === '2' : isTrue(env['ACTIONS_CACHE_SERVICE_V2']);
  if (v2 && attrs['url_v2'] === undefined && results !== undefined) attrs['url_v2'] = results;
  if (attrs['url'] === undefined) {
    const url = env['ACTIONS_CACHE_URL'] ?? results;
    if (url !== undefined) attrs['url'] = url;
  }
  if (attrs['token'] === undefined && env['ACTIONS_RUNTIME_TOKEN'] !== undefined) attrs['token'] = env['ACTIONS_RUNTIME_TOKEN'];
  return attrs;
}

/** Go's strconv.ParseBool true values (what buildctl accepts for ACTIONS_CACHE_SERVICE_V2). */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && parseGoBool(value) === true;
}

function fail(message: string, hint: string): never {
  throw new KilnError('unsupported', message, { hint });
}

/**
 * Checks cache import/export options against what the daemon offers before a build starts, so a CI runner learns
 * at once (not after a long build) that e.g. dockerd with its classic image store exports only `inline` cache (it
 * imports `registry` and `local`). Returns the entries with GitHub Actions defaults filled in from the environment (`ACTIONS_CACHE_URL`,
 * `ACTIONS_RESULTS_URL`, `ACTIONS_CACHE_SERVICE_V2`, `ACTIONS_RUNTIME_TOKEN`). `local` entries need `dest`/`src`; kiln serves those directories to the daemon itself.
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
    const attrs: Record<string, string> = entry.type === 'gha' ? githubActionsAttrs(entry.attrs, env) : { ...entry.attrs };
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
          'Import type=registry,ref=<image or cache ref>, or type=local,src=DIR for a cache directory exported by a standalone buildkitd (exported with image-manifest=false: BuildKit v0.21+ stores cache as an image manifest by default, which this daemon cannot read).',
        );
      }
    }
    for (const required of kind === 'export' ? backend.export : backend.import) {
      // The cache service v2 (BuildKit v0.20+) needs only its own URL.
      if (entry.type === 'gha' && required === 'url' && attrs['url_v2'] !== undefined && attrs['url_v2'] !== '') continue;
      if (attrs[required] === undefined || attrs[required] === '') {
        throw new KilnError('invalid_argument', `${flag} type=${entry.type} needs ${required}=…`, {
          hint:
            entry.type === 'gha'
              ? 'Run inside GitHub Actions (ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL, and ACTIONS_RUNTIME_TOKEN) or pass url= (or url_v2=) and token=.'
              : `Add ${required}=… to the ${flag}.`,
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
