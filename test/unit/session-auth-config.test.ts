import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DOCKER_HUB_CONFIG_KEY,
  dockerConfigDir,
  helperServerUrl,
  lookupCredentialSource,
  parseDockerConfig,
  readDockerConfig,
  registryHost,
} from '../../src/session/docker-config.js';
import { thrown } from '../fixtures/thrown.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/docker-config');


describe('registryHost', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['registry.hub.docker.com', 'docker.io'],
    ['https://registry-1.docker.io/v2/', 'docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['http://localhost:5000', 'localhost:5000'],
    ['https://full.example.com/v1/', 'full.example.com'],
    ['Mixed.Example.COM:8443', 'mixed.example.com:8443'],
    ['  quay.io  ', 'quay.io'],
    ['[::1]:5000', '[::1]:5000'],
  ])('%s → %s', (input, expected) => {
    expect(registryHost(input)).toBe(expected);
  });

  it('asks credential helpers about Docker Hub by its login key and about others by host[:port]', () => {
    expect(helperServerUrl('registry-1.docker.io')).toBe(DOCKER_HUB_CONFIG_KEY);
    expect(helperServerUrl('ghcr.io')).toBe('ghcr.io');
    expect(helperServerUrl('https://localhost:5000/v2/')).toBe('localhost:5000');
  });
});

describe('dockerConfigDir', () => {
  it('uses $DOCKER_CONFIG, else ~/.docker', () => {
    expect(dockerConfigDir({ DOCKER_CONFIG: '/etc/kiln-docker', HOME: '/home/u' })).toBe('/etc/kiln-docker');
    expect(dockerConfigDir({ HOME: '/home/u' })).toBe('/home/u/.docker');
    expect(dockerConfigDir({ DOCKER_CONFIG: '', HOME: '/home/u' })).toBe('/home/u/.docker');
  });

  it('on Windows, ~ is USERPROFILE as for the docker CLI there, not the HOME Git Bash or MSYS set', () => {
    expect(dockerConfigDir({ HOME: '/c/Users/u', USERPROFILE: '/users/u' }, 'win32')).toBe('/users/u/.docker');
    expect(dockerConfigDir({ HOME: '/c/Users/u', USERPROFILE: '/users/u', DOCKER_CONFIG: '/etc/d' }, 'win32')).toBe('/etc/d');
    expect(dockerConfigDir({ HOME: '/home/u', USERPROFILE: '/users/u' }, 'linux')).toBe('/home/u/.docker');
  });
});

describe('lookupCredentialSource with inline auths', () => {
  const config = readDockerConfig(join(FIXTURES, 'inline'));
  const inline = (username: string, secret: string) => ({ kind: 'inline', credential: { username, secret } });

  it('answers Docker Hub, asked as registry-1.docker.io, from the https://index.docker.io/v1/ key', () => {
    // The password itself contains a colon: only the first one separates user from password.
    expect(lookupCredentialSource(config, 'registry-1.docker.io')).toEqual(inline('hubuser', 'hub-pass:with-colon'));
    expect(lookupCredentialSource(config, 'docker.io')).toEqual(inline('hubuser', 'hub-pass:with-colon'));
  });

  it('matches host:port, http:// and full-URL keys to the bare host the daemon asks for', () => {
    expect(lookupCredentialSource(config, 'localhost:5000')).toEqual(inline('local', 'local-pass'));
    expect(lookupCredentialSource(config, 'insecure.example.com')).toEqual(inline('insecure', 'insecure-pass'));
    expect(lookupCredentialSource(config, 'full.example.com')).toEqual(inline('full', 'full-pass'));
    expect(lookupCredentialSource(config, 'mixed.example.com:8443')).toEqual(inline('mixed', 'mixed-pass'));
  });

  it('answers an identity token with an empty user name', () => {
    expect(lookupCredentialSource(config, 'quay.io')).toEqual(inline('', 'quay-identity-token'));
  });

  it('is anonymous for other hosts, other ports and entries without credentials', () => {
    expect(lookupCredentialSource(config, 'ghcr.io')).toEqual({ kind: 'anonymous' });
    expect(lookupCredentialSource(config, 'localhost:5001')).toEqual({ kind: 'anonymous' });
    expect(lookupCredentialSource(config, 'localhost')).toEqual({ kind: 'anonymous' });
    expect(lookupCredentialSource(config, 'empty.example.com')).toEqual({ kind: 'anonymous' });
    expect(lookupCredentialSource(config, 'example.com')).toEqual({ kind: 'anonymous' });
  });

  it('prefers the exact Docker key over another key naming the same host', () => {
    const both = parseDockerConfig(
      JSON.stringify({
        auths: {
          'docker.io': { username: 'alias', password: 'alias-pass' },
          [DOCKER_HUB_CONFIG_KEY]: { username: 'exact', password: 'exact-pass' },
        },
      }),
      'mem.json',
    );
    expect(lookupCredentialSource(both, 'registry-1.docker.io')).toEqual(inline('exact', 'exact-pass'));
    const aliasOnly = parseDockerConfig(JSON.stringify({ auths: { 'index.docker.io': { username: 'a', password: 'b' } } }), 'mem.json');
    expect(lookupCredentialSource(aliasOnly, 'registry-1.docker.io')).toEqual(inline('a', 'b'));
  });
});

describe('lookupCredentialSource with credential helpers', () => {
  const config = readDockerConfig(join(FIXTURES, 'helpers'));

  it('uses the per-registry helper first, matching URL keys by host', () => {
    expect(lookupCredentialSource(config, 'ghcr.io')).toMatchObject({ kind: 'helper', helper: 'fakehost', serverUrl: 'ghcr.io' });
    expect(lookupCredentialSource(config, 'registry.gitlab.com')).toMatchObject({
      kind: 'helper',
      helper: 'fakehost',
      serverUrl: 'registry.gitlab.com',
      setting: 'credHelpers["https://registry.gitlab.com"]',
    });
  });

  it('falls back to the credential store, which is authoritative over inline auths', () => {
    expect(lookupCredentialSource(config, 'registry-1.docker.io')).toEqual({
      kind: 'helper',
      helper: 'fake',
      serverUrl: DOCKER_HUB_CONFIG_KEY,
      setting: 'credsStore',
    });
    expect(lookupCredentialSource(config, 'inline.example.com')).toMatchObject({ kind: 'helper', helper: 'fake' });
  });
});

describe('parseDockerConfig', () => {
  it('treats an empty file as an empty config and ignores unrelated settings', () => {
    expect(parseDockerConfig('  \n', '/x/config.json')).toMatchObject({ file: '/x/config.json', auths: [], credHelpers: [] });
    const config = parseDockerConfig('{"psFormat":"x","auths":{"a.io":{"email":"me@example.com"}}}', 'c.json');
    expect(lookupCredentialSource(config, 'a.io')).toEqual({ kind: 'anonymous' });
  });

  it('rejects broken JSON naming the file and a position, never quoting its contents', () => {
    const file = join(FIXTURES, 'broken', 'config.json');
    const err = thrown(() => readDockerConfig(join(FIXTURES, 'broken')));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).not.toContain('c2VjcmV0');
    expect(err.message).not.toContain('top-secret');
  });

  it('rejects an auth field that is not base64 user:password, naming the entry but not the value', () => {
    const err = thrown(() => readDockerConfig(join(FIXTURES, 'bad-auth')));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe(`Docker config ${join(FIXTURES, 'bad-auth', 'config.json')}: auths["ghcr.io"].auth does not decode to base64 "user:password"`);
    expect(err.hint).toMatch(/docker login/);
  });

  it.each([
    ['[]', 'is not a JSON object'],
    ['{"auths": []}', '"auths" is not an object'],
    ['{"auths": {"a.io": "x"}}', 'auths["a.io"] is not an object'],
    ['{"auths": {"a.io": {"password": 5}}}', 'auths["a.io"].password is not a string'],
    ['{"credsStore": 1}', '"credsStore" is not a string'],
    ['{"credsStore": "../../bin/sh"}', 'credsStore" names credential helper "../../bin/sh", which is not a valid helper name'],
    ['{"credHelpers": {"a.io": "x y"}}', 'credHelpers["a.io"] names credential helper "x y"'],
    ['{"credHelpers": {"a.io": true}}', 'credHelpers["a.io"] is not a string'],
  ])('rejects %s', (text, message) => {
    const err = thrown(() => parseDockerConfig(text, '/home/u/.docker/config.json'));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain('/home/u/.docker/config.json');
    expect(err.message).toContain(message);
  });

  describe('reading from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-docker-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('treats a missing file or directory as no credentials', () => {
      expect(readDockerConfig(join(dir, 'nope')).auths).toEqual([]);
      expect(readDockerConfig(dir).file).toBe(join(dir, 'config.json'));
    });

    it('reads config.json from the directory', () => {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { 'r.example.com': { username: 'u', password: 'p' } } }));
      expect(lookupCredentialSource(readDockerConfig(dir), 'r.example.com')).toEqual({ kind: 'inline', credential: { username: 'u', secret: 'p' } });
    });
  });
});
