/**
 * The session's Secrets service: hands the daemon the value of a build secret (`RUN --mount=type=secret`, secret
 * environment variables, git credentials) by id.
 *
 * Unknown ids answer NOT_FOUND: the daemon relies on that code to skip optional secrets and to move on when it
 * probes for git credentials (`GIT_AUTH_TOKEN.<host>`, …); any other error fails the build. Secret values are never
 * part of an error message.
 */
import { readFile } from 'node:fs/promises';
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
 * Files are read each time the daemon asks for them (nothing is cached in memory, and an edited file is picked up
 * by the next build step); environment variables and in-memory values are captured when the service is created.
 */
export function secretsService(secrets: readonly (SecretSource | string)[], options: SecretsServiceOptions = {}): SessionService {
  const byId = new Map<string, ResolvedSecret>();
  const only = options.only === undefined ? undefined : new Set(options.only);
  for (const secret of resolveSecretSources(secrets, options)) if (only === undefined || only.has(secret.id)) byId.set(secret.id, secret);

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
        readSecretFile(secret.id, secret.path).then(
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

async function readSecretFile(id: string, path: string): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`secret ${JSON.stringify(id)}: cannot read ${path} (${code})`);
  }
  if (data.length > MAX_SECRET_BYTES) {
    throw new Error(`secret ${JSON.stringify(id)}: ${path} holds ${data.length} bytes, more than the ${MAX_SECRET_BYTES}-byte limit`);
  }
  return data;
}
