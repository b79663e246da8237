/**
 * The running kiln's directories, found once for the two places that need them: a failed step's location skips
 * kiln's own stack frames (step-source.ts), and a user's module importing kiln's files by path gets the CLI's own
 * modules (cli/bundle-module.ts). The built package's dist/ is covered by the cli-dist integration test.
 */
import { realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { userFrame } from '../../src/image/step-source.js';
import { runningKiln } from '../../src/running-kiln.js';

const ROOT = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));

describe('runningKiln', () => {
  it('in a checkout run from its sources is the package directory and its src/', () => {
    expect(runningKiln()).toEqual({ root: ROOT, own: join(ROOT, 'src') });
    expect(runningKiln()).toBe(runningKiln());
  });

  it("is what a failed step's location skips: frames in kiln's src/ are kiln's, a test or example beside it is the user's", () => {
    const stack = [
      'Error',
      `    at Image.#add (${join(ROOT, 'src', 'image', 'image.ts')}:1550:5)`,
      `    at Image.run (${join(ROOT, 'src', 'image', 'image.ts')}:700:5)`,
      `    at main (${join(ROOT, 'examples', 'image.ts')}:7:1)`,
    ].join('\n');
    expect(userFrame(stack)).toEqual({ file: join(ROOT, 'examples', 'image.ts'), line: 7, column: 1 });
    // Not a directory merely starting with src (src-other/): the code directory ends with the separator.
    expect(userFrame(`    at main (${ROOT}${sep}src-other${sep}image.ts:3:1)`)).toEqual({ file: join(ROOT, 'src-other', 'image.ts'), line: 3, column: 1 });
  });
});
