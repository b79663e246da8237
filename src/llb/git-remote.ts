/**
 * Git remote handling for `git://` sources, following BuildKit's client rules: the identifier drops
 * the scheme and any `user@`, scp-style `host:path` becomes `host/path`, and the original remote is
 * kept as the full URL (with `https://` prepended when it had no recognised scheme).
 *
 * Internal module.
 */

import { Cap } from './caps.js';

/** What kiln derives from a git remote. */
export interface GitRemote {
  /** The remote as it appears in the `git://` identifier (no scheme, no user). */
  readonly identifier: string;
  /** The URL the daemon clones from (`git.fullurl`). */
  readonly fullUrl: string;
  /** True for ssh remotes (`ssh://…` or scp-style `user@host:path`). */
  readonly ssh: boolean;
}

const SCHEMES = ['http://', 'https://', 'git://', 'ssh://'] as const;
const SCP_STYLE = /^[a-zA-Z0-9_-]+@[a-zA-Z0-9.-]+:.*$/;

/** Splits a remote into the identifier part and the full URL. */
export function parseGitRemote(remote: string): GitRemote {
  let fullUrl = remote;
  let rest = remote;
  let scheme: (typeof SCHEMES)[number] | undefined;
  for (const prefix of SCHEMES) {
    if (rest.startsWith(prefix)) {
      scheme = prefix;
      rest = rest.slice(prefix.length);
      break;
    }
  }
  const ssh = scheme === 'ssh://' || (scheme === undefined && SCP_STYLE.test(rest));
  if (ssh) {
    const at = rest.indexOf('@');
    if (at !== -1) rest = rest.slice(at + 1);
    const colon = rest.indexOf(':');
    if (colon !== -1) rest = `${rest.slice(0, colon)}/${rest.slice(colon + 1)}`;
  }
  if (scheme === undefined && !ssh) fullUrl = `https://${fullUrl}`;
  return { identifier: rest, fullUrl, ssh };
}

/**
 * Whether `text` names a git repository as Docker reads a URL: `git://`, `ssh://`, `user@host:path`, or an http(s)
 * URL whose path ends in `.git` (before a `#fragment`). With `githubShorthand`, also `github.com/…`, which buildx
 * takes for a build context and a Dockerfile's `ADD` does not. A local path never is one.
 */
export function isGitRepositoryUrl(text: string, options: { readonly githubShorthand?: boolean } = {}): boolean {
  if (/^(git|ssh):\/\//i.test(text) || /^[\w.-]+@[\w.-]+:/.test(text)) return true;
  if (options.githubShorthand === true && /^github\.com\//i.test(text)) return true;
  if (!/^https?:\/\/[^/\s]/i.test(text)) return false;
  const remote = text.split('#')[0] as string;
  return URL.canParse(remote) && new URL(remote).pathname.endsWith('.git');
}

/** A git URL split as BuildKit reads its fragment: `REMOTE#REF:SUBDIR`. */
export interface GitUrlParts {
  /** The repository, without the fragment. */
  readonly remote: string;
  /** Branch, tag or commit; `''` for the repository's default branch. */
  readonly ref: string;
  /** The part after the first ":" of the fragment, as written (`''` when none). */
  readonly subdir: string;
}

/** Splits `URL#REF:SUBDIR`: everything after the first "#" is the fragment, and after its first ":" the subdirectory. */
export function splitGitUrl(text: string): GitUrlParts {
  const hash = text.indexOf('#');
  const remote = hash === -1 ? text : text.slice(0, hash);
  const fragment = hash === -1 ? '' : text.slice(hash + 1);
  const colon = fragment.indexOf(':');
  return { remote, ref: colon === -1 ? fragment : fragment.slice(0, colon), subdir: colon === -1 ? '' : fragment.slice(colon + 1) };
}

/**
 * What is wrong with `URL#REF:SUBDIR` as a git repository to fetch — whitespace anywhere, a "#" in the ref, a
 * subdirectory that leaves the repository — as the message of an `invalid_argument` error naming it `<what> <text>`
 * (`git context …` for kiln build's argument, `the git repository …` for a Dockerfile's ADD); `undefined` when nothing is.
 */
export function gitUrlProblem(what: string, text: string): string | undefined {
  if (/\s/.test(text)) return `${what} ${JSON.stringify(text)} must not contain whitespace`;
  const { ref, subdir } = splitGitUrl(text);
  if (ref.includes('#')) return `${what} ${text}: the ref ${JSON.stringify(ref)} must not contain "#" (write URL#REF:SUBDIR)`;
  if (subdir.split('/').includes('..')) return `${what} ${text}: the subdirectory ${JSON.stringify(subdir)} must stay inside the repository (no "..")`;
  return undefined;
}

/** `URL#REF:SUBDIR` again from its parts ({@link splitGitUrl}'s inverse): no fragment when both are empty. */
export function formatGitUrl(parts: GitUrlParts): string {
  const fragment = `${parts.ref}${parts.subdir === '' ? '' : `:${parts.subdir}`}`;
  return `${parts.remote}${fragment === '' ? '' : `#${fragment}`}`;
}

/**
 * The host (with its port when written) of a git URL, as BuildKit's git source reads it (Go's `url.URL.Host`) to name
 * the secrets scoped to it (`GIT_AUTH_TOKEN.<host>`); `''` when the URL has no `scheme://` authority.
 */
export function gitRemoteHost(fullUrl: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?([^/?#]*)/i.exec(fullUrl)?.[1] ?? '';
}

/**
 * The `git://` source identifier to send a daemon with `caps` for `identifier`. A source without a ref means the
 * repository's default branch; BuildKit v0.9+ asks the remote which branch that is (`ls-remote --symref HEAD`), but
 * v0.8 (dockerd 20.10) checks out `master` whatever the remote's HEAD names: a repository whose default branch is
 * `main` fails there, or builds a stale `master`. The ref `HEAD` makes v0.8 fetch and check out the remote's HEAD,
 * so a daemon whose caps lack `source.git.subdir` (the v0.9 cap; v0.8 reports none newer) gets `#HEAD`. Every other
 * identifier, and any identifier for daemons with that cap or with caps unknown (`undefined` or empty), is unchanged.
 */
export function gitIdentifierForDaemon(identifier: string, caps: ReadonlySet<string> | undefined): string {
  if (!identifier.startsWith('git://') || identifier.includes('#')) return identifier;
  if (caps === undefined || caps.size === 0 || caps.has(Cap.sourceGitSubdir)) return identifier;
  return `${identifier}#HEAD`;
}
