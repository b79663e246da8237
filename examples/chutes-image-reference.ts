/**
 * Chutes' Image API reference, ported to kiln. Chutes' spellings (`fromBase`, `runCommand`, `add`, `withEnv`,
 * `setWorkdir`, `setUser`, `withMaintainer`, `withEntrypoint`) are kiln aliases with Chutes' semantics.
 * Local paths are relative to `examples/context`.
 */
import { Image } from '../src/image/index.js';

/** An image with a Chutes identity; it starts from Chutes' default base (`parachutes/python:3.12`). */
export const identity = new Image({ username: 'mycompany', name: 'custom-ai', tag: '1.0' });

/** Identity with a Markdown readme. */
export const withReadme = new Image({
  username: 'mycompany',
  name: 'ai-processor',
  tag: '1.0.0',
  readme: '# Custom AI Processing Image\n\nLibraries for text processing on GPUs.\n',
});

/** Replacing the base: the recommended Chutes base, a CUDA runtime, and a slim CPU-only Python. */
export const baseChutes = new Image('myuser', 'myapp', '1.0').fromBase('parachutes/python:3.12');
export const baseCuda = new Image('myuser', 'myapp', '1.0').fromBase('nvidia/cuda:12.2.0-runtime-ubuntu22.04');
export const baseSlim = new Image('myuser', 'myapp', '1.0').fromBase('python:3.11-slim');

/** Shell commands during the build: one command, a multi-line command, and a requirements file. */
export const runOne = new Image('myuser', 'myapp', '1.0')
  .fromBase('parachutes/python:3.12')
  .runCommand('pip install torch transformers accelerate');

export const runMultiLine = new Image('myuser', 'myapp', '1.0').fromBase('parachutes/python:3.12').runCommand(`
    pip install --upgrade pip &&
    pip install torch transformers &&
    pip install accelerate datasets
`);

export const runRequirements = new Image('myuser', 'myapp', '1.0')
  .fromBase('parachutes/python:3.12')
  .add('requirements.txt', '/tmp/requirements.txt')
  .runCommand('pip install -r /tmp/requirements.txt');

/** Adding files: one file, a directory, several, and requirements early / code last for caching. */
export const addFile = new Image('myuser', 'myapp', '1.0').add('requirements.txt', '/app/requirements.txt');
export const addDir = new Image('myuser', 'myapp', '1.0').add('src/', '/app/src/');
export const addMany = new Image('myuser', 'myapp', '1.0')
  .add('requirements.txt', '/app/requirements.txt')
  .add('config.yaml', '/app/config.yaml')
  .add('src/', '/app/src/');
export const addOrdered = new Image('myuser', 'myapp', '1.0')
  .add('requirements.txt', '/tmp/requirements.txt')
  .runCommand('pip install -r /tmp/requirements.txt')
  .add('src/', '/app/src/');

/** Environment variables: Python path and buffering, model caches, application settings, tuning knobs. */
export const envBasic = new Image('myuser', 'myapp', '1.0').withEnv('PYTHONPATH', '/app').withEnv('PYTHONUNBUFFERED', '1');
export const envCaches = new Image({ username: 'myuser', name: 'ai-app', tag: '1.0' })
  .withEnv('TRANSFORMERS_CACHE', '/opt/models')
  .withEnv('HF_HOME', '/opt/huggingface')
  .withEnv('TORCH_HOME', '/opt/torch');
export const envApp = new Image('myuser', 'myapp', '1.0').withEnv('APP_ENV', 'production').withEnv('LOG_LEVEL', 'INFO');
export const envTuning = new Image('myuser', 'myapp', '1.0')
  .withEnv('PYTHONOPTIMIZE', '2')
  .withEnv('PYTHONDONTWRITEBYTECODE', '1')
  .withEnv('PYTHONUNBUFFERED', '1')
  .withEnv('TORCH_BACKENDS_CUDNN_BENCHMARK', '1');

/** Working directories: a plain one, and relative `add`/`runCommand` paths resolved against changing ones. */
export const workdirApp = new Image('myuser', 'myapp', '1.0').setWorkdir('/app').add('src/', '/app/src/');
export const workdirStages = new Image('myuser', 'myapp', '1.0')
  .setWorkdir('/tmp')
  .add('requirements.txt', 'requirements.txt')
  .runCommand('pip install -r requirements.txt')
  .setWorkdir('/app')
  .add('src/', 'src/');

/** Users: create an unprivileged user that owns /app, or switch to one the base already has. */
export const nonRootUser = new Image('myuser', 'myapp', '1.0')
  .runCommand('useradd -m -u 1000 appuser')
  .runCommand('mkdir -p /app && chown appuser:appuser /app')
  .setUser('appuser')
  .setWorkdir('/app');
export const existingUser = new Image('myuser', 'myapp', '1.0').fromBase('ubuntu:22.04').setUser('nobody');

/** System packages: one, several, and build tools removed again after compiling. */
export const aptOne = new Image('myuser', 'myapp', '1.0').aptInstall('git');
export const aptMany = new Image('myuser', 'myapp', '1.0').aptInstall(['git', 'curl', 'wget', 'ffmpeg']);
export const aptRemoveAfterUse = new Image('myuser', 'myapp', '1.0')
  .aptInstall(['build-essential', 'cmake'])
  .runCommand('pip install some-package-that-needs-compilation')
  .aptRemove(['build-essential', 'cmake']);

/** A specific Python on an Ubuntu base (kiln uses the distribution's package or a standalone build). */
export const specificPython = new Image('myuser', 'myapp', '1.0').fromBase('ubuntu:22.04').withPython('3.11.5');

/** Maintainer and entrypoints (a Python module; a script added from the context). */
export const maintainer = new Image('myuser', 'myapp', '1.0').withMaintainer('team@mycompany.com');
export const moduleEntrypoint = new Image('myuser', 'myapp', '1.0').withEntrypoint('python', '-m', 'myapp');
export const scriptEntrypoint = new Image('myuser', 'myapp', '1.0')
  .add('entrypoint.sh', '/entrypoint.sh')
  .runCommand('chmod +x /entrypoint.sh')
  .withEntrypoint('/entrypoint.sh');

/** Complete example: a basic ML application. */
export const basicMl = new Image({ username: 'myuser', name: 'ml-app', tag: '1.0' })
  .fromBase('parachutes/python:3.12')
  .runCommand('pip install torch transformers accelerate')
  .add('requirements.txt', '/app/requirements.txt')
  .runCommand('pip install -r /app/requirements.txt')
  .add('src/', '/app/src/')
  .setWorkdir('/app')
  .withEnv('PYTHONPATH', '/app');

/** Complete example: PyTorch for GPU inference, with system tools and cache locations. */
export const optimizedPytorch = new Image({
  username: 'myuser',
  name: 'pytorch-app',
  tag: '1.0',
  readme: '## PyTorch Application\nTuned for GPU inference.',
})
  .fromBase('parachutes/python:3.12')
  .aptInstall(['git', 'curl', 'ffmpeg'])
  .runCommand(`
    pip install --upgrade pip &&
    pip install torch torchvision torchaudio --index-url https://download.pytorch.org/whl/cu121 &&
    pip install transformers accelerate datasets tokenizers
  `)
  .withEnv('PYTHONUNBUFFERED', '1')
  .withEnv('TRANSFORMERS_CACHE', '/opt/models')
  .withEnv('TORCH_BACKENDS_CUDNN_BENCHMARK', '1')
  .add('requirements.txt', '/app/requirements.txt')
  .runCommand('pip install -r /app/requirements.txt')
  .add('src/', '/app/src/')
  .setWorkdir('/app');

/** Complete example: audio processing with its system libraries. */
export const audioProcessor = new Image({ username: 'myuser', name: 'audio-processor', tag: '1.0' })
  .fromBase('parachutes/python:3.12')
  .aptInstall(['ffmpeg', 'libsndfile1', 'libportaudio2', 'libsox-fmt-all'])
  .runCommand('pip install soundfile librosa pydub torchaudio')
  .add('src/', '/app/src/')
  .setWorkdir('/app');

/** Layer order that caches well: system packages, then dependencies, then code. */
export const goodLayerOrder = new Image('myuser', 'myapp', '1.0')
  .fromBase('parachutes/python:3.12')
  .aptInstall(['git', 'curl'])
  .add('requirements.txt', '/tmp/requirements.txt')
  .runCommand('pip install -r /tmp/requirements.txt')
  .add('src/', '/app/src/')
  .setWorkdir('/app');

/** The order Chutes warns about: code first. (With kiln, later installs still re-run when src changes.) */
export const badLayerOrder = new Image('myuser', 'myapp', '1.0')
  .fromBase('parachutes/python:3.12')
  .add('src/', '/app/src/')
  .aptInstall(['git', 'curl'])
  .runCommand('pip install torch');

/** One combined layer with its cleanup, versus three separate steps. */
export const combined = new Image('myuser', 'myapp', '1.0').runCommand(`
    apt-get update &&
    apt-get install -y git curl &&
    rm -rf /var/lib/apt/lists/*
`);
export const separate = new Image('myuser', 'myapp', '1.0')
  .runCommand('apt-get update')
  .runCommand('apt-get install -y git curl')
  .runCommand('rm -rf /var/lib/apt/lists/*');
