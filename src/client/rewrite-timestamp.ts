import { KilnError } from '../errors.js';
import { isClassicDockerd, type DaemonInfo } from './client.js';
import type { OutputSpec } from './output-spec.js';
import { buildkitRange } from './buildkit-range.js';
import { parseGoBool } from '../go-parse-bool.js';

/** The exporter option that clamps the file times inside every layer to `SOURCE_DATE_EPOCH` (BuildKit v0.13+). */
export const REWRITE_TIMESTAMP = 'rewrite-timestamp';

/** Whether `output` asks for `rewrite-timestamp` (a true value as BuildKit's strconv.ParseBool reads one). */
export function wantsRewriteTimestamp(output: OutputSpec): boolean {
  const attrs = 'attrs' in output ? output.attrs : undefined;
  const v = attrs?.[REWRITE_TIMESTAMP];
  return v !== undefined && parseGoBool(v) === true;
}

const TARBALL_HINT =
  'Write the image to a file and load or push that (-o type=oci,dest=img.tar,rewrite-timestamp=true, or type=docker,dest=…) on a dockerd with the containerd image store or a buildkitd v0.13+, or push from a buildkitd v0.13+ (-o type=image,name=R,push=true,rewrite-timestamp=true).';

/**
 * Refuses, before anything is built, an output asking for `rewrite-timestamp=true` that the daemon would not honour
 * (it would export an image with the times its files were written at, so the digest of a rebuild differs, and say
 * nothing): daemons before BuildKit v0.13 do not know the option, and dockerd's own exporter (images it stores:
 * `-t`, `--load`, `type=image`, and on the classic image store a `type=docker` file saved from it) cannot apply it
 * (the classic store's exporter has no such option; the containerd store unpacks every image it stores, which BuildKit
 * refuses with it). `moby` says whether the output goes through dockerd's exporter. A daemon that does not say which
 * BuildKit it runs (see {@link buildkitRange}) gets the option, and this returns a note saying the daemon decides.
 */
export function checkRewriteTimestamp(output: OutputSpec, info: DaemonInfo, moby: boolean): string[] {
  if (!wantsRewriteTimestamp(output)) return [];
  if (moby) {
    const why = isClassicDockerd(info)
      ? "the classic image store's exporter cannot rewrite file times"
      : 'it unpacks every image it stores, which BuildKit does not do with rewritten layers';
    throw new KilnError('unsupported', `${REWRITE_TIMESTAMP}=true is not available for an image stored by ${info.description}: ${why}`, {
      hint: TARBALL_HINT,
      details: { output: output.type, daemon: info.description },
    });
  }
  const { min, max, said } = buildkitRange(info);
  if (max !== undefined && max < 13) {
    throw new KilnError('unsupported', `${REWRITE_TIMESTAMP}=true needs BuildKit v0.13 or later; ${info.description} would ignore it and keep every file's own time (${said})`, {
      hint: 'Build on a buildkitd v0.13+ or a dockerd whose embedded BuildKit is v0.13+ (dockerd 26+ with the containerd image store).',
      details: { output: output.type, daemon: info.description },
    });
  }
  if (min < 13) return [`[kiln] ${REWRITE_TIMESTAMP}=true needs BuildKit v0.13 or later, and ${info.description} does not say whether it runs one (${said}): kiln passes it on, and an older daemon keeps every file's own time`];
  return [];
}

/**
 * Refuses an output asking for `rewrite-timestamp=true` when the build has no `SOURCE_DATE_EPOCH` (`epoch`, or a
 * `source-date-epoch` exporter attribute): BuildKit would then rewrite nothing and only warn in its own log.
 */
export function checkRewriteTimestampEpoch(output: OutputSpec, epoch: number | undefined): void {
  if (!wantsRewriteTimestamp(output) || epoch !== undefined) return;
  if ('attrs' in output && output.attrs?.['source-date-epoch'] !== undefined) return;
  throw new KilnError('invalid_argument', `the output asks for ${REWRITE_TIMESTAMP}=true, but no SOURCE_DATE_EPOCH was given: there is no time to clamp the files to`, {
    hint: 'Set SOURCE_DATE_EPOCH (e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)), or pass sourceDateEpoch.',
  });
}
