/**
 * A local path relative to the build context, seeing through symlinks: on macOS `/tmp`, `/var` and `/etc` are
 * symlinks into `/private`, so `os.tmpdir()` (`/var/folders/…`) and `process.cwd()` or a module's own path
 * (`/private/var/folders/…`) name the same directory differently; a home directory or project reached through a
 * symlink does the same anywhere. A path that is lexically outside the context is compared again by real paths.
 */
import { realpathSync } from 'node:fs';
import { posix } from 'node:path';

/** The real path of `p`: its longest existing prefix resolved (symlinks followed), the rest appended as written. */
export function realPathOf(p: string): string {
  let existing = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return posix.join(realpathSync(existing).split('\\').join('/'), ...rest.reverse());
    } catch {
      const parent = posix.dirname(existing);
      if (parent === existing) return p;
      rest.push(posix.basename(existing));
      existing = parent;
    }
  }
}

/** Whether a relative path (`posix.relative`'s) climbs out of where it is relative to. */
export function climbsOut(rel: string): boolean {
  return rel === '..' || rel.startsWith('../') || posix.isAbsolute(rel);
}

/**
 * `abs` (absolute, POSIX) relative to `context` (`.` for the context itself), or undefined when it is outside the
 * context also once symlinks in either are resolved.
 */
export function contextRelative(context: string, abs: string): string | undefined {
  const rel = posix.relative(context, abs) || '.';
  if (!climbsOut(rel)) return rel;
  const real = posix.relative(realPathOf(context), realPathOf(abs)) || '.';
  return climbsOut(real) ? undefined : real;
}
