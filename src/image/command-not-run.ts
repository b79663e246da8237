/**
 * Why a command exited 1 before it ran: the daemon (runc) reports a command it could not start — not found, not
 * executable — as exit code 1, with its reason on the process's stderr only. `docker run` exits 127 (not found) and
 * 126 (cannot be executed) there. kiln tells the two apart from an exit 1 of the command itself by looking the
 * command up in the image as runc does (a name through PATH, a path with a `/` as it is, from the working directory),
 * through the daemon's StatFile: nothing by that name is 127; a directory, or a file no one may execute, is 126.
 */
import { posix } from 'node:path';

/** The PATH BuildKit gives a process whose env has none. */
export const DEFAULT_CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Go `os.FileMode`'s directory bit, as StatFile reports it. */
const MODE_DIR = 0x80000000;

/** The mode of a path in the image (its links resolved), or `undefined` when there is nothing there. */
export type StatInImage = (path: string) => Promise<number | undefined>;

/**
 * The exit code `docker run` gives a command that could not start, for a command that exited 1: 127 when `command`
 * is not in the image, 126 when it is a directory or a file without execute permission; `undefined` when it is
 * there and executable (the exit 1 was the command's own).
 */
export async function commandNotRunExitCode(command: string, env: readonly string[], cwd: string, stat: StatInImage): Promise<126 | 127 | undefined> {
  if (command === '') return 127;
  if (command.includes('/')) {
    const mode = await stat(posix.resolve(cwd === '' ? '/' : cwd, command));
    if (mode === undefined) return 127;
    return executable(mode) ? undefined : 126;
  }
  // A name is looked up in PATH as Go's exec.LookPath does: the first executable file; none is "not found".
  for (const dir of pathOf(env).split(':')) {
    const mode = await stat(posix.resolve(cwd === '' ? '/' : cwd, dir === '' ? '.' : dir, command));
    if (mode !== undefined && executable(mode)) return undefined;
  }
  return 127;
}

/** A regular file with an execute bit. */
function executable(mode: number): boolean {
  return (mode & MODE_DIR) === 0 && (mode & 0o111) !== 0;
}

/** The PATH of `env` (its last entry wins, as in the process's environment), else BuildKit's default. */
function pathOf(env: readonly string[]): string {
  const entry = env.findLast((e) => e.startsWith('PATH='));
  return entry === undefined ? DEFAULT_CONTAINER_PATH : entry.slice('PATH='.length);
}
