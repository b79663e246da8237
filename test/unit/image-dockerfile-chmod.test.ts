/**
 * Dockerfile `COPY --chmod` / `ADD --chmod`: build args and the Dockerfile's ENV expand in the mode, as Docker's
 * Dockerfile frontend does (`ARG MODE=755`, then `COPY --chmod=$MODE …`).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Image, compileImage } from '../../src/image/index.js';
import { fileActions } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

const base = (): Image => Image.fromRegistry('debian:bookworm-slim');

/** The modes of the compiled image's copies. */
function modes(img: Image, context: string): number[] {
  return fileActions(compileImage(img, { context }).definition).flatMap((f) => f.actions.flatMap((a) => (a.action?.type === 'copy' ? [a.action.copy.mode] : [])));
}

describe('Dockerfile --chmod with variables', () => {
  const context = mkdtempSync(join(tmpdir(), 'kiln-chmod-'));
  writeFileSync(join(context, 'run.sh'), 'echo hi\n');

  it('expands a build arg in COPY --chmod=${MODE} and ADD --chmod=$MODE', () => {
    const img = base().dockerfileCommands(['ARG MODE=750', 'COPY --chmod=${MODE} run.sh /app/', 'ADD --chmod=$MODE https://example.com/tool /usr/local/bin/tool'], { context });
    expect(modes(img, context)).toEqual([0o750, 0o750]);
    expect(img.toDockerfile({ context })).toContain('COPY --chmod=750 run.sh /app/');
  });

  it('takes the value passed for the build arg, and the Dockerfile ENV', () => {
    const withArg = base().dockerfileCommands(['ARG MODE=750', 'COPY --chmod=$MODE run.sh /app/'], { context, buildArgs: { MODE: '0700' } });
    expect(modes(withArg, context)).toEqual([0o700]);
    const withEnv = base().dockerfileCommands(['ENV MODE=640', 'COPY --chmod=$MODE run.sh /app/'], { context });
    expect(modes(withEnv, context)).toEqual([0o640]);
  });

  it('refuses a mode that is not octal once expanded, and one only the base image could set', () => {
    const notOctal = thrown(() => base().dockerfileCommands(['ARG MODE=rwx', 'COPY --chmod=$MODE run.sh /app/'], { context }));
    expect(notOctal.code).toBe('invalid_argument');
    expect(notOctal.message).toContain('--chmod must be octal such as 755, got rwx');
    const imageEnv = thrown(() => base().dockerfileCommands(['COPY --chmod=$FROM_IMAGE run.sh /app/'], { context }));
    expect(imageEnv.code).toBe('invalid_argument');
    expect(imageEnv.message).toContain('only the base image');
  });
});
