/**
 * A private apt repository (the flat repository stand-in of bench/package-stand-ins.ts, signed with a throwaway gpg
 * key and behind HTTP Basic auth, on the build bridge's gateway), installed from with
 * `aptInstall(…, { repositories: [{ url, suite, key, authSecret }] })` by the real apt of the base image: the
 * package is installed and runs, the repository is not left configured in the image, the credential is in none of
 * what a user can read afterwards (definition, `docker save`, config, history, `toDockerfile()`, progress),
 * `toDockerfile()` builds with `docker build --secret`, a rotated password is a cache hit, a wrong one fails with
 * apt's 401 and the secret ids, and a repository signed by another key than the one given fails naming the key.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { Image, buildImage, type BuiltImage } from '../../src/image/index.js';
import { progressText } from './progress-text.js';
import { type AptRepository, demoDeb, serveAptRepository } from '../../bench/package-stand-ins.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const run = Math.random().toString(36).slice(2, 8);
const USER = 'apt-bot';
const firstPassword = `pw-first-${randomBytes(8).toString('hex')}`;
const rotatedPassword = `pw-rotated-${randomBytes(8).toString('hex')}`;
const wrongPassword = `pw-wrong-${randomBytes(8).toString('hex')}`;
const passwords = [firstPassword, rotatedPassword, wrongPassword];
const created: string[] = [];
let client: Client;
let repo: AptRepository;
let dir = '';
/** The password the repository accepts now. */
let accepted = firstPassword;

/** A throwaway gpg home with one signing key; returns its armored public key and a clear-signer. */
function signingKey(home: string, uid: string): { publicKey: string; clearSign: (data: Buffer) => Buffer } {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const gpg = (args: string[], input?: Buffer): Buffer => execFileSync('gpg', ['--batch', '--quiet', '--homedir', home, ...args], { input, stdio: ['pipe', 'pipe', 'ignore'] });
  gpg(['--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
  return { publicKey: gpg(['--armor', '--export', uid]).toString('utf8'), clearSign: (data) => gpg(['--clearsign', '--local-user', uid], data) };
}

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  dir = mkdtempSync(join(tmpdir(), 'kiln-apt-repository-it-'));
  const signer = signingKey(join(dir, 'gnupg'), `kiln repo ${run} <repo@kiln.invalid>`);
  const other = signingKey(join(dir, 'gnupg-other'), `kiln other ${run} <other@kiln.invalid>`);
  mkdirSync(join(dir, 'keys'));
  writeFileSync(join(dir, 'keys', 'repo.asc'), signer.publicKey);
  writeFileSync(join(dir, 'keys', 'other.asc'), other.publicKey);
  const basic = (password: string): string => `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}`;
  // A version of its own per run: apt takes a package file already in the downloads cache by name and size.
  const hello = demoDeb('kiln-hello', `1.0+${run}`, { '/usr/bin/kiln-hello': `#!/bin/sh\necho "kiln-hello 1.0 ${run}"\n` });
  repo = await serveAptRepository(env.bridge.gateway, [hello], { authorized: (header) => header === basic(accepted), clearSign: signer.clearSign });
});

afterAll(async () => {
  await client?.close();
  await repo?.close();
  rmSync(dir, { recursive: true, force: true });
  await removeImages(created);
});

const image = ({ key = 'repo.asc', extra = {} }: { key?: string; extra?: Readonly<Record<string, string>> } = {}): Image =>
  Image.debianSlim().aptInstall('kiln-hello', {
    repositories: [{ url: repo.url, suite: './', key: join(dir, 'keys', key), authSecret: { usernameEnv: 'APT_USER', passwordEnv: 'APT_TOKEN' } }],
    env: extra,
  });

const secretsOf = (password: string): { id: string; value: string }[] => [
  { id: 'APT_USER', value: USER },
  { id: 'APT_TOKEN', value: password },
];

async function build(name: string, img: Image, password: string): Promise<BuiltImage & { readonly tag: string }> {
  const tag = `kiln-it/apt-repository-${name}:${run}`;
  created.push(tag);
  return { ...(await buildImage(client, img, { tags: [tag], context: dir, secrets: secretsOf(password) })), tag };
}

function expectNoPassword(text: string | Buffer, what: string): void {
  for (const p of passwords) expect(Buffer.from(text).includes(Buffer.from(p)), `${what} holds a password`).toBe(false);
}

describe('aptInstall from a private, signed apt repository', () => {
  const step = (): string => `apt-get install kiln-hello (from ${repo.url})`;
  let built: BuiltImage & { readonly tag: string };

  it('installs with the credential, which is in no definition, layer, config, history or progress; the repository is not left configured', async () => {
    built = await build('first', image(), firstPassword);
    const out = await dockerCli([
      'run', '--rm', '--network', 'none', built.tag, 'sh', '-c',
      // No sources entry, key or credential: in /etc/apt or the step's mount points (BuildKit v0.8 leaves them, empty).
      'kiln-hello; grep -rls kiln /etc/apt/sources.list.d /etc/apt/auth.conf.d /etc/apt/sources.list 2>/dev/null | wc -l; find /tmp -mindepth 1 ! -type d | wc -l',
    ]);
    expect(out.stdout.trim().split('\n')).toEqual([`kiln-hello 1.0 ${run}`, '0', '0']);

    for (const op of image().definition({ context: dir }).ops) expectNoPassword(Buffer.from(op), 'the definition');
    expectNoPassword(progressText(built), 'the progress');
    expect(progressText(built)).toContain(step());
    const saved = join(dir, 'saved.tar');
    await dockerCli(['save', '-o', saved, built.tag]);
    expectNoPassword(readFileSync(saved), 'docker save');
    rmSync(saved, { force: true });
    expectNoPassword((await dockerCli(['image', 'inspect', built.tag])).stdout, 'the image config');
    expectNoPassword((await dockerCli(['history', '--no-trunc', built.tag])).stdout, 'the history');
  });

  it('toDockerfile() writes the secrets as RUN --mount=type=secret, and docker build --secret builds it', async () => {
    const dockerfile = image().toDockerfile({ context: dir });
    expectNoPassword(dockerfile, 'toDockerfile()');
    expect(dockerfile).toContain('--mount=type=secret,id=APT_TOKEN,target=/run/secrets/APT_TOKEN,required=true');
    expect(dockerfile).toContain('--mount=type=tmpfs,target=/tmp/kiln-apt');
    writeFileSync(join(dir, 'Dockerfile.kiln'), dockerfile);
    writeFileSync(join(dir, 'user.secret'), USER);
    writeFileSync(join(dir, 'password.secret'), firstPassword);
    const roundTrip = `kiln-it/apt-repository-dockerfile:${run}`;
    created.push(roundTrip);
    await dockerCli(
      ['build', '-q', '--secret', `id=APT_USER,src=${join(dir, 'user.secret')}`, '--secret', `id=APT_TOKEN,src=${join(dir, 'password.secret')}`, '-f', join(dir, 'Dockerfile.kiln'), '-t', roundTrip, dir],
      { env: { DOCKER_BUILDKIT: '1' } },
    );
    rmSync(join(dir, 'password.secret'), { force: true });
    expect((await dockerCli(['run', '--rm', '--network', 'none', roundTrip, 'kiln-hello'])).stdout.trim()).toBe(`kiln-hello 1.0 ${run}`);
  });

  it('a rotated password is a cache hit, and the same image', async () => {
    // The repository now takes only the rotated password.
    accepted = rotatedPassword;
    const rotated = await build('rotated', image(), rotatedPassword);
    const cached = [...rotated.outcome.progress.steps.values()].find((s) => s.kind === 'vertex' && s.name === step());
    expect(cached?.kind === 'vertex' && cached.cached).toBe(true);
    expect(rotated.imageId ?? rotated.digest).toBe(built.imageId ?? built.digest);
  });

  it("a wrong password fails the step with apt's 401 and the secret ids", async () => {
    // The step fails (a different step, or the cached result would do) with apt's 401 and the ids.
    const failed = await build('wrong', image({ extra: { KILN_TRY: 'wrong' } }), wrongPassword).catch((err: unknown) => err as Error);
    expect(failed).toBeInstanceOf(Error);
    const message = (failed as Error).message;
    expect(message).toContain(`step "${step()}" failed`);
    expect(message).toContain(`kiln: the apt repository ${repo.url} refused the credential of repositories[0].authSecret (build secrets APT_USER, APT_TOKEN); check the user and password:`);
    expect(message).toMatch(/401\s+Unauthorized/);
    expectNoPassword(message, 'the error');
  });

  it('a key that did not sign the repository fails the step naming the key, with apt\'s NO_PUBKEY', async () => {
    // The right password, but the key given is not the one the repository is signed with.
    const unsigned = await build('other-key', image({ key: 'other.asc' }), accepted).catch((err: unknown) => err as Error);
    expect(unsigned).toBeInstanceOf(Error);
    const refused = (unsigned as Error).message;
    expect(refused).toContain(`kiln: apt could not verify the repository ${repo.url} with repositories[0].key (${join(dir, 'keys', 'other.asc')}); pass the public key its Release file is signed with:`);
    expect(refused).toContain('NO_PUBKEY');
  });
});
