/**
 * Test support: kiln compiled (scripts/build-dist.mjs, as `npm pack` builds it), laid out as an installed package
 * (bin/, dist/, proto/, package.json, the checkout's node_modules), for CLI tests that spawn many short `kiln` runs.
 * Spawned from the checkout, bin/kiln.js runs the TypeScript sources through tsx, which costs about half a second
 * per run more than the compiled CLI; the build costs ~15 s once. It is kept under the OS temp directory, named by a
 * hash of what it is built from and of the checkout it is built in, so that the passes of `npm test` (and a re-run
 * with unchanged sources) build it once, and a change to the sources builds it again. The checkout is part of the
 * name because the build links to the checkout's node_modules and proto/: another checkout of the same sources (a
 * second clone, CI's next clean checkout) must not pick up a build whose links point into one since deleted.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = join(import.meta.dirname, '..', '..');
/** What the build reads, besides src/. */
const INPUTS = ['bin/kiln.js', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-dist.mjs'];
/** Builds of other sources older than this are removed when a new one is made. */
const STALE_MS = 24 * 3600 * 1000;

/** The compiled CLI and its library, as a module written for it imports kiln. */
export interface CompiledKiln {
  /** The CLI entry point (`bin/kiln.js` of the package, which runs dist/). */
  readonly bin: string;
  /** `dist/index.js` as a file URL: what a module the compiled CLI loads must import (the CLI's own `Image`). */
  readonly indexUrl: string;
  /** The compiled tree itself (what `npm pack` puts under dist/). */
  readonly dist: string;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

function sourceHash(repo: string): string {
  const hash = createHash('sha256').update(`${repo}\0`);
  for (const file of [...files(join(repo, 'src')), ...INPUTS.map((f) => join(repo, f))].sort()) {
    hash.update(`${relative(repo, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where the build of the checkout at `repo` (its current sources) is kept. */
export function compiledKilnDir(repo: string): string {
  return join(tmpdir(), `kiln-it-dist-${sourceHash(repo)}`);
}

/** Builds kiln from the checkout's current sources, or finds the build already made of them. */
export function compiledKiln(): CompiledKiln {
  const root = compiledKilnDir(repo);
  const result: CompiledKiln = { bin: join(root, 'bin', 'kiln.js'), indexUrl: pathToFileURL(join(root, 'dist', 'index.js')).href, dist: join(root, 'dist') };
  if (existsSync(join(root, 'dist', 'cli', 'main.js'))) return result;
  // Built aside and renamed into place: a concurrent run building the same sources finds either nothing or all of it.
  const building = `${root}.${process.pid}-${Date.now()}`;
  mkdirSync(join(building, 'bin'), { recursive: true });
  try {
    execFileSync(process.execPath, [join(repo, 'scripts', 'build-dist.mjs'), '--outDir', join(building, 'dist')], { stdio: ['ignore', 'inherit', 'inherit'] });
    cpSync(join(repo, 'bin', 'kiln.js'), join(building, 'bin', 'kiln.js'));
    cpSync(join(repo, 'package.json'), join(building, 'package.json'));
    symlinkSync(join(repo, 'proto'), join(building, 'proto'));
    symlinkSync(join(repo, 'node_modules'), join(building, 'node_modules'));
    try {
      renameSync(building, root);
    } catch (error) {
      // Another run put the same build there first.
      if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  for (const name of readdirSync(tmpdir())) {
    const other = join(tmpdir(), name);
    if (!name.startsWith('kiln-it-dist-') || other === root) continue;
    const age = Date.now() - (statSync(other, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > STALE_MS) rmSync(other, { recursive: true, force: true });
  }
  return result;
}
