/**
 * What the running Node can load by itself, where that differs between the versions kiln runs on (20.12 and later),
 * and the hints kiln gives when a module fails to load because of it. Injected in tests: CI runs one Node version.
 *
 * Internal module.
 */

/** The load features of a Node version. */
export interface NodeModuleSupport {
  /** `process.version`, e.g. `v20.12.0`. */
  readonly version: string;
  /** `process.features.require_module`: require() loads ES modules (20.19+, 22.12+, unless turned off by a flag). */
  readonly requireModule: boolean;
  /** `process.features.typescript`: Node runs .ts files itself ('strip': 22.18+, 23.6+), false when it does not. */
  readonly typescript: 'strip' | 'transform' | false;
}

/** The running Node's. */
export function runningNode(): NodeModuleSupport {
  const features = process.features as { readonly require_module?: unknown; readonly typescript?: unknown };
  const typescript = features.typescript === 'strip' || features.typescript === 'transform' ? features.typescript : false;
  return { version: process.version, requireModule: features.require_module === true, typescript };
}

/**
 * The hint for a module (an ES module: a .ts file kiln compiled, an .mjs file, a .js file of a `"type": "module"`
 * package) whose load failed with ERR_REQUIRE_ESM: a CommonJS file it imports require()s an ES module, kiln or another.
 */
export function requiredEsmHint(node: NodeModuleSupport): string {
  const where = 'A CommonJS file the module imports (a .cjs file, or a .js file of a "type": "commonjs" package) calls require() on an ES module';
  if (node.requireModule) return `${where}, and this Node (${node.version}) has require() of ES modules turned off (--no-experimental-require-module): remove that flag, or load the ES module with await import() in that file.`;
  return `${where}, which Node ${node.version} cannot do (Node 20.19+ and 22.12+ can): run kiln on a newer Node, or load the ES module with await import() in that file.`;
}

/** What the hint for a CommonJS module that cannot import kiln adds on this Node: that a newer Node could load it. */
export function commonJsNodeHint(node: NodeModuleSupport): string {
  return node.requireModule ? '' : ` On Node 20.19+ or 22.12+ (this is ${node.version}) a CommonJS module can also require('kiln').`;
}

/** Node's errors for a file it would not load as TypeScript, or would not load for its extension. */
const NODE_TYPESCRIPT_CODES: ReadonlySet<string> = new Set([
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  'ERR_INVALID_TYPESCRIPT_SYNTAX',
  'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
]);

/**
 * The hint for a module whose load failed with `code` because Node itself loaded one of its files (a .ts file reached
 * by an import() of a computed path, or imported from a .js module): kiln compiles only what a .ts module imports by
 * literal path. Node 20 (and 22 before 22.18) runs no TypeScript; later versions strip types only, and refuse what
 * needs compiling. Undefined for other errors.
 */
export function nodeLoadedFileHint(code: unknown, node: NodeModuleSupport): string | undefined {
  if (typeof code !== 'string' || !NODE_TYPESCRIPT_CODES.has(code)) return undefined;
  const how =
    'Node loaded that file itself: kiln compiles a .ts module and the files it imports with literal paths (import x from \'./x.ts\', import(\'./plugins/\' + name + \'.ts\')), ' +
    'not a file reached by an import() of a computed path or imported from a .js module.';
  const fix = 'Import it with a literal path from a .ts module, or write it in JavaScript.';
  if (node.typescript === false) return `${how} Node ${node.version} does not run TypeScript (Node 22.18+ strips types from .ts files). ${fix}`;
  const what = node.typescript === 'strip' ? 'only strips types from the .ts files it loads: no enum, namespace or parameter properties,' : 'runs the .ts files it loads with';
  return `${how} Node ${node.version} ${what} imports with their file extension, none under node_modules. ${fix}`;
}
