/**
 * Build-context upload, side by side on the same daemon: a directory of 10,000 files / 200 MB (sizes from a few
 * bytes to 2 MB, incompressible content) sent to the daemon by kiln (in process: its FileSync sender serving a
 * `local` source) and by `docker build` (the Docker 20.10 CLI with BuildKit, which serves the same protocol).
 *
 * Both builds do the same thing with the context: a `RUN true` step on busybox with the whole context bind-mounted,
 * so everything must be transferred but nothing is copied into a layer; the (tiny) result goes into Docker's image
 * store. Two figures:
 * - cold: the daemon has no copy of the context (each cold round uses a new session shared key, see below);
 *   median over rounds that run both sides, kiln first in even rounds and docker first in odd ones; target kiln/docker ≤ 1.0.
 * - one file changed: the context was just uploaded, one file's content changes, build again; only that file
 *   travels. Target: kiln under 0.5 s.
 * Also the peak RSS of this process (kiln runs in it; docker is a child process and not counted).
 *
 * The context is generated once under /var/cache/kiln-bench (outside the repository) and reused.
 *
 * Needs the test environment (`npm run env:up`; `npm run bench` starts it).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '../src/client/client.js';
import { image, local, marshal } from '../src/llb/index.js';
import { fileSyncService } from '../src/session/file-sync-service.js';
import { inTurn, median, report, spread } from './report.js';
import { type BenchEnv, loadBenchEnv, sh, storeExporter } from './bench-env.js';


const FILES = 10_000;
const TOTAL_BYTES = 200 * 1024 * 1024;
const CONTEXT = process.env['KILN_BENCH_CONTEXT'] ?? '/var/cache/kiln-bench/context-10k-200m';

/** Writes the context once: 10,000 files in 100 directories, sizes skewed small with a few large ones. */
function ensureContext(): { files: number; bytes: number } {
  const marker = join(CONTEXT, '.complete');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as { files: number; bytes: number };
  rmSync(CONTEXT, { recursive: true, force: true });
  // Sizes: 9,900 small/medium files (64 B – 24 KiB) and 100 large ones sharing what is left of the 200 MB.
  const sizes: number[] = [];
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < FILES - 100; i++) sizes.push(64 + Math.floor(rand() * rand() * 24 * 1024));
  const small = sizes.reduce((a, b) => a + b, 0);
  const large = Math.floor((TOTAL_BYTES - small) / 100);
  for (let i = 0; i < 100; i++) sizes.push(large);
  let bytes = 0;
  sizes.forEach((size, i) => {
    const dir = join(CONTEXT, `d${String(i % 100).padStart(2, '0')}`, `s${i % 7}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.bin`), randomBytes(size));
    bytes += size;
  });
  const summary = { files: sizes.length, bytes };
  writeFileSync(marker, JSON.stringify(summary));
  return summary;
}


/** Forgets every local-source snapshot on the daemon (only those; the rest of the cache stays). Not timed. */
function pruneLocalSources(env: BenchEnv): Promise<void> {
  return sh(env.dockerCli, ['-H', env.dockerHost, 'builder', 'prune', '-f', '--filter', 'type=source.local']);
}

async function kilnBuild(env: BenchEnv, sharedKey: string): Promise<number> {
  const start = performance.now();
  const client = await Client.connect({ address: env.buildkitHost });
  try {
    await client.build(
      {
        exporter: storeExporter(env.buildkitHost),
        sharedKey,
        sessionServices: [fileSyncService([{ name: 'context', path: CONTEXT }])],
      },
      async (gw) => {
        const state = image('docker.io/library/busybox:latest')
          .run(['true'], { mounts: [{ type: 'bind', dest: '/ctx', source: local('context', { exclude: ['.complete', '.dockerignore'] }), readonly: true }] })
          .root();
        return { ref: await gw.solve(marshal(state, { caps: gw.llbCaps })), metadata: { 'containerimage.config': JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }) } };
      },
    );
  } finally {
    await client.close();
  }
  return performance.now() - start;
}

/** `configDir` is the Docker CLI's config directory: its `.buildNodeID` makes the CLI's session shared key. */
async function dockerBuild(env: BenchEnv, dockerfileDir: string, configDir: string): Promise<number> {
  const start = performance.now();
  await sh(env.dockerCli, ['-H', env.dockerHost, 'build', '-q', '-f', join(dockerfileDir, 'Dockerfile'), CONTEXT], {
    DOCKER_BUILDKIT: '1',
    DOCKER_CONFIG: configDir,
  });
  return performance.now() - start;
}

const env = loadBenchEnv();
const made = ensureContext();
const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-ctx-'));
// The same step as kiln's: the whole context bind-mounted into a `true` run.
writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox:latest\nRUN --mount=type=bind,target=/ctx true\n');
writeFileSync(join(CONTEXT, '.dockerignore'), '.complete\n.dockerignore\n');
const rounds = Number(process.env['KILN_BENCH_RUNS'] ?? 3);
const changed = join(CONTEXT, 'd00', 's0', 'f0.bin');
// A cold round must find no earlier copy of the context on the daemon. Pruning the daemon's copies between rounds
// made every figure drift upwards: the daemon deletes the snapshot's 10,000 files in the background, and this
// VM's ext4 (no journal) then creates files several times slower while it skips the just-freed inodes (dockerd at
// 100 % system time in the kernel's `recently_deleted`). So each cold round uses a new session shared key instead
// — the key the daemon finds a previous copy by: kiln's `sharedKey` option, and for the Docker CLI a fresh config
// directory (the key is derived from its `.buildNodeID`). Copies are pruned once, after the timed rounds.
let keys = 0;
const freshKeys = (): { kiln: string; dockerConfig: string } => {
  keys++;
  const dockerConfig = join(dir, `docker-config-${keys}`);
  mkdirSync(dockerConfig);
  return { kiln: `kiln-bench-context-${process.pid}-${keys}`, dockerConfig };
};
// How long the event loop was held up during kiln's cold uploads (the daemon health-checks the session every
// second: a stall near that would kill the build). A fresh histogram per round: a re-enabled one counts the pause.
let loopMaxMs = 0;
let loopP99Ms = 0;
try {
  // Warm the base image and both code paths once.
  const warm = freshKeys();
  await kilnBuild(env, warm.kiln);
  await dockerBuild(env, dir, warm.dockerConfig);
  const kilnCold: number[] = [];
  const dockerCold: number[] = [];
  const kilnOne: number[] = [];
  const dockerOne: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const kilnSide = async (): Promise<void> => {
      const k = freshKeys();
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      kilnCold.push(await kilnBuild(env, k.kiln));
      loop.disable();
      loopMaxMs = Math.max(loopMaxMs, loop.max / 1e6);
      loopP99Ms = Math.max(loopP99Ms, loop.percentile(99) / 1e6);
      writeFileSync(changed, randomBytes(1024));
      kilnOne.push(await kilnBuild(env, k.kiln));
    };
    const dockerSide = async (): Promise<void> => {
      const d = freshKeys();
      dockerCold.push(await dockerBuild(env, dir, d.dockerConfig));
      writeFileSync(changed, randomBytes(1024));
      dockerOne.push(await dockerBuild(env, dir, d.dockerConfig));
    };
    // kiln first in even rounds, docker first in odd ones.
    for (const side of inTurn(i, kilnSide, dockerSide)) await side();
  }
  const kcs = spread(kilnCold);
  const dcs = spread(dockerCold);
  const kc = kcs.median;
  const dc = dcs.median;
  report({ name: 'context-upload', metric: 'context', value: made.bytes / 1024 / 1024, unit: 'MB', files: made.files });
  report({ name: 'context-upload', metric: 'cold_kiln_ms', value: kc, unit: 'ms', runs: rounds, min: kcs.min, max: kcs.max });
  report({ name: 'context-upload', metric: 'cold_docker_build_ms', value: dc, unit: 'ms', runs: rounds, min: dcs.min, max: dcs.max });
  report({ name: 'context-upload', metric: 'cold_ratio_kiln_over_docker', value: kc / dc, unit: 'x', target: '<= 1.0' });
  report({ name: 'context-upload', metric: 'one_file_kiln_ms', value: median(kilnOne), unit: 'ms', target: '< 500' });
  report({ name: 'context-upload', metric: 'one_file_docker_build_ms', value: median(dockerOne), unit: 'ms' });
  report({ name: 'context-upload', metric: 'kiln_peak_rss', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' });
  report({ name: 'context-upload', metric: 'kiln_event_loop_max_delay', value: loopMaxMs, unit: 'ms', p99: loopP99Ms, target: '<< 1000' });
} finally {
  await pruneLocalSources(env).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
