/**
 * A private package index behind HTTP Basic auth (the PEP 503 stand-in of bench/package-stand-ins.ts on the build
 * bridge's gateway), installed from with `pipInstall(…, { indexUrl, indexSecret })` by the real pip of the base
 * image: the install succeeds with the credential, which is in none of what a user can read afterwards (the image
 * definition and digest, the image's layers from `docker save`, its config and history, `toDockerfile()`, the build's
 * progress), `toDockerfile()` builds with `docker build --secret`, a rotated token is a cache hit, and a wrong one
 * fails the step with pip's words for the refusal.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { Image, buildImage, type BuiltImage } from '../../src/image/index.js';
import { progressText } from './progress-text.js';
import { type PackageIndex, demoWheel, servePackageIndex } from '../../bench/package-stand-ins.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const run = Math.random().toString(36).slice(2, 8);
const USER = 'ci-bot';
const firstToken = `tok-first-${randomBytes(8).toString('hex')}`;
const rotatedToken = `tok-rotated-${randomBytes(8).toString('hex')}`;
const wrongToken = `tok-wrong-${randomBytes(8).toString('hex')}`;
const tokens = [firstToken, rotatedToken, wrongToken];
const created: string[] = [];
let client: Client;
let index: PackageIndex;
let dir = '';
/** The password the index accepts now. */
let accepted = firstToken;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  dir = mkdtempSync(join(tmpdir(), 'kiln-index-secret-it-'));
  const basic = (password: string): string => `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}`;
  index = await servePackageIndex(env.bridge.gateway, [{ project: 'kiln-private', ...demoWheel('kiln_private', '1.0', `kiln_private 1.0 ${run}`) }], (header) => header === basic(accepted));
});

afterAll(async () => {
  await client?.close();
  await index?.close();
  rmSync(dir, { recursive: true, force: true });
  await removeImages(created);
});

const image = (extra: Readonly<Record<string, string>> = {}): Image =>
  Image.debianSlim().pipInstall('kiln-private==1.0', {
    indexUrl: index.url,
    extraOptions: ['--trusted-host', index.host],
    indexSecret: { usernameEnv: 'PIP_USER', passwordEnv: 'PIP_TOKEN' },
    env: extra,
  });

const secretsOf = (token: string): { id: string; value: string }[] => [
  { id: 'PIP_USER', value: USER },
  { id: 'PIP_TOKEN', value: token },
];

async function build(name: string, img: Image, token: string): Promise<BuiltImage & { readonly tag: string }> {
  const tag = `kiln-it/index-secret-${name}:${run}`;
  created.push(tag);
  return { ...(await buildImage(client, img, { tags: [tag], context: dir, secrets: secretsOf(token) })), tag };
}

function expectNoToken(text: string | Buffer, what: string): void {
  for (const t of tokens) expect(Buffer.from(text).includes(Buffer.from(t)), `${what} holds a token`).toBe(false);
}

describe('pipInstall from a private index with indexSecret', () => {
  it('installs with the credential, which is in no definition, layer, config, history, Dockerfile or progress; a rotated token is a cache hit; a wrong one fails the step', async () => {
    const step = `pip install kiln-private==1.0 --index-url ${index.url} --trusted-host ${index.host}`;
    const built = await build('first', image(), firstToken);
    const out = await dockerCli(['run', '--rm', '--network', 'none', built.tag, 'sh', '-c', 'python3 -c "import kiln_private; print(kiln_private.GREETING)"; ls -A /tmp/kiln-index-auth 2>/dev/null | wc -l']);
    expect(out.stdout.trim().split('\n')).toEqual([`kiln_private 1.0 ${run}`, '0']);

    // The definition (what the digest, `kiln llb` and the cache keys come from) and what the daemon reported.
    for (const op of image().definition().ops) expectNoToken(Buffer.from(op), 'the definition');
    expectNoToken(progressText(built), 'the progress');
    expect(progressText(built)).toContain(step);
    // The image: every layer and its config, and the history docker shows.
    const saved = join(dir, 'saved.tar');
    await dockerCli(['save', '-o', saved, built.tag]);
    expectNoToken(readFileSync(saved), 'docker save');
    rmSync(saved, { force: true });
    expectNoToken((await dockerCli(['image', 'inspect', built.tag])).stdout, 'the image config');
    expectNoToken((await dockerCli(['history', '--no-trunc', built.tag])).stdout, 'the history');

    // toDockerfile(): the secrets as RUN --mount=type=secret, and docker build builds it with --secret.
    const dockerfile = image().toDockerfile({ context: dir });
    expectNoToken(dockerfile, 'toDockerfile()');
    expect(dockerfile).toContain('--mount=type=secret,id=PIP_TOKEN,target=/run/secrets/PIP_TOKEN,required=true');
    writeFileSync(join(dir, 'Dockerfile.kiln'), dockerfile);
    writeFileSync(join(dir, 'user.secret'), USER);
    writeFileSync(join(dir, 'token.secret'), firstToken);
    const roundTrip = `kiln-it/index-secret-dockerfile:${run}`;
    created.push(roundTrip);
    await dockerCli(
      ['build', '-q', '--secret', `id=PIP_USER,src=${join(dir, 'user.secret')}`, '--secret', `id=PIP_TOKEN,src=${join(dir, 'token.secret')}`, '-f', join(dir, 'Dockerfile.kiln'), '-t', roundTrip, dir],
      { env: { DOCKER_BUILDKIT: '1' } },
    );
    rmSync(join(dir, 'token.secret'), { force: true });
    expect((await dockerCli(['run', '--rm', '--network', 'none', roundTrip, 'python3', '-c', 'import kiln_private; print(kiln_private.GREETING)'])).stdout.trim()).toBe(`kiln_private 1.0 ${run}`);

    // The index now takes only the rotated token: the same image with it is a cache hit, and the same image.
    accepted = rotatedToken;
    const rotated = await build('rotated', image(), rotatedToken);
    const cached = [...rotated.outcome.progress.steps.values()].find((s) => s.kind === 'vertex' && s.name === step);
    expect(cached?.kind === 'vertex' && cached.cached).toBe(true);
    expect(rotated.imageId ?? rotated.digest).toBe(built.imageId ?? built.digest);

    // A wrong token: the step fails (a different step, or the cached result would do), with pip's 401 in the error.
    const failed = await build('wrong', image({ KILN_TRY: 'wrong' }), wrongToken).catch((err: unknown) => err as Error);
    expect(failed).toBeInstanceOf(Error);
    const message = (failed as Error).message;
    expect(message).toContain(`step "${step}" failed`);
    // pip says it only in its debug log (and would ask for a user on the terminal it lacks): kiln repeats it.
    expect(message).toContain('kiln: the package index refused the credential of indexSecret (build secrets PIP_USER, PIP_TOKEN); check the user and token:');
    expect(message).toContain(`401 Client Error: Unauthorized for url: ${index.url}/kiln-private/`);
    expect(message).not.toContain('EOFError');
    expectNoToken(message, 'the error');
  });
});
