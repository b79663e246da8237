/**
 * Dockerfile `ADD https://…` (and `--checksum`): the daemon downloads the file, as Docker's ADD does, and the step
 * copies it where the instruction says (into a directory under the URL's file name, or to the exact path). `COPY` of
 * a URL is refused with what to do instead (a git repository's ADD: image-dockerfile-add-git.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Image, compileImage } from '../../src/image/index.js';
import { fileActions, sources } from '../fixtures/image/helpers.js';
import { thrown } from '../fixtures/thrown.js';

const SUM = `sha256:${'ab'.repeat(32)}`;
const base = (): Image => Image.fromRegistry('debian:bookworm-slim');

/** The copies of the compiled image: source path, destination, mode, and whether archives are unpacked. */
function copies(img: Image): { src: string; dest: string; mode: number; unpack: boolean }[] {
  return fileActions(compileImage(img).definition).flatMap((f) =>
    f.actions.flatMap((a) => (a.action?.type === 'copy' ? [{ src: a.action.copy.src, dest: a.action.copy.dest, mode: a.action.copy.mode, unpack: a.action.copy.attemptUnpackDockerCompatibility }] : [])),
  );
}

describe('Dockerfile ADD of an http(s) URL', () => {
  it('downloads with the checksum, names the file after the URL and copies it into the directory, not unpacked', () => {
    const img = base().dockerfileCommands([`ADD --checksum=${SUM} --chmod=755 https://example.com/dl/tool.tar.gz?v=1 /opt/`]);
    const http = sources(compileImage(img).definition).filter((s) => s.identifier.startsWith('https://'));
    expect(http).toEqual([{ identifier: 'https://example.com/dl/tool.tar.gz?v=1', attrs: { 'http.checksum': SUM, 'http.filename': 'tool.tar.gz' } }]);
    expect(copies(img)).toEqual([{ src: '/tool.tar.gz', dest: '/opt/', mode: 0o755, unpack: false }]);
  });

  it('copies to the exact path when the destination does not end in "/"; build args expand in the URL', () => {
    const img = base().dockerfileCommands(['ARG VERSION=1.2.3', 'ADD https://example.com/releases/v${VERSION}/bin /usr/local/bin/tool']);
    expect(sources(compileImage(img).definition).find((s) => s.identifier.startsWith('https://'))).toEqual({
      identifier: 'https://example.com/releases/v1.2.3/bin',
      attrs: { 'http.filename': 'bin' },
    });
    expect(copies(img)).toEqual([expect.objectContaining({ src: '/bin', dest: '/usr/local/bin/tool' })]);
  });

  it.each([
    ['https://example.com/dl/my%20tool.sh', 'my tool.sh'],
    ['https://example.com/a%2Fb', 'b'],
    ['https://example.com/dl/?name=x', 'dl'],
    ['https://example.com', '__unnamed__'],
    ['https://example.com/%E0%A4%A', '__unnamed__'],
  ])('names the download of %s %j, as docker build does (the decoded path)', (url, name) => {
    const img = base().dockerfileCommands([`ADD ${url} /opt/`]);
    expect(sources(compileImage(img).definition).find((s) => s.identifier.startsWith('https://'))?.attrs['http.filename']).toBe(name);
    expect(copies(img)).toEqual([expect.objectContaining({ src: `/${name}`, dest: '/opt/' })]);
  });

  it('expands build args in --checksum, as docker build does', () => {
    const hex = 'ab'.repeat(32);
    const img = base().dockerfileCommands([`ARG TOOL_SHA256=${hex}`, 'ADD --checksum=sha256:${TOOL_SHA256} https://example.com/tool /usr/local/bin/tool']);
    expect(sources(compileImage(img).definition).find((s) => s.identifier.startsWith('https://'))?.attrs['http.checksum']).toBe(SUM);
    expect(img.toDockerfile()).toContain(`ADD --checksum=${SUM} https://example.com/tool /usr/local/bin/tool`);
  });

  it('writes it back as ADD in toDockerfile', () => {
    const img = base().dockerfileCommands([`ADD --checksum=${SUM} https://example.com/a.txt /data/`]);
    expect(img.toDockerfile()).toContain(`ADD --checksum=${SUM} https://example.com/a.txt /data/`);
  });

  it.each([
    ['COPY https://example.com/a.txt /a.txt', 'Dockerfile line 1 (COPY): COPY of a URL (https://example.com/a.txt) is not supported; use ADD to download it'],
    ['ADD ftp://example.com/a.txt /a.txt', 'ADD of a URL (ftp://example.com/a.txt) is not supported; download it in a RUN step'],
    [`ADD --checksum=${SUM} prep.py /x`, '--checksum applies only to http:// and https:// sources'],
    [`ADD --checksum=${SUM} https://example.com/a https://example.com/b /opt/`, '--checksum pins a single download; give each URL its own ADD'],
    ['ADD --checksum=md5:abc https://example.com/a /a', '--checksum must be sha256: followed by 64 lowercase hex digits, got "md5:abc"'],
    [`COPY --checksum=${SUM} https://example.com/a /a`, 'checksum'],
  ])('refuses %s', (line, message) => {
    const err = thrown(() => compileImage(base().dockerfileCommands([line])));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(message);
  });
});
