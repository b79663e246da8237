/**
 * Dockerfile `COPY --chmod=$MODE`: kiln expands the build arg and the file gets the mode docker build gives with the
 * mode written out (`--chmod=750`) on the same daemon. (Docker's Dockerfile frontend expands `--chmod` since 1.10;
 * the older one built into dockerd 20.10 and 26.1 ignores `--chmod=$MODE` without a word and leaves the file 0644 —
 * kiln does what current Docker does.)
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { Image, buildImage } from '../../src/image/index.js';
import { testEnv } from './test-env.js';

const run = promisify(execFile);
const env = testEnv();
let client: Client;
let work: string;

const modeOf = (path: string): number => statSync(path).mode & 0o7777;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  work = mkdtempSync(join(tmpdir(), 'kiln-chmod-parity-'));
});

afterAll(async () => {
  await client?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('Dockerfile --chmod with a build arg', () => {
  it('gives the file the mode docker build gives for the same mode written out', async () => {
    const context = join(work, 'ctx');
    mkdirSync(context, { recursive: true });
    writeFileSync(join(context, 'run.sh'), 'echo hi\n');
    writeFileSync(join(context, 'Dockerfile.literal'), 'FROM scratch\nCOPY --chmod=750 run.sh /app/\n');
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nARG MODE=640\nCOPY --chmod=${MODE} run.sh /app/\n');

    const dockerOut = join(work, 'docker');
    await run('/usr/bin/docker', ['-H', env.dockerHost, 'build', '-q', '-f', join(context, 'Dockerfile.literal'), '-o', `type=local,dest=${dockerOut}`, context], {
      env: { ...process.env, DOCKER_BUILDKIT: '1', DOCKER_CONFIG: join(work, 'docker-config') },
    });
    const kilnOut = join(work, 'kiln');
    const image = Image.fromDockerfile(join(context, 'Dockerfile'), { context, buildArgs: { MODE: '750' } });
    await buildImage(client, image, { context, output: `type=local,dest=${kilnOut}` });

    expect(modeOf(join(dockerOut, 'app/run.sh'))).toBe(0o750);
    expect(modeOf(join(kilnOut, 'app/run.sh'))).toBe(modeOf(join(dockerOut, 'app/run.sh')));
  });
});
