/**
 * `kiln run -it`'s side of the user's terminal: raw mode while the command runs (keys, Ctrl-C included, go to the
 * container's terminal as they are typed), restored on every way out — the command's exit, an error, a stop signal,
 * and kiln's own exit (a `process.on('exit')` guard, for a crash) — and the terminal's size, at start and on each
 * resize (SIGWINCH), sent to the command.
 */
import { spawnSync } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { RunningProcess, TerminalSize } from '../client/process-control.js';
import { KilnError } from '../errors.js';

/** A terminal input stream (`process.stdin` when it is a tty). */
export type TerminalInput = Readable & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown; fd?: number };

/** A terminal output stream (`process.stdout` when it is a tty): its size and its `resize` event. */
export type TerminalOutput = Writable & { isTTY?: boolean; columns?: number; rows?: number };

/** The size of `out` when it is a terminal that knows it. */
export function terminalSize(out: TerminalOutput): TerminalSize | undefined {
  if (out.isTTY !== true || out.columns === undefined || out.rows === undefined || out.columns < 1 || out.rows < 1) return undefined;
  return { columns: out.columns, rows: out.rows };
}

/**
 * Puts `input` in raw mode, if it is a terminal and not raw already; the returned function restores it (once).
 *
 * Raw as `docker run -it` makes it (cfmakeraw): output processing off too. Node's raw mode keeps the terminal turning
 * each `\n` written to it into `\r\n` (OPOST, ONLCR), and the container's terminal has already done that: the user's
 * terminal would receive `\r\r\n` for each line the command prints. Node has no call for it, so `stty -opost` does it on
 * the same terminal; Node's restore puts back every setting it saved on entering raw mode, this one included.
 */
export function enterRawMode(input: TerminalInput): () => void {
  if (input.isTTY !== true || typeof input.setRawMode !== 'function' || input.isRaw === true) return () => {};
  input.setRawMode(true);
  // Windows consoles have no termios (and no stty); a terminal without stty keeps Node's raw mode, as before.
  if (process.platform !== 'win32' && typeof input.fd === 'number') spawnSync('stty', ['-opost'], { stdio: [input.fd, 'ignore', 'ignore'] });
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    try {
      input.setRawMode?.(false);
    } catch {
      // The terminal is gone (closed window): nothing to restore.
    }
  };
  process.on('exit', restore);
  return restore;
}

/** Sends `out`'s size to `command` on each resize until the returned function is called. */
export function forwardResizes(out: TerminalOutput, command: RunningProcess): () => void {
  const onResize = (): void => {
    const size = terminalSize(out);
    if (size !== undefined) command.resize(size);
  };
  out.on('resize', onResize);
  return () => {
    out.off('resize', onResize);
  };
}

/**
 * Whether kiln can give a command the user's terminal: its stdin and stdout are both one (`kiln build
 * --on-failure=shell` then opens a tty shell; otherwise the shell reads a pipe).
 */
export function isInteractiveTerminal(input: TerminalInput | undefined, out: TerminalOutput): input is TerminalInput {
  return input?.isTTY === true && out.isTTY === true;
}

/** The user's terminal while a command has it ({@link attachTerminal}). */
export interface TerminalAttachment {
  /** `input` is in raw mode: the terminal no longer turns `\n` into `\r\n`, so kiln's own lines end in `\r\n`. */
  readonly raw: boolean;
  /** Gives the terminal back (raw mode off, resizes no longer sent); may be called more than once. */
  detach(): void;
}

/**
 * Hands the user's terminal to `command` while it runs (`kiln run -it`, `kiln build --on-failure=shell`): `input` in
 * raw mode when it is a terminal, and `out`'s resizes sent to the command, until the attachment is detached.
 */
export function attachTerminal(input: TerminalInput | undefined, out: TerminalOutput, command: RunningProcess): TerminalAttachment {
  const restore = input?.isTTY === true ? enterRawMode(input) : () => {};
  const stopResizes = forwardResizes(out, command);
  let raw = input?.isTTY === true;
  return {
    get raw() {
      return raw;
    },
    detach() {
      raw = false;
      stopResizes();
      restore();
    },
  };
}

/**
 * The refusal of a flag that gives a command the user's terminal when kiln's stdin is none (as docker's "the input
 * device is not a TTY"): `flag` gives `receiver` a terminal; `without` says what happens without the flag.
 */
export function stdinNotATerminal(flag: string, receiver: string, without: string): KilnError {
  return new KilnError('invalid_argument', `the input device is not a TTY: ${flag} gives ${receiver} a terminal, and kiln's stdin is not one`, {
    hint: `Run kiln from a terminal, or drop ${flag} (${without}).`,
    details: { reason: 'stdin_not_a_tty' },
  });
}
