/**
 * Small BuildKit Go `client/llb` programs ported to kiln/llb (their unit counterparts, with the bytes, are in
 * test/unit/llb-go-ports.test.ts), built on the real daemon: a multi-stage build with a cache mount, a base image's
 * config carried into the state as `llb.Image(…, llb.WithMetaResolver(…))` does, a working directory written with a
 * trailing slash, merge and diff, and an image read from an OCI layout the session serves (`llb.OCILayout`).
 * Each result is read back through the gateway.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/client/build.js';
import { Client } from '../../src/client/client.js';
import { diff, image, marshal, merge, mkfile, ociLayout, scratch, type State } from '../../src/llb/index.js';
import { contentService } from '../../src/session/content-service.js';
import { DirectoryContentStore } from '../../src/session/content-store.js';
import { testEnv } from './test-env.js';

const env = testEnv();
const BUSYBOX = 'docker.io/library/busybox:latest';
const PYTHON = 'docker.io/library/python:3.11-slim';
const run = `${process.pid}-${Date.now()}`;
let client: Client;
let work: string;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  work = mkdtempSync(join(tmpdir(), 'kiln-llb-ports-'));
});

afterAll(async () => {
  await client?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

async function readText(gw: Gateway, state: State, path: string): Promise<string> {
  const ref = await gw.solve(marshal(state, { caps: gw.llbCaps }));
  return Buffer.from(await gw.readFile(ref, path)).toString('utf8');
}

describe('Go llb programs ported to kiln, built', () => {
  it('a multi-stage build: the build stage writes to a mount and a cache, the result is copied into scratch', async () => {
    await client.build({}, async (gw) => {
      const sources = scratch().mkfile('/main.sh', `echo built-${run}\n`);
      const build = image(BUSYBOX)
        .dir('/src')
        .addEnv('STAMP', run)
        .run(['sh', '-c', 'cp main.sh /out/app && echo "$STAMP" >> /root/.cache/build/log && wc -l < /root/.cache/build/log > /out/count'], {
          mounts: [
            { type: 'bind', dest: '/src', source: sources, readonly: true },
            { type: 'cache', dest: '/root/.cache/build', id: `ports-${run}`, sharing: 'locked' },
            { type: 'bind', dest: '/out', source: scratch() },
          ],
        });
      const final = scratch().copy(build.mount('/out'), '/', '/usr/local/bin/', { createDestPath: true });
      expect(await readText(gw, final, '/usr/local/bin/app')).toBe(`echo built-${run}\n`);
      expect((await readText(gw, final, '/usr/local/bin/count')).trim()).toBe('1');
      return {};
    });
  });

  it("a base image's config carried into the state with withImageConfig (Go's WithMetaResolver / WithImageConfig)", async () => {
    await client.build({}, async (gw) => {
      const { config } = await gw.resolveImageConfig(PYTHON);
      const base = image(PYTHON).withImageConfig(config);
      expect(base.getEnv('PYTHON_VERSION')).toMatch(/^3\.11\./);
      const report = base
        .dir('/work/')
        .run(['sh', '-c', `mkdir -p /o && { echo "$PYTHON_VERSION"; pwd; echo "$PATH"; } > /o/r-${run}`])
        .root();
      const lines = (await readText(gw, report, `/o/r-${run}`)).trim().split('\n');
      expect(lines).toEqual([base.getEnv('PYTHON_VERSION'), '/work', base.getEnv('PATH')]);
      return {};
    });
  });

  it('merge and diff: run where the daemon has mergeop/diffop; merge falls back to copies and diff is refused by name where not', async () => {
    await client.build({}, async (gw) => {
      const base = image(BUSYBOX);
      const a = scratch().mkfile('/a', 'a\n');
      const b = scratch().file(mkfile('/b', 'b\n'));
      const merged = merge([base, a, b]);
      expect(await readText(gw, merged, '/a')).toBe('a\n');
      expect(await readText(gw, merged, '/b')).toBe('b\n');
      const upper = base.run(['sh', '-c', `echo ${run} > /added`]).root();
      const changes = diff(base, upper);
      if (gw.llbCaps.has('diffop')) {
        expect(await readText(gw, changes, '/added')).toBe(`${run}\n`);
        // Only what the run changed: busybox's /bin/sh is not in the diff.
        const ref = await gw.solve(marshal(changes, { caps: gw.llbCaps }));
        await expect(gw.readFile(ref, '/bin/sh')).rejects.toThrow();
      } else {
        expect(() => marshal(changes, { caps: gw.llbCaps })).toThrow(
          expect.objectContaining({ code: 'unsupported', message: expect.stringContaining('"diffop" (BuildKit v0.10+)') }),
        );
      }
      return {};
    });
  });

  it('ociLayout reads an image from an OCI layout the session serves, or is refused by name on a daemon without it', async () => {
    const layout = join(work, 'oci');
    await promisify(execFile)('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${env.registry.address}/library/busybox:latest`, `oci:${layout}:latest`]);
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const digest = index.manifests[0]!.digest;
    const store = new DirectoryContentStore(layout, { writable: false });
    const storeId = `ports-layout-${run}`;
    try {
      await client.build({ sessionServices: [contentService(new Map([[`oci:${storeId}`, store]]))] }, async (gw) => {
        const st = ociLayout(`docker.io/library/busybox@${digest}`, { storeId }).run(['sh', '-c', `mkdir -p /o && echo ok > /o/r`]).root();
        if (gw.llbCaps.has('source.ocilayout')) {
          expect(await readText(gw, st, '/o/r')).toBe('ok\n');
        } else {
          expect(() => marshal(st, { caps: gw.llbCaps })).toThrow(
            expect.objectContaining({ code: 'unsupported', message: expect.stringContaining('"source.ocilayout" (BuildKit v0.11+)') }),
          );
        }
        return {};
      });
    } finally {
      await store.dispose();
    }
  });
});
