/**
 * Whole-build policies applied to every definition a build sends, whichever way it was made (the Image builder,
 * `marshal()`, bytes from another tool): file timestamps for `SOURCE_DATE_EPOCH`, and base images pinned to the
 * digests of a lock. Also the request attributes that ask a BuildKit v0.11+ daemon for the same.
 */
import { invalidArgument } from '../errors.js';
import { Definition } from '../llb/definition.js';
import { definitionFromBytes, pinImagesPerPlatform, type ImagePinLookup, type PinnedImageSource } from '../llb/image-sources.js';
import { withSourceDateEpoch } from '../llb/rewrite.js';
import type { DefinitionSource } from './definition-source.js';

/** What to enforce on a build's definitions. */
export interface DefinitionPolicies {
  /** Unix time (seconds) for every file a file op writes without a time of its own. */
  readonly sourceDateEpoch?: number;
  /** Digests to pin `docker-image://` sources to, per reference and platform (an `ImageLock` fits). */
  readonly imagePins?: ImagePinLookup;
  /** `os/arch[/variant]` to look pins up under for sources that name no platform. */
  readonly defaultPlatform?: string;
}

/** A definition after {@link applyDefinitionPolicies}. */
export interface PolicyResult {
  /** The definition to send: the input itself when no policy changed anything. */
  readonly definition: DefinitionSource;
  /** The image sources that were pinned. */
  readonly pinned: readonly PinnedImageSource[];
}

/** Checks a `SOURCE_DATE_EPOCH` value given as a number; `site` is the public function that took it. */
export function checkSourceDateEpoch(value: number, site: Function): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    invalidArgument(`sourceDateEpoch must be a whole number of seconds since 1970, got ${String(value)}`, site, {
      hint: 'Pass a Unix time such as 1700000000 (e.g. the time of your last commit: git log -1 --format=%ct).',
    });
  }
  return value;
}

/**
 * Applies `policies` to `def`. Bytes and foreign definition objects are decoded only when a policy is set; if
 * nothing changes, the input object is returned so its exact bytes (source maps included) are what is sent.
 */
export function applyDefinitionPolicies(def: DefinitionSource, policies: DefinitionPolicies): PolicyResult {
  if (policies.sourceDateEpoch === undefined && policies.imagePins === undefined) return { definition: def, pinned: [] };
  const start: Definition = def instanceof Definition ? def : definitionFromBytes(def instanceof Uint8Array ? def : def.toBytes());
  let current = start;
  let pinned: readonly PinnedImageSource[] = [];
  if (policies.imagePins !== undefined) {
    const result = pinImagesPerPlatform(current, policies.imagePins, policies.defaultPlatform === undefined ? {} : { defaultPlatform: policies.defaultPlatform });
    current = result.definition;
    pinned = result.pinned;
  }
  if (policies.sourceDateEpoch !== undefined) current = withSourceDateEpoch(current, policies.sourceDateEpoch);
  return { definition: current === start ? def : current, pinned };
}

/**
 * Frontend attributes for a Control.Solve request: `build-arg:SOURCE_DATE_EPOCH`, which BuildKit v0.11+ copies to
 * the exporter's `source-date-epoch` (image config times; file times in `local`/`tar` exports). Older daemons,
 * dockerd 20.10 among them, ignore it. An explicit attribute in `given` wins.
 */
export function reproducibilityAttrs(given: Readonly<Record<string, string>>, sourceDateEpoch: number | undefined): Record<string, string> {
  const out = { ...given };
  if (sourceDateEpoch !== undefined && out['build-arg:SOURCE_DATE_EPOCH'] === undefined) out['build-arg:SOURCE_DATE_EPOCH'] = String(sourceDateEpoch);
  return out;
}
