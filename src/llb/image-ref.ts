/**
 * Docker image reference normalisation: `alpine` → `docker.io/library/alpine:latest`,
 * `user/app` → `docker.io/user/app:latest`, registries with a dot, a port or `localhost` kept,
 * digests kept (no `:latest` added), tag and digest both kept.
 */
import { invalidArgument } from '../errors.js';
import { type CallSite, show } from './validate.js';

// The reference grammar (docker/distribution). The name-component separator is written without an
// empty alternative so the expression cannot backtrack exponentially; it matches the same strings.
const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const BARE_ID = /^[a-f0-9]{64}$/;
const NAME_MAX = 255;

const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** Registry host, e.g. `docker.io`, `ghcr.io`, `localhost:5000`. */
  readonly domain: string;
  /** Repository path, e.g. `library/alpine`. */
  readonly path: string;
  /** Tag (`latest` added when neither tag nor digest was given). */
  readonly tag: string | undefined;
  /** Digest such as `sha256:…`, when pinned. */
  readonly digest: string | undefined;
  /** The full normalised reference string. */
  readonly normalized: string;
}

function fail(ref: string, reason: string, site: CallSite): never {
  return invalidArgument(`invalid image reference ${show(ref)}: ${reason}`, site);
}

const FORM = '[registry/]name[:tag][@sha256:<hex>]';

/** Whether a suggested fix is itself a valid reference (a suggestion must never be one that fails in turn). */
function parses(candidate: string): boolean {
  try {
    parseImageRef(candidate);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses an image reference and normalises it like Docker does.
 *
 * @example
 * parseImageRef('alpine').normalized               // 'docker.io/library/alpine:latest'
 * parseImageRef('ghcr.io/org/img:1.0').normalized  // 'ghcr.io/org/img:1.0'
 */
export function parseImageRef(ref: string, site: CallSite = parseImageRef): ImageReference {
  if (typeof ref !== 'string') invalidArgument(`image reference must be a string, got ${show(ref)}`, site);
  if (ref === '') fail(ref, 'it is empty; pass a name such as "alpine:3.18"', site);
  if (/\s/.test(ref)) {
    // Docker refuses whitespace anywhere. Surrounding spaces have an obvious fix; spaces inside have none.
    const what = /[^\S ]/.test(ref) ? 'whitespace' : 'spaces';
    const trimmed = ref.trim();
    if (trimmed !== '' && !/\s/.test(trimmed) && parses(trimmed)) {
      fail(ref, `it has ${what} around it (Docker refuses it too); write ${show(trimmed)}`, site);
    }
    fail(ref, `it contains ${what}; a reference is ${FORM} with no ${what}, such as "python:3.11-slim" or "ghcr.io/org/app:1.0"`, site);
  }
  if (BARE_ID.test(ref)) {
    fail(ref, 'a bare 64-character hex id is not a repository name; pin a digest as "name@sha256:<hex>"', site);
  }
  // Split off the registry: the first path element is a registry only if it has a dot or a port, or
  // is "localhost".
  let domain: string;
  let remainder: string;
  const slash = ref.indexOf('/');
  const first = slash === -1 ? '' : ref.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== 'localhost')) {
    domain = 'docker.io';
    remainder = ref;
  } else {
    domain = first;
    remainder = ref.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const colon = remainder.indexOf(':');
  const repoName = colon === -1 ? remainder : remainder.slice(0, colon);
  if (repoName.toLowerCase() !== repoName) {
    // The name in lowercase is suggested only when that is a valid reference (a tag keeps its case).
    const explicit = domain !== 'docker.io' || ref.startsWith('docker.io/');
    const rest = explicit ? ref.slice(slash + 1) : ref;
    const repoEnd = rest.search(/[:@]/);
    const lower = repoEnd === -1 ? rest.toLowerCase() : `${rest.slice(0, repoEnd).toLowerCase()}${rest.slice(repoEnd)}`;
    // Host names are case-insensitive: "Docker.io/Library/Alpine" means docker.io/library/alpine.
    const suggestion = explicit ? `${first.toLowerCase()}/${lower}` : lower;
    fail(
      ref,
      parses(suggestion)
        ? `repository name must be lowercase (try ${show(suggestion)})`
        : `repository name must be lowercase, and the reference is not valid in lowercase either: expected ${FORM}`,
      site,
    );
  }
  const full = `${domain}/${remainder}`;
  const m = REFERENCE.exec(full);
  if (m === null) {
    fail(ref, `expected ${FORM} with a lowercase name`, site);
  }
  const name = m[1] as string;
  const tag = m[2];
  const digest = m[3];
  if (name.length > NAME_MAX) fail(ref, `the repository name is longer than ${NAME_MAX} characters`, site);
  if (digest !== undefined) {
    const i = digest.indexOf(':');
    const algorithm = digest.slice(0, i);
    const hex = digest.slice(i + 1);
    const want = DIGEST_HEX_LENGTH[algorithm];
    if (want === undefined) fail(ref, `unsupported digest algorithm ${show(algorithm)} (use sha256)`, site);
    if (hex.length !== want || !/^[a-f0-9]+$/.test(hex)) {
      fail(ref, `the ${algorithm} digest must be ${want} lowercase hex characters`, site);
    }
  }
  const path = name.slice(domain.length + 1);
  const effectiveTag = tag === undefined && digest === undefined ? 'latest' : tag;
  let normalized = name;
  if (effectiveTag !== undefined) normalized += `:${effectiveTag}`;
  if (digest !== undefined) normalized += `@${digest}`;
  return { domain, path, tag: effectiveTag, digest, normalized };
}
