/**
 * Who can use a step's build secret files and ssh-agent sockets. BuildKit mounts a secret as root's with mode 0400 and
 * an agent's socket as root's with mode 0600 unless told otherwise, which a step running as another user (after
 * `.user('app')`, or an installer run as an image's own user such as `Image.micromamba()`'s mambauser) cannot use:
 * `secrets: ['HF_TOKEN']` would fail with "Permission denied", `ssh: true` with git's "Permission denied" on
 * `$SSH_AUTH_SOCK`. kiln's `secrets` and `ssh` options give the file or socket to the step's user instead: that uid
 * (and gid) when the user is numeric, else a mode that lets every user in (0444 for a secret, 0666 for a socket), as
 * the uid behind a name is only known inside the image. A Dockerfile's `RUN --mount=type=secret` and
 * `RUN --mount=type=ssh` keep Docker's rule (root, or what their `uid=`, `gid=`, `mode=` say).
 */
import type { MountOwner, SecretUse, SshUse } from './steps.js';

/** Whether a user spec (`USER`, `.user()`) runs as root; `''` is the image's default, root. */
export function isRootUser(user: string): boolean {
  return user === '' || user === 'root' || user === '0' || user.startsWith('root:') || user.startsWith('0:');
}

/** Owner and mode of `secret`'s file in a step that runs as `user` (undefined: BuildKit's default, root 0400). */
export function secretFileOwner(secret: SecretUse, user: string): MountOwner | undefined {
  if (secret.dockerfile === true || secret.file !== undefined) return secret.file;
  return stepUserOwner(user, 0o444);
}

/** Owner and mode of `agent`'s socket in a step that runs as `user` (undefined: BuildKit's default, root 0600). */
export function sshSocketOwner(agent: SshUse, user: string): MountOwner | undefined {
  if (agent.dockerfile === true || agent.socket !== undefined) return agent.socket;
  return stepUserOwner(user, 0o666);
}

/** The owner a mount gets for `user`: none for root, the uid (and gid) of a numeric user, else `namedMode`. */
function stepUserOwner(user: string, namedMode: number): MountOwner | undefined {
  if (isRootUser(user)) return undefined;
  const numeric = /^(\d+)(?::(\d+))?$/.exec(user);
  if (numeric === null) return { mode: namedMode };
  return { uid: Number(numeric[1]), ...(numeric[2] === undefined ? {} : { gid: Number(numeric[2]) }) };
}
