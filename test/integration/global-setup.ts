import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CHECKOUT_KILN_BIN } from './kiln-cli.js';
import { START_ENV_HINT, dockerApi, testEnv, type TestEnv } from './test-env.js';

/**
 * vitest globalSetup for the `integration` project: checks, before any test runs, that the environment described by
 * env.json is actually up (dockerd answers `/_ping`, both registries answer `/v2/`, and a caller's `BUILDKIT_HOST`
 * accepts connections). Anything missing fails the whole run with one error saying what is down and how to start it;
 * integration tests are never skipped silently.
 */
export async function setup(): Promise<void> {
  checkBuiltCli();
  let env: TestEnv;
  try {
    env = testEnv();
  } catch (error) {
    throw banner([error instanceof Error ? error.message : String(error)]);
  }

  const problems: string[] = [];
  const checks: Promise<void>[] = [
    dockerApi('GET', '/_ping').then(
      (res) => {
        if (res.status !== 200 || res.text !== 'OK') {
          problems.push(
            `dockerd at ${env.dockerHost} answered GET /_ping with ${res.status} "${res.text.trim()}" ` +
              `(log: ${env.logs.dockerd})`,
          );
        }
      },
      (error: unknown) => {
        problems.push(`dockerd at ${env.dockerHost} is not answering: ${message(error)} (log: ${env.logs.dockerd})`);
      },
    ),
    expectStatus(`${env.registry.url}/v2/`, 200, `registry ${env.registry.address}`, env.logs.registry).then(push),
    expectStatus(
      `${env.authRegistry.url}/v2/`,
      401,
      `auth registry ${env.authRegistry.address}`,
      env.logs.authRegistry,
    ).then(push),
  ];
  if (env.buildkitHostSource === 'BUILDKIT_HOST') checks.push(reachable(env.buildkitHost).then(push));
  await Promise.all(checks);

  function push(problem: string | undefined): void {
    if (problem !== undefined) problems.push(problem);
  }

  if (problems.length > 0) {
    throw banner([`The kiln test environment (${env.envFile}) is not fully up:`, ...problems.map((p) => `  - ${p}`)]);
  }

  process.stdout.write(
    `kiln integration environment: buildkit ${env.buildkitHost}` +
      `${env.buildkitHostSource === 'BUILDKIT_HOST' ? ' (from BUILDKIT_HOST)' : ''}, dockerd ${env.dockerHost}, ` +
      `registries ${env.registry.address} + ${env.authRegistry.address}\n`,
  );
}

/**
 * The tests that spawn this checkout's bin/kiln.js (cli-basics, docker-context; the others run kiln compiled aside)
 * run its dist/ when there is one (`npm run build` made it), not src/: a dist/ older than the sources would have them
 * test the previous build. bin/kiln.js refuses to run one; this says so once, before any test, rather than in every
 * CLI test's output. Nothing to do (no process started) without dist/.
 */
function checkBuiltCli(): void {
  if (!existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))) return;
  const run = spawnSync(process.execPath, [CHECKOUT_KILN_BIN, '--version'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(['', '='.repeat(100), 'Integration tests cannot run.', run.stderr.trimEnd(), '='.repeat(100), ''].join('\n'));
}

function banner(lines: readonly string[]): Error {
  return new Error(
    ['', '='.repeat(100), 'Integration tests cannot run.', ...lines, '', START_ENV_HINT, '='.repeat(100), ''].join('\n'),
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function expectStatus(url: string, expected: number, what: string, log: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    if (res.status !== expected) return `${what} answered GET ${url} with ${res.status}, expected ${expected} (log: ${log})`;
    return undefined;
  } catch (error) {
    return `${what} is not answering at ${url}: ${message(error)} (log: ${log})`;
  }
}

/** Checks that a BuildKit address given by the caller accepts connections (the forms kiln understands). */
async function reachable(address: string): Promise<string | undefined> {
  const prefix = `BUILDKIT_HOST=${address}`;
  let target: { path: string } | { host: string; port: number } | undefined;
  const dockerUnix = /^docker:\/\/(?:unix:\/\/)?(\/.*)$/.exec(address);
  const unix = /^unix:\/\/(\/.*)$/.exec(address);
  const tcp = /^(?:docker:\/\/)?tcp:\/\/\[?([^\]]+?)\]?:(\d+)\/?$/.exec(address);
  if (address === 'docker://') target = { path: '/var/run/docker.sock' };
  else if (dockerUnix?.[1] !== undefined) target = { path: dockerUnix[1] };
  else if (unix?.[1] !== undefined) target = { path: unix[1] };
  else if (tcp?.[1] !== undefined && tcp[2] !== undefined) target = { host: tcp[1], port: Number(tcp[2]) };
  // docker-container:// and other forms are reached through other programs; the tests themselves will tell.
  if (target === undefined) return undefined;
  const where = 'path' in target ? target.path : `${target.host}:${target.port}`;
  return new Promise((resolve) => {
    const socket = connect(target);
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(`${prefix}: no connection to ${where} within 5 s`);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error) => resolve(`${prefix}: cannot connect to ${where}: ${error.message}`));
  });
}
