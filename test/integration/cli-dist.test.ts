/**
 * kiln as it is published: `npm run build` output (dist/ + bin/ + package.json) installed as `node_modules/kiln` of a
 * user's project, whose TypeScript module imports `kiln` by package name; the compiled CLI builds it on the daemon.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKiln } from './kiln-cli.js';

const repo = join(import.meta.dirname, '..', '..');
let work: string;
let pkg: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kiln-dist-'));
  pkg = join(work, 'project', 'node_modules', 'kiln');
  mkdirSync(pkg, { recursive: true });
  execFileSync(process.execPath, [join(repo, 'scripts', 'build-dist.mjs'), '--outDir', join(pkg, 'dist')], { stdio: 'pipe' });
  cpSync(join(repo, 'bin'), join(pkg, 'bin'), { recursive: true });
  cpSync(join(repo, 'package.json'), join(pkg, 'package.json'));
  // kiln's own dependencies, as npm would install them next to it.
  symlinkSync(join(repo, 'node_modules'), join(pkg, 'node_modules'));
  writeFileSync(
    join(work, 'project', 'image.ts'),
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

  it('its type declarations compile in a strict project (exactOptionalPropertyTypes), pass explicit undefined, and hide kiln\'s internals', () => {
    const project = join(work, 'typed');
    mkdirSync(project, { recursive: true });
    symlinkSync(join(work, 'project', 'node_modules'), join(project, 'node_modules'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'typed', type: 'module' }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: false, types: ['node'], typeRoots: [join(repo, 'node_modules', '@types')] },
        files: ['wrapper.ts'],
      }),
    );
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
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'pipe' })).not.toThrow();
    const client = readFileSync(join(pkg, 'dist', 'client', 'client.d.ts'), 'utf8');
    expect(client).not.toMatch(/get grpc\(\)|closeSignal|track</);
  });
});
