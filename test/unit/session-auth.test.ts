import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { moby } from '../../src/proto/generated.js';
import { AuthService } from '../../src/proto/services.js';
import { authService, credentialsGiven, type AuthServiceOptions } from '../../src/session/auth-service.js';
import { runCredentialHelper } from '../../src/session/credential-helper.js';
import { SessionHarness, serviceError } from '../support/session-harness.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/docker-config');
const fs = moby.filesync.v1;

type Harness = SessionHarness;

/** `Credentials` as the daemon calls it. */
function askCredentials(h: Harness, host: string): Promise<{ Username: string; Secret: string }> {
  return h.unary(AuthService.Credentials.path, fs.CredentialsRequest.encode({ Host: host }).finish(), (b) => {
    const r = fs.CredentialsResponse.decode(b);
    return { Username: r.Username, Secret: r.Secret };
  });
}

async function withService<T>(options: AuthServiceOptions, fn: (h: Harness) => Promise<T>): Promise<T> {
  const h = await SessionHarness.start(authService(options));
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

describe('authService with inline Docker config credentials', () => {
  const options: AuthServiceOptions = { configDir: join(FIXTURES, 'inline') };

  it('answers Docker Hub (asked as registry-1.docker.io) from the https://index.docker.io/v1/ entry', async () => {
    await withService(options, async (h) => {
      expect(await askCredentials(h, 'registry-1.docker.io')).toEqual({ Username: 'hubuser', Secret: 'hub-pass:with-colon' });
    });
  });

  it('answers each host only with its own credentials, and unknown hosts anonymously', async () => {
    await withService(options, async (h) => {
      expect(await askCredentials(h, 'localhost:5000')).toEqual({ Username: 'local', Secret: 'local-pass' });
      expect(await askCredentials(h, 'insecure.example.com')).toEqual({ Username: 'insecure', Secret: 'insecure-pass' });
      expect(await askCredentials(h, 'quay.io')).toEqual({ Username: '', Secret: 'quay-identity-token' });
      expect(await askCredentials(h, 'localhost:5001')).toEqual({ Username: '', Secret: '' });
      expect(await askCredentials(h, 'ghcr.io')).toEqual({ Username: '', Secret: '' });
      expect(await askCredentials(h, '')).toEqual({ Username: '', Secret: '' });
    });
  });

  it('reads $DOCKER_CONFIG when no directory is given', async () => {
    await withService({ env: { DOCKER_CONFIG: join(FIXTURES, 'inline'), PATH: process.env['PATH'] } }, async (h) => {
      expect(await askCredentials(h, 'localhost:5000')).toEqual({ Username: 'local', Secret: 'local-pass' });
    });
  });

  it('lets in-memory credentials override the config, keyed by any Docker key form', async () => {
    const credentials = {
      'https://index.docker.io/v1/': { username: 'mem-hub', password: 'mem-hub-pass' },
      'ghcr.io': { identityToken: 'mem-ghcr-token' },
    };
    await withService({ ...options, credentials }, async (h) => {
      expect(await askCredentials(h, 'registry-1.docker.io')).toEqual({ Username: 'mem-hub', Secret: 'mem-hub-pass' });
      expect(await askCredentials(h, 'ghcr.io')).toEqual({ Username: '', Secret: 'mem-ghcr-token' });
      expect(await askCredentials(h, 'localhost:5000')).toEqual({ Username: 'local', Secret: 'local-pass' });
    });
    await withService({ configDir: false, credentials }, async (h) => {
      expect(await askCredentials(h, 'localhost:5000')).toEqual({ Username: '', Secret: '' });
      expect(await askCredentials(h, 'docker.io')).toEqual({ Username: 'mem-hub', Secret: 'mem-hub-pass' });
    });
  });

  it('reports each host it shares credentials for once, by name only', async () => {
    const shared: unknown[][] = [];
    await withService({ ...options, onCredentialsShared: (...args: unknown[]) => shared.push(args) }, async (h) => {
      await askCredentials(h, 'registry-1.docker.io');
      await askCredentials(h, 'registry-1.docker.io');
      await askCredentials(h, 'ghcr.io');
      await askCredentials(h, 'localhost:5000');
    });
    expect(shared).toEqual([['docker.io'], ['localhost:5000']]);
  });

  it('records the registries it gave the daemon credentials for, so a failure there can say they were sent', async () => {
    const service = authService(options);
    const h = await SessionHarness.start(service);
    try {
      expect(credentialsGiven([service], 'localhost:5000')).toBe(false);
      await askCredentials(h, 'localhost:5000');
      await askCredentials(h, 'registry-1.docker.io');
      await askCredentials(h, 'ghcr.io');
    } finally {
      await h.close();
    }
    expect(credentialsGiven([service], 'localhost:5000')).toBe(true);
    // Docker Hub under any of its names; a registry answered anonymously is not one kiln sent credentials for.
    expect(credentialsGiven([service], 'docker.io')).toBe(true);
    expect(credentialsGiven([service], 'ghcr.io')).toBe(false);
    // Only kiln's Auth services count, each for its own session.
    expect(credentialsGiven([authService(options)], 'localhost:5000')).toBe(false);
  });

  it('still answers when the sharing callback throws', async () => {
    const onCredentialsShared = (): void => {
      throw new Error('progress display broke');
    };
    await withService({ ...options, onCredentialsShared }, async (h) => {
      expect(await askCredentials(h, 'localhost:5000')).toEqual({ Username: 'local', Secret: 'local-pass' });
    });
  });

  it('answers UNIMPLEMENTED for the token-authority methods so the daemon fetches tokens itself', async () => {
    await withService(options, async (h) => {
      const authority = await serviceError(
        h.unary(AuthService.GetTokenAuthority.path, fs.GetTokenAuthorityRequest.encode({ Host: 'registry-1.docker.io', Salt: Buffer.from('salt') }).finish(), (b) => b),
      );
      expect(authority.code).toBe(status.UNIMPLEMENTED);
      const verify = await serviceError(
        h.unary(AuthService.VerifyTokenAuthority.path, fs.VerifyTokenAuthorityRequest.encode({ Host: 'registry-1.docker.io' }).finish(), (b) => b),
      );
      expect(verify.code).toBe(status.UNIMPLEMENTED);
      const token = await serviceError(
        h.unary(AuthService.FetchToken.path, fs.FetchTokenRequest.encode({ Host: 'registry-1.docker.io' }).finish(), (b) => b),
      );
      expect(token.code).toBe(status.UNIMPLEMENTED);
    });
  });
});

describe('authService with a registrytoken in the Docker config', () => {
  let configDir = '';
  beforeAll(() => {
    configDir = mkdtempSync(join(tmpdir(), 'kiln-registry-token-'));
    // A registry token next to a login (used as is, no token service asked), and one alone.
    const auths = {
      'registry.example.com': { auth: Buffer.from('robot:robot-pass').toString('base64'), registrytoken: 'token-for-example' },
      'https://index.docker.io/v1/': { registrytoken: 'token-for-hub' },
    };
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths }));
  });
  afterAll(() => rmSync(configDir, { recursive: true, force: true }));

  const authority = (h: Harness, host: string): Promise<Uint8Array> =>
    h.unary(AuthService.GetTokenAuthority.path, fs.GetTokenAuthorityRequest.encode({ Host: host, Salt: Buffer.from('salt') }).finish(), (b) => fs.GetTokenAuthorityResponse.decode(b).PublicKey);
  const verify = (h: Harness, host: string, payload: Buffer): Promise<Uint8Array> =>
    h.unary(AuthService.VerifyTokenAuthority.path, fs.VerifyTokenAuthorityRequest.encode({ Host: host, Payload: payload, Salt: Buffer.from('salt') }).finish(), (b) => fs.VerifyTokenAuthorityResponse.decode(b).Signed);
  const fetchToken = (h: Harness, host: string): Promise<{ Token: string; ExpiresIn: number }> =>
    h.unary(AuthService.FetchToken.path, fs.FetchTokenRequest.encode({ Host: host, Realm: 'https://auth.example.com/token', Service: 'registry', Scopes: ['repository:team/app:pull,push'] }).finish(), (b) => {
      const r = fs.FetchTokenResponse.decode(b);
      return { Token: r.Token, ExpiresIn: Number(r.ExpiresIn) };
    });

  it('acts as the token authority for those registries, as BuildKit\'s client does: a key, a signed payload, then the token', async () => {
    const shared: string[] = [];
    await withService({ configDir, onCredentialsShared: (host) => shared.push(host) }, async (h) => {
      const key = await authority(h, 'registry.example.com');
      expect(key).toHaveLength(32);
      // The daemon checks VerifyTokenAuthority with NaCl's sign.Open: a 64-byte ed25519 signature, then the payload.
      const payload = Buffer.from('0123456789abcdef0123456789abcdef');
      const signed = Buffer.from(await verify(h, 'registry.example.com', payload));
      expect(signed.subarray(64)).toEqual(payload);
      const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key).toString('base64url') }, format: 'jwk' });
      expect(cryptoVerify(null, payload, publicKey, signed.subarray(0, 64))).toBe(true);
      expect(await authority(h, 'registry.example.com')).toEqual(key);
      expect(await fetchToken(h, 'registry.example.com')).toEqual({ Token: 'token-for-example', ExpiresIn: 60 });
      // Docker Hub, asked as the daemon names it; its entry has a token and no login, so Credentials stays anonymous.
      expect(await fetchToken(h, 'registry-1.docker.io')).toEqual({ Token: 'token-for-hub', ExpiresIn: 60 });
      expect(await askCredentials(h, 'registry-1.docker.io')).toEqual({ Username: '', Secret: '' });
      expect(await askCredentials(h, 'registry.example.com')).toEqual({ Username: 'robot', Secret: 'robot-pass' });
      // Other registries: the daemon fetches tokens itself.
      expect((await serviceError(authority(h, 'ghcr.io'))).code).toBe(status.UNIMPLEMENTED);
      expect((await serviceError(fetchToken(h, 'ghcr.io'))).code).toBe(status.UNIMPLEMENTED);
    });
    expect(shared).toEqual(['registry.example.com', 'docker.io']);
  });

  it('in-memory credentials for the registry replace its config entry, token included', async () => {
    await withService({ configDir, credentials: { 'registry.example.com': { username: 'mem', password: 'mem-pass' } } }, async (h) => {
      expect((await serviceError(authority(h, 'registry.example.com'))).code).toBe(status.UNIMPLEMENTED);
      expect(await askCredentials(h, 'registry.example.com')).toEqual({ Username: 'mem', Secret: 'mem-pass' });
    });
  });
});

describe('authService creation errors', () => {
  it('rejects a broken config.json when created, naming the file', () => {
    let err: unknown;
    try {
      authService({ configDir: join(FIXTURES, 'broken') });
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toContain(join(FIXTURES, 'broken', 'config.json'));
    expect((err as KilnError).message).not.toContain('top-secret');
  });

  it('treats a missing config directory as no credentials', async () => {
    await withService({ configDir: join(tmpdir(), 'kiln-no-such-docker-config') }, async (h) => {
      expect(await askCredentials(h, 'registry-1.docker.io')).toEqual({ Username: '', Secret: '' });
    });
  });

  it.each([
    [{ credentials: { 'ghcr.io': { username: 'u' } } }, 'credentials["ghcr.io"] must have a non-empty username and a password'],
    [{ credentials: { 'ghcr.io': { identityToken: 't', username: 'u', password: 'p' } } }, 'either identityToken or username and password'],
    [{ credentials: { 'docker.io': { identityToken: 'a' }, 'https://index.docker.io/v1/': { identityToken: 'b' } } }, 'another key already names registry docker.io'],
    [{ helperTimeoutMs: 0 }, 'helperTimeoutMs must be a positive number'],
    [{ configDir: '' }, 'configDir is empty'],
  ])('rejects bad options %#', (bad, message) => {
    expect(() => authService({ configDir: false, ...(bad as AuthServiceOptions) })).toThrow(message);
  });
});

describe('authService with credential helpers', () => {
  const root = mkdtempSync(join(tmpdir(), 'kiln-cred-helpers-'));
  const bin = join(root, 'bin');
  const log = join(root, 'helper.log');
  const env = { PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`, FAKE_HELPER_LOG: log, HOME: root };
  const options: AuthServiceOptions = { configDir: join(FIXTURES, 'helpers'), env };
  const calls = (): string[] => readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');

  beforeAll(() => {
    mkdirSync(bin);
    for (const name of ['docker-credential-fake', 'docker-credential-fakehost']) {
      copyFileSync(join(FIXTURES, 'fake-credential-helper.mjs'), join(bin, name));
      chmodSync(join(bin, name), 0o755);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('asks the credential store about Docker Hub by its login key', async () => {
    writeFileSync(log, '');
    await withService(options, async (h) => {
      expect(await askCredentials(h, 'registry-1.docker.io')).toEqual({ Username: 'hub-store-user', Secret: 'hub-store-secret' });
    });
    expect(calls()).toEqual(['fake get https://index.docker.io/v1/']);
  });

  it('uses the per-registry helper for hosts listed in credHelpers, and only for the host asked', async () => {
    writeFileSync(log, '');
    await withService(options, async (h) => {
      expect(await askCredentials(h, 'ghcr.io')).toEqual({ Username: 'ghcr-user', Secret: 'ghcr-secret' });
      expect(await askCredentials(h, 'registry.gitlab.com')).toEqual({ Username: 'gitlab-user', Secret: 'gitlab-secret' });
    });
    expect(calls()).toEqual(['fakehost get ghcr.io', 'fakehost get registry.gitlab.com']);
  });

  it('maps the <token> user name to an identity token with an empty user name', async () => {
    await withService(options, async (h) => {
      expect(await askCredentials(h, 'token.example.com')).toEqual({ Username: '', Secret: 'store-identity-token' });
    });
  });

  it('is anonymous when the helper has no credentials, even if auths has an inline entry', async () => {
    await withService(options, async (h) => {
      expect(await askCredentials(h, 'unknown.example.com')).toEqual({ Username: '', Secret: '' });
      expect(await askCredentials(h, 'inline.example.com')).toEqual({ Username: '', Secret: '' });
    });
  });

  it('runs a helper once per host for concurrent and repeated requests', async () => {
    writeFileSync(log, '');
    await withService(options, async (h) => {
      const answers = await Promise.all([askCredentials(h, 'ghcr.io'), askCredentials(h, 'ghcr.io'), askCredentials(h, 'ghcr.io')]);
      expect(answers.every((a) => a.Secret === 'ghcr-secret')).toBe(true);
      await askCredentials(h, 'ghcr.io');
    });
    expect(calls()).toEqual(['fakehost get ghcr.io']);
  });

  it('fails the request with the helper stderr when it crashes, never with what it printed on stdout', async () => {
    await withService(options, async (h) => {
      const err = await serviceError(askCredentials(h, 'crash.example.com'));
      expect(err.code).toBe(status.INTERNAL);
      expect(err.details).toContain('docker-credential-fake');
      expect(err.details).toContain('crash.example.com');
      expect(err.details).toContain('exited with status 3');
      expect(err.details).toContain('keychain is locked');
      expect(err.details).not.toContain('crash-secret-value');
      expect(err.details).not.toContain('crash-user');
    });
  });

  it('fails on output that is not a credential object without quoting it', async () => {
    await withService(options, async (h) => {
      const err = await serviceError(askCredentials(h, 'garbage.example.com'));
      expect(err.code).toBe(status.INTERNAL);
      expect(err.details).toContain('printed something that is not a credential object');
      expect(err.details).not.toContain('garbage-secret-value');
    });
  });

  it('fails with FAILED_PRECONDITION when the configured helper is not installed', async () => {
    await withService(options, async (h) => {
      const err = await serviceError(askCredentials(h, 'missing.example.com'));
      expect(err.code).toBe(status.FAILED_PRECONDITION);
      expect(err.details).toBe(
        'registry credentials for missing.example.com: Cannot run credential helper docker-credential-not-installed ' +
          '(asked about missing.example.com): docker-credential-not-installed was not found on PATH ' +
          `(helper set by credHelpers["missing.example.com"] in ${join(FIXTURES, 'helpers', 'config.json')})`,
      );
    });
  });

  it('kills a helper that does not answer in time', async () => {
    const err = await runCredentialHelper('fake', 'slow.example.com', { env, timeoutMs: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(KilnError.is(err, 'internal')).toBe(true);
    expect((err as KilnError).message).toBe(
      'Credential helper docker-credential-fake (asked about slow.example.com) did not answer within 300 ms',
    );
  });

  it('fails in time when a helper script is killed but a program it started still holds its output', async () => {
    // A shell script helper waiting on another program: killing the script leaves that program holding stdout.
    const pidFile = join(root, 'hung-child.pid');
    writeFileSync(join(bin, 'docker-credential-hangs'), `#!/bin/sh\nread server\nsleep 30 &\necho $! > '${pidFile}'\nwait\n`, { mode: 0o755 });
    try {
      const err = await runCredentialHelper('hangs', 'hung.example.com', { env, timeoutMs: 300 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(KilnError.is(err, 'internal')).toBe(true);
      expect((err as KilnError).message).toBe(
        'Credential helper docker-credential-hangs (asked about hung.example.com) did not answer within 300 ms',
      );
    } finally {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')));
      } catch {
        // already gone
      }
    }
  });
});

describe('authService against a daemon asking about many registries at once', () => {
  const root = mkdtempSync(join(tmpdir(), 'kiln-cred-flood-'));
  const bin = join(root, 'bin');
  const config = join(root, 'docker');
  const log = join(root, 'helper.log');
  const env = { PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`, HELPER_LOG: log, HOME: root };

  beforeAll(() => {
    mkdirSync(bin);
    mkdirSync(config);
    writeFileSync(join(config, 'config.json'), JSON.stringify({ credsStore: 'counting' }));
    // Records when each run starts and ends; answers "no credentials".
    writeFileSync(
      join(bin, 'docker-credential-counting'),
      '#!/bin/sh\necho begin >> "$HELPER_LOG"\ncat > /dev/null\nsleep 0.05\necho end >> "$HELPER_LOG"\necho "credentials not found in native keychain"\nexit 1\n',
    );
    chmodSync(join(bin, 'docker-credential-counting'), 0o755);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs the credential helper for one host at a time, as BuildKit\'s own client does', async () => {
    writeFileSync(log, '');
    await withService({ configDir: config, env }, async (h) => {
      const hosts = Array.from({ length: 12 }, (_, i) => `made-up-${i}.example.com`);
      const answers = await Promise.all(hosts.map((host) => askCredentials(h, host)));
      expect(answers.every((a) => a.Username === '' && a.Secret === '')).toBe(true);
    });
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
    expect(lines).toEqual(Array.from({ length: 12 }, () => ['begin', 'end']).flat());
  });
});
