import { invalidArgument } from '../errors.js';
import { csvFields } from './csv-fields.js';

/**
 * Where a build's result goes. One output per build (both daemons allow a single exporter per solve).
 *
 * - `image`: an image in the daemon's store and/or pushed to a registry (buildkitd `image` exporter; on dockerd the
 *   `moby` exporter, then a push through the Docker API when `push` is set).
 * - `docker`: an image loaded into the local Docker (`moby` exporter on dockerd; a docker tarball streamed into the
 *   Docker API's image load on buildkitd), or a docker-save tarball written to `dest`.
 * - `oci`: an OCI image layout tarball written to `dest` (`-` = stdout; buildkitd only).
 * - `local`: the result's filesystem written into the directory `dest`.
 * - `tar`: the result's filesystem as a tarball written to `dest` (`-` = stdout).
 */
export type OutputSpec =
  | {
      readonly type: 'image';
      readonly names: readonly string[];
      readonly push?: boolean | undefined;
      /** Allow plain-HTTP / self-signed registries. */
      readonly insecure?: boolean | undefined;
      readonly attrs?: Readonly<Record<string, string>> | undefined;
    }
  | { readonly type: 'docker'; readonly names: readonly string[]; readonly dest?: string | undefined; readonly attrs?: Readonly<Record<string, string>> | undefined }
  | { readonly type: 'oci'; readonly dest: string; readonly names: readonly string[]; readonly attrs?: Readonly<Record<string, string>> | undefined }
  | { readonly type: 'local'; readonly dest: string }
  | { readonly type: 'tar'; readonly dest: string };

/** The forms an output takes, for errors: a tarball without `dest=` goes to stdout. */
const FORMS = 'type=local,dest=DIR | type=tar[,dest=FILE|-] | type=oci[,dest=FILE|-] | type=docker[,dest=FILE|-] | type=image,name=REF[,push=true]';

/** What to write instead of an option an output type does not read. */
const UNREAD_HINT: Readonly<Record<string, string>> = {
  local: 'it writes the files into dest=DIR; for an image use type=image,name=REF[,push=true] or type=docker,name=REF[,dest=FILE]',
  tar: 'it writes the files as a tarball to dest=FILE; for an image use type=image,name=REF[,push=true] or type=docker,name=REF[,dest=FILE]',
  oci: 'it writes an OCI layout tarball to dest=FILE; to push use type=image,name=REF,push=true[,registry.insecure=true]',
  docker: 'it loads into Docker or writes a tarball to dest=FILE; to push use type=image,name=REF,push=true[,registry.insecure=true]',
  image: 'it stores (and with push=true pushes) the image; to write a file use type=docker,dest=FILE or type=oci,dest=FILE',
  registry: 'it pushes the image; to write a file use type=docker,dest=FILE or type=oci,dest=FILE',
};

/** The `key=value` pairs of an `--output` value, split as buildx does (keys trimmed and lowercased). */
function outputPairs(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const f of csvFields(text, 'output', parseOutputSpec)) {
    if (f.trim() === '') continue;
    const eq = f.indexOf('=');
    out.push(eq < 0 ? [f.trim().toLowerCase(), ''] : [f.slice(0, eq).trim().toLowerCase(), f.slice(eq + 1)]);
  }
  return out;
}

function truthy(key: string, value: string, callSite: Function): boolean {
  if (value === '' || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return invalidArgument(`output option ${key}=${value} is not a boolean; use ${key}=true or ${key}=false`, callSite);
}

/** Options of {@link parseOutputSpec}. */
export interface OutputSpecOptions {
  /** The names of an `image` output without `name=` (buildx's `-t`: `-t reg/app:1 -o type=registry`). */
  readonly tags?: readonly string[] | undefined;
}

/**
 * Parses an `--output` value like buildx does: `type=local,dest=out`, `type=image,name=reg/x:1,push=true`, or a bare
 * path (= `type=local,dest=PATH`) and `-` (= `type=tar,dest=-`). `type=tar` and `type=oci` without `dest=` write to
 * stdout, as with buildx.
 */
export function parseOutputSpec(text: string, options: OutputSpecOptions = {}): OutputSpec {
  const value = text.trim();
  if (value === '') invalidArgument(`the output is empty; expected ${FORMS}`, parseOutputSpec);
  if (value === '-') return { type: 'tar', dest: '-' };
  if (!value.includes('=')) return { type: 'local', dest: value };
  const pairs = outputPairs(value);
  const attrs: Record<string, string> = {};
  let type: string | undefined;
  let dest: string | undefined;
  const names: string[] = [];
  let push: boolean | undefined;
  let insecure: boolean | undefined;
  for (const [k, v] of pairs) {
    switch (k) {
      case 'type':
        type = v;
        break;
      case 'dest':
        dest = v;
        break;
      case 'name':
        names.push(...v.split(',').map((n) => n.trim()).filter((n) => n !== ''));
        break;
      case 'push':
        push = truthy(k, v, parseOutputSpec);
        break;
      case 'registry.insecure':
        insecure = truthy(k, v, parseOutputSpec);
        break;
      default:
        attrs[k] = v;
    }
  }
  const extra = Object.keys(attrs).length > 0 ? { attrs } : {};
  // An option the output type does not read is refused, not dropped: a user who wrote it expects it to happen.
  const given = new Set(pairs.map(([k]) => k));
  const image = type === 'image' || type === 'registry';
  const unread = [
    ...(given.has('name') && (type === 'local' || type === 'tar') ? ['name='] : []),
    ...(given.has('dest') && image ? ['dest='] : []),
    ...(push === true && !image ? ['push=true'] : []),
    ...(insecure === true && !image ? ['registry.insecure=true'] : []),
  ];
  if (unread.length > 0 && type !== undefined && ['local', 'tar', 'oci', 'docker', 'image', 'registry'].includes(type)) {
    invalidArgument(`output type=${type} does not take ${unread.join(', ')}; ${UNREAD_HINT[type]}`, parseOutputSpec);
  }
  if (type === 'registry' && push === false) invalidArgument('output type=registry always pushes; for an image that is not pushed use type=image,push=false', parseOutputSpec);
  switch (type) {
    case 'local':
    case 'tar':
      // As with buildx, a tarball without dest= goes to stdout.
      if (type === 'local' && (dest === undefined || dest === '')) invalidArgument('output type=local needs dest=DIR', parseOutputSpec);
      if (Object.keys(attrs).length > 0) invalidArgument(`output type=${type} does not take ${Object.keys(attrs).join(', ')}; only dest=`, parseOutputSpec);
      return { type, dest: dest === undefined || dest === '' ? '-' : dest };
    case 'oci':
      if (attrs['tar'] !== undefined && !truthy('tar', attrs['tar'], parseOutputSpec)) {
        invalidArgument('output type=oci,tar=false (an OCI layout directory) is not supported; write the tarball (type=oci,dest=FILE) and unpack it', parseOutputSpec);
      }
      return { type, dest: dest === undefined || dest === '' ? '-' : dest, names, ...extra };
    case 'docker':
      if (attrs['tar'] !== undefined && !truthy('tar', attrs['tar'], parseOutputSpec)) {
        invalidArgument('output type=docker,tar=false (an image layout directory) is not supported; write the tarball (type=docker,dest=FILE) and unpack it', parseOutputSpec);
      }
      return { type, names, ...(dest === undefined ? {} : { dest }), ...extra };
    case 'image':
    case 'registry':
      if (names.length === 0) names.push(...(options.tags ?? []));
      if (names.length === 0) invalidArgument(`output type=${type} needs name=REF (e.g. name=127.0.0.1:5000/app:1) or a tag (-t)`, parseOutputSpec);
      return {
        type: 'image',
        names,
        push: type === 'registry' ? true : (push ?? false),
        ...(insecure === undefined ? {} : { insecure }),
        ...extra,
      };
    case undefined:
      return invalidArgument(`output "${value}" has no type=; expected ${FORMS}`, parseOutputSpec);
    default:
      return invalidArgument(`output type=${type} is not supported; expected ${FORMS}`, parseOutputSpec);
  }
}
