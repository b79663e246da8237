import { capIntroducedIn } from '../llb/caps.js';
import type { DaemonInfo } from './client.js';

/** Which BuildKit v0.x minors a daemon may run, as far as it says: `max` undefined when nothing bounds it. */
export interface BuildkitRange {
  readonly min: number;
  readonly max?: number;
  /** How kiln knows, for messages (`it runs BuildKit v0.13.2`, `dockerd 26.1 embeds BuildKit v0.13`, …). */
  readonly said: string;
}

/** The BuildKit v0.x minor each dockerd release embeds (its vendored BuildKit), for a dockerd that reports v0.0.0+unknown. */
const DOCKERD_BUILDKIT: Readonly<Record<string, number>> = {
  '20.10': 8, '23.0': 10, '24.0': 11, '25.0': 12, '26.0': 13, '26.1': 13, '27.0': 14, '27.1': 15, '27.2': 15, '27.3': 16,
  '27.4': 17, '27.5': 18, '28.0': 20, '28.1': 21, '28.2': 22, '28.3': 23, '28.4': 24, '28.5': 25, '29.0': 25, '29.1': 26,
  '29.2': 27, '29.3': 28, '29.4': 29, '29.5': 30, '29.6': 31, '29.7': 32,
};

/** The newest BuildKit minor that introduced one of the LLB caps the daemon advertises (v0.8 when none kiln dates). */
function minorFromCaps(caps: ReadonlySet<string>): number {
  let minor = 8;
  for (const cap of caps) {
    const m = /^v0\.(\d+)$/.exec(capIntroducedIn(cap) ?? '');
    if (m !== null) minor = Math.max(minor, Number(m[1]));
  }
  return minor;
}

/**
 * The BuildKit a daemon runs, by one rule: its own version when it reports a readable one; for a dockerd that reports
 * none or v0.0.0+unknown (distribution builds), the one its release embeds; else what the daemon shows: a daemon
 * without the Info call (BuildKit before v0.11) runs v0.8 to v0.10, and the LLB caps it advertises raise the lower
 * bound; a daemon that answers Info with a version kiln cannot read (a dev build's v0.0.0+unknown, an empty one) runs
 * v0.11 or later, its caps again raising the bound, with no upper bound.
 */
export function buildkitRange(info: Pick<DaemonInfo, 'kind' | 'version' | 'buildkitVersion' | 'llbCaps'>): BuildkitRange {
  const m = /^v?0\.(\d+)/.exec(info.buildkitVersion ?? '');
  if (m !== null && Number(m[1]) > 0) return { min: Number(m[1]), max: Number(m[1]), said: `it runs BuildKit ${info.buildkitVersion}` };
  if (info.kind === 'dockerd') {
    const release = /^(\d+\.\d+)/.exec(info.version)?.[1];
    const embedded = release === undefined ? undefined : DOCKERD_BUILDKIT[release];
    if (embedded !== undefined) return { min: embedded, max: embedded, said: `dockerd ${release} embeds BuildKit v0.${embedded}` };
  }
  const fromCaps = minorFromCaps(info.llbCaps);
  const caps = fromCaps > 8 ? `; its LLB caps show v0.${fromCaps} or later` : '';
  if (info.buildkitVersion === undefined && fromCaps < 11) return { min: fromCaps, max: 10, said: `its BuildKit is older than v0.11${caps}` };
  const reported = info.buildkitVersion === undefined || info.buildkitVersion === '' ? 'no version' : info.buildkitVersion;
  return { min: Math.max(fromCaps, 11), said: `it reports ${reported} for its BuildKit${caps}` };
}
