// `npm run build`: builds dist/ (or --outDir DIR). tsc writes the type declarations; esbuild bundles the JavaScript
// of the three entry points (the library `kiln`, `kiln/llb` and the CLI) into a few files. Node resolves and loads each
// file of an ES module graph separately, and kiln is ~170 modules: as files, loading them was most of the CLI's start
// (`kiln --version` ~0.26 s CPU against `node -e 0` 0.05 s). `splitting` puts the code the entry points share in
// shared chunks, so the CLI and a user's `import { Image } from 'kiln'` get the same module instance of each class
// (the CLI recognises the Image a module exports with instanceof). Dependencies stay packages of their own
// (`packages: 'external'`): bundling them gained little more, and would ship their code inside kiln's files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outDir');
const outDir = resolve(at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : join(root, 'dist'));
// The default dist/ is the build's own: a previous build's files (it once emitted one .js per source file) would
// otherwise stay in the package. Any other --outDir must be new or empty.
if (outDir === join(root, 'dist')) rmSync(outDir, { recursive: true, force: true });
else if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new Error(`build-dist: --outDir ${outDir} is not empty`);
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir, '--emitDeclarationOnly'], { stdio: 'inherit' });
mkdirSync(join(outDir, 'proto'), { recursive: true });
copyFileSync(join(root, 'src', 'proto', 'generated.d.ts'), join(outDir, 'proto', 'generated.d.ts'));
await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts', 'llb/index': 'src/llb/index.ts', 'cli/main': 'src/cli/main.ts' },
  outdir: outDir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
