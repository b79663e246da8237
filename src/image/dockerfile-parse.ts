/**
 * A Dockerfile reader for `Image.fromDockerfile()` and `image.dockerfileCommands()`: turns the text into
 * instructions (continuation lines joined, comments dropped, flags and JSON forms split out) and provides the
 * word splitting Dockerfile instructions use (quotes, escapes; `$` references are kept for later expansion).
 *
 * Internal module.
 */

/** Why a Dockerfile could not be read. */
export class DockerfileError extends Error {
  constructor(
    /** What is wrong, without the line. */
    readonly detail: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

/** One instruction. */
export interface Instruction {
  /** Upper-case keyword: `RUN`, `COPY`, … */
  readonly keyword: string;
  /** `--name=value` flags before the arguments, in order. */
  readonly flags: readonly (readonly [name: string, value: string])[];
  /** The arguments after the flags, as written (continuations joined). */
  readonly rest: string;
  /** The JSON (exec) form of the arguments, when they are one. */
  readonly json: readonly string[] | undefined;
  /** 1-based line the instruction starts on. */
  readonly line: number;
  /**
   * The escape character the `# escape=` directive chose; Docker uses it in words and values as well as for line
   * continuations. Absent: `\`.
   */
  readonly escape?: string;
}

const FLAGGED = new Set(['RUN', 'COPY', 'ADD', 'FROM', 'HEALTHCHECK']);
/** Instructions Docker reads heredocs on. */
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/** Splits Dockerfile text into instructions. */
export function parseDockerfile(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: only at the very top, before any other line.
  for (; i < lines.length; i++) {
    const m = /^\s*#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i] as string);
    if (m === null) break;
    if ((m[1] as string).toLowerCase() === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') throw new DockerfileError(`escape must be "\\" or "\`", got ${JSON.stringify(m[2])}`, i + 1);
      escape = m[2];
    }
  }
  const out: Instruction[] = [];
  while (i < lines.length) {
    const start = i;
    let line = lines[i++] as string;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    let body = '';
    for (;;) {
      const trimmed = line.replace(/\s+$/, '');
      if (trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape)) {
        body += trimmed.slice(0, -1);
        // Comment and empty lines inside a continuation are skipped.
        while (i < lines.length && /^\s*(#.*)?$/.test(lines[i] as string)) i++;
        if (i >= lines.length) break;
        line = lines[i++] as string;
        continue;
      }
      body += line;
      break;
    }
    body = body.trim();
    const kw = /^(\S+)\s*([\s\S]*)$/.exec(body);
    if (kw === null) continue;
    const keyword = (kw[1] as string).toUpperCase();
    const args = kw[2] as string;
    let rest = args;
    const flags: [string, string][] = [];
    if (FLAGGED.has(keyword)) {
      for (;;) {
        const f = /^--([a-zA-Z-]+)(?:=("[^"]*"|\S*))?\s*/.exec(rest);
        if (f === null) break;
        let value = f[2] ?? 'true';
        if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
        flags.push([(f[1] as string).toLowerCase(), value]);
        rest = rest.slice(f[0].length);
      }
    }
    let json: string[] | undefined;
    if (rest.trim().startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(rest.trim());
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) json = parsed as string[];
      } catch {
        json = undefined;
      }
    }
    // Docker looks for heredocs in the shell form of these instructions only (and in their flags, as it scans the
    // whole line); a `<<` elsewhere (`LABEL usage="press <<Enter>>"`, `RUN echo "a <<b"`) is text.
    if (HEREDOC_KEYWORDS.has(keyword) && json === undefined && hasHeredoc(args, start + 1)) {
      throw new DockerfileError('heredocs (<<EOF) are not supported; write the file with a separate COPY or a RUN with printf', start + 1);
    }
    out.push({ keyword, flags, rest: rest.trim(), json, line: start + 1, escape });
  }
  return out;
}

/**
 * Splits instruction arguments into words the way Dockerfile instructions do: whitespace separates words, quotes
 * group, `escape` (the `# escape=` directive's character, backslash by default) escapes; as Docker splits them, a
 * space inside `${X:-a b}` ends a word too. The words come in one encoding whatever the escape character: a `$`
 * inside single quotes or escaped is returned as `\$`, and an escaped `}` as `\}`, so that later variable expansion
 * reads them as literal; other `$` references are returned untouched.
 */
export function splitWords(text: string, line: number, escape = '\\'): string[] {
  return readWords(text, line, escape, true);
}

/**
 * Reads `text` as one word, as Docker reads the value of the legacy `ENV NAME value`: quotes and escapes are
 * processed, whitespace outside quotes is kept as written. Same encoding as {@link splitWords}.
 */
export function oneWord(text: string, line: number, escape = '\\'): string {
  return readWords(text, line, escape, false)[0] ?? '';
}

/** {@link splitWords} (`split`) or {@link oneWord}. */
function readWords(text: string, line: number, escape: string, split: boolean): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  // How many `${` are open in the current word.
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c) && split) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      depth = 0;
      i++;
      continue;
    }
    inWord = true;
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      cur += '${';
      i += 2;
      continue;
    }
    if (c === '}' && depth > 0) depth--;
    if (c === escape) {
      const n = text[i + 1];
      if (n === undefined) {
        // A lone escape at the end is dropped, as Docker's lexer drops it.
        i++;
        continue;
      }
      if (depth > 0) {
        // Inside `${…}` escapes are read with the modifier (`${P//\//:}`, `${F%\*}`), as Docker reads them there;
        // written with a backslash, which is what variable expansion reads.
        cur += `\\${n}`;
        i += 2;
        continue;
      }
      // `\$` and `\}` stay escaped for variable expansion (a literal `$`, a literal `}` inside `${NAME:-word}`).
      cur += n === '$' || n === '}' ? `\\${n}` : n;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new DockerfileError(`unterminated single quote in ${JSON.stringify(text)}`, line);
      cur += text.slice(i + 1, end).replace(/\$/g, '\\$');
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new DockerfileError(`unterminated double quote in ${JSON.stringify(text)}`, line);
        const d = text[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        // In double quotes the escape character escapes only `"`, `$` and itself; before anything else it is text.
        if (d === escape && (text[i + 1] === '"' || text[i + 1] === escape || text[i + 1] === '$')) {
          cur += text[i + 1] === '$' ? '\\$' : (text[i + 1] as string);
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      continue;
    }
    cur += c;
    i++;
  }
  if (inWord) words.push(cur);
  return words;
}

/** The whitespace Docker splits the legacy `ENV NAME value` at (no newline: continuations are joined by then). */
const LEGACY_SEPARATOR = /^([^\t\v\f\r ]+)[\t\v\f\r ]+(.*)$/s;

/**
 * Splits `KEY=value` words (ENV, LABEL, ARG) or the legacy `KEY value with spaces` form, which Docker allows for ENV
 * and LABEL: there the value is the rest of the line after the name and the whitespace after it, read as one word
 * (`ENV A hello   world` keeps the three spaces).
 */
export function keyValues(inst: Instruction, allowLegacy: boolean): [string, string][] {
  const escape = inst.escape ?? '\\';
  const words = splitWords(inst.rest, inst.line, escape);
  if (words.length === 0) throw new DockerfileError(`${inst.keyword} needs at least one NAME=value`, inst.line);
  if (!(words[0] as string).includes('=')) {
    if (!allowLegacy) throw new DockerfileError(`${inst.keyword} needs NAME=value pairs`, inst.line);
    const m = LEGACY_SEPARATOR.exec(inst.rest);
    if (m === null) throw new DockerfileError(`${inst.keyword} ${inst.rest} needs a value`, inst.line);
    return [[oneWord(m[1] as string, inst.line, escape), oneWord(m[2] as string, inst.line, escape)]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new DockerfileError(`${JSON.stringify(w)} is not NAME=value`, inst.line);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/**
 * Whether an instruction's arguments hold a heredoc where Docker finds one: a word, outside quotes, that is `<<` or
 * `<<-` (after an optional file descriptor, `3<<EOF`) followed by a name, quoted or not. Docker splits these words
 * with backslash escapes whatever the escape directive says.
 */
export function hasHeredoc(args: string, line: number): boolean {
  return rawWords(args).some((w) => isHeredocWord(w, line));
}

/**
 * Words split at whitespace outside quotes, quotes and escapes kept. As in Docker's lexer, the whitespace after a
 * `<<` belongs to the word (`<< EOF` is one word). An unterminated quote gives no words: Docker then finds no
 * heredoc either.
 */
function rawWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== '') {
      cur += c;
      // Only double quotes know escapes; an escaped `"` does not end them.
      if (c === '\\' && quote === '"') cur += text[++i] ?? '';
      else if (c === quote) quote = '';
      continue;
    }
    if (/\s/.test(c)) {
      if (cur !== '') words.push(cur);
      cur = '';
    } else if (c === '\\') {
      cur += c + (text[++i] ?? '');
    } else if (c === '<' && text[i + 1] === '<') {
      const op = /^<<[\t\r ]*/.exec(text.slice(i))?.[0] ?? '<<';
      cur += op;
      i += op.length - 1;
    } else {
      if (c === '"' || c === "'") quote = c;
      cur += c;
    }
  }
  if (quote !== '') return [];
  if (cur !== '') words.push(cur);
  return words;
}

/** Whether a raw word is a heredoc: `<<NAME`, `<<-NAME`, `<<"NAME"`, `3<<NAME`; the name is one non-empty word. */
function isHeredocWord(word: string, line: number): boolean {
  const m = /^\d*<<-?\s*([^<]*)$/.exec(word);
  if (m === null || m[1] === '') return false;
  const name = splitWords(m[1] as string, line);
  return name.length === 1 && name[0] !== '';
}

/**
 * EXPOSE's `start-end` ranges as the ports they stand for, as Docker expands them (`8000-8002/tcp` → `8000/tcp`,
 * `8001/tcp`, `8002/tcp`); a publish spec (`80:8080`, `127.0.0.1:80:8080/udp`) as its container port. Any other
 * word, a backwards range included, is returned as it is, for the port check to accept or refuse.
 */
export function expandPortRange(word: string): string[] {
  // `[ip:]hostPort:containerPort[/proto]` (a publish spec) exposes its container port, as Docker reads it.
  // (The host port, if any, must be a port or a range: `1.2.3.4:8080` is refused, as Docker refuses it.)
  const spec = /^(?:(?:\[[^\]]*\]|[^:/[\]]*):)?\d*(?:-\d+)?:([^:]+)$/.exec(word);
  if (spec !== null) return expandPortRange(spec[1] as string);
  const m = /^(\d+)-(\d+)(\/.*)?$/.exec(word);
  if (m === null) return [word];
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (last < first || last > 65535) return [word];
  const proto = m[3] ?? '';
  return Array.from({ length: last - first + 1 }, (_, k) => `${first + k}${proto}`);
}

/** Parses `a=b,c=d` mount options. */
export function csvOptions(value: string, line: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = (eq === -1 ? part : part.slice(0, eq)).toLowerCase();
    const v = eq === -1 ? 'true' : part.slice(eq + 1);
    if (out.has(k)) throw new DockerfileError(`mount option ${k} given twice`, line);
    out.set(k, v);
  }
  return out;
}
