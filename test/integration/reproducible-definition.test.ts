/**
 * `sourceDateEpoch` on plain LLB builds against the real daemon (the Image builder's path is covered by
 * lock-reproducible.test.ts): local files copied into an image give the same layer digest however they were touched,
 * the image's Created is the epoch, and a plain solve exported to a directory carries the epoch as file times.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type DaemonInfo } from '../../src/client/client.js';
import { planExport } from '../../src/client/export-plan.js';
import { parseOutputSpec } from '../../src/client/output-spec.js';
import { copy, image, local, marshal } from '../../src/llb/index.js';
import { fileSyncService } from '../../src/session/file-sync-service.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const stamp = `${process.pid}-${Date.now()}`;
const EPOCH = 1_700_000_000;
const created: string[] = [];
let client: Client;
let info: DaemonInfo;
let work: string;
let ctx: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiln-sde-def-'));
  ctx = join(work, 'ctx');
  mkdirSync(join(ctx, 'sub'), { recursive: true });
  writeFileSync(join(ctx, 'a.txt'), 'alpha\n');
  writeFileSync(join(ctx, 'sub', 'b.txt'), 'beta\n');
  client = await Client.connect({ address: env.buildkitHost });
  info = await client.info();
});

afterAll(async () => {
  await client?.close();
  await removeImages(created);
  rmSync(work, { recursive: true, force: true });
});

function touch(seconds: number): void {
  for (const f of ['a.txt', 'sub/b.txt', 'sub', '.']) utimesSync(join(ctx, f), seconds, seconds);
}

/** Copies the context onto busybox without using the cache, exports it to Docker and reports layers and Created. */
async function build(tag: string, sourceDateEpoch: number | undefined): Promise<{ layers: string[]; created: string }> {
  // Copied as /app (not into /app/): the directory itself then takes the epoch too. A directory a copy only creates
  // to hold what it copies gets the build time (BuildKit, dockerd 20.10 included).
  const def = marshal(image('busybox:latest').file(copy(local('ctx'), '/', '/app')), { ignoreCache: true });
  created.push(tag);
  await client.build(
    {
      exporter: { type: 'moby', attrs: { name: `docker.io/${tag}` } },
      sessionServices: [fileSyncService([{ name: 'ctx', path: ctx }])],
      ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
    },
    async (gw) => ({
      ref: await gw.solve(def),
      metadata: { 'containerimage.config': JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, history: [{ created_by: 'COPY ctx /app/' }] }) },
    }),
  );
  const out = (await dockerCli(['image', 'inspect', '-f', '{{json .RootFS.Layers}} {{.Created}}', tag])).stdout.trim();
  const [layers, when] = out.split(' ');
  return { layers: JSON.parse(layers!) as string[], created: when! };
}

describe('sourceDateEpoch on plain definitions', () => {
  it('makes the copy layer independent of file times and sets Created', async () => {
    touch(1_600_000_000);
    const a = await build(`kiln-sde-def/app:${stamp}-a`, EPOCH);
    touch(1_650_000_000);
    const b = await build(`kiln-sde-def/app:${stamp}-b`, EPOCH);
    expect(b.layers).toEqual(a.layers);
    expect(a.created).toBe('2023-11-14T22:13:20Z');

    // Without it the copy layer carries the files' own times.
    touch(1_600_000_000);
    const c = await build(`kiln-sde-def/app:${stamp}-c`, undefined);
    touch(1_650_000_000);
    const d = await build(`kiln-sde-def/app:${stamp}-d`, undefined);
    expect(d.layers).not.toEqual(c.layers);
    expect(c.created).not.toBe('2023-11-14T22:13:20Z');
  });

  it('gives files of a plain solve the epoch as their time in a directory export', async () => {
    touch(1_600_000_000);
    const dest = join(work, 'out');
    const plan = await planExport(parseOutputSpec(`type=local,dest=${dest}`), info, client.address.text);
    const def = marshal(image('busybox:latest').file(copy(local('ctx'), '/', '/app/')), { ignoreCache: true });
    const outcome = await client.solve(def, { exporter: plan.exporter, sessionServices: [...plan.sessionServices, fileSyncService([{ name: 'ctx', path: ctx }])], sourceDateEpoch: EPOCH });
    await plan.finish(outcome.exporterResponse);
    expect(statSync(join(dest, 'app', 'a.txt')).mtimeMs).toBe(EPOCH * 1000);
    expect(statSync(join(dest, 'app', 'sub', 'b.txt')).mtimeMs).toBe(EPOCH * 1000);
  });
});
