/**
 * The entries a DiffCopy sender has described to the daemon, kept until the daemon asks for a file's content (or
 * the transfer ends): for each entry id, its name and the id of its directory, packed into typed arrays.
 *
 * A context of 200,000 small files (a node_modules or .venv) is all described before the daemon asks for anything,
 * and on a re-send where nothing changed it asks for nothing: every file stays offered until FIN. A `Map` of ids to
 * relative paths held a ~100-character string plus a hash-table slot per file (~170 bytes, ~35 MB for 200,000
 * files); a name and two integers per entry are ~25 bytes. A path is rebuilt from its directory chain when the file
 * is requested.
 */
import { KilnError } from '../errors.js';

/** No directory: the entry is at the top of the transferred directory. */
const TOP = -1;
/** The entry is a regular file the daemon may still request. */
const REQUESTABLE = 1;
/** Entries per block of the per-entry arrays. */
const BLOCK_ENTRIES = 16 * 1024;
/** Bytes per block of names (a name longer than this gets a block of its own). */
const BLOCK_BYTES = 256 * 1024;

/** One block of entries: where each name is (a names block and an offset in it), its length, directory and flags. */
interface EntryBlock {
  readonly nameBlock: Uint16Array;
  readonly nameStart: Uint32Array;
  readonly nameLength: Uint16Array;
  readonly parent: Int32Array;
  readonly flags: Uint8Array;
}

/**
 * Entries in the order they were described (ids 0, 1, 2...), each a regular file or not. Storage grows by fixed
 * blocks, never by copying: a doubled array leaves the old one for the garbage collector, which on a large context
 * held as much again as the live data at the peak.
 */
export class OfferedFiles {
  readonly #entryBlocks: EntryBlock[] = [];
  readonly #nameBlocks: Buffer[] = [];
  /** Bytes used in the last names block. */
  #nameUsed = 0;
  #count = 0;
  /** Directories enclosing the entry described last, outermost first: their relative paths and ids. */
  readonly #openDirs: { readonly path: string; readonly id: number }[] = [];

  /** Entries described so far (the id the next one gets). */
  get size(): number {
    return this.#count;
  }

  /**
   * Records the next entry (its id is the number of entries recorded before it). `path` is its clean relative path;
   * entries come in fsutil's order, each directory before what it holds. Only regular files can be requested.
   */
  add(path: string, isDir: boolean, isRegularFile: boolean): number {
    const id = this.#count;
    const slash = path.lastIndexOf('/');
    const parentPath = slash < 0 ? '' : path.slice(0, slash);
    const open = this.#openDirs;
    while (open.length > 0 && (open[open.length - 1] as { readonly path: string }).path !== parentPath) open.pop();
    const parent = open.length === 0 ? TOP : (open[open.length - 1] as { readonly id: number }).id;
    if (parentPath !== '' && parent === TOP) {
      throw new KilnError('internal', `entry ${path} was described before its directory ${parentPath}`, { details: { path } });
    }
    const name = slash < 0 ? path : path.slice(slash + 1);
    const length = Buffer.byteLength(name, 'utf8');
    let names = this.#nameBlocks[this.#nameBlocks.length - 1];
    if (names === undefined || this.#nameUsed + length > names.length) {
      names = Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, length));
      this.#nameBlocks.push(names);
      this.#nameUsed = 0;
    }
    const at = id % BLOCK_ENTRIES;
    if (at === 0) {
      this.#entryBlocks.push({
        nameBlock: new Uint16Array(BLOCK_ENTRIES),
        nameStart: new Uint32Array(BLOCK_ENTRIES),
        nameLength: new Uint16Array(BLOCK_ENTRIES),
        parent: new Int32Array(BLOCK_ENTRIES),
        flags: new Uint8Array(BLOCK_ENTRIES),
      });
    }
    const block = this.#entryBlocks[this.#entryBlocks.length - 1] as EntryBlock;
    block.nameBlock[at] = this.#nameBlocks.length - 1;
    block.nameStart[at] = this.#nameUsed;
    block.nameLength[at] = names.write(name, this.#nameUsed, 'utf8');
    this.#nameUsed += length;
    block.parent[at] = parent;
    block.flags[at] = isRegularFile ? REQUESTABLE : 0;
    this.#count = id + 1;
    if (isDir) open.push({ path, id });
    return id;
  }

  /**
   * Marks regular file `id` as requested: true the first time, false when `id` is not an offered regular file or was
   * already requested.
   */
  request(id: number): boolean {
    if (!Number.isInteger(id) || id < 0 || id >= this.#count) return false;
    const block = this.#entryBlocks[Math.floor(id / BLOCK_ENTRIES)] as EntryBlock;
    const at = id % BLOCK_ENTRIES;
    if (block.flags[at] !== REQUESTABLE) return false;
    block.flags[at] = 0;
    return true;
  }

  /** The relative path of entry `id` (which must have been recorded). */
  pathOf(id: number): string {
    const parts: string[] = [];
    for (let e = id; e !== TOP; ) {
      const block = this.#entryBlocks[Math.floor(e / BLOCK_ENTRIES)] as EntryBlock;
      const at = e % BLOCK_ENTRIES;
      const start = block.nameStart[at] as number;
      const names = this.#nameBlocks[block.nameBlock[at] as number] as Buffer;
      parts.push(names.toString('utf8', start, start + (block.nameLength[at] as number)));
      e = block.parent[at] as number;
    }
    return parts.reverse().join('/');
  }
}
