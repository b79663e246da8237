/**
 * The README's table of error codes and the codes kiln has agree: every code of `KilnErrorCode` is documented, every
 * documented code exists, and the CLI exits as the table says.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/report-error.js';
import { KilnError, type KilnErrorCode } from '../../src/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The members of the `KilnErrorCode` union, as src/errors.ts declares them. */
function declaredCodes(): string[] {
  const source = readFileSync(join(root, 'src', 'errors.ts'), 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '');
  const union = /export type KilnErrorCode =([^;]*);/.exec(source)?.[1] ?? '';
  return [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
}

/** The README's error-code table: code → the exit codes it lists. */
function readmeCodes(): Map<string, number[]> {
  const table = /^\| code \| what went wrong \| `kiln` exits \|\n\| --- \| --- \| --- \|\n((?:\|.*\n)+)/m.exec(readme)?.[1] ?? '';
  const rows = new Map<string, number[]>();
  for (const line of table.trim().split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const code = /^`([a-z_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (code !== undefined) rows.set(code, (cells[3] ?? '').split(',').map((n) => Number(n.trim())));
  }
  return rows;
}

describe('README error codes', () => {
  it('lists exactly the codes KilnError has', () => {
    const declared = declaredCodes();
    expect(declared.length).toBeGreaterThanOrEqual(10);
    expect([...readmeCodes().keys()].sort()).toEqual([...declared].sort());
  });

  it('says the exit code the CLI gives each one', () => {
    for (const [code, exits] of readmeCodes()) {
      // The first exit listed is the code's own; `cancelled` lists the other signals' after it.
      expect(exitCodeFor(new KilnError(code as KilnErrorCode, 'x')), code).toBe(exits[0]);
    }
    const bySignal = (signal: string): number => exitCodeFor(new KilnError('cancelled', 'x', { details: { signal } }));
    expect(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE'].map(bySignal)).toEqual(readmeCodes().get('cancelled'));
  });
});
