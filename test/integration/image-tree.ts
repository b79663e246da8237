/**
 * The complete filesystem of an image in the private dockerd, read from `docker export` of a container created from
 * it (never started): per path its type, mode, owner, size, content hash, symlink target and hardlink group.
 * Modification times are left out. Containers are created the same way for every image, so the mount points
 * dockerd adds (/etc/hosts, /.dockerenv, …) are the same on both sides of a comparison.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { dockerCli, testEnv } from './test-env.js';

/** path → one line describing it. */
export type ImageTree = ReadonlyMap<string, string>;

/** What {@link readExport} reads: the tree, and the regular files whose content holds the needle asked for. */
interface ExportRead {
  readonly tree: ImageTree;
  readonly containing: readonly string[];
}

async function readExport(container: string, needle?: Buffer): Promise<ExportRead> {
  const containing: string[] = [];
  const env = testEnv();
  const child = spawn(env.dockerCliPath, ['-H', env.dockerHost, 'export', container], {
    env: { ...process.env, DOCKER_CONFIG: join(env.stateDir, 'docker-config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const entries = new Map<string, { line: string; link?: string }>();
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    const hash = createHash('sha256');
    let size = 0;
    // The last bytes of the previous chunk, so that a needle across a chunk boundary is found.
    let tail = Buffer.alloc(0);
    let found = false;
    stream.on('data', (d: unknown) => {
      const chunk = d as Buffer;
      hash.update(chunk);
      size += chunk.length;
      if (needle !== undefined && !found) {
        const joined = Buffer.concat([tail, chunk]);
        found = joined.includes(needle);
        tail = joined.subarray(Math.max(0, joined.length - needle.length + 1));
      }
    });
    stream.on('end', () => {
      const path = `/${header.name.replace(/^\.?\//, '').replace(/\/$/, '')}`;
      if (found) containing.push(path);
      const mode = ((header.mode ?? 0) & 0o7777).toString(8).padStart(4, '0');
      const own = `${header.uid ?? 0}:${header.gid ?? 0}`;
      if (header.type === 'link') {
        entries.set(path, { line: '', link: `/${(header.linkname ?? '').replace(/^\.?\//, '')}` });
      } else if (header.type === 'symlink') {
        entries.set(path, { line: `symlink ${own} -> ${header.linkname ?? ''}` });
      } else if (header.type === 'file' || header.type === 'contiguous-file') {
        entries.set(path, { line: `file ${mode} ${own} ${size} ${hash.digest('hex').slice(0, 16)}` });
      } else {
        entries.set(path, { line: `${header.type ?? 'unknown'} ${mode} ${own}` });
      }
      next();
    });
    stream.resume();
  });
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  child.stdout.pipe(ex);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`docker export ${container} failed: ${stderr}`);
  await done;
  // Hardlinks: each member of a group describes the file and lists the whole group (the first name tar saw is
  // whichever the walk met first, so the group, not the link direction, is what is compared).
  const groups = new Map<string, string[]>();
  for (const [path, e] of entries) if (e.link !== undefined) groups.set(e.link, [...(groups.get(e.link) ?? [e.link]), path]);
  const out = new Map<string, string>();
  for (const [path, e] of entries) {
    const target = e.link ?? path;
    const line = e.link === undefined ? e.line : (entries.get(e.link)?.line ?? `link to missing ${e.link}`);
    const group = groups.get(target);
    out.set(path, group === undefined ? line : `${line} hardlinks ${[...group].sort().join(',')}`);
  }
  return { tree: out, containing };
}

/** The filesystem of image `tag`. */
export async function imageTree(tag: string): Promise<ImageTree> {
  return (await imageTreeSearched(tag, undefined)).tree;
}

/** The filesystem of image `tag` and the files whose content holds `needle` (a secret that must not be there). */
export async function imageTreeSearched(tag: string, needle: string | undefined): Promise<ExportRead> {
  const id = (await dockerCli(['create', tag, 'true'])).stdout.trim();
  try {
    return await readExport(id, needle === undefined ? undefined : Buffer.from(needle));
  } finally {
    await dockerCli(['rm', '-f', id], { allowFailure: true });
  }
}

/** The paths whose description differs between `a` and `b`, one line each (`path: a | b`), sorted. */
export function treeDifferences(a: ImageTree, b: ImageTree, labels: readonly [string, string]): string[] {
  const out: string[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(path) ?? '(absent)';
    const y = b.get(path) ?? '(absent)';
    if (x !== y) out.push(`${path}: ${labels[0]} ${x} | ${labels[1]} ${y}`);
  }
  return out;
}
