/**
 * Reads the dependency lists of a `pyproject.toml` (PEP 621 `[project] dependencies` and
 * `[project.optional-dependencies]`). A small TOML reader: tables, dotted and quoted keys, strings (basic and
 * literal, single- and multi-line), arrays across lines, comments; other values are parsed only to be skipped.
 *
 * Internal module.
 */

/** Why a pyproject.toml could not be read. */
export class PyprojectError extends Error {}

/** The dependency lists of a PEP 621 project. */
export interface ProjectDependencies {
  readonly name: string | undefined;
  readonly dependencies: readonly string[];
  readonly optional: ReadonlyMap<string, readonly string[]>;
}

type TomlValue = string | number | boolean | TomlValue[] | { [k: string]: TomlValue };

class Reader {
  i = 0;
  line = 1;
  constructor(readonly s: string) {}

  fail(msg: string): never {
    throw new PyprojectError(`line ${this.line}: ${msg}`);
  }

  peek(): string {
    return this.s[this.i] ?? '';
  }

  next(): string {
    const c = this.s[this.i++] ?? '';
    if (c === '\n') this.line++;
    return c;
  }

  /** Skips spaces and tabs (and, with `newlines`, line breaks and comments). */
  skip(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r') this.next();
      else if (c === '#') {
        while (this.peek() !== '\n' && this.peek() !== '') this.next();
      } else if (newlines && c === '\n') this.next();
      else return;
    }
  }

  endOfLine(): void {
    this.skip(false);
    const c = this.peek();
    if (c !== '\n' && c !== '') this.fail(`unexpected ${JSON.stringify(c)} after a value`);
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skip(false);
      const c = this.peek();
      if (c === '"' || c === "'") parts.push(this.string());
      else {
        let k = '';
        while (/[A-Za-z0-9_-]/.test(this.peek())) k += this.next();
        if (k === '') this.fail('expected a key');
        parts.push(k);
      }
      this.skip(false);
      if (this.peek() !== '.') return parts;
      this.next();
    }
  }

  string(): string {
    const q = this.next();
    const multi = this.s.startsWith(q + q, this.i);
    if (multi) {
      this.i += 2;
      if (this.peek() === '\n') this.next();
      else if (this.s.startsWith('\r\n', this.i)) this.i += 2;
    }
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated string');
      if (multi ? this.s.startsWith(q + q + q, this.i) : this.peek() === q) {
        this.i += multi ? 3 : 1;
        return out;
      }
      if (!multi && this.peek() === '\n') this.fail('newline in a single-line string');
      const c = this.next();
      if (q === '"' && c === '\\') {
        const e = this.next();
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) out += simple[e];
        else if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          const hex = this.s.slice(this.i, this.i + n);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail('bad unicode escape');
          this.i += n;
          out += String.fromCodePoint(parseInt(hex, 16));
        } else if (multi && (e === '\n' || e === ' ' || e === '\r' || e === '\t')) {
          while (/[\s]/.test(this.peek())) this.next();
        } else this.fail(`bad escape \\${e}`);
        continue;
      }
      out += c;
    }
  }

  value(): TomlValue {
    this.skip(false);
    const c = this.peek();
    if (c === '"' || c === "'") return this.string();
    if (c === '[') {
      this.next();
      const arr: TomlValue[] = [];
      for (;;) {
        this.skip(true);
        if (this.peek() === ']') {
          this.next();
          return arr;
        }
        arr.push(this.value());
        this.skip(true);
        if (this.peek() === ',') this.next();
        else if (this.peek() !== ']') this.fail('expected "," or "]" in an array');
      }
    }
    if (c === '{') {
      this.next();
      const obj: { [k: string]: TomlValue } = {};
      for (;;) {
        this.skip(false);
        if (this.peek() === '}') {
          this.next();
          return obj;
        }
        const k = this.key();
        if (this.next() !== '=') this.fail('expected "=" in an inline table');
        obj[k.join('.')] = this.value();
        this.skip(false);
        if (this.peek() === ',') this.next();
        else if (this.peek() !== '}') this.fail('expected "," or "}" in an inline table');
      }
    }
    let raw = '';
    while (/[A-Za-z0-9_+\-.:]/.test(this.peek())) raw += this.next();
    if (raw === '') this.fail(`unexpected ${JSON.stringify(c)}`);
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    const n = Number(raw.replace(/_/g, ''));
    return Number.isNaN(n) ? raw : n;
  }
}

/** Parses TOML text into nested objects (enough of TOML for pyproject files). */
export function parseToml(text: string): { [k: string]: TomlValue } {
  const r = new Reader(text);
  const root: { [k: string]: TomlValue } = {};
  let table = root;
  const tableAt = (path: string[], arrayTable: boolean): { [k: string]: TomlValue } => {
    let t: { [k: string]: TomlValue } = root;
    path.forEach((k, idx) => {
      const last = idx === path.length - 1;
      let v = t[k];
      if (last && arrayTable) {
        if (v === undefined) v = t[k] = [];
        if (!Array.isArray(v)) return r.fail(`${path.join('.')} is not an array of tables`);
        const arr: TomlValue[] = v;
        const item: { [k: string]: TomlValue } = {};
        arr.push(item);
        t = item;
        return;
      }
      if (v === undefined) v = t[k] = {};
      if (Array.isArray(v)) v = v[v.length - 1] as TomlValue;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) r.fail(`${path.join('.')} is not a table`);
      t = v as { [k: string]: TomlValue };
    });
    return t;
  };
  for (;;) {
    r.skip(true);
    if (r.i >= r.s.length) return root;
    if (r.peek() === '[') {
      r.next();
      const arrayTable = r.peek() === '[';
      if (arrayTable) r.next();
      const path = r.key();
      if (r.next() !== ']' || (arrayTable && r.next() !== ']')) r.fail('expected "]" after a table name');
      table = tableAt(path, arrayTable);
      r.endOfLine();
      continue;
    }
    const path = r.key();
    if (r.next() !== '=') r.fail('expected "=" after a key');
    const value = r.value();
    let t = table;
    for (const k of path.slice(0, -1)) {
      const v = (t[k] ??= {});
      if (typeof v !== 'object' || Array.isArray(v)) r.fail(`${path.join('.')}: ${k} is not a table`);
      t = v as { [k: string]: TomlValue };
    }
    t[path[path.length - 1] as string] = value;
    r.endOfLine();
  }
}

function stringList(v: TomlValue | undefined, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new PyprojectError(`${what} must be an array of strings`);
  return v as string[];
}

/** Reads the PEP 621 dependency lists of a pyproject.toml. */
export function readProjectDependencies(text: string): ProjectDependencies {
  const doc = parseToml(text);
  const project = doc['project'];
  if (project === undefined || typeof project !== 'object' || Array.isArray(project)) {
    throw new PyprojectError('there is no [project] table (PEP 621); for Poetry projects use poetryInstallFromFile()');
  }
  const optional = new Map<string, readonly string[]>();
  const opt = project['optional-dependencies'];
  if (opt !== undefined) {
    if (typeof opt !== 'object' || Array.isArray(opt)) throw new PyprojectError('[project.optional-dependencies] must be a table');
    for (const [k, v] of Object.entries(opt)) optional.set(k, stringList(v, `optional-dependencies.${k}`));
  }
  const name = project['name'];
  return {
    name: typeof name === 'string' ? name : undefined,
    dependencies: stringList(project['dependencies'], 'project.dependencies'),
    optional,
  };
}
