/**
 * Fully cached rebuild, side by side on the same daemon: kiln vs `docker build` of the equivalent Dockerfile (Docker
 * 20.10 CLI with BuildKit). Both images are built once to warm the cache, then rebuilt N times, kiln first in even
 * rounds and docker first in odd ones. Reports the median wall time of each, their ratio (target ≤ 0.5) and the time
 * to the first progress line.
 *
 * kiln is timed as a user runs it: `kiln build image.ts -t NAME` as a new process (the image module written once,
 * the same steps as the Dockerfile), as `docker build` is a new process. KILN_BENCH_KILN=library times the client in
 * this process instead (connect, resolve the base, solve through the gateway, export into Docker), what kiln costs
 * per build once loaded.
 *
 * Needs the test environment (`npm run env:up`; `npm run bench` starts it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '../src/client/client.js';
import { parseImageConfig, serializeImageConfig } from '../src/image/oci-config.js';
import { image, marshal } from '../src/llb/index.js';
import { inTurn, median, report, spread } from './report.js';
import { kilnCliArgs, kilnIndex, kilnModeFromEnv, kilnStoreFlags, loadBenchEnv, storeExporter, timedProcess, type BenchEnv } from './bench-env.js';


const BASE = 'docker.io/library/debian:bookworm-slim';
const STEPS = [
  'echo one > /one',
  'mkdir -p /opt/app && echo two > /opt/app/two',
  'for i in 1 2 3; do echo "$i" >> /opt/app/count; done',
];

const DOCKERFILE = `FROM ${BASE}
${STEPS.map((s) => `RUN ${s}`).join('\n')}
ENV APP_MODE=bench
WORKDIR /opt/app
CMD ["cat", "/opt/app/count"]
`;

async function kilnBuild(env: BenchEnv, tag: string): Promise<{ totalMs: number; firstProgressMs: number }> {
  const start = performance.now();
  let first = 0;
  const client = await Client.connect({ address: env.buildkitHost });
  try {
    await client.build(
      {
        exporter: storeExporter(env.buildkitHost, tag),
        onStatus: () => {
          if (first === 0) first = performance.now() - start;
        },
      },
      async (gw) => {
        const resolved = await gw.resolveImageConfig(BASE);
        const config = parseImageConfig(resolved.config, BASE);
        let state = image(BASE);
        for (const kv of config.config.Env ?? []) {
          const eq = kv.indexOf('=');
          state = state.addEnv(kv.slice(0, eq), kv.slice(eq + 1));
        }
        for (const s of STEPS) state = state.run(['/bin/sh', '-c', s], { customName: `RUN ${s}` }).root();
        const ref = await gw.solve(marshal(state, { caps: gw.llbCaps }));
        const final = {
          ...config,
          config: { ...config.config, Env: [...(config.config.Env ?? []), 'APP_MODE=bench'], WorkingDir: '/opt/app', Cmd: ['cat', '/opt/app/count'] },
        };
        return { ref, metadata: { 'containerimage.config': serializeImageConfig(final) } };
      },
    );
  } finally {
    await client.close();
  }
  return { totalMs: performance.now() - start, firstProgressMs: first };
}

/** The image module a user would write for the Dockerfile's steps. */
function imageModuleSource(): string {
  return [
    `import { Image } from ${JSON.stringify(kilnIndex)};`,
    '',
    `export default Image.fromRegistry(${JSON.stringify(BASE)})`,
    ...STEPS.map((step) => `  .runCommands(${JSON.stringify(step)})`),
    "  .env({ APP_MODE: 'bench' })",
    "  .workdir('/opt/app')",
    "  .cmd(['cat', '/opt/app/count']);",
    '',
  ].join('\n');
}

/** `kiln build image.ts -t NAME` as a new process; the wall time, and the time to its first output. */
async function kilnCliBuild(env: BenchEnv, module: string, dir: string, tag: string): Promise<{ totalMs: number; firstProgressMs: number }> {
  const r = await timedProcess(process.execPath, [...kilnCliArgs, '--addr', env.buildkitHost, 'build', module, '--context', dir, '--progress', 'plain', ...kilnStoreFlags(env.buildkitHost, tag)]);
  return { totalMs: r.ms, firstProgressMs: r.firstOutputMs };
}

async function dockerBuild(env: BenchEnv, dir: string, tag: string): Promise<{ totalMs: number; firstProgressMs: number }> {
  const r = await timedProcess(env.dockerCli, ['-H', env.dockerHost, 'build', '--progress=plain', '-t', tag, dir], { DOCKER_BUILDKIT: '1' });
  return { totalMs: r.ms, firstProgressMs: r.firstOutputMs };
}

const env = loadBenchEnv();
const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-'));
writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
const runs = Number(process.env['KILN_BENCH_RUNS'] ?? 7);
const kilnMode = kilnModeFromEnv();
const moduleFile = join(mkdtempSync(join(tmpdir(), 'kiln-bench-module-')), 'image.ts');
writeFileSync(moduleFile, imageModuleSource());
const kiln = (tag: string): Promise<{ totalMs: number; firstProgressMs: number }> => (kilnMode === 'cli' ? kilnCliBuild(env, moduleFile, dir, tag) : kilnBuild(env, tag));
try {
  // Warm both caches (and the base image) first.
  await kiln('kiln-bench/cached:kiln');
  await dockerBuild(env, dir, 'kiln-bench/cached:docker');
  const kilnMs: number[] = [];
  const docker: number[] = [];
  const kilnFirst: number[] = [];
  const dockerFirst: number[] = [];
  for (let i = 0; i < runs; i++) {
    // kiln first in even rounds, docker first in odd ones.
    let k = { totalMs: 0, firstProgressMs: 0 };
    let d = { totalMs: 0, firstProgressMs: 0 };
    for (const side of inTurn(i, 'kiln', 'docker')) {
      if (side === 'kiln') k = await kiln('kiln-bench/cached:kiln');
      else d = await dockerBuild(env, dir, 'kiln-bench/cached:docker');
    }
    kilnMs.push(k.totalMs);
    kilnFirst.push(k.firstProgressMs);
    docker.push(d.totalMs);
    dockerFirst.push(d.firstProgressMs);
  }
  const k = spread(kilnMs);
  const d = spread(docker);
  report({ name: 'cached-rebuild', metric: 'kiln_ms', value: k.median, unit: 'ms', runs, min: k.min, max: k.max, kiln: kilnMode });
  report({ name: 'cached-rebuild', metric: 'docker_build_ms', value: d.median, unit: 'ms', runs, min: d.min, max: d.max });
  report({ name: 'cached-rebuild', metric: 'ratio_kiln_over_docker', value: k.median / d.median, unit: 'x', target: '<= 0.5' });
  report({ name: 'cached-rebuild', metric: 'kiln_first_progress_ms', value: median(kilnFirst), unit: 'ms' });
  report({ name: 'cached-rebuild', metric: 'docker_first_progress_ms', value: median(dockerFirst), unit: 'ms' });
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(moduleFile), { recursive: true, force: true });
}
