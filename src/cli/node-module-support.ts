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
}

/** The running Node's. */
export function runningNode(): NodeModuleSupport {
  const features = process.features as { readonly require_module?: unknown };
  return { version: process.version, requireModule: features.require_module === true };
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
