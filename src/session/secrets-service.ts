/**
 * The session's Secrets service: hands the daemon the value of a build secret (`RUN --mount=type=secret`, secret
 * environment variables, git credentials) by id.
 *
 * Unknown ids answer NOT_FOUND: the daemon relies on that code to skip optional secrets and to move on when it
 * probes for git credentials (`GIT_AUTH_TOKEN.<host>`, …); any other error fails the build. Secret values are never
 * part of an error message.
 */
import type { Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { status as GrpcStatus, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import type { moby } from '../proto/generated.js';
import { SecretsService } from '../proto/services.js';
import {
  MAX_SECRET_BYTES,
  resolveSecretSources,
  type ResolvedSecret,
  type SecretSource,
  type SecretSourceOptions,
} from './secret-sources.js';
import type { SessionService } from './session-server.js';

type GetSecretCall = ServerUnaryCall<moby.buildkit.secrets.v1.GetSecretRequest, moby.buildkit.secrets.v1.GetSecretResponse.$Properties>;
type GetSecretCallback = sendUnaryData<moby.buildkit.secrets.v1.GetSecretResponse.$Properties>;

/** Options of {@link secretsService}: where variables are read from and what relative file paths are relative to. */
export interface SecretsServiceOptions extends SecretSourceOptions {
  /**
   * The ids the build's steps read: only these are served; the daemon asking for another given secret gets the
   * answer an unknown id gets (default: every given secret). `buildImage` passes the image's own.
   */
  readonly only?: readonly string[] | undefined;
}

/**
 * Creates the Secrets service for a build session from secret sources (objects, or CLI specs such as
 * `"id=npmrc,src=.npmrc"`). Every source is checked now (see `resolveSecretSources`), so a missing file or an unset
 * variable fails before the build starts with `invalid_argument`.
 *
 * Regular files are read each time the daemon asks for them (nothing is cached in memory, and an edited file is picked up
 * by the next build step); environment variables and in-memory values are captured when the service is created.
 */
export function secretsService(secrets: readonly (SecretSource | string)[], options: SecretsServiceOptions = {}): SessionService {
  const byId = new Map<string, ResolvedSecret>();
  const only = options.only === undefined ? undefined : new Set(options.only);
  for (const secret of resolveSecretSources(secrets, options)) if (only === undefined || only.has(secret.id)) byId.set(secret.id, secret);
  // A read under way, which a request for the same secret meanwhile shares: two steps asking at the same time (parallel
  // branches, two platforms) would otherwise both open a pipe and split its bytes, or wait on it for ever. What a pipe
  // or device gave (`src=/dev/stdin`) stays: it cannot be read a second time, so every later step gets the same.
  const shared = new Map<string, Promise<Buffer>>();
  const read = (secret: ResolvedSecret & { kind: 'file' }): Promise<Buffer> => {
    const kept = shared.get(secret.id);
    if (kept !== undefined) return kept;
    let readOnce = false;
    const data = readSecretFile(secret.id, secret.path, () => {
      readOnce = true;
    });
    shared.set(secret.id, data);
    const done = (): void => {
      if (!readOnce) shared.delete(secret.id);
    };
    data.then(done, done);
    return data;
  };

  return {
    definition: SecretsService,
    implementation: {
      GetSecret(call: GetSecretCall, callback: GetSecretCallback) {
        const id = call.request.ID ?? '';
        const secret = byId.get(id);
        if (secret === undefined) {
          callback({ code: GrpcStatus.NOT_FOUND, details: `secret ${JSON.stringify(id)} not found: the build was not given it` }, null);
          return;
        }
        if (secret.kind === 'bytes') {
          callback(null, { data: secret.data });
          return;
        }
        read(secret).then(
          (data) => callback(null, { data }),
          (err: unknown) => {
            // Not NOT_FOUND even when the file vanished: the daemon would then treat a required secret as optional.
            callback({ code: GrpcStatus.FAILED_PRECONDITION, details: err instanceof Error ? err.message : String(err) }, null);
          },
        );
      },
    },
  };
}

/**
 * Reads a secret file, never more than {@link MAX_SECRET_BYTES} + 1 bytes (`src=/dev/zero` fails at once instead of
 * filling memory). A regular file is read again at each request (an edit is picked up by the next step); anything
 * else (a pipe such as `/dev/stdin`, a device) can be read once only, which `readOnce` is told.
 */
async function readSecretFile(id: string, path: string, readOnce: () => void): Promise<Buffer> {
  const failed = (err: unknown): Error => new Error(`secret ${JSON.stringify(id)}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  const tooLarge = (what: string): Error => new Error(`secret ${JSON.stringify(id)}: ${path} holds ${what}, more than the ${MAX_SECRET_BYTES}-byte limit`);
  let handle: FileHandle;
  let st: Stats;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw failed(err);
  }
  try {
    st = await handle.stat();
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw failed(err);
  }
  const regular = st.isFile();
  if (regular && st.size > MAX_SECRET_BYTES) {
    await handle.close().catch(() => undefined);
    throw tooLarge(`${st.size} bytes`);
  }
  const reading = readAtMost(handle, MAX_SECRET_BYTES).then(
    (data) => {
      if (data === undefined) throw tooLarge('more bytes');
      return data;
    },
    (err: unknown) => {
      throw failed(err);
    },
  );
  if (!regular) readOnce();
  return reading;
}

/** The handle's bytes from where it is, or undefined when there are more than `limit`; the handle is closed. */
async function readAtMost(handle: FileHandle, limit: number): Promise<Buffer | undefined> {
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > limit) return undefined;
      chunks.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}
