import { invalidArgument } from '../errors.js';
import { PlainRenderer } from './plain-renderer.js';
import { QuietRenderer } from './quiet-renderer.js';
import { RawJsonRenderer } from './rawjson-renderer.js';
import { PROGRESS_MODES, type ProgressMode, type ProgressRenderer } from './renderer.js';
import { type ProgressSink, SinkWriter } from './sink.js';
import { type ProgressTimers, TtyRenderer } from './tty-renderer.js';

/** Environment variables the renderers look at. */
export type ProgressEnv = Readonly<Record<string, string | undefined>>;

/** Options of `createProgressRenderer`. */
export interface ProgressRendererOptions {
  /** Where output goes, e.g. `process.stderr`. */
  stream: ProgressSink;
  /** Environment (default `process.env`): `TERM=dumb` disables the live view, `NO_COLOR` disables colour. */
  env?: ProgressEnv | undefined;
  /** Terminal width for the live view (default: the stream's, then 80). */
  columns?: number | undefined;
  /** Terminal height for the live view (default: the stream's). */
  rows?: number | undefined;
  /** Local clock for the live view (default `Date.now`). Use the same clock for `ProgressWriter`. */
  now?: (() => number) | undefined;
  /** Timers for the live view's redraws (default: real, unref'd timers). */
  timers?: ProgressTimers | undefined;
  /** Force colours on or off in the live view; by default on only for a terminal without NO_COLOR. */
  color?: boolean | undefined;
  /** Word after "[+]" in the live view's header (default "Building"). */
  phase?: string | undefined;
}

/** True when `mode` is one of the names in `PROGRESS_MODES`. */
export function isProgressMode(mode: unknown): mode is ProgressMode {
  return typeof mode === 'string' && (PROGRESS_MODES as readonly string[]).includes(mode);
}

/** What `auto` means for this stream: the live view on a terminal (unless `TERM=dumb`), else plain text. */
export function resolveProgressMode(
  mode: ProgressMode,
  stream: ProgressSink,
  env: ProgressEnv = process.env,
): Exclude<ProgressMode, 'auto'> {
  if (mode !== 'auto') return mode;
  return stream.isTTY === true && env['TERM'] !== 'dumb' ? 'tty' : 'plain';
}

/**
 * Colours only on a terminal, not for `TERM=dumb`, and never when `NO_COLOR` is set to anything but "".
 * `FORCE_COLOR` (set, and not "0") turns them on without a terminal, e.g. for CI logs that render ANSI.
 */
export function colorAllowed(stream: ProgressSink, env: ProgressEnv = process.env): boolean {
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0') return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

/**
 * Creates the renderer for a progress mode: `tty` (live view), `plain` (buildx-compatible text),
 * `rawjson` (one JSON event per line), `quiet` (only failed steps' output at the end) or `auto`
 * (`tty` on a terminal unless `TERM=dumb`, else `plain`). Any other mode is an `invalid_argument`.
 */
export function createProgressRenderer(mode: ProgressMode, options: ProgressRendererOptions): ProgressRenderer {
  if (!isProgressMode(mode)) {
    invalidArgument(
      `createProgressRenderer(mode): unknown progress mode ${JSON.stringify(mode)}; use one of ${PROGRESS_MODES.join(', ')}`,
      createProgressRenderer,
    );
  }
  const stream = (options as Partial<ProgressRendererOptions> | undefined)?.stream;
  if (stream === undefined || stream === null || typeof stream.write !== 'function') {
    invalidArgument(
      'createProgressRenderer(mode, options): options.stream must be a writable sink with write(chunk: string), e.g. process.stderr',
      createProgressRenderer,
    );
  }
  for (const key of ['columns', 'rows'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      invalidArgument(
        `createProgressRenderer(mode, options): options.${key} must be a positive integer (got ${String(value)}); leave it out to use the terminal's size`,
        createProgressRenderer,
      );
    }
  }
  const env = options.env ?? process.env;
  const out = new SinkWriter(stream);
  switch (resolveProgressMode(mode, stream, env)) {
    case 'tty': {
      const tty: ConstructorParameters<typeof TtyRenderer>[1] = { color: options.color ?? colorAllowed(stream, env) };
      if (options.columns !== undefined) tty.columns = options.columns;
      if (options.rows !== undefined) tty.rows = options.rows;
      if (options.now !== undefined) tty.now = options.now;
      if (options.timers !== undefined) tty.timers = options.timers;
      if (options.phase !== undefined) tty.phase = options.phase;
      return new TtyRenderer(out, tty);
    }
    case 'plain':
      return new PlainRenderer(out);
    case 'rawjson':
      return new RawJsonRenderer(out);
    case 'quiet':
      return new QuietRenderer(out);
  }
}
