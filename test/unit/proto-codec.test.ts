import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Reader } from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { google, grpc, moby, pb } from '../../src/proto/generated.js';

// ---- golden LLB vectors produced by BuildKit v0.11.6's Go client (see ../shared/llb-golden/README.md) ----

interface GoldenInput {
  digest: string;
  index?: number;
}
interface GoldenMount {
  input?: number;
  selector?: string;
  dest?: string;
  output?: number;
  readonly?: boolean;
  mountType?: number;
}
interface GoldenAction {
  input?: number;
  secondaryInput?: number;
  output?: number;
  Action: Record<string, unknown>;
}
interface GoldenOpBody {
  exec?: { meta: { args: string[]; env?: string[]; cwd?: string }; mounts: GoldenMount[]; network?: number };
  source?: { identifier: string; attrs?: Record<string, string> };
  file?: { actions: GoldenAction[] };
  merge?: { inputs: { input?: number }[] };
  diff?: { lower?: { input?: number }; upper?: { input?: number } };
}
interface GoldenOp {
  digest: string;
  kind: 'source' | 'exec' | 'file' | 'merge' | 'diff' | 'terminal';
  hex: string;
  decoded: {
    inputs?: GoldenInput[];
    Op: GoldenOpBody | null;
    platform?: { Architecture?: string; OS?: string; Variant?: string };
    constraints?: Record<string, unknown>;
  };
}
interface GoldenMetadata {
  ignore_cache: boolean;
  description: Record<string, string>;
  export_cache: { value?: boolean } | null;
  caps: Record<string, boolean>;
  progress_group: { id?: string; name?: string; weak?: boolean } | null;
}
interface GoldenCase {
  case: string;
  ops: GoldenOp[];
  metadata: Record<string, GoldenMetadata>;
  definition_hex: string;
}

const goldenDir = new URL('../../../shared/llb-golden/', import.meta.url);
const goldenCases: GoldenCase[] = readdirSync(fileURLToPath(goldenDir))
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(new URL(name, goldenDir), 'utf8')) as GoldenCase);

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Field numbers present at the top level of an encoded message, in wire order. */
function topLevelFields(bytes: Uint8Array): number[] {
  const reader = Reader.create(bytes);
  const fields: number[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    fields.push(tag >>> 3);
    reader.skipType(tag & 7);
  }
  return fields;
}

describe('golden LLB definitions decode with pb.Definition', () => {
  it('finds the corpus', () => {
    expect(goldenCases.length).toBeGreaterThanOrEqual(30);
  });

  for (const golden of goldenCases) {
    it(`${golden.case}: ops, digests and metadata`, () => {
      const def = pb.Definition.decode(Buffer.from(golden.definition_hex, 'hex'));

      expect(def.def).toHaveLength(golden.ops.length);
      def.def.forEach((bytes, i) => {
        const op = golden.ops[i]!;
        // The codec hands back the exact op bytes, so their sha256 is the vertex digest.
        expect(hex(bytes)).toBe(op.hex);
        expect(sha256(bytes)).toBe(op.digest);
      });

      expect(Object.keys(def.metadata).sort()).toEqual(Object.keys(golden.metadata).sort());
      for (const [digest, want] of Object.entries(golden.metadata)) {
        const got = def.metadata[digest]!;
        expect(got.caps ?? {}).toEqual(want.caps);
        expect(got.description ?? {}).toEqual(want.description);
        expect(got.ignore_cache ?? false).toBe(want.ignore_cache);
        if (want.export_cache === null) expect(got.export_cache ?? null).toBeNull();
        else expect(got.export_cache?.Value ?? false).toBe(want.export_cache.value ?? false);
        if (want.progress_group === null) expect(got.progress_group ?? null).toBeNull();
        else {
          expect(got.progress_group?.id ?? '').toBe(want.progress_group.id ?? '');
          expect(got.progress_group?.name ?? '').toBe(want.progress_group.name ?? '');
          expect(got.progress_group?.weak ?? false).toBe(want.progress_group.weak ?? false);
        }
      }
      // The vectors were marshalled with Definition.Source cleared.
      expect(def.Source ?? null).toBeNull();
    });
  }
});

describe('golden LLB ops decode with pb.Op', () => {
  const ops = goldenCases.flatMap((golden) => golden.ops.map((op, i) => ({ name: `${golden.case} #${i} ${op.kind}`, op })));

  it('covers every op kind', () => {
    expect(new Set(ops.map(({ op }) => op.kind))).toEqual(new Set(['source', 'exec', 'file', 'merge', 'diff', 'terminal']));
  });

  for (const { name, op: golden } of ops) {
    it(name, () => {
      const op = pb.Op.decode(Buffer.from(golden.hex, 'hex'));
      const want = golden.decoded;

      expect(op.op ?? 'terminal').toBe(golden.kind);
      expect(op.inputs.map((i) => ({ digest: i.digest, index: i.index ?? 0 }))).toEqual(
        (want.inputs ?? []).map((i) => ({ digest: i.digest, index: i.index ?? 0 })),
      );
      if (want.platform === undefined) expect(op.platform ?? null).toBeNull();
      else {
        expect(op.platform?.Architecture).toBe(want.platform.Architecture);
        expect(op.platform?.OS).toBe(want.platform.OS);
        expect(op.platform?.Variant ?? '').toBe(want.platform.Variant ?? '');
      }
      // Go writes an (empty) constraints message on every real op and none on the terminal op.
      expect(op.constraints != null).toBe(want.constraints !== undefined);

      const body = want.Op;
      switch (golden.kind) {
        case 'exec': {
          const exec = op.exec!;
          const wantExec = body!.exec!;
          expect(exec.meta?.args).toEqual(wantExec.meta.args);
          expect(exec.meta?.env ?? []).toEqual(wantExec.meta.env ?? []);
          expect(exec.meta?.cwd ?? '').toBe(wantExec.meta.cwd ?? '');
          expect(exec.network ?? 0).toBe(wantExec.network ?? 0);
          expect(exec.mounts).toHaveLength(wantExec.mounts.length);
          exec.mounts!.forEach((mount, i) => {
            const m = wantExec.mounts[i]!;
            expect({
              input: mount.input ?? 0,
              output: mount.output ?? 0,
              dest: mount.dest ?? '',
              selector: mount.selector ?? '',
              readonly: mount.readonly ?? false,
              mountType: mount.mountType ?? 0,
            }).toEqual({
              input: m.input ?? 0,
              output: m.output ?? 0,
              dest: m.dest ?? '',
              selector: m.selector ?? '',
              readonly: m.readonly ?? false,
              mountType: m.mountType ?? 0,
            });
          });
          break;
        }
        case 'source': {
          expect(op.source?.identifier).toBe(body!.source!.identifier);
          expect(op.source?.attrs ?? {}).toEqual(body!.source!.attrs ?? {});
          break;
        }
        case 'file': {
          const actions = op.file!.actions!;
          const wantActions = body!.file!.actions;
          expect(actions).toHaveLength(wantActions.length);
          actions.forEach((action, i) => {
            const w = wantActions[i]!;
            const decoded = pb.FileAction.decode(pb.FileAction.encode(action).finish());
            expect(decoded.action).toBe(Object.keys(w.Action)[0]);
            expect([decoded.input, decoded.secondaryInput, decoded.output]).toEqual([
              w.input ?? 0,
              w.secondaryInput ?? 0,
              w.output ?? 0,
            ]);
          });
          break;
        }
        case 'merge':
          expect(op.merge?.inputs?.map((m) => m.input ?? 0)).toEqual(body!.merge!.inputs.map((m) => m.input ?? 0));
          break;
        case 'diff':
          expect(op.diff?.lower?.input ?? 0).toBe(body!.diff!.lower?.input ?? 0);
          expect(op.diff?.upper?.input ?? 0).toBe(body!.diff!.upper?.input ?? 0);
          break;
        case 'terminal':
          expect(body).toBeNull();
          break;
      }
    });
  }

  it('decodes 64-bit fields as plain numbers, including -1 and nanosecond timestamps', () => {
    const golden = goldenCases.find((c) => c.case === '19-file-copy-all-flags')!;
    const copies = golden.ops
      .filter((o) => o.kind === 'file')
      .map((o) => pb.Op.decode(Buffer.from(o.hex, 'hex')).file!.actions![0]!.copy!);
    const timestamps = copies.map((c) => c.timestamp);
    expect(timestamps).toContain(-1);
    expect(timestamps).toContain(1_700_000_000_000_000_000);
    for (const t of timestamps) expect(typeof t).toBe('number');
    expect(copies.map((c) => c.mode)).toContain(0o755);
  });
});

// ---- round trips of the messages the client and the session exchange ----

describe('Control messages', () => {
  it('round-trips a StatusResponse with every field set', () => {
    const ts = (seconds: number, nanos: number) => ({ seconds, nanos });
    const status: moby.buildkit.v1.StatusResponse.$Properties = {
      vertexes: [
        {
          digest: 'sha256:aa',
          inputs: ['sha256:bb', 'sha256:cc'],
          name: '[1/2] RUN make',
          cached: true,
          started: ts(1_700_000_000, 5),
          completed: ts(1_700_000_001, 999_999_999),
          error: 'process "make" did not complete successfully: exit code: 2',
          progressGroup: { id: 'pg', name: 'group', weak: true },
        },
      ],
      statuses: [
        {
          ID: 'sha256:layer',
          vertex: 'sha256:aa',
          name: 'downloading',
          current: 5_000_000_000,
          total: 6_000_000_000,
          timestamp: ts(1_700_000_002, 1),
          started: ts(1_700_000_000, 0),
          completed: ts(1_700_000_003, 0),
        },
      ],
      logs: [{ vertex: 'sha256:aa', timestamp: ts(1_700_000_000, 42), stream: 2, msg: Buffer.from('partial line\nmore') }],
      warnings: [
        {
          vertex: 'sha256:aa',
          level: 1,
          short: Buffer.from('deprecated syntax'),
          detail: [Buffer.from('line one'), Buffer.from('line two')],
          url: 'https://example.invalid/why',
          info: { filename: 'kiln.ts', data: Buffer.from('source text'), definition: { def: [Buffer.from([1, 2])] } },
          ranges: [{ start: { line: 3, character: 1 }, end: { line: 3, character: 9 } }],
        },
      ],
    };
    const bytes = moby.buildkit.v1.StatusResponse.encode(status).finish();
    const decoded = moby.buildkit.v1.StatusResponse.decode(bytes);
    const plain = moby.buildkit.v1.StatusResponse.toObject(decoded, { bytes: String });
    const expected = moby.buildkit.v1.StatusResponse.toObject(moby.buildkit.v1.StatusResponse.fromObject(status), {
      bytes: String,
    });
    expect(plain).toEqual(expected);
    expect(decoded.statuses[0]!.total).toBe(6_000_000_000);
    expect(decoded.vertexes[0]!.progressGroup?.weak).toBe(true);
    expect(Buffer.from(decoded.logs[0]!.msg!).toString()).toBe('partial line\nmore');
    expect(decoded.warnings[0]!.ranges![0]!.end?.character).toBe(9);
    // Re-encoding the decoded message yields the same bytes.
    expect(hex(moby.buildkit.v1.StatusResponse.encode(decoded).finish())).toBe(hex(bytes));
  });

  it('leaves Definition (field 2) out of a gateway-mode SolveRequest', () => {
    const request: moby.buildkit.v1.SolveRequest.$Properties = {
      Ref: 'kiln-ref-1',
      Exporter: 'image',
      ExporterAttrs: { name: 'registry.invalid/app:1', push: 'true' },
      Session: 'kiln-session-1',
      Frontend: '',
      Cache: { Exports: [{ Type: 'inline', Attrs: {} }], Imports: [{ Type: 'registry', Attrs: { ref: 'r/c' } }] },
      Entitlements: ['network.host'],
    };
    const bytes = moby.buildkit.v1.SolveRequest.encode(request).finish();
    const fields = topLevelFields(bytes);
    expect(fields).not.toContain(2);
    expect(fields).toEqual([1, 3, 4, 4, 5, 8, 9]);

    const decoded = moby.buildkit.v1.SolveRequest.decode(bytes);
    expect(decoded.Definition ?? null).toBeNull();
    expect(decoded.Cache?.Imports?.[0]?.Attrs).toEqual({ ref: 'r/c' });

    // An empty-but-present Definition is still written (daemon: "invalid empty definition"), so callers must omit it.
    const withEmpty = moby.buildkit.v1.SolveRequest.encode({ ...request, Definition: {} }).finish();
    expect(topLevelFields(withEmpty)).toContain(2);
  });

  it('round-trips SolveResponse exporter responses and the Info version', () => {
    const res = moby.buildkit.v1.SolveResponse.decode(
      moby.buildkit.v1.SolveResponse.encode({ ExporterResponse: { 'containerimage.digest': 'sha256:dd' } }).finish(),
    );
    expect(res.ExporterResponse).toEqual({ 'containerimage.digest': 'sha256:dd' });
    const info = moby.buildkit.v1.InfoResponse.decode(
      moby.buildkit.v1.InfoResponse.encode({
        buildkitVersion: { package: 'github.com/moby/buildkit', version: 'v0.11.6', revision: 'abc' },
      }).finish(),
    );
    expect(info.buildkitVersion?.version).toBe('v0.11.6');
  });
});

describe('Gateway messages', () => {
  it('carries containerimage.config bytes in a ReturnRequest', () => {
    const config = { architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/usr/bin'], Cmd: ['app'], WorkingDir: '/srv' } };
    const configBytes = Buffer.from(JSON.stringify(config));
    const bytes = moby.buildkit.v1.frontend.ReturnRequest.encode({
      result: { ref: { id: 'res-1' }, metadata: { 'containerimage.config': configBytes } },
    }).finish();
    const decoded = moby.buildkit.v1.frontend.ReturnRequest.decode(bytes);
    expect(decoded.result?.ref?.id).toBe('res-1');
    const stored = decoded.result?.metadata?.['containerimage.config'];
    expect(stored).toBeDefined();
    expect(JSON.parse(Buffer.from(stored!).toString('utf8'))).toEqual(config);
    expect(decoded.error ?? null).toBeNull();
    const result = moby.buildkit.v1.frontend.Result.decode(moby.buildkit.v1.frontend.Result.encode(decoded.result!).finish());
    expect(result.result).toBe('ref');
  });

  it('reports a failure through ReturnRequest.error', () => {
    const decoded = moby.buildkit.v1.frontend.ReturnRequest.decode(
      moby.buildkit.v1.frontend.ReturnRequest.encode({ error: { code: 3, message: 'bad image config' } }).finish(),
    );
    expect(decoded.result ?? null).toBeNull();
    expect(decoded.error?.code).toBe(3);
    expect(decoded.error?.message).toBe('bad image config');
  });

  it('decodes Ping capabilities', () => {
    const pong = moby.buildkit.v1.frontend.PongResponse.decode(
      moby.buildkit.v1.frontend.PongResponse.encode({
        FrontendAPICaps: [{ ID: 'proto.refarray', Enabled: true }],
        LLBCaps: [{ ID: 'mergeop', Enabled: false, DisabledReason: 'old', DisabledReasonMsg: 'too old' }],
        Workers: [{ ID: 'w1', platforms: [{ Architecture: 'arm64', OS: 'linux', Variant: 'v8' }] }],
      }).finish(),
    );
    expect(pong.FrontendAPICaps.map((c) => [c.ID, c.Enabled ?? false])).toEqual([['proto.refarray', true]]);
    expect(pong.LLBCaps[0]?.DisabledReasonMsg).toBe('too old');
    expect(pong.Workers[0]?.platforms?.[0]?.Variant).toBe('v8');
  });
});

describe('rpc Status and health', () => {
  it('round-trips a google.rpc.Status with JSON Any details', () => {
    const vertex = { digest: 'sha256:0123' };
    const bytes = google.rpc.Status.encode({
      code: 2,
      message: 'process "/bin/sh -c exit 1" did not complete successfully: exit code: 1',
      details: [
        { type_url: 'github.com/moby/buildkit/errdefs.Vertex+json', value: Buffer.from(JSON.stringify(vertex)) },
        { type_url: 'github.com/moby/buildkit/stack.Stack+json', value: Buffer.from('{"frames":[]}') },
      ],
    }).finish();
    const status = google.rpc.Status.decode(bytes);
    expect(status.code).toBe(2);
    expect(status.message).toContain('exit code: 1');
    expect(status.details.map((d) => d.type_url)).toEqual([
      'github.com/moby/buildkit/errdefs.Vertex+json',
      'github.com/moby/buildkit/stack.Stack+json',
    ]);
    expect(JSON.parse(Buffer.from(status.details[0]!.value!).toString())).toEqual(vertex);
  });

  it('encodes a SERVING health response as field 1 = 1', () => {
    const serving = grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
    const bytes = grpc.health.v1.HealthCheckResponse.encode({ status: serving }).finish();
    expect(hex(bytes)).toBe('0801');
    expect(grpc.health.v1.HealthCheckResponse.decode(bytes).status).toBe(serving);
    // The daemon's request names the whole server: an empty message.
    expect(grpc.health.v1.HealthCheckRequest.decode(new Uint8Array(0)).service).toBe('');
  });
});

describe('decoding robustness', () => {
  it('skips unknown fields and tolerates invalid UTF-8 in strings', () => {
    // Vertex{#3 name: 0xff 0xfe (not UTF-8), #99 varint 7 (unknown)}
    const bytes = Buffer.from([0x1a, 0x02, 0xff, 0xfe, 0x98, 0x06, 0x07]);
    const vertex = moby.buildkit.v1.Vertex.decode(bytes);
    expect(vertex.name).toBe('\ufffd\ufffd');
    // Unknown field 99 (from a newer daemon) is skipped rather than breaking the stream.
    expect(hex(moby.buildkit.v1.Vertex.encode(vertex).finish())).toBe('1a06efbfbdefbfbd');
  });
});
