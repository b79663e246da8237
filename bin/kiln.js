#!/usr/bin/env node
// Entry point of the kiln CLI: runs the compiled build if present, else the TypeScript sources through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');
const source = join(root, 'src', 'cli', 'main.ts');

/**
 * In a checkout that has both (an installed package ships no src/): a source file changed since dist/ was built, which
 * running dist/ would silently ignore; undefined when the build is newer than every source file.
 */
function editedSinceBuild() {
  const builtAt = statSync(built).mtimeMs;
  const src = join(root, 'src');
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (statSync(path).mtimeMs > builtAt) return path.slice(root.length + 1);
  }
  return undefined;
}

if (existsSync(built)) {
  const edited = existsSync(source) ? editedSinceBuild() : undefined;
  if (edited !== undefined) {
    process.stderr.write(
      `error: ${join(root, 'dist')} is older than ${edited}: this checkout's kiln would run its previous build, not the sources as they are now\n` +
        'hint: Run `npm run build` to build the sources again, or `rm -rf dist` to run them as they are (through tsx).\n',
    );
    process.exitCode = 1;
  } else {
    await import(pathToFileURL(built).href);
  }
} else if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  // A package without its build: installed from a git URL, or from a checkout that was not packed.
  process.stderr.write(
    `error: this kiln installation (${root}) has neither its build (dist/) nor its sources (src/)\n` +
      'hint: Install kiln from the tarball `npm pack` makes in a kiln checkout (it builds dist/): npm install <checkout>/kiln-<version>.tgz\n',
  );
  process.exitCode = 1;
}
