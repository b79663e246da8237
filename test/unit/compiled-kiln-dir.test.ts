import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledKilnDir } from '../integration/compiled-kiln.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A checkout with what the compiled CLI is built from (src/ and the build's inputs), all the same in every one. */
function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-checkout-'));
  made.push(dir);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'index.ts'), 'export const x = 1;\n');
  for (const f of ['bin/kiln.js', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-dist.mjs']) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), `${f}\n`);
  }
  return dir;
}

describe('compiledKilnDir (the integration tests’ build of the CLI)', () => {
  it('is another build for another checkout of the same sources, whose node_modules and proto/ it links to', () => {
    const a = checkout();
    const b = join(tmpdir(), `${a.split('/').pop()!}-copy`);
    cpSync(a, b, { recursive: true });
    made.push(b);
    expect(compiledKilnDir(a)).toBe(compiledKilnDir(a));
    expect(compiledKilnDir(b)).not.toBe(compiledKilnDir(a));
  });

  it('is another build when a source changes', () => {
    const a = checkout();
    const before = compiledKilnDir(a);
    writeFileSync(join(a, 'src', 'index.ts'), 'export const x = 2;\n');
    expect(compiledKilnDir(a)).not.toBe(before);
  });
});
