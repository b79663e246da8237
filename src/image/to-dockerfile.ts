/**
 * `image.toDockerfile()`: the Dockerfile that builds the same filesystem and config, for review and migration.
 * It uses only what the Dockerfile frontend embedded in Docker 20.10 understands (`RUN --mount`, `--network`,
 * no heredocs, no `COPY --link`): multi-line scripts are written in JSON form, per-step variables as an `export`
 * prefix, installer steps that must run as root are wrapped in `USER root` … `USER <previous>`, and images this
 * one copies from become earlier stages. Filters on local directories cannot be expressed per `COPY` on that
 * frontend; the comment above the instruction gives them as `.dockerignore` lines (relative to the context). One difference remains by nature: `setEnvVars`
 * keeps references to unknown variables as written, while a Dockerfile `ENV` expands them to nothing.
 *
 * Independent run steps (`outputs`) become stages: the instructions before a group end a stage (`kiln-1`), each
 * member runs in its own stage on it (`FROM kiln-1 AS kiln-1-1`), and the image continues from that stage with one
 * `COPY --from=<member> <output> <output>` per declared output. Multi-stage rather than sequential `RUN`s because it
 * is the same image: only the declared outputs are kept and no member sees another's files, exactly as kiln builds
 * it — and BuildKit builds those stages in parallel too. Sequential `RUN`s would keep everything each command writes
 * (caches, temporary files) and let each see the others' output, a different image. Configuration between members
 * (`ENV`, `USER`, …) is repeated in the later members' stages and after the copies.
 *
 * Internal module; reached through `Image.toDockerfile()`.
 */
import { placeBranches } from './branches.js';
import type { Image } from './image.js';
import { imageSpec } from './image.js';
import { shortRef } from './step-builders.js';
import type { CopyStep, LocalRef, RunMount, RunStep, Step } from './steps.js';
import { shellQuote } from './shell.js';

function jsonArgs(args: readonly string[]): string {
  return JSON.stringify(args);
}

/** A double-quoted Dockerfile word; `$` is escaped unless `expand`. */
function dqWord(s: string, expand: boolean): string {
  let out = s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  if (!expand) out = out.replace(/\$/g, '\\$');
  return `"${out.replace(/\n/g, '\\n')}"`;
}

function localPathText(local: LocalRef, path: string): string {
  const rel = path === '/' ? local.root : `${local.root === '.' ? '' : `${local.root}/`}${path.replace(/^\//, '')}`;
  return rel === '' ? '.' : rel;
}

function isPlainImage(image: Image): boolean {
  const spec = imageSpec(image);
  return spec.steps.length === 0 && spec.base.kind === 'registry';
}

class Writer {
  readonly names = new Map<Image, string>();
  readonly out: string[] = [];

  stageRef(image: Image): string {
    if (isPlainImage(image)) {
      const base = imageSpec(image).base;
      if (base.kind === 'registry') return shortRef(base.ref);
    }
    const known = this.names.get(image);
    if (known !== undefined) return known;
    this.emit(image, `stage-${this.names.size}`);
    return this.names.get(image) as string;
  }

  emit(image: Image, name: string | undefined): void {
    const spec = imageSpec(image);
    // Earlier stages first: everything this image copies or mounts from.
    for (const step of spec.steps) {
      if (step.kind === 'copy' && step.from.kind === 'image') this.stageRef(step.from.image);
      if (step.kind === 'run') for (const m of step.mounts) if (m.type === 'image') this.stageRef(m.image);
    }
    if (name !== undefined) this.names.set(image, name);
    // Stages of this image's own: one per group of independent steps, plus the part before each group.
    const prefix = name ?? 'kiln';
    const blocks: string[][] = [];
    let from = spec.base.kind === 'scratch' ? 'scratch' : shortRef(spec.base.ref);
    let lines: string[] = [];
    if (spec.base.kind === 'registry' && spec.base.secret !== undefined) {
      lines.push('# kiln: the base image is pulled with registry credentials (docker login before building)');
    }
    let user = '';
    const setUser = (u: string): void => {
      user = u;
    };
    const baseKey = spec.base.kind === 'scratch' ? 'scratch' : spec.base.ref;
    const placed = placeBranches(spec.steps);
    let group: { readonly name: string; readonly lower: string; readonly config: string[]; readonly copies: string[]; members: number } | undefined;
    let parts = 0;
    const close = (): void => {
      if (group === undefined) return;
      from = group.lower;
      lines = [...group.copies, ...group.config];
      group = undefined;
    };
    for (const step of spec.steps) {
      const placement = placed.get(step);
      if (step.kind === 'run' && placement !== undefined) {
        if (group === undefined || !placement.joins) {
          close();
          const name = `${prefix}-${++parts}`;
          // Nothing since the last FROM: the members start from that image directly.
          if (lines.length > 0) blocks.push([`FROM ${from} AS ${name}`, ...lines]);
          group = { name, lower: lines.length > 0 ? name : from, config: [], copies: [], members: 0 };
          lines = [];
        }
        const stage = `${group.name}-${++group.members}`;
        blocks.push([`FROM ${group.lower} AS ${stage}`, ...group.config, ...this.run(step, user, baseKey)]);
        for (const out of step.outputs) group.copies.push(copyLine(`--from=${stage} `, out, out, 'COPY'));
        continue;
      }
      if (group !== undefined && step.kind !== 'copy' && step.kind !== 'run' && step.kind !== 'workdir') {
        // Configuration inside a group: the later members' stages and the image after the group both see it.
        group.config.push(...this.step(step, user, setUser, baseKey));
        continue;
      }
      close();
      lines.push(...this.step(step, user, setUser, baseKey));
    }
    close();
    blocks.push([`FROM ${from}${name === undefined ? '' : ` AS ${name}`}`, ...lines]);
    for (const block of blocks) {
      if (this.out.length > 0) this.out.push('');
      this.out.push(...block);
    }
  }

  step(step: Step, user: string, setUser: (u: string) => void, baseKey: string): string[] {
    switch (step.kind) {
      case 'run':
        return this.run(step, user, baseKey);
      case 'copy':
        return this.copy(step);
      case 'env':
        return [
          `ENV ${step.changes
            .map((c) => {
              if (c.mode === 'prepend-path') return `${c.name}=${dqWord(c.value, false).slice(0, -1)}\${${c.name}:+:\$${c.name}}"`;
              return `${c.name}=${dqWord(c.value, c.mode !== 'literal')}`;
            })
            .join(' ')}`,
        ];
      case 'workdir':
        return [`WORKDIR ${step.path}`];
      case 'user':
        setUser(step.user);
        return [`USER ${step.user}`];
      case 'entrypoint':
        return [`ENTRYPOINT ${jsonArgs(step.args)}`];
      case 'cmd':
        return [`CMD ${jsonArgs(step.args)}`];
      case 'labels':
        return [`LABEL ${step.labels.map(([k, val]) => `${dqWord(k, false)}=${dqWord(val, false)}`).join(' ')}`];
      case 'expose':
        return [`EXPOSE ${step.ports.join(' ')}`];
      case 'author':
        return [`MAINTAINER ${step.author}`];
      case 'force':
        return ['# kiln: forceBuild() — the steps below ignore the build cache (docker build --no-cache)'];
    }
  }

  mount(m: RunMount, baseKey: string): string {
    switch (m.type) {
      case 'cache':
        return `--mount=type=cache,id=${m.perBase ? `${m.id}:${baseKey}` : m.id},target=${m.target},sharing=${m.sharing}`;
      case 'tmpfs':
        return `--mount=type=tmpfs,target=${m.target}`;
      case 'local':
        return `--mount=type=bind,source=${m.local.root},target=${m.target}${m.writable ? ',rw' : ''}`;
      case 'image':
        return `--mount=type=bind,from=${this.stageRef(m.image)},source=${m.source},target=${m.target}`;
    }
  }

  run(step: RunStep, user: string, baseKey: string): string[] {
    const flags = [
      ...step.mounts.map((m) => this.mount(m, baseKey)),
      ...step.secrets.map((s) => `--mount=type=secret,id=${s.id},target=${s.path}${s.optional ? '' : ',required=true'}`),
      ...(step.network === 'default' ? [] : [`--network=${step.network}`]),
    ];
    const exports = [
      ...step.secrets.filter((s) => s.env !== undefined).map((s) => `${s.env}="$(cat ${shellQuote(s.path)}${s.optional ? ' 2>/dev/null || true' : ''})"`),
      ...step.env.map(([k, val]) => `${k}=${shellQuote(val)}`),
    ];
    const prefix = [
      ...(exports.length === 0 ? [] : [`export ${exports.join(' ')};`]),
      ...(step.cwd === undefined ? [] : [`mkdir -p ${shellQuote(step.cwd)} && cd ${shellQuote(step.cwd)} || exit 1;`]),
    ].join(' ');
    let body: string;
    if (step.argv !== undefined) {
      body = jsonArgs(prefix === '' ? step.argv : ['/bin/sh', '-c', `${prefix} exec "$@"`, 'sh', ...step.argv]);
    } else {
      const script = prefix === '' ? step.script : `${prefix} ${step.script}`;
      body = script.includes('\n') ? jsonArgs(['/bin/sh', '-c', script]) : script;
    }
    const lines: string[] = [];
    if (step.gpu !== undefined) lines.push(`# kiln: this step asks for a GPU during the build (${step.gpu.spec})`);
    if (step.hosts.length > 0) lines.push(`# kiln: this step sees extra /etc/hosts entries (docker build ${step.hosts.map(([h, ip]) => `--add-host ${h}:${ip}`).join(' ')})`);
    const asRoot = step.user === 'root' && user !== '' && user !== 'root' && user !== '0';
    const otherUser = step.user !== undefined && step.user !== 'root' && step.user !== user;
    if (asRoot) lines.push('USER root');
    if (otherUser) lines.push(`USER ${step.user}`);
    lines.push(`RUN ${flags.map((f) => `${f} `).join('')}${body}`);
    if (asRoot || otherUser) lines.push(`USER ${user === '' ? 'root' : user}`);
    return lines;
  }

  copy(step: CopyStep): string[] {
    const flags = [
      ...(step.owner === undefined ? [] : [`--chown=${step.owner}`]),
      ...(step.mode === undefined ? [] : [`--chmod=${step.mode.toString(8).padStart(3, '0')}`]),
    ];
    const lines: string[] = [];
    let src: string;
    if (step.from.kind === 'image') {
      flags.unshift(`--from=${this.stageRef(step.from.image)}`);
      src = step.from.path;
    } else {
      const l = step.from.local;
      if (l.exclude.length > 0 || l.ignoreFiles.length > 0 || l.condition !== undefined) {
        // Not a comment to skim: without these lines `docker build` copies what kiln leaves out (.env files…).
        const prefix = l.root === '.' ? '' : `${l.root.replace(/\/+$/, '')}/`;
        const inContext = (p: string): string => (p.startsWith('!') ? `!${prefix}${p.slice(1)}` : `${prefix}${p}`);
        lines.push('# kiln: this COPY must leave out files; a Dockerfile cannot filter one COPY, so put these lines in .dockerignore:');
        if (l.exclude.length > 0) lines.push(`#   ${l.exclude.map(inContext).join('\n#   ')}`);
        for (const f of l.ignoreFiles) {
          lines.push(
            f.syntax === 'git'
              ? `#   (and the patterns of ${f.path} in .dockerignore form${prefix === '' ? '' : ` under ${prefix}`}: a .gitignore name without "/" matches at any depth, x → ${prefix}**/x)`
              : `#   (and every pattern of ${f.path}${prefix === '' ? '' : `, each prefixed with ${prefix}`})`,
          );
        }
        if (l.condition !== undefined) lines.push('#   (and the files its condition function rejects)');
      }
      src = localPathText(l, step.from.path);
    }
    lines.push(copyLine(flags.map((f) => `${f} `).join(''), src, step.dest, step.unpack ? 'ADD' : 'COPY'));
    return lines;
  }
}

/** A `COPY`/`ADD` instruction; JSON form when a path has whitespace or quotes. */
function copyLine(flags: string, src: string, dest: string, keyword: 'COPY' | 'ADD'): string {
  if ([src, dest].some((w) => /[\s"]/.test(w))) return `${keyword} ${flags}${jsonArgs([src, dest])}`;
  return `${keyword} ${flags}${src} ${dest}`;
}

/** Renders `image` as a Dockerfile. */
export function toDockerfile(image: Image): string {
  const w = new Writer();
  w.emit(image, undefined);
  return `# Generated by kiln from an Image definition.\n${w.out.join('\n')}\n`;
}
