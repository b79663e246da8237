/**
 * `kiln run -it`: a terminal in the built image, as a user at a terminal meets it. kiln runs inside a real pty
 * (util-linux `script`), and the test reads what that terminal shows: the container's `tty` and `stty size`, a resize
 * of the user's terminal seen by the process (its WINCH trap), Ctrl-C (the 0x03 byte) reaching the process, kiln's
 * exit code, the exact bytes the user's terminal receives, and the user's terminal settings the same after kiln as before.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KILN_BIN, KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { quote, terminal as terminalIn } from './pty-terminal.js';
import { testEnv } from './test-env.js';

const env = testEnv();
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-run-tty-'));
  writeFileSync(join(dir, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest');\n`);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const terminal = (shellCommand: string): ReturnType<typeof terminalIn> => terminalIn(shellCommand, dir);

describe('kiln run -it', () => {
  it('gives the command a terminal of the user\'s size, sends resizes and Ctrl-C to it, exits with its code, restores the terminal', async () => {
    // A line typed first, then the size: runc sizes the container's terminal only once the command has started, so a
    // command that asks at once can read 0×0 (busybox's stty then fails, "No child processes"), whatever the client does.
    const inner = "echo waiting-for-a-line; read x; tty; stty size; trap 'echo \"winch $(stty size)\"' WINCH; trap 'echo got-int; exit 5' INT; echo ready; while :; do sleep 1; done";
    const kiln = `node ${quote(KILN_BIN)} run -it --progress quiet image.ts -- sh -c ${quote(inner)}`;
    const t = terminal(`stty cols 100 rows 30; echo "outer=$(tty)"; echo "before=$(stty -g)"; ${kiln}; echo "kiln-exit=$?"; echo "after=$(stty -g)"`);
    const outer = (await t.waitFor(/outer=(\/dev\/pts\/\d+)/))[1] ?? '';
    await t.waitFor(/waiting-for-a-line/);
    t.type('line\r');
    await t.waitFor(/ready/);
    // The user's window grows: its pty gets the new size, kiln hears SIGWINCH and tells the container's terminal.
    expect(spawnSync('stty', ['-F', outer, 'cols', '120', 'rows', '40']).status).toBe(0);
    await t.waitFor(/winch 40 120/);
    t.type('\x03');
    await t.waitFor(/after=/);
    expect(await t.exited).toBe(0);
    const screen = t.screen();
    // The bytes the user's terminal receives (script copies them as they are): the container's terminal ends each line
    // with \r\n, and kiln's raw mode, as docker's, adds nothing (Node's alone would make it \r\r\n).
    expect(screen).toMatch(/\/dev\/pts\/\d+\r\n30 100\r\n/);
    expect(screen).not.toContain('\r\r\n');
    expect(screen).toContain('got-int');
    expect(screen).toContain('kiln-exit=5');
    const before = screen.match(/before=(\S+)/)?.[1];
    expect(before).toBeDefined();
    expect(screen.match(/after=(\S+)/)?.[1]).toBe(before);
  });

  it('a command that cannot start: kiln fails, and the user\'s terminal is restored', async () => {
    const kiln = `node ${quote(KILN_BIN)} run -it --progress quiet image.ts -- /no/such/command`;
    const t = terminal(`echo "before=$(stty -g)"; ${kiln}; echo "kiln-exit=$?"; echo "after=$(stty -g)"`);
    await t.waitFor(/after=\S+/);
    await t.exited;
    const screen = t.screen();
    // Not found: 127, as docker run.
    expect(screen).toContain('kiln-exit=127');
    expect(screen.match(/after=(\S+)/)?.[1]).toBe(screen.match(/before=(\S+)/)?.[1]);
  });

  it('-t when stdin is not a terminal: refused before anything runs, as docker does', async () => {
    const r = await runKiln(['run', '-it', '--progress', 'quiet', 'image.ts', '--', 'true'], { cwd: dir, stdin: '' });
    // invalid_argument: kiln's usage-error exit code.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the input device is not a TTY');
  });
});

describe('kiln run without a terminal: stop signals', () => {
  it(env.engine === 'debian' ? 'BuildKit v0.8 cannot signal a process: the first Ctrl-C stops the command (exit 130)' : 'the first Ctrl-C goes to the command, the second stops it (exit 130)', async () => {
    let saw = '';
    const r = await runKiln(['run', 'image.ts', '--progress', 'quiet', '--', 'sh', '-c', "trap 'echo got-int' INT; echo running; while :; do sleep 1; done"], {
      cwd: dir,
      onSpawn: (child) => {
        child.stdout?.on('data', (c: Buffer) => {
          saw += c.toString();
          if (saw === 'running\n') child.kill('SIGINT');
          if (saw === 'running\ngot-int\n') child.kill('SIGINT');
        });
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('the run was cancelled (SIGINT)');
    expect(r.stdout).toBe(env.engine === 'debian' ? 'running\n' : 'running\ngot-int\n');
  });
});
