import { posix } from 'node:path';
import type { Client } from '../client/client.js';
import type { Gateway, GatewayRef } from '../client/build.js';
import type { StatusEvent } from '../progress/events.js';
import { KilnError } from '../errors.js';
import { git, marshal } from '../llb/index.js';
import type { SessionService } from '../session/session-server.js';
import { describeGitContext, type GitContext } from './git-context.js';

export interface ReadGitDockerfileOptions {
  /** Secrets (`GIT_AUTH_TOKEN`, `GIT_AUTH_HEADER`) and ssh agents the daemon's clone may use. */
  readonly sessionServices: readonly SessionService[];
  readonly onStatus?: ((event: StatusEvent) => unknown) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Go's `os.ModeDir` and the bits that make a file other than a regular one (`os.ModeType`). */
const MODE_DIR = 0x80000000;
const MODE_TYPE = 0x8f280000;

/** What {@link readGitDockerfile} read. */
export interface GitDockerfile {
  /** The Dockerfile's text. */
  readonly text: string;
  /**
   * The commit the daemon checked out for it (the clone's detached `HEAD`), for the build to take its context from
   * that commit; `undefined` when the daemon's clone did not say (the build then names the ref again).
   */
  readonly commit: string | undefined;
}

/**
 * Has the daemon clone a git context (with its own network, the session's `GIT_AUTH_TOKEN` secret or ssh agent, as
 * `docker buildx build URL` does) and returns the text of its Dockerfile, `file` inside the subdirectory, read from
 * the clone through the gateway, and the commit the clone is of. The tree stays on the daemon: the build takes its
 * context from that commit (see imageFromGitDockerfile), which the daemon already has, so the remote is asked once
 * and a branch that moves meanwhile cannot give the build a Dockerfile of one commit and a context of another.
 *
 * The daemon resolves the subdirectory and the Dockerfile inside the clone, symbolic links included: a link that
 * points out of the repository (`escape -> /home/me`, `Dockerfile -> /etc/passwd`) leads to a path of the clone, never
 * to one of the daemon's or this machine's files, and is reported as missing when the clone has nothing there.
 */
export async function readGitDockerfile(client: Client, ctx: GitContext, file: string, options: ReadGitDockerfileOptions): Promise<GitDockerfile> {
  const repository = describeGitContext({ ...ctx, subdir: '' });
  let text: string | undefined;
  let commit: string | undefined;
  let missing: 'directory' | 'dockerfile' | undefined;
  // Only the clone fails the build: what is missing in it is said after, naming the repository and the path.
  const read = async (gw: Gateway): Promise<Record<string, never>> => {
    // With its .git directory: BuildKit checks the commit out detached, so .git/HEAD names it.
    const ref = await gw.solve(marshal(git(ctx.remote, ctx.ref, { keepGitDir: true }), { caps: gw.llbCaps }));
    commit = await checkedOutCommit(gw, ref);
    const dirMode = ctx.subdir === '' ? MODE_DIR : await modeOf(gw, ref, `/${ctx.subdir}`);
    if (dirMode === -1 || (dirMode & MODE_DIR) === 0) {
      missing = 'directory';
      return {};
    }
    const path = posix.join('/', ctx.subdir, file);
    const mode = await modeOf(gw, ref, path);
    if (mode === -1 || (mode & MODE_TYPE) !== 0) {
      missing = 'dockerfile';
      return {};
    }
    text = new TextDecoder().decode(await gw.readFile(ref, path));
    return {};
  };
  try {
    await client.build(
      {
        sessionServices: options.sessionServices,
        ...(options.onStatus === undefined ? {} : { onStatus: options.onStatus }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      read,
    );
  } catch (err) {
    if (KilnError.is(err, 'cancelled') || !(err instanceof KilnError)) throw err;
    throw new KilnError(err.code, `cannot fetch the git repository ${repository}: ${err.message}`, {
      cause: err,
      // Without the log tail: kiln build's display, which has printed git's output, would otherwise shorten the
      // message back to the step's own (see withoutShownLogTail), dropping the repository and ref.
      details: { ...err.details, logTail: undefined },
      hint:
        'The daemon clones it from its own network: check the URL and that the ref (branch, tag or commit) exists; a private repository over https needs ' +
        '--secret id=GIT_AUTH_TOKEN,env=GIT_AUTH_TOKEN, over ssh --ssh default.',
    });
  }
  if (missing === 'directory') {
    throw new KilnError('not_found', `the git repository ${repository} has no directory ${ctx.subdir}`, {
      hint: 'The part after ":" in URL#REF:SUBDIR is a directory of the repository at that ref.',
    });
  }
  if (missing === 'dockerfile' || text === undefined) {
    throw new KilnError('not_found', `the git repository ${describeGitContext(ctx)} has no Dockerfile ${file}`, {
      hint: 'Name it with -f, relative to the repository (or to the #REF:SUBDIR directory).',
    });
  }
  return { text, commit };
}

/** The commit `.git/HEAD` of a clone made with its .git directory names (a detached HEAD), else `undefined`. */
async function checkedOutCommit(gw: Gateway, ref: GatewayRef): Promise<string | undefined> {
  if ((await modeOf(gw, ref, '/.git/HEAD')) === -1) return undefined;
  const head = new TextDecoder().decode(await gw.readFile(ref, '/.git/HEAD')).trim();
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(head) ? head : undefined;
}

/** The mode of `path` in the result (its links resolved in it), `-1` when the daemon finds nothing there. */
async function modeOf(gw: Gateway, ref: GatewayRef, path: string): Promise<number> {
  try {
    return (await gw.statFile(ref, path)).mode;
  } catch (err) {
    // The clone was made: whatever the daemon says about one path of it (no such file, a link it cannot resolve) is
    // that the path is not there.
    if (KilnError.is(err, 'cancelled') || !(err instanceof KilnError)) throw err;
    return -1;
  }
}
