// `npm run build`: builds dist/ (or --outDir DIR). tsc writes the type declarations; esbuild bundles the JavaScript
// of the three entry points (the library `kiln`, `kiln/llb` and the CLI) into a few files. Node resolves and loads each
// file of an ES module graph separately, and kiln is ~170 modules: as files, loading them was most of the CLI's start
// (`kiln --version` ~0.26 s CPU against `node -e 0` 0.05 s). `splitting` puts the code the entry points share in
// shared chunks, so the CLI and a user's `import { Image } from 'kiln'` get the same module instance of each class
// (the CLI recognises the Image a module exports with instanceof). Dependencies stay packages of their own
// (`packages: 'external'`): bundling them gained little more, and would ship their code inside kiln's files.
//
// Each file gets a source map (`file.js.map`, which the file's last line names), so that `kiln --debug` stack traces
// name kiln's TypeScript sources (`node_modules/kiln/src/cli/commands/build-action.ts:147:23`, the path in kiln's
// repository) rather than `dist/chunks/chunk-HASH.js:LINE`. Node reads them only when source maps are on (the CLI
// turns them on for --debug, src/cli/main.ts). The maps hold no sourcesContent and src/ is not shipped: the path and
// line are what a bug report needs, and either would add ~1.5 MB (3 MB with the generated protobuf codecs) to the
// package and, as sourcesContent, to what Node reads. Their `sources` are written relative to where the map is in
// the package (dist/…), whatever --outDir the build wrote to.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
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
  sourcemap: 'linked',
  sourcesContent: false,
});
for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js.map'))) {
  const path = join(outDir, file);
  const map = JSON.parse(readFileSync(path, 'utf8'));
  const inPackage = dirname(join(root, 'dist', file));
  map.sources = map.sources.map((s) => relative(inPackage, resolve(dirname(path), s)).split(sep).join('/'));
  writeFileSync(path, JSON.stringify(map));
}
