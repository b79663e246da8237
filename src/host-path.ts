/**
 * Paths on the machine kiln runs on ("local" or host paths: `addLocalDir`, `addLocalFile`, requirements files, a
 * context) are kept with `/` as the separator, whatever the OS; paths inside the image are POSIX anyway. What makes
 * a local path absolute follows the host: a leading `/` everywhere, and on Windows also a drive (`C:/proj/src`, given
 * as `C:\proj\src` or `C:/proj/src`). On Linux and macOS `C:\x` stays what it is there: a relative file name.
 *
 * The platform is a parameter (default `process.platform`) so that the Windows rules are tested on Linux.
 *
 * Internal module.
 */
import { posix } from 'node:path';

const DRIVE = /^[A-Za-z]:\//;

/** Whether `path` (a local path with `/` separators) is absolute on `platform`. */
export function isHostAbsolute(path: string, platform: NodeJS.Platform = process.platform): boolean {
  return path.startsWith('/') || (platform === 'win32' && DRIVE.test(path));
}

/** The root of an absolute local path: `/`, or on Windows its drive (`C:/`). */
export function hostRoot(path: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' && DRIVE.test(path) ? path.slice(0, 3) : '/';
}

/** An absolute local path normalised, without a trailing `/` (a root keeps its own: `/`, `C:/`). */
export function normalizeHostAbsolute(path: string, platform: NodeJS.Platform = process.platform): string {
  const root = hostRoot(path, platform);
  const rest = posix.normalize(`/${path.slice(root.length)}`).replace(/\/+$/, '').slice(1);
  return `${root}${rest}`;
}

/** `path` against `dir` (both local, `/` separators): an absolute `path` as it is (normalised), else joined. */
export function resolveHostPath(dir: string, path: string, platform: NodeJS.Platform = process.platform): string {
  return isHostAbsolute(path, platform) ? normalizeHostAbsolute(path, platform) : posix.join(dir, path);
}
