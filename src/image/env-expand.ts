/**
 * Variable expansion in environment values: `$NAME` and `${NAME}` are replaced by the value the image's
 * environment has at that point; `\$` is a literal dollar. What happens to unknown names is the caller's choice:
 * Kubetorch's `set_env_vars` keeps them literally (like Python's `os.path.expandvars`), a Dockerfile `ENV` makes
 * them empty, and also has Docker's modifiers: `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`,
 * `${NAME:?message}` and `${NAME?message}`. Every other `$` (`$1`, a `$` at the end; `${`, `${A:-x}` outside
 * Dockerfile input) is literal. In Dockerfile input a malformed `${…}` is an error, as it is for Docker.
 *
 * The value is read once into parts ({@link variableParts}); expanding it and writing it for a Dockerfile
 * (`to-dockerfile.ts`) both work on those parts, so the two cannot read a value differently.
 */

/** How unknown variables expand. */
export type UnknownVariables = 'keep' | 'empty';

/**
 * A Dockerfile modifier. With the colon, an empty variable counts as unset; without it, only an unset one does.
 * - `${NAME:-word}` / `${NAME-word}`: word when NAME is unset;
 * - `${NAME:+word}` / `${NAME+word}`: word when NAME is set, else empty;
 * - `${NAME:?message}` / `${NAME?message}`: an error (`NAME: message`) when NAME is unset;
 * - `${NAME#pattern}` / `${NAME##pattern}`: NAME without the shortest / longest prefix the shell pattern matches;
 *   `${NAME%pattern}` / `${NAME%%pattern}` the same for a suffix (`*` any text, `?` one character, `\*` a star);
 * - `${NAME/pattern/text}` / `${NAME//pattern/text}`: the first / every match of the pattern replaced by text.
 */
export type ModifierOp = ':-' | '-' | ':+' | '+' | ':?' | '?' | '#' | '##' | '%' | '%%' | '/' | '//';

/**
 * A Dockerfile's `${NAME<op>word}`; `word` is as written (escapes included) and may hold references itself. For
 * `/` and `//`, `word` is the pattern and `replacement` the text.
 */
export interface VariableModifier {
  readonly op: ModifierOp;
  readonly word: string;
  readonly replacement?: string;
}

/**
 * A `${…}` Docker cannot read (`${}`, no closing brace, an unsupported modifier such as `${A#prefix}`), or a
 * `${NAME?message}` whose variable is unset. Thrown only for Dockerfile input; callers say which instruction.
 */
export class SubstitutionError extends Error {}

/** A piece of a value: literal text, or a reference to a variable as written (`$NAME`, `${NAME}`, `${NAME:-word}`). */
export type VariablePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly name: string; readonly braced: boolean; readonly modifier?: VariableModifier };

/** Options of {@link variableParts}. */
export interface VariablePartsOptions {
  /** Read `${NAME:-word}` and the other modifiers as Docker does (Dockerfile input); otherwise they are literal text. */
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

/** The index of the first `/` in `word` outside `\`-escapes and nested `${…}`; -1 when there is none. */
function unescapedSlash(word: string): number {
  let depth = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === '\\') i++;
    else if (c === '$' && word[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
    else if (c === '/' && depth === 0) return i;
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
      const whole = (): string => {
        const end = closingBrace(value, i + 2);
        return end === -1 ? value.slice(i) : value.slice(i, end + 1);
      };
      if (rest === '{') throw new SubstitutionError(`missing "}" in ${JSON.stringify(value.slice(i))}`);
      if (name === undefined) throw new SubstitutionError(`bad substitution ${JSON.stringify(whole())}: a variable name must follow "\${"`);
      const after = rest.slice(1 + name.length);
      if (after.startsWith('}')) {
        ref(name, true);
        i += 3 + name.length;
        continue;
      }
      const op = ([':-', ':+', ':?', '-', '+', '?', '##', '#', '%%', '%', '//', '/'] as const).find((o) => after.startsWith(o));
      if (op === undefined) {
        if (after === '') throw new SubstitutionError(`missing "}" in ${JSON.stringify(value.slice(i))}`);
        const shown = after.startsWith(':') ? after.slice(0, 2) : (after[0] as string);
        throw new SubstitutionError(
          `unsupported modifier "${shown}" in ${JSON.stringify(whole())}: Docker reads ":-", "-", ":+", "+", ":?", "?", "#", "##", "%", "%%", "/" and "//" after a variable name`,
        );
      }
      const start = i + 2 + name.length + op.length;
      const close = closingBrace(value, start);
      if (close === -1) throw new SubstitutionError(`missing "}" in ${JSON.stringify(value.slice(i))}`);
      const word = value.slice(start, close);
      if (op === '/' || op === '//') {
        const slash = unescapedSlash(word);
        if (slash === -1) throw new SubstitutionError(`missing "/" in ${JSON.stringify(whole())}: write \${NAME/pattern/text}`);
        ref(name, true, { op, word: word.slice(0, slash), replacement: word.slice(slash + 1) });
      } else ref(name, true, { op, word });
      i = close + 1;
      continue;
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

/** A reference as it was written: `$NAME`, `${NAME}` or `${NAME:-word}` (any modifier). */
export function writtenReference(part: { readonly name: string; readonly braced: boolean; readonly modifier?: VariableModifier }): string {
  const m = part.modifier;
  if (m !== undefined) return `\${${part.name}${m.op}${m.word}${m.replacement === undefined ? '' : `/${m.replacement}`}}`;
  return part.braced ? `\${${part.name}}` : `$${part.name}`;
}

/** Every variable name `value` refers to, those inside modifier words (`${NAME:-word}`) included. */
export function referencedNames(value: string, options: VariablePartsOptions = {}): string[] {
  return variableParts(value, options).flatMap((p) =>
    p.kind === 'text'
      ? []
      : [p.name, ...(p.modifier === undefined ? [] : [p.modifier.word, p.modifier.replacement ?? ''].flatMap((w) => referencedNames(w, options)))],
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
  // Dockerfile input ('empty') also has Docker's modifiers (`${NAME:-word}` …).
  const dockerfile = unknown === 'empty';
  return variableParts(value, { modifiers: dockerfile })
    .map((p) => {
      if (p.kind === 'text') return p.text;
      const v = lookup(p.name);
      if (p.modifier === undefined) return v ?? (unknown === 'keep' ? writtenReference(p) : '');
      return applyModifier(p.name, v, p.modifier, (word) => expandVariables(word, lookup, unknown));
    })
    .join('');
}

/**
 * What `${NAME<op>word}` gives when NAME holds `value` (`undefined`: unset); `word` turns the modifier's word into
 * text. Throws {@link SubstitutionError} for `${NAME?message}` with NAME unset.
 */
export function applyModifier(name: string, value: string | undefined, modifier: VariableModifier, word: (word: string) => string): string {
  const unset = value === undefined || (modifier.op.startsWith(':') && value === '');
  const op = modifier.op;
  switch (op) {
    case ':-':
    case '-':
      return unset ? word(modifier.word) : (value as string);
    case ':+':
    case '+':
      return unset ? '' : word(modifier.word);
    case ':?':
    case '?': {
      if (!unset) return value as string;
      const message = word(modifier.word);
      throw new SubstitutionError(`${name}: ${message !== '' ? message : value === undefined ? 'is not allowed to be unset' : 'is not allowed to be empty'}`);
    }
    case '#':
    case '##':
      return trimPrefix(value ?? '', word(modifier.word), op === '##');
    case '%':
    case '%%': {
      // The shortest or longest suffix: reversing the value and the pattern makes it a prefix.
      const reversed = trimPrefix(reverse(value ?? ''), reversePattern(word(modifier.word)), op === '%%');
      return reverse(reversed);
    }
    case '/':
    case '//': {
      const pattern = shellPattern(word(modifier.word), true, false);
      const text = word(modifier.replacement ?? '');
      return (value ?? '').replace(new RegExp(pattern.source, op === '//' ? 'gu' : 'u'), () => text);
    }
  }
}

/** Whether the modifier takes a shell pattern (`#`, `%`, `/` and their doubles). */
export function isPatternOp(op: ModifierOp): boolean {
  return op.startsWith('#') || op.startsWith('%') || op.startsWith('/');
}

/**
 * A shell pattern as a regular expression: `*` is any text (shortest unless `greedy`), `?` one character, `\*`,
 * `\?` and `\\` the character itself, `\}` and `\/` the brace or slash; `[` has no special meaning (as in Docker).
 */
function shellPattern(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  let out = anchored ? '^' : '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '*') out += greedy ? '.*' : '.*?';
    else if (c === '?') out += '.';
    else if (c === '\\') {
      const next = chars[++i];
      if (next === '}' || next === '/') out += `\\${next}`;
      else if (next === '*' || next === '?' || next === '\\') out += `\\${next}`;
      else throw new SubstitutionError(`invalid escape "\\${next ?? ''}" in the pattern ${JSON.stringify(pattern)}: only \\*, \\? and \\\\ are escapes there`);
    } else out += /[[\]{}.+()|^$]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(out, 'u');
}

function trimPrefix(value: string, pattern: string, greedy: boolean): string {
  const m = shellPattern(pattern, greedy, true).exec(value);
  return m === null ? value : value.slice(m[0].length);
}

/** Reverses a pattern, keeping each escape before the character it escapes (`a\*c` → `c\*a`). */
function reversePattern(pattern: string): string {
  const tokens: string[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) tokens.push(chars[i] === '\\' && i + 1 < chars.length ? `\\${chars[++i] as string}` : (chars[i] as string));
  return tokens.reverse().join('');
}

function reverse(text: string): string {
  return [...text].reverse().join('');
}
