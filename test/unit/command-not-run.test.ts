/** docker run's 127 / 126 for a command that could not start, told apart from the command's own exit 1. */
import { describe, expect, it } from 'vitest';
import { commandNotRunExitCode, mayAccess, type FileInImage, type StatInImage } from '../../src/image/command-not-run.js';
import type { ImageUser } from '../../src/image/image-user.js';

const DIR = 0x80000000;

/** An image's files by absolute path (their modes, or [mode, uid, gid]; root's by default), and the paths looked up. */
function image(files: Readonly<Record<string, number | readonly [number, number, number]>>): { stat: StatInImage; looked: string[] } {
  const looked: string[] = [];
  return {
    looked,
    stat: async (path) => {
      looked.push(path);
      const f = files[path];
      if (f === undefined) return undefined;
      return typeof f === 'number' ? { mode: f, uid: 0, gid: 0 } : { mode: f[0], uid: f[1], gid: f[2] };
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

  it('a file root may execute but the user may not: 126, whether given as a path or found in PATH', async () => {
    const nobody: ImageUser = { uid: 65534, gids: [65534] };
    const tree = { '/': DIR | 0o755, '/opt': DIR | 0o755, '/opt/tool': 0o700, '/bin': DIR | 0o755, '/bin/tool': 0o755 } as const;
    expect(await commandNotRunExitCode('/opt/tool', [], '/', image(tree).stat, nobody)).toBe(126);
    expect(await commandNotRunExitCode('/opt/tool', [], '/', image(tree).stat)).toBeUndefined();
    // runc takes the first file with an execute bit, then cannot execute it: 126, not the next one in PATH.
    expect(await commandNotRunExitCode('tool', ['PATH=/opt:/bin'], '/', image(tree).stat, nobody)).toBe(126);
    expect(await commandNotRunExitCode('tool', ['PATH=/bin:/opt'], '/', image(tree).stat, nobody)).toBeUndefined();
  });

  it('a directory the user cannot search: a path through it is 126; in PATH it is passed over (127 when nothing else is found)', async () => {
    const nobody: ImageUser = { uid: 65534, gids: [65534] };
    const tree = { '/': DIR | 0o755, '/locked': DIR | 0o700, '/locked/tool': 0o755, '/bin': DIR | 0o755, '/bin/tool': 0o755 } as const;
    expect(await commandNotRunExitCode('/locked/tool', [], '/', image(tree).stat, nobody)).toBe(126);
    expect(await commandNotRunExitCode('tool', ['PATH=/locked'], '/', image(tree).stat, nobody)).toBe(127);
    expect(await commandNotRunExitCode('tool', ['PATH=/locked:/bin'], '/', image(tree).stat, nobody)).toBeUndefined();
    // root searches any directory.
    expect(await commandNotRunExitCode('/locked/tool', [], '/', image(tree).stat)).toBeUndefined();
    expect(await commandNotRunExitCode('/nowhere/tool', [], '/', image(tree).stat, nobody)).toBe(127);
  });
});

describe('mayAccess (execute a file, search a directory) as the kernel decides', () => {
  const file = (mode: number, uid: number, gid: number): FileInImage => ({ mode, uid, gid });
  const user = (uid: number, ...gids: number[]): ImageUser => ({ uid, gids });
  // [what, user, file, allowed]
  const cases: [string, ImageUser, FileInImage, boolean][] = [
    ['root, owner bits only', user(0, 0), file(0o700, 0, 0), true],
    ['root, another owner\'s file with only the others\' x bit', user(0, 0), file(0o001, 1000, 1000), true],
    ['root, only the group x bit', user(0, 0), file(0o610, 5, 5), true],
    ['root, no x bit at all', user(0, 0), file(0o666, 0, 0), false],
    ['root, a directory without x bits (searchable all the same)', user(0, 0), file(DIR | 0o000, 5, 5), true],
    ['the owner, owner x', user(1000, 1000), file(0o700, 1000, 0), true],
    ['the owner, owner bits without x even when group and others have it', user(1000, 1000), file(0o611, 1000, 1000), false],
    ['in the group (primary), group x', user(1000, 1000), file(0o710, 0, 1000), true],
    ['in the group (supplementary), group x', user(1000, 1000, 1234), file(0o710, 0, 1234), true],
    ['in the group, group bits without x even when others have it', user(1000, 1000), file(0o701, 0, 1000), false],
    ['neither, others x', user(1000, 1000), file(0o701, 0, 0), true],
    ['neither, only owner and group x', user(1000, 1000), file(0o770, 0, 0), false],
    ['a uid with group 0 (no passwd entry) is in root\'s group', user(4242, 0), file(0o710, 0, 0), true],
    ['a directory the user may not search', user(65534, 65534), file(DIR | 0o700, 0, 0), false],
    ['a directory the others may search', user(65534, 65534), file(DIR | 0o711, 0, 0), true],
  ];
  it.each(cases)('%s', (_what, who, f, allowed) => {
    expect(mayAccess(who, f)).toBe(allowed);
  });
});
