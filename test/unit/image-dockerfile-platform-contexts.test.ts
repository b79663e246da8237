/**
 * Named contexts per platform (`contexts: { 'base::linux/arm64': … }`, `--build-context base::linux/arm64=…`), as
 * BuildKit's Dockerfile frontend looks them up: `context:NAME::OS/ARCH[/VARIANT]` (the stage's platform, normalised)
 * before `context:NAME`, and without either the Dockerfile's own stage or image. kiln reads the Dockerfile itself, so
 * the choice is made when compiling for each platform: these tests compile one image for several platforms and read
 * which sources and commands each definition has. Also: an `Image` as a context is compiled into the same definition
 * (FROM and COPY --from of one Image share its vertices; no frontend, no second solve).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Image, compileImage } from '../../src/image/index.js';
import { buildContextFlags, imageFromGitDockerfile } from '../../src/image/image.js';
import { execs, fileActions, sources } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-platform-contexts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'arm'));
writeFileSync(join(dir, 'arm', 'arch.txt'), 'arm64\n');
writeFileSync(join(dir, 'Dockerfile.none'), 'FROM busybox\n');

/** An image of Dockerfile `text` (written to the temporary directory) with these contexts. */
function dockerfile(text: string, contexts: Record<string, string | Image>, target?: string): Image {
  const file = join(dir, `Dockerfile.${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  return Image.fromDockerfile(file, { context: dir, contexts, ...(target === undefined ? {} : { target }) });
}

const compiled = (img: Image, platform: string): ReturnType<typeof compileImage> => compileImage(img, { context: dir, platform });
const identifiers = (img: Image, platform: string): string[] => sources(compiled(img, platform).definition).map((s) => s.identifier);
const commands = (img: Image, platform: string): string[] => execs(compiled(img, platform).definition).map((e) => e.args.join(' '));

describe('a context given per platform (NAME::PLATFORM)', () => {
  it('FROM takes the context of the platform compiled for, else the plain one, else the image the Dockerfile names', () => {
    const perPlatform = { 'base::linux/amd64': 'docker-image://busybox:1.36', 'base::linux/arm64': 'docker-image://debian:bookworm-slim' };
    const img = dockerfile('FROM base\nRUN echo hi\n', perPlatform);
    expect(identifiers(img, 'linux/amd64')).toEqual(['docker-image://docker.io/library/busybox:1.36']);
    expect(identifiers(img, 'linux/arm64')).toEqual(['docker-image://docker.io/library/debian:bookworm-slim']);
    // No value for arm/v7 and no plain `base`: FROM base is the image base, as without contexts.
    expect(identifiers(img, 'linux/arm/v7')).toEqual(['docker-image://docker.io/library/base:latest']);
    const withPlain = dockerfile('FROM base\nRUN echo hi\n', { ...perPlatform, base: 'docker-image://alpine:3.19' });
    expect(identifiers(withPlain, 'linux/arm/v7')).toEqual(['docker-image://docker.io/library/alpine:3.19']);
    expect(identifiers(withPlain, 'linux/arm64')).toEqual(['docker-image://docker.io/library/debian:bookworm-slim']);
    // The base images to resolve are the platform's own.
    expect(compiled(img, 'linux/arm64').baseImages).toEqual(['docker.io/library/debian:bookworm-slim']);
    expect(compiled(img, 'linux/arm64').platformDependent).toBe(true);
    expect(compiled(dockerfile('FROM base\n', { base: 'docker-image://busybox:1.36' }), 'linux/arm64').platformDependent).toBe(false);
  });

  it('platforms are compared normalised, as BuildKit writes the key (aarch64 and arm64/v8 are arm64)', () => {
    for (const key of ['base::linux/aarch64', 'base::linux/arm64/v8', 'docker.io/library/base:latest::linux/arm64']) {
      const img = dockerfile('FROM base\n', { [key]: 'docker-image://busybox:1.36' });
      expect(identifiers(img, 'linux/arm64')).toEqual(['docker-image://docker.io/library/busybox:1.36']);
      expect(identifiers(img, 'linux/amd64')).toEqual(['docker-image://docker.io/library/base:latest']);
    }
  });

  it('a stage given for one platform only is replaced there and built as written for the others', () => {
    const text = 'FROM golang:1.22 AS build\nRUN go build -o /out/arch.txt\nFROM busybox:1.36\nCOPY --from=build /out/arch.txt /arch.txt\n';
    const img = dockerfile(text, { 'build::linux/arm64': join(dir, 'arm') });
    expect(identifiers(img, 'linux/arm64').some((s) => s.includes('golang'))).toBe(false);
    expect(commands(img, 'linux/arm64').some((c) => c.includes('go build'))).toBe(false);
    expect(identifiers(img, 'linux/arm64').some((s) => s.startsWith('local://'))).toBe(true);
    expect(identifiers(img, 'linux/amd64')).toContain('docker-image://docker.io/library/golang:1.22');
    expect(commands(img, 'linux/amd64')).toContain('/bin/sh -c go build -o /out/arch.txt');
    // --target of that stage, too.
    const target = dockerfile(text, { 'build::linux/arm64': 'docker-image://busybox:1.35' }, 'build');
    expect(identifiers(target, 'linux/arm64')).toEqual(['docker-image://docker.io/library/busybox:1.35']);
    expect(commands(target, 'linux/amd64')).toEqual(['/bin/sh -c go build -o /out/arch.txt']);
  });

  it('COPY --from and RUN --mount=from= take the platform\'s context; an Image can be one', () => {
    const armTools = Image.fromRegistry('debian:bookworm-slim').runCommands('echo arm > /tool');
    const img = dockerfile('FROM busybox:1.36\nCOPY --from=tools /tool /tool\nRUN --mount=from=tools,target=/mnt cat /mnt/tool\n', {
      'tools::linux/arm64': armTools,
      tools: 'docker-image://busybox:1.35',
    });
    expect(commands(img, 'linux/arm64')).toEqual(['/bin/sh -c echo arm > /tool', '/bin/sh -c cat /mnt/tool']);
    expect(commands(img, 'linux/amd64')).toEqual(['/bin/sh -c cat /mnt/tool']);
    expect(identifiers(img, 'linux/amd64')).toContain('docker-image://docker.io/library/busybox:1.35');
  });

  it('dockerfileCommands() takes them too: COPY --from= of the platform\'s context, on the image it is called on', () => {
    const img = Image.fromRegistry('busybox:1.36')
      .runCommands('echo first')
      .dockerfileCommands(['COPY --from=tools /tool /tool', 'RUN cat /tool'], { context: dir, contexts: { 'tools::linux/arm64': 'docker-image://busybox:1.35', tools: 'docker-image://busybox:1.34' } });
    expect(identifiers(img, 'linux/arm64')).toEqual(['docker-image://docker.io/library/busybox:1.36', 'docker-image://docker.io/library/busybox:1.35']);
    expect(identifiers(img, 'linux/amd64')).toEqual(['docker-image://docker.io/library/busybox:1.36', 'docker-image://docker.io/library/busybox:1.34']);
    expect(commands(img, 'linux/arm64')).toEqual(['/bin/sh -c echo first', '/bin/sh -c cat /tool']);
  });

  it('what the session serves covers every platform\'s contexts; the base images are the platform\'s', () => {
    const img = dockerfile('FROM busybox:1.36\nCOPY --from=src /arch.txt /arch.txt\n', { 'src::linux/arm64': join(dir, 'arm'), src: 'docker-image://busybox:1.35' });
    const amd = compiled(img, 'linux/amd64');
    // The amd64 definition does not read the directory, but a build for both platforms sends it from one session.
    expect(sources(amd.definition).some((s) => s.identifier.startsWith('local://'))).toBe(false);
    expect(amd.locals.map((l) => l.path)).toEqual([join(dir, 'arm')]);
    expect(amd.baseImages).toEqual(['docker.io/library/busybox:1.36']);
  });

  it('--build-context NAME::PLATFORM=VALUE (kiln build <git-url>) is read the same way', () => {
    const contexts = buildContextFlags(['alpine::linux/arm64=docker-image://busybox:1.35', 'alpine=docker-image://busybox:1.36'], buildContextFlags, dir);
    const img = imageFromGitDockerfile('FROM alpine\n', { remote: 'https://git.example.com/o/r.git', ref: 'main', subdir: '' }, { contexts });
    expect(identifiers(img, 'linux/arm64')).toContain('docker-image://docker.io/library/busybox:1.35');
    expect(identifiers(img, 'linux/amd64')).toContain('docker-image://docker.io/library/busybox:1.36');
  });

  it.each([
    [{ 'base::': 'docker-image://busybox' }, 'fromDockerfile contexts["base::"]: no platform after "::"; write NAME::OS/ARCH[/VARIANT], such as base::linux/arm64'],
    [{ 'base::linux': 'docker-image://busybox' }, 'fromDockerfile contexts["base::linux"]: "linux" is not a platform'],
    [{ 'base::linux/arm64/v8/x': 'docker-image://busybox' }, '"linux/arm64/v8/x" is not a platform'],
    [{ 'Base::linux/arm64': 'docker-image://busybox' }, 'fromDockerfile contexts["Base::linux/arm64"]: "Base" is not a valid context name'],
    [{ 'scratch::linux/arm64': 'docker-image://busybox' }, 'the name "scratch" is reserved'],
    [{ 'base::linux/arm64': 'docker-image://busybox', 'base::linux/aarch64': 'docker-image://busybox' }, 'the context "base::linux/arm64" was given twice ("base::linux/aarch64" is the same name)'],
  ])('refuses %j', (contexts, message) => {
    const err = thrown(() => Image.fromDockerfile(join(dir, 'Dockerfile.none'), { context: dir, contexts: contexts as Record<string, string> }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(message);
  });

  describe('a later stage built FROM a stage replaced for one platform only', () => {
    // As BuildKit's frontend: a replaced stage is the context's image (its state and config); nothing the stage
    // writes (its ARG values, its ENV) reaches a stage built FROM it on that platform. Elsewhere the stage is as written.
    const text = [
      'FROM busybox:1.36 AS base',
      'ARG GREETING=written-arg',
      'ENV WHO=written-env',
      'FROM base AS b',
      'RUN echo "$GREETING $WHO" > /out',
      'ENV SEEN=${WHO}:${GREETING}',
      'LABEL who=${WHO}',
      'WORKDIR /w-${WHO}',
      'COPY --from=base /etc/${WHO} /copied',
      '',
    ].join('\n');
    const env = (img: Image, platform: string, configs?: NonNullable<Parameters<typeof compileImage>[1]>['baseConfigs']): Record<string, string> => {
      const c = compileImage(img, { context: dir, platform, ...(configs === undefined ? {} : { baseConfigs: configs }) });
      return Object.fromEntries((c.config.config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    };
    const run = (img: Image, platform: string, configs?: NonNullable<Parameters<typeof compileImage>[1]>['baseConfigs']): readonly string[] =>
      execs(compileImage(img, { context: dir, platform, ...(configs === undefined ? {} : { baseConfigs: configs }) }).definition)[0]?.env ?? [];

    it('with an Image as the context: on its platform the values are the Image\'s, on the others the stage\'s', () => {
      const arm = Image.fromRegistry('busybox:1.35').env({ WHO: 'context-env' });
      const img = dockerfile(text, { 'base::linux/arm64': arm });
      expect(env(img, 'linux/amd64')).toMatchObject({ WHO: 'written-env', SEEN: 'written-env:written-arg' });
      expect(run(img, 'linux/amd64')).toEqual(expect.arrayContaining(['GREETING=written-arg', 'WHO=written-env']));
      expect(env(img, 'linux/arm64')).toMatchObject({ WHO: 'context-env', SEEN: 'context-env:' });
      expect(run(img, 'linux/arm64')).toContain('WHO=context-env');
      expect(run(img, 'linux/arm64').some((e) => e.startsWith('GREETING='))).toBe(false);
      const amd = compileImage(img, { context: dir, platform: 'linux/amd64' }).config.config;
      const armConfig = compileImage(img, { context: dir, platform: 'linux/arm64' }).config.config;
      expect([amd.Labels?.['who'], amd.WorkingDir]).toEqual(['written-env', '/w-written-env']);
      expect([armConfig.Labels?.['who'], armConfig.WorkingDir]).toEqual(['context-env', '/w-context-env']);
      const copied = (platform: string): string[] =>
        fileActions(compileImage(img, { context: dir, platform }).definition).flatMap((f) => f.actions.flatMap((a) => (a.action?.type === 'copy' ? [a.action.copy.src] : [])));
      expect(copied('linux/amd64')).toContain('/etc/written-env');
      expect(copied('linux/arm64')).toContain('/etc/context-env');
    });

    it('with docker-image://: on its platform the values are the image config\'s', () => {
      const img = dockerfile(text, { 'base::linux/arm64': 'docker-image://busybox:1.35' });
      const configs = new Map([['docker.io/library/busybox:1.35', { architecture: 'arm64', os: 'linux', config: { Env: ['PATH=/bin', 'WHO=config-env'] } }]]);
      expect(env(img, 'linux/arm64', configs)).toMatchObject({ WHO: 'config-env', SEEN: 'config-env:' });
      expect(run(img, 'linux/arm64', configs)).toContain('WHO=config-env');
      expect(run(img, 'linux/arm64', configs).some((e) => e.startsWith('GREETING='))).toBe(false);
      expect(env(img, 'linux/amd64', configs)).toMatchObject({ WHO: 'written-env', SEEN: 'written-env:written-arg' });
    });

    it('a stage FROM that stage FROM it, too (the choice goes down the chain)', () => {
      const arm = Image.fromRegistry('busybox:1.35').env({ WHO: 'context-env' });
      const img = dockerfile(`${text}FROM b AS c\nENV LAST=$SEEN\n`, { 'base::linux/arm64': arm });
      expect(env(img, 'linux/arm64')).toMatchObject({ LAST: 'context-env:' });
      expect(env(img, 'linux/amd64')).toMatchObject({ LAST: 'written-env:written-arg' });
    });
  });

  it('toDockerfile() writes each platform\'s image as a stage and a FROM that picks the build\'s ($TARGETOS, $TARGETARCH, $TARGETVARIANT)', () => {
    const img = dockerfile('FROM base AS b\nRUN echo hi\n', { 'base::linux/arm64': 'docker-image://busybox:1.35', 'base::linux/arm/v7': 'docker-image://busybox:1.34' });
    const others = ['amd64', 'amd64v2', 'amd64v3', 'amd64v4', 'armv5', 'armv6', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'mips64', 'loong64'];
    // Each platform's reading of the Dockerfile (FROM base as written where no context is given), then the pick.
    expect(img.toDockerfile({ context: dir })).toBe(
      [
        '# Generated by kiln from an Image definition.',
        'FROM busybox:1.35 AS stage-0',
        'RUN echo hi',
        '',
        'FROM busybox:1.34 AS stage-1',
        'RUN echo hi',
        '',
        'FROM base:latest AS stage-2',
        'RUN echo hi',
        '',
        "# kiln: base::linux/arm64, base::linux/arm/v7 (named contexts per platform): one stage per platform, the build's picked below; the 13 other platforms listed take the image without them",
        'FROM stage-0 AS platform-0-linux-arm64',
        'FROM stage-1 AS platform-0-linux-armv7',
        ...others.map((p) => `FROM stage-2 AS platform-0-linux-${p}`),
        '',
        'FROM platform-0-${TARGETOS}-${TARGETARCH}${TARGETVARIANT}',
        '',
      ].join('\n'),
    );
  });
});

describe('an Image as a named context', () => {
  it('is compiled into the same definition: FROM and COPY --from of one Image share its steps, and FROM keeps its config', () => {
    const base = Image.fromRegistry('busybox:1.36').env({ MADE_BY: 'kiln' }).runCommands('echo made > /made.txt');
    const img = dockerfile('FROM base\nCOPY --from=base /made.txt /copy.txt\nRUN cat /made.txt /copy.txt\n', { base });
    const c = compiled(img, 'linux/amd64');
    expect(execs(c.definition).map((e) => e.args.join(' '))).toEqual(['/bin/sh -c echo made > /made.txt', '/bin/sh -c cat /made.txt /copy.txt']);
    expect(c.config.config.Env).toContain('MADE_BY=kiln');
    expect(c.baseImages).toEqual(['docker.io/library/busybox:1.36']);
  });
});
