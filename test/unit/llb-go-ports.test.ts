// Small BuildKit Go `client/llb` programs ported to kiln/llb, the way a Go user would port them. Each port's Go
// source is in its comment. Where the graph is (or differs by one reasoned field from) a case of the Go-generated
// golden corpus (../shared/llb-golden, BuildKit v0.11.6), the expected bytes are taken from that corpus: either as is,
// or decoded, changed in the one field the Go source says changes, and encoded again with kiln's (golden-checked)
// encoder. Elsewhere the expectations restate the Go client's rules (mount order, outputs, inputs, caps).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import {
  ALL_CAPS,
  CAPS_BUILDKIT_V0_8,
  type Definition,
  type PbOp,
  copy,
  decodeDefinition,
  decodeOp,
  encodeOp,
  image,
  local,
  marshal,
  mkdir,
  ociLayout,
  scratch,
} from '../../src/llb/index.js';

interface GoldenCase {
  ops: { digest: string; kind: string; hex: string }[];
  metadata: Record<string, { caps: Record<string, boolean> }>;
}

const goldenDir = new URL('../../../shared/llb-golden/', import.meta.url);

function golden(prefix: string): GoldenCase {
  const file = readdirSync(fileURLToPath(goldenDir)).find((f) => f.startsWith(`${prefix}-`));
  if (file === undefined) throw new Error(`no golden case ${prefix}`);
  return JSON.parse(readFileSync(new URL(file, goldenDir), 'utf8')) as GoldenCase;
}

/** The golden case's op of `kind` (the first one), as bytes and decoded. */
function goldenOp(prefix: string, kind: string): { bytes: Uint8Array; op: PbOp; digest: string } {
  const found = golden(prefix).ops.find((o) => o.kind === kind);
  if (found === undefined) throw new Error(`golden ${prefix} has no ${kind} op`);
  const bytes = new Uint8Array(Buffer.from(found.hex, 'hex'));
  return { bytes, op: decodeOp(bytes), digest: found.digest };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function opsOf(def: Definition): { kind: string; op: PbOp; bytes: Uint8Array; caps: string[] }[] {
  return decodeDefinition(def).ops.map((o) => ({
    kind: o.kind,
    op: o.op,
    bytes: o.bytes,
    caps: [...(o.metadata?.caps.keys() ?? [])].sort(),
  }));
}

function only<T extends { kind: string }>(ops: readonly T[], kind: string): T {
  const found = ops.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function execOf(op: PbOp) {
  if (op.op?.type !== 'exec') throw new Error('not an exec op');
  return op.op.exec;
}

describe('Go llb programs ported to kiln', () => {
  // st := llb.Image("alpine:3.18").Dir("/work/").Run(llb.Shlex("sh -c 'echo hi'"), llb.AddEnv("A", "1"),
  //   llb.AddEnv("PATH", "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin"), llb.User("1000:1000"),
  //   llb.Network(llb.NetModeNone)).Root()
  // Go's llb.Dir keeps an absolute path as written (meta.go dirf: only relative paths go through path.Join), so the
  // exec's cwd is "/work/": golden 11 with that one field changed.
  it('Dir("/work/") keeps the trailing slash in the exec cwd, as Go does', () => {
    const want = goldenOp('11', 'exec');
    const meta = execOf(want.op).meta!;
    const expected = encodeOp({ ...want.op, op: { type: 'exec', exec: { ...execOf(want.op), meta: { ...meta, cwd: '/work/' } } } });
    const st = image('alpine:3.18')
      .dir('/work/')
      .run("sh -c 'echo hi'", {
        env: [
          ['A', '1'],
          ['PATH', '/opt/venv/bin:/usr/local/bin:/usr/bin:/bin'],
        ],
        user: '1000:1000',
        network: 'none',
      })
      .root();
    expect(hex(only(opsOf(marshal(st)), 'exec').bytes)).toBe(hex(expected));
    // The same through the run option (llb.Dir as a RunOption), and a relative dir is still joined and cleaned.
    const viaCwd = image('alpine:3.18').run("sh -c 'echo hi'", {
      env: { A: '1', PATH: '/opt/venv/bin:/usr/local/bin:/usr/bin:/bin' },
      cwd: '/work/',
      user: '1000:1000',
      network: 'none',
    });
    expect(hex(only(opsOf(marshal(viaCwd)), 'exec').bytes)).toBe(hex(expected));
    expect(image('alpine:3.18').dir('/srv/').dir('app/./x/').getDir()).toBe('/srv/app/x');
    expect(scratch().dir('/a/../b').getDir()).toBe('/a/../b');
  });

  // A multi-stage Go build:
  //   src := llb.Local("context", llb.IncludePatterns([]string{"*.go", "go.mod"}), llb.LocalUniqueID("u1"))
  //   run := llb.Image("golang:1.21").Dir("/src").AddEnv("CGO_ENABLED", "0").Run(llb.Shlex("go build -o /out/app ."),
  //     llb.AddMount("/src", src, llb.Readonly),
  //     llb.AddMount("/root/.cache/go-build", llb.Scratch(), llb.AsPersistentCacheDir("go-build", llb.CacheMountShared)))
  //   out := run.AddMount("/out", llb.Scratch())
  //   final := llb.Scratch().File(llb.Copy(out, "/app", "/usr/local/bin/app", &llb.CopyInfo{CreateDestPath: true}))
  // kiln has no ExecState.AddMount after Run: the writable mount is declared in the run's mounts and taken with
  // .mount(dest).
  it('a multi-stage build: mounts sorted by dest, outputs and inputs laid out as Go lays them out', () => {
    const src = local('context', { include: ['*.go', 'go.mod'] });
    const run = image('golang:1.21')
      .dir('/src')
      .addEnv('CGO_ENABLED', '0')
      .run('go build -o /out/app .', {
        mounts: [
          { type: 'bind', dest: '/src', source: src, readonly: true },
          { type: 'cache', dest: '/root/.cache/go-build', id: 'go-build', sharing: 'shared' },
          { type: 'bind', dest: '/out', source: scratch() },
        ],
      });
    const final = scratch().file(copy(run.mount('/out'), '/app', '/usr/local/bin/app', { createDestPath: true }));
    const ops = opsOf(marshal(final, { localUniqueId: 'u1' }));
    expect(ops.map((o) => o.kind)).toEqual(['source', 'source', 'exec', 'file', 'terminal']);
    const exec = only(ops, 'exec');
    const e = execOf(exec.op);
    expect(e.meta).toMatchObject({ args: ['go', 'build', '-o', '/out/app', '.'], env: ['CGO_ENABLED=0'], cwd: '/src' });
    expect(e.mounts.map((m) => [m.dest, m.input, m.output, m.readonly, m.mountType])).toEqual([
      ['/', 0, 0, false, 0],
      ['/out', -1, 1, false, 0],
      ['/root/.cache/go-build', -1, -1, false, 3],
      ['/src', 1, -1, true, 0],
    ]);
    expect(e.mounts[2]!.cacheOpt).toEqual({ id: 'go-build', sharing: 0 });
    expect(exec.caps).toEqual(['exec.meta.base', 'exec.mount.bind', 'exec.mount.cache', 'exec.mount.cache.sharing']);
    // The copy reads the exec's output 1 (/out).
    const file = only(ops, 'file');
    expect(file.op.inputs).toEqual([{ digest: expect.stringMatching(/^sha256:/), index: 1 }]);
    expect(only(ops.filter((o) => o.kind === 'source' && o.caps.includes('source.local')), 'source').caps).toEqual([
      'source.local',
      'source.local.includepatterns',
      'source.local.unique',
    ]);
  });

  // Marshalled with the daemon's caps (st.Marshal(ctx, llb.WithCaps(caps))): a daemon that sets the default PATH
  // itself gets no PATH and the exec records exec.meta.setsdefaultpath; one without that cap gets the default PATH.
  it('default PATH follows the daemon caps as in Go', () => {
    const st = image('debian:bookworm-slim').run(['sh', '-c', 'apt-get update'], {
      mounts: [
        { type: 'cache', dest: '/var/cache/apt', id: 'apt-cache', sharing: 'locked' },
        { type: 'cache', dest: '/var/lib/apt', id: 'apt-lib', sharing: 'locked' },
      ],
    });
    const withCap = only(opsOf(marshal(st, { caps: CAPS_BUILDKIT_V0_8 })), 'exec');
    expect(execOf(withCap.op).meta!.env).toEqual([]);
    expect(withCap.caps).toContain('exec.meta.setsdefaultpath');
    const noCap = only(opsOf(marshal(st, { caps: [...CAPS_BUILDKIT_V0_8].filter((c) => c !== 'exec.meta.setsdefaultpath') })), 'exec');
    expect(execOf(noCap.op).meta!.env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    expect(noCap.caps).not.toContain('exec.meta.setsdefaultpath');
    expect(execOf(withCap.op).mounts.map((m) => [m.dest, m.cacheOpt?.sharing])).toEqual([
      ['/', undefined],
      ['/var/cache/apt', 2],
      ['/var/lib/apt', 2],
    ]);
  });

  // A file-op-heavy graph: one llb.File with a chain of actions.
  //   llb.Scratch().File(llb.Mkdir("/app", 0755, llb.WithParents(true)).Mkfile("/app/VERSION", 0644, []byte("1\n")).
  //     Copy(ctx, "src/", "/app/src/").Rm("/app/src/tests", llb.WithAllowNotFound(true)))
  it('a chain of file actions is one file op whose actions feed each other as in Go', () => {
    const ctx = local('context');
    const st = scratch().file(
      mkdir('/app', { mode: 0o755, parents: true })
        .mkfile('/app/VERSION', '1\n', { mode: 0o644 })
        .copy(ctx, 'src/', '/app/src/')
        .rm('/app/src/tests', { allowNotFound: true }),
    );
    const file = only(opsOf(marshal(st, { localUniqueId: 'u1' })), 'file');
    if (file.op.op?.type !== 'file') throw new Error('not a file op');
    // Go numbers an action's result len(inputs)+index; only the last action has output 0.
    expect(file.op.inputs).toHaveLength(1);
    expect(file.op.op.file.actions.map((a) => [a.action?.type, a.input, a.secondaryInput, a.output])).toEqual([
      ['mkdir', -1, -1, -1],
      ['mkfile', 1, -1, -1],
      ['copy', 2, 0, -1],
      ['rm', 3, -1, 0],
    ]);
    expect(file.caps).toEqual(['file.base']);
  });

  // st := llb.Image("alpine:3.18").WithImageConfig(cfg) where cfg has Env [A=1, PATH=…], WorkingDir "/work", os/arch
  // linux/amd64; then .User("1000:1000").Run(llb.Shlex("sh -c 'echo hi'"), llb.Network(llb.NetModeNone)).
  // That is golden 11 exactly: the env in config order, the dir, and a platform equal to the marshal platform.
  it('withImageConfig carries env, working dir and platform like State.WithImageConfig (golden 11)', () => {
    const config = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['A=1', 'PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin'], WorkingDir: '/work', User: 'ignored' },
    });
    const want = goldenOp('11', 'exec');
    for (const input of [config, new TextEncoder().encode(config), JSON.parse(config) as Record<string, unknown>]) {
      const st = image('alpine:3.18').withImageConfig(input).user('1000:1000').run("sh -c 'echo hi'", { network: 'none' });
      const exec = only(opsOf(marshal(st)), 'exec');
      expect(hex(exec.bytes)).toBe(hex(want.bytes));
    }
    const st = image('alpine:3.18').dir('/srv').withImageConfig({ config: { Env: ['=x', 'NOVALUE', 'B=a=b'], WorkingDir: 'rel' } });
    expect(st.getEnvList()).toEqual(['NOVALUE=', 'B=a=b']);
    expect(st.getDir()).toBe('/srv/rel');
    expect(st.getUser()).toBe('');
    expect(st.getPlatform()).toBeUndefined();
  });

  // llb.Image("alpine:3.18", llb.LinuxArm64).WithImageConfig(cfg{os linux, architecture arm64, variant v8}).
  //   Run(llb.Shlex("uname -m")): Go's s.Platform(plat) takes the config's platform as written, so the exec (which
  //   takes the state's platform) is arm64/v8; the image op keeps its own arm64 constraint (golden 25).
  it('withImageConfig takes the config platform as written, variant included (golden 25 + variant)', () => {
    const src = goldenOp('25', 'source');
    const want = goldenOp('25', 'exec');
    const expected = encodeOp({ ...want.op, platform: { ...want.op.platform!, variant: 'v8' } });
    const st = image('alpine:3.18', { platform: 'linux/arm64' })
      .withImageConfig({ os: 'linux', architecture: 'arm64', variant: 'v8', config: {} })
      .run('uname -m');
    const ops = opsOf(marshal(st, { platform: 'linux/amd64' }));
    expect(hex(only(ops, 'source').bytes)).toBe(hex(src.bytes));
    expect(hex(only(ops, 'exec').bytes)).toBe(hex(expected));
  });

  it('withImageConfig rejects what is not an image config with invalid_argument', () => {
    const base = image('alpine:3.18');
    for (const bad of ['not json', '[1]', { config: { Env: 'A=1' } }, { config: { WorkingDir: 7 } }, { os: 1 }]) {
      expect(() => base.withImageConfig(bad)).toThrow(KilnError);
      try {
        base.withImageConfig(bad);
      } catch (e) {
        expect((e as KilnError).code).toBe('invalid_argument');
      }
    }
  });

  // llb.OCILayout("not/real@sha256:<hex>", llb.OCIStore("", "store1"), llb.OCILayerLimit(2)): identifier not normalised,
  // attrs oci.store / oci.layerlimit, platform-specific like an image source, cap source.ocilayout. Expected bytes:
  // golden 01's image source op with its identifier and attrs replaced.
  it('ociLayout is the source op Go marshals for llb.OCILayout', () => {
    const ref = `not/real@sha256:${'ab'.repeat(32)}`;
    const img = goldenOp('01', 'source');
    const attrs = new Map([
      ['oci.layerlimit', '2'],
      ['oci.store', 'store1'],
    ]);
    const expected = encodeOp({ ...img.op, op: { type: 'source', source: { identifier: `oci-layout://${ref}`, attrs } } });
    const def = marshal(ociLayout(ref, { storeId: 'store1', layerLimit: 2 }));
    const src = only(opsOf(def), 'source');
    expect(hex(src.bytes)).toBe(hex(expected));
    expect(src.caps).toEqual(['source.ocilayout']);
    const withSession = only(opsOf(marshal(ociLayout(ref, { sessionId: 's1', storeId: 'store1' }))), 'source');
    if (withSession.op.op?.type !== 'source') throw new Error('not a source op');
    expect([...withSession.op.op.source.attrs]).toEqual([
      ['oci.session', 's1'],
      ['oci.store', 'store1'],
    ]);
    expect(() => marshal(ociLayout(ref), { caps: ALL_CAPS })).not.toThrow();
  });

  it('ociLayout fails clearly: a ref the daemon cannot parse or look up, and a daemon without the cap', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    // No "/" before "@" (the daemon reads "busybox@…" as user@host), no digest, a scheme, a short digest, nothing.
    for (const bad of [`busybox@${digest}`, 'docker.io/library/busybox:1', `oci-layout://not/real@${digest}`, 'not/real@sha256:00', '']) {
      expect(() => ociLayout(bad)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    }
    expect(() => marshal(ociLayout(`not/real@${digest}`), { caps: CAPS_BUILDKIT_V0_8 })).toThrow(
      expect.objectContaining({ code: 'unsupported', message: expect.stringContaining('"source.ocilayout" (BuildKit v0.11+)') }),
    );
  });
});
