import { invalidArgument } from '../errors.js';
import { parseRecording, type StatusEvent } from './events.js';
import { INITIAL_PROGRESS_STATE, reduce } from './model.js';
import { PlainRenderer } from './plain-renderer.js';
import { QuietRenderer } from './quiet-renderer.js';
import { RawJsonRenderer } from './rawjson-renderer.js';
import type { ProgressRenderer } from './renderer.js';
import { StringSink } from './string-sink.js';

/** Modes whose output depends on the events alone, so a replay is reproducible. */
export type ReplayMode = 'plain' | 'rawjson' | 'quiet';

/**
 * Renders a recorded status stream (events, or the text of a `.jsonl` recording) in one of the
 * deterministic modes and returns the output — what a user would have seen. Used for golden tests
 * and for looking at recordings of real daemon streams.
 */
export function renderRecording(recording: string | Iterable<StatusEvent>, mode: ReplayMode = 'plain'): string {
  const events = typeof recording === 'string' ? parseRecording(recording) : recording;
  const sink = new StringSink();
  let renderer: ProgressRenderer;
  if (mode === 'plain') renderer = new PlainRenderer(sink);
  else if (mode === 'rawjson') renderer = new RawJsonRenderer(sink);
  else if (mode === 'quiet') renderer = new QuietRenderer(sink);
  else {
    return invalidArgument(
      `renderRecording(recording, mode): mode must be plain, rawjson or quiet (got ${JSON.stringify(mode)}); the live tty view depends on wall-clock timing`,
      renderRecording,
    );
  }
  let state = INITIAL_PROGRESS_STATE;
  for (const event of events) {
    state = reduce(state, event);
    renderer.update(state);
  }
  renderer.done(state);
  return sink.text;
}
