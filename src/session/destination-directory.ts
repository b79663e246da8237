import { KilnError } from '../errors.js';
import { makeDirectory } from '../make-directory.js';
import { errnoOf, writeHint } from './fs-errors.js';

/**
 * Creates `dir` (and its missing parents) for an export written to `dest` — the parent directory of a file export
 * (`-o type=tar|oci|docker,dest=FILE`) or of a new local export directory (`-o type=local,dest=DIR`), or a local cache
 * export's directory itself (`--cache-to type=local,dest=DIR`, where `dir` is `dest`). One wording for all of them:
 * the `io` KilnError names the destination the user gave, says what is in the way, and what to do.
 *
 * @param what what is written, for the message: `the export`, `the cache export`
 */
export async function makeDestinationDirectory(dir: string, dest: string, what: string): Promise<void> {
  try {
    await makeDirectory(dir);
  } catch (cause) {
    const code = errnoOf(cause);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      // EEXIST: `dir` itself is a file (it is `dest` for a cache export, else `dest`'s parent); ENOTDIR: one above it.
      const itself = code === 'EEXIST' && dir === dest;
      throw new KilnError('io', `cannot write ${what} to ${dest}: ${itself ? 'it is a file' : 'a parent of it is a file'}, not a directory`, {
        cause,
        details: { path: dest },
        hint: `Choose a destination whose parents are directories (or do not exist yet)${itself ? ' and that is a directory' : ''}, or move the file away.`,
      });
    }
    // ENOENT once makeDirectory has found the directories above: one of them holds no new entries (/proc, /sys).
    throw new KilnError('io', `cannot write ${what} to ${dest}: cannot create the directory ${dir}${code === undefined ? '' : ` (${code})`}`, {
      cause,
      details: { path: dest },
      hint: writeHint(cause) ?? 'Choose a destination in a directory you can write to.',
    });
  }
}
