/**
 * `aptInstall(…, { repositories })`: a private apt repository configured for the step only. The definition holds the
 * repository, the key file's mount and the secret ids, never the password; the sources entry, key and auth.conf.d
 * file live in a tmpfs; wrong input (a credential in the URL, no key, a key that is not a public key, a flat
 * repository with components) is refused at the call, naming the option and what to do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Image, compileImage } from '../../src/image/index.js';
import { execNamed } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

/** BuildKit's mount types. */
const BIND = 0;
const SECRET = 1;
const CACHE = 3;
const TMPFS = 4;
const ARMORED = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ0kiln\n-----END PGP PUBLIC KEY BLOCK-----\n';
let dir = '';
let previousCwd = '';

beforeAll(() => {
  previousCwd = process.cwd();
  dir = mkdtempSync(join(tmpdir(), 'kiln-apt-repositories-'));
  mkdirSync(join(dir, 'keys'));
  writeFileSync(join(dir, 'keys', 'corp.asc'), ARMORED);
  writeFileSync(join(dir, 'keys', 'corp.gpg'), Buffer.from([0x99, 0x00, 0x33, 0x04]));
  writeFileSync(join(dir, 'keys', 'private.asc'), '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nx\n');
  writeFileSync(join(dir, 'keys', 'notes.txt'), 'not a key\n');
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(previousCwd);
  rmSync(dir, { recursive: true, force: true });
});

const base = Image.debianSlim();
const corp = { url: 'https://apt.corp.example:8443/debian', suite: 'bookworm', components: ['main', 'tools'], key: 'keys/corp.asc' } as const;
const STEP = 'apt-get install corp-agent (from https://apt.corp.example:8443/debian)';

describe('aptInstall repositories', () => {
  it('writes the sources entry, key and auth.conf.d file into a tmpfs for the step, from build secrets; the definition holds their ids only', () => {
    const image = base.aptInstall('corp-agent', { repositories: [{ ...corp, authSecret: { usernameEnv: 'APT_USER', passwordEnv: 'APT_TOKEN' } }] });
    const compiled = compileImage(image);
    expect(compiled.secrets).toEqual(['APT_USER', 'APT_TOKEN']);
    const exec = execNamed(compiled.definition, STEP);
    const mounts = exec.exec.mounts ?? [];
    expect(mounts.filter((m) => m.mountType === SECRET).map((m) => [m.dest, m.secretOpt?.id])).toEqual([
      ['/run/secrets/APT_USER', 'APT_USER'],
      ['/run/secrets/APT_TOKEN', 'APT_TOKEN'],
    ]);
    expect(mounts.filter((m) => m.mountType === TMPFS).map((m) => m.dest)).toEqual(['/tmp/kiln-apt']);
    expect(mounts.filter((m) => m.mountType === CACHE).map((m) => m.dest)).toEqual(['/var/cache/apt', '/var/lib/apt/lists']);
    expect(mounts.filter((m) => m.mountType === BIND && m.dest !== '/').map((m) => [m.dest, m.readonly])).toEqual([['/tmp/kiln-apt-keys/0', true]]);
    const script = exec.args[exec.args.length - 1] ?? '';
    expect(script).toContain('cp /tmp/kiln-apt-keys/0/corp.asc /tmp/kiln-apt/keyring-0.asc');
    expect(script).toContain(
      "printf '%s\\n' 'Types: deb' 'URIs: https://apt.corp.example:8443/debian' 'Suites: bookworm' 'Components: main tools' 'Signed-By: /tmp/kiln-apt/keyring-0.asc' > /tmp/kiln-apt/sources.list.d/kiln-0.sources",
    );
    expect(script).toContain(
      `(umask 077 && printf 'machine %s login %s password %s\\n' https://apt.corp.example:8443/debian "$(cat /run/secrets/APT_USER)" "$(cat /run/secrets/APT_TOKEN)" > /tmp/kiln-apt/auth.conf.d/kiln-0.conf)`,
    );
    expect(script).toContain('-o Dir::Etc::SourceParts=/tmp/kiln-apt/sources.list.d/ -o Dir::Etc::netrcparts=/tmp/kiln-apt/auth.conf.d/ -o APT::Update::Error-Mode=any update -qq');
    expect(script).toContain("echo 'kiln: the apt repository https://apt.corp.example:8443/debian refused the credential of repositories[0].authSecret (build secrets APT_USER, APT_TOKEN); check the user and password:' >&2");
    expect(script).toContain("echo 'kiln: apt could not verify the repository https://apt.corp.example:8443/debian with repositories[0].key (keys/corp.asc); pass the public key its Release file is signed with:' >&2");
    expect(script).toMatch(/install -y --no-install-recommends corp-agent$/);
  });

  it('a binary key keeps its format, a flat repository has no components, a public repository needs no secret', () => {
    const image = base.aptInstall('tool', { repositories: [{ url: 'http://10.0.0.5:8080/', suite: './', key: 'keys/corp.gpg' }] });
    const compiled = compileImage(image);
    expect(compiled.secrets).toEqual([]);
    const exec = execNamed(compiled.definition, 'apt-get install tool (from http://10.0.0.5:8080/)');
    const script = exec.args[exec.args.length - 1] ?? '';
    expect(script).toContain("'Suites: ./' 'Signed-By: /tmp/kiln-apt/keyring-0.gpg'");
    expect(script).not.toContain('Components:');
    expect(script).not.toContain('auth.conf.d/kiln-');
  });

  it('a new password or user is the same definition; a new repository or key is another', () => {
    const digest = (repo: object): string => base.aptInstall('corp-agent', { repositories: [{ ...corp, ...repo }] }).digest();
    const same = digest({ authSecret: { usernameEnv: 'APT_USER', passwordEnv: 'APT_TOKEN' } });
    expect(digest({ authSecret: { usernameEnv: 'APT_USER', passwordEnv: 'APT_TOKEN' } })).toBe(same);
    expect(digest({ authSecret: { usernameEnv: 'APT_USER', passwordEnv: 'APT_TOKEN' }, suite: 'trixie' })).not.toBe(same);
    expect(digest({ authSecret: { usernameEnv: 'APT_USER', passwordEnv: 'APT_TOKEN' }, key: 'keys/corp.gpg' })).not.toBe(same);
  });

  it('toDockerfile() writes the same step as RUN --mount=type=secret, the key bound from the context', () => {
    const dockerfile = base.aptInstall('corp-agent', { repositories: [{ ...corp, authSecret: { username: 'ci', passwordEnv: 'APT_TOKEN' } }] }).toDockerfile({ context: dir });
    expect(dockerfile).toContain('--mount=type=tmpfs,target=/tmp/kiln-apt');
    expect(dockerfile).toContain('--mount=type=bind,source=keys,target=/tmp/kiln-apt-keys/0');
    expect(dockerfile).toContain('--mount=type=secret,id=APT_TOKEN,target=/run/secrets/APT_TOKEN,required=true');
    expect(dockerfile).toContain(`printf 'machine %s login %s password %s\\n' https://apt.corp.example:8443/debian ci "$(cat /run/secrets/APT_TOKEN)"`);
  });

  const refused: [string, () => unknown, string][] = [
    ['a credential in the URL', () => base.aptInstall('x', { repositories: [{ ...corp, url: 'https://ci:s3cret@apt.corp.example/debian' }] }), 'aptInstall options.repositories[0].url: https://ci:***@apt.corp.example/debian carries a credential'],
    ['no key', () => base.aptInstall('x', { repositories: [{ url: corp.url, suite: 'bookworm', components: ['main'] } as never] }), 'aptInstall options.repositories[0].key is missing: apt accepts a repository only when its Release file is signed'],
    ['a key file that is not there', () => base.aptInstall('x', { repositories: [{ ...corp, key: 'keys/absent.asc' }] }), 'aptInstall options.repositories[0].key: cannot read the key file "keys/absent.asc" (ENOENT'],
    ['a private key', () => base.aptInstall('x', { repositories: [{ ...corp, key: 'keys/private.asc' }] }), 'is a private key; apt needs the public key only'],
    ['not a key', () => base.aptInstall('x', { repositories: [{ ...corp, key: 'keys/notes.txt' }] }), 'is not an OpenPGP public key'],
    ['a flat repository with components', () => base.aptInstall('x', { repositories: [{ ...corp, suite: './' }] }), 'a flat repository (suite "./", ending in "/") has no components; remove components'],
    ['a suite without components', () => base.aptInstall('x', { repositories: [{ ...corp, components: [] }] }), 'aptInstall options.repositories[0].components is missing'],
    ['a password written in', () => base.aptInstall('x', { repositories: [{ ...corp, authSecret: { username: 'ci', password: 'p' } as never }] }), 'aptInstall options.repositories[0].authSecret.password: an index password is never written'],
    ['an ftp URL', () => base.aptInstall('x', { repositories: [{ ...corp, url: 'ftp://apt.corp.example/debian' }] }), 'must be an http(s) URL'],
  ];
  it.each(refused)('refuses %s at the call', (_what, call, message) => {
    const err = thrown(call);
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(message);
    expect(err.message).not.toContain('s3cret');
  });
});
