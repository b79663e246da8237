/**
 * Images built FROM an OCI layout directory on this machine, with no registry in the build: the layout is written by
 * `skopeo copy docker://… oci:DIR:TAG` (busybox from the test registry), then `Image.fromOciLayout(DIR, { tag })` and a
 * Dockerfile whose `FROM base` is the context `oci-layout://DIR:TAG` are built and `docker run`. The daemon reads the
 * blobs through the session; the layout is left as it was. On dockerd 20.10 (BuildKit v0.8, no `source.ocilayout`) the
 * build is refused by name, pointing at a registry and fromRegistry. A layout kiln wrote (`-o type=oci`, unpacked) is
 * the base of the next build, and `kiln build --watch` builds again when the layout is written again.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';
import { KILN_BIN, KILN_INDEX_URL, runKiln } from './kiln-cli.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const stamp = `${process.pid}-${Date.now()}`;
const created: string[] = [];
let client: Client;
let work: string;
let layout: string;
let supported: boolean;

const skopeoCopy = async (from: string, to: string): Promise<void> => {
  await promisify(execFile)('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${env.registry.address}/library/${from}`, `oci:${to}`]);
};

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
  await removeImages(created);
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

describe('OCI layouts with the CLI', () => {
  it('a layout kiln build -o type=oci wrote, unpacked, is the base of the next build (kiln build -o type=oci is refused on dockerd 20.10, as a layout base is)', async () => {
    const dir = mkdtempSync(join(work, 'round-trip-'));
    const tag = `kiln-it-oci-round-trip:${stamp}`;
    writeFileSync(join(dir, 'base.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromRegistry('busybox:latest').env({ STAGE: 'base' }).runCommands('echo "written ${stamp}" > /base.txt');\n`);
    writeFileSync(join(dir, 'app.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromOciLayout('base-layout', { tag: '1' }).runCommands('cat /base.txt > /app.txt && echo "$STAGE" >> /app.txt');\n`);
    const exported = await runKiln(['build', 'base.ts', '-o', 'type=oci,dest=base.tar,name=kiln-it-base:1', '--progress', 'quiet'], { cwd: dir });
    if (!supported) {
      expect(exported.code).toBe(1);
      expect(exported.stderr).toContain('oci exporter is not available');
      return;
    }
    expect(exported.code, exported.stderr).toBe(0);
    mkdirSync(join(dir, 'base-layout'));
    await promisify(execFile)('tar', ['-xf', join(dir, 'base.tar'), '-C', join(dir, 'base-layout')]);
    const built = await runKiln(['build', 'app.ts', '-t', tag, '--progress', 'quiet'], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    created.push(tag);
    // The base's file and its config (ENV) came through the layout.
    expect(await runImage(tag, 'cat', '/app.txt')).toBe(`written ${stamp}\nbase\n`);
  }, 240_000);

  it('kiln build --watch builds again when the layout is written again (skopeo copy moves its tag); dockerd 20.10 refuses every build naming source.ocilayout', async () => {
    const dir = mkdtempSync(join(work, 'watch-'));
    const tag = `kiln-it-oci-watch:${stamp}`;
    created.push(tag);
    await skopeoCopy('busybox:latest', join(dir, 'layout:app'));
    writeFileSync(join(dir, 'image.ts'), `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\nexport default Image.fromOciLayout('layout', { tag: 'app' }).runCommands('busybox | head -1 > /version.txt');\n`);
    const child = spawn(process.execPath, [KILN_BIN, 'build', 'image.ts', '-t', tag, '--progress', 'rawjson', '--watch'], {
      cwd: dir,
      env: { ...process.env, BUILDKIT_HOST: env.buildkitHost, DOCKER_HOST: env.dockerHost, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const events = (): Record<string, unknown>[] =>
      stderr.split('\n').filter((l) => l.startsWith('{"kiln"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const ended = (e: Record<string, unknown>): boolean => e['kiln'] === 'build-done' || e['kiln'] === 'build-failed';
    /** Waits (up to two minutes) until `found` holds of the events. */
    const until = async (what: string, found: (all: Record<string, unknown>[]) => boolean): Promise<void> => {
      const deadline = Date.now() + 120_000;
      while (!found(events())) {
        if (child.exitCode !== null) throw new Error(`kiln exited (${child.exitCode}) before ${what}:\n${stderr.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`no ${what} within two minutes:\n${stderr.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const index = join(dir, 'layout', 'index.json');
    try {
      await until('the end of build 1', (all) => all.some((e) => ended(e) && e['build'] === 1));
      // Written again: another image under the same tag.
      await skopeoCopy('busybox:1.35', join(dir, 'layout:app'));
      // The build that the new index.json started, and its end.
      await until('build for the new index.json', (all) => all.some((e) => e['kiln'] === 'build-started' && (e['changed'] as string[]).includes(index)));
      const second = events().find((e) => e['kiln'] === 'build-started' && (e['changed'] as string[]).includes(index))?.['build'] as number;
      await until(`the end of build ${second}`, (all) => all.some((e) => ended(e) && (e['build'] as number) >= second));
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130);
    const results = events().filter(ended);
    expect(results.length).toBeGreaterThanOrEqual(2);
    if (!supported) {
      for (const r of results) expect(r).toMatchObject({ kiln: 'build-failed', error: { code: 'unsupported', message: expect.stringContaining('needs LLB capability "source.ocilayout"') } });
      return;
    }
    // The first and the last build succeeded, the last on the image the layout's tag names now.
    expect(results[0]).toMatchObject({ kiln: 'build-done', build: 1 });
    expect(results.at(-1)).toMatchObject({ kiln: 'build-done' });
    expect(stdout.trim().split('\n').length).toBeGreaterThanOrEqual(2);
    expect(await runImage(tag, 'cat', '/version.txt')).toMatch(/^BusyBox v1\.35\./);
  }, 300_000);
});
