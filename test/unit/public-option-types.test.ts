/**
 * Every optional property of kiln's public API (`kiln`, `kiln/llb`: options, nested settings, callback parameters,
 * results) takes an explicit `undefined` (README, Dependencies), so a wrapper compiled with
 * `exactOptionalPropertyTypes` can pass its own optional settings straight through; and `undefined` means what
 * leaving the setting out means.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Image, createProgressDisplay, createProgressRenderer } from '../../src/index.js';
import { StringSink } from '../../src/progress/string-sink.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The package's entry points (package.json `exports`). */
const ENTRY_POINTS = [join(root, 'src', 'index.ts'), join(root, 'src', 'llb', 'index.ts')];

const isInternal = (node: ts.Node): boolean =>
  ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal') || (ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword));

/**
 * Optional properties without `undefined` in their declared type, in every type a user reaches from `kiln` and
 * `kiln/llb`: exported types, the parameters and results of exported functions, classes and their methods, callback
 * parameters, nested ones included. Declarations kiln hides (`@internal`, private, overloads taking a
 * module-private symbol) are not the user's.
 */
function optionalsWithoutUndefined(): string[] {
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p)).config, ts.sys, root);
  const program = ts.createProgram({ rootNames: ENTRY_POINTS, options: parsed.options });
  const checker = program.getTypeChecker();
  const src = join(root, 'src');
  const found = new Set<string>();
  const seen = new Set<ts.Type>();

  const visitType = (type: ts.Type, via: string): void => {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) {
      for (const member of type.types) visitType(member, via);
      return;
    }
    if ((type.flags & ts.TypeFlags.Object) === 0) return;
    for (const signature of type.getCallSignatures()) visitSignature(signature, via);
    for (const signature of type.getConstructSignatures()) visitSignature(signature, `new ${via}`);
    if ((type as ts.TypeReference).target !== undefined) for (const argument of checker.getTypeArguments(type as ts.TypeReference)) visitType(argument, `${via}<>`);
    const symbol = type.getSymbol();
    const declaredIn = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
    if (symbol !== undefined && !declaredIn.startsWith(src) && symbol.getName() !== '__type' && symbol.getName() !== '__object') return;
    for (const property of type.getProperties()) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (declaration === undefined || property.getName().startsWith('#') || (property.declarations ?? []).some(isInternal)) continue;
      const file = declaration.getSourceFile().fileName;
      if ((property.flags & ts.SymbolFlags.Optional) !== 0 && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) && file.startsWith(src)) {
        const declared = declaration.type;
        const takesUndefined =
          declared !== undefined &&
          (declared.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isUnionTypeNode(declared) && declared.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword)));
        const line = declaration.getSourceFile().getLineAndCharacterOfPosition(declaration.getStart()).line + 1;
        if (!takesUndefined) found.add(`${via}.${property.getName()} (${file.slice(root.length + 1)}:${line})`);
      }
      visitType(checker.getTypeOfSymbolAtLocation(property, declaration), `${via}.${property.getName()}`);
    }
  };
  const visitSignature = (signature: ts.Signature, via: string): void => {
    const declaration = signature.getDeclaration() as ts.Declaration | undefined;
    if (declaration !== undefined && isInternal(declaration)) return;
    const parameterTypes = signature.getParameters().map((p) => checker.getTypeOfSymbol(p));
    // An overload only kiln can call: one of its parameters is a module-private unique symbol.
    if (parameterTypes.some((t) => (t.isUnion() ? t.types : [t]).some((m) => (m.flags & ts.TypeFlags.UniqueESSymbol) !== 0))) return;
    for (const parameter of signature.getTypeParameters() ?? []) {
      const constraint = parameter.getConstraint();
      if (constraint !== undefined) visitType(constraint, `${via}<T>`);
    }
    signature.getParameters().forEach((p, i) => visitType(parameterTypes[i]!, `${via}(${p.getName()})`));
    visitType(signature.getReturnType(), `${via}()`);
  };

  for (const entry of ENTRY_POINTS) {
    const file = program.getSourceFile(entry);
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    if (module === undefined) return [`${entry}: not compiled`];
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = (exported.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(exported) : exported;
      if ((symbol.flags & ts.SymbolFlags.Value) !== 0) visitType(checker.getTypeOfSymbol(symbol), exported.getName());
      if ((symbol.flags & ts.SymbolFlags.Type) !== 0) visitType(checker.getDeclaredTypeOfSymbol(symbol), exported.getName());
    }
  }
  return [...found].sort();
}

describe('public option types', () => {
  it('every optional property a user reaches from kiln and kiln/llb takes undefined', () => {
    expect(optionalsWithoutUndefined()).toEqual([]);
  }, 120_000);

  it('undefined means what leaving the setting out means', () => {
    expect(Image.debianSlim({ pythonVersion: undefined }).digest()).toBe(Image.debianSlim().digest());
    expect(Image.micromamba({ pythonVersion: undefined }).digest()).toBe(Image.micromamba().digest());
    const image = Image.fromRegistry('busybox:latest').addLocalFile('a.txt', '/a.txt');
    const unset = { platform: undefined, caps: undefined, baseConfigs: undefined, context: undefined, localUniqueId: undefined, forceBuild: undefined, daemon: undefined };
    expect(image.digest(unset)).toBe(image.digest());
    expect(Image.fromRegistry('busybox:latest').runCommands('true', { secrets: [{ id: 'TOKEN', env: undefined, path: undefined, optional: undefined }] }).digest()).toBe(
      Image.fromRegistry('busybox:latest').runCommands('true', { secrets: [{ id: 'TOKEN' }] }).digest(),
    );
    expect(Image.fromRegistry('busybox:latest').runCommands('true', { ssh: [{ id: undefined, target: undefined, optional: undefined }] }).digest()).toBe(
      Image.fromRegistry('busybox:latest').runCommands('true', { ssh: [{}] }).digest(),
    );
  });

  it('a progress renderer given undefined settings renders as one given none', async () => {
    const event = { vertexes: [{ digest: 'sha256:a', inputs: [], name: 'RUN true', cached: false, started: 1000, completed: 1500 }], statuses: [], logs: [], warnings: [] };
    const render = async (sink: StringSink, renderer: ReturnType<typeof createProgressRenderer>): Promise<string> => {
      const display = createProgressDisplay(renderer, () => 2000);
      await display.onStatus(event);
      await display.finish();
      return sink.text;
    };
    const given = new StringSink();
    const none = new StringSink();
    const unset = { env: undefined, columns: undefined, rows: undefined, now: undefined, timers: undefined, color: undefined, phase: undefined };
    const text = await render(given, createProgressRenderer('plain', { stream: given, ...unset }));
    expect(text).toContain('RUN true');
    expect(text).toBe(await render(none, createProgressRenderer('plain', { stream: none })));
  });
});
