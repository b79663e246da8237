import { Command } from 'commander';
import { applyDefinitionPolicies } from '../../client/definition-policies.js';
import { KilnError } from '../../errors.js';
import { Image } from '../../image/image.js';
import { DEFAULT_LOCK_FILE, lockFilePath, readImageLock } from '../../image/lock-file.js';
import { Definition, dumpLLB, formatDumpLLB, parseSourceDateEpoch } from '../../llb/index.js';
import { resolveImageDefinition } from '../../image/build-image.js';
import { shellQuote } from '../../image/shell.js';
import { connectFromOptions, println, type CliIO, type GlobalOptions } from '../context.js';
import { expandHomePath } from '../../home-path.js';
import { contextDir, loadModule, parseModuleRef, pickExport } from '../load-module.js';

function isImage(value: unknown): value is Image {
  return value instanceof Image;
}

const CONTEXT_HELP = 'directory local paths are relative to; the module runs there (default: the current directory)';

async function loadImage(io: CliIO, moduleArg: string, context: string | undefined): Promise<Image> {
  const ref = parseModuleRef(moduleArg);
  return pickExport(await loadModule(ref, io.cwd, contextDir(io, context)), ref, isImage, 'Image');
}

/** `kiln llb <module>`: the marshalled Definition (offline), its dump-llb view, or its digest. */
export function llbCommand(io: CliIO, globals: () => GlobalOptions): Command {
  return new Command('llb')
    .description('print the LLB Definition of the Image a module exports (offline, or with --resolve as kiln build sends it)')
    .argument('<module>', 'module exporting an Image: file.ts, or file.ts:exportName')
    .option('--json', 'one JSON object per op, like `buildctl debug dump-llb`')
    .option('--digest', "print only the image digest (the Image's identity: lock pins and SOURCE_DATE_EPOCH do not change it)")
    .option('--resolve', "compile against the daemon (--addr/BUILDKIT_HOST) as kiln build does: base images' env, user and shell, their digests pinned, the daemon's platform and caps")
    .option('--platform <os/arch>', 'with --resolve: the platform to compile for (default: the daemon\'s)')
    .option('--config', 'with --resolve: print the OCI image config kiln build exports instead (ENV, WORKDIR, CMD… are not part of LLB)')
    .option('--lock-file <file>', `pin base images to the digests of this lock file (default: ${DEFAULT_LOCK_FILE} beside the module, when present)`)
    .option('--context <dir>', CONTEXT_HELP)
    .addHelpText(
      'after',
      '\nWithout --resolve the Definition is compiled offline, for linux/amd64: it is the image\'s identity, but its steps\n' +
        'lack what the base images\' configs set (PATH, user, shell), which kiln build reads from the daemon. With --resolve\n' +
        'it is what `kiln build` sends, and stderr lists its local sources as buildctl\'s --local NAME=DIR. Either way base\n' +
        'images are pinned by the lock file and file times set to SOURCE_DATE_EPOCH when it is set.\n\n' +
        'Another client building the LLB (buildctl) makes the filesystem only: the image config (ENV, WORKDIR, CMD…) is\n' +
        'not LLB, and kiln build hands it to the exporter itself; --resolve --config prints it.\n\n' +
        'Examples:\n  kiln llb image.ts --resolve | buildctl build --local app@5d15d999bdca=./app --output type=local,dest=rootfs\n  kiln llb image.ts --resolve --config > config.json\n  kiln llb image.ts > image.llb\n  kiln llb image.ts --json | jq .\n  kiln llb image.ts:gpu --digest\n  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) kiln llb image.ts | buildctl build --local …',
    )
    .action(async (moduleArg: string, opts: { json?: boolean; digest?: boolean; resolve?: boolean; platform?: string; config?: boolean; lockFile?: string; context?: string }) => {
      const context = contextDir(io, opts.context);
      if (opts.platform !== undefined && opts.resolve !== true) {
        throw new KilnError('invalid_argument', '--platform needs --resolve (the offline definition is for linux/amd64)');
      }
      if (opts.platform?.includes(',') === true) {
        throw new KilnError('invalid_argument', `kiln llb prints one platform's definition, and --platform ${opts.platform} names several`, {
          hint: 'Run it once per platform (--resolve --platform linux/arm64); kiln build --platform a,b builds them together.',
        });
      }
      const image = await loadImage(io, moduleArg, opts.context);
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
    });
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

/** `kiln dockerfile <module>`: the equivalent Dockerfile. */
export function dockerfileCommand(io: CliIO): Command {
  return new Command('dockerfile')
    .description('print the Dockerfile equivalent to the Image a module exports')
    .argument('<module>', 'module exporting an Image: file.ts, or file.ts:exportName')
    .option('--context <dir>', CONTEXT_HELP)
    .addHelpText('after', '\nExamples:\n  kiln dockerfile image.ts > Dockerfile\n  kiln dockerfile app/image.ts --context app > app/Dockerfile   # docker build app')
    .action(async (moduleArg: string, opts: { context?: string }) => {
      const context = contextDir(io, opts.context);
      const image = await loadImage(io, moduleArg, opts.context);
      io.stdout.write(image.toDockerfile({ context }).replace(/\n?$/, '\n'));
    });
}
