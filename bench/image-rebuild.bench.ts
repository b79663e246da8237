/**
 * Image builds side by side on the same daemon: kiln (its CLI, `kiln build image.ts -t NAME`, as a new process: it
 * loads the module, connects, resolves the bases, compiles with the daemon's caps, solves and exports into Docker)
 * vs `docker build` (DOCKER_BUILDKIT=1, the Docker 20.10 CLI, also a new process) of `image.toDockerfile()` written
 * to a temporary context holding the same files. KILN_BENCH_KILN=library times `buildImage` in this process instead.
 * Each round runs both, kiln first in even rounds and docker first in odd ones; the figures are medians, with the
 * fastest and slowest round (`min`, `max`).
 *
 * 1. `pip-edit`: an apt + pip + app-code image (packages from local stand-ins: a flat apt repository and a PEP 503
 *    index on the build bridge); each round edits one pinned requirement to a version neither has built and
 *    rebuilds. Target ratio ≤ 0.5.
 * 2. `parallel-cold`: a cold build of an image with three independent 5-second steps (`outputs`), unique per round
 *    and per side so both are cold. Target ratio ≤ 0.5. Also reported: `docker build` of the Dockerfile most people
 *    would write for it (three `RUN`s in one stage) — a different image in general (each step keeps everything
 *    it writes), the same files here.
 * 3. `app-edit`: the image of (1); each round edits one app-code file only. Target ratio ≤ 0.7.
 * 4. `app-edit-watch`: (3) with kiln as `kiln build image.ts -t NAME --watch`, started once (its first build not
 *    timed): each round writes the app code (in kiln's context) and times from the write to the watch process's
 *    `[watch] build N done` line (file events, the 100 ms quiet time, loading the module afresh, the build and the
 *    export into Docker); the docker side writes the same edit to a copy of the context and runs `docker build` of
 *    `toDockerfile()` there (a new process, as in (3)), so neither side's edit wakes the other. Target ratio ≤ 0.7.
 *    Always the CLI (KILN_BENCH_KILN does not apply).
 *
 * Needs the test environment (`npm run env:up`; `npm run bench` starts it). Other people's builds on the same
 * daemon make single rounds noisy; compare medians. KILN_BENCH_RUNS sets the rounds (default 5);
 * KILN_BENCH_SCENARIOS=pip-edit,app-edit picks scenarios.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '../src/client/client.js';
import { buildImage, Image, type BuiltImage } from '../src/image/index.js';
import { EDITED, type ImageSpec, PACKAGES, imageModuleSource, imageOf, sequentialDockerfile } from './image-rebuild-images.js';
import { demoDeb, demoWheel, serveAptRepository, servePackageIndex } from './package-stand-ins.js';
import { inTurn, report, spread } from './report.js';

type Spread = ReturnType<typeof spread>;
import { kilnCliArgs, kilnIndex, kilnModeFromEnv, kilnStoreFlags, loadBenchEnv, moduleExt, timedProcess } from './bench-env.js';


const env = loadBenchEnv();
const runs = Number(process.env['KILN_BENCH_RUNS'] ?? 5);
const scenarios = (process.env['KILN_BENCH_SCENARIOS'] ?? 'pip-edit,parallel-cold,app-edit,app-edit-watch').split(',');
const kilnMode = kilnModeFromEnv();
const id = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const tags: string[] = [];

const imagesModule = new URL(`./image-rebuild-images.${moduleExt}`, import.meta.url).href;
const moduleDir = mkdtempSync(join(tmpdir(), 'kiln-bench-module-'));

/** The image module a user would hand to `kiln build`: imports the bench's images and exports one. */
function writeImageModule(spec: ImageSpec): string {
  const file = join(moduleDir, 'image.ts');
  writeFileSync(file, imageModuleSource(spec, kilnIndex, imagesModule));
  return file;
}

interface Timed {
  readonly ms: number;
  /** The slowest steps, for the notes (where the time went). */
  readonly slowest: string;
}

/**
 * kiln, the way a user runs it: `kiln build image.ts -t NAME` (into Docker on dockerd; on a standalone buildkitd
 * into its image store) as a new process, so Node's start, loading kiln and compiling the image module count, as
 * the Docker CLI's start counts for `docker build`. With KILN_BENCH_KILN=library: `buildImage` in this process
 * (connect, build, export), to see what the client itself costs.
 */
async function kilnBuild(spec: ImageSpec, context: string, name: string): Promise<Timed> {
  const tag = `kiln-bench/${name}:kiln`;
  if (!tags.includes(tag)) tags.push(tag);
  if (kilnMode === 'library') {
    const start = performance.now();
    const client = await Client.connect({ address: env.buildkitHost });
    try {
      const built = await buildImage(client, imageOf(spec, Image), { tags: [tag], context });
      return { ms: performance.now() - start, slowest: slowest(built) };
    } finally {
      await client.close();
    }
  }
  const r = await timedProcess(process.execPath, [...kilnCliArgs, '--addr', env.buildkitHost, 'build', writeImageModule(spec), '--context', context, '--progress', 'plain', ...kilnStoreFlags(env.buildkitHost, tag)]);
  return { ms: r.ms, slowest: plainSlowest(r.output) };
}

/** The steps plain progress (`docker build --progress=plain`, `kiln build --progress plain`) reports as done with a time, slowest first. */
function plainSlowest(output: string, count = 3): string {
  const names = new Map<string, string>();
  const done: { name: string; s: number }[] = [];
  for (const line of output.split('\n')) {
    const named = /^#(\d+) (.+)$/.exec(line);
    if (named !== null && !names.has(named[1] as string)) names.set(named[1] as string, (named[2] as string).slice(0, 48));
    const finished = /^#(\d+) DONE (\d+\.\d+)s/.exec(line);
    if (finished !== null) done.push({ name: names.get(finished[1] as string) ?? `#${finished[1]}`, s: Number(finished[2]) });
  }
  return done
    .sort((a, b) => b.s - a.s)
    .slice(0, count)
    .map((d) => `${d.name} ${d.s.toFixed(1)}s`)
    .join('; ');
}

/** `docker build` of `dockerfile` in `context`; the wall time of the CLI process. */
async function dockerBuild(context: string, dockerfile: string, name: string): Promise<Timed> {
  const tag = `kiln-bench/${name}:docker`;
  if (!tags.includes(tag)) tags.push(tag);
  writeFileSync(join(context, 'Dockerfile'), dockerfile);
  const r = await timedProcess(env.dockerCli, ['-H', env.dockerHost, 'build', '--progress=plain', '-t', tag, context], { DOCKER_BUILDKIT: '1' });
  return { ms: r.ms, slowest: plainSlowest(r.output) };
}

function dockerRmi(names: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(env.dockerCli, ['-H', env.dockerHost, 'rmi', '-f', ...names], { stdio: 'ignore' });
    child.on('close', () => resolve());
    child.on('error', () => resolve());
  });
}

/** Seconds the slowest step of a kiln build ran, by name, for the notes (where the time went). */
function slowest(built: BuiltImage, count = 3): string {
  const steps = [...built.outcome.progress.steps.values()]
    .filter((s) => s.kind === 'vertex' && !s.cached)
    .map((s) => ({ name: s.name.slice(0, 40), ms: s.intervals.reduce((n, i) => n + ((i.end ?? i.start) - i.start), 0) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
  return steps.map((s) => `${s.name} ${(s.ms / 1000).toFixed(2)}s`).join('; ');
}

/** A running `kiln build --watch`: wait for the line that ends build `n`. */
interface WatchProcess {
  /** Resolves when build `n` is reported done (with the duration it reports), rejects when it fails or kiln exits. */
  ended(n: number): Promise<{ reportedMs: number; atMs: number }>;
  stop(): Promise<void>;
}

/** Starts `kiln build <module> --watch` as a user would, kiln's output kept to find each build's last line. */
function startWatch(spec: ImageSpec, context: string, name: string): WatchProcess {
  const tag = `kiln-bench/${name}:kiln`;
  if (!tags.includes(tag)) tags.push(tag);
  const child = spawn(process.execPath, [...kilnCliArgs, '--addr', env.buildkitHost, 'build', writeImageModule(spec), '--context', context, '--progress', 'plain', '--watch', ...kilnStoreFlags(env.buildkitHost, tag)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const lines: { n: number; ok: boolean; reportedMs: number; atMs: number }[] = [];
  let wake: (() => void) | undefined;
  child.stdout.on('data', () => undefined);
  child.stderr.on('data', (c: Buffer) => {
    const at = performance.now();
    output += c.toString('utf8');
    for (const m of c.toString('utf8').matchAll(/^\[watch\] build (\d+) (done in|failed after) ([\d.]+)s/gm)) {
      lines.push({ n: Number(m[1]), ok: m[2] === 'done in', reportedMs: Number(m[3]) * 1000, atMs: at });
    }
    wake?.();
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    async ended(n) {
      for (;;) {
        const line = lines.find((l) => l.n === n);
        if (line !== undefined) {
          if (!line.ok) throw new Error(`kiln --watch: build ${n} failed:\n${output.slice(-3000)}`);
          return line;
        }
        if (child.exitCode !== null) throw new Error(`kiln --watch exited ${child.exitCode}:\n${output.slice(-3000)}`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async stop() {
      child.kill('SIGINT');
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// The apt + pip + app-code image

const versions = Array.from({ length: 2 * runs + 2 }, (_, i) => `1.${i}`);

function writeApp(context: string, revision: string): void {
  mkdirSync(join(context, 'app', 'handlers'), { recursive: true });
  writeFileSync(join(context, 'app', 'main.py'), `import kiln_bench_ml\nREVISION = ${JSON.stringify(revision)}\nprint(kiln_bench_ml.GREETING, REVISION)\n`);
  for (let i = 0; i < 40; i++) writeFileSync(join(context, 'app', 'handlers', `h${i}.py`), `def handle_${i}(request):\n    return ${i}\n`);
  writeFileSync(join(context, 'settings.toml'), '[app]\nmode = "bench"\n');
}

async function sideBySide(
  name: string,
  round: (i: number) => { kiln: () => Promise<Timed>; docker: () => Promise<Timed> },
): Promise<{ kiln: Spread; docker: Spread; notes: string }> {
  const kiln: number[] = [];
  const docker: number[] = [];
  let notes = '';
  for (let i = 0; i < runs; i++) {
    const r = round(i);
    const results = new Map<string, Timed>();
    for (const side of inTurn(i, 'kiln', 'docker')) results.set(side, await (side === 'kiln' ? r.kiln() : r.docker()));
    const k = results.get('kiln') as Timed;
    const d = results.get('docker') as Timed;
    kiln.push(k.ms);
    docker.push(d.ms);
    notes = `kiln: ${k.slowest} / docker: ${d.slowest}`;
    process.stderr.write(`  ${name} round ${i + 1} (${inTurn(i, 'kiln', 'docker')[0]} first): kiln ${k.ms.toFixed(0)} ms, docker build ${d.ms.toFixed(0)} ms (slowest steps, ${notes})\n`);
  }
  return { kiln: spread(kiln), docker: spread(docker), notes };
}

const context = mkdtempSync(join(tmpdir(), 'kiln-bench-image-'));
const repo = await serveAptRepository(env.gateway, [
  demoDeb('kiln-bench-tool', '1.0', { '/usr/bin/kiln-bench-tool': '#!/bin/sh\necho kiln bench tool\n' }, ['kiln-bench-data']),
  demoDeb('kiln-bench-data', '1.0', Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`/usr/share/kiln-bench-data/d${i}.txt`, `data ${i}\n`.repeat(100)]))),
]);
const index = await servePackageIndex(env.gateway, [
  ...PACKAGES.filter((p) => p !== EDITED).map((p) => ({ project: p.replace(/_/g, '-'), ...demoWheel(p, '1.0', `hello from ${p}`, 30) })),
  ...versions.map((v) => ({ project: EDITED.replace(/_/g, '-'), ...demoWheel(EDITED, v, `hello from ${EDITED} ${v}`, 30) })),
]);
const app = (editedVersion: string): ImageSpec => ({ kind: 'app', params: { sourcesLine: repo.sourcesLine, indexUrl: index.url, indexHost: index.host, editedVersion } });
const steps = (token: string): ImageSpec => ({ kind: 'steps', token });

try {
  process.stderr.write(`  kiln runs as ${kilnMode === 'cli' ? 'its CLI (a process per build, like docker build)' : 'the library in this process (KILN_BENCH_KILN=library)'}\n`);
  if (scenarios.includes('pip-edit') || scenarios.includes('app-edit') || scenarios.includes('app-edit-watch')) {
    writeApp(context, `${id}-warm`);
    // Warm both caches (base image, apt and pip steps, the pip and apt cache mounts).
    const warm = app(versions[0] as string);
    await kilnBuild(warm, context, 'app');
    await dockerBuild(context, imageOf(warm, Image).toDockerfile(), 'app');
  }

  if (scenarios.includes('pip-edit')) {
    // Round i: kiln builds version 1.(2i+1), docker 1.(2i+2): a pip step neither side (nor the other) has built.
    const r = await sideBySide('pip-edit', (i) => ({
      kiln: () => kilnBuild(app(versions[2 * i + 1] as string), context, 'app'),
      docker: () => dockerBuild(context, imageOf(app(versions[2 * i + 2] as string), Image).toDockerfile(), 'app'),
    }));
    report({ name: 'image-pip-edit', metric: 'kiln_ms', value: r.kiln.median, unit: 'ms', runs, min: r.kiln.min, max: r.kiln.max, kiln: kilnMode });
    report({ name: 'image-pip-edit', metric: 'docker_build_ms', value: r.docker.median, unit: 'ms', runs, min: r.docker.min, max: r.docker.max });
    report({ name: 'image-pip-edit', metric: 'ratio_kiln_over_docker', value: r.kiln.median / r.docker.median, unit: 'x', target: '<= 0.5', slowest: r.notes });
  }

  if (scenarios.includes('app-edit')) {
    const spec = app(versions[0] as string);
    const dockerfile = imageOf(spec, Image).toDockerfile();
    const r = await sideBySide('app-edit', (i) => ({
      kiln: () => {
        writeApp(context, `${id}-kiln-${i}`);
        return kilnBuild(spec, context, 'app');
      },
      docker: () => {
        writeApp(context, `${id}-docker-${i}`);
        return dockerBuild(context, dockerfile, 'app');
      },
    }));
    report({ name: 'image-app-edit', metric: 'kiln_ms', value: r.kiln.median, unit: 'ms', runs, min: r.kiln.min, max: r.kiln.max, kiln: kilnMode });
    report({ name: 'image-app-edit', metric: 'docker_build_ms', value: r.docker.median, unit: 'ms', runs, min: r.docker.min, max: r.docker.max });
    report({ name: 'image-app-edit', metric: 'ratio_kiln_over_docker', value: r.kiln.median / r.docker.median, unit: 'x', target: '<= 0.7', slowest: r.notes });
  }

  if (scenarios.includes('app-edit-watch')) {
    const spec = app(versions[0] as string);
    const dockerfile = imageOf(spec, Image).toDockerfile();
    // docker's own copy of the context: its edits must not wake kiln's watch.
    const dockerContext = mkdtempSync(join(tmpdir(), 'kiln-bench-image-docker-'));
    writeApp(dockerContext, `${id}-docker-warm`);
    await dockerBuild(dockerContext, dockerfile, 'app');
    writeApp(context, `${id}-kiln-watch-warm`);
    const watch = startWatch(spec, context, 'app');
    const reported: number[] = [];
    try {
      await watch.ended(1);
      const r = await sideBySide('app-edit-watch', (i) => ({
        kiln: async () => {
          const start = performance.now();
          writeApp(context, `${id}-kiln-watch-${i}`);
          const done = await watch.ended(i + 2);
          reported.push(done.reportedMs);
          return { ms: done.atMs - start, slowest: `kiln reports ${(done.reportedMs / 1000).toFixed(2)}s` };
        },
        docker: () => {
          writeApp(dockerContext, `${id}-docker-watch-${i}`);
          return dockerBuild(dockerContext, dockerfile, 'app');
        },
      }));
      const rep = spread(reported);
      report({ name: 'image-app-edit-watch', metric: 'kiln_watch_ms', value: r.kiln.median, unit: 'ms', runs, min: r.kiln.min, max: r.kiln.max, kiln: 'cli --watch', reportedMedianMs: Math.round(rep.median) });
      report({ name: 'image-app-edit-watch', metric: 'docker_build_ms', value: r.docker.median, unit: 'ms', runs, min: r.docker.min, max: r.docker.max });
      report({ name: 'image-app-edit-watch', metric: 'ratio_kiln_over_docker', value: r.kiln.median / r.docker.median, unit: 'x', target: '<= 0.7', slowest: r.notes });
    } finally {
      await watch.stop();
      rmSync(dockerContext, { recursive: true, force: true });
    }
  }

  if (scenarios.includes('parallel-cold')) {
    const empty = mkdtempSync(join(tmpdir(), 'kiln-bench-steps-'));
    const plain: number[] = [];
    try {
      await kilnBuild(steps(`${id}-warm-kiln`), empty, 'steps');
      await dockerBuild(empty, imageOf(steps(`${id}-warm-docker`), Image).toDockerfile(), 'steps');
      const r = await sideBySide('parallel-cold', (i) => ({
        kiln: () => kilnBuild(steps(`${id}-kiln-${i}`), empty, 'steps'),
        docker: async () => {
          const staged = await dockerBuild(empty, imageOf(steps(`${id}-docker-${i}`), Image).toDockerfile(), 'steps');
          plain.push((await dockerBuild(empty, sequentialDockerfile(`${id}-plain-${i}`), 'steps-plain')).ms);
          return staged;
        },
      }));
      const p = spread(plain);
      report({ name: 'image-parallel-cold', metric: 'kiln_ms', value: r.kiln.median, unit: 'ms', runs, min: r.kiln.min, max: r.kiln.max, stepSeconds: 5, kiln: kilnMode });
      report({ name: 'image-parallel-cold', metric: 'docker_build_ms', value: r.docker.median, unit: 'ms', runs, min: r.docker.min, max: r.docker.max, dockerfile: 'toDockerfile(): stages + COPY --from' });
      report({ name: 'image-parallel-cold', metric: 'ratio_kiln_over_docker', value: r.kiln.median / r.docker.median, unit: 'x', target: '<= 0.5' });
      report({ name: 'image-parallel-cold', metric: 'docker_build_three_runs_ms', value: p.median, unit: 'ms', runs, min: p.min, max: p.max, dockerfile: 'three RUNs in one stage' });
      report({ name: 'image-parallel-cold', metric: 'ratio_kiln_over_three_runs', value: r.kiln.median / p.median, unit: 'x', target: '<= 0.5' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }
} finally {
  await repo.close();
  await index.close();
  rmSync(context, { recursive: true, force: true });
  rmSync(moduleDir, { recursive: true, force: true });
  await dockerRmi(tags);
}
