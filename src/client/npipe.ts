/**
 * Windows named pipes, where Docker Desktop's engine listens: the docker CLI writes them `npipe:////./pipe/docker_engine`
 * (DOCKER_HOST, docker contexts), Node connects to them as the path `\\.\pipe\docker_engine` (the `socketPath` of an
 * HTTP request, like a unix socket).
 */

/** Where the docker CLI on Windows finds Docker when nothing names it (Docker Desktop's engine). */
export const DEFAULT_WINDOWS_DOCKER_HOST = 'npipe:////./pipe/docker_engine';

const NPIPE = /^npipe:\/\/[/\\]{2}([^/\\]+)[/\\]pipe[/\\]([^/\\].*)$/i;

/** The pipe path of a `npipe://` host (`\\.\pipe\docker_engine`), or undefined when `host` is not one. */
export function npipePath(host: string): string | undefined {
  const m = NPIPE.exec(host);
  if (m === null) return undefined;
  return `\\\\${m[1]!}\\pipe\\${m[2]!.split('/').join('\\')}`;
}

/** Whether a `socketPath` is a Windows pipe path (`\\.\pipe\…`, or with `/`). */
export function isPipePath(socketPath: string): boolean {
  return /^[/\\]{2}[^/\\]+[/\\]pipe[/\\]/i.test(socketPath);
}

/** A socket path as an address: `npipe:////./pipe/docker_engine` for a pipe, `unix:///path` otherwise. */
export function socketAddress(socketPath: string): string {
  return isPipePath(socketPath) ? `npipe://${socketPath.split('\\').join('/')}` : `unix://${socketPath}`;
}
