/**
 * Test support: a user's terminal for the CLI — a real pty made by util-linux `script` — whose screen a test reads and
 * on whose keyboard it types (`kiln run -it`, `kiln build --on-failure=shell`).
 */
import { spawn } from 'node:child_process';
import { testEnv } from './test-env.js';

const env = testEnv();

/** How long a test waits for its terminal to show something: under the integration tests' 180 s timeout, so that a
 * wait that never ends reports the screen. */
const WAIT_LIMIT_MS = 150_000;

/** `s` as one word for sh. */
export const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A shell session in a pty (`script`) run in `cwd` against the test environment, whose screen the test reads and whose
 * keyboard it types on.
 */
export function terminal(shellCommand: string, cwd: string): { screen: () => string; type: (bytes: string) => void; waitFor: (re: RegExp) => Promise<RegExpMatchArray>; exited: Promise<number | null> } {
  const child = spawn('script', ['-qfec', shellCommand, '/dev/null'], {
    cwd,
    env: { ...process.env, BUILDKIT_HOST: env.buildkitHost, DOCKER_HOST: env.dockerHost, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void; reject: (e: Error) => void }[] = [];
  let closed = false;
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = text.match(w.re);
      if (m !== null) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      } else if (closed) {
        waiters.splice(waiters.indexOf(w), 1);
        w.reject(new Error(`the terminal ended without showing ${String(w.re)}; its screen:\n${text}`));
      }
    }
  };
  child.stdout.on('data', (c: Buffer) => {
    text += c.toString();
    check();
  });
  child.stderr.on('data', (c: Buffer) => {
    text += c.toString();
    check();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      closed = true;
      check();
      resolve(code);
    }),
  );
  return {
    screen: () => text,
    type: (bytes) => void child.stdin.write(bytes),
    // A wait that never ends fails before the test's own timeout, with what the user's screen shows then.
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i < 0) return;
          waiters.splice(i, 1);
          reject(new Error(`the terminal has not shown ${String(re)} after ${WAIT_LIMIT_MS / 1000}s; its screen:\n${text}`));
        }, WAIT_LIMIT_MS);
        const waiter = {
          re,
          resolve: (m: RegExpMatchArray) => {
            clearTimeout(timer);
            resolve(m);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        waiters.push(waiter);
        check();
      }),
    exited: exited.finally(() => child.stdin.end()),
  };
}
