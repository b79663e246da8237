/**
 * kiln build's proxies, as the docker CLI passes them to a build: `--build-arg` with a proxy name (`NAME` alone takes
 * the variable), else the `proxies` of Docker's `config.json` for the daemon's address; the CLI's own `HTTP_PROXY`
 * only when named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { cliBuildProxy, dockerProxyHostKey, parseBuildArgFlags } from '../../src/cli/build-arg-flag.js';
import { resolveAddress } from '../../src/client/address.js';

const config = JSON.stringify({
  auths: {},
  proxies: {
    default: { httpProxy: 'http://default:3128', noProxy: 'localhost' },
    'tcp://build.corp:2376': { httpsProxy: 'http://remote:3128' },
  },
});

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-cli-build-proxy-'));
});

afterAll(() => {
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

describe('kiln build --build-arg and the Docker config proxies', () => {
  it('--build-arg NAME alone takes the variable NAME, left out when unset, as docker build does', () => {
    expect(parseBuildArgFlags(['HTTP_PROXY', 'NO_PROXY', 'https_proxy=http://s:1'], { HTTP_PROXY: 'http://env:3128' })).toEqual({ HTTP_PROXY: 'http://env:3128', https_proxy: 'http://s:1' });
    expect(thrown(() => parseBuildArgFlags(['=x'], {})).code).toBe('invalid_argument');
  });

  it("kiln build: --build-arg proxies first, the config's for the fields they leave unset; the CLI's own HTTP_PROXY only when named", () => {
    writeFileSync(join(dir, 'config.json'), config);
    const env = { DOCKER_CONFIG: dir, HTTP_PROXY: 'http://client-side:3128' };
    expect(cliBuildProxy({}, env, 'unix:///var/run/docker.sock')).toEqual({ httpProxy: 'http://default:3128', noProxy: 'localhost' });
    expect(cliBuildProxy({ HTTP_PROXY: 'http://flag:3128', VERSION: '1' }, env, 'unix:///var/run/docker.sock')).toEqual({ httpProxy: 'http://flag:3128', noProxy: 'localhost' });
    expect(cliBuildProxy(parseBuildArgFlags(['HTTP_PROXY'], env), env, 'tcp://build.corp:2376')).toEqual({ httpProxy: 'http://client-side:3128', httpsProxy: 'http://remote:3128' });
  });

  it("the config's proxies entry is the Docker daemon's, as buildx keys it, whatever daemon the build goes to", () => {
    const env = { DOCKER_CONFIG: dir };
    const docker = resolveAddress({ explicit: 'docker://unix:///srv/docker.sock', env });
    expect(dockerProxyHostKey(docker, env)).toBe('unix:///srv/docker.sock');
    // A buildkitd: the Docker the docker CLI would talk to (DOCKER_HOST, else the default socket), not the buildkitd.
    const buildkitd = resolveAddress({ explicit: 'tcp://127.0.0.1:1234', env });
    expect(dockerProxyHostKey(buildkitd, { ...env, DOCKER_HOST: 'tcp://build.corp:2376' })).toBe('tcp://build.corp:2376');
    expect(dockerProxyHostKey(buildkitd, env)).toBe('unix:///var/run/docker.sock');
    // A buildx builder container on another Docker: that Docker.
    const container = resolveAddress({ explicit: 'docker-container://builder', env: { ...env, DOCKER_HOST: 'tcp://build.corp:2376' } });
    expect(dockerProxyHostKey(container, { ...env, DOCKER_HOST: 'tcp://build.corp:2376' })).toBe('tcp://build.corp:2376');
    // A docker context that cannot be read: the default entry, not a failed build.
    expect(dockerProxyHostKey(buildkitd, { ...env, DOCKER_CONTEXT: 'no-such-context' })).toBeUndefined();
  });
});
