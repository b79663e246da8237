/**
 * Byte counts of the exports kiln receives (tar, oci, docker tarballs) and of a load into Docker from a buildkitd, as
 * a user sees them in the progress: a step with counters whose final total is the size of what arrived.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecording, type StatusEvent, type StatusUpdate } from '../../src/progress/index.js';
import { runKiln, KILN_INDEX_URL, type CliRun } from './kiln-cli.js';
import { dockerCli, testEnv, removeImages } from './test-env.js';

const env = testEnv();
const stamp = `${process.pid}-${Date.now()}`;
const created: string[] = [];
let work: string;

const kiln = (args: readonly string[]): Promise<CliRun> => runKiln(args, { cwd: work });

/** The last update of each counter under the step whose name starts with `step`. */
function counters(events: readonly StatusEvent[], step: string): Map<string, StatusUpdate> {
  const vertexes = new Set(events.flatMap((e) => e.vertexes).filter((v) => v.name.startsWith(step)).map((v) => v.digest));
  const last = new Map<string, StatusUpdate>();
  for (const s of events.flatMap((e) => e.statuses)) if (vertexes.has(s.vertex)) last.set(s.id, s);
  return last;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kiln-export-progress-'));
  // 8 MiB that do not compress: the tarball is several reads and writes long.
  writeFileSync(
    join(work, 'image.ts'),
    `import { Image } from ${JSON.stringify(KILN_INDEX_URL)};\n` +
      `export default Image.fromRegistry('busybox:latest').runCommands('echo ${stamp} >/dev/null; head -c 8388608 /dev/urandom > /blob').cmd(['wc', '-c', '/blob']);\n`,
  );
});

afterAll(async () => {
  await removeImages(created);
  rmSync(work, { recursive: true, force: true });
});

describe('export progress', () => {
  it('a tar export shows the bytes received, with the tarball\'s size as the final total', async () => {
    const dest = join(work, 'out.tar');
    const r = await kiln(['build', 'image.ts', '--progress', 'rawjson', '-o', `type=tar,dest=${dest}`]);
    expect(r.code).toBe(0);
    const received = counters(parseRecording(r.stderr), '[kiln] receiving the tar tarball into').get('received');
    const size = statSync(dest).size;
    expect(size).toBeGreaterThan(8 * 1024 * 1024);
    expect(received).toMatchObject({ name: 'received', current: size, total: size });
    expect(received?.completed).toBeDefined();
  });

  // From a buildkitd kiln streams the docker tarball into Docker's image load itself; dockerd stores the image with its
  // own exporter, and nothing goes through kiln.
  it('--load from a buildkitd shows the bytes received and sent to Docker (no such step on dockerd), and the image runs', async () => {
    const tag = `kiln-export-progress:${stamp}`;
    created.push(tag);
    const r = await kiln(['build', 'image.ts', '--progress', 'rawjson', '--load', '-t', tag]);
    expect(r.code).toBe(0);
    const last = counters(parseRecording(r.stderr), '[kiln] loading the image into Docker');
    expect((await dockerCli(['run', '--rm', '--network', 'none', tag])).stdout).toBe('8388608 /blob\n');
    if (env.buildkitHost.startsWith('docker://')) {
      expect(last.size).toBe(0);
      return;
    }
    const received = last.get('received');
    const sent = last.get('sent to Docker');
    expect(received?.total).toBeGreaterThan(8 * 1024 * 1024);
    expect(received).toMatchObject({ current: received?.total });
    expect(sent).toMatchObject({ current: received?.total, total: received?.total });
  });
});
