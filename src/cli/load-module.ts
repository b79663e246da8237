import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { KilnError } from '../errors.js';
import { expandHomePath } from '../home-path.js';
import { bundledModule } from './bundle-module.js';
import { commonJsNodeHint, nodeLoadedFileHint, requiredEsmHint, runningNode, type NodeModuleSupport } from './node-module-support.js';

/** A `<module>[:export]` argument split into its parts. */
export interface ModuleRef {
  readonly path: string;
  readonly exportName?: string;
}

/** Splits `app.ts:gpuImage` (the export part is optional; Windows drive letters are not special here). */
export function parseModuleRef(text: string): ModuleRef {
  const m = /^(.*?)(?::([A-Za-z_$][\w$]*))?$/.exec(text);
  const path = m?.[1] ?? text;
  if (path === '') throw new KilnError('invalid_argument', 'no module given; pass a file such as image.ts or image.ts:exportName');
  return m?.[2] === undefined ? { path } : { path, exportName: m[2] };
}

/**
 * The build context a command was given (`--context DIR`, relative to `io.cwd`; a leading `~/` is the home directory
 * of `io.env`), or `io.cwd`. Fails naming the flag when it is not a directory.
 */
export function contextDir(io: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> }, flag: string | undefined): string {
  if (flag === undefined) return io.cwd;
  const dir = resolve(io.cwd, expandHomePath(flag, io.env));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new KilnError('invalid_argument', `--context ${flag} does not exist (looked for ${dir})`, { hint: 'Pass the directory the image\'s local paths are relative to.' });
  }
  if (!isDir) throw new KilnError('invalid_argument', `--context ${flag} is not a directory (${dir})`, { hint: 'Pass the directory the image\'s local paths are relative to.' });
  return dir;
}

/**
 * Loads a TypeScript or JavaScript module. JavaScript is imported as it is; TypeScript is compiled to JavaScript
 * first (bundle-module.ts: esbuild, no type checking in the way of a build, the result cached until a file of it
 * changes). A `.ts` file is an ES module unless the package.json above it says `"type": "commonjs"`.
 *
 * `context` is the build context: the module is evaluated with it as the working directory, so that the `Image`
 * methods that look at local files when called (`addLocalPythonSource` finding a module, `rsync`/`syncPackage`
 * checking a path, `pipInstallFromPyproject` reading dependencies, a module's own `readFileSync`) see the same
 * files the build will send, and `rsync('.')` is named after the context.
 */
export async function loadModule(
  ref: ModuleRef,
  cwd: string,
  context: string = cwd,
  reload?: ModuleReload,
  node: NodeModuleSupport = runningNode(),
): Promise<Record<string, unknown>> {
  return inDirectory(context, () => importModule(ref, cwd, reload, node));
}

/**
 * Loading a module again in the same process (`kiln build --watch`): `version` makes it a new module instance, so the
 * module runs again (its files compiled again when they changed, the files it reads read again), and `onInputs` is
 * told the local files it was made of. A JavaScript module's own imports are Node's, kept from the first load.
 */
export interface ModuleReload {
  readonly version: number;
  readonly onInputs: (files: readonly string[]) => void;
}

/**
 * Runs `work` with `dir` as the process's working directory, then goes back: the `Image` methods that look at local
 * files when called resolve them against it (a module being loaded, a Dockerfile being read).
 */
export async function inDirectory<T>(dir: string, work: () => T | Promise<T>): Promise<T> {
  const previous = process.cwd();
  if (resolve(dir) === previous) return work();
  process.chdir(dir);
  try {
    return await work();
  } finally {
    process.chdir(previous);
  }
}

async function importModule(ref: ModuleRef, cwd: string, reload: ModuleReload | undefined, node: NodeModuleSupport): Promise<Record<string, unknown>> {
  const abs = resolve(cwd, ref.path);
  if (!existsSync(abs)) {
    throw new KilnError('invalid_argument', `module ${ref.path} does not exist (looked for ${abs})`, {
      hint: 'Pass the path of a .ts or .js file that exports an Image.',
    });
  }
  // A Dockerfile (or anything else that is not a JavaScript or TypeScript module) is not loaded as one.
  if (!/\.[cm]?[jt]sx?$/.test(abs)) {
    const dockerfile = /(^|[/\\.])dockerfile([.-][^/\\]*)?$/i.test(ref.path) || /^\s*(#.*\n\s*)*FROM\s/i.test(readHead(abs));
    throw new KilnError('invalid_argument', `module ${ref.path} is not a .ts, .mts, .js or .mjs file`, {
      hint: dockerfile
        ? `kiln builds the Image a module exports; for a Dockerfile write one such as image.ts:\n  import { Image } from 'kiln';\n  export default Image.fromDockerfile(${JSON.stringify(ref.path)});\nand run kiln build image.ts (paths are relative to the build context, --context, default the current directory).`
        : 'Pass the path of a .ts or .js file that exports an Image.',
    });
  }
  const typescript = /\.[cm]?ts$|\.tsx$/.test(abs);
  if (typescript) refuseCommonJs(ref, abs);
  // Source maps give the lines of the user's .ts file to the call sites its steps record (formatted as each step is
  // added) and to what it throws. Only while it loads: left on, Node would also read the map of every chunk of kiln
  // loaded afterwards (≈0.03 s CPU per build); --debug turns them on for the whole run (main.ts).
  const mapsWere = process.sourceMapsEnabled;
  try {
    if (typescript) process.setSourceMapsEnabled(true);
    // Told first: a module that fails to compile or throws is watched all the same.
    reload?.onInputs([abs]);
    const bundled = typescript ? await bundledModule(abs) : { url: pathToFileURL(abs).href, inputs: [abs] };
    reload?.onInputs(bundled.inputs);
    const url = reload === undefined ? bundled.url : `${bundled.url}?watch=${reload.version}`;
    return (await import(url)) as Record<string, unknown>;
  } catch (cause) {
    if (cause instanceof KilnError) throw cause;
    const message = thrownText(cause);
    const code = (cause as { code?: unknown } | null)?.code;
    if (code === 'ERR_REQUIRE_CYCLE_MODULE' || code === 'ERR_REQUIRE_ESM') {
      // The module itself, loaded as CommonJS, require()d kiln; or it is an ES module, and a CommonJS file it imports
      // require()d one (on a Node that cannot: before 20.19 and 22.12). A cycle through require() is the module's own.
      if (!typescript && loadedAsCommonJs(abs)) throw commonJsError(ref, abs, cause, node);
      if (code === 'ERR_REQUIRE_ESM') throw new KilnError('invalid_argument', `module ${ref.path} failed to load: ${message}`, { cause, hint: requiredEsmHint(node) });
    }
    throw new KilnError('invalid_argument', `module ${ref.path} failed to load: ${message}`, {
      cause,
      hint: nodeLoadedFileHint(code, node) ?? 'Fix the error in the module (run it with --debug for the stack trace).',
    });
  } finally {
    if (typescript && !mapsWere) process.setSourceMapsEnabled(false);
  }
}

/**
 * A TypeScript module Node would load as CommonJS (a `.cts` file, or a `.ts` file under a package.json saying
 * `"type": "commonjs"`) is refused before it runs, as loading it as CommonJS would fail: it cannot import kiln, an ES
 * module. (Compiled as an ES module it might run, but not as the same file would anywhere else.)
 */
function refuseCommonJs(ref: ModuleRef, abs: string): void {
  if (abs.endsWith('.cts')) {
    throw new KilnError('invalid_argument', `module ${ref.path} cannot import kiln: a .cts file is loaded as CommonJS, and kiln is an ES module`, {
      hint: `Rename the file to ${ref.path.replace(/\.cts$/, '')}.mts.`,
    });
  }
  const pkg = nearestPackageJson(dirname(abs));
  if (pkg !== undefined && packageType(pkg) === 'commonjs') throw commonJsError(ref, abs);
}

function commonJsError(ref: ModuleRef, abs: string, cause?: unknown, node?: NodeModuleSupport): KilnError {
  const pkg = abs.endsWith('.cjs') ? undefined : nearestPackageJson(dirname(abs));
  const why = abs.endsWith('.cjs')
    ? 'a .cjs file is loaded as CommonJS'
    : pkg === undefined
      ? 'it is loaded as CommonJS'
      : `${pkg} says "type": "${packageType(pkg) ?? 'commonjs'}", so it is loaded as CommonJS`;
  const fix = abs.endsWith('.cjs') ? '' : `Set "type": "module" in ${pkg ?? 'a package.json beside it'} (npm init writes "commonjs"), or r`;
  return new KilnError('invalid_argument', `module ${ref.path} cannot import kiln: ${why}, and kiln is an ES module`, {
    ...(cause === undefined ? {} : { cause }),
    hint: `${fix === '' ? 'R' : fix}ename the file to ${ref.path.replace(/\.[cm]?[jt]sx?$/, '')}.mts.${node === undefined ? '' : commonJsNodeHint(node)}`,
  });
}

/** Whether Node loads the JavaScript file `abs` as CommonJS: a .cjs file, or a .js file not under "type": "module". */
function loadedAsCommonJs(abs: string): boolean {
  if (abs.endsWith('.cjs')) return true;
  if (!abs.endsWith('.js')) return false;
  const pkg = nearestPackageJson(dirname(abs));
  return pkg === undefined || packageType(pkg) !== 'module';
}

/**
 * What a module threw, for one line of an error: an Error's message (its name when it has none), anything else
 * (`throw {…}`, `throw undefined`, a rejected promise's bare value) shown as the value it is, never `[object Object]`.
 */
function thrownText(cause: unknown): string {
  if (cause instanceof Error) return cause.message === '' ? `${cause.name} (with no message)` : cause.message;
  if (typeof cause === 'string' && cause.trim() !== '') return cause;
  const shown = inspect(cause, { depth: 2, breakLength: Infinity, maxStringLength: 200 });
  return `${shown.length > 300 ? `${shown.slice(0, 299)}…` : shown} (thrown instead of an Error)`;
}

/** The first bytes of a file as text ('' when it cannot be read). */
function readHead(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(0, 4096);
  } catch {
    return '';
  }
}

/** The package.json nearest to `dir` (that directory or a parent), if any. */
function nearestPackageJson(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

function packageType(file: string): string | undefined {
  try {
    const type = (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Picks the export to build: the named one, else the default export, else the only export that `accept` takes.
 * Errors list the candidates.
 */
export function pickExport<T>(
  mod: Record<string, unknown>,
  ref: ModuleRef,
  accept: (value: unknown) => value is T,
  kind: string,
): T {
  if (ref.exportName !== undefined) {
    const value = mod[ref.exportName];
    if (value === undefined) {
      throw new KilnError('invalid_argument', `module ${ref.path} has no export named "${ref.exportName}"`, {
        hint: `Exports: ${Object.keys(mod).join(', ') || '(none)'}.`,
      });
    }
    if (!accept(value)) {
      const article = /^[AEIOU]/.test(kind) ? 'an' : 'a';
      const names = Object.entries(mod).filter(([, v]) => accept(v)).map(([k]) => k);
      throw new KilnError('invalid_argument', `export "${ref.exportName}" of ${ref.path} is not ${article} ${kind}`, {
        hint: names.length > 0 ? `Its ${kind} exports: ${names.join(', ')}.` : `It exports no ${kind}.`,
      });
    }
    return value;
  }
  if (accept(mod['default'])) return mod['default'];
  const candidates = Object.entries(mod).filter(([, v]) => accept(v));
  if (candidates.length === 1) return candidates[0]![1] as T;
  if (candidates.length === 0) {
    const foreign = Object.entries(mod).filter(([, v]) => typeof v === 'object' && v !== null && v.constructor?.name === kind && typeof (v as { definition?: unknown }).definition === 'function');
    if (foreign.length > 0) {
      throw new KilnError('invalid_argument', `module ${ref.path} exports ${foreign.map(([k]) => k).join(', ')}, ${kind === 'Image' ? 'an Image' : kind} from another copy of kiln than the one running this command`, {
        hint: 'Run the kiln the module imports (npx kiln from its project), or import kiln from the same installation.',
      });
    }
    // What each export is, so a function or a promise (an async factory not awaited) is recognised as such.
    const found = Object.entries(mod).map(([k, v]) => `${k} (${describeExport(v)})`);
    const deferred = Object.values(mod).some((v) => typeof v === 'function' || v instanceof Promise);
    throw new KilnError('invalid_argument', `module ${ref.path} exports no ${kind}`, {
      hint:
        `Export one (export default image, or export const app = Image.debianSlim()…). Exports found: ${found.join(', ') || '(none)'}.` +
        (deferred ? ` A function is not called and a promise not awaited: export its result (export default await makeImage()).` : ''),
    });
  }
  throw new KilnError('invalid_argument', `module ${ref.path} exports several ${kind}s: ${candidates.map(([k]) => k).join(', ')}`, {
    hint: `Pick one with ${ref.path}:<name>.`,
  });
}

/** What an export is, for the "exports no Image" hint: a function, a promise, an object of some class, a value. */
function describeExport(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value instanceof Promise) return 'a promise';
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name === undefined || value.constructor.name === 'Object' ? 'an object' : `a ${value.constructor.name}`;
  return `a ${typeof value}`;
}
