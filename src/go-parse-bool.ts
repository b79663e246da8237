/**
 * Go's `strconv.ParseBool`, as BuildKit, buildctl and buildx read boolean options, headers and variables: true for
 * `1`, `t`, `T`, `TRUE`, `true`, `True`; false for `0`, `f`, `F`, `FALSE`, `false`, `False`; undefined (Go's error)
 * for anything else.
 *
 * Internal module.
 */
const TRUE: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseGoBool(value: string): boolean | undefined {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return undefined;
}
