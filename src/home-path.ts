/**
 * A leading `~` of a path read as the home directory, as a shell would have: `-o type=local,dest=~/out`,
 * `--metadata-file=~/m.json` or `--secret id=npm,src=~/.npmrc` reach kiln with the `~` in them (sh expands a `~` only
 * at the start of a word or after the `=` of an assignment), and buildx would make a directory named `~` of them.
 * On Windows `~\out` is read the same way (PowerShell expands `~` for its own commands only), and the home directory
 * is `HOME` when set, else `USERPROFILE`, as Git for Windows and the docker CLI find it.
 *
 * Internal module.
 */
import { homedir } from 'node:os';

/**
 * `path` with a leading `~` or `~/` (on Windows also `~\`) replaced by the home directory (`HOME` of `env`, on Windows
 * else `USERPROFILE`, else the user's); any other path (`~user/…` included, which kiln does not look up) as it is.
 */
export function expandHomePath(path: string, env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (path !== '~' && !path.startsWith('~/') && !(platform === 'win32' && path.startsWith('~\\'))) return path;
  return `${homeDirectory(env, platform)}${path.slice(1)}`;
}

/** The home directory: `HOME` of `env`, on Windows else `USERPROFILE`, else the user's (`os.homedir()`, which may throw). */
export function homeDirectory(env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): string {
  const fromEnv = [env['HOME'], ...(platform === 'win32' ? [env['USERPROFILE']] : [])].find((h) => h !== undefined && h !== '');
  return fromEnv ?? homedir();
}
