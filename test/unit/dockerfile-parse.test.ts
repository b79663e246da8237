/**
 * Dockerfile reading where kiln differed from `docker build` (BuildKit's Dockerfile frontend): `<<` that is not a
 * heredoc, the legacy `ENV NAME value` form, the `# escape=` directive in words and values, EXPOSE port ranges, and
 * what a stage built FROM an earlier stage inherits from it.
 * The expected values are what Docker gives.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerfileError, expandPortRange, hasHeredoc, keyValues, oneWord, parseDockerfile, splitWords } from '../../src/image/dockerfile-parse.js';
import { Image, type ImageRuntimeConfig, compileImage } from '../../src/image/index.js';
import { execs, fileActions } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

/** The image config after `commands`, on a base whose config kiln does not know (so only the commands' values show). */
function configOf(commands: string[]): ImageRuntimeConfig {
  return compileImage(Image.debianSlim().dockerfileCommands(commands)).config.config;
}

describe('heredocs: only a <<NAME word of RUN, COPY or ADD is one', () => {
  it('builds what docker builds: << inside quotes or on other instructions is text', () => {
    const image = Image.debianSlim().dockerfileCommands(['LABEL usage="press <<Enter>> to start"', 'RUN echo "a <<b" > /x']);
    const c = compileImage(image);
    expect(c.config.config.Labels).toEqual({ usage: 'press <<Enter>> to start' });
    expect(execs(c.definition).at(-1)?.args).toEqual(['/bin/sh', '-c', 'echo "a <<b" > /x']);
  });

  it('keeps the clear error for real heredocs', () => {
    for (const line of ['RUN <<EOF', 'RUN cat <<-EOF > /x', 'RUN python3 <<"PY"', "RUN python3 <<'PY'", 'RUN << EOF', 'RUN 3<<EOF cat', 'COPY <<EOF /x', 'ADD --chmod=644 <<CONF /etc/x.conf', 'RUN --mount=type=cache,target=/c <<EOF']) {
      expect(() => parseDockerfile(`${line}\necho\nEOF\n`), line).toThrow(/line 1: heredocs \(<<EOF\) are not supported/);
    }
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['RUN true', 'run cat <<EOF', 'x', 'EOF'])).message).toContain('line 2: heredocs');
  });

  it('finds heredocs as Docker does: a word starting with <<, outside quotes, with a name', () => {
    expect(hasHeredoc('cat <<EOF > /x', 1)).toBe(true);
    expect(hasHeredoc('cat <<"E F"', 1)).toBe(true);
    expect(hasHeredoc('echo "a <<b" > /x', 1)).toBe(false);
    expect(hasHeredoc("echo '<<EOF'", 1)).toBe(false);
    expect(hasHeredoc('echo \\<<EOF', 1)).toBe(false);
    expect(hasHeredoc('echo a<<EOF', 1)).toBe(false);
    expect(hasHeredoc('cat <<<"here string"', 1)).toBe(false);
    expect(hasHeredoc('echo $((1<<3))', 1)).toBe(false);
    expect(hasHeredoc('cat <<""', 1)).toBe(false);
    // Docker's lexer keeps the space after `<<` in the word, not after `<<-`: `<<- EOF` is no heredoc to Docker.
    expect(hasHeredoc('cat <<- EOF', 1)).toBe(false);
    // ENV, LABEL and the JSON form never hold heredocs.
    expect(() => parseDockerfile('ENV X=<<EOF\nLABEL a=<<b\nRUN ["sh", "-c", "cat", "<<EOF"]\n')).not.toThrow();
  });
});

describe('the legacy ENV NAME value form', () => {
  it('keeps the whitespace inside the value, for ENV and LABEL', () => {
    const config = configOf(['ENV LEG hello   spaced   world', 'LABEL desc hello   spaced   world', 'ENV Q "a  b"  c\\ \\ d']);
    expect(config.Env).toEqual(['LEG=hello   spaced   world', 'Q=a  b  c  d']);
    expect(config.Labels).toEqual({ desc: 'hello   spaced   world' });
  });

  it('is the rest of the line after the name and the whitespace after it, read as one word', () => {
    const inst = (rest: string) => ({ keyword: 'ENV', flags: [], rest, json: undefined, line: 1 });
    expect(keyValues(inst('LEG hello   spaced   world'), true)).toEqual([['LEG', 'hello   spaced   world']]);
    expect(keyValues(inst('A \t "x  y" $B'), true)).toEqual([['A', 'x  y $B']]);
    expect(() => keyValues(inst('ALONE'), true)).toThrow(/ENV ALONE needs a value/);
    expect(oneWord(`a  'b  $c'  \\$d`, 1)).toBe('a  b  \\$c  \\$d');
  });
});

describe('the escape directive applies to words and values', () => {
  it('with # escape=` a backslash is text: Windows paths stay as written', () => {
    const config = configOf(['# escape=`', 'ENV WINPATH=C:\\foo\\bar', 'LABEL path=C:\\data', 'ENV LEGACY C:\\Program Files\\app']);
    expect(config.Env).toEqual(['WINPATH=C:\\foo\\bar', 'LEGACY=C:\\Program Files\\app']);
    expect(config.Labels).toEqual({ path: 'C:\\data' });
  });

  it('with # escape=` the backtick escapes, in and out of double quotes', () => {
    const config = configOf(['# escape=`', 'ENV HOME=/root', 'ENV A=a` b B="q`"q" C=`$HOME D="`$HOME" E=$HOME F="a\\b"']);
    expect(config.Env).toEqual(['HOME=/root', 'A=a b', 'B=q"q', 'C=$HOME', 'D=$HOME', 'E=/root', 'F=a\\b']);
  });

  it('parseDockerfile carries the escape character; splitWords reads with it', () => {
    const [plain, escaped] = [parseDockerfile('ENV A=1\n')[0], parseDockerfile('# escape=`\nENV A=1\n')[0]];
    expect([plain?.escape, escaped?.escape]).toEqual(['\\', '`']);
    expect(splitWords('C:\\a `$X "b`"c" x` y', 1, '`')).toEqual(['C:\\a', '\\$X', 'b"c', 'x y']);
    expect(splitWords('C:\\a', 1)).toEqual(['C:a']);
  });

  it('the default escape is unchanged', () => {
    expect(configOf(['ENV WINPATH=C:\\foo\\bar']).Env).toEqual(['WINPATH=C:foobar']);
    expect(() => parseDockerfile('# escape=x\n')).toThrow(DockerfileError);
  });

  it('a lone escape at the end of a value is dropped, as Docker drops it', () => {
    expect(splitWords('a b\\', 1)).toEqual(['a', 'b']);
    expect(oneWord('end`', 1, '`')).toBe('end');
  });
});

describe('EXPOSE port ranges', () => {
  it('expose every port of the range, as Docker does', () => {
    expect(Object.keys(configOf(['EXPOSE 8000-8002/tcp']).ExposedPorts ?? {})).toEqual(['8000/tcp', '8001/tcp', '8002/tcp']);
    expect(Object.keys(configOf(['EXPOSE 53-54/udp 9000-9000 7000']).ExposedPorts ?? {})).toEqual(['53/udp', '54/udp', '9000/tcp', '7000/tcp']);
    // The protocol in any case, written in lower case as Docker does.
    expect(Object.keys(configOf(['EXPOSE 8000/TCP 53/Udp']).ExposedPorts ?? {})).toEqual(['8000/tcp', '53/udp']);
  });

  it("a range taken from the base image's environment is expanded when compiling", () => {
    const image = Image.fromRegistry('python:3.11-slim').dockerfileCommands(['EXPOSE $PORTS/udp']);
    const baseConfigs = new Map([['docker.io/library/python:3.11-slim', { architecture: 'amd64', os: 'linux', config: { Env: ['PORTS=9000-9001'] } }]]);
    expect(Object.keys(compileImage(image, { baseConfigs }).config.config.ExposedPorts ?? {})).toEqual(['9000/udp', '9001/udp']);
  });

  it('expandPortRange leaves other words to the port check', () => {
    expect(expandPortRange('8000-8002/tcp')).toEqual(['8000/tcp', '8001/tcp', '8002/tcp']);
    expect(expandPortRange('8000-8001')).toEqual(['8000', '8001']);
    expect(expandPortRange('8080/udp')).toEqual(['8080/udp']);
    expect(expandPortRange('8002-8000')).toEqual(['8002-8000']);
    // A publish spec exposes its container port.
    expect(expandPortRange('80:8080')).toEqual(['8080']);
    expect(expandPortRange('127.0.0.1:80:8080/udp')).toEqual(['8080/udp']);
    expect(expandPortRange('[::1]:80:8080')).toEqual(['8080']);
    expect(expandPortRange('80-81:8080-8081/tcp')).toEqual(['8080/tcp', '8081/tcp']);
    expect(thrown(() => Image.debianSlim().dockerfileCommands(['EXPOSE 8002-8000'])).message).toContain('EXPOSE must be a port from 1 to 65535');
  });
});

describe('a stage built FROM an earlier stage starts from what that stage set', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-dockerfile-stages-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const fromFile = (name: string, text: string): Image => {
    writeFileSync(join(dir, name), text);
    return Image.fromDockerfile(join(dir, name), { context: dir });
  };

  it("its ARG values: the later stage's commands and ${…} see them, the image config does not (as Docker keeps them)", () => {
    const image = fromFile('Dockerfile.args', ['FROM busybox AS one', 'ARG TAG=1.2', 'FROM one AS two', 'ENV SEEN=${TAG:-unset}', 'RUN echo "$TAG"', ''].join('\n'));
    const c = compileImage(image);
    expect(c.config.config.Env).toContain('SEEN=1.2');
    expect(c.config.config.Env?.some((e) => e.startsWith('TAG='))).toBe(false);
    expect(execs(c.definition).at(-1)?.env).toContain('TAG=1.2');
  });

  it("its ENV values, for COPY --from sources too (COPY --from=deps $APP_HOME/node_modules ./)", () => {
    const image = fromFile(
      'Dockerfile.env',
      ['FROM busybox AS base', 'ENV APP_HOME=/home/node/app', 'FROM base AS deps', 'RUN mkdir -p $APP_HOME/node_modules', 'FROM base', 'COPY --from=deps $APP_HOME/node_modules ./node_modules', ''].join('\n'),
    );
    expect(compileImage(image).plan.map((p) => p.name)).toContain('copy /home/node/app/node_modules from deps → ./node_modules');
  });

  it('its SHELL, for the shell form of ENTRYPOINT and CMD too', () => {
    const image = fromFile('Dockerfile.shell', ['FROM busybox AS base', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'FROM base', 'ENTRYPOINT echo "entry $0"', ''].join('\n'));
    expect(compileImage(image).config.config.Entrypoint).toEqual(['/bin/bash', '-o', 'pipefail', '-c', 'echo "entry $0"']);
  });

  it('a stage FROM an image or an unnamed earlier stage starts afresh', () => {
    const image = fromFile('Dockerfile.fresh', ['FROM busybox AS one', 'ARG TAG=1.2', 'SHELL ["/bin/bash", "-c"]', 'FROM busybox', 'ENV SEEN=${TAG:-unset}', 'CMD run', ''].join('\n'));
    const c = compileImage(image);
    expect(c.config.config.Env).toContain('SEEN=unset');
    expect(c.config.config.Cmd).toEqual(['/bin/sh', '-c', 'run']);
  });
});

describe('RUN --mount=type=bind of one file of the context', () => {
  it('mounts that file at the target, as Docker does (source=Cargo.toml,target=/tmp/Cargo.toml)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-dockerfile-bind-file-'));
    try {
      writeFileSync(join(dir, 'Cargo.toml'), '[package]\n');
      writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nRUN --mount=type=bind,source=Cargo.toml,target=/tmp/Cargo.toml cp /tmp/Cargo.toml /recipe\n');
      const c = compileImage(Image.fromDockerfile(join(dir, 'Dockerfile'), { context: dir }), { context: dir });
      // The context directory, sending only that file; the mount takes the file out of it.
      expect(c.locals.map((l) => [l.path, l.include])).toEqual([[dir, ['Cargo.toml']]]);
      const mount = execs(c.definition).at(-1)?.exec.mounts.find((m) => m.dest === '/tmp/Cargo.toml');
      expect(mount?.selector).toBe('/Cargo.toml');
      expect(mount?.readonly).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("COPY sources that use the base image's environment", () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-dockerfile-copy-vars-'));
    writeFileSync(join(dir, 'f.txt'), 'f\n');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const fromFile = (lines: string[]): Image => {
    writeFileSync(join(dir, 'Dockerfile'), `${lines.join('\n')}\n`);
    return Image.fromDockerfile(join(dir, 'Dockerfile'), { context: dir });
  };
  const baseConfigs = new Map([['docker.io/library/python:3.11-slim', { architecture: 'amd64', os: 'linux', config: { Env: ['PYTHON_VERSION=3.11.2', 'HOME=/root'] } }]]);
  /** The copies the definition makes: source path, destination, and whether the source is a pattern. */
  const copies = (image: Image): [string, string, boolean][] =>
    fileActions(compileImage(image, { baseConfigs, context: dir }).definition).flatMap((f) =>
      f.actions.flatMap((a): [string, string, boolean][] => (a.action?.type === 'copy' ? [[a.action.copy.src, a.action.copy.dest, a.action.copy.allowWildcard]] : [])),
    );

  it('a --from source takes them from the stage\'s environment when compiling, as Docker does (python${PYTHON_VERSION%.*}, $HOME/.local)', () => {
    const image = fromFile([
      'FROM python:3.11-slim AS builder',
      'RUN pip install --user app',
      'FROM python:3.11-slim',
      'COPY --from=builder /usr/local/lib/python${PYTHON_VERSION%.*}/site-packages /usr/local/lib/python${PYTHON_VERSION%.*}/site-packages',
      'COPY --from=builder $HOME/.local $HOME/.local',
      'COPY --from=builder $HOME/.local/bin/* /usr/local/bin/',
    ]);
    expect(copies(image)).toEqual([
      ['/usr/local/lib/python3.11/site-packages', '/usr/local/lib/python3.11/site-packages', false],
      ['/root/.local', '/root/.local', false],
      ['/root/.local/bin/*', '/usr/local/bin/', true],
    ]);
    // Written back as the Dockerfile had it: docker build expands them the same way.
    expect(image.toDockerfile({ context: dir })).toContain('COPY --from=stage-0 $HOME/.local $HOME/.local\n');
    expect(image.toDockerfile({ context: dir })).toContain('COPY --from=stage-0 /usr/local/lib/python${PYTHON_VERSION%.*}/site-packages /usr/local/lib/python${PYTHON_VERSION%.*}/site-packages\n');
  });

  it('a --from source with only the destination\'s variables known now keeps a literal $ literal', () => {
    const image = fromFile(['FROM python:3.11-slim AS builder', 'FROM python:3.11-slim', 'ARG DIR=/opt/app', 'COPY --from=builder $HOME/\\$x $DIR/']);
    expect(copies(image)).toEqual([['/root/$x', '/opt/app/', false]]);
  });

  it('a source in the build context that uses them is refused, naming the line and the variable; ${NAME:-default} keeps working', () => {
    const refused = (lines: string[]) => thrown(() => fromFile(lines));
    const home = refused(['FROM python:3.11-slim', 'COPY $HOME/f.txt /x']);
    expect(home.code).toBe('invalid_argument');
    expect(home.message).toContain('Dockerfile line 2 (COPY): the source "$HOME/f.txt" uses $HOME, which only the image\'s environment (the base image or an earlier stage) sets');
    expect(refused(['FROM python:3.11-slim', 'ENV D=$HOME', 'ADD ${X:-$D} /x']).message).toContain('Dockerfile line 3 (ADD): the source "${X:-$D}" uses $D, which an ENV sets from the image\'s environment');
    expect(refused(['FROM python:3.11-slim', 'ARG TARGETARCH', 'COPY bin/$TARGETARCH/app /app']).message).toContain('line 3 (COPY): the source "bin/$TARGETARCH/app" uses $TARGETARCH, which only the build\'s platform sets');
    // What the Dockerfile says is known now: ARG and ENV values, and a default for a variable it does not set.
    const image = fromFile(['FROM python:3.11-slim', 'ARG F=a.txt', 'ENV G=b', 'COPY $F ${G}.txt ${UNSET:-c.txt} /x/']);
    expect(copies(image).map(([src]) => src)).toEqual(['/a.txt', '/b.txt', '/c.txt']);
  });

  it('a context source read with ${NAME:-default} is refused when compiling if the image\'s environment or the platform sets NAME (docker build takes that value), naming the line and the variable', () => {
    for (const f of ['c.txt', 'py-3.11.2.txt', 'amd64.txt', 'x86.txt']) writeFileSync(join(dir, f), `${f}\n`);
    const compiled = (lines: string[]): string => {
      const image = fromFile(lines);
      try {
        return copies(image).map(([src]) => src).join(' ');
      } catch (err) {
        return (err as Error).message;
      }
    };
    // The base image sets PYTHON_VERSION: docker build copies py-3.11.2.txt; kiln read py-9.txt, so it refuses.
    expect(compiled(['FROM python:3.11-slim', 'COPY py-${PYTHON_VERSION:-9}.txt /x/'])).toBe(
      'Dockerfile line 2 (COPY): the source "py-${PYTHON_VERSION:-9}.txt" uses $PYTHON_VERSION, which this image\'s environment (the base image, an earlier stage or an ENV) sets (to "3.11.2"); kiln reads a source in the build context when it reads the Dockerfile, before it knows that, and took the default, where docker build takes the value. Write the path out, or set PYTHON_VERSION with ARG or ENV in the Dockerfile',
    );
    // An ENV of the Dockerfile that the image's environment sets, a platform arg, and ADD too.
    expect(compiled(['FROM python:3.11-slim', 'ENV V=$PYTHON_VERSION', 'ADD ${V-x}.txt /x/'])).toContain('Dockerfile line 3 (ADD): the source "${V-x}.txt" uses $V, which this image\'s environment');
    expect(compiled(['FROM python:3.11-slim', 'ARG TARGETARCH', 'COPY ${TARGETARCH:-x86}.txt /x/'])).toContain('Dockerfile line 3 (COPY): the source "${TARGETARCH:-x86}.txt" uses $TARGETARCH, which the build\'s platform sets (to "amd64")');
    // Unset there (or empty, with ":-"), the default is what docker build takes too.
    expect(compiled(['FROM python:3.11-slim', 'COPY ${UNSET:-c.txt} /x/'])).toBe('/c.txt');
    expect(compiled(['FROM python:3.11-slim', 'ENV E=', 'COPY ${E:-c.txt} /x/'])).toBe('/c.txt');
    // Set by ARG or ENV in the Dockerfile, the value is known when reading, as before.
    expect(compiled(['FROM python:3.11-slim', 'ARG PYTHON_VERSION=3.11.2', 'COPY py-${PYTHON_VERSION:-9}.txt /x/'])).toBe('/py-3.11.2.txt');
  });
});

describe('toDockerfile() of a context source read with ${NAME:-default}', () => {
  it('writes the default kiln read, guarded so that docker build fails on it where the image sets NAME, as kiln refuses to build it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-dockerfile-defaulted-'));
    try {
      writeFileSync(join(dir, 'py-9.txt'), '9\n');
      writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.11-slim\nARG TARGETARCH\nCOPY py-${PYTHON_VERSION:-9}.txt /x/\nCOPY ${TARGETARCH:-py-9.txt} /y/\nCOPY py-9.txt /z/\n');
      const text = Image.fromDockerfile(join(dir, 'Dockerfile'), { context: dir }).toDockerfile({ context: dir });
      expect(text).toContain(
        '# kiln: line 3 (COPY) of the Dockerfile read "py-${PYTHON_VERSION:-9}.txt" with the default; kiln refuses to build it when the image sets PYTHON_VERSION, and the ${…:+…} below makes docker build fail then too\n' +
          'COPY py-9.txt${PYTHON_VERSION:+.kiln-PYTHON_VERSION-is-set} /x/\n',
      );
      // A platform arg the Dockerfile declares is declared in kiln's Dockerfile too, so the guard sees it.
      expect(text).toContain('ARG TARGETARCH\n');
      expect(text).toContain('COPY py-9.txt${TARGETARCH:+.kiln-TARGETARCH-is-set} /y/\n');
      // A source without a default is written as it is.
      expect(text).toContain('COPY py-9.txt /z/\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('COPY with a wildcard in a middle path element', () => {
  it('sends the directory before the first wildcard with the rest as its include pattern, and copies that pattern (src/*/*.txt)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-dockerfile-mid-wildcard-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY src/*/*.txt /d/\nCOPY s*/a/1.txt ./packages/*/package.json /e/\n');
      const c = compileImage(Image.fromDockerfile(join(dir, 'Dockerfile'), { context: dir }), { context: dir });
      expect(c.locals.map((l) => [l.path, l.include])).toEqual([
        [join(dir, 'src'), ['*/*.txt']],
        [dir, ['s*/a/1.txt']],
        [join(dir, 'packages'), ['*/package.json']],
      ]);
      const copies = fileActions(c.definition).flatMap((f) => f.actions.flatMap((a) => (a.action?.type === 'copy' ? [[a.action.copy.src, a.action.copy.dest, a.action.copy.allowWildcard]] : [])));
      expect(copies).toEqual([
        ['/*/*.txt', '/d/', true],
        ['/s*/a/1.txt', '/e/', true],
        ['/*/package.json', '/e/', true],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with a .dockerignore, the directory the pattern is matched in is made on the sent context when it is there and not ignored, so a pattern matching nothing copies nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-dockerfile-mid-wildcard-ignored-'));
    try {
      mkdirSync(join(dir, 'src', 'a'), { recursive: true });
      mkdirSync(join(dir, 'skipped', 'a'), { recursive: true });
      writeFileSync(join(dir, 'src', 'a', '1.txt'), 'a\n');
      writeFileSync(join(dir, '.dockerignore'), 'skipped\n');
      writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY src/*/nomatch* /d/\nCOPY src/a/*.log /e/\nCOPY top* /f/\nCOPY skipped/*/x* /g/\nCOPY missing/*/x* /h/\n');
      const c = compileImage(Image.fromDockerfile(join(dir, 'Dockerfile'), { context: dir }), { context: dir });
      // The context is sent filtered, with only what each pattern matches.
      expect(c.locals.map((l) => [l.path, l.include, l.exclude])).toEqual(
        ['src/*/nomatch*', 'src/a/*.log', 'top*', 'skipped/*/x*', 'missing/*/x*'].map((p) => [dir, [p], ['skipped']]),
      );
      const made = fileActions(c.definition).flatMap((f) => f.actions.flatMap((a) => (a.action?.type === 'mkdir' ? [[a.action.mkdir.path, a.action.mkdir.makeParents]] : [])));
      // src and src/a are there; the context's root always is; an ignored or missing directory is not made (the copy fails, as docker build's does).
      expect(made).toEqual([
        ['/src', true],
        ['/src/a', true],
      ]);
      const copies = fileActions(c.definition).flatMap((f) => f.actions.flatMap((a) => (a.action?.type === 'copy' ? [[a.action.copy.src, a.action.copy.allowEmptyWildcard]] : [])));
      expect(copies).toEqual([
        ['/src/*/nomatch*', true],
        ['/src/a/*.log', true],
        ['/top*', true],
        ['/skipped/*/x*', true],
        ['/missing/*/x*', true],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
