/**
 * The test environment as benchmarks see it: the daemon address (BUILDKIT_HOST wins), the Docker API and CLI of the
 * same daemon, and the build bridge's gateway (where package stand-ins listen). Read from the environment's
 * description file (`KILN_TEST_ENV`, default the local instance's).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
