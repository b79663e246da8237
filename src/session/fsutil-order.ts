/**
 * Checks that DiffCopy entries arrive the way BuildKit's fsutil receiver insists on: clean relative paths, every
 * parent directory sent before its children, depth-first pre-order, and names within a directory strictly
 * increasing in UTF-8 byte order (so `a/`, `a/x`, `a-b`, `a.txt`, `b`).
 */
import { KilnError } from '../errors.js';
import { baseOf, isCleanRelativePath, parentOf } from './fs-paths.js';

interface OpenDir {
  readonly dir: string;
  last: Buffer | undefined;
}

/** Validates the order of a stream of entry paths, one call per entry. */
export class WalkOrderValidator {
  readonly #stack: OpenDir[] = [{ dir: '', last: undefined }];

  /**
   * Accepts the next entry or throws a `protocol` KilnError explaining what is wrong with it. `isDir` tells whether
   * the entry is a directory (later entries may then live inside it).
   */
  check(path: string, isDir: boolean): void {
    if (!isCleanRelativePath(path)) {
      throw new KilnError('protocol', `entry path ${JSON.stringify(path)} is not a clean relative path`, {
        details: { path },
      });
    }
    const parent = parentOf(path);
    let i = this.#stack.length - 1;
    while (i >= 0 && (this.#stack[i] as OpenDir).dir !== parent) i--;
    if (i < 0) {
      throw new KilnError(
        'protocol',
        `entry ${JSON.stringify(path)} is out of order: its directory ${JSON.stringify(parent)} was not sent just before its contents`,
        { details: { path } },
      );
    }
    this.#stack.length = i + 1;
    const top = this.#stack[i] as OpenDir;
    const name = Buffer.from(baseOf(path), 'utf8');
    if (top.last !== undefined && Buffer.compare(top.last, name) >= 0) {
      throw new KilnError(
        'protocol',
        `entry ${JSON.stringify(path)} is out of order: it must sort after ${JSON.stringify(top.last.toString('utf8'))} by bytes`,
        { details: { path } },
      );
    }
    top.last = name;
    if (isDir) this.#stack.push({ dir: path, last: undefined });
  }
}
