/**
 * Paths on the machine kiln runs on ("local" or host paths: `addLocalDir`, `addLocalFile`, requirements files, a
 * context) are kept with `/` as the separator, whatever the OS; paths inside the image are POSIX anyway. What makes
 * a local path absolute follows the host: a leading `/` everywhere, and on Windows also a drive (`C:/proj/src`, given
 * as `C:\proj\src` or `C:/proj/src`) and a share (`//server/share/x`, given as `\\server\share\x`), whose root is
 * `//server/share/`: the two leading `/` are kept, which `posix.normalize` would fold into one (`/server/share/x`, a
 * directory on the current drive). On Linux and macOS `C:\x` stays what it is there: a relative file name.
 *
 * The platform is a parameter (default `process.platform`) so that the Windows rules are tested on Linux.
 *
 * Internal module.
 */
import { posix } from 'node:path';

const DRIVE = /^[A-Za-z]:\//;
/** A UNC share's root on Windows: `//server/share`, then `/` or the end. */
const UNC_ROOT = /^\/\/[^/]+\/[^/]+(?:\/|$)/;

/** Whether `path` (a local path with `/` separators) is absolute on `platform`. */
export function isHostAbsolute(path: string, platform: NodeJS.Platform = process.platform): boolean {
  return path.startsWith('/') || (platform === 'win32' && DRIVE.test(path));
}

/** The root of an absolute local path: `/`, or on Windows its drive (`C:/`) or share (`//server/share/`). */
export function hostRoot(path: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return '/';
  if (DRIVE.test(path)) return path.slice(0, 3);
  const unc = UNC_ROOT.exec(path)?.[0];
  return unc === undefined ? '/' : unc.endsWith('/') ? unc : `${unc}/`;
}

/** An absolute local path normalised, without a trailing `/` (a root keeps its own: `/`, `C:/`, `//server/share/`). */
export function normalizeHostAbsolute(path: string, platform: NodeJS.Platform = process.platform): string {
  const root = hostRoot(path, platform);
  const rest = posix.normalize(`/${path.slice(root.length)}`).replace(/\/+$/, '').slice(1);
  return `${root}${rest}`;
}

/**
 * `path` against `dir` (both local, `/` separators): an absolute `path` as it is (normalised), else joined (`dir`'s
 * root kept: a context on a Windows share stays on it).
 */
export function resolveHostPath(dir: string, path: string, platform: NodeJS.Platform = process.platform): string {
  if (isHostAbsolute(path, platform)) return normalizeHostAbsolute(path, platform);
  return hostRoot(dir, platform).startsWith('//') ? normalizeHostAbsolute(`${dir}/${path}`, platform) : posix.join(dir, path);
}
