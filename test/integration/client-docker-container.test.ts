/**
 * `docker-container://<name>`: kiln reaches a BuildKit daemon inside a container through the real `docker exec -i
 * <name> buildctl dial-stdio` (the Docker CLI on PATH, DOCKER_HOST pointing at the environment's dockerd), as it
 * does for a buildx builder container. The container here runs `test/fixtures/builder-container/buildctl`, which
 * joins its stdio to the daemon the tests build on (dockerd's BuildKit through /grpc, or BUILDKIT_HOST's socket), so
 * everything a build needs — gRPC, the session tunnel with file sync, the export into Docker — travels through
 * `docker exec`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { buildImage, Image } from '../../src/image/index.js';
import { dockerCli, inspectImage, testEnv } from './test-env.js';

const env = testEnv();
const run = `${process.pid}-${Date.now()}`;
const container = `kiln-builder-${run}`;
const tag = `kiln-it/docker-container:${run}`;
const buildctl = fileURLToPath(new URL('../fixtures/builder-container/buildctl', import.meta.url));
let context: string;

/** How the container reaches the daemon: docker run flags and the relay target (see the fixture). */
function relayTo(address: string): { flags: string[]; relay: string } {
  const docker = /^docker:\/\/unix:\/\/(\/.+)$/.exec(address);
  if (docker !== null) return { flags: ['-v', `${docker[1]}:/run/kiln/docker.sock`], relay: 'docker:/run/kiln/docker.sock' };
  if (address.startsWith('unix://')) return { flags: ['-v', `${address.slice('unix://'.length)}:/run/kiln/buildkitd.sock`], relay: 'unix:/run/kiln/buildkitd.sock' };
  const tcp = /^tcp:\/\/([^/]+)\/?$/.exec(address);
  if (tcp !== null) return { flags: ['--network', 'host'], relay: `tcp:${tcp[1]}` };
  throw new Error(`client-docker-container.test.ts cannot relay to ${address}; use a docker://unix://, unix:// or tcp:// daemon`);
}

beforeAll(async () => {
  context = mkdtempSync(join(tmpdir(), 'kiln-docker-container-'));
  writeFileSync(join(context, 'greeting.txt'), `hello through docker exec ${run}\n`);
  const { flags, relay } = relayTo(env.buildkitHost);
  await dockerCli(['run', '-d', '--name', container, ...flags, '-v', `${buildctl}:/usr/local/bin/buildctl:ro`, '-e', `KILN_RELAY=${relay}`, 'python:3.11-slim', 'sleep', '3600']);
});

afterAll(async () => {
  await dockerCli(['rm', '-f', container], { allowFailure: true });
  await dockerCli(['rmi', '-f', tag], { allowFailure: true });
  rmSync(context, { recursive: true, force: true });
});

describe('docker-container:// through the real docker exec', () => {
  it('builds with local files and loads the image into Docker', async () => {
    const client = await Client.connect({ address: `docker-container://${container}` });
    try {
      const info = await client.info();
      expect(info.workers.length).toBeGreaterThan(0);
      const image = Image.fromRegistry('busybox:latest').addLocalFile('greeting.txt', '/srv/').runCommands('wc -c /srv/greeting.txt > /srv/size').cmd(['cat', '/srv/greeting.txt']);
      const built = await buildImage(client, image, { tags: [tag], context });
      expect((await inspectImage(tag))?.id).toBe(built.imageId);
    } finally {
      await client.close();
    }
    const out = await dockerCli(['run', '--rm', '--network', 'none', tag]);
    expect(out.stdout).toBe(`hello through docker exec ${run}\n`);
    const size = await dockerCli(['run', '--rm', '--network', 'none', tag, 'cat', '/srv/size']);
    expect(size.stdout.trim()).toBe(`${`hello through docker exec ${run}\n`.length} /srv/greeting.txt`);
  });

  it('explains a container that does not exist, naming it and what docker said', async () => {
    const err = await Client.connect({ address: `docker-container://${container}-gone` }).then(
      (c) => c.info().finally(() => c.close()),
      (e: unknown) => e,
    ).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`docker-container://${container}-gone`);
    expect((err as Error).message).toMatch(/No such container/i);
  });
});
