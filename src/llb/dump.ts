/**
 * `dumpLLB`: a definition in the shape `buildctl debug dump-llb` prints — one `{Op, Digest,
 * OpMetadata}` object per op, with Go's JSON field names and omission rules.
 */
import { invalidArgument } from '../errors.js';
import { type DecodedDefinition, decodeDefinition } from './decode.js';
import { Definition } from './definition.js';
import { asGoMap, goJsonStringify } from './go-json.js';
import type {
  Int64,
  OpMetadata,
  PbChownOpt,
  PbDefinition,
  PbExecOp,
  PbFileAction,
  PbMount,
  PbOp,
  PbPlatform,
  PbSecretOpt,
  PbUserOpt,
} from './pb.js';

/** A JSON-like value of a dump; 64-bit integers beyond the safe range are bigints. */
export type DumpValue = string | number | bigint | boolean | null | readonly DumpValue[] | DumpObject;
/** A JSON object of a dump. */
export interface DumpObject {
  readonly [key: string]: DumpValue;
}

/** One op as `buildctl debug dump-llb` shows it. */
export interface DumpEntry {
  /** The op, in Go's JSON rendering of `pb.Op`. */
  readonly Op: DumpObject;
  /** `sha256:` digest of the op. */
  readonly Digest: string;
  /** Go's JSON rendering of the op's `pb.OpMetadata` (zero value when the definition has none). */
  readonly OpMetadata: DumpObject;
}

type Obj = Record<string, DumpValue>;

function int(v: Int64): number | bigint {
  if (typeof v === 'number') return v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function put(o: Obj, key: string, v: DumpValue | undefined, omitEmpty: boolean): void {
  if (v === undefined) return;
  if (omitEmpty) {
    if (v === '' || v === 0 || v === 0n || v === false || v === null) return;
    if (Array.isArray(v) && v.length === 0) return;
  }
  o[key] = v;
}

function stringMap(m: ReadonlyMap<string, string>): Obj {
  const o: Obj = asGoMap(Object.create(null) as Obj);
  for (const [k, v] of m) o[k] = v;
  return o;
}

function platformJson(p: PbPlatform): Obj {
  const o: Obj = {};
  put(o, 'Architecture', p.architecture, true);
  put(o, 'OS', p.os, true);
  put(o, 'Variant', p.variant, true);
  put(o, 'OSVersion', p.osVersion, true);
  put(o, 'OSFeatures', p.osFeatures, true);
  return o;
}

function secretOptJson(s: PbSecretOpt): Obj {
  const o: Obj = {};
  put(o, 'ID', s.id, true);
  put(o, 'uid', s.uid, true);
  put(o, 'gid', s.gid, true);
  put(o, 'mode', s.mode, true);
  put(o, 'optional', s.optional, true);
  return o;
}

function mountJson(m: PbMount): Obj {
  const o: Obj = { input: m.input };
  put(o, 'selector', m.selector, true);
  put(o, 'dest', m.dest, true);
  o.output = m.output;
  put(o, 'readonly', m.readonly, true);
  put(o, 'mountType', m.mountType, true);
  if (m.tmpfsOpt !== undefined) {
    const t: Obj = {};
    put(t, 'size', int(m.tmpfsOpt.size), true);
    o.TmpfsOpt = t;
  }
  if (m.cacheOpt !== undefined) {
    const c: Obj = {};
    put(c, 'ID', m.cacheOpt.id, true);
    put(c, 'sharing', m.cacheOpt.sharing, true);
    o.cacheOpt = c;
  }
  if (m.secretOpt !== undefined) o.secretOpt = secretOptJson(m.secretOpt);
  if (m.sshOpt !== undefined) o.SSHOpt = secretOptJson(m.sshOpt);
  put(o, 'resultID', m.resultId, true);
  return o;
}

function execJson(e: PbExecOp): Obj {
  const o: Obj = {};
  if (e.meta !== undefined) {
    const m = e.meta;
    const meta: Obj = {};
    put(meta, 'args', m.args, true);
    put(meta, 'env', m.env, true);
    put(meta, 'cwd', m.cwd, true);
    put(meta, 'user', m.user, true);
    if (m.proxyEnv !== undefined) {
      const p: Obj = {};
      put(p, 'http_proxy', m.proxyEnv.httpProxy, true);
      put(p, 'https_proxy', m.proxyEnv.httpsProxy, true);
      put(p, 'ftp_proxy', m.proxyEnv.ftpProxy, true);
      put(p, 'no_proxy', m.proxyEnv.noProxy, true);
      put(p, 'all_proxy', m.proxyEnv.allProxy, true);
      meta.proxy_env = p;
    }
    put(
      meta,
      'extraHosts',
      m.extraHosts.map((h) => {
        const x: Obj = {};
        put(x, 'Host', h.host, true);
        put(x, 'IP', h.ip, true);
        return x;
      }),
      true,
    );
    put(meta, 'hostname', m.hostname, true);
    put(
      meta,
      'ulimit',
      m.ulimit.map((u) => {
        const x: Obj = {};
        put(x, 'Name', u.name, true);
        put(x, 'Soft', int(u.soft), true);
        put(x, 'Hard', int(u.hard), true);
        return x;
      }),
      true,
    );
    put(meta, 'cgroupParent', m.cgroupParent, true);
    put(meta, 'removeMountStubsRecursive', m.removeMountStubsRecursive, true);
    o.meta = meta;
  }
  put(o, 'mounts', e.mounts.map(mountJson), true);
  put(o, 'network', e.network, true);
  put(o, 'security', e.security, true);
  put(
    o,
    'secretenv',
    e.secretEnv.map((s) => {
      const x: Obj = {};
      put(x, 'ID', s.id, true);
      put(x, 'name', s.name, true);
      put(x, 'optional', s.optional, true);
      return x;
    }),
    true,
  );
  return o;
}

function userJson(u: PbUserOpt): Obj {
  if (u.byName !== undefined) {
    const n: Obj = {};
    put(n, 'name', u.byName.name, true);
    n.input = u.byName.input;
    return { User: { byName: n } };
  }
  if (u.byId !== undefined) {
    const b: Obj = {};
    put(b, 'byID', u.byId, true);
    return { User: b };
  }
  return { User: null };
}

function chownJson(c: PbChownOpt): Obj {
  const o: Obj = {};
  if (c.user !== undefined) o.user = userJson(c.user);
  if (c.group !== undefined) o.group = userJson(c.group);
  return o;
}

function fileActionJson(a: PbFileAction): Obj {
  const o: Obj = { input: a.input, secondaryInput: a.secondaryInput, output: a.output };
  const body = a.action;
  if (body === undefined) {
    o.Action = null;
    return o;
  }
  const x: Obj = {};
  switch (body.type) {
    case 'copy': {
      const c = body.copy;
      put(x, 'src', c.src, true);
      put(x, 'dest', c.dest, true);
      if (c.owner !== undefined) x.owner = chownJson(c.owner);
      put(x, 'mode', c.mode, true);
      put(x, 'followSymlink', c.followSymlink, true);
      put(x, 'dirCopyContents', c.dirCopyContents, true);
      put(x, 'attemptUnpackDockerCompatibility', c.attemptUnpackDockerCompatibility, true);
      put(x, 'createDestPath', c.createDestPath, true);
      put(x, 'allowWildcard', c.allowWildcard, true);
      put(x, 'allowEmptyWildcard', c.allowEmptyWildcard, true);
      put(x, 'timestamp', int(c.timestamp), true);
      put(x, 'include_patterns', c.includePatterns, true);
      put(x, 'exclude_patterns', c.excludePatterns, true);
      o.Action = { copy: x };
      break;
    }
    case 'mkfile': {
      const f = body.mkfile;
      put(x, 'path', f.path, true);
      put(x, 'mode', f.mode, true);
      if (f.data.length > 0) x.data = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength).toString('base64');
      if (f.owner !== undefined) x.owner = chownJson(f.owner);
      put(x, 'timestamp', int(f.timestamp), true);
      o.Action = { mkfile: x };
      break;
    }
    case 'mkdir': {
      const d = body.mkdir;
      put(x, 'path', d.path, true);
      put(x, 'mode', d.mode, true);
      put(x, 'makeParents', d.makeParents, true);
      if (d.owner !== undefined) x.owner = chownJson(d.owner);
      put(x, 'timestamp', int(d.timestamp), true);
      o.Action = { mkdir: x };
      break;
    }
    case 'rm': {
      const r = body.rm;
      put(x, 'path', r.path, true);
      put(x, 'allowNotFound', r.allowNotFound, true);
      put(x, 'allowWildcard', r.allowWildcard, true);
      o.Action = { rm: x };
      break;
    }
  }
  return o;
}

function definitionJson(def: PbDefinition): Obj {
  const o: Obj = {};
  put(
    o,
    'def',
    def.def.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')),
    true,
  );
  const md: Obj = asGoMap(Object.create(null) as Obj);
  for (const [k, v] of def.metadata) md[k] = metadataJson(v);
  o.metadata = md;
  return o;
}

/** Go's JSON rendering of a `pb.Op`. */
export function opJson(op: PbOp): DumpObject {
  const o: Obj = {};
  put(
    o,
    'inputs',
    op.inputs.map((i) => ({ digest: i.digest, index: i.index })),
    true,
  );
  const body = op.op;
  if (body === undefined) o.Op = null;
  else {
    switch (body.type) {
      case 'exec':
        o.Op = { exec: execJson(body.exec) };
        break;
      case 'source': {
        const s: Obj = {};
        put(s, 'identifier', body.source.identifier, true);
        if (body.source.attrs.size > 0) s.attrs = stringMap(body.source.attrs);
        o.Op = { source: s };
        break;
      }
      case 'file':
        o.Op = { file: body.file.actions.length > 0 ? { actions: body.file.actions.map(fileActionJson) } : {} };
        break;
      case 'build': {
        const b: Obj = { builder: body.build.builder };
        if (body.build.inputs.size > 0) {
          const m: Obj = asGoMap(Object.create(null) as Obj);
          for (const [k, v] of body.build.inputs) m[k] = { input: v.input };
          b.inputs = m;
        }
        if (body.build.def !== undefined) b.def = definitionJson(body.build.def);
        if (body.build.attrs.size > 0) b.attrs = stringMap(body.build.attrs);
        o.Op = { build: b };
        break;
      }
      case 'merge':
        o.Op = { merge: body.merge.inputs.length > 0 ? { inputs: body.merge.inputs.map((i) => ({ input: i.input })) } : {} };
        break;
      case 'diff': {
        const d: Obj = {};
        if (body.diff.lower !== undefined) d.lower = { input: body.diff.lower.input };
        if (body.diff.upper !== undefined) d.upper = { input: body.diff.upper.input };
        o.Op = { diff: d };
        break;
      }
    }
  }
  if (op.platform !== undefined) o.platform = platformJson(op.platform);
  if (op.constraints !== undefined) {
    const c: Obj = {};
    put(c, 'filter', op.constraints.filter, true);
    o.constraints = c;
  }
  return o;
}

/** Go's JSON rendering of a `pb.OpMetadata`. */
export function metadataJson(m: OpMetadata | undefined): DumpObject {
  const o: Obj = {};
  if (m === undefined) {
    o.caps = null;
    return o;
  }
  put(o, 'ignore_cache', m.ignoreCache, true);
  if (m.description.size > 0) o.description = stringMap(m.description);
  if (m.exportCache !== undefined) {
    const e: Obj = {};
    put(e, 'Value', m.exportCache.value, true);
    o.export_cache = e;
  }
  if (m.caps.size > 0) {
    const c: Obj = asGoMap(Object.create(null) as Obj);
    for (const [k, v] of m.caps) c[k] = v;
    o.caps = c;
  } else {
    o.caps = null;
  }
  if (m.progressGroup !== undefined) {
    const p: Obj = {};
    put(p, 'id', m.progressGroup.id, true);
    put(p, 'name', m.progressGroup.name, true);
    put(p, 'weak', m.progressGroup.weak, true);
    o.progress_group = p;
  }
  return o;
}

/**
 * The ops of a definition in `buildctl debug dump-llb` form.
 *
 * @example
 * for (const e of dumpLLB(def)) console.log(e.Digest, JSON.stringify(e.Op));
 */
export function dumpLLB(def: Definition | Uint8Array | DecodedDefinition): DumpEntry[] {
  let decoded: DecodedDefinition;
  if (def instanceof Definition || def instanceof Uint8Array) decoded = decodeDefinition(def);
  else if (typeof def === 'object' && def !== null && 'ops' in def && Array.isArray(def.ops)) decoded = def;
  else return invalidArgument('dumpLLB takes a Definition, definition bytes or a decoded definition', dumpLLB);
  return decoded.ops.map((o) => ({ Op: opJson(o.op), Digest: o.digest, OpMetadata: metadataJson(o.metadata) }));
}

/**
 * The JSON lines `buildctl debug dump-llb` would print for `entries` (Go's escaping, map keys
 * sorted by byte order, one object per line).
 */
export function formatDumpLLB(entries: readonly DumpEntry[]): string {
  return entries.map((e) => `${goJsonStringify({ Op: e.Op, Digest: e.Digest, OpMetadata: e.OpMetadata })}\n`).join('');
}
