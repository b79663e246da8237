import { debugRequested } from './debug-flag.js';

const argv = process.argv.slice(2);
// Before the rest of the CLI loads (everything it imports, kiln's errors included, is imported here after this line):
// Node reads a module's source map only when the module loads with source maps on, and a run without --debug reads
// none (debug-flag.ts).
if (debugRequested(argv)) process.setSourceMapsEnabled(true);
const [{ exitOnBrokenPipe }, { runCli }] = await Promise.all([import('./broken-pipe.js'), import('./program.js')]);
exitOnBrokenPipe([process.stdout, process.stderr]);
const code = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
