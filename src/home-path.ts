/**
 * A leading `~` of a path read as the home directory, as a shell would have: `-o type=local,dest=~/out`,
 * `--metadata-file=~/m.json` or `--secret id=npm,src=~/.npmrc` reach kiln with the `~` in them (sh expands a `~` only
 * at the start of a word or after the `=` of an assignment), and buildx would make a directory named `~` of them.
 *
 * Internal module.
 */
import { homedir } from 'node:os';

/**
 * `path` with a leading `~` or `~/` replaced by the home directory (`HOME` of `env`, else the user's); any other path
 * (`~user/…` included, which kiln does not look up) as it is.
 */
export function expandHomePath(path: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (path !== '~' && !path.startsWith('~/')) return path;
  const fromEnv = env['HOME'];
  const home = fromEnv !== undefined && fromEnv !== '' ? fromEnv : homedir();
  return `${home}${path.slice(1)}`;
}
