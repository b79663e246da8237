/**
 * Builds behind a proxy, as docker build runs them: the package stand-ins (a PEP 503 index, a flat apt repository)
 * listen on this machine's loopback, which build steps cannot reach, under names no DNS knows
 * (`pypi.kiln-proxy.test`, `apt.kiln-proxy.test`); only a forward proxy on the build bridge's gateway
 * (test/fixtures/forward-proxy.ts) reaches them. A step that installs from them went through the proxy. The proxies
 * reach every step through its `proxy_env` and nothing else: not the image config, its history, or the steps' cache
 * keys (another proxy address builds nothing again).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildkitRange } from '../../src/client/buildkit-range.js';
import { Client } from '../../src/client/client.js';
import { Image, buildImage, type BuiltImage } from '../../src/image/index.js';
import { type AptRepository, type PackageIndex, demoDeb, demoWheel, serveAptRepository, servePackageIndex } from '../../bench/package-stand-ins.js';
import { type ForwardProxy, serveForwardProxy } from '../fixtures/forward-proxy.js';
import { gitIn, publishRepository, serveFiles, serverBase } from './git-http-server.js';
import { KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { dockerCli, inspectImage, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const run = Math.random().toString(36).slice(2, 8);
const created: string[] = [];
const PYPI = 'pypi.kiln-proxy.test';
const APT = 'apt.kiln-proxy.test';
const pkg = `kiln_proxy_${run}`;
let client: Client;
let context = '';
let index: PackageIndex;
let repo: AptRepository;
let proxyA: ForwardProxy;
let proxyB: ForwardProxy;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  context = mkdtempSync(join(tmpdir(), 'kiln-proxy-it-'));
  index = await servePackageIndex('127.0.0.1', [{ project: pkg.replace(/_/g, '-'), ...demoWheel(pkg, '1.0', `${pkg} through the proxy`) }]);
  repo = await serveAptRepository('127.0.0.1', [demoDeb(`kiln-proxy-tool-${run}`, '1.0', { [`/usr/bin/kiln-proxy-tool-${run}`]: '#!/bin/sh\necho tool through the proxy\n' })]);
  const routes = new Map([
    [PYPI, { host: '127.0.0.1', port: Number(new URL(index.url).port) }],
    [APT, { host: '127.0.0.1', port: Number(new URL(repo.url).port) }],
  ]);
  proxyA = await serveForwardProxy(env.bridge.gateway, routes);
  proxyB = await serveForwardProxy(env.bridge.gateway, routes);
});

afterAll(async () => {
  await client?.close();
  await Promise.all([index?.close(), repo?.close(), proxyA?.close(), proxyB?.close()]);
  rmSync(context, { recursive: true, force: true });
  await removeImages(created);
});

async function build(name: string, image: Image, proxy: ForwardProxy): Promise<BuiltImage & { readonly tag: string }> {
  const tag = `kiln-it/proxy-${name}:${run}`;
  if (!created.includes(tag)) created.push(tag);
  return { ...(await buildImage(client, image, { tags: [tag], context, proxy: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy: 'localhost' } })), tag };
}

/** Steps, by name, and whether the daemon took each from its cache. */
function cachedSteps(built: BuiltImage): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const s of built.outcome.progress.steps.values()) if (s.kind === 'vertex') out.set(s.name, s.cached);
  return out;
}

/** What an image carries of the proxies: its config's env and history, as docker shows them. */
async function proxyTraces(tag: string): Promise<string> {
  const inspected = await inspectImage(tag);
  const history = (await dockerCli(['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag])).stdout;
  return [...(inspected?.config.env ?? []), history].filter((line) => /proxy|kiln-proxy/i.test(line) && !line.includes(PYPI) && !line.includes(APT)).join('\n');
}

describe('a build behind a proxy', () => {
  it('pipInstall and aptInstall reach their index through the proxy; the image keeps no proxy; another proxy address is a cache hit', async () => {
    const image = Image.fromRegistry('python:3.11-slim')
      .runCommands(`rm -f /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources && echo 'deb [trusted=yes] http://${APT}/ ./' > /etc/apt/sources.list.d/kiln-proxy.list`)
      .aptInstall(`kiln-proxy-tool-${run}`)
      .pipInstall(`${pkg.replace(/_/g, '-')}==1.0`, { indexUrl: `http://${PYPI}/simple`, extraOptions: ['--trusted-host', PYPI] });
    const first = await build('install', image, proxyA);
    expect(proxyA.requests).toContainEqual(expect.stringMatching(new RegExp(`^GET http://${APT.replace(/\./g, '\\.')}/.*Packages`)));
    expect(proxyA.requests).toContainEqual(`GET http://${PYPI}/simple/${pkg.replace(/_/g, '-')}/`);
    expect(proxyA.requests).toContainEqual(expect.stringMatching(new RegExp(`^GET http://${PYPI.replace(/\./g, '\\.')}/files/${pkg}-1\\.0-`)));
    const out = await dockerCli(['run', '--rm', '--network', 'none', first.tag, 'sh', '-c', `kiln-proxy-tool-${run}; python3 -c 'import ${pkg}' && echo imported; env | grep -ci proxy || true`]);
    expect(out.stdout.trim().split('\n')).toEqual(['tool through the proxy', 'imported', '0']);
    expect(first.config.config?.Env?.filter((e) => /proxy/i.test(e))).toEqual([]);
    expect(await proxyTraces(first.tag)).toBe('');

    const before = proxyB.requests.length;
    const again = await build('install', image, proxyB);
    expect(proxyB.requests.length).toBe(before);
    const steps = cachedSteps(again);
    const installs = [...steps.entries()].filter(([name]) => name.includes('kiln-proxy-tool') || name.includes(PYPI));
    expect(installs.length).toBeGreaterThanOrEqual(2);
    expect(installs.filter(([, cached]) => !cached)).toEqual([]);
    expect(again.outcome.exporterResponse['containerimage.config.digest'] ?? again.imageId).toBe(first.outcome.exporterResponse['containerimage.config.digest'] ?? first.imageId);
  });

  it("a Dockerfile's RUN gets the HTTP_PROXY build arg it does not declare, as docker build gives it, and not in the image", async () => {
    const url = `http://${PYPI}/simple/${pkg.replace(/_/g, '-')}/?dockerfile=${run}`;
    writeFileSync(join(context, 'Dockerfile.proxy'), `FROM busybox:latest\nRUN wget -q -O /page '${url}' && grep -c ${pkg} /page\n`);
    const image = Image.fromDockerfile(join(context, 'Dockerfile.proxy'), { context, buildArgs: { HTTP_PROXY: proxyA.url } });
    const tag = `kiln-it/proxy-dockerfile:${run}`;
    created.push(tag);
    await buildImage(client, image, { tags: [tag], context });
    expect(proxyA.requests).toContain(`GET ${url}`);
    expect(await proxyTraces(tag)).toBe('');
  });

  it('ALL_PROXY reaches the steps on BuildKit v0.9+; where the daemon cannot pass it (v0.8) a note says so', async () => {
    const range = buildkitRange(await client.info());
    const notes: string[] = [];
    const image = Image.fromRegistry('busybox:latest').runCommands(`echo ${run}-all; env | grep '^[Aa][Ll][Ll]_[Pp][Rr][Oo][Xx][Yy]=' | sort > /seen-all; true`);
    const tag = `kiln-it/proxy-all:${run}`;
    created.push(tag);
    await buildImage(client, image, {
      tags: [tag],
      context,
      proxy: { allProxy: 'socks5://socks.corp:1080' },
      onStatus: (e) => {
        for (const v of e.vertexes) if (v.name === '[kiln] proxies') notes.push(...e.warnings.map((w) => w.short));
      },
    });
    const seen = (await dockerCli(['run', '--rm', '--network', 'none', tag, 'cat', '/seen-all'])).stdout;
    if (range.max !== undefined && range.max < 9) {
      expect(seen).toBe('');
      expect(notes).toEqual([expect.stringContaining('ALL_PROXY is not passed to the steps')]);
    } else {
      expect(seen).toBe('ALL_PROXY=socks5://socks.corp:1080\nall_proxy=socks5://socks.corp:1080\n');
      expect(notes).toEqual([]);
    }
    expect(await proxyTraces(tag)).toBe('');
  });

  it("a Dockerfile's ALL_PROXY build arg gets the same note where the daemon cannot pass it (v0.8), and reaches its RUN elsewhere", async () => {
    const range = buildkitRange(await client.info());
    const notes: string[] = [];
    writeFileSync(join(context, 'Dockerfile.all'), `FROM busybox:latest\nRUN echo ${run}-df-all; env | grep '^[Aa][Ll][Ll]_[Pp][Rr][Oo][Xx][Yy]=' | sort > /seen-all; true\n`);
    const image = Image.fromDockerfile(join(context, 'Dockerfile.all'), { context, buildArgs: { ALL_PROXY: 'socks5://socks.corp:1080' } });
    const tag = `kiln-it/proxy-dockerfile-all:${run}`;
    created.push(tag);
    await buildImage(client, image, {
      tags: [tag],
      context,
      onStatus: (e) => {
        for (const v of e.vertexes) if (v.name === '[kiln] proxies') notes.push(...e.warnings.map((w) => w.short));
      },
    });
    const seen = (await dockerCli(['run', '--rm', '--network', 'none', tag, 'cat', '/seen-all'])).stdout;
    if (range.max !== undefined && range.max < 9) {
      expect(seen).toBe('');
      expect(notes).toEqual([expect.stringContaining('ALL_PROXY is not passed to the steps')]);
    } else {
      expect(seen).toBe('ALL_PROXY=socks5://socks.corp:1080\nall_proxy=socks5://socks.corp:1080\n');
      expect(notes).toEqual([]);
    }
  });
});

describe('kiln build behind a proxy', () => {
  it("takes Docker config.json's proxies, and --build-arg HTTP_PROXY=… over them; another address rebuilds nothing", async () => {
    const project = mkdtempSync(join(context, 'cli-'));
    const dockerConfig = join(project, 'docker-config');
    const url = `http://${PYPI}/simple/${pkg.replace(/_/g, '-')}/?cli=${run}`;
    writeFileSync(
      join(project, 'image.ts'),
      `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest').runCommands(${JSON.stringify(`wget -q -O /page '${url}' && grep -c ${pkg} /page`)});\n`,
    );
    mkdirSync(dockerConfig);
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ proxies: { default: { httpProxy: proxyA.url, noProxy: 'localhost' } } }));
    const cli = { cwd: project, env: { DOCKER_CONFIG: dockerConfig } };
    const first = await runKiln(['build', 'image.ts', '--progress', 'plain', '--output', 'type=local,dest=out'], cli);
    expect(first.stderr).not.toContain('error');
    expect(first.code).toBe(0);
    expect(proxyA.requests).toContain(`GET ${url}`);
    expect(readFileSync(join(project, 'out', 'page'), 'utf8')).toContain(pkg);

    const before = proxyB.requests.length;
    const second = await runKiln(['build', 'image.ts', '--progress', 'plain', '--build-arg', `HTTP_PROXY=${proxyB.url}`, '--output', 'type=local,dest=out2'], cli);
    expect(second.code).toBe(0);
    expect(proxyB.requests.length).toBe(before);
    expect(second.stderr).toMatch(/wget -q -O \/page[^\n]*\n[^\n]*CACHED/);
  });

  it("kiln build <git-url> --build-arg HTTP_PROXY=…: the repository's Dockerfile RUNs through it, and the image keeps none", async () => {
    const work = mkdtempSync(join(context, 'git-'));
    const repo = join(work, 'repo');
    const url = `http://${PYPI}/simple/${pkg.replace(/_/g, '-')}/?git=${run}`;
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    writeFileSync(join(repo, 'Dockerfile'), `FROM busybox:latest\nRUN wget -q -O /page '${url}' && grep -c ${pkg} /page\n`);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'proxied');
    mkdirSync(join(work, 'srv'));
    publishRepository(repo, join(work, 'srv', 'repo.git'));
    const server = await serveFiles(join(work, 'srv'), 'unused');
    try {
      const tag = `kiln-it/proxy-git:${run}`;
      created.push(tag);
      const r = await runKiln(['build', `${serverBase(server)}/repo.git`, '--build-arg', `HTTP_PROXY=${proxyA.url}`, '-t', tag, '--progress', 'plain'], { cwd: work, env: { DOCKER_CONFIG: join(work, 'no-docker-config') } });
      expect(r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
      expect(proxyA.requests).toContain(`GET ${url}`);
      expect(await proxyTraces(tag)).toBe('');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
