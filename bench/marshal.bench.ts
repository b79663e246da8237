// Builds a 10,000-step LLB graph with kiln's API and marshals it; prints ops/s and peak RSS.
//
// The graph (the same one the Go comparison program builds with BuildKit v0.11.6's client):
// from docker.io/library/debian:bookworm-slim, for i in 0..9999, by i % 4:
//   0: run `sh -c 'echo step i > /fi'` with env I=i and cwd /work
//   1: mkfile /mi containing "data i"
//   2: copy /etc/hostname from the base image to /ci, creating parent directories
//   3: remember the current state as a branch; every 8 branches, continue from a merge of them
// That is 7,814 ops in the definition (terminal op included).
//
// Timed: building the graph + marshal() (Go: building the states + State.Marshal). Encoding the whole
// Definition to bytes (Go: def.ToPB().Marshal()) is reported separately as `toBytesMs`.
//
// Rounds: the first round is the cold one (JIT not warmed up). Peak RSS is read right after it: the
// footprint of one build + marshal in a fresh process, which is what the Go figure measures. Then
// WARMUP more rounds run untimed and MEASURED rounds are timed; the headline is their median.
//
// Run it through `npm run bench` (one child process per benchmark, so peak RSS is this one's).
import { performance } from 'node:perf_hooks';
import { type State, image, marshal, merge } from '../src/llb/index.js';

const STEPS = 10_000;
const WARMUP = 3;
const MEASURED = 9;

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

interface Round {
  readonly ops: number;
  readonly ms: number;
  readonly toBytesMs: number;
  readonly digest: string;
}

function round(): Round {
  const t0 = performance.now();
  const def = marshal(buildGraph(), { platform: 'linux/amd64' });
  const t1 = performance.now();
  def.toBytes();
  const t2 = performance.now();
  return { ops: def.ops.length, ms: t1 - t0, toBytesMs: t2 - t1, digest: def.digest() ?? '' };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const cold = round();
const peakRssMb = process.resourceUsage().maxRSS / 1024;
for (let r = 0; r < WARMUP; r++) round();
const rounds: Round[] = [];
for (let r = 0; r < MEASURED; r++) rounds.push(round());
if (rounds.some((r) => r.digest !== cold.digest)) throw new Error('the graph marshalled to different digests across rounds');

const rate = (r: Round): number => r.ops / (r.ms / 1000);
const medianRate = median(rounds.map(rate));
const bestRate = Math.max(...rounds.map(rate));
const peakRssAllRoundsMb = process.resourceUsage().maxRSS / 1024;

console.log(
  JSON.stringify({
    name: 'llb-marshal-10k',
    metric: 'build+marshal throughput',
    value: Math.round(medianRate),
    unit: 'ops/s',
    ops: cold.ops,
    medianMs: Number(median(rounds.map((r) => r.ms)).toFixed(1)),
    bestOpsPerSec: Math.round(bestRate),
    coldOpsPerSec: Math.round(rate(cold)),
    toBytesMs: Number(median(rounds.map((r) => r.toBytesMs)).toFixed(1)),
    peakRssMb: Number(peakRssMb.toFixed(1)),
    peakRssAllRoundsMb: Number(peakRssAllRoundsMb.toFixed(1)),
    rounds: { warmup: 1 + WARMUP, measured: MEASURED },
    baseline: { name: 'BuildKit v0.11.6 Go client', opsPerSec: 45_000, peakRssMb: 36 },
    target: { opsPerSec: 90_000, peakRssMb: 150 },
  }),
);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.error(
  `llb-marshal-10k: ${cold.ops} ops; build+marshal median ${fmt(medianRate)} ops/s (best ${fmt(bestRate)}, cold ${fmt(rate(cold))}) ` +
    `over ${MEASURED} warm rounds; toBytes ${median(rounds.map((r) => r.toBytesMs)).toFixed(1)} ms; ` +
    `peak RSS ${peakRssMb.toFixed(1)} MB after one round (${peakRssAllRoundsMb.toFixed(1)} MB after all) ` +
    `[Go client: ~45,000 ops/s, 36 MB; target ≥ 90,000 ops/s, < 150 MB]`,
);
