/**
 * Independent run steps (`outputs`) on the real daemon: they run side by side, only their declared outputs reach the
 * image, and editing one leaves the others cached (the status stream says so). Also the package stand-ins the image
 * benchmarks use (a flat apt repository and a PEP 503 index on the build bridge) work for real installs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { Image, buildImage, type BuiltImage } from '../../src/image/index.js';
import { demoDeb, demoWheel, serveAptRepository, servePackageIndex } from '../../bench/package-stand-ins.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const run = Math.random().toString(36).slice(2, 8);
const created: string[] = [];
let client: Client;
let context = '';

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  context = mkdtempSync(join(tmpdir(), 'kiln-branches-it-'));
});

afterAll(async () => {
  await client?.close();
  rmSync(context, { recursive: true, force: true });
  await removeImages(created);
});

async function build(name: string, image: Image): Promise<BuiltImage & { readonly tag: string }> {
  const tag = `kiln-it/${name}:${run}`;
  if (!created.includes(tag)) created.push(tag);
  return { ...(await buildImage(client, image, { tags: [tag], context })), tag };
}

async function runIn(tag: string, script: string): Promise<string> {
  return (await dockerCli(['run', '--rm', '--network', 'none', tag, 'sh', '-c', script])).stdout;
}

/** Steps, by name, as the daemon reported them. */
function vertices(built: BuiltImage): Map<string, { cached: boolean; start: number; end: number }> {
  const out = new Map<string, { cached: boolean; start: number; end: number }>();
  for (const s of built.outcome.progress.steps.values()) {
    if (s.kind !== 'vertex') continue;
    const start = Math.min(...s.intervals.map((i) => i.start));
    const end = Math.max(...s.intervals.map((i) => i.end ?? i.start));
    out.set(s.name, { cached: s.cached, start, end });
  }
  return out;
}

describe('independent run steps on the daemon', () => {
  const step = (name: string, token: string): string => `sleep 2 && mkdir -p /opt/${name} && echo ${token} > /opt/${name}/v && echo junk > /tmp/junk-${name}`;
  const image = (b: string): Image =>
    Image.fromRegistry('debian:bookworm-slim')
      .runCommands(`echo ${run} > /base.txt`)
      .runCommands(step('a', `a-${run}`), { outputs: ['/opt/a'] })
      .runCommands(step('b', b), { outputs: ['/opt/b'] })
      .runCommands(step('c', `c-${run}`), { outputs: ['/opt/c'] })
      .runCommands('cat /opt/a/v /opt/b/v /opt/c/v > /all.txt');

  it('run side by side, keep only their outputs, and a rebuild after editing one reuses the others', async () => {
    const first = await build('branches', image(`b-${run}`));
    expect(first.compiled.plan.map((p) => p.mode)).toEqual(['chain', 'branch', 'branch', 'branch', 'chain']);
    const v1 = vertices(first);
    const members = ['a', 'b', 'c'].map((n) => v1.get(step(n, n === 'b' ? `b-${run}` : `${n}-${run}`)));
    for (const m of members) expect(m?.cached).toBe(false);
    // All three were running at the same time: each started before any of them finished.
    const latestStart = Math.max(...members.map((m) => m?.start ?? Infinity));
    const firstEnd = Math.min(...members.map((m) => m?.end ?? -Infinity));
    expect(latestStart).toBeLessThan(firstEnd);
    expect((await runIn(first.tag, 'cat /all.txt')).trim().split('\n')).toEqual([`a-${run}`, `b-${run}`, `c-${run}`]);
    expect((await runIn(first.tag, 'ls /tmp | grep -c junk || true')).trim()).toBe('0');

    const second = await build('branches', image(`b-edited-${run}`));
    const v2 = vertices(second);
    expect(v2.get(step('a', `a-${run}`))?.cached).toBe(true);
    expect(v2.get(step('c', `c-${run}`))?.cached).toBe(true);
    expect(v2.get(step('b', `b-edited-${run}`))?.cached).toBe(false);
    expect(v2.get(`echo ${run} > /base.txt`)?.cached).toBe(true);
    expect((await runIn(second.tag, 'cat /all.txt')).trim().split('\n')).toEqual([`a-${run}`, `b-edited-${run}`, `c-${run}`]);
  });

  it('a missing output fails the build, naming the path', async () => {
    const broken = Image.fromRegistry('debian:bookworm-slim').runCommands(`echo ${run} > /elsewhere`, { outputs: ['/opt/never-written'] });
    await expect(buildImage(client, broken, { context })).rejects.toThrow(/never-written/);
  });
});

describe('package stand-ins', () => {
  it('apt installs from the local flat repository and pip from the local index, next to an independent step', async () => {
    const repo = await serveAptRepository(env.bridge.gateway, [
      demoDeb('kiln-it-tool', '1.0', { '/usr/bin/kiln-it-tool': '#!/bin/sh\necho kiln tool says hi\n' }, ['kiln-it-data']),
      demoDeb('kiln-it-data', '2.0', { '/usr/share/kiln-it-data/README': 'data\n' }),
    ]);
    const index = await servePackageIndex(env.bridge.gateway, [{ project: 'kiln-it-lib', ...demoWheel('kiln_it_lib', `0.3.${parseInt(run, 36)}`, `lib ${run}`, 3) }]);
    try {
      const image = Image.fromRegistry('python:3.11-slim')
        .runCommands(`rm -f /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources && echo '${repo.sourcesLine}' > /etc/apt/sources.list.d/kiln-it.list`)
        .aptInstall('kiln-it-tool')
        // A version of its own per run: the same name and version with other content at the same index URL (a port
        // used again) is served from pip's HTTP cache in the shared cache mount, as for any pip user.
        .pipInstall(`kiln-it-lib==0.3.${parseInt(run, 36)}`, { indexUrl: index.url, extraOptions: ['--trusted-host', index.host] })
        .runCommands(`mkdir -p /opt/gen && python3 -c "import kiln_it_lib.m2, kiln_it_lib; print(kiln_it_lib.GREETING)" > /opt/gen/greeting`, { outputs: ['/opt/gen'] });
      const built = await build('stand-ins', image);
      expect((await runIn(built.tag, 'kiln-it-tool; cat /usr/share/kiln-it-data/README /opt/gen/greeting')).trim().split('\n')).toEqual(['kiln tool says hi', 'data', `lib ${run}`]);
    } finally {
      await repo.close();
      await index.close();
    }
  });
});
