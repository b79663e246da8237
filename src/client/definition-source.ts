/**
 * What the client accepts as a build definition. Kept apart from the protobuf codecs (`definition.ts`) so that the
 * public declarations naming it do not pull kiln's generated protobuf declarations into a user's compile.
 */

/** Anything that yields the bytes of a marshalled `pb.Definition` (kiln's llb `Definition` does). */
export type DefinitionSource = Uint8Array | { toBytes(): Uint8Array };

/** Bytes of a definition source. */
export function definitionBytes(def: DefinitionSource): Uint8Array {
  return def instanceof Uint8Array ? def : def.toBytes();
}
