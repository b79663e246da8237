import { KilnError } from '../errors.js';
import { isRecord } from '../json-record.js';

/** The runtime part of an OCI image config (`config` in the image config JSON). */
export interface ImageRuntimeConfig {
  readonly User?: string | undefined;
  readonly ExposedPorts?: Readonly<Record<string, Readonly<Record<string, never>>>> | undefined;
  readonly Env?: readonly string[] | undefined;
  readonly Entrypoint?: readonly string[] | undefined;
  readonly Cmd?: readonly string[] | undefined;
  readonly Volumes?: Readonly<Record<string, Readonly<Record<string, never>>>> | undefined;
  readonly WorkingDir?: string | undefined;
  readonly Labels?: Readonly<Record<string, string>> | undefined;
  readonly StopSignal?: string | undefined;
  readonly Healthcheck?: Readonly<Record<string, unknown>> | undefined;
  readonly Shell?: readonly string[] | undefined;
  readonly OnBuild?: readonly string[] | undefined;
}

/** One history entry of an image config. */
export interface ImageHistoryEntry {
  readonly created?: string | undefined;
  readonly created_by?: string | undefined;
  readonly comment?: string | undefined;
  readonly empty_layer?: boolean | undefined;
}

/** An OCI image config (the JSON the daemon resolves for a base image and that exporters write). */
export interface ImageConfig {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string | undefined;
  readonly created?: string | undefined;
  readonly author?: string | undefined;
  readonly config: ImageRuntimeConfig;
  readonly rootfs?: { readonly type: string; readonly diff_ids: readonly string[] } | undefined;
  readonly history?: readonly ImageHistoryEntry[] | undefined;
}

/** The PATH Docker and BuildKit use when an image sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A config for an image built from scratch: no env but a default PATH, like BuildKit's default. */
export function emptyImageConfig(platform: { readonly os: string; readonly architecture: string; readonly variant?: string | undefined }): ImageConfig {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant === undefined ? {} : { variant: platform.variant }),
    config: { Env: [`PATH=${DEFAULT_PATH}`] },
  };
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

/** Parses the image config bytes the daemon resolved (`ResolveImageConfig`). Unknown fields are dropped. */
export function parseImageConfig(bytes: Uint8Array | string, ref: string): ImageConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new KilnError('protocol', `the image config of ${ref} is not valid JSON`, { cause });
  }
  if (!isRecord(raw)) throw new KilnError('protocol', `the image config of ${ref} is not a JSON object`);
  const cfg = isRecord(raw['config']) ? raw['config'] : {};
  const runtime: { -readonly [K in keyof ImageRuntimeConfig]: ImageRuntimeConfig[K] } = {};
  if (typeof cfg['User'] === 'string' && cfg['User'] !== '') runtime.User = cfg['User'];
  if (typeof cfg['WorkingDir'] === 'string' && cfg['WorkingDir'] !== '') runtime.WorkingDir = cfg['WorkingDir'];
  if (typeof cfg['StopSignal'] === 'string' && cfg['StopSignal'] !== '') runtime.StopSignal = cfg['StopSignal'];
  for (const key of ['Env', 'Entrypoint', 'Cmd', 'Shell', 'OnBuild'] as const) {
    const v = stringArray(cfg[key]);
    if (v !== undefined) runtime[key] = v;
  }
  for (const key of ['ExposedPorts', 'Volumes'] as const) {
    const v = cfg[key];
    if (isRecord(v)) runtime[key] = Object.fromEntries(Object.keys(v).map((k) => [k, {}]));
  }
  if (isRecord(cfg['Labels'])) {
    runtime.Labels = Object.fromEntries(Object.entries(cfg['Labels']).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  if (isRecord(cfg['Healthcheck'])) runtime.Healthcheck = cfg['Healthcheck'];
  const out: { -readonly [K in keyof ImageConfig]: ImageConfig[K] } = {
    architecture: typeof raw['architecture'] === 'string' ? raw['architecture'] : 'amd64',
    os: typeof raw['os'] === 'string' ? raw['os'] : 'linux',
    config: runtime,
  };
  if (typeof raw['variant'] === 'string' && raw['variant'] !== '') out.variant = raw['variant'];
  if (typeof raw['created'] === 'string') out.created = raw['created'];
  if (typeof raw['author'] === 'string' && raw['author'] !== '') out.author = raw['author'];
  if (Array.isArray(raw['history'])) out.history = raw['history'].filter(isRecord) as ImageHistoryEntry[];
  if (isRecord(raw['rootfs']) && Array.isArray(raw['rootfs']['diff_ids'])) {
    out.rootfs = { type: 'layers', diff_ids: stringArray(raw['rootfs']['diff_ids']) ?? [] };
  }
  return out;
}

/** `KEY=VALUE` list → ordered entries (later duplicates win, keeping the first position like Docker). */
export function envEntries(env: readonly string[] | undefined): [string, string][] {
  const map = new Map<string, string>();
  for (const kv of env ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) continue;
    map.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return [...map.entries()];
}

/**
 * The config JSON handed to the exporter (`containerimage.config`): the runtime config with every change applied;
 * rootfs and history are left to the exporter, which rebuilds them from the layers. Keys are written in a fixed
 * order so the same image always produces the same bytes.
 */
export function serializeImageConfig(config: ImageConfig): string {
  const c = config.config;
  const runtime: Record<string, unknown> = {};
  if (c.User !== undefined) runtime['User'] = c.User;
  if (c.ExposedPorts !== undefined && Object.keys(c.ExposedPorts).length > 0) runtime['ExposedPorts'] = sortObject(c.ExposedPorts);
  if (c.Env !== undefined) runtime['Env'] = c.Env;
  if (c.Entrypoint !== undefined) runtime['Entrypoint'] = c.Entrypoint;
  if (c.Cmd !== undefined) runtime['Cmd'] = c.Cmd;
  if (c.Volumes !== undefined && Object.keys(c.Volumes).length > 0) runtime['Volumes'] = sortObject(c.Volumes);
  if (c.WorkingDir !== undefined) runtime['WorkingDir'] = c.WorkingDir;
  if (c.Labels !== undefined && Object.keys(c.Labels).length > 0) runtime['Labels'] = sortObject(c.Labels);
  if (c.StopSignal !== undefined) runtime['StopSignal'] = c.StopSignal;
  if (c.Healthcheck !== undefined) runtime['Healthcheck'] = c.Healthcheck;
  if (c.Shell !== undefined) runtime['Shell'] = c.Shell;
  const out: Record<string, unknown> = { architecture: config.architecture, os: config.os };
  if (config.variant !== undefined) out['variant'] = config.variant;
  if (config.author !== undefined) out['author'] = config.author;
  out['config'] = runtime;
  if (config.history !== undefined) out['history'] = config.history;
  if (config.rootfs !== undefined) out['rootfs'] = config.rootfs;
  return JSON.stringify(out);
}

function sortObject<T>(obj: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k]!;
  return out;
}

/** RFC 3339 time (UTC, whole seconds) of a Unix time in seconds: `2023-11-14T22:13:20Z`. */
export function epochToRfc3339(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The config as built at `epochSeconds` (the `SOURCE_DATE_EPOCH` convention): `created` is that time, and so is
 * every history entry that carries no time of its own (the ones the build added; the base image's keep theirs).
 */
export function withCreationTime(config: ImageConfig, epochSeconds: number): ImageConfig {
  const created = epochToRfc3339(epochSeconds);
  return {
    ...config,
    created,
    ...(config.history === undefined ? {} : { history: config.history.map((h) => (h.created === undefined ? { ...h, created } : h)) }),
  };
}

/**
 * {@link withCreationTime} on raw config JSON (exporter metadata `containerimage.config`), keeping every field as
 * it is. Returns the input unchanged when it is not a JSON object.
 */
export function stampConfigJson(json: Uint8Array | string, epochSeconds: number): Uint8Array | string {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof json === 'string' ? json : Buffer.from(json).toString('utf8'));
  } catch {
    return json;
  }
  if (!isRecord(raw)) return json;
  const created = epochToRfc3339(epochSeconds);
  const out: Record<string, unknown> = { ...raw, created };
  if (Array.isArray(raw['history'])) {
    out['history'] = raw['history'].map((h: unknown) => (isRecord(h) && h['created'] === undefined ? { ...h, created } : h));
  }
  return JSON.stringify(out);
}
