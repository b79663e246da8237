/**
 * The parts of a fake daemon's LLBBridge (gateway) service that every fake answers alike: which job a call belongs to
 * (the `buildkit-controlapi-buildid` header), and `Ping`, which BuildKit answers NOT_FOUND until the job's
 * Control.Solve has registered it (kiln retries), then with the daemon's caps and workers.
 */
import { status as GrpcStatus, type Metadata, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { moby } from '../../src/proto/generated.js';

/** The build (job) a gateway call belongs to. */
export function buildIdOf(call: { metadata: Metadata }): string {
  return String(call.metadata.get('buildkit-controlapi-buildid')[0] ?? '');
}

/** A `Ping` handler: NOT_FOUND for a job `jobs` does not (yet) hold, else `pong`. */
export function pingHandler(
  jobs: { has(id: string): boolean },
  pong: moby.buildkit.v1.frontend.PongResponse.$Properties,
): (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<moby.buildkit.v1.frontend.PongResponse.$Properties>) => void {
  return (call, cb) => {
    const id = buildIdOf(call);
    if (!jobs.has(id)) {
      cb({ code: GrpcStatus.NOT_FOUND, details: `no such job ${id}` });
      return;
    }
    cb(null, pong);
  };
}

/** LLB caps, each enabled. */
export function enabledCaps(ids: readonly string[]): moby.buildkit.v1.apicaps.APICap.$Properties[] {
  return ids.map((ID) => ({ ID, Enabled: true }));
}
