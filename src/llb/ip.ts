/**
 * IP address parsing and formatting with Go's `net.ParseIP(...).String()` results (extra host
 * entries are written that way): IPv4 dotted quads without leading zeros, IPv6 in lowercase with the
 * longest run (two or more) of zero groups shortened to "::", and IPv4-mapped IPv6 printed as IPv4.
 *
 * Internal module.
 */

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): number[] | undefined {
  // Returns 8 16-bit groups.
  let head = s;
  let tail = '';
  const dbl = s.indexOf('::');
  if (dbl !== -1) {
    if (s.indexOf('::', dbl + 1) !== -1) return undefined;
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
  }
  const parseGroups = (part: string, allowV4: boolean): number[] | undefined => {
    if (part === '') return [];
    const items = part.split(':');
    const groups: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as string;
      if (allowV4 && i === items.length - 1 && item.includes('.')) {
        const v4 = parseV4(item);
        if (v4 === undefined) return undefined;
        groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
      groups.push(parseInt(item, 16));
    }
    return groups;
  };
  const h = parseGroups(head, dbl === -1);
  const t = parseGroups(tail, true);
  if (h === undefined || t === undefined) return undefined;
  if (dbl === -1) return h.length === 8 ? h : undefined;
  const missing = 8 - h.length - t.length;
  if (missing < 1) return undefined;
  return [...h, ...new Array<number>(missing).fill(0), ...t];
}

/** Parses an IPv4 or IPv6 address and returns Go's string form, or `undefined` when invalid. */
export function formatIp(s: string): string | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return v4.join('.');
  if (!s.includes(':')) return undefined;
  const g = parseV6(s);
  if (g === undefined) return undefined;
  // IPv4-mapped (::ffff:a.b.c.d) prints as IPv4.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    const a = g[6] as number;
    const b = g[7] as number;
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  let e0 = -1;
  let e1 = -1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j > i && j - i > e1 - e0) {
      e0 = i;
      e1 = j;
      i = j;
    }
  }
  if (e1 - e0 <= 1) {
    e0 = -1;
    e1 = -1;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === e0) {
      out += '::';
      i = e1 - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (g[i] as number).toString(16);
  }
  return out;
}
