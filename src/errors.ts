/**
 * The one error type kiln throws. Every boundary (argument validation, gRPC calls, the session,
 * file transfer, the CLI) normalises failures into a KilnError with a stable `code`, so callers
 * branch on `err.code`, never on message text.
 */
export type KilnErrorCode =
  /** A caller passed a bad argument; the message names it and the fix. */
  | 'invalid_argument'
  /** The daemon lacks an LLB/API capability the build needs. */
  | 'unsupported'
  /** The daemon could not be reached at all. */
  | 'unavailable'
  /**
   * The command kiln runs to reach the daemon (`ssh … buildctl dial-stdio`, `kubectl exec`, `docker exec`, `ssh …
   * docker system dial-stdio`) failed: not installed, could not connect or log in, or the program it runs on the other
   * side is missing. The message carries what the command printed on stderr; `details.command`, `details.exitCode`.
   */
  | 'helper_failed'
  /** A build step (or the solve as a whole) failed on the daemon. */
  | 'build_failed'
  /** The caller cancelled (AbortSignal, SIGINT). */
  | 'cancelled'
  /** Something was not found (image, secret, file, export). */
  | 'not_found'
  /** The daemon or a peer broke the protocol. */
  | 'protocol'
  /** Credentials were refused. */
  | 'unauthenticated'
  /** A local filesystem problem (unreadable file, destination not writable). */
  | 'io'
  /** Anything else; carries the original cause. */
  | 'internal';

/**
 * Structured data an error carries for tooling (never secrets). The fields named here have these meanings and types
 * wherever they appear; an error may carry others.
 */
export interface KilnErrorDetails {
  /** The build step (progress name) that failed. */
  readonly step?: string | undefined;
  /** Its vertex digest. */
  readonly vertex?: string | undefined;
  /** The failed process's exit code, when known. */
  readonly exitCode?: number | undefined;
  /** The daemon's error for the failed step (a long command in it shortened), without its output. */
  readonly stepError?: string | undefined;
  /** The last lines of the failed step's output. */
  readonly logTail?: readonly string[] | undefined;
  /**
   * Where the failed step was written: the line of the user's module that added it (`image.ts`, the first caller
   * outside kiln) or its Dockerfile's lines; `snippet` is those lines with two either side, the step's marked `>>>`.
   */
  readonly source?: { readonly file: string; readonly line: number; readonly endLine: number; readonly snippet: readonly string[] } | undefined;
  /** The base image whose config or layers could not be had. */
  readonly baseImage?: string | undefined;
  /** The local path concerned. */
  readonly path?: string | undefined;
  /** Secret ids that were needed, or not given. */
  readonly secrets?: readonly string[] | undefined;
  /** ssh-agent ids that were needed and not forwarded. */
  readonly ssh?: readonly string[] | undefined;
  /** The gRPC status code the daemon answered with. */
  readonly grpcCode?: number | undefined;
  /** With code `unavailable`: the daemon had answered, and the connection to it was lost during the operation. */
  readonly connectionLost?: boolean | undefined;
  /** The build steps (progress names) that were running when the connection to the daemon was lost. */
  readonly runningSteps?: readonly string[] | undefined;
  readonly [key: string]: unknown;
}

export interface KilnErrorOptions {
  cause?: unknown | undefined;
  /** A hint telling the user what to do next. */
  hint?: string | undefined;
  /** Extra structured data for tooling (never secrets). */
  details?: KilnErrorDetails | undefined;
}

export class KilnError extends Error {
  override readonly name = 'KilnError';
  readonly code: KilnErrorCode;
  readonly hint: string | undefined;
  readonly details: KilnErrorDetails;

  constructor(code: KilnErrorCode, message: string, options: KilnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  static is(value: unknown, code?: KilnErrorCode): value is KilnError {
    return value instanceof KilnError && (code === undefined || value.code === code);
  }
}

/**
 * Throws an `invalid_argument` error whose stack starts at the caller of the public API function
 * (`callSite`), so the trace points at the user's line rather than at kiln's internals.
 */
export function invalidArgument(
  message: string,
  callSite?: Function,
  options: KilnErrorOptions = {},
): never {
  const err = new KilnError('invalid_argument', message, options);
  if (callSite !== undefined) Error.captureStackTrace(err, callSite);
  throw err;
}

/** @internal `err` when it is an Error; anything else thrown wrapped in an `internal` KilnError that keeps it as its cause. */
export function toError(err: unknown): Error {
  return err instanceof Error ? err : new KilnError('internal', String(err), { cause: err });
}
