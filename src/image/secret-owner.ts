/**
 * Who can read a build secret's file during a step. BuildKit mounts a secret as root's with mode 0400 unless told
 * otherwise, which a step running as another user (after `.user('app')`, or an installer run as an image's own
 * user) cannot read: `secrets: ['HF_TOKEN']` would fail with "Permission denied". kiln's `secrets` option gives the
 * file to the step's user instead: that uid (and gid) when the user is numeric, else mode 0444, as the uid behind a
 * name is only known inside the image. A Dockerfile's `RUN --mount=type=secret` keeps Docker's rule (root, 0400,
 * or what its `uid=`, `gid=`, `mode=` say).
 */
import type { MountOwner, SecretUse } from './steps.js';

/** Whether a user spec (`USER`, `.user()`) runs as root; `''` is the image's default, root. */
export function isRootUser(user: string): boolean {
  return user === '' || user === 'root' || user === '0' || user.startsWith('root:') || user.startsWith('0:');
}

/** Owner and mode of `secret`'s file in a step that runs as `user` (undefined: BuildKit's default, root 0400). */
export function secretFileOwner(secret: SecretUse, user: string): MountOwner | undefined {
  if (secret.dockerfile === true || secret.file !== undefined || isRootUser(user)) return secret.file;
  const numeric = /^(\d+)(?::(\d+))?$/.exec(user);
  if (numeric === null) return { mode: 0o444 };
  return { uid: Number(numeric[1]), ...(numeric[2] === undefined ? {} : { gid: Number(numeric[2]) }) };
}
