/**
 * Images built FROM an OCI layout directory on this machine, with no registry in the build: the layout is written by
 * `skopeo copy docker://… oci:DIR:TAG` (busybox from the test registry), then `Image.fromOciLayout(DIR, { tag })` and a
 * Dockerfile whose `FROM base` is the context `oci-layout://DIR:TAG` are built and `docker run`. The daemon reads the
 * blobs through the session; the layout is left as it was. On dockerd 20.10 (BuildKit v0.8, no `source.ocilayout`) the
 * build is refused by name, pointing at a registry and fromRegistry.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';
import { dockerCli, testEnv } from './test-env.js';

const env = testEnv();
const stamp = `${process.pid}-${Date.now()}`;
const created: string[] = [];
let client: Client;
let work: string;
let layout: string;
let supported: boolean;

const runImage = async (tag: string, ...cmd: string[]): Promise<string> => (await dockerCli(['run', '--rm', '--network', 'none', tag, ...cmd])).stdout;

beforeAll(async () => {
  client = await Client.connect({ address: env.buildkitHost });
  work = mkdtempSync(join(tmpdir(), 'kiln-oci-layout-it-'));
  layout = join(work, 'busybox-layout');
  await promisify(execFile)('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${env.registry.address}/library/busybox:latest`, `oci:${layout}:1.0`]);
  supported = await capsHaveOciLayout();
});

async function capsHaveOciLayout(): Promise<boolean> {
  let has = false;
  await client.build({}, async (gw) => {
    has = gw.llbCaps.has('source.ocilayout');
    return {};
  });
  return has;
}

afterAll(async () => {
  await client?.close();
  if (created.length > 0) await dockerCli(['rmi', '-f', ...created], { allowFailure: true });
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('building FROM an OCI layout', () => {
  it('Image.fromOciLayout: steps run on the layout image with its config, and docker run shows them', async () => {
    const tag = `kiln-it-oci-layout:${stamp}`;
    const before = readdirSync(layout, { recursive: true }).sort();
    const img = Image.fromOciLayout(layout, { tag: '1.0' }).runCommands(`echo "layout ${stamp} $PATH" > /made.txt`);
    if (!supported) {
      const err = await buildImage(client, img, { tags: [tag] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(KilnError.is(err, 'unsupported')).toBe(true);
      expect((err as KilnError).message).toContain('needs LLB capability "source.ocilayout" (BuildKit v0.11+)');
      expect((err as KilnError).hint).toContain('Image.fromRegistry');
      return;
    }
    await buildImage(client, img, { tags: [tag] });
    created.push(tag);
    // busybox's PATH (from the layout's config) in the step; its Cmd (sh) kept.
    expect(await runImage(tag, 'cat', '/made.txt')).toBe(`layout ${stamp} /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n`);
    expect((await dockerCli(['image', 'inspect', '--format', '{{json .Config.Cmd}}', tag])).stdout.trim()).toBe('["sh"]');
    expect(readdirSync(layout, { recursive: true }).sort()).toEqual(before);
  });

  it('a Dockerfile context oci-layout://DIR:TAG replaces FROM base', async () => {
    const tag = `kiln-it-oci-layout-df:${stamp}`;
    const dockerfile = join(work, 'Dockerfile');
    writeFileSync(dockerfile, `FROM base\nRUN echo "dockerfile ${stamp}" > /df.txt\nCMD ["cat", "/df.txt"]\n`);
    const img = Image.fromDockerfile(dockerfile, { context: work, contexts: { base: `oci-layout://${layout}:1.0` } });
    if (!supported) {
      await expect(buildImage(client, img, { tags: [tag], context: work })).rejects.toMatchObject({ code: 'unsupported' });
      return;
    }
    await buildImage(client, img, { tags: [tag], context: work });
    created.push(tag);
    expect(await runImage(tag)).toBe(`dockerfile ${stamp}\n`);
  });
});
