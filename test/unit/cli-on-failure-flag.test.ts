/**
 * `kiln build --on-failure`: a shape that cannot work is refused before connecting or loading anything (exit 2), and
 * a second argument without `--on-failure=exec` is not taken silently for a command.
 */
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';

const fixtures = fileURLToPath(new URL('../fixtures/cli-basics/', import.meta.url));

/** Runs kiln with a daemon address nothing listens on: reaching it would fail with another error. */
async function kiln(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  const code = await runCli(['build', 'hello.ts', '--progress', 'plain', ...args], {
    stdout: new PassThrough(),
    stderr,
    env: { BUILDKIT_HOST: 'unix:///nonexistent/kiln-on-failure.sock', NO_COLOR: '1' },
    cwd: fixtures,
  });
  return { code, stderr: text };
}

describe('kiln build --on-failure', () => {
  it('exec without a command, a command without exec, shell with a command, with --watch, a state without --on-failure or not a state, a tarball on stdout, --on-failure-tty without a terminal or without --on-failure, --on-failure-stop-timeout not a number of seconds or without --on-failure: each refused, exit 2', async () => {
    const cases: [readonly string[], RegExp][] = [
      [['--on-failure=exec'], /^error: --on-failure=exec needs the command to run, after --$/m],
      [['--', 'cat', '/tmp/log'], /^error: kiln build takes one module, and was also given "cat \/tmp\/log"$/m],
      [['--on-failure=shell', '--', 'ls'], /^error: --on-failure=shell opens \/bin\/sh, and was also given the command "ls"$/m],
      [['--on-failure=shell', '--watch'], /^error: --on-failure opens a failed step once, and --watch builds again on every change$/m],
      [['--on-failure-state=initial'], /^error: --on-failure-state initial says which state of a failed step --on-failure opens, and --on-failure was not given$/m],
      [['--on-failure=shell', '--on-failure-state=before'], /--on-failure-state.*'before' is invalid/],
      // The command's output would go into the archive on stdout.
      [['--on-failure=exec', '--output', 'type=tar,dest=-', '--', 'cat', '/tmp/log'], /^error: --on-failure=exec writes what the failed step's command prints on stdout, and --output type=tar writes a tarball there$/m],
      // stdin is not a terminal here, as in a pipe or CI: a terminal cannot be given (as kiln run -t).
      [['--on-failure=exec', '--on-failure-tty', '--', 'python3'], /^error: the input device is not a TTY: --on-failure-tty gives the failed step's command a terminal, and kiln's stdin is not one$/m],
      [['--on-failure-tty'], /^error: --on-failure-tty gives the command --on-failure runs in a failed step a terminal, and --on-failure was not given$/m],
      // As kiln run --stop-timeout: whole seconds or -1, and only with --on-failure.
      [['--on-failure=shell', '--on-failure-stop-timeout', '5s'], /--on-failure-stop-timeout <seconds>' argument '5s' is invalid\. "5s" is not a number of seconds; use e\.g\. 10, 0 \(kill at once\) or -1 \(never kill\)/],
      [['--on-failure=shell', '--on-failure-stop-timeout=-2'], /"-2" is not a number of seconds/],
      [['--on-failure-stop-timeout', '5'], /^error: --on-failure-stop-timeout 5 says how long the command --on-failure runs in a failed step has to exit after a passed signal, and --on-failure was not given$/m],
      // As kiln run --stop-signal: a Linux signal, and only with --on-failure.
      [['--on-failure=shell', '--on-failure-stop-signal', 'SIGNOPE'], /--on-failure-stop-signal <signal>' argument 'SIGNOPE' is invalid\. "SIGNOPE" is not a Linux signal/],
      [['--on-failure-stop-signal', 'quit'], /^error: --on-failure-stop-signal SIGQUIT says which signal the command --on-failure runs in a failed step is sent when kiln is asked to stop, and --on-failure was not given$/m],
    ];
    for (const [args, message] of cases) {
      const r = await kiln(args);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
    }
  });
});
