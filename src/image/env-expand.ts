/**
 * Variable expansion in environment values: `$NAME` and `${NAME}` are replaced by the value the image's
 * environment has at that point; `\$` is a literal dollar. What happens to unknown names is the caller's choice:
 * Kubetorch's `set_env_vars` keeps them literally (like Python's `os.path.expandvars`), a Dockerfile `ENV` makes
 * them empty.
 */

/** How unknown variables expand. */
export type UnknownVariables = 'keep' | 'empty';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Expands `$NAME` and `${NAME}` in `value` with `lookup`.
 *
 * @example
 * expandVariables('$BASE/bin:${PATH}', (n) => ({ BASE: '/usr/local', PATH: '/bin' })[n], 'keep') // '/usr/local/bin:/bin'
 * expandVariables('\\$HOME', () => '/root', 'keep')                                            // '$HOME'
 * expandVariables('$NOPE/x', () => undefined, 'keep')                                          // '$NOPE/x'
 */
export function expandVariables(value: string, lookup: (name: string) => string | undefined, unknown: UnknownVariables): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i] as string;
    if (c === '\\' && value[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const rest = value.slice(i + 1);
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      const name = close === -1 ? '' : rest.slice(1, close);
      if (close !== -1 && NAME.exec(name)?.[0] === name) {
        const v = lookup(name);
        out += v ?? (unknown === 'keep' ? `\${${name}}` : '');
        i += close + 2;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    const m = NAME.exec(rest);
    if (m === null) {
      out += c;
      i++;
      continue;
    }
    const name = m[0];
    const v = lookup(name);
    out += v ?? (unknown === 'keep' ? `$${name}` : '');
    i += 1 + name.length;
  }
  return out;
}
