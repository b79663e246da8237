import { applyDefinitionPolicies } from '../../client/definition-policies.js';
import { KilnError } from '../../errors.js';
import { lockFilePath, readImageLock } from '../../image/lock-file.js';
import { Definition, dumpLLB, formatDumpLLB, parseSourceDateEpoch } from '../../llb/index.js';
import { resolveImageDefinition } from '../../image/build-image.js';
import { shellQuote } from '../../image/shell.js';
import { connectFromOptions, println, type CliIO, type GlobalOptions } from '../context.js';
import type { LlbFlags } from './inspect.js';
import { expandHomePath } from '../../home-path.js';
import { loadImage } from '../load-image.js';
import { contextDir, parseModuleRef } from '../load-module.js';

/** What `kiln llb <module>` does once its arguments are parsed. */
export async function runLlb(io: CliIO, globals: () => GlobalOptions, moduleArg: string, opts: LlbFlags): Promise<void> {
  const context = contextDir(io, opts.context);
  if (opts.platform !== undefined && opts.resolve !== true) {
    throw new KilnError('invalid_argument', '--platform needs --resolve (the offline definition is for linux/amd64)');
  }
  if (opts.platform?.includes(',') === true) {
    throw new KilnError('invalid_argument', `kiln llb prints one platform's definition, and --platform ${opts.platform} names several`, {
      hint: 'Run it once per platform (--resolve --platform linux/arm64); kiln build --platform a,b builds them together.',
    });
  }
  const image = await loadImage(parseModuleRef(moduleArg), io.cwd, context);
  if (opts.digest === true) {
    println(io.stdout, image.digest({ context }));
    return;
  }
  const lockPath = lockFilePath(io.cwd, parseModuleRef(moduleArg).path, opts.lockFile === undefined ? undefined : expandHomePath(opts.lockFile, io.env));
  const lock = await readImageLock(lockPath);
  if (lock === undefined && opts.lockFile !== undefined) {
    throw new KilnError('invalid_argument', `--lock-file ${opts.lockFile} does not exist (looked for ${lockPath})`, {
      hint: 'Write one with `kiln build --lock`, or leave --lock-file out.',
    });
  }
  if (opts.config === true && opts.resolve !== true) {
    throw new KilnError('invalid_argument', "--config needs --resolve (the image config starts from the base images' configs, read from the daemon)");
  }
  const epoch = parseSourceDateEpoch(process.env['SOURCE_DATE_EPOCH']);
  if (opts.resolve === true) {
    const client = await connectFromOptions(globals(), io);
    try {
      const resolved = await resolveImageDefinition(client, image, {
        context,
        ...(lock === undefined ? {} : { lock }),
        ...(opts.platform === undefined ? {} : { platform: opts.platform }),
        ...(epoch === undefined ? {} : { sourceDateEpoch: epoch }),
      });
      notePinned(io, resolved.bases.filter((b) => b.locked).length, lockPath);
      if (opts.config === true) {
        println(io.stdout, JSON.stringify(resolved.config, null, 2));
        return;
      }
      if (resolved.locals.length > 0) {
        println(io.stderr, `kiln llb: local sources (buildctl: ${resolved.locals.map((l) => `--local ${shellQuote(`${l.name}=${l.path}`)}`).join(' ')})`);
      }
      writeDefinition(io, resolved.definition, opts.json === true);
    } finally {
      await client.close();
    }
    return;
  }
  const applied = applyDefinitionPolicies(image.definition({ context }), {
    ...(lock === undefined ? {} : { imagePins: lock, defaultPlatform: 'linux/amd64' }),
    ...(epoch === undefined ? {} : { sourceDateEpoch: epoch }),
  });
  // A Definition in, a Definition out (policies only decode bytes or foreign objects).
  const def = applied.definition;
  if (!(def instanceof Definition)) throw new KilnError('internal', 'definition policies returned something other than a Definition');
  notePinned(io, applied.pinned.length, lockPath);
  writeDefinition(io, def, opts.json === true);
}

/** What `kiln dockerfile <module>` does once its arguments are parsed. */
export async function runDockerfile(io: CliIO, moduleArg: string, opts: { context?: string }): Promise<void> {
  const context = contextDir(io, opts.context);
  const image = await loadImage(parseModuleRef(moduleArg), io.cwd, context);
  io.stdout.write(image.toDockerfile({ context }).replace(/\n?$/, '\n'));
}

/** Says on stderr how many base images the lock file pinned, if any. */
function notePinned(io: CliIO, count: number, lockPath: string): void {
  if (count > 0) println(io.stderr, `kiln llb: ${count} base image${count === 1 ? '' : 's'} pinned by ${lockPath}`);
}

/** The definition as dump-llb JSON lines, or its bytes (never to a terminal). */
function writeDefinition(io: CliIO, def: Definition, json: boolean): void {
  if (json) {
    // Go's JSON, as dump-llb prints it: file times past 2^53 ns (SOURCE_DATE_EPOCH) are bigints JSON.stringify refuses.
    io.stdout.write(formatDumpLLB(dumpLLB(def)));
    return;
  }
  if (io.stdout.isTTY === true) {
    throw new KilnError('invalid_argument', 'refusing to write a binary Definition to a terminal', {
      hint: 'Redirect it (kiln llb image.ts > image.llb, or pipe it to buildctl build) or use --json.',
    });
  }
  io.stdout.write(Buffer.from(def.toBytes()));
}
