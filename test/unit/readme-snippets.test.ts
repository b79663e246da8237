/**
 * The TypeScript blocks of README.md and examples/README.md type-check as a user copies them: against kiln's public
 * API (`kiln`, `kiln/llb`), with the repository's compiler settings (strict, `noUnusedLocals`,
 * `exactOptionalPropertyTypes`). A README block is a file of its own; one whose first line is `// image.ts` is that
 * file, and a block importing `./image.js` gets the README's first such module beside it. examples/README.md's blocks
 * sit in examples/, where they say they run.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The ```ts blocks of a Markdown file, in order. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

const readme = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
const examplesReadme = tsBlocks(readFileSync(join(root, 'examples', 'README.md'), 'utf8'));
const firstImageModule = readme.find((b) => b.startsWith('// image.ts\n'));

/** Virtual files (never written) for each snippet, keyed by absolute path; the value names the snippet. */
function snippetFiles(): Map<string, { readonly text: string; readonly snippet: string }> {
  const files = new Map<string, { readonly text: string; readonly snippet: string }>();
  readme.forEach((text, i) => {
    const dir = join(root, '.readme-snippets', `readme-${i + 1}`);
    const snippet = `README.md ts block ${i + 1}`;
    const isImageModule = text.startsWith('// image.ts\n');
    files.set(join(dir, isImageModule ? 'image.ts' : 'main.ts'), { text, snippet });
    if (!isImageModule && text.includes("from './image.js'") && firstImageModule !== undefined) {
      files.set(join(dir, 'image.ts'), { text: firstImageModule, snippet: `${snippet} (its image.ts)` });
    }
  });
  examplesReadme.forEach((text, i) => {
    files.set(join(root, 'examples', `.readme-snippet-${i + 1}.ts`), { text, snippet: `examples/README.md ts block ${i + 1}` });
  });
  return files;
}

function typeCheck(files: ReadonlyMap<string, { readonly text: string; readonly snippet: string }>): string[] {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // What `npm install` of the tarball gives a project: the package's exports, here from source.
    paths: { kiln: [join(root, 'src', 'index.ts')], 'kiln/llb': [join(root, 'src', 'llb', 'index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const virtual = files.get(fileName);
    return virtual === undefined ? getSourceFile(fileName, languageVersion, onError, shouldCreate) : ts.createSourceFile(fileName, virtual.text, languageVersion, true);
  };
  host.fileExists = (fileName) => files.has(fileName) || fileExists(fileName);
  host.readFile = (fileName) => files.get(fileName)?.text ?? readFile(fileName);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => [...files.keys()].some((f) => f.startsWith(`${dir}/`)) || (directoryExists?.(dir) ?? true);
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  return [...files].flatMap(([fileName, { snippet }]) => {
    const source = program.getSourceFile(fileName);
    if (source === undefined) return [`${snippet}: not compiled`];
    return ts.getPreEmitDiagnostics(program, source).map((d) => {
      const line = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${snippet}, line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  });
}

describe('README code blocks', () => {
  it('has the blocks this test reads', () => {
    expect(readme.length).toBeGreaterThanOrEqual(6);
    expect(examplesReadme.length).toBeGreaterThanOrEqual(1);
    expect(firstImageModule).toBeDefined();
  });

  it('type-check against the public API as written', () => {
    expect(typeCheck(snippetFiles())).toEqual([]);
  }, 120_000);
});
