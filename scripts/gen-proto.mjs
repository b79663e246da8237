#!/usr/bin/env node
// Generates src/proto/generated.js and src/proto/generated.d.ts from every .proto file under proto/.
//
//   node scripts/gen-proto.mjs [--out <dir>]      (default --out: src/proto)
//
// The output is deterministic: the same proto/ tree and the same protobufjs-cli version give the same bytes
// (inputs are sorted byte-wise, nothing time- or path-dependent is written). test/unit/proto-regen.test.ts
// regenerates into a temp dir and compares, so never edit the generated files by hand: change the .proto
// files or this script and re-run it.
//
// What the codecs are (and are not) for:
// - They cover the Control, LLBBridge and session APIs. Byte-exact LLB encoding (Op / Definition bytes whose
//   sha256 become vertex digests) is NOT done with them: src/llb has its own canonical encoder that matches Go's
//   marshaller. These codecs may decode LLB for inspection.
// - 64-bit integer fields are plain JS numbers (pbjs --force-number for the types; the post-processing below
//   makes the runtime agree without touching protobufjs' global configuration). Values above 2^53 lose
//   precision; fsutil Stat.modTime (unix nanoseconds) therefore gets a hand-written codec on the file-transfer
//   path instead of these codecs.
// - Strings are decoded leniently (invalid UTF-8 is replaced, not rejected), like Go peers that never
//   validate UTF-8, so one odd vertex name cannot break a progress stream.
// - google/protobuf/*.proto imports are served by protobufjs' bundled, wire-identical copies of the
//   well-known types; our proto/google/protobuf files document them for other tools.

import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const protoRoot = join(repoRoot, 'proto');

/** The pbjs flags shared by both passes; also quoted in the header of the generated files. */
const PBJS_FLAGS = [
  '-t', 'static-module',
  '-w', 'esm',
  '-r', 'kiln',
  '--keep-case',
  '--force-number',
  '--alt-comment',
  '--no-verify',
  '--no-delimited',
  '--no-typeurl',
  '--no-service',
];

function parseArgs(argv) {
  let out = join(repoRoot, 'src', 'proto');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') {
      const value = argv[++i];
      if (value === undefined || value === '') throw new Error('gen-proto: --out needs a directory, e.g. --out /tmp/gen');
      out = resolve(value);
    } else if (arg.startsWith('--out=')) {
      out = resolve(arg.slice('--out='.length));
    } else {
      throw new Error(`gen-proto: unknown argument ${JSON.stringify(arg)} (usage: gen-proto.mjs [--out <dir>])`);
    }
  }
  return { out };
}

/** All .proto files under proto/, as paths relative to proto/ with '/' separators, sorted byte-wise. */
function listProtoFiles(dir = protoRoot) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listProtoFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.proto')) found.push(relative(protoRoot, full).split(sep).join('/'));
  }
  return found.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function runPbjs(args) {
  const { pbjs } = require('protobufjs-cli');
  return new Promise((resolvePromise, reject) => {
    pbjs.main(args, (err) => (err ? reject(err) : resolvePromise()));
  });
}

/** Replaces every occurrence of `from` (string) and fails loudly if the generator's output shape changed. */
function replaceAllChecked(text, from, to, what) {
  const count = text.split(from).length - 1;
  if (count === 0) {
    throw new Error(`gen-proto: expected ${JSON.stringify(from)} in the pbjs output (${what}); has protobufjs-cli changed?`);
  }
  return text.split(from).join(to);
}

function header(kind) {
  return (
    `// GENERATED ${kind} - do not edit. Produced by \`node scripts/gen-proto.mjs\` from proto/**/*.proto with\n` +
    `// \`pbjs ${PBJS_FLAGS.join(' ')}\` (+ --dts; JS without comments) and the post-processing in that script.\n`
  );
}

function postProcessJs(js) {
  let out = js;
  out = replaceAllChecked(out, 'reader.int64()', '$int64(reader)', 'int64 reads');
  for (const kind of ['uint64', 'sint64', 'fixed64', 'sfixed64']) {
    if (out.includes(`reader.${kind}()`)) {
      throw new Error(`gen-proto: reader.${kind}() appears in the output; teach the post-processing to convert it to a number`);
    }
  }
  // A private view of protobufjs' util with Long disabled: converters and prototype defaults then use plain
  // numbers for 64-bit fields, while other protobufjs users in the process keep their configuration.
  out = replaceAllChecked(
    out,
    '$util = $protobuf.util;',
    '$util = Object.assign(Object.create($protobuf.util), { Long: null });\n' +
      '// 64-bit integers decode to JS numbers (see scripts/gen-proto.mjs).\n' +
      'const $int64 = (reader) => { const v = reader.int64(); return typeof v === "number" ? v : v.toNumber(); };',
    'util alias',
  );
  out = replaceAllChecked(out, 'reader.stringVerify()', 'reader.string()', 'string reads');
  return header('JavaScript') + out;
}

function postProcessDts(dts) {
  let out = dts;
  // With --force-number no declaration mentions Long, and `import x = require()` is not valid in an ES module.
  out = replaceAllChecked(out, 'import Long = require("long");\n', '', 'Long import');
  const code = (text) => text.replace(/\/\*\*[\s\S]*?\*\//g, '');
  if (/\bLong\b/.test(code(out))) {
    // Keep this strict: a Long in the types would contradict the number-only runtime above.
    const line = code(out).split('\n').find((l) => /\bLong\b/.test(l));
    throw new Error(`gen-proto: the declarations still mention Long: ${line?.trim()}`);
  }
  // No `any` in our types: converters take any object and hand back unknown values.
  out = replaceAllChecked(out, 'fromObject(object: { [k: string]: any })', 'fromObject(object: object)', 'fromObject');
  out = replaceAllChecked(out, '{ [k: string]: any }', '{ [k: string]: unknown }', 'plain-object types');
  if (/\bany\b/.test(code(out))) {
    const line = code(out).split('\n').find((l) => /\bany\b/.test(l));
    throw new Error(`gen-proto: the declarations still contain \`any\`: ${line?.trim()}`);
  }
  return header('declarations') + out;
}

async function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const files = listProtoFiles();
  if (files.length === 0) throw new Error(`gen-proto: no .proto files under ${protoRoot}`);
  const inputs = files.map((f) => join(protoRoot, f));

  const work = mkdtempSync(join(tmpdir(), 'kiln-gen-proto-'));
  try {
    // Pass 1: JS with JSDoc, from which pbts derives the declarations (keeps our .proto comments as docs).
    const documented = join(work, 'documented.js');
    await runPbjs([...PBJS_FLAGS, '-p', protoRoot, '--dts', '-o', documented, ...inputs]);
    // Pass 2: the same code without comments, which is what ships (the docs live in the .d.ts).
    const bare = join(work, 'bare.js');
    await runPbjs([...PBJS_FLAGS, '--no-comments', '-p', protoRoot, '-o', bare, ...inputs]);

    const js = postProcessJs(readFileSync(bare, 'utf8'));
    const dts = postProcessDts(readFileSync(join(work, 'documented.d.ts'), 'utf8'));

    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'generated.js'), js.endsWith('\n') ? js : `${js}\n`);
    writeFileSync(join(out, 'generated.d.ts'), dts.endsWith('\n') ? dts : `${dts}\n`);
    process.stdout.write(`gen-proto: ${files.length} .proto files -> ${relative(process.cwd(), out) || '.'}/generated.{js,d.ts}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
