import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { moby } from '../../src/proto/generated.js';
import { SecretsService } from '../../src/proto/services.js';
import { MAX_SECRET_BYTES, parseSecretSpec, resolveSecretSources, type SecretSource } from '../../src/session/secret-sources.js';
import { secretsService } from '../../src/session/secrets-service.js';
import { SessionHarness, serviceError } from '../support/session-harness.js';
import { thrown } from '../fixtures/thrown.js';

const pb = moby.buildkit.secrets.v1;

type Harness = SessionHarness;

/** `GetSecret` as the daemon calls it. */
function getSecret(h: Harness, id: string): Promise<Buffer> {
  return h.unary(
    SecretsService.GetSecret.path,
    pb.GetSecretRequest.encode({ ID: id, annotations: { 'build.step': 'RUN' } }).finish(),
    (b) => Buffer.from(pb.GetSecretResponse.decode(b).data),
  );
}


const dir = mkdtempSync(join(tmpdir(), 'kiln-secret-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseSecretSpec', () => {
  const env = { NPM_TOKEN: 'x', EMPTY: '' };

  it.each<[string, SecretSource]>([
    ['id=npmrc,src=/home/u/.npmrc', { id: 'npmrc', file: '/home/u/.npmrc' }],
    ['id=npmrc,source=.npmrc', { id: 'npmrc', file: '.npmrc' }],
    ['type=file,id=aws', { id: 'aws', file: 'aws' }],
    ['id=token,env=NPM_TOKEN', { id: 'token', env: 'NPM_TOKEN' }],
    ['type=env,id=NPM_TOKEN', { id: 'NPM_TOKEN', env: 'NPM_TOKEN' }],
    ['type=env,id=token,src=NPM_TOKEN', { id: 'token', env: 'NPM_TOKEN' }],
    ['ID=token,ENV=NPM_TOKEN', { id: 'token', env: 'NPM_TOKEN' }],
    ['id=NPM_TOKEN', { id: 'NPM_TOKEN', env: 'NPM_TOKEN' }],
    ['id=EMPTY', { id: 'EMPTY', env: 'EMPTY' }],
    ['id=cert.pem', { id: 'cert.pem', file: 'cert.pem' }],
    ['"id=a","src=/tmp/with,comma"', { id: 'a', file: '/tmp/with,comma' }],
    ['id=a,src=/p/x=y', { id: 'a', file: '/p/x=y' }],
  ])('%s', (spec, expected) => {
    expect(parseSecretSpec(spec, { env })).toEqual(expected);
  });

  it.each([
    ['', 'secret spec is empty'],
    ['src=/etc/passwd', 'has no id; add id=NAME'],
    ['id=,src=x', 'has no id'],
    ['npmrc', 'field "npmrc" must be key=value (e.g. id=npmrc)'],
    ['id=a,path=/x', 'unknown key "path"; the keys are id, src (or source), env and type'],
    ['id=a,type=ssh', 'unsupported type "ssh"; use type=file or type=env'],
    ['id=a,env=X,src=/f', 'give either env=VAR or src=…, not both'],
    ['id=a,type=file,env=X', 'env= conflicts with type=file'],
    ['id=a,src=', 'src= needs a file path'],
    ['id=a,env=', 'env= needs a variable name'],
    ['"id=a,src=x', 'unterminated quote'],
  ])('rejects %j', (spec, message) => {
    const err = thrown(() => parseSecretSpec(spec, { env }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(message);
  });
});

describe('resolveSecretSources', () => {
  beforeAll(() => {
    writeFileSync(join(dir, 'present.txt'), 'file-value');
    mkdirSync(join(dir, 'a-directory'));
  });

  it('resolves relative files against cwd and captures env and in-memory values', () => {
    const env = { TOKEN: 'env-value' };
    const bytes = new Uint8Array([1, 2, 3]);
    const resolved = resolveSecretSources(['id=f,src=present.txt', { id: 'e', env: 'TOKEN' }, { id: 'm', value: bytes }], { env, cwd: dir });
    bytes[0] = 9;
    env.TOKEN = 'changed';
    expect(resolved).toEqual([
      { id: 'f', kind: 'file', path: join(dir, 'present.txt') },
      { id: 'e', kind: 'bytes', data: Buffer.from('env-value'), origin: 'environment variable TOKEN' },
      { id: 'm', kind: 'bytes', data: Buffer.from([1, 2, 3]), origin: 'an in-memory value' },
    ]);
  });

  it('reads a leading ~/ of a file as the home directory, as sh leaves it in src=~/… (and as --ssh does)', () => {
    const resolved = resolveSecretSources(['id=f,src=~/present.txt', { id: 'g', file: '~/present.txt' }], { env: { HOME: dir }, cwd: '/' });
    expect(resolved).toEqual([
      { id: 'f', kind: 'file', path: join(dir, 'present.txt') },
      { id: 'g', kind: 'file', path: join(dir, 'present.txt') },
    ]);
  });

  it.each<[string, (SecretSource | string)[], string]>([
    ['a missing file', [{ id: 'f', file: 'missing.txt' }], `secret "f": file ${join(dir, 'missing.txt')} does not exist`],
    ['a directory', [{ id: 'f', file: 'a-directory' }], `secret "f": ${join(dir, 'a-directory')} is a directory, not a file`],
    ['an unset variable', [{ id: 'e', env: 'KILN_TEST_UNSET_VARIABLE' }], 'secret "e": environment variable KILN_TEST_UNSET_VARIABLE is not set'],
    ['a missing id', [{ id: '', value: 'x' }], 'a secret has no id'],
    ['a duplicate id', [{ id: 'a', value: 'x' }, 'id=a,env=HOME'], 'secret "a" is given twice'],
    ['two sources', [{ id: 'a', value: 'x', env: 'HOME' } as unknown as SecretSource], 'must have exactly one of file, env or value (has env, value)'],
    ['a bad value', [{ id: 'a', value: 42 } as unknown as SecretSource], 'value must be a string or a Uint8Array'],
  ])('rejects %s up front', (_what, sources, message) => {
    const err = thrown(() => resolveSecretSources(sources, { cwd: dir, env: { HOME: '/home/u' } }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(message);
  });

  it('rejects a path that cannot be read, with the system reason', () => {
    const path = join(dir, 'present.txt', 'child');
    expect(() => resolveSecretSources([{ id: 'u', file: path }])).toThrow(`secret "u": file ${path} cannot be read (ENOTDIR)`);
  });

  it('rejects a value over the size limit without quoting it', () => {
    const value = 'very-secret-'.repeat(Math.ceil(MAX_SECRET_BYTES / 12) + 1);
    const err = thrown(() => resolveSecretSources([{ id: 'big', value }]));
    expect(err.message).toBe(`secret "big": the value given holds ${value.length} bytes, more than the ${MAX_SECRET_BYTES}-byte limit for a secret`);
    expect(err.message).not.toContain('very-secret');
  });
});

describe('secretsService over gRPC', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('serves secrets from files, environment variables and memory, byte for byte', async () => {
    const binary = Buffer.from([0, 255, 10, 13, 0x80, 0x7f]);
    writeFileSync(join(dir, 'npmrc'), '//registry.npmjs.org/:_authToken=abc\n');
    h = await SessionHarness.start(
      secretsService(['id=npmrc,src=npmrc', 'id=token,env=NPM_TOKEN', { id: 'bin', value: binary }, { id: 'text', value: 'héllo' }], {
        cwd: dir,
        env: { NPM_TOKEN: 'npm_abc123' },
      }),
    );
    expect((await getSecret(h, 'npmrc')).toString()).toBe('//registry.npmjs.org/:_authToken=abc\n');
    expect((await getSecret(h, 'token')).toString()).toBe('npm_abc123');
    expect(await getSecret(h, 'bin')).toEqual(binary);
    expect((await getSecret(h, 'text')).toString('utf8')).toBe('héllo');
  });

  it('answers NOT_FOUND (code 5) for ids it was not given, as git auth lookups need', async () => {
    h = await SessionHarness.start(secretsService([{ id: 'GIT_AUTH_TOKEN', value: 'ghp_x' }]));
    const err = await serviceError(getSecret(h, 'GIT_AUTH_TOKEN.github.com'));
    expect(err.code).toBe(status.NOT_FOUND);
    expect(err.code).toBe(5);
    expect(err.details).toBe('secret "GIT_AUTH_TOKEN.github.com" not found: the build was not given it');
    expect((await getSecret(h, 'GIT_AUTH_TOKEN')).toString()).toBe('ghp_x');
    expect((await serviceError(getSecret(h, ''))).code).toBe(status.NOT_FOUND);
  });

  it('serves only the ids the build reads when told them (buildImage passes the image\'s): another given secret is NOT_FOUND', async () => {
    h = await SessionHarness.start(secretsService([{ id: 'HF_TOKEN', value: 'hf_x' }, { id: 'AWS_SECRET', value: 'aws_y' }], { only: ['HF_TOKEN'] }));
    expect((await getSecret(h, 'HF_TOKEN')).toString()).toBe('hf_x');
    const err = await serviceError(getSecret(h, 'AWS_SECRET'));
    expect(err.code).toBe(status.NOT_FOUND);
    expect(err.details).not.toContain('aws_y');
  });

  it('serves an empty set of secrets: everything is NOT_FOUND', async () => {
    h = await SessionHarness.start(secretsService([]));
    expect((await serviceError(getSecret(h, 'anything'))).code).toBe(status.NOT_FOUND);
  });

  it('reads files when asked, so an edited file is served fresh', async () => {
    const path = join(dir, 'rotating');
    writeFileSync(path, 'first');
    h = await SessionHarness.start(secretsService([{ id: 'r', file: path }]));
    expect((await getSecret(h, 'r')).toString()).toBe('first');
    writeFileSync(path, 'second');
    expect((await getSecret(h, 'r')).toString()).toBe('second');
  });

  it('fails (not NOT_FOUND) when a checked file disappears before the daemon asks', async () => {
    const path = join(dir, 'vanishing');
    writeFileSync(path, 'vanishing-secret-value');
    h = await SessionHarness.start(secretsService([{ id: 'v', file: path }]));
    unlinkSync(path);
    const err = await serviceError(getSecret(h, 'v'));
    expect(err.code).toBe(status.FAILED_PRECONDITION);
    expect(err.details).toBe(`secret "v": cannot read ${path} (ENOENT)`);
  });

  it('fails without the value when a file grew past the limit after the check', async () => {
    const path = join(dir, 'growing');
    writeFileSync(path, 'small');
    h = await SessionHarness.start(secretsService([{ id: 'g', file: path }]));
    writeFileSync(path, Buffer.alloc(MAX_SECRET_BYTES + 1, 'z'));
    const err = await serviceError(getSecret(h, 'g'));
    expect(err.code).toBe(status.FAILED_PRECONDITION);
    expect(err.details).toContain(`holds ${MAX_SECRET_BYTES + 1} bytes`);
    expect(err.details).not.toContain('zzz');
  });

  it('reads a pipe (src=/dev/stdin) once and serves every later request the same bytes; a device that never ends fails at the limit', async () => {
    const fifo = join(dir, 'stdin-like');
    execFileSync('mkfifo', [fifo]);
    h = await SessionHarness.start(secretsService([{ id: 'piped', file: fifo }, { id: 'zero', file: '/dev/zero' }]));
    // What `echo $TOKEN | kiln build --secret id=piped,src=/dev/stdin` gives: one writer, then the end.
    const writer = spawn('sh', ['-c', `printf 'piped-value' > ${fifo}`]);
    const written = new Promise((resolve) => writer.on('close', resolve));
    expect((await getSecret(h, 'piped')).toString()).toBe('piped-value');
    await written;
    // A second step reading the same secret: the pipe has nothing more, the first read's bytes are served.
    expect((await getSecret(h, 'piped')).toString()).toBe('piped-value');
    const err = await serviceError(getSecret(h, 'zero'));
    expect(err.code).toBe(status.FAILED_PRECONDITION);
    expect(err.details).toBe(`secret "zero": /dev/zero holds more bytes, more than the ${MAX_SECRET_BYTES}-byte limit`);
  });

  it('serves two steps asking for a piped secret at the same time the same bytes (parallel steps, two platforms)', async () => {
    const fifo = join(dir, 'stdin-both');
    execFileSync('mkfifo', [fifo]);
    h = await SessionHarness.start(secretsService([{ id: 'piped', file: fifo }]));
    // Both requests are in before anything is written to the pipe, as when two steps start together.
    const first = getSecret(h, 'piped');
    const second = getSecret(h, 'piped');
    const writer = spawn('sh', ['-c', `printf 'piped-value' > ${fifo}`]);
    const written = new Promise((resolve) => writer.on('close', resolve));
    expect((await Promise.all([first, second])).map((b) => b.toString())).toEqual(['piped-value', 'piped-value']);
    await written;
  });

  it('serves a secret of several megabytes', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const path = join(dir, 'big.bin');
    writeFileSync(path, big);
    h = await SessionHarness.start(secretsService([{ id: 'file', file: path }, { id: 'mem', value: big }]));
    expect((await getSecret(h, 'file')).equals(big)).toBe(true);
    expect((await getSecret(h, 'mem')).equals(big)).toBe(true);
  });

  it('checks every source when created', () => {
    expect(() => secretsService(['id=x,src=/definitely/not/here'])).toThrow('secret "x": file /definitely/not/here does not exist');
    expect(() => secretsService(['id=x,env=KILN_TEST_UNSET_VARIABLE'], { env: {} })).toThrow('environment variable KILN_TEST_UNSET_VARIABLE is not set');
  });
});
