import { Command, CommanderError, Option } from 'commander';
import { KILN_VERSION } from '../version.js';
import { buildCommand } from './commands/build.js';
import { duCommand, infoCommand, pruneCommand, workersCommand } from './commands/daemon.js';
import { doctorCommand } from './commands/doctor.js';
import { dockerfileCommand, llbCommand } from './commands/inspect.js';
import type { CliIO, GlobalOptions } from './context.js';
import { EXIT, exitCodeFor, formatError } from './report-error.js';
import { ReportedExit } from './reported-exit.js';
import { CommandExit } from './command-exit.js';
import { runCommand } from './commands/run.js';

/** Builds the kiln command tree. Commands only parse arguments and call the library. */
export function createProgram(io: CliIO): Command {
  const program = new Command('kiln');
  // An --addr taken from BUILDKIT_HOST is left to address resolution, which then reports BUILDKIT_HOST as the reason.
  const globals = (): GlobalOptions => {
    const { addr, ...rest } = program.opts<GlobalOptions>();
    return addr === undefined || program.getOptionValueSource('addr') === 'env' ? rest : { ...rest, addr };
  };
  program
    .description('Define container images in TypeScript and build them on BuildKit, without Dockerfiles.')
    .version(KILN_VERSION, '-V, --version', 'print the kiln version')
    .addOption(new Option('--addr <address>', 'BuildKit daemon address (unix://, tcp://, docker://, docker-container://)').env('BUILDKIT_HOST'))
    .option('--tlscacert <file>', 'CA certificate for a tcp:// daemon')
    .option('--tlscert <file>', 'client certificate for a tcp:// daemon')
    .option('--tlskey <file>', 'client key for a tcp:// daemon')
    .option('--tlsservername <name>', 'server name to verify for a tcp:// daemon')
    .option('--debug', 'show stack traces and protocol details on errors')
    .showHelpAfterError('(run kiln --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const cmd of [buildCommand(io, globals), runCommand(io, globals), llbCommand(io, globals), dockerfileCommand(io), infoCommand(io, globals), workersCommand(io, globals), duCommand(io, globals), pruneCommand(io, globals), doctorCommand(io, globals)]) {
    program.addCommand(cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }));
  }
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof ReportedExit) return exitCodeFor(err.reason);
    if (err instanceof CommandExit) return err.exitCode;
    const debug = program.opts<GlobalOptions>().debug === true;
    io.stderr.write(formatError(err, debug));
    return exitCodeFor(err);
  }
}
