import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, status, type ClientDuplexStream, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { moby } from '../../src/proto/generated.js';
import { SSHService } from '../../src/proto/services.js';
import { SessionHarness } from '../support/session-harness.js';
import { checkSshAgentsReachable, parseSshSpec, sshKeyFileWarnings, sshService, type SshServiceOptions } from '../../src/session/ssh-service.js';
import { thrown } from '../fixtures/thrown.js';
import type { KilnError } from '../../src/errors.js';

const pb = moby.sshforward.v1;
const dir = mkdtempSync(join(tmpdir(), 'kiln-ssh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ssh-agent message types used below.
const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;
const SIGN_REQUEST = 13;
const SIGN_RESPONSE = 14;
const ADD_IDENTITY = 17;
const REMOVE_ALL_IDENTITIES = 19;
const LOCK = 22;
const EXTENSION = 27;
const FAILURE = 5;
const SUCCESS = 6;

function sshString(value: string | Buffer): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value) : value;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** One framed ssh-agent message: uint32 length, type byte, body. */
function frame(type: number, ...body: Buffer[]): Buffer {
  const payload = Buffer.concat([Buffer.from([type]), ...body]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(payload.length);
  return Buffer.concat([len, payload]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** The canned "list identities" reply of a fake agent: one ed25519 key with `comment`. */
function identitiesAnswer(comment: string): Buffer {
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(32, 7))]);
  return frame(IDENTITIES_ANSWER, uint32(1), sshString(blob), sshString(comment));
}

const SIGN_ANSWER = frame(SIGN_RESPONSE, sshString(Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(64, 9))])));
const LIST_REQUEST = frame(REQUEST_IDENTITIES);
const SIGN_REQUEST_FRAME = frame(SIGN_REQUEST, sshString('key'), sshString('data to sign'), uint32(0));
const ADD_REQUEST = frame(ADD_IDENTITY, sshString('ssh-ed25519'), sshString('private key material'), sshString('comment'));

/** A unix-socket ssh-agent stand-in: answers list/sign, says SUCCESS to anything else, records what it was sent. */
class FakeAgent {
  readonly path: string;
  readonly received: number[] = [];
  connections = 0;
  readonly #server: NetServer;

  private constructor(path: string, server: NetServer) {
    this.path = path;
    this.#server = server;
  }

  static async start(name: string, options: { comment?: string; closeAfterFirstReply?: boolean } = {}): Promise<FakeAgent> {
    const path = join(dir, `${name}.sock`);
    let agent: FakeAgent | undefined;
    const server = createServer((socket: Socket) => {
      agent!.connections++;
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
          const type = buffered[4]!;
          buffered = buffered.subarray(4 + buffered.readUInt32BE(0));
          agent!.received.push(type);
          if (type === REQUEST_IDENTITIES) socket.write(identitiesAnswer(options.comment ?? 'test@kiln'));
          else if (type === SIGN_REQUEST) socket.write(SIGN_ANSWER);
          else socket.write(frame(SUCCESS));
          if (options.closeAfterFirstReply === true) socket.end();
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    agent = new FakeAgent(path, server);
    return agent;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** A unix-socket server that echoes every byte and half-closes after the client does; counts the EOFs it saw. */
class EchoAgent {
  readonly path = join(dir, 'echo.sock');
  eofs = 0;
  readonly #server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('end', () => this.eofs++);
    socket.pipe(socket);
  });

  listen(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(this.path, resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

type Harness = SessionHarness;

/** `CheckAgent` as the daemon calls it. */
function checkAgent(h: Harness, id: string): Promise<void> {
  return h.unary(SSHService.CheckAgent.path, pb.CheckAgentRequest.encode({ ID: id }).finish(), () => true).then(() => undefined);
}

/** Opens a ForwardAgent stream as the daemon does for one container connection. */
function forward(h: Harness, id?: string, slowReader = false): AgentStream {
  const metadata = new Metadata();
  if (id !== undefined) metadata.set('buildkit.ssh.id', id);
  const call = h.client.makeBidiStreamRequest(
    SSHService.ForwardAgent.path,
    (m: moby.sshforward.v1.BytesMessage.$Properties) => Buffer.from(pb.BytesMessage.encode(m).finish()),
    (b: Buffer) => Buffer.from(pb.BytesMessage.decode(b).data),
    metadata,
  );
  return new AgentStream(call, slowReader);
}

/** The daemon's side of one ForwardAgent stream: write bytes, read bytes, see how it ended. */
class AgentStream {
  readonly call: ClientDuplexStream<moby.sshforward.v1.BytesMessage.$Properties, Buffer>;
  #received = Buffer.alloc(0);
  #waiter: (() => void) | undefined;
  /** Resolves with the final status (OK when the server ended the stream normally). */
  readonly finished: Promise<StatusObject | ServiceError>;

  /** Resolves when no more data will arrive (the stream ended or failed). */
  readonly #drained: Promise<void>;

  /** `slowReader` stops reading for a moment after every message, so the forwarder's buffers fill up. */
  constructor(call: ClientDuplexStream<moby.sshforward.v1.BytesMessage.$Properties, Buffer>, slowReader = false) {
    this.call = call;
    call.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#waiter?.();
      if (slowReader) {
        call.pause();
        setTimeout(() => call.resume(), 2);
      }
    });
    this.#drained = new Promise((resolve) => {
      call.on('end', resolve);
      call.on('error', () => resolve());
    });
    this.finished = new Promise((resolve) => {
      call.on('error', (err: ServiceError) => {
        this.#waiter?.();
        resolve(err);
      });
      call.on('status', (s: StatusObject) => {
        this.#waiter?.();
        if (s.code === status.OK) resolve(s);
      });
    });
  }

  async write(data: Buffer): Promise<void> {
    if (!this.call.write({ data })) await new Promise((resolve) => this.call.once('drain', resolve));
  }

  /** Waits for exactly `n` more bytes (fails if the stream finishes first). */
  async read(n: number): Promise<Buffer> {
    let done = false;
    void this.finished.then(() => (done = true));
    while (this.#received.length < n) {
      if (done) throw new Error(`stream finished after ${this.#received.length} of ${n} bytes`);
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
        void this.finished.then(() => resolve());
      });
    }
    const out = this.#received.subarray(0, n);
    this.#received = this.#received.subarray(n);
    return out;
  }

  /** Everything received until the stream finishes. */
  async rest(): Promise<Buffer> {
    await this.#drained;
    await this.finished;
    const out = this.#received;
    this.#received = Buffer.alloc(0);
    return out;
  }
}


describe('parseSshSpec', () => {
  const env = { SSH_AUTH_SOCK: '/run/user/1000/agent.sock' };

  it.each([
    ['default', { id: 'default', socket: '/run/user/1000/agent.sock' }],
    ['default=/tmp/other.sock', { id: 'default', socket: '/tmp/other.sock' }],
    ['github=/run/gh.sock', { id: 'github', socket: '/run/gh.sock' }],
    ['deploy', { id: 'deploy', socket: '/run/user/1000/agent.sock' }],
    ['default=', { id: 'default', socket: '/run/user/1000/agent.sock' }],
  ])('%s', (spec, expected) => {
    expect(parseSshSpec(spec, { env })).toEqual(expected);
  });

  it('fails clearly when SSH_AUTH_SOCK is needed but not set', () => {
    const err = thrown(() => parseSshSpec('default', { env: {} }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe('ssh spec "default" forwards $SSH_AUTH_SOCK, which is not set');
    expect(err.hint).toContain('ssh-agent');
  });

  it('on Windows, an unset SSH_AUTH_SOCK is the OpenSSH agent service\'s pipe, as for buildx there', () => {
    expect(parseSshSpec('default', { env: {}, platform: 'win32' })).toEqual({ id: 'default', socket: '\\\\.\\pipe\\openssh-ssh-agent' });
    expect(parseSshSpec('deploy', { env: {}, platform: 'win32' })).toEqual({ id: 'deploy', socket: '\\\\.\\pipe\\openssh-ssh-agent' });
    // A set SSH_AUTH_SOCK (Git Bash's ssh-agent, Pageant's pipe) still wins.
    expect(parseSshSpec('default', { env, platform: 'win32' })).toEqual({ id: 'default', socket: '/run/user/1000/agent.sock' });
  });

  it('takes a path that is a regular file, or several paths, as private key files', () => {
    const keyFile = join(dir, 'parse-key');
    writeFileSync(keyFile, 'key');
    expect(parseSshSpec(`default=${keyFile}`, { env })).toEqual({ id: 'default', keys: [keyFile] });
    expect(parseSshSpec('deploy=parse-key', { env, cwd: dir })).toEqual({ id: 'deploy', keys: ['parse-key'] });
    expect(parseSshSpec('default=/home/u/.ssh/id_rsa, /home/u/.ssh/id_ed25519', { env })).toEqual({
      id: 'default',
      keys: ['/home/u/.ssh/id_rsa', '/home/u/.ssh/id_ed25519'],
    });
  });

  it('reads a leading ~/ as the home directory, as sh and --ssh=… leave it unexpanded', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    mkdirSync(join(home, '.ssh'));
    const key = join(home, '.ssh', 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tilde', '-f', key]);
    const options = { env: { ...env, HOME: home }, cwd: dir };
    expect(parseSshSpec('default=~/.ssh/id_ed25519', options)).toEqual({ id: 'default', keys: ['~/.ssh/id_ed25519'] });
    for (const agents of [['default=~/.ssh/id_ed25519'], [{ id: 'default', keys: ['~/.ssh/id_ed25519'] }]]) {
      expect(() => sshService(agents, options)).not.toThrow();
    }
    await expect(checkSshAgentsReachable(['default=~/.ssh/id_ed25519'], options)).resolves.toBeUndefined();
    expect(thrown(() => sshService(['default=~/.ssh/missing'], options)).message).toContain(`${home}/.ssh/missing`);
  });

  it.each([
    ['', 'ssh spec is empty'],
    ['=/tmp/a.sock', 'has no id before "="'],
    ['default=/home/u/.ssh/id_rsa,', 'has an empty path in its list'],
  ])('rejects %j', (spec, message) => {
    expect(thrown(() => parseSshSpec(spec, { env })).message).toContain(message);
  });
});

describe('sshService creation', () => {
  it('fails when SSH_AUTH_SOCK is not set for default', () => {
    expect(() => sshService(['default'], { env: {} })).toThrow('forwards $SSH_AUTH_SOCK, which is not set');
  });

  it('checks that each socket exists and is a socket or a private key file', () => {
    const notKey = join(dir, 'id_ed25519');
    writeFileSync(notKey, 'not a socket');
    const missing = thrown(() => sshService([{ id: 'default', socket: join(dir, 'gone.sock') }]));
    expect(missing.code).toBe('invalid_argument');
    expect(missing.message).toBe(`sshService: ssh agent socket ${join(dir, 'gone.sock')} for id "default" does not exist`);
    expect(thrown(() => sshService([`default=${notKey}`])).message).toBe(`ssh key file ${notKey} is not a private key`);
    expect(thrown(() => sshService([{ id: 'default', socket: notKey }])).message).toBe(`ssh key file ${notKey} is not a private key`);
    const notEither = thrown(() => sshService([{ id: 'default', socket: dir }]));
    expect(notEither.message).toBe(`sshService: ${dir} (ssh id "default") is neither an ssh-agent socket nor a private key file`);
    expect(notEither.hint).toContain('$SSH_AUTH_SOCK');
    expect(thrown(() => sshService([{ id: 'default' }])).message).toBe('sshService: agent "default" needs a socket path or key files');
    expect(thrown(() => sshService([{ id: 'default', socket: notKey, keys: [notKey] }])).message).toBe(
      'sshService: agent "default" has both a socket and key files; pass one',
    );
  });

  it('rejects the same id twice and agents without an id', async () => {
    const agent = await FakeAgent.start('dup');
    try {
      expect(() => sshService([`default=${agent.path}`, { id: 'default', socket: agent.path }])).toThrow('ssh id "default" is given twice');
      expect(() => sshService([{ id: '', socket: agent.path }])).toThrow('every agent needs a non-empty id');
    } finally {
      await agent.close();
    }
  });
});

describe('sshService over gRPC', () => {
  let agent: FakeAgent;
  let other: FakeAgent;
  let h: Harness;
  const start = async (options: SshServiceOptions = {}): Promise<void> => {
    h = await SessionHarness.start(sshService(['default', `github=${other.path}`], { env: { SSH_AUTH_SOCK: agent.path }, ...options }));
  };

  beforeAll(async () => {
    agent = await FakeAgent.start('agent');
    other = await FakeAgent.start('other', { comment: 'github-deploy-key' });
  });
  afterAll(async () => {
    await agent.close();
    await other.close();
  });
  afterEach(async () => {
    await h?.close();
    agent.received.length = 0;
    other.received.length = 0;
  });

  it('CheckAgent accepts configured ids ("" means default) and answers NOT_FOUND for others', async () => {
    await start();
    await expect(checkAgent(h, '')).resolves.toBeUndefined();
    await expect(checkAgent(h, 'default')).resolves.toBeUndefined();
    await expect(checkAgent(h, 'github')).resolves.toBeUndefined();
    const err = await checkAgent(h, 'gitlab').then(
      () => undefined,
      (e: ServiceError) => e,
    );
    expect(err?.code).toBe(status.NOT_FOUND);
    expect(err?.details).toBe('no ssh agent is configured for id "gitlab"; forward one with --ssh gitlab=SOCKET');
  });

  it('forwards list-identities and sign requests, even split across messages', async () => {
    await start();
    const s = forward(h);
    await s.write(LIST_REQUEST.subarray(0, 2));
    await s.write(LIST_REQUEST.subarray(2));
    expect(await s.read(identitiesAnswer('test@kiln').length)).toEqual(identitiesAnswer('test@kiln'));
    for (const byte of SIGN_REQUEST_FRAME) await s.write(Buffer.from([byte]));
    expect(await s.read(SIGN_ANSWER.length)).toEqual(SIGN_ANSWER);
    s.call.end();
    expect((await s.finished).code).toBe(status.OK);
    expect(agent.received).toEqual([REQUEST_IDENTITIES, SIGN_REQUEST]);
  });

  it('picks the agent named by buildkit.ssh.id metadata', async () => {
    await start();
    const s = forward(h, 'github');
    await s.write(LIST_REQUEST);
    expect(await s.read(identitiesAnswer('github-deploy-key').length)).toEqual(identitiesAnswer('github-deploy-key'));
    s.call.end();
    await s.finished;
    expect(other.received).toEqual([REQUEST_IDENTITIES]);
    expect(agent.received).toEqual([]);
  });

  it('answers key changes, locking and extensions with SSH_AGENT_FAILURE without reaching the agent, in request order', async () => {
    await start();
    const s = forward(h);
    const requests = [
      LIST_REQUEST,
      ADD_REQUEST,
      SIGN_REQUEST_FRAME,
      frame(REMOVE_ALL_IDENTITIES),
      frame(LOCK, sshString('pw')),
      frame(EXTENSION, sshString('session-bind@openssh.com')),
    ];
    await s.write(Buffer.concat(requests));
    const expected = Buffer.concat([identitiesAnswer('test@kiln'), frame(FAILURE), SIGN_ANSWER, frame(FAILURE), frame(FAILURE), frame(FAILURE)]);
    expect(await s.read(expected.length)).toEqual(expected);
    s.call.end();
    await s.finished;
    expect(agent.received).toEqual([REQUEST_IDENTITIES, SIGN_REQUEST]);
  });

  it('passes everything through with readOnly: false', async () => {
    await start({ readOnly: false });
    const s = forward(h);
    await s.write(ADD_REQUEST);
    expect(await s.read(5)).toEqual(frame(SUCCESS));
    s.call.end();
    await s.finished;
    expect(agent.received).toEqual([ADD_IDENTITY]);
  });

  it('ends the stream when the agent closes the connection', async () => {
    const closing = await FakeAgent.start('closing', { closeAfterFirstReply: true });
    try {
      h = await SessionHarness.start(sshService([`default=${closing.path}`]));
      const s = forward(h);
      await s.write(LIST_REQUEST);
      expect(await s.rest()).toEqual(identitiesAnswer('test@kiln'));
      expect((await s.finished).code).toBe(status.OK);
    } finally {
      await closing.close();
    }
  });

  it('opens one agent connection per stream', async () => {
    await start();
    const before = agent.connections;
    const streams = [forward(h), forward(h), forward(h)];
    for (const s of streams) await s.write(LIST_REQUEST);
    for (const s of streams) expect((await s.read(identitiesAnswer('test@kiln').length)).length).toBeGreaterThan(0);
    for (const s of streams) s.call.end();
    await Promise.all(streams.map((s) => s.finished));
    expect(agent.connections - before).toBe(3);
  });

  it('fails the stream with NOT_FOUND for an unknown id', async () => {
    await start();
    const s = forward(h, 'gitlab');
    const result = await s.finished;
    expect(result.code).toBe(status.NOT_FOUND);
    expect(result.details).toContain('no ssh agent is configured for id "gitlab"');
  });

  it('fails the stream with UNAVAILABLE when the agent is gone', async () => {
    const gone = await FakeAgent.start('gone');
    h = await SessionHarness.start(sshService([`default=${gone.path}`]));
    await gone.close();
    const s = forward(h);
    const result = await s.finished;
    expect(result.code).toBe(status.UNAVAILABLE);
    expect(result.details).toBe(`cannot connect to ssh agent "default" at ${gone.path}: ENOENT`);
  });

  it('fails the stream on a message no ssh-agent accepts', async () => {
    await start();
    const s = forward(h);
    await s.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 11]));
    const result = await s.finished;
    expect(result.code).toBe(status.INVALID_ARGUMENT);
    expect(result.details).toContain('the container sent an ssh-agent message of 2147483647 bytes');
  });
});

describe('checkSshAgentsReachable', () => {
  it('accepts a live agent and key files; names a socket whose agent is gone, with the fix', async () => {
    const live = await FakeAgent.start('live');
    const key = join(dir, 'reach_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    // A socket file nobody listens on, as an ssh-agent that was killed leaves it behind.
    const stale = join(dir, 'stale.sock');
    execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', stale]);
    try {
      await expect(checkSshAgentsReachable(['default', `deploy=${key}`], { env: { SSH_AUTH_SOCK: live.path } })).resolves.toBeUndefined();
      const err = await checkSshAgentsReachable(['default'], { env: { SSH_AUTH_SOCK: stale } }).then(
        () => undefined,
        (e: unknown) => e as KilnError,
      );
      expect(err?.code).toBe('invalid_argument');
      expect(err?.message).toBe(`ssh agent socket ${stale} for id "default" does not accept connections (ECONNREFUSED)`);
      expect(err?.hint).toContain('SSH_AUTH_SOCK');
      // sshService alone cannot tell: the file is a socket.
      expect(() => sshService(['default'], { env: { SSH_AUTH_SOCK: stale } })).not.toThrow();
    } finally {
      await live.close();
    }
  });
});

describe('sshKeyFileWarnings', () => {
  it('names a key file others can read, with its mode and the chmod, as ssh would refuse it; not a 0600 key nor a socket', () => {
    const open = join(dir, 'open_ed25519');
    const tight = join(dir, 'tight_ed25519');
    for (const k of [open, tight]) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k]);
    chmodSync(open, 0o644);
    expect(sshKeyFileWarnings([`deploy=${open}`, `other=${tight}`, { id: 'both', keys: [tight, open] }], { env: {} })).toEqual([
      `ssh key file ${open} (id "deploy") can be read by other users (mode 0644); ssh refuses such a key: chmod 600 ${open}`,
      `ssh key file ${open} (id "both") can be read by other users (mode 0644); ssh refuses such a key: chmod 600 ${open}`,
    ]);
  });

  it("does not say ssh would refuse a readable key that is not the user's own (ssh checks only its owner's keys)", () => {
    const shared = join(dir, 'shared_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', shared]);
    chmodSync(shared, 0o644);
    const other = (process.getuid?.() ?? 0) === 0 ? 4242 : undefined;
    if (other === undefined) return; // only root can give the key another owner
    chownSync(shared, other, other);
    expect(sshKeyFileWarnings([`deploy=${shared}`], { env: {} })).toEqual([`ssh key file ${shared} (id "deploy") can be read by other users (mode 0644): chmod 600 ${shared}`]);
  });
});

describe('sshService with a private key file', () => {
  it('answers list and sign itself for --ssh ID=KEYFILE, and refuses key changes', async () => {
    const key = join(dir, 'served_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'served-key', '-f', key]);
    const blob = Buffer.from(readFileSync(`${key}.pub`, 'utf8').split(' ')[1]!, 'base64');
    const h = await SessionHarness.start(sshService([`deploy=${key}`], { env: {} }));
    try {
      await expect(checkAgent(h, 'deploy')).resolves.toBeUndefined();
      const s = forward(h, 'deploy');
      await s.write(LIST_REQUEST.subarray(0, 3));
      await s.write(Buffer.concat([LIST_REQUEST.subarray(3), ADD_REQUEST]));
      const answer = frame(IDENTITIES_ANSWER, uint32(1), sshString(blob), sshString('served-key'));
      expect(await s.read(answer.length)).toEqual(answer);
      expect(await s.read(5)).toEqual(frame(FAILURE));
      await s.write(frame(SIGN_REQUEST, sshString(blob), sshString('challenge'), uint32(0)));
      const head = await s.read(5);
      expect(head[4]).toBe(SIGN_RESPONSE);
      const body = await s.read(head.readUInt32BE(0) - 1);
      expect(body.subarray(8, 8 + 'ssh-ed25519'.length).toString()).toBe('ssh-ed25519');
      s.call.end();
      expect((await s.finished).code).toBe(status.OK);
    } finally {
      await h.close();
    }
  });

  it('refuses a passphrase-protected key when the service is made, before any build', () => {
    const key = join(dir, 'locked_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'phrase', '-f', key]);
    const err = thrown(() => sshService([`default=${key}`]));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe(`ssh key file ${key} is protected by a passphrase, which kiln does not ask for`);
  });
});

describe('raw forwarding with backpressure', () => {
  const echo = new EchoAgent();
  beforeAll(() => echo.listen());
  afterAll(() => echo.close());

  it('pipes megabytes both ways and half-closes the agent connection when the container is done', async () => {
    const h = await SessionHarness.start(sshService([`default=${echo.path}`], { readOnly: false }));
    try {
      const s = forward(h, undefined, true);
      const payload = Buffer.alloc(6 * 1024 * 1024);
      for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + (i >> 11)) & 0xff;
      const received = s.rest();
      for (let off = 0; off < payload.length; off += 64 * 1024) await s.write(payload.subarray(off, off + 64 * 1024));
      s.call.end();
      const back = await received;
      expect(back.length).toBe(payload.length);
      expect(back.equals(payload)).toBe(true);
      expect((await s.finished).code).toBe(status.OK);
      expect(echo.eofs).toBe(1);
    } finally {
      await h.close();
    }
  });
});
