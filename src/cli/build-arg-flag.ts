import { KilnError } from '../errors.js';
import { type BuildProxy, mergeProxy, proxyFromBuildArgs, readDockerProxyConfig } from '../image/build-proxy.js';
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

/** The Docker config's key for a daemon address (`docker://unix:///var/run/docker.sock` is `unix:///var/run/docker.sock`). */
export function dockerProxyHostKey(address: string): string {
  return address.startsWith('docker://') ? address.slice('docker://'.length) : address;
}
