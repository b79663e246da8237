/**
 * The two CI runners of the shared-cache tests: runner A is the test environment's instance, runner B a second
 * instance of the same engine (scripts/test.sh: `kiln` and `b` on dockerd 20.10, `modern` and `modernb` on dockerd
 * 26.1), named by KILN_TEST_ENV_B or else found beside A's env.json. A pair of different engines is refused: cache
 * exported by BuildKit v0.13 is not hit by v0.8 (docker build misses it too), so a test of one engine's behaviour run
 * on a mixed pair would report a miss that is no kiln's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestEnv } from './test-env.js';

/** Where a runner builds and where its Docker is. */
export interface CacheRunner {
  readonly envFile: string;
  readonly engine: 'debian' | 'modern';
  /** BuildKit address (KILN_CACHE_RUNNER_A / _B when both are given: two standalone buildkitds). */
  readonly buildkitHost: string;
  readonly dockerHost: string;
}

function runnerFrom(file: string, buildkitOverride: string | undefined): CacheRunner {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { engine?: string; buildkitHost: string; dockerHost: string };
  return {
    envFile: file,
    engine: raw.engine === 'modern' ? 'modern' : 'debian',
    buildkitHost: buildkitOverride ?? raw.buildkitHost,
    dockerHost: raw.dockerHost,
  };
}

/** Runner B's env.json when KILN_TEST_ENV_B is not set: `b` beside `kiln`, else the instance name with `b` appended. */
function siblingEnvFile(env: TestEnv): string {
  const root = dirname(dirname(env.envFile));
  return join(root, env.instance === 'kiln' ? 'b' : `${env.instance}b`, 'env.json');
}

/** Runners A and B for `env`; throws when B is missing or runs another engine than A. */
export function cacheRunners(env: TestEnv): { readonly A: CacheRunner; readonly B: CacheRunner } {
  const explicit = process.env['KILN_CACHE_RUNNER_A'] !== undefined && process.env['KILN_CACHE_RUNNER_B'] !== undefined;
  const fileB = process.env['KILN_TEST_ENV_B'] ?? siblingEnvFile(env);
  if (!existsSync(fileB)) {
    throw new Error(`runner B's environment ${fileB} does not exist: start it (scripts/env/up.sh) or set KILN_TEST_ENV_B`);
  }
  const A = runnerFrom(env.envFile, explicit ? process.env['KILN_CACHE_RUNNER_A'] : undefined);
  const B = runnerFrom(fileB, explicit ? process.env['KILN_CACHE_RUNNER_B'] : undefined);
  if (A.engine !== B.engine) {
    throw new Error(
      `runner A (${A.envFile}) runs the ${A.engine} engine and runner B (${B.envFile}) the ${B.engine} one: set KILN_TEST_ENV_B to a second instance of the ${A.engine} engine (scripts/test.sh pairs kiln with b, modern with modernb)`,
    );
  }
  return { A, B };
}
