/**
 * Why a command exited 1 before it ran: the daemon (runc) reports a command it could not start — not found, not
 * executable, not executable by the user it runs as — as exit code 1, with its reason on the process's stderr only.
 * `docker run` exits 127 (not found) and 126 (cannot be executed) there. kiln tells the two apart from an exit 1 of
 * the command itself by looking the command up in the image as runc does, through the daemon's StatFile (each file's
 * mode, owner and group), with the credentials of the user the command runs as (image-user.ts):
 *
 * - a name is looked up in PATH: the first file there that the user can reach (every directory above it searchable)
 *   and that has an execute bit is the command; none is 127 (not found). Found but not executable by the user is 126.
 * - a path (a `/` in it) is taken as it is, from the working directory: nothing there is 127; a directory above it the
 *   user cannot search, a directory, a file without an execute bit or one the user may not execute is 126.
 *
 * May the user execute (or search)? As the kernel decides: root may execute a file with any execute bit and search
 * any directory (CAP_DAC_OVERRIDE); anyone else gets the owner's bits when it owns the file, else the group's when it
 * is in the file's group (its primary group or a supplementary one), else the others' — only those.
 */
import { posix } from 'node:path';
import type { ImageUser } from './image-user.js';

/** The PATH BuildKit gives a process whose env has none. */
export const DEFAULT_CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Go `os.FileMode`'s directory bit, as StatFile reports it. */
const MODE_DIR = 0x80000000;

/** A path of the image as StatFile reports it (its links resolved): Go `os.FileMode` bits, owner and group. */
export interface FileInImage {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** The file at a path in the image (its links resolved), or `undefined` when there is nothing there. */
export type StatInImage = (path: string) => Promise<FileInImage | undefined>;

/** root: what a command runs as when the image and the caller name no user. */
export const ROOT_USER: ImageUser = { uid: 0, gids: [0] };

/**
 * The exit code `docker run` gives a command that could not start, for a command that exited 1: 127 when `command`
 * is not in the image (for `user`), 126 when it is a directory, a file without execute permission, or one `user` may
 * not execute or reach; `undefined` when `user` may execute it (the exit 1 was the command's own).
 */
export async function commandNotRunExitCode(
  command: string,
  env: readonly string[],
  cwd: string,
  stat: StatInImage,
  user: ImageUser = ROOT_USER,
): Promise<126 | 127 | undefined> {
  if (command === '') return 127;
  // Directories are looked at once per lookup, however many PATH entries share them.
  const seen = new Map<string, Promise<FileInImage | undefined>>();
  const cachedStat = (path: string): Promise<FileInImage | undefined> => {
    let found = seen.get(path);
    if (found === undefined) {
      found = stat(path);
      seen.set(path, found);
    }
    return found;
  };
  const base = cwd === '' ? '/' : cwd;
  if (command.includes('/')) {
    const path = posix.resolve(base, command);
    const reach = await reachable(path, user, cachedStat);
    if (reach !== 'yes') return reach === 'missing' ? 127 : 126;
    const file = await cachedStat(path);
    if (file === undefined) return 127;
    return hasExecuteBit(file) && mayAccess(user, file) ? undefined : 126;
  }
  // A name is looked up in PATH as runc does (with the user's credentials): the first file it can reach with an
  // execute bit; none is "not found".
  for (const dir of pathOf(env).split(':')) {
    const path = posix.resolve(base, dir === '' ? '.' : dir, command);
    if ((await reachable(path, user, cachedStat)) !== 'yes') continue;
    const file = await cachedStat(path);
    if (file !== undefined && hasExecuteBit(file)) return mayAccess(user, file) ? undefined : 126;
  }
  return 127;
}

/**
 * Whether `user` may execute `file` (a regular file) or search it (a directory), as the kernel decides: root with any
 * execute bit (a directory: always); anyone else by the owner's, the group's or the others' bits, the first class it
 * is in.
 */
export function mayAccess(user: ImageUser, file: FileInImage): boolean {
  const isDir = (file.mode & MODE_DIR) !== 0;
  if (user.uid === 0) return isDir || (file.mode & 0o111) !== 0;
  const bits = file.uid === user.uid ? file.mode >> 6 : user.gids.includes(file.gid) ? file.mode >> 3 : file.mode;
  return (bits & 0o1) !== 0;
}

/** Whether every directory above `path` is there and `user` may search it. */
async function reachable(path: string, user: ImageUser, stat: StatInImage): Promise<'yes' | 'missing' | 'denied'> {
  // root searches every directory: the file's own lookup tells whether they are there.
  if (user.uid === 0) return 'yes';
  const parts = path.split('/').filter((p) => p !== '');
  let dir = '/';
  for (let i = 0; i < parts.length; i++) {
    const found = await stat(dir);
    if (found === undefined || (found.mode & MODE_DIR) === 0) return 'missing';
    if (!mayAccess(user, found)) return 'denied';
    dir = posix.join(dir, parts[i] ?? '');
  }
  return 'yes';
}

/** A regular file with an execute bit. */
function hasExecuteBit(file: FileInImage): boolean {
  return (file.mode & MODE_DIR) === 0 && (file.mode & 0o111) !== 0;
}

/** The PATH of `env` (its last entry wins, as in the process's environment), else BuildKit's default. */
function pathOf(env: readonly string[]): string {
  const entry = env.findLast((e) => e.startsWith('PATH='));
  return entry === undefined ? DEFAULT_CONTAINER_PATH : entry.slice('PATH='.length);
}
