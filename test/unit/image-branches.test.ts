/**
 * Independent run steps (`outputs`): where they run, what is kept from them, how they are combined on a daemon with
 * merge/diff ops (BuildKit v0.11 caps) and without (dockerd 20.10 / BuildKit v0.8 caps), the overlap rule, cache
 * independence by LLB digest, the equivalent Dockerfile, and argument errors. File layouts are compared with a model
 * evaluator of the compiled LLB (test/fixtures/image/llb-fs.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Image, compileImage } from '../../src/image/index.js';
import { CAPS_BUILDKIT_V0_8, type PbOp } from '../../src/llb/index.js';
import { DOCKERD_20_10_CAPS, MODERN_CAPS, execNamed, kinds, ops, type OpView } from '../fixtures/image/helpers.js';
import { type Fs, evaluate, fsOf, layout } from '../fixtures/image/llb-fs.js';
import { thrown } from '../fixtures/thrown.js';

let dir = '';
let previousCwd = '';

beforeAll(() => {
  previousCwd = process.cwd();
  dir = mkdtempSync(join(tmpdir(), 'kiln-image-branches-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'main.py'), 'print("main")\n');
  writeFileSync(join(dir, 'VERSION'), '1.0\n');
  writeFileSync(join(dir, 'fetch.py'), 'print("fetch")\n');
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(previousCwd);
  rmSync(dir, { recursive: true, force: true });
});

const BASE: Fs = fsOf({ '/etc/os-release': 'debian', '/tmp': null, '/opt': null, '/usr/bin/sh': 'sh' });
const WORLD = { image: () => BASE, local: (name: string) => join(dir, name.split('@')[0] ?? '.') };

/** Three independent steps on a base with one ordinary step before them and one after. */
function threeSteps(b = 'b'): Image {
  return Image.fromRegistry('debian:bookworm-slim')
    .runCommands('mkdir -p /opt/base && echo base > /opt/base/x')
    .runCommands('mkdir -p /opt/a && echo a > /opt/a/x && echo junk-a > /tmp/junk-a', { outputs: ['/opt/a'] })
    .runCommands(`mkdir -p /opt/b && echo ${b} > /opt/b/x`, { outputs: ['/opt/b'] })
    .runCommands('echo c > /etc/c.conf', { outputs: ['/etc/c.conf'] })
    .runCommands('echo after > /opt/after');
}

const V011 = MODERN_CAPS;
const CAP_SETS = [
  ['offline', undefined],
  ['v0.11', V011],
  ['v0.8', CAPS_BUILDKIT_V0_8],
  ['dockerd 20.10', DOCKERD_20_10_CAPS],
] as const;

function compile(image: Image, caps: ReadonlySet<string> | undefined) {
  return compileImage(image, caps === undefined ? {} : { caps });
}

function byDigest(list: readonly OpView[], digest: string | undefined): OpView {
  const o = list.find((x) => x.digest === digest);
  if (o === undefined) throw new Error(`no op ${String(digest)}`);
  return o;
}

function named(list: readonly OpView[], name: string): OpView {
  const o = list.find((x) => x.name === name);
  if (o === undefined) throw new Error(`no op named ${JSON.stringify(name)}; have ${list.map((x) => JSON.stringify(x.name)).join(', ')}`);
  return o;
}

/** The digest of the op an exec runs on (its root mount's input). */
function rootInput(list: readonly OpView[], name: string): string | undefined {
  const o = named(list, name);
  if (o.op.op?.type !== 'exec') throw new Error(`${name} is not an exec`);
  const root = o.op.op.exec.mounts.find((m) => m.dest === '/');
  return root === undefined ? undefined : o.op.inputs[root.input]?.digest;
}

function copyActions(op: PbOp): { src: string; dest: string; from: string | undefined; onto: string | undefined }[] {
  if (op.op?.type !== 'file') return [];
  return op.op.file.actions.map((a) => ({
    src: a.action?.type === 'copy' ? a.action.copy.src : '',
    dest: a.action?.type === 'copy' ? a.action.copy.dest : '',
    from: op.inputs[a.secondaryInput]?.digest,
    onto: a.input < op.inputs.length ? op.inputs[a.input]?.digest : `action ${a.input - op.inputs.length}`,
  }));
}

const A = 'mkdir -p /opt/a && echo a > /opt/a/x && echo junk-a > /tmp/junk-a';
const B = 'mkdir -p /opt/b && echo b > /opt/b/x';
const C = 'echo c > /etc/c.conf';

describe('where independent steps run', () => {
  it('consecutive steps with outputs all run on the image built before the first of them', () => {
    for (const [, caps] of CAP_SETS) {
      const c = compile(threeSteps(), caps);
      expect(c.plan.map((p) => `${p.mode}: ${p.name}`)).toEqual([
        'chain: mkdir -p /opt/base && echo base > /opt/base/x',
        `branch: ${A}`,
        `branch: ${B}`,
        `branch: ${C}`,
        'chain: echo after > /opt/after',
      ]);
      const list = ops(c.definition);
      const base = named(list, 'mkdir -p /opt/base && echo base > /opt/base/x').digest;
      for (const step of [A, B, C]) expect(rootInput(list, step)).toBe(base);
      // The step after the group runs on the combined image, not on any one branch.
      expect([base, ...[A, B, C].map((s) => named(list, s).digest)]).not.toContain(rootInput(list, 'echo after > /opt/after'));
    }
  });

  it('configuration between them keeps the group, and later members see it; workdir and file steps end it', () => {
    const image = Image.fromRegistry('debian:bookworm-slim')
      .runCommands(A, { outputs: ['/opt/a'] })
      .env({ MODE: 'fast' })
      .user('nobody')
      .runCommands(B, { outputs: ['/opt/b'] })
      .user('root')
      .workdir('/srv')
      .runCommands(C, { outputs: ['/etc/c.conf'] })
      .addLocalFile('VERSION', '/usr/share/kiln/')
      .runCommands('echo d > /opt/d', { outputs: ['/opt/d'] });
    const c = compileImage(image, { caps: V011 });
    const list = ops(c.definition);
    expect(rootInput(list, A)).toBe(rootInput(list, B));
    expect(execNamed(c.definition, A).env).toEqual([]);
    expect(execNamed(c.definition, B).env).toEqual(['MODE=fast']);
    expect(execNamed(c.definition, B).user).toBe('nobody');
    expect(rootInput(list, C)).toBe(named(list, 'WORKDIR /srv').digest);
    expect(rootInput(list, 'echo d > /opt/d')).not.toBe(rootInput(list, C));
    expect(c.plan.filter((p) => p.mode !== 'config').map((p) => p.mode)).toEqual(['branch', 'branch', 'chain', 'branch', 'linked', 'branch']);
  });

  it('only declared outputs are kept: everything else a step writes is thrown away', () => {
    for (const [, caps] of CAP_SETS) {
      const fs = evaluate(compile(threeSteps(), caps).definition, WORLD);
      expect(fs.get('/opt/a/x')).toEqual({ kind: 'file', data: 'a\n' });
      expect(fs.has('/tmp/junk-a')).toBe(false);
    }
  });
});

describe('combining the outputs', () => {
  it('v0.11 caps: one merge op of the image before the group and one diff per step (lower → lower + its outputs)', () => {
    const c = compileImage(threeSteps(), { caps: V011 });
    expect(kinds(c.definition)).toMatchObject({ merge: 1, diff: 3 });
    const list = ops(c.definition);
    const lower = named(list, 'mkdir -p /opt/base && echo base > /opt/base/x').digest;
    const merge = list.find((o) => o.op.op?.type === 'merge');
    expect(merge?.name).toBe(`merge 3 layers: ${A}; ${B}; ${C}`);
    expect(merge?.op.inputs.map((i) => i.digest)[0]).toBe(lower);
    const diffs = (merge?.op.inputs ?? []).slice(1).map((i) => byDigest(list, i.digest));
    expect(diffs.map((d) => d.name)).toEqual([A, B, C].map((s) => `outputs of "${s}"`));
    [
      [A, '/opt/a'],
      [B, '/opt/b'],
      [C, '/etc/c.conf'],
    ].forEach(([step, out], i) => {
      const d = diffs[i] as OpView;
      expect(d.op.op).toEqual({ type: 'diff', diff: { lower: { input: 0 }, upper: { input: 1 } } });
      expect(d.op.inputs[0]?.digest).toBe(lower);
      const upper = byDigest(list, d.op.inputs[1]?.digest);
      expect(upper.name).toBe(`keep ${out} from "${step}"`);
      expect(copyActions(upper.op)).toEqual([{ src: out, dest: out, from: named(list, step as string).digest, onto: lower }]);
      const action = upper.op.op?.type === 'file' ? upper.op.op.file.actions[0]?.action : undefined;
      expect(action?.type === 'copy' ? [action.copy.dirCopyContents, action.copy.createDestPath, action.copy.followSymlink] : []).toEqual([true, true, true]);
    });
    expect(rootInput(list, 'echo after > /opt/after')).toBe(merge?.digest);
  });

  it('v0.8 caps: no merge or diff; one file op copies every output from its step onto the image, in step order', () => {
    for (const caps of [CAPS_BUILDKIT_V0_8, DOCKERD_20_10_CAPS]) {
      const c = compileImage(threeSteps(), { caps });
      expect(kinds(c.definition)['merge']).toBeUndefined();
      expect(kinds(c.definition)['diff']).toBeUndefined();
      const list = ops(c.definition);
      const lower = named(list, 'mkdir -p /opt/base && echo base > /opt/base/x').digest;
      const combine = named(list, 'copy the outputs of 3 independent steps: /opt/a, /opt/b, /etc/c.conf');
      expect(copyActions(combine.op)).toEqual([
        { src: '/opt/a', dest: '/opt/a', from: named(list, A).digest, onto: lower },
        { src: '/opt/b', dest: '/opt/b', from: named(list, B).digest, onto: 'action 0' },
        { src: '/etc/c.conf', dest: '/etc/c.conf', from: named(list, C).digest, onto: 'action 1' },
      ]);
      expect(rootInput(list, 'echo after > /opt/after')).toBe(combine.digest);
    }
  });

  it('merge/diff and the copy chain give the same file layout, the layout of the same steps run one after another', () => {
    const sequential = Image.fromRegistry('debian:bookworm-slim')
      .runCommands('mkdir -p /opt/base && echo base > /opt/base/x')
      .runCommands('mkdir -p /opt/a && echo a > /opt/a/x')
      .runCommands(B)
      .runCommands(C)
      .runCommands('echo after > /opt/after');
    const expected = layout(evaluate(compileImage(sequential, { caps: DOCKERD_20_10_CAPS }).definition, WORLD));
    expect(expected).toContain('/opt/base/x = base\n');
    for (const [label, caps] of CAP_SETS) expect({ label, layout: layout(evaluate(compile(threeSteps(), caps).definition, WORLD)) }).toEqual({ label, layout: expected });
  });

  it('independent file layers and independent steps share one merge; both forms give the same layout', () => {
    const image = Image.fromRegistry('debian:bookworm-slim')
      .runCommands(A, { outputs: ['/opt/a'] })
      .runCommands(B, { outputs: ['/opt/b'] })
      .addLocalDir('app', { remotePath: '/srv/app' })
      .addLocalFile('VERSION', '/srv/')
      .runCommands('echo after > /opt/after');
    const modern = compileImage(image, { caps: V011 });
    expect(modern.plan.filter((p) => p.mode !== 'config').map((p) => p.mode)).toEqual(['branch', 'branch', 'linked', 'linked', 'chain']);
    expect(kinds(modern.definition)['merge']).toBe(1);
    expect(ops(modern.definition).find((o) => o.op.op?.type === 'merge')?.op.inputs).toHaveLength(5);
    const old = compileImage(image, { caps: DOCKERD_20_10_CAPS });
    const names = ops(old.definition).map((o) => o.name);
    expect(names).toContain('copy the outputs of 2 independent steps: /opt/a, /opt/b; copy app → /srv/app; copy VERSION → /srv/');
    expect(kinds(old.definition)['file']).toBe(1);
    const want = layout(evaluate(modern.definition, WORLD));
    expect(want).toEqual(expect.arrayContaining(['/srv/app/main.py = print("main")\n', '/srv/VERSION = 1.0\n', '/opt/a/x = a\n', '/opt/b/x = b\n']));
    for (const [label, caps] of CAP_SETS) expect({ label, layout: layout(evaluate(compile(image, caps).definition, WORLD)) }).toEqual({ label, layout: want });
  });

  it('the independent file layers of earlier work give the same layout with merge ops and with the copy chain', () => {
    const image = Image.fromRegistry('debian:bookworm-slim')
      .runCommands('mkdir -p /srv && echo x > /srv/x')
      .addLocalDir('app', { remotePath: '/srv/app' })
      .addLocalFile('VERSION', '/srv/')
      .addLocalFile('fetch.py', '/opt/tools/');
    const want = layout(evaluate(compileImage(image, { caps: V011 }).definition, WORLD));
    expect(kinds(compileImage(image, { caps: V011 }).definition)['merge']).toBe(1);
    for (const [label, caps] of CAP_SETS) expect({ label, layout: layout(evaluate(compile(image, caps).definition, WORLD)) }).toEqual({ label, layout: want });
  });

  it('a lone independent step needs no merge: its outputs are copied onto the image it ran on', () => {
    for (const [, caps] of CAP_SETS) {
      const c = compile(Image.fromRegistry('debian:bookworm-slim').runCommands(A, { outputs: ['/opt/a'] }).runCommands('echo after > /opt/after'), caps);
      expect(kinds(c.definition)).toEqual({ source: 1, exec: 2, file: 1 });
      const list = ops(c.definition);
      expect(rootInput(list, 'echo after > /opt/after')).toBe(named(list, `keep /opt/a from "${A}"`).digest);
    }
  });

  it('history has one entry per layer: one per step with merge ops, one for the whole group with the copy chain', () => {
    const created = (caps: ReadonlySet<string>) => compileImage(threeSteps(), { caps }).config.history?.map((h) => h.created_by);
    expect(created(V011)).toEqual(['RUN mkdir -p /opt/base && echo base > /opt/base/x', `RUN ${A}`, `RUN ${B}`, `RUN ${C}`, 'RUN echo after > /opt/after']);
    expect(created(DOCKERD_20_10_CAPS)).toEqual(['RUN mkdir -p /opt/base && echo base > /opt/base/x', `RUN ${A}; RUN ${B}; RUN ${C}`, 'RUN echo after > /opt/after']);
  });
});

describe('cache independence', () => {
  const branchOps = (image: Image, caps: ReadonlySet<string>, step: string): string[] => {
    const list = ops(compileImage(image, { caps }).definition);
    const exec = named(list, step);
    const mine = list.filter((o) => o.name === `keep ${step === C ? '/etc/c.conf' : step === A ? '/opt/a' : '/opt/b'} from "${step}"` || o.name === `outputs of "${step}"`);
    return [exec.digest, ...mine.map((o) => o.digest)];
  };

  it('editing one step leaves the LLB digests of the other branches unchanged (v0.11: exec, copy and diff ops)', () => {
    const before = threeSteps('b');
    const after = threeSteps('b-edited');
    for (const step of [A, C]) {
      const was = branchOps(before, V011, step);
      expect(was).toHaveLength(3);
      expect(branchOps(after, V011, step)).toEqual(was);
    }
    const edited = `mkdir -p /opt/b && echo b-edited > /opt/b/x`;
    expect(named(ops(compileImage(after, { caps: V011 }).definition), edited).digest).not.toBe(named(ops(compileImage(before, { caps: V011 }).definition), B).digest);
  });

  it('editing one step leaves the other steps unchanged on dockerd 20.10 too (only the combining copy re-runs)', () => {
    for (const step of [A, C]) expect(branchOps(threeSteps('b-edited'), DOCKERD_20_10_CAPS, step)).toEqual(branchOps(threeSteps('b'), DOCKERD_20_10_CAPS, step));
  });

  it('a forced step ignores the cache alone; its siblings keep theirs', () => {
    const image = Image.fromRegistry('debian:bookworm-slim').runCommands(A, { outputs: ['/opt/a'] }).runCommands(B, { outputs: ['/opt/b'], force: true });
    const list = ops(compileImage(image, { caps: V011 }).definition);
    expect([named(list, A).ignoreCache, named(list, B).ignoreCache]).toEqual([false, true]);
  });
});

describe('the overlap rule', () => {
  const placement = (image: Image) => compileImage(image).plan.filter((p) => p.mode === 'branch').map((p) => p.reason);

  it('overlapping outputs: the later step runs after the earlier one, on its outputs', () => {
    const image = Image.fromRegistry('debian:bookworm-slim')
      .runCommands('mkdir -p /opt/models && echo a > /opt/models/a', { outputs: ['/opt/models'] })
      .runCommands('mkdir -p /opt/models/b && echo b > /opt/models/b/x', { outputs: ['/opt/models/b'] })
      .runCommands(C, { outputs: ['/etc/c.conf'] });
    expect(placement(image)).toEqual([
      '',
      'its output /opt/models/b overlaps /opt/models, an output of "mkdir -p /opt/models && echo a > /opt/models/a", so it runs after it',
      '',
    ]);
    for (const [label, caps] of CAP_SETS) {
      const list = ops(compile(image, caps).definition);
      const first = rootInput(list, 'mkdir -p /opt/models && echo a > /opt/models/a');
      const second = rootInput(list, 'mkdir -p /opt/models/b && echo b > /opt/models/b/x');
      expect({ label, same: second === first }).toEqual({ label, same: false });
      // The third step joins the second's group (it overlaps nothing).
      expect({ label, same: rootInput(list, C) === second }).toEqual({ label, same: true });
      const fs = layout(evaluate(compile(image, caps).definition, WORLD), '/opt/models');
      expect({ label, fs }).toEqual({ label, fs: ['/opt/models/', '/opt/models/a = a\n', '/opt/models/b/', '/opt/models/b/x = b\n'] });
    }
  });

  it('reads kiln can see: a command naming an output or the directory holding it, or a cwd over it', () => {
    const first = Image.fromRegistry('debian:bookworm-slim').runCommands(A, { outputs: ['/opt/a'] });
    expect(placement(first.runCommands('cat /opt/a/x > /opt/copy', { outputs: ['/opt/copy'] }))[1]).toBe(`its command names /opt/a, an output of "${A}", so it runs after it`);
    expect(placement(first.runCommands('ls /opt > /listing', { outputs: ['/listing'] }))[1]).toBe(`its command names /opt, which holds /opt/a, an output of "${A}", so it runs after it`);
    expect(placement(first.runCommands('echo x > y', { outputs: ['/opt/a-y'], cwd: '/opt/a' }))[1]).toBe(`its working directory /opt/a overlaps /opt/a, an output of "${A}", so it runs after it`);
    // Naming a sibling path below the same parent is not a read of the output.
    expect(placement(first.runCommands('mkdir -p /opt/b && echo b > /opt/b/x', { outputs: ['/opt/b'] }))[1]).toBe('');
  });
});

describe('toDockerfile', () => {
  it('writes a group as stages on the image before it and COPY --from of each output', () => {
    const image = Image.fromRegistry('debian:bookworm-slim')
      .runCommands('echo base > /base')
      .runCommands(A, { outputs: ['/opt/a'] })
      .env({ MODE: 'fast' })
      .runCommands('mkdir -p "/opt/b c" && echo b > "/opt/b c/x"', { outputs: ['/opt/b c', '/etc/b.conf'] })
      .runCommands('cat /opt/a/x > /opt/copy', { outputs: ['/opt/copy'] })
      .cmd(['cat', '/opt/copy']);
    expect(image.toDockerfile()).toBe(
      [
        '# Generated by kiln from an Image definition.',
        'FROM debian:bookworm-slim AS kiln-1',
        'RUN echo base > /base',
        '',
        'FROM kiln-1 AS kiln-1-1',
        `RUN ${A}`,
        '',
        'FROM kiln-1 AS kiln-1-2',
        'ENV MODE="fast"',
        'RUN mkdir -p "/opt/b c" && echo b > "/opt/b c/x"',
        '',
        'FROM kiln-1 AS kiln-2',
        'COPY --from=kiln-1-1 /opt/a /opt/a',
        'COPY --from=kiln-1-2 ["/opt/b c","/opt/b c"]',
        'COPY --from=kiln-1-2 /etc/b.conf /etc/b.conf',
        'ENV MODE="fast"',
        '',
        'FROM kiln-2 AS kiln-2-1',
        'RUN cat /opt/a/x > /opt/copy',
        '',
        'FROM kiln-2',
        'COPY --from=kiln-2-1 /opt/copy /opt/copy',
        'CMD ["cat","/opt/copy"]',
        '',
      ].join('\n'),
    );
  });

  it('images copied from keep their stage name; their own groups are named after it', () => {
    const builder = Image.fromRegistry('busybox').runCommands('mkdir -p /opt').runCommands(A, { outputs: ['/opt/a'] }).runCommands(B, { outputs: ['/opt/b'] });
    const text = Image.fromRegistry('debian:bookworm-slim').copyFrom(builder, '/opt', '/opt').toDockerfile();
    expect(text).toContain('FROM busybox:latest AS stage-0-1\nRUN mkdir -p /opt\n');
    expect(text).toContain('FROM stage-0-1 AS stage-0-1-2\n');
    expect(text).toContain('FROM stage-0-1 AS stage-0\nCOPY --from=stage-0-1-1 /opt/a /opt/a\nCOPY --from=stage-0-1-2 /opt/b /opt/b\n');
    expect(text).toContain('FROM debian:bookworm-slim\nCOPY --from=stage-0 /opt /opt\n');
    // Members of a group right after FROM start from the base image itself.
    expect(Image.fromRegistry('busybox').runCommands(A, { outputs: ['/opt/a'] }).runCommands(B, { outputs: ['/opt/b'] }).toDockerfile()).toBe(
      `# Generated by kiln from an Image definition.\nFROM busybox:latest AS kiln-1-1\nRUN ${A}\n\nFROM busybox:latest AS kiln-1-2\nRUN ${B}\n\nFROM busybox:latest\nCOPY --from=kiln-1-1 /opt/a /opt/a\nCOPY --from=kiln-1-2 /opt/b /opt/b\n`,
    );
  });
});

describe('arguments', () => {
  const base = Image.fromRegistry('debian:bookworm-slim');

  it('outputs must be absolute, plain, distinct paths other than "/"', () => {
    const cases: [unknown, RegExp][] = [
      ['/opt/a', /must be an array of absolute paths/],
      [[], /must not be empty/],
      [['opt/a'], /runCommands options.outputs\[0\] must be an absolute path inside the image, got "opt\/a"; write it as "\/opt\/a"/],
      [['/'], /must not be "\/"/],
      [['/opt/*.bin'], /glob characters and "\$" are not supported/],
      [['/opt/$HOME'], /glob characters and "\$" are not supported/],
      [['/opt/a', '/opt/a/b'], /outputs\[1\] "\/opt\/a\/b" overlaps "\/opt\/a" listed before it/],
      [['/opt/a', ''], /outputs\[1\] must not be empty/],
    ];
    for (const [outputs, message] of cases) {
      const err = thrown(() => base.runCommands('true', { outputs: outputs as readonly string[] }));
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toMatch(message);
    }
  });

  it('outputs are normalised; one command per independent step', () => {
    const c = compileImage(base.runCommands('mkdir -p /opt/a', { outputs: ['/opt//a/'] }));
    expect(ops(c.definition).map((o) => o.name)).toContain('keep /opt/a from "mkdir -p /opt/a"');
    const err = thrown(() => base.runCommands('echo a', 'echo b', { outputs: ['/opt/a'] }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe(
      'runCommands: outputs describe what one command produces, but 2 commands were given; join them into one command (with &&), or call runCommands once per independent command',
    );
  });

  it('runCommand, runBash and runScript take outputs too', () => {
    const image = base
      .runCommand('mkdir -p /opt/a', { outputs: ['/opt/a'] })
      .runBash('mkdir -p /opt/b', { outputs: ['/opt/b'] })
      .runScript('fetch.py', { outputs: ['/opt/models'] });
    expect(compileImage(image).plan.map((p) => p.mode)).toEqual(['branch', 'branch', 'branch']);
    expect(compileImage(image).plan.map((p) => p.reason)).toEqual(['', '', '']);
  });
});
