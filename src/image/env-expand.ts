/**
 * Variable expansion in environment values: `$NAME` and `${NAME}` are replaced by the value the image's
 * environment has at that point; `\$` is a literal dollar. What happens to unknown names is the caller's choice:
 * Kubetorch's `set_env_vars` keeps them literally (like Python's `os.path.expandvars`), a Dockerfile `ENV` makes
 * them empty. Every other `$` (`$1`, `${`, `${A:-x}`, a `$` at the end) is literal.
 *
 * The value is read once into parts ({@link variableParts}); expanding it and writing it for a Dockerfile
 * (`to-dockerfile.ts`) both work on those parts, so the two cannot read a value differently.
 */

/** How unknown variables expand. */
export type UnknownVariables = 'keep' | 'empty';

/** A piece of a value: literal text, or a reference to a variable as written (`$NAME` or `${NAME}`). */
export type VariablePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly name: string; readonly braced: boolean };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Splits `value` into literal text and variable references; `\$` becomes a literal `$` in the text.
 *
 * @example
 * variableParts('\\$HOME is ${HOME}') // [{ kind: 'text', text: '$HOME is ' }, { kind: 'ref', name: 'HOME', braced: true }]
 */
export function variableParts(value: string): VariablePart[] {
  const parts: VariablePart[] = [];
  let text = '';
  const ref = (name: string, braced: boolean): void => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'ref', name, braced });
  };
  let i = 0;
  while (i < value.length) {
    const c = value[i] as string;
    if (c === '\\' && value[i + 1] === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      text += c;
      i++;
      continue;
    }
    const rest = value.slice(i + 1);
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      const name = close === -1 ? '' : rest.slice(1, close);
      if (close !== -1 && NAME.exec(name)?.[0] === name) {
        ref(name, true);
        i += close + 2;
        continue;
      }
      text += c;
      i++;
      continue;
    }
    const m = NAME.exec(rest);
    if (m === null) {
      text += c;
      i++;
      continue;
    }
    ref(m[0], false);
    i += 1 + m[0].length;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}

/** A reference as it was written: `$NAME` or `${NAME}`. */
export function writtenReference(part: { readonly name: string; readonly braced: boolean }): string {
  return part.braced ? `\${${part.name}}` : `$${part.name}`;
}

/**
 * Expands `$NAME` and `${NAME}` in `value` with `lookup`.
 *
 * @example
 * expandVariables('$BASE/bin:${PATH}', (n) => ({ BASE: '/usr/local', PATH: '/bin' })[n], 'keep') // '/usr/local/bin:/bin'
 * expandVariables('\\$HOME', () => '/root', 'keep')                                            // '$HOME'
 * expandVariables('$NOPE/x', () => undefined, 'keep')                                          // '$NOPE/x'
 */
export function expandVariables(value: string, lookup: (name: string) => string | undefined, unknown: UnknownVariables): string {
  return variableParts(value)
    .map((p) => (p.kind === 'text' ? p.text : (lookup(p.name) ?? (unknown === 'keep' ? writtenReference(p) : ''))))
    .join('');
}
