import { Command } from 'commander';
import { KilnError } from '../../errors.js';
import { Image } from '../../image/image.js';
import { dumpLLB } from '../../llb/index.js';
import { println, type CliIO } from '../context.js';
import { loadModule, parseModuleRef, pickExport } from '../load-module.js';

function isImage(value: unknown): value is Image {
  return value instanceof Image;
}

async function loadImage(io: CliIO, moduleArg: string): Promise<Image> {
  const ref = parseModuleRef(moduleArg);
  return pickExport(await loadModule(ref, io.cwd), ref, isImage, 'Image');
}

/** `kiln llb <module>`: the marshalled Definition (offline), its dump-llb view, or its digest. */
export function llbCommand(io: CliIO): Command {
  return new Command('llb')
    .description('print the LLB Definition of the Image a module exports (compiled offline)')
    .argument('<module>', 'module exporting an Image: file.ts, or file.ts:exportName')
    .option('--json', 'one JSON object per op, like `buildctl debug dump-llb`')
    .option('--digest', 'print only the image digest')
    .addHelpText('after', '\nExamples:\n  kiln llb image.ts > image.llb\n  kiln llb image.ts --json | jq .\n  kiln llb image.ts:gpu --digest')
    .action(async (moduleArg: string, opts: { json?: boolean; digest?: boolean }) => {
      const image = await loadImage(io, moduleArg);
      if (opts.digest === true) {
        println(io.stdout, image.digest());
        return;
      }
      const def = image.definition();
      if (opts.json === true) {
        for (const entry of dumpLLB(def)) println(io.stdout, JSON.stringify(entry));
        return;
      }
      if (io.stdout.isTTY === true) {
        throw new KilnError('invalid_argument', 'refusing to write a binary Definition to a terminal', {
          hint: 'Redirect it (kiln llb image.ts > image.llb, or pipe it to buildctl build) or use --json.',
        });
      }
      io.stdout.write(Buffer.from(def.toBytes()));
    });
}

/** `kiln dockerfile <module>`: the equivalent Dockerfile. */
export function dockerfileCommand(io: CliIO): Command {
  return new Command('dockerfile')
    .description('print the Dockerfile equivalent to the Image a module exports')
    .argument('<module>', 'module exporting an Image: file.ts, or file.ts:exportName')
    .addHelpText('after', '\nExamples:\n  kiln dockerfile image.ts > Dockerfile')
    .action(async (moduleArg: string) => {
      const image = await loadImage(io, moduleArg);
      io.stdout.write(image.toDockerfile().replace(/\n?$/, '\n'));
    });
}
