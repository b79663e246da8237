/**
 * The options a user passes to the `Image` builder, `buildImage`, `Client` and the progress renderers take an explicit
 * `undefined` for every optional setting (README, Dependencies), so a wrapper compiled with
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

/** The exports of `kiln` whose parameters are checked, with every method, static and constructor. */
const CHECKED_EXPORTS = ['Image', 'images', 'buildImage', 'compileImage', 'resolveImageDefinition', 'Client', 'createProgressRenderer', 'createProgressDisplay', 'parseOutputSpec'];

/**
 * Optional properties without `undefined` in their declared type, in the option objects (types named `…Options` or
 * written inline) the checked exports take, nested ones included.
 */
function optionalsWithoutUndefined(): string[] {
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, 'tsconfig.json'), (p) => ts.sys.readFile(p)).config, ts.sys, root);
  const program = ts.createProgram({ rootNames: [join(root, 'src', 'index.ts')], options: parsed.options });
  const checker = program.getTypeChecker();
  const found = new Set<string>();
  const seen = new Set<ts.Type>();

  const visitType = (type: ts.Type, via: string, depth: number): void => {
    if (seen.has(type) || depth > 3) return;
    seen.add(type);
    if (type.isUnion()) {
      for (const member of type.types) visitType(member, via, depth);
      return;
    }
    if ((type.flags & ts.TypeFlags.Object) === 0 || type.getCallSignatures().length > 0) return;
    if (checker.isArrayType(type)) {
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      if (element !== undefined) visitType(element, `${via}[]`, depth);
      return;
    }
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Class) !== 0) return;
    const name = symbol?.getName() ?? '__type';
    if (!name.endsWith('Options') && name !== '__type' && name !== '__object') return;
    for (const property of type.getProperties()) {
      const declaration = property.valueDeclaration;
      if (declaration === undefined || (property.flags & ts.SymbolFlags.Optional) === 0 || !ts.isPropertySignature(declaration)) continue;
      const file = declaration.getSourceFile().fileName;
      if (!file.startsWith(join(root, 'src'))) continue;
      const declared = declaration.type;
      const takesUndefined = declared !== undefined && ts.isUnionTypeNode(declared) && declared.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword);
      if (!takesUndefined) found.add(`${via}.${property.getName()} (${file.slice(root.length + 1)})`);
      visitType(checker.getNonNullableType(checker.getTypeOfSymbol(property)), `${via}.${property.getName()}`, depth + 1);
    }
  };
  const visitSignature = (signature: ts.Signature, name: string): void => {
    for (const parameter of signature.getParameters()) {
      visitType(checker.getNonNullableType(checker.getTypeOfSymbol(parameter)), `${name}(${parameter.getName()})`, 0);
    }
  };

  const entry = program.getSourceFile(join(root, 'src', 'index.ts'));
  const module = entry === undefined ? undefined : checker.getSymbolAtLocation(entry);
  if (module === undefined) return ['src/index.ts: not compiled'];
  for (const exported of checker.getExportsOfModule(module)) {
    if (!CHECKED_EXPORTS.includes(exported.getName())) continue;
    const symbol = (exported.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(exported) : exported;
    const type = checker.getTypeOfSymbol(symbol);
    for (const signature of type.getCallSignatures()) visitSignature(signature, exported.getName());
    for (const signature of type.getConstructSignatures()) visitSignature(signature, `new ${exported.getName()}`);
    for (const member of type.getProperties()) {
      for (const signature of checker.getTypeOfSymbol(member).getCallSignatures()) visitSignature(signature, `${exported.getName()}.${member.getName()}`);
    }
    if ((symbol.flags & ts.SymbolFlags.Class) !== 0) {
      for (const member of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
        if (member.getName().startsWith('#')) continue; // private
        for (const signature of checker.getTypeOfSymbol(member).getCallSignatures()) visitSignature(signature, `${exported.getName()}#${member.getName()}`);
      }
    }
  }
  return [...found].sort();
}

describe('public option types', () => {
  it('every optional setting of the Image builder, buildImage, Client and the progress renderers takes undefined', () => {
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
