// `npm run bench`: runs every bench/*.bench.ts module in its own child process (so each one's peak
// RSS is its own), collects the JSON figure lines they print and shows a table at the end.
//
//   npm run bench                       all benchmarks
//   npm run bench -- marshal            only those whose file name contains "marshal"
//   npm run bench -- --tsx              run the TypeScript through tsx instead of compiling it first
//   npm run bench -- --skip-env         skip benchmarks that need the test environment (a daemon)
//
// By default the sources are first transpiled to plain JavaScript (TypeScript's transpileModule, no type
// check) under node_modules/.cache/kiln-bench, and each module runs under plain `node`: a loader such as
// tsx adds ~60 MB of RSS and its own CPU time to every process, which would swamp what is measured.
//
// Benchmarks that need the test environment (their source says "Needs the test environment" or
// "@needs-env") get it the way `npm test` does: scripts/env/up.sh with a lease, released at the end
// (KILN_KEEP_ENV=1 keeps it running; an existing KILN_TEST_ENV is used as is).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

interface Figure {
  readonly name: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly [extra: string]: unknown;
}

interface BenchResult {
  readonly file: string;
  readonly figures: Figure[];
  readonly exitCode: number | null;
  readonly seconds: number;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'node_modules', '.cache', 'kiln-bench');

function parseArgs(argv: readonly string[]): { filters: string[]; tsx: boolean; skipEnv: boolean } {
  const filters: string[] = [];
  let tsx = false;
  let skipEnv = false;
  for (const a of argv) {
    if (a === '--tsx') tsx = true;
    else if (a === '--skip-env') skipEnv = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench -- [--tsx] [--skip-env] [name-filter…]');
      process.exit(0);
    } else if (a.startsWith('-')) {
      console.error(`bench: unknown option ${a} (try --help)`);
      process.exit(2);
    } else filters.push(a);
  }
  return { filters, tsx, skipEnv };
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Transpiles src/ and bench/ to JavaScript under outDir (the relative `.js` imports stay valid). */
function compile(): void {
  rmSync(outDir, { recursive: true, force: true });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    useDefineForClassFields: true,
    sourceMap: false,
  };
  for (const top of ['src', 'bench']) {
    for (const file of walk(join(root, top))) {
      const rel = relative(root, file);
      const dest = join(outDir, rel);
      mkdirSync(dirname(dest), { recursive: true });
      if (file.endsWith('.d.ts')) continue;
      if (file.endsWith('.ts')) {
        const out = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
        writeFileSync(dest.replace(/\.ts$/, '.js'), out.outputText);
      } else if (/\.(js|mjs|cjs|json)$/.test(file)) {
        copyFileSync(file, dest);
      }
    }
  }
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  // kiln's CLI as users install it: the bundle `npm run build` makes (scripts/build-dist.mjs), not the per-file output
  // above, which costs each CLI start ~0.1 s more CPU loading ~170 modules.
  const dist = spawnSync(process.execPath, [join(root, 'scripts', 'build-dist.mjs'), '--outDir', join(outDir, 'dist')], { cwd: root, stdio: 'inherit' });
  if (dist.status !== 0) throw new Error(`scripts/build-dist.mjs failed (exit ${dist.status ?? 'signal'})`);
}

function needsEnv(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  return text.includes('@needs-env') || /Needs the test environment/.test(text);
}

/** Brings the test environment up (like scripts/test.sh); returns a function that releases it. */
function environment(): () => void {
  if (process.env['KILN_TEST_ENV'] !== undefined) return () => undefined;
  const instance = process.env['KILN_ENV_INSTANCE'] ?? 'kiln';
  const state = join(process.env['KILN_ENV_DIR'] ?? '/tmp/kiln-env', instance);
  const lease = String(process.pid);
  mkdirSync(join(state, 'leases'), { recursive: true });
  writeFileSync(join(state, 'leases', lease), '');
  const release = (): void => {
    if (process.env['KILN_KEEP_ENV'] === '1') {
      rmSync(join(state, 'leases', lease), { force: true });
      console.log('bench: KILN_KEEP_ENV=1, leaving the environment running (stop it with: npm run env:down)');
      return;
    }
    spawnSync('bash', ['scripts/env/down.sh', '--lease', lease], { cwd: root, stdio: 'inherit' });
  };
  const up = spawnSync('bash', ['scripts/env/up.sh'], { cwd: root, stdio: 'inherit' });
  if (up.status !== 0) {
    release();
    throw new Error(`scripts/env/up.sh failed (exit ${up.status ?? 'signal'})`);
  }
  process.env['KILN_TEST_ENV'] = join(state, 'env.json');
  return release;
}

function runOne(file: string, tsx: boolean): Promise<BenchResult> {
  const rel = relative(root, file);
  const script = tsx ? file : join(outDir, rel).replace(/\.ts$/, '.js');
  const args = tsx ? ['--import', 'tsx', script] : [script];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    const figures: Figure[] = [];
    let pending = '';
    const line = (text: string): void => {
      const t = text.trim();
      if (t.startsWith('{')) {
        try {
          const v = JSON.parse(t) as Partial<Figure>;
          if (typeof v.name === 'string' && typeof v.metric === 'string' && typeof v.value === 'number' && typeof v.unit === 'string') {
            figures.push(v as Figure);
            return;
          }
        } catch {
          // not a figure: print it like any other line
        }
      }
      if (t !== '') console.log(`  ${text}`);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        line(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    });
    child.on('close', (code) => {
      if (pending !== '') line(pending);
      resolve({ file: rel, figures, exitCode: code, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

function formatValue(f: Figure): string {
  const v = Math.abs(f.value) >= 100 ? Math.round(f.value).toLocaleString('en-US') : String(Number(f.value.toFixed(3)));
  return `${v} ${f.unit}`;
}

function notes(f: Figure): string {
  const parts: string[] = [];
  if (typeof f['peakRssMb'] === 'number') parts.push(`peak RSS ${f['peakRssMb']} MB`);
  const baseline = f['baseline'];
  if (typeof baseline === 'object' && baseline !== null) {
    const b = baseline as Record<string, unknown>;
    const bits = Object.entries(b)
      .filter(([k]) => k !== 'name')
      .map(([k, v]) => `${k} ${String(v)}`);
    parts.push(`vs ${typeof b['name'] === 'string' ? b['name'] : 'baseline'}: ${bits.join(', ')}`);
  }
  if (typeof f['min'] === 'number' && typeof f['max'] === 'number') parts.push(`rounds ${formatValue({ ...f, value: f['min'] })} – ${formatValue({ ...f, value: f['max'] })}`);
  const target = f['target'];
  if (typeof target === 'string') parts.push(`target ${target}`);
  else if (typeof target === 'object' && target !== null) {
    parts.push(`target ${Object.entries(target as Record<string, unknown>).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
  }
  return parts.join('; ');
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<number> {
  const { filters, tsx, skipEnv } = parseArgs(process.argv.slice(2));
  const benchDir = join(root, 'bench');
  let files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => join(benchDir, f));
  if (filters.length > 0) files = files.filter((f) => filters.some((x) => relative(benchDir, f).includes(x)));
  const skipped: string[] = [];
  if (skipEnv) {
    for (const f of files.filter(needsEnv)) skipped.push(relative(root, f));
    files = files.filter((f) => !needsEnv(f));
  }
  if (files.length === 0) {
    console.error(`bench: no benchmark matches ${filters.join(', ') || '(none found in bench/)'}`);
    return 2;
  }
  if (!tsx) {
    const t0 = Date.now();
    compile();
    console.log(`bench: compiled src/ and bench/ to ${relative(root, outDir)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  let release: (() => void) | undefined;
  const results: BenchResult[] = [];
  try {
    if (files.some(needsEnv)) release = environment();
    for (const file of files) {
      console.log(`\nbench: ${relative(root, file)}`);
      results.push(await runOne(file, tsx));
    }
  } finally {
    release?.();
  }

  const rows: string[][] = [['benchmark', 'figure', 'metric', 'value', 'notes']];
  for (const r of results) {
    if (r.figures.length === 0) rows.push([r.file, '-', '-', r.exitCode === 0 ? 'no figures' : `FAILED (exit ${r.exitCode ?? 'signal'})`, '']);
    for (const f of r.figures) rows.push([r.file, f.name, f.metric, formatValue(f), notes(f)]);
    if (r.figures.length > 0 && r.exitCode !== 0) rows.push([r.file, '-', '-', `FAILED (exit ${r.exitCode ?? 'signal'})`, '']);
  }
  for (const s of skipped) rows.push([s, '-', '-', 'skipped (--skip-env)', '']);
  console.log(`\n${table(rows)}`);
  return results.every((r) => r.exitCode === 0) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
