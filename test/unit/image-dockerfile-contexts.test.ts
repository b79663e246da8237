/**
 * Named build contexts (`fromDockerfile(path, { contexts })`, `kiln build URL --build-context NAME=VALUE`), read as
 * BuildKit's Dockerfile frontend reads buildx's: a context named like a stage replaces that stage (its instructions
 * are not run), one named like an image `FROM`, `COPY --from` or `RUN --mount=from=` uses replaces the image, names
 * compared in Docker's short form. Values: an Image, docker-image://, a git URL, an http(s) URL, a local directory
 * (its .dockerignore applies). Bad names and values are refused naming them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import '../../src/cli/commands/build-action.js';
import { Image, compileImage } from '../../src/image/index.js';
import { buildContextFlags, imageFromGitDockerfile } from '../../src/image/image.js';
import { contextHolding, contextName } from '../../src/image/named-contexts.js';
import { execs, sources } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-contexts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'lib'));
mkdirSync(join(dir, 'app'));
writeFileSync(join(dir, 'lib', 'a.txt'), 'a\n');
writeFileSync(join(dir, 'lib', '.dockerignore'), '*.log\n');
writeFileSync(join(dir, 'file.txt'), 'x\n');
writeFileSync(join(dir, 'Dockerfile.none'), 'FROM busybox\n');
const lib = join(dir, 'lib');

/** An image of Dockerfile `text` (written to the temporary directory) with these contexts. */
function dockerfile(text: string, contexts: Record<string, string | Image>): Image {
  const file = join(dir, `Dockerfile.${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  return Image.fromDockerfile(file, { context: dir, contexts });
}

const identifiers = (img: Image): string[] => sources(compileImage(img, { context: dir }).definition).map((s) => s.identifier);
const commands = (img: Image): string[] => execs(compileImage(img, { context: dir }).definition).map((e) => e.args.join(' '));

describe('context names', () => {
  it.each([
    ['alpine', 'alpine'],
    ['alpine:latest', 'alpine'],
    ['docker.io/library/alpine', 'alpine'],
    ['docker.io/library/alpine:latest', 'alpine'],
    ['index.docker.io/library/alpine:3.19', 'alpine:3.19'],
    ['alpine:3.19', 'alpine:3.19'],
    ['docker.io/org/app', 'org/app'],
    ['ghcr.io/org/app:latest', 'ghcr.io/org/app'],
    ['build', 'build'],
  ])('%s is %s, as BuildKit compares them', (name, short) => {
    expect(contextName(name)).toBe(short);
  });

  it('text that is no image reference is no name', () => {
    expect(contextName('Build')).toBeUndefined();
    expect(contextName('a b')).toBeUndefined();
  });
});

describe('a Dockerfile with named contexts', () => {
  it('FROM alpine is replaced by a context named alpine (any spelling); alpine:3.19 is another name', () => {
    const img = dockerfile('FROM alpine\nRUN echo hi\n', { 'docker.io/library/alpine:latest': 'docker-image://busybox:1.36' });
    expect(identifiers(img)).toEqual(['docker-image://docker.io/library/busybox:1.36']);
    const spelled = dockerfile('FROM docker.io/library/alpine:latest\nRUN echo hi\n', { alpine: 'docker-image://busybox:1.36' });
    expect(identifiers(spelled)).toEqual(['docker-image://docker.io/library/busybox:1.36']);
    const tagged = dockerfile('FROM alpine:3.19\nRUN echo hi\n', { alpine: 'docker-image://busybox:1.36' });
    expect(identifiers(tagged)).toEqual(['docker-image://docker.io/library/alpine:3.19']);
  });

  it('a context named like a stage replaces the stage: its base is not pulled and its instructions do not run', () => {
    const img = dockerfile('FROM golang:1.22 AS build\nRUN exit 1\nFROM busybox\nCOPY --from=build /a.txt /a.txt\n', { build: lib });
    expect(identifiers(img).some((s) => s.includes('golang'))).toBe(false);
    expect(commands(img).some((c) => c.includes('exit 1'))).toBe(false);
    const local = sources(compileImage(img, { context: dir }).definition).find((s) => s.identifier.startsWith('local://'));
    // The directory's own .dockerignore filters it, as BuildKit reads a local named context.
    expect(local?.attrs['local.excludepatterns']).toBe('["*.log"]');
    // --target of the replaced stage is the context.
    writeFileSync(join(dir, 'Dockerfile.target'), 'FROM golang:1.22 AS build\nRUN exit 1\nFROM busybox\n');
    const target = Image.fromDockerfile(join(dir, 'Dockerfile.target'), { context: dir, contexts: { build: 'docker-image://busybox:1.36' }, target: 'build' });
    expect(identifiers(target)).toEqual(['docker-image://docker.io/library/busybox:1.36']);
  });

  it('COPY --from and RUN --mount=from= take a context named like the image they name: a git URL, an http URL, an Image', () => {
    const tools = Image.fromRegistry('debian:bookworm-slim').runCommands('echo tool > /tool');
    const img = dockerfile(
      'FROM busybox\nCOPY --from=tools /README.md /readme\nCOPY --from=dl /context /dl\nRUN --mount=from=kiln-tools,target=/mnt cat /mnt/tool\n',
      { tools: 'https://git.example.com/o/r.git#v1:docs', dl: 'https://example.com/a.tar.gz', 'kiln-tools': tools },
    );
    expect(identifiers(img)).toEqual(
      expect.arrayContaining(['git://git.example.com/o/r.git#v1', 'https://example.com/a.tar.gz', 'docker-image://docker.io/library/debian:bookworm-slim']),
    );
    expect(commands(img)).toEqual(expect.arrayContaining(['/bin/sh -c echo tool > /tool', '/bin/sh -c cat /mnt/tool']));
  });

  it('an earlier stage wins over a context of the same name used by FROM and --from only when the context does not replace it', () => {
    // The stage named base is itself replaced; a later FROM base is then the context.
    const img = dockerfile('FROM debian AS base\nRUN exit 1\nFROM base\nRUN echo ok\n', { base: 'docker-image://busybox:1.36' });
    expect(identifiers(img)).toEqual(['docker-image://docker.io/library/busybox:1.36']);
    expect(commands(img).some((c) => c.includes('exit 1'))).toBe(false);
  });

  it('toDockerfile() writes each context as a stage docker build can build', () => {
    const img = dockerfile('FROM alpine\nCOPY --from=src /a.txt /a.txt\nCOPY --from=dl /context /dl\n', { alpine: 'docker-image://busybox:1.36', src: lib, dl: 'https://example.com/a.tar.gz' });
    const text = img.toDockerfile({ context: dir });
    expect(text).toContain('FROM scratch AS stage-0\n');
    expect(text).toContain('COPY lib /\n');
    expect(text).toContain('ADD https://example.com/a.tar.gz /context\n');
    expect(text).toContain('FROM busybox:1.36\nCOPY --from=stage-0 /a.txt /a.txt\nCOPY --from=stage-1 /context /dl\n');
  });

  it('toDockerfile() gives a local context\'s .dockerignore lines, and no such note for a directory without one', () => {
    mkdirSync(join(dir, 'plain'), { recursive: true });
    writeFileSync(join(dir, 'plain', 'b.txt'), 'b\n');
    const withIgnore = dockerfile('FROM busybox:1.36\nCOPY --from=src /a.txt /a.txt\n', { src: lib }).toDockerfile({ context: dir });
    expect(withIgnore).toContain('# kiln: this COPY must leave out files; a Dockerfile cannot filter one COPY, so put these lines in .dockerignore:\n#   lib/*.log\nCOPY lib /\n');
    const without = dockerfile('FROM busybox:1.36\nCOPY --from=src /b.txt /b.txt\n', { src: join(dir, 'plain') }).toDockerfile({ context: dir });
    expect(without).toContain('FROM scratch AS stage-0\nCOPY plain /\n');
    expect(without).not.toContain('must leave out files');
  });

  it('kiln build <git-url>: --build-context values reach the repository\'s Dockerfile; a directory beside the current one is sent', () => {
    const contexts = buildContextFlags(['alpine=docker-image://busybox:1.36', 'src=../lib'], buildContextFlags, join(dir, 'file-dir'));
    // The build sends what the context holding every local one has (here the one directory), else the current directory.
    expect(contextHolding(contexts, '/elsewhere')).toBe(lib);
    expect(contextHolding(buildContextFlags(['a=../lib', 'b=.'], buildContextFlags, join(dir, 'app')), '/elsewhere')).toBe(dir);
    expect(contextHolding(buildContextFlags(['a=docker-image://busybox'], buildContextFlags, dir), '/elsewhere')).toBe('/elsewhere');
    const img = imageFromGitDockerfile('FROM alpine\nCOPY --from=src /a.txt /a.txt\n', { remote: 'https://git.example.com/o/r.git', ref: 'main', subdir: '' }, { contexts });
    expect(identifiers(img)).toEqual(expect.arrayContaining(['docker-image://docker.io/library/busybox:1.36']));
    expect(identifiers(img).some((s) => s.startsWith('local://'))).toBe(true);
  });
});

describe('refused contexts', () => {
  it.each([
    [{ Build: lib }, 'fromDockerfile contexts["Build"]: "Build" is not a valid context name'],
    [{ scratch: lib }, 'the name "scratch" is reserved'],
    [{ context: lib }, 'the name "context" is reserved'],
    [{ alpine: lib, 'alpine:latest': lib }, 'the context "alpine" was given twice'],
    [{ a: 'docker-image://Alpine' }, 'fromDockerfile contexts["a"]: "docker-image://Alpine" is not an image reference'],
    [{ a: 'target:build' }, 'names a Bake target'],
    [{ a: `oci-layout://${join(dir, 'no-layout')}@sha256:${'0'.repeat(64)}` }, `fromDockerfile contexts["a"]: the OCI layout ${join(dir, 'no-layout')} does not exist`],
    [{ a: `oci-layout://${lib}` }, `fromDockerfile contexts["a"]: ${lib} is not an OCI layout: it has no index.json`],
    [{ a: 's3://bucket/x' }, 'has a scheme kiln does not take'],
    [{ a: join(dir, 'missing-dir') }, 'missing-dir" is not a directory here'],
    [{ a: join(dir, 'file.txt') }, 'file.txt" is a file, not a directory'],
    [{ a: '../lib' }, 'fromDockerfile contexts["a"] "../lib" is outside the build context'],
    [{ a: 42 }, 'must be an Image, a local directory, docker-image://REF, oci-layout://DIR, a git repository URL or an https:// URL, got 42'],
  ])('%j', (contexts, message) => {
    const err = thrown(() => Image.fromDockerfile(join(dir, 'Dockerfile.none'), { context: dir, contexts: contexts as Record<string, string> }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(message);
  });

  it('--build-context without NAME=VALUE, or a bad value, names the flag and the value', () => {
    expect(thrown(() => buildContextFlags(['nothing'], buildContextFlags)).message).toBe('--build-context "nothing": expected NAME=VALUE, such as base=docker-image://alpine:3.19 or src=../lib');
    expect(thrown(() => buildContextFlags(['a=s3://b/x'], buildContextFlags)).message).toContain('--build-context "a=s3://b/x": "s3://b/x" has a scheme');
  });

  it('kiln build of a module refuses --build-context, pointing at fromDockerfile\'s contexts', async () => {
    const stderr = new PassThrough();
    const err: Buffer[] = [];
    stderr.on('data', (c: Buffer) => err.push(c));
    const code = await runCli(['build', 'image.ts', '--build-context', 'a=lib'], { stdout: new PassThrough(), stderr, env: {}, cwd: process.cwd() });
    expect(code).toBe(2);
    const text = Buffer.concat(err).toString('utf8');
    expect(text).toContain('no --build-context');
    expect(text).toContain('Image.fromDockerfile(path, { contexts:');
  });
});
