/**
 * The user a command runs as in an image, as numbers: what the daemon (BuildKit, runc) makes of a `user` string
 * (`docker run --user`, the image's USER) with the image's /etc/passwd and /etc/group. kiln needs the numbers to tell
 * whether that user may execute a file (see command-not-run.ts).
 *
 * - `''`: root (0, group 0).
 * - `uid:gid`, both numbers: as given, no supplementary groups (no lookup).
 * - `name` or `uid`: the passwd entry's uid and group, and the groups that list the user's name as a member; a uid
 *   with no entry runs with group 0.
 * - `user:group`: the user as above, the group by name (/etc/group) or number, and no supplementary groups.
 */

/** A user by its ids: its uid, and every group it is in (the primary group first). */
export interface ImageUser {
  readonly uid: number;
  readonly gids: readonly number[];
}

/** The text of a file of the image, or `undefined` when it has none. */
export type ReadImageText = (path: string) => Promise<string | undefined>;

const NUMBER = /^\d+$/;

/**
 * The ids `user` stands for in the image; `undefined` when a name is in neither file (the daemon cannot start the
 * command then, and says so itself).
 */
export async function resolveImageUser(user: string, read: ReadImageText): Promise<ImageUser | undefined> {
  if (user === '') return { uid: 0, gids: [0] };
  const colon = user.indexOf(':');
  const userPart = colon === -1 ? user : user.slice(0, colon);
  const groupPart = colon === -1 ? undefined : user.slice(colon + 1);
  if (groupPart !== undefined && NUMBER.test(userPart) && NUMBER.test(groupPart)) return { uid: Number(userPart), gids: [Number(groupPart)] };
  const passwd = parseColonFile(await read('/etc/passwd'));
  const entry = passwd.find((fields) => (NUMBER.test(userPart) ? fields[2] === String(Number(userPart)) || fields[2] === userPart : fields[0] === userPart));
  let uid: number;
  let gid: number;
  let name: string | undefined;
  if (entry !== undefined && NUMBER.test(entry[2] ?? '') && NUMBER.test(entry[3] ?? '')) {
    uid = Number(entry[2]);
    gid = Number(entry[3]);
    name = entry[0];
  } else if (NUMBER.test(userPart)) {
    uid = Number(userPart);
    gid = 0;
  } else {
    return undefined;
  }
  const groups = parseColonFile(await read('/etc/group'));
  if (groupPart !== undefined && groupPart !== '') {
    if (NUMBER.test(groupPart)) return { uid, gids: [Number(groupPart)] };
    const group = groups.find((fields) => fields[0] === groupPart && NUMBER.test(fields[2] ?? ''));
    return group === undefined ? undefined : { uid, gids: [Number(group[2])] };
  }
  const gids = [gid];
  if (name !== undefined) {
    for (const fields of groups) {
      const members = (fields[3] ?? '').split(',').map((m) => m.trim());
      const id = fields[2] ?? '';
      if (members.includes(name) && NUMBER.test(id) && !gids.includes(Number(id))) gids.push(Number(id));
    }
  }
  return { uid, gids };
}

/** The lines of a passwd-style file (`a:b:c`), split at `:`; comments and blank lines left out. */
function parseColonFile(text: string | undefined): string[][] {
  if (text === undefined) return [];
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}
