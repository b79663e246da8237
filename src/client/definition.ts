import { KilnError } from '../errors.js';
import { pb } from '../proto/generated.js';
import { definitionBytes, type DefinitionSource } from './definition-source.js';

/**
 * Turns definition bytes into the generated message for embedding in a request. The op bytes (`def`) are kept
 * verbatim, so every digest the daemon computes is the one kiln computed.
 */
export function definitionMessage(def: DefinitionSource): pb.Definition {
  const bytes = definitionBytes(def);
  if (bytes.length === 0) {
    throw new KilnError('invalid_argument', 'the build definition is empty (a scratch state with no operations)', {
      hint: 'Add at least one operation (a source image, a file, a run step) before building.',
    });
  }
  return pb.Definition.decode(bytes);
}
