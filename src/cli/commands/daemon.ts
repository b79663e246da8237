import { Command, InvalidArgumentError } from 'commander';
import { connectFromOptions, println, type CliIO, type GlobalOptions } from '../context.js';
import { formatBytes, parseBytes, parseDuration, table } from '../format.js';

type Globals = () => GlobalOptions;

/** `kiln info`: which daemon kiln reaches, how it was chosen, its version, platforms and LLB caps. */
export function infoCommand(io: CliIO, globals: Globals): Command {
  return new Command('info')
    .description('show which BuildKit daemon kiln reaches and what it supports')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nThe daemon is chosen from --addr, then BUILDKIT_HOST, then the buildx builder chosen with BUILDX_BUILDER or\n' +
        '`docker buildx use`, then /run/buildkit/buildkitd.sock if it exists, then the Docker daemon the docker CLI\n' +
        'uses (DOCKER_HOST, the docker context from DOCKER_CONTEXT or `docker context use`, or /var/run/docker.sock).\n\nExamples:\n  kiln info\n  kiln info --addr docker://\n  BUILDKIT_HOST=tcp://127.0.0.1:1234 kiln info --json',
    )
    .action(async (opts: { json?: boolean }) => {
      const client = await connectFromOptions(globals(), io);
      try {
        const info = await client.info();
        if (opts.json === true) {
          println(
            io.stdout,
            JSON.stringify(
              {
                address: client.address.text,
                addressSource: client.address.source,
                ...(client.address.note === undefined ? {} : { addressNote: client.address.note }),
                kind: info.kind,
                version: info.version,
                description: info.description,
                ...(info.imageStore === undefined ? {} : { imageStore: info.imageStore }),
                workers: info.workers,
                llbCaps: [...info.llbCaps].sort(),
                frontendCaps: [...info.frontendCaps].sort(),
              },
              null,
              2,
            ),
          );
          return;
        }
        println(io.stdout, `Address:   ${client.address.text}`);
        println(io.stdout, `Chosen by: ${client.address.source}${client.address.note === undefined ? '' : `; ${client.address.note}`}`);
        println(io.stdout, `Daemon:    ${info.description}`);
        if (info.imageStore !== undefined) {
          println(
            io.stdout,
            `Images:    ${info.imageStore === 'containerd' ? "Docker's containerd image store (every exporter and cache backend)" : "Docker's classic image store (images go into Docker; inline cache export only)"}`,
          );
        }
        for (const w of info.workers) {
          // (A worker may list a platform twice, e.g. dockerd 26 with and without a variant it does not show.)
          const platforms = [...new Set(w.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`))];
          println(io.stdout, `Worker:    ${w.id} (${platforms.join(', ')})`);
        }
        const caps = [...info.llbCaps].sort();
        println(io.stdout, `LLB caps (${caps.length}):`);
        for (const c of caps) println(io.stdout, `  ${c}`);
      } finally {
        await client.close();
      }
    });
}

/** `kiln workers`: the daemon's workers and platforms. */
export function workersCommand(io: CliIO, globals: Globals): Command {
  return new Command('workers')
    .description("list the daemon's workers and their platforms")
    .addHelpText('after', '\nExamples:\n  kiln workers\n  kiln workers --addr unix:///run/buildkit/buildkitd.sock')
    .action(async () => {
      const client = await connectFromOptions(globals(), io);
      try {
        const workers = await client.listWorkers();
        const rows = [['ID', 'PLATFORMS']];
        for (const w of workers) rows.push([w.id, w.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`).join(',')]);
        println(io.stdout, table(rows));
      } finally {
        await client.close();
      }
    });
}

/** `kiln du`: build cache disk usage. */
export function duCommand(io: CliIO, globals: Globals): Command {
  return new Command('du')
    .description('show build cache disk usage')
    .option('-v, --verbose', 'list every record')
    .addHelpText('after', '\nExamples:\n  kiln du\n  kiln du --verbose')
    .action(async (opts: { verbose?: boolean }) => {
      const client = await connectFromOptions(globals(), io);
      try {
        const records = await client.diskUsage();
        const total = records.reduce((n, r) => n + r.size, 0);
        const reclaimable = records.filter((r) => !r.inUse).reduce((n, r) => n + r.size, 0);
        if (opts.verbose === true) {
          const rows = [['ID', 'SIZE', 'IN USE', 'LAST USED', 'DESCRIPTION']];
          for (const r of [...records].sort((a, b) => b.size - a.size)) {
            rows.push([r.id.slice(0, 25), formatBytes(r.size), r.inUse ? 'yes' : '', r.lastUsedAt?.toISOString() ?? '', r.description]);
          }
          println(io.stdout, table(rows));
          println(io.stdout);
        }
        println(io.stdout, `Records:      ${records.length}`);
        println(io.stdout, `Reclaimable:  ${formatBytes(reclaimable)}`);
        println(io.stdout, `Total:        ${formatBytes(total)}`);
      } finally {
        await client.close();
      }
    });
}

/** `kiln prune`: remove build cache. */
export function pruneCommand(io: CliIO, globals: Globals): Command {
  return new Command('prune')
    .description('remove build cache')
    .option('-a, --all', 'remove all cache, including internal and frontend references')
    .option('--keep-storage <size>', 'keep this much cache (e.g. 10GB)', (v: string) => {
      const n = parseBytes(v);
      if (n === undefined) throw new InvalidArgumentError(`"${v}" is not a size; use e.g. 512MB, 10GB or 1073741824`);
      return n;
    })
    .option('--keep-duration <duration>', 'keep cache used within this time (e.g. 24h, 7d)', (v: string) => {
      const n = parseDuration(v);
      if (n === undefined) throw new InvalidArgumentError(`"${v}" is not a duration; use e.g. 90m, 24h or 7d`);
      return n;
    })
    .addHelpText('after', '\nExamples:\n  kiln prune\n  kiln prune --all\n  kiln prune --keep-storage 10GB --keep-duration 7d')
    .action(async (opts: { all?: boolean; keepStorage?: number; keepDuration?: number }) => {
      const client = await connectFromOptions(globals(), io);
      try {
        const removed = await client.prune({
          all: opts.all === true,
          ...(opts.keepStorage === undefined ? {} : { keepBytes: opts.keepStorage }),
          ...(opts.keepDuration === undefined ? {} : { keepDurationMs: opts.keepDuration }),
        });
        const total = removed.reduce((n, r) => n + r.size, 0);
        println(io.stdout, `Removed ${removed.length} record${removed.length === 1 ? '' : 's'}, reclaimed ${formatBytes(total)}`);
      } finally {
        await client.close();
      }
    });
}
