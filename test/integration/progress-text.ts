import type { BuiltImage } from '../../src/image/index.js';

/** Everything a build's progress showed: step names and their output lines. */
export function progressText(built: BuiltImage): string {
  const out: string[] = [];
  for (const s of built.outcome.progress.steps.values()) {
    out.push(s.name);
    if (s.kind === 'vertex') out.push(...s.logs.toArray().map((l) => l.text));
  }
  return out.join('\n');
}
