/**
 * Kubetorch's `kt.Image`, ported to kiln: the `images.*` factories and the `pipInstall`, `setEnvVars`,
 * `runBash`, `rsync` and `syncPackage` steps with Kubetorch's semantics. Local paths are relative to
 * `examples/context`; home-directory paths from the original become paths inside the context.
 */
import { Image, images } from '../src/image/index.js';

/** The factories. */
export const debian = images.debian();
export const ubuntu = images.ubuntu();
export const python310 = images.python310();
export const python312 = images.python('3.12');
export const rayLatest = images.ray();
export const rayPinned = images.ray('2.32.0-py311');
export const pytorchDefault = images.pytorch();
export const pytorchPinned = images.pytorch('24.08-py3');

/** Any registry image as the base (`kt.Image().from_docker(...)`). */
export const fromDocker = images.Image().fromDocker('nvcr.io/nvidia/pytorch:24.08-py3');
export const fromDockerRegistry = images.Image().fromDocker('my-registry.io/my-image:v1.0');
export const fromDockerPython = images.Image().fromDocker('python:3.12-slim');

/** pip: plain packages, version constraints, pip flags inside the list, and a forced reinstall. */
export const pipSimple = images.debian().pipInstall(['numpy', 'pandas']);
export const pipConstraints = images.debian().pipInstall(['numpy>=1.20', 'pandas==2.0.0', 'torch>=2.0,<3.0']);
export const pipFlagged = images
  .debian()
  .pipInstall(['--pre torch==2.0.0rc1', '--index-url https://pypi.org/simple torch', '--extra-index-url https://my-pypi.com/simple mypackage']);
export const pipForced = images.debian().pipInstall(['numpy'], { force: true });

/** Environment variables, with `$VAR` / `${VAR}` expansion against what is already set. */
export const envPlain = images.debian().setEnvVars({ OMP_NUM_THREADS: '4', CUDA_VISIBLE_DEVICES: '0,1', HF_HOME: '/cache/huggingface' });
export const envExpanded = images.debian().setEnvVars({
  BASE_PATH: '/usr/local',
  BIN_PATH: '$BASE_PATH/bin',
  PATH: '$BIN_PATH:$PATH',
  LD_LIBRARY_PATH: '/opt/lib:${LD_LIBRARY_PATH}',
  HOME_DATA: '${HOME}/data',
});

/** Shell commands, one step each; `force` re-runs a step instead of using the cache. */
export const bashOne = images.debian().runBash('apt-get update');
export const bashChained = images.debian().runBash('apt-get update && apt-get install -y vim curl git');
export const bashSequence = images.debian().runBash('apt-get update').runBash('apt-get install -y vim').runBash('pip install uv');
export const bashForced = images.debian().runBash('apt-get update', { force: true });

/** rsync: a file, a directory (inside dest), its contents only, the working directory, filters. */
export const syncFile = images.debian().rsync('./config.yaml', '/app/config.yaml');
export const syncDir = images.debian().rsync('./src', '/app');
export const syncContents = images.debian().rsync('./src', '/app', { contents: true });
export const syncToWorkdir = images.debian().rsync('data/model.pt');
export const syncFiltered = images.debian().rsync('./project', '/app', { filterOptions: "--exclude='*.log' --exclude='temp/'" });
export const syncForced = images.debian().rsync('./rapidly_changing_code', '/app', { force: true });

/** Local packages onto PYTHONPATH, by module name or by path. */
export const packageByName = images.debian().syncPackage('my_local_package');
export const packageByPath = images.debian().syncPackage('./libs/my_package');

/** Steps in order: env, uv, packages, code. */
export const chained = images
  .debian()
  .setEnvVars({ UV_EXTRA_INDEX_URL: 'https://my-pypi.com/simple', UV_PRERELEASE: 'allow' })
  .runBash('pip install uv')
  .runBash('uv pip install --system torch numpy')
  .pipInstall(['pandas', 'scikit-learn'])
  .rsync('./src', '/app/src', { contents: true })
  .rsync('./config', '/app/config')
  .syncPackage('my_local_lib');

/** Complete examples. */
export const basicPython = images.python312().pipInstall(['numpy>=1.24', 'pandas>=2.0', 'scikit-learn', 'matplotlib']);

export const pytorchTraining = images
  .pytorch('24.08-py3')
  .setEnvVars({ CUDA_VISIBLE_DEVICES: '0,1,2,3', NCCL_DEBUG: 'INFO' })
  .pipInstall(['transformers', 'datasets', 'accelerate', 'wandb'])
  .rsync('./training_scripts', '/workspace/scripts', { contents: true });

/**
 * Private package index. Kubetorch puts the credentials into the image env; with kiln they stay out of the image:
 * the index URL comes from a build secret, read only by the install step.
 */
export const privateRegistry = images
  .debian()
  .setEnvVars({ UV_PRERELEASE: 'allow', UV_INDEX_STRATEGY: 'unsafe-best-match' })
  .runBash('pip install uv')
  .runBash("uv pip install --system 'my-private-package==1.2.3'", { secrets: ['UV_EXTRA_INDEX_URL'] });

export const localDevelopment = images
  .debian()
  .pipInstall(['torch', 'numpy'])
  .rsync('./my_project', '/app/my_project', { contents: true })
  .setEnvVars({ PYTHONPATH: '/app' });

export const editableInstall = images
  .debian()
  .setEnvVars({ UV_EXTRA_INDEX_URL: 'https://my-pypi.com/simple' })
  .runBash('pip install uv')
  .rsync('libs/my_lib', '/my_lib', { contents: true })
  .runBash('uv pip install --system -e "/my_lib[dev]"');

export const multiStep = images
  .ubuntu()
  .runBash('apt-get update && apt-get install -y build-essential cmake')
  .runBash('pip install --upgrade pip uv')
  .pipInstall(['torch>=2.0', 'torchvision', 'torchaudio'])
  .pipInstall(['fastapi', 'uvicorn', 'pydantic>=2.0'])
  .rsync('./app', '/app', { contents: true })
  .rsync('./models', '/models')
  .setEnvVars({ MODEL_PATH: '/models', PYTHONPATH: '/app' });

/** A private base image: credentials come from the environment when building, never from the definition. */
export const privateBase = Image.fromRegistry('private-registry.io/my-image:v1', {
  secret: { usernameEnv: 'REGISTRY_USER', passwordEnv: 'REGISTRY_PASS' },
});
