/**
 * kiln over TCP — plain, and TLS with client certificates as buildkitd's `--tlscacert/--tlscert/--tlskey` set it up —
 * to the environment's BuildKit served the way a standalone buildkitd listens (scripts/env/buildkitd-bridge.mjs, a
 * relay to dockerd's BuildKit). Builds read local files through the session and put the image into Docker.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ConnectOptions } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import { runKiln } from './kiln-cli.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const standIn = env.buildkitdStandIn;
const run = `${process.pid}-${Date.now()}`;
const tags: string[] = [];
let context: string;

beforeAll(() => {
  context = mkdtempSync(join(tmpdir(), 'kiln-tcp-tls-'));
  writeFileSync(join(context, 'note.txt'), `over the wire ${run}\n`);
});

afterAll(async () => {
  await removeImages(tags);
  rmSync(context, { recursive: true, force: true });
});

/** Builds an image holding note.txt over `options` and returns what `docker run` prints from it. */
async function buildAndRun(options: ConnectOptions, name: string): Promise<string> {
  const tag = `kiln-it/tcp-tls:${run}-${name}`;
  tags.push(tag);
  const client = await Client.connect(options);
  try {
    await buildImage(client, Image.fromRegistry('busybox:latest').addLocalFile('note.txt', '/srv/').cmd(['cat', '/srv/note.txt']), { tags: [tag], context });
  } finally {
    await client.close();
  }
  return (await dockerCli(['run', '--rm', '--network', 'none', tag])).stdout;
}

async function connectError(options: ConnectOptions): Promise<KilnError> {
  const err = await Client.connect(options).then(
    async (c) => {
      await c.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!(err instanceof KilnError)) throw new Error(`expected the connection to fail with a KilnError, got ${String(err)}`);
  return err;
}

describe('a daemon on TCP', () => {
  it('builds over plain TCP', async () => {
    expect(await buildAndRun({ address: standIn.tcp }, 'plain')).toBe(`over the wire ${run}\n`);
  });

  it('builds over TLS with a client certificate, checking the daemon against the CA and its name', async () => {
    const tls = { caCert: standIn.tls.caCert, cert: standIn.tls.cert, key: standIn.tls.key, serverName: standIn.tls.serverName };
    expect(await buildAndRun({ address: standIn.tls.address, tls }, 'tls')).toBe(`over the wire ${run}\n`);
  });

  it('refuses a daemon whose certificate is for another name, naming the address', async () => {
    const err = await connectError({ address: standIn.tls.address, tls: { caCert: standIn.tls.caCert, cert: standIn.tls.cert, key: standIn.tls.key, serverName: 'other.kiln.test' } });
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(standIn.tls.address);
    expect(err.message).toContain(`not for other.kiln.test (it names DNS:${standIn.tls.serverName}`);
    expect(err.hint).toMatch(/--tlsservername/);
  });

  it('refuses a daemon whose certificate no given CA signed', async () => {
    const err = await connectError({ address: standIn.tls.address, tls: { cert: standIn.tls.cert, key: standIn.tls.key, serverName: standIn.tls.serverName } });
    expect(err.message).toMatch(/certificate is not signed by a CA kiln trusts/);
    expect(err.hint).toMatch(/--tlscacert/);
  });

  it('is turned away without a client certificate, and says where', async () => {
    const err = await connectError({ address: standIn.tls.address, tls: { caCert: standIn.tls.caCert, serverName: standIn.tls.serverName } });
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(standIn.tls.address);
    expect(err.message).toContain("refused kiln's client certificate (none was given)");
    expect(err.hint).toMatch(/--tlscert and --tlskey/);
  });

  it('says when the port does not speak TLS', async () => {
    const port = standIn.tcp.replace(/^tcp:\/\//, '');
    const err = await connectError({ address: standIn.tcp, tls: { caCert: standIn.tls.caCert, serverName: standIn.tls.serverName } });
    // Depending on whether the plain server answers the TLS hello with bytes or just hangs up.
    expect(err.message).toMatch(
      new RegExp(`^cannot connect to the BuildKit daemon at tcp://${port.replace(/\./g, '\\.')} \\(chosen from the address option\\) over TLS: the daemon (does not speak TLS on that port|closed the connection during the TLS handshake)`),
    );
    expect(err.hint).toMatch(/Drop the TLS options/);
  });

  it('says when a plain address is the daemon\'s TLS port, and which flags to pass', async () => {
    const err = await connectError({ address: standIn.tls.address });
    expect(err.code).toBe('unavailable');
    expect(err.message).toBe(`cannot connect to the BuildKit daemon at ${standIn.tls.address} (chosen from the address option): the daemon serves TLS on that port, and kiln connected without TLS`);
    expect(err.hint).toMatch(/--tlscacert .* --tlscert\/--tlskey/);
  });

  it('builds over TLS to an IP address without a server name: the certificate is checked against the IP, and Node prints no RFC 6066 warning', async () => {
    const tls = { caCert: standIn.tls.caCert, cert: standIn.tls.cert, key: standIn.tls.key };
    expect(await buildAndRun({ address: standIn.tls.address, tls }, 'tls-ip')).toBe(`over the wire ${run}\n`);
    const r = await runKiln(['info', '--addr', standIn.tls.address, '--tlscacert', standIn.tls.caCert, '--tlscert', standIn.tls.cert, '--tlskey', standIn.tls.key], {
      cwd: context,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // no "[DEP0123] DeprecationWarning: Setting the TLS ServerName to an IP address"
    const untrusted = await connectError({ address: standIn.tls.address, tls: { caCert: standIn.tls.cert, cert: standIn.tls.cert, key: standIn.tls.key } });
    expect(untrusted.message).toMatch(/certificate is not signed by a CA kiln trusts/);
  });

  it('kiln info takes the TLS flags', async () => {
    const r = await runKiln(
      ['info', '--addr', standIn.tls.address, '--tlscacert', standIn.tls.caCert, '--tlscert', standIn.tls.cert, '--tlskey', standIn.tls.key, '--tlsservername', standIn.tls.serverName],
      { cwd: context },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Address:   ${standIn.tls.address}`);
    expect(r.stdout).toMatch(/Worker: {4}\S+/);
  });
});
