/**
 * buildImage's context option when it is not a directory: said as the context, before the daemon is asked (no daemon
 * listens at the address here: getting past the check would show as a connection error).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/client/client.js';
import { KilnError } from '../../src/errors.js';
import { Image, buildImage } from '../../src/image/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-context-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildImage context', () => {
  it('a context that is a file, or missing, is named as the build context with how to fix it, not as a "." the image copies', async () => {
    const client = await Client.connect({ address: 'unix:///nonexistent/kiln-test.sock', verify: false });
    try {
      const file = join(dir, 'app.py');
      writeFileSync(file, 'print(1)\n');
      const image = Image.fromRegistry('busybox:latest').addLocalFile('app.py', '/app.py');
      for (const [context, why] of [
        [file, 'is not a directory'],
        [join(dir, 'missing'), 'does not exist'],
      ] as const) {
        const err = await buildImage(client, image, { context }).catch((e: unknown) => e);
        expect(KilnError.is(err, 'invalid_argument'), String(err)).toBe(true);
        expect((err as KilnError).message).toBe(`the build context ${context} ${why}`);
        expect((err as KilnError).hint).toContain('the context option (kiln build --context DIR');
        expect((err as KilnError).details.path).toBe(context);
      }
    } finally {
      await client.close();
    }
  });
});
