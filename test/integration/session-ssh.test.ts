/**
 * SSH agent forwarding on the real daemon: a real `ssh-agent` holding a freshly made key is forwarded to a build step
 * (`ssh: true` on the run), and the step talks to it through `$SSH_AUTH_SOCK` exactly as `git clone git@…` would:
 * it lists the identities and has the agent sign a challenge. The key never enters the build; only the agent's
 * answers do. A step that needs an agent id kiln does not forward fails, naming it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { writeFileSync } from 'node:fs';
import { Image, buildImage, type BuildImageCommonOptions } from '../../src/image/index.js';
import { image, marshal } from '../../src/llb/index.js';
import { sshService } from '../../src/session/ssh-service.js';
import { KILN_INDEX_URL, type CliRun, type RunKilnOptions, runKiln } from './kiln-cli.js';
import { testEnv } from './test-env.js';

const env = testEnv();
const stamp = Date.now();
let client: Client;
let work: string;
let agent: ChildProcess;
let agentSock: string;
let publicKey: string;

/**
 * Run inside the build (python:3.11-slim has no ssh client): speaks the ssh-agent protocol on $SSH_AUTH_SOCK,
 * prints each identity's comment, then asks for a signature of the first key and prints the reply's type.
 */
const AGENT_CLIENT = String.raw`
import os, socket, struct
def call(payload):
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.environ["SSH_AUTH_SOCK"])
    s.sendall(struct.pack(">I", len(payload)) + payload)
    n = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
    data = b""
    while len(data) < n:
        data += s.recv(n - len(data))
    s.close()
    return data
def string(buf, at):
    n = struct.unpack(">I", buf[at:at + 4])[0]
    return buf[at + 4:at + 4 + n], at + 4 + n
reply = call(bytes([11]))
assert reply[0] == 12, reply[0]
count = struct.unpack(">I", reply[1:5])[0]
at, blobs = 5, []
for _ in range(count):
    blob, at = string(reply, at)
    comment, at = string(reply, at)
    blobs.append(blob)
    print("identity", comment.decode())
challenge = b"kiln-challenge"
sig = call(bytes([13]) + struct.pack(">I", len(blobs[0])) + blobs[0] + struct.pack(">I", len(challenge)) + challenge + struct.pack(">I", 0))
print("sign reply", sig[0])
`;

const kiln = (args: readonly string[], options: RunKilnOptions): Promise<CliRun> => runKiln(args, { ...options });

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  work = mkdtempSync(join(tmpdir(), 'kiln-ssh-it-'));
  const key = join(work, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `kiln-test-key-${stamp}`, '-f', key]);
  publicKey = readFileSync(`${key}.pub`, 'utf8');
  agentSock = join(work, 'agent.sock');
  agent = spawn('ssh-agent', ['-D', '-a', agentSock], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(agentSock); i++) await delay(20);
  execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: agentSock }, stdio: 'ignore' });
});

afterAll(async () => {
  agent?.kill();
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('ssh agent forwarding', () => {
  it('lets a build step list the agent identities and get a signature, as git over ssh does', async () => {
    const state = image('docker.io/library/python:3.11-slim')
      .run(['sh', '-c', `python3 -c '${AGENT_CLIENT.replaceAll("'", `'"'"'`)}' > /agent.txt # ${stamp}`], { ssh: true })
      .root();
    const services = [sshService(['default'], { env: { SSH_AUTH_SOCK: agentSock } })];
    let output = '';
    await client.build({ sessionServices: services }, async (gw) => {
      const ref = await gw.solve(marshal(state, { caps: gw.llbCaps }));
      output = Buffer.from(await gw.readFile(ref, '/agent.txt')).toString();
      return {};
    });
    expect(output).toContain(`identity kiln-test-key-${stamp}`);
    expect(output).toContain('sign reply 14'); // SSH_AGENT_SIGN_RESPONSE
    expect(output).not.toContain(publicKey.split(' ')[1]!);
  });

  it('fails the step that needs an agent id kiln does not forward, naming the id', async () => {
    const state = image('docker.io/library/busybox:latest')
      .run(['sh', '-c', `test -S "$SSH_AUTH_SOCK" # ${stamp}`], { ssh: [{ id: 'gitlab' }] })
      .root();
    const services = [sshService(['default'], { env: { SSH_AUTH_SOCK: agentSock } })];
    const err = await client
      .build({ sessionServices: services }, async (gw) => ({ ref: await gw.solve(marshal(state, { caps: gw.llbCaps })) }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(KilnError);
    expect((err as Error).message).toContain('gitlab');
  });
});

describe('ssh agents in the Image API, Dockerfile input and the CLI', () => {
  /** The agent client as one shell command writing its report to `file`. */
  const agentCommand = (file: string): string => `python3 -c '${AGENT_CLIENT.replaceAll("'", `'"'"'`)}' > ${file} # ${stamp}`;

  async function readExported(img: Image, options: BuildImageCommonOptions, file: string): Promise<string> {
    const dest = mkdtempSync(join(work, 'out-'));
    await buildImage(client, img, { context: work, output: `type=local,dest=${dest}`, ...options });
    return readFileSync(join(dest, file), 'utf8');
  }

  it('runCommands(…, { ssh: true }) and a Dockerfile RUN --mount=type=ssh talk to the forwarded agent; the key stays out', async () => {
    const base = Image.fromRegistry('python:3.11-slim');
    const viaApi = await readExported(base.runCommands(agentCommand('/api.txt'), { ssh: true }), { ssh: [{ id: 'default', socket: agentSock }] }, 'api.txt');
    expect(viaApi).toContain(`identity kiln-test-key-${stamp}`);
    expect(viaApi).toContain('sign reply 14');
    writeFileSync(join(work, 'agent.py'), AGENT_CLIENT);
    const viaDockerfile = await readExported(
      base.addLocalFile(join(work, 'agent.py'), '/agent.py').dockerfileCommands([`RUN --mount=type=ssh,required=true,uid=1000,mode=0660 python3 /agent.py > /dockerfile.txt && stat -c "socket %u %a" "$SSH_AUTH_SOCK" >> /dockerfile.txt # ${stamp}`]),
      { ssh: [`default=${agentSock}`] },
      'dockerfile.txt',
    );
    expect(viaDockerfile).toContain(`identity kiln-test-key-${stamp}`);
    expect(viaDockerfile).toContain('socket 1000 660');
    expect(viaApi + viaDockerfile).not.toContain(publicKey.split(' ')[1]!);
  });

  it('a step run as another user (.user(), a name or a uid) talks to the agent too', async () => {
    const base = Image.fromRegistry('python:3.11-slim');
    const img = base
      .user('nobody')
      .runCommands(agentCommand('/tmp/named.txt'), { ssh: true })
      .user('1000:1000')
      .runCommands(agentCommand('/tmp/numeric.txt'), { ssh: true })
      .user('root')
      .runCommands('cat /tmp/named.txt /tmp/numeric.txt > /users.txt');
    const out = await readExported(img, { ssh: [{ id: 'default', socket: agentSock }] }, 'users.txt');
    expect(out.split('\n').filter((l) => l === `identity kiln-test-key-${stamp}`)).toHaveLength(2);
    expect(out.split('\n').filter((l) => l === 'sign reply 14')).toHaveLength(2);
  });

  it('a step whose agent is not forwarded is refused before anything builds, naming the id and how to forward it', async () => {
    const img = Image.fromRegistry('busybox:latest').runCommands(`test -S "$SSH_AUTH_SOCK" # ${stamp}`, { ssh: ['github'] });
    const statuses: unknown[] = [];
    const err = await buildImage(client, img, { context: work, onStatus: (e) => statuses.push(e) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe('the image\'s steps use the ssh agent "github", but no ssh agent was forwarded');
    expect((err as KilnError).hint).toContain('kiln build --ssh github=/path/to/agent.sock');
    expect(statuses).toEqual([]);
    const other = await buildImage(client, img, { context: work, ssh: [{ id: 'default', socket: agentSock }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((other as KilnError).message).toContain('which is not forwarded (forwarded: "default")');
  });

  it('a private key file serves as the agent (--ssh deploy=KEYFILE); neither key nor path reaches the image or the cache key', async () => {
    const key = join(work, 'deploy_ecdsa');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-C', `kiln-deploy-key-${stamp}`, '-f', key]);
    const keyBlob = readFileSync(`${key}.pub`, 'utf8').split(' ')[1]!;
    writeFileSync(
      join(work, 'ssh-key-image.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
        `export default Image.fromRegistry('python:3.11-slim').runCommands(${JSON.stringify(`${agentCommand('/key.txt')} key`)}, { ssh: ['deploy'] });\n`,
    );
    const dest = join(work, 'key-out');
    const cli = await kiln(['build', 'ssh-key-image.ts', '--ssh', 'deploy=deploy_ecdsa', '-o', `type=local,dest=${dest}`, '--progress', 'quiet'], {
      cwd: work,
      env: { SSH_AUTH_SOCK: '' },
    });
    expect(cli.stderr).toBe(`wrote ${dest}\n`);
    expect(cli.code).toBe(0);
    const report = readFileSync(join(dest, 'key.txt'), 'utf8');
    expect(report).toContain(`identity kiln-deploy-key-${stamp}`);
    expect(report).toContain('sign reply 14');
    // Nothing of the key, its path or the agent socket is left in the result.
    const privateBody = readFileSync(key, 'utf8').split('\n')[2]!;
    const found = execFileSync('sh', ['-c', `grep -r -l -F -e "${keyBlob}" -e "${privateBody}" -e "${work}" "${dest}" || true`], { encoding: 'utf8' });
    expect(found).toBe('');
    // BuildKit v0.8 leaves the mount point's parent behind as an empty directory (newer daemons remove it).
    expect(existsSync(join(dest, 'run', 'buildkit')) ? readdirSync(join(dest, 'run', 'buildkit')) : []).toEqual([]);

    // The same step with the key served through a real agent instead is a cache hit: the ssh mount's id is in the
    // cache key, not which socket or key file answers for it.
    const img = Image.fromRegistry('python:3.11-slim').runCommands(`${agentCommand('/key.txt')} key`, { ssh: ['deploy'] });
    const again = await buildImage(client, img, { context: work, ssh: [{ id: 'deploy', socket: agentSock }] });
    const ours = [...again.outcome.progress.steps.values()].filter((st) => st.name.includes('/key.txt'));
    expect(ours.map((st) => st.cached)).toEqual([true]);

    // A key file others can read is used (as buildx does), with a [kiln] note that ssh would refuse it.
    chmodSync(key, 0o644);
    const open = await kiln(['build', 'ssh-key-image.ts', '--ssh', 'deploy=deploy_ecdsa', '--progress', 'plain'], { cwd: work, env: { SSH_AUTH_SOCK: '' } });
    expect(open.code).toBe(0);
    expect(open.stderr).toContain('[kiln] ssh key files');
    expect(open.stderr).toContain(`ssh key file ${key} (id "deploy") can be read by other users (mode 0644); ssh refuses such a key: chmod 600 ${key}`);
    // `~/` is the home directory: sh, npm scripts and the --ssh=… form pass it to kiln unexpanded.
    const tilde = await kiln(['build', 'ssh-key-image.ts', '--ssh=deploy=~/deploy_ecdsa', '--progress', 'plain'], { cwd: work, env: { SSH_AUTH_SOCK: '', HOME: work } });
    expect(tilde.stderr).not.toContain('error:');
    expect(tilde.code).toBe(0);
    expect(tilde.stderr).toContain(`ssh key file ${key} (id "deploy") can be read by other users`);

    // A passphrase-protected key is refused before the build starts, naming the file.
    const locked = join(work, 'locked_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'phrase', '-f', locked]);
    const refused = await kiln(['build', 'ssh-key-image.ts', '--ssh', `deploy=${locked}`, '--progress', 'plain'], { cwd: work, env: { SSH_AUTH_SOCK: '' } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ssh key file ${locked} is protected by a passphrase, which kiln does not ask for`);
    expect(refused.stderr).not.toContain('#1 ');
  });

  it('kiln build --ssh default forwards $SSH_AUTH_SOCK; without it, or with a dead agent, the build stops before starting', async () => {
    writeFileSync(
      join(work, 'ssh-image.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
        `export default Image.fromRegistry('python:3.11-slim').runCommands(${JSON.stringify(agentCommand('/cli.txt'))}, { ssh: true });\n`,
    );
    const dest = join(work, 'cli-out');
    const ok = await kiln(['build', 'ssh-image.ts', '--ssh', 'default', '-o', `type=local,dest=${dest}`, '--progress', 'quiet'], {
      cwd: work,
      env: { SSH_AUTH_SOCK: agentSock },
    });
    expect(ok.stderr).toBe(`wrote ${dest}\n`);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dest, 'cli.txt'), 'utf8')).toContain(`identity kiln-test-key-${stamp}`);
    // A socket left behind by an agent that exited is named before any step runs, not as a failure inside the step.
    const stale = join(work, 'stale.sock');
    execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', stale]);
    const dead = await kiln(['build', 'ssh-image.ts', '--ssh', 'default', '--progress', 'plain'], { cwd: work, env: { SSH_AUTH_SOCK: stale } });
    expect(dead.code).toBe(2);
    expect(dead.stderr).toContain(`error: ssh agent socket ${stale} for id "default" does not accept connections (ECONNREFUSED)`);
    expect(dead.stderr).not.toContain('#1 ');
    const without = await kiln(['build', 'ssh-image.ts', '--progress', 'plain'], { cwd: work, env: { SSH_AUTH_SOCK: agentSock } });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('error: the image\'s steps use the ssh agent "default", but no ssh agent was forwarded');
    expect(without.stderr).toContain('hint: Forward it: kiln build --ssh default (the agent at $SSH_AUTH_SOCK)');
  });
});
