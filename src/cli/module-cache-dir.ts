/**
 * Where the CLI keeps the JavaScript it compiled a user's TypeScript module to (see bundle-module.ts): the user's
 * cache directory (`$XDG_CACHE_HOME/kiln/modules`, else `~/.cache/kiln/modules`), or, when that cannot be written (a
 * read-only or missing home, a container's nobody user), a directory of this user's under the OS temp directory.
 *
 * Internal module.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { homeDirectory } from '../home-path.js';

/**
 * The first of the candidate directories that exists (made if need be) and can be written, for the environment `env`
 * (`XDG_CACHE_HOME`, `HOME`). The temp-directory fallback is used only when it belongs to this user: anyone who can
 * write there could otherwise put code in place for the CLI to run. Failing all, a new private temp directory (a
 * cache for this process only).
 */
export function moduleCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env['XDG_CACHE_HOME'];
  const home = safeHomeDirectory(env);
  const candidates = [
    ...(xdg !== undefined && isAbsolute(xdg) ? [join(xdg, 'kiln', 'modules')] : []),
    ...(home !== undefined && isAbsolute(home) ? [join(home, '.cache', 'kiln', 'modules')] : []),
  ];
  for (const dir of candidates) {
    if (writableDir(dir)) return dir;
  }
  const uid = process.getuid?.();
  const shared = join(tmpdir(), `kiln-modules-${uid ?? 'user'}`);
  if (writableDir(shared, 0o700) && (uid === undefined || statSync(shared).uid === uid)) return shared;
  return mkdtempSync(join(tmpdir(), 'kiln-modules-'));
}

/** The home directory as kiln reads it everywhere (home-path.ts), undefined when the OS cannot say. */
function safeHomeDirectory(env: Readonly<Record<string, string | undefined>>): string | undefined {
  try {
    return homeDirectory(env);
  } catch {
    return undefined;
  }
}

function writableDir(dir: string, mode?: number): boolean {
  try {
    mkdirSync(dir, mode === undefined ? { recursive: true } : { recursive: true, mode });
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
