/**
 * kiln's own connection to a `tcp://` daemon on a machine whose environment names an HTTP proxy, as corporate laptops
 * and CI runners do: through the proxy (CONNECT) when HTTPS_PROXY or grpc_proxy names one for the daemon's host, plain
 * and TLS; directly for a host NO_PROXY lists and for loopback, as buildctl (grpc-go) chooses; and a proxy that is not
 * there is named in the error (its password redacted), with what to do. The daemon is the environment's BuildKit served
 * as a standalone buildkitd on TCP; the proxy (test/fixtures/forward-proxy.ts) alone resolves the names used here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ConnectOptions } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { buildImage, Image } from '../../src/image/index.js';
import { serveForwardProxy, type ForwardProxy } from '../fixtures/forward-proxy.js';
import { runKiln } from './kiln-cli.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const standIn = env.buildkitdStandIn;
const run = `${process.pid}-${Date.now()}`;
const tags: string[] = [];
/** A name only the proxy resolves, for the stand-in's plain TCP port; the TLS port goes by the certificate's name. */
const PLAIN_NAME = 'buildkitd-plain.kiln.test';
const tcpPort = Number(new URL(standIn.tcp).port);
const tlsPort = Number(new URL(standIn.tls.address).port);
const tls = { caCert: standIn.tls.caCert, cert: standIn.tls.cert, key: standIn.tls.key };
let context: string;
let proxy: ForwardProxy;
/** The proxy's URL with credentials (it takes any). */
let proxyUrl: string;

beforeAll(async () => {
  context = mkdtempSync(join(tmpdir(), 'kiln-behind-proxy-'));
  writeFileSync(join(context, 'note.txt'), `through the proxy ${run}\n`);
  proxy = await serveForwardProxy(
    '127.0.0.1',
    new Map([
      [PLAIN_NAME, { host: '127.0.0.1', port: tcpPort }],
      [standIn.tls.serverName, { host: '127.0.0.1', port: tlsPort }],
    ]),
  );
  proxyUrl = proxy.url.replace('http://', 'http://corp-user:hunter2@');
});

afterAll(async () => {
  await proxy.close();
  await removeImages(tags);
  rmSync(context, { recursive: true, force: true });
});

/** Builds an image holding note.txt over `options` and returns what `docker run` prints from it. */
async function buildAndRun(options: ConnectOptions, name: string): Promise<string> {
  const tag = `kiln-it/behind-proxy:${run}-${name}`;
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

/** An environment with only the proxy variables given (none inherited from the machine running the tests). */
function proxyEnv(vars: Record<string, string>): Record<string, string | undefined> {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'grpc_proxy', 'no_grpc_proxy', 'ALL_PROXY', 'all_proxy']) delete clean[name];
  return { ...clean, ...vars };
}

describe('a tcp:// daemon behind an HTTP proxy', () => {
  it('builds through the proxy HTTPS_PROXY names (CONNECT), its URL carrying credentials', async () => {
    const before = proxy.requests.length;
    const address = `tcp://${PLAIN_NAME}:${tcpPort}`;
    expect(await buildAndRun({ address, env: proxyEnv({ HTTPS_PROXY: proxyUrl }) }, 'plain')).toBe(`through the proxy ${run}\n`);
    expect(proxy.requests.slice(before)).toContain(`CONNECT ${PLAIN_NAME}:${tcpPort}`);
  });

  it('builds over TLS through the proxy grpc_proxy names, checking the daemon against the CA and its name', async () => {
    const before = proxy.requests.length;
    const address = `tcp://${standIn.tls.serverName}:${tlsPort}`;
    expect(await buildAndRun({ address, tls, env: proxyEnv({ grpc_proxy: proxyUrl }) }, 'tls')).toBe(`through the proxy ${run}\n`);
    expect(proxy.requests.slice(before)).toContain(`CONNECT ${standIn.tls.serverName}:${tlsPort}`);
  });

  it('reaches a host NO_PROXY lists, and a loopback address, directly; HTTP_PROXY alone is not used', async () => {
    const before = proxy.requests.length;
    // The name resolves only at the proxy: reached directly, it does not resolve at all.
    const exempt = await connectError({ address: `tcp://${PLAIN_NAME}:${tcpPort}`, env: proxyEnv({ HTTPS_PROXY: proxyUrl, NO_PROXY: 'localhost,.kiln.test' }) });
    expect(exempt.code).toBe('unavailable');
    expect(exempt.message).not.toContain('proxy');
    const loopback = await Client.connect({ address: standIn.tcp, env: proxyEnv({ HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl }) });
    await loopback.close();
    const httpOnly = await connectError({ address: `tcp://${PLAIN_NAME}:${tcpPort}`, env: proxyEnv({ HTTP_PROXY: proxyUrl, http_proxy: proxyUrl }) });
    expect(httpOnly.message).not.toContain('proxy');
    expect(proxy.requests.slice(before)).toEqual([]);
  });

  it('names a proxy that is not there, its password redacted, and what to do — and grpc-js prints nothing', async () => {
    const dead = 'http://corp-user:hunter2@127.0.0.1:9';
    const r = await runKiln(['workers', '--addr', `tcp://${PLAIN_NAME}:${tcpPort}`], { cwd: context, env: proxyEnv({ grpc_proxy: dead }) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `error: cannot reach the BuildKit daemon at tcp://${PLAIN_NAME}:${tcpPort} (chosen from --addr) while listing workers: the proxy http://corp-user:***@127.0.0.1:9 (from grpc_proxy) could not be reached: ECONNREFUSED`,
    );
    expect(r.stderr).toContain(`list its host in no_grpc_proxy (no_grpc_proxy=${PLAIN_NAME}) or unset grpc_proxy`);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).not.toMatch(/^E /m); // no "E Failed to connect to proxy …" from grpc-js
    const debug = await runKiln(['--debug', 'workers', '--addr', `tcp://${PLAIN_NAME}:${tcpPort}`], { cwd: context, env: proxyEnv({ HTTPS_PROXY: dead }) });
    expect(debug.stderr).toContain('the proxy http://corp-user:***@127.0.0.1:9 (from HTTPS_PROXY)');
    expect(debug.stderr).not.toContain('hunter2');
  });

  it('names the answer of a proxy that refuses the tunnel', async () => {
    const err = await connectError({ address: 'tcp://elsewhere.kiln.test:1234', env: proxyEnv({ HTTPS_PROXY: proxyUrl }) });
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(`the proxy http://corp-user:***@${proxy.url.slice('http://'.length)} (from HTTPS_PROXY) refused to connect to elsewhere.kiln.test:1234: HTTP 502`);
    expect(err.hint).toMatch(/NO_PROXY=elsewhere\.kiln\.test/);
  });
});
