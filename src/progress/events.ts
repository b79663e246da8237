import { invalidArgument } from '../errors.js';

/**
 * kiln's own, protobuf-free view of one message of the daemon's status stream
 * (`Control.Status` → `StatusResponse`). Every message is a delta: vertexes are re-sent whenever
 * they change, sub-statuses are keyed by (vertex, id), and log chunks are raw bytes that need not
 * end on a line (or even a UTF-8 character) boundary. The client maps protobuf messages to these
 * plain objects; everything under `src/progress/` works on them only.
 *
 * All times are epoch milliseconds (fractions allowed) on the daemon's clock.
 */
export interface StatusEvent {
  readonly vertexes: readonly VertexUpdate[];
  readonly statuses: readonly StatusUpdate[];
  readonly logs: readonly LogChunk[];
  readonly warnings: readonly Warning[];
}

/** A named set of vertexes the daemon wants displayed as a single step. */
export interface ProgressGroup {
  readonly id: string;
  readonly name: string;
  /** A weak member alone does not make the group visible; it only contributes once a strong member ran. */
  readonly weak: boolean;
}

/** The current state of one build vertex (an LLB op or a synthetic step such as "exporting to image"). */
export interface VertexUpdate {
  readonly digest: string;
  readonly inputs: readonly string[];
  readonly name: string;
  readonly cached: boolean;
  /** When the vertex (last) started; absent while it has not started. */
  readonly started?: number | undefined;
  /** When the vertex (last) completed; absent while it runs. */
  readonly completed?: number | undefined;
  /** The failure message; a message ending in "context canceled" means the step was canceled. */
  readonly error?: string | undefined;
  readonly progressGroup?: ProgressGroup | undefined;
}

/** A sub-task of a vertex with a counter, such as a layer download or "transferring context:". */
export interface StatusUpdate {
  /** The sub-task id, unique within its vertex (e.g. a layer digest). */
  readonly id: string;
  readonly vertex: string;
  readonly name: string;
  readonly current: number;
  /** 0 when the size is unknown. */
  readonly total: number;
  /** When this update was produced. */
  readonly timestamp?: number | undefined;
  readonly started?: number | undefined;
  readonly completed?: number | undefined;
}

/** A piece of a vertex's output. `data` is arbitrary bytes: not line aligned, possibly mid UTF-8 character. */
export interface LogChunk {
  readonly vertex: string;
  /** 1 = stdout, 2 = stderr. */
  readonly stream: 1 | 2;
  readonly data: Uint8Array;
  readonly timestamp: number;
}

/** The digest prefix of the vertexes kiln makes up for its own notes (shown like steps, not counted as steps). */
export const NOTE_VERTEX_PREFIX = 'kiln-note:';

/** A warning attached to a vertex (BuildKit v0.10+). */
export interface Warning {
  readonly vertex: string;
  readonly level: number;
  readonly short: string;
  readonly detail: readonly string[];
  readonly url: string;
}

/** An event with nothing in it; handy as a base when building events by hand. */
export const EMPTY_STATUS_EVENT: StatusEvent = Object.freeze({
  vertexes: [],
  statuses: [],
  logs: [],
  warnings: [],
});

/**
 * Encodes one event as one line of the recording format (no trailing newline). The format is the JSON
 * BuildKit's Go client gives a `SolveStatus` — what `docker buildx build --progress=rawjson` prints — so tools
 * written for buildx read kiln's output and `parseRecording` reads buildx's: times in RFC 3339 (UTC, to the
 * microsecond), log data and warning text in base64, and empty fields left out as Go's `omitempty` leaves them
 * (a status's `current` and `timestamp` and a log's `data` and `timestamp` are always written).
 */
export function serializeEvent(event: StatusEvent): string {
  const wire: Record<string, unknown> = {};
  if (event.vertexes.length > 0) {
    wire['vertexes'] = event.vertexes.map((v) => {
      const out: Record<string, unknown> = {};
      if (v.digest !== '') out['digest'] = v.digest;
      if (v.inputs.length > 0) out['inputs'] = [...v.inputs];
      if (v.name !== '') out['name'] = v.name;
      if (v.started !== undefined) out['started'] = formatTime(v.started);
      if (v.completed !== undefined) out['completed'] = formatTime(v.completed);
      if (v.cached) out['cached'] = true;
      if (v.error !== undefined && v.error !== '') out['error'] = v.error;
      if (v.progressGroup !== undefined) {
        const g = v.progressGroup;
        out['progressGroup'] = { ...(g.id === '' ? {} : { id: g.id }), ...(g.name === '' ? {} : { name: g.name }), ...(g.weak ? { weak: true } : {}) };
      }
      return out;
    });
  }
  if (event.statuses.length > 0) {
    wire['statuses'] = event.statuses.map((s) => {
      const out: Record<string, unknown> = { id: s.id };
      if (s.vertex !== '') out['vertex'] = s.vertex;
      if (s.name !== '') out['name'] = s.name;
      if (s.total !== 0) out['total'] = s.total;
      out['current'] = s.current;
      out['timestamp'] = s.timestamp === undefined ? GO_ZERO_TIME : formatTime(s.timestamp);
      if (s.started !== undefined) out['started'] = formatTime(s.started);
      if (s.completed !== undefined) out['completed'] = formatTime(s.completed);
      return out;
    });
  }
  if (event.logs.length > 0) {
    wire['logs'] = event.logs.map((l) => ({
      ...(l.vertex === '' ? {} : { vertex: l.vertex }),
      stream: l.stream,
      data: base64(l.data),
      timestamp: formatTime(l.timestamp),
    }));
  }
  if (event.warnings.length > 0) {
    wire['warnings'] = event.warnings.map((w) => {
      const out: Record<string, unknown> = {};
      if (w.vertex !== '') out['vertex'] = w.vertex;
      if (w.level !== 0) out['level'] = w.level;
      if (w.short !== '') out['short'] = base64(new TextEncoder().encode(w.short));
      if (w.detail.length > 0) out['detail'] = w.detail.map((d) => base64(new TextEncoder().encode(d)));
      if (w.url !== '') out['url'] = w.url;
      return out;
    });
  }
  return JSON.stringify(wire);
}

/** What Go writes for an unset `time.Time`; read back as "no time". */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Epoch milliseconds → RFC 3339 in UTC with the fraction to the microsecond and trailing zeros dropped, as Go prints it. */
export function formatTime(ms: number): string {
  const micros = Math.round(ms * 1000);
  const seconds = Math.floor(micros / 1e6);
  const fraction = micros - seconds * 1e6;
  const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
  return fraction === 0 ? `${whole}Z` : `${whole}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 text → epoch milliseconds (sub-millisecond fraction kept); undefined for Go's zero time or bad text. */
function parseTime(text: string): number | undefined | null {
  if (text === GO_ZERO_TIME) return undefined;
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  if (!Number.isFinite(whole)) return null;
  const digits = m[2] ?? '';
  return digits === '' ? whole : whole + Number(digits.padEnd(9, '0')) / 1e6;
}

/**
 * Reads a recording: one JSON event per line as written by `serializeEvent` (blank lines are
 * skipped, missing arrays count as empty, unknown keys are ignored so newer recordings still load).
 * Throws `invalid_argument` naming the line and field when something is malformed.
 */
export function parseRecording(text: string): StatusEvent[] {
  if (typeof text !== 'string') {
    invalidArgument('parseRecording(text): text must be the recording as a string (read the .jsonl file as utf8)', parseRecording);
  }
  const events: StatusEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      invalidArgument(`parseRecording: line ${i + 1} is not valid JSON; each line must hold one event object`, parseRecording, {
        cause: err,
      });
    }
    events.push(decodeEvent(raw, new FieldPath(i + 1)));
  }
  return events;
}

/** Where in a recording a value sits, for error messages. */
class FieldPath {
  constructor(
    readonly line: number,
    readonly path: string = '',
  ) {}

  child(key: string | number): FieldPath {
    const seg = typeof key === 'number' ? `[${key}]` : this.path === '' ? key : `.${key}`;
    return new FieldPath(this.line, this.path + seg);
  }

  fail(expected: string): never {
    const where = this.path === '' ? 'the line' : this.path;
    return invalidArgument(`parseRecording: line ${this.line}: ${where} must be ${expected}`, parseRecording);
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeEvent(raw: unknown, at: FieldPath): StatusEvent {
  if (!isObject(raw)) at.fail('a JSON object with vertexes, statuses, logs and warnings');
  return {
    vertexes: list(raw, 'vertexes', at, decodeVertex),
    statuses: list(raw, 'statuses', at, decodeStatus),
    logs: list(raw, 'logs', at, decodeLog),
    warnings: list(raw, 'warnings', at, decodeWarning),
  };
}

function list<T>(obj: JsonObject, key: string, at: FieldPath, decode: (v: unknown, at: FieldPath) => T): T[] {
  const value = obj[key];
  const here = at.child(key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return here.fail('an array');
  return value.map((item, i) => decode(item, here.child(i)));
}

function str(obj: JsonObject, key: string, at: FieldPath, fallback?: string): string {
  const value = obj[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string') return at.child(key).fail('a string');
  return value;
}

function num(obj: JsonObject, key: string, at: FieldPath, fallback?: number): number {
  const value = obj[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) return at.child(key).fail('a finite number');
  return value;
}

function optionalTime(obj: JsonObject, key: string, at: FieldPath): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  // Recordings from kiln before 0.2 hold epoch milliseconds; BuildKit's JSON (and kiln's now) holds RFC 3339.
  if (typeof value === 'number') return num(obj, key, at);
  if (typeof value !== 'string') return at.child(key).fail('an RFC 3339 time');
  const ms = parseTime(value);
  if (ms === null) return at.child(key).fail('an RFC 3339 time');
  return ms;
}

function decodeVertex(raw: unknown, at: FieldPath): VertexUpdate {
  if (!isObject(raw)) at.fail('a vertex object');
  const inputsRaw = raw['inputs'];
  let inputs: string[] = [];
  if (inputsRaw !== undefined && inputsRaw !== null) {
    if (!Array.isArray(inputsRaw) || !inputsRaw.every((d) => typeof d === 'string')) {
      at.child('inputs').fail('an array of digests');
    }
    inputs = inputsRaw as string[];
  }
  const cached = raw['cached'];
  if (cached !== undefined && typeof cached !== 'boolean') at.child('cached').fail('a boolean');
  const vertex: {
    digest: string;
    inputs: string[];
    name: string;
    cached: boolean;
    started?: number;
    completed?: number;
    error?: string;
    progressGroup?: ProgressGroup;
  } = {
    digest: str(raw, 'digest', at),
    inputs,
    name: str(raw, 'name', at, ''),
    cached: cached === true,
  };
  const started = optionalTime(raw, 'started', at);
  if (started !== undefined) vertex.started = started;
  const completed = optionalTime(raw, 'completed', at);
  if (completed !== undefined) vertex.completed = completed;
  const error = raw['error'];
  if (error !== undefined && error !== null && error !== '') vertex.error = str(raw, 'error', at);
  const group = raw['progressGroup'];
  if (group !== undefined && group !== null) {
    const gat: FieldPath = at.child('progressGroup');
    if (!isObject(group)) gat.fail('an object with id, name and weak');
    const weak = group['weak'];
    if (weak !== undefined && typeof weak !== 'boolean') gat.child('weak').fail('a boolean');
    vertex.progressGroup = { id: str(group, 'id', gat), name: str(group, 'name', gat, ''), weak: weak === true };
  }
  return vertex;
}

function decodeStatus(raw: unknown, at: FieldPath): StatusUpdate {
  if (!isObject(raw)) at.fail('a status object');
  const status: {
    id: string;
    vertex: string;
    name: string;
    current: number;
    total: number;
    timestamp?: number;
    started?: number;
    completed?: number;
  } = {
    id: str(raw, 'id', at),
    vertex: str(raw, 'vertex', at, ''),
    name: str(raw, 'name', at, ''),
    current: num(raw, 'current', at, 0),
    total: num(raw, 'total', at, 0),
  };
  const timestamp = optionalTime(raw, 'timestamp', at);
  if (timestamp !== undefined) status.timestamp = timestamp;
  const started = optionalTime(raw, 'started', at);
  if (started !== undefined) status.started = started;
  const completed = optionalTime(raw, 'completed', at);
  if (completed !== undefined) status.completed = completed;
  return status;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeLog(raw: unknown, at: FieldPath): LogChunk {
  if (!isObject(raw)) at.fail('a log object');
  const stream = num(raw, 'stream', at, 1);
  if (stream !== 1 && stream !== 2) return at.child('stream').fail('1 (stdout) or 2 (stderr)');
  const data = str(raw, 'data', at, '');
  if (data.length % 4 !== 0 || !BASE64.test(data)) at.child('data').fail('base64 text');
  return {
    vertex: str(raw, 'vertex', at, ''),
    stream,
    data: Uint8Array.from(Buffer.from(data, 'base64')),
    timestamp: optionalTime(raw, 'timestamp', at) ?? 0,
  };
}

function decodeWarning(raw: unknown, at: FieldPath): Warning {
  if (!isObject(raw)) at.fail('a warning object');
  const detailRaw = raw['detail'];
  let detail: string[] = [];
  if (detailRaw !== undefined && detailRaw !== null) {
    if (!Array.isArray(detailRaw)) return at.child('detail').fail('an array of base64 strings');
    detail = (detailRaw as unknown[]).map((d, i) => bytesText(d, at.child('detail').child(i)));
  }
  return {
    vertex: str(raw, 'vertex', at, ''),
    level: num(raw, 'level', at, 0),
    short: bytesText(raw['short'], at.child('short')),
    detail,
    url: str(raw, 'url', at, ''),
  };
}

/** A Go `[]byte` field: base64 of UTF-8 text; absent = "". */
function bytesText(value: unknown, at: FieldPath): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) return at.fail('base64 text');
  return Buffer.from(value, 'base64').toString('utf8');
}
