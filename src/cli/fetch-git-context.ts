import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Client, DaemonInfo } from '../client/client.js';
import type { StatusEvent } from '../progress/events.js';
import { planExport } from '../client/export-plan.js';
import { KilnError } from '../errors.js';
import { git, marshal } from '../llb/index.js';
import type { SessionService } from '../session/session-server.js';
import { describeGitContext, type GitContext } from './git-context.js';

export interface FetchGitContextOptions {
  /** Secrets (`GIT_AUTH_TOKEN`, `GIT_AUTH_HEADER`) and ssh agents the daemon's clone may use. */
  readonly sessionServices: readonly SessionService[];
  readonly onStatus?: ((event: StatusEvent) => unknown) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * Has the daemon clone a git context (with its own network, the session's `GIT_AUTH_TOKEN` secret or ssh agent, as
 * `docker buildx build URL` does) and writes the checked-out tree into `dest` through a `local` export; returns the
 * directory that is the build context (`dest`, or its subdirectory).
 *
 * kiln reads Dockerfiles itself, and its reader looks at the context as well as the Dockerfile (wildcards and
 * directories in `COPY`, `.dockerignore`, `<Dockerfile>.dockerignore`): with the tree on this machine, a repository's
 * Dockerfile is read and built exactly as the same Dockerfile in a local directory is. The price is the tree crossing
 * the connection twice (out of the daemon, then back as the context), which for a source repository is small.
 */
export async function fetchGitContext(client: Client, info: DaemonInfo, ctx: GitContext, dest: string, options: FetchGitContextOptions): Promise<string> {
  const plan = await planExport({ type: 'local', dest }, info, client.address.text, { env: options.env, signal: options.signal });
  const source = git(ctx.remote, ctx.ref);
  try {
    const outcome = await client.build(
      {
        exporter: plan.exporter,
        sessionServices: [...plan.sessionServices, ...options.sessionServices],
        ...(options.onStatus === undefined ? {} : { onStatus: options.onStatus }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      async (gw) => ({ ref: await gw.solve(marshal(source, { caps: gw.llbCaps })) }),
    );
    await plan.finish(outcome.exporterResponse);
  } catch (err) {
    await plan.abort();
    if (KilnError.is(err, 'cancelled') || !(err instanceof KilnError)) throw err;
    throw new KilnError(err.code, `cannot fetch the git repository ${describeGitContext({ ...ctx, subdir: '' })}: ${err.message}`, {
      cause: err,
      // Without the log tail: kiln build's display, which has printed git's output, would otherwise shorten the message
      // back to the step's own (see withoutShownLogTail), dropping the repository and ref.
      details: { ...err.details, logTail: undefined },
      hint:
        'The daemon clones it from its own network: check the URL and that the ref (branch, tag or commit) exists; a private repository over https needs ' +
        '--secret id=GIT_AUTH_TOKEN,env=GIT_AUTH_TOKEN, over ssh --ssh default.',
    });
  }
  if (ctx.subdir === '') return dest;
  const dir = join(dest, ...ctx.subdir.split('/'));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new KilnError('not_found', `the git repository ${describeGitContext({ ...ctx, subdir: '' })} has no directory ${ctx.subdir}`, {
      hint: 'The part after ":" in URL#REF:SUBDIR is a directory of the repository at that ref.',
    });
  }
  // A symbolic link in the repository (`docs -> /`, `app -> ../../..`) must not make a directory of this machine the
  // context: the repository's Dockerfile would then copy it into the image. BuildKit resolves the subdirectory
  // inside the clone; kiln refuses one that leads out of it.
  if (!isInsideTree(dest, dir)) {
    throw new KilnError('not_found', `the git repository ${describeGitContext({ ...ctx, subdir: '' })}: its directory ${ctx.subdir} is a symbolic link that leads out of the repository`, {
      hint: 'Name a directory of the repository itself after ":" in URL#REF:SUBDIR.',
    });
  }
  return dir;
}

/** Whether `path`, its symbolic links followed, is `root` or inside it (also with `root`'s own links followed). */
export function isInsideTree(root: string, path: string): boolean {
  const rel = relative(realpathSync(root), realpathSync(path));
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
