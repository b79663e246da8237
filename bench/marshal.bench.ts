// Builds a 10,000-step LLB graph with kiln's API and marshals it; prints ops/s and peak RSS.
//
// The graph (the same one the Go comparison program builds with BuildKit v0.11.6's client):
// from docker.io/library/debian:bookworm-slim, for i in 0..9999, by i % 4:
//   0: run `sh -c 'echo step i > /fi'` with env I=i and cwd /work
//   1: mkfile /mi containing "data i"
//   2: copy /etc/hostname from the base image to /ci, creating parent directories
//   3: remember the current state as a branch; every 8 branches, continue from a merge of them
//
// Run it through `npm run bench` (one child process per benchmark, so peak RSS is this one's).
import { performance } from 'node:perf_hooks';
import { type State, image, marshal, merge } from '../src/llb/index.js';

const STEPS = 10_000;
const ROUNDS = 7;

function buildGraph(): State {
  const base = image('docker.io/library/debian:bookworm-slim');
  let cur: State = base;
  let branches: State[] = [];
  for (let i = 0; i < STEPS; i++) {
    switch (i % 4) {
      case 0:
        cur = cur.run(`sh -c 'echo step ${i} > /f${i}'`, { env: { I: String(i) }, cwd: '/work' }).root();
        break;
      case 1:
        cur = cur.mkfile(`/m${i}`, `data ${i}`);
        break;
      case 2:
        cur = cur.copy(base, '/etc/hostname', `/c${i}`, { createDestPath: true });
        break;
      default:
        branches.push(cur);
        if (branches.length === 8) {
          cur = merge(branches);
          branches = [];
        }
    }
  }
  return cur;
}

function once(): { ops: number; ms: number; digest: string } {
  const t0 = performance.now();
  const def = marshal(buildGraph(), { platform: 'linux/amd64' });
  const ms = performance.now() - t0;
  return { ops: def.ops.length, ms, digest: def.digest() ?? '' };
}

const runs: { ops: number; ms: number; digest: string }[] = [];
for (let r = 0; r < ROUNDS; r++) runs.push(once());
const first = runs[0];
if (first === undefined) throw new Error('no rounds ran');
if (runs.some((r) => r.digest !== first.digest)) throw new Error('the graph marshalled to different digests across rounds');

const rates = runs.map((r) => r.ops / (r.ms / 1000)).sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)] as number;
const coldRate = first.ops / (first.ms / 1000);
const peakRssMb = process.resourceUsage().maxRSS / 1024;

console.log(
  JSON.stringify({
    name: 'llb-marshal-10k',
    metric: 'throughput',
    value: Math.round(median),
    unit: 'ops/s',
    ops: first.ops,
    rounds: ROUNDS,
    coldOpsPerSec: Math.round(coldRate),
    medianMs: Number((first.ops / median * 1000).toFixed(1)),
    peakRssMb: Number(peakRssMb.toFixed(1)),
    baseline: { name: 'BuildKit v0.11.6 Go client', opsPerSec: 45_000, peakRssMb: 36 },
    target: { opsPerSec: 90_000, peakRssMb: 150 },
  }),
);
console.log(
  `llb-marshal-10k: ${first.ops} ops built+marshalled, median ${Math.round(median).toLocaleString('en-US')} ops/s ` +
    `(cold ${Math.round(coldRate).toLocaleString('en-US')} ops/s) over ${ROUNDS} rounds, peak RSS ${peakRssMb.toFixed(1)} MB ` +
    `[Go client: ~45,000 ops/s, 36 MB; target ≥ 90,000 ops/s, < 150 MB]`,
);
