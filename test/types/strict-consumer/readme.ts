// The README's typical calls, as a user writes them.
import { Client, Image, buildImage, createProgressDisplay, createProgressRenderer } from 'kiln';
import { image as llbImage, marshal } from 'kiln/llb';

export const app = Image.fromRegistry('python:3.11-slim')
  .aptInstall(['git'])
  .pipInstall(['numpy', 'pandas'])
  .env({ APP_ENV: 'prod' })
  .addLocalDir('src', { remotePath: '/app/src' })
  .workdir('/app')
  .cmd(['python', '-m', 'src.main']);

export async function main(): Promise<void> {
  const client = await Client.connect();
  const display = createProgressDisplay(createProgressRenderer('auto', { stream: process.stderr }));
  try {
    const built = await buildImage(client, app, { output: 'type=image,name=registry.example.com/app:1,push=true', secrets: [{ id: 'HF_TOKEN', env: 'HF_TOKEN' }], onStatus: display.onStatus });
    console.log(built.exported?.digest, built.bases);
    const outcome = await client.build({ exporter: { type: 'moby', attrs: { name: 'example/hello:1' } } }, async (gw) => {
      const cfg = await gw.resolveImageConfig('docker.io/library/debian:bookworm-slim');
      const ref = await gw.solve(marshal(llbImage('debian:bookworm-slim').run('true').root(), { caps: gw.llbCaps }));
      return { ref, metadata: { 'containerimage.config': cfg.config } };
    });
    console.log(outcome.exporterResponse['containerimage.digest']);
  } finally {
    await display.finish();
    await client.close();
  }
}
