import { Command, Option } from 'commander';
import { DEFAULT_STOP_TIMEOUT_SECONDS, type ProcessSignal } from '../../client/process-control.js';
import { PROGRESS_MODES } from '../../progress/renderer.js';
import type { CliIO, GlobalOptions } from '../context.js';
import { parseStopSignal } from '../stop-signal-flag.js';
import { parseStopTimeout } from '../stop-timeout-flag.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `kiln run`'s flags. */
export interface RunFlags {
  env?: string[];
  workdir?: string;
  user?: string;
  platform?: string;
  context?: string;
  secret?: string[];
  progress?: string;
  noCache?: boolean;
  cache?: boolean;
  interactive?: boolean;
  tty?: boolean;
  stopTimeout?: number;
  stopSignal?: ProcessSignal;
}


/** `kiln run <module>[:export] [-- command…]`: build the Image and run a command in it on the daemon. */
export function runCommand(io: CliIO, globals: () => GlobalOptions): Command {
  return new Command('run')
    .description('build the Image a module exports and run a command in it on the BuildKit daemon (no Docker needed); exits with the command\'s exit code')
    .argument('<module>', 'module exporting an Image: file.ts, or file.ts:exportName')
    .argument('[command...]', 'the command and its arguments, after -- (default: the image\'s entrypoint and cmd)')
    .option('-i, --interactive', 'forward stdin to the command even when it is a terminal (a pipe always is)')
    .option('-t, --tty', 'give the command a terminal, of kiln\'s terminal\'s size (with -i: raw keys, Ctrl-C goes to the command)')
    .option('-e, --env <KEY=VALUE>', 'set a variable for the command, on top of the image\'s ENV (repeatable)', collect)
    .option('-w, --workdir <dir>', 'working directory of the command (default: the image\'s WORKDIR)')
    .option('-u, --user <user>', 'user to run the command as: name, uid or uid:gid (default: the image\'s USER)')
    .option('--platform <platform>', 'platform to build and run, e.g. linux/amd64 (default: the daemon\'s)')
    .option('--context <dir>', 'directory local paths are relative to; the module runs there (default: the current directory)')
    .option('--secret <spec>', 'build secret: id=ID[,src=FILE|,env=VAR] (repeatable)', collect)
    .option('--stop-timeout <seconds>', `seconds the command has to exit after a passed SIGINT/SIGTERM/SIGHUP before it is killed, as docker stop (-1: never; BuildKit v0.10+)`, parseStopTimeout, DEFAULT_STOP_TIMEOUT_SECONDS)
    .option('--stop-signal <signal>', 'signal sent to the command when kiln is asked to stop (SIGINT/SIGTERM/SIGHUP), as docker run --stop-signal (default: the image\'s STOPSIGNAL, else the signal kiln got; BuildKit v0.10+)', parseStopSignal)
    .option('--no-cache', 'do not use the build cache')
    .addOption(new Option('--progress <mode>', 'build progress on stderr (quiet: none)').choices([...PROGRESS_MODES]).default('auto'))
    .addHelpText(
      'after',
      '\nThe command runs in a throwaway container made from the built image (what it writes is not kept), with the\n' +
        "image's ENV, WORKDIR and USER. stdin is forwarded when it is not a terminal (with -i always). Ctrl-C or\n" +
        'SIGTERM is passed to the command where the daemon can send signals (BuildKit v0.10+), as --stop-signal or the\n' +
        "image's STOPSIGNAL when one is set; if it has not exited --stop-timeout seconds later (default 10) it is killed\n" +
        '(SIGKILL, exit 137), and a second signal stops it at once. On dockerd 20.10 (BuildKit v0.8) signals cannot be\n' +
        'passed: the first one stops it (no grace period), and --stop-signal is refused.\n' +
        'kiln exits with the command\'s code, as docker run: 127 when it is not found, 126 when it cannot be executed (as its user),\n' +
        '128+n when a signal n ended it. -it is docker run -it: a shell in the image.\n\n' +
        'Examples:\n  kiln run -it image.ts -- bash\n  kiln run image.ts -- python -c "import torch; print(torch.__version__)"\n  kiln run image.ts:gpu -e DEBUG=1 -- env\n  echo \'print(1)\' | kiln run image.ts -- python -',
    )
    .action(async (moduleArg: string, command: string[], opts: RunFlags) => {
      const { runRun } = await import('./run-action.js');
      await runRun(io, globals, moduleArg, command, opts);
    });
}
