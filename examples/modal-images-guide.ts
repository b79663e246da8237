/**
 * Modal's images guide, ported to kiln. Local paths are relative to `examples/context`.
 */
import { Image } from '../src/image/index.js';

/** Base images. */
export const slim = Image.debianSlim({ pythonVersion: '3.12' });
export const conda = Image.micromamba().micromambaInstall('pytorch', 'cudatoolkit=11.8', { channels: ['pytorch', 'conda-forge'] });

/** Python packages: uv, pip, a requirements file, a private repository. */
export const withUv = Image.debianSlim().uvPipInstall('torch==2.3.0', 'transformers>=4.40.0', 'numpy');
export const withPip = Image.debianSlim().pipInstall('pandas', 'scikit-learn');
export const fromRequirements = Image.debianSlim().pipInstallFromRequirements('requirements.txt');
export const fromPyproject = Image.debianSlim().pipInstallFromPyproject('pyproject.toml', { optionalDependencies: ['dev'] });
export const privateRepo = Image.debianSlim()
  .aptInstall('git')
  .pipInstallPrivateRepos('github.com/org/private-repo@main', { gitUser: 'username', secrets: ['GITHUB_TOKEN'] });

/** System packages. */
export const systemPackages = Image.debianSlim().aptInstall('ffmpeg', 'libsndfile1', 'git', 'curl');

/** A GPU while installing (packages that compile against the driver). */
export const gpuDuringBuild = Image.debianSlim().pipInstall('bitsandbytes', { gpu: 'H100' });

/** Local files: an importable module, a data directory, a config file, and local code later steps use. */
export const pythonSource = Image.debianSlim().addLocalPythonSource('my_package');
export const filesAndDirs = Image.debianSlim()
  .addLocalDir('./data', { remotePath: '/app/data' })
  .addLocalFile('config.yaml', '/app/config.yaml');
export const copiedForLaterSteps = Image.debianSlim()
  .addLocalDir('./src', { remotePath: '/src', copy: true })
  .runCommands('python -m compileall -q /src');

/** Commands, then the checkout as working directory. */
export const commands = Image.debianSlim()
  .runCommands('git clone https://github.com/org/repo /opt/repo', 'cd /opt/repo && pip install -e .')
  .workdir('/opt/repo');

/** Registry images: with Python added, and as they are. */
export const cudaWithPython = Image.fromRegistry('nvidia/cuda:12.4.0-devel-ubuntu22.04', { addPython: '3.11' });
export const pytorchRuntime = Image.fromRegistry('pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime');
/** The same kind of base through kiln's CUDA shortcut. */
export const cudaShortcut = Image.cuda({ cuda: '12.4.1', cudnn: 9, flavor: 'devel', python: '3.12' });

/** Private registries: Docker Hub, AWS ECR and Google Artifact Registry (credentials read when building). */
export const dockerHubPrivate = Image.fromRegistry('myorg/private-image:latest', {
  secret: { usernameEnv: 'REGISTRY_USERNAME', passwordEnv: 'REGISTRY_PASSWORD' },
});
export const ecr = Image.fromAwsEcr('123456789.dkr.ecr.us-east-1.amazonaws.com/my-image:latest', {
  secret: { usernameEnv: 'AWS_REGISTRY_USERNAME', passwordEnv: 'AWS_REGISTRY_PASSWORD' },
});
export const gcp = Image.fromGcpArtifactRegistry('us-docker.pkg.dev/project/repo/image:tag', {
  secret: { usernameEnv: 'GCP_REGISTRY_USERNAME', passwordEnv: 'GCP_REGISTRY_PASSWORD' },
});

/** A Dockerfile from the context. */
export const fromDockerfile = Image.fromDockerfile('./docker/Dockerfile', { context: '.' });

/** Code at build time: Modal's run_function becomes a local script run inside the build, with a secret. */
export const buildTimeScript = Image.debianSlim()
  .pipInstall('huggingface-hub')
  .runScript('scripts/download_models.py', { args: ['/models'], secrets: ['HF_TOKEN'] });

/** Environment variables. */
export const environment = Image.debianSlim().env({
  HF_HOME: '/cache/huggingface',
  TRANSFORMERS_CACHE: '/cache/transformers',
  CUDA_VISIBLE_DEVICES: '0',
});

/** Forcing a rebuild from one step on (the apt step stays cached). */
export const forced = Image.debianSlim().aptInstall('git').pipInstall('transformers', { forceBuild: true });

/** Frequently changing layers last. */
export const ordered = Image.debianSlim()
  .aptInstall('libgomp1')
  .pipInstall('torch', 'transformers')
  .addLocalPythonSource('my_package');
