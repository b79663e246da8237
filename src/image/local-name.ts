/**
 * The name a local directory is known by in the LLB (`local://<name>`) and in the `dir-name` header the daemon sends
 * back when it pulls it. gRPC headers carry printable ASCII only: BuildKit before v0.12 sends other characters as
 * they are and grpc-js drops the whole header ("Failed to add metadata entry dir-name"), so the session cannot tell
 * which directory is asked for; later BuildKit percent-encodes it. A directory whose path has non-ASCII characters
 * (`données`, an NFD name from macOS) is therefore named with them percent-encoded (and `%` itself), so the header
 * is the same on every daemon. ASCII names are unchanged.
 */
export function headerSafeName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (ch >= ' ' && ch <= '~' && ch !== '%') out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
