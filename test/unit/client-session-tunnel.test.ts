/**
 * The Control.Session tunnel's outbound side, against a stand-in grpc-js call: what the session server writes in one
 * turn of the event loop goes out as one tunnel message, the server is held back while grpc-js is full, and what is
 * pending goes out before the end.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { validateHeaderValue } from 'node:http';
import { Metadata, type Client as GrpcClient } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { openSessionTunnel, sessionHeaders } from '../../src/client/session-tunnel.js';
import type { SessionServer } from '../../src/session/session-server.js';

function harness(): { pipe: Duplex; messages: string[][]; call: EventEmitter & { full: boolean; ended: boolean } } {
  const messages: string[][] = [];
  const call = Object.assign(new EventEmitter(), {
    full: false,
    ended: false,
    write(batch: readonly Buffer[]): boolean {
      messages.push(batch.map((b) => b.toString()));
      return !call.full;
    },
    end(): void {
      call.ended = true;
    },
    cancel(): void {},
    resume(): void {},
    pause(): void {},
  });
  const client = { makeBidiStreamRequest: () => call } as unknown as GrpcClient;
  let pipe: Duplex | undefined;
  const server = { methods: [], attach: (d: Duplex) => (pipe = d) } as unknown as SessionServer;
  openSessionTunnel(client, { id: 'tunnel-test' }, server);
  if (pipe === undefined) throw new Error('the tunnel did not attach the server');
  return { pipe, messages, call };
}

const write = (pipe: Duplex, text: string): Promise<void> => new Promise((resolve) => pipe.write(Buffer.from(text), () => resolve()));

describe('session tunnel (Control.Session)', () => {
  it('sends the frames written in one loop turn as one message', async () => {
    const { pipe, messages } = harness();
    await write(pipe, 'a');
    await write(pipe, 'b');
    expect(messages).toEqual([]);
    await nextTurn();
    expect(messages).toEqual([['a', 'b']]);
  });

  it('holds the session server back while grpc-js is full, and resumes on drain', async () => {
    const { pipe, messages, call } = harness();
    call.full = true;
    await write(pipe, 'a');
    await nextTurn(); // sent; grpc-js says it is full
    let released = false;
    void write(pipe, 'b').then(() => (released = true));
    await nextTurn();
    await nextTurn();
    expect(released).toBe(false);
    expect(messages).toEqual([['a']]);
    call.full = false;
    call.emit('drain');
    await nextTurn();
    expect(released).toBe(true);
    expect(messages).toEqual([['a'], ['b']]);
  });

  it('sends what is pending before ending the call', async () => {
    const { pipe, messages, call } = harness();
    pipe.write(Buffer.from('last'));
    pipe.end();
    await nextTurn();
    expect(messages).toEqual([['last']]);
    expect(call.ended).toBe(true);
  });
});

describe('session headers', () => {
  it('name the session with printable ASCII whatever the directory is called, so gRPC and HTTP carry it', () => {
    const named = (name: string): string => sessionHeaders({ id: 'abc', name }, ['/m'])['x-docker-expose-session-name'] as string;
    expect(named('app')).toBe('app');
    expect(named('my project (v2)')).toBe('my project (v2)');
    expect(named('prójekt ü')).toBe('pr%C3%B3jekt %C3%BC');
    expect(named('项目')).toBe('%E9%A1%B9%E7%9B%AE');
    expect(named('tab\there')).toBe('tab%09here');
    expect(named('')).toBe('kiln');
    for (const name of ['prójekt ü', '项目', 'данные', '🚀', 'tab\there']) {
      const headers = sessionHeaders({ id: 'abc', name }, ['/m']);
      // What the buildkitd connection (grpc-js metadata) and dockerd's /session (Node's HTTP client) accept.
      for (const [key, value] of Object.entries(headers)) {
        for (const v of typeof value === 'string' ? [value] : value) {
          expect(() => new Metadata().add(key, v)).not.toThrow();
          expect(() => validateHeaderValue(key, v)).not.toThrow();
        }
      }
    }
  });
});
