/**
 * `kiln build --watch`: the builds of {@link watchImage} as the CLI shows them. Each build after the first starts with
 * the paths that changed, and each ends with one line saying what became of it (`[watch] build 3 done in 1.2s: …`,
 * `[watch] build 3 failed: …`), then kiln goes on watching. A failed build, a module that throws or does not compile
 * does not end the watch; Ctrl-C does (the caller's signal). With `--progress rawjson` the same events are JSON lines
 * (json-report.ts: `build-started`, `build-done`, `build-failed`, `build-cancelled`, `watching`, `watch-warning`), the
 * errors among them, so that every line of stderr is JSON.
 */
import { relative } from 'node:path';
import type { Image } from '../image/image.js';
import { watchImage } from '../image/watch-image.js';
import type { BuildRoundResult } from './commands/build-action.js';
import { type CliIO, println } from './context.js';
import { jsonBuildResult, jsonError, jsonEventLine, type KilnJsonEvent } from './json-report.js';
import { formatError } from './report-error.js';

/** Options of {@link watchBuilds}. */
export interface WatchBuildsOptions {
  readonly io: CliIO;
  readonly debug: boolean;
  readonly context: string;
  /** `json` (`--progress rawjson`: stderr is JSON lines): each event one JSON object, not a `[watch]` line. */
  readonly format: 'text' | 'json';
  readonly signal: AbortSignal;
  /** What the builds write (outputs, --iidfile, --metadata-file, …): their changes start nothing. */
  readonly written: readonly string[];
  readonly load: (round: number, addInput: (files: readonly string[]) => void) => Promise<Image>;
  readonly build: (image: Image, signal: AbortSignal, started: number) => Promise<BuildRoundResult>;
}

/** How many changed paths a line names before "+N more". */
const SHOWN_PATHS = 3;

/** `a, b, c (+4 more)`, relative to the working directory. */
export function changedPathsText(paths: readonly string[], cwd: string): string {
  const shown = paths.slice(0, SHOWN_PATHS).map((p) => relative(cwd, p) || '.');
  return `${shown.join(', ')}${paths.length > SHOWN_PATHS ? ` (+${paths.length - SHOWN_PATHS} more)` : ''}`;
}

/** What a successful build's line says became of the image. */
export function resultText(r: BuildRoundResult): string {
  const parts = [r.digest ?? 'no image digest'];
  if (r.names.length > 0) parts.push(`${r.pushed ? 'pushed' : 'named'} ${r.names.join(', ')}`);
  if (r.dest !== undefined && r.dest !== '-') parts.push(`wrote ${r.dest}`);
  return parts.join('; ');
}

/** Builds, then builds again on every change, until `signal` aborts. */
export async function watchBuilds(o: WatchBuildsOptions): Promise<void> {
  const json = o.format === 'json';
  const note = (text: string): void => {
    if (!json) println(o.io.stderr, `[watch] ${text}`);
  };
  const emit = (event: KilnJsonEvent): void => {
    if (json) o.io.stderr.write(jsonEventLine(event));
  };
  const started = new Map<number, number>();
  const elapsed = (round: number): number => Date.now() - (started.get(round) ?? Date.now());
  const seconds = (round: number): string => `${(elapsed(round) / 1000).toFixed(1)}s`;
  let watching = 'watching for changes (Ctrl-C to stop)';
  let watched = { directories: 0, files: 0 };
  /** The build running (or last run): the one a change cancels. */
  let current = 0;
  await watchImage({
    context: o.context,
    signal: o.signal,
    written: o.written,
    load: (r, addInput) => {
      started.set(r.round, Date.now());
      current = r.round;
      emit({ kiln: 'build-started', build: r.round, changed: [...r.changed] });
      if (r.round > 1) note(`build ${r.round}: ${changedPathsText(r.changed, o.io.cwd)} changed`);
      return o.load(r.round, addInput);
    },
    build: async (image, r) => {
      const result = await o.build(image, r.signal, started.get(r.round) ?? Date.now());
      emit({ kiln: 'build-done', build: r.round, durationMs: elapsed(r.round), ...jsonBuildResult(result) });
      emit({ kiln: 'watching', ...watched });
      note(`build ${r.round} done in ${seconds(r.round)}: ${resultText(result)}`);
      note(watching);
    },
    onError: (err, r) => {
      if (json) {
        emit({ kiln: 'build-failed', build: r.round, durationMs: elapsed(r.round), error: jsonError(err, o.debug) });
        emit({ kiln: 'watching', ...watched });
        return;
      }
      o.io.stderr.write(formatError(err, o.debug));
      note(`build ${r.round} failed after ${seconds(r.round)}; ${watching}`);
    },
    // Not a build's failure: the build goes on, with changes in those directories unseen.
    onWatchError: (err) => {
      if (json) return emit({ kiln: 'watch-warning', error: jsonError(err, o.debug) });
      println(o.io.stderr, `[watch] warning: ${err.message}`);
      if (err.hint !== undefined) println(o.io.stderr, `[watch] hint: ${err.hint}`);
    },
    onCancel: (changed) => {
      emit({ kiln: 'build-cancelled', build: current, changed: [...changed] });
      note(`${changedPathsText(changed, o.io.cwd)} changed: cancelling the running build to start again`);
    },
    onWatching: (w) => {
      watched = { directories: w.directories, files: w.files };
      watching = `watching ${w.directories} director${w.directories === 1 ? 'y' : 'ies'} for changes (Ctrl-C to stop)`;
    },
  });
}
