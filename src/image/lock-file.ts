/**
 * Image lock files: the manifest digest each base image resolved to, per platform, recorded so that later builds —
 * on another machine, next month — start from exactly the same bases (and so hit the same cache).
 *
 * The file is stable, sorted, human-readable JSON:
 * ```json
 * {
 *   "version": 1,
 *   "images": {
 *     "docker.io/library/python:3.11-slim": { "linux/amd64": "sha256:…" }
 *   }
 * }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { KilnError } from '../errors.js';
import { isSha256Digest } from '../sha256-digest.js';
import { writeFileAtomic } from '../write-file-atomic.js';
import { parseImageRef } from '../llb/index.js';
import { DEFAULT_LOCK_FILE } from './default-lock-file.js';

/** The lock file format version kiln writes and reads. */
export const IMAGE_LOCK_VERSION = 1;

export { DEFAULT_LOCK_FILE };


/** An immutable set of base image pins: normalised reference → platform (`linux/amd64`) → manifest digest. */
export class ImageLock {
  readonly #images: ReadonlyMap<string, ReadonlyMap<string, string>>;

  private constructor(images: ReadonlyMap<string, ReadonlyMap<string, string>>) {
    this.#images = images;
  }

  /** A lock with no images. */
  static empty(): ImageLock {
    return new ImageLock(new Map());
  }

  /**
   * Parses a lock file's text. `source` names the file in errors.
   * @throws KilnError `invalid_argument` naming the file and what is wrong with it
   */
  static parse(text: string, source = DEFAULT_LOCK_FILE): ImageLock {
    const bad = (what: string): never => {
      throw new KilnError('invalid_argument', `lock file ${source} ${what}`, {
        hint: 'Fix it by hand, or delete it and run `kiln build --lock` to write a fresh one.',
      });
    };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return bad(`is not JSON (${(err as Error).message})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('is not a JSON object');
    const obj = raw as Record<string, unknown>;
    if (obj['version'] !== IMAGE_LOCK_VERSION) return bad(`has version ${JSON.stringify(obj['version'])}; this kiln reads version ${IMAGE_LOCK_VERSION}`);
    const images = obj['images'];
    if (typeof images !== 'object' || images === null || Array.isArray(images)) return bad('has no "images" object');
    const out = new Map<string, Map<string, string>>();
    for (const [ref, platforms] of Object.entries(images as Record<string, unknown>)) {
      let normalised: string;
      try {
        normalised = parseImageRef(ref).normalized;
      } catch {
        return bad(`lists ${JSON.stringify(ref)}, which is not an image reference`);
      }
      if (typeof platforms !== 'object' || platforms === null || Array.isArray(platforms)) return bad(`maps ${ref} to something other than { "<os>/<arch>": "sha256:…" }`);
      const byPlatform = new Map<string, string>();
      for (const [platform, digest] of Object.entries(platforms as Record<string, unknown>)) {
        if (typeof digest !== 'string' || !isSha256Digest(digest)) return bad(`has ${JSON.stringify(digest)} for ${ref} on ${platform}, not a sha256:<64 hex> digest`);
        byPlatform.set(platform, digest);
      }
      out.set(normalised, byPlatform);
    }
    return new ImageLock(out);
  }

  /** The pinned digest of `ref` (any spelling; it is normalised) on `platform`, if the lock has one. */
  get(ref: string, platform: string): string | undefined {
    return this.#images.get(parseImageRef(ref).normalized)?.get(platform);
  }

  /** Number of (image, platform) pins. */
  get size(): number {
    let n = 0;
    for (const p of this.#images.values()) n += p.size;
    return n;
  }

  /** A new lock with `ref` on `platform` pinned to `digest` (other pins kept). */
  with(ref: string, platform: string, digest: string): ImageLock {
    if (!isSha256Digest(digest)) throw new KilnError('invalid_argument', `cannot lock ${ref} to ${JSON.stringify(digest)}: not a sha256:<64 hex> digest`);
    const normalised = parseImageRef(ref).normalized;
    const images = new Map(this.#images);
    images.set(normalised, new Map([...(this.#images.get(normalised) ?? []), [platform, digest]]));
    return new ImageLock(images);
  }

  /** The file's text: sorted keys, two-space indent, trailing newline. */
  toText(): string {
    const images: Record<string, Record<string, string>> = {};
    for (const ref of [...this.#images.keys()].sort()) {
      const platforms = this.#images.get(ref)!;
      images[ref] = Object.fromEntries([...platforms.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return `${JSON.stringify({ version: IMAGE_LOCK_VERSION, images }, null, 2)}\n`;
  }
}

/** The lock file a command uses: `explicit` (relative to `cwd`) when given, else {@link DEFAULT_LOCK_FILE} beside the module. */
export function lockFilePath(cwd: string, modulePath: string, explicit?: string): string {
  return resolvePath(cwd, explicit ?? resolvePath(dirname(resolvePath(cwd, modulePath)), DEFAULT_LOCK_FILE));
}

/** Reads a lock file; `undefined` when it does not exist. */
export async function readImageLock(path: string): Promise<ImageLock | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KilnError('io', `cannot read lock file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return ImageLock.parse(text, path);
}

/** Writes a lock file atomically (a temporary file beside it, then a rename). */
export async function writeImageLock(path: string, lock: ImageLock): Promise<void> {
  await writeFileAtomic(path, lock.toText(), 'lock file');
}
