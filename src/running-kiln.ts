import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the running kiln is. */
export interface RunningKiln {
  /** The kiln package's directory (the one whose package.json names `kiln`), symbolic links resolved. */
  readonly root: string;
  /** The directory of its code that is running: `<root>/dist` when installed or built, `<root>/src` run through tsx. */
  readonly own: string;
}

let found: RunningKiln | undefined;

/**
 * The running kiln's package directory and code directory, found once from this module's own file (in dist/ it is in a
 * chunk under dist/chunks/, in a checkout src/running-kiln.ts). A stack frame under `own` is kiln's, not the user's
 * (step-source.ts); a module importing a file under `own` by path gets the CLI's own module (cli/bundle-module.ts).
 * Without a package.json naming kiln above it (kiln's code copied elsewhere), the nearest `src` or `dist` directory
 * above this file, else its own directory, is both.
 */
export function runningKiln(): RunningKiln {
  if (found !== undefined) return found;
  const here = realpathSync(dirname(fileURLToPath(import.meta.url)));
  for (let d = here; dirname(d) !== d; d = dirname(d)) {
    try {
      if ((JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: unknown }).name === 'kiln') {
        found = { root: d, own: join(d, relative(d, here).split(sep)[0] ?? '') };
        return found;
      }
    } catch {
      // No package.json here: look further up.
    }
  }
  let own = here;
  for (let d = here; dirname(d) !== d; d = dirname(d)) {
    const name = d.slice(dirname(d).length + 1);
    if (name === 'src' || name === 'dist') {
      own = d;
      break;
    }
  }
  found = { root: own, own };
  return found;
}
