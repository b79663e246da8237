/**
 * Independent steps: run steps that declare the paths they produce (`outputs`) are built side by side on the
 * daemon, each on the image built before them, and only those paths are kept. Editing one never rebuilds the
 * others. Local paths are relative to `examples/context`.
 */
import { Image } from '../src/image/index.js';

const python = Image.debianSlim({ pythonVersion: '3.11' }).pipInstall('huggingface-hub', 'torch');

/** Three model downloads at once, each into its own directory; the app code is merged in beside them. */
export const modelDownloads = python
  .runScript('scripts/download_models.py', { args: ['/models/llama'], secrets: ['HF_TOKEN'], outputs: ['/models/llama'] })
  .runScript('scripts/download_models.py', { args: ['/models/whisper'], secrets: ['HF_TOKEN'], outputs: ['/models/whisper'] })
  .runScript('scripts/download_models.py', { args: ['/models/clip'], secrets: ['HF_TOKEN'], outputs: ['/models/clip'] })
  .addLocalDir('app', { remotePath: '/srv/app' })
  .cmd(['python', '/srv/app/main.py']);

/**
 * A web front end and a native tool built in parallel on the same toolchain image; the build trees, caches and
 * temporary files stay out of the image, only the install prefixes are kept.
 */
export const frontendAndTool = Image.fromRegistry('debian:bookworm-slim')
  .aptInstall('build-essential', 'nodejs', 'npm', 'git')
  .runCommands('git clone --depth 1 https://github.com/org/ui /tmp/ui && cd /tmp/ui && npm ci && npm run build && mkdir -p /srv && cp -r dist /srv/ui', {
    outputs: ['/srv/ui'],
  })
  .env({ CFLAGS: '-O2' })
  .runCommands('git clone --depth 1 https://github.com/org/tool /tmp/tool && make -C /tmp/tool PREFIX=/opt/tool install', { outputs: ['/opt/tool'] })
  .env({ PATH: '/opt/tool/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' })
  .cmd(['/opt/tool/bin/serve', '--static', '/srv/ui']);

/**
 * The overlap rule: the second step writes inside the first one's output and the third reads it, so each runs
 * after the one before (the plan says why); the fourth touches neither and runs beside the third.
 */
export const overlapping = Image.fromRegistry('debian:bookworm-slim')
  .runCommands('mkdir -p /opt/data && echo raw > /opt/data/raw.txt', { outputs: ['/opt/data'] })
  .runCommands('mkdir -p /opt/data/index && echo idx > /opt/data/index/0', { outputs: ['/opt/data/index'] })
  .runCommands('wc -l /opt/data/index/0 > /opt/stats.txt', { outputs: ['/opt/stats.txt'] })
  .runCommands('echo ok > /etc/healthcheck', { outputs: ['/etc/healthcheck'] });

/** Independent steps between ordinary ones: the step after them sees all their outputs. */
export const betweenOrdinarySteps = Image.fromRegistry('debian:bookworm-slim')
  .runCommands('mkdir -p /opt/bin')
  .runCommands('sleep 5 && echo one > /opt/one', { outputs: ['/opt/one'] })
  .runCommands('sleep 5 && echo two > /opt/two', { outputs: ['/opt/two'] })
  .runCommands('sleep 5 && echo three > /opt/three', { outputs: ['/opt/three'] })
  .runCommands('cat /opt/one /opt/two /opt/three > /opt/all');
