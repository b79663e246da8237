import type { LogChunk, StatusEvent, StatusUpdate, VertexUpdate, Warning } from '../progress/events.js';
import type { google, moby } from '../proto/generated.js';

type Ts = google.protobuf.Timestamp.$Properties | null | undefined;

/** Epoch milliseconds (with sub-ms fraction) of a protobuf Timestamp; undefined when absent. */
export function timestampToMs(ts: Ts): number | undefined {
  if (ts === null || ts === undefined) return undefined;
  return Number(ts.seconds ?? 0) * 1000 + Number(ts.nanos ?? 0) / 1e6;
}

/** Maps one decoded `StatusResponse` into kiln's protobuf-free progress event. */
export function toStatusEvent(msg: moby.buildkit.v1.StatusResponse): StatusEvent {
  const vertexes: VertexUpdate[] = (msg.vertexes ?? []).map((v) => {
    const out: { -readonly [K in keyof VertexUpdate]: VertexUpdate[K] } = {
      digest: v.digest ?? '',
      inputs: [...(v.inputs ?? [])],
      name: v.name ?? '',
      cached: v.cached === true,
    };
    const started = timestampToMs(v.started);
    const completed = timestampToMs(v.completed);
    if (started !== undefined) out.started = started;
    if (completed !== undefined) out.completed = completed;
    if (v.error) out.error = v.error;
    if (v.progressGroup) {
      out.progressGroup = { id: v.progressGroup.id ?? '', name: v.progressGroup.name ?? '', weak: v.progressGroup.weak === true };
    }
    return out;
  });
  const statuses: StatusUpdate[] = (msg.statuses ?? []).map((s) => {
    const out: { -readonly [K in keyof StatusUpdate]: StatusUpdate[K] } = {
      id: s.ID ?? '',
      vertex: s.vertex ?? '',
      name: s.name ?? '',
      current: Number(s.current ?? 0),
      total: Number(s.total ?? 0),
    };
    const timestamp = timestampToMs(s.timestamp);
    const started = timestampToMs(s.started);
    const completed = timestampToMs(s.completed);
    if (timestamp !== undefined) out.timestamp = timestamp;
    if (started !== undefined) out.started = started;
    if (completed !== undefined) out.completed = completed;
    return out;
  });
  const logs: LogChunk[] = (msg.logs ?? []).map((l) => ({
    vertex: l.vertex ?? '',
    stream: Number(l.stream) === 2 ? 2 : 1,
    data: l.msg ?? new Uint8Array(),
    timestamp: timestampToMs(l.timestamp) ?? 0,
  }));
  const warnings: Warning[] = (msg.warnings ?? []).map((w) => ({
    vertex: w.vertex ?? '',
    level: Number(w.level ?? 0),
    short: Buffer.from(w.short ?? new Uint8Array()).toString('utf8'),
    detail: (w.detail ?? []).map((d) => Buffer.from(d).toString('utf8')),
    url: w.url ?? '',
  }));
  return { vertexes, statuses, logs, warnings };
}
