/**
 * kiln's own ssh-agent for private key files: keys ssh-keygen writes (OpenSSH and PEM formats; Ed25519, RSA, ECDSA)
 * are listed with the public key ssh-keygen wrote next to them, and their signatures verify against that public key;
 * keys kiln cannot use are refused by file name with what to do instead.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentFrame, sshString } from '../../src/session/ssh-agent-frames.js';
import { SshKeyAgent, loadSshKeyFile } from '../../src/session/ssh-key-agent.js';
import { thrown } from '../fixtures/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-ssh-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Makes a key with ssh-keygen; returns the private key's path and the public key's base64 blob. */
function keygen(name: string, args: readonly string[], comment = `${name}@kiln-test`): { path: string; blob: Buffer } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-N', '', '-C', comment, '-f', path, ...args]);
  return { path, blob: Buffer.from(readFileSync(`${path}.pub`, 'utf8').split(' ')[1]!, 'base64') };
}

class Wire {
  at = 0;
  constructor(readonly buf: Buffer) {}
  string(): Buffer {
    const n = this.buf.readUInt32BE(this.at);
    const s = this.buf.subarray(this.at + 4, this.at + 4 + n);
    this.at += 4 + n;
    return s;
  }
}

const b64u = (b: Buffer): string => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i).toString('base64url');
};

/** A public key object from an ssh public key blob, built here independently of the agent. */
function publicKeyOf(blob: Buffer): KeyObject {
  const w = new Wire(blob);
  const type = w.string().toString();
  let jwk: JsonWebKey;
  // An Ed25519 key is 32 bytes as they are (a leading zero byte stays); b64u's trimming is for RSA's integers.
  if (type === 'ssh-ed25519') jwk = { kty: 'OKP', crv: 'Ed25519', x: w.string().toString('base64url') };
  else if (type === 'ssh-rsa') {
    const e = w.string();
    jwk = { kty: 'RSA', e: b64u(e), n: b64u(w.string()) };
  } else {
    const curve = w.string().toString();
    const q = w.string();
    const size = (q.length - 1) / 2;
    jwk = { kty: 'EC', crv: { nistp256: 'P-256', nistp384: 'P-384', nistp521: 'P-521' }[curve]!, x: q.subarray(1, 1 + size).toString('base64url'), y: q.subarray(1 + size).toString('base64url') };
  }
  return createPublicKey({ key: jwk, format: 'jwk' });
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Asks the agent to sign `data` with `blob`; returns the reply's algorithm and raw signature. */
function signWith(agent: SshKeyAgent, blob: Buffer, data: Buffer, flags: number): { type: number; algorithm: string; signature: Buffer } {
  const reply = agent.reply(agentFrame(13, sshString(blob), sshString(data), uint32(flags)));
  const type = reply[4]!;
  if (type !== 14) return { type, algorithm: '', signature: Buffer.alloc(0) };
  const outer = new Wire(reply.subarray(5)).string();
  const w = new Wire(outer);
  return { type, algorithm: w.string().toString(), signature: w.string() };
}

/** Verifies an ssh signature blob the way sshd would, with the public key ssh-keygen wrote. */
function verifies(blob: Buffer, algorithm: string, data: Buffer, signature: Buffer): boolean {
  const key = publicKeyOf(blob);
  if (algorithm === 'ssh-ed25519') return verify(null, data, key, signature);
  if (algorithm.startsWith('ecdsa-sha2-')) {
    const w = new Wire(signature);
    const [r, s] = [w.string(), w.string()];
    const size = { 'ecdsa-sha2-nistp256': 32, 'ecdsa-sha2-nistp384': 48, 'ecdsa-sha2-nistp521': 66 }[algorithm]!;
    const fixed = (b: Buffer): Buffer => {
      let i = 0;
      while (i < b.length && b[i] === 0) i++;
      const v = b.subarray(i);
      return Buffer.concat([Buffer.alloc(size - v.length), v]);
    };
    const hash = { 32: 'sha256', 48: 'sha384', 66: 'sha512' }[size]!;
    return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.concat([fixed(r), fixed(s)]));
  }
  const hash = { 'rsa-sha2-512': 'sha512', 'rsa-sha2-256': 'sha256', 'ssh-rsa': 'sha1' }[algorithm]!;
  return verify(hash, data, key, signature);
}

describe('SshKeyAgent with keys from files', () => {
  const data = Buffer.from('session id and userauth request, as ssh signs them');

  it.each([
    ['ed25519 (OpenSSH format)', ['-t', 'ed25519'], 'ssh-ed25519', 0],
    ['ecdsa P-256', ['-t', 'ecdsa', '-b', '256'], 'ecdsa-sha2-nistp256', 0],
    ['ecdsa P-384', ['-t', 'ecdsa', '-b', '384'], 'ecdsa-sha2-nistp384', 0],
    ['ecdsa P-521', ['-t', 'ecdsa', '-b', '521'], 'ecdsa-sha2-nistp521', 0],
    ['rsa, rsa-sha2-512 requested', ['-t', 'rsa', '-b', '2048'], 'rsa-sha2-512', 4],
    ['rsa, rsa-sha2-256 requested', ['-t', 'rsa', '-b', '2048'], 'rsa-sha2-256', 2],
    ['rsa, no flags (ssh-rsa)', ['-t', 'rsa', '-b', '2048'], 'ssh-rsa', 0],
    ['rsa in PEM (PKCS#1)', ['-t', 'rsa', '-b', '2048', '-m', 'PEM'], 'rsa-sha2-256', 2],
    ['ecdsa in PKCS#8', ['-t', 'ecdsa', '-b', '256', '-m', 'PKCS8'], 'ecdsa-sha2-nistp256', 0],
  ] as const)('%s: lists the public key ssh-keygen wrote and signs so that it verifies', (name, args, algorithm, flags) => {
    const key = keygen(name.replace(/\W+/g, '-'), args);
    const agent = new SshKeyAgent(loadSshKeyFile(key.path));
    const list = agent.reply(agentFrame(11));
    expect(list[4]).toBe(12);
    const w = new Wire(list.subarray(9));
    expect(list.readUInt32BE(5)).toBe(1);
    expect(w.string().equals(key.blob)).toBe(true);
    const comment = w.string().toString();
    // OpenSSH files keep their comment; PEM files have none, so the agent names the file, as ssh-add does.
    expect(comment).toBe((args as readonly string[]).includes('-m') ? key.path : `${name.replace(/\W+/g, '-')}@kiln-test`);
    const sig = signWith(agent, key.blob, data, flags);
    expect(sig.type).toBe(14);
    expect(sig.algorithm).toBe(algorithm);
    expect(verifies(key.blob, sig.algorithm, data, sig.signature)).toBe(true);
    expect(verifies(key.blob, sig.algorithm, Buffer.from('other data'), sig.signature)).toBe(false);
  });

  it('answers SSH_AGENT_FAILURE for a key it does not hold, malformed requests and anything but list and sign', () => {
    const key = keygen('failures', ['-t', 'ed25519']);
    const other = keygen('failures-other', ['-t', 'ed25519']);
    const agent = new SshKeyAgent(loadSshKeyFile(key.path));
    expect(signWith(agent, other.blob, data, 0).type).toBe(5);
    expect([...agent.reply(agentFrame(13, Buffer.from([0, 0, 0, 99])))]).toEqual([0, 0, 0, 1, 5]);
    for (const type of [17, 18, 19, 22, 27]) expect([...agent.reply(agentFrame(type, sshString('x')))]).toEqual([0, 0, 0, 1, 5]);
  });

  it('holds several keys when given several', () => {
    const a = keygen('several-a', ['-t', 'ed25519']);
    const b = keygen('several-b', ['-t', 'ecdsa', '-b', '256']);
    const agent = new SshKeyAgent([...loadSshKeyFile(a.path), ...loadSshKeyFile(b.path)]);
    const list = agent.reply(agentFrame(11));
    expect(list.readUInt32BE(5)).toBe(2);
    expect(signWith(agent, b.blob, data, 0).algorithm).toBe('ecdsa-sha2-nistp256');
  });
});

describe('loadSshKeyFile refusals', () => {
  it('refuses a passphrase-protected key (OpenSSH and PEM), pointing to ssh-agent', () => {
    for (const args of [[], ['-m', 'PEM']]) {
      const path = join(dir, `locked${args.length}`);
      execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', 'secret phrase', '-f', path, ...args]);
      const err = thrown(() => loadSshKeyFile(path));
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toBe(`ssh key file ${path} is protected by a passphrase, which kiln does not ask for`);
      expect(err.hint).toContain(`ssh-add ${path}`);
    }
  });

  it('refuses a public key, a file that is no key and a missing file, naming the file', () => {
    const key = keygen('pub-only', ['-t', 'ed25519']);
    const pub = thrown(() => loadSshKeyFile(`${key.path}.pub`));
    expect(pub.message).toBe(`ssh key file ${key.path}.pub is a public key`);
    expect(pub.hint).toContain('without .pub');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello\n');
    expect(thrown(() => loadSshKeyFile(text)).message).toBe(`ssh key file ${text} is not a private key`);
    expect(thrown(() => loadSshKeyFile(join(dir, 'gone'))).message).toBe(`ssh key file ${join(dir, 'gone')} cannot be read (ENOENT)`);
  });

  it('refuses a file larger than any key file without reading it into memory', () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(200 * 1024));
    const err = thrown(() => loadSshKeyFile(big));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe(`ssh key file ${big} is not a private key (204800 bytes; a private key file is at most a few KiB)`);
  });

  it('reads keys with CRLF line endings and trailing blank lines', () => {
    const key = keygen('crlf', ['-t', 'ed25519']);
    writeFileSync(key.path, `${readFileSync(key.path, 'utf8').replace(/\n/g, '\r\n')}  \r\n\r\n`);
    expect(loadSshKeyFile(key.path).map((k) => k.blob.equals(key.blob))).toEqual([true]);
  });

  it('refuses a damaged OpenSSH key', () => {
    const path = join(dir, 'damaged');
    writeFileSync(path, `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from('openssh-key-v1\0\0\0\0\x04none').toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`);
    const err = thrown(() => loadSshKeyFile(path));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe(`ssh key file ${path} is not a valid OpenSSH private key (truncated)`);
  });
});
