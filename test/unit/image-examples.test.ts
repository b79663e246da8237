/**
 * Every example in examples/ (ports of the Chutes, Kubetorch and Modal seed documents) compiles offline to the LLB
 * recorded in test/fixtures/image/examples/<file>.json (a `buildctl debug dump-llb`-shaped dump), with the image
 * config, the plan (which steps became independent layers) and the equivalent Dockerfile.
 *
 * Regenerate the goldens after an intended change with `KILN_UPDATE_GOLDEN=1 npx vitest run --project unit
 * test/unit/image-examples.test.ts` and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { Image, compileImage } from '../../src/image/index.js';
import { dumpLLB, formatDumpLLB } from '../../src/llb/index.js';
import { DOCKERD_20_10_CAPS, MODERN_CAPS, kinds } from '../fixtures/image/helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const contextDir = join(root, 'examples', 'context');
const goldenDir = join(root, 'test', 'fixtures', 'image', 'examples');
const update = process.env['KILN_UPDATE_GOLDEN'] === '1';

const MODULES = {
  'chutes-image-reference': () => import('../../examples/chutes-image-reference.js'),
  'chutes-images-guide': () => import('../../examples/chutes-images-guide.js'),
  'kubetorch-image': () => import('../../examples/kubetorch-image.js'),
  'modal-image-reference': () => import('../../examples/modal-image-reference.js'),
  'modal-images-guide': () => import('../../examples/modal-images-guide.js'),
  'independent-steps': () => import('../../examples/independent-steps.js'),
} as const;
const FILES = Object.keys(MODULES) as (keyof typeof MODULES)[];

let previousCwd = '';
const loaded = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  previousCwd = process.cwd();
  // Examples name local files relative to their context, as a user running from that directory would.
  process.chdir(contextDir);
  for (const f of FILES) loaded.set(f, (await MODULES[f]()) as Record<string, unknown>);
});

afterAll(() => {
  process.chdir(previousCwd);
});

function imagesOf(file: string): [string, Image][] {
  const mod = loaded.get(file) ?? {};
  return Object.entries(mod).filter((e): e is [string, Image] => e[1] instanceof Image);
}

interface Golden {
  readonly digest: string;
  readonly plan: readonly string[];
  readonly config: unknown;
  readonly dockerfile: string;
  readonly llb: readonly unknown[];
}

function render(image: Image): Golden {
  const compiled = compileImage(image);
  return {
    digest: compiled.definition.digest() ?? '',
    plan: compiled.plan.map((p) => `${p.mode}: ${p.name}${p.reason === '' ? '' : ` (${p.reason})`}`),
    config: JSON.parse(JSON.stringify(compiled.config)),
    dockerfile: image.toDockerfile(),
    llb: formatDumpLLB(dumpLLB(compiled.definition))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown),
  };
}

describe.each(FILES)('examples/%s.ts', (file) => {
  it('exports images', () => {
    expect(imagesOf(file).length).toBeGreaterThan(3);
  });

  it('compiles every image to the recorded LLB, config, plan and Dockerfile', () => {
    const actual: Record<string, Golden> = {};
    for (const [name, image] of imagesOf(file)) actual[name] = render(image);
    const path = join(goldenDir, `${file}.json`);
    if (update) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(path, `${JSON.stringify(actual, null, 1)}\n`);
    }
    // A missing golden is a failure, not a fresh recording: writing it here would pass whatever the example compiles to.
    expect(existsSync(path), `${path} is missing; record it with KILN_UPDATE_GOLDEN=1`).toBe(true);
    const golden = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Golden>;
    expect(Object.keys(actual).sort()).toEqual(Object.keys(golden).sort());
    for (const name of Object.keys(actual)) expect({ name, ...actual[name] }).toEqual({ name, ...golden[name] });
  });

  it('compiles the same way twice (digests are deterministic)', () => {
    for (const [, image] of imagesOf(file)) expect(image.digest()).toBe(image.digest());
  });

  it('compiles against dockerd 20.10 (merges and diffs become copies) and a modern daemon (merge ops), GPU steps excepted', () => {
    for (const [name, image] of imagesOf(file)) {
      const gpu = compileImage(image).gpuSteps.length > 0;
      for (const caps of [DOCKERD_20_10_CAPS, MODERN_CAPS]) {
        if (gpu) {
          let err: unknown;
          try {
            compileImage(image, { caps });
          } catch (e) {
            err = e;
          }
          expect(KilnError.is(err, 'unsupported'), name).toBe(true);
          continue;
        }
        const def = compileImage(image, { caps }).definition;
        if (caps === DOCKERD_20_10_CAPS) expect((kinds(def)['merge'] ?? 0) + (kinds(def)['diff'] ?? 0), name).toBe(0);
      }
    }
  });
});

describe('examples overall', () => {
  it('cover every seed capability family at least once', () => {
    const all = FILES.flatMap((f) => imagesOf(f).map(([, image]) => compileImage(image)));
    const names = all.flatMap((c) => c.plan.map((p) => p.name)).join('\n');
    for (const needle of ['apt-get install', 'pip install', 'uv pip install', 'micromamba install', 'install python', 'poetry install', 'run scripts/download_models.py', 'rsync', 'copy']) {
      expect(names).toContain(needle);
    }
    expect(all.some((c) => c.plan.some((p) => p.mode === 'linked'))).toBe(true);
    expect(all.some((c) => c.plan.some((p) => p.mode === 'branch'))).toBe(true);
    expect(all.some((c) => c.secrets.length > 0)).toBe(true);
    expect(all.some((c) => c.registrySecrets.size > 0)).toBe(true);
    expect(all.some((c) => c.gpuSteps.length > 0)).toBe(true);
  });
});
