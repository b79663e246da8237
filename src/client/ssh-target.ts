/**
 * An `ssh://[user@]host[:port][/path]` address and the `ssh` command line that runs a program on that host, as
 * buildctl's and the docker CLI's ssh connection helpers build it: the user and port as ssh options (`-l`, `-p`),
 * `--` before the host, and the remote command quoted for the remote user's shell (ssh joins its arguments with
 * spaces and hands them to that shell).
 */

/** A host reached with `ssh`. */
export interface SshTarget {
  readonly user?: string | undefined;
  readonly host: string;
  readonly port?: number | undefined;
  /** The URL's path: the daemon's socket on that host (`/run/buildkit/buildkitd.sock`, `/var/run/docker.sock`). */
  readonly path?: string | undefined;
}

/** Parses the part of an address after `ssh://`; `bad` throws with the reason. */
export function parseSshTarget(rest: string, bad: (why: string) => never): SshTarget {
  const m = /^(?:([^@/:\s]*)(?::[^@/\s]*)?@)?(\[[0-9a-fA-F:.]+\]|[^:/@\s?#]+)(?::(\d{1,5}))?(\/[^?#\s]*)?$/.exec(rest);
  if (m === null) {
    if (/[?#]/.test(rest)) bad('an ssh:// address takes no query or fragment');
    return bad('expected ssh://[user@]host[:port][/path/to/daemon.sock]');
  }
  if (/^[^@/]*:[^@/]*@/.test(rest)) bad('a password in an ssh:// address is not supported: use a key (ssh-agent, ~/.ssh/config)');
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      // A "%" not followed by two hex digits: decodeURIComponent throws a bare URIError ("URI malformed").
      return bad(`the ${what} "${part}" has a "%" that is not followed by two hex digits (write "%25" for "%")`);
    }
  };
  const user = m[1] === undefined || m[1] === '' ? undefined : decode(m[1], 'user name');
  const host = m[2]!.replace(/^\[|\]$/g, '');
  if (host.startsWith('-')) bad(`the host name "${host}" starts with "-"`);
  if (user?.startsWith('-') === true) bad(`the user name "${user}" starts with "-"`);
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) bad(`port ${port} is out of range 1-65535`);
  const path = m[4] === undefined || m[4].replace(/\/+/g, '') === '' ? undefined : decode(m[4], 'path');
  return { user, host, port, path };
}

/**
 * The address form of a target: `ssh://user@host:port/path`, the user name and the path %-escaped again where
 * {@link parseSshTarget} would not read them back (a space, `%`, `?`, `#`, `@` or `:` in a name), so the printed
 * address parses to the same target (export planning parses the address the client reports).
 */
export function formatSshTarget(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const user = target.user === undefined ? '' : `${encodeURIComponent(target.user)}@`;
  const path = target.path === undefined ? '' : target.path.split('/').map(encodeURIComponent).join('/');
  return `ssh://${user}${host}${target.port === undefined ? '' : `:${target.port}`}${path}`;
}

/**
 * The arguments of `ssh` that run `remote` on the target: no pseudo-terminal (`-T`, the remote program's stdio is a
 * byte stream), a 30 s connect timeout as the docker CLI sets it, and the remote command quoted for a POSIX shell.
 */
export function sshArgs(target: SshTarget, remote: readonly string[]): string[] {
  return [
    ...(target.user === undefined ? [] : ['-l', target.user]),
    ...(target.port === undefined ? [] : ['-p', String(target.port)]),
    '-o',
    'ConnectTimeout=30',
    '-T',
    '--',
    target.host,
    remote.map(shellQuote).join(' '),
  ];
}

/** One word for a POSIX shell: as is when it has nothing the shell would read, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
