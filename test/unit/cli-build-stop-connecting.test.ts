/**
 * kiln build stopped while it is still connecting (a daemon that does not answer yet): the user sees the build was
 * cancelled and why, as once the build runs, not the gRPC call that happened to be under way.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKEN_PIPE_EVENT } from '../../src/cli/broken-pipe.js';
import { runCli } from '../../src/cli/program.js';
// kiln build loads its code when it runs (not for --help): loaded with this file, outside the tests' time limit.
import '../../src/cli/commands/build-action.js';

const fixtures = fileURLToPath(new URL('../fixtures/cli-basics/', import.meta.url));

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A unix socket that accepts connections and never answers; resolves with its path and the first connection. */
async function silentDaemon(): Promise<{ path: string; connected: Promise<Socket> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-silent-'));
  const path = join(dir, 'buildkitd.sock');
  const sockets: Socket[] = [];
  let first: (s: Socket) => void = () => undefined;
  const connected = new Promise<Socket>((resolve) => (first = resolve));
  const server: Server = createServer((s) => {
    sockets.push(s);
    first(s);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  cleanup = () => {
    for (const s of sockets) s.destroy();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { path, connected };
}

describe('kiln build stopped while connecting', () => {
  it('says the build was cancelled and why, and exits as for that signal', async () => {
    const daemon = await silentDaemon();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (c: Buffer) => (text += c.toString()));
    const run = runCli(['build', 'hello.ts', '--progress', 'plain'], { stdout, stderr, env: { BUILDKIT_HOST: `unix://${daemon.path}`, NO_COLOR: '1' }, cwd: fixtures });
    await daemon.connected;
    // What the broken-pipe handler does when the output's reader goes away (a real signal would reach the test runner).
    process.emit(BROKEN_PIPE_EVENT as 'SIGPIPE', 'SIGPIPE');
    expect(await run).toBe(141);
    expect(text).toBe('error: the build was cancelled (SIGPIPE)\n');
    expect(process.listenerCount(BROKEN_PIPE_EVENT)).toBe(0);
  });
});
