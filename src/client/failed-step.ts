/**
 * The step a gateway solve failed in, as BuildKit reports it (detail `errdefs.Solve+json` of the gRPC status, BuildKit
 * v0.8+ through buildkitd or dockerd 23.0+): the failed op (a command: its args, env, cwd, user and mounts) and, per
 * mount, the result the mount held when the command ended (`mountIDs`: what the command had written by then) and the
 * one it started from (`inputIDs`). kiln opens a container on the former, so a shell sees what the step left behind,
 * or on the latter when asked (`state: 'initial'`), to run the command again from the start.
 *
 * dockerd 20.10 sends errors as text only: there is no report, and the step cannot be opened.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { KilnError } from '../errors.js';
import type { pb } from '../proto/generated.js';
import { decodeStatusDetails, grpcCode } from './grpc-errors.js';
import { mergeEnv } from './process-spec.js';
import { FAILED_STEP_STATES, type FailedStep, type FailedStepCommand, type FailedStepState } from './failed-step-types.js';
import { GATEWAY_EXEC_SIGNALS_CAP, ProcessControl, TTY_OPTION_RULE, isTtyOption, readStopOptions, stopSignalUnsupported } from './process-control.js';
import { formatPlatform } from '../llb/platform.js';
import { runInContainer, type ContainerLayout, type ContainerTarget } from './gateway-container.js';
import { isRecord, textOf } from '../json-record.js';

/** What the daemon's `errdefs.Solve` detail says about a failed command. */
export interface FailedStepReport {
  readonly command: FailedStepCommand;
  /** The container on the mounts as the command left them (`mountIDs`). */
  readonly layout: ContainerLayout;
  /** The same container on the mounts the command started from (`inputIDs`). */
  readonly initialLayout: ContainerLayout;
  readonly mountPoints: readonly string[];
  /** `os/arch[/variant]`, when the op names its platform. */
  readonly platform?: string | undefined;
}

const SOLVE_DETAIL = 'errdefs.Solve+json';
const MOUNT_TYPES: Readonly<Record<string, number>> = { BIND: 0, SECRET: 1, SSH: 2, CACHE: 3, TMPFS: 4 };
const SHARING: Readonly<Record<string, number>> = { SHARED: 0, PRIVATE: 1, LOCKED: 2 };
const NET_MODES: Readonly<Record<string, number>> = { UNSET: 0, HOST: 1, NONE: 2 };

/** Whether a solve error is a step failing (not a cancellation or a lost daemon): the errors a failed step may follow. */
export function isStepFailure(err: unknown): boolean {
  const code = grpcCode(err);
  return code !== undefined && code !== GrpcStatus.CANCELLED && code !== GrpcStatus.UNAVAILABLE && code !== GrpcStatus.DEADLINE_EXCEEDED;
}

/**
 * Reads the daemon's report of a failed command from a gateway solve error: `undefined` when there is none (dockerd
 * 20.10), `'not-a-command'` when the failed op is no command (a file operation).
 */
export function failedStepReport(err: unknown): FailedStepReport | 'not-a-command' | undefined {
  const detail = decodeStatusDetails(err)?.other.find((d) => d.typeUrl.endsWith(SOLVE_DETAIL));
  if (detail === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail.json);
  } catch {
    return undefined;
  }
  const solve = record(parsed);
  const op = record(solve['op']);
  const exec = record(op['exec']);
  if (Object.keys(exec).length === 0) return 'not-a-command';
  const meta = record(exec['meta']);
  const mountIds = strings(solve['mountIDs']);
  const inputIds = strings(solve['inputIDs']);
  const mounts: pb.Mount.$Properties[] = [];
  const initialMounts: pb.Mount.$Properties[] = [];
  for (const [i, value] of (Array.isArray(exec['mounts']) ? exec['mounts'] : []).entries()) {
    const m = record(value);
    const type = enumValue(m['mountType'], MOUNT_TYPES);
    const mount: pb.Mount.$Properties = { dest: textOf(m['dest']), selector: textOf(m['selector']), readonly: m['readonly'] === true, mountType: type };
    // Bind mounts show the result they held when the command ended; the others are made anew (cache, tmpfs, secret, ssh).
    if (type === 0) mount.resultID = mountIds[i] ?? '';
    const cache = record(m['cacheOpt']);
    if (type === 3) mount.cacheOpt = { ID: textOf(cache['ID']), sharing: enumValue(cache['sharing'], SHARING) };
    const tmpfs = record(m['TmpfsOpt'] ?? m['tmpfsOpt']);
    if (type === 4) mount.TmpfsOpt = { size: Number(tmpfs['size'] ?? 0) };
    const secret = record(m['secretOpt']);
    if (type === 1) mount.secretOpt = { ID: textOf(secret['ID']), uid: Number(secret['uid'] ?? 0), gid: Number(secret['gid'] ?? 0), mode: Number(secret['mode'] ?? 0), optional: secret['optional'] === true };
    const ssh = record(m['SSHOpt'] ?? m['sshOpt']);
    if (type === 2) mount.SSHOpt = { ID: textOf(ssh['ID']), uid: Number(ssh['uid'] ?? 0), gid: Number(ssh['gid'] ?? 0), mode: Number(ssh['mode'] ?? 0), optional: ssh['optional'] === true };
    mounts.push(mount);
    initialMounts.push(type === 0 ? { ...mount, resultID: inputIds[i] ?? '' } : mount);
  }
  if (mounts[0]?.dest !== '/') return undefined;
  const platform = record(op['platform']);
  const network = exec['network'] === undefined ? undefined : enumValue(exec['network'], NET_MODES);
  const settings = {
    ...(network === undefined ? {} : { network }),
    ...(typeof platform['OS'] === 'string' ? { platform: { OS: platform['OS'], Architecture: textOf(platform['Architecture']), Variant: textOf(platform['Variant']) } } : {}),
  };
  const os = textOf(platform['OS']);
  // An op that names its OS alone (no architecture) is named by its OS.
  const platformName = os === '' ? undefined : formatPlatform({ os, architecture: textOf(platform['Architecture']), variant: textOf(platform['Variant']) });
  return {
    command: { args: strings(meta['args']), env: strings(meta['env']), cwd: textOf(meta['cwd']) || '/', user: textOf(meta['user']) },
    layout: { mounts, ...settings },
    initialLayout: { mounts: initialMounts, ...settings },
    mountPoints: mounts.map((m) => m.dest ?? ''),
    ...(platformName === undefined ? {} : { platform: platformName }),
  };
}

/** The {@link FailedStep} of a gateway solve error; `daemon` names the daemon in the message of a step it did not report. */
export function failedStepOf(err: unknown, target: ContainerTarget): FailedStep {
  const report = failedStepReport(err);
  if (report === undefined || report === 'not-a-command') {
    const daemon = target.daemon ?? 'the BuildKit daemon';
    const unavailable =
      report === undefined
        ? new KilnError('unsupported', `${daemon} does not report the failed step: kiln cannot open it`, {
            hint: 'dockerd before 23.0 (20.10: BuildKit v0.8) sends build errors as text only. Use a daemon that reports the step (buildkitd, or dockerd 23.0+), or run the commands by hand: kiln run on the image without the failing step.',
            details: { failedStepReported: false },
          })
        : new KilnError('unsupported', 'the failed step is a file operation (a copy, a new file or directory), not a command: there is no command to open', {
            hint: 'Its error says which path was wrong; open the step before it with kiln run on the image up to there.',
            details: { failedStepReported: true },
          });
    return {
      canRun: false,
      mounts: [],
      unavailable,
      run: () => Promise.reject(unavailable),
    };
  }
  return {
    canRun: true,
    command: report.command,
    mounts: report.mountPoints,
    ...(report.platform === undefined ? {} : { platform: report.platform }),
    async run(options = {}) {
      if (options.args !== undefined && (!Array.isArray(options.args) || options.args.length === 0 || options.args.some((a) => typeof a !== 'string'))) {
        throw new KilnError('invalid_argument', 'options.args must be a non-empty array of strings (the command and its arguments)');
      }
      const state: FailedStepState = options.state ?? 'failed';
      if (!FAILED_STEP_STATES.includes(state)) {
        throw new KilnError('invalid_argument', `options.state ${JSON.stringify(state)} is not a state of the step: 'failed' (as its command left it) or 'initial' (before it ran)`);
      }
      const tty = options.tty;
      if (!isTtyOption(tty)) throw new KilnError('invalid_argument', TTY_OPTION_RULE);
      const { stopTimeout, stopSignal, abortMode } = readStopOptions(options, (message) => {
        throw new KilnError('invalid_argument', message);
      });
      const canSignal = target.frontendCaps.has(GATEWAY_EXEC_SIGNALS_CAP);
      if (stopSignal !== undefined && !canSignal) throw stopSignalUnsupported(stopSignal);
      const control = new ProcessControl(canSignal, typeof tty === 'object' ? tty : undefined, stopTimeout, stopSignal);
      await options.onCommandStart?.(control);
      return runInContainer(
        target,
        state === 'initial' ? report.initialLayout : report.layout,
        {
          args: options.args ?? ['/bin/sh'],
          env: mergeEnv(report.command.env, options.env ?? {}),
          cwd: options.cwd ?? report.command.cwd,
          user: options.user ?? report.command.user,
          tty: tty !== undefined && tty !== false,
        },
        { stdin: options.stdin, stdout: options.stdout ?? process.stdout, stderr: options.stderr ?? process.stderr },
        state === 'initial' ? 'the failed step\'s initial state' : 'the failed step',
        { signal: options.signal, abortMode, control },
      );
    },
  };
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : '')) : [];
}

/** An enum as protobuf's JSON writes it: its name (`"CACHE"`), or its number; absent = 0. */
function enumValue(value: unknown, names: Readonly<Record<string, number>>): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return names[value] ?? (Number.isInteger(Number(value)) ? Number(value) : 0);
  return 0;
}
