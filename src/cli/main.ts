import { runCli } from './program.js';
import { EXIT } from './report-error.js';

// A reader that stops early (`kiln info | head`, `kiln build … 2>&1 | head`) closes the pipe: end at once and quietly,
// as a Unix tool killed by SIGPIPE does, and with its status (141), not 0: a build cut short this way did not finish
// (the daemon cancels it when kiln's connection goes). A status set before (the command had finished) stays.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.brokenPipe);
    throw err;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
