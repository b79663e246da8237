import { exitOnBrokenPipe } from './broken-pipe.js';
import { runCli } from './program.js';

exitOnBrokenPipe([process.stdout, process.stderr]);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
