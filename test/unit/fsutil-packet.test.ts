import { mkdtemp, rm, writeFile, chmod, mkdir, symlink, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import {
  createStat,
  dataPacket,
  decodePacket,
  decodeStat,
  encodePacket,
  encodeStat,
  errPacket,
  finPacket,
  GoFileMode,
  goModeFromPosix,
  isDirGoMode,
  isRegularGoMode,
  isSymlinkGoMode,
  isTerminator,
  PacketType,
  posixModeFromGo,
  posixPermissionsFromGo,
  reqPacket,
  statPacket,
  terminatorPacket,
} from '../../src/session/fsutil-packet.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('fsutil Packet codec', () => {
  it('encodes the end-of-entries terminator as zero bytes and decodes zero bytes back to it', () => {
    expect(encodePacket(terminatorPacket()).length).toBe(0);
    const decoded = decodePacket(new Uint8Array(0));
    expect(decoded.type).toBe(PacketType.STAT);
    expect(decoded.stat).toBeUndefined();
    expect(isTerminator(decoded)).toBe(true);
  });

  it('keeps an empty-but-present Stat distinct from the terminator', () => {
    const bytes = encodePacket(statPacket(createStat({ path: '' })));
    expect(hex(bytes)).toBe('1200');
    const decoded = decodePacket(bytes);
    expect(decoded.stat).toBeDefined();
    expect(isTerminator(decoded)).toBe(false);
  });

  it('writes control packets with proto3 defaults left off', () => {
    expect(hex(encodePacket(reqPacket(5)))).toBe('08011805');
    expect(hex(encodePacket(reqPacket(0)))).toBe('0801');
    expect(hex(encodePacket(dataPacket(1, Buffer.from('hi'))))).toBe('0802180122026869');
    expect(hex(encodePacket(dataPacket(300)))).toBe('080218ac02');
    expect(hex(encodePacket(finPacket()))).toBe('0803');
    expect(hex(encodePacket(errPacket('x')))).toBe('08042201' + '78');
  });

  it('encodes a Stat field by field in field order', () => {
    const stat = createStat({ path: 'a', mode: 0o644, size: 3n, modTime: 1n, linkname: 'b' });
    // 0a 01 'a' | 10 a4 03 | 28 03 | 30 01 | 3a 01 'b'
    expect(hex(encodeStat(stat))).toBe('0a0161' + '10a403' + '2803' + '3001' + '3a0162');
  });

  it('round-trips every Stat field, including nanosecond mtimes beyond 2^53 and negative int64s', () => {
    const stat = createStat({
      path: 'dir/ünïcode file.txt',
      mode: (GoFileMode.dir | GoFileMode.setgid | 0o2755) >>> 0,
      uid: 4294967295,
      gid: 1000,
      size: 1n << 40n,
      modTime: 1_700_000_000_123_456_789n,
      linkname: 'target',
      devmajor: 259n,
      devminor: -1n,
      xattrs: new Map([
        ['user.b', Buffer.from([0, 1, 2])],
        ['security.capability', Buffer.from('cap')],
        ['user.empty', new Uint8Array(0)],
      ]),
    });
    expect(stat.modTime > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const decoded = decodeStat(encodeStat(stat));
    expect(decoded.path).toBe(stat.path);
    expect(decoded.mode).toBe(stat.mode);
    expect(decoded.uid).toBe(4294967295);
    expect(decoded.gid).toBe(1000);
    expect(decoded.size).toBe(1n << 40n);
    expect(decoded.modTime).toBe(1_700_000_000_123_456_789n);
    expect(decoded.linkname).toBe('target');
    expect(decoded.devmajor).toBe(259n);
    expect(decoded.devminor).toBe(-1n);
    expect([...decoded.xattrs.keys()].sort()).toEqual(['security.capability', 'user.b', 'user.empty']);
    expect(hex(decoded.xattrs.get('user.b') ?? new Uint8Array())).toBe('000102');
    expect(decoded.xattrs.get('user.empty')?.length).toBe(0);

    const packet = decodePacket(encodePacket(statPacket(stat)));
    expect(packet.type).toBe(PacketType.STAT);
    expect(packet.stat?.modTime).toBe(1_700_000_000_123_456_789n);
  });

  it('writes a negative int64 as a ten-byte varint, as Go does', () => {
    const bytes = encodeStat(createStat({ path: '', devminor: -1n }));
    expect(hex(bytes)).toBe('48' + 'ff'.repeat(9) + '01');
  });

  it('writes xattr map entries sorted by key so the encoding is deterministic', () => {
    const a = encodeStat(createStat({ path: 'p', xattrs: new Map([['b', Buffer.from('2')], ['a', Buffer.from('1')]]) }));
    const b = encodeStat(createStat({ path: 'p', xattrs: new Map([['a', Buffer.from('1')], ['b', Buffer.from('2')]]) }));
    expect(hex(a)).toBe(hex(b));
    expect(hex(a)).toBe('0a0170' + '5206' + '0a0161' + '120131' + '5206' + '0a0162' + '120132');
  });

  it('round-trips DATA payloads without changing a byte', () => {
    const payload = Buffer.alloc(32 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const decoded = decodePacket(encodePacket(dataPacket(123456, payload)));
    expect(decoded.type).toBe(PacketType.DATA);
    expect(decoded.id).toBe(123456);
    expect(Buffer.compare(Buffer.from(decoded.data), payload)).toBe(0);
  });

  it('skips unknown fields and keeps unknown packet types as numbers', () => {
    // type=7, unknown varint field 15, unknown bytes field 20, ID=9
    const bytes = Buffer.from('0807' + '7801' + 'a2010200ff' + '1809', 'hex');
    const p = decodePacket(bytes);
    expect(p.type).toBe(7);
    expect(p.id).toBe(9);
  });

  it('rejects malformed input with a protocol error', () => {
    for (const bad of ['08', '12', '1205', '0a', '18ffffffffffffffffffff01']) {
      let caught: unknown;
      try {
        decodePacket(Buffer.from(bad, 'hex'));
      } catch (err) {
        caught = err;
      }
      expect(KilnError.is(caught, 'protocol'), bad).toBe(true);
    }
  });

  it('refuses to encode out-of-range 32-bit fields', () => {
    expect(() => encodeStat(createStat({ path: 'x', mode: -1 }))).toThrow(/unsigned 32-bit/);
    expect(() => encodePacket(reqPacket(2 ** 32))).toThrow(/unsigned 32-bit/);
  });
});

describe('Go os.FileMode <-> POSIX st_mode', () => {
  const cases: [string, number, number][] = [
    ['regular 0644', 0o100644, 0o644],
    ['directory 0755', 0o040755, (GoFileMode.dir | 0o755) >>> 0],
    ['symlink', 0o120777, GoFileMode.symlink | 0o777],
    ['fifo', 0o010600, GoFileMode.namedPipe | 0o600],
    ['block device', 0o060660, GoFileMode.device | 0o660],
    ['char device', 0o020666, GoFileMode.device | GoFileMode.charDevice | 0o666],
    ['socket', 0o140755, GoFileMode.socket | 0o755],
    ['setuid executable', 0o104755, GoFileMode.setuid | 0o755],
    ['setgid directory', 0o042775, (GoFileMode.dir | GoFileMode.setgid | 0o775) >>> 0],
    ['sticky directory', 0o041777, (GoFileMode.dir | GoFileMode.sticky | 0o777) >>> 0],
  ];

  it.each(cases)('%s converts both ways', (_name, posix, go) => {
    expect(goModeFromPosix(posix)).toBe(go);
    expect(posixModeFromGo(go)).toBe(posix);
  });

  it('uses the Go bit positions from the brief', () => {
    expect(GoFileMode.dir).toBe(2 ** 31);
    expect(GoFileMode.symlink).toBe(2 ** 27);
    expect(GoFileMode.device).toBe(2 ** 26);
    expect(GoFileMode.namedPipe).toBe(2 ** 25);
    expect(GoFileMode.socket).toBe(2 ** 24);
    expect(GoFileMode.setuid).toBe(2 ** 23);
    expect(GoFileMode.setgid).toBe(2 ** 22);
    expect(GoFileMode.charDevice).toBe(2 ** 21);
    expect(GoFileMode.sticky).toBe(2 ** 20);
    expect(GoFileMode.irregular).toBe(2 ** 19);
  });

  it('classifies modes', () => {
    expect(isRegularGoMode(0o644)).toBe(true);
    expect(isRegularGoMode(GoFileMode.setuid | 0o755)).toBe(true);
    expect(isRegularGoMode(GoFileMode.namedPipe | 0o644)).toBe(false);
    expect(isRegularGoMode(GoFileMode.irregular)).toBe(false);
    expect(isDirGoMode((GoFileMode.dir | 0o755) >>> 0)).toBe(true);
    expect(isSymlinkGoMode(GoFileMode.symlink | 0o777)).toBe(true);
    expect(posixPermissionsFromGo(GoFileMode.setuid | GoFileMode.sticky | 0o751)).toBe(0o5751);
  });

  describe('on real files', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kiln-mode-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('maps lstat modes of a setuid file, an executable, a directory, a symlink and a fifo', async () => {
      await writeFile(join(dir, 'suid'), '');
      await chmod(join(dir, 'suid'), 0o4755);
      await writeFile(join(dir, 'exe'), '');
      await chmod(join(dir, 'exe'), 0o755);
      await mkdir(join(dir, 'd'));
      await chmod(join(dir, 'd'), 0o750);
      await symlink('exe', join(dir, 'l'));
      execFileSync('mkfifo', ['-m', '640', join(dir, 'p')]);
      const mode = async (n: string): Promise<number> => goModeFromPosix((await lstat(join(dir, n))).mode);
      expect(await mode('suid')).toBe(GoFileMode.setuid | 0o755);
      expect(await mode('exe')).toBe(0o755);
      expect(await mode('d')).toBe((GoFileMode.dir | 0o750) >>> 0);
      expect(await mode('l')).toBe(GoFileMode.symlink | 0o777);
      expect(await mode('p')).toBe(GoFileMode.namedPipe | 0o640);
    });
  });
});
