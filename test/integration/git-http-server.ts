/**
 * Test support: a local git host. Repositories made here are served over git's "dumb" HTTP protocol by a server on
 * 127.0.0.1 (the daemon's BuildKit runs in the host's network namespace; build steps never reach it), openly and,
 * under /private/, behind Basic auth with a token as the password, as a private repository on a git host is.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';

/**
 * Serves the files under `root`; paths under /private/ need basic auth with `token` as the password. `onRequest` sees
 * each request's path (its access log) before it is answered.
 */
export function serveFiles(root: string, token: string, onRequest: (path: string) => void = () => undefined): Promise<Server> {
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    onRequest(path);
    if (path.startsWith('/private/')) {
      const auth = req.headers.authorization ?? '';
      const password = auth.toLowerCase().startsWith('basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':').slice(1).join(':') : '';
      if (password !== token) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
        return;
      }
    }
    try {
      const body = readFileSync(join(root, normalize(path.replace(/^\/private\//, '/'))));
      res.writeHead(200, { 'Content-Length': body.length }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

/** `http://127.0.0.1:<port>` of a listening server. */
export function serverBase(server: Server): string {
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

/** Publishes the repository at `repo` as a bare repository `dest` (e.g. `<root>/repo.git`) that {@link serveFiles} can serve. */
export function publishRepository(repo: string, dest: string): void {
  execFileSync('git', ['clone', '-q', '--bare', repo, dest]);
  execFileSync('git', ['-C', dest, 'update-server-info']);
}

/** Runs git in `repo` with a committer identity; returns its trimmed output. */
export function gitIn(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, '-c', 'user.email=t@kiln', '-c', 'user.name=kiln', ...args], { encoding: 'utf8' }).trim();
}
