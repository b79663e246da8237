/**
 * `kiln/llb`'s option objects take an explicit `undefined` for every optional setting (a wrapper compiled with
 * `exactOptionalPropertyTypes` passes its own optional settings straight through), and `undefined` means what
 * leaving the setting out means: the same LLB bytes.
 */
import { describe, expect, it } from 'vitest';
import { type RunOptions, type State, decodeDefinition, git, http, image, local, marshal, mkdir, ociLayout, scratch, source } from '../../src/llb/index.js';

/** The definition as decoded (a readable difference), local sources named alike. */
const llb = (s: State, options: Parameters<typeof marshal>[1] = {}): unknown => decodeDefinition(marshal(s, { localUniqueId: 'u', ...options }).toBytes());
const same = (given: State, none: State): void => expect(llb(given)).toEqual(llb(none));

const OP = { customName: undefined, description: undefined, progressGroup: undefined, ignoreCache: undefined, exportCache: undefined, platform: undefined, constraints: undefined };

describe('kiln/llb options given as undefined', () => {
  it('sources', () => {
    same(image('busybox:latest', { resolveMode: undefined, recordType: undefined, layerLimit: undefined, ...OP }), image('busybox:latest'));
    const unsetLocal = { include: undefined, exclude: undefined, followPaths: undefined, sharedKeyHint: undefined, sessionId: undefined, uniqueId: undefined, differ: undefined, differRequired: undefined };
    same(local('context', { ...unsetLocal, ...OP }), local('context'));
    const unsetGit = { keepGitDir: undefined, subdir: undefined, authTokenSecret: undefined, authHeaderSecret: undefined, knownSshHosts: undefined, mountSshSock: undefined };
    same(git('https://github.com/moby/buildkit.git', 'v0.13.0', { ...unsetGit, ...OP }), git('https://github.com/moby/buildkit.git', 'v0.13.0'));
    const unsetHttp = { checksum: undefined, filename: undefined, mode: undefined, uid: undefined, gid: undefined };
    same(http('https://example.com/a.tar.gz', { ...unsetHttp, ...OP }), http('https://example.com/a.tar.gz'));
    const digest = `sha256:${'a'.repeat(64)}`;
    same(ociLayout(`example.com/app@${digest}`, { sessionId: undefined, storeId: undefined, layerLimit: undefined, ...OP }), ociLayout(`example.com/app@${digest}`));
    same(source('docker-image://docker.io/library/busybox:latest', { attrs: undefined, caps: undefined, ...OP }), source('docker-image://docker.io/library/busybox:latest'));
    same(image('busybox', { progressGroup: { id: 'g', name: 'group', weak: undefined } }), image('busybox', { progressGroup: { id: 'g', name: 'group' } }));
  });

  it('run, with every kind of mount, secret and ssh', () => {
    const base = image('busybox:latest');
    const unset: RunOptions = {
      env: undefined,
      cwd: undefined,
      user: undefined,
      hostname: undefined,
      extraHosts: undefined,
      network: undefined,
      security: undefined,
      ulimits: undefined,
      cgroupParent: undefined,
      proxyEnv: undefined,
      readonlyRootfs: undefined,
      mounts: undefined,
      secrets: undefined,
      ssh: undefined,
      ...OP,
    };
    same(base.run('true', unset).root(), base.run('true').root());
    same(base.run({ args: 'true', ...unset }).root(), base.run({ args: 'true' }).root());
    // A wrapper's RunOptions without args, handed to run(args, options): not "args given twice".
    const wrapped: RunOptions = { ...unset, args: undefined };
    same(base.run('true', wrapped).root(), base.run('true').root());
    const ctx = local('context');
    const given = base.run('true', {
      mounts: [
        { type: 'bind', dest: '/src', source: ctx, readonly: undefined, sourcePath: undefined, selector: undefined, noOutput: undefined },
        { type: 'cache', dest: '/cache', id: 'c', sharing: undefined, source: undefined, sourcePath: undefined },
        { type: 'tmpfs', dest: '/tmp', size: undefined },
      ],
      secrets: [
        { id: 'a', path: '/run/secrets/a', uid: undefined, gid: undefined, mode: undefined, optional: undefined },
        { env: 'TOKEN', id: undefined, optional: undefined },
      ],
      ssh: [{ id: undefined, target: undefined, uid: undefined, gid: undefined, mode: undefined, optional: undefined }],
      proxyEnv: { httpProxy: 'http://proxy:3128', httpsProxy: undefined, ftpProxy: undefined, noProxy: undefined, allProxy: undefined },
    });
    const none = base.run('true', {
      mounts: [{ type: 'bind', dest: '/src', source: ctx }, { type: 'cache', dest: '/cache', id: 'c' }, { type: 'tmpfs', dest: '/tmp' }],
      secrets: [{ id: 'a', path: '/run/secrets/a' }, { env: 'TOKEN' }],
      ssh: [{}],
      proxyEnv: { httpProxy: 'http://proxy:3128' },
    });
    same(given.root(), none.root());
  });

  it('file actions and marshal', () => {
    const ctx = local('context');
    const copyUnset = {
      owner: undefined,
      mode: undefined,
      followSymlinks: undefined,
      copyDirContentsOnly: undefined,
      attemptUnpack: undefined,
      createDestPath: undefined,
      allowWildcard: undefined,
      allowEmptyWildcard: undefined,
      timestamp: undefined,
      include: undefined,
      exclude: undefined,
    };
    const given = scratch().file(
      mkdir('/a', { mode: undefined, parents: undefined, owner: { uid: 1, gid: undefined }, timestamp: undefined })
        .mkfile('/a/f', 'x', { mode: undefined, owner: { user: 'root', group: undefined, lookupIn: undefined }, timestamp: undefined })
        .rm('/a/g', { allowNotFound: undefined, allowWildcard: undefined })
        .copy(ctx, 'src', '/a/src', copyUnset),
      OP,
    );
    const none = scratch().file(mkdir('/a', { owner: { uid: 1 } }).mkfile('/a/f', 'x', { owner: { user: 'root' } }).rm('/a/g').copy(ctx, 'src', '/a/src'));
    same(given, none);
    const unsetMarshal = { platform: undefined, caps: undefined, daemon: undefined, ignoreCache: undefined, constraints: undefined };
    expect(llb(none, unsetMarshal)).toEqual(llb(none));
    expect(marshal(image('busybox'), { localUniqueId: undefined }).toBytes()).toEqual(marshal(image('busybox')).toBytes());
  });
});
