/**
 * `ssh://` addresses through the real OpenSSH client and a throw-away sshd on 127.0.0.1 (throwaway-sshd.ts): kiln runs
 * `ssh … buildctl --addr unix://<path> dial-stdio` as buildctl does, and gRPC — the session with file sync included —
 * travels over ssh's stdio. The remote `buildctl` is a stand-in that joins its stdio to the socket `--addr` names
 * with socat (the environment's buildkitd stand-in). `DOCKER_HOST=ssh://…` reaches the environment's dockerd as the
 * docker CLI does, with the remote's real `docker system dial-stdio` (/usr/bin/docker there; the URL's path names
 * the Docker socket, as a user whose Docker does not listen at /var/run/docker.sock writes it).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { startThrowawaySshd, type ThrowawaySshd } from './throwaway-sshd.js';
import { dockerCli, inspectImage, testEnv } from './test-env.js';

const env = testEnv();
const run = `${process.pid}-${Date.now()}`;
const buildkitdSocket = env.buildkitdStandIn.unix.slice('unix://'.length);
let sshd: ThrowawaySshd;
let context: string;
let out: string;
const tag = `kiln-it/over-ssh:${run}`;
const cliTag = `kiln-it/over-ssh-cli:${run}`;
const savedPath = process.env['PATH'];

/** Connects, builds one image with a local file into a local directory, and returns the file as the image has it. */
async function buildThrough(address: string): Promise<string> {
  const client = await Client.connect({ address });
  try {
    const image = Image.fromRegistry('busybox:latest').addLocalFile('greeting.txt', '/srv/').runCommands('wc -c < /srv/greeting.txt > /srv/size');
    const dest = join(out, address.replace(/\W+/g, '-'));
    await buildImage(client, image, { context, output: `type=local,dest=${dest}` });
    return `${readText(join(dest, 'srv/greeting.txt'))}|${readText(join(dest, 'srv/size')).trim()}`;
  } finally {
    await client.close();
  }
}

/** The `ssh` processes this test process runs. */
function sshChildren(): string[] {
  const ps = spawnSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => /(^|\/)ssh /.test(line));
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The error connecting to `address` gives (the connection is verified). */
async function connectError(address: string): Promise<KilnError> {
  const err = await Client.connect({ address }).then(
    async (c) => {
      await c.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!(err instanceof KilnError)) throw new Error(`expected a KilnError from ${address}, got ${String(err)}`);
  return err;
}

beforeAll(async () => {
  sshd = await startThrowawaySshd();
  // buildctl's dial-stdio, as far as kiln can tell: stdio joined to the daemon's socket (--addr, else the default).
  const buildctl = join(sshd.remoteBin, 'buildctl');
  writeFileSync(
    buildctl,
    [
      '#!/bin/sh',
      'addr=unix:///run/buildkit/buildkitd.sock',
      'if [ "$1" = --addr ]; then addr=$2; shift 2; fi',
      '[ "$1" = dial-stdio ] || { echo "this buildctl only does dial-stdio" >&2; exit 2; }',
      'exec socat STDIO "UNIX-CONNECT:${addr#unix://}"',
      '',
    ].join('\n'),
  );
  chmodSync(buildctl, 0o755);
  process.env['PATH'] = `${sshd.clientBin}:${savedPath ?? '/usr/bin:/bin'}`;
  context = mkdtempSync(join(tmpdir(), 'kiln-ssh-context-'));
  out = mkdtempSync(join(tmpdir(), 'kiln-ssh-out-'));
  writeFileSync(join(context, 'greeting.txt'), `hello over ssh ${run}\n`);
});

afterAll(async () => {
  process.env['PATH'] = savedPath;
  await dockerCli(['rmi', '-f', tag, cliTag], { allowFailure: true });
  await sshd?.stop();
  rmSync(context, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('ssh:// to a buildkitd, through ssh … buildctl dial-stdio', () => {
  it('builds with local files through ssh://root@127.0.0.1:<port>/<socket>', async () => {
    const greeting = `hello over ssh ${run}\n`;
    expect(await buildThrough(`ssh://root@127.0.0.1:${sshd.port}${buildkitdSocket}`)).toBe(`${greeting}|${greeting.length}`);
    // close() ended the ssh processes the connection ran.
    expect(sshChildren()).toEqual([]);
  });

  it('says ssh could not connect, with what ssh printed', async () => {
    const closed = sshd.port === 1 ? 2 : 1;
    const err = await connectError(`ssh://root@127.0.0.1:${closed}${buildkitdSocket}`);
    expect(err.code).toBe('helper_failed');
    expect(err.message).toContain(`ssh://root@127.0.0.1:${closed}${buildkitdSocket}`);
    expect(err.message).toMatch(/ssh exited 255: ssh: connect to host 127\.0\.0\.1 port \d+: Connection refused/);
    expect(err.hint).toMatch(/ssh could not connect or log in/);
    expect(err.details['exitCode']).toBe(255);
  });

  it('says to install buildctl on the host when the remote shell cannot find it', async () => {
    const err = await connectError(`ssh://root@127.0.0.1:${sshd.barePort}${buildkitdSocket}`);
    expect(err.code).toBe('helper_failed');
    expect(err.message).toMatch(/ssh exited 127: .*buildctl: .*not found/);
    expect(err.hint).toMatch(/Install buildctl .* on 127\.0\.0\.1/);
  });
});

describe('a Docker on an ssh host (DOCKER_HOST=ssh://…), through ssh … docker system dial-stdio', () => {
  it('builds on its BuildKit with local files and loads the image into it', async () => {
    const client = await Client.connect({ address: `docker://ssh://root@127.0.0.1:${sshd.port}${env.dockerSocket}` });
    try {
      const info = await client.info();
      expect(info.kind).toBe('dockerd');
      // The engine version comes from the Docker API, asked over ssh too.
      expect(info.description).toMatch(/^dockerd \d+\.\d+/);
      const image = Image.fromRegistry('busybox:latest').addLocalFile('greeting.txt', '/srv/').cmd(['cat', '/srv/greeting.txt']);
      const built = await buildImage(client, image, { tags: [tag], context });
      expect((await inspectImage(tag))?.id).toBe(built.imageId);
    } finally {
      await client.close();
    }
    expect(sshChildren()).toEqual([]);
    const ran = await dockerCli(['run', '--rm', '--network', 'none', tag]);
    expect(ran.stdout).toBe(`hello over ssh ${run}\n`);
  });

  it('kiln build with DOCKER_HOST=ssh://… and nothing else builds there and --load goes there', async () => {
    writeFileSync(join(context, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n\nexport default Image.fromRegistry('busybox:latest').addLocalFile('greeting.txt', '/srv/');\n`);
    const r = await runKiln(['build', 'image.ts', '-t', cliTag, '--load', '--progress', 'quiet'], {
      cwd: context,
      env: { BUILDKIT_HOST: undefined, DOCKER_HOST: `ssh://root@127.0.0.1:${sshd.port}${env.dockerSocket}`, PATH: process.env['PATH'] },
    });
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(await inspectImage(cliTag)).toBeDefined();
    const info = await runKiln(['info'], { cwd: context, env: { BUILDKIT_HOST: undefined, DOCKER_HOST: `ssh://root@127.0.0.1:${sshd.port}${env.dockerSocket}`, PATH: process.env['PATH'] } });
    expect(info.stdout).toContain(`Address:   docker://ssh://root@127.0.0.1:${sshd.port}${env.dockerSocket}`);
    expect(info.stdout).toContain('Chosen by: Docker daemon (DOCKER_HOST)');
  });

  it('a Docker socket the remote docker CLI cannot reach fails with what it said there', async () => {
    const err = await connectError(`docker://ssh://root@127.0.0.1:${sshd.port}/nowhere/docker.sock`);
    expect(err.code).toBe('helper_failed');
    expect(err.message).toContain(`docker://ssh://root@127.0.0.1:${sshd.port}/nowhere/docker.sock`);
    expect(err.details['command']).toContain(`-- 127.0.0.1 'docker --host=unix:///nowhere/docker.sock system dial-stdio'`);
    // The remote docker CLI's own words, naming the socket it could not open.
    expect(String(err.details['stderr'])).toMatch(/\/nowhere\/docker\.sock/);
  });
});
