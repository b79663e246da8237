/**
 * Docker's image names are one table per daemon. kiln exports unnamed with the `moby` exporter, then names the image
 * and pushes or saves it by that name; builds of one process that use the same name take turns doing so here, so
 * that one build cannot move a name between another's naming and its push or save.
 *
 * Internal module.
 */
import { describeDockerEndpoint, dockerRequest, type DockerEndpoint } from './docker-api.js';
import { KilnError } from '../errors.js';
import { KeyedQueue } from '../keyed-queue.js';

// One queue for the process, because the names it guards are the daemon's, whichever Client reached it.
const queue = new KeyedQueue();

function endpointKey(ep: DockerEndpoint): string {
  return describeDockerEndpoint(ep);
}

/**
 * Runs `work` while no other build of this process uses any of `names` on that Docker daemon (names taken in sorted
 * order, so two builds with overlapping names cannot wait on each other). `signal` ends the wait for a turn.
 */
export async function withDockerNames<T>(ep: DockerEndpoint, names: readonly string[], work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return queue.runAll(
    names.map((n) => `${endpointKey(ep)} ${n}`),
    work,
    signal,
  );
}

/**
 * Holds image names of the daemon at `scope` for one build's export (BuildKit's image exporter creates a name it
 * finds missing, and two exports of one name at once fail with "already exists"); call the result to let go.
 */
export function holdImageNames(scope: string, names: readonly string[], signal?: AbortSignal): Promise<() => void> {
  return queue.hold(
    names.map((n) => `${scope} ${n}`),
    signal,
  );
}

/** The image ID a name has in Docker now, if it has one. */
export async function dockerImageId(ep: DockerEndpoint, name: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const { text } = await dockerRequest(ep, { method: 'GET', path: `/images/${encodeURIComponent(name)}/json`, ...(signal === undefined ? {} : { signal }) });
    const id = (JSON.parse(text) as { Id?: unknown }).Id;
    return typeof id === 'string' ? id : undefined;
  } catch (err) {
    if (KilnError.is(err, 'not_found')) return undefined;
    throw err;
  }
}

/** A normalised `repo:tag` name as the Docker API's `repo` and `tag` parameters (no tag: `latest`). */
export function repoAndTag(name: string): { repo: string; tag: string } {
  const at = name.lastIndexOf(':');
  return at > name.lastIndexOf('/') ? { repo: name.slice(0, at), tag: name.slice(at + 1) } : { repo: name, tag: 'latest' };
}

/** Points `name` (a normalised `repo:tag`) at the image `id`. */
export async function dockerTag(ep: DockerEndpoint, id: string, name: string, signal?: AbortSignal): Promise<void> {
  const { repo, tag } = repoAndTag(name);
  await dockerRequest(ep, { method: 'POST', path: `/images/${encodeURIComponent(id)}/tag?repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`, ...(signal === undefined ? {} : { signal }) });
}
