import { Command, Option } from 'commander';
import { FAILED_STEP_STATES } from '../../client/failed-step-types.js';
import { DEFAULT_LOCK_FILE } from '../../image/default-lock-file.js';
import { PROGRESS_MODES } from '../../progress/renderer.js';
import type { CliIO, GlobalOptions } from '../context.js';
import { parseStopSignal } from '../stop-signal-flag.js';
import { parseStopTimeout } from '../stop-timeout-flag.js';
import { addForeignBuildFlags } from '../foreign-build-flags.js';
import type { BuildFlags } from './build-action.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `kiln build <module>[:export]`: build the Image a module exports. */
export function buildCommand(io: CliIO, globals: () => GlobalOptions): Command {
  return addForeignBuildFlags(new Command('build'))
    .description('build the Image exported by a TypeScript or JavaScript module, or the Dockerfile of a git repository')
    .argument('<module>', 'module exporting an Image: file.ts, or file.ts:exportName; or a git repository URL[#REF[:SUBDIR]] whose Dockerfile is built (-f relative to SUBDIR, --target; build args as for docker build)')
    .argument('[command...]', 'with --on-failure=exec: the command to run in the failed step, after --')
    .option('-t, --tag <name>', 'image name (repeatable)', collect)
    .option('--push', 'push the image to its registry (needs --tag)')
    .option('--load', 'load the image into the local Docker')
    .option('-o, --output <spec>', 'type=local,dest=DIR (or just DIR) | type=tar[,dest=FILE|-] (or just -) | type=oci[,dest=FILE|-] | type=docker[,dest=FILE|-] | type=image,name=REF[,push=true]; a tarball without dest goes to stdout (one output per build)', collect)
    .addOption(
      new Option('--progress <mode>', 'progress output (quiet: none, and no summary; the result lines only; none: the same, as buildx spells it)')
        .choices([...PROGRESS_MODES, 'none'])
        .default('auto')
        .env('BUILDKIT_PROGRESS'),
    )
    .option('-q, --quiet', 'no progress; print only the image digest on stdout (= --progress quiet)')
    .option('--iidfile <file>', 'write the image ID to a file (with --load, the ID Docker shows; else the config digest)')
    .option('--no-cache', 'do not use the build cache')
    .option('--secret <spec>', 'build secret: id=ID[,src=FILE|,env=VAR]; id=ID alone reads the variable ID, else the file ID (repeatable)', collect)
    .option('--ssh <spec>', 'SSH agent to forward: default[=SOCKET], ID=SOCKET or ID=KEYFILE[,KEYFILE...] (repeatable)', collect)
    .option('--platform <platform>', 'target platform, e.g. linux/amd64; several (linux/amd64,linux/arm64, or repeated) build one multi-platform image', collect)
    .option('--cache-from <spec>', 'import cache: type=registry,ref=REF | type=local,src=DIR[,tag=T] | type=gha|s3|azblob,… (repeatable)', collect)
    .option('--cache-to <spec>', 'export cache: type=registry,ref=REF,mode=max | type=inline | type=local,dest=DIR[,tag=T,mode=max] | type=gha|s3|azblob,… (repeatable)', collect)
    .option('--allow <entitlement>', 'entitlement to request beyond those the image\'s steps need (kiln requests those itself): network.host or security.insecure (repeatable)', collect)
    .option('--annotation <KEY=VALUE>', 'annotation on the image\'s manifest; TYPE[,TYPE]:KEY=VALUE for manifest, manifest-descriptor, index, index-descriptor (each with an optional [PLATFORM]); checked against what the daemon applies (repeatable)', collect)
    .option('--provenance <value>', 'attach SLSA provenance (BuildKit v0.11+): true (= mode=min), false, mode=min or mode=max (= --attest type=provenance,…)')
    .option('--sbom <value>', 'attach an SPDX SBOM made by a scanner image (BuildKit v0.11+): true (BuildKit\'s default scanner), false, or generator=IMAGE (= --attest type=sbom,…)')
    .option('--attest <spec>', 'attestation: type=provenance[,mode=min|max] or type=sbom[,generator=IMAGE], disabled=true to turn one off (repeatable)', collect)
    .option('--metadata-file <file>', 'write the build result as JSON (digest, tags, exporter response, timing)')
    .option('--context <dir>', 'directory local paths are relative to; the module runs there (default: the current directory)')
    .option('--lock', `resolve every base image to its registry digest and record them in the lock file (${DEFAULT_LOCK_FILE} beside the module); later builds use the recorded digests`)
    .option('--lock-file <file>', `lock file to read and write (default: ${DEFAULT_LOCK_FILE} beside the module)`)
    .option('--frozen-lock', 'fail unless the lock file pins every base image (for CI)')
    .addOption(
      new Option('--on-failure <mode>', 'when a step\'s command fails: shell opens /bin/sh in it (a terminal when stdin and stdout are one; else stdin, stdout and stderr forwarded), exec runs the command given after -- there (no terminal, as docker exec without -t; --on-failure-tty gives one); the first Ctrl-C/SIGTERM/SIGHUP while it runs goes to it (killed if it has not exited --on-failure-stop-timeout seconds later), a second cancels; the build still fails')
        .choices(['shell', 'exec']),
    )
    .addOption(
      new Option('--on-failure-state <state>', 'which state of the failed step --on-failure opens: failed (as its command left it, the default) or initial (before it ran, as buildx debug\'s rollback --init)')
        .choices([...FAILED_STEP_STATES]),
    )
    .option('--on-failure-stop-signal <signal>', 'signal sent to the command --on-failure runs when kiln is asked to stop (SIGINT/SIGTERM/SIGHUP), as kiln run --stop-signal (default: the signal kiln got; BuildKit v0.10+)', parseStopSignal)
    .option('--on-failure-stop-timeout <seconds>', 'seconds the command --on-failure runs has to exit after a passed SIGINT/SIGTERM/SIGHUP before it is killed, as kiln run --stop-timeout (default 10; 0 at once, -1 never; BuildKit v0.10+)', parseStopTimeout)
    .option('--on-failure-tty', 'give the command --on-failure runs a terminal, as docker exec -it (raw keys, resizes; its stderr then comes on stdout): for exec, e.g. python or htop; kiln\'s stdin must be a terminal')
    .option('--watch', 'build, then build again whenever a file the image sends or the module (or a file it imports) changes, until Ctrl-C; a change during a build cancels it and starts again')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  kiln build image.ts -t myapp:dev --load\n' +
        '  kiln build image.ts:gpu --push -t registry.example.com/team/app:1.2\n' +
        '  kiln build image.ts --output type=local,dest=./rootfs --progress plain\n' +
        '  kiln build image.ts --secret id=HF_TOKEN,env=HF_TOKEN --cache-to type=inline -t app:ci --load\n' +
        '  kiln build image.ts --lock -t app:dev --load            # pin base images in kiln.lock.json\n' +
        '  kiln build image.ts -t app:dev --watch                  # rebuild on every change to the app or the module\n' +
        '  kiln build image.ts --push -t registry.example.com/app:1 --provenance=mode=max --sbom=true   # attestations (BuildKit v0.11+)\n' +
        '  kiln build image.ts --on-failure=shell                  # a shell in the step that failed, as it was then\n' +
        '  kiln build image.ts --on-failure=exec -- cat /tmp/build.log\n' +
        '  kiln build image.ts --on-failure=shell --on-failure-state=initial   # the step before its command ran\n' +
        '  kiln build image.ts --on-failure=exec --on-failure-tty -- python3   # a REPL in it, on a terminal\n' +
        '  kiln build https://github.com/org/repo.git#v1.2:docker -f Dockerfile.prod -t app:1.2 --load   # a repository\'s Dockerfile\n' +
        '  kiln build image.ts --cache-from type=local,src=.cache --cache-to type=local,dest=.cache,mode=max   # buildkitd\n' +
        '  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) kiln build image.ts --frozen-lock --push -t registry/app:ci\n' +
        '  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) kiln build image.ts -o type=oci,dest=app.tar,rewrite-timestamp=true   # bit for bit\n' +
        '\nEnvironment: BUILDKIT_HOST, BUILDX_BUILDER, BUILDX_CONFIG, BUILDKIT_PROGRESS, NO_COLOR, FORCE_COLOR, DOCKER_CONFIG, DOCKER_HOST, DOCKER_CONTEXT, SOURCE_DATE_EPOCH\n' +
        '(reproducible timestamps for the files kiln adds and the image config; files written by RUN steps keep their times\n' +
        'unless the output has rewrite-timestamp=true, BuildKit v0.13+), KILN_FORCE_BUILD=1 (same as --no-cache),\n' +
        'KILN_PYTHON_INSTALL_MIRROR (where withPython downloads python-build-standalone when no standaloneMirror is given).\n' +
        '\nBehind a proxy: every step gets the "proxies" of Docker\'s config.json, as with docker build, or those given with\n' +
        '--build-arg HTTP_PROXY=… (HTTPS_PROXY, NO_PROXY, FTP_PROXY, ALL_PROXY; --build-arg NAME alone takes the variable NAME);\n' +
        'they stay out of the image and the cache keys.\n' +
        '\nCache directories (type=local) are OCI layouts kiln serves to the daemon; dockerd 20.10 can import them but not export.',
    )
    // The build's code (the client, the protocol, the renderers) is loaded when a build runs: `kiln build --help` and
    // `kiln --version` need only the command's definition.
    .action(async (moduleArg: string, args: string[], flags: BuildFlags, command: Command) => {
      const { runBuild } = await import('./build-action.js');
      await runBuild(io, globals, moduleArg, { ...flags, ...(args.length === 0 ? {} : { onFailureCommand: args }) }, command);
    });
}
