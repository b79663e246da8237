/**
 * A process to run in a container on the daemon, where its output goes and how it ended: the public shapes of
 * {@link runInImage} and `Gateway.runProcess` (kept apart from the protocol code, whose generated types are not public).
 */
import type { Readable, Writable } from 'node:stream';

/** The command to run and how (the container's image config is applied by the caller). */
export interface ProcessSpec {
  /** argv; the first element is looked up in PATH. */
  readonly args: readonly string[];
  /** `KEY=value` entries (the daemon adds a default PATH when there is none). */
  readonly env: readonly string[];
  /** Working directory (default `/`). */
  readonly cwd: string;
  /** User (and group) to run as: `name`, `uid`, `uid:gid` (default: root). */
  readonly user: string;
  /** Allocate a terminal: stdout and stderr then arrive as one stream on fd 1. */
  readonly tty: boolean;
}

/** Where the process reads and writes. */
export interface ProcessIO {
  /** Sent to the process's stdin, then EOF; without it the process has no stdin. */
  readonly stdin?: Readable | undefined;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** How the process ended. */
export interface ProcessExit {
  /** Its exit code (255 when the daemon could not tell, e.g. it could not be started). */
  readonly exitCode: number;
  /** The daemon's error text when the process did not exit 0 (why it could not start, or "exit code: N"). */
  readonly daemonError?: string | undefined;
}

/**
 * `KEY=value` entries (an image's or a step's) with `extra` set on top: an entry of a name `extra` sets is dropped,
 * and `extra`'s are appended.
 */
export function mergeEnv(base: readonly string[], extra: Readonly<Record<string, string>>): string[] {
  const out = base.filter((e) => {
    const name = e.slice(0, Math.max(0, e.indexOf('=')));
    return !Object.prototype.hasOwnProperty.call(extra, name);
  });
  for (const [k, v] of Object.entries(extra)) out.push(`${k}=${v}`);
  return out;
}
