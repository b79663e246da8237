/**
 * Docker's image names are one table per daemon: the `moby` exporter writes a name when a build exports, and kiln
 * then pushes or saves by that name. Builds of one process that use the same name take turns here, each pointing
 * the name back at its own image first, so that another build's export in between cannot swap the images.
 *
 * Internal module.
 */
import { dockerRequest, type DockerEndpoint } from './docker-api.js';
import { KilnError } from '../errors.js';

/** Work queued per key: each runs after the ones queued before it. */
class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    let release = (): void => {};
    const turn = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => turn);
    this.#tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

// One queue for the process, because the names it guards are the daemon's, whichever Client reached it.
const queue = new KeyedQueue();

function endpointKey(ep: DockerEndpoint): string {
  return 'socketPath' in ep ? `unix:${ep.socketPath}` : `tcp:${ep.host}:${ep.port}`;
}

/**
 * Runs `work` while no other build of this process uses any of `names` on that Docker daemon (names taken in sorted
 * order, so two builds with overlapping names cannot wait on each other).
 */
export async function withDockerNames<T>(ep: DockerEndpoint, names: readonly string[], work: () => Promise<T>): Promise<T> {
  const keys = [...new Set(names)].sort().map((n) => `${endpointKey(ep)} ${n}`);
  const step = (i: number): Promise<T> => (i === keys.length ? work() : queue.run(keys[i] as string, () => step(i + 1)));
  return step(0);
}

/** The image ID a name has in Docker now, if it has one. */
export async function dockerImageId(ep: DockerEndpoint, name: string): Promise<string | undefined> {
  try {
    const { text } = await dockerRequest(ep, { method: 'GET', path: `/images/${encodeURIComponent(name)}/json` });
    const id = (JSON.parse(text) as { Id?: unknown }).Id;
    return typeof id === 'string' ? id : undefined;
  } catch (err) {
    if (KilnError.is(err, 'not_found')) return undefined;
    throw err;
  }
}

/** Points `name` (a normalised `repo:tag`) at the image `id`. */
export async function dockerTag(ep: DockerEndpoint, id: string, name: string): Promise<void> {
  const at = name.lastIndexOf(':');
  const repo = at > name.lastIndexOf('/') ? name.slice(0, at) : name;
  const tag = at > name.lastIndexOf('/') ? name.slice(at + 1) : 'latest';
  await dockerRequest(ep, { method: 'POST', path: `/images/${encodeURIComponent(id)}/tag?repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}` });
}
