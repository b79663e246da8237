/**
 * The end of a command that has already said why it ends, in its own words (`[watch] stopped watching (SIGINT)`: Ctrl-C
 * is how a watch is left, not a failure to report as `error: …`). The CLI prints nothing more and exits with the code
 * `reason` has (report-error.ts's exitCodeFor: 130 for a Ctrl-C, 143 for SIGTERM, …).
 */
export class ReportedExit extends Error {
  override readonly name = 'ReportedExit';
  readonly reason: unknown;

  constructor(reason: unknown) {
    super('the command ended, its reason already shown', { cause: reason });
    this.reason = reason;
  }
}
