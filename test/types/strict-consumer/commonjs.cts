// A CommonJS file (a tool's .cts) using kiln, as the README's Install section says: kiln's types by a type-only
// import in import mode, its values by a dynamic import (TypeScript 5.3+, module node16/nodenext).
import type { BuildImageOptions, Image } from 'kiln' with { 'resolution-mode': 'import' };

export async function define(tags: readonly string[]): Promise<{ image: Image; options: BuildImageOptions }> {
  const { Image: KilnImage } = await import('kiln');
  const { image, marshal } = await import('kiln/llb');
  marshal(image('debian:bookworm-slim').run('true').root());
  return { image: KilnImage.fromRegistry('debian:bookworm-slim').aptInstall(['curl']), options: { tags } };
}
