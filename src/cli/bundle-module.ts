/**
 * A user's TypeScript module compiled to one JavaScript file the CLI can import, and kept: `kiln build image.ts` runs
 * esbuild only when the module (or a file it imports) changed since the last build.
 *
 * Node 20 cannot load TypeScript itself, and loading it through module hooks (tsx) costs a hooks thread and esbuild's
 * start on every run (≈0.2 s of CPU of each `kiln build`). Instead, as vite does for vite.config.ts, esbuild bundles
 * the module and the local files it imports into one ES module, written to the cache directory (module-cache-dir.ts)
 * under a name made of its content, and found again by a small manifest naming the files it was made of (with a hash
 * of each) and the files whose appearance would change it (a `node_modules/<package>` nearer than the one used, a
 * tsconfig.json). When all of them are as they were, the cached file is imported without starting esbuild.
 *
 * What stays the same as Node running each file:
 * - packages (anything under node_modules) are not bundled: each import of one is written as the file URL Node would
 *   resolve it to from the importing file (so a subdirectory with its own node_modules gets its own), and kiln itself
 *   — by package name or by a path into the running kiln's code (its dist/, or its src/ in a checkout) — is the CLI's
 *   own module instance, whose `Image` the CLI recognises with instanceof;
 * - each bundled file sees its own `import.meta` (`url`, `filename`, `dirname`, and `resolve`, which resolves relative
 *   paths and URLs from the file, and packages as the file's `require.resolve` does), `__filename`, `__dirname` and
 *   `require` (Node's, made by createRequire for the file: a CommonJS file's `require('pkg')`, of a computed path, and
 *   `require.resolve` work as they do when Node runs it), all set when the file is loaded, on its first line, so line
 *   numbers are unchanged;
 * - a package's JSON file is bundled, as a local one is (Node would ask for an import attribute tsx did not need);
 * - stack traces point into the user's files (an inline source map; the caller turns Node's source-map support on).
 *
 * Internal module.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader, Message, Plugin } from 'esbuild';
import { runningKiln, type RunningKiln } from '../running-kiln.js';
import { isGone } from '../session/fs-errors.js';
import { moduleCacheDir } from './module-cache-dir.js';

/** Changes when what this file writes changes: outputs of an older loader are not reused. */
const LOADER_VERSION = 3;
/** Cached files not rewritten for this long are removed when another module is bundled. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** A module's previous outputs are removed once this old (not at once: another build may be importing one). */
const SUPERSEDED_MS = 10 * 60 * 1000;

/** What a cached output was made from: each path with a hash of its content, or null for a path that did not exist. */
interface Manifest {
  readonly loader: number;
  readonly output: string;
  readonly probes: readonly (readonly [string, string | null])[];
}

/**
 * The file URL of `entry` (an absolute path of a .ts/.mts/.tsx file) compiled to JavaScript, from the cache when its
 * inputs are unchanged. Fails with esbuild's messages (`file:line:column: ERROR: …`) when it does not compile.
 */
export async function bundledModuleUrl(entry: string, cacheDir: string = moduleCacheDir(), kiln: RunningKiln = runningKiln()): Promise<string> {
  return (await bundledModule(entry, cacheDir, kiln)).url;
}

/** A compiled module: its file URL, and the local files it was made of (the module and the files it imports). */
export interface BundledModule {
  readonly url: string;
  /** Absolute paths of the user's files bundled (no packages, no tsconfig.json): what a watch watches. */
  readonly inputs: readonly string[];
}

/** {@link bundledModuleUrl}, with the files the module was made of. */
export async function bundledModule(entry: string, cacheDir: string = moduleCacheDir(), kiln: RunningKiln = runningKiln()): Promise<BundledModule> {
  const file = realpathSync(entry);
  const { root, own } = kiln;
  // `own` too: a checkout runs its src/ through tsx until a build (npm pack's prepack) writes dist/, and then dist/;
  // each makes its own code external and the other's part of the bundle, so one's output is wrong for the other.
  const key = hashText(`${LOADER_VERSION}\0${process.versions.node}\0${root}\0${own}\0${file}`).slice(0, 24);
  const manifestPath = join(cacheDir, `${key}.json`);
  const cached = readManifest(manifestPath);
  if (cached !== undefined && cached.probes.every(([path, hash]) => probe(path) === hash) && probe(join(cacheDir, cached.output)) !== null) {
    return { url: pathToFileURL(join(cacheDir, cached.output)).href, inputs: userFiles(cached.probes) };
  }
  const { code, probes } = await compile(file, own, join(cacheDir, `${key}.mjs`));
  const output = `${key}-${hashText(code).slice(0, 16)}.mjs`;
  writeAtomically(join(cacheDir, output), code);
  writeAtomically(manifestPath, JSON.stringify({ loader: LOADER_VERSION, output, probes: [...probes] } satisfies Manifest));
  prune(cacheDir, key, output);
  return { url: pathToFileURL(join(cacheDir, output)).href, inputs: userFiles([...probes]) };
}

/** The existing files among a manifest's probes that are the user's own (not a package's, not a tsconfig.json). */
function userFiles(probes: readonly (readonly [string, string | null])[]): string[] {
  return probes.filter(([path, hash]) => hash !== null && !path.includes(`${sep}node_modules${sep}`) && !path.endsWith(`${sep}tsconfig.json`)).map(([path]) => path);
}

async function compile(entry: string, own: string, outfile: string): Promise<{ code: string; probes: Map<string, string | null> }> {
  const { build } = await import('esbuild');
  const probes = new Map<string, string | null>();
  const workDir = dirname(entry);
  try {
    const result = await build({
      absWorkingDir: workDir,
      entryPoints: [entry],
      outfile,
      write: false,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node}`,
      // Node's conditions and fields, for the packages resolved here: not esbuild's `module` extras.
      conditions: [],
      mainFields: ['main'],
      sourcemap: 'inline',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      banner: { js: PER_FILE_HELPERS },
      // Only where the name is not the file's own (a `const __dirname = …` of the file stays its own).
      define: { 'import.meta': META, __filename: `${META}.filename`, __dirname: `${META}.dirname`, require: REQUIRE },
      plugins: [moduleFilesPlugin(probes, own)],
    });
    for (const input of Object.keys(result.metafile.inputs)) {
      const path = resolve(workDir, input);
      if (!probes.has(path)) probes.set(path, probe(path));
    }
    for (const dir of new Set([...probes.keys()].filter((p) => probes.get(p) !== null).map((p) => dirname(p)))) probeTsconfig(dir, probes);
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))?.text;
    if (code === undefined) throw new Error(`esbuild wrote no JavaScript for ${entry}`);
    return { code, probes };
  } catch (error) {
    const errors = (error as { errors?: unknown } | null)?.errors;
    if (Array.isArray(errors) && errors.length > 0) throw new Error((errors as Message[]).map((m) => messageText(m, workDir)).join('\n'), { cause: error });
    throw error;
  }
}

const META = '__kiln_import_meta';
const REQUIRE = '__kiln_require';
const META_OF = '__kiln_importMetaOf';

/**
 * At the top of the bundle: what each file's first line calls to make its `import.meta` and `require`. Node's
 * `import.meta.resolve` takes no parent without a flag, so a package is resolved by the file's `require.resolve`
 * (its `require` export condition where `import` and `require` differ).
 */
const PER_FILE_HELPERS = [
  "import { createRequire as __kiln_createRequire, isBuiltin as __kiln_isBuiltin } from 'node:module';",
  "import { pathToFileURL as __kiln_pathToFileURL } from 'node:url';",
  `function ${META_OF}(url, filename, dirname, require) {`,
  '  const resolve = (specifier) => /^(\\/|\\.\\.?(\\/|$))/.test(specifier) ? new URL(specifier, url).href',
  "    : __kiln_isBuiltin(specifier) ? (specifier.startsWith('node:') ? specifier : `node:${specifier}`)",
  '    : /^[a-z][a-z\\d+.-]*:/i.test(specifier) ? new URL(specifier).href : __kiln_pathToFileURL(require.resolve(specifier)).href;',
  '  return { url, filename, dirname, resolve };',
  '}',
].join('\n');

const LOADERS: Readonly<Record<string, Loader>> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** Resolves imports as Node would (packages and kiln to file URLs, left to Node) and gives each file its own paths. */
function moduleFilesPlugin(probes: Map<string, string | null>, own: string): Plugin {
  return {
    name: 'kiln-module-files',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || (args.pluginData as { kiln?: boolean } | undefined)?.kiln === true) return undefined;
        // node:fs, file:///…/kiln/dist/index.js, data:…, and builtins written without node:.
        if (/^[a-z][a-z\d+.-]*:/i.test(args.path) || isBuiltin(args.path)) return { path: args.path, external: true };
        const found = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { kiln: true } });
        const bare = !args.path.startsWith('.') && !isAbsolute(args.path);
        if (bare) probePackage(args.path, args.resolveDir, probes);
        if (found.errors.length > 0) {
          if (args.kind !== 'import-statement') {
            // A dynamic import in a try: left to Node, to fail when it runs as it would have. A local file is named by
            // its own path (not one beside the cached output), and its appearance compiles the module again.
            if (bare) return { path: args.path, external: true };
            const missing = resolve(args.resolveDir, args.path);
            for (const candidate of resolutionCandidates(missing)) probes.set(candidate, null);
            return { path: pathToFileURL(missing).href, external: true };
          }
          return { errors: found.errors };
        }
        if (found.external) return { path: found.path, external: true };
        const path = found.path;
        if (path.endsWith('.json')) return { path };
        if (path.includes(`${sep}node_modules${sep}`) || path.startsWith(`${own}${sep}`)) {
          return { path: pathToFileURL(path).href, external: true };
        }
        return { path };
      });
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        probes.set(args.path, hashText(text));
        const url = pathToFileURL(args.path).href;
        // On the first line, before the code (a #! line becomes a comment): line numbers stay those of the file.
        const header = `const ${REQUIRE} = __kiln_createRequire(${JSON.stringify(url)}), ${META} = ${META_OF}(${JSON.stringify(url)}, ${JSON.stringify(args.path)}, ${JSON.stringify(dirname(args.path))}, ${REQUIRE});`;
        const body = text.startsWith('#!') ? `//${text.slice(2)}` : text;
        return { contents: `${header}${body}`, loader: LOADERS[extname(args.path)] ?? 'js' };
      });
    },
  };
}

/**
 * The files whose appearance or change would make `specifier` (a package) resolve differently from `dir`: each
 * `node_modules/<name>` Node looks in before the one it uses (absent now), and that one's package.json.
 */
function probePackage(specifier: string, dir: string, probes: Map<string, string | null>): void {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] ?? specifier;
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (isDirectory(candidate)) {
      const pkg = join(candidate, 'package.json');
      probes.set(pkg, probe(pkg));
      return;
    }
    probes.set(candidate, null);
    if (dirname(d) === d) return;
  }
}

/** The files esbuild would take for a local import of `path` (absolute): as written, with an extension, an index. */
function resolutionCandidates(path: string): string[] {
  const extensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
  const swapped = /\.[cm]?jsx?$/.test(path) ? [path.replace(/\.([cm]?)js(x?)$/, '.$1ts$2')] : [];
  return [path, ...swapped, ...extensions.map((e) => `${path}${e}`), ...extensions.map((e) => join(path, `index${e}`))];
}

/** The tsconfig.json esbuild reads for the files of `dir` (the nearest), and the nearer places one could appear. */
function probeTsconfig(dir: string, probes: Map<string, string | null>): void {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'tsconfig.json');
    if (probes.has(candidate)) return;
    const hash = probe(candidate);
    probes.set(candidate, hash);
    if (hash !== null || dirname(d) === d || d.endsWith(`${sep}node_modules`)) return;
  }
}

/** A hash of the file at `path`, null when there is none ('other' for a directory or what cannot be read). */
function probe(path: string): string | null {
  try {
    return hashText(readFileSync(path));
  } catch (error) {
    return isGone(error) ? null : 'other';
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

function hashText(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** esbuild's message as it prints one: `path:line:column: ERROR: text` (the path absolute). */
function messageText(message: Message, workDir: string): string {
  const at = message.location;
  return at === null ? `ERROR: ${message.text}` : `${resolve(workDir, at.file)}:${at.line}:${at.column}: ERROR: ${message.text}`;
}

function readManifest(path: string): Manifest | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
    if (value.loader !== LOADER_VERSION || typeof value.output !== 'string' || !Array.isArray(value.probes)) return undefined;
    return value as Manifest;
  } catch {
    return undefined;
  }
}

/** Written aside and renamed into place: a concurrent build reads the old file or the new one, never half of one. */
function writeAtomically(path: string, data: string): void {
  const aside = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(aside, data);
    renameSync(aside, path);
  } catch (error) {
    rmSync(aside, { force: true });
    throw error;
  }
}

/** Removes `key`'s superseded outputs and whatever the cache holds that was not written for a month. */
function prune(cacheDir: string, key: string, current: string): void {
  const now = Date.now();
  for (const name of readdirSync(cacheDir)) {
    if (name === current || name === `${key}.json`) continue;
    const age = now - (statSync(join(cacheDir, name), { throwIfNoEntry: false })?.mtimeMs ?? now);
    if (age > MAX_AGE_MS || (name.startsWith(`${key}-`) && age > SUPERSEDED_MS)) rmSync(join(cacheDir, name), { force: true });
  }
}
