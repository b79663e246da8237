/** How raw gRPC failures become KilnErrors: codes, and messages that name the daemon and what to do. */
import { Metadata, status } from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toKilnError } from '../../src/client/grpc-errors.js';

function serviceError(code: status, details: string): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

/** The error Node gives for a connection to the unix socket `path` (this system's own errno and address). */
function connectError(path: string): Promise<Error> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.on('connect', () => {
      socket.destroy();
      reject(new Error(`${path} accepted a connection`));
    });
    socket.on('error', resolve);
  });
}

describe('toKilnError', () => {
  it('a unix socket address naming a regular file or a directory: "is not a socket", and fix the address, not "start a daemon"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-not-a-socket-'));
    try {
      const file = join(dir, 'somefile');
      writeFileSync(file, 'not a socket');
      const sub = join(dir, 'a-directory');
      mkdirSync(sub);
      for (const [path, what] of [
        [file, 'a regular file'],
        [sub, 'a directory'],
      ] as const) {
        const refused = await connectError(path);
        const hint = /^A unix:\/\/ address names the daemon's socket: fix the path/;
        // kiln's own socket (docker://unix://…, a proxy) fails with Node's error.
        const own = toKilnError(refused, { action: 'listing workers', address: `docker://unix://${path}`, addressSource: '--addr' });
        expect(own.code).toBe('unavailable');
        expect(own.message).toBe(`cannot reach the BuildKit daemon at docker://unix://${path} (chosen from --addr) while listing workers: ${path} is not a socket (it is ${what})`);
        expect(own.hint).toMatch(hint);
        expect(own.details).toEqual({ path });
        // The same failure behind kiln's proxy, seen through grpc-js.
        const proxied = toKilnError(serviceError(status.UNAVAILABLE, 'No connection established'), { action: 'building', address: `docker://unix://${path}`, dialError: refused });
        expect(proxied.message).toBe(`cannot reach the BuildKit daemon at docker://unix://${path} while building: ${path} is not a socket (it is ${what})`);
        // A unix:// address grpc-js dials itself: only its text says what failed, the address names the path.
        const text = `No connection established. Last error: Error: connect ECONNREFUSED ${path}`;
        const direct = toKilnError(serviceError(status.UNAVAILABLE, text), { action: 'listing workers', address: `unix://${path}`, addressSource: 'BUILDKIT_HOST' });
        expect(direct.message).toBe(`cannot reach the BuildKit daemon at unix://${path} (chosen from BUILDKIT_HOST) while listing workers: ${path} is not a socket (it is ${what})`);
        expect(direct.hint).toMatch(hint);
      }
      // A path where nothing is keeps "start a daemon".
      const gone = join(dir, 'missing.sock');
      const missing = toKilnError(await connectError(gone), { action: 'listing workers', address: `unix://${gone}`, addressSource: '--addr' });
      expect(missing.message).toBe(`cannot reach the BuildKit daemon at unix://${gone} (chosen from --addr) while listing workers: connect ENOENT ${gone}`);
      expect(missing.hint).toMatch(/^Start a daemon/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a unix socket address naming a named pipe or a device (--addr unix:///dev/null) says which, not "start a daemon"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-not-a-socket-'));
    try {
      const fifo = join(dir, 'a-fifo');
      execFileSync('mkfifo', [fifo]);
      for (const [path, what] of [
        [fifo, 'a named pipe'],
        ['/dev/null', 'a device'],
      ] as const) {
        const err = toKilnError(await connectError(path), { action: 'listing workers', address: `unix://${path}`, addressSource: '--addr' });
        expect(err.code).toBe('unavailable');
        expect(err.message).toBe(`cannot reach the BuildKit daemon at unix://${path} (chosen from --addr) while listing workers: ${path} is not a socket (it is ${what})`);
        expect(err.hint).toMatch(/^A unix:\/\/ address names the daemon's socket: fix the path/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

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
