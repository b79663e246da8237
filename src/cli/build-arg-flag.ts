import { KilnError } from '../errors.js';
import { type BuildProxy, mergeProxy, proxyFromBuildArgs, readDockerProxyConfig } from '../image/build-proxy.js';
import type { ResolvedAddress } from '../client/address.js';
import { dockerHostFromEnv } from '../client/docker-context.js';
import { dockerConfigDir } from '../session/docker-config.js';

/**
 * `--build-arg` values as docker build reads them: `NAME=value`, or `NAME` alone for the variable NAME of `env` (left
 * out when it is not set).
 */
export function parseBuildArgFlags(values: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const buildArgs: Record<string, string> = {};
  for (const arg of values) {
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (name === '') throw new KilnError('invalid_argument', `--build-arg ${arg} names no argument; write NAME=value (or NAME to take the variable NAME)`);
    const value = eq === -1 ? env[name] : arg.slice(eq + 1);
    if (value !== undefined) buildArgs[name] = value;
  }
  return buildArgs;
}

/**
 * The proxies `kiln build` gives every step, as the docker CLI picks them: the proxy build args given
 * (`--build-arg HTTP_PROXY=…`, or `--build-arg HTTP_PROXY` for the variable's value), and for the fields those leave
 * unset the `proxies` of Docker's `config.json` (`$DOCKER_CONFIG`, else `~/.docker`) for the daemon `host`, else its
 * `default` entry. The CLI's own `HTTP_PROXY` variables are not passed unless named by `--build-arg`: they say how
 * this machine reaches the network, not how the daemon's steps do (the docker CLI does not pass them either).
 */
export function cliBuildProxy(buildArgs: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>, host: string | undefined): BuildProxy | undefined {
  return mergeProxy(proxyFromBuildArgs(buildArgs), readDockerProxyConfig(dockerConfigDir(env), host));
}

/**
 * The Docker config's `proxies` key for a build on `address`, as buildx picks it: the Docker daemon the docker CLI
 * talks to — the one kiln builds on for a `docker://` address (`docker://unix:///var/run/docker.sock` is
 * `unix:///var/run/docker.sock`), the Docker a `docker-container://` builder runs on when it names one, else the
 * environment's (`DOCKER_HOST`, the docker context, the default socket) even when the build goes to a buildkitd.
 * `undefined` (the `default` entry) when that Docker cannot be told.
 */
export function dockerProxyHostKey(address: ResolvedAddress, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (address.address.kind === 'docker' && address.text.startsWith('docker://')) return address.text.slice('docker://'.length);
  if (address.address.kind === 'docker-container' && address.address.dockerHost !== undefined) return address.address.dockerHost;
  try {
    return dockerHostFromEnv(env).host;
  } catch {
    // A docker context that cannot be read decides nothing about a build that does not use it: the default entry.
    return undefined;
  }
}
