// The LLB State API beyond the golden vectors: immutability, determinism, decode/encode round trips,
// dump-llb output, daemon caps (degrade or fail) and every argument error users can hit.
import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import {
  ALL_CAPS,
  CAPS_BUILDKIT_V0_8,
  Cap,
  type Definition,
  type PbOp,
  type State,
  copy,
  decodeDefinition,
  decodeOp,
  diff,
  dumpLLB,
  encodeDefinition,
  encodeOp,
  formatDumpLLB,
  git,
  http,
  image,
  local,
  marshal,
  merge,
  mkdir,
  mkfile,
  normalizePlatform,
  parseImageRef,
  rm,
  scratch,
  source,
  splitShellWords,
} from '../../src/llb/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const DAEMON = 'dockerd 20.10 (BuildKit v0.8)';

/** Marshals with fixed settings so digests are stable. */
function def(state: State, options: Parameters<typeof marshal>[1] = {}): Definition {
  return marshal(state, { localUniqueId: 'u1', ...options });
}

/** The decoded ops of a state's definition, terminal excluded. */
function ops(state: State, options: Parameters<typeof marshal>[1] = {}): PbOp[] {
  return decodeDefinition(def(state, options))
    .ops.filter((o) => o.kind !== 'terminal')
    .map((o) => o.op);
}

function execOf(state: State): PbOp {
  const exec = ops(state).find((o) => o.op?.type === 'exec');
  if (exec === undefined) throw new Error('no exec op');
  return exec;
}

function execBody(state: State) {
  const body = execOf(state).op;
  if (body?.type !== 'exec') throw new Error('not an exec');
  return body.exec;
}

function fileBody(state: State) {
  const body = ops(state).find((o) => o.op?.type === 'file')?.op;
  if (body?.type !== 'file') throw new Error('no file op');
  return body.file;
}

/**
 * Runs `fn`, expects a KilnError `invalid_argument` whose message matches `message`, and checks that
 * the error's stack starts at this test file (the user's line), not inside kiln.
 */
function argError(fn: () => unknown, message: RegExp): KilnError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected an error').toBeInstanceOf(KilnError);
  const err = caught as KilnError;
  expect(err.code).toBe('invalid_argument');
  expect(err.message).toMatch(message);
  const firstFrame = err.stack?.split('\n').find((l) => l.trim().startsWith('at ')) ?? '';
  expect(firstFrame).toContain('llb-state.test.ts');
  return err;
}

describe('immutability', () => {
  it('never changes a state when deriving from it', () => {
    const base = image('alpine:3.18').addEnv('A', '1').dir('/app').user('app');
    const before = hex(def(base).toBytes());
    const children = [
      base.addEnv('A', '2'),
      base.addEnv('B', '3'),
      base.withoutEnv('A'),
      base.dir('sub'),
      base.user('root'),
      base.platform('linux/arm64'),
      base.run('true').root(),
      base.mkdir('x'),
      base.file(mkfile('f', 'data')),
      merge([base, scratch().mkfile('/y', 'y')]),
    ];
    expect(children).toHaveLength(10);
    expect(base.getEnvList()).toEqual(['A=1']);
    expect(base.getDir()).toBe('/app');
    expect(base.getUser()).toBe('app');
    expect(base.getPlatform()).toBeUndefined();
    expect(hex(def(base).toBytes())).toBe(before);
    expect(children[3]?.getDir()).toBe('/app/sub');
    expect(children[0]?.getEnvList()).toEqual(['A=2']);
  });

  it('keeps file-action chains immutable', () => {
    const a = mkdir('/a');
    const b = a.mkfile('/a/f', 'x');
    const c = a.rm('/a/g');
    expect(a.length).toBe(1);
    expect(b.length).toBe(2);
    expect(c.length).toBe(2);
    expect(fileBody(scratch().file(a)).actions).toHaveLength(1);
  });

  it('copies caller-owned arrays and buffers, so later changes do not leak into the graph', () => {
    const args = ['echo', 'one'];
    const data = new Uint8Array([1, 2, 3]);
    const include = ['*.py'];
    const env = { A: '1' };
    const st = image('alpine:3.18')
      .run(args, { env })
      .root()
      .file(mkfile('/data', data).copy(local('ctx'), '/src', '/dst', { include }));
    const before = hex(def(st).toBytes());
    args[1] = 'two';
    data[0] = 9;
    include.push('*.js');
    env.A = '2';
    expect(hex(def(st).toBytes())).toBe(before);
  });

  it('moves a replaced env var to the end, like BuildKit', () => {
    const st = scratch().addEnv('A', '1').addEnv('B', '2').addEnv('A', '3');
    expect(st.getEnvList()).toEqual(['B=2', 'A=3']);
    expect(st.withEnv({ C: '4', B: '5' }).getEnvList()).toEqual(['A=3', 'C=4', 'B=5']);
    expect(st.withEnv([['D', '6']]).getEnv('D')).toBe('6');
    expect(st.getEnv('missing')).toBeUndefined();
  });
});

describe('determinism', () => {
  it('gives the same digest for the same graph built in a different order', () => {
    const buildA = (): State => {
      const ctx = local('context', { exclude: ['node_modules'] });
      const base = image('python:3.11-slim');
      const deps = base.run(['pip', 'install', '-r', '/tmp/req.txt'], {
        mounts: [
          { type: 'cache', dest: '/root/.cache/pip', id: 'pip' },
          { type: 'bind', dest: '/tmp/req.txt', source: ctx, sourcePath: '/requirements.txt', readonly: true },
        ],
        env: { PIP_NO_CACHE_DIR: '1', LANG: 'C.UTF-8' },
        description: { b: '2', a: '1' },
      });
      return merge([deps.root(), base.file(copy(ctx, 'src', '/app/src'))]);
    };
    const buildB = (): State => {
      const base = image('docker.io/library/python:3.11-slim');
      const ctx = local('context', { exclude: ['node_modules'] });
      const app = base.file(copy(ctx, '/src', '/app/src'));
      const deps = base.run({
        description: { a: '1', b: '2' },
        env: [
          ['PIP_NO_CACHE_DIR', '1'],
          ['LANG', 'C.UTF-8'],
        ],
        mounts: [
          { readonly: true, sourcePath: '/requirements.txt', source: ctx, dest: '/tmp/req.txt', type: 'bind' },
          { id: 'pip', dest: '/root/.cache/pip', type: 'cache' },
        ],
        args: 'pip install -r /tmp/req.txt',
      });
      return merge([deps.root(), app]);
    };
    const a = def(buildA());
    const b = def(buildB());
    expect(a.digest()).toBe(b.digest());
    expect(hex(a.toBytes())).toBe(hex(b.toBytes()));
  });

  it('marshals the same state to the same bytes every time, and per platform', () => {
    const st = image('alpine:3.18').run('uname -m').root();
    const amd = hex(def(st).toBytes());
    const arm = hex(def(st, { platform: 'linux/arm64' }).toBytes());
    expect(arm).not.toBe(amd);
    expect(hex(def(st).toBytes())).toBe(amd);
    expect(hex(def(st, { platform: { os: 'linux', architecture: 'aarch64' } }).toBytes())).toBe(arm);
  });

  it('salts local sources per marshal unless a unique id or session is given', () => {
    const ctx = local('context');
    expect(marshal(ctx).digest()).not.toBe(marshal(ctx).digest());
    expect(marshal(ctx, { localUniqueId: 'x' }).digest()).toBe(marshal(ctx, { localUniqueId: 'x' }).digest());
    const pinned = local('context', { uniqueId: 'mine' });
    expect(marshal(pinned).digest()).toBe(marshal(pinned).digest());
    const session = local('context', { sessionId: 's1' });
    expect(marshal(session).digest()).toBe(marshal(session).digest());
  });

  it('handles a 20,000-op chain without recursion limits', () => {
    let st = scratch();
    for (let i = 0; i < 20_000; i++) st = st.mkfile(`/f${i}`, String(i));
    const d = marshal(st);
    expect(d.ops).toHaveLength(20_001);
    expect(decodeDefinition(d).head?.digest).toBe(d.digest());
  });

  it('defines the digest as the result op, independent of metadata', () => {
    const plain = image('alpine:3.18').run('true').root();
    const named = image('alpine:3.18').run('true', { customName: 'step' }).root();
    const a = def(plain);
    const b = def(named);
    expect(a.digest()).toBe(b.digest());
    expect(a.digest()).toBe(a.digests[a.digests.length - 2]);
    expect(hex(a.toBytes())).not.toBe(hex(b.toBytes()));
    expect(a.head).toEqual({ digest: a.digest(), index: 0 });
    const empty = marshal(scratch());
    expect(empty.isEmpty).toBe(true);
    expect(empty.digest()).toBeUndefined();
    expect(empty.toBytes()).toHaveLength(0);
  });
});

describe('exec ops', () => {
  it('lays out mounts, inputs and outputs like BuildKit', () => {
    const ctx = local('ctx');
    const run = image('alpine:3.18').run(['sh', '-c', 'make'], {
      mounts: [
        { type: 'bind', dest: '/z-out', source: scratch() },
        { type: 'bind', dest: '/a-src', source: ctx, readonly: true },
        { type: 'tmpfs', dest: '/tmp' },
        { type: 'bind', dest: '/m-work', source: image('busybox:1.36') },
      ],
      secrets: [{ env: 'TOKEN', id: 'tok' }, { path: '/run/secrets/key' }],
      ssh: true,
    });
    const e = execBody(run);
    expect(e.mounts.map((m) => [m.dest, m.input, m.output])).toEqual([
      ['/', 0, 0],
      ['/a-src', 1, -1],
      ['/m-work', 2, 1],
      ['/tmp', -1, -1],
      ['/z-out', -1, 2],
      ['/run/secrets/key', 0, 0],
      ['/run/buildkit/ssh_agent.0', 0, 0],
    ]);
    expect(e.meta?.env).toEqual(['SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0']);
    expect(e.secretEnv).toEqual([{ id: 'tok', name: 'TOKEN', optional: false }]);
    expect(execOf(run).inputs).toHaveLength(3);
    // Results: root = output 0, /m-work = 1, /z-out = 2; a read-only mount gives back its source.
    expect(def(run.mount('/m-work')).head?.index).toBe(1);
    expect(def(run.mount('/z-out')).head?.index).toBe(2);
    expect(def(run.mount('/a-src')).digest()).toBe(def(ctx).digest());
  });

  it('orders mounts by the UTF-8 bytes of their targets, as BuildKit\'s Go client does (not by UTF-16 code units)', () => {
    // U+FF5E is EF BD 9E in UTF-8 and sorts before U+1F600 (F0 9F 98 80); in UTF-16 the emoji's surrogate (D83D) comes first.
    const run = image('alpine:3.18').run('true', {
      mounts: [
        { type: 'tmpfs', dest: '/m-\u{1F600}' },
        { type: 'tmpfs', dest: '/m-\u{FF5E}' },
      ],
    });
    expect(execBody(run).mounts.map((m) => m.dest)).toEqual(['/', '/m-\u{FF5E}', '/m-\u{1F600}']);
  });

  it('keeps optional secrets and ssh sockets optional on the wire (a missing one does not fail the step)', () => {
    const run = image('alpine:3.18').run('true', {
      secrets: [
        { env: 'TOKEN', id: 'tok', optional: true },
        { id: 'key', path: '/run/secrets/key', optional: true },
      ],
      ssh: [{ id: 'agent', optional: true }],
    });
    const e = execBody(run);
    expect(e.secretEnv).toEqual([{ id: 'tok', name: 'TOKEN', optional: true }]);
    expect(e.mounts.find((m) => m.dest === '/run/secrets/key')?.secretOpt?.optional).toBe(true);
    expect(e.mounts.find((m) => m.sshOpt !== undefined)?.sshOpt).toMatchObject({ id: 'agent', optional: true });
  });

  it('splits string commands like BuildKit (quotes, escapes, comments)', () => {
    expect(splitShellWords(`sh -c 'echo "hi there" > /out'`)).toEqual(['sh', '-c', 'echo "hi there" > /out']);
    expect(splitShellWords(`a\\ b "c\\"d" '' e#f # comment`)).toEqual(['a b', 'c"d', '', 'e#f']);
    expect(splitShellWords('one\n# skipped\ntwo')).toEqual(['one', 'two']);
    expect(execBody(image('alpine').run(`echo 'a  b'`)).meta?.args).toEqual(['echo', 'a  b']);
  });

  it('applies the state env, dir and user, and run options on top', () => {
    const st = image('alpine:3.18').addEnv('A', '1').addEnv('B', '2').dir('/app').user('app');
    const e = execBody(st.run('true', { env: { A: '3' }, cwd: 'sub', user: '1000' }));
    expect(e.meta?.env).toEqual(['B=2', 'A=3']);
    expect(e.meta?.cwd).toBe('/app/sub');
    expect(e.meta?.user).toBe('1000');
    const root = st.run('true', { env: { A: '3' } }).root();
    expect(root.getEnvList()).toEqual(['A=1', 'B=2']);
    expect(root.getDir()).toBe('/app');
  });

  it('formats extra hosts like Go and keeps ulimits, network and security', () => {
    const e = execBody(
      image('alpine').run('true', {
        extraHosts: [
          { host: 'a', ip: '::ffff:10.0.0.1' },
          { host: 'b', ip: '2001:0DB8:0:0:0:0:0:1' },
          { host: 'c', ip: '1:0:2:0:0:3:0:0' },
        ],
        ulimits: [{ name: 'nofile', soft: 10, hard: 20 }],
        network: 'host',
        security: 'insecure',
      }),
    );
    expect(e.meta?.extraHosts.map((h) => h.ip)).toEqual(['10.0.0.1', '2001:db8::1', '1:0:2::3:0:0']);
    expect(e.network).toBe(1);
    expect(e.security).toBe(1);
  });

  it('uses the op platform and makes it the state platform', () => {
    const st = image('alpine').run('true', { platform: 'linux/arm/v7' }).root();
    expect(st.getPlatform()).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(execOf(st).platform?.variant).toBe('v7');
    expect(execOf(st.run('true').root()).platform?.architecture).toBe('arm');
  });
});

describe('file ops', () => {
  it('chains actions in one op and resolves relative paths', () => {
    const st = image('alpine').dir('/app').file(
      mkdir('data', { parents: true, owner: 'app:staff' })
        .mkfile('data/x', 'x', { owner: { uid: 1, gid: 2 }, timestamp: 5n })
        .copy(local('ctx').dir('/src'), 'a.txt', 'dest/', { mode: 0o600 })
        .rm('tmp', { allowNotFound: true }),
    );
    const f = fileBody(st);
    expect(f.actions.map((a) => [a.input, a.secondaryInput, a.output])).toEqual([
      [0, -1, -1],
      [2, -1, -1],
      [3, 1, -1],
      [4, -1, 0],
    ]);
    const bodies = f.actions.map((a) => a.action);
    expect(bodies[0]?.type === 'mkdir' && bodies[0].mkdir.path).toBe('/app/data');
    expect(bodies[1]?.type === 'mkfile' && bodies[1].mkfile.timestamp).toBe(5n);
    expect(bodies[2]?.type === 'copy' && [bodies[2].copy.src, bodies[2].copy.dest]).toEqual(['/src/a.txt', '/app/dest/']);
    expect(bodies[3]?.type === 'rm' && bodies[3].rm.path).toBe('/app/tmp');
  });

  it('looks owner names up in the state given', () => {
    const users = image('alpine');
    const f = fileBody(scratch().file(mkdir('/d', { owner: { user: 'app', group: 0, lookupIn: users } })));
    const a = f.actions[0]?.action;
    expect(a?.type === 'mkdir' && a.mkdir.owner).toEqual({ user: { byName: { name: 'app', input: 0 } }, group: { byId: 0 } });
  });

  it('offers one-op shortcuts on State', () => {
    const st = scratch().mkdir('/a').mkfile('/a/b', 'b').rm('/a/c').copy(image('alpine'), '/etc/hostname', '/h');
    expect(ops(st).filter((o) => o.op?.type === 'file')).toHaveLength(4);
  });
});

describe('merge and diff', () => {
  it('skips scratch inputs and collapses trivial merges and diffs', () => {
    const a = image('alpine');
    expect(merge([])).toBeDefined();
    expect(merge([]).isScratch).toBe(true);
    expect(merge([scratch(), a, scratch()])).toBe(a);
    expect(diff(scratch(), a)).toBe(a);
    expect(diff(scratch(), scratch()).isScratch).toBe(true);
    const m = merge([a, scratch().mkfile('/x', 'x')]);
    expect(ops(m).some((o) => o.op?.type === 'merge')).toBe(true);
    expect(m.getDir()).toBe('/');
  });
});

describe('decode and encode', () => {
  it('round-trips every op and the whole definition', () => {
    const st = merge([
      image('alpine:3.18', { resolveMode: 'pull', customName: 'base' })
        .run(['sh', '-c', 'x'], {
          mounts: [{ type: 'cache', dest: '/c', id: 'c', sharing: 'locked' }],
          secrets: [{ env: 'T' }],
          proxyEnv: { httpProxy: 'http://p' },
          ulimits: [{ name: 'nofile', soft: -1, hard: -1 }],
          progressGroup: { id: 'g', name: 'G' },
          exportCache: false,
        })
        .root(),
      diff(image('busybox'), scratch().file(mkfile('/t', 'x', { timestamp: new Date(-1) }))),
      http('https://example.com/a', { checksum: `sha256:${'a'.repeat(64)}` }),
      git('https://example.com/r.git', 'main', { subdir: 'docs' }),
    ]);
    const d = def(st, { constraints: ['labels.x==y'], ignoreCache: true });
    const bytes = d.toBytes();
    const decoded = decodeDefinition(bytes);
    expect(decoded.ops.map((o) => o.digest)).toEqual([...d.digests]);
    for (const o of decoded.ops) expect(hex(encodeOp(o.op))).toBe(hex(o.bytes));
    expect(hex(encodeDefinition(decoded))).toBe(hex(bytes));
    expect(hex(encodeDefinition(d.toPb()))).toBe(hex(bytes));
    expect(decodeOp(d.ops[0] as Uint8Array)).toEqual(decoded.ops[0]?.op);
    expect(decoded.ops.at(-1)?.kind).toBe('terminal');
    expect(decoded.head).toEqual(d.head);
  });

  it('rejects bytes that are not a definition', () => {
    argError(() => decodeDefinition(new Uint8Array([0x0a, 0x05, 0x01])), /not a valid pb\.Definition/);
    argError(() => decodeOp(new Uint8Array([0xff])), /not a valid pb\.Op/);
  });
});

describe('dumpLLB', () => {
  it('renders ops the way buildctl debug dump-llb does', () => {
    const st = image('alpine:3.18').run('echo <hi> & bye', { description: { '10': 'x', '9': 'y' } }).root();
    const dump = dumpLLB(def(st));
    expect(dump).toHaveLength(3);
    expect(Object.keys(dump[0] as object)).toEqual(['Op', 'Digest', 'OpMetadata']);
    expect(dump[0]?.Op).toEqual({
      Op: { source: { identifier: 'docker-image://docker.io/library/alpine:3.18' } },
      platform: { Architecture: 'amd64', OS: 'linux' },
      constraints: {},
    });
    expect(dump[2]?.Op).toEqual({ inputs: [{ digest: dump[1]?.Digest, index: 0 }], Op: null });
    expect(dump[1]?.OpMetadata).toMatchObject({ caps: { 'exec.meta.base': true, 'exec.mount.bind': true } });
    const lines = formatDumpLLB(dump).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    // Go escapes <, > and & and sorts map keys by bytes ("10" before "9").
    expect(lines[1]).toContain('"args":["echo","\\u003chi\\u003e","\\u0026","bye"]');
    expect(lines[1]).toContain('"description":{"10":"x","9":"y"}');
    expect(JSON.parse(lines[1] as string)).toMatchObject({ Digest: dump[1]?.Digest });
  });
});

describe('daemon caps', () => {
  const opts = { caps: CAPS_BUILDKIT_V0_8, daemon: DAEMON };

  it('rewrites a merge as copies for daemons without mergeop', () => {
    const a = image('alpine:3.18');
    const b = scratch().mkfile('/b', 'b');
    const c = scratch().mkfile('/c', 'c');
    const decoded = decodeDefinition(def(merge([a, b, c]), opts));
    expect(decoded.ops.some((o) => o.kind === 'merge')).toBe(false);
    const file = decoded.ops.at(-2);
    expect(file?.kind).toBe('file');
    const body = file?.op.op;
    if (body?.type !== 'file') throw new Error('expected a file op');
    expect(body.file.actions.map((x) => [x.input, x.secondaryInput, x.output])).toEqual([
      [0, 1, -1],
      [3, 2, 0],
    ]);
    const first = body.file.actions[0]?.action;
    expect(first?.type === 'copy' && first.copy).toMatchObject({ src: '/', dest: '/', dirCopyContents: true, mode: -1 });
    expect(file?.op.inputs.map((i) => i.digest)).toEqual([
      def(a).digest(),
      def(b).digest(),
      def(c).digest(),
    ]);
    // With mergeop available the merge stays.
    expect(decodeDefinition(def(merge([a, b, c]), { caps: ALL_CAPS })).ops.some((o) => o.kind === 'merge')).toBe(true);
  });

  it('fails with an unsupported error naming the cap, the op and the daemon', () => {
    const cases: [State, string, RegExp][] = [
      [diff(image('alpine'), image('busybox')), Cap.diffOp, /diff op "diff"/],
      [image('alpine').run('true', { ulimits: [{ name: 'nofile', soft: 1, hard: 2 }] }).root(), Cap.execMetaUlimit, /exec op "true"/],
      [image('alpine').run('true', { secrets: [{ env: 'T' }] }).root(), Cap.execSecretEnv, /exec op "true"/],
      [image('alpine').run('true', { cgroupParent: '/x' }).root(), 'exec.meta.cgroup.parent', /exec op "true"/],
      [image('alpine').run('true', { mounts: [{ type: 'tmpfs', dest: '/t', size: 1 }] }).root(), Cap.execMountTmpfsSize, /exec/],
      [scratch().copy(local('ctx'), '/', '/', { include: ['*.py'] }), Cap.fileCopyIncludeExcludePatterns, /file op "copy \/ -> \/"/],
      [image('alpine', { layerLimit: 1 }), Cap.sourceImageLayerLimit, /docker-image:\/\/docker\.io\/library\/alpine:latest/],
      [local('ctx', { differ: 'none', differRequired: true }), Cap.sourceLocalDiffer, /local:\/\/ctx/],
      [git('https://example.com/r.git', 'main', { subdir: 'x' }), Cap.sourceGitSubdir, /git:\/\//],
    ];
    for (const [st, cap, op] of cases) {
      let caught: unknown;
      try {
        def(st, opts);
      } catch (err) {
        caught = err;
      }
      expect(caught, cap).toBeInstanceOf(KilnError);
      const err = caught as KilnError;
      expect(err.code).toBe('unsupported');
      expect(err.message).toContain(`"${cap}"`);
      expect(err.message).toMatch(op);
      expect(err.message).toContain(DAEMON);
      expect(err.details).toMatchObject({ cap, daemon: DAEMON });
    }
  });

  it("asks BuildKit v0.8 for the remote's HEAD where no ref names the default branch (it would check out master); newer daemons get the definition unchanged", () => {
    const identifiers = (st: State, caps?: Parameters<typeof def>[1]): string[] =>
      decodeDefinition(def(st, caps)).ops.flatMap((o) => (o.op.op?.type === 'source' ? [o.op.op.source.identifier] : []));
    const defaultBranch = git('https://example.com/r.git');
    expect(identifiers(defaultBranch, opts)).toEqual(['git://example.com/r.git#HEAD']);
    // Daemons that resolve the default branch themselves (v0.9+: source.git.subdir), and unknown caps: as written.
    expect(identifiers(defaultBranch, { caps: ALL_CAPS })).toEqual(['git://example.com/r.git']);
    expect(identifiers(defaultBranch, { caps: [] })).toEqual(['git://example.com/r.git']);
    expect(identifiers(defaultBranch)).toEqual(['git://example.com/r.git']);
    expect(def(defaultBranch, { caps: ALL_CAPS }).digest()).toBe(def(defaultBranch).digest());
    // A ref, a commit, an ssh remote with a ref: as written on v0.8 too; the attributes do not change.
    expect(identifiers(git('https://example.com/r.git', 'main'), opts)).toEqual(['git://example.com/r.git#main']);
    expect(identifiers(git('git@github.com:org/r.git', 'v1'), opts)).toEqual(['git://github.com/org/r.git#v1']);
    expect(identifiers(scratch().copy(git('git@github.com:org/r.git', '', { keepGitDir: true }), '/', '/src'), opts)).toEqual(['git://github.com/org/r.git#HEAD']);
    const v08 = decodeDefinition(def(defaultBranch, opts)).ops[0]?.op.op;
    const modern = decodeDefinition(def(defaultBranch, { caps: ALL_CAPS })).ops[0]?.op.op;
    expect(v08?.type === 'source' && Object.fromEntries(v08.source.attrs)).toEqual(modern?.type === 'source' && Object.fromEntries(modern.source.attrs));
  });

  it('uses the custom name in the error when there is one', () => {
    const st = diff(image('alpine'), image('busybox'), { customName: 'extract layer' });
    expect(() => def(st, opts)).toThrow(/diff op "extract layer" needs LLB capability "diffop" \(BuildKit v0\.10\+\)/);
  });

  it('adds a default PATH only for daemons that do not set one, and records the cap otherwise', () => {
    const st = image('alpine').run('true').root();
    const without = execBody(st);
    expect(without.meta?.env).toEqual([]);
    const noPathCap = new Set([...ALL_CAPS].filter((c) => c !== Cap.execMetaSetsDefaultPath));
    const lacking = decodeDefinition(def(st, { caps: noPathCap }));
    const exec = lacking.ops.find((o) => o.kind === 'exec');
    expect(exec?.op.op?.type === 'exec' && exec.op.op.exec.meta?.env).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
    expect(exec?.metadata?.caps.has(Cap.execMetaSetsDefaultPath)).toBe(false);
    const having = decodeDefinition(def(st, opts)).ops.find((o) => o.kind === 'exec');
    expect(having?.metadata?.caps.get(Cap.execMetaSetsDefaultPath)).toBe(true);
    // A PATH the user set is kept.
    const withPath = image('alpine').addEnv('PATH', '/bin').run('true').root();
    const own = decodeDefinition(def(withPath, { caps: noPathCap })).ops.find((o) => o.kind === 'exec');
    expect(own?.op.op?.type === 'exec' && own.op.op.exec.meta?.env).toEqual(['PATH=/bin']);
  });

  it('accepts caps as a set, a record or a list', () => {
    const st = diff(image('alpine'), image('busybox'));
    expect(() => def(st, { caps: [...CAPS_BUILDKIT_V0_8] })).toThrow(/diffop/);
    expect(() => def(st, { caps: Object.fromEntries([...CAPS_BUILDKIT_V0_8].map((c) => [c, true])) })).toThrow(/diffop/);
    expect(() => def(st, { caps: { ...Object.fromEntries([...ALL_CAPS].map((c) => [c, true])), diffop: false } })).toThrow(
      /diffop/,
    );
    expect(def(st, { caps: ALL_CAPS }).ops.length).toBe(4);
  });
});

describe('image references', () => {
  it('normalises like Docker', () => {
    const n = (r: string): string => parseImageRef(r).normalized;
    expect(n('alpine')).toBe('docker.io/library/alpine:latest');
    expect(n('user/app')).toBe('docker.io/user/app:latest');
    expect(n('index.docker.io/user/app:1')).toBe('docker.io/user/app:1');
    expect(n('localhost/app')).toBe('localhost/app:latest');
    expect(n('localhost:5000/a/b:c')).toBe('localhost:5000/a/b:c');
    expect(n('Registry.Example.com/x')).toBe('Registry.Example.com/x:latest');
    expect(n(`alpine@sha256:${'a'.repeat(64)}`)).toBe(`docker.io/library/alpine@sha256:${'a'.repeat(64)}`);
    expect(n(`alpine:3@sha256:${'a'.repeat(64)}`)).toBe(`docker.io/library/alpine:3@sha256:${'a'.repeat(64)}`);
    expect(parseImageRef('ghcr.io/org/img:1.0')).toMatchObject({ domain: 'ghcr.io', path: 'org/img', tag: '1.0' });
  });
});

describe('git sources', () => {
  function gitSource(st: State): { identifier: string; attrs: Record<string, string> } {
    const body = ops(st)[0]?.op;
    if (body?.type !== 'source') throw new Error('not a source');
    return { identifier: body.source.identifier, attrs: Object.fromEntries(body.source.attrs) };
  }

  it('derives the identifier and full URL like BuildKit', () => {
    expect(gitSource(git('ssh://git@github.com/org/repo.git', 'v1'))).toMatchObject({
      identifier: 'git://github.com/org/repo.git#v1',
      attrs: { 'git.fullurl': 'ssh://git@github.com/org/repo.git', 'git.mountsshsock': 'default' },
    });
    expect(gitSource(git('github.com/org/repo', ''))).toMatchObject({
      identifier: 'git://github.com/org/repo',
      attrs: { 'git.fullurl': 'https://github.com/org/repo' },
    });
    expect(gitSource(git('git://example.com/r.git', 'main', { subdir: 'sub/dir' }))).toMatchObject({
      identifier: 'git://example.com/r.git#main:sub/dir',
      attrs: { 'git.fullurl': 'git://example.com/r.git' },
    });
    const ssh = gitSource(git('deploy@host.example:team/r.git', 'main', { knownSshHosts: ['host ssh-ed25519 A\n', 'host ssh-rsa B'], mountSshSock: 'deploy' }));
    expect(ssh.identifier).toBe('git://host.example/team/r.git#main');
    expect(ssh.attrs['git.knownsshhosts']).toBe('host ssh-ed25519 A\nhost ssh-rsa B\n');
    expect(ssh.attrs['git.mountsshsock']).toBe('deploy');
  });
});

describe('platforms', () => {
  it('normalises like containerd', () => {
    expect(normalizePlatform('linux/aarch64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(normalizePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(normalizePlatform('linux/armhf')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(normalizePlatform('Linux/x86_64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(normalizePlatform({ os: 'linux', architecture: 'arm' })).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });
});

describe('argument errors', () => {
  it('rejects invalid image references', () => {
    argError(() => image('Alpine'), /invalid image reference "Alpine": repository name must be lowercase/);
    argError(() => image(''), /invalid image reference "": it is empty/);
    argError(() => image('alpine:bad tag'), /invalid image reference "alpine:bad tag"/);
    argError(() => image('a'.repeat(64)), /bare 64-character hex id/);
    argError(() => image('alpine@sha256:abc'), /invalid image reference/);
    argError(() => image(`alpine@md5:${'a'.repeat(32)}`), /unsupported digest algorithm "md5"/);
    argError(() => image(`alpine@sha256:${'A'.repeat(64)}`), /64 lowercase hex/);
    argError(() => image('alpine', { resolveMode: 'always' as 'pull' }), /image resolveMode must be one of "default", "pull", "local", got "always"/);
    argError(() => image('alpine', { layerLimit: 0 }), /image layerLimit must be an integer from 1/);
    argError(() => image('alpine', { platform: 'linux' }), /platform "linux" must look like "linux\/amd64"/);
  });

  it('rejects bad run arguments', () => {
    const st = image('alpine');
    argError(() => st.run([]), /run args must not be empty/);
    argError(() => st.run('   '), /run args must not be empty \("   " has no words\)/);
    argError(() => st.run({}), /run needs a command/);
    argError(() => st.run(`echo 'open`), /cannot be split into words: a single quote/);
    argError(() => st.run(['a', 1 as unknown as string]), /run args\[1\] must be a string/);
    argError(() => st.run(['a\0b']), /run args\[0\] must not contain a NUL/);
    argError(() => st.run('x', { env: { 'A=B': '1' } }), /run env name "A=B" must not contain "="/);
    argError(() => st.run('x', { env: { '': '1' } }), /run env name must not be empty/);
    argError(() => st.run('x', { env: { 'A\0': '1' } }), /run env name must not contain a NUL/);
    argError(() => st.run('x', { network: 'bridge' as 'host' }), /run network must be one of "sandbox", "host", "none", got "bridge"/);
    argError(() => st.run('x', { security: 'privileged' as 'insecure' }), /run security must be one of/);
    argError(() => st.run('x', { args: ['y'] } as object), /args twice/);
    argError(() => st.run('x', { extraHosts: [{ host: 'h', ip: '999.1.1.1' }] }), /run extraHosts\[0\]\.ip "999\.1\.1\.1" is not an IPv4 or IPv6/);
    argError(() => st.run('x', { ulimits: [{ name: 'files' as 'nofile', soft: 1, hard: 1 }] }), /run ulimits\[0\]\.name must be one of/);
    argError(() => st.run('x', { ulimits: [{ name: 'nofile', soft: 5, hard: 1 }] }), /soft limit \(5\) must not exceed the hard limit \(1\)/);
    argError(() => st.run('x', { ulimits: [{ name: 'nofile', soft: -2, hard: 1 }] }), /run ulimits\[0\]\.soft must be an integer from -1/);
  });

  it('rejects bad mounts, secrets and ssh sockets', () => {
    const st = image('alpine');
    argError(() => st.run('x', { mounts: [{ type: 'bind', dest: 'out', source: scratch() }] }), /run mounts\[0\]\.dest must be an absolute path, got "out"; write it as "\/out"/);
    argError(() => st.run('x', { mounts: [{ type: 'bind', dest: '/', source: scratch() }] }), /"\/" is the root filesystem/);
    argError(
      () =>
        st.run('x', {
          mounts: [
            { type: 'tmpfs', dest: '/t' },
            { type: 'tmpfs', dest: '/t/' },
          ],
        }),
      /run mounts\[1\]\.dest "\/t" is used by another mount/,
    );
    argError(() => st.run('x', { mounts: [{ type: 'volume', dest: '/v' } as never] }), /run mounts\[0\]\.type must be one of "bind", "cache", "tmpfs", got "volume"/);
    argError(() => st.run('x', { mounts: [{ type: 'bind', dest: '/v' } as never] }), /run mounts\[0\]\.source is required/);
    argError(() => st.run('x', { mounts: [{ type: 'bind', dest: '/v', source: 'alpine' as never }] }), /run mounts\[0\]\.source must be a State/);
    argError(() => st.run('x', { mounts: [{ type: 'cache', dest: '/c', id: '' }] }), /run mounts\[0\]\.id must not be empty/);
    argError(() => st.run('x', { mounts: [{ type: 'cache', dest: '/c', id: 'c', sharing: 'exclusive' as 'locked' }] }), /sharing must be one of "shared", "private", "locked"/);
    argError(() => st.run('x', { mounts: [{ type: 'tmpfs', dest: '/t', size: -1 }] }), /run mounts\[0\]\.size must be an integer from 0/);
    argError(() => st.run('x', { secrets: [{ path: 'relative' }] }), /run secrets\[0\]\.path must be an absolute path/);
    argError(() => st.run('x', { secrets: [{ path: '/s', uid: -1 }] }), /run secrets\[0\]\.uid must not be negative, got -1/);
    argError(() => st.run('x', { secrets: [{ path: '/s', mode: 0o10000 }] }), /run secrets\[0\]\.mode must be a file mode from 0 to 0o7777/);
    argError(() => st.run('x', { secrets: [{ env: 'A=B' }] }), /run secrets\[0\]\.env "A=B" must not contain "="/);
    argError(() => st.run('x', { secrets: [{}] as never }), /run secrets\[0\] needs a path/);
    argError(() => st.run('x', { ssh: [{ target: 'sock' }] }), /run ssh\[0\]\.target must be an absolute path/);
    argError(() => st.run('x', { ssh: [{ gid: -5 }] }), /run ssh\[0\]\.gid must not be negative/);
  });

  it('rejects bad file actions', () => {
    argError(() => mkdir(''), /mkdir path must not be empty/);
    argError(() => mkdir('/a', { mode: -1 }), /mkdir mode must be a file mode from 0 to 0o7777/);
    argError(() => mkdir('/a', { mode: 0o10000 }), /mkdir mode must be a file mode from 0 to 0o7777 \(e\.g\. 0o644\), got 0o10000/);
    argError(() => mkdir('/a', { mode: 0o1777 }), /mkdir mode 0o1777 sets setuid\/setgid\/sticky bits.*chmod/);
    argError(() => mkfile('/a', 42 as unknown as string), /mkfile data must be a string or a Uint8Array/);
    argError(() => mkfile('/a', '', { owner: { uid: -1 } }), /mkfile owner\.uid must not be negative/);
    argError(() => mkfile('/a', '', { owner: 'app:' }), /mkfile owner group must not be empty/);
    argError(() => mkfile('/a', '', { owner: '-3' }), /mkfile owner -3 must not be negative/);
    argError(() => mkfile('/a', '', { timestamp: 5 as unknown as bigint }), /mkfile timestamp must be a Date or a bigint/);
    argError(() => mkfile('/a', '', { timestamp: new Date(Number.NaN) }), /mkfile timestamp is an invalid Date/);
    argError(() => rm('/a', { allowWildcard: 'yes' as unknown as boolean }), /rm allowWildcard must be true or false/);
    argError(() => copy('x' as never, '/a', '/b'), /copy source must be a State/);
    argError(() => copy(scratch(), '/a', '/b', { include: '*.py' as never }), /copy include must be an array of strings/);
    argError(() => copy(scratch(), '/a', '/b', { mode: 0o4755 }), /copy mode 0o4755 sets setuid/);
    argError(() => mkdir('/a').mkfile('', 'x'), /mkfile path must not be empty/);
    argError(() => scratch().file('mkdir /a' as never), /file actions must be built with mkdir\(\)/);
    argError(() => scratch().mkdir('/a', { owner: { user: 'x', lookupIn: 1 as never } }), /mkdir owner\.lookupIn must be a State/);
  });

  it('rejects bad sources', () => {
    argError(() => local(''), /local name must not be empty/);
    argError(() => local('ctx', { include: 'src' as never }), /local include must be an array of strings/);
    argError(() => local('ctx', { differ: 'content' as 'none' }), /local differ must be one of "none", "metadata"/);
    argError(() => local('ctx', { differRequired: true }), /differRequired needs differ/);
    argError(() => git(''), /git remote must not be empty/);
    argError(() => git('https://github.com/a/b.git#main'), /must not contain "#"; pass the ref as the second argument/);
    argError(() => git('https://github.com/a/b.git', 'a b'), /git ref "a b" must not contain whitespace/);
    argError(() => git('https://github.com/a/b.git', 'main', { mountSshSock: 'x' }), /only apply to ssh remotes/);
    argError(() => http('ftp://example.com/x'), /http url "ftp:\/\/example\.com\/x" must be an absolute http/);
    argError(() => http('https://example.com/x', { checksum: 'sha256:abc' }), /http checksum "sha256:abc" must be a digest such as "sha256:"/);
    argError(() => http('https://example.com/x', { checksum: `md5:${'a'.repeat(32)}` }), /http checksum/);
    argError(() => http('https://example.com/x', { mode: 0o1000 }), /http mode 0o1000 sets setuid/);
    argError(() => http('https://example.com/x', { uid: -1 }), /http uid must not be negative/);
    argError(() => http('https://example.com/x', { filename: 'a/b' }), /http filename "a\/b" must be a plain file name/);
    argError(() => source('alpine'), /source identifier "alpine" must look like "scheme:\/\/…"/);
  });

  it('rejects bad state settings and op options', () => {
    const st = scratch();
    argError(() => st.addEnv('A=B', 'x'), /addEnv key "A=B" must not contain "="/);
    argError(() => st.addEnv('', 'x'), /addEnv key must not be empty/);
    argError(() => st.addEnv('A', 'x\0'), /addEnv value of A must not contain a NUL/);
    argError(() => st.withEnv({ 'B\0': 'x' }), /withEnv vars name must not contain a NUL/);
    argError(() => st.withEnv([['A']] as never), /withEnv vars\[0\] must be a \[name, value\] pair/);
    argError(() => st.dir(''), /dir path must not be empty; pass "\/" for the root/);
    argError(() => st.user(''), /user must not be empty/);
    argError(() => st.platform('linux/amd 64'), /platform architecture must be a word/);
    argError(() => st.mkdir('/a', { customName: 5 as unknown as string }), /options\.customName must be a string/);
    argError(() => st.mkdir('/a', { constraints: 'x' as never }), /options\.constraints must be an array of strings/);
    argError(() => st.mkdir('/a', { exportCache: 'no' as unknown as boolean }), /options\.exportCache must be true or false/);
    argError(() => merge('a' as never), /merge takes an array of states/);
    argError(() => merge([scratch(), 3 as never]), /merge states\[1\] must be a State/);
    argError(() => diff(scratch(), {} as never), /diff upper must be a State/);
  });

  it('rejects bad marshal options and unknown mounts', () => {
    const st = image('alpine');
    argError(() => marshal(st, { platform: 'windows' }), /marshal platform "windows" must look like/);
    argError(() => marshal(st, { caps: 'all' as never }), /marshal caps must be a Set/);
    argError(() => marshal(st, { daemon: '' }), /marshal daemon must not be empty/);
    argError(() => st.marshal({ ignoreCache: 1 as unknown as boolean }), /marshal ignoreCache must be true or false/);
    argError(() => marshal({} as State), /marshal needs a State/);
    const run = st.run('x', { mounts: [{ type: 'cache', dest: '/c', id: 'c' }, { type: 'tmpfs', dest: '/t' }] });
    argError(() => run.mount('/nope'), /this run has no mount at "\/nope"; its mounts are "\/", "\/c", "\/t"/);
    argError(() => run.mount('/c'), /the mount at "\/c" is a cache mount, which has no result/);
    argError(() => run.mount('/t'), /the mount at "\/t" is a tmpfs mount/);
    argError(() => splitShellWords('a\\'), /cannot be split into words: it ends with a backslash/);
    argError(() => normalizePlatform({ os: 'linux' } as never), /platform architecture must be a word/);
    argError(() => parseImageRef('UPPER'), /repository name must be lowercase \(try "upper"\)/);
    // The suggestion lowercases the repository only (tags keep their case), and is left out when still invalid.
    argError(() => parseImageRef('ghcr.io/Org/App:V1'), /must be lowercase \(try "ghcr\.io\/org\/app:V1"\)$/);
    // Spaces are the problem there, not case: no lowercase suggestion ("not a ref" is no reference either).
    argError(() => parseImageRef('Not A Ref'), /invalid image reference "Not A Ref": it contains spaces; a reference is \[registry\/\]name\[:tag\]\[@sha256:<hex>\] with no spaces, such as "python:3\.11-slim"/);
    argError(() => parseImageRef('FOO-'), /must be lowercase, and the reference is not valid in lowercase either/);
  });

  it('every reference an error suggests ("try …", "write …") is itself valid', () => {
    const bad = [
      'Not A Ref', 'Not_A_Ref', 'UPPER', 'Ubuntu:22.04', 'MyOrg/App', 'ghcr.io/Org/App:V1', 'Docker.io/Library/Alpine', 'docker.io/Foo',
      'index.docker.io/Foo/Bar:1', 'localhost/Foo', 'localhost:5000/Team/App:Dev', 'FOO-', 'Foo__', ' alpine', 'alpine ', ' ALPINE ',
      ' alpine: ', '\talpine', 'alpine:3.18\n', ' My App ', 'Foo@sha256:abc', 'A/b c', 'x:', 'a//b', ':tag', 'Foo:Bar:Baz',
    ];
    for (const ref of bad) {
      let message = '';
      try {
        parseImageRef(ref);
      } catch (err) {
        expect(KilnError.is(err, 'invalid_argument'), ref).toBe(true);
        message = (err as KilnError).message;
      }
      expect(message, ref).not.toBe('');
      const suggested = /\((?:try|did you mean) ("[^"]*")\)|; write ("[^"]*")$/.exec(message);
      if (suggested === null) continue;
      const suggestion = JSON.parse(suggested[1] ?? suggested[2] ?? '""') as string;
      expect(() => parseImageRef(suggestion), `${ref} → ${suggestion}`).not.toThrow();
    }
    expect(() => parseImageRef('Docker.io/Library/Alpine')).toThrow(/\(try "docker\.io\/library\/alpine"\)$/);
    expect(() => parseImageRef(' alpine:3.18')).toThrow(/it has spaces around it \(Docker refuses it too\); write "alpine:3\.18"$/);
    // Trimmed but still invalid: no suggestion.
    expect(() => parseImageRef(' ALPINE ')).toThrow(/: it contains spaces; a reference is/);
    expect(() => parseImageRef('alpine\t')).toThrow(/: it has whitespace around it \(Docker refuses it too\); write "alpine"$/);
    expect(() => parseImageRef('al\tpine')).toThrow(/: it contains whitespace; a reference is .* with no whitespace/);
  });
});

describe('constructors', () => {
  it('new State, new FileActions, new Definition from plain JavaScript are invalid_argument KilnErrors naming the builder to use, not TypeErrors', async () => {
    const llb = await import('../../src/llb/index.js');
    // What a JavaScript caller (no type checks) can write.
    const construct = (C: unknown): unknown => {
      try {
        return new (C as new () => unknown)();
      } catch (err) {
        return err;
      }
    };
    const cases: readonly (readonly [unknown, string])[] = [
      [llb.State, 'State is created by image(), local(), scratch() and friends, not with new'],
      [llb.FileActions, 'FileActions are created with mkdir(), mkfile(), rm() or copy(), not with new'],
      [llb.Definition, 'Definitions are created by marshal(), not with new'],
    ];
    for (const [C, message] of cases) {
      const err = construct(C);
      expect(KilnError.is(err, 'invalid_argument'), String(err)).toBe(true);
      expect((err as KilnError).message).toBe(message);
    }
  });
});
