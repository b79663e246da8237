/**
 * Proxies for a build's steps, as docker build passes them: read from proxy build args and from Docker's
 * `config.json` `proxies`, put into every RUN step's `proxy_env` (installs,
 * downloads, clones and a Dockerfile's RUNs included) and nowhere else: not the step's `env`, the image config,
 * `image.digest()` or `toDockerfile()`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { Image, compileImage, dockerConfigProxy, proxyFromBuildArgs, readDockerProxyConfig } from '../../src/image/index.js';
import { parseDockerConfig } from '../../src/session/docker-config.js';
import { DOCKERD_20_10_CAPS, execs } from '../fixtures/image/helpers.js';

const PROXY = { httpProxy: 'http://proxy.corp:3128', httpsProxy: 'http://proxy.corp:3128', noProxy: 'localhost,.corp' };

let dir = '';
let previousCwd = '';

beforeAll(() => {
  previousCwd = process.cwd();
  dir = mkdtempSync(join(tmpdir(), 'kiln-build-proxy-'));
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(previousCwd);
  rmSync(dir, { recursive: true, force: true });
});

function thrown(f: () => unknown): KilnError {
  try {
    f();
  } catch (err) {
    if (err instanceof KilnError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('proxy build args', () => {
  it('takes the five predefined names in any case, and nothing else', () => {
    expect(proxyFromBuildArgs({ http_proxy: 'h', HTTPS_PROXY: 's', Ftp_Proxy: 'f', NO_PROXY: 'n', all_proxy: 'a', VERSION: '1' })).toEqual({
      httpProxy: 'h',
      httpsProxy: 's',
      ftpProxy: 'f',
      noProxy: 'n',
      allProxy: 'a',
    });
    expect(proxyFromBuildArgs({ VERSION: '1', PROXY: 'x' })).toBeUndefined();
  });

  it('of both spellings of a name, the upper-case one wins whatever their order', () => {
    expect(proxyFromBuildArgs({ http_proxy: 'lower', HTTP_PROXY: 'upper' })).toEqual({ httpProxy: 'upper' });
    expect(proxyFromBuildArgs({ HTTP_PROXY: 'upper', http_proxy: 'lower' })).toEqual({ httpProxy: 'upper' });
  });

});

describe("Docker config.json's proxies", () => {
  const config = JSON.stringify({
    auths: {},
    proxies: {
      default: { httpProxy: 'http://default:3128', noProxy: 'localhost' },
      'tcp://build.corp:2376': { httpsProxy: 'http://remote:3128' },
    },
  });

  it("the daemon host's entry replaces the default one whole, as the docker CLI picks it", () => {
    const parsed = parseDockerConfig(config, 'config.json');
    expect(dockerConfigProxy(parsed, 'tcp://build.corp:2376')).toEqual({ httpsProxy: 'http://remote:3128' });
    expect(dockerConfigProxy(parsed, 'unix:///var/run/docker.sock')).toEqual({ httpProxy: 'http://default:3128', noProxy: 'localhost' });
    expect(dockerConfigProxy(parsed, undefined)).toEqual({ httpProxy: 'http://default:3128', noProxy: 'localhost' });
    expect(dockerConfigProxy(parseDockerConfig('{"auths":{}}', 'config.json'), undefined)).toBeUndefined();
    expect(dockerConfigProxy(parseDockerConfig('', 'config.json'), undefined)).toBeUndefined();
  });

  it('a proxies entry of the wrong shape is refused naming the file, not ignored', () => {
    const bad = thrown(() => parseDockerConfig('{"proxies":{"default":{"httpProxy":3128}}}', '/home/u/.docker/config.json'));
    expect(bad.code).toBe('invalid_argument');
    expect(bad.message).toContain('/home/u/.docker/config.json');
    expect(bad.message).toContain('proxies["default"].httpProxy');
    expect(thrown(() => parseDockerConfig('{"proxies":[]}', 'c')).code).toBe('invalid_argument');
  });

  it('the config is read once for credentials and proxies: a broken one says where, whichever part is broken', () => {
    writeFileSync(join(dir, 'config.json'), '{"auths": {}, "proxies": {"default": {"httpProxy": "http://p:3128"}},}');
    const bad = thrown(() => readDockerProxyConfig(dir, undefined));
    expect(bad.code).toBe('invalid_argument');
    expect(bad.message).toMatch(/not valid JSON.*(line|position)/);
    writeFileSync(join(dir, 'config.json'), config);
    expect(readDockerProxyConfig(dir, 'tcp://build.corp:2376')).toEqual({ httpsProxy: 'http://remote:3128' });
  });

  it('a missing config is no proxies', () => {
    expect(readDockerProxyConfig(join(dir, 'no-such-dir'), undefined)).toBeUndefined();
  });

});

describe('proxies in the compiled steps', () => {
  const image = Image.debianSlim()
    .aptInstall('curl')
    .pipInstall('numpy')
    .uvPipInstall('requests')
    .runCommands('echo hi')
    .env({ APP: '1' });

  it('every RUN step gets them in proxy_env, not in its env; the image config has none', () => {
    const c = compileImage(image, { caps: DOCKERD_20_10_CAPS, proxy: PROXY });
    const runs = execs(c.definition);
    expect(runs.length).toBeGreaterThanOrEqual(4);
    for (const e of runs) {
      expect(e.exec.meta?.proxyEnv).toEqual({ ...PROXY, ftpProxy: '', allProxy: '' });
      expect(e.env.filter((v) => /proxy/i.test(v))).toEqual([]);
    }
    expect(JSON.stringify(c.config)).not.toMatch(/proxy/i);
  });

  it('withPython downloads, micromamba installs and pipInstallPrivateRepos clones get them too', () => {
    const c = compileImage(
      Image.debianSlim().withPython('3.11.9').pipInstallPrivateRepos('github.com/org/lib@v1', { gitUser: 'me', secrets: ['GITHUB_TOKEN'] }),
      { caps: DOCKERD_20_10_CAPS, proxy: PROXY },
    );
    const m = compileImage(Image.micromamba().micromambaInstall('numpy'), { caps: DOCKERD_20_10_CAPS, proxy: PROXY });
    for (const e of [...execs(c.definition), ...execs(m.definition)]) expect(e.exec.meta?.proxyEnv?.httpProxy).toBe(PROXY.httpProxy);
  });

  it('without proxies the steps carry no proxy_env (the definition is as before)', () => {
    for (const e of execs(compileImage(image, { caps: DOCKERD_20_10_CAPS }).definition)) expect(e.exec.meta?.proxyEnv).toBeUndefined();
    expect(compileImage(image, { caps: DOCKERD_20_10_CAPS, proxy: {} }).definition.digest()).toBe(compileImage(image, { caps: DOCKERD_20_10_CAPS }).definition.digest());
  });

  it('image.digest() and toDockerfile() do not depend on proxies', () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN apt-get update\n');
    const plain = Image.fromDockerfile('Dockerfile');
    const proxied = Image.fromDockerfile('Dockerfile', { buildArgs: { HTTP_PROXY: 'http://p:3128' } });
    expect(proxied.digest()).toBe(plain.digest());
    expect(proxied.toDockerfile()).toBe(plain.toDockerfile());
    expect(proxied.toDockerfile()).not.toContain('p:3128');
  });

  it("a Dockerfile's proxy build args reach its RUNs undeclared (as docker build passes them) and win over the build's", () => {
    writeFileSync(join(dir, 'Dockerfile.args'), 'FROM debian:bookworm-slim\nARG VERSION\nRUN echo $VERSION\nARG https_proxy\nRUN echo declared\n');
    const c = compileImage(Image.fromDockerfile('Dockerfile.args', { buildArgs: { VERSION: '1', HTTP_PROXY: 'http://dockerfile:3128', https_proxy: 'http://s:3128' } }), {
      caps: DOCKERD_20_10_CAPS,
      proxy: { httpProxy: 'http://build:3128', noProxy: 'localhost' },
    });
    const [first, second] = execs(c.definition);
    expect(first?.exec.meta?.proxyEnv).toEqual({ httpProxy: 'http://dockerfile:3128', httpsProxy: 'http://s:3128', ftpProxy: '', noProxy: 'localhost', allProxy: '' });
    expect(first?.env).toContain('VERSION=1');
    expect(first?.env.filter((v) => /proxy/i.test(v))).toEqual([]);
    // Declared with ARG, it is a build arg like any other as well: in the RUN's env, as in docker build.
    expect(second?.env).toContain('https_proxy=http://s:3128');
    expect(JSON.stringify(c.config)).not.toMatch(/proxy/i);
  });
});
