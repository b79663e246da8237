/**
 * kiln as it is published: the tarball `npm pack` makes (what `files` in package.json lets in, built by
 * scripts/build-dist.mjs as `prepack` does), unpacked as `node_modules/kiln` of a user's project whose TypeScript
 * module imports `kiln` by package name; the installed CLI builds it on the daemon.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledKiln } from './compiled-kiln.js';
import { runKiln } from './kiln-cli.js';

const repo = join(import.meta.dirname, '..', '..');
const execFileAsync = promisify(execFile);
/** What is in the checkout but never in a package (npm's own exclusions, and what is made or downloaded). */
const NOT_SOURCE = new Set(['node_modules', '.git', 'dist', 'coverage', 'tmp', '.kiln-env', '.scratch', '.helper']);
let work: string;
let pkg: string;
/** The tarball's paths, relative to its `package/` root. */
let packed: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kiln-dist-'));
  // A copy of the checkout, so that packing (and its build) leaves the repository's dist/ alone.
  const checkout = join(work, 'checkout');
  cpSync(repo, checkout, { recursive: true, filter: (src) => !NOT_SOURCE.has(relative(repo, src).split(sep)[0] ?? '') });
  // Its build: scripts/build-dist.mjs's output for these sources, made once for all the tests that need it.
  cpSync(compiledKiln().dist, join(checkout, 'dist'), { recursive: true });
  // `--ignore-scripts`: prepack's build is the one above (the copy has no node_modules to build with).
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: checkout, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
  if (report === undefined) throw new Error('npm pack reported no tarball');
  packed = report.files.map((f) => f.path).sort();
  const project = join(work, 'project');
  pkg = join(project, 'node_modules', 'kiln');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, report.filename), '-C', pkg, '--strip-components=1']);
  // kiln's own dependencies, as npm would install them next to it, and the bin link npm makes.
  symlinkSync(join(repo, 'node_modules'), join(pkg, 'node_modules'));
  mkdirSync(join(project, 'node_modules', '.bin'));
  symlinkSync(join('..', 'kiln', 'bin', 'kiln.js'), join(project, 'node_modules', '.bin', 'kiln'));
  writeFileSync(
    join(project, 'image.ts'),
    "import { Image } from 'kiln';\n\nexport const app: Image = Image.fromRegistry('busybox:latest').runCommands('echo from-dist > /built-by');\n",
  );
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the published package', () => {
  it('runs the compiled CLI on a project module that imports kiln by name', async () => {
    const project = join(work, 'project');
    const bin = join(pkg, 'bin', 'kiln.js');
    const dockerfile = await runKiln(['dockerfile', 'image.ts'], { cwd: project, bin });
    expect(dockerfile.code).toBe(0);
    expect(dockerfile.stdout).toContain('RUN echo from-dist > /built-by');
    const out = join(work, 'out');
    const built = await runKiln(['build', 'image.ts', '--output', `type=local,dest=${out}`, '--progress', 'quiet'], { cwd: project, bin });
    expect(built.stderr).not.toContain('error');
    expect(built.code).toBe(0);
    expect(readFileSync(join(out, 'built-by'), 'utf8')).toBe('from-dist\n');
  });

  it('gives the CLI and the library one copy of Image: the user\'s module\'s Image is the one the CLI builds', async () => {
    // The package's JavaScript is bundled (scripts/build-dist.mjs): the code the CLI and `kiln` share must sit in a
    // chunk both import, or the CLI would find "an Image from another copy of kiln" in every module.
    const js = readdirSync(join(pkg, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const defining = js.filter((f) => /\bclass _?Image\b/.test(readFileSync(join(pkg, 'dist', f), 'utf8')));
    expect(defining).toHaveLength(1);
    expect(defining[0]).not.toMatch(/^(index|cli\/main|llb\/index)\.js$/);
    const project = join(work, 'project');
    writeFileSync(join(project, 'both.ts'), "import { Image } from 'kiln';\nexport const app = Image.fromRegistry('debian:bookworm-slim').copyFrom(Image.fromRegistry('busybox:latest'), '/bin/busybox', '/usr/local/bin/');\n");
    const r = await runKiln(['dockerfile', 'both.ts'], { cwd: project, bin: join(pkg, 'bin', 'kiln.js') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('COPY --from=');
  });

  it('--debug: a stack trace names kiln\'s TypeScript sources (src/…ts:LINE), not its bundled chunks; without it, no source map is read', async () => {
    const project = join(work, 'project');
    const bin = join(pkg, 'bin', 'kiln.js');
    // A JavaScript module: kiln turns source maps on for a TypeScript one (to map its own stack), not for this.
    writeFileSync(join(project, 'broken.mjs'), "import { Image } from 'kiln';\nprocess.stderr.write(`source maps: ${process.sourceMapsEnabled}\\n`);\nexport const app = Image.fromRegistry('');\n");
    const debug = await runKiln(['--debug', 'build', 'broken.mjs', '--progress', 'quiet'], { cwd: project, bin });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toContain('source maps: true\n');
    expect(debug.stderr).toContain('error: invalid image reference ""');
    // The frame of kiln's import of the module, at its line in src/cli/load-module.ts.
    const source = readFileSync(join(repo, 'src', 'cli', 'load-module.ts'), 'utf8').split('\n');
    const line = source.findIndex((l) => l.includes('await import(url)')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(debug.stderr).toContain(`(${join(pkg, 'src', 'cli', 'load-module.ts')}:${line}:`);
    expect(debug.stderr).toMatch(new RegExp(`\\(${join(pkg, 'src', 'cli', 'commands', 'build-action.ts')}:\\d+:\\d+\\)`));
    expect(debug.stderr).not.toContain('dist/chunks/');
    const plain = await runKiln(['build', 'broken.mjs', '--progress', 'quiet'], { cwd: project, bin });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('source maps: false\n');
    expect(plain.stderr).toContain('(run with --debug for details)');
  });

  it('keeps Node\'s compile cache (node-compile-cache under the OS temp directory) where Node has one (22.1+), and runs as before where not', async () => {
    const project = join(work, 'project');
    const temp = join(work, 'temp');
    mkdirSync(temp);
    const r = await runKiln(['dockerfile', 'image.ts'], { cwd: project, bin: join(pkg, 'bin', 'kiln.js'), env: { TMPDIR: temp } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cache = join(temp, 'node-compile-cache');
    const cached = existsSync(cache) ? readdirSync(cache, { recursive: true }) : [];
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function') expect(cached.length).toBeGreaterThan(0);
    else expect(cached).toEqual([]);
  });

  it('says how to fix a project whose package.json says "type": "commonjs" (what npm init writes)', async () => {
    const project = join(work, 'project');
    const bin = join(pkg, 'bin', 'kiln.js');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', type: 'commonjs' }));
    try {
      const r = await runKiln(['dockerfile', 'image.ts'], { cwd: project, bin });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error: module image.ts cannot import kiln: ${join(project, 'package.json')} says "type": "commonjs"`);
      expect(r.stderr).toContain('hint: Set "type": "module"');
      expect(r.stderr).toContain('or rename the file to image.mts');
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', type: 'module' }));
      const fixed = await runKiln(['dockerfile', 'image.ts'], { cwd: project, bin });
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toContain('RUN echo from-dist > /built-by');
    } finally {
      rmSync(join(project, 'package.json'), { force: true });
    }
  });

  it('its type declarations compile in a strict project (exactOptionalPropertyTypes; moduleResolution nodenext and bundler): the README\'s examples, a wrapper passing explicit undefined; and hide kiln\'s internals', async () => {
    const project = join(work, 'typed');
    mkdirSync(project, { recursive: true });
    symlinkSync(join(work, 'project', 'node_modules'), join(project, 'node_modules'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'typed', type: 'module' }));
    // A tool wrapping kiln passes its own optional settings straight through.
    writeFileSync(
      join(project, 'wrapper.ts'),
      [
        "import { Client, Image, buildImage, type BuiltBase, type BuildImageOptions, type ConnectOptions, type DockerEndpoint, type KilnError, type LocalCacheExport, type PlatformInput, type ResolvedImageDigest } from 'kiln';",
        'export type Seen = [DockerEndpoint, LocalCacheExport, PlatformInput, ResolvedImageDigest];',
        'export interface Settings { address?: string; tags?: string[]; signal?: AbortSignal; platform?: string; context?: string; cwd?: string }',
        'export async function build(s: Settings): Promise<readonly BuiltBase[]> {',
        '  const connect: ConnectOptions = { address: s.address, signal: s.signal };',
        '  const client = await Client.connect(connect);',
        "  const image = Image.fromRegistry('busybox').runCommands('true', { cwd: s.cwd, ssh: undefined });",
        '  const options: BuildImageOptions = { tags: s.tags, signal: s.signal, platform: s.platform, context: s.context };',
        '  try {',
        '    return (await buildImage(client, image, options)).bases;',
        '  } finally {',
        '    await client.close();',
        '  }',
        '}',
        'export const code = (e: KilnError): string => e.code;',
        '// A failed step\'s details are typed: no casts.',
        'export const tail = (e: KilnError): readonly string[] => [...(e.details.logTail ?? []), String(e.details.exitCode ?? 0), e.details.step ?? ""];',
      ].join('\n'),
    );
    writeFileSync(join(project, 'image.ts'), "import { Image } from 'kiln';\n\nexport default Image.fromRegistry('debian:bookworm-slim').addLocalDir('app', { remotePath: '/srv/app' }).workdir('/srv/app').cmd(['ls', '-l']);\n");
    writeFileSync(
      join(project, 'llb.ts'),
      [
        "import { image, local, marshal, mkdir } from 'kiln/llb';",
        "const ctx = local('context', { exclude: ['node_modules', '.git'] });",
        "const deps = image('python:3.11-slim').dir('/app').run('pip install -r requirements.txt', {",
        "  mounts: [{ type: 'bind', dest: '/app/requirements.txt', source: ctx, selector: 'requirements.txt', readonly: true }, { type: 'cache', dest: '/root/.cache/pip', id: 'pip', sharing: 'locked' }],",
        "  network: 'none',",
        '}).root();',
        "const app = deps.file(mkdir('/app/data', { parents: true }).copy(ctx, 'src/', '/app/src/'));",
        "const def = marshal(app, { platform: 'linux/amd64', localUniqueId: 'context' });",
        'export const seen: [string | undefined, number] = [def.digest(), def.toBytes().length];',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'build.ts'),
      [
        "import { Client, buildImage, createProgressDisplay, createProgressRenderer } from 'kiln';",
        "import { image as llbImage, marshal } from 'kiln/llb';",
        "import image from './image.js';",
        'const client = await Client.connect();',
        "const display = createProgressDisplay(createProgressRenderer('auto', { stream: process.stderr }));",
        'try {',
        "  const built = await buildImage(client, image, { output: 'type=image,name=registry.example.com/app:1,push=true', secrets: [{ id: 'HF_TOKEN', env: 'HF_TOKEN' }], onStatus: display.onStatus, signal: AbortSignal.timeout(60_000) });",
        '  console.log(built.exported?.digest, built.bases);',
        '  const outcome = await client.build({ exporter: { type: \'moby\', attrs: { name: \'example/hello:1\' } }, onStatus: (e) => e.logs.forEach((l) => process.stderr.write(l.data)) }, async (gw) => {',
        "    const cfg = await gw.resolveImageConfig('docker.io/library/debian:bookworm-slim');",
        "    const ref = await gw.solve(marshal(llbImage('debian:bookworm-slim').run('sh -c \"echo hi > /hello\"').root(), { caps: gw.llbCaps }));",
        "    return { ref, metadata: { 'containerimage.config': cfg.config } };",
        '  });',
        "  console.log(outcome.exporterResponse['containerimage.digest']);",
        '} finally {',
        '  await display.finish();',
        '  await client.close();',
        '}',
      ].join('\n'),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const strict = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, target: 'es2022', skipLibCheck: false, types: ['node'], typeRoots: [join(repo, 'node_modules', '@types')] };
    // The two checks are independent tsc runs: side by side.
    const resolutions = [['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }], ['bundler', { module: 'esnext', moduleResolution: 'bundler' }]] as const;
    const listings = await Promise.all(
      resolutions.map(async ([name, resolution]) => {
        writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...strict, ...resolution }, files: ['wrapper.ts', 'image.ts', 'llb.ts', 'build.ts'] }));
        try {
          return (await execFileAsync(process.execPath, [tsc, '-p', join(project, `tsconfig.${name}.json`), '--listFiles'], { encoding: 'utf8' })).stdout;
        } catch (e) {
          throw new Error(`tsc (${name}) failed:\n${(e as { stdout?: string }).stdout ?? String(e)}`);
        }
      }),
    );
    for (const listed of listings) {
      // Only declarations the tarball has, and not the generated protobuf ones (700 kB that no public type names).
      const kilnFiles = listed.split('\n').filter((f) => f.includes('/node_modules/kiln/')).map((f) => relative(pkg, f));
      expect(kilnFiles.filter((f) => !packed.includes(f))).toEqual([]);
      expect(kilnFiles).toContain('dist/llb/index.d.ts');
      expect(kilnFiles.filter((f) => f.startsWith('dist/proto/'))).toEqual([]);
    }
    const client = readFileSync(join(pkg, 'dist', 'client', 'client.d.ts'), 'utf8');
    expect(client).not.toMatch(/get grpc\(\)|closeSignal|track</);
  });

  it('holds the built library, the CLI, their source maps, the proto sources and the license, and no tests or sources', () => {
    const unexpected = packed.filter((p) => !/^(dist\/.+\.(js|js\.map|d\.ts)|bin\/kiln\.js|proto\/.+\.proto|README\.md|LICENSE|package\.json)$/.test(p));
    expect(unexpected).toEqual([]);
    // Each file's map names the TypeScript it came from by its path in kiln's repository (the package's src/, not
    // shipped), without the sources' text.
    const js = packed.filter((p) => p.endsWith('.js') && p.startsWith('dist/'));
    expect(js.filter((p) => !packed.includes(`${p}.map`))).toEqual([]);
    for (const file of js) {
      const map = JSON.parse(readFileSync(join(pkg, `${file}.map`), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      expect(map.sourcesContent).toBeUndefined();
      const named = map.sources.map((s) => relative(pkg, join(pkg, dirname(file), s)));
      expect(named.filter((s) => !s.startsWith(`src${sep}`) || !existsSync(join(repo, s)))).toEqual([]);
    }
    // package.json says Apache-2.0, whose text goes with every copy.
    expect(packed).toContain('LICENSE');
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    // Every path package.json names is in the tarball.
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { main: string; types: string; bin: Record<string, string>; exports: Record<string, { types: string; default: string }>; engines: { node: string } };
    const named = [manifest.main, manifest.types, ...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap((e) => [e.types, e.default])];
    expect(named.map((p) => p.replace(/^\.\//, '')).filter((p) => !packed.includes(p))).toEqual([]);
    expect(Object.keys(manifest.exports)).toEqual(['.', './llb']);
    expect(manifest.engines.node).toMatch(/^>=\d+/);
    const bin = join(pkg, 'bin', 'kiln.js');
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('runs `kiln --help` and `kiln --version` through the node_modules/.bin link, as npx does', () => {
    const kiln = join(work, 'project', 'node_modules', '.bin', 'kiln');
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' };
    expect(execFileSync(kiln, ['--help'], { cwd: join(work, 'project'), env, encoding: 'utf8' })).toContain('Usage: kiln [options] [command]');
    const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(kiln, ['--version'], { cwd: join(work, 'project'), env, encoding: 'utf8' }).trim()).toBe(version);
  });

  it('loads from CommonJS as the README says: import() always, require() where Node can require ES modules', () => {
    const project = join(work, 'project');
    writeFileSync(join(project, 'use.cjs'), "import('kiln').then((k) => console.log(typeof k.Image.fromRegistry, typeof k.buildImage));\n");
    expect(execFileSync(process.execPath, [join(project, 'use.cjs')], { cwd: project, encoding: 'utf8' })).toBe('function function\n');
    writeFileSync(join(project, 'require.cjs'), "const k = require('kiln'); const llb = require('kiln/llb'); console.log(typeof k.Client.connect, typeof llb.marshal);\n");
    const run = (): string => execFileSync(process.execPath, ['--no-warnings', join(project, 'require.cjs')], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    if (process.features.require_module === true) expect(run()).toBe('function function\n');
    else expect(run).toThrow(/ERR_REQUIRE_ESM/);
  });
});
