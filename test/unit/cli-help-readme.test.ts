/**
 * `kiln <command> --help` and the README agree: every option a command takes is named in the README, and every
 * environment variable of the README's table that `kiln build` reads is listed by `kiln build --help`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgram, runCli } from '../../src/cli/program.js';
import type { CliIO } from '../../src/cli/context.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function captureIO(): { io: CliIO; out: () => string } {
  let text = '';
  const sink = (): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
  return { io: { stdout: sink(), stderr: sink(), env: {}, cwd: root }, out: () => text };
}

/** The README's environment-variable table: the names in its first column. */
function readmeEnvVars(): string[] {
  const table = /^\| environment variable \| meaning \|\n\| --- \| --- \|\n((?:\|.*\n)+)/m.exec(readme)?.[1] ?? '';
  return table.split('\n').flatMap((row) => [...(/^\| ([^|]*) \|/.exec(row)?.[1] ?? '').matchAll(/`([A-Z_]+)(?:=[^`]*)?`/g)].map((m) => m[1] ?? ''));
}

/** Whether the README names a flag: in code, after a space, or in brackets (`[--all]`), and not as part of a longer one. */
function named(flag: string): boolean {
  return new RegExp(`[\\s\`(\\[]${flag.replace(/[-]/g, '\\-')}(?![\\w-])`).test(readme);
}

describe('CLI help and README', () => {
  it('every option of every command is named in the README', () => {
    const program = createProgram(captureIO().io);
    const missing = program.commands.flatMap((cmd) =>
      cmd.options.filter((o) => ![o.long, o.short].some((flag) => flag !== undefined && named(flag))).map((o) => `kiln ${cmd.name()} ${o.long ?? o.flags}`),
    );
    expect(missing).toEqual([]);
  });

  it('kiln build --help lists the environment variables of the README table', async () => {
    const vars = readmeEnvVars();
    expect(vars).toContain('BUILDKIT_HOST');
    expect(vars).toContain('FORCE_COLOR');
    const { io, out } = captureIO();
    expect(await runCli(['build', '--help'], io)).toBe(0);
    const help = out();
    expect(vars.filter((v) => !help.includes(v))).toEqual([]);
  });
});
