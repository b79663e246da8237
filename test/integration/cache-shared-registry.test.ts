/**
 * CI runners sharing build cache through a registry. Runner A and runner B are two independent daemons with separate
 * state (by default the private dockerd and a second instance started by scripts/test.sh; set KILN_CACHE_RUNNER_A and
 * KILN_CACHE_RUNNER_B to two buildkitd addresses). With dockerd's classic image store the cache travels inline in
 * the pushed image; with buildkitd or the containerd image store as `registry` cache, mode=max. A builds
 * with cache export; B, with an empty cache, builds the same definition importing it: every step A built is cached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../src/client/build.js';
import { validateCacheOptions } from '../../src/client/cache-options.js';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { buildImage, Image } from '../../src/image/index.js';
import { cacheRunners } from './cache-runners.js';
import { testEnv } from './test-env.js';

const env = testEnv();

// Two buildkitd runners when KILN_CACHE_RUNNER_A and _B are both given; otherwise the environment's daemon and a second
// instance of the same engine (a single BUILDKIT_HOST cannot play two runners with separate state; a pair of different
// engines is refused, see cache-runners.ts).
const { A, B } = cacheRunners(env);
const addressA = A.buildkitHost;
const addressB = B.buildkitHost;

let a: Client;
let b: Client;
let infoA: DaemonInfo;
let infoB: DaemonInfo;

beforeAll(async () => {
  a = await Client.connect({ address: addressA });
  b = await Client.connect({ address: addressB });
  infoA = await a.info();
  infoB = await b.info();
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('cache shared through a registry', () => {
  it('runner B rebuilds nothing that runner A built', async () => {
    // Separate daemons, separate state.
    expect(a.address.text).not.toBe(b.address.text);
    const run = `${process.pid}-${Date.now()}`;
    const image = Image.fromRegistry('debian:bookworm-slim')
      .env({ RUN_ID: run })
      .runCommands(`echo "compile ${run}" && sleep 1 && echo built > /built-a`)
      .runCommands(`echo "test ${run}" && sleep 1 && echo built > /built-b`)
      .workdir('/srv');
    const ref = `${env.registry.address}/kiln-cache/app:${run}`;
    const cacheRef = `${env.registry.address}/kiln-cache/app:cache-${run}`;

    // Runner A: build, export cache, push.
    // dockerd's classic image store exports only inline cache; buildkitd and the containerd image store do registry.
    const inlineOnly = infoA.kind === 'dockerd' && infoA.imageStore === 'graphdriver';
    const exportsA: CacheEntry[] =
      inlineOnly ? [{ type: 'inline', attrs: {} }] : [{ type: 'registry', attrs: { ref: cacheRef, mode: 'max', 'registry.insecure': 'true' } }];
    const planA = await planExport(parseOutputSpec(`type=image,name=${ref},push=true,registry.insecure=true`), infoA, a.address.text, {
      docker: { socketPath: env.dockerSocket },
    });
    const builtA = await buildImage(a, image, {
      exporter: planA.exporter,
      sessionServices: planA.sessionServices,
      cacheExports: validateCacheOptions('export', exportsA, infoA),
    });
    await planA.finish(builtA.outcome.exporterResponse);
    const isOurStep = (name: string): boolean => name.includes(`compile ${run}`) || name.includes(`test ${run}`);
    const stepsA = [...builtA.outcome.progress.steps.values()].filter((s) => isOurStep(s.name));
    expect(stepsA).toHaveLength(2);
    expect(stepsA.every((s) => !s.cached)).toBe(true);

    // Runner B: empty cache for these steps, imports A's cache from the registry.
    const importsB: CacheEntry[] = [{ type: 'registry', attrs: { ref: inlineOnly ? ref : cacheRef, 'registry.insecure': 'true' } }];
    const builtB = await buildImage(b, image, {
      cacheImports: validateCacheOptions('import', importsB, infoB),
    });
    const stepsB = [...builtB.outcome.progress.steps.values()].filter((s) => isOurStep(s.name));
    expect(stepsB.map((s) => s.name).sort()).toEqual(stepsA.map((s) => s.name).sort());
    expect(stepsB.every((s) => s.cached)).toBe(true);
    expect(builtB.config.config.Env).toContain(`RUN_ID=${run}`);
    expect(builtB.config.config.WorkingDir).toBe('/srv');
  });
});
