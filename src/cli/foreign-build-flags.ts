import { Option, type Command } from 'commander';
import { KilnError } from '../errors.js';

/** A `docker buildx build` / `buildctl build` flag kiln does not take, and what a kiln user does instead. */
interface ForeignFlag {
  /** The flags as commander declares them (`-f, --file <path>`, `--pull`). */
  readonly flags: string;
  /** Where it comes from. */
  readonly from: 'buildx' | 'buildctl';
  readonly instead: string;
}

const FRONTEND = 'kiln compiles the module\'s Image to LLB itself and needs no frontend; a Dockerfile is built through a module: export default Image.fromDockerfile(\'Dockerfile\')';

const FOREIGN_FLAGS: readonly ForeignFlag[] = [
  {
    flags: '--build-arg <name=value>',
    from: 'buildx',
    instead: 'kiln builds the Image your module exports: read the value there (process.env.NAME, run as NAME=value kiln build …); for a Dockerfile, Image.fromDockerfile(path, { buildArgs: { NAME: value } })',
  },
  {
    flags: '-f, --file <path>',
    from: 'buildx',
    instead: 'the module is kiln build\'s argument (kiln build image.ts[:export]); a Dockerfile is built through a module: export default Image.fromDockerfile(\'path/Dockerfile\')',
  },
  { flags: '--target <stage>', from: 'buildx', instead: 'pick the image by its export (kiln build image.ts:exportName); a Dockerfile stage: Image.fromDockerfile(path, { target: \'stage\' })' },
  { flags: '--label <name=value>', from: 'buildx', instead: 'set labels in the module: image.label(\'name\', \'value\') or image.labels({ … })' },
  { flags: '--pull', from: 'buildx', instead: 'pin base images to their registry digests with --lock (kiln.lock.json; run --lock again to move them), or name a digest in the module' },
  { flags: '--network <mode>', from: 'buildx', instead: 'set it on the step that needs it: runCommands(cmd, { network: \'host\' | \'none\' }) (kiln asks for network.host itself)' },
  { flags: '--add-host <host:ip>', from: 'buildx', instead: 'set it on the step that needs it: runCommands(cmd, { hosts: { host: \'ip\' } })' },
  { flags: '--build-context <name=path>', from: 'buildx', instead: 'bring files in from the module (addLocalDir, addLocalFile, copyFrom another Image); --context DIR sets where local paths start' },
  { flags: '--call <method>', from: 'buildx', instead: 'kiln has no frontend to query: kiln llb image.ts prints what kiln build sends, kiln dockerfile image.ts the equivalent Dockerfile' },
  { flags: '--check', from: 'buildx', instead: 'kiln checks the image when the module builds it (every method validates its arguments); kiln llb image.ts compiles it without building' },
  { flags: '--builder <name>', from: 'buildx', instead: 'name the buildx builder with BUILDX_BUILDER=NAME (kiln follows it, and the builder docker buildx use made current), or give a daemon address with --addr or BUILDKIT_HOST' },
  { flags: '--frontend <name>', from: 'buildctl', instead: FRONTEND },
  { flags: '--opt <key=value>', from: 'buildctl', instead: `${FRONTEND}; build-arg:NAME=V and target=S go to Image.fromDockerfile(path, { buildArgs, target }), platform=P is --platform` },
  { flags: '--local <name=dir>', from: 'buildctl', instead: 'the module names the local files it adds (addLocalDir, addLocalFile); --context DIR sets where their paths start' },
  { flags: '--export-cache <spec>', from: 'buildctl', instead: 'use --cache-to with the same spec' },
  { flags: '--import-cache <spec>', from: 'buildctl', instead: 'use --cache-from with the same spec' },
];

/** Adds the flags of {@link FOREIGN_FLAGS} to `kiln build`, hidden from its help. */
export function addForeignBuildFlags(command: Command): Command {
  for (const f of FOREIGN_FLAGS) command.addOption(new Option(f.flags).hideHelp());
  return command;
}

/**
 * Refuses the first `docker buildx build` / `buildctl build` flag that was given, saying what kiln does instead
 * (commander alone would answer "unknown option", or worse, nothing for a flag it took).
 */
export function refuseForeignBuildFlags(command: Command): void {
  for (const f of FOREIGN_FLAGS) {
    const option = command.options.find((o) => o.flags === f.flags);
    if (option === undefined || command.getOptionValue(option.attributeName()) === undefined) continue;
    const name = option.long ?? f.flags;
    throw new KilnError('invalid_argument', `kiln build has no ${name} (${f.from === 'buildx' ? 'a docker buildx build' : 'a buildctl build'} flag)`, {
      hint: `Instead: ${f.instead}.`,
    });
  }
}
