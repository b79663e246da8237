/**
 * Where a step was written: the line of the user's module that called the `Image` method adding it, or the line of
 * the Dockerfile holding the instruction. A failed build names it (`image.ts:12`, with the line and `>>>`, as
 * `docker buildx build` shows a Dockerfile's failing line).
 *
 * A method call keeps the text of the V8 stack it was made from (source maps applied, so a `.ts` module's own lines),
 * which is only read when a build fails. Nothing here takes part in the definition: the ops,
 * their digests and `image.digest()` do not depend on where the files live.
 *
 * Internal module.
 */
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runningKiln } from '../running-kiln.js';
import { callArrayElements } from './call-array-elements.js';

/** How a step's place in the user's files is known. */
export type StepSource =
  /** The stack of the `Image` method's call (resolved to the first frame of the user's on failure). */
  | {
      readonly kind: 'stack';
      readonly stack: string;
      /**
       * For a step made by one element of an array the method was called with (`dockerfileCommands([...])`): the
       * method, the element's index and the array, to locate the step at that element when the array is written in
       * the call ({@link callArrayElements}).
       */
      readonly element?: { readonly method: string; readonly index: number; readonly values: readonly string[] } | undefined;
    }
  /** A Dockerfile instruction: the file's text, the 1-based lines the instruction spans. */
  | { readonly kind: 'dockerfile'; readonly file: string; readonly text: string; readonly line: number; readonly endLine: number };

/** A resolved source location, with the lines around it as `docker buildx build` prints them. */
export interface SourceLocation {
  /** The file, relative to the working directory when it is inside it. */
  readonly file: string;
  /** 1-based first and last line of the step. */
  readonly line: number;
  readonly endLine: number;
  /** The step's lines and up to two lines either side, each `   N |     text`, the step's own marked `>>>`. */
  readonly snippet: readonly string[];
}

/**
 * Records where the calling `Image` method was called from. The stack is made text at once: unformatted, V8 keeps
 * each frame's receiver, the `Image` the method was called on, so every step would keep the image before it alive
 * (a 5,000-step image built in a loop held 130 MB instead of 1.4 MB).
 */
export function captureStepSource(): Extract<StepSource, { kind: 'stack' }> {
  const trace: { stack?: string } = {};
  Error.captureStackTrace(trace, captureStepSource);
  return { kind: 'stack', stack: trace.stack ?? '' };
}

/** A Dockerfile instruction starting on 1-based `line`, through its continuation lines (ending in `escape`). */
export function dockerfileStepSource(file: string, text: string, line: number, escape = '\\'): StepSource {
  const lines = text.split(/\r?\n/);
  let end = line;
  while (end < lines.length && (lines[end - 1] ?? '').trimEnd().endsWith(escape)) end++;
  return { kind: 'dockerfile', file, text, line, endLine: end };
}

/** One `at …` line of a V8 stack: the file (path or file: URL), line and column. */
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * The first frame of `stack` in the user's own files: outside kiln, Node's own modules and installed packages
 * (`node_modules`: when kiln's CLI made the image, the frame after kiln's is its argument parser's, no file of the
 * user's).
 */
export function userFrame(stack: string, kilnDir = runningKiln().own + sep): { readonly file: string; readonly line: number; readonly column: number } | undefined {
  for (const text of stack.split('\n')) {
    const m = FRAME.exec(text);
    if (m === null) continue;
    let file = m[1] as string;
    if (file.startsWith('node:') || file.startsWith('internal/')) continue;
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    if (file.startsWith(kilnDir) || !file.startsWith('/') && !/^[A-Za-z]:\\/.test(file)) continue;
    if (/[/\\]node_modules[/\\]/.test(file)) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** The lines `line`..`endLine` of `text`, marked `>>>`, with two lines either side of a single line and one of several. */
export function sourceSnippet(text: string, line: number, endLine: number): string[] {
  const lines = text.split(/\r?\n/);
  if (text.endsWith('\n')) lines.pop();
  if (line < 1 || line > lines.length) return [];
  const last = Math.max(line, Math.min(endLine, lines.length));
  const around = last === line ? 2 : 1;
  const from = Math.max(1, line - around);
  const to = Math.min(lines.length, last + around);
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(` ${String(i).padStart(3)} | ${i >= line && i <= last ? '>>>' : '   '} ${lines[i - 1] ?? ''}`);
  return out;
}

function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : file;
}

/** Where `source` is, with its lines; `undefined` when no frame outside kiln was recorded or its file cannot be read. */
export function resolveStepSource(source: StepSource): SourceLocation | undefined {
  if (source.kind === 'dockerfile') {
    return { file: shownPath(source.file), line: source.line, endLine: source.endLine, snippet: sourceSnippet(source.text, source.line, source.endLine) };
  }
  const frame = userFrame(source.stack);
  if (frame === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(frame.file, 'utf8');
  } catch {
    return { file: shownPath(frame.file), line: frame.line, endLine: frame.line, snippet: [] };
  }
  const { element } = source;
  const at = element === undefined ? undefined : callArrayElements(text, frame.line, frame.column, element.method, element.values)?.[element.index];
  const { line, endLine } = at ?? { line: frame.line, endLine: frame.line };
  return { file: shownPath(frame.file), line, endLine, snippet: sourceSnippet(text, line, endLine) };
}

/** The location as buildx prints one: `file:line`, then the lines between rulers. */
export function formatSourceLocation(loc: SourceLocation): string[] {
  if (loc.snippet.length === 0) return [`${loc.file}:${loc.line}`];
  return [`${loc.file}:${loc.line}`, '--------------------', ...loc.snippet, '--------------------'];
}
