/** Helpers for fitting arbitrary build output into fixed-width terminal lines. */

// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Removes ANSI escape sequences (colours, cursor movement, titles). */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '');
}

/** What a terminal shows of a line a program redrew with `\r` (a progress bar): the text after the last one. */
function afterLastCarriageReturn(text: string): string {
  const line = text.replace(/\r+$/, '');
  return line.slice(line.lastIndexOf('\r') + 1);
}

// eslint-disable-next-line no-control-regex
const SGR = /^\u001b\[[0-9;:]*m$/;

/**
 * Makes one line of a step's output safe to write to a terminal below the live view (the failure block): what the
 * terminal would have shown of it after the last carriage return (a progress bar redrawn with `\r` would otherwise
 * overwrite the line's `#N` prefix), colours kept and closed at the end of the line so they cannot spill into what
 * follows, every other escape sequence (cursor movement, clearing the screen, titles) and control character dropped.
 */
export function terminalLine(raw: string): string {
  const line = afterLastCarriageReturn(raw);
  // Text between escape sequences loses its control characters (a stray ESC among them); of the sequences, colours stay.
  // eslint-disable-next-line no-control-regex
  const visible = (part: string): string => part.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '');
  let out = '';
  let coloured = false;
  let from = 0;
  for (const m of line.matchAll(ESCAPE_SEQUENCE)) {
    out += visible(line.slice(from, m.index));
    if (SGR.test(m[0])) {
      out += m[0];
      coloured = true;
    }
    from = m.index + m[0].length;
  }
  out += visible(line.slice(from));
  return coloured ? `${out}\u001b[0m` : out;
}

/** A step name for one terminal line: escape sequences and control characters dropped, line breaks and tabs as spaces. */
export function terminalName(name: string): string {
  return stripAnsi(name)
    .replace(/[\t\r\n]/g, ' ')
    .replace(CONTROL, '');
}

/**
 * Makes one log line safe to show inside a redrawn frame: keeps only what a terminal would show
 * after the last carriage return (progress bars redraw with `\r`), drops escape sequences and
 * control characters, and expands tabs to 8-column stops.
 */
export function sanitizeLogLine(text: string): string {
  const line = stripAnsi(afterLastCarriageReturn(text)).replace(CONTROL, '');
  if (!line.includes('\t')) return line;
  let out = '';
  let col = 0;
  for (const ch of line) {
    if (ch === '\t') {
      const pad = 8 - (col % 8);
      out += ' '.repeat(pad);
      col += pad;
    } else {
      out += ch;
      col += charWidth(ch.codePointAt(0) ?? 0);
    }
  }
  return out;
}

/** Columns a code point occupies: 0 for combining marks, 2 for wide East Asian and emoji, else 1. */
export function charWidth(cp: number): number {
  if (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0x200b ||
    cp === 0x200d
  ) {
    return 0;
  }
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Columns `text` occupies (no escape sequences expected). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/** The longest prefix of `text` that fits in `width` columns. */
export function truncateToWidth(text: string, width: number): string {
  if (width <= 0) return '';
  let used = 0;
  let out = '';
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (used + w > width) break;
    out += ch;
    used += w;
  }
  return out;
}

/** `text` cut or right-padded with spaces to exactly `width` columns. */
export function fitToWidth(text: string, width: number): string {
  const cut = truncateToWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}
