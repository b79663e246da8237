import { Image } from '../image/image.js';
import { loadModule, pickExport, type ModuleRef } from './load-module.js';

function isImage(value: unknown): value is Image {
  return value instanceof Image;
}

/**
 * The `Image` a command's `<module>[:export]` argument names (`kiln build`, `kiln llb`, `kiln dockerfile`): the module
 * loaded with `context` as the working directory, then its named export, else the one Image it exports. Fails naming
 * the exports when that is not an Image (or one made by another copy of kiln).
 */
export async function loadImage(ref: ModuleRef, cwd: string, context: string): Promise<Image> {
  return pickExport(await loadModule(ref, cwd, context), ref, isImage, 'Image');
}
