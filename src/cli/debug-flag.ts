/**
 * Whether a kiln command line asks for `--debug`, read before commander parses it: main.ts turns Node's source-map
 * support on then, before the CLI's code loads, so that stack traces point at kiln's TypeScript sources
 * (`src/…ts:LINE`) instead of the bundled chunks (`dist/chunks/…-HASH.js:LINE`). Node maps only the modules that load
 * after it is turned on, and reading the maps costs CPU that a run without --debug does not spend.
 *
 * `--debug` is a global option, which commander takes anywhere before `--`. An option value that happens to be
 * `--debug` (`--build-arg --debug`) turns the maps on too: harmless, it costs only the time to read them.
 *
 * Internal module.
 */
export function debugRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--debug');
}
