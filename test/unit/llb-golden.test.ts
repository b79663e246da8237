// Rebuilds every BuildKit v0.11.6 golden vector (../shared/llb-golden) with kiln's LLB API and checks
// the marshalled bytes: each op, each digest, the metadata, the def order and the whole definition.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ALL_CAPS,
  type Definition,
  type DumpValue,
  LINUX_ARMHF,
  type MarshalOptions,
  type OpMetadata,
  type State,
  copy,
  diff,
  dumpLLB,
  git,
  http,
  image,
  local,
  marshal,
  merge,
  mkdir,
  mkfile,
  scratch,
  source,
} from '../../src/llb/index.js';

interface GoldenMetadata {
  ignore_cache: boolean;
  description: Record<string, string>;
  export_cache: { value: boolean } | null;
  caps: Record<string, boolean>;
  progress_group: { id: string; name: string; weak: boolean } | null;
}

interface GoldenCase {
  case: string;
  description: string;
  marshal_call: string;
  ops: { digest: string; kind: string; hex: string; decoded: unknown }[];
  metadata: Record<string, GoldenMetadata>;
  definition_hex: string;
  definition_sha256: string;
}

const goldenDir = new URL('../../../shared/llb-golden/', import.meta.url);
const goldenFiles = readdirSync(fileURLToPath(goldenDir))
  .filter((f) => /^\d\d-.*\.json$/.test(f))
  .sort();

function loadCase(file: string): GoldenCase {
  return JSON.parse(readFileSync(new URL(file, goldenDir), 'utf8')) as GoldenCase;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const DIGEST = 'sha256:c5c5fda71656f28e49ac9c5416b3643eaa6a108a8093151d6d1afc9463be8e33';
const T1700 = new Date(1_700_000_000_000);

/** The execs of cases 13 and 14 (identical). */
function mountsExec() {
  return image('python:3.11-slim').run(`sh -c 'cp -r /src/. /out/'`, {
    mounts: [
      { type: 'bind', dest: '/src', source: image('alpine:3.18'), readonly: true, sourcePath: '/sub' },
      { type: 'bind', dest: '/out', source: scratch() },
      { type: 'cache', dest: '/root/.cache/pip', id: 'pip-cache', sharing: 'locked' },
      { type: 'cache', dest: '/var/cache/apt', id: 'apt-cache', sharing: 'shared' },
      { type: 'cache', dest: '/cache/private', id: 'priv-cache', sharing: 'private' },
      { type: 'tmpfs', dest: '/tmp', size: 67108864 },
    ],
    secrets: [
      { path: '/run/secrets/token', id: 'tok', uid: 0, gid: 0, mode: 0o400 },
      { path: '/run/secrets/optional', optional: true },
      { env: 'HF_TOKEN', id: 'hf' },
    ],
    ssh: [{ id: 'default' }],
  });
}

const mapKeys: Record<string, string> = {
  '10': 'ten',
  '9': 'nine',
  '2': 'two',
  B: 'upper-b',
  a: 'lower-a',
  _: 'underscore',
  Z: 'upper-z',
  'a.b': 'dotted',
  aB: 'camel',
  'é': 'e-acute',
  'Ａ': 'fullwidth-A',
  '😀': 'emoji',
  'empty-value': '',
};

/** Each case rebuilt from its description: the final state plus the marshal options. */
const builders: Record<string, () => { state: State; options?: MarshalOptions }> = {
  '01-image-basic': () => ({ state: image('alpine:3.18') }),
  '02-image-digest-prefer-local': () => ({ state: image(`alpine@${DIGEST}`, { resolveMode: 'local' }) }),
  '03-image-force-pull': () => ({ state: image('ubuntu:22.04', { resolveMode: 'pull' }) }),
  '04-image-ref-normalisation': () => ({
    state: merge([
      image('nvidia/cuda:12.2.0-runtime-ubuntu22.04'),
      image('ghcr.io/org/img'),
      image('localhost:5000/team/base:1.0', { recordType: 'internal' }),
      image(`python:3.11-slim@${DIGEST}`, { layerLimit: 3 }),
    ]),
  }),
  '05-local-full': () => ({
    state: local('context', {
      sharedKeyHint: 'ctx-hint',
      include: ['src/**', 'requirements.txt'],
      exclude: ['**/__pycache__', '*.pyc'],
      followPaths: ['src', 'requirements.txt'],
      uniqueId: 'u1',
    }),
  }),
  '06-local-session-differ': () => ({
    state: local('context', { sessionId: 's1', differ: 'none', differRequired: true, uniqueId: 'u1' }),
  }),
  '07-git-https': () => ({ state: git('https://github.com/moby/buildkit.git', 'v0.11.6', { keepGitDir: true }) }),
  '08-git-ssh': () => ({
    state: git('git@github.com:org/repo.git', 'main', {
      knownSshHosts: 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
    }),
  }),
  '09-git-auth-secrets': () => ({
    state: git('https://github.com/org/private.git', '', { authTokenSecret: 'GH_TOKEN', authHeaderSecret: 'GH_AUTH_HEADER' }),
  }),
  '10-http': () => ({
    state: http('https://example.com/pkg/tool-1.0.tar.gz', {
      checksum: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      filename: 'tool.tar.gz',
      mode: 0o644,
      uid: 1000,
      gid: 1000,
    }),
  }),
  '11-exec-basic': () => ({
    state: image('alpine:3.18')
      .run(`sh -c 'echo hi'`, {
        env: [
          ['A', '1'],
          ['PATH', '/opt/venv/bin:/usr/local/bin:/usr/bin:/bin'],
        ],
        cwd: '/work',
        user: '1000:1000',
        network: 'none',
      })
      .root(),
  }),
  '12-exec-host-insecure': () => ({
    state: image('alpine:3.18').run('ip addr', { network: 'host', security: 'insecure' }).root(),
  }),
  '13-exec-mounts-root': () => ({ state: mountsExec().root() }),
  '14-exec-mounts-out': () => ({ state: mountsExec().mount('/out') }),
  '15-exec-hosts-ulimit-cgroup-ignorecache': () => ({
    state: image('alpine:3.18')
      .run('cat /etc/hosts', {
        extraHosts: [
          { host: 'registry.local', ip: '10.0.0.5' },
          { host: 'ip6host', ip: 'fd00::1' },
        ],
        hostname: 'builder',
        ulimits: [
          { name: 'nofile', soft: 1024, hard: 4096 },
          { name: 'memlock', soft: -1, hard: -1 },
        ],
        cgroupParent: '/buildkit/golden',
        ignoreCache: true,
      })
      .root(),
  }),
  '16-exec-readonly-rootfs-proxy': () => ({
    state: image('alpine:3.18')
      .run('wget -O /out/index.html http://example.com', {
        readonlyRootfs: true,
        proxyEnv: {
          httpProxy: 'http://proxy:3128',
          httpsProxy: 'http://proxy:3128',
          ftpProxy: '',
          noProxy: 'localhost,127.0.0.1',
          allProxy: 'socks5://proxy:1080',
        },
        mounts: [{ type: 'bind', dest: '/out', source: scratch() }],
      })
      .mount('/out'),
  }),
  '17-exec-multi-output': () => {
    const run = image('alpine:3.18').run(`sh -c 'echo a > /a/x; echo b > /b/y'`, {
      mounts: [
        { type: 'bind', dest: '/a', source: scratch() },
        { type: 'bind', dest: '/b', source: image('busybox:1.36') },
        { type: 'bind', dest: '/c', source: scratch(), noOutput: true },
      ],
    });
    return { state: merge([run.root(), run.mount('/a'), run.mount('/b')]) };
  },
  '18-file-mkdir-mkfile-rm': () => ({
    state: image('alpine:3.18')
      .dir('/app')
      .file(
        mkdir('/app/data', { mode: 0o755, parents: true, owner: { uid: 1000, gid: 1000 }, timestamp: T1700 })
          .mkdir('logs', { mode: 0o750, owner: 'app:staff' })
          .mkfile('data/hello.txt', 'hello world\n', { mode: 0o644, owner: 'app' })
          .rm('/app/tmp*', { allowNotFound: true, allowWildcard: true }),
      ),
  }),
  '19-file-copy-all-flags': () => {
    const ctx = local('context', { uniqueId: 'u1' });
    const st1 = image('python:3.11-slim').file(
      copy(ctx, '/src', '/app/', {
        mode: 0o755,
        followSymlinks: true,
        copyDirContentsOnly: true,
        attemptUnpack: true,
        createDestPath: true,
        allowWildcard: true,
        allowEmptyWildcard: true,
        owner: { uid: 1000, gid: 1000 },
        timestamp: T1700,
        include: ['*.py', 'requirements.txt'],
        exclude: ['__pycache__', '*.pyc'],
      }),
    );
    return { state: st1.file(copy(ctx, 'requirements.txt', '/app/requirements.txt')) };
  },
  '20-merge': () => {
    const ctx = local('context', { uniqueId: 'u1' });
    const a = scratch().file(copy(ctx, '/a', '/a'));
    const b = scratch().file(copy(ctx, '/b', '/b'));
    return { state: merge([image('alpine:3.18'), a, b]) };
  },
  '21-diff': () => {
    const base = image('alpine:3.18');
    return { state: diff(base, base.run('apk add --no-cache curl').root()) };
  },
  '22-diff-upper-scratch': () => ({ state: diff(image('alpine:3.18'), scratch()) }),
  '23-metadata': () => {
    const img = image('python:3.11-slim', { customName: 'base image' });
    const run = img.run('pip install numpy', {
      customName: '[1/3] pip install',
      progressGroup: { id: 'pg-deps', name: 'Install dependencies', weak: false },
      exportCache: true,
    });
    const file = run.root().file(mkfile('/app/VERSION', '1.0\n', { mode: 0o644 }), {
      customName: '[2/3] write version',
      progressGroup: { id: 'pg-deps', name: 'Install dependencies', weak: true },
      exportCache: false,
      ignoreCache: true,
    });
    const final = file
      .run(`python -c 'import numpy'`, { description: { 'com.example.step': 'verify', 'llb.customname': '[3/3] verify' } })
      .root();
    return { state: final };
  },
  '24-shared-subgraph-deep-chain': () => {
    const base = image('alpine:3.18');
    const shared = base.run(`sh -c 'echo shared > /shared'`).root();
    let chain = shared;
    for (let i = 1; i <= 5; i++) chain = chain.run(`sh -c 'echo step${i} >> /log'`).root();
    const side = shared.run(`sh -c 'echo side > /side'`).root();
    const dup = image('alpine:3.18').run(`sh -c 'echo shared > /shared'`, { customName: 'dup of shared' }).root();
    return { state: merge([chain, side, dup]) };
  },
  '25-platform-arm64': () => ({ state: image('alpine:3.18', { platform: 'linux/arm64' }).run('uname -m').root() }),
  '26-platform-armv7-variant': () => ({
    state: image('python:3.11-slim', { platform: LINUX_ARMHF }).run('python3 --version').root(),
  }),
  '27-image-env-dir-into-exec': () => ({
    state: image('python:3.11-slim')
      .addEnv('PYTHONUNBUFFERED', '1')
      .addEnv('PIP_NO_CACHE_DIR', 'off')
      .addEnv('PYTHONUNBUFFERED', '0')
      .dir('/app')
      .dir('src')
      .user('app')
      .run(['python', '-m', 'pip', 'install', '-r', 'requirements.txt'])
      .root(),
  }),
  '28-map-key-ordering': () => ({
    state: source('docker-image://docker.io/library/alpine:3.18', { attrs: mapKeys })
      .run('true', { description: mapKeys })
      .root(),
  }),
  '29-negative-and-zero-numbers': () => {
    const img = image('alpine:3.18');
    return {
      state: scratch().file(
        copy(img, '/etc/hostname', '/mode-unset')
          .copy(img, '/etc/hostname', '/mode-zero', { mode: 0 })
          .copy(img, '/etc/hostname', '/time-epoch', { timestamp: new Date(0) })
          .mkdir('/time-negative', { mode: 0o700, timestamp: new Date(-1000) })
          .mkdir('/mode-zero-dir', { mode: 0 })
          .mkfile('/root-owned', new Uint8Array(0), { mode: 0o600, owner: 'root:0' })
          .mkdir('/named-on-scratch', { mode: 0o755, owner: 'app' }),
      ),
    };
  },
  '30-scratch-mkfile': () => ({ state: scratch().file(mkfile('/hello.txt', 'hello\n', { mode: 0o644 })) }),
  '31-marshal-withcaps-all': () => ({ state: image('alpine:3.18').run('echo hi').root(), options: { caps: ALL_CAPS } }),
  '32-marshal-withcaps-none': () => ({ state: image('alpine:3.18').run('echo hi').root(), options: { caps: new Set() } }),
  '33-marshal-ignorecache-require': () => ({
    state: image('alpine:3.18').run('echo hi').root(),
    options: { ignoreCache: true, constraints: ['labels.gpu==true'] },
  }),
  '34-scratch-empty': () => ({ state: scratch() }),
};

function metadataAsGolden(m: OpMetadata): GoldenMetadata {
  return {
    ignore_cache: m.ignoreCache,
    description: Object.fromEntries(m.description),
    export_cache: m.exportCache === undefined ? null : { value: m.exportCache.value },
    caps: Object.fromEntries(m.caps),
    progress_group: m.progressGroup === undefined ? null : { ...m.progressGroup },
  };
}

/** Dump values with bigints as numbers (the golden JSON was parsed into numbers). */
function plain(v: DumpValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x as DumpValue)]));
  }
  return v;
}

describe('BuildKit v0.11.6 golden vectors', () => {
  it('has a builder for every golden case', () => {
    expect(goldenFiles.length).toBe(34);
    expect(Object.keys(builders).sort()).toEqual(goldenFiles.map((f) => f.replace(/\.json$/, '')));
  });

  for (const file of goldenFiles) {
    const name = file.replace(/\.json$/, '');
    describe(name, () => {
      const golden = loadCase(file);
      const build = (): Definition => {
        const builder = builders[name];
        if (builder === undefined) throw new Error(`no builder for ${name}`);
        const { state, options } = builder();
        return marshal(state, { platform: 'linux/amd64', ...options });
      };

      it('produces every op with the same bytes and digest', () => {
        const def = build();
        const byDigest = new Map(def.digests.map((d, i) => [d, def.ops[i] as Uint8Array]));
        for (const op of golden.ops) {
          const ours = byDigest.get(op.digest);
          expect(ours === undefined ? `missing ${op.kind} op ${op.digest}` : hex(ours), `${op.kind} ${op.digest}`).toBe(op.hex);
        }
        def.ops.forEach((bytes, i) => {
          expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(def.digests[i]);
        });
      });

      it('emits the ops in the golden def order', () => {
        expect(build().digests).toEqual(golden.ops.map((o) => o.digest));
      });

      it('has the same metadata for every op', () => {
        const def = build();
        const ours = Object.fromEntries([...def.metadata].map(([k, v]) => [k, metadataAsGolden(v)]));
        expect(ours).toEqual(golden.metadata);
      });

      it('encodes the whole definition identically', () => {
        const bytes = build().toBytes();
        expect(hex(bytes)).toBe(golden.definition_hex);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(golden.definition_sha256);
      });

      it('dumps every op like buildctl debug dump-llb', () => {
        const dump = dumpLLB(build());
        expect(dump.map((e) => e.Digest)).toEqual(golden.ops.map((o) => o.digest));
        dump.forEach((e, i) => {
          expect(plain(e.Op)).toEqual(golden.ops[i]?.decoded);
        });
      });
    });
  }
});
