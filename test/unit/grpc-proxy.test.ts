import { describe, expect, it } from 'vitest';
import { grpcProxyFor, redactProxyUrl, webProxyFor } from '../../src/client/grpc-proxy.js';
import { KilnError } from '../../src/errors.js';

const P = 'http://proxy.corp:3128';

describe('grpcProxyFor: the proxy a tcp:// daemon is dialled through, as grpc-go chooses it', () => {
  it('takes HTTPS_PROXY, else https_proxy, with grpc_proxy first; HTTP_PROXY alone is not used', () => {
    expect(grpcProxyFor('bk.corp', 1234, { HTTPS_PROXY: P })).toMatchObject({ host: 'proxy.corp', port: 3128, variable: 'HTTPS_PROXY' });
    expect(grpcProxyFor('bk.corp', 1234, { HTTPS_PROXY: '', https_proxy: P })).toMatchObject({ variable: 'https_proxy' });
    expect(grpcProxyFor('bk.corp', 1234, { HTTPS_PROXY: P, grpc_proxy: 'http://g:8080' })).toMatchObject({ host: 'g', port: 8080, variable: 'grpc_proxy' });
    expect(grpcProxyFor('bk.corp', 1234, { HTTP_PROXY: P, http_proxy: P })).toBeUndefined();
  });

  it('never proxies localhost or a loopback address', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(grpcProxyFor(host, 1234, { HTTPS_PROXY: P, grpc_proxy: P })).toBeUndefined();
  });

  it('reads NO_PROXY as Go does: *, domains and their subdomains, leading dots, IPs, CIDRs, ports', () => {
    const via = (host: string, noProxy: string, port = 1234): boolean => grpcProxyFor(host, port, { HTTPS_PROXY: P, NO_PROXY: noProxy }) !== undefined;
    expect(via('bk.corp', '*')).toBe(false);
    expect(via('bk.corp', 'corp')).toBe(false);
    expect(via('corp', 'corp')).toBe(false);
    expect(via('corp', '.corp')).toBe(true);
    expect(via('bk.corp', ' .corp ')).toBe(false);
    expect(via('bk.corp', '*.corp')).toBe(false);
    expect(via('xcorp', 'corp')).toBe(true);
    expect(via('BK.Corp', 'bk.corp')).toBe(false);
    expect(via('10.1.2.3', '10.1.0.0/16')).toBe(false);
    expect(via('10.2.2.3', '10.1.0.0/16')).toBe(true);
    expect(via('10.1.2.3', '10.1.2.3')).toBe(false);
    expect(via('bk.corp', 'bk.corp:1234')).toBe(false);
    expect(via('bk.corp', 'bk.corp:9999')).toBe(true);
    expect(grpcProxyFor('bk.corp', 1, { HTTPS_PROXY: P, no_proxy: 'bk.corp' })).toBeUndefined();
  });

  it('exempts grpc_proxy with no_grpc_proxy, else no_proxy', () => {
    expect(grpcProxyFor('bk.corp', 1, { grpc_proxy: P, no_grpc_proxy: 'bk.corp' })).toBeUndefined();
    expect(grpcProxyFor('bk.corp', 1, { grpc_proxy: P, no_proxy: 'bk.corp' })).toBeUndefined();
    expect(grpcProxyFor('bk.corp', 1, { grpc_proxy: P })).toMatchObject({ exemptWith: 'no_grpc_proxy' });
  });

  it('decodes credentials, defaults the port, takes a URL without scheme as http://, and never keeps the password in what it prints', () => {
    expect(grpcProxyFor('bk.corp', 1, { HTTPS_PROXY: 'http://me%40corp:p%3Ass@proxy.corp' })).toEqual({
      host: 'proxy.corp',
      port: 80,
      credentials: 'me@corp:p:ss',
      variable: 'HTTPS_PROXY',
      redacted: 'http://me%40corp:***@proxy.corp',
      exemptWith: 'NO_PROXY',
    });
    expect(grpcProxyFor('bk.corp', 1, { HTTPS_PROXY: 'proxy.corp:3128' })).toMatchObject({ host: 'proxy.corp', port: 3128 });
    expect(redactProxyUrl('http://token@proxy:1')).toBe('http://***@proxy:1');
    expect(redactProxyUrl('http://proxy:1')).toBe('http://proxy:1');
  });

  it('refuses a proxy it cannot use, naming the variable, without its password', () => {
    let err: unknown;
    try {
      grpcProxyFor('bk.corp', 1, { HTTPS_PROXY: 'socks5://u:secret@proxy:1080' });
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe('HTTPS_PROXY names a socks5:// proxy (socks5://u:***@proxy:1080): kiln reaches the BuildKit daemon at bk.corp:1 through an http:// proxy only');
    expect((err as KilnError).hint).toContain('NO_PROXY=bk.corp');
  });
});

describe("webProxyFor: the proxy kiln's own HTTP requests go through, as Go's net/http chooses it", () => {
  it('takes HTTP_PROXY (else http_proxy) for an http:// URL and HTTPS_PROXY (else https_proxy) for an https:// one', () => {
    const both = { HTTP_PROXY: 'http://plain:1', HTTPS_PROXY: 'http://secure:2' };
    expect(webProxyFor(new URL('http://docker.corp:2375/version'), both)).toMatchObject({ host: 'plain', port: 1, variable: 'HTTP_PROXY' });
    expect(webProxyFor(new URL('https://registry.corp/v2/'), both)).toMatchObject({ host: 'secure', port: 2, variable: 'HTTPS_PROXY' });
    expect(webProxyFor(new URL('http://docker.corp:2375/'), { HTTP_PROXY: '', http_proxy: P })).toMatchObject({ variable: 'http_proxy' });
    expect(webProxyFor(new URL('http://docker.corp:2375/'), { HTTPS_PROXY: P })).toBeUndefined();
    expect(webProxyFor(new URL('https://registry.corp/v2/'), { HTTP_PROXY: P })).toBeUndefined();
  });

  it('is never used for loopback, nor for a host NO_PROXY exempts (with the port the URL implies)', () => {
    const vars = { HTTP_PROXY: P, HTTPS_PROXY: P };
    for (const url of ['http://127.0.0.1:5000/v2/', 'http://localhost:5000/v2/', 'https://[::1]:5000/v2/']) expect(webProxyFor(new URL(url), vars)).toBeUndefined();
    expect(webProxyFor(new URL('https://registry.corp/v2/'), { ...vars, NO_PROXY: 'registry.corp:443' })).toBeUndefined();
    expect(webProxyFor(new URL('http://registry.corp/v2/'), { ...vars, NO_PROXY: 'registry.corp:443' })).toBeDefined();
    expect(webProxyFor(new URL('http://docker.corp:2375/'), { ...vars, no_proxy: '.corp' })).toBeUndefined();
  });

  it('refuses a proxy URL kiln cannot use, naming the variable and what it was to reach', () => {
    let err: unknown;
    try {
      webProxyFor(new URL('https://registry.corp/v2/'), { HTTPS_PROXY: 'https://u:secret@proxy:443' });
    } catch (e) {
      err = e;
    }
    expect(KilnError.is(err, 'invalid_argument')).toBe(true);
    expect((err as KilnError).message).toBe('HTTPS_PROXY names a https:// proxy (https://u:***@proxy:443): kiln reaches https://registry.corp through an http:// proxy only');
  });
});
