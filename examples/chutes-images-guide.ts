/**
 * Chutes' images guide, ported to kiln: CUDA bases with Python, a full NLP image, multi-stage builds (with a
 * real `copyFrom`, which Chutes could only hint at), conditional and template images, and the best-practice
 * snippets. Local paths are relative to `examples/context`.
 */
import { Image } from '../src/image/index.js';

/** A CUDA development base with Python 3.11, ML packages and a model cache. */
export const basicCustom = new Image({ username: 'myuser', name: 'text-analyzer', tag: '1.0' })
  .fromBase('nvidia/cuda:12.2.0-devel-ubuntu22.04')
  .withPython('3.11')
  .runCommand('pip install torch transformers accelerate')
  .withEnv('MODEL_CACHE', '/app/models');

/** Package installs: plain, pinned, from a requirements file, and with conda. */
export const pipPlain = Image.debianSlim().runCommand('pip install torch transformers numpy');
export const pipPinned = Image.debianSlim().runCommand('pip install torch==2.1.0 transformers>=4.21.0');
export const pipRequirements = Image.debianSlim().add('requirements.txt', 'requirements.txt').runCommand('pip install -r requirements.txt');
export const conda = Image.micromamba()
  .runCommand('micromamba install -y -n base -c pytorch pytorch torchvision torchaudio')
  .runCommand('micromamba install -y -n base -c conda-forge cudatoolkit=11.8 numpy scipy');

/** Shell commands for setup work: packages, downloads, directories, native extensions. */
export const systemCommands = Image.fromRegistry('ubuntu:22.04')
  .runCommand('apt-get update && apt-get install -y git curl wget')
  .runCommand('wget https://example.com/model.bin -O /app/model.bin')
  .runCommand('mkdir -p /app/models /app/data /app/logs')
  .runCommand('cd /app && python setup.py build_ext --inplace');

/** GPU-related environment settings. */
export const gpuEnv = Image.debianSlim()
  .withEnv('CUDA_VISIBLE_DEVICES', '0')
  .withEnv('TRANSFORMERS_CACHE', '/app/cache')
  .withEnv('PYTORCH_CUDA_ALLOC_CONF', 'max_split_size_mb:512')
  .withEnv('MODEL_PATH', '/app/models/my-model');

/** The guide's complete example: an NLP suite with models downloaded at build time. */
export const nlpSuite = new Image({
  username: 'myuser',
  name: 'nlp-suite',
  tag: '1.2.0',
  readme: 'Complete NLP processing suite with multiple models',
})
  .fromBase('nvidia/cuda:12.2.0-devel-ubuntu22.04')
  .runCommand(`
    apt-get update && apt-get install -y \\
    git curl wget unzip \\
    build-essential \\
    ffmpeg \\
    && rm -rf /var/lib/apt/lists/*
  `)
  .withPython('3.11')
  .runCommand(`
    pip install \\
    torch==2.1.0 \\
    torchvision==0.16.0 \\
    torchaudio==2.1.0 \\
    "transformers>=4.30.0" \\
    "accelerate>=0.20.0" \\
    "datasets>=2.12.0" \\
    "tokenizers>=0.13.0"
  `)
  .runCommand(`
    pip install \\
    "spacy>=3.6.0" \\
    "nltk>=3.8" \\
    "scikit-learn>=1.3.0" \\
    "pandas>=2.0.0" \\
    "numpy>=1.24.0"
  `)
  .runCommand('mkdir -p /app/models /app/data /app/cache /app/logs')
  .add('requirements.txt', '/app/requirements.txt')
  .add('src/', '/app/src/')
  .add('config/', '/app/config/')
  .withEnv('TRANSFORMERS_CACHE', '/app/cache')
  .withEnv('HF_HOME', '/app/cache')
  .withEnv('TORCH_HOME', '/app/cache/torch')
  .withEnv('PYTHONPATH', '/app/src')
  .runCommand('python -m spacy download en_core_web_sm')
  .runCommand('python -m spacy download en_core_web_lg')
  .runCommand(`python -c "
import nltk
nltk.download('punkt')
nltk.download('stopwords')
nltk.download('wordnet')
"`)
  .setWorkdir('/app')
  .runCommand('useradd -m appuser')
  .setUser('appuser');

/** Multi-stage: compile in a devel image, then copy only the artifacts into a runtime image. */
export const builder = new Image({ username: 'myuser', name: 'builder', tag: 'temp' })
  .fromBase('nvidia/cuda:12.2.0-devel-ubuntu22.04')
  .withPython('3.11')
  .runCommand('pip install cython numpy')
  .copyFile('src/', '/build/src/')
  .copyFile('setup.py', '/build/setup.py')
  .runCommand('cd /build && python setup.py build_ext && mkdir -p /build/dist');

export const production = new Image({ username: 'myuser', name: 'production', tag: '1.0' })
  .fromBase('nvidia/cuda:12.2.0-runtime-ubuntu22.04')
  .withPython('3.11')
  .copyFrom(builder, '/build/dist/', '/app/')
  .runCommand('pip install torch transformers');

/** Conditional building: one function, different settings per GPU type. */
export function imageForGpu(gpuType: string): Image {
  let image = new Image({ username: 'myuser', name: `model-${gpuType}`, tag: '1.0' })
    .fromBase('nvidia/cuda:12.2.0-devel-ubuntu22.04')
    .withPython('3.11');
  if (gpuType === 'a100') image = image.withEnv('TORCH_CUDA_ARCH_LIST', '8.0');
  else if (gpuType === 'v100') image = image.withEnv('TORCH_CUDA_ARCH_LIST', '7.0');
  return image.runCommand('pip install torch transformers');
}
export const a100 = imageForGpu('a100');
export const v100 = imageForGpu('v100');

/** Template images: a function returning a configured image, reused with different arguments. */
export function pytorchTemplate(username: string, name: string, pytorchVersion = '2.1.0'): Image {
  return new Image({ username, name, tag: pytorchVersion })
    .fromBase('nvidia/cuda:12.2.0-devel-ubuntu22.04')
    .withPython('3.11')
    .runCommand(`pip install torch==${pytorchVersion}`)
    .runCommand('pip install torchvision torchaudio')
    .withEnv('TORCH_CUDA_ARCH_LIST', '7.0;8.0;8.6')
    .setWorkdir('/app');
}
export const fromTemplate = pytorchTemplate('myuser', 'my-pytorch-app');

/** Build optimisation: stable steps first, application code last. */
export const optimized = new Image({ username: 'myuser', name: 'optimized', tag: '1.0' })
  .fromBase('nvidia/cuda:12.2.0-devel-ubuntu22.04')
  .runCommand('apt-get update && apt-get install -y git curl')
  .withPython('3.11')
  .runCommand('pip install torch==2.1.0 transformers==4.30.0')
  .add('requirements.txt', 'requirements.txt')
  .runCommand('pip install -r requirements.txt')
  .add('src/', '/app/src/');

/** Best practices: grouped commands, pinned versions, a non-root user, cleaned caches, explicit env. */
export const grouped = Image.fromRegistry('ubuntu:22.04').runCommand(`
    apt-get update && \\
    apt-get install -y git curl wget && \\
    rm -rf /var/lib/apt/lists/*
`);
export const secure = Image.debianSlim()
  .runCommand('pip install torch==2.1.0 transformers==4.30.0')
  .runCommand('useradd -m appuser')
  .setUser('appuser');
export const small = Image.debianSlim().runCommand(`
    pip install torch transformers && \\
    pip cache purge && \\
    rm -rf ~/.cache/pip
`).add('src/', '/app/src/');
export const consistent = Image.fromRegistry('ubuntu:22.04')
  .withPython('3.11.5')
  .runCommand('pip install torch==2.1.0+cu121 transformers==4.30.2')
  .withEnv('PYTHONPATH', '/app/src')
  .withEnv('CUDA_VISIBLE_DEVICES', '0');

/** Framework images: PyTorch and TensorFlow with their GPU settings. */
export const pytorchApp = new Image({ username: 'myuser', name: 'pytorch-app', tag: '1.0' })
  .fromBase('pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel')
  .runCommand('pip install transformers accelerate datasets')
  .withEnv('TORCH_CUDA_ARCH_LIST', '7.0;8.0;8.6');
export const tensorflowApp = new Image({ username: 'myuser', name: 'tensorflow-app', tag: '1.0' })
  .fromBase('tensorflow/tensorflow:2.13.0-gpu')
  .runCommand('pip install tensorflow-datasets tensorflow-hub')
  .withEnv('TF_FORCE_GPU_ALLOW_GROWTH', 'true');

/** Model weights fetched during the build, so containers start without downloading. */
export const modelDownload = new Image({ username: 'myuser', name: 'model-app', tag: '1.0' })
  .fromBase('nvidia/cuda:12.2.0-runtime-ubuntu22.04')
  .withPython('3.11')
  .runCommand('pip install transformers torch')
  .runCommand(`python -c "
from transformers import AutoModel, AutoTokenizer
AutoModel.from_pretrained('bert-base-uncased')
AutoTokenizer.from_pretrained('bert-base-uncased')
"`)
  .withEnv('TRANSFORMERS_CACHE', '/app/cache');
