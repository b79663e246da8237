import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bundledModule, bundledModuleUrl } from '../../src/cli/bundle-module.js';
import { runningKiln } from '../../src/running-kiln.js';
import { loadModule } from '../../src/cli/load-module.js';
import type { NodeModuleSupport } from '../../src/cli/node-module-support.js';
import { moduleCacheDir } from '../../src/cli/module-cache-dir.js';
import { KilnError } from '../../src/errors.js';
import { Image } from '../../src/image/index.js';

// Counts esbuild's builds: a module whose files did not change is imported from the cache without one.
const esbuildBuilds = vi.hoisted(() => ({ count: 0 }));
vi.mock('esbuild', async (original) => {
  const esbuild = await original<typeof import('esbuild')>();
  return {
    ...esbuild,
    build: (...args: Parameters<typeof esbuild.build>) => {
      esbuildBuilds.count++;
      return esbuild.build(...args);
    },
  };
});

const kilnIndex = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'index.js');
let dir = '';
let cache = '';

function write(path: string, text: string): string {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
  return join(dir, path);
}

async function load(path: string): Promise<Record<string, unknown>> {
  return (await import(await bundledModuleUrl(join(dir, path), cache))) as Record<string, unknown>;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-bundle-module-'));
  cache = join(dir, '.cache');
  mkdirSync(cache);
  esbuildBuilds.count = 0;
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a TypeScript module compiled by the CLI', () => {
  it('each file sees its own import.meta.url, import.meta.dirname/filename, __dirname and __filename; relative .ts/.mts/.js imports, JSON and top-level await work', async () => {
    write('lib/where.ts', "import data from './data.json';\nexport const where = [import.meta.url, import.meta.dirname, import.meta.filename, __dirname, __filename, data.n];\n");
    write('lib/data.json', '{ "n": 7 }\n');
    write('lib/plain.js', 'export const plain = import.meta.filename;\n');
    write('lib/esm.mts', 'export const esm: string = __filename;\n');
    write(
      'image.ts',
      "import { where } from './lib/where.ts';\nimport { plain } from './lib/plain.js';\nimport { esm } from './lib/esm.mts';\nconst later: number = await Promise.resolve(2);\n" +
        'export const own = [import.meta.url, import.meta.dirname, import.meta.filename, __dirname, __filename, later];\nexport { where, plain, esm };\n',
    );
    const mod = await load('image.ts');
    expect(mod['own']).toEqual([pathToFileURL(join(dir, 'image.ts')).href, dir, join(dir, 'image.ts'), dir, join(dir, 'image.ts'), 2]);
    expect(mod['where']).toEqual([pathToFileURL(join(dir, 'lib', 'where.ts')).href, join(dir, 'lib'), join(dir, 'lib', 'where.ts'), join(dir, 'lib'), join(dir, 'lib', 'where.ts'), 7]);
    expect(mod['plain']).toBe(join(dir, 'lib', 'plain.js'));
    expect(mod['esm']).toBe(join(dir, 'lib', 'esm.mts'));
  });

  it("a checkout's CLI from its sources and from its build (after npm pack) do not share a bundle: each makes its own kiln external", async () => {
    write('image.ts', `import { Image } from ${JSON.stringify(kilnIndex)};\nexport default Image.fromRegistry('busybox:latest');\n`);
    const running = runningKiln();
    const fromSources = await bundledModuleUrl(join(dir, 'image.ts'), cache, running);
    // The same checkout with its dist/ running: the module's import of src/ is a copy of kiln of its own (bundled).
    const fromBuild = await bundledModuleUrl(join(dir, 'image.ts'), cache, { root: running.root, own: join(running.root, 'dist') });
    expect(fromBuild).not.toBe(fromSources);
    const kilnUrl = pathToFileURL(join(running.root, 'src', 'index.ts')).href;
    expect(readFileSync(fileURLToPath(fromSources), 'utf8')).toContain(`from ${JSON.stringify(kilnUrl)}`);
    expect(readFileSync(fileURLToPath(fromBuild), 'utf8')).not.toContain(`from ${JSON.stringify(kilnUrl)}`);
    // Each is still found again.
    const builds = esbuildBuilds.count;
    expect(await bundledModuleUrl(join(dir, 'image.ts'), cache, running)).toBe(fromSources);
    expect(esbuildBuilds.count).toBe(builds);
  });

  it('is compiled once: an unchanged module is imported from the cache without esbuild; a change to any of its files compiles it again', async () => {
    write('lib/value.ts', 'export const value = 1;\n');
    write('image.ts', "export { value } from './lib/value.ts';\n");
    const first = await bundledModuleUrl(join(dir, 'image.ts'), cache);
    expect(esbuildBuilds.count).toBe(1);
    expect(await bundledModuleUrl(join(dir, 'image.ts'), cache)).toBe(first);
    expect(esbuildBuilds.count).toBe(1);
    write('lib/value.ts', 'export const value = 2;\n');
    const second = await bundledModuleUrl(join(dir, 'image.ts'), cache);
    expect(esbuildBuilds.count).toBe(2);
    expect(second).not.toBe(first);
    expect(((await import(second)) as { value: number }).value).toBe(2);
    // A tsconfig.json appearing beside the module can change what it compiles to.
    write('tsconfig.json', '{ "compilerOptions": { "useDefineForClassFields": false } }\n');
    await bundledModuleUrl(join(dir, 'image.ts'), cache);
    expect(esbuildBuilds.count).toBe(3);
  });

  it('imports packages as Node would from each file: a subdirectory with its own node_modules gets its own; a package installed nearer later is picked up', async () => {
    write('node_modules/pkg/package.json', '{ "name": "pkg", "type": "module", "exports": { "import": "./top.js", "default": "./wrong.js" }, "module": "./wrong.js" }\n');
    write('node_modules/pkg/top.js', "export const which = 'top';\n");
    write('node_modules/pkg/wrong.js', "export const which = 'wrong';\n");
    write('sub/node_modules/pkg/package.json', '{ "name": "pkg", "type": "module", "main": "./index.js" }\n');
    write('sub/node_modules/pkg/index.js', "export const which = 'sub';\n");
    write('sub/helper.ts', "import { which } from 'pkg';\nexport const fromSub = which;\n");
    write('app/image.ts', "import { which } from 'pkg';\nimport { fromSub } from '../sub/helper.ts';\nexport const found = [which, fromSub];\n");
    expect((await load('app/image.ts'))['found']).toEqual(['top', 'sub']);
    write('app/node_modules/pkg/package.json', '{ "name": "pkg", "type": "module", "main": "./index.js" }\n');
    write('app/node_modules/pkg/index.js', "export const which = 'app';\n");
    expect((await load('app/image.ts'))['found']).toEqual(['app', 'sub']);
    expect(esbuildBuilds.count).toBe(2);
  });

  it('an optional local file imported in a try (absent at the first build) is picked up when it appears, and its absence names its own path', async () => {
    write('image.ts', "export let extra = 'none', why = '';\ntry {\n  extra = (await import('./local.config.ts')).extra;\n} catch (e) {\n  why = (e as Error).message;\n}\n");
    const before = await load('image.ts');
    expect(before['extra']).toBe('none');
    expect(before['why']).toContain(join(dir, 'local.config.ts'));
    write('local.config.ts', "export const extra: string = 'yes';\n");
    expect((await load('image.ts'))['extra']).toBe('yes');
    expect(esbuildBuilds.count).toBe(2);
  });

  it("a local CommonJS file's require is Node's, from that file: packages with their require conditions, computed paths, require.resolve", async () => {
    write('node_modules/dual/package.json', '{ "name": "dual", "exports": { "import": "./esm.mjs", "require": "./cjs.cjs" } }\n');
    write('node_modules/dual/esm.mjs', "export const kind = 'esm';\n");
    write('node_modules/dual/cjs.cjs', "exports.kind = 'cjs';\n");
    write('lib/data.json', '{ "n": 3 }\n');
    write('lib/helper.cjs', "const name = ['da', 'ta'].join('');\nmodule.exports = { kind: require('dual').kind, n: require('./' + name + '.json').n, at: require.resolve('./data.json') };\n");
    write('image.ts', "import helper from './lib/helper.cjs';\nexport { helper };\n");
    expect((await load('image.ts'))['helper']).toEqual({ kind: 'cjs', n: 3, at: join(dir, 'lib', 'data.json') });
  });

  it('import.meta.resolve resolves from the file that calls it, and import.meta is that file\'s as a whole', async () => {
    write('node_modules/pkg/package.json', '{ "name": "pkg", "main": "./main.js" }\n');
    write('node_modules/pkg/main.js', 'exports.x = 1;\n');
    write('lib/where.ts', "const meta = import.meta;\nexport const where = [import.meta.resolve('./asset.txt'), import.meta.resolve('../x/y.js'), import.meta.resolve('pkg'), import.meta.resolve('node:fs'), import.meta.resolve('fs'), meta.url];\n");
    write('image.ts', "export { where } from './lib/where.ts';\n");
    const lib = pathToFileURL(join(dir, 'lib')).href;
    expect((await load('image.ts'))['where']).toEqual([`${lib}/asset.txt`, pathToFileURL(join(dir, 'x', 'y.js')).href, pathToFileURL(join(dir, 'node_modules', 'pkg', 'main.js')).href, 'node:fs', 'node:fs', `${lib}/where.ts`]);
  });

  it("what a watch rebuilds on (README, Watching): a text file imported with type 'text' and a JSON file are the module's inputs; a file it reads with readFileSync is not", async () => {
    write('version.txt', '1.2.3\n');
    write('config.json', '{ "n": 4 }\n');
    write('notes.txt', 'read at load time\n');
    const image = write(
      'image.ts',
      [
        "import { readFileSync } from 'node:fs';",
        "import version from './version.txt' with { type: 'text' };",
        "import config from './config.json';",
        "export const found = [version.trim(), config.n, readFileSync(new URL('./notes.txt', import.meta.url), 'utf8').trim()];",
        '',
      ].join('\n'),
    );
    const bundled = await bundledModule(image, cache);
    expect(((await import(bundled.url)) as { found: unknown }).found).toEqual(['1.2.3', 4, 'read at load time']);
    expect([...bundled.inputs].sort()).toEqual([join(dir, 'config.json'), image, join(dir, 'version.txt')].sort());
  });

  it("a package's JSON file imports without an import attribute, as a local one does", async () => {
    write('node_modules/pkg/package.json', '{ "name": "pkg", "version": "1.2.3" }\n');
    write('node_modules/pkg/data.json', '{ "n": 4 }\n');
    write('image.ts', "import data from 'pkg/data.json';\nimport { version } from 'pkg/package.json';\nexport const found = [data.n, version];\n");
    // Imported by Node itself (vitest's own loader would take a JSON file without the attribute).
    const url = await bundledModuleUrl(join(dir, 'image.ts'), cache);
    const printed = execFileSync(process.execPath, ['-e', `import(${JSON.stringify(url)}).then((m) => console.log(JSON.stringify(m.found)))`], { encoding: 'utf8' });
    expect(JSON.parse(printed)).toEqual([4, '1.2.3']);
  });

  it("imports kiln's own files (a path into its src/) as the running kiln's modules: the Image is the CLI's class", async () => {
    write('image.ts', `import { Image } from ${JSON.stringify(kilnIndex)};\nexport default Image.fromRegistry('busybox:latest');\n`);
    const mod = await load('image.ts');
    expect(mod['default']).toBeInstanceOf(Image);
  });

  it('two builds of the same module at once both get it, and leave no partial file behind', async () => {
    write('image.ts', 'export const n: number = 1;\n');
    const [a, b] = await Promise.all([bundledModuleUrl(join(dir, 'image.ts'), cache), bundledModuleUrl(join(dir, 'image.ts'), cache)]);
    expect(a).toBe(b);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(cache)).toHaveLength(2);
  });
});

describe('loadModule of a TypeScript module', () => {
  let previous: string | undefined;
  beforeEach(() => {
    previous = process.env['XDG_CACHE_HOME'];
    process.env['XDG_CACHE_HOME'] = cache;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env['XDG_CACHE_HOME'];
    else process.env['XDG_CACHE_HOME'] = previous;
  });

  it('reports a syntax error in a file it imports with the file, line and column', async () => {
    write('helper.ts', 'export const x = 1;\nconst y = ;\n');
    write('image.ts', "import { x } from './helper.ts';\nexport const n = x;\n");
    const err = await loadModule({ path: 'image.ts' }, dir).catch((e: unknown) => e);
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe(`module image.ts failed to load: ${join(dir, 'helper.ts')}:2:10: ERROR: Unexpected ";"`);
  });

  it("reports what the module threw, with a stack pointing at the user's file and line", async () => {
    write('throws.ts', "type Reason = string;\nconst reason: Reason = 'no GPU';\nfunction fail(): never {\n  throw new Error(reason);\n}\nfail();\n");
    const err = await loadModule({ path: 'throws.ts' }, dir).catch((e: unknown) => e);
    expect((err as KilnError).message).toBe('module throws.ts failed to load: no GPU');
    expect(((err as KilnError).cause as Error).stack).toContain(`${join(dir, 'throws.ts')}:4:9`);
  });

  it('refuses a module Node would load as CommonJS, saying why and how to fix it', async () => {
    write('cjs/package.json', '{ "type": "commonjs" }\n');
    write('cjs/image.ts', `import { Image } from ${JSON.stringify(kilnIndex)};\nexport default Image.fromRegistry('busybox:latest');\n`);
    write('image.cts', 'export const n = 1;\n');
    const pkg = await loadModule({ path: 'cjs/image.ts' }, dir).catch((e: unknown) => e);
    expect((pkg as KilnError).message).toBe(`module cjs/image.ts cannot import kiln: ${join(dir, 'cjs', 'package.json')} says "type": "commonjs", so it is loaded as CommonJS, and kiln is an ES module`);
    expect((pkg as KilnError).hint).toContain('or rename the file to cjs/image.mts');
    const cts = await loadModule({ path: 'image.cts' }, dir).catch((e: unknown) => e);
    expect((cts as KilnError).message).toBe('module image.cts cannot import kiln: a .cts file is loaded as CommonJS, and kiln is an ES module');
    expect((cts as KilnError).hint).toBe('Rename the file to image.mts.');
  });

  // What Node before 20.19 / 22.12 throws when CommonJS code calls require() on an ES module (kiln, here). CI's Node
  // loads it, so the file throws Node's error itself; the Node the hint speaks of is injected.
  const requireEsm = "const e = new Error('require() of ES Module /p/node_modules/kiln/dist/index.js from ' + __filename + ' not supported.'); e.code = 'ERR_REQUIRE_ESM'; throw e;\n";
  const node20 = { version: 'v20.12.0', requireModule: false, typescript: false } as const;

  it('an ES module whose CommonJS helper require()s an ES module on a Node that cannot: names the helper, not the module, as CommonJS', async () => {
    write('esm/package.json', '{ "type": "module" }\n');
    write('esm/helper.cjs', requireEsm);
    write('esm/image.ts', "import helper from './helper.cjs';\nexport const h = helper;\n");
    write('esm/image.mjs', "import helper from './helper.cjs';\nexport const h = helper;\n");
    for (const path of ['esm/image.ts', 'esm/image.mjs']) {
      const err = await loadModule({ path }, dir, dir, undefined, node20).catch((e: unknown) => e);
      expect(KilnError.is(err, 'invalid_argument')).toBe(true);
      expect((err as KilnError).message).toBe(`module ${path} failed to load: require() of ES Module /p/node_modules/kiln/dist/index.js from ${join(dir, 'esm', 'helper.cjs')} not supported.`);
      expect((err as KilnError).hint).toBe(
        'A CommonJS file the module imports (a .cjs file, or a .js file of a "type": "commonjs" package) calls require() on an ES module, which Node v20.12.0 cannot do (Node 20.19+ and 22.12+ can): run kiln on a newer Node, or load the ES module with await import() in that file.',
      );
    }
    // A Node that can, with the flag that turns it off.
    const off = await loadModule({ path: 'esm/image.ts' }, dir, dir, undefined, { version: 'v22.12.0', requireModule: true, typescript: false }).catch((e: unknown) => e);
    expect((off as KilnError).hint).toContain('this Node (v22.12.0) has require() of ES modules turned off (--no-experimental-require-module)');
    // A cycle through require() (Node 22.12+) is the module's own error, not a Node that cannot require ES modules.
    write('esm/cycle.cjs', "const e = new Error('Cannot require() ES Module in a cycle.'); e.code = 'ERR_REQUIRE_CYCLE_MODULE'; throw e;\n");
    write('esm/cycle.ts', "import helper from './cycle.cjs';\nexport const h = helper;\n");
    const cycle = await loadModule({ path: 'esm/cycle.ts' }, dir, dir, undefined, { version: 'v22.12.0', requireModule: true, typescript: false }).catch((e: unknown) => e);
    expect((cycle as KilnError).message).toBe('module esm/cycle.ts failed to load: Cannot require() ES Module in a cycle.');
    expect((cycle as KilnError).hint).toBe('Fix the error in the module (run it with --debug for the stack trace).');
  });

  it('a CommonJS module that require()s kiln on a Node that cannot: says why it is CommonJS, and that a newer Node loads it', async () => {
    write('cjs2/package.json', '{ "type": "commonjs" }\n');
    write('cjs2/image.js', requireEsm);
    write('image.cjs', requireEsm);
    const js = await loadModule({ path: 'cjs2/image.js' }, dir, dir, undefined, node20).catch((e: unknown) => e);
    expect((js as KilnError).message).toBe(`module cjs2/image.js cannot import kiln: ${join(dir, 'cjs2', 'package.json')} says "type": "commonjs", so it is loaded as CommonJS, and kiln is an ES module`);
    expect((js as KilnError).hint).toBe(`Set "type": "module" in ${join(dir, 'cjs2', 'package.json')} (npm init writes "commonjs"), or rename the file to cjs2/image.mts. On Node 20.19+ or 22.12+ (this is v20.12.0) a CommonJS module can also require('kiln').`);
    const cjs = await loadModule({ path: 'image.cjs' }, dir, dir, undefined, node20).catch((e: unknown) => e);
    expect((cjs as KilnError).message).toBe('module image.cjs cannot import kiln: a .cjs file is loaded as CommonJS, and kiln is an ES module');
    expect((cjs as KilnError).hint).toBe("Rename the file to image.mts. On Node 20.19+ or 22.12+ (this is v20.12.0) a CommonJS module can also require('kiln').");
  });

  it('a file Node refused to load itself as TypeScript (or for its extension): the hint says kiln did not compile it, and what this Node does with .ts files', async () => {
    // The Node loading it is injected (CI has one): here each module throws the error that Node would.
    const hintOn = async (code: string, node: NodeModuleSupport): Promise<string | undefined> => {
      // A module throwing Node's error for the file it imported (one file per code: Node caches a module's failure).
      write(`throws-${code}.mjs`, `throw Object.assign(new Error('refused'), { code: ${JSON.stringify(code)} });\n`);
      return ((await loadModule({ path: `throws-${code}.mjs` }, dir, dir, undefined, node).catch((e: unknown) => e)) as KilnError).hint;
    };
    expect(await hintOn('ERR_UNKNOWN_FILE_EXTENSION', node20)).toBe(
      "Node loaded that file itself: kiln compiles a .ts module and the files it imports with literal paths (import x from './x.ts', import('./plugins/' + name + '.ts')), " +
        'not a file reached by an import() of a computed path or imported from a .js module. Node v20.12.0 does not run TypeScript (Node 22.18+ strips types from .ts files). ' +
        'Import it with a literal path from a .ts module, or write it in JavaScript.',
    );
    const node22 = { version: 'v22.18.0', requireModule: true, typescript: 'strip' } as const;
    expect(await hintOn('ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', node22)).toContain(
      'Node v22.18.0 only strips types from the .ts files it loads: no enum, namespace or parameter properties, imports with their file extension, none under node_modules.',
    );
    expect(await hintOn('ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING', node22)).toContain('Node loaded that file itself');
    expect(await hintOn('ERR_MODULE_NOT_FOUND', node22)).toBe('Fix the error in the module (run it with --debug for the stack trace).');
  });

  it('a .ts file under a package.json without "type" is an ES module', async () => {
    write('pkg/package.json', '{ "name": "p" }\n');
    write('pkg/image.ts', `import { Image } from ${JSON.stringify(kilnIndex)};\nexport default Image.fromRegistry('busybox:latest');\n`);
    expect((await loadModule({ path: 'pkg/image.ts' }, dir))['default']).toBeInstanceOf(Image);
  });
});

describe('moduleCacheDir', () => {
  let previous: string | undefined;
  beforeEach(() => {
    previous = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(dir, 'tmp');
    mkdirSync(join(dir, 'tmp'));
  });
  afterEach(() => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  });

  it('is $XDG_CACHE_HOME/kiln/modules, else ~/.cache/kiln/modules, else a directory of this user under the temp directory', () => {
    expect(moduleCacheDir({ XDG_CACHE_HOME: join(dir, 'xdg'), HOME: join(dir, 'home') })).toBe(join(dir, 'xdg', 'kiln', 'modules'));
    // A home that cannot be written (here: a file where a directory should be).
    const blocked = write('not-a-dir', '');
    expect(moduleCacheDir({ XDG_CACHE_HOME: blocked, HOME: join(dir, 'home') })).toBe(join(dir, 'home', '.cache', 'kiln', 'modules'));
    expect(moduleCacheDir({ XDG_CACHE_HOME: blocked, HOME: blocked })).toBe(join(dir, 'tmp', `kiln-modules-${process.getuid?.() ?? 'user'}`));
  });

  it('falls back to a new private temp directory when the shared one cannot be used', () => {
    const blocked = write('not-a-dir', '');
    write(`tmp/kiln-modules-${process.getuid?.() ?? 'user'}`, 'not a directory');
    const used = moduleCacheDir({ XDG_CACHE_HOME: blocked, HOME: blocked });
    expect(dirname(used)).toBe(join(dir, 'tmp'));
    expect(used).toMatch(/kiln-modules-[^/]{6}$/);
  });
});
