import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import {
  copy,
  decodeDefinition,
  image,
  local,
  marshal,
  mkdir,
  mkfile,
  parseSourceDateEpoch,
  pinImageSources,
  scratch,
  withSourceDateEpoch,
} from '../../src/llb/index.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function sources(def: ReturnType<typeof marshal>): string[] {
  return decodeDefinition(def)
    .ops.map((o) => (o.op.op?.type === 'source' ? o.op.op.source.identifier : undefined))
    .filter((x): x is string => x !== undefined);
}

function timestamps(def: ReturnType<typeof marshal>): bigint[] {
  const out: bigint[] = [];
  for (const o of decodeDefinition(def).ops) {
    if (o.op.op?.type !== 'file') continue;
    for (const a of o.op.op.file.actions) {
      const b = a.action;
      if (b?.type === 'copy') out.push(b.copy.timestamp);
      if (b?.type === 'mkfile') out.push(b.mkfile.timestamp);
      if (b?.type === 'mkdir') out.push(b.mkdir.timestamp);
    }
  }
  return out;
}

describe('pinImageSources', () => {
  const state = image('python:3.11-slim').run(['sh', '-c', 'echo hi > /x']).root().file(copy(image('busybox'), '/bin/busybox', '/bb'));

  it('pins the listed images by normalised reference, re-digests every dependent op and keeps metadata', () => {
    const def = marshal(state);
    const { definition, pinned } = pinImageSources(def, new Map([['docker.io/library/python:3.11-slim', DIGEST]]));
    expect(pinned).toEqual(['docker.io/library/python:3.11-slim']);
    expect(sources(definition)).toContain(`docker-image://docker.io/library/python:3.11-slim@${DIGEST}`);
    expect(sources(definition)).toContain('docker-image://docker.io/library/busybox:latest');
    expect(definition.digest()).not.toBe(def.digest());
    // Every input points at an op of the new definition, and every op keeps a metadata entry.
    const decoded = decodeDefinition(definition);
    const digests = new Set(decoded.ops.map((o) => o.digest));
    for (const o of decoded.ops) for (const i of o.op.inputs) expect(digests.has(i.digest)).toBe(true);
    expect([...definition.metadata.keys()].sort()).toEqual([...digests].sort());
    // The same as marshalling the pinned state directly.
    const direct = marshal(
      image(`docker.io/library/python:3.11-slim@${DIGEST}`).run(['sh', '-c', 'echo hi > /x']).root().file(copy(image('busybox'), '/bin/busybox', '/bb')),
    );
    expect(Buffer.from(definition.toBytes()).equals(Buffer.from(direct.toBytes()))).toBe(true);
  });

  it('returns the same definition when nothing is pinned, and refuses a malformed digest', () => {
    const def = marshal(state);
    expect(pinImageSources(def, new Map([['docker.io/library/ubuntu:22.04', DIGEST]])).definition).toBe(def);
    expect(() => pinImageSources(def, new Map([['docker.io/library/python:3.11-slim', 'latest']]))).toThrow(KilnError);
  });
});

describe('withSourceDateEpoch', () => {
  it('stamps copies, new files and new directories that set no time, and leaves explicit times alone', () => {
    const explicit = new Date('2020-01-02T03:04:05Z');
    const state = scratch()
      .file(mkdir('/app', { timestamp: explicit }))
      .file(mkfile('/app/a', 'a'))
      .file(copy(local('ctx'), '/', '/app/src/', { createDestPath: true }));
    const def = marshal(state);
    expect(timestamps(def)).toEqual([1577934245000000000n, -1n, -1n]);
    const stamped = withSourceDateEpoch(def, 1_700_000_000);
    expect(timestamps(stamped)).toEqual([1577934245000000000n, 1_700_000_000_000_000_000n, 1_700_000_000_000_000_000n]);
    expect(stamped.digest()).not.toBe(def.digest());
    expect(withSourceDateEpoch(stamped, 1_700_000_000).digest()).toBe(stamped.digest());
  });

  it('copies a whole source root as the destination directory, so a directory the copy creates takes the epoch too', () => {
    const copies = (def: ReturnType<typeof marshal>): { dest: string; contents: boolean }[] =>
      decodeDefinition(def).ops.flatMap((o) =>
        o.op.op?.type === 'file'
          ? o.op.op.file.actions.flatMap((a) => (a.action?.type === 'copy' ? [{ dest: a.action.copy.dest, contents: a.action.copy.dirCopyContents }] : []))
          : [],
      );
    const state = image('busybox')
      .file(copy(local('ctx'), '/', '/app', { copyDirContentsOnly: true, createDestPath: true }))
      .file(copy(local('ctx'), '/', '/keep/', { copyDirContentsOnly: true, createDestPath: true }))
      .file(copy(local('ctx'), '/sub', '/sub', { copyDirContentsOnly: true, createDestPath: true }));
    const stamped = withSourceDateEpoch(marshal(state), 1_700_000_000);
    expect(copies(stamped)).toEqual([
      { dest: '/app', contents: false },
      { dest: '/keep/', contents: true },
      { dest: '/sub', contents: true },
    ]);
  });

  it('leaves definitions without file ops untouched', () => {
    const def = marshal(image('busybox').run(['true']).root());
    expect(withSourceDateEpoch(def, 0)).toBe(def);
  });

  it('parses SOURCE_DATE_EPOCH and explains a bad value', () => {
    expect(parseSourceDateEpoch(undefined)).toBeUndefined();
    expect(parseSourceDateEpoch(' ')).toBeUndefined();
    expect(parseSourceDateEpoch('1700000000')).toBe(1_700_000_000);
    for (const bad of ['-1', '1.5', 'yesterday', '1e9']) {
      expect(() => parseSourceDateEpoch(bad)).toThrow(/SOURCE_DATE_EPOCH/);
    }
  });
});
