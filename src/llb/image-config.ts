/**
 * Reading the parts of an OCI image config that BuildKit's Go client carries into a state
 * (`State.WithImageConfig`): the environment, the working directory and the platform.
 *
 * Internal module.
 */
import { invalidArgument } from '../errors.js';
import type { EnvEntry } from './state.js';
import type { Platform } from './platform.js';
import { type CallSite, show } from './validate.js';

/** An image config as a caller has it: the raw JSON (bytes or text, e.g. `resolveImageConfig().config`) or parsed. */
export type ImageConfigInput = Uint8Array | string | Readonly<Record<string, unknown>>;

/** What an image config contributes to a state. */
export interface ImageConfigSettings {
  /** `Config.Env` split at the first "=", entries with an empty name left out. */
  readonly env: readonly EnvEntry[];
  /** `Config.WorkingDir` ('' when unset). */
  readonly workingDir: string;
  /** The platform, when the config names both `os` and `architecture` (taken as written, not normalised). */
  readonly platform: Platform | undefined;
}

function parse(input: ImageConfigInput, name: string, site: CallSite): Record<string, unknown> {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
    try {
      value = JSON.parse(text);
    } catch (e) {
      invalidArgument(`${name} is not JSON (${(e as Error).message}); pass an OCI image config, e.g. resolveImageConfig(ref).config`, site);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(`${name} must be an OCI image config object, got ${show(value)}`, site);
  }
  return value as Record<string, unknown>;
}

function str(obj: Record<string, unknown>, key: string, name: string, site: CallSite): string {
  const v = obj[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') invalidArgument(`${name}.${key} must be a string, got ${show(v)}`, site);
  return v;
}

/** Reads the env, working directory and platform of an OCI image config, as Go's `WithImageConfig` does. */
export function readImageConfig(input: ImageConfigInput, name: string, site: CallSite): ImageConfigSettings {
  const img = parse(input, name, site);
  const rawConfig = img['config'];
  let config: Record<string, unknown> = {};
  if (rawConfig !== undefined && rawConfig !== null) {
    if (typeof rawConfig !== 'object' || Array.isArray(rawConfig)) {
      invalidArgument(`${name}.config must be an object, got ${show(rawConfig)}`, site);
    }
    config = rawConfig as Record<string, unknown>;
  }
  const env: EnvEntry[] = [];
  const rawEnv = config['Env'];
  if (rawEnv !== undefined && rawEnv !== null) {
    if (!Array.isArray(rawEnv)) invalidArgument(`${name}.config.Env must be a list of "NAME=value" strings, got ${show(rawEnv)}`, site);
    for (const [i, e] of (rawEnv as unknown[]).entries()) {
      if (typeof e !== 'string') invalidArgument(`${name}.config.Env[${i}] must be a "NAME=value" string, got ${show(e)}`, site);
      const eq = e.indexOf('=');
      const key = eq === -1 ? e : e.slice(0, eq);
      if (key !== '') env.push([key, eq === -1 ? '' : e.slice(eq + 1)]);
    }
  }
  const os = str(img, 'os', name, site);
  const architecture = str(img, 'architecture', name, site);
  const variant = str(img, 'variant', name, site);
  let platform: Platform | undefined;
  if (os !== '' && architecture !== '') platform = variant === '' ? { os, architecture } : { os, architecture, variant };
  return { env, workingDir: str(config, 'WorkingDir', `${name}.config`, site), platform };
}
