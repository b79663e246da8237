/**
 * Test support: a user's terminal for the CLI — a real pty made by util-linux `script` — whose screen a test reads and
 * on whose keyboard it types (`kiln run -it`, `kiln build --on-failure=shell`).
 */
import { spawn } from 'node:child_process';
import { testEnv } from './test-env.js';

const env = testEnv();

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
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = text.match(w.re);
      if (m !== null) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
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
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    screen: () => text,
    type: (bytes) => void child.stdin.write(bytes),
    waitFor: (re) =>
      new Promise((resolve) => {
        waiters.push({ re, resolve });
        check();
      }),
    exited: exited.finally(() => child.stdin.end()),
  };
}
