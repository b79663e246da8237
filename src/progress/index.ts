/**
 * Build progress: the daemon's status stream as kiln events → a pure model → renderers
 * (live terminal view, buildx-compatible plain text, raw JSON, quiet) driven by `ProgressWriter`.
 */
export { AppendOnlyList } from './append-only-list.js';
export {
  createProgressRenderer,
  colorAllowed,
  isProgressMode,
  resolveProgressMode,
  type ProgressEnv,
  type ProgressRendererOptions,
} from './create-renderer.js';
export {
  EMPTY_STATUS_EVENT,
  parseRecording,
  serializeEvent,
  type LogChunk,
  type ProgressGroup,
  type StatusEvent,
  type StatusUpdate,
  type VertexUpdate,
  type Warning,
} from './events.js';
export { failedSteps, formatFailureLogs, formatLogLine, stepLogLines } from './failure-logs.js';
export { formatBytes, formatElapsed, formatFixed, formatLogSeconds, formatSeconds } from './format.js';
export { mergeIntervals, totalDuration, type Interval } from './intervals.js';
export {
  INITIAL_PROGRESS_STATE,
  isCanceledError,
  isCompleted,
  isStarted,
  latestStart,
  numberedSteps,
  reduce,
  reduceAll,
  STEP_LOG_HELD_CHARS,
  summarize,
  type LogLine,
  type ProgressState,
  type ProgressSummary,
  type StepState,
  type StepStatus,
} from './model.js';
export { PlainRenderer, type PlainRendererOptions } from './plain-renderer.js';
export { createProgressDisplay, type ProgressDisplay } from './progress-display.js';
export { ProgressWriter, type ProgressResult, type ProgressWriterOptions } from './progress-writer.js';
export { QuietRenderer } from './quiet-renderer.js';
export { RawJsonRenderer } from './rawjson-renderer.js';
export { PROGRESS_MODES, type ProgressMode, type ProgressRenderer } from './renderer.js';
export { renderRecording, type ReplayMode } from './replay.js';
export { SinkWriter, type ProgressSink } from './sink.js';
export { StringSink } from './string-sink.js';
export {
  formatSummaryLine,
  printSummaryLine,
  summaryOutcome,
  type BuildOutcome,
  type SummaryLineOptions,
} from './summary.js';
export {
  renderTtyFrame,
  rowsAfterResize,
  SYSTEM_TIMERS,
  TtyRenderer,
  type ProgressTimers,
  type TtyFrameOptions,
  type TtyRendererOptions,
} from './tty-renderer.js';
