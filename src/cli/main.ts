import * as nodeModule from 'node:module';
import { debugRequested } from './debug-flag.js';

// Node ≥ 22.1 keeps the V8 code it compiles for kiln's modules (and the user's) on disk, and the next run starts from
// it: a cached `kiln build` takes ~10% less CPU (0.30 → 0.27 s on Node 22.23). Where it goes is Node's choice
// (NODE_COMPILE_CACHE, else node-compile-cache under the OS temp directory; NODE_DISABLE_COMPILE_CACHE=1 turns it
// off). Node 20 has no such cache.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const argv = process.argv.slice(2);
// Before the rest of the CLI loads (everything it imports, kiln's errors included, is imported here after this line):
// Node reads a module's source map only when the module loads with source maps on, and a run without --debug reads
// none (debug-flag.ts).
if (debugRequested(argv)) process.setSourceMapsEnabled(true);
const [{ exitOnBrokenPipe }, { runCli }, { removeStagingPathsNow }] = await Promise.all([
  import('./broken-pipe.js'),
  import('./program.js'),
  import('../session/staging-paths.js'),
]);
exitOnBrokenPipe([process.stdout, process.stderr]);
// An exit before an export's cleanup ran (a lost output's deadline, an uncaught error) leaves no .kiln-tmp-* behind.
process.on('exit', removeStagingPathsNow);
const code = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  // A getter: process.stdin is opened only by the command that reads it.
  get stdin() {
    return process.stdin;
  },
});
process.exitCode = code;
