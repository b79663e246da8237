import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

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
    const failed = await run(process.execPath, [join(pkg, 'bin', 'kiln.js'), '--help']).then(
      () => undefined,
      (e: unknown) => e as { code?: number; stdout?: string; stderr?: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toBe(
      `error: this kiln installation (${pkg}) has neither its build (dist/) nor its sources (src/)\n` +
        'hint: Install kiln from the tarball `npm pack` makes in a kiln checkout (it builds dist/): npm install <checkout>/kiln-<version>.tgz\n',
    );
  });
});
