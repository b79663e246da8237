/**
 * Test support: a private sshd on 127.0.0.1 for the ssh:// tests, set up from nothing in a temp directory (never the
 * system's sshd or the user's ~/.ssh): a throw-away host key, a client key it authorizes for root, and a second port
 * whose sessions get a PATH without the stand-in programs (for "command not found"). The client side is what a user
 * would have in ~/.ssh/config — the key, the host key in known_hosts, no questions asked — given to `ssh` by a
 * wrapper script named `ssh` that tests put first on PATH.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running throw-away sshd. */
export interface ThrowawaySshd {
  /** Sessions on this port find the programs of `remoteBin` first on their PATH. */
  readonly port: number;
  /** Sessions on this port have only /usr/bin:/bin on their PATH. */
  readonly barePort: number;
  /** Directory of the programs remote sessions run (put stand-ins here). */
  readonly remoteBin: string;
  /** Directory holding the `ssh` wrapper: put it first on PATH. */
  readonly clientBin: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function keygen(file: string): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kiln-test', '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

/** Starts the sshd (`/usr/sbin/sshd -D -e -f <its own config>`) and waits until it listens. */
export async function startThrowawaySshd(): Promise<ThrowawaySshd> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-sshd-'));
  const remoteBin = join(dir, 'remote-bin');
  const clientBin = join(dir, 'client-bin');
  mkdirSync(remoteBin);
  mkdirSync(clientBin);
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'id'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')));
  const port = await freePort();
  let barePort = await freePort();
  while (barePort === port) barePort = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      `Port ${barePort}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PidFile none',
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `SetEnv PATH=${remoteBin}:/usr/local/bin:/usr/bin:/bin`,
      `Match LocalPort ${barePort}`,
      '  SetEnv PATH=/usr/bin:/bin',
      '',
    ].join('\n'),
  );
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n[127.0.0.1]:${barePort} ${hostKey}\n`);
  writeFileSync(
    join(dir, 'ssh_config'),
    [
      'Host 127.0.0.1',
      `  IdentityFile ${join(dir, 'id')}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const wrapper = join(clientBin, 'ssh');
  writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`);
  chmodSync(wrapper, 0o755);
  // sshd refuses to start without its privilege separation directory (the package's service creates it at boot).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !((await listening(port)) && (await listening(barePort))); i++) {
    if (child.exitCode !== null || i > 100) {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the throw-away sshd did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    barePort,
    remoteBin,
    clientBin,
    async stop() {
      child.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
