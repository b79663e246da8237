/**
 * The stable code of a {@link KilnError}: branch on it, never on the message.
 *
 * - `invalid_argument`: an argument, option, flag, spec or module is not usable (the message names it and the fix)
 * - `unsupported`: the daemon lacks a capability, exporter or API the build needs
 * - `unavailable`: the daemon cannot be reached, did not answer, or the connection was lost (`details.connectionLost`)
 * - `helper_failed`: the command kiln runs to reach the daemon (`ssh`, `kubectl`, `docker exec`, …) failed; the message
 *   carries what it printed, `details.command`, `details.exitCode`
 * - `build_failed`: a step (or the daemon's export, push or cache work) failed: `details.step`, `exitCode`, `logTail`, `source`
 * - `cancelled`: the caller cancelled (an `AbortSignal`, `client.close()`, Ctrl-C)
 * - `not_found`: something named is not there (a base image, a secret, a file, a credential helper)
 * - `protocol`: the daemon or a peer answered something kiln cannot read
 * - `unauthenticated`: a registry or the daemon refused the credentials
 * - `io`: a local file could not be read or written
 * - `internal`: anything else (a bug in kiln); the original error is its `cause`
 */
export type KilnErrorCode =
  | 'invalid_argument'
  | 'unsupported'
  | 'unavailable'
  | 'helper_failed'
  | 'build_failed'
  | 'cancelled'
  | 'not_found'
  | 'protocol'
  | 'unauthenticated'
  | 'io'
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

/** What `new KilnError(code, message, options)` carries besides its code and message. */
export interface KilnErrorOptions {
  /** The error underneath (a system, gRPC or decoding error), kept as the error's `cause`. */
  cause?: unknown | undefined;
  /** A hint telling the user what to do next. */
  hint?: string | undefined;
  /** Extra structured data for tooling (never secrets). */
  details?: KilnErrorDetails | undefined;
}

/**
 * The one error type kiln throws or rejects with: from the `Image` and LLB builders, the client, the session and the
 * CLI. Branch on its {@link KilnError.code} (or test with {@link KilnError.is}), never on the message.
 *
 * @example
 * try {
 *   await buildImage(client, image, { tags: ['app:dev'] });
 * } catch (err) {
 *   if (!KilnError.is(err, 'build_failed')) throw err;
 *   console.error(err.details.step, err.details.exitCode, err.details.logTail?.join('\n'));
 * }
 */
export class KilnError extends Error {
  override readonly name = 'KilnError';
  /** What went wrong, stable across kiln versions (see {@link KilnErrorCode}). */
  readonly code: KilnErrorCode;
  /** What to do about it, when kiln knows (the CLI prints it under the message). */
  readonly hint: string | undefined;
  /** Structured data for tooling (never secrets); `{}` when there is none. */
  readonly details: KilnErrorDetails;

  constructor(code: KilnErrorCode, message: string, options: KilnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  /**
   * Whether `value` is a KilnError, and of `code` when one is given: `KilnError.is(err, 'unavailable')`. Narrows
   * `value`, so `err.details` and `err.hint` can be read after it.
   */
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
