/**
 * Where build secrets come from: files, environment variables or values held in memory. Parses the CLI form
 * (`id=ID[,src=FILE|,env=VAR]`, as `docker buildx build --secret` takes it) and checks every source up front, so a
 * typo fails when the build starts rather than in the middle of it.
 *
 * Secret values never appear in an error message or in `details`; only ids, file paths and variable names do.
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { KilnError, invalidArgument } from '../errors.js';
import { expandHomePath } from '../home-path.js';

/**
 * The largest secret kiln serves: what fits in one 4 MiB gRPC message (the daemon's receive limit) with room for
 * the envelope.
 */
export const MAX_SECRET_BYTES = 4 * 1024 * 1024 - 1024;

/** One build secret and where its value comes from. */
export type SecretSource =
  /** Read from this file (relative paths are resolved against the working directory when checked; a leading `~/` is the home directory). */
  | { readonly id: string; readonly file: string }
  /** Taken from this environment variable. */
  | { readonly id: string; readonly env: string }
  /** Given directly; strings are sent as UTF-8. */
  | { readonly id: string; readonly value: string | Uint8Array };

/**
 * A checked secret: a file (absolute path, read each time the daemon asks, so its bytes are not kept in memory)
 * or bytes captured when it was checked (environment variables and in-memory values).
 */
export type ResolvedSecret =
  | { readonly id: string; readonly kind: 'file'; readonly path: string }
  | { readonly id: string; readonly kind: 'bytes'; readonly data: Buffer; readonly origin: string };

/** Context for parsing and checking secret sources. */
export interface SecretSourceOptions {
  /** Environment to read variables from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Directory relative file paths are resolved against; default `process.cwd()`. */
  readonly cwd?: string | undefined;
}

/**
 * Parses a CLI secret spec: comma-separated `key=value` fields (double quotes allowed around a field, as in CSV).
 * Keys: `id` (required), `src` or `source` (a file path, or a variable name with `type=env`), `env` (a variable
 * name; implies `type=env`) and `type` (`file` or `env`). Without `src`/`env`, `type=file` reads the file named
 * by the id, `type=env` the variable named by the id, and no type takes the variable named by the id when it is set
 * in `options.env`, else the file. Throws `invalid_argument` naming the field and the fix.
 */
export function parseSecretSpec(spec: string, options: SecretSourceOptions = {}): SecretSource {
  if (typeof spec !== 'string' || spec.trim() === '') {
    invalidArgument('secret spec is empty; write it as id=ID[,src=FILE] or id=ID,env=VAR', parseSecretSpec);
  }
  let id: string | undefined;
  let type: 'file' | 'env' | undefined;
  let src: string | undefined;
  let envName: string | undefined;
  for (const field of splitCsvFields(spec, parseSecretSpec)) {
    const eq = field.indexOf('=');
    if (eq < 0) {
      invalidArgument(`secret spec ${JSON.stringify(spec)}: field ${JSON.stringify(field)} must be key=value (e.g. id=${field})`, parseSecretSpec);
    }
    const key = field.slice(0, eq).trim().toLowerCase();
    const value = field.slice(eq + 1);
    switch (key) {
      case 'id':
        id = value;
        break;
      case 'type':
        if (value !== 'file' && value !== 'env') {
          invalidArgument(`secret spec ${JSON.stringify(spec)}: unsupported type ${JSON.stringify(value)}; use type=file or type=env`, parseSecretSpec);
        }
        type = value;
        break;
      case 'src':
      case 'source':
        src = value;
        break;
      case 'env':
        envName = value;
        break;
      default:
        invalidArgument(
          `secret spec ${JSON.stringify(spec)}: unknown key ${JSON.stringify(key)}; the keys are id, src (or source), env and type`,
          parseSecretSpec,
        );
    }
  }
  if (id === undefined || id === '') {
    invalidArgument(`secret spec ${JSON.stringify(spec)} has no id; add id=NAME (the name the build mounts it by)`, parseSecretSpec);
  }
  if (envName !== undefined) {
    if (type === 'file') {
      invalidArgument(`secret spec ${JSON.stringify(spec)}: env= conflicts with type=file; drop one of them`, parseSecretSpec);
    }
    if (src !== undefined) {
      invalidArgument(`secret spec ${JSON.stringify(spec)}: give either env=VAR or src=…, not both`, parseSecretSpec);
    }
    if (envName === '') invalidArgument(`secret spec ${JSON.stringify(spec)}: env= needs a variable name`, parseSecretSpec);
    return { id, env: envName };
  }
  if (src === '') invalidArgument(`secret spec ${JSON.stringify(spec)}: src= needs a file path (or a variable name with type=env)`, parseSecretSpec);
  if (type === 'env') return { id, env: src ?? id };
  if (type === 'file' || src !== undefined) return { id, file: src ?? id };
  const env = options.env ?? process.env;
  return env[id] !== undefined ? { id, env: id } : { id, file: id };
}

/**
 * Checks secret sources before a build: every id present and unique, every file an existing readable regular
 * file within {@link MAX_SECRET_BYTES}, every environment variable set, every value within the limit. Strings are
 * parsed with {@link parseSecretSpec}. Environment variables and in-memory values are captured now (copied, so
 * later changes by the caller do not leak into the build); files are only checked, and read when the daemon asks.
 * Throws `invalid_argument` naming the secret id and what to fix.
 */
export function resolveSecretSources(
  sources: readonly (SecretSource | string)[],
  options: SecretSourceOptions = {},
): ResolvedSecret[] {
  if (!Array.isArray(sources)) invalidArgument('secrets must be an array of secret sources or specs', resolveSecretSources);
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const seen = new Set<string>();
  const out: ResolvedSecret[] = [];
  for (const entry of sources) {
    const source = typeof entry === 'string' ? parseSecretSpec(entry, { env }) : entry;
    if (typeof source !== 'object' || source === null) {
      invalidArgument('each secret must be {id, file}, {id, env}, {id, value} or a spec string like "id=NAME,src=FILE"', resolveSecretSources);
    }
    const id = source.id;
    if (typeof id !== 'string' || id === '') {
      invalidArgument('a secret has no id; give every secret the id the build mounts it by', resolveSecretSources);
    }
    if (seen.has(id)) invalidArgument(`secret ${JSON.stringify(id)} is given twice; give each id one source`, resolveSecretSources);
    seen.add(id);
    out.push(resolveOne(source, id, env, cwd));
  }
  return out;
}

function resolveOne(source: SecretSource, id: string, env: Readonly<Record<string, string | undefined>>, cwd: string): ResolvedSecret {
  const name = `secret ${JSON.stringify(id)}`;
  const kinds = ['file', 'env', 'value'].filter((k) => k in source);
  if (kinds.length !== 1) {
    invalidArgument(`${name} must have exactly one of file, env or value (has ${kinds.length === 0 ? 'none' : kinds.join(', ')})`, resolveSecretSources);
  }
  if ('file' in source) {
    if (typeof source.file !== 'string' || source.file === '') invalidArgument(`${name}: file must be a non-empty path`, resolveSecretSources);
    const path = resolvePath(cwd, expandHomePath(source.file, env));
    checkFile(name, path);
    return { id, kind: 'file', path };
  }
  if ('env' in source) {
    if (typeof source.env !== 'string' || source.env === '') invalidArgument(`${name}: env must name a variable`, resolveSecretSources);
    const value = env[source.env];
    if (value === undefined) {
      invalidArgument(`${name}: environment variable ${source.env} is not set`, resolveSecretSources, {
        hint: `Export ${source.env} before building, or point the secret at a file with src=PATH.`,
      });
    }
    const data = Buffer.from(value, 'utf8');
    checkSize(name, data.length, `environment variable ${source.env}`);
    return { id, kind: 'bytes', data, origin: `environment variable ${source.env}` };
  }
  const value: unknown = source.value;
  let data: Buffer;
  if (typeof value === 'string') data = Buffer.from(value, 'utf8');
  else if (value instanceof Uint8Array) data = Buffer.from(value);
  else invalidArgument(`${name}: value must be a string or a Uint8Array`, resolveSecretSources);
  checkSize(name, data.length, 'the value given');
  return { id, kind: 'bytes', data, origin: 'an in-memory value' };
}

function checkFile(name: string, path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) invalidArgument(`${name}: ${path} is a directory, not a file`, resolveSecretSources);
    size = st.size;
    accessSync(path, fsConstants.R_OK);
  } catch (err) {
    if (err instanceof KilnError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? String(err)})`;
    invalidArgument(`${name}: file ${path} ${why}`, resolveSecretSources, {
      cause: err,
      hint: 'Fix the path in src=…, or use env=VAR to take the secret from an environment variable.',
    });
  }
  checkSize(name, size, `file ${path}`);
}

function checkSize(name: string, size: number, what: string): void {
  if (size > MAX_SECRET_BYTES) {
    invalidArgument(`${name}: ${what} holds ${size} bytes, more than the ${MAX_SECRET_BYTES}-byte limit for a secret`, resolveSecretSources, {
      hint: 'Pass large files to the build as a local context instead.',
    });
  }
}

/** Splits `a=1,"b=2,3",c` into fields; double quotes group (and `""` escapes a quote), as a CSV record does. */
function splitCsvFields(spec: string, callSite: Function): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (quoted) {
      if (c === '"') {
        if (spec[i + 1] === '"') {
          current += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        current += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (quoted) invalidArgument(`secret spec ${JSON.stringify(spec)} has an unterminated quote`, callSite);
  fields.push(current);
  return fields.filter((f) => f.trim() !== '');
}
