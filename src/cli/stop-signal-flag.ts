/**
 * The value of a stop signal flag (`kiln run --stop-signal`, `kiln build --on-failure-stop-signal`): the signal a
 * command is sent when kiln is asked to stop, as `docker run --stop-signal` takes it.
 */
import { InvalidArgumentError } from 'commander';
import { NOT_A_PROCESS_SIGNAL, parseProcessSignal, type ProcessSignal } from '../client/process-control.js';

/** A signal name (`SIGQUIT`, `QUIT`, `SIGRTMIN+3`) or number; anything else is refused by the option parser (exit 2). */
export function parseStopSignal(value: string): ProcessSignal {
  const signal = parseProcessSignal(value);
  if (signal === undefined) throw new InvalidArgumentError(`"${value}" ${NOT_A_PROCESS_SIGNAL}`);
  return signal;
}
