/** The ExecProcess protocol of `runInImage` / `kiln run`, against an in-memory daemon: its edge cases. */
import { EventEmitter } from 'node:events';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { runContainerProcess, type ExecChannel, type ExecMessageShape, type ProcessSpec } from '../../src/client/container-process.js';
import { runInResult } from '../../src/client/gateway-container.js';
import { ProcessControl } from '../../src/client/process-control.js';

const PID = 'ctr1:p1';
const SPEC: ProcessSpec = { args: ['sh', '-c', 'echo hi'], env: ['A=1'], cwd: '/srv', user: 'nobody', tty: false };

/** The daemon's side of an ExecProcess stream: records what kiln sends, sends what a test says. */
class FakeDaemon extends EventEmitter implements ExecChannel {
  readonly sent: ExecMessageShape[] = [];
  ended = false;
  cancelled = false;
  paused = false;
  /** While false, writes report a full stream (kiln must wait for 'drain'). */
  accepting = true;
  /** Messages the test sent while kiln had paused the stream. */
  private held: ExecMessageShape[] = [];

  write(message: ExecMessageShape): boolean {
    this.sent.push(message);
    return this.accepting;
  }
  end(): void {
    this.ended = true;
  }
  cancel(): void {
    this.cancelled = true;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const m of held) this.emit('data', m);
  }
  /** The daemon sends `message` (held back while kiln has the stream paused, as gRPC does). */
  send(message: ExecMessageShape): void {
    if (this.paused) this.held.push(message);
    else this.emit('data', message);
  }
  started(): void {
    this.send({ ProcessID: PID, Started: {} });
  }
  out(fd: number, text: string): void {
    this.send({ ProcessID: PID, File: { Fd: fd, Data: Buffer.from(text) } });
  }
  exit(code: number, error?: string): void {
    this.send({ ProcessID: PID, Exit: { Code: code, ...(error === undefined ? {} : { Error: { code: 2, message: error } }) } });
  }
  done(): void {
    this.send({ ProcessID: PID, Done: {} });
  }
  stdinSent(): string {
    return this.sent
      .filter((m) => m.File != null && m.File.Fd === 0 && m.File.Data != null)
      .map((m) => Buffer.from(m.File?.Data ?? new Uint8Array()).toString())
      .join('');
  }
}

/** A Writable that keeps what it is given, in order, tagged with its name (to check interleaving). */
function sink(name: string, log: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      log.push(`${name}:${chunk.toString()}`);
      cb();
    },
  });
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('runContainerProcess', () => {
  it('sends Init with the command, and resolves with the exit code after Done, output in the order it came', async () => {
    const daemon = new FakeDaemon();
    const log: string[] = [];
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdout: sink('out', log), stderr: sink('err', log) });
    expect(daemon.sent[0]).toEqual({
      ProcessID: PID,
      Init: { ContainerID: 'ctr1', Meta: { args: ['sh', '-c', 'echo hi'], env: ['A=1'], cwd: '/srv', user: 'nobody' }, Fds: [1, 2], Tty: false },
    });
    daemon.started();
    daemon.out(1, 'one');
    daemon.out(2, 'two');
    daemon.out(1, 'three');
    daemon.exit(3, 'exit code: 3');
    // Output the daemon still had when the process exited comes before Done.
    daemon.out(2, 'four');
    daemon.done();
    await expect(run).resolves.toEqual({ exitCode: 3, daemonError: 'exit code: 3' });
    expect(log).toEqual(['out:one', 'err:two', 'out:three', 'err:four']);
    expect(daemon.ended).toBe(true);
    expect(daemon.cancelled).toBe(false);
  });

  it('exit 0 has no daemon error; messages of other processes on the stream are not this one\'s', async () => {
    const daemon = new FakeDaemon();
    const log: string[] = [];
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdout: sink('out', log), stderr: sink('err', log) });
    daemon.started();
    daemon.send({ ProcessID: 'other', File: { Fd: 1, Data: Buffer.from('not mine') } });
    daemon.send({ ProcessID: 'other', Exit: { Code: 9 } });
    daemon.out(1, 'mine');
    daemon.exit(0);
    daemon.done();
    await expect(run).resolves.toEqual({ exitCode: 0 });
    expect(log).toEqual(['out:mine']);
  });

  it('a daemon that ends the stream after the exit but before Done: the exit stands', async () => {
    const daemon = new FakeDaemon();
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdout: new PassThrough(), stderr: new PassThrough() });
    daemon.started();
    daemon.exit(5);
    daemon.emit('end');
    await expect(run).resolves.toEqual({ exitCode: 5 });
  });

  it('a daemon that closes the stream before the command exited: a protocol error saying so, not exit 0', async () => {
    for (const startedFirst of [true, false]) {
      const daemon = new FakeDaemon();
      const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdout: new PassThrough(), stderr: new PassThrough() });
      if (startedFirst) daemon.started();
      daemon.emit('end');
      const err = await run.catch((e: unknown) => e);
      expect(KilnError.is(err, 'protocol')).toBe(true);
      expect((err as Error).message).toBe(`the daemon ended the process stream before the command ${startedFirst ? 'exited' : 'started'}`);
    }
  });

  it('a stream that fails before the exit (the container could not start): build_failed naming the command', async () => {
    const daemon = new FakeDaemon();
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdout: new PassThrough(), stderr: new PassThrough() });
    daemon.emit('error', Object.assign(new Error('2 UNKNOWN: container "ctr1" previously released or not created'), { code: 2 }));
    const err = await run.catch((e: unknown) => e);
    expect(KilnError.is(err, 'build_failed')).toBe(true);
    expect((err as Error).message).toContain('could not run the command "sh -c echo hi"');
    expect(daemon.cancelled).toBe(true);
  });

  it('Done without an exit is a protocol error', async () => {
    const daemon = new FakeDaemon();
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdout: new PassThrough(), stderr: new PassThrough() });
    daemon.started();
    daemon.done();
    await expect(run).rejects.toMatchObject({ code: 'protocol' });
  });

  it('forwards stdin after Started as fd 0 chunks, then EOF; Init opens fd 0', async () => {
    const daemon = new FakeDaemon();
    const stdin = new PassThrough();
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdin, stdout: new PassThrough(), stderr: new PassThrough() });
    expect(daemon.sent[0]?.Init?.Fds).toEqual([0, 1, 2]);
    stdin.write('early ');
    await tick();
    // Nothing before the process runs.
    expect(daemon.sent).toHaveLength(1);
    daemon.started();
    stdin.end('late');
    await tick();
    expect(daemon.stdinSent()).toBe('early late');
    expect(daemon.sent[daemon.sent.length - 1]).toEqual({ ProcessID: PID, File: { Fd: 0, EOF: true } });
    daemon.exit(0);
    daemon.done();
    await expect(run).resolves.toEqual({ exitCode: 0 });
  });

  it('a full stream pauses stdin until it drains', async () => {
    const daemon = new FakeDaemon();
    const stdin = new PassThrough();
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdin, stdout: new PassThrough(), stderr: new PassThrough() });
    daemon.started();
    daemon.accepting = false;
    stdin.write('a');
    await tick();
    expect(stdin.isPaused()).toBe(true);
    daemon.accepting = true;
    daemon.emit('drain');
    expect(stdin.isPaused()).toBe(false);
    stdin.write('b');
    await tick();
    expect(daemon.stdinSent()).toBe('ab');
    daemon.exit(0);
    daemon.done();
    await run;
    // Not left reading for nobody.
    expect(stdin.isPaused()).toBe(true);
  });

  it('a full stdout pauses the stream until it drains, and nothing is lost', async () => {
    const daemon = new FakeDaemon();
    const got: string[] = [];
    let release: () => void = () => {};
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, cb) {
        got.push(chunk.toString());
        release = cb;
      },
    });
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdout: slow, stderr: new PassThrough() });
    daemon.started();
    daemon.out(1, 'x');
    expect(daemon.paused).toBe(true);
    daemon.out(1, 'y');
    daemon.exit(0);
    daemon.done();
    await tick();
    expect(got).toEqual(['x']);
    release();
    await tick();
    release();
    await expect(run).resolves.toEqual({ exitCode: 0 });
    expect(got).toEqual(['x', 'y']);
  });

  it('an abort cancels the stream and rejects as cancelled', async () => {
    const daemon = new FakeDaemon();
    const controller = new AbortController();
    const run = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough() }, controller.signal);
    daemon.started();
    controller.abort(new Error('Ctrl-C'));
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(daemon.cancelled).toBe(true);
    // The CANCELLED the stream reports afterwards is not an unhandled error.
    daemon.emit('error', Object.assign(new Error('1 CANCELLED'), { code: 1 }));
  });
});

describe('runInResult', () => {
  it('a daemon without the gateway.exec capability: unsupported, naming the capability, before anything is created', async () => {
    const calls: string[] = [];
    const grpc = new Proxy({}, { get: (_t, name) => () => calls.push(String(name)) }) as unknown as Parameters<typeof runInResult>[0]['grpc'];
    const err = await runInResult({ grpc, bridge: {}, frontendCaps: new Set(['proto.refarray']), daemon: 'buildkitd v0.7.2' }, 'res1', SPEC, { stdout: new PassThrough(), stderr: new PassThrough() }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'unsupported')).toBe(true);
    expect((err as KilnError).message).toBe('buildkitd v0.7.2 cannot run commands in a build result: it lacks the gateway capability "gateway.exec"');
    expect((err as KilnError).details).toMatchObject({ missingCap: 'gateway.exec' });
    expect(calls).toEqual([]);
  });
});

describe('runContainerProcess with a terminal and a ProcessControl', () => {
  it('Init asks for a tty; the size goes out as a Resize right after Started, before stdin; later resizes and signals follow; fd 0 is closed on exit', async () => {
    const daemon = new FakeDaemon();
    const control = new ProcessControl(true, { columns: 100, rows: 30 });
    const stdin = new PassThrough();
    const done = runContainerProcess(daemon, 'ctr1', PID, { ...SPEC, tty: true }, { stdin, stdout: new PassThrough(), stderr: new PassThrough() }, undefined, control);
    expect(daemon.sent[0]?.Init?.Tty).toBe(true);
    stdin.write('a');
    daemon.started();
    await tick();
    control.resize({ columns: 120, rows: 40 });
    expect(control.signal('INT')).toBe(true);
    await tick();
    const kinds = daemon.sent.slice(1).map((m) => (m.Resize != null ? `resize ${m.Resize.Cols}x${m.Resize.Rows}` : m.Signal != null ? `signal ${m.Signal.Name}` : m.File != null ? `fd${m.File.Fd} ${m.File.EOF === true ? 'EOF' : Buffer.from(m.File.Data ?? []).toString()}` : '?'));
    expect(kinds).toEqual(['resize 100x30', 'fd0 a', 'resize 120x40', 'signal INT']);
    daemon.exit(0);
    expect(daemon.sent.at(-1)?.File).toEqual({ Fd: 0, EOF: true });
    daemon.done();
    await done;
    // The process is gone: nothing more is sent.
    const count = daemon.sent.length;
    control.resize({ columns: 1, rows: 1 });
    expect(control.signal('TERM')).toBe(false);
    expect(daemon.sent.length).toBe(count);
  });

  it('a daemon without gateway.exec.signals (BuildKit v0.8): signal() sends nothing and says so', async () => {
    const daemon = new FakeDaemon();
    const control = new ProcessControl(false);
    const done = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdout: new PassThrough(), stderr: new PassThrough() }, undefined, control);
    daemon.started();
    expect(control.canSignal).toBe(false);
    expect(control.signal('INT')).toBe(false);
    daemon.exit(0);
    daemon.done();
    await done;
    expect(daemon.sent.filter((m) => m.Signal != null)).toEqual([]);
  });

  it('a KILL sent to a process reading an open pipe ends its stdin (the daemon says the exit only then); other signals leave it open', async () => {
    const daemon = new FakeDaemon();
    const control = new ProcessControl(true);
    const stdin = new PassThrough();
    const done = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdin, stdout: new PassThrough(), stderr: new PassThrough() }, undefined, control);
    daemon.started();
    stdin.write('a');
    await tick();
    expect(control.signal('TERM')).toBe(true);
    expect(daemon.sent.filter((m) => m.File?.EOF === true)).toEqual([]);
    expect(control.signal('KILL')).toBe(true);
    expect(daemon.sent.slice(-2)).toEqual([{ ProcessID: PID, Signal: { Name: 'KILL' } }, { ProcessID: PID, File: { Fd: 0, EOF: true } }]);
    // What the pipe still brings is for nobody: not sent.
    stdin.write('b');
    await tick();
    expect(daemon.stdinSent()).toBe('a');
    daemon.exit(137);
    daemon.done();
    await expect(done).resolves.toEqual({ exitCode: 137 });
    expect(daemon.sent.filter((m) => m.File?.EOF === true)).toHaveLength(1);
  });

  it('a stopped process reading an open pipe whose exit comes only with the KILL\'s end of stdin: its own code, and no kill said; one the KILL ended: 137, said', async () => {
    for (const [code, said] of [[9, 0], [137, 1]] as const) {
      const daemon = new FakeDaemon();
      const control = new ProcessControl(true, undefined, 0);
      const stdin = new PassThrough();
      const done = runContainerProcess(daemon, 'ctr1', PID, SPEC, { stdin, stdout: new PassThrough(), stderr: new PassThrough() }, undefined, control);
      daemon.started();
      let kills = 0;
      expect(control.stop('TERM', () => kills++)).toBe(true);
      await new Promise((r) => setTimeout(r, 0));
      expect(daemon.sent.slice(-3)).toEqual([{ ProcessID: PID, Signal: { Name: 'TERM' } }, { ProcessID: PID, Signal: { Name: 'KILL' } }, { ProcessID: PID, File: { Fd: 0, EOF: true } }]);
      expect(kills).toBe(0);
      daemon.exit(code);
      daemon.done();
      await expect(done).resolves.toEqual({ exitCode: code });
      expect(kills).toBe(said);
    }
  });
});
