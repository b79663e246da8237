import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const committedDir = join(repoRoot, 'src', 'proto');

// Regenerating runs pbjs twice and pbts once; give it room on a busy 2-core machine.
const GENERATE_TIMEOUT_MS = 180_000;

describe('generated protobuf codecs', () => {
  let outDir = '';

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'kiln-proto-regen-'));
    await run(process.execPath, [join(repoRoot, 'scripts', 'gen-proto.mjs'), '--out', outDir], { cwd: repoRoot });
  }, GENERATE_TIMEOUT_MS);

  afterAll(async () => {
    if (outDir !== '') await rm(outDir, { recursive: true, force: true });
  });

  for (const file of ['generated.js', 'generated.d.ts']) {
    it(`src/proto/${file} is exactly what scripts/gen-proto.mjs produces from proto/`, async () => {
      const [committed, fresh] = await Promise.all([
        readFile(join(committedDir, file)),
        readFile(join(outDir, file)),
      ]);
      // On failure: run `npm run gen:proto` and commit the result (never edit the generated files by hand).
      expect(committed.equals(fresh), `src/proto/${file} is stale or hand-edited; run npm run gen:proto`).toBe(true);
    });
  }

  it('says in its first line that it is generated and by which command', async () => {
    for (const file of ['generated.js', 'generated.d.ts']) {
      const firstLine = (await readFile(join(committedDir, file), 'utf8')).split('\n', 1)[0];
      expect(firstLine).toMatch(/^\/\/ GENERATED .*node scripts\/gen-proto\.mjs/);
    }
  });

  it('rejects an --out flag without a directory', async () => {
    await expect(run(process.execPath, [join(repoRoot, 'scripts', 'gen-proto.mjs'), '--out'], { cwd: repoRoot })).rejects.toMatchObject({
      stderr: expect.stringContaining('--out needs a directory'),
    });
  });
});
