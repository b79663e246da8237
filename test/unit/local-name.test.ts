/**
 * Local directories with non-ASCII names (`données`, a macOS NFD name): the name in the LLB is the one the daemon
 * sends back in the `dir-name` header, which must survive gRPC (printable ASCII only) on every BuildKit.
 */
import { describe, expect, it } from 'vitest';
import { Image, compileImage } from '../../src/image/index.js';
import { headerSafeName } from '../../src/image/local-name.js';
import { requestedDirName } from '../../src/session/file-sync-service.js';

describe('headerSafeName', () => {
  it('keeps printable ASCII and percent-encodes the rest (and "%")', () => {
    expect(headerSafeName('src/app@0123456789ab')).toBe('src/app@0123456789ab');
    expect(headerSafeName('My Project/src')).toBe('My Project/src');
    expect(headerSafeName('données'.normalize('NFC'))).toBe('donn%C3%A9es');
    expect(headerSafeName('données'.normalize('NFD'))).toBe('donne%CC%81es');
    expect(headerSafeName('50%/日本')).toBe('50%25/%E6%97%A5%E6%9C%AC');
    expect(headerSafeName('tab\there')).toBe('tab%09here');
  });

  it('names the local source of a non-ASCII directory with it; the step name stays readable', () => {
    const c = compileImage(Image.fromRegistry('busybox:latest').addLocalDir('/ctx/données', '/d'), { context: '/ctx' });
    expect(c.locals.map((l) => [l.name, l.path])).toEqual([['donn%C3%A9es', '/ctx/données']]);
    expect(c.plan.map((p) => p.name)).toEqual(['copy /ctx/données → /d']);
  });
});

describe('requestedDirName', () => {
  it('takes dir-name as sent, decoding it when BuildKit (v0.12 and later) says it query-escaped it', () => {
    expect(requestedDirName('src@0123456789ab', undefined)).toBe('src@0123456789ab');
    expect(requestedDirName('donn%C3%A9es', undefined)).toBe('donn%C3%A9es');
    expect(requestedDirName('donn%C3%A9es', '1')).toBe('données');
    expect(requestedDirName('My+Project%2Fsrc', 'true')).toBe('My Project/src');
    expect(requestedDirName('100%', '1')).toBe('100%');
    expect(requestedDirName(undefined, undefined)).toBe('');
  });
});
