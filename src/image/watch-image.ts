/**
 * `watchImage`: builds an image, then again each time what it is made of changes — what `kiln build --watch` runs.
 * The caller keeps one connection (and what it knows of the daemon) for every build and says how to load the image
 * and what to do with it; this watches the files the image's local sources send (by the same ignore rules as the
 * file sync), the files the definition was read from and those `load` reports (a module and its imports), debounces
 * and coalesces their changes (watch-loop.ts), and loads the image afresh for every build.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath, sep } from 'node:path';
import { KilnError } from '../errors.js';
import { compileImage } from './compile.js';
import type { Image } from './image.js';
import { recordLocalReads } from './local-reads.js';
import { type SourceWatcher, type WatchTargets, watchSources } from './source-watcher.js';
import { type WatchLoop, type WatchTimers, createWatchLoop } from './watch-loop.js';

/** One build of a watch. */
export interface WatchRound {
  /** 1 for the first build. */
  readonly round: number;
  /** What changed since the previous build began (absolute paths; empty for the first). */
  readonly changed: readonly string[];
  /** Aborted when a change supersedes this build or the watch ends. */
  readonly signal: AbortSignal;
}

/** Options of {@link watchImage}. */
export interface WatchImageOptions {
  /** Directory local paths are relative to (default: the current directory). */
  readonly context?: string | undefined;
  /**
   * Loads the image for a build, afresh (a module evaluated again). `addInput` names a file the image was made of:
   * a change to it starts the next build (call it before what may fail, so that fixing the file rebuilds).
   */
  readonly load: (round: WatchRound, addInput: (files: readonly string[]) => void) => Promise<Image>;
  /** Builds and exports the image; its failures are its own to report (`onError` gets those that escape). */
  readonly build: (image: Image, round: WatchRound) => Promise<void>;
  /** A failure of `load` or `build` (the watch goes on). A cancelled build is not reported here. */
  readonly onError?: ((err: unknown, round: WatchRound) => void | Promise<void>) | undefined;
  /** Told when a change cancels the running build. */
  readonly onCancel?: ((changed: readonly string[]) => void) | undefined;
  /**
   * A directory that cannot be watched (out of inotify watches): its changes start no build, and the watch goes on.
   * Told once per build however many directories failed (default: `onError`).
   */
  readonly onWatchError?: ((err: KilnError) => void) | undefined;
  /** Told what is watched after each load. */
  readonly onWatching?: ((watched: { readonly directories: number; readonly files: number }) => void) | undefined;
  /** Ends the watch: the running build is cancelled and the returned promise resolves once it stopped. */
  readonly signal: AbortSignal;
  /**
   * Paths the builds write (an output's `dest`, an image ID or metadata file, a lock file, a local cache): a change
   * to one, below one or to its temporary sibling (`.out.kiln-tmp-…`, `meta.json.1a2b3c4d.tmp`) starts nothing —
   * with `-o type=local,dest=out` inside a directory the image sends, each build would otherwise start the next.
   */
  readonly written?: readonly string[] | undefined;
  /** Quiet time before a build starts (default 100 ms). */
  readonly debounceMs?: number | undefined;
  /** @internal Clock for tests. */
  readonly timers?: WatchTimers | undefined;
}

/**
 * Builds `load()`'s image now, and again on every change of what it is made of (its local files, and the files
 * `load` reports), until `options.signal` aborts: what `kiln build --watch` runs. A change during a build cancels it
 * and starts the next; failures go to `onError` and the watch goes on.
 *
 * @example
 * const client = await Client.connect();
 * const stop = new AbortController();
 * await watchImage({
 *   signal: stop.signal,
 *   load: async () => (await import(`./image.js?${Date.now()}`)).default,
 *   build: async (image, round) => { await buildImage(client, image, { tags: ['app:dev'], signal: round.signal }); },
 *   onError: (err) => console.error(err),
 * });
 */
export async function watchImage(options: WatchImageOptions): Promise<void> {
  const context = resolvePath(options.context ?? process.cwd());
  const written = (options.written ?? []).map((p) => resolvePath(p));
  let round = 0;
  let watcher: SourceWatcher | undefined;
  let targets: WatchTargets = { sources: [], files: [] };
  let loop: WatchLoop | undefined;
  /** Paths created since the last build began: one gone again by the next build was a temporary file. */
  let createdSince = new Set<string>();
  const watchFailed = (err: unknown, directories: number): void => {
    const what = directories === 1 ? 'a directory' : `${directories} directories`;
    const failure = new KilnError('unavailable', `cannot watch ${what} (their changes start no build): ${(err as Error).message}`, {
      cause: err,
      details: { directories },
      hint: 'On Linux, raise fs.inotify.max_user_watches (sysctl), or exclude large directories the image does not send (.dockerignore).',
    });
    if (options.onWatchError !== undefined) options.onWatchError(failure);
    else void options.onError?.(failure, { round, changed: [], signal: options.signal });
  };
  const setTargets = (next: WatchTargets): void => {
    targets = next;
    if (watcher === undefined) {
      watcher = watchSources(
        next,
        (paths, created) => {
          const theirs = paths.filter((p) => !writtenBy(written, p));
          if (created) for (const p of theirs) createdSince.add(p);
          loop?.changed(theirs);
        },
        watchFailed,
      );
    }
    else watcher.update(next);
    options.onWatching?.({ directories: watcher.directories, files: next.files.length });
  };
  const run = async (changedNow: readonly string[], signal: AbortSignal): Promise<void> => {
    const changed = withoutTemporaryFiles(changedNow, createdSince, (p) => existsSync(p));
    createdSince = new Set();
    const r: WatchRound = { round: ++round, changed, signal };
    const inputs = new Set<string>();
    let image: Image;
    try {
      const loaded = await recordLocalReads(async () => {
        const img = await options.load(r, (files) => {
          for (const f of files) inputs.add(resolvePath(f));
        });
        // What the build will send, and the ignore files that decide it (read now, so recorded).
        const offline = compileImage(img, { context });
        return { img, locals: offline.locals };
      });
      image = loaded.value.img;
      setTargets({ sources: loaded.value.locals.map((l) => ({ path: l.path, include: l.include, exclude: l.exclude })), files: [...new Set([...inputs, ...loaded.files])] });
    } catch (err) {
      // Keep watching what was watched, and what this load got to name (the module with the syntax error).
      setTargets({ sources: targets.sources, files: [...new Set([...targets.files, ...inputs])] });
      if (!signal.aborted) await options.onError?.(err, r);
      return;
    }
    if (signal.aborted) return;
    try {
      await options.build(image, r);
    } catch (err) {
      if (signal.aborted && KilnError.is(err, 'cancelled')) return;
      await options.onError?.(err, r);
    }
  };
  loop = createWatchLoop({
    run,
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    ...(options.onCancel === undefined ? {} : { onCancel: options.onCancel }),
  });
  if (options.signal.aborted) return;
  const stopped = new Promise<void>((resolve) => options.signal.addEventListener('abort', () => resolve(), { once: true }));
  loop.start();
  await stopped;
  await loop.stop();
  watcher?.close();
}

/**
 * `changed` without the paths created since the last build began that are gone again (sed -i's `sedXXXXXX`, an
 * editor's temporary file renamed over the one it saves): they are nothing a build sends. All of `changed` when
 * nothing else is left (a build was cancelled for them: the next one still runs, and says why).
 */
export function withoutTemporaryFiles(changed: readonly string[], created: ReadonlySet<string>, exists: (path: string) => boolean): readonly string[] {
  const left = changed.filter((p) => !created.has(p) || exists(p));
  return left.length > 0 ? left : changed;
}

/** Whether `path` is one of `written`, below one, or a temporary file kiln writes beside one before renaming it. */
export function writtenBy(written: readonly string[], path: string): boolean {
  return written.some((w) => {
    if (path === w || path.startsWith(`${w}${sep}`)) return true;
    const parent = dirname(w);
    if (!path.startsWith(`${parent}${sep}`)) return false;
    // The entry beside `w` that `path` is or is inside of (a staging directory being filled).
    const name = path.slice(parent.length + 1).split(sep)[0] ?? '';
    const own = basename(w);
    return name.startsWith(`.${own}.kiln-tmp-`) || name.startsWith('.kiln-probe-') || (name.startsWith(`${own}.`) && name.endsWith('.tmp'));
  });
}
