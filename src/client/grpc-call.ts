import type { CallOptions, Client as GrpcClient, ClientReadableStream, MethodDefinition } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';

/** Per-call settings: metadata headers, an abort signal and a deadline. */
export interface CallSettings {
  readonly metadata?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
  /** Deadline in milliseconds from now. */
  readonly timeoutMs?: number;
}

/** Headers as grpc-js metadata. */
export function toMetadata(headers: Readonly<Record<string, string>> | undefined): Metadata {
  const md = new Metadata();
  for (const [k, v] of Object.entries(headers ?? {})) md.set(k, v);
  return md;
}

function callOptions(settings: CallSettings): CallOptions {
  return settings.timeoutMs === undefined ? {} : { deadline: Date.now() + settings.timeoutMs };
}

/** Makes a unary call; aborting the signal cancels it on the wire. */
export function unaryCall<Req, Res>(
  client: GrpcClient,
  method: MethodDefinition<Req, Res>,
  request: Req,
  settings: CallSettings = {},
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const call = client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      toMetadata(settings.metadata),
      callOptions(settings),
      (err, value) => {
        settings.signal?.removeEventListener('abort', onAbort);
        if (err !== null) reject(err);
        else if (value === undefined) reject(new Error(`${method.path} returned no message`));
        else resolve(value);
      },
    );
    const onAbort = (): void => call.cancel();
    if (settings.signal?.aborted === true) call.cancel();
    else settings.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Opens a server-streaming call; aborting the signal cancels it. */
export function serverStreamCall<Req, Res>(
  client: GrpcClient,
  method: MethodDefinition<Req, Res>,
  request: Req,
  settings: CallSettings = {},
): ClientReadableStream<Res> {
  const call = client.makeServerStreamRequest(
    method.path,
    method.requestSerialize,
    method.responseDeserialize,
    request,
    toMetadata(settings.metadata),
    callOptions(settings),
  );
  const onAbort = (): void => call.cancel();
  if (settings.signal?.aborted === true) call.cancel();
  else settings.signal?.addEventListener('abort', onAbort, { once: true });
  call.on('close', () => settings.signal?.removeEventListener('abort', onAbort));
  return call;
}
