/**
 * Runs Docker credential helpers (`docker-credential-<name> get`): the server URL goes in on stdin, a JSON object
 * `{"ServerURL","Username","Secret"}` comes out on stdout. Helper output is treated as secret: it never appears in
 * an error. What the helper wrote to stderr does, so a failing helper explains itself.
 */
import { spawn } from 'node:child_process';
import { KilnError } from '../errors.js';
import type { RegistryCredential } from './docker-config.js';

/** How long a helper may take by default (some ask a keychain or a cloud SDK). */
export const DEFAULT_HELPER_TIMEOUT_MS = 30_000;

/** The user name helpers report when the secret is an identity token rather than a password. */
const IDENTITY_TOKEN_USERNAME = '<token>';

/** Stops reading a runaway helper's output past this many bytes per stream. */
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** How much of the helper's stderr goes into an error message. */
const MAX_MESSAGE_CHARS = 2000;

/** Options for {@link runCredentialHelper}. */
export interface CredentialHelperOptions {
  /** Kill the helper and fail after this long; default {@link DEFAULT_HELPER_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Environment of the helper (and the `PATH` it is looked up on); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Asks `docker-credential-<helper> get` for the credentials of `serverUrl`. Resolves to the credential, or to
 * `undefined` when the helper has none for that server (it answers "credentials not found", or an empty secret).
 * An identity token (helper user name `<token>`) comes back with an empty `username`.
 *
 * Fails with `not_found` when the helper is not on `PATH`, and with `internal` when it crashes, times out or prints
 * something that is not a credential; the message carries the helper's stderr, never its stdout.
 */
export function runCredentialHelper(
  helper: string,
  serverUrl: string,
  options: CredentialHelperOptions = {},
): Promise<RegistryCredential | undefined> {
  const program = `docker-credential-${helper}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  const env = toProcessEnv(options.env ?? process.env);
  const what = `credential helper ${program} (asked about ${serverUrl})`;

  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const stdout = new OutputBuffer();
    const stderr = new OutputBuffer();
    let settled = false;

    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      // Fail now rather than on 'close': a helper that is a script may have started a program (a `sleep`, a
      // keychain or SDK call) that still holds its stdout after the script itself is killed, and 'close' waits
      // for every holder. Dropping our ends of the pipes lets that program end on its next write.
      child.stdout.destroy();
      child.stderr.destroy();
      finish(() => {
        const errText = stderr.text();
        reject(
          new KilnError('internal', `${capitalise(what)} did not answer within ${timeoutMs} ms${suffix(truncate(errText))}`, {
            hint: 'The helper may be waiting for a keychain prompt or a login; run it by hand to see.',
            details: { helper: program, serverUrl },
          }),
        );
      });
    }, timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A helper that exits before reading stdin makes the write fail with EPIPE; its exit status says what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverUrl);

    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(() => {
        if (err.code === 'ENOENT') {
          reject(
            new KilnError('not_found', `Cannot run ${what}: ${program} was not found on PATH`, {
              hint: `Install ${program}, or remove it from your Docker config (credsStore / credHelpers).`,
              details: { helper: program, serverUrl },
            }),
          );
        } else {
          reject(new KilnError('internal', `Cannot run ${what}: ${err.code ?? err.message}`, { details: { helper: program, serverUrl } }));
        }
      });
    });

    child.on('close', (code, signal) => {
      finish(() => {
        const errText = stderr.text();
        const outText = stdout.text();
        if (code !== 0) {
          if (isNotFoundMessage(outText) || isNotFoundMessage(errText)) {
            resolve(undefined);
            return;
          }
          // docker-credential-helpers print their own errors on stdout; pass that on only when it cannot be a
          // (partial) credential object.
          const message = [errText, looksLikeJson(outText) ? '' : outText.trim()].filter((s) => s !== '').join('\n');
          const status = signal === null ? `exited with status ${String(code)}` : `was killed by ${signal}`;
          reject(
            new KilnError('internal', `${capitalise(what)} ${status}${suffix(truncate(message))}`, {
              details: { helper: program, serverUrl, ...(code === null ? {} : { exitCode: code }) },
            }),
          );
          return;
        }
        const credential = parseHelperOutput(outText);
        if (credential === 'invalid') {
          reject(
            new KilnError('internal', `${capitalise(what)} printed something that is not a credential object`, {
              hint: 'A helper must print {"ServerURL", "Username", "Secret"} as JSON.',
              details: { helper: program, serverUrl },
            }),
          );
          return;
        }
        resolve(credential);
      });
    });
  });
}

/**
 * A credential helper's failure, saying which Docker config setting chose the helper (`credsStore`,
 * `credHelpers["host"]`) in which file: the daemon's failed step, or a failed push, shows only this message.
 */
export function helperFailure(err: unknown, setting: string, file: string): unknown {
  if (!(err instanceof KilnError)) return err;
  const options = { cause: err, details: { ...err.details, setting, file } };
  return new KilnError(err.code, `${err.message} (helper set by ${setting} in ${file})`, err.hint === undefined ? options : { ...options, hint: err.hint });
}

/** Interprets a helper's stdout: a credential, `undefined` (no credentials stored), or `'invalid'`. */
function parseHelperOutput(text: string): RegistryCredential | undefined | 'invalid' {
  if (text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'invalid';
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'invalid';
  const record = json as Record<string, unknown>;
  const username = record['Username'] ?? '';
  const secret = record['Secret'] ?? '';
  if (typeof username !== 'string' || typeof secret !== 'string') return 'invalid';
  if (secret === '' && username === '') return undefined;
  if (username === IDENTITY_TOKEN_USERNAME) return { username: '', secret };
  return { username, secret };
}

function isNotFoundMessage(text: string): boolean {
  return /credentials not found/i.test(text);
}

function looksLikeJson(text: string): boolean {
  return text.includes('{') || text.includes('"');
}

function suffix(message: string): string {
  return message === '' ? '' : `: ${message}`;
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}…`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function toProcessEnv(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** Collects one output stream up to {@link MAX_OUTPUT_BYTES}. */
class OutputBuffer {
  readonly #chunks: Buffer[] = [];
  #size = 0;

  push(chunk: Buffer): void {
    if (this.#size >= MAX_OUTPUT_BYTES) return;
    const room = MAX_OUTPUT_BYTES - this.#size;
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.#chunks.push(kept);
    this.#size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8').trim();
  }
}
