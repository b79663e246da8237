/**
 * kiln's published declarations in the strictest user project: test/types/strict-consumer (strict,
 * exactOptionalPropertyTypes, noUncheckedIndexedAccess, verbatimModuleSyntax, isolatedModules, skipLibCheck false)
 * imports `kiln` and `kiln/llb` by package name from the built package (dist/ + package.json `exports`, laid out as
 * npm installs it), under moduleResolution nodenext and bundler, and as CommonJS: node10 (`types`/`typesVersions`,
 * no `exports`) and a .cts file under node16. It passes an explicit undefined for every optional setting of every
 * public option type, and makes the README's typical calls.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let work: string;
let project: string;
let pkg: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kiln-strict-consumer-'));
  project = join(work, 'project');
  cpSync(join(root, 'test', 'types', 'strict-consumer'), project, { recursive: true });
  pkg = join(project, 'node_modules', 'kiln');
  mkdirSync(pkg, { recursive: true });
  execFileSync(process.execPath, [join(root, 'scripts', 'build-dist.mjs'), '--outDir', join(pkg, 'dist')], { stdio: 'pipe' });
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  // kiln's dependencies as npm installs them beside it, and the user's @types/node.
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  symlinkSync(join(root, 'node_modules', '@types'), join(project, 'node_modules', '@types'));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a strict TypeScript project using the built package', () => {
  for (const resolution of ['nodenext', 'bundler', 'node10', 'cts']) {
    it(`compiles with ${resolution === 'cts' ? 'a CommonJS .cts file under node16' : `moduleResolution ${resolution}`}, from kiln's shipped declarations only`, () => {
      let listed = '';
      try {
        listed = execFileSync(process.execPath, [tsc, '-p', join(project, `tsconfig.${resolution}.json`), '--listFiles'], { encoding: 'utf8' });
      } catch (e) {
        throw new Error(`tsc (${resolution}) failed:\n${(e as { stdout?: string }).stdout ?? String(e)}`);
      }
      const kilnFiles = listed.split('\n').filter((f) => f.startsWith(pkg)).map((f) => relative(pkg, f));
      expect(kilnFiles).toContain('dist/index.d.ts');
      expect(kilnFiles).toContain('dist/llb/index.d.ts');
      // Declarations only, and not the generated protobuf ones (no public type names them).
      expect(kilnFiles.filter((f) => !f.startsWith('dist/') || !f.endsWith('.d.ts') || f.startsWith('dist/proto/'))).toEqual([]);
      // Nor kiln's dependencies': grpc-js's declarations (and `long`, which they import) fail to compile under some
      // settings (TypeScript 5.0-5.4 with moduleResolution bundler and skipLibCheck false: 40 errors in long's types).
      expect(listed.split('\n').filter((f) => /\/node_modules\/(@grpc|@protobufjs|protobufjs|long|tar-fs|commander|esbuild)\//.test(f))).toEqual([]);
    }, 120_000);
  }
});
