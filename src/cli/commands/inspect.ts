import { Command } from 'commander';
import { DEFAULT_LOCK_FILE } from '../../image/default-lock-file.js';
import type { CliIO, GlobalOptions } from '../context.js';

/** `kiln llb`'s flags. */
export interface LlbFlags {
  json?: boolean;
  digest?: boolean;
  resolve?: boolean;
  platform?: string;
  config?: boolean;
  lockFile?: string;
  context?: string;
}

const CONTEXT_HELP = 'directory local paths are relative to; the module runs there (default: the current directory)';

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
    .action(async (moduleArg: string, opts: LlbFlags) => {
      const { runLlb } = await import('./inspect-action.js');
      await runLlb(io, globals, moduleArg, opts);
    });
}

/** `kiln dockerfile <module>`: the equivalent Dockerfile. */
export function dockerfileCommand(io: CliIO): Command {
  return new Command('dockerfile')
    .description('print the Dockerfile equivalent to the Image a module exports')
    .argument('<module>', 'module exporting an Image: file.ts, or file.ts:exportName')
    .option('--context <dir>', CONTEXT_HELP)
    .addHelpText('after', '\nExamples:\n  kiln dockerfile image.ts > Dockerfile\n  kiln dockerfile app/image.ts --context app > app/Dockerfile   # docker build app')
    .action(async (moduleArg: string, opts: { context?: string }) => {
      const { runDockerfile } = await import('./inspect-action.js');
      await runDockerfile(io, moduleArg, opts);
    });
}
