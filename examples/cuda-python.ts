/**
 * kiln's main job in one file: a CUDA runtime base, Python, the app's code, and a config — built on BuildKit with
 * `kiln build examples/cuda-python.ts --context examples -t kiln-example/cuda-python --load` from a clone of this
 * repository (see scripts/quickstart.sh); its local paths (`cuda-app`) are relative to `examples/`.
 *
 * On the offline test machines `nvidia/cuda:11.8.0-runtime-ubuntu22.04` is a stand-in served by the local registry
 * (Debian with the CUDA 11.8 runtime library and NVIDIA's image environment).
 */
import { Image } from '../src/index.js';

export default Image.fromRegistry('nvidia/cuda:11.8.0-runtime-ubuntu22.04')
  .withPython('3.11')
  .env({ GREETING: 'built by kiln', PYTHONUNBUFFERED: '1' })
  .addLocalDir('cuda-app', { remotePath: '/srv/app' })
  .workdir('/srv/app')
  .label('org.opencontainers.image.title', 'kiln CUDA/Python example')
  .cmd(['python', 'main.py']);
