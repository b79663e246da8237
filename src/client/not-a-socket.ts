import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { KilnError } from '../errors.js';

/** A unix socket address that names something other than a socket (a regular file, a directory). */
export interface NotASocket {
  /** The path the address names. */
  readonly path: string;
  /** What is there instead: "a regular file", "a directory"… */
  readonly what: string;
}

/**
 * The socket path of a refused connection to a unix socket (`connect ECONNREFUSED /etc/passwd`, or `ENOTSOCK`), from
 * Node's system error; `undefined` for any other error.
 */
export function refusedSocketPath(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, syscall } = err as NodeJS.ErrnoException;
  const path = (err as { address?: unknown }).address;
  if (syscall !== 'connect' || (code !== 'ECONNREFUSED' && code !== 'ENOTSOCK' && code !== 'ENOTDIR')) return undefined;
  return typeof path === 'string' && path.startsWith('/') ? path : undefined;
}

/**
 * What `path` is when it exists and is not a socket. Linux refuses a connection to a regular file or a directory the
 * way it refuses one to a socket nobody listens on, so only looking at the path tells "start the daemon" from "fix
 * the address". `undefined` for a socket, or a path that cannot be looked at.
 */
export function notASocket(path: string): NotASocket | undefined {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    // A path that runs through a file (`/tmp/file/docker.sock`): the file is what is wrong.
    if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') return undefined;
    for (let d = dirname(path); d !== dirname(d); d = dirname(d)) {
      const up = statOrUndefined(d);
      if (up !== undefined && !up.isDirectory()) return { path, what: `under ${d}, which is ${kind(up)}` };
    }
    return undefined;
  }
  if (st.isSocket()) return undefined;
  return { path, what: kind(st) };
}

/**
 * The `unavailable` KilnError for a connection refused because its unix:// address names `wrong.path`, which is not a
 * socket: `"<failed>: <path> is not a socket (it is <what>)"`, the path in `details` (what `kiln doctor` looks for to
 * show `hint` as the fix). `hint` says where that address is given, which depends on the connection.
 *
 * @param failed what failed, for the message: `cannot reach the Docker daemon at unix:///…`
 */
export function notASocketError(failed: string, wrong: NotASocket, cause: unknown, hint: string): KilnError {
  return new KilnError('unavailable', `${failed}: ${wrong.path} is not a socket (it is ${wrong.what})`, { cause, details: { path: wrong.path }, hint });
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function kind(st: Stats): string {
  return st.isDirectory()
    ? 'a directory'
    : st.isFile()
      ? 'a regular file'
      : st.isFIFO()
        ? 'a named pipe'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : 'something else';
}
