import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress, resolveAddress } from '../../src/client/address.js';
import { KilnError } from '../../src/errors.js';

describe('parseAddress', () => {
  it.each([
    ['unix:///run/buildkit/buildkitd.sock', { kind: 'unix', path: '/run/buildkit/buildkitd.sock' }],
    ['tcp://127.0.0.1:1234', { kind: 'tcp', host: '127.0.0.1', port: 1234 }],
    ['tcp://[::1]:1234', { kind: 'tcp', host: '::1', port: 1234 }],
    ['docker://', { kind: 'docker', endpoint: { socketPath: '/var/run/docker.sock' } }],
    ['docker:///tmp/d.sock', { kind: 'docker', endpoint: { socketPath: '/tmp/d.sock' } }],
    ['docker://unix:///tmp/d.sock', { kind: 'docker', endpoint: { socketPath: '/tmp/d.sock' } }],
    ['docker://tcp://10.0.0.1:2375', { kind: 'docker', endpoint: { host: '10.0.0.1', port: 2375 } }],
    ['docker-container://buildx_buildkit_default', { kind: 'docker-container', container: 'buildx_buildkit_default' }],
  ])('parses %s', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it('round-trips through formatAddress', () => {
    for (const t of ['unix:///a/b.sock', 'tcp://h:1', 'docker://unix:///x.sock', 'docker-container://c1']) {
      expect(formatAddress(parseAddress(t))).toBe(t);
    }
  });

  it.each([
    ['', /empty/],
    ['unix://relative.sock', /must be absolute/],
    ['tcp://host', /host:port/],
    ['tcp://host:70000', /out of range/],
    ['http://x:1', /unknown scheme/],
    ['/run/buildkit/buildkitd.sock', /needs a scheme \(did you mean unix:\/\/\/run\/buildkit\/buildkitd\.sock\)/],
    ['/var/run/docker.sock', /did you mean docker:\/\/unix:\/\/\/var\/run\/docker\.sock\)/],
    ['docker-container://', /container name/],
  ])('rejects %j with a message naming the problem', (text, why) => {
    let err: unknown;
    try {
      parseAddress(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).code).toBe('invalid_argument');
    expect((err as KilnError).message).toMatch(why);
    expect((err as KilnError).message).toMatch(/unix:\/\/\/path/);
  });
});

describe('resolveAddress', () => {
  const none = (): boolean => false;
  it('prefers an explicit address', () => {
    const r = resolveAddress({ explicit: 'tcp://a:1', env: { BUILDKIT_HOST: 'tcp://b:2' }, exists: none });
    expect(r).toMatchObject({ text: 'tcp://a:1', source: 'the address option' });
    expect(resolveAddress({ explicit: 'tcp://a:1', explicitSource: '--addr', env: {}, exists: none })).toMatchObject({ source: '--addr' });
  });
  it('then BUILDKIT_HOST', () => {
    expect(resolveAddress({ env: { BUILDKIT_HOST: 'tcp://b:2' }, exists: none })).toMatchObject({ text: 'tcp://b:2', source: 'BUILDKIT_HOST' });
  });
  it('then the standard buildkitd socket when it exists', () => {
    const r = resolveAddress({ env: {}, exists: (p) => p === '/run/buildkit/buildkitd.sock' });
    expect(r).toMatchObject({ text: 'unix:///run/buildkit/buildkitd.sock', source: 'default buildkitd socket' });
  });
  it('then DOCKER_HOST', () => {
    const r = resolveAddress({ env: { DOCKER_HOST: 'unix:///tmp/docker.sock' }, exists: none });
    expect(r).toMatchObject({ text: 'docker://unix:///tmp/docker.sock', source: 'Docker daemon (DOCKER_HOST)' });
  });
  it('then the default Docker socket', () => {
    expect(resolveAddress({ env: {}, exists: none })).toMatchObject({
      text: 'docker://unix:///var/run/docker.sock',
      source: 'Docker daemon (default socket)',
    });
  });
  it('a docker:// that names no socket is the Docker daemon DOCKER_HOST names (else the default socket), from --addr or BUILDKIT_HOST', () => {
    const env = { DOCKER_HOST: 'unix:///tmp/docker.sock' };
    expect(resolveAddress({ explicit: 'docker://', explicitSource: '--addr', env, exists: none })).toMatchObject({ text: 'docker://unix:///tmp/docker.sock', source: '--addr' });
    expect(resolveAddress({ env: { ...env, BUILDKIT_HOST: 'docker://' }, exists: none })).toMatchObject({ text: 'docker://unix:///tmp/docker.sock', source: 'BUILDKIT_HOST' });
    expect(resolveAddress({ explicit: 'docker://', env: {}, exists: none })).toMatchObject({ text: 'docker://unix:///var/run/docker.sock' });
    // A socket given with it wins.
    expect(resolveAddress({ explicit: 'docker://unix:///other.sock', env, exists: none })).toMatchObject({ text: 'docker://unix:///other.sock' });
  });
  it('names where an invalid address came from', () => {
    const failure = (o: Parameters<typeof resolveAddress>[0]): KilnError => {
      try {
        resolveAddress(o);
      } catch (err) {
        if (err instanceof KilnError) return err;
      }
      throw new Error('expected a KilnError');
    };
    const env = failure({ env: { BUILDKIT_HOST: 'buildkitd:1234' }, exists: none });
    expect(env.code).toBe('invalid_argument');
    expect(env.message).toMatch(/^BUILDKIT_HOST: daemon address "buildkitd:1234" is invalid: unknown scheme/);
    expect(env.hint).toContain('Fix BUILDKIT_HOST');
    expect(env.details['addressSource']).toBe('BUILDKIT_HOST');
    expect(failure({ explicit: 'unix://rel.sock', env: {}, exists: none }).message).toMatch(/^the address option: daemon address "unix:\/\/rel\.sock" is invalid/);
    expect(failure({ env: { DOCKER_HOST: 'unix://rel.sock' }, exists: none }).message).toMatch(/^DOCKER_HOST="unix:\/\/rel\.sock": /);
  });
  it('rejects an unsupported DOCKER_HOST with a hint', () => {
    // npipe:// is Docker Desktop's pipe, reached since Windows support; fd:// (a dockerd's socket activation) is not a client's.
    let caught: unknown;
    try {
      resolveAddress({ env: { DOCKER_HOST: 'fd://' }, exists: none });
    } catch (err) {
      caught = err;
    }
    expect(KilnError.is(caught, 'invalid_argument')).toBe(true);
    expect((caught as KilnError).message).toMatch(/^DOCKER_HOST="fd:\/\/" is not supported/);
    expect((caught as KilnError).hint).toContain('DOCKER_HOST=unix:///path/to/docker.sock');
    expect(resolveAddress({ env: { DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, exists: none }).text).toBe('docker://npipe:////./pipe/docker_engine');
  });

  it('reaches DOCKER_HOST=ssh://… as the docker CLI does (docker system dial-stdio over ssh)', () => {
    const r = resolveAddress({ env: { DOCKER_HOST: 'ssh://me@host:2222/var/run/docker.sock' }, exists: none });
    expect(r.address).toEqual({ kind: 'docker', endpoint: { ssh: { user: 'me', host: 'host', port: 2222, path: '/var/run/docker.sock' } } });
    expect(r.text).toBe('docker://ssh://me@host:2222/var/run/docker.sock');
    expect(parseAddress('docker://ssh://build-box')).toEqual({ kind: 'docker', endpoint: { ssh: { user: undefined, host: 'build-box', port: undefined, path: undefined } } });
    expect(() => resolveAddress({ env: { DOCKER_HOST: 'ssh://me:pw@host' }, exists: none })).toThrow(/DOCKER_HOST="ssh:\/\/me:pw@host".*password/);
  });
});
