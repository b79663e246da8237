/** The ids a `user` string stands for in an image, as BuildKit and runc resolve it against /etc/passwd and /etc/group. */
import { describe, expect, it } from 'vitest';
import { resolveImageUser, type ReadImageText } from '../../src/image/image-user.js';

const files: Readonly<Record<string, string>> = {
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n# a comment\nnobody:x:65534:65534:nobody:/home:/bin/false\napp:x:1000:1000::/srv:/bin/sh\n',
  '/etc/group': 'root:x:0:\nnogroup:x:65534:\ntools:x:1234:nobody,app\nvideo:x:44:app\napp:x:1000:\n',
};
const read: ReadImageText = async (path) => files[path];

describe('resolveImageUser', () => {
  it('no user is root', async () => {
    expect(await resolveImageUser('', read)).toEqual({ uid: 0, gids: [0] });
  });

  it('a name: its passwd uid and group, and the groups that list it', async () => {
    expect(await resolveImageUser('nobody', read)).toEqual({ uid: 65534, gids: [65534, 1234] });
    expect(await resolveImageUser('app', read)).toEqual({ uid: 1000, gids: [1000, 1234, 44] });
  });

  it('a uid: its passwd entry when there is one, else group 0', async () => {
    expect(await resolveImageUser('65534', read)).toEqual({ uid: 65534, gids: [65534, 1234] });
    expect(await resolveImageUser('4242', read)).toEqual({ uid: 4242, gids: [0] });
  });

  it('uid:gid as given, without lookups or supplementary groups', async () => {
    const none: ReadImageText = async () => {
      throw new Error('not read');
    };
    expect(await resolveImageUser('65534:1234', none)).toEqual({ uid: 65534, gids: [1234] });
  });

  it('user:group: the group by name or number, no supplementary groups', async () => {
    expect(await resolveImageUser('nobody:tools', read)).toEqual({ uid: 65534, gids: [1234] });
    expect(await resolveImageUser('app:65534', read)).toEqual({ uid: 1000, gids: [65534] });
  });

  it('a name in neither file, or an image without them: unknown', async () => {
    expect(await resolveImageUser('ghost', read)).toBeUndefined();
    expect(await resolveImageUser('nobody:ghosts', read)).toBeUndefined();
    expect(await resolveImageUser('nobody', async () => undefined)).toBeUndefined();
    expect(await resolveImageUser('1000', async () => undefined)).toEqual({ uid: 1000, gids: [0] });
  });
});
