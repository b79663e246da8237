import { invalidArgument, KilnError } from '../errors.js';
import { parseImageRef } from '../llb/image-ref.js';
import { buildkitRange } from './buildkit-range.js';
import type { ExporterSpec } from './build.js';
import { isClassicDockerd, type DaemonInfo } from './client.js';

/** How much a SLSA provenance attestation records: `min` (sources, materials, timing), `max` (also every step: the LLB). */
export type ProvenanceMode = 'min' | 'max';

/**
 * Supply-chain attestations the daemon attaches to the exported image (BuildKit v0.11+): each becomes an in-toto
 * statement in an attestation manifest of the image index (platform `unknown/unknown`), or JSON files beside the
 * image's files for `type=local`/`type=tar`.
 */
export interface Attestations {
  /** SLSA provenance (predicate `https://slsa.dev/provenance/v0.2`); `true` is `'min'`, as with docker buildx. */
  readonly provenance?: boolean | ProvenanceMode | undefined;
  /**
   * An SPDX SBOM, made by a scanner image the daemon runs on the built image: `true` runs BuildKit's default
   * (`docker/buildkit-syft-scanner:stable-1`); `{ generator }` names another one.
   */
  readonly sbom?: boolean | { readonly generator: string } | undefined;
}

/** The LLB cap a daemon that makes attestations advertises (BuildKit v0.11+). */
export const ATTESTATIONS_CAP = 'exporter.image.attestations';

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v));

/** `value` checked as an {@link Attestations}, at the user's call (`name` is how they wrote it: `options.attestations`). */
export function validateAttestations(value: unknown, name: string, callSite: Function): Attestations {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalidArgument(`${name} must be an object ({ provenance, sbom }), got ${show(value)}`, callSite);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'provenance' && key !== 'sbom') invalidArgument(`${name} has no ${key}: it takes provenance and sbom`, callSite);
  }
  const { provenance, sbom } = record;
  if (provenance !== undefined && typeof provenance !== 'boolean' && provenance !== 'min' && provenance !== 'max') {
    invalidArgument(`${name}.provenance must be true, false, 'min' or 'max', got ${show(provenance)}`, callSite);
  }
  if (sbom !== undefined && typeof sbom !== 'boolean') {
    const generator = typeof sbom === 'object' && sbom !== null && !Array.isArray(sbom) ? (sbom as Record<string, unknown>)['generator'] : undefined;
    if (typeof generator !== 'string' || Object.keys(sbom as object).some((k) => k !== 'generator')) {
      invalidArgument(`${name}.sbom must be true, false or { generator: 'registry/scanner:tag' }, got ${show(sbom)}`, callSite);
    }
    checkGenerator(generator, `${name}.sbom.generator`, callSite);
  }
  return value as Attestations;
}

/** A scanner image reference the daemon can resolve. */
export function checkGenerator(generator: string, name: string, callSite: Function): void {
  try {
    parseImageRef(generator);
  } catch (err) {
    if (!KilnError.is(err, 'invalid_argument')) throw err;
    invalidArgument(`${name} is not an image reference: ${err.message}`, callSite, { hint: 'Name the scanner image as for docker pull: registry/scanner:tag (e.g. docker/buildkit-syft-scanner:stable-1).' });
  }
}

/** Whether `a` asks for any attestation. */
export function asksForAttestations(a: Attestations | undefined): a is Attestations {
  return a !== undefined && ((a.provenance !== undefined && a.provenance !== false) || (a.sbom !== undefined && a.sbom !== false));
}

/**
 * The frontend attributes that ask BuildKit's Control.Solve for them (`attest:provenance` = `mode=min`, `attest:sbom` =
 * `generator=IMAGE`, or empty for its default scanner). The daemon reads them whatever the frontend, the gateway
 * forwarder kiln uses included.
 */
export function attestationFrontendAttrs(a: Attestations | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (a === undefined) return attrs;
  if (a.provenance !== undefined && a.provenance !== false) attrs['attest:provenance'] = `mode=${a.provenance === true ? 'min' : a.provenance}`;
  if (a.sbom !== undefined && a.sbom !== false) attrs['attest:sbom'] = a.sbom === true ? '' : `generator=${csvField(a.sbom.generator)}`;
  return attrs;
}

/** A CSV field (the daemon reads the value with Go's CSV reader): quoted when it holds a comma or a quote. */
function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** What `a` asks for, for messages: `provenance (mode=max) and an SBOM`. */
function describe(a: Attestations): string {
  const parts: string[] = [];
  if (a.provenance !== undefined && a.provenance !== false) parts.push(`provenance (mode=${a.provenance === true ? 'min' : a.provenance})`);
  if (a.sbom !== undefined && a.sbom !== false) parts.push('an SBOM');
  return parts.join(' and ');
}

/**
 * Refuses, before anything is built, attestations the build would make and then lose without a word: on a daemon
 * older than BuildKit v0.11 (it ignores `attest:` attributes), with no output to attach them to, and on dockerd's
 * classic image store (its exporter keeps one manifest per image and drops them).
 */
export function checkAttestations(a: Attestations, info: DaemonInfo, exporter: ExporterSpec | undefined): void {
  const what = describe(a);
  if (!info.llbCaps.has(ATTESTATIONS_CAP)) {
    const { said } = buildkitRange(info);
    throw new KilnError('unsupported', `cannot attest the image (${what}): ${info.description} makes no attestations (${said}; it lacks the ${ATTESTATIONS_CAP} capability of BuildKit v0.11+), and would build the image without them`, {
      hint: 'Build on a daemon with BuildKit v0.11 or later (dockerd 24+, or a standalone buildkitd: --addr, BUILDKIT_HOST), or drop --provenance/--sbom/--attest and attest the pushed image with your own tools (syft, cosign attest).',
      details: { daemon: info.description, capability: ATTESTATIONS_CAP },
    });
  }
  if (exporter === undefined) {
    throw new KilnError('invalid_argument', `attestations (${what}) are attached to the exported image, and this build exports nothing`, {
      hint: 'Give an output: --push -t registry/app:tag, -o type=oci,dest=app.tar, -o type=image,name=…,push=true (buildImage: output).',
    });
  }
  if (exporter.type === 'moby' && isClassicDockerd(info)) {
    throw new KilnError('unsupported', `cannot attest the image (${what}) in ${info.description}'s classic image store: it holds one manifest per image, and its exporter drops attestations`, {
      hint: 'Turn on the containerd image store of this dockerd (it keeps them, and pushes them with the image), push from a standalone buildkitd (--addr, BUILDKIT_HOST), or write the image\'s files with -o type=local,dest=DIR (the attestations land beside them as JSON files).',
      details: { daemon: info.description, exporter: exporter.type },
    });
  }
}
