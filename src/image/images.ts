/**
 * Kubetorch's ready-made starting points (`kt.images.*`), as kiln `Image`s: the same registry images, every
 * method of `Image` available on top.
 *
 * @example
 * images.python('3.12').pipInstall('numpy>=1.24', 'pandas>=2.0')
 * images.pytorch('24.08-py3').setEnvVars({ NCCL_DEBUG: 'INFO' })
 */
import { invalidArgument } from '../errors.js';
import { Image, KUBETORCH_DEBIAN_IMAGE, type KubetorchImageOptions } from './image.js';

function tagOf(value: unknown, name: string, site: Function): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(value)) {
    invalidArgument(`${name} must be an image tag such as "2.32.0", got ${JSON.stringify(value)}`, site);
  }
  return value;
}

/** Kubetorch's image factories. */
export const images = {
  /** Kubetorch's `kt.Image(...)`: see {@link Image.kubetorch}. */
  Image(options?: KubetorchImageOptions): Image {
    return Image.kubetorch(options);
  },
  /** Kubetorch's Debian server image (`ghcr.io/run-house/server:v3`). */
  debian(): Image {
    return Image.fromRegistry(KUBETORCH_DEBIAN_IMAGE);
  },
  /** Same as `debian()` (Kubetorch's `kt.images.Debian()`). */
  Debian(): Image {
    return images.debian();
  },
  /** Kubetorch's Ubuntu image (`ghcr.io/run-house/ubuntu:v1`). */
  ubuntu(): Image {
    return Image.fromRegistry('ghcr.io/run-house/ubuntu:v1');
  },
  /** Same as `ubuntu()` (Kubetorch's `kt.images.Ubuntu()`). */
  Ubuntu(): Image {
    return images.ubuntu();
  },
  /** The official slim Python image, `python:<version>-slim`. */
  python(version: string): Image {
    if (typeof version !== 'string' || !/^3\.\d+(\.\d+)?$/.test(version)) {
      invalidArgument(`python version must look like "3.12", got ${JSON.stringify(version)}`, images.python);
    }
    return Image.fromRegistry(`python:${version}-slim`);
  },
  /** `python:3.10-slim`. */
  python310(): Image {
    return images.python('3.10');
  },
  /** `python:3.11-slim`. */
  python311(): Image {
    return images.python('3.11');
  },
  /** `python:3.12-slim`. */
  python312(): Image {
    return images.python('3.12');
  },
  /** Same as `python310()` (Kubetorch's `kt.images.Python310()`). */
  Python310(): Image {
    return images.python('3.10');
  },
  /** Same as `python311()` (Kubetorch's `kt.images.Python311()`). */
  Python311(): Image {
    return images.python('3.11');
  },
  /** Same as `python312()` (Kubetorch's `kt.images.Python312()`). */
  Python312(): Image {
    return images.python('3.12');
  },
  /** NVIDIA NGC PyTorch, `nvcr.io/nvidia/pytorch:<tag>` (default `23.12-py3`). */
  pytorch(tag = '23.12-py3'): Image {
    return Image.fromRegistry(`nvcr.io/nvidia/pytorch:${tagOf(tag, 'pytorch tag', images.pytorch)}`);
  },
  /** `nvcr.io/nvidia/pytorch:23.12-py3` (Kubetorch's `kt.images.Pytorch2312()`). */
  Pytorch2312(): Image {
    return images.pytorch('23.12-py3');
  },
  /** Ray, `rayproject/ray:<tag>` (default `latest`). */
  ray(tag = 'latest'): Image {
    return Image.fromRegistry(`rayproject/ray:${tagOf(tag, 'ray tag', images.ray)}`);
  },
  /** Same as `ray()` (Kubetorch's `kt.images.Ray()`). */
  Ray(tag = 'latest'): Image {
    return Image.fromRegistry(`rayproject/ray:${tagOf(tag, 'ray tag', images.Ray)}`);
  },
} as const;
