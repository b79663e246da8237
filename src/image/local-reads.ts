/**
 * The local files an image definition was made from, beyond its local sources: a Dockerfile (`fromDockerfile`), a
 * pyproject.toml (`pipInstallFromPyproject`), requirements and ignore files — read when the module runs or the image
 * compiles. A watch (`kiln build --watch`) records them to evaluate the module again when one changes; a missing file
 * is recorded too, as its appearance changes the definition.
 *
 * Internal module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const recorders = new Set<Set<string>>();

function note(path: string): void {
  if (recorders.size === 0) return;
  const abs = resolve(path);
  for (const r of recorders) r.add(abs);
}

/** `readFileSync(path, 'utf8')`, noting `path` (absolute) for the recordings under way. */
export function readLocalText(path: string): string {
  note(path);
  return readFileSync(path, 'utf8');
}

/** `readFileSync(path)`, noting `path` (absolute) for the recordings under way. */
export function readLocalBytes(path: string): Buffer {
  note(path);
  return readFileSync(path);
}

/** `existsSync(path)`, noting `path` (absolute) for the recordings under way: a file that may appear. */
export function localFileExists(path: string): boolean {
  note(path);
  return existsSync(path);
}

/** Runs `work`, and returns what it returned with the files read through {@link readLocalText} meanwhile. */
export async function recordLocalReads<T>(work: () => T | Promise<T>): Promise<{ value: T; files: string[] }> {
  const files = new Set<string>();
  recorders.add(files);
  try {
    const value = await work();
    return { value, files: [...files] };
  } finally {
    recorders.delete(files);
  }
}
