/**
 * The buildx builder `docker buildx build` would use: `BUILDX_BUILDER`, else the one `docker buildx use` made current
 * for the current docker context (`<buildx dir>/current`: `{"Key","Name","Global"}`, else the `--default` one in
 * `<buildx dir>/defaults/<hash of the key>`). Its description is `<buildx dir>/instances/<name>` (driver, nodes with an
 * endpoint and driver options); `<buildx dir>` is `BUILDX_CONFIG`, else `<docker config dir>/buildx`.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { KilnError } from '../errors.js';
import { dockerConfigDir } from '../session/docker-config.js';
import { contextEndpoint, type DockerHostChoice, type ReadTextFile } from './docker-context.js';

/** One node of a builder, as buildx stores it. */
export interface BuildxNode {
  readonly name: string;
  readonly endpoint: string;
  readonly driverOpts: Readonly<Record<string, string>>;
}

/** A builder `docker buildx build` would use, and why. */
export interface BuildxBuilder {
  readonly name: string;
  /** `docker`, `docker-container`, `remote`, `kubernetes`…; `docker` for a docker context used as a builder. */
  readonly driver: string;
  readonly nodes: readonly BuildxNode[];
  /** `BUILDX_BUILDER`, or `the current buildx builder (…/buildx/current)`. */
  readonly why: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The directory buildx keeps its state in. */
export function buildxDir(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env['BUILDX_CONFIG'];
  return explicit !== undefined && explicit !== '' ? explicit : join(dockerConfigDir(env), 'buildx');
}

/** The key buildx files the current builder under: the context's name, or the default context's Docker host. */
function currentKey(docker: DockerHostChoice): string {
  return docker.context === 'default' ? docker.host : docker.context;
}

/** The builder's name when one was chosen (`BUILDX_BUILDER`, `docker buildx use`), with why; else undefined. */
function chosenName(env: Readonly<Record<string, string | undefined>>, dir: string, docker: DockerHostChoice, read: ReadTextFile): { name: string; why: string } | undefined {
  const fromEnv = env['BUILDX_BUILDER'];
  if (fromEnv !== undefined && fromEnv !== '') return { name: fromEnv, why: 'BUILDX_BUILDER' };
  const key = currentKey(docker);
  const currentFile = join(dir, 'current');
  const current = read(currentFile);
  if (current !== undefined && current.trim() !== '') {
    let json: Record<string, unknown> | undefined;
    try {
      json = record(JSON.parse(current) as unknown);
    } catch {
      json = undefined;
    }
    const name = text(json?.['Name']);
    if (name !== '' && (json?.['Global'] === true || text(json?.['Key']) === key)) return { name, why: `the current buildx builder (${currentFile})` };
  }
  const defaultsFile = join(dir, 'defaults', createHash('sha256').update(key).digest('hex').slice(0, 20));
  const byDefault = read(defaultsFile)?.trim();
  if (byDefault !== undefined && byDefault !== '') return { name: byDefault, why: `the default buildx builder (${defaultsFile})` };
  return undefined;
}

/**
 * The builder `docker buildx build` would use, when one was chosen; undefined when buildx would use the docker
 * driver of the current context (nothing chosen). A chosen name that is neither a stored builder nor a docker
 * context throws `invalid_argument`, as buildx does.
 */
export function chosenBuildxBuilder(
  env: Readonly<Record<string, string | undefined>>,
  docker: DockerHostChoice,
  read: ReadTextFile,
): BuildxBuilder | undefined {
  const dir = buildxDir(env);
  const chosen = chosenName(env, dir, docker, read);
  if (chosen === undefined) return undefined;
  // buildx keeps builders under their lower-cased name, and only names of this form.
  const instanceFile = join(dir, 'instances', chosen.name.toLowerCase());
  const stored = /^[a-zA-Z][a-zA-Z0-9._-]*$/.test(chosen.name) ? read(instanceFile) : undefined;
  if (stored === undefined) {
    // buildx's builder list includes every docker context, as a docker-driver builder.
    if (chosen.name === 'default' || chosen.name === docker.context) return { name: chosen.name, driver: 'docker', nodes: [{ name: chosen.name, endpoint: chosen.name, driverOpts: {} }], why: chosen.why };
    try {
      contextEndpoint(chosen.name, dockerConfigDir(env), read, `buildx builder named by ${chosen.why}`);
    } catch (err) {
      if (!KilnError.is(err, 'invalid_argument')) throw err;
      throw new KilnError('invalid_argument', `buildx builder "${chosen.name}" (${chosen.why}) does not exist: no ${instanceFile} and no docker context of that name`, {
        cause: err,
        hint: chosen.why === 'BUILDX_BUILDER' ? 'Run docker buildx ls, and set BUILDX_BUILDER to one of its builders (or unset it).' : 'Run docker buildx ls, and docker buildx use one of its builders.',
        details: { addressSource: chosen.why, file: instanceFile },
      });
    }
    return { name: chosen.name, driver: 'docker', nodes: [{ name: chosen.name, endpoint: chosen.name, driverOpts: {} }], why: chosen.why };
  }
  let json: Record<string, unknown> | undefined;
  try {
    json = record(JSON.parse(stored) as unknown);
  } catch {
    json = undefined;
  }
  const nodes = Array.isArray(json?.['Nodes']) ? (json['Nodes'] as unknown[]) : undefined;
  if (json === undefined || nodes === undefined) {
    throw new KilnError('invalid_argument', `buildx builder "${chosen.name}" (${chosen.why}): ${instanceFile} is not a buildx builder description`, {
      hint: `Recreate the builder (docker buildx rm ${chosen.name}; docker buildx create --name ${chosen.name} …), or pass --addr.`,
      details: { addressSource: chosen.why, file: instanceFile },
    });
  }
  return {
    name: text(json['Name']) || chosen.name,
    driver: text(json['Driver']),
    nodes: nodes.map((n) => {
      const node = record(n);
      const opts = record(node?.['DriverOpts']) ?? {};
      return {
        name: text(node?.['Name']),
        endpoint: text(node?.['Endpoint']),
        driverOpts: Object.fromEntries(Object.entries(opts).filter((e): e is [string, string] => typeof e[1] === 'string')),
      };
    }),
    why: chosen.why,
  };
}
