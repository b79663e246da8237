/** Test support: runs the kiln CLI as a user does (a spawned `node bin/kiln.js` of kiln as installed) against the test environment. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compiledKiln } from './compiled-kiln.js';
import { testEnv } from './test-env.js';

/**
 * The checkout's own entry point, as a developer runs it: dist/ when `npm run build` made one, else the TypeScript
 * sources through tsx. A module it builds imports the sources ({@link CHECKOUT_INDEX_URL}, or a relative path to
 * src/), so that its `Image` is the CLI's own.
 */
export const CHECKOUT_KILN_BIN = fileURLToPath(new URL('../../bin/kiln.js', import.meta.url));

/** `src/index.ts` as a file URL: what a module built by {@link CHECKOUT_KILN_BIN} imports. */
export const CHECKOUT_INDEX_URL = new URL('../../src/index.js', import.meta.url).href;

// The CLI the tests run by default is kiln compiled as `npm pack` builds it (compiled-kiln.ts: once per change of the
// sources, before the tests start): what a user installs, and about 0.6 s of processor time less per run than the
// sources through tsx — with three passes sharing two cores, the hundreds of runs of a pass made it processor-bound.
const compiled = compiledKiln();

/** The CLI entry point (the compiled kiln's `bin/kiln.js`). */
export const KILN_BIN = compiled.bin;

/** The compiled kiln's `dist/index.js` as a file URL, for test modules written outside the repository: their `Image` must be the CLI's own. */
export const KILN_INDEX_URL = compiled.indexUrl;

/** What a finished CLI run printed and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runKiln}. */
export interface RunKilnOptions {
  readonly cwd: string;
  /** Extra environment (BUILDKIT_HOST, DOCKER_HOST and NO_COLOR=1 are set from the test environment first). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The CLI entry point to run (default: {@link KILN_BIN}, the compiled kiln). */
  readonly bin?: string;
  /** Written to the CLI's stdin, then end of file (default: end of file at once). */
  readonly stdin?: string;
  /** Leave stdin open after `stdin` (a pipe whose writer is still there): the test ends it through the child. */
  readonly holdStdin?: boolean;
  /** Called with the child once it runs (e.g. to send signals). */
  readonly onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

/** Runs `kiln <args>` and resolves when it exits. */
export function runKiln(args: readonly string[], options: RunKilnOptions): Promise<CliRun> {
  const env = testEnv();
  return new Promise((resolve) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, BUILDKIT_HOST: env.buildkitHost, DOCKER_HOST: env.dockerHost, NO_COLOR: '1', ...options.env };
    const child = spawn(process.execPath, [options.bin ?? KILN_BIN, ...args], { cwd: options.cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    // Without `stdin`: end of file at once, as /dev/null gives.
    child.stdin.on('error', () => {}); // a CLI that exits before reading it
    if (options.holdStdin === true) child.stdin.write(options.stdin ?? '');
    else child.stdin.end(options.stdin ?? '');
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `kiln <args>` and sends it `signal` as soon as something comes on its stdout (the command in the container is
 * running and has said so); resolves with the run and when the signal was sent (`Date.now()`, 0 if never).
 */
export async function runKilnSignalledOnOutput(args: readonly string[], options: Omit<RunKilnOptions, 'onSpawn'>, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ r: CliRun; sent: number }> {
  let sent = 0;
  const r = await runKiln(args, {
    ...options,
    onSpawn: (child) => {
      child.stdout?.once('data', () => {
        sent = Date.now();
        child.kill(signal);
      });
    },
  });
  return { r, sent };
}
