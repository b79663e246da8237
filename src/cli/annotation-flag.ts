import { KilnError } from '../errors.js';
import type { OutputSpec } from '../client/output-spec.js';

/** The annotation types `--annotation TYPE:KEY=VALUE` names, as buildx reads them. */
const TYPES: readonly string[] = ['manifest', 'manifest-descriptor', 'index', 'index-descriptor'];

/** One type of `--annotation`'s `TYPE[,TYPE…]:` prefix: a type and an optional platform in square brackets. */
const TYPE_AND_PLATFORM = /^([a-z-]+)(?:\[([A-Za-z0-9_/-]+)\])?$/;

/**
 * The exporter options `docker buildx build --annotation` values stand for: `KEY=VALUE` is `annotation.KEY=VALUE` (the
 * image manifest's), `TYPE[PLATFORM],…:KEY=VALUE` one `annotation-TYPE[PLATFORM].KEY=VALUE` per type named
 * (`manifest`, `manifest-descriptor`, `index`, `index-descriptor`).
 */
export function annotationAttrs(values: readonly string[]): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const text of values) {
    if (text === '') continue;
    const eq = text.indexOf('=');
    if (eq < 0) throw new KilnError('invalid_argument', `--annotation ${text} is not KEY=VALUE`, { hint: 'Write --annotation KEY=VALUE, or TYPE:KEY=VALUE (TYPE: manifest, manifest-descriptor, index, index-descriptor).' });
    const name = text.slice(0, eq);
    const value = text.slice(eq + 1);
    const colon = name.indexOf(':');
    if (colon < 0) {
      attrs[`annotation.${name}`] = value;
      continue;
    }
    const key = name.slice(colon + 1);
    for (const typeAndPlatform of name.slice(0, colon).split(',')) {
      const m = TYPE_AND_PLATFORM.exec(typeAndPlatform);
      if (m === null || !TYPES.includes(m[1] as string)) {
        throw new KilnError('invalid_argument', `--annotation ${name}=…: "${typeAndPlatform}" is not an annotation type`, {
          hint: `The types are ${TYPES.join(', ')}, each with an optional platform in square brackets (manifest[linux/amd64]:KEY=VALUE).`,
        });
      }
      attrs[`annotation-${m[1]}${m[2] === undefined ? '' : `[${m[2]}]`}.${key}`] = value;
    }
  }
  return attrs;
}

/**
 * `output` with the `--annotation` options added to its own (a `--annotation` wins over the same key in `-o`, as with
 * buildx). An output that is not an image (or no output) is refused: BuildKit would take the annotations and write
 * them nowhere.
 */
export function withAnnotations(output: OutputSpec | undefined, attrs: Readonly<Record<string, string>>): OutputSpec | undefined {
  if (Object.keys(attrs).length === 0) return output;
  if (output === undefined || output.type === 'local' || output.type === 'tar') {
    throw new KilnError('invalid_argument', `--annotation annotates an image, and ${output === undefined ? 'the build has no output' : `--output type=${output.type} writes files`}`, {
      hint: 'Build an image: --push, --load, -t NAME, or --output type=image|docker|oci.',
    });
  }
  return { ...output, attrs: { ...output.attrs, ...attrs } };
}
