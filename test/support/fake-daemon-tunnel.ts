/**
 * The daemon's end of a `Control.Session` call in fake daemons: the call's BytesMessages as one byte stream, on
 * which the fake then speaks HTTP/2 as the client (as BuildKit does inside the tunnel).
 */
import { Duplex } from 'node:stream';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { moby } from '../../src/proto/generated.js';

export function sessionCallAsDuplex(
  call: ServerDuplexStream<moby.buildkit.v1.BytesMessage, moby.buildkit.v1.BytesMessage.$Properties>,
): Duplex {
  const d = new Duplex({
    read() {},
    write(chunk: Buffer, _e, cb) {
      call.write({ data: chunk });
      cb();
    },
    final(cb) {
      call.end();
      cb();
    },
  });
  call.on('data', (m: moby.buildkit.v1.BytesMessage) => d.push(Buffer.from(m.data)));
  call.on('end', () => d.push(null));
  call.on('error', () => d.destroy());
  return d;
}
