/**
 * Variable expansion in environment values: `$NAME` and `${NAME}` are replaced by the value the image's
 * environment has at that point; `\$` is a literal dollar. What happens to unknown names is the caller's choice:
 * Kubetorch's `set_env_vars` keeps them literally (like Python's `os.path.expandvars`), a Dockerfile `ENV` makes
 * them empty, and also has Docker's `${NAME:-word}` / `${NAME:+word}`. Every other `$` (`$1`, `${`, a `$` at the end;
 * `${A:-x}` outside Dockerfile input) is literal.
 *
 * The value is read once into parts ({@link variableParts}); expanding it and writing it for a Dockerfile
 * (`to-dockerfile.ts`) both work on those parts, so the two cannot read a value differently.
 */

/** How unknown variables expand. */
export type UnknownVariables = 'keep' | 'empty';

/**
 * A Dockerfile's `${NAME:-word}` (word when NAME is unset or empty) or `${NAME:+word}` (word when NAME is set and not
 * empty); `word` is as written (escapes included) and may hold references itself.
 */
export interface VariableModifier {
  readonly op: ':-' | ':+';
  readonly word: string;
}

/** A piece of a value: literal text, or a reference to a variable as written (`$NAME`, `${NAME}`, `${NAME:-word}`). */
export type VariablePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly name: string; readonly braced: boolean; readonly modifier?: VariableModifier };

/** Options of {@link variableParts}. */
export interface VariablePartsOptions {
  /** Read `${NAME:-word}` and `${NAME:+word}` as Docker does (Dockerfile input); otherwise they are literal text. */
  readonly modifiers?: boolean;
}

/** The index of the `}` closing a `${` whose body starts at `from`, counting nested `${…}` and skipping `\`-escapes; -1 when there is none. */
function closingBrace(value: string, from: number): number {
  let depth = 0;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === '$' && value[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Splits `value` into literal text and variable references; `\$` becomes a literal `$` in the text.
 *
 * @example
 * variableParts('\\$HOME is ${HOME}') // [{ kind: 'text', text: '$HOME is ' }, { kind: 'ref', name: 'HOME', braced: true }]
 */
export function variableParts(value: string, options: VariablePartsOptions = {}): VariablePart[] {
  const parts: VariablePart[] = [];
  let text = '';
  const ref = (name: string, braced: boolean, modifier?: VariableModifier): void => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push(modifier === undefined ? { kind: 'ref', name, braced } : { kind: 'ref', name, braced, modifier });
  };
  let i = 0;
  while (i < value.length) {
    const c = value[i] as string;
    if (c === '\\' && value[i + 1] === '}' && options.modifiers === true) {
      // In Dockerfile input `\}` is a literal brace (it matters inside `${NAME:-word}`).
      text += '}';
      i += 2;
      continue;
    }
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
    if (rest.startsWith('{') && options.modifiers === true) {
      const name = NAME.exec(rest.slice(1))?.[0];
      const op = name === undefined ? undefined : rest.slice(1 + name.length, 3 + name.length);
      if (name !== undefined && (op === ':-' || op === ':+')) {
        const start = i + 4 + name.length;
        const close = closingBrace(value, start);
        if (close !== -1) {
          ref(name, true, { op, word: value.slice(start, close) });
          i = close + 1;
          continue;
        }
      }
    }
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

/** A reference as it was written: `$NAME`, `${NAME}` or `${NAME:-word}`. */
export function writtenReference(part: { readonly name: string; readonly braced: boolean; readonly modifier?: VariableModifier }): string {
  if (part.modifier !== undefined) return `\${${part.name}${part.modifier.op}${part.modifier.word}}`;
  return part.braced ? `\${${part.name}}` : `$${part.name}`;
}

/** Every variable name `value` refers to, those inside `${NAME:-word}` words included. */
export function referencedNames(value: string, options: VariablePartsOptions = {}): string[] {
  return variableParts(value, options).flatMap((p) =>
    p.kind === 'text' ? [] : [p.name, ...(p.modifier === undefined ? [] : referencedNames(p.modifier.word, options))],
  );
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
  // Dockerfile input ('empty') also has Docker's `${NAME:-word}` and `${NAME:+word}`.
  const dockerfile = unknown === 'empty';
  return variableParts(value, { modifiers: dockerfile })
    .map((p) => {
      if (p.kind === 'text') return p.text;
      const v = lookup(p.name);
      if (p.modifier?.op === ':-') return v === undefined || v === '' ? expandVariables(p.modifier.word, lookup, unknown) : v;
      if (p.modifier?.op === ':+') return v === undefined || v === '' ? '' : expandVariables(p.modifier.word, lookup, unknown);
      return v ?? (unknown === 'keep' ? writtenReference(p) : '');
    })
    .join('');
}
