/**
 * runInImage's abort after the command has exited: when it exits 1, kiln looks in the image for why (command-not-run.ts,
 * image-user.ts) before it returns; an abort that arrives meanwhile rejects the run as `cancelled`, as any abort during
 * the run does. The build is an in-memory stand-in (a daemon cannot be made to answer that look-up at a chosen moment).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { Client } from '../../src/client/client.js';
import type { Gateway } from '../../src/client/build.js';
import { KilnError } from '../../src/errors.js';
import { Image } from '../../src/image/image.js';
import { runInImage } from '../../src/image/run-in-image.js';

/** What the stand-in gateway does while kiln looks the command up; set by each test. */
const during = { lookup: (): void => {} };

vi.mock('../../src/image/build-image.js', async (original) => {
  const actual = await original<typeof import('../../src/image/build-image.js')>();
  const gateway: Partial<Gateway> = {
    frontendCaps: new Set(['gateway.exec', 'gateway.exec.signals']),
    runProcess: () => Promise.resolve({ exitCode: 1 }),
    readFile: () => {
      during.lookup();
      return Promise.resolve(new TextEncoder().encode('root:x:0:0:root:/root:/bin/sh\n'));
    },
    statFile: () => {
      during.lookup();
      return Promise.reject(new KilnError('not_found', 'no such file'));
    },
  };
  return {
    ...actual,
    buildImageWith: async (_client: Client, _image: Image, _options: unknown, inside: (gw: Gateway, ref: { id: string }, compiled: unknown) => Promise<void>) => {
      await inside(gateway as Gateway, { id: 'result' }, { config: { config: {} } });
      return { names: [] };
    },
  };
});

const client = {} as Client;
const image = Image.fromRegistry('busybox:latest');

describe('runInImage, a command that exits 1', () => {
  it('an abort while kiln looks up why rejects as cancelled', async () => {
    const controller = new AbortController();
    during.lookup = () => controller.abort(new Error('stop'));
    const err = await runInImage(client, image, { args: ['no-such-command'], stdout: new PassThrough(), stderr: new PassThrough(), signal: controller.signal }).catch((e: unknown) => e);
    expect(KilnError.is(err, 'cancelled')).toBe(true);
    expect((err as KilnError).message).toBe('the run was cancelled');
  });

  it('without an abort the look-up decides the exit code (127: not found)', async () => {
    during.lookup = () => {};
    const result = await runInImage(client, image, { args: ['no-such-command'], stdout: new PassThrough(), stderr: new PassThrough(), signal: new AbortController().signal });
    expect(result.exitCode).toBe(127);
  });
});
