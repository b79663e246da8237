import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { ImageLock, readImageLock, writeImageLock } from '../../src/image/lock-file.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const dir = mkdtempSync(join(tmpdir(), 'kiln-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ImageLock', () => {
  it('normalises references, keeps other pins when adding one, and writes sorted stable JSON', () => {
    const lock = ImageLock.empty().with('python:3.11-slim', 'linux/amd64', A).with('busybox', 'linux/arm64', B).with('docker.io/library/python:3.11-slim', 'linux/arm64', B);
    expect(lock.get('docker.io/library/python:3.11-slim', 'linux/amd64')).toBe(A);
    expect(lock.get('python:3.11-slim', 'linux/arm64')).toBe(B);
    expect(lock.get('python:3.11-slim', 'linux/s390x')).toBeUndefined();
    expect(lock.size).toBe(3);
    expect(lock.toText()).toBe(
      `${JSON.stringify(
        {
          version: 1,
          images: {
            'docker.io/library/busybox:latest': { 'linux/arm64': B },
            'docker.io/library/python:3.11-slim': { 'linux/amd64': A, 'linux/arm64': B },
          },
        },
        null,
        2,
      )}\n`,
    );
    expect(ImageLock.parse(lock.toText()).toText()).toBe(lock.toText());
  });

  it('explains what is wrong with a malformed lock file, naming it', () => {
    const cases: [string, RegExp][] = [
      ['{', /kiln\.lock\.json is not JSON/],
      ['[]', /not a JSON object/],
      ['{"version":2,"images":{}}', /version 2; this kiln reads version 1/],
      ['{"version":1}', /no "images" object/],
      ['{"version":1,"images":{"Bad Ref!":{}}}', /"Bad Ref!", which is not an image reference/],
      ['{"version":1,"images":{"busybox":{"linux/amd64":"latest"}}}', /"latest" for busybox on linux\/amd64, not a sha256/],
    ];
    for (const [text, message] of cases) {
      let err: unknown;
      try {
        ImageLock.parse(text, 'kiln.lock.json');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KilnError);
      expect((err as KilnError).code).toBe('invalid_argument');
      expect((err as Error).message).toMatch(message);
    }
  });

  it('reads nothing for a missing file and writes atomically, leaving no temporary file', async () => {
    const path = join(dir, 'kiln.lock.json');
    expect(await readImageLock(path)).toBeUndefined();
    await writeImageLock(path, ImageLock.empty().with('busybox', 'linux/amd64', A));
    expect((await readImageLock(path))?.get('busybox:latest', 'linux/amd64')).toBe(A);
    expect(readdirSync(dir)).toEqual(['kiln.lock.json']);
    writeFileSync(path, 'garbage');
    await expect(readImageLock(path)).rejects.toThrow(new RegExp(`lock file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON`));
    expect(readFileSync(path, 'utf8')).toBe('garbage');
  });
});
