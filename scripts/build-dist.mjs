// `npm run build`: compiles src/ to dist/ (or --outDir DIR) and copies the generated protobuf codecs, which are
// JavaScript (src/proto/generated.js + .d.ts) and so not emitted by tsc.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outDir');
const outDir = resolve(at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : join(root, 'dist'));
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
mkdirSync(join(outDir, 'proto'), { recursive: true });
for (const f of ['generated.js', 'generated.d.ts']) copyFileSync(join(root, 'src', 'proto', f), join(outDir, 'proto', f));
