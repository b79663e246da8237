/**
 * The value of a stop timeout flag (`kiln run --stop-timeout`, `kiln build --on-failure-stop-timeout`): the seconds a
 * command has to exit after a passed stop signal before it is killed, as `docker stop -t` takes them.
 */
import { InvalidArgumentError } from 'commander';

/** Whole seconds (0: kill at once), or -1 (never kill); anything else is refused by the option parser (exit 2). */
export function parseStopTimeout(value: string): number {
  const n = /^(-1|\d+)$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not a number of seconds; use e.g. 10, 0 (kill at once) or -1 (never kill)`);
  return n;
}
