/**
 * Framing of the ssh-agent protocol (draft-miller-ssh-agent): every message is a uint32 length followed by that
 * many bytes, the first of which is the message type. Shared by the forwarding filter and kiln's own key agent.
 *
 * Internal module.
 */
import { KilnError } from '../errors.js';

/** The largest ssh-agent message accepted (OpenSSH's own limit is 256 KiB). */
export const MAX_AGENT_MESSAGE_BYTES = 256 * 1024;

/** `SSH_AGENT_FAILURE`, framed: length 1, type 5. */
export const AGENT_FAILURE_FRAME: Buffer = Buffer.from([0, 0, 0, 1, 5]);

/** Reassembles length-prefixed ssh-agent messages from arbitrary chunks. */
export class AgentFrameReader {
  readonly #peer: string;
  #buffered: Buffer = Buffer.alloc(0);

  /** `peer` names the sender in errors ("the container", "the agent"). */
  constructor(peer: string) {
    this.#peer = peer;
  }

  /** Appends `chunk`; returns every message now complete (each with its 4-byte length prefix). */
  push(chunk: Buffer): Buffer[] {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const frames: Buffer[] = [];
    while (this.#buffered.length >= 4) {
      const length = this.#buffered.readUInt32BE(0);
      if (length === 0 || length > MAX_AGENT_MESSAGE_BYTES) {
        throw new KilnError('protocol', `${this.#peer} sent an ssh-agent message of ${length} bytes (allowed: 1 to ${MAX_AGENT_MESSAGE_BYTES})`);
      }
      if (this.#buffered.length < 4 + length) break;
      frames.push(this.#buffered.subarray(0, 4 + length));
      this.#buffered = this.#buffered.subarray(4 + length);
    }
    return frames;
  }
}

/** `value` as an ssh wire string: uint32 length, bytes. */
export function sshString(value: string | Buffer): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** One framed ssh-agent message: uint32 length, `type`, body. */
export function agentFrame(type: number, ...body: Buffer[]): Buffer {
  const payload = Buffer.concat([Buffer.from([type]), ...body]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(payload.length);
  return Buffer.concat([len, payload]);
}
