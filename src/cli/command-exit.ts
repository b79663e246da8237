/**
 * The end of a command whose exit code is another program's (`kiln run`: the command's in the container). The CLI
 * prints nothing more and exits with `exitCode`.
 */
export class CommandExit extends Error {
  override readonly name = 'CommandExit';
  readonly exitCode: number;

  constructor(exitCode: number) {
    super(`the command exited with code ${exitCode}`);
    this.exitCode = exitCode;
  }
}
