/**
 * The lines of the elements of an array literal passed to a method, found in the caller's source text — so that a
 * failed step made by one element of `image.dockerfileCommands([...])` is located at that element, not at the call.
 *
 * Conservative: only a call written `method(` exactly where the stack frame points (V8 points at the method's name),
 * whose first argument is an array literal of plain string literals (`'…'`, `"…"`, or a template literal without
 * `${}`), with comments and a trailing comma allowed, and whose elements are, in order, exactly the `values` the
 * method received. Anything else — a variable, a spread, a concatenation, an escape this reader does not decode, a
 * frame that points elsewhere — gives `undefined`, and the step is located at the call.
 *
 * Internal module.
 */

/** 1-based first and last line of one element. */
export interface ElementLines {
  readonly line: number;
  readonly endLine: number;
}

/** The lines of each element, in order; `undefined` when the call is not one this reader is sure of (see above). */
export function callArrayElements(text: string, line: number, column: number, method: string, values: readonly string[]): ElementLines[] | undefined {
  const at = offsetOf(text, line, column);
  if (at === undefined || !text.startsWith(method, at) || isIdentifierChar(text[at + method.length])) return undefined;
  let i = skipSpace(text, at + method.length);
  if (text[i] !== '(') return undefined;
  i = skipSpace(text, i + 1);
  if (text[i] !== '[') return undefined;
  i = skipSpace(text, i + 1);
  const found: ElementLines[] = [];
  while (text[i] !== ']') {
    const literal = stringLiteral(text, i);
    if (literal === undefined || literal.value !== values[found.length]) return undefined;
    found.push({ line: lineAt(text, i), endLine: lineAt(text, literal.end - 1) });
    i = skipSpace(text, literal.end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
    else if (text[i] !== ']') return undefined;
  }
  return found.length === values.length ? found : undefined;
}

/** The offset of 1-based `line` and `column`, when the text has them. */
function offsetOf(text: string, line: number, column: number): number | undefined {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return undefined;
    offset = nl + 1;
  }
  const end = text.indexOf('\n', offset);
  const at = offset + column - 1;
  return column >= 1 && (end === -1 || at < end) && at < text.length ? at : undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) line++;
  return line;
}

function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /[\w$]/.test(c);
}

/** The offset after whitespace and comments from `i`. */
function skipSpace(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return text.length;
      i = end + 2;
    } else {
      return i;
    }
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', $: '$' };

/** The string literal starting at `i`: its value and the offset after its closing quote; `undefined` for anything else. */
function stringLiteral(text: string, i: number): { value: string; end: number } | undefined {
  const quote = text[i];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  let value = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j] as string;
    if (c === quote) return { value, end: j + 1 };
    if (c === '\\') {
      const e = ESCAPES[text[j + 1] ?? ''];
      // \x, \u, octal, a line continuation: not decoded here, so not compared.
      if (e === undefined) return undefined;
      value += e;
      j++;
      continue;
    }
    if (quote === '`') {
      if (c === '$' && text[j + 1] === '{') return undefined;
      // A template's line breaks are \n, whatever the file has.
      if (c === '\r') {
        value += '\n';
        if (text[j + 1] === '\n') j++;
        continue;
      }
    } else if (c === '\n' || c === '\r') {
      return undefined;
    }
    value += c;
  }
  return undefined;
}
