import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { createMatcher, createPathFilter, escapePattern, literalOfPattern, parseDockerignore } from '../../src/session/ignore-patterns.js';

type Row = readonly [patterns: readonly string[], path: string, excluded: boolean];

function check(rows: readonly Row[]): void {
  for (const [patterns, path, excluded] of rows) {
    expect(createMatcher(patterns).matches(path), `${JSON.stringify(patterns)} on ${path}`).toBe(excluded);
  }
}

describe('dockerignore matching, examples from the Docker documentation', () => {
  it('*/temp* excludes temp-prefixed names one level down only', () => {
    check([
      [['*/temp*'], 'somedir/temporary.txt', true],
      [['*/temp*'], 'somedir/temp', true],
      [['*/temp*'], 'somedir/temp/inner.txt', true],
      [['*/temp*'], 'temporary.txt', false],
      [['*/temp*'], 'a/b/temporary.txt', false],
    ]);
  });

  it('*/*/temp* excludes temp-prefixed names two levels down', () => {
    check([
      [['*/*/temp*'], 'somedir/subdir/temporary.txt', true],
      [['*/*/temp*'], 'somedir/temporary.txt', false],
    ]);
  });

  it('temp? matches one extra character at the root', () => {
    check([
      [['temp?'], 'tempa', true],
      [['temp?'], 'tempb', true],
      [['temp?'], 'temp', false],
      [['temp?'], 'tempab', false],
      [['temp?'], 'dir/tempa', false],
    ]);
  });

  it('**/*.go excludes Go files at any depth, the root included', () => {
    check([
      [['**/*.go'], 'main.go', true],
      [['**/*.go'], 'cmd/app/main.go', true],
      [['**/*.go'], 'cmd/app/main.go.txt', false],
      [['**/*.go'], 'go', false],
    ]);
  });

  it('later rules win: *.md with !README.md and README-secret.md in either order', () => {
    check([
      [['*.md', '!README.md'], 'README.md', false],
      [['*.md', '!README.md'], 'CHANGELOG.md', true],
      [['*.md', '!README*.md', 'README-secret.md'], 'README-secret.md', true],
      [['*.md', '!README*.md', 'README-secret.md'], 'README-public.md', false],
      [['*.md', '!README*.md', 'README-secret.md'], 'notes.md', true],
      [['*.md', 'README-secret.md', '!README*.md'], 'README-secret.md', false],
      [['*.md', 'README-secret.md', '!README*.md'], 'README.md', false],
    ]);
  });
});

describe('dockerignore matching, tricky cases', () => {
  it('a directory pattern excludes everything below it, with or without a trailing slash', () => {
    check([
      [['dir'], 'dir', true],
      [['dir'], 'dir/a/b.txt', true],
      [['dir/'], 'dir/a/b.txt', true],
      [['dir/'], 'dir', true],
      [['dir'], 'dirt', false],
      [['dir/*'], 'dir', false],
      [['dir/*'], 'dir/x/y', true],
    ]);
  });

  it('an exception re-includes a file inside an excluded directory', () => {
    check([
      [['docs', '!docs/README.md'], 'docs/README.md', false],
      [['docs', '!docs/README.md'], 'docs/other.md', true],
      [['docs/', '!docs/README.md'], 'docs/README.md', false],
      [['docs/*', '!docs/README.md'], 'docs/README.md', false],
      [['**', '!util/docker/web'], 'util/docker/web/foo', false],
      [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
      [['!keep.txt', '*.txt'], 'keep.txt', true],
    ]);
  });

  it('strips a leading / and ./ and cleans the pattern', () => {
    check([
      [['/abs'], 'abs', true],
      [['/abs'], 'abs/inner', true],
      [['/abs'], 'x/abs', false],
      [['./foo'], 'foo', true],
      [['a/../b'], 'b', true],
      [['a//b/'], 'a/b', true],
      [['!/abs', '*'], 'abs', true],
      [['*', '!/abs'], 'abs', false],
    ]);
  });

  it('normalises the queried path the same way', () => {
    check([
      [['a/b'], './a/b', true],
      [['a/b'], '/a/b/', true],
      [['*'], '.', false],
    ]);
  });

  it('handles ** in every position', () => {
    check([
      [['**'], 'file', true],
      [['**'], 'dir/file', true],
      [['dir/**'], 'dir/file', true],
      [['dir/**'], 'dir/dir2/file', true],
      [['abc/**'], 'abc', false],
      [['abc/**'], 'abc/def', true],
      [['**/dir'], 'dir', true],
      [['**/dir'], 'dir/file', true],
      [['**/dir2/*'], 'dir/dir2/file', true],
      [['**/dir2/**'], 'dir/dir2/dir3/file', true],
      [['**/foo/bar'], 'foo/bar', true],
      [['**/foo/bar'], 'dir/dir2/foo/bar', true],
      [['a**/*.txt'], 'a/file.txt', true],
      [['a**/*.txt'], 'a/dir/dir/file.txt', true],
      [['a/*.txt'], 'a/dir/file.txt', false],
      [['**/.foo'], '.foo', true],
      [['**/.foo'], 'bar.foo', false],
      [['**/**/*.txt2'], 'dir/dir/file.txt', false],
    ]);
  });

  it('**/X with X one segment matches the last segment of any path, and nothing else', () => {
    const long = `${'node_modules/very-long-package-name-segment/'.repeat(6)}lib`;
    check([
      [['**/*.pyc'], 'a.pyc', true],
      [['**/*.pyc'], `${long}/mod.pyc`, true],
      [['**/*.pyc'], `${long}/mod.py`, false],
      [['**/*.pyc'], `${long}/x.pyc/inner.txt`, true], // below a matching directory
      [['**/*~'], `${long}/notes.txt~`, true],
      [['**/*.sw[po]'], `${long}/.main.swp`, true],
      [['**/*.sw[po]'], `${long}/.main.swx`, false],
      [['**/?.js'], `${long}/a.js`, true],
      [['**/?.js'], `${long}/ab.js`, false],
      [['**/*.pyc', '!**/keep.pyc'], `${long}/keep.pyc`, false],
      // ** does not cross a newline, a single * does: as the whole-path expression decides.
      [['**/*.pyc'], 'odd\nname/mod.pyc', false],
      [['**/*.pyc'], 'dir/odd\nmod.pyc', true],
      [['**/*.pyc'], '\nmod.pyc', true],
      [['**/?.pyc'], '\n.pyc', true],
      [['**/?.pyc'], 'x\n/a.pyc', false],
      // A negated class can match "/", so this one is not a last-segment pattern.
      [['**/x[^a]y'], 'x/y', true],
    ]);
    const [pattern] = createMatcher(['**/*.pyc']).patterns;
    expect(pattern?.test('x.pyc/inner.txt')).toBe(false);
    expect(pattern?.test('x/inner.pyc')).toBe(true);
  });

  it('keeps Docker string-prefix and string-suffix quirks', () => {
    check([
      [['**file'], 'file', true],
      [['**file'], 'dir/dir/file', true],
      [['**foo'], 'barfoo', true],
      [['abc**'], 'abcdef', true],
      [['abc**'], 'abc/def', true],
    ]);
  });

  it('supports character classes, ? and escapes', () => {
    check([
      [['a[b-d]e'], 'ace', true],
      [['a[b-d]e'], 'ae', false],
      [['a[b-d]e'], 'aae', false],
      [['a[^b-d]e'], 'aze', true],
      [['a[^b-d]e'], 'ace', false],
      [['[Dd]ocs'], 'docs/x', true],
      [['.*'], '.foo', true],
      [['.*'], 'foo', false],
      [['abc.def'], 'abcZdef', false],
      [['abc?def'], 'abcZdef', true],
      [['abc?def'], 'abcdef', false],
      [['a\\*b'], 'a*b', true],
      [['a\\*b'], 'axb', false],
      [['a\\\\'], 'a\\', true],
      [['a(b)c/def'], 'a(b)c/def', true],
      [['a.|)$(}+{bc'], 'a.|)$(}+{bc', true],
      [['dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
    ]);
  });

  it('matches non-ASCII names per character, not per UTF-16 unit', () => {
    check([
      [['caf?'], 'café', true],
      [['?.txt'], '😀.txt', true],
      [['[é]t[é]'], 'été', true],
    ]);
  });

  it('rejects malformed patterns with an invalid_argument error naming the pattern', () => {
    for (const bad of [['['], ['a[b'], ['[]'], ['[z-a]'], ['a\\'], ['!'], ['  !  ']]) {
      let caught: unknown;
      try {
        createMatcher(bad);
      } catch (err) {
        caught = err;
      }
      expect(KilnError.is(caught, 'invalid_argument'), JSON.stringify(bad)).toBe(true);
      expect((caught as Error).message).toContain(`"${bad[0] ?? ''}"`);
    }
  });

  it('ignores blank patterns', () => {
    const m = createMatcher(['', '   ', 'a']);
    expect(m.patterns.map((p) => p.pattern)).toEqual(['a']);
  });
});

describe('parseDockerignore', () => {
  it('drops comments, blank lines and a BOM, trims, cleans and strips a leading /', () => {
    const text = '\ufeff# comment\n\n  node_modules  \r\n/build/\n! /dist/keep \n./src/../tmp\n*.log\n#another\n';
    expect(parseDockerignore(text)).toEqual(['node_modules', 'build', '!dist/keep', 'tmp', '*.log']);
  });

  it('treats # as a comment only in the first column, like Docker', () => {
    expect(parseDockerignore('  # not a comment\n')).toEqual(['# not a comment']);
  });

  it('produces patterns createMatcher accepts', () => {
    const m = createMatcher(parseDockerignore('*.md\n!README.md\n'));
    expect(m.matches('CHANGELOG.md')).toBe(true);
    expect(m.matches('README.md')).toBe(false);
  });
});

describe('which directories a walk must read', () => {
  it('reads an excluded directory only when an exception could re-include something inside it', () => {
    const m = createMatcher(['node_modules', '!node_modules/keep', 'build']);
    expect(m.couldReincludeBelow('node_modules')).toBe(true);
    expect(m.couldReincludeBelow('build')).toBe(false);
    expect(m.couldReincludeBelow('node_modules/other')).toBe(false);
    expect(m.couldReincludeBelow('node_modules/keep')).toBe(true);
  });

  it('is conservative with ** exceptions and precise with per-segment wildcards', () => {
    expect(createMatcher(['build', '!**/*.keep']).couldReincludeBelow('build')).toBe(true);
    expect(createMatcher(['*', '!src/*/main.go']).couldReincludeBelow('src')).toBe(true);
    expect(createMatcher(['*', '!src/*/main.go']).couldReincludeBelow('lib')).toBe(false);
    expect(createMatcher(['*', '!s[a-z]c/x']).couldReincludeBelow('src')).toBe(true);
    expect(createMatcher(['*', '!s[a-z]c/x']).couldReincludeBelow('s1c')).toBe(false);
  });

  it('include patterns: a directory leading to an included path is read but not sent by itself', () => {
    const f = createPathFilter({ include: ['src/app/main.go'] });
    const src = f.decide('src', true);
    expect(src).toMatchObject({ emit: false, descend: true });
    const app = f.decide('src/app', true, src.state);
    expect(app).toMatchObject({ emit: false, descend: true });
    expect(f.decide('src/app/main.go', false, app.state)).toMatchObject({ emit: true });
    expect(f.decide('src/app/other.go', false, app.state)).toMatchObject({ emit: false });
    expect(f.decide('lib', true)).toMatchObject({ emit: false, descend: false });
  });

  it('include patterns: everything below an included directory is included', () => {
    const f = createPathFilter({ include: ['src'] });
    const src = f.decide('src', true);
    expect(src).toMatchObject({ emit: true, descend: true });
    expect(f.decide('src/deep', true, src.state)).toMatchObject({ emit: true, descend: true });
  });

  it('include and exclude together: excluded wins unless re-included', () => {
    const f = createPathFilter({ include: ['src'], exclude: ['src/gen', '!src/gen/keep.go'] });
    const src = f.decide('src', true);
    const gen = f.decide('src/gen', true, src.state);
    expect(gen).toMatchObject({ emit: false, descend: true });
    expect(f.decide('src/gen/keep.go', false, gen.state)).toMatchObject({ emit: true });
    expect(f.decide('src/gen/drop.go', false, gen.state)).toMatchObject({ emit: false });
  });

  it('an empty filter sends everything', () => {
    const f = createPathFilter({});
    expect(f.isEmpty).toBe(true);
    expect(f.decide('anything', true)).toMatchObject({ emit: true, descend: true });
  });

  it('never prunes a directory that holds a path the full matcher would send', () => {
    const names = ['a', 'b', 'src', 'keep', 'x.go', 'y.md', 'README.md', 'é'];
    const universe: string[] = [];
    const grow = (prefix: string, depth: number): void => {
      for (const n of names) {
        const p = prefix === '' ? n : `${prefix}/${n}`;
        universe.push(p);
        if (depth < 3 && !n.includes('.')) grow(p, depth + 1);
      }
    };
    grow('', 1);
    const patternSets = [
      ['src', '!src/keep'],
      ['*', '!*/keep/*.go'],
      ['a/*', '!a/b/README.md'],
      ['**/b', '!**/b/keep'],
      ['[ab]', '![ab]/s?c/x.go'],
      ['*/*', '!a/[^k]*'],
      ['src/**', '!src/**/*.md'],
      ['a', 'b', '!a/b', '!b/a/keep'],
    ];
    for (const patterns of patternSets) {
      const m = createMatcher(patterns);
      for (const dir of universe) {
        if (!m.matches(dir) || m.couldReincludeBelow(dir)) continue;
        const below = universe.filter((p) => p.startsWith(`${dir}/`));
        for (const p of below) expect(m.matches(p), `${JSON.stringify(patterns)}: ${dir} pruned but ${p} is sent`).toBe(true);
      }
      const inc = createMatcher(patterns.map((p) => p.replace(/^!/, '')));
      for (const dir of universe) {
        if (inc.matches(dir) || inc.couldMatchBelow(dir)) continue;
        for (const p of universe.filter((q) => q.startsWith(`${dir}/`))) {
          expect(inc.matches(p), `${JSON.stringify(patterns)} as includes: ${dir} pruned but ${p} is included`).toBe(false);
        }
      }
    }
  });
});

describe('escapePattern / literalOfPattern', () => {
  it('escapes a file name so that, as an include pattern, it matches that name only', () => {
    for (const name of ['data[1].csv', 'a*b.txt', 'what?.txt', '!important.txt', 'plain.txt', 'x]y']) {
      const p = escapePattern(name);
      const include = createPathFilter({ include: [p], exclude: [] });
      expect(include.decide(name, false, undefined).emit).toBe(true);
      expect(literalOfPattern(p)).toBe(name);
    }
    const bracket = createPathFilter({ include: [escapePattern('data[1].csv')], exclude: [] });
    expect(bracket.decide('data1.csv', false, undefined).emit).toBe(false);
    expect(literalOfPattern('*.csv')).toBeUndefined();
    expect(literalOfPattern('!x')).toBeUndefined();
  });
});
