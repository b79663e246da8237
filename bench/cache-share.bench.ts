/**
 * Cache shared between CI runners through a registry. Needs the test environment; starts (and afterwards stops) a
 * second daemon instance `b` for runner B. Side by side in one run:
 * - runner A cold build without cache export, and a cold build of an identical image (fresh run id) with cache export
 *   → export overhead = with / without (target ≤ 1.2);
 * - runner B (separate daemon, empty cache) builds the exported image's definition importing A's cache
 *   → B / A cold (target ≤ 0.2 for steps that take ≥ 20 s cold).
 * On dockerd the cache travels inline in the pushed image (the only export dockerd 20.10 has).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type DaemonInfo } from '../src/client/client.js';
import type { CacheEntry } from '../src/client/build.js';
import { planExport } from '../src/client/export-plan.js';
import { parseOutputSpec } from '../src/client/output-spec.js';
import { buildImage, Image } from '../src/image/index.js';
import { report } from './report.js';

const envFile = process.env['KILN_TEST_ENV'] ?? '/tmp/kiln-env/kiln/env.json';
const envA = JSON.parse(readFileSync(envFile, 'utf8')) as { buildkitHost: string; dockerSocket: string; registry: { address: string } };
const stateB = join(process.env['KILN_ENV_DIR'] ?? '/tmp/kiln-env', 'b');
const lease = `bench-${process.pid}`;
mkdirSync(join(stateB, 'leases'), { recursive: true });
writeFileSync(join(stateB, 'leases', lease), '');
const up = spawnSync('bash', ['scripts/env/up.sh'], { env: { ...process.env, KILN_ENV_INSTANCE: 'b' }, stdio: ['ignore', 'ignore', 'inherit'] });
if (up.status !== 0) throw new Error('could not start runner B (KILN_ENV_INSTANCE=b scripts/env/up.sh)');
const envB = JSON.parse(readFileSync(join(stateB, 'env.json'), 'utf8')) as { buildkitHost: string };

const STEP_SECONDS = Number(process.env['KILN_BENCH_STEP_SECONDS'] ?? 10);

function imageFor(run: string): Image {
  return Image.fromRegistry('debian:bookworm-slim')
    .runCommands(`echo "deps ${run}" && sleep ${STEP_SECONDS} && echo deps > /deps`)
    .runCommands(`echo "build ${run}" && sleep ${STEP_SECONDS} && echo app > /app`)
    .cmd(['cat', '/app']);
}

async function timedBuild(client: Client, info: DaemonInfo, image: Image, opts: { push?: string; cacheExports?: CacheEntry[]; cacheImports?: CacheEntry[] }): Promise<number> {
  const plan = opts.push === undefined ? undefined : await planExport(parseOutputSpec(`type=image,name=${opts.push},push=true,registry.insecure=true`), info, client.address.text, { docker: { socketPath: envA.dockerSocket } });
  const start = performance.now();
  const built = await buildImage(client, image, {
    ...(plan === undefined ? {} : { exporter: plan.exporter, sessionServices: plan.sessionServices }),
    ...(opts.cacheExports === undefined ? {} : { cacheExports: opts.cacheExports }),
    ...(opts.cacheImports === undefined ? {} : { cacheImports: opts.cacheImports }),
  });
  if (plan !== undefined) await plan.finish(built.outcome.exporterResponse);
  return performance.now() - start;
}

const a = await Client.connect({ address: envA.buildkitHost });
const b = await Client.connect({ address: envB.buildkitHost });
try {
  const infoA = await a.info();
  const base = `${process.pid}-${Date.now()}`;
  const refPlain = `${envA.registry.address}/kiln-bench/cache:plain-${base}`;
  const refCached = `${envA.registry.address}/kiln-bench/cache:cached-${base}`;
  const cacheRef = `${envA.registry.address}/kiln-bench/cache:cache-${base}`;
  const exportSpec: CacheEntry[] = infoA.kind === 'dockerd' ? [{ type: 'inline', attrs: {} }] : [{ type: 'registry', attrs: { ref: cacheRef, mode: 'max' } }];
  const importSpec: CacheEntry[] = [{ type: 'registry', attrs: { ref: infoA.kind === 'dockerd' ? refCached : cacheRef } }];

  const aPlain = await timedBuild(a, infoA, imageFor(`plain-${base}`), { push: refPlain });
  const aExport = await timedBuild(a, infoA, imageFor(`cached-${base}`), { push: refCached, cacheExports: exportSpec });
  const bImport = await timedBuild(b, await b.info(), imageFor(`cached-${base}`), { cacheImports: importSpec });
  report({ name: 'cache-share', metric: 'runner_a_cold_ms', value: aExport, unit: 'ms', stepSeconds: STEP_SECONDS * 2 });
  report({ name: 'cache-share', metric: 'runner_b_imported_ms', value: bImport, unit: 'ms' });
  report({ name: 'cache-share', metric: 'ratio_b_over_a', value: bImport / aExport, unit: 'x', target: '<= 0.2' });
  report({ name: 'cache-share', metric: 'export_overhead', value: aExport / aPlain, unit: 'x', target: '<= 1.2' });
} finally {
  await a.close();
  await b.close();
  if (process.env['KILN_KEEP_ENV'] !== '1') {
    spawnSync('bash', ['scripts/env/down.sh', '--lease', lease], { env: { ...process.env, KILN_ENV_INSTANCE: 'b' }, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
