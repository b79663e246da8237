/**
 * `--output type=local`, side by side on the same daemon: the whole root filesystem of `debian:bookworm-slim` (about
 * 4,200 entries, 80 MB: 3,250 files, 450 directories, 500 symlinks) written into a new directory by kiln (its CLI as a
 * new process, `kiln build image.ts -o type=local,dest=…`, its fsutil receiver; KILN_BENCH_KILN=library: `buildImage`
 * with that output in this process) and by `docker build -o type=local` (the
 * Docker 20.10 CLI with BuildKit, whose Go receiver takes the same stream). The image is built once before (an `ENV`
 * over the base), so each round is the export: connect, solve (cached), transfer, write, land the directory.
 *
 * Each round runs both (kiln first in even rounds, docker first in odd ones), each into a fresh directory; the directories are removed only after the timed
 * rounds (on this VM's ext4, creating files right after deleting thousands is several times slower, see
 * context-upload.bench.ts). Figure: the median time of each, and kiln/docker (target ≤ 1.0).
 *
 * Needs the test environment (`npm run env:up`; `npm run bench` starts it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '../src/client/client.js';
import { buildImage } from '../src/image/build-image.js';
import { Image } from '../src/image/image.js';
import { kilnCliArgs, kilnIndex, kilnModeFromEnv, loadBenchEnv, sh } from './bench-env.js';
import { inTurn, report, spread } from './report.js';


const env = loadBenchEnv();
const work = mkdtempSync(join(tmpdir(), 'kiln-bench-export-'));
const rounds = Number(process.env['KILN_BENCH_RUNS'] ?? 5);
const image = Image.fromRegistry('debian:bookworm-slim').env({ KILN_BENCH: 'local-export' });
writeFileSync(join(work, 'Dockerfile'), 'FROM debian:bookworm-slim\nENV KILN_BENCH=local-export\n');
let n = 0;

const kilnMode = kilnModeFromEnv();
const moduleFile = join(work, 'image.ts');
writeFileSync(
  moduleFile,
  `import { Image } from ${JSON.stringify(kilnIndex)};\n\nexport default Image.fromRegistry('debian:bookworm-slim').env({ KILN_BENCH: 'local-export' });\n`,
);

async function kilnExport(): Promise<number> {
  const dest = join(work, `kiln-${n++}`);
  if (kilnMode === 'cli') {
    const start = performance.now();
    await sh(process.execPath, [...kilnCliArgs, '--addr', env.buildkitHost, 'build', moduleFile, '--context', work, '-q', '-o', `type=local,dest=${dest}`]);
    return performance.now() - start;
  }
  const start = performance.now();
  const client = await Client.connect({ address: env.buildkitHost });
  try {
    await buildImage(client, image, { context: work, output: `type=local,dest=${dest}` });
  } finally {
    await client.close();
  }
  return performance.now() - start;
}

async function dockerExport(): Promise<number> {
  const dest = join(work, `docker-${n++}`);
  const start = performance.now();
  await sh(env.dockerCli, ['-H', env.dockerHost, 'build', '-q', '-o', `type=local,dest=${dest}`, work], { DOCKER_BUILDKIT: '1' });
  return performance.now() - start;
}

try {
  await kilnExport();
  await dockerExport();
  const kiln: number[] = [];
  const docker: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const side of inTurn(i, 'kiln', 'docker')) {
      if (side === 'kiln') kiln.push(await kilnExport());
      else docker.push(await dockerExport());
    }
  }
  const k = spread(kiln);
  const d = spread(docker);
  report({ name: 'local-export', metric: 'kiln_ms', value: k.median, unit: 'ms', runs: rounds, min: k.min, max: k.max, kiln: kilnMode });
  report({ name: 'local-export', metric: 'docker_build_ms', value: d.median, unit: 'ms', runs: rounds, min: d.min, max: d.max });
  report({ name: 'local-export', metric: 'ratio_kiln_over_docker', value: k.median / d.median, unit: 'x', target: '<= 1.0' });
  // Only in process is this process's peak RSS kiln's (the CLI is a child, not counted here).
  if (kilnMode === 'library') report({ name: 'local-export', metric: 'kiln_peak_rss', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' });
} finally {
  rmSync(work, { recursive: true, force: true });
}
