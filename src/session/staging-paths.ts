/**
 * The temporary paths this process is writing an export into (a local export's `.kiln-tmp-*` directory, a file's
 * `.<name>.kiln-tmp-*` sibling) until they land or are removed. Each export removes its own when it is aborted; a
 * process that must end at once (a second Ctrl-C, an exit during the cleanup) removes what is still here with
 * {@link removeStagingPathsNow} first, so that nothing half-written is left behind.
 */
import { rmSync } from 'node:fs';

const inUse = new Set<string>();

/** Records `path` as being written; the returned function forgets it (it landed or was removed). */
export function trackStagingPath(path: string): () => void {
  inUse.add(path);
  return () => {
    inUse.delete(path);
  };
}

/** How many staging paths are being written (for tests). */
export function stagingPathsInUse(): readonly string[] {
  return [...inUse];
}

/**
 * Removes every staging path still being written, synchronously: for a process about to end, whose asynchronous
 * cleanup will not run. Failures are ignored (there is nobody left to tell).
 */
export function removeStagingPathsNow(): void {
  for (const path of inUse) {
    try {
      // Retried a moment later if a write in flight created an entry between the read of a directory and its removal.
      rmSync(path, { recursive: true, force: true, maxRetries: 2, retryDelay: 10 });
    } catch {
      // Ending anyway.
    }
  }
  inUse.clear();
}
