/**
 * The session server lets the daemon send an export without waiting for a window update every 64 KiB: its HTTP/2
 * connection and streams take SESSION_RECEIVE_WINDOW bytes. (Each window update crosses the session tunnel back to the
 * daemon: with Node's 64 KiB default an export ran at about 10 MB/s whatever the disk or Docker could take.)
 */
import { connect as http2Connect, constants, type ClientHttp2Session, type Settings } from 'node:http2';
import { createServer, connect, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_RECEIVE_WINDOW, SessionServer } from '../../src/session/session-server.js';
import { exportReceiver } from '../../src/session/file-send-service.js';
import { openTransport } from '../../src/client/transport.js';
import { parseAddress } from '../../src/client/address.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-session-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session receive window', () => {
  it('grants the daemon SESSION_RECEIVE_WINDOW on the connection and on each stream once it calls a method', async () => {
    const receiver = await exportReceiver({ kind: 'stream', stream: new PassThrough() });
    const session = new SessionServer([receiver.service]);
    const path = join(dir, 'session.sock');
    const listener: Server = createServer((socket) => session.attach(socket));
    await new Promise<void>((resolve) => listener.listen(path, resolve));
    let client: ClientHttp2Session | undefined;
    try {
      client = http2Connect('http://localhost', { createConnection: () => connect(path) });
      const settings: Settings[] = [];
      client.on('remoteSettings', (s) => settings.push(s));
      const widened = new Promise<void>((resolve) => {
        client!.on('remoteSettings', (s) => {
          if (s.initialWindowSize === SESSION_RECEIVE_WINDOW) resolve();
        });
      });
      const stream = client.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: '/moby.filesync.v1.FileSend/DiffCopy',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      stream.on('error', () => {});
      await widened;
      expect(settings[0]?.initialWindowSize).toBe(65535);
      // The connection's WINDOW_UPDATE may come just after the SETTINGS frame.
      for (let i = 0; i < 50 && (client.state.remoteWindowSize ?? 0) < SESSION_RECEIVE_WINDOW; i++) await new Promise((r) => setTimeout(r, 10));
      expect(client.state.remoteWindowSize).toBeGreaterThanOrEqual(SESSION_RECEIVE_WINDOW);
      stream.close();
    } finally {
      client?.destroy();
      session.close();
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('asks the daemon for a wide window on kiln\'s own connection too (exports come back on the Control.Session call)', async () => {
    const transport = await openTransport(parseAddress(`unix://${join(dir, 'buildkitd.sock')}`));
    try {
      expect(transport.channelOptions['grpc-node.flow_control_window']).toBeGreaterThanOrEqual(SESSION_RECEIVE_WINDOW);
    } finally {
      await transport.close();
    }
  });
});
