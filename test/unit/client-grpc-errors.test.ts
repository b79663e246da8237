/** How raw gRPC failures become KilnErrors: codes, and messages that name the daemon and what to do. */
import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { toKilnError } from '../../src/client/grpc-errors.js';

function serviceError(code: status, details: string): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

describe('toKilnError', () => {
  it('nothing named a daemon and the default Docker socket is missing: the hint lists what was looked for and how to select Docker Desktop, Colima & co', () => {
    const missing = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { syscall: 'connect', code: 'ENOENT' });
    const err = toKilnError(missing, { action: 'listing workers', address: 'docker://unix:///var/run/docker.sock', addressSource: 'Docker daemon (default socket)' });
    expect(err.message).toBe('cannot reach the BuildKit daemon at docker://unix:///var/run/docker.sock (chosen from Docker daemon (default socket)) while listing workers: connect ENOENT /var/run/docker.sock');
    expect(err.hint).toContain('kiln found no BUILDKIT_HOST, no buildx builder chosen (BUILDX_BUILDER, docker buildx use), no /run/buildkit/buildkitd.sock, no DOCKER_HOST and no docker context');
    expect(err.hint).toContain('docker context use <name>');
    // A daemon someone named keeps the plain hint.
    expect(toKilnError(missing, { action: 'listing workers', addressSource: 'BUILDKIT_HOST' }).hint).toMatch(/^Start a daemon/);
  });

  it('a daemon that does not answer in time is unavailable, named with where its address came from, with a hint', () => {
    // grpc-js's own text, with the call's internals it appends.
    const text = 'Deadline exceeded after 10.004s,name resolution: 0.018s,metadata filters: 0.001s,time to current attempt start: 0.001s,Waiting for LB pick';
    const err = toKilnError(serviceError(status.DEADLINE_EXCEEDED, text), {
      action: 'listing workers',
      address: 'docker://unix:///tmp/silent.sock',
      addressSource: 'BUILDKIT_HOST',
    });
    expect(err.code).toBe('unavailable');
    expect(err.message).toBe('the BuildKit daemon at docker://unix:///tmp/silent.sock (chosen from BUILDKIT_HOST) did not answer within 10 s while listing workers');
    expect(err.hint).toMatch(/does not answer as BuildKit/);
  });

  it('a socket this user may not open is unavailable with a permission hint, not "start a daemon"', () => {
    const denied = Object.assign(new Error('connect EACCES /var/run/docker.sock'), { syscall: 'connect', code: 'EACCES' });
    const err = toKilnError(denied, { action: 'opening the build session', address: 'docker://unix:///var/run/docker.sock' });
    expect(err.code).toBe('unavailable');
    expect(err.hint).toContain('This user may not open the daemon\'s socket');
    const missing = Object.assign(new Error('connect ENOENT /run/buildkit/buildkitd.sock'), { syscall: 'connect', code: 'ENOENT' });
    expect(toKilnError(missing, { action: 'listing workers' }).hint).toMatch(/^Start a daemon/);
    // Through kiln's proxy the dial's own error says it.
    const viaProxy = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: status.UNAVAILABLE, details: 'No connection established', metadata: new Metadata() });
    expect(toKilnError(viaProxy, { action: 'listing workers', dialError: denied }).hint).toContain('This user may not open');
  });

  it('a daemon that answered earlier in the operation and then drops the connection: "lost the connection", build again', () => {
    const dropped = serviceError(status.UNAVAILABLE, 'Connection dropped');
    const ctx = { action: 'running step "RUN make"', address: 'unix:///run/buildkit/buildkitd.sock', addressSource: 'BUILDKIT_HOST' };
    const lost = toKilnError(dropped, { ...ctx, wasConnected: true });
    expect(lost.code).toBe('unavailable');
    expect(lost.message).toBe('lost the connection to the BuildKit daemon at unix:///run/buildkit/buildkitd.sock (chosen from BUILDKIT_HOST) while running step "RUN make": Connection dropped');
    expect(lost.details['connectionLost']).toBe(true);
    expect(lost.hint).toMatch(/^The daemon went away during the build: .* Build again once it answers/);
    // Reconnecting through kiln's proxy failed too: the dial's error is the reason given, still as a lost connection.
    const refused = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { syscall: 'connect', code: 'ECONNREFUSED' });
    expect(toKilnError(dropped, { ...ctx, wasConnected: true, dialError: refused }).message).toMatch(/^lost the connection .*: connect ECONNREFUSED \/var\/run\/docker.sock$/);
    // Without it, the same failure is a daemon that cannot be reached.
    expect(toKilnError(dropped, ctx).message).toMatch(/^cannot reach the BuildKit daemon at /);
    expect(toKilnError(dropped, ctx).details['connectionLost']).toBeUndefined();
  });

  it('maps the daemon\'s gRPC codes to the KilnError codes a program branches on; a failed solve is build_failed', () => {
    const codeOf = (code: status): string => toKilnError(serviceError(code, 'x'), { action: 'solving' }).code;
    expect(codeOf(status.PERMISSION_DENIED)).toBe('unauthenticated');
    expect(codeOf(status.UNAUTHENTICATED)).toBe('unauthenticated');
    expect(codeOf(status.UNIMPLEMENTED)).toBe('unsupported');
    expect(codeOf(status.INVALID_ARGUMENT)).toBe('invalid_argument');
    // What the daemon reports for a step that failed (exit code, missing file…): Unknown, or any other unmapped code.
    expect(codeOf(status.UNKNOWN)).toBe('build_failed');
    expect(codeOf(status.FAILED_PRECONDITION)).toBe('build_failed');
    const failed = toKilnError(serviceError(status.UNKNOWN, 'process "/bin/sh -c false" did not complete successfully: exit code: 1'), { action: 'solving' });
    expect(failed.details['grpcCode']).toBe(status.UNKNOWN);
  });

  it('keeps the daemon\'s not-found code and its words', () => {
    const err = toKilnError(serviceError(status.NOT_FOUND, 'no such ref'), { action: 'reading a file' });
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('reading a file failed: no such ref');
  });
});
