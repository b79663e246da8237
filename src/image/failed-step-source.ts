/**
 * A failed build's error, told where the failing step was written: `buildImage` knows which step made each op it
 * sent (`CompiledImage.sources`), the error names the op that failed (`details.vertex`, from the status stream, which
 * every daemon sends; dockerd 20.10 sends no structured error). The location goes in the message, right after its
 * first line, as buildx shows a Dockerfile's line, and in `details.source` for tooling.
 *
 * Internal module.
 */
import { KilnError } from '../errors.js';
import { type Definition, decodeOp } from '../llb/index.js';
import { type SourceLocation, type StepSource, formatSourceLocation, resolveStepSource } from './step-source.js';

/** What the lookup needs of a compiled image: its definition and the step source of each op. */
export interface SourcedDefinition {
  readonly definition: Definition;
  readonly sources: ReadonlyMap<string, StepSource>;
}

/**
 * The sources keyed by the digests of `after`, a rewrite of `before` (`withSourceDateEpoch`, image pins): a rewrite
 * keeps the ops in their order, only their bytes (and so digests) change.
 */
export function remapSources(before: Definition, after: Definition, sources: ReadonlyMap<string, StepSource>): ReadonlyMap<string, StepSource> {
  if (before === after || before.digests.length !== after.digests.length) return sources;
  const out = new Map<string, StepSource>();
  before.digests.forEach((d, i) => {
    const s = sources.get(d);
    const to = after.digests[i];
    if (s !== undefined && to !== undefined) out.set(to, s);
  });
  return out;
}

/** The source of the op that failed: by digest, else (the definition was rewritten on the way) by its unique name. */
function failedStepSource(vertex: string, step: string, compiled: readonly SourcedDefinition[]): StepSource | undefined {
  for (const c of compiled) {
    const s = c.sources.get(vertex);
    if (s !== undefined) return s;
  }
  const named = new Set<StepSource>();
  for (const c of compiled) {
    for (const [digest, meta] of c.definition.metadata) {
      const name = meta.description.get('llb.customname');
      const s = c.sources.get(digest);
      if (s !== undefined && name !== undefined && (step === name || step.endsWith(`] ${name}`))) named.add(s);
    }
  }
  return named.size === 1 ? [...named][0] : undefined;
}

/** `err` with the failing step's location added when it is a failed step of `compiled`; any other error as it is. */
export function withFailedStepSource(err: unknown, compiled: readonly SourcedDefinition[]): unknown {
  if (!KilnError.is(err) || err.code === 'cancelled') return err;
  const { vertex, step } = err.details;
  if (typeof vertex !== 'string' || typeof step !== 'string') return err;
  const head = err.details.stepError === undefined ? undefined : `step "${step}" failed: ${err.details.stepError}`;
  // Known already: the step's error was made of one that named its place (a base image that cannot be had, whose
  // "load metadata" step is no op of the definition); its message did not say it.
  const carried = err.details.source;
  if (carried !== undefined) return err.message.includes(formatSourceLocation(carried).join('\n')) ? err : located(err, head, carried);
  const source = failedStepSource(vertex, step, compiled);
  const loc = source === undefined ? undefined : resolveStepSource(source);
  return loc === undefined ? err : located(err, head, loc);
}

function located(err: KilnError, head: string | undefined, loc: SourceLocation): KilnError {
  return new KilnError(err.code, withSourceBlock(err.message, head, loc), { cause: err.cause ?? err, details: { ...err.details, source: loc }, hint: err.hint });
}

/** `message` with the location's block after `head` (the failure's line, before the output) when it starts so, else at its end. */
export function withSourceBlock(message: string, head: string | undefined, loc: SourceLocation): string {
  const block = formatSourceLocation(loc).join('\n');
  if (head !== undefined && message.startsWith(head)) return `${head}\n${block}${message.slice(head.length)}`;
  return `${message}\n${block}`;
}

/**
 * `err`, a failure found before or outside the build's steps (a base image that cannot be had, a local path missing),
 * told where what it is about was written; `err` as it is when that is not known.
 */
export function withStepSource(err: unknown, source: StepSource | undefined): unknown {
  if (!KilnError.is(err) || err.code === 'cancelled' || source === undefined || err.details.source !== undefined) return err;
  const loc = resolveStepSource(source);
  if (loc === undefined) return err;
  return located(err, err.message.split('\n', 1)[0], loc);
}

/** The step that copies the local directory named `name` (its `local://` source op), where it is known. */
export function localStepSource(compiled: SourcedDefinition, name: string): StepSource | undefined {
  const identifier = `local://${name}`;
  for (let i = 0; i < compiled.definition.ops.length; i++) {
    const digest = compiled.definition.digests[i];
    const source = digest === undefined ? undefined : compiled.sources.get(digest);
    if (source === undefined) continue;
    const body = decodeOp(compiled.definition.ops[i] as Uint8Array).op;
    if (body?.type === 'source' && body.source.identifier === identifier) return source;
  }
  return undefined;
}
