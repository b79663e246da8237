import type { Readable, Writable } from 'node:stream';
import type { Client } from '../client/client.js';
import type { TlsFiles } from '../client/address.js';
import { expandHomePath } from '../home-path.js';

/** Where a command writes and what it reads: injectable so the CLI can be driven in-process by tests. */
export interface CliIO {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** What `kiln run` forwards to its command when it is not a terminal (read only by that command). */
  readonly stdin?: Readable & { isTTY?: boolean };
}

/** Global options every command sees. */
export interface GlobalOptions {
  readonly addr?: string;
  readonly debug?: boolean;
  readonly tlscacert?: string;
  readonly tlscert?: string;
  readonly tlskey?: string;
  readonly tlsservername?: string;
}

/**
 * Connects to the daemon chosen by `--addr`, `BUILDKIT_HOST`, the buildx builder, the buildkitd socket or Docker (its
 * context). The client (grpc-js, the protocol's codecs) is loaded here, when a command connects: not for `--help`.
 */
export async function connectFromOptions(opts: GlobalOptions, io: CliIO, signal?: AbortSignal): Promise<Client> {
  const { Client } = await import('../client/client.js');
  const tls: { -readonly [K in keyof TlsFiles]: TlsFiles[K] } = {};
  // --tlscacert=~/… reaches kiln with its ~, as every path flag can: read as the home directory.
  if (opts.tlscacert !== undefined) tls.caCert = expandHomePath(opts.tlscacert, io.env);
  if (opts.tlscert !== undefined) tls.cert = expandHomePath(opts.tlscert, io.env);
  if (opts.tlskey !== undefined) tls.key = expandHomePath(opts.tlskey, io.env);
  if (opts.tlsservername !== undefined) tls.serverName = opts.tlsservername;
  return Client.connect({
    address: opts.addr,
    addressSource: '--addr',
    env: io.env,
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
    ...(signal === undefined ? {} : { signal }),
  });
}

/** Writes a line. */
export function println(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
