/**
 * Target platforms (`os/architecture[/variant]`), normalised the way containerd does so that
 * "aarch64", "arm64/v8" and "arm64" are the same platform.
 */
import { invalidArgument } from '../errors.js';
import type { PbPlatform } from './pb.js';
import { type CallSite, show } from './validate.js';

/** An OCI platform. */
export interface Platform {
  /** Operating system, e.g. `linux`. */
  readonly os: string;
  /** CPU architecture, e.g. `amd64`, `arm64`, `arm`. */
  readonly architecture: string;
  /** Architecture variant, e.g. `v7` for 32-bit ARM; empty when none. */
  readonly variant?: string | undefined;
}

/** A platform object or its string form (`"linux/arm64"`, `"linux/arm/v7"`). */
export type PlatformInput = Platform | string;

/** linux/amd64, the default marshal platform. */
export const LINUX_AMD64: Platform = Object.freeze({ os: 'linux', architecture: 'amd64' });
/** linux/arm64. */
export const LINUX_ARM64: Platform = Object.freeze({ os: 'linux', architecture: 'arm64' });
/** linux/arm/v7. */
export const LINUX_ARMHF: Platform = Object.freeze({ os: 'linux', architecture: 'arm', variant: 'v7' });

function normalizeArch(arch: string, variant: string): [string, string] {
  arch = arch.toLowerCase();
  variant = variant.toLowerCase();
  switch (arch) {
    case 'i386':
      return ['386', ''];
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', variant === 'v1' ? '' : variant];
    case 'aarch64':
    case 'arm64':
      return ['arm64', variant === '8' || variant === 'v8' ? '' : variant];
    case 'armhf':
      return ['arm', 'v7'];
    case 'armel':
      return ['arm', 'v6'];
    case 'arm':
      if (variant === '' || variant === '7') return ['arm', 'v7'];
      if (variant === '5' || variant === '6' || variant === '8') return ['arm', `v${variant}`];
      return ['arm', variant];
    default:
      return [arch, variant];
  }
}

const COMPONENT = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses and normalises a platform. Strings are `os/arch[/variant]`.
 *
 * @example
 * normalizePlatform('linux/aarch64') // { os: 'linux', architecture: 'arm64' }
 */
export function normalizePlatform(input: PlatformInput, name = 'platform', site: CallSite = normalizePlatform): Platform {
  let os: unknown;
  let arch: unknown;
  let variant: unknown = '';
  if (typeof input === 'string') {
    const parts = input.split('/');
    if (parts.length < 2 || parts.length > 3) {
      invalidArgument(`${name} ${show(input)} must look like "linux/amd64" or "linux/arm/v7"`, site);
    }
    [os, arch, variant = ''] = parts;
  } else if (typeof input === 'object' && input !== null) {
    os = input.os;
    arch = input.architecture;
    variant = input.variant ?? '';
  } else {
    invalidArgument(`${name} must be a platform object or a string such as "linux/amd64", got ${show(input)}`, site);
  }
  for (const [what, v] of [
    ['os', os],
    ['architecture', arch],
  ] as const) {
    if (typeof v !== 'string' || !COMPONENT.test(v)) {
      invalidArgument(`${name} ${what} must be a word such as ${what === 'os' ? '"linux"' : '"amd64"'}, got ${show(v)}`, site);
    }
  }
  if (typeof variant !== 'string' || (variant !== '' && !COMPONENT.test(variant))) {
    invalidArgument(`${name} variant must be a word such as "v7", got ${show(variant)}`, site);
  }
  let o = (os as string).toLowerCase();
  if (o === 'macos') o = 'darwin';
  const [a, v] = normalizeArch(arch as string, variant);
  return v === '' ? { os: o, architecture: a } : { os: o, architecture: a, variant: v };
}

/** `os/arch[/variant]`; `os` alone for a platform that names no architecture (a variant is then left out too). */
export function formatPlatform(p: Platform): string {
  if (p.architecture === '') return p.os;
  return p.variant !== undefined && p.variant !== '' ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** The protobuf shape of a platform. */
export function toPbPlatform(p: Platform): PbPlatform {
  return { architecture: p.architecture, os: p.os, variant: p.variant ?? '', osVersion: '', osFeatures: [] };
}
