/**
 * Decoders for the LLB messages in `pb.ts`. Unknown fields are skipped (proto3 rules); a field seen
 * twice keeps the last value (repeated fields append). Malformed bytes throw `WireError`.
 *
 * Internal module: the public entry point is `decodeDefinition` in `decode.ts`.
 */
import type {
  Int64,
  OpMetadata,
  PbBuildOp,
  PbChownOpt,
  PbDefinition,
  PbDiffOp,
  PbExecOp,
  PbFileAction,
  PbFileActionBody,
  PbFileActionCopy,
  PbFileActionMkDir,
  PbFileActionMkFile,
  PbFileActionRm,
  PbFileOp,
  PbHostIP,
  PbInput,
  PbLocation,
  PbMergeOp,
  PbMeta,
  PbMount,
  PbOp,
  PbOpBody,
  PbPlatform,
  PbPosition,
  PbProxyEnv,
  PbRange,
  PbSecretEnv,
  PbSecretOpt,
  PbSource,
  PbSourceInfo,
  PbSourceOp,
  PbUlimit,
  PbUserOpt,
  PbWorkerConstraints,
  ProgressGroup,
} from './pb.js';
import { ProtoReader, WIRE_LEN, WIRE_VARINT, WireError } from './wire.js';

type Reader = ProtoReader;

function len(r: Reader, field: number, wt: number): void {
  r.expect(field, wt, WIRE_LEN);
}
function vint(r: Reader, field: number, wt: number): void {
  r.expect(field, wt, WIRE_VARINT);
}

function readInput(r: Reader): PbInput {
  let digest = '';
  let index = 0;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (digest = r.string()));
    else if (f === 2) (vint(r, f, wt), (index = r.int64Safe('Input.index')));
    else r.skip(wt);
  }
  return { digest, index };
}

function readPlatform(r: Reader): PbPlatform {
  let architecture = '';
  let os = '';
  let variant = '';
  let osVersion = '';
  const osFeatures: string[] = [];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f >= 1 && f <= 5) len(r, f, wt);
    if (f === 1) architecture = r.string();
    else if (f === 2) os = r.string();
    else if (f === 3) variant = r.string();
    else if (f === 4) osVersion = r.string();
    else if (f === 5) osFeatures.push(r.string());
    else r.skip(wt);
  }
  return { architecture, os, variant, osVersion, osFeatures };
}

function readConstraints(r: Reader): PbWorkerConstraints {
  const filter: string[] = [];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), filter.push(r.string()));
    else r.skip(wt);
  }
  return { filter };
}

function readProxyEnv(r: Reader): PbProxyEnv {
  const v = ['', '', '', '', ''];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f >= 1 && f <= 5) (len(r, f, wt), (v[f - 1] = r.string()));
    else r.skip(wt);
  }
  return { httpProxy: v[0] ?? '', httpsProxy: v[1] ?? '', ftpProxy: v[2] ?? '', noProxy: v[3] ?? '', allProxy: v[4] ?? '' };
}

function readHostIP(r: Reader): PbHostIP {
  let host = '';
  let ip = '';
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (host = r.string()));
    else if (f === 2) (len(r, f, wt), (ip = r.string()));
    else r.skip(wt);
  }
  return { host, ip };
}

function readUlimit(r: Reader): PbUlimit {
  let name = '';
  let soft: Int64 = 0;
  let hard: Int64 = 0;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (name = r.string()));
    else if (f === 2) (vint(r, f, wt), (soft = r.int64()));
    else if (f === 3) (vint(r, f, wt), (hard = r.int64()));
    else r.skip(wt);
  }
  return { name, soft, hard };
}

function readMeta(r: Reader): PbMeta {
  const args: string[] = [];
  const env: string[] = [];
  let cwd = '';
  let user = '';
  let proxyEnv: PbProxyEnv | undefined;
  const extraHosts: PbHostIP[] = [];
  let hostname = '';
  const ulimit: PbUlimit[] = [];
  let cgroupParent = '';
  let removeMountStubsRecursive = false;
  while (!r.done()) {
    const [f, wt] = r.key();
    switch (f) {
      case 1:
        len(r, f, wt);
        args.push(r.string());
        break;
      case 2:
        len(r, f, wt);
        env.push(r.string());
        break;
      case 3:
        len(r, f, wt);
        cwd = r.string();
        break;
      case 4:
        len(r, f, wt);
        user = r.string();
        break;
      case 5:
        len(r, f, wt);
        proxyEnv = readProxyEnv(r.message());
        break;
      case 6:
        len(r, f, wt);
        extraHosts.push(readHostIP(r.message()));
        break;
      case 7:
        len(r, f, wt);
        hostname = r.string();
        break;
      case 9:
        len(r, f, wt);
        ulimit.push(readUlimit(r.message()));
        break;
      case 10:
        len(r, f, wt);
        cgroupParent = r.string();
        break;
      case 11:
        vint(r, f, wt);
        removeMountStubsRecursive = r.bool();
        break;
      default:
        r.skip(wt);
    }
  }
  return { args, env, cwd, user, proxyEnv, extraHosts, hostname, ulimit, cgroupParent, removeMountStubsRecursive };
}

function readSecretOpt(r: Reader): PbSecretOpt {
  let id = '';
  let uid = 0;
  let gid = 0;
  let mode = 0;
  let optional = false;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (id = r.string()));
    else if (f === 2) (vint(r, f, wt), (uid = r.uint32()));
    else if (f === 3) (vint(r, f, wt), (gid = r.uint32()));
    else if (f === 4) (vint(r, f, wt), (mode = r.uint32()));
    else if (f === 5) (vint(r, f, wt), (optional = r.bool()));
    else r.skip(wt);
  }
  return { id, uid, gid, mode, optional };
}

function readMount(r: Reader): PbMount {
  let input = 0;
  let selector = '';
  let dest = '';
  let output = 0;
  let readonly = false;
  let mountType = 0;
  let tmpfsOpt: { size: Int64 } | undefined;
  let cacheOpt: { id: string; sharing: number } | undefined;
  let secretOpt: PbSecretOpt | undefined;
  let sshOpt: PbSecretOpt | undefined;
  let resultId = '';
  while (!r.done()) {
    const [f, wt] = r.key();
    switch (f) {
      case 1:
        vint(r, f, wt);
        input = r.int64Safe('Mount.input');
        break;
      case 2:
        len(r, f, wt);
        selector = r.string();
        break;
      case 3:
        len(r, f, wt);
        dest = r.string();
        break;
      case 4:
        vint(r, f, wt);
        output = r.int64Safe('Mount.output');
        break;
      case 5:
        vint(r, f, wt);
        readonly = r.bool();
        break;
      case 6:
        vint(r, f, wt);
        mountType = r.int32();
        break;
      case 19: {
        len(r, f, wt);
        const m = r.message();
        let size: Int64 = 0;
        while (!m.done()) {
          const [g, gwt] = m.key();
          if (g === 1) (vint(m, g, gwt), (size = m.int64()));
          else m.skip(gwt);
        }
        tmpfsOpt = { size };
        break;
      }
      case 20: {
        len(r, f, wt);
        const m = r.message();
        let id = '';
        let sharing = 0;
        while (!m.done()) {
          const [g, gwt] = m.key();
          if (g === 1) (len(m, g, gwt), (id = m.string()));
          else if (g === 2) (vint(m, g, gwt), (sharing = m.int32()));
          else m.skip(gwt);
        }
        cacheOpt = { id, sharing };
        break;
      }
      case 21:
        len(r, f, wt);
        secretOpt = readSecretOpt(r.message());
        break;
      case 22:
        len(r, f, wt);
        sshOpt = readSecretOpt(r.message());
        break;
      case 23:
        len(r, f, wt);
        resultId = r.string();
        break;
      default:
        r.skip(wt);
    }
  }
  return { input, selector, dest, output, readonly, mountType, tmpfsOpt, cacheOpt, secretOpt, sshOpt, resultId };
}

function readSecretEnv(r: Reader): PbSecretEnv {
  let id = '';
  let name = '';
  let optional = false;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (id = r.string()));
    else if (f === 2) (len(r, f, wt), (name = r.string()));
    else if (f === 3) (vint(r, f, wt), (optional = r.bool()));
    else r.skip(wt);
  }
  return { id, name, optional };
}

function readExec(r: Reader): PbExecOp {
  let meta: PbMeta | undefined;
  const mounts: PbMount[] = [];
  let network = 0;
  let security = 0;
  const secretEnv: PbSecretEnv[] = [];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (meta = readMeta(r.message())));
    else if (f === 2) (len(r, f, wt), mounts.push(readMount(r.message())));
    else if (f === 3) (vint(r, f, wt), (network = r.int32()));
    else if (f === 4) (vint(r, f, wt), (security = r.int32()));
    else if (f === 5) (len(r, f, wt), secretEnv.push(readSecretEnv(r.message())));
    else r.skip(wt);
  }
  return { meta, mounts, network, security, secretEnv };
}

function readStringMapEntry(r: Reader, into: Map<string, string>): void {
  let k = '';
  let v = '';
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (k = r.string()));
    else if (f === 2) (len(r, f, wt), (v = r.string()));
    else r.skip(wt);
  }
  into.set(k, v);
}

function readSource(r: Reader): PbSourceOp {
  let identifier = '';
  const attrs = new Map<string, string>();
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (identifier = r.string()));
    else if (f === 2) (len(r, f, wt), readStringMapEntry(r.message(), attrs));
    else r.skip(wt);
  }
  return { identifier, attrs };
}

function readUserOpt(r: Reader): PbUserOpt {
  let result: PbUserOpt = {};
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) {
      len(r, f, wt);
      const m = r.message();
      let name = '';
      let input = 0;
      while (!m.done()) {
        const [g, gwt] = m.key();
        if (g === 1) (len(m, g, gwt), (name = m.string()));
        else if (g === 2) (vint(m, g, gwt), (input = m.int64Safe('NamedUserOpt.input')));
        else m.skip(gwt);
      }
      result = { byName: { name, input } };
    } else if (f === 2) {
      vint(r, f, wt);
      result = { byId: r.uint32() };
    } else r.skip(wt);
  }
  return result;
}

function readChown(r: Reader): PbChownOpt {
  let user: PbUserOpt | undefined;
  let group: PbUserOpt | undefined;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (user = readUserOpt(r.message())));
    else if (f === 2) (len(r, f, wt), (group = readUserOpt(r.message())));
    else r.skip(wt);
  }
  return { user, group };
}

function readCopy(r: Reader): PbFileActionCopy {
  let src = '';
  let dest = '';
  let owner: PbChownOpt | undefined;
  let mode = 0;
  const flags = [false, false, false, false, false, false];
  let timestamp = 0n;
  const includePatterns: string[] = [];
  const excludePatterns: string[] = [];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (src = r.string()));
    else if (f === 2) (len(r, f, wt), (dest = r.string()));
    else if (f === 3) (len(r, f, wt), (owner = readChown(r.message())));
    else if (f === 4) (vint(r, f, wt), (mode = r.int32()));
    else if (f >= 5 && f <= 10) (vint(r, f, wt), (flags[f - 5] = r.bool()));
    else if (f === 11) (vint(r, f, wt), (timestamp = r.int64Big()));
    else if (f === 12) (len(r, f, wt), includePatterns.push(r.string()));
    else if (f === 13) (len(r, f, wt), excludePatterns.push(r.string()));
    else r.skip(wt);
  }
  return {
    src,
    dest,
    owner,
    mode,
    followSymlink: flags[0] === true,
    dirCopyContents: flags[1] === true,
    attemptUnpackDockerCompatibility: flags[2] === true,
    createDestPath: flags[3] === true,
    allowWildcard: flags[4] === true,
    allowEmptyWildcard: flags[5] === true,
    timestamp,
    includePatterns,
    excludePatterns,
  };
}

function readMkfile(r: Reader): PbFileActionMkFile {
  let path = '';
  let mode = 0;
  let data: Uint8Array = new Uint8Array(0);
  let owner: PbChownOpt | undefined;
  let timestamp = 0n;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (path = r.string()));
    else if (f === 2) (vint(r, f, wt), (mode = r.int32()));
    else if (f === 3) (len(r, f, wt), (data = r.bytes()));
    else if (f === 4) (len(r, f, wt), (owner = readChown(r.message())));
    else if (f === 5) (vint(r, f, wt), (timestamp = r.int64Big()));
    else r.skip(wt);
  }
  return { path, mode, data, owner, timestamp };
}

function readMkdir(r: Reader): PbFileActionMkDir {
  let path = '';
  let mode = 0;
  let makeParents = false;
  let owner: PbChownOpt | undefined;
  let timestamp = 0n;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (path = r.string()));
    else if (f === 2) (vint(r, f, wt), (mode = r.int32()));
    else if (f === 3) (vint(r, f, wt), (makeParents = r.bool()));
    else if (f === 4) (len(r, f, wt), (owner = readChown(r.message())));
    else if (f === 5) (vint(r, f, wt), (timestamp = r.int64Big()));
    else r.skip(wt);
  }
  return { path, mode, makeParents, owner, timestamp };
}

function readRm(r: Reader): PbFileActionRm {
  let path = '';
  let allowNotFound = false;
  let allowWildcard = false;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (path = r.string()));
    else if (f === 2) (vint(r, f, wt), (allowNotFound = r.bool()));
    else if (f === 3) (vint(r, f, wt), (allowWildcard = r.bool()));
    else r.skip(wt);
  }
  return { path, allowNotFound, allowWildcard };
}

function readFileAction(r: Reader): PbFileAction {
  let input = 0;
  let secondaryInput = 0;
  let output = 0;
  let action: PbFileActionBody | undefined;
  while (!r.done()) {
    const [f, wt] = r.key();
    switch (f) {
      case 1:
        vint(r, f, wt);
        input = r.int64Safe('FileAction.input');
        break;
      case 2:
        vint(r, f, wt);
        secondaryInput = r.int64Safe('FileAction.secondaryInput');
        break;
      case 3:
        vint(r, f, wt);
        output = r.int64Safe('FileAction.output');
        break;
      case 4:
        len(r, f, wt);
        action = { type: 'copy', copy: readCopy(r.message()) };
        break;
      case 5:
        len(r, f, wt);
        action = { type: 'mkfile', mkfile: readMkfile(r.message()) };
        break;
      case 6:
        len(r, f, wt);
        action = { type: 'mkdir', mkdir: readMkdir(r.message()) };
        break;
      case 7:
        len(r, f, wt);
        action = { type: 'rm', rm: readRm(r.message()) };
        break;
      default:
        r.skip(wt);
    }
  }
  return { input, secondaryInput, output, action };
}

function readFile(r: Reader): PbFileOp {
  const actions: PbFileAction[] = [];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 2) (len(r, f, wt), actions.push(readFileAction(r.message())));
    else r.skip(wt);
  }
  return { actions };
}

function readIndexMessage(r: Reader, what: string): { input: number } {
  let input = 0;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (vint(r, f, wt), (input = r.int64Safe(what)));
    else r.skip(wt);
  }
  return { input };
}

function readMerge(r: Reader): PbMergeOp {
  const inputs: { input: number }[] = [];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), inputs.push(readIndexMessage(r.message(), 'MergeInput.input')));
    else r.skip(wt);
  }
  return { inputs };
}

function readDiff(r: Reader): PbDiffOp {
  let lower: { input: number } | undefined;
  let upper: { input: number } | undefined;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), (lower = readIndexMessage(r.message(), 'LowerDiffInput.input')));
    else if (f === 2) (len(r, f, wt), (upper = readIndexMessage(r.message(), 'UpperDiffInput.input')));
    else r.skip(wt);
  }
  return { lower, upper };
}

function readBuild(r: Reader): PbBuildOp {
  let builder = 0;
  const inputs = new Map<string, { input: number }>();
  let def: PbDefinition | undefined;
  const attrs = new Map<string, string>();
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (vint(r, f, wt), (builder = r.int64Safe('BuildOp.builder')));
    else if (f === 2) {
      len(r, f, wt);
      const e = r.message();
      let k = '';
      let v = { input: 0 };
      while (!e.done()) {
        const [g, gwt] = e.key();
        if (g === 1) (len(e, g, gwt), (k = e.string()));
        else if (g === 2) (len(e, g, gwt), (v = readIndexMessage(e.message(), 'BuildInput.input')));
        else e.skip(gwt);
      }
      inputs.set(k, v);
    } else if (f === 3) (len(r, f, wt), (def = readDefinition(r.message())));
    else if (f === 4) (len(r, f, wt), readStringMapEntry(r.message(), attrs));
    else r.skip(wt);
  }
  return { builder, inputs, def, attrs };
}

/** Decodes one `Op`. */
export function readOp(r: Reader): PbOp {
  const inputs: PbInput[] = [];
  let op: PbOpBody | undefined;
  let platform: PbPlatform | undefined;
  let constraints: PbWorkerConstraints | undefined;
  while (!r.done()) {
    const [f, wt] = r.key();
    switch (f) {
      case 1:
        len(r, f, wt);
        inputs.push(readInput(r.message()));
        break;
      case 2:
        len(r, f, wt);
        op = { type: 'exec', exec: readExec(r.message()) };
        break;
      case 3:
        len(r, f, wt);
        op = { type: 'source', source: readSource(r.message()) };
        break;
      case 4:
        len(r, f, wt);
        op = { type: 'file', file: readFile(r.message()) };
        break;
      case 5:
        len(r, f, wt);
        op = { type: 'build', build: readBuild(r.message()) };
        break;
      case 6:
        len(r, f, wt);
        op = { type: 'merge', merge: readMerge(r.message()) };
        break;
      case 7:
        len(r, f, wt);
        op = { type: 'diff', diff: readDiff(r.message()) };
        break;
      case 10:
        len(r, f, wt);
        platform = readPlatform(r.message());
        break;
      case 11:
        len(r, f, wt);
        constraints = readConstraints(r.message());
        break;
      default:
        r.skip(wt);
    }
  }
  return { inputs, op, platform, constraints };
}

function readOpMetadata(r: Reader): OpMetadata {
  let ignoreCache = false;
  const description = new Map<string, string>();
  let exportCache: { value: boolean } | undefined;
  const caps = new Map<string, boolean>();
  let progressGroup: ProgressGroup | undefined;
  while (!r.done()) {
    const [f, wt] = r.key();
    switch (f) {
      case 1:
        vint(r, f, wt);
        ignoreCache = r.bool();
        break;
      case 2:
        len(r, f, wt);
        readStringMapEntry(r.message(), description);
        break;
      case 4: {
        len(r, f, wt);
        const m = r.message();
        let value = false;
        while (!m.done()) {
          const [g, gwt] = m.key();
          if (g === 1) (vint(m, g, gwt), (value = m.bool()));
          else m.skip(gwt);
        }
        exportCache = { value };
        break;
      }
      case 5: {
        len(r, f, wt);
        const m = r.message();
        let k = '';
        let v = false;
        while (!m.done()) {
          const [g, gwt] = m.key();
          if (g === 1) (len(m, g, gwt), (k = m.string()));
          else if (g === 2) (vint(m, g, gwt), (v = m.bool()));
          else m.skip(gwt);
        }
        caps.set(k, v);
        break;
      }
      case 6: {
        len(r, f, wt);
        const m = r.message();
        let id = '';
        let name = '';
        let weak = false;
        while (!m.done()) {
          const [g, gwt] = m.key();
          if (g === 1) (len(m, g, gwt), (id = m.string()));
          else if (g === 2) (len(m, g, gwt), (name = m.string()));
          else if (g === 3) (vint(m, g, gwt), (weak = m.bool()));
          else m.skip(gwt);
        }
        progressGroup = { id, name, weak };
        break;
      }
      default:
        r.skip(wt);
    }
  }
  return { ignoreCache, description, exportCache, caps, progressGroup };
}

function readPosition(r: Reader): PbPosition {
  let line = 0;
  let character = 0;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (vint(r, f, wt), (line = r.int32()));
    else if (f === 2) (vint(r, f, wt), (character = r.int32()));
    else r.skip(wt);
  }
  return { line, character };
}

function readLocation(r: Reader): PbLocation {
  let sourceIndex = 0;
  const ranges: PbRange[] = [];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (vint(r, f, wt), (sourceIndex = r.int32()));
    else if (f === 2) {
      len(r, f, wt);
      const m = r.message();
      let start: PbPosition = { line: 0, character: 0 };
      let end: PbPosition = { line: 0, character: 0 };
      while (!m.done()) {
        const [g, gwt] = m.key();
        if (g === 1) (len(m, g, gwt), (start = readPosition(m.message())));
        else if (g === 2) (len(m, g, gwt), (end = readPosition(m.message())));
        else m.skip(gwt);
      }
      ranges.push({ start, end });
    } else r.skip(wt);
  }
  return { sourceIndex, ranges };
}

function readSourceMaps(r: Reader): PbSource {
  const locations = new Map<string, PbLocation[]>();
  const infos: PbSourceInfo[] = [];
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) {
      len(r, f, wt);
      const e = r.message();
      let k = '';
      const list: PbLocation[] = [];
      while (!e.done()) {
        const [g, gwt] = e.key();
        if (g === 1) (len(e, g, gwt), (k = e.string()));
        else if (g === 2) {
          len(e, g, gwt);
          const v = e.message();
          list.length = 0;
          while (!v.done()) {
            const [h, hwt] = v.key();
            if (h === 1) (len(v, h, hwt), list.push(readLocation(v.message())));
            else v.skip(hwt);
          }
        } else e.skip(gwt);
      }
      locations.set(k, list);
    } else if (f === 2) {
      len(r, f, wt);
      const m = r.message();
      let filename = '';
      let data: Uint8Array = new Uint8Array(0);
      let definition: PbDefinition | undefined;
      while (!m.done()) {
        const [g, gwt] = m.key();
        if (g === 1) (len(m, g, gwt), (filename = m.string()));
        else if (g === 2) (len(m, g, gwt), (data = m.bytes()));
        else if (g === 3) (len(m, g, gwt), (definition = readDefinition(m.message())));
        else m.skip(gwt);
      }
      infos.push({ filename, data, definition });
    } else r.skip(wt);
  }
  return { locations, infos };
}

/** Decodes a `Definition`. */
export function readDefinition(r: Reader): PbDefinition {
  const def: Uint8Array[] = [];
  const metadata = new Map<string, OpMetadata>();
  let source: PbSource | undefined;
  while (!r.done()) {
    const [f, wt] = r.key();
    if (f === 1) (len(r, f, wt), def.push(r.bytes()));
    else if (f === 2) {
      len(r, f, wt);
      const e = r.message();
      let k = '';
      let v: OpMetadata | undefined;
      while (!e.done()) {
        const [g, gwt] = e.key();
        if (g === 1) (len(e, g, gwt), (k = e.string()));
        else if (g === 2) (len(e, g, gwt), (v = readOpMetadata(e.message())));
        else e.skip(gwt);
      }
      metadata.set(k, v ?? readOpMetadata(new ProtoReader(new Uint8Array(0))));
    } else if (f === 3) (len(r, f, wt), (source = readSourceMaps(r.message())));
    else r.skip(wt);
  }
  return { def, metadata, source };
}

export { WireError };
