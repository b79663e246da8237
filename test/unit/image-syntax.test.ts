/**
 * The small languages the Image API reads: `$VAR` expansion, `.dockerignore` / `.gitignore` / rsync filter
 * patterns, pyproject.toml dependency lists, Dockerfile text, and the shell quoting of generated commands.
 */
import { describe, expect, it } from 'vitest';
import { DockerfileError, csvOptions, keyValues, parseDockerfile, splitWords } from '../../src/image/dockerfile-parse.js';
import { expandVariables } from '../../src/image/env-expand.js';
import { gitignoreToPatterns, parseDockerignore, rsyncFilterToPatterns, scopePatterns } from '../../src/image/ignore-patterns.js';
import { createPathFilter } from '../../src/session/ignore-patterns.js';
import { PyprojectError, parseToml, readProjectDependencies } from '../../src/image/pyproject.js';
import { shellJoin, shellQuote, shellQuoteExpanding } from '../../src/image/shell.js';

describe('expandVariables', () => {
  const env: Record<string, string> = { BASE: '/usr/local', PATH: '/bin', EMPTY: '' };
  const lookup = (n: string): string | undefined => env[n];

  it('expands $NAME and ${NAME}', () => {
    expect(expandVariables('$BASE/bin:${PATH}', lookup, 'keep')).toBe('/usr/local/bin:/bin');
    expect(expandVariables('${BASE}x$BASE-y', lookup, 'keep')).toBe('/usr/localx/usr/local-y');
    expect(expandVariables('[$EMPTY]', lookup, 'keep')).toBe('[]');
  });

  it('keeps or empties unknown variables', () => {
    expect(expandVariables('$NOPE/${NOPE}', lookup, 'keep')).toBe('$NOPE/${NOPE}');
    expect(expandVariables('$NOPE/${NOPE}', lookup, 'empty')).toBe('/');
  });

  it('\\$ is a literal dollar; lone and malformed dollars stay', () => {
    expect(expandVariables('\\$BASE', lookup, 'keep')).toBe('$BASE');
    expect(expandVariables('cost: $5 and $ and ${', lookup, 'keep')).toBe('cost: $5 and $ and ${');
    expect(expandVariables('${1bad}', lookup, 'keep')).toBe('${1bad}');
    // Dockerfile input: Docker refuses a malformed ${…}, and so does kiln.
    expect(() => expandVariables('${1bad}', lookup, 'empty')).toThrow(/bad substitution "\$\{1bad\}"/);
    expect(() => expandVariables('a ${', lookup, 'empty')).toThrow(/missing "\}" in "\$\{"/);
  });
});

describe('ignore patterns', () => {
  it('.dockerignore: comments, blanks, negation, leading slash, cleaning', () => {
    expect(parseDockerignore('# c\n\n*.pyc\n!keep.pyc\n/build/\n./docs//old\n')).toEqual(['*.pyc', '!keep.pyc', 'build', 'docs/old']);
  });

  it('.gitignore: unanchored patterns match at any depth, anchored ones at the root', () => {
    expect(gitignoreToPatterns('# c\n__pycache__/\n*.log\n/dist\ndocs/build\n!important.log\n\\#file\n**/tmp\n')).toEqual([
      '**/__pycache__',
      '**/*.log',
      'dist',
      'docs/build',
      '!**/important.log',
      '**/#file',
      '**/tmp',
    ]);
  });

  it('.gitignore: an escaped "!" is a file name, not a negation; escaped spaces (also trailing) stay in the name', () => {
    const patterns = gitignoreToPatterns('*.md\n\\!README.md\nsp\\ ace\\ \n');
    const filter = createPathFilter({ include: [], exclude: patterns });
    const kept = (p: string): boolean => filter.decide(p, false, undefined).emit;
    expect(kept('!README.md')).toBe(false);
    expect(kept('README.md')).toBe(false);
    expect(kept('sp ace ')).toBe(false);
    expect(kept('sp ace')).toBe(true);
  });

  it('rsync filters: first match wins in rsync, so the rules are reversed', () => {
    expect(rsyncFilterToPatterns(['--exclude=*.log', '--include', 'keep.log', '--exclude=/temp/', '-f', '- *.bak'])).toEqual([
      '**/*.bak',
      'temp',
      '!**/keep.log',
      '**/*.log',
    ]);
    // rsync matches a rule against the end of the path unless it starts with "/", even with a "/" inside it.
    const patterns = rsyncFilterToPatterns(['--exclude=build/cache', '--exclude=/top/sub', '--exclude', 'data/**']);
    expect(patterns).toEqual(['**/data/**', 'top/sub', '**/build/cache']);
    const filter = createPathFilter({ include: [], exclude: patterns });
    const kept = (p: string): boolean => filter.decide(p, false, undefined).emit;
    expect(['build/cache', 'pkg/build/cache', 'top/sub', 'data/x', 'a/data/x'].filter(kept)).toEqual([]);
    expect(['build', 'pkg/build', 'cache', 'x/top/sub', 'data'].filter(kept)).toEqual(['build', 'pkg/build', 'cache', 'x/top/sub', 'data']);
    expect(() => rsyncFilterToPatterns(['--delete'])).toThrow(/not supported/);
    expect(() => rsyncFilterToPatterns(['--exclude'])).toThrow(/needs a pattern/);
  });

  it('patterns of an ignore file in a subdirectory stay scoped to it', () => {
    expect(scopePatterns(['*.tmp', '!a.tmp'], 'sub/dir')).toEqual(['sub/dir/*.tmp', '!sub/dir/a.tmp']);
    expect(scopePatterns(['*.tmp'], '.')).toEqual(['*.tmp']);
  });
});

describe('pyproject.toml', () => {
  it('reads PEP 621 dependencies and optional groups across lines, with comments and both string kinds', () => {
    const deps = readProjectDependencies(`
# comment
[build-system]
requires = ["setuptools>=61"]

[project]
name = "demo"
version = "1.0"
dependencies = [
  "fastapi>=0.110",   # web
  'uvicorn[standard]',
  "pydantic >= 2",
]
[project.optional-dependencies]
dev = ["pytest", "ruff"]
"gpu" = ["torch"]

[tool.other]
nested = { a = 1, b = [true, false], c = "x" }
multi = """
line one
"""
`);
    expect(deps.name).toBe('demo');
    expect(deps.dependencies).toEqual(['fastapi>=0.110', 'uvicorn[standard]', 'pydantic >= 2']);
    expect([...deps.optional.entries()]).toEqual([
      ['dev', ['pytest', 'ruff']],
      ['gpu', ['torch']],
    ]);
  });

  it('parses dotted keys, escapes and arrays of tables', () => {
    const doc = parseToml('a.b = "x\\ty"\n[[item]]\nn = 1\n[[item]]\nn = 2\n');
    expect(doc).toEqual({ a: { b: 'x\ty' }, item: [{ n: 1 }, { n: 2 }] });
  });

  it('reports what is wrong and where', () => {
    expect(() => readProjectDependencies('[tool.poetry]\nname = "x"\n')).toThrow(PyprojectError);
    expect(() => readProjectDependencies('[tool.poetry]\nname = "x"\n')).toThrow(/no \[project\] table/);
    expect(() => parseToml('a = "open\n')).toThrow(/line 1: newline in a single-line string/);
    expect(() => readProjectDependencies('[project]\ndependencies = [1]\n')).toThrow(/array of strings/);
  });
});

describe('Dockerfile text', () => {
  it('joins continuation lines, skips comments inside them, splits flags and JSON forms', () => {
    const inst = parseDockerfile('# syntax=docker/dockerfile:1\nFROM a AS b\nRUN --mount=type=cache,target=/c \\\n  # note\n  echo one \\\n  two\nCMD ["x", "y"]\n\nenv A=1\n');
    expect(inst.map((i) => [i.keyword, i.flags, i.rest, i.json, i.line])).toEqual([
      ['FROM', [], 'a AS b', undefined, 2],
      ['RUN', [['mount', 'type=cache,target=/c']], 'echo one   two', undefined, 3],
      ['CMD', [], '["x", "y"]', ['x', 'y'], 7],
      ['ENV', [], 'A=1', undefined, 9],
    ]);
  });

  it('honours the escape directive', () => {
    expect(parseDockerfile('# escape=`\nRUN a `\n b\n')[0]?.rest).toBe('a  b');
    expect(() => parseDockerfile('# escape=x\n')).toThrow(DockerfileError);
  });

  it('splits words with quotes and escapes, protecting literal dollars', () => {
    expect(splitWords(`a "b c" 'd $e' f\\ g "h\\"i" \\$j $k`, 1)).toEqual(['a', 'b c', 'd \\$e', 'f g', 'h"i', '\\$j', '$k']);
    expect(() => splitWords('"open', 3)).toThrow(/line 3: unterminated double quote/);
  });

  it('reads KEY=value lists, the legacy KEY value form and mount options', () => {
    const inst = (rest: string) => ({ keyword: 'ENV', flags: [], rest, json: undefined, line: 1 });
    expect(keyValues(inst('A=1 B="two words"'), true)).toEqual([['A', '1'], ['B', 'two words']]);
    expect(keyValues(inst('NAME some value'), true)).toEqual([['NAME', 'some value']]);
    expect(() => keyValues(inst('NAME value'), false)).toThrow(/NAME=value/);
    expect([...csvOptions('type=cache,target=/x,sharing=locked,rw', 1)]).toEqual([['type', 'cache'], ['target', '/x'], ['sharing', 'locked'], ['rw', 'true']]);
    expect(() => csvOptions('a=1,a=2', 1)).toThrow(/given twice/);
  });
});

describe('shell quoting', () => {
  it('leaves safe words bare and single-quotes the rest', () => {
    expect(shellQuote('numpy==1.26')).toBe('numpy==1.26');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('pandas>=2')).toBe("'pandas>=2'");
  });

  it('keeps $VAR references expanding inside double quotes', () => {
    expect(shellQuoteExpanding('https://t:${TOKEN}@host/simple')).toBe('"https://t:${TOKEN}@host/simple"');
    expect(shellQuoteExpanding('a"b$X`c`')).toBe('"a\\"b$X\\`c\\`"');
    expect(shellJoin(['pip', 'install', 'a b', '$X'])).toBe(`pip install 'a b' "$X"`);
  });
});
