/**
 * Canonical encoders for the LLB messages in `pb.ts`, producing the same bytes as BuildKit's Go
 * client: ascending field numbers, proto3 zero scalars left out, set sub-messages always written
 * (even when empty), oneof members written even when zero, map entries sorted by the UTF-8 bytes of
 * their keys with both key and value always written, and negative integers as 10-byte varints.
 *
 * Internal module.
 */
import type {
  OpMetadata,
  PbBuildOp,
  PbChownOpt,
  PbDefinition,
  PbDiffOp,
  PbExecOp,
  PbFileAction,
  PbFileOp,
  PbInput,
  PbMergeOp,
  PbMeta,
  PbMount,
  PbOp,
  PbPlatform,
  PbSecretOpt,
  PbSource,
  PbSourceOp,
  PbUserOpt,
} from './pb.js';
import { ProtoWriter, WIRE_LEN, sortedKeys } from './wire.js';

function writeStringMap(w: ProtoWriter, field: number, map: ReadonlyMap<string, string>): void {
  if (map.size === 0) return;
  const keys = sortedKeys(map.keys());
  for (const k of keys) {
    const m = w.begin(field);
    w.string(1, k);
    w.string(2, map.get(k) as string);
    w.end(m);
  }
}

function writeBoolMap(w: ProtoWriter, field: number, map: ReadonlyMap<string, boolean>): void {
  if (map.size === 0) return;
  const keys = sortedKeys(map.keys());
  for (const k of keys) {
    const m = w.begin(field);
    w.string(1, k);
    w.boolAlways(2, map.get(k) as boolean);
    w.end(m);
  }
}

function writeInput(w: ProtoWriter, input: PbInput): void {
  const m = w.begin(1);
  w.stringOpt(1, input.digest);
  w.int64Opt(2, input.index);
  w.end(m);
}

function writePlatform(w: ProtoWriter, field: number, p: PbPlatform): void {
  const m = w.begin(field);
  w.stringOpt(1, p.architecture);
  w.stringOpt(2, p.os);
  w.stringOpt(3, p.variant);
  w.stringOpt(4, p.osVersion);
  w.strings(5, p.osFeatures);
  w.end(m);
}

function writeMeta(w: ProtoWriter, meta: PbMeta): void {
  const m = w.begin(1);
  w.strings(1, meta.args);
  w.strings(2, meta.env);
  w.stringOpt(3, meta.cwd);
  w.stringOpt(4, meta.user);
  const p = meta.proxyEnv;
  if (p !== undefined) {
    const pm = w.begin(5);
    w.stringOpt(1, p.httpProxy);
    w.stringOpt(2, p.httpsProxy);
    w.stringOpt(3, p.ftpProxy);
    w.stringOpt(4, p.noProxy);
    w.stringOpt(5, p.allProxy);
    w.end(pm);
  }
  for (const h of meta.extraHosts) {
    const hm = w.begin(6);
    w.stringOpt(1, h.host);
    w.stringOpt(2, h.ip);
    w.end(hm);
  }
  w.stringOpt(7, meta.hostname);
  for (const u of meta.ulimit) {
    const um = w.begin(9);
    w.stringOpt(1, u.name);
    w.int64Opt(2, u.soft);
    w.int64Opt(3, u.hard);
    w.end(um);
  }
  w.stringOpt(10, meta.cgroupParent);
  w.boolOpt(11, meta.removeMountStubsRecursive);
  w.end(m);
}

function writeSecretOpt(w: ProtoWriter, field: number, s: PbSecretOpt): void {
  const m = w.begin(field);
  w.stringOpt(1, s.id);
  w.int64Opt(2, s.uid);
  w.int64Opt(3, s.gid);
  w.int64Opt(4, s.mode);
  w.boolOpt(5, s.optional);
  w.end(m);
}

function writeMount(w: ProtoWriter, mount: PbMount): void {
  const m = w.begin(2);
  w.int64Opt(1, mount.input);
  w.stringOpt(2, mount.selector);
  w.stringOpt(3, mount.dest);
  w.int64Opt(4, mount.output);
  w.boolOpt(5, mount.readonly);
  w.int64Opt(6, mount.mountType);
  if (mount.tmpfsOpt !== undefined) {
    const t = w.begin(19);
    w.int64Opt(1, mount.tmpfsOpt.size);
    w.end(t);
  }
  if (mount.cacheOpt !== undefined) {
    const c = w.begin(20);
    w.stringOpt(1, mount.cacheOpt.id);
    w.int64Opt(2, mount.cacheOpt.sharing);
    w.end(c);
  }
  if (mount.secretOpt !== undefined) writeSecretOpt(w, 21, mount.secretOpt);
  if (mount.sshOpt !== undefined) writeSecretOpt(w, 22, mount.sshOpt);
  w.stringOpt(23, mount.resultId);
  w.end(m);
}

function writeExec(w: ProtoWriter, exec: PbExecOp): void {
  const m = w.begin(2);
  if (exec.meta !== undefined) writeMeta(w, exec.meta);
  for (const mount of exec.mounts) writeMount(w, mount);
  w.int64Opt(3, exec.network);
  w.int64Opt(4, exec.security);
  for (const s of exec.secretEnv) {
    const sm = w.begin(5);
    w.stringOpt(1, s.id);
    w.stringOpt(2, s.name);
    w.boolOpt(3, s.optional);
    w.end(sm);
  }
  w.end(m);
}

function writeSource(w: ProtoWriter, source: PbSourceOp): void {
  const m = w.begin(3);
  w.stringOpt(1, source.identifier);
  writeStringMap(w, 2, source.attrs);
  w.end(m);
}

function writeUserOpt(w: ProtoWriter, field: number, u: PbUserOpt): void {
  const m = w.begin(field);
  if (u.byName !== undefined) {
    const n = w.begin(1);
    w.stringOpt(1, u.byName.name);
    w.int64Opt(2, u.byName.input);
    w.end(n);
  } else if (u.byId !== undefined) {
    w.int64Always(2, u.byId);
  }
  w.end(m);
}

function writeChown(w: ProtoWriter, field: number, c: PbChownOpt): void {
  const m = w.begin(field);
  if (c.user !== undefined) writeUserOpt(w, 1, c.user);
  if (c.group !== undefined) writeUserOpt(w, 2, c.group);
  w.end(m);
}

function writeFileAction(w: ProtoWriter, a: PbFileAction): void {
  const m = w.begin(2);
  w.int64Opt(1, a.input);
  w.int64Opt(2, a.secondaryInput);
  w.int64Opt(3, a.output);
  const body = a.action;
  if (body !== undefined) {
    switch (body.type) {
      case 'copy': {
        const c = body.copy;
        const cm = w.begin(4);
        w.stringOpt(1, c.src);
        w.stringOpt(2, c.dest);
        if (c.owner !== undefined) writeChown(w, 3, c.owner);
        w.int64Opt(4, c.mode);
        w.boolOpt(5, c.followSymlink);
        w.boolOpt(6, c.dirCopyContents);
        w.boolOpt(7, c.attemptUnpackDockerCompatibility);
        w.boolOpt(8, c.createDestPath);
        w.boolOpt(9, c.allowWildcard);
        w.boolOpt(10, c.allowEmptyWildcard);
        w.int64Opt(11, c.timestamp);
        w.strings(12, c.includePatterns);
        w.strings(13, c.excludePatterns);
        w.end(cm);
        break;
      }
      case 'mkfile': {
        const f = body.mkfile;
        const fm = w.begin(5);
        w.stringOpt(1, f.path);
        w.int64Opt(2, f.mode);
        w.bytesOpt(3, f.data);
        if (f.owner !== undefined) writeChown(w, 4, f.owner);
        w.int64Opt(5, f.timestamp);
        w.end(fm);
        break;
      }
      case 'mkdir': {
        const d = body.mkdir;
        const dm = w.begin(6);
        w.stringOpt(1, d.path);
        w.int64Opt(2, d.mode);
        w.boolOpt(3, d.makeParents);
        if (d.owner !== undefined) writeChown(w, 4, d.owner);
        w.int64Opt(5, d.timestamp);
        w.end(dm);
        break;
      }
      case 'rm': {
        const r = body.rm;
        const rm = w.begin(7);
        w.stringOpt(1, r.path);
        w.boolOpt(2, r.allowNotFound);
        w.boolOpt(3, r.allowWildcard);
        w.end(rm);
        break;
      }
    }
  }
  w.end(m);
}

function writeFile(w: ProtoWriter, file: PbFileOp): void {
  const m = w.begin(4);
  for (const a of file.actions) writeFileAction(w, a);
  w.end(m);
}

function writeBuild(w: ProtoWriter, build: PbBuildOp): void {
  const m = w.begin(5);
  w.int64Opt(1, build.builder);
  if (build.inputs.size > 0) {
    for (const k of sortedKeys(build.inputs.keys())) {
      const e = w.begin(2);
      w.string(1, k);
      const v = w.begin(2);
      w.int64Opt(1, (build.inputs.get(k) as { input: number }).input);
      w.end(v);
      w.end(e);
    }
  }
  if (build.def !== undefined) {
    w.tag(3, WIRE_LEN);
    const bytes = encodeDefinition(build.def);
    w.uvarint(bytes.length);
    w.raw(bytes);
  }
  writeStringMap(w, 4, build.attrs);
  w.end(m);
}

function writeMerge(w: ProtoWriter, merge: PbMergeOp): void {
  const m = w.begin(6);
  for (const input of merge.inputs) {
    const im = w.begin(1);
    w.int64Opt(1, input.input);
    w.end(im);
  }
  w.end(m);
}

function writeDiff(w: ProtoWriter, diff: PbDiffOp): void {
  const m = w.begin(7);
  if (diff.lower !== undefined) {
    const l = w.begin(1);
    w.int64Opt(1, diff.lower.input);
    w.end(l);
  }
  if (diff.upper !== undefined) {
    const u = w.begin(2);
    w.int64Opt(1, diff.upper.input);
    w.end(u);
  }
  w.end(m);
}

/** Writes an `Op` message body (no key or length) into `w`. */
export function writeOp(w: ProtoWriter, op: PbOp): void {
  for (const input of op.inputs) writeInput(w, input);
  const body = op.op;
  if (body !== undefined) {
    switch (body.type) {
      case 'exec':
        writeExec(w, body.exec);
        break;
      case 'source':
        writeSource(w, body.source);
        break;
      case 'file':
        writeFile(w, body.file);
        break;
      case 'build':
        writeBuild(w, body.build);
        break;
      case 'merge':
        writeMerge(w, body.merge);
        break;
      case 'diff':
        writeDiff(w, body.diff);
        break;
    }
  }
  if (op.platform !== undefined) writePlatform(w, 10, op.platform);
  if (op.constraints !== undefined) {
    const m = w.begin(11);
    w.strings(1, op.constraints.filter);
    w.end(m);
  }
}

// One writer for all ops (encoding is synchronous and never re-entered): each op is a view of its
// shared 256 KiB slabs.
const opWriter = new ProtoWriter(256 * 1024);

/** Encodes one `Op`. */
export function encodeOp(op: PbOp): Uint8Array {
  opWriter.startMessage();
  writeOp(opWriter, op);
  return opWriter.takeMessage();
}

/** Writes an `OpMetadata` message body. */
export function writeOpMetadata(w: ProtoWriter, md: OpMetadata): void {
  w.boolOpt(1, md.ignoreCache);
  writeStringMap(w, 2, md.description);
  if (md.exportCache !== undefined) {
    const m = w.begin(4);
    w.boolOpt(1, md.exportCache.value);
    w.end(m);
  }
  writeBoolMap(w, 5, md.caps);
  const pg = md.progressGroup;
  if (pg !== undefined) {
    const m = w.begin(6);
    w.stringOpt(1, pg.id);
    w.stringOpt(2, pg.name);
    w.boolOpt(3, pg.weak);
    w.end(m);
  }
}

function writeSourceMaps(w: ProtoWriter, source: PbSource): void {
  const m = w.begin(3);
  for (const k of sortedKeys(source.locations.keys())) {
    const e = w.begin(1);
    w.string(1, k);
    const v = w.begin(2);
    for (const loc of source.locations.get(k) ?? []) {
      const lm = w.begin(1);
      w.int64Opt(1, loc.sourceIndex);
      for (const r of loc.ranges) {
        const rm = w.begin(2);
        const s = w.begin(1);
        w.int64Opt(1, r.start.line);
        w.int64Opt(2, r.start.character);
        w.end(s);
        const e2 = w.begin(2);
        w.int64Opt(1, r.end.line);
        w.int64Opt(2, r.end.character);
        w.end(e2);
        w.end(rm);
      }
      w.end(lm);
    }
    w.end(v);
    w.end(e);
  }
  for (const info of source.infos) {
    const im = w.begin(2);
    w.stringOpt(1, info.filename);
    w.bytesOpt(2, info.data);
    if (info.definition !== undefined) {
      w.tag(3, WIRE_LEN);
      const bytes = encodeDefinition(info.definition);
      w.uvarint(bytes.length);
      w.raw(bytes);
    }
    w.end(im);
  }
  w.end(m);
}

/** Encodes a whole `Definition`: op bytes in the given order, metadata sorted by digest. */
export function encodeDefinition(def: PbDefinition): Uint8Array {
  let size = 16;
  for (const op of def.def) size += op.length + 4;
  const w = new ProtoWriter(size + def.metadata.size * 160);
  for (const op of def.def) w.bytes(1, op);
  if (def.metadata.size > 0) {
    for (const k of sortedKeys(def.metadata.keys())) {
      const e = w.begin(2);
      w.string(1, k);
      const v = w.begin(2);
      writeOpMetadata(w, def.metadata.get(k) as OpMetadata);
      w.end(v);
      w.end(e);
    }
  }
  if (def.source !== undefined) writeSourceMaps(w, def.source);
  return w.finish();
}
