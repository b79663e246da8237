/**
 * The test environment as benchmarks see it: the daemon address (BUILDKIT_HOST wins), the Docker API and CLI of the
 * same daemon, and the build bridge's gateway (where package stand-ins listen). Read from the environment's
 * description file (`KILN_TEST_ENV`, default the local instance's).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BenchEnv {
  readonly buildkitHost: string;
  readonly dockerHost: string;
  readonly dockerCli: string;
  readonly gateway: string;
}

export function loadBenchEnv(): BenchEnv {
  const file = process.env['KILN_TEST_ENV'] ?? '/tmp/kiln-env/kiln/env.json';
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const bridge = raw['bridge'] as Record<string, unknown> | undefined;
  return {
    buildkitHost: process.env['BUILDKIT_HOST'] ?? String(raw['buildkitHost']),
    dockerHost: String(raw['dockerHost']),
    dockerCli: String(raw['dockerCli'] ?? '/usr/bin/docker'),
    gateway: String(bridge?.['gateway'] ?? '10.213.0.1'),
  };
}

/**
 * An exporter that keeps the result in the daemon's image store: dockerd's `moby` (into Docker, like `docker build`),
 * or on a standalone buildkitd (BUILDKIT_HOST) its `image` exporter without a push.
 */
export function storeExporter(buildkitHost: string, name?: string): { type: string; attrs: Record<string, string> } {
  const attrs = name === undefined ? {} : { name };
  return buildkitHost.startsWith('docker://') ? { type: 'moby', attrs } : { type: 'image', attrs };
}

/** Runs a command (the Docker CLI) to completion; rejects with the end of its stderr when it fails. */
export function sh(cmd: string, args: readonly string[], extraEnv: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

/** How the side-by-side benches run kiln: `cli` (default), its CLI as a new process, like `docker build`; `library`, `buildImage` in the bench's process. */
export type KilnMode = 'cli' | 'library';

/** The mode `KILN_BENCH_KILN` asks for. */
export function kilnModeFromEnv(): KilnMode {
  const mode = process.env['KILN_BENCH_KILN'] ?? 'cli';
  if (mode !== 'cli' && mode !== 'library') throw new Error(`KILN_BENCH_KILN must be cli or library, not ${mode}`);
  return mode;
}

// Run compiled (`npm run bench`), the benches are .js next to the compiled sources, and kiln's CLI is the bundle
// `npm run build` makes (dist/, what `npm install kiln` installs), built by bench/run.ts beside them; run with --tsx,
// the .ts sources.
const fromSource = fileURLToPath(import.meta.url).endsWith('.ts');
/** The extension of the benches' modules and of kiln's sources as they run: `js` compiled, `ts` under --tsx. */
export const moduleExt = fromSource ? 'ts' : 'js';
/** Node's arguments that start kiln's CLI: the bundle's `dist/cli/main.js`, or under --tsx `--import tsx src/cli/main.ts`. */
export const kilnCliArgs: readonly string[] = fromSource
  ? ['--import', 'tsx', fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))]
  : [fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))];
/**
 * The URL an image module imports kiln from, as a user's `import … from 'kiln'` resolves: the bundle's `dist/index.js`
 * (the CLI recognises the Image a module exports only when both come from the same kiln), or `src/index.ts` under --tsx.
 */
export const kilnIndex = new URL(fromSource ? '../src/index.ts' : '../dist/index.js', import.meta.url).href;

/** `kiln build`'s flags that keep the image in the daemon's store as `tag`: into Docker (`-t`), else the `image` exporter (see {@link storeExporter}). */
export function kilnStoreFlags(buildkitHost: string, tag: string): string[] {
  return buildkitHost.startsWith('docker://') ? ['-t', tag] : ['--output', `type=image,name=${tag}`];
}

/** Runs a command to completion: its wall time (process start included), the time to its first output, and its output. */
export function timedProcess(cmd: string, args: readonly string[], extraEnv: Record<string, string> = {}): Promise<{ ms: number; firstOutputMs: number; output: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = 0;
    const child = spawn(cmd, args, { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (c: Buffer): void => {
      if (first === 0 && c.length > 0) first = performance.now() - start;
      output += c.toString('utf8');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms, firstOutputMs: first, output });
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${output.slice(-3000)}`));
    });
  });
}
