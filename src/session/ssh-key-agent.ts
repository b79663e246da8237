/**
 * kiln's own ssh-agent for private key files (`kiln build --ssh default=~/.ssh/id_ed25519`, as `docker buildx build
 * --ssh` takes them): the keys are read once, when the session is set up, and answer a build's "list identities"
 * and "sign" requests from memory. Nothing else is served: every other request is answered SSH_AGENT_FAILURE, so
 * the agent is read-only like a forwarded one. The key material stays in this process; a build sees only public
 * keys and signatures.
 *
 * Reads OpenSSH private keys (`BEGIN OPENSSH PRIVATE KEY`, what ssh-keygen writes) and PEM keys (PKCS#1, SEC1,
 * PKCS#8) holding Ed25519, RSA or ECDSA (P-256, P-384, P-521) keys. Passphrase-protected keys are refused with a
 * pointer to ssh-agent, which can unlock them.
 */
import { createPrivateKey, createPublicKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { KilnError, invalidArgument } from '../errors.js';
import { AGENT_FAILURE_FRAME, agentFrame, sshString } from './ssh-agent-frames.js';

const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;
const SIGN_REQUEST = 13;
const SIGN_RESPONSE = 14;
/** Sign-request flags asking for RSA signatures with SHA-256 / SHA-512 instead of SHA-1. */
const RSA_SHA2_256 = 2;
const RSA_SHA2_512 = 4;

/** The largest key file read (buildx reads at most 100 KiB of one; an RSA 16384-bit key is about 12 KiB). */
const MAX_KEY_FILE_BYTES = 100 * 1024;

/** One private key loaded from a file: what the agent lists and how it signs. */
export interface SshKey {
  /** The public key in ssh wire format, as listed and as named in sign requests. */
  readonly blob: Buffer;
  /** The key's comment (the file's own, else its path). */
  readonly comment: string;
  /** The key type as ssh names it: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, … */
  readonly type: string;
  /** Signs `data` as an ssh-agent does; returns the ssh signature blob (algorithm name + signature). */
  sign(data: Buffer, flags: number): Buffer;
}

interface Curve {
  readonly ssh: string;
  readonly jwk: string;
  readonly bytes: number;
  readonly hash: string;
}

const CURVES: readonly Curve[] = [
  { ssh: 'nistp256', jwk: 'P-256', bytes: 32, hash: 'sha256' },
  { ssh: 'nistp384', jwk: 'P-384', bytes: 48, hash: 'sha384' },
  { ssh: 'nistp521', jwk: 'P-521', bytes: 66, hash: 'sha512' },
];

/** Answers ssh-agent requests from a set of keys; see the module comment. */
export class SshKeyAgent {
  readonly keys: readonly SshKey[];

  constructor(keys: readonly SshKey[]) {
    this.keys = keys;
  }

  /** The reply (framed) to one framed request. */
  reply(request: Buffer): Buffer {
    const type = request[4];
    if (type === REQUEST_IDENTITIES) {
      const count = Buffer.alloc(4);
      count.writeUInt32BE(this.keys.length);
      return agentFrame(IDENTITIES_ANSWER, count, ...this.keys.flatMap((k) => [sshString(k.blob), sshString(k.comment)]));
    }
    if (type === SIGN_REQUEST) {
      try {
        const r = new WireReader(request.subarray(5));
        const blob = r.string();
        const data = r.string();
        const flags = r.remaining() >= 4 ? r.uint32() : 0;
        const key = this.keys.find((k) => k.blob.equals(blob));
        if (key === undefined) return AGENT_FAILURE_FRAME;
        return agentFrame(SIGN_RESPONSE, sshString(key.sign(data, flags)));
      } catch {
        return AGENT_FAILURE_FRAME;
      }
    }
    return AGENT_FAILURE_FRAME;
  }
}

/**
 * Loads the private keys in `path` (an OpenSSH key file may hold several). Throws `invalid_argument` naming the file
 * when it cannot be read, is not a private key, is passphrase-protected or holds a key type kiln cannot sign with.
 */
export function loadSshKeyFile(path: string): SshKey[] {
  let text: string;
  try {
    // Checked before reading: a path that names some large file by mistake is not read into memory.
    const size = statSync(path).size;
    if (size > MAX_KEY_FILE_BYTES) {
      invalidArgument(`ssh key file ${path} is not a private key (${size} bytes; a private key file is at most a few KiB)`, loadSshKeyFile, {
        hint: 'Pass an ssh-agent socket (such as $SSH_AUTH_SOCK) or a private key file such as ~/.ssh/id_ed25519.',
      });
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof KilnError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    invalidArgument(`ssh key file ${path} cannot be read (${code ?? String(err)})`, loadSshKeyFile, { cause: err });
  }
  const openssh = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (openssh !== null) return parseOpenSshKeys(path, Buffer.from(openssh[1]!.replace(/\s+/g, ''), 'base64'));
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) return [fromPem(path, text)];
  const publicKey = /^(ssh-|ecdsa-|sk-)\S+ [A-Za-z0-9+/=]+/.test(text.trim());
  return invalidArgument(`ssh key file ${path} is ${publicKey ? 'a public key' : 'not a private key'}`, loadSshKeyFile, {
    hint: publicKey
      ? 'Pass the private key file (the one without .pub), or forward an ssh-agent that holds it.'
      : 'Pass an ssh-agent socket (such as $SSH_AUTH_SOCK) or a private key file such as ~/.ssh/id_ed25519.',
  });
}

function fromPem(path: string, pem: string): SshKey {
  // Encrypted PEM: legacy OpenSSL headers (PKCS#1, SEC1) or PKCS#8's own label.
  if (/^Proc-Type:\s*4,ENCRYPTED/m.test(pem) || pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) encrypted(path);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    return invalidArgument(`ssh key file ${path} holds a private key kiln cannot read`, loadSshKeyFile, { cause: err });
  }
  return toSshKey(path, key, path);
}

function encrypted(path: string): never {
  return invalidArgument(`ssh key file ${path} is protected by a passphrase, which kiln does not ask for`, loadSshKeyFile, {
    hint: `Load it into an ssh-agent (eval "$(ssh-agent)" && ssh-add ${path}) and forward the agent: --ssh default.`,
  });
}

/** The `openssh-key-v1` format (PROTOCOL.key in OpenSSH). */
function parseOpenSshKeys(path: string, data: Buffer): SshKey[] {
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  const bad = (why: string): never => invalidArgument(`ssh key file ${path} is not a valid OpenSSH private key (${why})`, loadSshKeyFile);
  if (!data.subarray(0, magic.length).equals(magic)) bad('no openssh-key-v1 header');
  try {
    const r = new WireReader(data.subarray(magic.length));
    const cipher = r.string().toString('latin1');
    r.string(); // kdf name
    r.string(); // kdf options
    if (cipher !== 'none') encrypted(path);
    const count = r.uint32();
    for (let i = 0; i < count; i++) r.string(); // public keys, repeated in the private section
    const p = new WireReader(r.string());
    if (p.uint32() !== p.uint32()) bad('check bytes differ');
    const keys: SshKey[] = [];
    for (let i = 0; i < count; i++) {
      const type = p.string().toString('latin1');
      const { jwk, comment } = openSshPrivateKey(type, p, path);
      keys.push(toSshKey(path, createPrivateKey({ key: jwk, format: 'jwk' }), comment === '' ? path : comment));
    }
    return keys;
  } catch (err) {
    if (err instanceof KilnError) throw err;
    return bad(err instanceof Error ? err.message : String(err));
  }
}

/** Reads one key of `type` from the private section; returns it as a JWK and its comment. */
function openSshPrivateKey(type: string, p: WireReader, path: string): { jwk: JsonWebKey; comment: string } {
  if (type === 'ssh-ed25519') {
    const pub = p.string();
    const priv = p.string();
    return { jwk: { kty: 'OKP', crv: 'Ed25519', x: b64u(pub), d: b64u(priv.subarray(0, 32)) }, comment: p.string().toString('utf8') };
  }
  if (type === 'ssh-rsa') {
    const [n, e, d, iqmp, pp, q] = [p.mpint(), p.mpint(), p.mpint(), p.mpint(), p.mpint(), p.mpint()];
    const dBig = toBig(d);
    const jwk: JsonWebKey = {
      kty: 'RSA',
      n: b64u(n),
      e: b64u(e),
      d: b64u(d),
      p: b64u(pp),
      q: b64u(q),
      dp: b64u(fromBig(dBig % (toBig(pp) - 1n))),
      dq: b64u(fromBig(dBig % (toBig(q) - 1n))),
      qi: b64u(iqmp),
    };
    return { jwk, comment: p.string().toString('utf8') };
  }
  const curve = CURVES.find((c) => type === `ecdsa-sha2-${c.ssh}`);
  if (curve !== undefined) {
    p.string(); // curve name, repeated
    const q = p.string();
    const d = p.mpint();
    const size = curve.bytes;
    const jwk: JsonWebKey = {
      kty: 'EC',
      crv: curve.jwk,
      x: b64u(q.subarray(1, 1 + size)),
      y: b64u(q.subarray(1 + size, 1 + 2 * size)),
      d: b64u(pad(d, size)),
    };
    return { jwk, comment: p.string().toString('utf8') };
  }
  return unsupported(path, type);
}

function unsupported(path: string, type: string): never {
  return invalidArgument(`ssh key file ${path} holds a ${type} key; kiln signs with Ed25519, RSA and ECDSA (P-256/384/521) keys`, loadSshKeyFile, {
    hint: `Load it into an ssh-agent (ssh-add ${path}) and forward the agent: --ssh default.`,
  });
}

/** An SshKey for a private key object: its public blob from the JWK, and how it signs. */
function toSshKey(path: string, key: KeyObject, comment: string): SshKey {
  const pub = createPublicKey(key).export({ format: 'jwk' });
  if (pub.kty === 'OKP' && pub.crv === 'Ed25519') {
    const type = 'ssh-ed25519';
    return {
      type,
      comment,
      blob: Buffer.concat([sshString(type), sshString(fromB64u(pub.x))]),
      sign: (data) => Buffer.concat([sshString(type), sshString(sign(null, data, key))]),
    };
  }
  if (pub.kty === 'RSA') {
    return {
      type: 'ssh-rsa',
      comment,
      blob: Buffer.concat([sshString('ssh-rsa'), mpint(fromB64u(pub.e)), mpint(fromB64u(pub.n))]),
      sign: (data, flags) => {
        const [algorithm, hash] = (flags & RSA_SHA2_512) !== 0 ? ['rsa-sha2-512', 'sha512'] : (flags & RSA_SHA2_256) !== 0 ? ['rsa-sha2-256', 'sha256'] : ['ssh-rsa', 'sha1'];
        return Buffer.concat([sshString(algorithm), sshString(sign(hash, data, key))]);
      },
    };
  }
  const curve = pub.kty === 'EC' ? CURVES.find((c) => c.jwk === pub.crv) : undefined;
  if (curve !== undefined) {
    const type = `ecdsa-sha2-${curve.ssh}`;
    const point = Buffer.concat([Buffer.from([4]), pad(fromB64u(pub.x), curve.bytes), pad(fromB64u(pub.y), curve.bytes)]);
    return {
      type,
      comment,
      blob: Buffer.concat([sshString(type), sshString(curve.ssh), sshString(point)]),
      sign: (data) => {
        const rs = sign(curve.hash, data, { key, dsaEncoding: 'ieee-p1363' });
        const half = rs.length / 2;
        return Buffer.concat([sshString(type), sshString(Buffer.concat([mpint(rs.subarray(0, half)), mpint(rs.subarray(half))]))]);
      },
    };
  }
  return unsupported(path, pub.kty === 'OKP' ? String(pub.crv) : `${String(pub.kty)}${pub.crv === undefined ? '' : ` ${pub.crv}`}`);
}

/** Reads ssh wire types from a buffer; reading past the end throws. */
class WireReader {
  readonly #buf: Buffer;
  #at = 0;

  constructor(buf: Buffer) {
    this.#buf = buf;
  }

  remaining(): number {
    return this.#buf.length - this.#at;
  }

  uint32(): number {
    if (this.remaining() < 4) throw new RangeError('truncated');
    const n = this.#buf.readUInt32BE(this.#at);
    this.#at += 4;
    return n;
  }

  string(): Buffer {
    const n = this.uint32();
    if (this.remaining() < n) throw new RangeError('truncated');
    const s = this.#buf.subarray(this.#at, this.#at + n);
    this.#at += n;
    return s;
  }

  /** An mpint as unsigned big-endian bytes without leading zeros. */
  mpint(): Buffer {
    return stripZeros(this.string());
  }
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** Unsigned big-endian `b` as an ssh mpint (a zero byte first when the top bit is set). */
function mpint(b: Buffer): Buffer {
  const v = stripZeros(b);
  return sshString(v.length > 0 && (v[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function pad(b: Buffer, size: number): Buffer {
  const v = stripZeros(b);
  return v.length >= size ? v : Buffer.concat([Buffer.alloc(size - v.length), v]);
}

function b64u(b: Buffer): string {
  return b.toString('base64url');
}

function fromB64u(s: string | undefined): Buffer {
  return Buffer.from(s ?? '', 'base64url');
}

function toBig(b: Buffer): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${b.toString('hex')}`);
}

function fromBig(n: bigint): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}
