import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** How `node <pkg>/bin/kiln.js <arg>` failed: its exit code and output (it must fail). */
async function failedRun(pkg: string, arg: string): Promise<{ code: unknown; stdout: unknown; stderr: unknown }> {
  const failed = await run(process.execPath, [join(pkg, 'bin', 'kiln.js'), arg]).then(
    () => undefined,
    (e: unknown) => e as { code?: number; stdout?: string; stderr?: string },
  );
  return { code: failed?.code, stdout: failed?.stdout, stderr: failed?.stderr };
}

describe('bin/kiln.js in an installation without dist/ or src/', () => {
  let pkg = '';

  beforeAll(async () => {
    // What npm leaves when kiln is installed from a git URL whose prepack did not run: package.json, bin/, proto/.
    pkg = await mkdtemp(join(tmpdir(), 'kiln-bin-'));
    await mkdir(join(pkg, 'bin'));
    await copyFile(join(repoRoot, 'bin', 'kiln.js'), join(pkg, 'bin', 'kiln.js'));
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'kiln', type: 'module' }));
  });

  afterAll(async () => {
    if (pkg !== '') await rm(pkg, { recursive: true, force: true });
  });

  it('says what is missing and how to install kiln, instead of a module-not-found stack trace', async () => {
    expect(await failedRun(pkg, '--help')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `error: this kiln installation (${pkg}) has neither its build (dist/) nor its sources (src/)\n` +
        'hint: Install kiln from the tarball `npm pack` makes in a kiln checkout (it builds dist/): npm install <checkout>/kiln-<version>.tgz\n',
    });
  });
});

describe('bin/kiln.js in a checkout with a dist/ (npm run build)', () => {
  let pkg = '';

  beforeAll(async () => {
    // A checkout's layout: bin/, src/ and the dist/ a build made, which prints where it runs from.
    pkg = await mkdtemp(join(tmpdir(), 'kiln-bin-'));
    await mkdir(join(pkg, 'bin'));
    await mkdir(join(pkg, 'src', 'cli'), { recursive: true });
    await mkdir(join(pkg, 'dist', 'cli'), { recursive: true });
    await copyFile(join(repoRoot, 'bin', 'kiln.js'), join(pkg, 'bin', 'kiln.js'));
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'kiln', type: 'module' }));
    await writeFile(join(pkg, 'src', 'cli', 'main.ts'), '');
    await writeFile(join(pkg, 'src', 'cli', 'format.ts'), '');
    await writeFile(join(pkg, 'dist', 'cli', 'main.js'), "process.stdout.write('the build ran\\n');\n");
    const built = new Date('2026-01-02T00:00:00Z');
    await utimes(join(pkg, 'dist', 'cli', 'main.js'), built, built);
    const before = new Date('2026-01-01T00:00:00Z');
    for (const f of ['main.ts', 'format.ts']) await utimes(join(pkg, 'src', 'cli', f), before, before);
  });

  afterAll(async () => {
    if (pkg !== '') await rm(pkg, { recursive: true, force: true });
  });

  it('runs the build while it is newer than every source file', async () => {
    const { stdout, stderr } = await run(process.execPath, [join(pkg, 'bin', 'kiln.js'), '--version']);
    expect([stdout, stderr]).toEqual(['the build ran\n', '']);
  });

  it('refuses to run a build older than a source file edited since, saying how to get the edit run', async () => {
    const edited = new Date('2026-01-03T00:00:00Z');
    await utimes(join(pkg, 'src', 'cli', 'format.ts'), edited, edited);
    expect(await failedRun(pkg, '--version')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `error: ${join(pkg, 'dist')} is older than ${join('src', 'cli', 'format.ts')}: this checkout's kiln would run its previous build, not the sources as they are now\n` +
        'hint: Run `npm run build` to build the sources again, or `rm -rf dist` to run them as they are (through tsx).\n',
    });
  });
});
