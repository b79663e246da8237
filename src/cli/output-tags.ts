import type { OutputSpec } from '../client/output-spec.js';

/** An output with the names `-t` gives it, and the `name=` those replaced (empty when none was replaced). */
export interface TaggedOutput {
  readonly output: OutputSpec;
  readonly replaced: readonly string[];
}

/**
 * The output named as `docker buildx build` names it: with `-t` given, an image output (`type=image`, `registry`,
 * `docker`, `oci`) takes the `-t` names, and its own `name=` is not used; without `-t` it keeps `name=`. `tags` are
 * the `-t` values, undefined when none was given.
 */
export function tagsOverOutputNames(output: OutputSpec, tags: readonly string[] | undefined): TaggedOutput {
  if (tags === undefined || tags.length === 0 || output.type === 'local' || output.type === 'tar') return { output, replaced: [] };
  const same = output.names.length === tags.length && output.names.every((n) => tags.includes(n));
  const replaced = same ? [] : output.names.filter((n) => !tags.includes(n));
  return { output: { ...output, names: [...tags] }, replaced };
}
