/**
 * File names a Linux daemon may send that a Windows disk cannot hold as they are. Windows reads `\` as a path
 * separator (a name `a\..\..\x` would climb out of the export), `a:b` as the stream `b` of the file `a`, `con`,
 * `nul`, `com1`… (with any extension) as devices, and drops a trailing dot or space (`x.` is `x`); `< > " | ? *` and
 * control characters are refused by the filesystem. fsutil's receiver on Windows refuses a path with `\` the same
 * way ("unrepresentable path"); the others it leaves to the filesystem.
 */

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** What makes `name` (one path segment) unwritable on Windows, or undefined when Windows can hold it. */
export function windowsNameProblem(name: string): string | undefined {
  if (name.includes('\\')) return 'contains "\\", which Windows reads as a path separator';
  const bad = /[<>:"|?*\u0000-\u001f]/u.exec(name);
  if (bad !== null) {
    const ch = bad[0];
    const shown = ch.charCodeAt(0) < 0x20 ? `the control character U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : `"${ch}"`;
    return `contains ${shown}, which Windows file names cannot hold${ch === ':' ? ' (a:b is the stream b of the file a there)' : ''}`;
  }
  if (/[. ]$/.test(name)) return 'ends in a dot or a space, which Windows drops from file names';
  if (RESERVED.test(name)) return 'is a device name on Windows (CON, PRN, AUX, NUL, COM1-9 and LPT1-9, with any extension)';
  return undefined;
}

/** The key under which Windows (case-insensitive by default) finds a path: names that differ only in case share it. */
export function windowsCaseKey(path: string): string {
  return path.toUpperCase();
}
