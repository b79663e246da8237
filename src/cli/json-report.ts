/**
 * What `kiln build --progress rawjson` writes on stderr besides the status stream: kiln's own events — a watch's
 * builds starting, done, failed, cancelled, the watch stopped — and the error a build or the command ended with, each
 * one JSON object on its own line, so that every line of stderr is JSON. Each has a `kiln` key naming the event (a
 * key no BuildKit status has: a buildx `SolveStatus` reader, and `parseRecording`, read the line as an empty status).
 */
import { KilnError, type KilnErrorCode } from '../errors.js';
import type { BuildRoundResult } from './commands/build-action.js';

/** An error as a JSON event carries it: the KilnError's stable code, its message, hint and details. */
export interface JsonError {
  readonly code: KilnErrorCode;
  readonly message: string;
  readonly hint?: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** With `--debug`: kiln's stack trace. */
  readonly stack?: string;
}

/** The lines `kiln build --progress rawjson` writes for itself (see README, Progress and Watching). */
export type KilnJsonEvent =
  /** The command ends with this error (without `--watch`, or a watch that could not start). */
  | { readonly kiln: 'error'; readonly error: JsonError }
  /** A watch's build `build` starts (1 for the first); `changed`: the absolute paths that started it (none for the first). */
  | { readonly kiln: 'build-started'; readonly build: number; readonly changed: readonly string[] }
  /** Build `build` succeeded: the digest (also on stdout), the image names given (pushed or not), the file written. */
  | ({ readonly kiln: 'build-done'; readonly build: number; readonly durationMs: number } & JsonBuildResult)
  /** Build `build` failed (its module did not load, a step failed, …); the watch goes on. */
  | { readonly kiln: 'build-failed'; readonly build: number; readonly durationMs: number; readonly error: JsonError }
  /** A change cancels the running build `build`; a `build-started` for the next follows once it stopped. */
  | { readonly kiln: 'build-cancelled'; readonly build: number; readonly changed: readonly string[] }
  /** After each build: what the watch now watches. */
  | { readonly kiln: 'watching'; readonly directories: number; readonly files: number }
  /** Something cannot be watched (the watch goes on, blind to it). */
  | { readonly kiln: 'watch-warning'; readonly error: JsonError }
  /** The watch ended (Ctrl-C: `SIGINT`, `SIGTERM`, `SIGHUP`, `SIGPIPE`). */
  | { readonly kiln: 'stopped'; readonly signal: string }
  /**
   * `--on-failure`: the failed step is opened (`opened`, the command `args` run in `cwd` on the `state` of the step, for
   * `platform`), or cannot be (`error`); the build's `error` follows once the command ended.
   */
  | {
      readonly kiln: 'failed-step';
      readonly opened: boolean;
      readonly args: readonly string[];
      readonly state: string;
      readonly cwd: string | null;
      readonly platform: string | null;
      readonly error?: JsonError;
    }
  /** `--on-failure`: what the command run in the failed step wrote on its stderr, as text (its stdout is kiln's). */
  | { readonly kiln: 'failed-step-stderr'; readonly data: string }
  /**
   * `--on-failure`: kiln got `signal` and sent the command `sent` for it (its stop signal when it has one, else the
   * same signal); the command had not exited `stopTimeout` seconds later (`--on-failure-stop-timeout`, default 10) and
   * was killed (SIGKILL): sent once the daemon reported the kill's exit.
   */
  | { readonly kiln: 'failed-step-killed'; readonly signal: string; readonly sent: string; readonly stopTimeout: number };

/** A successful build's result, as `build-done` carries it. */
export interface JsonBuildResult {
  readonly digest: string | null;
  readonly names: readonly string[];
  readonly pushed: boolean;
  readonly dest: string | null;
}

/** `r` for `build-done`. */
export function jsonBuildResult(r: BuildRoundResult): JsonBuildResult {
  return { digest: r.digest ?? null, names: [...r.names], pushed: r.pushed, dest: r.dest ?? null };
}

/**
 * `err` as JSON: a KilnError's code, message, hint and details; anything else thrown is `internal`. The daemon's stack
 * traces (`details.stacks`) and kiln's (`stack`) only with `--debug`, as the text report has them.
 */
export function jsonError(err: unknown, debug: boolean): JsonError {
  const stackOf = (e: unknown): { stack?: string } => (debug && e instanceof Error && e.stack !== undefined ? { stack: e.stack } : {});
  if (err instanceof KilnError) {
    const { stacks, ...rest } = err.details;
    const details = debug && stacks !== undefined ? { ...rest, stacks } : rest;
    return { code: err.code, message: err.message, ...(err.hint === undefined ? {} : { hint: err.hint }), details, ...stackOf(err) };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err), details: {}, ...stackOf(err) };
}

/** One line of JSON (with its newline). Values JSON has no form for are written as text (a bigint as its digits). */
export function jsonEventLine(event: KilnJsonEvent): string {
  return `${JSON.stringify(event, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`;
}
