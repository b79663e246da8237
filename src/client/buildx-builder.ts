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
import { contextDirName, jsonObject, type DockerHostChoice, type ReadTextFile } from './docker-context.js';
import { isRecord, textOf } from '../json-record.js';

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
  return isRecord(value) ? value : undefined;
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

/** A builder `docker buildx build` would use, or none (the docker driver of the current context), and why. */
export interface BuildxChoice {
  /** undefined when buildx would use the docker driver of the current docker context. */
  readonly builder: BuildxBuilder | undefined;
  /**
   * Set when buildx's files name a builder that is gone (`docker buildx rm`, a deleted instance file): buildx passes
   * over it quietly and uses its default builder; this says so, for `kiln info` and `kiln doctor`.
   */
  readonly note?: string | undefined;
}

/** A stored builder: its description, `missing` (no file, or a name buildx cannot store), or `broken` (not a description). */
type Stored = { readonly kind: 'found'; readonly json: Record<string, unknown>; readonly nodes: readonly unknown[] } | { readonly kind: 'missing' | 'broken'; readonly file: string };

function storedBuilder(dir: string, name: string, read: ReadTextFile): Stored {
  // buildx keeps builders under their lower-cased name, and only names of this form.
  const file = join(dir, 'instances', name.toLowerCase());
  const body = /^[a-zA-Z][a-zA-Z0-9._-]*$/.test(name) ? read(file) : undefined;
  if (body === undefined) return { kind: 'missing', file };
  const json = jsonObject(body);
  const nodes = Array.isArray(json?.['Nodes']) ? (json['Nodes'] as unknown[]) : undefined;
  return json === undefined || nodes === undefined ? { kind: 'broken', file } : { kind: 'found', json, nodes };
}

function described(name: string, why: string, json: Record<string, unknown>, nodes: readonly unknown[]): BuildxBuilder {
  return {
    name: textOf(json['Name']) || name,
    driver: textOf(json['Driver']),
    nodes: nodes.map((n) => {
      const node = record(n);
      const opts = record(node?.['DriverOpts']) ?? {};
      return {
        name: textOf(node?.['Name']),
        endpoint: textOf(node?.['Endpoint']),
        driverOpts: Object.fromEntries(Object.entries(opts).filter((e): e is [string, string] => typeof e[1] === 'string')),
      };
    }),
    why,
  };
}

/** The docker driver of the current docker context, as buildx lists it among its builders. */
function contextBuilder(docker: DockerHostChoice, why: string): BuildxBuilder {
  return { name: docker.context, driver: 'docker', nodes: [{ name: docker.context, endpoint: docker.context, driverOpts: {} }], why };
}

/**
 * `BUILDX_BUILDER` (buildx's `--builder`): a stored builder, else a docker context. buildx takes a docker context only
 * when it is the current one, and stops otherwise; so does kiln, with buildx's words.
 */
function namedBuilder(name: string, env: Readonly<Record<string, string | undefined>>, dir: string, docker: DockerHostChoice, read: ReadTextFile): BuildxBuilder {
  const why = 'BUILDX_BUILDER';
  const stored = storedBuilder(dir, name, read);
  if (stored.kind === 'found') return described(name, why, stored.json, stored.nodes);
  if (stored.kind === 'broken') {
    throw new KilnError('invalid_argument', `buildx builder "${name}" (${why}): ${stored.file} is not a buildx builder description`, {
      hint: `Recreate the builder (docker buildx rm ${name}; docker buildx create --name ${name} …), or pass --addr.`,
      details: { addressSource: why, file: stored.file },
    });
  }
  if (name === docker.context) return contextBuilder(docker, why);
  const configDir = dockerConfigDir(env);
  const contextExists = name === 'default' || read(join(configDir, 'contexts', 'meta', contextDirName(name), 'meta.json')) !== undefined;
  if (contextExists) {
    throw new KilnError('invalid_argument', `BUILDX_BUILDER=${name} names docker context "${name}", which is not the current one (${docker.context === 'default' ? 'the default context' : `docker context "${docker.context}"`}, by ${docker.source}): docker buildx build stops here too ("use \`docker --context=${name} buildx\` to switch to context "${name}"")`, {
      hint: `Unset BUILDX_BUILDER to build on the current context's Docker, or make "${name}" the current context (DOCKER_CONTEXT=${name}, or docker context use ${name}).`,
      details: { addressSource: why },
    });
  }
  throw new KilnError('invalid_argument', `buildx builder "${name}" (${why}) does not exist: no ${stored.file} and no docker context of that name`, {
    hint: 'Run docker buildx ls, and set BUILDX_BUILDER to one of its builders (or unset it).',
    details: { addressSource: why, file: stored.file },
  });
}

/**
 * The builder `docker buildx use` made current for this docker context (`<buildx dir>/current`: `{"Key","Name","Global"}`,
 * else the `--default` one in `<buildx dir>/defaults/<hash of the key>`). Like buildx, a named builder that is gone
 * (or unreadable) is passed over: the current context's Docker is used instead, and the note says so.
 */
function currentBuilder(dir: string, docker: DockerHostChoice, read: ReadTextFile): BuildxChoice {
  const key = currentKey(docker);
  /** A builder named in buildx's files: its description, or a note on why buildx passes over it. */
  const lookUp = (name: string, why: string): BuildxChoice => {
    const stored = storedBuilder(dir, name, read);
    if (stored.kind === 'found') return { builder: described(name, why, stored.json, stored.nodes) };
    // "default" and the current context's name are the builder buildx falls back to anyway.
    if (name === 'default' || name === docker.context) return { builder: undefined };
    const what = stored.kind === 'missing' ? `no longer exists (no ${stored.file})` : `is unreadable (${stored.file} is not a buildx builder description)`;
    return {
      builder: undefined,
      note: `buildx builder "${name}" (${why}) ${what}: docker buildx build then uses the current docker context's Docker, and kiln goes on as if no builder were chosen`,
    };
  };
  const currentFile = join(dir, 'current');
  const current = read(currentFile);
  let passedOver: string | undefined;
  if (current !== undefined && current.trim() !== '') {
    const json = jsonObject(current);
    const name = textOf(json?.['Name']);
    const why = `the current buildx builder (${currentFile})`;
    if (name !== '' && json?.['Global'] === true) {
      const global = lookUp(name, why);
      if (global.builder !== undefined) return global;
      passedOver = global.note;
    }
    // The builder chosen in this context decides, even when it is gone (buildx does not look at the defaults then).
    if (name !== '' && textOf(json?.['Key']) === key) return lookUp(name, why);
  }
  const defaultsFile = join(dir, 'defaults', createHash('sha256').update(key).digest('hex').slice(0, 20));
  const byDefault = read(defaultsFile)?.trim();
  if (byDefault !== undefined && byDefault !== '') {
    const chosen = lookUp(byDefault, `the default buildx builder (${defaultsFile})`);
    return chosen.builder === undefined && chosen.note === undefined && passedOver !== undefined ? { ...chosen, note: passedOver } : chosen;
  }
  return { builder: undefined, note: passedOver };
}

/**
 * The builder `docker buildx build` would use: `BUILDX_BUILDER`, else the one `docker buildx use` made current. Its
 * builder is undefined when buildx would use the docker driver of the current context (nothing chosen, or a chosen
 * builder that is gone: then with a note). A `BUILDX_BUILDER` that is neither a stored builder nor the current docker
 * context throws `invalid_argument`, as buildx does.
 */
export function chosenBuildxBuilder(env: Readonly<Record<string, string | undefined>>, docker: DockerHostChoice, read: ReadTextFile): BuildxChoice {
  const dir = buildxDir(env);
  const fromEnv = env['BUILDX_BUILDER'];
  if (fromEnv !== undefined && fromEnv !== '') return { builder: namedBuilder(fromEnv, env, dir, docker, read) };
  return currentBuilder(dir, docker, read);
}
