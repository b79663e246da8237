import { formatLogSeconds } from './format.js';
import { type LogLine, type StepState, numberedSteps, type ProgressState } from './model.js';

/** One output line as buildx prints it: `#N <seconds since the step's latest start> <text>`. */
export function formatLogLine(index: number, line: LogLine): string {
  return `#${index} ${formatLogSeconds(line.elapsedMs)} ${line.text}`;
}

/** How the failure block writes a step's name and each output line's text (default: as they are). */
export interface FailureLogStyle {
  readonly name?: (name: string) => string;
  readonly text?: (text: string) => string;
}

/**
 * A step's output lines, the unfinished last line included, each formatted with `formatLogLine`. With `numbered:
 * false` the `#N` is left out (for text outside the progress display, whose numbering may differ from the build's
 * own: a renderer can show steps of its own, such as kiln's notes).
 */
export function stepLogLines(step: StepState, maxLines?: number, numbered = true, style: FailureLogStyle = {}): string[] {
  const total = step.logs.length + (step.partialLog !== undefined ? 1 : 0);
  const skip = maxLines === undefined ? 0 : Math.max(0, total - maxLines);
  const clean = style.text;
  const format = (raw: LogLine): string => {
    const line = clean === undefined ? raw : { ...raw, text: clean(raw.text) };
    return numbered ? formatLogLine(step.index, line) : `${formatLogSeconds(line.elapsedMs)} ${line.text}`;
  };
  const out: string[] = [];
  // The model let the oldest lines of a very long output go: say so where they would have been.
  if (step.logs.first > skip) out.push(numbered ? `#${step.index} [kiln: ${step.logs.first - skip} earlier lines not kept]` : `[kiln: ${step.logs.first - skip} earlier lines not kept]`);
  for (const line of step.logs.slice(skip)) out.push(format(line));
  if (step.partialLog !== undefined && total - skip > out.length) out.push(format(step.partialLog));
  return out;
}

/** Numbered steps that failed (canceled steps are not failures). */
export function failedSteps(state: ProgressState): StepState[] {
  return numberedSteps(state).filter((s) => s.error !== undefined && !s.canceled);
}

/**
 * The block printed after a failed build for each failed step that printed something: its name and its output
 * between `------` rulers. `maxLines` keeps only the last lines (plain mode, which already printed them all);
 * without it every line is included. `style` rewrites the name and each line's text (for a terminal: `terminalName`
 * and `terminalLine`). A failed step without output has no block: an empty one says nothing its
 * `ERROR` line and the build's error do not, and after a build that succeeded anyway (a cache import whose ref does
 * not exist yet) it reads like a failure.
 */
export function formatFailureLogs(state: ProgressState, maxLines?: number, style: FailureLogStyle = {}): string {
  let out = '';
  for (const step of failedSteps(state)) {
    const lines = stepLogLines(step, maxLines, true, style);
    if (lines.length === 0) continue;
    out += '------\n';
    out += ` > ${style.name === undefined ? step.name : style.name(step.name)}:\n`;
    for (const line of lines) out += `${line}\n`;
    out += '------\n';
  }
  return out;
}
