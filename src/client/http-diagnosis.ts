/**
 * When a plain (non-TLS) BuildKit address fails, whether an HTTP/1 server answers there instead — most often the
 * Docker daemon's API socket given as `unix://…/docker.sock`, which kiln reaches as `docker://unix://…`. A gRPC
 * client only sees "Protocol error" or "HTTP status code 404"; one HTTP request says what is really listening.
 */
import { connect, type Socket } from 'node:net';
import type { DaemonAddress } from './address.js';

/** What answered at an address, when it is an HTTP/1 server rather than BuildKit. */
export interface HttpDiagnosis {
  readonly why: string;
  readonly hint: string;
}

/**
 * Sends `GET /_ping` to a unix or plain-TCP address, or to the Docker API of a `docker://` one (where a Podman
 * socket answers like Docker but has no BuildKit behind `/grpc`); undefined when nothing answers HTTP/1 within
 * `timeoutMs`, or a Docker API answers that is not Podman's.
 */
export async function diagnoseHttpListener(addr: DaemonAddress, timeoutMs = 2000): Promise<HttpDiagnosis | undefined> {
  if (addr.kind !== 'unix' && addr.kind !== 'docker' && !(addr.kind === 'tcp' && addr.tls === undefined)) return undefined;
  const target = addr.kind === 'docker' ? addr.endpoint : addr.kind === 'unix' ? { socketPath: addr.path } : addr;
  // A Docker over ssh: the ssh command says what failed (helper_failed), there is no socket to look at.
  if ('ssh' in target) return undefined;
  const head = await new Promise<string | undefined>((resolve) => {
    let socket: Socket;
    let received = '';
    const done = (value: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(received === '' ? undefined : received), timeoutMs);
    socket = 'socketPath' in target ? connect({ path: target.socketPath }) : connect({ host: target.host, port: target.port });
    socket.on('error', () => done(undefined));
    socket.on('connect', () => socket.write('GET /_ping HTTP/1.1\r\nHost: kiln\r\nConnection: close\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n') || received.length > 8192) done(received);
    });
    socket.on('end', () => done(received === '' ? undefined : received));
  });
  if (head === undefined) return undefined;
  if (!/^HTTP\/1\.[01] \d{3}/.test(head)) return addr.kind === 'docker' ? undefined : textListener(head);
  const headers = head.split('\r\n\r\n')[0]!.toLowerCase();
  if (/\r\nlibpod-api-version:/.test(headers)) {
    return {
      why: 'it is Podman, whose Docker-compatible API has no BuildKit (no /grpc endpoint)',
      hint:
        'Run a buildkitd in Podman and point kiln at it: podman run -d --name buildkitd --privileged -p 127.0.0.1:1234:1234 ' +
        'docker.io/moby/buildkit --addr tcp://0.0.0.0:1234, then BUILDKIT_HOST=tcp://127.0.0.1:1234 (or kiln --addr tcp://127.0.0.1:1234).',
    };
  }
  if (addr.kind === 'docker') return undefined;
  if (/\r\napi-version:/.test(headers) || /\r\nserver: docker/.test(headers)) {
    const docker = addr.kind === 'unix' ? `docker://unix://${addr.path}` : `docker://tcp://${addr.host}:${addr.port}`;
    return {
      why: "it is a Docker daemon's API, not BuildKit's gRPC endpoint",
      hint: `Reach the BuildKit inside that dockerd with --addr ${docker} (or BUILDKIT_HOST=${docker}).`,
    };
  }
  const status = /^HTTP\/1\.[01] (\d{3}[^\r\n]*)/.exec(head)?.[1] ?? '';
  return {
    why: `an HTTP/1 server answers there (${status.trim()}), not a BuildKit daemon`,
    hint: 'Check the address: buildkitd listens with gRPC (unix:///run/buildkit/buildkitd.sock, tcp://host:1234); for dockerd use docker://.',
  };
}

/**
 * A server that greets or answers in text but not in HTTP (an SSH server: `--addr tcp://host:22`, an SMTP or Redis
 * port): what it said. A BuildKit daemon's own answer (binary HTTP/2 frames) is not text, and stays undiagnosed.
 */
function textListener(head: string): HttpDiagnosis | undefined {
  const first = head.split(/\r?\n/)[0] ?? '';
  if (!/^[\x20-\x7e]{3,}$/.test(first)) return undefined;
  const said = first.length > 80 ? `${first.slice(0, 79)}…` : first;
  return {
    why: `a server that is not a BuildKit daemon answers there (${/^SSH-/.test(first) ? 'an SSH server' : 'it speaks text, not gRPC'}: ${JSON.stringify(said)})`,
    hint: 'Check the address and port: buildkitd listens with gRPC (unix:///run/buildkit/buildkitd.sock, tcp://host:1234); for dockerd use docker://.',
  };
}
