/**
 * Modal's Image class reference, ported to kiln (Modal's names in camelCase). Local paths are relative to
 * `examples/context`.
 */
import { Image } from '../src/image/index.js';

/** A Python environment for a scraper. */
export const webScraper = Image.debianSlim({ pythonVersion: '3.11' }).pipInstall('requests', 'beautifulsoup4', 'pandas==2.0.0');

/** A data-science environment with build tools, a custom install and data paths. */
export const dataScience = Image.debianSlim({ pythonVersion: '3.11' })
  .aptInstall('git', 'curl', 'build-essential')
  .pipInstall('numpy', 'pandas', 'scikit-learn', 'matplotlib', 'seaborn', 'jupyter', 'plotly', 'scipy')
  .runCommands('pip install --no-deps lightgbm', 'mkdir -p /opt/data')
  .env({ DATA_PATH: '/opt/data', PYTHONPATH: '/opt/models' });

/** A CUDA base with the distribution's Python added by hand. */
export const gpuMl = Image.fromRegistry('nvidia/cuda:11.8.0-devel-ubuntu22.04')
  .aptInstall('python3', 'python3-pip', 'python3-dev')
  .runCommands('ln -s /usr/bin/python3 /usr/bin/python', 'pip install --upgrade pip')
  .pipInstall('torch', 'torchvision', 'transformers')
  .env({ CUDA_VISIBLE_DEVICES: '0' });

/** Development: packages, local code, a requirements file installed from inside the image. */
export const development = Image.debianSlim()
  .pipInstall('fastapi', 'uvicorn', 'sqlalchemy', 'pytest')
  .copyLocalDir('./src', '/app/src')
  .copyLocalFile('requirements.txt', '/app/requirements.txt')
  .runCommands('pip install -r /app/requirements.txt')
  .workdir('/app');

/** A Poetry project: locked dependencies installed, then the package's code. */
export const poetryProject = Image.debianSlim()
  .aptInstall('curl')
  .poetryInstallFromFile('pyproject.toml', { lockFile: 'poetry.lock' })
  .copyLocalDir('./my_package', '/app/my_package')
  .workdir('/app');

/** Building a native library from source, then removing the build tools. */
export const optimizedBuild = Image.debianSlim()
  .aptInstall('build-essential', 'cmake', 'git', 'pkg-config', 'libssl-dev')
  .runCommands(
    'git clone https://github.com/example/custom-lib.git /tmp/custom-lib',
    'cd /tmp/custom-lib && mkdir build && cd build && cmake .. && make -j"$(nproc)" && make install',
  )
  .pipInstall('numpy', 'cython')
  .copyLocalFile('setup.py', '/app/setup.py')
  .copyLocalDir('./src', '/app/src')
  .runCommands('cd /app && python setup.py build_ext --inplace', 'cd /app && pip install -e .')
  .aptRemove('build-essential', 'cmake')
  .runCommands('apt-get autoremove -y && apt-get clean');

/** Configuration through the environment and an env file. */
export const configured = Image.debianSlim()
  .pipInstall('python-dotenv', 'pydantic')
  .env({ ENVIRONMENT: 'production', LOG_LEVEL: 'INFO', API_TIMEOUT: '30' })
  .copyLocalFile('.env.production', '/app/.env');

/** Caching: a cached install, then a requirements file whose changes re-run only the steps after it. */
export const cached = Image.debianSlim()
  .pipInstall('numpy', 'pandas', { forceBuild: false })
  .copyLocalFile('requirements.txt')
  .pipInstall('-r', 'requirements.txt');

/** Secrets during the build: a private clone and a private index; neither value ends up in the image. */
export const secure = Image.debianSlim()
  .runCommands('git clone https://${GITHUB_TOKEN}@github.com/private/repo.git /app', { secrets: ['GITHUB_TOKEN'] })
  .pipInstall('--extra-index-url', 'https://token:${PRIVATE_REGISTRY_TOKEN}@pypi.private.com/simple/', 'private-package', {
    secrets: ['PRIVATE_REGISTRY_TOKEN'],
  });
