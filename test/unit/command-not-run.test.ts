/** docker run's 127 / 126 for a command that could not start, told apart from the command's own exit 1. */
import { describe, expect, it } from 'vitest';
import { commandNotRunExitCode, type StatInImage } from '../../src/image/command-not-run.js';

const DIR = 0x80000000;

/** An image's files by absolute path (their modes), and the paths looked up. */
function image(files: Readonly<Record<string, number>>): { stat: StatInImage; looked: string[] } {
  const looked: string[] = [];
  return {
    looked,
    stat: async (path) => {
      looked.push(path);
      return files[path];
    },
  };
}

const files = { '/bin/sh': 0o755, '/usr/bin/app': 0o755, '/data/notes.txt': 0o644, '/srv': DIR | 0o755, '/srv/run.sh': 0o700, '/opt/tool': 0o644, '/opt/bin/tool': 0o755 };

describe('commandNotRunExitCode', () => {
  it('a name found executable in PATH: the exit 1 was the command\'s own', async () => {
    expect(await commandNotRunExitCode('sh', ['PATH=/usr/local/bin:/bin'], '/', image(files).stat)).toBeUndefined();
  });

  it('a name in no PATH directory, or only as a file nobody may execute: 127 (not found), as docker run', async () => {
    const { stat, looked } = image(files);
    expect(await commandNotRunExitCode('nosuch', ['PATH=/usr/local/bin:/bin'], '/', stat)).toBe(127);
    expect(looked).toEqual(['/usr/local/bin/nosuch', '/bin/nosuch']);
    expect(await commandNotRunExitCode('tool', ['PATH=/opt'], '/', stat)).toBe(127);
    // The next executable one in PATH is run.
    expect(await commandNotRunExitCode('tool', ['PATH=/opt:/opt/bin'], '/', stat)).toBeUndefined();
  });

  it('no PATH in the env: BuildKit\'s default PATH', async () => {
    const { stat, looked } = image(files);
    expect(await commandNotRunExitCode('app', ['HOME=/root'], '/', stat)).toBeUndefined();
    expect(looked).toEqual(['/usr/local/sbin/app', '/usr/local/bin/app', '/usr/sbin/app', '/usr/bin/app']);
  });

  it('a path: missing is 127; a directory or a file without an execute bit is 126; relative to the working directory', async () => {
    const { stat } = image(files);
    expect(await commandNotRunExitCode('/no/such', [], '/', stat)).toBe(127);
    expect(await commandNotRunExitCode('/data/notes.txt', [], '/', stat)).toBe(126);
    expect(await commandNotRunExitCode('/srv', [], '/', stat)).toBe(126);
    expect(await commandNotRunExitCode('./run.sh', [], '/srv', stat)).toBeUndefined();
    expect(await commandNotRunExitCode('../data/notes.txt', [], '/srv', stat)).toBe(126);
  });

  it('an empty command is not found', async () => {
    expect(await commandNotRunExitCode('', [], '/', image(files).stat)).toBe(127);
  });
});
