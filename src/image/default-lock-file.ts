/**
 * The default lock file name, next to the module that defines the image. A module of its own: `kiln build --help`
 * names it without loading the lock file code (and the LLB code that comes with it).
 */
export const DEFAULT_LOCK_FILE = 'kiln.lock.json';
