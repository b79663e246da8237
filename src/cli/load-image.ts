import { Image } from '../image/image.js';
import { loadModule, pickExport, type ModuleRef, type ModuleReload } from './load-module.js';

function isImage(value: unknown): value is Image {
  return value instanceof Image;
}

/**
 * The `Image` a command's `<module>[:export]` argument names (`kiln build`, `kiln llb`, `kiln dockerfile`): the module
 * loaded with `context` as the working directory, then its named export, else the one Image it exports. Fails naming
 * the exports when that is not an Image (or one made by another copy of kiln). `reload`: loaded again by a watch.
 */
export async function loadImage(ref: ModuleRef, cwd: string, context: string, reload?: ModuleReload): Promise<Image> {
  return pickExport(await loadModule(ref, cwd, context, reload), ref, isImage, 'Image');
}
