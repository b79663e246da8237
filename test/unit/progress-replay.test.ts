import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatLogLine,
  isCompleted,
  numberedSteps,
  parseRecording,
  reduceAll,
  renderRecording,
  serializeEvent,
} from '../../src/progress/index.js';

/**
 * Replays every recording in test/fixtures/progress — synthetic ones and streams recorded from a
 * real daemon alike (one `serializeEvent` line per status message) — and compares the plain output
 * with the golden `<name>.plain.txt` next to it. A new recording without a golden gets one written
 * on the first local run (review it, then commit both); in CI (`--ci`) a missing golden fails.
 */
const FIXTURES = new URL('../fixtures/progress/', import.meta.url);
const recordings = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();

describe('replaying recorded status streams', () => {
  it('finds recordings to replay', () => {
    expect(recordings.length).toBeGreaterThan(0);
  });

  describe.each(recordings)('%s', (file) => {
    const text = readFileSync(new URL(file, FIXTURES), 'utf8');
    const events = parseRecording(text);
    const output = renderRecording(events, 'plain');
    const state = reduceAll(events);

    it('matches the plain-output golden', async () => {
      await expect(output).toMatchFileSnapshot(new URL(file.replace(/\.jsonl$/, '.plain.txt'), FIXTURES).pathname);
    });

    it('prints every complete output line of every step', () => {
      const printed = new Set(output.split('\n'));
      for (const step of numberedSteps(state)) {
        for (const line of step.logs) expect(printed.has(formatLogLine(step.index, line)), `${step.name}: ${line.text}`).toBe(true);
      }
    });

    it('prints a header and one closing line for every finished step', () => {
      for (const step of numberedSteps(state)) {
        expect(output).toContain(`#${step.index} ${step.name}\n`);
        if (!isCompleted(step)) continue;
        const closing = output.split('\n').filter((l) => /^#\d+ (DONE( \d+\.\ds)?|CACHED|CANCELED|ERROR: .*)$/.test(l) && l.startsWith(`#${step.index} `));
        expect(closing.length, step.name).toBeGreaterThanOrEqual(1);
      }
    });

    it('is in canonical form: serializing the parsed events gives back the file', () => {
      expect(events.map(serializeEvent)).toEqual(text.split('\n').filter((l) => l.trim() !== ''));
    });
  });
});
