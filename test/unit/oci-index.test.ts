/**
 * The `index.json` of a local cache directory: tags recorded and read back, other entries kept, and the file's kind
 * (a symbolic link a user made, a private mode) left as it was.
 */
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { putOciIndexTag, readOciIndexTag, REF_NAME_ANNOTATION } from '../../src/client/oci-index.js';

const root = mkdtempSync(join(tmpdir(), 'kiln-oci-index-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => mkdtempSync(join(root, `d${n++}-`));
const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const desc = (c: string) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(c), size: 10 });

describe('putOciIndexTag', () => {
  it('creates the index, replaces the entry with the same tag and keeps the others', async () => {
    const dir = fresh();
    await putOciIndexTag(dir, 'latest', desc('a'));
    await putOciIndexTag(dir, 'main', desc('b'));
    await putOciIndexTag(dir, 'latest', desc('c'));
    expect((await readOciIndexTag(dir, 'latest'))?.digest).toBe(digest('c'));
    expect((await readOciIndexTag(dir, 'main'))?.digest).toBe(digest('b'));
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { annotations: Record<string, string> }[] };
    expect(index.manifests.map((m) => m.annotations[REF_NAME_ANNOTATION])).toEqual(['main', 'latest']);
    expect(readdirSync(dir).sort()).toEqual(['index.json']);
  });

  it('an index.json that is a symbolic link stays a link: the file it points to is updated', async () => {
    const dir = fresh();
    const shared = fresh();
    writeFileSync(join(shared, 'cache-index.json'), JSON.stringify({ schemaVersion: 2, manifests: [] }));
    symlinkSync(join(shared, 'cache-index.json'), join(dir, 'index.json'));
    await putOciIndexTag(dir, 'latest', desc('d'));
    expect(lstatSync(join(dir, 'index.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'index.json'))).toBe(join(shared, 'cache-index.json'));
    expect(readFileSync(join(shared, 'cache-index.json'), 'utf8')).toContain(digest('d'));
    expect(readdirSync(shared)).toEqual(['cache-index.json']);
  });

  it('a private index keeps its mode', async () => {
    const dir = fresh();
    await putOciIndexTag(dir, 'latest', desc('e'));
    chmodSync(join(dir, 'index.json'), 0o600);
    await putOciIndexTag(dir, 'latest', desc('f'));
    expect(lstatSync(join(dir, 'index.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a digest that is not sha256 and leaves the index as it was', async () => {
    const dir = fresh();
    await putOciIndexTag(dir, 'latest', desc('a'));
    const before = readFileSync(join(dir, 'index.json'), 'utf8');
    await expect(putOciIndexTag(dir, 'latest', { digest: 'md5:00', size: 1 })).rejects.toMatchObject({ code: 'protocol' });
    expect(readFileSync(join(dir, 'index.json'), 'utf8')).toBe(before);
  });
});
