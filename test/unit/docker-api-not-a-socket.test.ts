/**
 * The Docker API (`--load`, `kiln doctor`'s docker api check) at a unix:// path that is a regular file or a directory:
 * Linux refuses such a connection as it refuses one to a socket nobody listens on (ECONNREFUSED), but the fix is the
 * path, not starting Docker — the same words kiln's BuildKit connection uses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerEndpointFromEnv, dockerRequest } from '../../src/client/docker-api.js';
import { runDoctor } from '../../src/client/doctor.js';
import { KilnError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-docker-not-a-socket-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'docker.sock');
writeFileSync(file, 'not a socket');
const directory = join(dir, 'docker-dir');
mkdirSync(directory);

describe('the Docker API at a path that is not a socket', () => {
  it('says "is not a socket (it is a regular file / a directory)" and to fix the path, not to start Docker', async () => {
    for (const [path, what] of [
      [file, 'a regular file'],
      [directory, 'a directory'],
    ] as const) {
      const ep = dockerEndpointFromEnv({ DOCKER_HOST: `unix://${path}` }, () => undefined);
      const err = await dockerRequest(ep, { method: 'GET', path: '/_ping' }).catch((e: unknown) => e);
      expect(KilnError.is(err, 'unavailable')).toBe(true);
      expect((err as KilnError).message).toBe(`cannot reach the Docker daemon at unix://${path}: ${path} is not a socket (it is ${what})`);
      expect((err as KilnError).details.path).toBe(path);
      expect((err as KilnError).hint).toMatch(/^A unix:\/\/ Docker host names dockerd's socket: fix the path/);
      expect((err as KilnError).hint).not.toMatch(/Start Docker/);
    }
  });

  it('a socket path that runs through a regular file says which file, and to fix the path', async () => {
    const through = join(file, 'docker.sock');
    const ep = dockerEndpointFromEnv({ DOCKER_HOST: `unix://${through}` }, () => undefined);
    const err = await dockerRequest(ep, { method: 'GET', path: '/_ping' }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'unavailable')).toBe(true);
    expect((err as KilnError).message).toBe(`cannot reach the Docker daemon at unix://${through}: ${through} is not a socket (it is under ${file}, which is a regular file)`);
    expect((err as KilnError).hint).not.toMatch(/Start Docker/);
  });

  it('a socket path where nothing is stays "start Docker"', async () => {
    const ep = dockerEndpointFromEnv({ DOCKER_HOST: `unix://${join(dir, 'nothing.sock')}` }, () => undefined);
    const err = await dockerRequest(ep, { method: 'GET', path: '/_ping' }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'unavailable')).toBe(true);
    expect((err as KilnError).message).toMatch(/ENOENT/);
    expect((err as KilnError).hint).toBe('Start Docker or set DOCKER_HOST to where it listens.');
  });

  it('kiln doctor: the docker api check says the same and its fix is the path', async () => {
    const report = await runDoctor({ addressSource: '--addr', address: 'tcp://127.0.0.1:1', env: { DOCKER_CONFIG: join(dir, 'docker-config'), PATH: '', DOCKER_HOST: `unix://${file}` } });
    const api = report.checks.find((c) => c.name === 'docker api');
    expect(api?.detail).toBe(`unix://${file} (DOCKER_HOST) does not answer: cannot reach the Docker daemon at unix://${file}: ${file} is not a socket (it is a regular file)`);
    expect(api?.fix).toMatch(/^A unix:\/\/ Docker host names dockerd's socket: fix the path/);
  });
});
