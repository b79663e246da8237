// The low-level pieces behind the Go-identical encoding: the protobuf writer/reader, byte-order key
// sorting, Go's JSON quoting and path cleaning.
import { describe, expect, it } from 'vitest';
import { decodeDefinition, marshal, mkfile, scratch, splitShellWords } from '../../src/llb/index.js';
import { goJsonQuote, goJsonStringList } from '../../src/llb/go-json.js';
import { cleanPath, joinPath, normalizeFilePath } from '../../src/llb/paths.js';
import { ProtoReader, ProtoWriter, WireError, compareUtf8, sortedKeys } from '../../src/llb/wire.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('ProtoWriter / ProtoReader', () => {
  it('writes varints and negative int64s as Go does', () => {
    const w = new ProtoWriter(4);
    w.int64Opt(1, 300);
    w.int64Opt(2, -1);
    w.int64Opt(3, -1n);
    w.int64Opt(4, -2);
    w.int64Opt(5, 0);
    w.int64Opt(6, 0n);
    expect(hex(w.finish())).toBe(
      `08ac02` + `10ffffffffffffffffff01` + `18ffffffffffffffffff01` + `20feffffffffffffffff01`,
    );
  });

  it('round-trips 64-bit values, keeping numbers when they are safe', () => {
    const values: (number | bigint)[] = [0, 1, 127, 128, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -(2 ** 40)];
    const bigs = [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 1_700_000_000_000_000_000n];
    const w = new ProtoWriter(8);
    for (const v of [...values, ...bigs]) w.int64Always(1, v);
    const r = new ProtoReader(w.finish());
    for (const v of values) {
      expect(r.key()).toEqual([1, 0]);
      expect(r.int64()).toBe(v);
    }
    for (const v of bigs) {
      r.key();
      expect(r.int64Big()).toBe(v);
    }
    expect(r.done()).toBe(true);
  });

  it('patches sub-message lengths that need more than one byte', () => {
    for (const size of [0, 127, 128, 16_383, 16_384, 300_000]) {
      const w = new ProtoWriter(16);
      const outer = w.begin(1);
      const inner = w.begin(2);
      w.bytes(3, new Uint8Array(size).fill(7));
      w.end(inner);
      w.end(outer);
      w.string(4, 'after');
      const r = new ProtoReader(w.finish());
      expect(r.key()).toEqual([1, 2]);
      const o = r.message();
      expect(o.key()).toEqual([2, 2]);
      const i = o.message();
      expect(i.key()).toEqual([3, 2]);
      const body = i.bytes();
      expect(body.length).toBe(size);
      expect(body.every((b) => b === 7)).toBe(true);
      expect(r.key()).toEqual([4, 2]);
      expect(r.string()).toBe('after');
    }
  });

  it('writes strings as UTF-8, lone surrogates as U+FFFD', () => {
    for (const s of ['', 'a', 'é', 'x'.repeat(42) + 'é', '😀'.repeat(30), 'ü'.repeat(200), 'a\ud800b']) {
      expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s.includes('\ud800b') ? 'a\ufffdb' : s);
      const w = new ProtoWriter(4);
      w.string(1, s);
      const r = new ProtoReader(w.finish());
      r.key();
      expect(r.string()).toBe(Buffer.from(s, 'utf8').toString('utf8'));
    }
  });

  it('encodes ops larger than its shared slab', () => {
    const data = 'z'.repeat(400_000);
    const d = marshal(scratch().file(mkfile('/big', data)));
    const op = decodeDefinition(d).ops[0]?.op.op;
    expect(op?.type === 'file' && op.file.actions[0]?.action?.type === 'mkfile' && op.file.actions[0].action.mkfile.data.length).toBe(
      400_000,
    );
  });

  it('reports truncated or malformed input', () => {
    expect(() => new ProtoReader(new Uint8Array([0x0a, 0x05, 0x61])).message()).toThrow(WireError);
    expect(() => new ProtoReader(new Uint8Array([0x80])).uvarint()).toThrow(/unexpected end/);
    expect(() => new ProtoReader(new Uint8Array(11).fill(0xff)).int64()).toThrow(/longer than 10 bytes/);
    expect(() => new ProtoReader(new Uint8Array([0x07])).skip(7)).toThrow(/wire type 7/);
  });
});

describe('key ordering', () => {
  it('sorts by UTF-8 bytes like Go', () => {
    const keys = ['😀', 'Ａ', 'é', 'b', 'B', '10', '9', '', 'a.b', 'aB'];
    const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(sortedKeys(keys)).toEqual(byBytes);
    expect([...keys].sort(compareUtf8)).toEqual(byBytes);
    expect(sortedKeys(['b', 'a', '10', '9'])).toEqual(['10', '9', 'a', 'b']);
  });
});

describe('Go JSON quoting', () => {
  it('escapes like encoding/json (Go 1.19)', () => {
    expect(goJsonQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goJsonQuote('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(goJsonQuote('\n\r\t\b\f\u0001\u001f')).toBe('"\\n\\r\\t\\u0008\\u000c\\u0001\\u001f"');
    expect(goJsonQuote('\u2028\u2029 é 😀')).toBe('"\\u2028\\u2029 é 😀"');
    expect(goJsonStringList(['src/**', '*.pyc'])).toBe('["src/**","*.pyc"]');
  });
});

describe('paths', () => {
  it('cleans and joins like Go', () => {
    const cases: [string, string][] = [
      ['', '.'],
      ['/', '/'],
      ['//a//b/', '/a/b'],
      ['/a/./b/../c', '/a/c'],
      ['/../a', '/a'],
      ['a/../..', '..'],
      ['../../x', '../../x'],
      ['./', '.'],
      ['abc/./', 'abc'],
    ];
    for (const [input, want] of cases) expect(cleanPath(input), input).toBe(want);
    expect(joinPath('/', 'app', '../src')).toBe('/src');
    expect(joinPath('', '')).toBe('');
  });

  it('keeps a trailing slash or "/." on copy destinations', () => {
    expect(normalizeFilePath('/app', 'dest/', true)).toBe('/app/dest/');
    expect(normalizeFilePath('/app', 'dest/.', true)).toBe('/app/dest/.');
    expect(normalizeFilePath('/', '/.', true)).toBe('/.');
    expect(normalizeFilePath('/app', 'dest/', false)).toBe('/app/dest');
    expect(normalizeFilePath('/app', '/abs//x', false)).toBe('/abs/x');
  });
});

describe('shlex', () => {
  it('handles escapes of non-ASCII characters and empty words', () => {
    expect(splitShellWords('a\\😀b "x\\😀" \'\' ""')).toEqual(['a😀b', 'x😀', '', '']);
    expect(splitShellWords('  ')).toEqual([]);
    expect(splitShellWords('#only a comment')).toEqual([]);
  });
});
