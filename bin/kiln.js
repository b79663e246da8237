#!/usr/bin/env node
// Entry point of the kiln CLI: runs the compiled build if present, else the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');
const source = join(root, 'src', 'cli', 'main.ts');
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
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
