import { KilnError } from '../errors.js';
import { isClassicDockerd, type DaemonInfo } from './client.js';
import type { OutputSpec } from './output-spec.js';
import { REWRITE_TIMESTAMP } from './rewrite-timestamp.js';
import { buildkitRange } from './buildkit-range.js';
import { parseGoBool } from '../go-parse-bool.js';

/** The output types whose exporters take image options (`local` and `tar` take only `dest=`). */
type ImageOutputType = 'image' | 'docker' | 'oci';

/** One exporter option BuildKit's image, docker and oci exporters read. */
interface AttrRule {
  /** The first BuildKit v0.x minor that reads it (earlier ones keep it as metadata and ignore it). */
  readonly since: number;
  /** The last v0.x minor that reads it. */
  readonly until?: number;
  readonly outputs: readonly ImageOutputType[];
  /**
   * On a dockerd with the containerd image store, its own exporter is BuildKit's image exporter (always unpacking
   * into Docker's store): undefined when it applies the option with this value, else why kiln cannot honour it there.
   */
  readonly onDockerd?: (value: string) => string | undefined;
  /**
   * Whether dockerd's classic image store already does what the option asks with this value (`unpack=true`: it
   * stores every image unpacked; `oci-mediatypes=false`: it pushes Docker media types), so it is accepted there.
   */
  readonly classicDoes?: (value: string, type: ImageOutputType) => boolean;
}

const ALL: readonly ImageOutputType[] = ['image', 'docker', 'oci'];
const IMAGE: readonly ImageOutputType[] = ['image'];

/** `value` read as BuildKit's exporters read a boolean (an empty value is true). */
function boolValue(value: string): boolean | undefined {
  return value === '' ? true : parseGoBool(value);
}

/** The options of BuildKit's image/docker/oci exporters up to v0.32 (`annotation*` keys aside; see ANNOTATION). */
const RULES: Readonly<Record<string, AttrRule>> = {
  // Docker pushes what its classic store holds as gzip layers (it saves them uncompressed).
  compression: { since: 8, outputs: ALL, classicDoes: (v, type) => v === 'gzip' && type === 'image' },
  'compression-level': { since: 10, outputs: ALL },
  'force-compression': { since: 9, outputs: ALL, classicDoes: (v) => boolValue(v) === false },
  'oci-mediatypes': { since: 8, outputs: ALL, classicDoes: (v) => boolValue(v) === false },
  'oci-artifact': { since: 19, outputs: ALL },
  'attestation-inline': { since: 11, outputs: ALL },
  'prefer-nondist-layers': { since: 10, outputs: ALL },
  'source-date-epoch': { since: 11, outputs: ALL },
  buildinfo: { since: 10, until: 11, outputs: ALL },
  'buildinfo-attrs': { since: 10, until: 11, outputs: ALL },
  [REWRITE_TIMESTAMP]: { since: 13, outputs: ALL },
  'push-by-digest': { since: 8, outputs: IMAGE, onDockerd: () => 'kiln pushes the image through Docker, which pushes it by its names' },
  unpack: {
    since: 8,
    outputs: IMAGE,
    onDockerd: (v) => (boolValue(v) === false ? 'Docker unpacks every image it stores' : undefined),
    classicDoes: (v) => boolValue(v) === true,
  },
  store: {
    since: 11,
    outputs: IMAGE,
    onDockerd: (v) => (boolValue(v) === false ? 'kiln names and pushes the image from Docker\'s store, so it must be stored' : undefined),
    classicDoes: (v) => boolValue(v) === true,
  },
  'dangling-name-prefix': { since: 8, outputs: IMAGE },
  'name-canonical': { since: 8, outputs: IMAGE, onDockerd: () => 'kiln gives the image its names through Docker after the export, which has no name@digest names' },
};

/** `annotation.K`, `annotation-index.K`, `annotation-manifest-descriptor[linux/amd64].K`, … */
const ANNOTATION = /^annotation(-(index|index-descriptor|manifest|manifest-descriptor))?(\[[^\]]+\])?\../;
const ANNOTATION_RULE: AttrRule = { since: 11, outputs: ALL };

/** Options kiln reads itself (the output's `dest=`, `name=`, `push=`, … are not in `attrs`). */
const KILN_OWN: Readonly<Record<string, readonly ImageOutputType[]>> = {
  /** `tar=true` is what kiln writes; `tar=false` is refused when the output is parsed. */
  tar: ['docker', 'oci'],
};

/** The output's own fields: in `attrs` (an OutputSpec object), kiln would not read them. */
const FIELDS: readonly string[] = ['type', 'name', 'dest', 'push', 'registry.insecure'];

function ruleFor(key: string): AttrRule | undefined {
  return RULES[key] ?? (ANNOTATION.test(key) ? ANNOTATION_RULE : undefined);
}

/** The options each image output type takes, for messages. */
function known(type: ImageOutputType): string {
  const keys = Object.keys(RULES).filter((k) => RULES[k]!.outputs.includes(type));
  return ['name', ...(type === 'image' ? ['push', 'registry.insecure'] : ['dest', 'tar']), ...keys, 'annotation.KEY'].join(', ');
}

/**
 * Refuses, before the build, an exporter option of `output` that would be accepted and then not applied: one that
 * kiln does not know (BuildKit, like buildx, keeps an unknown key as metadata and ignores it), one the daemon's
 * BuildKit is too old or too new for, and any on an image dockerd stores with its classic image store (its exporter
 * reads only the names). `moby` says whether the output goes through dockerd's own exporter. An option of a BuildKit
 * version the daemon may or may not run (it does not say which it runs: see {@link buildkitRange}) is passed on, for
 * the daemon to decide, with a note in what this returns.
 */
export function checkExportAttrs(output: OutputSpec, info: DaemonInfo, moby: boolean): string[] {
  if (output.type === 'local' || output.type === 'tar') return [];
  const attrs = output.attrs ?? {};
  const { min, max, said } = buildkitRange(info);
  const notes: string[] = [];
  const details = { output: output.type, daemon: info.description };
  for (const [key, value] of Object.entries(attrs)) {
    if (KILN_OWN[key]?.includes(output.type) === true) continue;
    if (FIELDS.includes(key)) {
      throw new KilnError('invalid_argument', `output type=${output.type} has ${key}=${value} among its attrs, where it is not read`, {
        hint: 'Give it as the output\'s own field (names, push, insecure, dest), or in the output text (-o type=image,name=R,push=true).',
        details: { ...details, option: key },
      });
    }
    const rule = ruleFor(key);
    if (rule === undefined || !rule.outputs.includes(output.type)) {
      throw new KilnError('invalid_argument', `output type=${output.type} does not take ${key}=${value}${rule === undefined && KILN_OWN[key] === undefined ? ': kiln does not know this option, and BuildKit would ignore it' : ''}`, {
        hint: `The options of type=${output.type} are ${known(output.type)}. Check its spelling, or drop it.`,
        details: { ...details, option: key },
      });
    }
    // rewrite-timestamp has its own check (checkRewriteTimestamp), with the recipe for each daemon.
    if (key === REWRITE_TIMESTAMP) continue;
    if (moby && isClassicDockerd(info)) {
      // What the classic store does anyway is honoured without its exporter reading it (and is not passed on).
      if (rule.classicDoes?.(value, output.type) === true) continue;
      throw new KilnError('unsupported', `${key}=${value} is not applied to an image stored by ${info.description}: its exporter reads only the image's names, and would build the image without it`, {
        hint:
          output.type === 'image'
            ? `Build on a standalone buildkitd (--addr, BUILDKIT_HOST) or a dockerd with the containerd image store (dockerd 24+), which apply ${key}=, or drop it.`
            : `Build on a standalone buildkitd (--addr, BUILDKIT_HOST) or a dockerd with the containerd image store (dockerd 24+), which apply ${key}= to the image they load or write, or drop it.`,
        details: { ...details, option: key },
      });
    }
    const why = moby ? rule.onDockerd?.(value) : undefined;
    if (why !== undefined) {
      throw new KilnError('unsupported', `${key}=${value} is not available for an image stored by ${info.description}: ${why}`, {
        hint: `Build on a standalone buildkitd (--addr, BUILDKIT_HOST), which pushes with the option itself, or drop ${key}=.`,
        details: { ...details, option: key },
      });
    }
    const range = rule.until === undefined ? `BuildKit v0.${rule.since} or later` : `BuildKit v0.${rule.since} to v0.${rule.until}`;
    if ((max !== undefined && max < rule.since) || (rule.until !== undefined && min > rule.until)) {
      throw new KilnError('unsupported', `${key}= needs ${range}; ${info.description} would ignore it (${said})`, {
        hint: rule.until === undefined ? `Build on a daemon with ${range}, or drop ${key}=.` : `Drop ${key}=: BuildKit v0.${rule.until + 1} and later no longer read it.`,
        details: { ...details, option: key },
      });
    }
    if (min < rule.since || (rule.until !== undefined && (max === undefined || max > rule.until))) {
      notes.push(`[kiln] ${key}= needs ${range}, and ${info.description} does not say whether it runs one (${said}): kiln passes ${key}= on, and the daemon applies it or ignores it`);
    }
  }
  const compression = attrs['compression'];
  const forced = attrs['force-compression'] !== undefined && boolValue(attrs['force-compression']) === true;
  if (compression !== undefined && compression !== 'gzip' && compression !== 'uncompressed' && !forced) {
    // BuildKit reuses the blobs of base-image layers as pulled (gzip from nearly every registry); kiln does not fetch
    // the bases' manifests to know, so it says so whenever a base may be in the image.
    notes.push(`[kiln] compression=${compression} applies to the layers this build makes; layers of a base image stay as the registry served them (usually gzip): add force-compression=true to recompress them`);
  }
  return notes;
}

/** Whether `output` asks BuildKit to push by digest (`push-by-digest=true`, or the bare key), which takes only untagged names. */
export function pushesByDigest(output: OutputSpec): boolean {
  const value = output.type === 'image' ? output.attrs?.['push-by-digest'] : undefined;
  return value !== undefined && boolValue(value) === true;
}

/** The options of `output` that dockerd's own exporter applies (the containerd image store's), passed on to it. */
export function mobyExportAttrs(output: OutputSpec, info: DaemonInfo): Record<string, string> {
  if (isClassicDockerd(info) || output.type === 'local' || output.type === 'tar') return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(output.attrs ?? {})) if (KILN_OWN[key] === undefined) out[key] = value;
  return out;
}

/**
 * The layer compression of a docker tarball a buildkitd streams into Docker's image load: `uncompressed` unless the
 * output asks for one (`compression`, `compression-level`, `force-compression`). Docker unpacks what it loads, so
 * gzip there is the daemon compressing every new layer only for Docker to decompress it. BuildKit's exporters take
 * `compression=uncompressed` since v0.8; a daemon that may be older keeps its default.
 */
export function loadLayerCompression(attrs: Readonly<Record<string, string>>, info: DaemonInfo): Readonly<Record<string, string>> {
  if ('compression' in attrs || 'compression-level' in attrs || 'force-compression' in attrs) return {};
  return buildkitRange(info).min >= RULES['compression']!.since ? { compression: 'uncompressed' } : {};
}
